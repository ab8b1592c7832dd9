//! The browser module's allocator: a bump allocator that starts over before
//! each call.
//!
//! Every call into the module allocates its arguments, its work and its
//! answer, and nothing of it is needed once JavaScript has read the answer:
//! nothing lives between calls. So the heap never frees a block on its own:
//! it bumps a pointer, and `wire.js` resets it before each call's arguments
//! ([`Heap::reset`], the export `r`). Memory stays at what the largest single
//! call allocates, and the allocator is a few instructions, with nothing to
//! count or inline at every place a value is dropped.
//!
//! If a call ever traps, the facade throws the instance away (see
//! `pkg-template/src/wire.js`), so a new one starts with an empty heap.
//!
//! Where memory comes from is a function (`memory.grow` in the browser, a
//! buffer in the native tests below), so the bookkeeping is tested natively.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::Cell;

/// A WebAssembly page.
pub(crate) const PAGE: usize = 65536;

/// The allocator (single-threaded: wasm32-unknown-unknown without atomics).
pub(crate) struct Heap {
    /// Adds this many pages to memory; answers the address where they start,
    /// or `usize::MAX` when memory cannot grow.
    grow: fn(usize) -> usize,
    start: Cell<usize>,
    next: Cell<usize>,
    end: Cell<usize>,
}

// SAFETY: the browser entry runs on one thread (no wasm atomics), and the
// native tests use each heap from one thread.
unsafe impl Sync for Heap {}

impl Heap {
    /// Frees every block at once.
    ///
    /// # Safety
    /// No block is in use any more.
    pub(crate) unsafe fn reset(&self) {
        self.next.set(self.start.get());
    }

    /// A heap that gets its memory from `grow`.
    pub(crate) const fn new(grow: fn(usize) -> usize) -> Self {
        Heap {
            grow,
            start: Cell::new(0),
            next: Cell::new(0),
            end: Cell::new(0),
        }
    }
}

/// `memory.grow` on the module's memory.
#[cfg(target_arch = "wasm32")]
pub(crate) fn wasm_memory_grow(pages: usize) -> usize {
    match core::arch::wasm32::memory_grow(0, pages) {
        usize::MAX => usize::MAX,
        old => old * PAGE,
    }
}

