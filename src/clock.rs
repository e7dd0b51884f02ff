//! The emulator clock: system time plus an adjustable offset.
//!
//! Nothing else in the crate reads the system time, so moving this clock moves every expiry,
//! `iat`, code lifetime and introspection answer at once.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// Milliseconds since the Unix epoch on the emulator clock.
    pub fn now_ms(&self) -> i64 {
        self.real_ms() + self.offset_ms.load(Ordering::Relaxed)
    }

    /// Real milliseconds since the Unix epoch, for ordering events (token ids, revocations)
    /// in the order they happened whatever the emulator clock says.
    pub fn real_ms(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or_default()
    }

    /// Seconds since the Unix epoch on the emulator clock.
    pub fn now(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    pub fn offset_seconds(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed) / 1000
    }

    pub fn set_offset_seconds(&self, seconds: i64) {
        self.offset_ms
            .store(seconds.saturating_mul(1000), Ordering::Relaxed);
    }

    pub fn advance_seconds(&self, seconds: i64) {
        self.offset_ms
            .fetch_add(seconds.saturating_mul(1000), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_the_clock_moves_now_by_that_many_seconds() {
        let clock = Clock::default();
        let before = clock.now();
        clock.advance_seconds(3600);
        let after = clock.now();
        assert!((3600..=3601).contains(&(after - before)));
        assert_eq!(clock.offset_seconds(), 3600);
    }

    #[test]
    fn setting_an_offset_replaces_the_previous_one() {
        let clock = Clock::default();
        clock.advance_seconds(10);
        clock.set_offset_seconds(-5);
        assert_eq!(clock.offset_seconds(), -5);
    }
}
