//! zion-pay-e2e
