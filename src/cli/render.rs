//! Renderers: human text, CSV. (JSON and JSONL are serde's.)

use std::io::{self, Write};

use precis::report::Record;
use precis::tone::{Evidence, RuleKind};
use precis::Analysis;

/// How many evidence terms the one-line summaries show.
const TOP_EVIDENCE: usize = 5;

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The strongest hits, by absolute final weight, ties by position.
fn strongest(evidence: &[Evidence], k: usize) -> Vec<&Evidence> {
    let mut v: Vec<&Evidence> = evidence.iter().collect();
    v.sort_by(|a, b| {
        b.weight
            .abs()
            .total_cmp(&a.weight.abs())
            .then(a.start.cmp(&b.start))
    });
    v.truncate(k);
    v
}

fn evidence_line(evidence: &[Evidence]) -> String {
    strongest(evidence, TOP_EVIDENCE)
        .iter()
        .map(|e| {
            let mark = if e.negated { " (negated)" } else { "" };
            format!("{} {:+.2}{mark}", e.term, e.weight)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn summary_text(out: &mut impl Write, r: &Record) -> io::Result<()> {
    let Some(a) = &r.article else {
        return writeln!(out, "{}: error: {}", r.id, r.error.as_deref().unwrap_or(""));
    };
    if let Some(t) = &r.title {
        writeln!(out, "{t}\n")?;
    }
    for s in &a.summary {
        writeln!(out, "[{}] {}", s.index, one_line(&s.text))?;
    }
    if let Some(all) = &a.all_sentences {
        writeln!(out, "\n   #  rank   score   tone  sentence")?;
        for row in all {
            let mark = if row.picked { '*' } else { ' ' };
            writeln!(
                out,
                "{:>4}{mark} {:>4}  {:.3}  {:+.3}  {}",
                row.index,
                row.rank,
                row.score,
                row.tone,
                one_line(&row.text)
            )?;
        }
    }
    writeln!(out)?;
    let t = &a.tone;
    writeln!(
        out,
        "tone {:+.3} {}  (warm {:.2}, impasse {:.2}; {} hits in {} sentences)",
        t.score,
        t.label.as_str(),
        t.warm,
        t.impasse,
        t.evidence.len(),
        a.sentences
    )?;
    if !t.evidence.is_empty() {
        writeln!(out, "evidence: {}", evidence_line(&t.evidence))?;
    }
    Ok(())
}

pub fn record_text(out: &mut dyn Write, r: &Record) -> io::Result<()> {
    writeln!(out, "== {}", r.id)?;
    match &r.article {
        None => writeln!(out, "error: {}", r.error.as_deref().unwrap_or(""))?,
        Some(a) => {
            for s in &a.summary {
                writeln!(out, "[{}] {}", s.index, one_line(&s.text))?;
            }
            writeln!(
                out,
                "tone {:+.3} {}; evidence: {}",
                a.tone.score,
                a.tone.label.as_str(),
                evidence_line(&a.tone.evidence)
            )?;
        }
    }
    writeln!(out)
}

fn rule_name(r: RuleKind) -> &'static str {
    match r {
        RuleKind::Negation => "negated by",
        RuleKind::Intensifier => "scaled by",
        RuleKind::BeforeContrast => "before contrast",
        RuleKind::AfterContrast => "after contrast",
        RuleKind::Concession => "conceded by",
        RuleKind::Hedge => "hedged by",
    }
}

pub fn tone_table(out: &mut impl Write, text: &str, a: &Analysis, explain: bool) -> io::Result<()> {
    writeln!(
        out,
        "tone {:+.3} {}  (warm {:.2}, impasse {:.2}; {} hits)\n",
        a.tone.score,
        a.tone.label.as_str(),
        a.tone.warm,
        a.tone.impasse,
        a.tone.evidence.len()
    )?;
    writeln!(out, "   #   score  sentence")?;
    for (i, s) in a.sentences.iter().enumerate() {
        let hits: Vec<&Evidence> = a.tone.evidence.iter().filter(|e| e.sentence == i).collect();
        let mut sentence = one_line(s.slice(text));
        if sentence.chars().count() > 100 && !explain {
            sentence = sentence.chars().take(97).collect::<String>() + "...";
        }
        let note = if a.boilerplate[i] {
            "  (boilerplate)"
        } else if a.title == Some(i) {
            "  (title)"
        } else {
            ""
        };
        writeln!(
            out,
            "{i:>4}  {:+.3}  {sentence}{note}",
            a.tone.sentences[i].score
        )?;
        if hits.is_empty() {
            continue;
        }
        if !explain {
            writeln!(
                out,
                "              {}",
                evidence_line(&hits.iter().map(|e| (*e).clone()).collect::<Vec<_>>())
            )?;
            continue;
        }
        for e in hits {
            writeln!(
                out,
                "              {:?} @{}..{} = entry {:?} ({}) base {:+.2} -> {:+.2}",
                &text[e.start..e.end],
                e.start,
                e.end,
                e.term,
                e.category.as_deref().unwrap_or("-"),
                e.base,
                e.weight
            )?;
            for r in &e.rules {
                writeln!(
                    out,
                    "                  x{:.2} {} {:?} @{}..{}",
                    r.factor,
                    rule_name(r.rule),
                    &text[r.start..r.end],
                    r.start,
                    r.end
                )?;
            }
        }
    }
    Ok(())
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn csv_header(out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "id,path,title,bytes,sentences,words,tone,label,warm,impasse,evidence,summary,error"
    )
}

pub fn csv_row(out: &mut dyn Write, r: &Record) -> io::Result<()> {
    let mut f: Vec<String> = vec![
        csv_field(&r.id),
        csv_field(r.path.as_deref().unwrap_or("")),
        csv_field(r.title.as_deref().unwrap_or("")),
        r.bytes.to_string(),
    ];
    match &r.article {
        Some(a) => {
            f.push(a.sentences.to_string());
            f.push(a.words.to_string());
            f.push(format!("{}", a.tone.score));
            f.push(a.tone.label.as_str().to_string());
            f.push(format!("{}", a.tone.warm));
            f.push(format!("{}", a.tone.impasse));
            f.push(csv_field(&evidence_line(&a.tone.evidence)));
            let summary: Vec<String> = a.summary.iter().map(|s| one_line(&s.text)).collect();
            f.push(csv_field(&summary.join(" ")));
            f.push(String::new());
        }
        None => {
            f.extend(std::iter::repeat_n(String::new(), 8));
            f.push(csv_field(r.error.as_deref().unwrap_or("")));
        }
    }
    writeln!(out, "{}", f.join(","))
}