unsafe impl GlobalAlloc for Heap {
    // An inlining hint measured smaller on the benchmark app (README, size).
    #[inline(never)]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let align = layout.align();
        if align > PAGE {
            return core::ptr::null_mut();
        }
        let mut at = (self.next.get() + align - 1) & !(align - 1);
        if self.end.get() < at || self.end.get() - at < layout.size() {
            // Grow by what this block needs, and a page for its alignment.
            let pages = layout.size().div_ceil(PAGE) + 1;
            let base = (self.grow)(pages);
            if base == usize::MAX {
                return core::ptr::null_mut();
            }
            if base != self.end.get() {
                // Not contiguous with our last region (or the first grow):
                // start over there. Blocks still live in the old region stay
                // valid; the old region is simply not reused.
                self.start.set(base);
                self.next.set(base);
            }
            self.end.set(base + pages * PAGE);
            at = (self.next.get() + align - 1) & !(align - 1);
        }
        self.next.set(at + layout.size());
        at as *mut u8
    }

    /// Nothing: blocks are freed all at once by [`Heap::reset`].
    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {}

    // An inlining hint measured smaller on the benchmark app (README, size).
    #[inline(never)]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let at = ptr as usize;
        // A block shrinks where it is; the last block also grows in place
        // when there is room.
        if new_size <= layout.size() {
            if at + layout.size() == self.next.get() {
                self.next.set(at + new_size);
            }
            return ptr;
        }
        if at + layout.size() == self.next.get() && self.end.get() - at >= new_size {
            self.next.set(at + new_size);
            return ptr;
        }
        let new = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
        if !new.is_null() {
            core::ptr::copy_nonoverlapping(ptr, new, layout.size());
        }
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::vec::Vec;

    std::thread_local! {
        /// The "memory" of the test heap: pages handed out so far, and
        /// whether the next grow should leave a gap (someone else grew it).
        static MEMORY: RefCell<(Vec<Vec<u8>>, bool, usize)> = const { RefCell::new((Vec::new(), false, 0)) };
    }

    /// Grows a simulated memory: one big buffer per test, addresses inside it.
    fn grow(pages: usize) -> usize {
        MEMORY.with(|m| {
            let (buffers, gap, used) = &mut *m.borrow_mut();
            let buffer = buffers.last_mut().expect("a test buffer");
            let skip = usize::from(std::mem::take(gap));
            if (*used + skip + pages) * PAGE > buffer.len() {
                return usize::MAX;
            }
            let base = buffer.as_ptr() as usize + (*used + skip) * PAGE;
            *used += skip + pages;
            base
        })
    }

    fn fresh(pages: usize) {
        MEMORY.with(|m| {
            let (buffers, gap, used) = &mut *m.borrow_mut();
            // The heap aligns absolute addresses itself, so the buffer's own
            // alignment does not matter.
            buffers.push(std::vec![0u8; pages * PAGE]);
            *gap = false;
            *used = 0;
        });
    }

    fn gap() {
        MEMORY.with(|m| m.borrow_mut().1 = true);
    }

    /// A small deterministic generator (xorshift), so failures repeat.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 as usize
        }
    }

    #[test]
    fn blocks_never_overlap_keep_their_bytes_and_the_heap_starts_over() {
        fresh(64);
        let heap = Heap::new(grow);
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        // (address, layout, fill byte)
        let mut live: Vec<(usize, Layout, u8)> = Vec::new();
        let mut resets = 0;
        let mut peak = 0;
        let mut first = None;
        for step in 0..200_000 {
            match rng.next() % 4 {
                0 | 1 => {
                    let size = 1 + rng.next() % if rng.next() % 64 == 0 { 70_000 } else { 300 };
                    let align = 1 << (rng.next() % 4);
                    let layout = Layout::from_size_align(size, align).unwrap();
                    let p = unsafe { heap.alloc(layout) };
                    assert!(!p.is_null(), "out of test memory at step {step}");
                    assert_eq!(p as usize % align, 0, "misaligned");
                    first.get_or_insert(heap.start.get());
                    let fill = (step % 251) as u8;
                    unsafe { p.write_bytes(fill, size) };
                    live.push((p as usize, layout, fill));
                }
                2 if !live.is_empty() => {
                    let (p, layout, fill) = live.swap_remove(rng.next() % live.len());
                    let bytes =
                        unsafe { std::slice::from_raw_parts(p as *const u8, layout.size()) };
                    assert!(bytes.iter().all(|&b| b == fill), "a block was overwritten");
                    unsafe { heap.dealloc(p as *mut u8, layout) };
                }
                3 if !live.is_empty() => {
                    let i = rng.next() % live.len();
                    let (p, layout, fill) = live[i];
                    let new_size = 1 + rng.next() % 600;
                    let q = unsafe { heap.realloc(p as *mut u8, layout, new_size) };
                    assert!(!q.is_null());
                    let kept = layout.size().min(new_size);
                    let bytes = unsafe { std::slice::from_raw_parts(q as *const u8, kept) };
                    assert!(bytes.iter().all(|&b| b == fill), "realloc lost bytes");
                    unsafe { q.write_bytes(fill, new_size) };
                    live[i] = (
                        q as usize,
                        Layout::from_size_align(new_size, layout.align()).unwrap(),
                        fill,
                    );
                }
                _ => {}
            }
            // No two live blocks overlap.
            if step % 997 == 0 {
                let mut spans: Vec<(usize, usize)> =
                    live.iter().map(|&(p, l, _)| (p, p + l.size())).collect();
                spans.sort_unstable();
                assert!(
                    spans.windows(2).all(|w| w[0].1 <= w[1].0),
                    "overlapping blocks"
                );
            }
            peak = peak.max(heap.next.get() - heap.start.get());
            // A call ends now and then: everything is dropped, and the
            // heap starts over where it started.
            if rng.next() % 400 == 0 {
                for (p, layout, _) in live.drain(..) {
                    unsafe { heap.dealloc(p as *mut u8, layout) };
                }
                unsafe { heap.reset() };
                resets += 1;
                assert_eq!(heap.next.get(), heap.start.get());
                assert_eq!(Some(heap.start.get()), first, "memory is reused");
            }
        }
        assert!(resets > 100, "only {resets} resets");
        assert!(peak > PAGE, "the test never needed a second page");
    }

    #[test]
    fn refuses_what_it_cannot_serve() {
        fresh(2);
        let heap = Heap::new(grow);
        let huge = Layout::from_size_align(10 * PAGE, 1).unwrap();
        assert!(
            unsafe { heap.alloc(huge) }.is_null(),
            "memory cannot grow that far"
        );
        let over_aligned = Layout::from_size_align(8, 2 * PAGE).unwrap();
        assert!(unsafe { heap.alloc(over_aligned) }.is_null());
        // A refusal takes nothing: the next block is the first.
        let small = Layout::from_size_align(16, 8).unwrap();
        let p = unsafe { heap.alloc(small) };
        assert!(!p.is_null());
        assert_eq!(p as usize, heap.start.get().next_multiple_of(8));
    }

    #[test]
    fn a_gap_in_memory_starts_a_new_region() {
        fresh(8);
        let heap = Heap::new(grow);
        let layout = Layout::from_size_align(PAGE, 1).unwrap();
        let a = unsafe { heap.alloc(layout) } as usize;
        // The first region (two pages) has no room for two more.
        gap();
        let bigger = Layout::from_size_align(2 * PAGE, 1).unwrap();
        let b = unsafe { heap.alloc(bigger) } as usize;
        assert!(b >= a + 3 * PAGE, "the second block is past the gap");
        assert_eq!(
            heap.start.get(),
            b,
            "the new region is where the heap starts over"
        );
        unsafe { heap.reset() };
        assert_eq!(unsafe { heap.alloc(layout) } as usize, b);
    }
}
