//! Regular inflections of lexicon words. Also compiled into `build.rs`, which
//! precomputes the forms of the embedded lexicon, so this file uses `std` only.

/// Regular inflections and base forms of a word: plural and verb endings,
/// -er/-est/-ly, with the spelling changes English makes (-y/-ies,
/// doubled consonants, silent e). Over-generates on purpose; the caller keeps
/// only the forms whose stem is the word's stem.
pub fn inflections(word: &str) -> Vec<String> {
    let mut bases = vec![word.to_string()];
    for (suffix, replacements) in [
        ("ies", &["y"][..]),
        ("ied", &["y"]),
        ("ing", &["", "e"]),
        ("ed", &["", "e"]),
        ("es", &[""]),
        ("s", &[""]),
    ] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if stem.len() >= 3 {
                for r in replacements {
                    bases.push(format!("{stem}{r}"));
                }
            }
        }
    }
    let mut out = Vec::new();
    for b in &bases {
        out.push(b.clone());
        for suffix in ["s", "es", "ed", "d", "ing", "er", "est", "ly"] {
            out.push(format!("{b}{suffix}"));
        }
        if let Some(stem) = b.strip_suffix('e') {
            for suffix in ["ing", "ed", "er", "est"] {
                out.push(format!("{stem}{suffix}"));
            }
        }
        if let Some(stem) = b.strip_suffix('y') {
            for suffix in ["ies", "ied", "ier", "iest", "ily"] {
                out.push(format!("{stem}{suffix}"));
            }
        }
        if let Some(last) = b
            .chars()
            .last()
            .filter(|c| c.is_ascii_alphabetic() && !"aeiouywx".contains(*c))
        {
            for suffix in ["ed", "ing", "er", "est"] {
                out.push(format!("{b}{last}{suffix}"));
            }
        }
    }
    out.sort();
    out.dedup();
    out.retain(|f| f != word);
    out
}
