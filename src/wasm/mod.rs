//! The wasm-bindgen browser entry (being written).
