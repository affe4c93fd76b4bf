//! mp-sim's DOM side in a real headless Chromium: a small Mini Program
//! (`tests/fixtures/mp-sim-widgets`) driven over WebDriver — input binding, tap bubbling and
//! `catchtap`, `wx:for` with `data-*`, a disabled button, a modal, a navigator; and a pooled
//! session that forgets what an origin stored.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use zion_pay_e2e::browser::page::Page;
use zion_pay_e2e::browser::{Browser, BrowserOptions};
use zion_pay_e2e::mini_program::host::{MpConfig, MpHost};
use zion_pay_e2e::mini_program::shopper;
use zion_pay_e2e::mini_program::MiniProgram;

mod browser_support;
use browser_support::text_until;

/// The text of the first element matching `css`, once it equals `expected` (or after 5 s).
async fn text_becomes(page: &Page, css: &str, expected: &str) -> String {
    text_until(page, css, |text| text == expected).await
}

async fn click(page: &Page, css: &str) {
    page.client()
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .click()
        .await
        .unwrap();
}

/// The widgets Mini Program served, and a browser to open it in.
async fn widgets_in_a_browser() -> (MpHost, Browser) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mp-sim-widgets");
    let program = Arc::new(MiniProgram::load(&dir).unwrap());
    let host = MpHost::start(program, &MpConfig::default()).await.unwrap();
    let browser = Browser::launch(BrowserOptions::default()).await.unwrap();
    (host, browser)
}

