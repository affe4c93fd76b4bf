//! Serves a Mini Program to the browser on its own loopback origin, with mp-sim to run it.
//!
//! | path | what |
//! |---|---|
//! | `/` | the simulated phone (mp-sim's page) |
//! | `/__mp/config.js` | `window.MP_SIM_CONFIG`: mock-zion's URLs, app id, entry page, storage, module list |
//! | `/__mp/files.js` | every WXML, WXSS and JSON file of the Mini Program, as strings |
//! | `/__mp/module/<path>` | one JavaScript module wrapped in a CommonJS factory, line numbers kept |
//! | `/__mp-sim/<file>` | mp-sim itself, embedded in this binary |
//! | `/__mp/regions.js` | China's administrative divisions for `<picker mode="region">` (mp-sim's npm package `@vant/area-data`) |
//! | anything else | the Mini Program's directory (images) |
//!
//! The phone's page preloads every module of mp-sim, so they load side by side. Each of the
//! Mini Program's modules is its own script, so a stack trace names `pages/pay/pay.js` and
//! its line, as WeChat DevTools does.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::Path as UrlPath;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use include_dir::{include_dir, Dir};
use serde_json::{json, Value};
use tower_http::services::ServeDir;

use crate::mini_program::MiniProgram;

static MP_SIM: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/mp-sim/runtime");

/// What a module sees besides `require`, `module` and `exports`, in the order mp-sim's loader
/// passes them: the base library's globals, then the browser's, which WeChat's logic layer
/// does not have (a library that looks for `window` must take its Mini Program path, and
/// nothing may reach the network around `wx.request`).
const FACTORY_PARAMS: &str =
    "App, Page, Component, Behavior, getApp, getCurrentPages, wx, requirePlugin, global, \
     window, document, frames, self, location, navigator, localStorage, sessionStorage, history, \
     XMLHttpRequest, fetch, WebSocket, alert, confirm, prompt";

const PHONE: &str = r#"<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=375">
<title>mp-sim</title>
<link rel="stylesheet" href="/__mp-sim/sim.css">
<script src="/__mp/config.js"></script>
<script src="/__mp/files.js"></script>
<script type="module" src="/__mp-sim/start.js"></script>
__PRELOADS__</head>
<body>
<div id="mp-phone"><div id="mp-nav"><span id="mp-title"></span></div><div id="mp-pages"></div><div id="mp-tabbar" role="tablist" hidden></div></div>
<div id="mp-toast" hidden><span id="mp-toast-title"></span></div>
<div id="mp-modal" hidden><div id="mp-modal-box"><div id="mp-modal-title"></div><div id="mp-modal-content"></div>
<div id="mp-modal-buttons"><wx-button id="mp-modal-cancel" role="button"></wx-button><wx-button id="mp-modal-confirm" role="button"></wx-button></div></div></div>
<div id="mp-action-sheet" role="dialog" aria-modal="true" hidden><div id="mp-action-sheet-box"><div id="mp-action-sheet-alert"></div><div id="mp-action-sheet-items" role="menu"></div>
<wx-button id="mp-action-sheet-cancel" role="button">取消</wx-button></div></div>
</body>
</html>
"#;

/// The phone's page, with every module of mp-sim's runtime preloaded: fetched side by side
/// as the page starts, not one level of imports after another (five levels; measured: 0.7 s
/// less over the 12 scenarios of the Mini Program feature, one at a time).
fn phone() -> &'static str {
    static PAGE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PAGE.get_or_init(|| {
        let mut modules = Vec::new();
        runtime_modules(&MP_SIM, &mut modules);
        modules.sort();
        let links: String = modules
            .iter()
            .filter(|path| *path != "start.js")
            .map(|path| format!("<link rel=\"modulepreload\" href=\"/__mp-sim/{path}\">\n"))
            .collect();
        PHONE.replace("__PRELOADS__", &links)
    })
}

/// The paths of the `.js` files in `dir` and below.
fn runtime_modules(dir: &Dir<'_>, into: &mut Vec<String>) {
    for file in dir.files() {
        let path = file.path().to_string_lossy();
        if path.ends_with(".js") {
            into.push(path.into_owned());
        }
    }
    for sub in dir.dirs() {
        runtime_modules(sub, into);
    }
}

/// What the simulated WeChat knows of the scenario.
#[derive(Debug, Clone, Default)]
pub struct MpConfig {
    /// mock-zion's control API (`…/__mock`): the payment sheet.
    pub control_url: String,
    /// Where calls to any Zion GraphQL host go.
    pub graphql_url: String,
    /// The Mini Program's app id.
    pub app_id: String,
    /// Hosts whose Zion GraphQL calls go to the mock (empty: any host).
    pub zion_hosts: Vec<String>,
    /// Storage present at launch (a logged-in user's token).
    pub storage: serde_json::Map<String, Value>,
    /// wx methods answering as a scenario chose from the start, launch code included:
    /// name → `{"result": …}` or `{"fail": "reason"}` (see [`crate::mini_program::shopper::mock_wx`]).
    pub mocks: serde_json::Map<String, Value>,
    /// What the shopper will answer WeChat, decided before launch: `[method, argument]` pairs
    /// for mp-sim's `__mpSim.user` (`["refuse", "location"]`, `["address", {…}]`).
    pub user: Vec<(String, Value)>,
}

