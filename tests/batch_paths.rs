//! The two ways a batch computes corpus IDF give the same records: preparing
//! every article once and keeping it (input up to `RETAIN_BYTES`), or
//! counting terms in a first pass and analysing from scratch in a second
//! (larger input).

use std::path::PathBuf;

use precis::batch::{self, BatchConfig, Inputs};
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
