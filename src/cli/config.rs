//! Arguments -> engine configuration, with errors that name the bad value.

use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use precis::batch::IdfMode;
use precis::corpus::DocFreqs;
use precis::lexicon::{Format, Lexicon};
use precis::summarize::{Budget, SummaryConfig};
use precis::{Engine, EngineConfig};

use super::args::{EngineArgs, LexiconFormatArg};

fn summary(args: &EngineArgs) -> Result<SummaryConfig> {
    let budget = match (args.sentences, args.ratio, args.words) {
        (Some(0), _, _) => bail!("--sentences must be at least 1"),
        (Some(n), _, _) => Budget::Sentences(n),
        (_, Some(r), _) if !(r > 0.0 && r <= 1.0) => bail!("--ratio must be in (0, 1], got {r}"),
        (_, Some(r), _) => Budget::Ratio(r),
        (_, _, Some(w)) => Budget::Words(w),
        _ => Budget::default(),
    };
    if !(0.0..1.0).contains(&args.diversity) {
        bail!("--diversity must be in [0, 1), got {}", args.diversity);
    }
    Ok(SummaryConfig {
        method: args.method,
        budget,
        diversity: args.diversity,
    })
}

fn load_lexicon(arg: &str, default: LexiconFormatArg) -> Result<Lexicon> {
    let (prefixed, path) = Format::from_prefixed(arg);
    let format = prefixed.unwrap_or(match default {
        LexiconFormatArg::Precis => Format::Precis,
        LexiconFormatArg::Vader => Format::Vader,
        LexiconFormatArg::Afinn => Format::Afinn,
    });
    Ok(Lexicon::load(Path::new(path), format)?)
}

/// Builds the engine; every lexicon is read and checked here, before any
/// article is touched. The engine lives until the process exits, so it is
/// leaked rather than dropped: freeing its maps only costs start-up time.
pub fn engine(args: &EngineArgs) -> Result<&'static Engine> {
    Ok(Box::leak(Box::new(build_engine(args)?)))
}

fn build_engine(args: &EngineArgs) -> Result<Engine> {
    let mut config = EngineConfig {
        summary: summary(args)?,
        ..EngineConfig::default()
    };
    if let Some(l) = &args.lexicon {
        config.lexicon = load_lexicon(l, args.lexicon_format)?;
    }
    for l in &args.extra_lexicon {
        config.lexicon.extend(load_lexicon(l, args.lexicon_format)?);
    }
    if let Some(p) = &args.abbreviations {
        let text =
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
        config.segmenter = config
            .segmenter
            .with_extra_abbreviations(&text, &p.display().to_string())?;
    }
    Ok(Engine::new(config))
}

/// `corpus`, `local` or a model path.
pub fn idf_mode(arg: &str) -> Result<IdfMode> {
    Ok(match arg {
        "corpus" => IdfMode::Corpus,
        "local" => IdfMode::Local,
        path => IdfMode::Model(Arc::new(DocFreqs::load(Path::new(path))?)),
    })
}
