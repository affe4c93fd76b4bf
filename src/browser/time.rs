//! How a step's wait lets time pass: on the wall clock, or on the scenario's virtual clock.
//!
//! Under virtual time (the default), a scenario's page and its mock-zion instance share one
//! [`Clock`](mock_zion::Clock): the page's `Date`, `performance.now` and timers read it
//! (`page_clock.js`, injected before the app's scripts), and so do the mock's notifications,
//! async tasks and journal. It runs at the wall clock's pace; only while a step waits for
//! something that has not happened yet, and the page is idle, does it skip to the next
//! event — the page's next timer or the mock's next notification —, never past the wait's
//! [`Deadline`]. So an app that waits 2 s before asking for the order status asks at once,
//! yet its request is 2 s after the return on the scenario's clock, where the verdicts read.

use std::sync::Arc;
use std::time::{Duration, Instant};

use mock_zion::Clock;

/// How long a wait sleeps between looks on the wall clock. Each look is one WebDriver
/// command; looking more often mostly burns the CPU the browsers need (measured: 50 ms
/// polling cost ~1.3x wall time at four scenarios on two cores).
pub const POLL: Duration = Duration::from_millis(100);

/// Under virtual time, how long a wait sleeps while the page is busy (a request in flight):
/// short, since the next skip waits on it.
const BUSY_POLL: Duration = Duration::from_millis(20);

/// The moment a wait gives up: once its limit has passed on the scenario's clock *and* on
/// the wall clock. Skipping brings what the page's timers and the mock do nearer, but some of
/// what a step waits for is real work the page does not announce (a script loading, a
/// component rendering on a busy machine): a wait never gives up sooner than on the wall
/// clock, so a verdict never depends on how busy the machine is.
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use zion_pay_e2e::browser::time::Deadline;
///
/// let clock = Arc::new(mock_zion::Clock::default());
/// let deadline = Deadline::after(Duration::from_millis(50), Some(clock.clone()));
///
/// // Skipping the scenario's clock uses up what is left to skip…
/// clock.advance(Duration::from_millis(50));
/// assert_eq!(deadline.left(), Duration::ZERO);
/// // …but the wait still gives the page its time on the wall clock.
/// assert!(!deadline.passed());
/// std::thread::sleep(Duration::from_millis(60));
/// assert!(deadline.passed());
/// ```
#[derive(Debug, Clone)]
pub struct Deadline {
    /// On the scenario's clock.
    at: Instant,
    /// On the wall clock.
    wall: Instant,
    clock: Option<Arc<Clock>>,
}

impl Deadline {
    /// `limit` from now on `clock` (the wall clock when `None`).
    pub fn after(limit: Duration, clock: Option<Arc<Clock>>) -> Self {
        Deadline {
            at: scenario_now(clock.as_deref()) + limit,
            wall: Instant::now() + limit,
            clock,
        }
    }

    /// Whether the wait is over (on both clocks).
    pub fn passed(&self) -> bool {
        self.now() >= self.at && Instant::now() >= self.wall
    }

    /// How far the scenario's clock may still skip in this wait.
    pub fn left(&self) -> Duration {
        self.at.saturating_duration_since(self.now())
    }

    fn now(&self) -> Instant {
        scenario_now(self.clock.as_deref())
    }
}

/// Now on the scenario's clock, or on the wall clock without one.
fn scenario_now(clock: Option<&Clock>) -> Instant {
    clock.map_or_else(Instant::now, Clock::now)
}

/// What [`Page::pass_time`](crate::browser::page::Page::pass_time) asks the page's clock.
pub(crate) const ADVANCE: &str =
    "return window.__zionClock ? window.__zionClock.advance(arguments[0]) : null";

/// The page clock script for the mock clock at `clock_url`.
pub(crate) fn page_clock_script(clock_url: &str) -> String {
    include_str!("page_clock.js").replace(
        "__ZION_CLOCK_URL__",
        &serde_json::json!(clock_url).to_string(),
    )
}

/// How long to sleep after the page's clock answered `answer`.
pub(crate) fn pause_after(answer: Option<&serde_json::Value>) -> Duration {
    match answer {
        Some(a) if a.get("skipped_ms").and_then(|s| s.as_f64()).unwrap_or(0.0) > 0.0 => {
            Duration::ZERO
        }
        Some(a) if a.get("busy").is_some() => BUSY_POLL,
        _ => POLL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_wall_clock_deadline_is_not_moved_by_a_scenario_clock() {
        let deadline = Deadline::after(Duration::from_secs(60), None);
        assert!(!deadline.passed());
        assert!(deadline.left() > Duration::from_secs(59));
    }

    #[test]
    fn a_skip_looks_again_at_once_a_busy_page_soon_an_idle_one_later() {
        assert_eq!(
            pause_after(Some(&json!({"skipped_ms": 2000.0}))),
            Duration::ZERO
        );
        assert_eq!(
            pause_after(Some(&json!({"busy": "1 request(s) in flight"}))),
            BUSY_POLL
        );
        assert_eq!(
            pause_after(Some(&json!({"idle": true, "skipped_ms": 0}))),
            POLL
        );
        assert_eq!(pause_after(None), POLL);
    }

    #[test]
    fn the_script_names_the_mock_clock() {
        let script = page_clock_script("http://127.0.0.1:4000/__mock/clock");
        assert!(script.contains("\"http://127.0.0.1:4000/__mock/clock\""));
        assert!(!script.contains("__ZION_CLOCK_URL__"));
    }
}
