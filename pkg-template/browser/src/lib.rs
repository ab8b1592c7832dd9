//! The browser module of the npm package `genauth-logout`: the core's rules
//! (crate `genauth-logout`) behind one small WebAssembly interface.
//!
//! A Logout button should cost a page almost nothing, so this module is
//! size-bound (bench/budget.json) and its boundary is as narrow as it can
//! be: one call over strings. The JavaScript facade
//! (`pkg-template/src/index.js`) reads each options object once into option
//! records, and every call passes the configuration records, the page
//! origin, the redirect and the parameter records. [`wire`] is the
//! boundary (the ABI, the operations, the record and answer formats);
//! [`options`] the option table and its rules; [`answer`] the operations.
//! URLs are parsed by the platform's own WHATWG `URL` ([`platform`]), so
//! the origin the rules check is the origin the browser will navigate to.
#![no_std]
#![deny(missing_docs)]
// `String::push(char)` and `char` patterns go through UTF-8 encoding code that
// the size-bound build would otherwise not link.
#![allow(clippy::single_char_add_str, clippy::single_char_pattern)]

extern crate alloc;
// Anywhere but the shipped module (native builds of the cdylib, the tests)
// the standard library brings the allocator and the panic handler.
#[cfg(not(all(target_arch = "wasm32", not(feature = "bindgen-tests"))))]
extern crate std;

#[cfg(all(target_arch = "wasm32", not(feature = "bindgen-tests")))]
mod abi;
pub mod answer;
#[cfg(any(test, all(target_arch = "wasm32", not(feature = "bindgen-tests"))))]
mod heap;
pub mod options;
pub mod platform;
pub mod wire;

pub use options::{read_config, read_params, read_redirect, BrowserOptions};

// The module brings its own allocator (crate::heap) and panic handler: the
// core never panics on caller input (the fuzz targets, the wasm-bindgen
// tests and tests/hostile look for one), and the handler traps instead of
// formatting a message, which keeps `core::fmt` out of the binary. Should a
// call trap anyway, the facade drops the instance.
#[cfg(all(target_arch = "wasm32", not(feature = "bindgen-tests")))]
#[global_allocator]
pub(crate) static ALLOCATOR: heap::Heap = heap::Heap::new(heap::wasm_memory_grow);

#[cfg(all(target_arch = "wasm32", not(feature = "bindgen-tests"), not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

#[cfg(all(target_arch = "wasm32", not(feature = "bindgen-tests")))]
/// One call: the export `c` of the ABI section of [`wire`].
///
/// # Safety
/// Each argument is a block from the export `a`, filled, and is not used
/// again.
#[export_name = "c"]
pub unsafe extern "C" fn call(
    op: u32,
    config: *mut u32,
    page: *mut u32,
    redirect: *mut u32,
    params: *mut u32,
) -> *mut u32 {
    // wire.js writes WTF-8.
    let text = |block| wire::Wtf8::new_unchecked(abi::bytes(block));
    let answer = crate::answer::call(op, text(config), text(page), text(redirect), text(params));
    abi::put(&answer)
}
