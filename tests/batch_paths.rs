//! The ways a batch computes corpus IDF give the same records: preparing
//! every article once and keeping it (input up to `RETAIN_BYTES`), counting
//! terms in a first pass and analysing from scratch in a second, or keeping
//! a prefix and either spilling the rest's preparations to a temporary file
//! (all of them, or as many as a size limit lets in) or analysing the rest
//! again (larger input).

use std::path::PathBuf;

use precis::batch::{self, BatchConfig, Inputs, Spill};
use precis::summarize::IdfSource;
use precis::{Engine, EngineConfig};

fn folders() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut v = vec![root.join("samples")];
    let seeds = root.join("../shared/seeds");
    if seeds.exists() {
        v.push(seeds);
    } else {
        eprintln!("../shared/seeds not found: samples only");
    }
    v
}

#[test]
fn kept_and_recomputed_passes_agree() {
    let engine = Engine::new(EngineConfig::default());
    let config = BatchConfig::default();
    let inputs = Inputs::collect(&folders(), &config.extensions);

    let (df_kept, chunks) = batch::prepare_corpus(&engine, &inputs, &config);
    let kept: Vec<String> = chunks
        .into_iter()
        .flat_map(|c| batch::finish_chunk(&engine, c, &IdfSource::Corpus(&df_kept), &config, None))
        .map(|r| serde_json::to_string(&r).unwrap())
        .collect();

    let df = batch::corpus_doc_freqs(&engine, &inputs, &config);
    let mut again = Vec::new();
    batch::for_each_chunk::<()>(&inputs, &config, |chunk| {
        for r in batch::analyze_chunk(&engine, &chunk, &IdfSource::Corpus(&df), &config, None) {
            again.push(serde_json::to_string(&r).unwrap());
        }
        Ok(())
    })
    .unwrap();

    assert_eq!(df_kept.doc_count(), df.doc_count());
    assert_eq!(df_kept.terms(), df.terms());
    assert!(kept.len() >= 8, "{} records", kept.len());
    assert_eq!(kept, again);
}

/// Every record of a full second pass, as JSON, for comparison.
fn recomputed(engine: &Engine, inputs: &Inputs, config: &BatchConfig) -> Vec<String> {
    let df = batch::corpus_doc_freqs(engine, inputs, config);
    let mut out = Vec::new();
    batch::for_each_chunk::<()>(inputs, config, |chunk| {
        for r in batch::analyze_chunk(engine, &chunk, &IdfSource::Corpus(&df), config, None) {
            out.push(serde_json::to_string(&r).unwrap());
        }
        Ok(())
    })
    .unwrap();
    out
}

/// A kept prefix (any budget) plus a second pass over the rest gives the
/// same records as recomputing everything, for folders and for JSONL with
/// blank, broken and oversized lines among the articles.
#[test]
fn a_kept_prefix_and_a_second_pass_agree() {
    let engine = Engine::new(EngineConfig::default());
    let config = BatchConfig {
        max_bytes: 4_000,
        ..BatchConfig::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("stream.jsonl");
    let mut lines = String::new();
    for (k, f) in folders()
        .iter()
        .flat_map(|d| std::fs::read_dir(d).unwrap())
        .enumerate()
    {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
        let text: String = text.chars().take(3_000).collect();
        lines.push_str(&serde_json::json!({"id": k, "text": text}).to_string());
        lines.push('\n');
        if k == 2 {
            lines.push_str("\n{\"id\": \"broken\", \"text\": 5}\n");
        }
        if k == 4 {
            lines.push_str(&format!(
                "{{\"id\": \"long\", \"text\": \"{}\"}}\n",
                "a ".repeat(3_000)
            ));
        }
    }
    std::fs::write(&jsonl, lines).unwrap();
    let mut paths = folders();
    paths.push(jsonl);
    let inputs = Inputs::collect(&paths, &config.extensions);
    let expected = recomputed(&engine, &inputs, &config);
    assert!(expected.len() >= 20, "{} records", expected.len());

    let mut kept_counts = Vec::new();
    let mut partial_spills = 0;
    for budget in [0, 1, 2_500, 9_000, 20_000, u64::MAX] {
        // Spill limits: none, about half the rest's encodings, nothing.
        for spill in [
            Spill::Off,
            Spill::UpTo(u64::MAX),
            Spill::UpTo(40_000),
            Spill::UpTo(100),
        ] {
            let pass = batch::corpus_pass(&engine, &inputs, &config, budget, spill);
            if spill == Spill::Off {
                kept_counts.push(pass.kept_articles);
            }
            assert_eq!(pass.articles, expected.len());
            assert!(pass.spill_error.is_none());
            // Spilling prepares everything that is not kept, or a prefix of
            // it within the limit; the rest is left to the second pass.
            let rest = expected.len() - pass.kept_articles;
            match spill {
                Spill::Off | Spill::UpTo(100) => assert_eq!(pass.spilled_articles, 0),
                Spill::UpTo(u64::MAX) => assert_eq!(pass.spilled_articles, rest),
                Spill::UpTo(_) => {
                    assert!(pass.spilled_articles <= rest);
                    if pass.spilled_articles > 0 && pass.spilled_articles < rest {
                        partial_spills += 1;
                    }
                }
            }
            assert_eq!(pass.spilled.is_some(), pass.spilled_articles > 0);
            assert_eq!(pass.complete(), pass.spilled_articles == rest);
            let source = IdfSource::Corpus(&pass.df);
            let mut got: Vec<String> = Vec::new();
            let mut finish = |chunk| {
                for r in batch::finish_chunk(&engine, chunk, &source, &config, None) {
                    got.push(serde_json::to_string(&r).unwrap());
                }
            };
            pass.kept.into_iter().for_each(&mut finish);
            if let Some(mut spilled) = pass.spilled {
                while let Some(chunk) = spilled.next_chunk(engine.tone_model()).unwrap() {
                    finish(chunk);
                }
            }
            assert_eq!(got.len(), pass.kept_articles + pass.spilled_articles);
            let skip = pass.kept_articles + pass.spilled_articles;
            batch::for_each_chunk_after::<()>(&inputs, &config, skip, |chunk| {
                for r in batch::analyze_chunk(&engine, &chunk, &source, &config, None) {
                    got.push(serde_json::to_string(&r).unwrap());
                }
                Ok(())
            })
            .unwrap();
            assert_eq!(got, expected, "budget {budget}, {spill:?}");
        }
    }
    // The middle limit stopped some spills part of the way.
    assert!(partial_spills >= 2, "{partial_spills} partial spills");
    // The budgets keep nothing, a prefix of growing length, then everything.
    assert_eq!(kept_counts[0], 0);
    assert!(
        kept_counts.windows(2).all(|w| w[0] <= w[1]),
        "{kept_counts:?}"
    );
    assert!(
        kept_counts[2] > 0 && kept_counts[3] < expected.len(),
        "{kept_counts:?}"
    );
    assert_eq!(kept_counts[5], expected.len());
}
