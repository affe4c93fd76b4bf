//! Chrome DevTools Protocol commands through chromedriver's `goog/cdp/execute` endpoint —
//! fantoccini has no CDP of its own, but sends any command we describe.

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::Client;
use serde_json::{json, Value};

#[derive(Debug)]
struct Execute {
    cmd: String,
    params: Value,
}

impl WebDriverCompatibleCommand for Execute {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Runs the CDP command `cmd` (e.g. `Page.addScriptToEvaluateOnNewDocument`) and returns its
/// result.
///
/// # Errors
/// The endpoint does not speak CDP, or the command failed.
pub async fn execute(
    client: &Client,
    cmd: &str,
    params: Value,
) -> Result<Value, fantoccini::error::CmdError> {
    client
        .issue_cmd(Execute {
            cmd: cmd.to_string(),
            params,
        })
        .await
}
