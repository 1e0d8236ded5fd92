//! What the user typed, as plain data (clap derive). Turning it into engine
//! objects happens in `config.rs`, where bad values are reported.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use precis::summarize::Method;

/// Parses a method name (the library's names).
pub fn parse_method(name: &str) -> Result<Method, String> {
    Method::ALL
        .into_iter()
        .find(|m| m.as_str() == name)
        .ok_or_else(|| {
            format!("unknown method {name:?} (default, tfidf, textrank, lexrank, centroid, lead)")
        })
}

/// Fast extractive summaries and diplomatic-tone scores for news articles.
#[derive(Debug, Parser)]
#[command(name = "precis", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Summarize one article and score its tone.
    #[command(
        after_help = "Example:\n  precis summarize samples/01_warm_summit.txt --sentences 2\n  cat article.txt | precis summarize - --format json"
    )]
    Summarize(SummarizeArgs),
    /// Score files, folders (recursively) or JSONL streams: one record per article.
    #[command(
        after_help = "Examples:\n  precis score samples/\n  precis score corpus/ -o out.jsonl --threads 8\n  precis score articles.jsonl --format csv\n  crawler | precis score - --id-field url --text-field body"
    )]
    Score(ScoreArgs),
    /// Split an article into sentences.
    #[command(
        after_help = "Example:\n  precis split samples/07_quotes_abbreviations.txt --format json"
    )]
    Split(SplitArgs),
    /// Per-sentence tone with its evidence.
    #[command(after_help = "Example:\n  precis tone samples/04_talks_stall.txt --explain")]
    Tone(ToneArgs),
    /// Measure throughput, per-stage time, the word-walk floor and peak memory.
    #[command(
        after_help = "Example:\n  precis bench ../shared/data/bbc-news-summary/articles --threads 1,2"
    )]
    Bench(BenchArgs),
    /// Build or merge saved IDF models.
    #[command(
        subcommand,
        after_help = "Example:\n  precis idf build corpus/ -o news.idf && precis score new/ --idf news.idf"
    )]
    Idf(IdfCommand),
    /// Evaluate summaries (ROUGE), tone (correlation) and sentence boundaries.
    #[command(
        subcommand,
        after_help = "Example:\n  precis eval tone --ratings ../shared/data/human-sentiment/nyt_editorial_snippets.tsv"
    )]
    Eval(EvalCommand),
}

