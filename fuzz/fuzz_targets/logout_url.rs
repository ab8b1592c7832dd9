//! Any app domain, redirect, parameters and page origin: no panic, and every
//! URL the core builds obeys the invariants in `src/invariants.rs`.
#![no_main]

use genauth_logout_fuzz::invariants::{check, Scenario};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    check(&Scenario::from_bytes(data));
});
