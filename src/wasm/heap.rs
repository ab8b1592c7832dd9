//! The browser entry's allocator: a bump allocator that starts over whenever
//! nothing is allocated.
//!
//! Every call into the entry allocates its arguments, its work and its answer,
//! and all of it is freed by the time the JavaScript glue has read the answer:
//! nothing lives between calls. So the heap never needs to reuse a hole: it
//! bumps a pointer, counts live blocks, and rewinds to the start when the
//! count drops to zero. Memory stays at the largest single call's need, and
//! the allocator is a few dozen instructions instead of a free list.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32::memory_grow;
use core::cell::Cell;

const PAGE: usize = 65536;

/// The allocator (single-threaded: wasm32-unknown-unknown without atomics).
pub(super) struct Heap {
    start: Cell<usize>,
    next: Cell<usize>,
    end: Cell<usize>,
    live: Cell<usize>,
}

// SAFETY: the browser entry runs on one thread (no wasm atomics).
unsafe impl Sync for Heap {}

impl Heap {
    pub(super) const fn new() -> Self {
        Heap {
            start: Cell::new(0),
            next: Cell::new(0),
            end: Cell::new(0),
            live: Cell::new(0),
        }
    }
}

unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let align = layout.align();
        let mut at = (self.next.get() + align - 1) & !(align - 1);
        if self.end.get() < at || self.end.get() - at < layout.size() {
            // Grow by what this block needs; a fresh region starts at the old
            // end of memory, which is ours unless someone else grew it.
            let pages = layout.size().div_ceil(PAGE) + 1;
            let old = memory_grow(0, pages);
            if old == usize::MAX {
                return core::ptr::null_mut();
            }
            let base = old * PAGE;
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
        self.live.set(self.live.get() + 1);
        at as *mut u8
    }

    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {
        let live = self.live.get() - 1;
        self.live.set(live);
        if live == 0 {
            self.next.set(self.start.get());
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // The last block grows in place when there is room.
        let at = ptr as usize;
        if at + layout.size() == self.next.get() && self.end.get() - at >= new_size {
            self.next.set(at + new_size);
            return ptr;
        }
        let new = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
        if !new.is_null() {
            core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        new
    }
}
