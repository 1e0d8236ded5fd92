//! A progress bar on stderr when stderr is a terminal; nothing otherwise.

use std::io::IsTerminal;

pub struct Bar {
    bar: Option<indicatif::ProgressBar>,
}

impl Bar {
    pub fn new(units: usize, quiet: bool) -> Bar {
        let show = !quiet && std::io::stderr().is_terminal();
        let bar = show.then(|| {
            let b = indicatif::ProgressBar::new(units as u64);
            b.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} files  {per_sec}  eta {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            b
        });
        Bar { bar }
    }

    /// One record done; `file` is false for JSONL lines (the bar counts files).
    pub fn tick(&self, file: bool) {
        if let (Some(b), true) = (&self.bar, file) {
            b.inc(1);
        }
    }

    pub fn tick_many(&self, files: usize) {
        if let (Some(b), true) = (&self.bar, files > 0) {
            b.inc(files as u64);
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
