//! Real third-party components in mp-sim: a checkout Mini Program written for this test
//! (`tests/fixtures/mp-ui-libraries`) built from Vant Weapp's and TDesign's components,
//! installed from npm by `scripts/setup` (their code is never committed) and built as WeChat
//! DevTools' "build npm" builds them. A real Chromium renders both pages; taps, typing and the
//! components' own events are driven over WebDriver, and what the page's handlers received is
//! read back from the page itself.

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

/// The demo served, a browser, and its page opened on `route`.
async fn demo_on(route: &str) -> (MpHost, Browser, Page) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mp-ui-libraries");
    assert!(
        dir.join("node_modules/@vant/weapp").is_dir(),
        "run scripts/setup: it installs the demo's npm packages"
    );
    let program = Arc::new(MiniProgram::load(&dir).unwrap());
    let host = MpHost::start(program, &MpConfig::default()).await.unwrap();
    let browser = Browser::launch(BrowserOptions::default()).await.unwrap();
    let page = Page::new(browser.session().await.unwrap());
    shopper::open(&page, &host.origin(), Duration::from_secs(20))
        .await
        .unwrap();
    if route != "pages/vant/vant" {
        page.run("window.__mpSim.go(arguments[0])", vec![route.into()])
            .await
            .unwrap();
        if let Err(e) = shopper::wait_for_page(&page, route, Duration::from_secs(10)).await {
            let probe = page
                .run("return [window.__mpSim.errors.length, JSON.stringify(window.__mpSim.errors).slice(0, 1500), window.__mpSim.stack(), window.__mpSim.calls.map(c => c.api + ' ' + JSON.stringify(c.result)).slice(-10), document.body.innerText.slice(0, 300)]", vec![])
                .await;
            panic!("{e}: {:#?} {probe:?}", errors(&page).await);
        }
    }
    (host, browser, page)
}

/// The text of the first shown element matching `css` once it contains `expected`.
async fn text_becomes(page: &Page, css: &str, expected: &str) -> String {
    text_until(page, css, |text| text.contains(expected)).await
}

