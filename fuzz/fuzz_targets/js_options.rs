//! Option objects as JavaScript hands them over: any names, any shapes.
#![no_main]

use genauth_logout_fuzz::js_options::{check_call, check_raw_records, Call};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    check_call(&Call::from_bytes(data));
    // The same bytes as raw records: the decoder's refusals.
    check_raw_records(data);
});
