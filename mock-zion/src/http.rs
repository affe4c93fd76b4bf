//! Small pieces every responder shares: reading a wiremock request into the journal's
//! terms, JSON answers, and the CORS headers a browser caller needs.

use std::collections::BTreeMap;

use serde_json::Value;
use wiremock::{Request, ResponseTemplate};

use crate::journal::{EntryKind, Received};

/// Headers by lower-case name (repeated headers joined with `, `).
pub(crate) fn headers(request: &Request) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in &request.headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        out.entry(name.as_str().to_string())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value)
            })
            .or_insert(value);
    }
    out
}

/// One header's value, if present and text.
pub(crate) fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name)?.to_str().ok()
}

/// What the journal records of a request before it is answered.
pub(crate) fn received(request: &Request, kind: EntryKind) -> Received {
    let url = match request.url.query() {
        Some(query) => format!("{}?{query}", request.url.path()),
        None => request.url.path().to_string(),
    };
    Received {
        kind,
        method: request.method.to_string(),
        url,
        headers: headers(request),
        body: String::from_utf8_lossy(&request.body).into_owned(),
    }
}

/// A JSON answer with CORS headers for `request`'s origin.
pub(crate) fn json(request: &Request, status: u16, body: &Value) -> ResponseTemplate {
    cors(request, ResponseTemplate::new(status)).set_body_raw(
        serde_json::to_vec_pretty(body).unwrap_or_default(),
        "application/json; charset=utf-8",
    )
}

/// Adds the headers that let a page on another loopback origin read the answer.
///
/// The origin is echoed rather than `*` so that apps sending credentials work too; `Vary`
/// keeps caches honest about it.
pub(crate) fn cors(request: &Request, template: ResponseTemplate) -> ResponseTemplate {
    let origin = header(request, "origin").unwrap_or("*").to_string();
    template
        .insert_header("access-control-allow-origin", origin.as_str())
        .insert_header("access-control-allow-credentials", "true")
        .insert_header("vary", "Origin")
}

/// The answer to a CORS preflight: any loopback page may POST JSON with a Bearer token.
pub(crate) fn preflight(request: &Request) -> ResponseTemplate {
    let asked = header(request, "access-control-request-headers")
        .unwrap_or("authorization, content-type")
        .to_string();
    cors(request, ResponseTemplate::new(204))
        .insert_header("access-control-allow-methods", "GET, POST, DELETE, OPTIONS")
        .insert_header("access-control-allow-headers", asked.as_str())
        .insert_header("access-control-max-age", "600")
}