/// How to make summaries and which lexicons to use.
#[derive(Debug, Args, Clone)]
pub struct EngineArgs {
    /// Summary method: default, tfidf, textrank, lexrank, centroid, lead.
    #[arg(long, default_value = "default", value_parser = parse_method)]
    pub method: Method,
    /// Number of summary sentences (default 3).
    #[arg(long, short = 'n', conflicts_with_all = ["ratio", "words"])]
    pub sentences: Option<usize>,
    /// Share of the article's sentences, in (0, 1].
    #[arg(long, conflicts_with = "words")]
    pub ratio: Option<f64>,
    /// Most words in the summary (never exceeded).
    #[arg(long)]
    pub words: Option<usize>,
    /// Redundancy control (MMR): 0 = off, up to 0.9 = strongly diverse.
    #[arg(long, default_value_t = 0.0)]
    pub diversity: f64,
    /// Replace the tone lexicon (prefix vader: or afinn: for those formats).
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<String>,
    /// Add a lexicon whose entries override the default (repeatable).
    #[arg(long, value_name = "FILE")]
    pub extra_lexicon: Vec<String>,
    /// Format of --lexicon/--extra-lexicon files without a prefix.
    #[arg(long, value_enum, default_value_t = LexiconFormatArg::Precis)]
    pub lexicon_format: LexiconFormatArg,
    /// Extra abbreviations for the sentence splitter (one per line).
    #[arg(long, value_name = "FILE")]
    pub abbreviations: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LexiconFormatArg {
    Precis,
    Vader,
    Afinn,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum OneFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum BatchFormat {
    Jsonl,
    Json,
    Csv,
    Text,
}

#[derive(Debug, Args)]
pub struct SummarizeArgs {
    /// The article, or - for standard input.
    pub file: PathBuf,
    #[command(flatten)]
    pub engine: EngineArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OneFormat::Text)]
    pub format: OneFormat,
    /// IDF source: `local` (the article's sentences) or a saved model file.
    #[arg(long, default_value = "local")]
    pub idf: String,
    /// List every sentence with its score and rank.
    #[arg(long)]
    pub all_sentences: bool,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Files, folders, .jsonl files, or - for JSONL on standard input.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub engine: EngineArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = BatchFormat::Jsonl)]
    pub format: BatchFormat,
    /// Write to FILE (atomically: FILE.partial, renamed when complete; a device or named pipe is written directly).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With -o: keep the records already in FILE (or FILE.partial) and add only the missing ones.
    #[arg(long, requires = "output")]
    pub resume: bool,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// File name patterns picked up in folders, like '*.txt' (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub glob: Vec<String>,
    /// JSONL field with the id.
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// JSONL field with the text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// IDF source: `corpus` (a first pass over the input), `local`, or a saved model file.
    #[arg(long, default_value = "corpus")]
    pub idf: String,
    /// Articles larger than this many bytes get an error record.
    #[arg(long, default_value_t = precis::batch::DEFAULT_MAX_BYTES)]
    pub max_bytes: u64,
    /// With corpus IDF: keep this many bytes of input analysed in memory
    /// until the IDF is known; the rest waits in a temporary file (in
    /// TMPDIR, about twice its size).
    #[arg(long, default_value_t = precis::batch::RETAIN_BYTES, value_name = "BYTES")]
    pub retain_bytes: u64,
    /// With corpus IDF: read and analyse the input beyond --retain-bytes
    /// again instead of writing its analyses to a temporary file.
    #[arg(long, conflicts_with = "max_spill_bytes")]
    pub no_spill: bool,
    /// With corpus IDF: let the temporary file grow to at most this many
    /// bytes (default: no limit); input past what it holds is read and
    /// analysed again, as with --no-spill.
    #[arg(long, value_name = "BYTES")]
    pub max_spill_bytes: Option<u64>,
    /// Include every sentence's scores in each record.
    #[arg(long)]
    pub all_sentences: bool,
    /// Hide the progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Print to standard error how long each phase of the run took: the
    /// lexicon and the listing, the first pass, counting document
    /// frequencies, the second pass.
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Args)]
pub struct SplitArgs {
    /// The article, or - for standard input.
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OneFormat::Text)]
    pub format: OneFormat,
    /// Extra abbreviations (one per line).
    #[arg(long, value_name = "FILE")]
    pub abbreviations: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ToneArgs {
    /// The article, or - for standard input.
    pub file: PathBuf,
    #[command(flatten)]
    pub engine: EngineArgs,
    /// Show every hit with its span, entry, base weight and the rules that changed it.
    #[arg(long)]
    pub explain: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OneFormat::Text)]
    pub format: OneFormat,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Folder or files to process (default: samples/).
    pub paths: Vec<PathBuf>,
    /// Thread counts to measure, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1")]
    pub threads: Vec<usize>,
    /// Runs per thread count (the median is reported).
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// Summary method: default, tfidf, textrank, lexrank, centroid, lead.
    #[arg(long, default_value = "default", value_parser = parse_method)]
    pub method: Method,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OneFormat::Text)]
    pub format: OneFormat,
    /// Measure only the word-walk floor (to set a whole `precis score`
    /// process beside it, run for run, as scripts/peers/run.sh does).
    #[arg(long)]
    pub floor_only: bool,
}

