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

/// How much of the allocator's arena is backed by transparent huge pages.
const HUGE_PAGED: usize = 32 << 20;

/// A transparent huge page on x86-64 (and the alignment `madvise` needs for
/// the kernel to use them).
const HUGE_PAGE: usize = 2 << 20;

/// Asks the kernel to back the first [`HUGE_PAGED`] bytes of the heap with
/// 2 MiB pages (`madvise(MADV_HUGEPAGE)`, which the kernel honours when
/// `/sys/kernel/mm/transparent_hugepage/enabled` is `always` or `madvise`).
///
/// A BBC run keeps about 30 MiB: the articles, what the first pass keeps of
/// each for the second, the word table. With 4 KiB pages that was ~6,100
/// page faults, a tenth of a one-thread run; with the first 32 MiB in huge
/// pages it is ~2,000, and the run 8–10% faster (`docs/BENCHMARKS.md`).
/// The whole arena in huge pages (mimalloc's own option) faulted even less
/// but doubled peak memory, to 70 MiB with two threads: a huge page is
/// resident as soon as one byte of it is touched, and mimalloc spreads
/// pages of different sizes over the arena. Past the first 32 MiB, pages
/// stay small, so memory stays flat on long streams.
///
/// Only commands that read many articles ask for it (see `main`), first
/// thing, before parsing the arguments fills the heap's first pages.
/// mimalloc hands out its arena's small pages from the bottom up, so the
/// range starts at the 2 MiB page that holds a block allocated now (its
/// first small page), and ends within the mapping that holds that block
/// (read from `/proc/self/maps`). The kernel makes a huge page only where a
/// fault finds none of its 2 MiB mapped; the first one already has the
/// probe's page (and whatever the runtime allocated before `main`), so it
/// is collapsed into a huge page at once (`MADV_COLLAPSE`, Linux 6.1).
/// Starting at the next boundary instead left that page and the next, both
/// filled during the run, to ~650 small faults. Anything that fails leaves
/// the heap as it was. Returns the range advised, if the kernel took the
/// advice, and whether its first huge page was made.
#[cfg(target_os = "linux")]
fn huge_pages_for_the_heap() -> Option<(std::ops::Range<usize>, bool)> {
    // SAFETY: a block is allocated, its address read, and freed.
    let at = unsafe {
        let probe = libmimalloc_sys::mi_malloc(64);
        if probe.is_null() {
            return None;
        }
        libmimalloc_sys::mi_free(probe);
        probe as usize
    };
    let mapping = mapping_of(at)?;
    let start = (at / HUGE_PAGE * HUGE_PAGE).max(mapping.start.next_multiple_of(HUGE_PAGE));
    let end = (start + HUGE_PAGED).min(mapping.end) / HUGE_PAGE * HUGE_PAGE;
    if end <= start {
        return None;
    }
    // SAFETY: advice on a range of the heap's own mapping; it changes how
    // pages are backed, never their contents. A failure (a kernel without
    // transparent huge pages, or older than 6.1 for the collapse) changes
    // nothing.
    let collapsed = unsafe {
        if libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE) != 0 {
            return None;
        }
        libc::madvise(start as *mut libc::c_void, HUGE_PAGE, MADV_COLLAPSE) == 0
    };
    Some((start..end, collapsed))
}

/// `MADV_COLLAPSE` (Linux 6.1): make huge pages of a range now, its mapped
/// small pages copied in.
#[cfg(target_os = "linux")]
const MADV_COLLAPSE: libc::c_int = 25;

/// The mapping that holds address `at`, from `/proc/self/maps`.
#[cfg(target_os = "linux")]
fn mapping_of(at: usize) -> Option<std::ops::Range<usize>> {
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    maps.lines()
        .filter_map(mapping_range)
        .find(|range| range.contains(&at))
}

/// The address range at the start of a `/proc/self/maps` (or `smaps`)
/// mapping line, `lo-hi` in hexadecimal.
#[cfg(target_os = "linux")]
fn mapping_range(line: &str) -> Option<std::ops::Range<usize>> {
    let (lo, hi) = line.split(' ').next()?.split_once('-')?;
    Some(usize::from_str_radix(lo, 16).ok()?..usize::from_str_radix(hi, 16).ok()?)
}

#[cfg(not(target_os = "linux"))]
fn huge_pages_for_the_heap() -> Option<(std::ops::Range<usize>, bool)> {
    None
}

fn main() -> ExitCode {
    keep_freed_memory();
    // One article's run keeps too little for huge pages to pay: it would
    // only be resident in bigger pieces. The command is the first argument
    // (there are no options before it).
    let command = std::env::args_os().nth(1);
    if !matches!(
        command.as_ref().and_then(|c| c.to_str()),
        Some("summarize" | "split" | "tone")
    ) {
        huge_pages_for_the_heap();
    }
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

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn the_mapping_of_a_heap_block_holds_it() {
        let block = Box::new([7u8; 100]);
        let at = block.as_ptr() as usize;
        let mapping = mapping_of(at).expect("a heap block is mapped");
        assert!(
            mapping.start <= at && mapping.end > at + 100,
            "{mapping:x?} {at:#x}"
        );
        assert_eq!((mapping.start % 4096, mapping.end % 4096), (0, 0));
        // Page 0 is never mapped.
        assert_eq!(mapping_of(16), None);
    }

    /// A field of the mapping that starts at `start`, from
    /// `/proc/self/smaps` (`VmFlags:`, where `hg` is advised for huge
    /// pages; `AnonHugePages:`, in kB).
    fn smaps_field(start: usize, field: &str) -> Option<String> {
        let smaps = std::fs::read_to_string("/proc/self/smaps").ok()?;
        let mut current = None;
        for line in smaps.lines() {
            if let Some(range) = mapping_range(line) {
                current = Some(range.start);
            } else if let Some(value) = line.strip_prefix(field) {
                if current == Some(start) {
                    return Some(value.trim().to_string());
                }
            }
        }
        None
    }

    #[test]
    fn the_heap_from_its_first_small_page_is_advised_for_huge_pages() {
        let Some((range, collapsed)) = huge_pages_for_the_heap() else {
            eprintln!(
                "skipped: this kernel did not take MADV_HUGEPAGE (no transparent huge pages)"
            );
            return;
        };
        assert_eq!(range.start % HUGE_PAGE, 0);
        assert_eq!(range.end % HUGE_PAGE, 0);
        assert!(range.len() <= HUGE_PAGED && !range.is_empty(), "{range:x?}");
        // The advice splits the arena's mapping: one of its own starts at
        // the range and carries the flag.
        let flags = smaps_field(range.start, "VmFlags:").expect("a mapping starts at the range");
        assert!(flags.split(' ').any(|f| f == "hg"), "{flags}");
        assert_eq!(mapping_of(range.start), Some(range.clone()));
        // The first 2 MiB, which held the probe's page, is one huge page.
        if collapsed {
            let huge = smaps_field(range.start, "AnonHugePages:").expect("a field of smaps");
            let kb: usize = huge.trim_end_matches(" kB").parse().expect("a size in kB");
            assert!(kb >= HUGE_PAGE >> 10, "{huge}");
        } else {
            eprintln!("note: this kernel did not take MADV_COLLAPSE (Linux 6.1 or later)");
        }
    }
}
