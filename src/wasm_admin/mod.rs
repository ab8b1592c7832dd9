//! The wasm-bindgen admin entry (being written).
