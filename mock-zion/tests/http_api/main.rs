//! mock-zion over real HTTP: every behaviour a browser or a test in another language sees.

mod actionflows;
mod alipay;
mod auth_and_rows;
mod control_api;
mod faults;
mod http_errors;
mod journal;
mod login;
mod overrides;
mod subscriptions;
mod support;
mod table_api;
mod validation;
mod wechat;
