//! Shared code of the fuzz targets: the input decoding and the invariants.
//! `tests/proptest_core.rs` includes `invariants.rs` too, so the fuzzer and
//! the property tests check exactly the same things.

pub mod invariants;
pub mod js_options;
