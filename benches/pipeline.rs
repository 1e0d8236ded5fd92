//! Criterion benches per stage and for a whole batch, over real text: the
//! samples, and the BBC folder when `../shared` is present.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use precis::batch::{self, BatchConfig, Inputs};
use precis::summarize::IdfSource;
use precis::tokenize::Tokenizer;
use precis::{Engine, EngineConfig};

fn corpus() -> (String, Vec<String>) {
    let bbc = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/bbc-news-summary/articles"
    ));
    let (name, dir) = if bbc.exists() {
        ("bbc", bbc.to_path_buf())
    } else {
        eprintln!("../shared not found: benchmarking samples/ only");
        (
            "samples",
            Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/samples")).to_path_buf(),
        )
    };
    let config = BatchConfig::default();
    let inputs = Inputs::collect(&[dir], &config.extensions);
    let mut texts = Vec::new();
    batch::for_each_chunk::<()>(&inputs, &config, |c| {
        texts.extend(c.into_iter().filter_map(|a| a.text.ok()));
        Ok(())
    })
    .unwrap();
    (name.to_string(), texts)
}

fn stages(c: &mut Criterion) {
    let (name, texts) = corpus();
    let bytes: usize = texts.iter().map(String::len).sum();
    let engine = Engine::new(EngineConfig::default());
    let mut g = c.benchmark_group(format!("stages/{name}"));
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);

    let expected_sentences: usize = texts
        .iter()
        .map(|t| engine.segmenter().split(t).len())
        .sum();
    g.bench_function("split", |b| {
        b.iter(|| {
            let n: usize = texts
                .iter()
                .map(|t| engine.segmenter().split(t).len())
                .sum();
            assert_eq!(n, expected_sentences);
        })
    });

    g.bench_function("tokenize", |b| {
        let mut tok = Tokenizer::new(engine.vocabulary());
        let mut out = Vec::new();
        b.iter(|| {
            let mut n = 0;
            for t in &texts {
                out.clear();
                tok.tokenize(t, 0, &mut out);
                n += out.len();
            }
            assert!(n > bytes / 10);
        })
    });

    let expected_hits: usize = {
        let mut ws = engine.workspace();
        texts
            .iter()
            .map(|t| engine.tone(t, &mut ws).1.evidence.len())
            .sum()
    };
    g.bench_function("tone alone (split+tokenize+tone)", |b| {
        let mut ws = engine.workspace();
        b.iter(|| {
            let hits: usize = texts
                .iter()
                .map(|t| engine.tone(t, &mut ws).1.evidence.len())
                .sum();
            assert_eq!(hits, expected_hits);
        })
    });

    g.bench_function("analyze (split+tokenize+summarize+tone)", |b| {
        let mut ws = engine.workspace();
        b.iter(|| {
            let mut picked = 0;
            for t in &texts {
                picked += engine
                    .analyze_with(t, &IdfSource::Local, &mut ws)
                    .summary
                    .picked
                    .len();
            }
            assert!(picked > 0);
        })
    });
    g.finish();
}

fn batch_bench(c: &mut Criterion) {
    let (name, texts) = corpus();
    let bytes: usize = texts.iter().map(String::len).sum();
    let engine = Engine::new(EngineConfig::default());
    let articles: Vec<batch::Article> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| batch::Article {
            id: i.to_string(),
            path: None,
            line: None,
            text: Ok(t.clone()),
        })
        .collect();
    let config = BatchConfig::default();
    let mut g = c.benchmark_group(format!("batch/{name}"));
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("corpus idf + analyze, all threads", |b| {
        b.iter(|| {
            let df = precis::engine::doc_freqs_of(&engine, texts.iter().map(String::as_str));
            let records =
                batch::analyze_chunk(&engine, &articles, &IdfSource::Corpus(&df), &config, None);
            assert_eq!(records.len(), articles.len());
        })
    });
    g.finish();
}

/// The spill's codec (`precis score` past `--retain-bytes`): encoding each
/// prepared article and decoding it back, one thread.
fn spill_bench(c: &mut Criterion) {
    let (name, texts) = corpus();
    let bytes: usize = texts.iter().map(String::len).sum();
    let engine = Engine::new(EngineConfig::default());
    let mut ws = engine.workspace();
    let prepared: Vec<batch::PreparedArticle> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| batch::PreparedArticle {
            prepared: Some(engine.prepare(t, &mut ws)),
            article: batch::Article {
                id: i.to_string(),
                path: None,
                line: None,
                text: Ok(t.clone()),
            },
        })
        .collect();
    let encoded: Vec<Vec<u8>> = prepared
        .iter()
        .map(|a| {
            let mut buf = Vec::new();
            precis::spill::encode(a, &mut buf);
            buf
        })
        .collect();
    let mut g = c.benchmark_group(format!("spill/{name}"));
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("encode", |b| {
        let mut buf = Vec::new();
        b.iter(|| {
            let mut total = 0;
            for a in &prepared {
                buf.clear();
                precis::spill::encode(a, &mut buf);
                total += buf.len();
            }
            total
        })
    });
    g.bench_function("decode", |b| {
        b.iter(|| {
            for e in &encoded {
                assert!(precis::spill::decode(e, engine.tone_model()).is_some());
            }
        })
    });
    g.finish();
}

criterion_group!(benches, stages, batch_bench, spill_bench);
criterion_main!(benches);
