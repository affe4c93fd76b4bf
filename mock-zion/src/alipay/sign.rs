//! Alipay's RSA2 signing rules for parameter sets.
//!
//! Request signature (PROTOCOLS.md, "Request signature (RSA2)"; Java
//! `AlipaySignature.getSignContent`): every parameter except `sign`, empty values dropped,
//! sorted by key (byte order), joined as `key=value` with `&`, values raw (not URL-encoded).
//! `sign_type` is part of a request's signed string, but not of a return's or a
//! notification's (Java `rsaCheckV1`), hence [`Purpose`].

use std::collections::BTreeMap;

/// Which rule set a signature follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A merchant's request to the gateway: only `sign` is left out.
    Request,
    /// Alipay's return redirect or notification: `sign` and `sign_type` are left out.
    Callback,
}

/// The string that is signed, from parameters in any order.
///
/// ```
/// use mock_zion::alipay::sign::{sign_content, Purpose};
/// let params = [("b", "2"), ("sign", "x"), ("a", "1"), ("sign_type", "RSA2"), ("c", "")];
/// assert_eq!(sign_content(params, Purpose::Request), "a=1&b=2&sign_type=RSA2");
/// assert_eq!(sign_content(params, Purpose::Callback), "a=1&b=2");
/// ```
pub fn sign_content<'a>(
    params: impl IntoIterator<Item = (&'a str, &'a str)>,
    purpose: Purpose,
) -> String {
    let sorted: BTreeMap<&str, &str> = params
        .into_iter()
        .filter(|(key, value)| {
            !value.is_empty()
                && *key != "sign"
                && !(purpose == Purpose::Callback && *key == "sign_type")
        })
        .collect();
    sorted
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}
