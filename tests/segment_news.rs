//! One row per news-text behaviour of the sentence splitter: the input and the
//! exact sentences it must produce.

use precis::segment::{Segmenter, Span};

/// `(name, input, expected sentences)`.
type Row = (&'static str, &'static str, &'static [&'static str]);

const ROWS: &[Row] = &[
    // Plain stops.
    ("two sentences", "The summit opened today. Leaders arrived by train.", &["The summit opened today.", "Leaders arrived by train."]),
    ("question", "Will the talks resume? Officials would not say.", &["Will the talks resume?", "Officials would not say."]),
    ("exclamation", "The deal is done! Markets rallied at once.", &["The deal is done!", "Markets rallied at once."]),
    ("interrobang run", "Sanctions again?! Traders were stunned.", &["Sanctions again?!", "Traders were stunned."]),
    ("no final stop", "The envoy left Geneva on Monday", &["The envoy left Geneva on Monday"]),
    ("surrounding whitespace", "  \n The talks ended.  Both sides left. \n\n", &["The talks ended.", "Both sides left."]),
    // Quotes and attributions.
    ("attribution after comma quote", "\"It was warm,\" she said. The talks went on.", &["\"It was warm,\" she said.", "The talks went on."]),
    ("curly quote attribution", "The letter showed “excellent content”, state media said. It was not published.", &["The letter showed “excellent content”, state media said.", "It was not published."]),
    ("letter quote then said", "He read the \"long and beautiful letter,\" she said.", &["He read the \"long and beautiful letter,\" she said."]),
    ("stop inside quote then lowercase", "\"We are ready.\" he told reporters.", &["\"We are ready.\" he told reporters."]),
    ("stop inside quote then capital", "\"We are ready.\" The minister smiled.", &["\"We are ready.\"", "The minister smiled."]),
    ("question inside quote", "\"Why now?\" she asked. Nobody answered.", &["\"Why now?\" she asked.", "Nobody answered."]),
    ("exclamation inside quote", "\"Never again!\" the crowd chanted. Police watched.", &["\"Never again!\" the crowd chanted.", "Police watched."]),
    ("curly quotes closing", "“The door is open.” The envoy nodded.", &["“The door is open.”", "The envoy nodded."]),
    ("single quotes", "He said: 'We will talk.' Then he left.", &["He said: 'We will talk.'", "Then he left."]),
    ("quote opens next sentence", "The minister spoke first. \"We want peace,\" he said.", &["The minister spoke first.", "\"We want peace,\" he said."]),
    ("two quoted sentences", "She said: \"We tried. We failed.\" Then she left.", &["She said: \"We tried.", "We failed.\"", "Then she left."]),
    ("detached closing quote", "\"The border stays shut. \" Officials said more later.", &["\"The border stays shut. \"", "Officials said more later."]),
    ("guillemets", "«Nous sommes prêts.» The French envoy agreed.", &["«Nous sommes prêts.»", "The French envoy agreed."]),
    // Datelines, headlines, bylines, boilerplate lines.
    ("dateline", "SEOUL (Reuters) - North Korea fired a missile on Sunday, officials said.", &["SEOUL (Reuters) - North Korea fired a missile on Sunday, officials said."]),
    ("dateline with abbreviation", "WASHINGTON, Jan. 5 (Reuters) - The U.S. imposed new sanctions. Markets fell.", &["WASHINGTON, Jan. 5 (Reuters) - The U.S. imposed new sanctions.", "Markets fell."]),
    ("headline then body", "Kim and Moon agree to talks\nSEOUL - The two leaders met on Friday.", &["Kim and Moon agree to talks", "SEOUL - The two leaders met on Friday."]),
    ("headline blank line body", "Talks collapse in Geneva\n\nThe delegations walked out.", &["Talks collapse in Geneva", "The delegations walked out."]),
    ("byline", "Sanctions bite\nBy Jane Smith, Diplomatic Correspondent\nThe measures took effect today.", &["Sanctions bite", "By Jane Smith, Diplomatic Correspondent", "The measures took effect today."]),
    ("also read line", "The summit ends on Sunday.\nAlso read: Five things to know about the summit\nLeaders will sign a joint statement.", &["The summit ends on Sunday.", "Also read: Five things to know about the summit", "Leaders will sign a joint statement."]),
    ("comment form boilerplate", "Leave a reply\nPlease enter your comment!\nPlease enter your name here\nYou have entered an incorrect email address!", &["Leave a reply", "Please enter your comment!", "Please enter your name here", "You have entered an incorrect email address!"]),
    ("hard-wrapped line continues", "The ministers agreed to meet again\nnext month in Vienna.", &["The ministers agreed to meet again\nnext month in Vienna."]),
    ("line ending with comma continues", "The ministers, who met in Vienna,\nSaid little afterwards.", &["The ministers, who met in Vienna,\nSaid little afterwards."]),
    ("line ending with linking word continues", "The leaders met with\nPresident Moon on Friday.", &["The leaders met with\nPresident Moon on Friday."]),
    ("hard-wrapped hyphen continues", "The U.S.-\nJapan alliance held.", &["The U.S.-\nJapan alliance held."]),
    ("dateline dash at line end", "SEOUL (Reuters) -\nNorth Korea fired a missile.", &["SEOUL (Reuters) -\nNorth Korea fired a missile."]),
    ("rule of dashes", "Sanctions tighten\n---\nThe measures start today.", &["Sanctions tighten", "---", "The measures start today."]),
    ("line starting with digit", "Key dates\n2018 Singapore summit held", &["Key dates", "2018 Singapore summit held"]),
    // Abbreviations.
    ("U.S. mid sentence", "The U.S. Treasury froze the assets.", &["The U.S. Treasury froze the assets."]),
    ("U.S. at the end", "The envoy flew to the U.S. He landed at dawn.", &["The envoy flew to the U.S.", "He landed at dawn."]),
    ("U.S. then lowercase", "Troops have been in the U.S. for years.", &["Troops have been in the U.S. for years."]),
    ("U.N.", "The U.N. Security Council met. It passed a resolution.", &["The U.N. Security Council met.", "It passed a resolution."]),
    ("U.N. at end", "The motion went to the U.N. The vote is on Friday.", &["The motion went to the U.N.", "The vote is on Friday."]),
    ("N. Korea", "Talks with N. Korea resumed. S. Korea welcomed them.", &["Talks with N. Korea resumed.", "S. Korea welcomed them."]),
    ("Gen.", "Gen. Kim Yong-chol arrived in New York.", &["Gen. Kim Yong-chol arrived in New York."]),
    ("Sen. and Rep.", "Sen. Warren and Rep. Smith wrote to the State Department.", &["Sen. Warren and Rep. Smith wrote to the State Department."]),
    ("Gov.", "Gov. Newsom signed the bill. It takes effect in July.", &["Gov. Newsom signed the bill.", "It takes effect in July."]),
    ("Mr. and Dr.", "Mr. Putin met Dr. Tedros in Moscow.", &["Mr. Putin met Dr. Tedros in Moscow."]),
    ("Mrs. and Ms.", "Mrs. Merkel and Ms. Ardern spoke by phone.", &["Mrs. Merkel and Ms. Ardern spoke by phone."]),
    ("Mt. and St.", "Climbers left Mt. Everest for St. Petersburg.", &["Climbers left Mt. Everest for St. Petersburg."]),
    ("Jr. then lowercase", "Martin Luther King Jr. was quoted.", &["Martin Luther King Jr. was quoted."]),
    ("Jr. at the end", "The speech quoted Martin Luther King Jr. The crowd cheered.", &["The speech quoted Martin Luther King Jr.", "The crowd cheered."]),
    ("No. 1", "China is the No. 1 trading partner.", &["China is the No. 1 trading partner."]),
    ("No. as a word", "The answer was No. The vote failed.", &["The answer was No.", "The vote failed."]),
    ("vs.", "The case of Smith vs. Jones was heard.", &["The case of Smith vs. Jones was heard."]),
    ("e.g.", "Some allies, e.g. Japan, objected.", &["Some allies, e.g. Japan, objected."]),
    ("i.e.", "The core issue, i.e. Sanctions Relief, stayed open.", &["The core issue, i.e. Sanctions Relief, stayed open."]),
    ("et al.", "The study by Lee et al. found a link.", &["The study by Lee et al. found a link."]),
    ("etc. at end", "They discussed trade, tariffs, etc. The list was long.", &["They discussed trade, tariffs, etc.", "The list was long."]),
    ("Inc.", "Acme Inc. agreed to pay the fine.", &["Acme Inc. agreed to pay the fine."]),
    ("Inc. at end", "The fine was paid by Acme Inc. It did not admit fault.", &["The fine was paid by Acme Inc.", "It did not admit fault."]),
    ("Ltd. and Co.", "Rolls Co. and Smith Ltd. signed the contract.", &["Rolls Co. and Smith Ltd. signed the contract."]),
    ("Co. at end", "The deal went to Pitt, Briggs & Co. It closed today.", &["The deal went to Pitt, Briggs & Co.", "It closed today."]),
    ("a.m. then lowercase", "The vote starts at 9 a.m. on Tuesday.", &["The vote starts at 9 a.m. on Tuesday."]),
    ("p.m. at end", "The talks ended at 6 p.m. The leaders then dined.", &["The talks ended at 6 p.m.", "The leaders then dined."]),
    ("a.m. before a name", "At 5 a.m. Mr. Lee left the embassy.", &["At 5 a.m. Mr. Lee left the embassy."]),
    ("months", "The deal was signed on Jan. 12 and ratified on Feb. 3.", &["The deal was signed on Jan. 12 and ratified on Feb. 3."]),
    ("Sept. and Oct.", "Talks ran from Sept. 9 to Oct. 2. No deal was reached.", &["Talks ran from Sept. 9 to Oct. 2.", "No deal was reached."]),
    ("state abbreviation", "He was born in Springfield, Ill. He moved to Washington.", &["He was born in Springfield, Ill.", "He moved to Washington."]),
    ("title before newline", "The delegation was led by Gen.\nSmith of the army.", &["The delegation was led by Gen.\nSmith of the army."]),
    ("abbreviation before line break", "Sanctions hit the U.S.\nMarkets fell sharply.", &["Sanctions hit the U.S.", "Markets fell sharply."]),
    ("FT is not Ft.", "Sources told the FT. But the bank denied it.", &["Sources told the FT.", "But the bank denied it."]),
    // Initials and names.
    ("middle initial", "John F. Kennedy met Khrushchev in Vienna.", &["John F. Kennedy met Khrushchev in Vienna."]),
    ("initial then opener", "The plan was called Plan B. The allies rejected it.", &["The plan was called Plan B.", "The allies rejected it."]),
    ("pronoun I at the end", "The minister said you and I. Did he mean it?", &["The minister said you and I.", "Did he mean it?"]),
    ("hyphenated Korean name", "Kim Jong-un. That name was on every front page.", &["Kim Jong-un.", "That name was on every front page."]),
    ("several initials", "The report by J. R. Hartley was leaked.", &["The report by J. R. Hartley was leaked."]),
    // Numbers.
    ("money", "Aid of $1.2bn was pledged. More may follow.", &["Aid of $1.2bn was pledged.", "More may follow."]),
    ("percentage", "Growth slowed to 3.5%. Exports fell.", &["Growth slowed to 3.5%.", "Exports fell."]),
    ("clock time", "The session opened at 10.30am. Delegates were late.", &["The session opened at 10.30am.", "Delegates were late."]),
    ("thousands and decimals", "Imports reached 1,000.5 tonnes in May.", &["Imports reached 1,000.5 tonnes in May."]),
    ("version number", "The treaty text v2.1 was circulated. It was final.", &["The treaty text v2.1 was circulated.", "It was final."]),
    ("number ends sentence", "The vote was 15 to 0. Russia abstained.", &["The vote was 15 to 0.", "Russia abstained."]),
    ("pounds", "The fine is £1,400. It was paid.", &["The fine is £1,400.", "It was paid."]),
    ("sentence starts with number", "Exports fell in 2019. 2020 was worse.", &["Exports fell in 2019.", "2020 was worse."]),
    // Ellipses and dashes.
    ("ellipsis before capital", "The talks stalled... Then a breakthrough came.", &["The talks stalled...", "Then a breakthrough came."]),
    ("ellipsis before lowercase", "The talks stalled... and then resumed.", &["The talks stalled... and then resumed."]),
    ("unicode ellipsis", "Nobody knows… The envoy shrugged.", &["Nobody knows…", "The envoy shrugged."]),
    ("spaced ellipsis omission", "The treaty says . . . Both parties shall comply.", &["The treaty says . . . Both parties shall comply."]),
    ("em dash", "The offer—rejected at once—was repeated. Nobody moved.", &["The offer—rejected at once—was repeated.", "Nobody moved."]),
    ("en dash range", "Talks run 3–5 May. Ministers will attend.", &["Talks run 3–5 May.", "Ministers will attend."]),
    // Lists.
    ("bullets on lines", "Key points:\n• Sanctions stay\n• Talks resume in May", &["Key points:", "• Sanctions stay", "• Talks resume in May"]),
    ("inline bullets", "Summary • Talks resume • Sanctions stay", &["Summary", "• Talks resume", "• Sanctions stay"]),
    ("numbered lines", "Demands:\n1. End the blockade.\n2. Free the prisoners.", &["Demands:", "1. End the blockade.", "2. Free the prisoners."]),
    ("inline numbered list", "1) Lift sanctions 2) Resume talks 3) Sign a treaty", &["1) Lift sanctions", "2) Resume talks", "3) Sign a treaty"]),
    ("inline numbered with stops", "1. Lift sanctions. 2. Resume talks.", &["1. Lift sanctions.", "2. Resume talks."]),
    ("letter list", "a. The envoy b. The minister", &["a. The envoy", "b. The minister"]),
    ("dash bullets", "Agenda\n- Trade\n- Security", &["Agenda", "- Trade", "- Security"]),
    ("numbers in prose are not a list", "He named three goals: 1) peace 2) trade.", &["He named three goals: 1) peace 2) trade."]),
    // Line endings.
    ("CRLF", "The talks ended.\r\nBoth sides left.\r\n", &["The talks ended.", "Both sides left."]),
    ("CRLF headline", "Summit ends\r\nLeaders left Hanoi.", &["Summit ends", "Leaders left Hanoi."]),
    ("multiple blank lines", "First paragraph\n\n\n\nSecond paragraph", &["First paragraph", "Second paragraph"]),
    ("blank line after abbreviation", "He flew to the U.S.\n\nTalks began.", &["He flew to the U.S.", "Talks began."]),
    ("blank line with spaces", "Headline one\n   \t\nBody starts here.", &["Headline one", "Body starts here."]),
    // URLs and e-mail.
    ("url", "Read it at https://www.example.org/news/talks.html. It is free.", &["Read it at https://www.example.org/news/talks.html.", "It is free."]),
    ("email", "Write to press.office@example.gov.uk. Replies take a week.", &["Write to press.office@example.gov.uk.", "Replies take a week."]),
    ("email with capitals", "Contact Jane.Doe@example.com for details.", &["Contact Jane.Doe@example.com for details."]),
    ("dotted host", "The site example.50.com went down.", &["The site example.50.com went down."]),
    // Parentheses and brackets.
    ("stop inside parentheses", "He spoke (he had arrived late.) to the press.", &["He spoke (he had arrived late.) to the press."]),
    ("parenthesis after stop", "The vote passed (by 12 votes.) The session closed.", &["The vote passed (by 12 votes.)", "The session closed."]),
    ("bracketed omission", "\"The parties [...] agree to talk,\" it said.", &["\"The parties [...] agree to talk,\" it said."]),
    ("acronym in parentheses", "The International Atomic Energy Agency (IAEA) visited. Inspectors stayed.", &["The International Atomic Energy Agency (IAEA) visited.", "Inspectors stayed."]),
    // Glued text.
    ("glued sentences", "She stayed in Seoul at that time.She said talks would go on.", &["She stayed in Seoul at that time.", "She said talks would go on."]),
    ("glued opening quote", "It was on the red carpet.\"It's unlike anything,\" he said.", &["It was on the red carpet.", "\"It's unlike anything,\" he said."]),
    ("glued closing quote", "He said \"it is over.\"Then he left.", &["He said \"it is over.\"", "Then he left."]),
    ("U.S.A is not glued text", "The U.S.A. last year signed it.", &["The U.S.A. last year signed it."]),
    ("dotted name is not glued text", "Fans of Halo.Bungie.Org cheered.", &["Fans of Halo.Bungie.Org cheered."]),
    // Other scripts.
    ("chinese", "双方同意恢复谈判。会谈将于下周举行。", &["双方同意恢复谈判。", "会谈将于下周举行。"]),
    ("japanese quote", "「交渉は続く。」と外相は述べた。", &["「交渉は続く。」", "と外相は述べた。"]),
    ("fullwidth question", "制裁は続くのか？誰も答えなかった。", &["制裁は続くのか？", "誰も答えなかった。"]),
    ("cyrillic", "Переговоры начались в понедельник. Стороны обменялись мнениями.", &["Переговоры начались в понедельник.", "Стороны обменялись мнениями."]),
    ("cyrillic lowercase after stop", "Встреча прошла в г. москва вчера.", &["Встреча прошла в г. москва вчера."]),
    ("hindi danda", "वार्ता शुरू हुई। नेता मिले।", &["वार्ता शुरू हुई।", "नेता मिले।"]),
    ("arabic question mark", "هل ستستمر المحادثات؟ لم يجب أحد.", &["هل ستستمر المحادثات؟", "لم يجب أحد."]),
    ("mixed scripts", "Putin said «да». The Kremlin confirmed it.", &["Putin said «да».", "The Kremlin confirmed it."]),
];