#[tokio::test(flavor = "multi_thread")]
async fn wxml_renders_real_elements_that_webdriver_drives() {
    let (host, browser) = widgets_in_a_browser().await;
    let page = Page::new(browser.session().await.unwrap());
    shopper::open(&page, &host.origin(), Duration::from_secs(10))
        .await
        .unwrap();

    // Typing fires bindinput; setData re-renders the bound text.
    let input = page
        .client()
        .find(Locator::Css("input.name"))
        .await
        .unwrap();
    input.send_keys("Ann").await.unwrap();
    let echo = page.client().find(Locator::Css(".echo")).await.unwrap();
    assert_eq!(echo.text().await.unwrap(), "hello Ann");

    // catchtap stops at the button; bindtap bubbles to the outer view.
    click(&page, ".inner").await;
    assert_eq!(text_becomes(&page, ".log", "inner;").await, "inner;");
    click(&page, ".bubbling").await;
    assert_eq!(
        text_becomes(&page, ".log", "inner;bubbling;outer;").await,
        "inner;bubbling;outer;"
    );

    // wx:for items carry their data-* in event.currentTarget.dataset.
    let items = page.client().find_all(Locator::Css(".item")).await.unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1].text().await.unwrap(), "1-b");
    items[1].click().await.unwrap();
    let expected = "inner;bubbling;outer;pick 8;";
    assert_eq!(text_becomes(&page, ".log", expected).await, expected);

    // A disabled button fires nothing.
    click(&page, ".locked").await;
    assert_eq!(text_becomes(&page, ".log", expected).await, expected);

    // showModal is on screen; the shopper's tap answers it.
    click(&page, ".ask").await;
    click(&page, "#mp-modal-confirm").await;
    let expected = format!("{expected}confirmed;");
    assert_eq!(text_becomes(&page, ".log", &expected).await, expected);

    // A navigator opens its page with the query as onLoad's options.
    click(&page, ".go").await;
    shopper::wait_for_page(&page, "pages/other/other", Duration::from_secs(5))
        .await
        .unwrap();
    let from = page.client().find(Locator::Css(".from")).await.unwrap();
    assert_eq!(from.text().await.unwrap(), "from home");
    // `const App = getApp()` at the module's top level runs; `window` is not in its scope.
    let scope = page.client().find(Locator::Css(".scope")).await.unwrap();
    assert_eq!(scope.text().await.unwrap(), "window false app");

    // A subpackage's modules load when its page is first opened.
    let loaded = "return Object.hasOwn(window.__mp.modules, 'shop/pay/pay.js')";
    assert_eq!(page.run(loaded, vec![]).await.unwrap(), false);
    page.run("window.__mpSim.go('/shop/pay/pay')", vec![])
        .await
        .unwrap();
    shopper::wait_for_page(&page, "shop/pay/pay", Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(page.run(loaded, vec![]).await.unwrap(), true);
    let total = page.client().find(Locator::Css(".total")).await.unwrap();
    assert_eq!(total.text().await.unwrap(), "pay 9.90");

    let state = shopper::state(&page).await.unwrap();
    assert!(state.errors.is_empty(), "{:?}", state.errors);
    let apis: Vec<&str> = state.calls.iter().map(|c| c.api.as_str()).collect();
    assert_eq!(apis, ["showModal", "navigateTo"]);
    browser.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tab_bar_is_drawn_on_tab_pages_and_a_tap_switches_tabs() {
    let (host, browser) = widgets_in_a_browser().await;
    let page = Page::new(browser.session().await.unwrap());
    shopper::open(&page, &host.origin(), Duration::from_secs(10))
        .await
        .unwrap();
    let tabs = page
        .client()
        .find_all(Locator::Css("#mp-tabbar wx-tab-bar-item"))
        .await
        .unwrap();
    assert_eq!(tabs.len(), 2);
    assert_eq!(
        tabs[0].attr("aria-selected").await.unwrap().as_deref(),
        Some("true")
    );
    tabs[1].click().await.unwrap();
    shopper::wait_for_page(&page, "pages/mine/mine", Duration::from_secs(5))
        .await
        .unwrap();
    let mine = page.client().find(Locator::Css(".mine")).await.unwrap();
    assert_eq!(mine.text().await.unwrap(), "mine, shown 1 time(s)");
    // The page's wx.setTabBarBadge is drawn on the first tab; the second is selected.
    let deadline = Instant::now() + Duration::from_secs(5);
    let first = loop {
        let tabs = page
            .client()
            .find_all(Locator::Css("#mp-tabbar wx-tab-bar-item"))
            .await
            .unwrap();
        let first = tabs[0].text().await.unwrap();
        if first.contains('2') || Instant::now() > deadline {
            assert_eq!(
                tabs[1].attr("aria-selected").await.unwrap().as_deref(),
                Some("true")
            );
            break first;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(first.split_whitespace().collect::<Vec<_>>(), ["Home", "2"]);

    // Built-in components: a swiper shows one item and a dot tap is a touch change; rich-text
    // draws its HTML without running its script; a textarea's typing reaches the page.
    let shown_ads = || async {
        let mut shown = Vec::new();
        for ad in page.client().find_all(Locator::Css(".ad")).await.unwrap() {
            if ad.is_displayed().await.unwrap() {
                shown.push(ad.text().await.unwrap());
            }
        }
        shown
    };
    assert_eq!(shown_ads().await, ["spring sale"]);
    click(&page, "wx-swiper-dot:nth-child(3)").await;
    let log = page.client().find(Locator::Css(".mine-log")).await.unwrap();
    assert_eq!(log.text().await.unwrap(), "ad 2 touch;");
    assert_eq!(shown_ads().await, ["free trial"]);
    let receipt = page.client().find(Locator::Css(".receipt")).await.unwrap();
    assert_eq!(receipt.text().await.unwrap(), "Paid 9.90 yuan");
    assert_eq!(
        page.run("return window.hacked === true", vec![])
            .await
            .unwrap(),
        false
    );
    let note = page
        .client()
        .find(Locator::Css("textarea.note"))
        .await
        .unwrap();
    note.send_keys("call me").await.unwrap();
    let echo = page
        .client()
        .find(Locator::Css(".echo-note"))
        .await
        .unwrap();
    assert_eq!(echo.text().await.unwrap(), "note: call me");
    // A page that is not a tab has no tab bar.
    page.run("window.__mpSim.go('/pages/other/other')", vec![])
        .await
        .unwrap();
    shopper::wait_for_page(&page, "pages/other/other", Duration::from_secs(5))
        .await
        .unwrap();
    let bar = page
        .client()
        .find(Locator::Css("#mp-tabbar"))
        .await
        .unwrap();
    assert!(!bar.is_displayed().await.unwrap());
    let state = shopper::state(&page).await.unwrap();
    assert!(state.errors.is_empty(), "{:?}", state.errors);
    browser.shutdown().await;
}

/// A pooled session comes back to the same origin (a dev server's, every scenario): what the
/// previous scenario stored there must be gone.
#[tokio::test(flavor = "multi_thread")]
async fn a_reused_session_forgets_what_an_origin_stored() {
    let (host, browser) = widgets_in_a_browser().await;
    let page = Page::new(browser.session().await.unwrap());
    page.open(&host.origin()).await.unwrap();
    page.run(
        "localStorage.setItem('token', 'from-the-last-scenario')",
        vec![],
    )
    .await
    .unwrap();
    browser.release(page.into_session()).await;

    let page = Page::new(browser.session().await.unwrap());
    page.forget_origin(&host.origin()).await;
    page.open(&host.origin()).await.unwrap();
    let left = page
        .run("return localStorage.getItem('token')", vec![])
        .await
        .unwrap();
    assert_eq!(left, serde_json::Value::Null);
    browser.release(page.into_session()).await;
    browser.shutdown().await;
}

/// The order page's log.
const LOG: &str = "wx-page[data-route=\"pages/order/order\"] .log";

/// The page's data field `name`, read from mp-sim.
async fn data(page: &Page, name: &str) -> serde_json::Value {
    page.run(
        "return window.__mpSim.data()[arguments[0]];",
        vec![name.into()],
    )
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn wechat_form_controls_pickers_and_native_components_are_driven_like_a_shopper() {
    use zion_pay_e2e::ui::{self, controls, locate::Target};
    let text = |t: &str| Target::Text(t.to_string());
    let wait = Duration::from_secs(5);
    let (host, browser) = widgets_in_a_browser().await;
    let page = Page::new(browser.session().await.unwrap());
    shopper::open(&page, &host.origin(), wait).await.unwrap();
    shopper::go(&page, "pages/order/order").await.unwrap();
    shopper::wait_for_page(&page, "pages/order/order", wait)
        .await
        .unwrap();

    // The canvas the page drew in onReady became a picture file.
    let poster = text_becomes(&page, LOG, "poster blob:;").await;
    assert_eq!(poster, "poster blob:;");

    // wx.chooseAddress answers the address the scenario gave.
    shopper::user_answer(
        &page,
        "address",
        shopper::address_from_rows(&[
            vec!["name".into(), "李四".into()],
            vec!["phone".into(), "13800000000".into()],
        ])
        .unwrap(),
    )
    .await
    .unwrap();
    ui::click(&page, &text("选择收货地址"), wait).await.unwrap();
    let shown = text_becomes(
        &page,
        ".address-shown",
        "李四 13800000000 广东省广州市海珠区新港中路397号",
    )
    .await;
    assert_eq!(shown, "李四 13800000000 广东省广州市海珠区新港中路397号");

    // Pickers, found by the words beside them, chosen through their sheets.
    ui::choose(&page, &text("尺码"), "L", wait).await.unwrap();
    assert_eq!(text_becomes(&page, ".size", "L").await, "L");
    ui::choose(&page, &text("配送日期"), "2027-02-14", wait)
        .await
        .unwrap();
    assert_eq!(
        text_becomes(&page, ".date", "2027-02-14").await,
        "2027-02-14"
    );
    ui::choose(&page, &text("收货地区"), "广东省 / 深圳市 / 南山区", wait)
        .await
        .unwrap();
    assert_eq!(
        text_becomes(&page, ".region", "广东省 深圳市 南山区").await,
        "广东省 深圳市 南山区"
    );
    let missing = ui::choose(&page, &text("尺码"), "XXL", wait)
        .await
        .unwrap_err();
    assert!(
        missing.contains("has no \"XXL\" in its column 1; it offers: \"S\", \"M\", \"L\""),
        "{missing}"
    );
    page.client()
        .find(Locator::Css("wx-picker-bar [data-action=\"cancel\"]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // A switch by the words beside it, a checkbox and a radio by their labels, a field, then
    // the form's submit button: submit carries every named field.
    controls::toggle(&page, &text("开具发票"), true, wait)
        .await
        .unwrap();
    controls::toggle(&page, &text("礼品包装"), true, wait)
        .await
        .unwrap();
    controls::toggle(&page, &text("礼品包装"), true, wait)
        .await
        .unwrap();
    ui::click(&page, &text("余额支付"), wait).await.unwrap();
    ui::fill(&page, &text("备注"), "放门口", wait)
        .await
        .unwrap();
    controls::submit_form(&page, wait).await.unwrap();
    text_becomes(&page, LOG, "poster blob:;postcode 440300;submitted;").await;
    assert_eq!(
        data(&page, "submitted").await,
        serde_json::json!({
            "date": "2027-02-14", "size": 2, "region": ["广东省", "深圳市", "南山区"],
            "invoice": true, "extras": ["gift"], "pay": "balance", "note": "放门口"
        })
    );

    // A refused permission, an action sheet, an open-type button, a video, a chosen photo.
    shopper::user_answer(&page, "refuse", "location".into())
        .await
        .unwrap();
    ui::click(&page, &text("定位"), wait).await.unwrap();
    ui::click(&page, &text("更多"), wait).await.unwrap();
    ui::click(&page, &text("客服"), wait).await.unwrap();
    ui::click(&page, &text("授权手机号"), wait).await.unwrap();
    click(&page, "wx-video .mp-video-toggle").await;
    ui::click(&page, &text("上传凭证"), wait).await.unwrap();
    let expected = "poster blob:;postcode 440300;submitted;getLocation:fail auth deny;sheet 1;getPhoneNumber:ok;play;photo 8x8;";
    assert_eq!(text_becomes(&page, LOG, expected).await, expected);
    let photo = page.client().find(Locator::Css("img.photo")).await.unwrap();
    assert!(photo
        .attr("src")
        .await
        .unwrap()
        .unwrap()
        .starts_with("blob:"));
    let state = shopper::state(&page).await.unwrap();
    assert!(state.errors.is_empty(), "{:?}", state.errors);
}

/// Writes a Mini Program of one page, `pages/index/index`, into `dir`: its `.js` and `.wxml`,
/// with an empty `App` and `files` (path, text) beside them.
fn write_program(dir: &Path, files: &[(&str, &str)]) {
    let app = [
        ("app.json", r#"{"pages": ["pages/index/index"]}"#),
        ("app.js", "App({});\n"),
    ];
    for (path, text) in app.iter().chain(files) {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Serves the Mini Program in `dir`, opens it in a browser with the harness's page watcher,
/// as in every scenario.
async fn open_program(dir: &Path) -> (MpHost, Browser, Page) {
    let program = Arc::new(MiniProgram::load(dir).unwrap());
    let host = MpHost::start(program, &MpConfig::default()).await.unwrap();
    let browser = Browser::launch(BrowserOptions::default()).await.unwrap();
    let page = Page::new(browser.session().await.unwrap());
    page.reroute_zion_to("http://127.0.0.1:9/graphql", "ws://127.0.0.1:9/ws", &[])
        .await
        .unwrap();
    shopper::open(&page, &host.origin(), Duration::from_secs(10))
        .await
        .unwrap();
    (host, browser, page)
}

/// A Mini Program whose npm package ships a file that does not parse as a script (a test
/// using `import.meta`), which nothing requires, and whose own module that does not parse is
/// required in a `try`: WeChat never runs the first, and fails the second where it is required.
const FILES_THAT_DO_NOT_PARSE: &[(&str, &str)] = &[
    ("package.json", r#"{"dependencies": {"money": "1.0.0"}}"#),
    (
        "node_modules/money/package.json",
        r#"{"name": "money", "version": "1.0.0", "main": "yuan.js"}"#,
    ),
    (
        "node_modules/money/yuan.js",
        "module.exports = (fen) => (fen / 100).toFixed(2);\n",
    ),
    (
        "node_modules/money/test/esm.js",
        "console.log(import.meta.url);\n",
    ),
    ("utils/broken.js", "module.exports = import.meta.url;\n"),
    (
        "pages/index/index.js",
        "const yuan = require('money');\nlet why = 'required without error';\ntry { require('../../utils/broken.js'); } catch (e) { why = e.message; }\nPage({ data: { price: yuan(990), why } });\n",
    ),
    (
        "pages/index/index.wxml",
        "<view class=\"price\">{{price}}</view><view class=\"why\">{{why}}</view>\n",
    ),
];

#[tokio::test(flavor = "multi_thread")]
async fn a_module_that_does_not_parse_fails_where_it_is_required_and_nowhere_else() {
    let dir = tempfile::tempdir().unwrap();
    write_program(dir.path(), FILES_THAT_DO_NOT_PARSE);
    let (_host, browser, page) = open_program(dir.path()).await;

    assert_eq!(text_becomes(&page, ".price", "9.90").await, "9.90");
    let why = text_until(&page, ".why", |text| text.contains("import.meta")).await;
    assert!(why.contains("import.meta"), "{why}");
    // The package's test file was loaded, never required: no error of the app's.
    let errors = page.page_errors().await;
    assert!(errors.is_empty(), "{errors:?}");
    browser.release(page.into_session()).await;
    browser.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_es_modules_top_level_this_is_undefined_and_a_commonjs_modules_its_exports() {
    let dir = tempfile::tempdir().unwrap();
    write_program(
        dir.path(),
        &[
            // As a component library's toast is called: `Toast({ context: this })`.
            ("utils/esm.js", "export const context = () => typeof this;\n"),
            ("utils/cjs.js", "module.exports = this === module.exports;\n"),
            (
                "pages/index/index.js",
                "import { context } from '../../utils/esm.js';\nconst cjs = require('../../utils/cjs.js');\nPage({ data: { esm: context(), cjs: String(cjs) } });\n",
            ),
            (
                "pages/index/index.wxml",
                "<view class=\"this\">{{esm}} {{cjs}}</view>\n",
            ),
        ],
    );
    let (_host, browser, page) = open_program(dir.path()).await;
    assert_eq!(
        text_becomes(&page, ".this", "undefined true").await,
        "undefined true"
    );
    browser.release(page.into_session()).await;
    browser.shutdown().await;
}

/// A list still drawing shows "movable-view" and "cover-view" before "view" itself: a tap on
/// "view" waits for the element that reads exactly so instead of calling the words ambiguous.
/// Words that several elements read exactly are ambiguous at once.
#[tokio::test(flavor = "multi_thread")]
async fn a_tap_waits_for_the_exact_words_while_only_longer_ones_are_shown() {
    use zion_pay_e2e::ui::{self, locate::Target};
    let dir = tempfile::tempdir().unwrap();
    write_program(
        dir.path(),
        &[
            (
                "pages/index/index.js",
                "Page({\n  data: { items: ['movable-view', 'cover-view', 'twin', 'twin'], tapped: '' },\n  onReady() { setTimeout(() => this.setData({ items: ['view', ...this.data.items] }), 300); },\n  tap(e) { this.setData({ tapped: e.currentTarget.dataset.name }); },\n});\n",
            ),
            (
                "pages/index/index.wxml",
                "<view wx:for=\"{{items}}\" wx:key=\"index\" class=\"item\" data-name=\"{{item}}\" bindtap=\"tap\">{{item}}</view>\n<view class=\"tapped\">{{tapped}}</view>\n",
            ),
        ],
    );
    let (_host, browser, page) = open_program(dir.path()).await;
    ui::click(&page, &Target::Text("view".into()), Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(text_becomes(&page, ".tapped", "view").await, "view");
    let twins = ui::click(&page, &Target::Text("twin".into()), Duration::from_secs(5)).await;
    let message = twins.unwrap_err();
    assert!(message.contains("points at 2 shown elements"), "{message}");
    browser.release(page.into_session()).await;
    browser.shutdown().await;
}

/// An error mp-sim records (a page's `onLoad` throwing) is named once in a failure: from
/// mp-sim's record, not again from the console line mp-sim logs it with.
#[tokio::test(flavor = "multi_thread")]
async fn an_error_mp_sim_records_is_not_recorded_again_from_its_console_line() {
    let dir = tempfile::tempdir().unwrap();
    write_program(
        dir.path(),
        &[
            (
                "pages/index/index.js",
                "Page({ data: { shown: 'yes' }, onLoad() { throw new Error('boom in onLoad'); } });\n",
            ),
            ("pages/index/index.wxml", "<view class=\"shown\">{{shown}}</view>\n"),
        ],
    );
    let (_host, browser, page) = open_program(dir.path()).await;
    let state = shopper::state(&page).await.unwrap();
    assert!(
        state.errors.iter().any(|e| e.message == "boom in onLoad"),
        "{:?}",
        state.errors
    );
    let errors = page.page_errors().await;
    assert!(
        errors.iter().all(|e| !e.message.contains("[mp-sim]")),
        "{errors:?}"
    );
    browser.release(page.into_session()).await;
    browser.shutdown().await;
}

/// `require.async` from the main package loads the module's subpackage first, as WeChat
/// downloads it then.
#[tokio::test(flavor = "multi_thread")]
async fn require_async_loads_the_subpackage_of_the_module() {
    let dir = tempfile::tempdir().unwrap();
    write_program(
        dir.path(),
        &[
            (
                "app.json",
                r#"{"pages": ["pages/index/index"], "subpackages": [{"root": "sub", "pages": ["page/page"]}]}"#,
            ),
            ("sub/util.js", "module.exports = { answer: 42 };\n"),
            ("sub/page/page.js", "Page({});\n"),
            ("sub/page/page.wxml", "<view>sub</view>\n"),
            (
                "pages/index/index.js",
                "Page({ data: { answer: '' }, onLoad() { require.async('../../sub/util.js').then((u) => this.setData({ answer: String(u.answer) }), (e) => this.setData({ answer: e.errMsg })); } });\n",
            ),
            ("pages/index/index.wxml", "<view class=\"answer\">{{answer}}</view>\n"),
        ],
    );
    let (_host, browser, page) = open_program(dir.path()).await;
    assert_eq!(text_becomes(&page, ".answer", "42").await, "42");
    browser.release(page.into_session()).await;
    browser.shutdown().await;
}
