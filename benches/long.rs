//! Very long articles (2,000 and 20,000 sentences) summarized by every
//! method, with and without MMR: the graph methods must stay linear (issue 4
//! asks for under a second at 20,000). The article is the samples' sentences repeated with a counter,
//! so sentences are near-duplicates, the worst case for similarity graphs.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use precis::summarize::{Budget, IdfSource, Method, SummaryConfig};
use precis::{Engine, EngineConfig};

fn long_article(sentences: usize) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
    let engine = Engine::new(EngineConfig::default());
    let mut pool = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(p).unwrap();
        for s in engine.segmenter().split(&text) {
            let s = s.slice(&text);
            if s.ends_with('.') && s.split_whitespace().count() > 6 {
                pool.push(s.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        }
    }
    let mut out = String::from("A very long report\n\n");
    for i in 0..sentences {
        out.push_str(&pool[i % pool.len()]);
        out.push(' ');
        if i % 10 == 9 {
            out.push_str("\n\n");
        }
    }
    out
}

fn long(c: &mut Criterion) {
    // 2,000 is the largest article the pairwise graphs are built for
    // (`PAIRWISE_LIMIT`), their worst case; 20,000 takes the linear path.
    for sentences in [2_000, 20_000] {
        long_group(c, sentences);
    }
}

fn long_group(c: &mut Criterion, sentences: usize) {
    let text = long_article(sentences);
    let mut g = c.benchmark_group(format!("long article ({sentences} sentences)"));
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    for method in Method::ALL {
        for (name, budget, diversity) in [
            ("10 sentences", Budget::Sentences(10), 0.0),
            ("ratio 0.45", Budget::Ratio(0.45), 0.0),
            ("ratio 0.45 mmr 0.3", Budget::Ratio(0.45), 0.3),
        ] {
            let mut engine = Engine::new(EngineConfig::default());
            engine.set_summary_config(SummaryConfig {
                method,
                budget,
                diversity,
            });
            let mut ws = engine.workspace();
            let n = engine.segmenter().split(&text).len();
            assert!(n > sentences, "{n} sentences");
            g.bench_function(format!("{} {name}", method.as_str()), |b| {
                b.iter(|| {
                    let a = engine.analyze_with(&text, &IdfSource::Local, &mut ws);
                    assert!(!a.summary.picked.is_empty());
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, long);
criterion_main!(benches);