fn split(text: &str) -> Vec<&str> {
    Segmenter::new()
        .split(text)
        .iter()
        .map(|span| span.slice(text))
        .collect()
}

#[test]
fn news_table() {
    assert!(
        ROWS.len() >= 80,
        "the table should keep at least 80 rows, has {}",
        ROWS.len()
    );
    let mut failures = Vec::new();
    for &(name, input, expected) in ROWS {
        let got = split(input);
        if got != expected {
            failures.push(format!(
                "{name}:\n  input:    {input:?}\n  expected: {expected:?}\n  got:      {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        ROWS.len(),
        failures.join("\n")
    );
}

#[test]
fn row_names_are_unique() {
    let mut names: Vec<&str> = ROWS.iter().map(|row| row.0).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), ROWS.len());
}

#[test]
fn exact_spans() {
    let segmenter = Segmenter::new();
    let span = |start, end| Span { start, end };

    // Leading, trailing and inner whitespace stay outside the spans.
    assert_eq!(
        segmenter.split("  The talks ended.  Both sides left. \n"),
        [span(2, 18), span(20, 36)]
    );
    // CRLF: the "\r" is not part of the first sentence.
    assert_eq!(
        segmenter.split("Summit ends\r\nLeaders left."),
        [span(0, 11), span(13, 26)]
    );
    // Multi-byte text: offsets are bytes ("。" is three).
    assert_eq!(
        segmenter.split("会谈结束。双方离开。"),
        [span(0, 15), span(15, 30)]
    );
    // A closing quote belongs to the sentence it ends.
    assert_eq!(
        segmenter.split("\"We are ready.\" The minister smiled."),
        [span(0, 15), span(16, 36)]
    );
    // An inline list splits before the next marker.
    assert_eq!(
        segmenter.split("1) Lift sanctions 2) Resume talks"),
        [span(0, 17), span(18, 33)]
    );
}

#[test]
fn split_into_appends_to_a_reused_buffer() {
    let segmenter = Segmenter::new();
    let mut spans = vec![Span { start: 7, end: 9 }];
    segmenter.split_into("One. Two.", &mut spans);
    assert_eq!(
        spans,
        [
            Span { start: 7, end: 9 },
            Span { start: 0, end: 4 },
            Span { start: 5, end: 9 }
        ]
    );
}
