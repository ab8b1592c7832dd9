//! The module's raw interface below the call: blocks, the exports `a` and
//! `r`, and the import `p.p`, as the ABI section of [`crate::wire`]
//! describes them. The wire module holds the format; this one carries it.
//! The call export `c` is at the crate root, above the operations.

use alloc::alloc::{alloc, Layout};
use alloc::string::String;

use crate::wire::Wtf8;

/// A new block with room for `capacity` bytes after its length, which
/// the writer sets.
#[export_name = "a"]
pub extern "C" fn block(capacity: usize) -> *mut u32 {
    let Ok(layout) = Layout::from_size_align(4 + capacity, 4) else {
        core::arch::wasm32::unreachable()
    };
    // SAFETY: the layout has a non-zero size.
    let block = unsafe { alloc(layout) } as *mut u32;
    if block.is_null() {
        // Out of memory: the facade treats a trap as the instance's end.
        core::arch::wasm32::unreachable()
    }
    block
}

/// Frees every block: JavaScript calls it before each call's blocks
/// (nothing lives between calls).
///
/// # Safety
/// No block or other allocation is in use.
#[export_name = "r"]
pub unsafe extern "C" fn reset() {
    crate::ALLOCATOR.reset()
}

/// A block's bytes (WTF-8).
///
/// # Safety
/// `block` comes from [`block`], filled.
pub(crate) unsafe fn bytes<'a>(block: *mut u32) -> &'a [u8] {
    // wire.js writes at most three bytes per UTF-16 unit, which is the
    // capacity it asks for.
    core::slice::from_raw_parts(block.add(1) as *const u8, *block as usize)
}

/// `s` in a new block, for JavaScript to take.
// An inlining hint measured smaller on the benchmark app (docs/size.md).
#[inline(never)]
pub(crate) fn put(s: &str) -> *mut u32 {
    let out = block(s.len());
    // SAFETY: the block has room for `s`.
    unsafe {
        core::ptr::copy_nonoverlapping(s.as_ptr(), out.add(1) as *mut u8, s.len());
        out.write(s.len() as u32);
    }
    out
}

#[link(wasm_import_module = "p")]
extern "C" {
    /// `platform.js`'s `platform(op, input)`, through `wire.js`: it
    /// takes `input` and answers a new block.
    #[link_name = "p"]
    fn platform_block(op: u32, input: *mut u32) -> *mut u32;
}

/// The platform's answer about `input`, per `op`.
pub(crate) fn platform(op: u32, input: &str) -> String {
    // SAFETY: the import takes the block it is given and answers a new
    // one (pkg-template/src/wire.js).
    let answer = unsafe { bytes(platform_block(op, put(input))) };
    // The platform answers URL parts, an encoded component or a class
    // letter: never a lone surrogate.
    // SAFETY: wire.js writes WTF-8.
    String::from(
        unsafe { Wtf8::new_unchecked(answer) }
            .to_str()
            .unwrap_or(""),
    )
}