/// A running Mini Program host; stops on drop.
#[derive(Debug)]
pub struct MpHost {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl MpHost {
    /// Serves `program` with mp-sim on a free loopback port.
    ///
    /// # Errors
    /// No port could be bound.
    pub async fn start(program: Arc<MiniProgram>, config: &MpConfig) -> std::io::Result<Self> {
        let modules: Vec<&String> = program.modules.keys().collect();
        let config_js = format!(
            "window.MP_SIM_CONFIG = {};\nwindow.__mp = {{ modules: {{}}, files: {{}}, columns: {{}} }};\n",
            json!({
                "controlUrl": config.control_url,
                "graphqlUrl": config.graphql_url,
                "appId": config.app_id,
                "zionHosts": config.zion_hosts,
                "storage": config.storage,
                "mocks": config.mocks,
                "user": config.user.iter().map(|(method, arg)| json!([method, arg])).collect::<Vec<_>>(),
                "modules": modules,
                "sources": program.sources,
                "subpackages": program.subpackages.iter().map(|s| json!({"root": s.root, "independent": s.independent})).collect::<Vec<_>>(),
            })
        );
        let files_js = format!(
            "window.__mp.files = {};\n",
            serde_json::to_string(&program.files).unwrap_or_default()
        );
        let js = |body: String| {
            move || async move {
                (
                    [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                    body,
                )
            }
        };
        let modules = program.clone();
        let router = Router::new()
            .route(
                "/",
                get(|| async {
                    (
                        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                        phone(),
                    )
                }),
            )
            .route("/__mp/config.js", get(js(config_js)))
            .route("/__mp/files.js", get(js(files_js)))
            .route(
                "/__mp/module/{*path}",
                get(move |UrlPath(path): UrlPath<String>| {
                    let program = modules.clone();
                    async move { module(&program, &path) }
                }),
            )
            .route("/__mp/regions.js", get(|| async { regions() }))
            .route(
                "/__mp-sim/{*path}",
                get(|UrlPath(path): UrlPath<String>| async move { sim_file(&path) }),
            )
            .fallback_service(ServeDir::new(program.dir.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(MpHost { addr, task })
    }

    /// The phone's origin, `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for MpHost {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A module wrapped in its factory. The header shares the file's first line so every line
/// number in a stack trace is the file's own; the module's body is a function of its own, so
/// its top-level `const App = getApp()` shadows the global instead of clashing with it. A
/// compiled module is named after the file its author wrote (`sourceURL`), and the columns
/// compiling moved go with it for mp-sim to map back.
fn module(program: &MiniProgram, path: &str) -> Response {
    let Some(source) = program.modules.get(path) else {
        return (StatusCode::NOT_FOUND, format!("no module {path}")).into_response();
    };
    let named = program
        .sources
        .get(path)
        .map(String::as_str)
        .unwrap_or(path);
    // An ES module's top-level `this` is undefined (its compiled code is strict), a CommonJS
    // module's its exports.
    let this = match program.es_modules.contains(path) {
        true => "undefined",
        false => "this",
    };
    let mut script = format!(
        "window.__mp.modules[{}] = function (require, module, exports, {FACTORY_PARAMS}) {{ (function (require, module, exports) {{{source}\n}}).call({this}, require, module, exports); }};\n",
        json!(path)
    );
    if let Some(columns) = program.columns.get(path) {
        script.push_str(&format!(
            "window.__mp.columns[{}] = {};\n",
            json!(named),
            json!(columns)
        ));
    }
    if named != path {
        script.push_str(&format!("//# sourceURL=/__mp/module/{named}\n"));
    }
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        script,
    )
        .into_response()
}

/// The text of one of mp-sim's runtime files, as embedded in this binary.
pub fn runtime_file(path: &str) -> Option<&'static str> {
    MP_SIM.get_file(path).and_then(|file| file.contents_utf8())
}

/// The region picker's data, read from mp-sim's npm packages when a picker first needs it.
fn regions() -> Response {
    let path = crate::mini_program::survey::mp_sim_dir()
        .join("node_modules/@vant/area-data/dist/index.js");
    match std::fs::read_to_string(&path) {
        Ok(script) => (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
            script,
        )
            .into_response(),
        Err(e) => (
            StatusCode::NOT_FOUND,
            format!(
                "<picker mode=\"region\"> needs China's administrative divisions from mp-sim's npm package @vant/area-data, and {} cannot be read ({e}): run scripts/setup (it installs mp-sim's packages from mp-sim/package-lock.json)",
                path.display()
            ),
        )
            .into_response(),
    }
}

fn sim_file(path: &str) -> Response {
    let Some(file) = MP_SIM.get_file(path) else {
        return (StatusCode::NOT_FOUND, format!("mp-sim has no {path}")).into_response();
    };
    let mime = match path.rsplit('.').next() {
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        _ => "application/octet-stream",
    };
    ([(header::CONTENT_TYPE, mime)], file.contents()).into_response()
}
