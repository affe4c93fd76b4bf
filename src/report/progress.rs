//! Progress while a run goes: one line per finished scenario on stderr, with how many are
//! done out of how many and how many passed and failed so far. cucumber's report on stdout
//! keeps features in order (and so waits for slow ones); these lines come as scenarios end.

use std::sync::atomic::{AtomicUsize, Ordering};

use cucumber::event::ScenarioFinished;

/// Counts of a run's finished scenarios.
#[derive(Debug, Default)]
pub struct Progress {
    total: usize,
    done: AtomicUsize,
    passed: AtomicUsize,
    failed: AtomicUsize,
}

impl Progress {
    /// A run of `total` scenarios.
    pub fn new(total: usize) -> Self {
        Progress {
            total,
            ..Default::default()
        }
    }

    /// Counts a finished scenario and returns its progress line.
    ///
    /// ```
    /// use cucumber::event::ScenarioFinished;
    /// use zion_pay_e2e::report::progress::Progress;
    ///
    /// let progress = Progress::new(3);
    /// assert_eq!(
    ///     progress.finished("Paid — A paid order", &ScenarioFinished::StepPassed),
    ///     "[1/3] passed   Paid — A paid order  (1 passed, 0 failed so far)"
    /// );
    /// ```
    pub fn finished(&self, scenario: &str, how: &ScenarioFinished) -> String {
        let (verdict, counted) = match how {
            ScenarioFinished::StepPassed => ("passed", Some(&self.passed)),
            ScenarioFinished::StepSkipped => ("skipped", None),
            _ => ("FAILED", Some(&self.failed)),
        };
        if let Some(count) = counted {
            count.fetch_add(1, Ordering::SeqCst);
        }
        let done = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        format!(
            "[{done}/{}] {verdict:<8} {scenario}  ({} passed, {} failed so far)",
            self.total,
            self.passed.load(Ordering::SeqCst),
            self.failed.load(Ordering::SeqCst)
        )
    }

    /// How many of the run's scenarios never finished (none, unless `--fail-fast` stopped
    /// the run).
    ///
    /// ```
    /// use cucumber::event::ScenarioFinished;
    /// use zion_pay_e2e::report::progress::Progress;
    ///
    /// let progress = Progress::new(3);
    /// progress.finished("Paid — A paid order", &ScenarioFinished::StepPassed);
    /// assert_eq!(progress.not_finished(), 2);
    /// ```
    pub fn not_finished(&self) -> usize {
        self.total - self.done.load(Ordering::SeqCst)
    }
}