/// Clicks the first shown element matching `css` whose text contains `text`, once nothing
/// covers it (an overlay fading out), as a shopper would.
async fn tap(page: &Page, css: &str, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let mut covered = None;
        for element in page.client().find_all(Locator::Css(css)).await.unwrap() {
            let shown = element.is_displayed().await.unwrap_or(false);
            if shown && element.text().await.unwrap_or_default().contains(text) {
                match element.click().await {
                    Ok(()) => return,
                    Err(e) => covered = Some(e.to_string()),
                }
                break;
            }
        }
        assert!(
            Instant::now() < deadline,
            "no shown, uncovered {css} with {text:?}: {covered:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn errors(page: &Page) -> Vec<String> {
    let state = shopper::state(page).await.unwrap();
    state
        .errors
        .iter()
        .map(|e| format!("{}: {} {}", e.place, e.message, e.stack))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tdesign_checkout_renders_and_its_components_answer_taps_and_typing() {
    // TDesign ships ES modules with decorated classes: compiled as DevTools compiles them.
    let (_host, browser, page) = demo_on("pages/tdesign/tdesign").await;
    let route = "wx-page[data-route='pages/tdesign/tdesign']";
    let body = text_becomes(&page, route, "Pay").await;
    for shown in ["Basic: 1 seat", "WeChat Pay", "I agree to the terms", "990"] {
        assert!(body.contains(shown), "{shown:?} not in {body}");
    }
    let log = |expected: &'static str| {
        let page = &page;
        async move {
            let text = text_becomes(page, &format!("{route} .log"), expected).await;
            assert!(text.ends_with(expected), "{text} {:#?}", errors(page).await);
        }
    };

    tap(&page, ".t-tabs__item", "Team").await;
    log("tab team;").await;
    tap(&page, ".t-stepper__plus", "").await;
    log("seats 2;").await;
    assert!(text_becomes(&page, "t-tag", "3980").await.contains("3980"));
    // The Vant page, under this one in the stack, has a .coupon too (hidden).
    let field = page
        .client()
        .find(Locator::Css(&format!("{route} .coupon input")))
        .await
        .unwrap();
    field.send_keys("VIP").await.unwrap();
    log("coupon VIP;").await;
    tap(&page, ".t-radio", "Balance").await;
    log("pay balance;").await;
    tap(&page, ".t-checkbox", "I agree").await;
    log("agreed true;").await;
    tap(&page, ".t-switch__body", "").await;
    log("invoice true;").await;

    tap(&page, ".details", "Details").await;
    assert!(text_becomes(&page, "t-popup", "Includes invoices")
        .await
        .contains("Includes invoices"));
    tap(&page, ".t-overlay", "").await;
    log("popup false;").await;

    tap(&page, ".pay", "Pay").await;
    assert!(text_becomes(&page, "t-dialog", "Pay now?")
        .await
        .contains("3980 fen"));
    tap(&page, ".t-button", "OK").await;
    log("confirmed;").await;
    assert!(text_becomes(&page, "t-toast", "Paid 3980")
        .await
        .contains("Paid 3980"));
    // A library's toast is a toast to the steps and the failure report too.
    let state = shopper::state(&page).await.unwrap();
    assert_eq!(state.toasts(), ["Paid 3980"], "{:?}", state.shown);
    assert!(state.shown[0]
        .component
        .ends_with("tdesign-miniprogram/toast/toast"));

    assert_eq!(errors(&page).await, Vec::<String>::new());
    browser.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_vant_checkout_renders_and_its_components_answer_taps_and_typing() {
    let (_host, browser, page) = demo_on("pages/vant/vant").await;
    let body = text_becomes(&page, "wx-page", "Pay").await;
    for shown in [
        "Basic: 1 seat",
        "billed monthly",
        "e-mail",
        "WeChat Pay",
        "合计：¥9.90",
    ] {
        assert!(body.contains(shown), "{shown:?} not in {body}");
    }
    assert!(!body.contains("Team: 5 seats"), "{body}");

    // Tabs: a tap on the title switches the panel and the page hears change with its name.
    tap(&page, ".van-tab", "Team").await;
    assert_eq!(text_becomes(&page, ".log", "tab team").await, "tab team;");
    assert!(text_becomes(&page, "van-submit-bar", "19.90")
        .await
        .contains("¥19.90"));

    // Stepper: plus adds a seat; the price follows.
    tap(&page, ".van-stepper__plus", "").await;
    assert_eq!(
        text_becomes(&page, ".log", "seats 2").await,
        "tab team;seats 2;"
    );
    assert!(text_becomes(&page, "van-submit-bar", "39.80")
        .await
        .contains("¥39.80"));

    // Field: typing reaches bind:change with the text as detail.
    let field = page
        .client()
        .find(Locator::Css(".coupon input"))
        .await
        .unwrap();
    field.send_keys("VIP").await.unwrap();
    text_becomes(&page, ".log", "coupon VIP;").await;

    // Radio group and checkbox.
    tap(&page, ".van-radio__label", "Balance").await;
    let log = text_becomes(&page, ".log", "pay balance;").await;
    assert!(
        log.ends_with("pay balance;"),
        "{log} {:#?}",
        errors(&page).await
    );
    assert!(text_becomes(&page, "van-tag", "余额")
        .await
        .contains("余额"));
    tap(&page, ".van-checkbox__label", "I agree").await;
    let log = text_becomes(&page, ".log", "agreed true;").await;
    assert!(log.ends_with("agreed true;"), "{log}");

    // Popup: shown on a tap, closed by its overlay.
    tap(&page, ".details", "Details").await;
    assert!(text_becomes(&page, "van-popup", "Includes invoices")
        .await
        .contains("Includes invoices"));
    tap(&page, ".van-overlay", "").await;
    text_becomes(&page, ".log", "details closed;").await;

    // Action sheet: a tap on an action is its select event.
    tap(&page, ".delivery-cell", "Delivery").await;
    tap(&page, ".van-action-sheet__item", "post").await;
    text_becomes(&page, ".log", "delivery post;").await;

    // Dialog (Vant's Dialog.confirm API, through selectComponent) and Toast.
    tap(&page, ".ask", "Ask first").await;
    assert!(text_becomes(&page, "van-dialog", "Pay now?")
        .await
        .contains("39.8 yuan"));
    tap(&page, ".van-dialog__confirm", "").await;
    text_becomes(&page, ".log", "dialog confirmed;").await;
    tap(&page, ".van-submit-bar__button", "Pay").await;
    let log = text_becomes(&page, ".log", "submit 3980;").await;
    assert_eq!(
        log,
        "tab team;seats 2;coupon V;coupon VI;coupon VIP;pay balance;agreed true;details closed;delivery post;dialog confirmed;submit 3980;"
    );
    assert!(text_becomes(&page, "van-toast", "Paid 39.80")
        .await
        .contains("Paid 39.80"));
    let state = shopper::state(&page).await.unwrap();
    assert!(state.toasts().contains(&"Paid 39.80"), "{:?}", state.shown);

    assert_eq!(errors(&page).await, Vec::<String>::new());
    browser.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn weui_from_use_extended_lib_renders_and_its_dialog_answers() {
    // No package of the app's own: WeChat provides WeUI, and so does mp-sim.
    let (_host, browser, page) = demo_on("pages/weui/weui").await;
    let route = "wx-page[data-route='pages/weui/weui']";
    let body = text_becomes(&page, route, "基础套餐").await;
    assert!(body.contains("订单") && body.contains("¥9.90"), "{body}");
    // Open from the start: WeUI's own dialog hides itself 300 ms after it is first drawn
    // closed, so one opened sooner by a tap would close again (as on a phone).
    assert!(text_becomes(&page, "mp-dialog", "确认支付")
        .await
        .contains("支付 ¥9.90？"));
    tap(&page, ".weui-dialog__btn", "确定").await;
    let log = text_becomes(&page, &format!("{route} .log"), "button 1 确定;").await;
    assert_eq!(log, "button 1 确定;", "{:#?}", errors(&page).await);
    assert!(errors(&page).await.is_empty(), "{:#?}", errors(&page).await);
    browser.shutdown().await;
}
