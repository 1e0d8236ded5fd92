//! The English Golden Rules of sentence boundary detection (pySBD's packaging
//! of the pragmatic_segmenter list), read from `../shared/data/golden-rules/`.

use std::path::Path;

use precis::segment::Segmenter;
use serde::Deserialize;

const RULES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/golden-rules/rules.json"
);

/// The number of the 48 cases this splitter passes; raise it when a fix lands.
const EXPECTED_PASSES: usize = 48;

#[derive(Deserialize)]
struct Case {
    text: String,
    expected: Vec<String>,
}

#[test]
fn golden_rules() {
    let path = Path::new(RULES);
    let Ok(json) = std::fs::read_to_string(path) else {
        eprintln!(
            "skipping golden_rules: {} not found (the shared data folder is absent)",
            path.display()
        );
        return;
    };
    let cases: Vec<Case> =
        serde_json::from_str(&json).expect("rules.json is a list of {text, expected}");
    assert_eq!(
        cases.len(),
        48,
        "rules.json should hold the 48 English golden rules"
    );

    let segmenter = Segmenter::new();
    let mut passed = 0;
    for (number, case) in cases.iter().enumerate() {
        let got: Vec<&str> = segmenter
            .split(&case.text)
            .iter()
            .map(|s| s.slice(&case.text).trim())
            .collect();
        if got == case.expected {
            passed += 1;
        } else {
            eprintln!(
                "golden rule {number} failed\n  text:     {:?}\n  expected: {:?}\n  got:      {:?}",
                case.text, case.expected, got
            );
        }
    }
    eprintln!("golden rules: {passed}/{} passed", cases.len());
    assert_eq!(
        passed, EXPECTED_PASSES,
        "golden rule passes changed; see the failures above"
    );
}
