//! [`Clock`]: the time of one mock instance, which may run ahead of the wall clock.
//!
//! Everything the mock does by itself — a payment notification landing after its delay, an
//! async actionflow task ending, a log-in code expiring — and every time it writes down (the
//! journal, rows' `created_at`) reads this clock. It runs at the wall clock's pace, plus a
//! *lead* that only grows: whoever drives the scenario (the harness, or a page through
//! `POST /__mock/clock`) may skip an idle stretch by [`Clock::advance`], and the mock then
//! behaves as if that time had passed — the notification due in 3 s has landed.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

/// A clock at the wall clock's pace plus a lead that only grows.
///
/// ```
/// use std::time::{Duration, Instant};
/// use mock_zion::Clock;
///
/// let clock = Clock::default();
/// let before = clock.now();
/// clock.advance(Duration::from_secs(3));
///
/// assert!(clock.now() >= before + Duration::from_secs(3));
/// assert_eq!(clock.lead(), Duration::from_secs(3));
/// assert!(clock.now() < Instant::now() + Duration::from_secs(4));
/// ```
#[derive(Debug, Default)]
pub struct Clock {
    /// Microseconds ahead of the wall clock.
    lead_us: AtomicU64,
}

impl Clock {
    /// The scenario's monotonic now.
    pub fn now(&self) -> Instant {
        Instant::now() + self.lead()
    }

    /// The scenario's time of day (for timestamps the app may compare with its `Date`).
    pub fn wall(&self) -> SystemTime {
        SystemTime::now() + self.lead()
    }

    /// How far ahead of the wall clock this clock is.
    pub fn lead(&self) -> Duration {
        Duration::from_micros(self.lead_us.load(Ordering::Acquire))
    }

    /// Skips `by` ahead and returns the new lead. A page's own clock reads the lead so the
    /// two keep one time.
    pub fn advance(&self, by: Duration) -> Duration {
        let by = u64::try_from(by.as_micros()).unwrap_or(u64::MAX);
        let lead = self
            .lead_us
            .fetch_add(by, Ordering::AcqRel)
            .saturating_add(by);
        Duration::from_micros(lead)
    }
}
