//! Fuzz target: any bytes as an uploaded file. The intake never panics and never gives more
//! than it promises: when a file is accepted, it has one or two pages, within the limits.
//! Seeds (one small file per format) in `fuzz/seeds/intake`:
//! `cp fuzz/seeds/intake/* fuzz/corpus/intake/ && cargo +nightly fuzz run intake fuzz/corpus/intake -- -jobs=1`.
#![no_main]

use idverify_vision::{IntakeLimits, decode_pages};
use libfuzzer_sys::fuzz_target;

/// Smaller than the service's limits so that each input is decoded quickly.
const LIMITS: IntakeLimits = IntakeLimits {
    max_bytes: 1 << 20,
    max_width: 2_000,
    max_height: 2_000,
    max_pixels: 2_000_000,
    max_alloc: 64 << 20,
    max_pages: 4,
    max_pixels_per_byte: 4_096,
};

fuzz_target!(|data: &[u8]| {
    let Ok(decoded) = decode_pages(data, &LIMITS) else {
        return;
    };
    assert!(matches!(decoded.pages.len(), 1 | 2));
    assert!(decoded.page_count >= decoded.pages.len() && decoded.page_count <= LIMITS.max_pages);
    for page in &decoded.pages {
        // Orientation may swap the sides; both limits are the same.
        assert!(page.width() >= 1 && page.width() <= 2_000, "{}", page.width());
        assert!(page.height() >= 1 && page.height() <= 2_000, "{}", page.height());
        assert!(u64::from(page.width()) * u64::from(page.height()) <= LIMITS.max_pixels);
    }
});