#[derive(Debug, Subcommand)]
pub enum IdfCommand {
    /// Count document frequencies over articles (files, folders, JSONL).
    #[command(
        after_help = "Example:\n  precis idf build corpus/ -o news.idf\n  precis score new/ --idf news.idf"
    )]
    Build {
        /// Inputs, as for `precis score`.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The model file to write.
        #[arg(short, long)]
        output: PathBuf,
        /// JSONL field with the text.
        #[arg(long, default_value = "text")]
        text_field: String,
    },
    /// Merge models built over disjoint corpora.
    #[command(after_help = "Example:\n  precis idf merge a.idf b.idf -o both.idf")]
    Merge {
        /// Models to merge.
        #[arg(required = true, num_args = 2..)]
        models: Vec<PathBuf>,
        /// The model file to write.
        #[arg(short, long)]
        output: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// ROUGE-1/2/L/Lsum (rouge-score compatible) of summaries against references.
    #[command(
        after_help = "Examples:\n  precis eval rouge --refs ../shared/data/bbc-news-summary/summaries_spaced \\\n      --articles ../shared/data/bbc-news-summary/articles --method all\n  precis eval rouge --refs refs/ --system out.jsonl"
    )]
    Rouge(RougeArgs),
    /// Pearson, Spearman and three-class accuracy of tone against human ratings.
    #[command(
        after_help = "Example:\n  precis eval tone --ratings ../shared/data/human-sentiment/nyt_editorial_snippets.tsv"
    )]
    Tone(EvalToneArgs),
    /// Sentence boundaries: Golden Rules and alignment with BBC reference spans.
    #[command(after_help = "Example:\n  precis eval split --data ../shared/data")]
    Split(EvalSplitArgs),
}

#[derive(Debug, Args)]
pub struct RougeArgs {
    /// Folder of reference summaries (<id>.txt).
    #[arg(long)]
    pub refs: PathBuf,
    /// System summaries: a JSONL file of precis records or a folder of <id>.txt.
    #[arg(long, conflicts_with = "articles")]
    pub system: Option<PathBuf>,
    /// Summarize these articles (<id>.txt) and score the result.
    #[arg(long)]
    pub articles: Option<PathBuf>,
    /// Methods to evaluate with --articles (comma-separated, or `all`).
    #[arg(long, default_value = "default", value_delimiter = ',')]
    pub method: Vec<String>,
    /// Budget per article: `reference` (as many sentences as the reference has, from --budget-tsv
    /// or by counting), or a number of sentences.
    #[arg(long, default_value = "reference")]
    pub budget: String,
    /// TSV with columns id and n_summary_segments giving each article's sentence budget.
    #[arg(long)]
    pub budget_tsv: Option<PathBuf>,
    /// IDF source for --articles: corpus, local, or a model file.
    #[arg(long, default_value = "corpus")]
    pub idf: String,
    /// MMR diversity for --articles.
    #[arg(long, default_value_t = 0.0)]
    pub diversity: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OneFormat::Text)]
    pub format: OneFormat,
}

#[derive(Debug, Args)]
pub struct EvalToneArgs {
    /// TSV of human ratings with a header line.
    #[arg(long)]
    pub ratings: PathBuf,
    /// Column with the id.
    #[arg(long, default_value = "id")]
    pub id_col: String,
    /// Column with the rating.
    #[arg(long, default_value = "rating")]
    pub rating_col: String,
    /// Column with the text.
    #[arg(long, default_value = "text")]
    pub text_col: String,
    /// Largest absolute rating of the scale (4 for -4..4).
    #[arg(long, default_value_t = 4.0)]
    pub scale: f64,
    /// Ratings with |rating| below this share of the scale count as neutral.
    #[arg(long, default_value_t = 0.125)]
    pub neutral_band: f64,
    #[command(flatten)]
    pub engine: EngineArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OneFormat::Text)]
    pub format: OneFormat,
}

#[derive(Debug, Args)]
pub struct EvalSplitArgs {
    /// The shared data folder (with golden-rules/ and bbc-news-summary/).
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OneFormat::Text)]
    pub format: OneFormat,
}
