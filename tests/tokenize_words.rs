//! The tokenizer's fast paths give exactly the words of
//! `unicode_word_indices`: on arbitrary ASCII, on mixed Unicode, and on every
//! BBC article, whole or a sentence at a time.

use precis::segment::Segmenter;
use precis::tokenize::{Tokenizer, Vocabulary};
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

fn ours(vocab: &Vocabulary, text: &str) -> Vec<(usize, usize)> {
    let mut t = Tokenizer::new(vocab);
    let mut out = Vec::new();
    t.tokenize(text, 0, &mut out);
    out.iter()
        .map(|t| (t.start as usize, t.end as usize))
        .collect()
}

fn theirs(text: &str) -> Vec<(usize, usize)> {
    text.unicode_word_indices()
        .map(|(a, w)| (a, a + w.len()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    // Long enough to cross the 64-byte blocks the ASCII path works in.
    fn ascii_words_match_unicode_segmentation(s in "[a-zA-Z0-9.:,;'_ \\-\\n\\r\\t\"!?()$%]{0,200}") {
        let vocab = Vocabulary::english();
        prop_assert_eq!(ours(&vocab, &s), theirs(&s));
    }

    // Non-ASCII text is cut at spaces before the general path: spaces next
    // to combining marks, joiners, other spaces, apostrophes, digits and
    // letters of other scripts must not change a single boundary.
    #[test]
    fn mixed_text_words_match_unicode_segmentation(
        s in "([a-zA-Z0-9.,'_ \n]|£|’|é|\u{301}|\u{200D}|\u{200B}|\u{A0}|\u{3000}|😀|🇰🇷|한|国|٣|ß|\u{2019}s){0,100}"
    ) {
        let vocab = Vocabulary::english();
        prop_assert_eq!(ours(&vocab, &s), theirs(&s));
    }
}

#[test]
fn spaces_beside_marks_and_joiners_keep_unicode_boundaries() {
    let vocab = Vocabulary::english();
    for s in [
        "a \u{301}b",
        "£5m and €3bn",
        "Kim’s  \u{200D}deal",
        "x \u{200B}y z",
        "3 ٣4 é",
        " \u{301}",
        "🇰🇷 🇰🇷🇰🇷 talks",
    ] {
        assert_eq!(ours(&vocab, s), theirs(s), "{s:?}");
    }
}

#[test]
fn bbc_articles_tokenize_like_unicode_segmentation() {
    let dir = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/bbc-news-summary/articles"
    ));
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("skipping: {} not found", dir.display());
        return;
    };
    let vocab = Vocabulary::english();
    let segmenter = Segmenter::new();
    let mut tokenizer = Tokenizer::new(&vocab);
    let mut articles = 0;
    let mut words = 0;
    let mut sentence_words = 0;
    for e in entries {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        let want = theirs(&text);
        assert_eq!(ours(&vocab, &text), want);
        articles += 1;
        words += want.len();
        // A sentence at a time, as the engine tokenizes: the words of the
        // sentence alone, from the masks of the whole article.
        tokenizer.begin(&text);
        for s in segmenter.split(&text) {
            let mut spans = Vec::new();
            tokenizer.tokenize_span(&text, s.start..s.end, &mut spans);
            let got: Vec<(usize, usize)> = spans
                .iter()
                .map(|t| (t.start as usize, t.end as usize))
                .collect();
            let alone: Vec<(usize, usize)> = theirs(s.slice(&text))
                .into_iter()
                .map(|(a, b)| (s.start + a, s.start + b))
                .collect();
            assert_eq!(got, alone, "{:?}", s.slice(&text));
            sentence_words += got.len();
        }
    }
    assert_eq!(articles, 2225);
    // Seven words of whole articles ("time.She") are cut by a sentence end.
    assert_eq!(words, 861_348);
    assert_eq!(sentence_words, 861_355);
}
