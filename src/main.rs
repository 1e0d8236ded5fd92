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
static ALLOCATOR: Allocator = Allocator;

/// mimalloc, called the way C's `malloc` is whenever the alignment asked
/// for is one `malloc` guarantees anyway.
///
/// The `mimalloc` crate passes every request to `mi_malloc_aligned`, and
/// mimalloc 3 serves an aligned request above 1 KiB whose size class is
/// not a power of two by over-allocating `size + align - 1` bytes and
/// marking the page as holding interior pointers, which every later free
/// from that page pays for. Vectors of 8-byte items are such requests: on
/// BBC 18,159 of them took that path (8.6 M instructions in the allocator
/// alone, and bigger blocks).
struct Allocator;

/// The alignment every `mi_malloc` block of at least this size has
/// (`MI_MAX_ALIGN_SIZE`, C's `max_align_t`).
const MALLOC_ALIGN: usize = 16;

/// Whether `mi_malloc(size)` is aligned enough for `layout`.
#[inline]
fn malloc_aligns(align: usize, size: usize) -> bool {
    align <= MALLOC_ALIGN && align <= size
}

// SAFETY: each method forwards to the mimalloc function that meets the
// `GlobalAlloc` contract for its layout: the plain functions only when
// their blocks are aligned enough (`malloc_aligns`), the aligned ones
// otherwise. Every block is freed with `mi_free`, which takes both kinds.
unsafe impl std::alloc::GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys as mi;
        if malloc_aligns(layout.align(), layout.size()) {
            mi::mi_malloc(layout.size()).cast()
        } else {
            mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys as mi;
        if malloc_aligns(layout.align(), layout.size()) {
            mi::mi_zalloc(layout.size()).cast()
        } else {
            mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        libmimalloc_sys::mi_free(ptr.cast());
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        use libmimalloc_sys as mi;
        if malloc_aligns(layout.align(), new_size) {
            mi::mi_realloc(ptr.cast(), new_size).cast()
        } else {
            mi::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
        }
    }
}

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
