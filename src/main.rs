//! The `precis` binary: arguments in, engine called, results rendered.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::args::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`precis score dir | head -1`) is a quiet success.
            if cli::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            use std::io::Write as _;
            let _ = writeln!(std::io::stderr(), "precis: {err:#}");
            ExitCode::from(2)
        }
    }
}
