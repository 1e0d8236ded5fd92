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

/// `mi_option_purge_delay` in mimalloc 3's `mimalloc.h` (libmimalloc-sys
/// names the options around it, 14 and 16, but not this one).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A run frees and reuses memory article after article: giving freed pages
/// back to the kernel only to fault them in again cost ~350 `madvise` calls
/// and page faults per BBC run, and a last purge at exit. Peak memory, what
/// `/usr/bin/time` reports, is the same either way.
fn keep_freed_memory() {
    // SAFETY: sets one allocator option; reads and writes no memory of ours.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

fn main() -> ExitCode {
    keep_freed_memory();
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
