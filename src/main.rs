//! The `precis` binary: arguments in, engine called, results rendered.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of glibc's allocator. Articles are prepared on one
/// thread and summarized, rendered and freed on whichever thread picks them
/// up next; glibc frees such memory under the lock of the arena it came
/// from, and on two threads those locks made ~1,000 futex waits a run over
/// the BBC folder. mimalloc frees across threads without a lock. `no_thp`
/// keeps it from backing its arenas with transparent huge pages, which
/// doubled peak memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
