//! `precis eval`: ROUGE, tone correlation, sentence boundaries.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use precis::batch::{self, BatchConfig, IdfMode, Inputs};
use precis::eval::rouge::{RougeAggregate, RougeScorer, RougeScores};
use precis::summarize::{Budget, IdfSource, Method, SummaryConfig};
use precis::{Engine, EngineConfig};
use rayon::prelude::*;
use serde::Serialize;

use super::args::{EvalCommand, EvalSplitArgs, EvalToneArgs, OneFormat, RougeArgs};

pub fn run(c: EvalCommand) -> Result<ExitCode> {
    match c {
        EvalCommand::Rouge(a) => rouge(a),
        EvalCommand::Tone(a) => tone(a),
        EvalCommand::Split(a) => split(a),
    }
}

/// `<id>.txt` files of a folder, by id.
fn texts_by_id(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    entries.sort();
    for p in entries {
        let id = p
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(&p).with_context(|| format!("cannot read {}", p.display()))?;
        let text = batch::decode(bytes).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
        out.push((id, text));
    }
    Ok(out)
}

/// A reference as rouge-score's ROUGE-Lsum expects it: one sentence a line.
fn one_sentence_a_line(engine: &Engine, text: &str) -> String {
    engine
        .segmenter()
        .split(text)
        .iter()
        .map(|s| {
            s.slice(text)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each article's budget, by id.
type BudgetOf = Box<dyn Fn(&str) -> Budget + Sync>;

#[derive(Serialize)]
struct MethodRow {
    method: String,
    documents: usize,
    seconds: f64,
    mb_per_s: f64,
    scores: RougeScores,
}

fn budgets(a: &RougeArgs, engine: &Engine, refs: &HashMap<String, String>) -> Result<BudgetOf> {
    if let Ok(n) = a.budget.parse::<usize>() {
        anyhow::ensure!(n > 0, "--budget must be at least 1");
        return Ok(Box::new(move |_| Budget::Sentences(n)));
    }
    if a.budget != "reference" {
        bail!(
            "--budget must be `reference` or a number of sentences, got {:?}",
            a.budget
        );
    }
    let mut table: HashMap<String, usize> = HashMap::new();
    if let Some(tsv) = &a.budget_tsv {
        let text = std::fs::read_to_string(tsv)
            .with_context(|| format!("cannot read {}", tsv.display()))?;
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
        let col = header
            .iter()
            .position(|h| *h == "n_summary_segments")
            .with_context(|| format!("{}: no n_summary_segments column", tsv.display()))?;
        for (i, line) in lines.enumerate() {
            let f: Vec<&str> = line.split('\t').collect();
            let n = f
                .get(col)
                .and_then(|v| v.parse().ok())
                .with_context(|| format!("{}:{}: bad n_summary_segments", tsv.display(), i + 2))?;
            table.insert(f[0].to_string(), n);
        }
    } else {
        for (id, r) in refs {
            table.insert(id.clone(), engine.segmenter().split(r).len().max(1));
        }
    }
    Ok(Box::new(move |id| {
        Budget::Sentences(table.get(id).copied().unwrap_or(3))
    }))
}

fn rouge(a: RougeArgs) -> Result<ExitCode> {
    let engine = Engine::new(EngineConfig::default());
    let refs: HashMap<String, String> = texts_by_id(&a.refs)?
        .into_iter()
        .map(|(id, t)| {
            let lined = one_sentence_a_line(&engine, &t);
            (id, lined)
        })
        .collect();
    let scorer = RougeScorer::new();
    let mut rows = Vec::new();
    if let Some(system) = &a.system {
        let mut candidates: Vec<(String, String)> = Vec::new();
        if system.is_dir() {
            candidates = texts_by_id(system)?
                .into_iter()
                .map(|(id, t)| {
                    let lined = one_sentence_a_line(&engine, &t);
                    (id, lined)
                })
                .collect();
        } else {
            let text = std::fs::read_to_string(system)
                .with_context(|| format!("cannot read {}", system.display()))?;
            for (i, line) in text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
            {
                let v: serde_json::Value = serde_json::from_str(line)
                    .with_context(|| format!("{}:{}: not JSON", system.display(), i + 1))?;
                let id = v["id"].as_str().unwrap_or_default();
                let id = Path::new(id)
                    .file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                let sents: Vec<String> = v["summary"]
                    .as_array()
                    .map(|s| {
                        s.iter()
                            .filter_map(|x| x["text"].as_str())
                            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
                            .collect()
                    })
                    .unwrap_or_default();
                candidates.push((id, sents.join("\n")));
            }
        }
        let start = Instant::now();
        let agg = candidates
            .par_iter()
            .filter_map(|(id, c)| refs.get(id).map(|r| scorer.score(r, c)))
            .fold(RougeAggregate::default, |mut acc, s| {
                acc.add(&s);
                acc
            })
            .reduce(RougeAggregate::default, |mut x, y| {
                x.merge(&y);
                x
            });
        anyhow::ensure!(
            agg.documents > 0,
            "no system summary matches a reference id"
        );
        rows.push(MethodRow {
            method: system.display().to_string(),
            documents: agg.documents,
            seconds: start.elapsed().as_secs_f64(),
            mb_per_s: 0.0,
            scores: agg.mean(),
        });
    } else {
        let dir = a.articles.as_ref().context("give --system or --articles")?;
        let methods: Vec<Method> = if a.method.iter().any(|m| m == "all") {
            Method::ALL.to_vec()
        } else {
            a.method
                .iter()
                .map(|m| super::args::parse_method(m).map_err(anyhow::Error::msg))
                .collect::<Result<_>>()?
        };
        let budget_of = budgets(&a, &engine, &refs)?;
        let config = BatchConfig {
            idf: super::config::idf_mode(&a.idf)?,
            ..BatchConfig::default()
        };
        let inputs = Inputs::collect(std::slice::from_ref(dir), &config.extensions);
        let mut articles = Vec::new();
        batch::for_each_chunk::<()>(&inputs, &config, |c| {
            articles.extend(c.into_iter().filter(|x| x.text.is_ok()));
            Ok(())
        })
        .ok();
        let bytes: usize = articles
            .iter()
            .map(|x| x.text.as_ref().map_or(0, String::len))
            .sum();
        let stats = match &config.idf {
            IdfMode::Corpus => Some(batch::corpus_doc_freqs(&engine, &inputs, &config)),
            _ => None,
        };
        let source = match (&config.idf, &stats) {
            (IdfMode::Model(m), _) => IdfSource::Corpus(m),
            (_, Some(s)) => IdfSource::Corpus(s),
            _ => IdfSource::Local,
        };
        for method in methods {
            let mut engine = Engine::new(EngineConfig::default());
            let start = Instant::now();
            let summaries: Vec<(String, String)> = {
                let e = &mut engine;
                e.set_summary_config(SummaryConfig {
                    method,
                    budget: Budget::Sentences(3),
                    diversity: a.diversity,
                });
                let e = &*e;
                articles
                    .par_iter()
                    .map_init(
                        || e.workspace(),
                        |ws, art| {
                            let id = Path::new(&art.id)
                                .file_stem()
                                .unwrap_or_default()
                                .to_string_lossy()
                                .into_owned();
                            let text = art.text.as_ref().expect("readable");
                            let mut cfg = *e.summary_config();
                            cfg.budget = budget_of(&id);
                            let analysis = e.analyze_with_summary(text, &source, ws, &cfg);
                            let cand: Vec<String> = analysis
                                .summary
                                .picked
                                .iter()
                                .map(|&i| {
                                    analysis.sentences[i]
                                        .slice(text)
                                        .split_whitespace()
                                        .collect::<Vec<_>>()
                                        .join(" ")
                                })
                                .collect();
                            (id, cand.join("\n"))
                        },
                    )
                    .collect()
            };
            let secs = start.elapsed().as_secs_f64();
            let mut agg = RougeAggregate::default();
            for (id, c) in &summaries {
                if let Some(r) = refs.get(id) {
                    agg.add(&scorer.score(r, c));
                }
            }
            rows.push(MethodRow {
                method: method.as_str().to_string(),
                documents: agg.documents,
                seconds: secs,
                mb_per_s: bytes as f64 / 1e6 / secs,
                scores: agg.mean(),
            });
        }
    }
    let mut out = std::io::stdout().lock();
    match a.format {
        OneFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        OneFormat::Text => {
            writeln!(
                out,
                "ROUGE F1 x100 (P/R in --format json), rouge-score compatible, Porter stemming"
            )?;
            writeln!(
                out,
                "{:<12} {:>6} {:>7} {:>7} {:>7} {:>7} {:>9}",
                "method", "docs", "R1", "R2", "RL", "RLsum", "MB/s"
            )?;
            for r in &rows {
                writeln!(
                    out,
                    "{:<12} {:>6} {:>7.2} {:>7.2} {:>7.2} {:>7.2} {:>9.1}",
                    r.method,
                    r.documents,
                    r.scores.rouge1.f1 * 100.0,
                    r.scores.rouge2.f1 * 100.0,
                    r.scores.rouge_l.f1 * 100.0,
                    r.scores.rouge_lsum.f1 * 100.0,
                    r.mb_per_s
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn tone(a: EvalToneArgs) -> Result<ExitCode> {
    let engine = super::config::engine(&a.engine)?;
    let cols = precis::eval::tone::Columns {
        id: a.id_col.clone(),
        rating: a.rating_col.clone(),
        text: a.text_col.clone(),
    };
    let rated = precis::eval::tone::read_ratings(&a.ratings, &cols)?;
    anyhow::ensure!(!rated.is_empty(), "{}: no rated texts", a.ratings.display());
    let band = a.neutral_band * a.scale;
    let e = precis::eval::tone::evaluate(engine, &rated, band);
    let mut out = std::io::stdout().lock();
    match a.format {
        OneFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &e)?;
            writeln!(out)?;
        }
        OneFormat::Text => {
            writeln!(
                out,
                "{}: {} texts ({} with lexicon evidence)",
                a.ratings.display(),
                e.texts,
                e.covered
            )?;
            writeln!(out, "pearson   {:.3}", e.pearson)?;
            writeln!(out, "spearman  {:.3}", e.spearman)?;
            writeln!(
                out,
                "3-class   {:.3}  (human neutral when |rating| < {band})",
                e.accuracy
            )?;
            writeln!(out, "\nconfusion (rows: human, columns: precis)")?;
            writeln!(
                out,
                "{:>10} {:>8} {:>8} {:>8}",
                "", "impasse", "neutral", "warm"
            )?;
            for (name, row) in ["impasse", "neutral", "warm"].iter().zip(e.confusion) {
                writeln!(out, "{name:>10} {:>8} {:>8} {:>8}", row[0], row[1], row[2])?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct SplitReport {
    golden_rules_passed: Option<usize>,
    golden_rules_total: Option<usize>,
    bbc_alignment: Option<precis::eval::boundaries::AlignmentReport>,
}

fn split(a: EvalSplitArgs) -> Result<ExitCode> {
    let seg = precis::segment::Segmenter::new();
    let mut report = SplitReport {
        golden_rules_passed: None,
        golden_rules_total: None,
        bbc_alignment: None,
    };
    let rules = a.data.join("golden-rules/rules.json");
    let mut failures = Vec::new();
    if rules.exists() {
        #[derive(serde::Deserialize)]
        struct Case {
            text: String,
            expected: Vec<String>,
        }
        let cases: Vec<Case> = serde_json::from_str(&std::fs::read_to_string(&rules)?)
            .with_context(|| format!("{}: not the golden-rules format", rules.display()))?;
        let mut passed = 0;
        for c in &cases {
            let got: Vec<&str> = seg
                .split(&c.text)
                .iter()
                .map(|s| s.slice(&c.text).trim())
                .collect();
            if got == c.expected {
                passed += 1;
            } else {
                failures.push((c.text.clone(), got.join(" | ")));
            }
        }
        report.golden_rules_passed = Some(passed);
        report.golden_rules_total = Some(cases.len());
    }
    let bbc = a.data.join("bbc-news-summary");
    if bbc.exists() {
        report.bbc_alignment = Some(precis::eval::boundaries::span_alignment(
            &seg,
            &bbc.join("articles"),
            &bbc.join("summary_spans.jsonl"),
        )?);
    }
    let mut out = std::io::stdout().lock();
    match a.format {
        OneFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        OneFormat::Text => {
            match (report.golden_rules_passed, report.golden_rules_total) {
                (Some(p), Some(t)) => writeln!(out, "golden rules: {p}/{t} passed")?,
                _ => writeln!(out, "golden rules: {} not found", rules.display())?,
            }
            for (text, got) in &failures {
                writeln!(out, "  failed: {text:?}\n     got: {got}")?;
            }
            match &report.bbc_alignment {
                Some(r) => writeln!(
                    out,
                    "BBC reference span boundaries on precis boundaries: {}/{} = {:.4} ({} articles)",
                    r.matched,
                    r.boundaries,
                    r.ratio(),
                    r.articles
                )?,
                None => writeln!(out, "BBC alignment: {} not found", bbc.display())?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
