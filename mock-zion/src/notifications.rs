//! Payment notifications (the providers' webhooks to Zion's backend) waiting to land.
//!
//! A scenario chooses how long after a payment its notification lands, or that it never
//! does. Delivery is computed from timestamps on read rather than by a timer: a notification
//! due at `t` is delivered by the first lock of the state at or after `t` (see
//! [`State::settle`](crate::state::State::settle)). So "Zion learns of the payment 3 s
//! later" needs no background task, and nothing can observe it early.

use std::time::{Duration, Instant};

/// A notification to deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notification {
    /// Alipay's `trade_status_sync` for a paid trade.
    Alipay {
        /// The trade's `out_trade_no`.
        out_trade_no: String,
    },
    /// WeChat Pay's `TRANSACTION.SUCCESS` for a paid prepayment.
    Wechat {
        /// The prepayment's `prepay_id`.
        prepay_id: String,
    },
}

/// The notifications of one mock instance.
#[derive(Debug, Clone)]
pub struct Notifications {
    /// How long after a payment its notification lands; `None`: never.
    pub delay: Option<Duration>,
    scheduled: Vec<(Instant, Notification)>,
}

impl Default for Notifications {
    fn default() -> Self {
        Notifications {
            delay: Some(Duration::ZERO),
            scheduled: Vec::new(),
        }
    }
}

impl Notifications {
    /// Schedules `notification` the current delay after `now` (never, when it is `None`).
    pub fn schedule(&mut self, notification: Notification, now: Instant) {
        if let Some(delay) = self.delay {
            self.scheduled.push((now + delay, notification));
        }
    }

    /// When the next scheduled notification is due, if one is.
    pub fn next_due(&self) -> Option<Instant> {
        self.scheduled.iter().map(|(due, _)| *due).min()
    }

    /// Removes and returns the notifications due by `now`, oldest first.
    pub fn take_due(&mut self, now: Instant) -> Vec<Notification> {
        if self.scheduled.iter().all(|(due, _)| *due > now) {
            return Vec::new();
        }
        let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.scheduled)
            .into_iter()
            .partition(|(due, _)| *due <= now);
        self.scheduled = later;
        due.into_iter().map(|(_, n)| n).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notification_is_due_only_after_its_delay_and_never_without_one() {
        let mut queue = Notifications {
            delay: Some(Duration::from_secs(60)),
            ..Default::default()
        };
        queue.schedule(
            Notification::Alipay {
                out_trade_no: "1".into(),
            },
            Instant::now(),
        );
        assert!(queue.take_due(Instant::now()).is_empty());
        assert_eq!(
            queue
                .take_due(Instant::now() + Duration::from_secs(61))
                .len(),
            1
        );
        queue.delay = None;
        queue.schedule(
            Notification::Alipay {
                out_trade_no: "2".into(),
            },
            Instant::now(),
        );
        assert!(queue
            .take_due(Instant::now() + Duration::from_secs(3600))
            .is_empty());
    }
}
