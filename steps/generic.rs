//! Generic steps: what any shopper does on any page of a web app or a Mini Program. Each reads
//! the same after Given, When, Then, And or But (as Behat's Mink steps do), in English and in
//! Chinese. Pages and elements are named in `zion-e2e.toml` (`[web_app.pages]`,
//! `[web_app.elements]`, the same under `[mini_program]`); a word that names no element is
//! the text the shopper reads on it.
//!
//! The shopper is in the Mini Program once a step opened it, else in the web app.

use std::time::Duration;

use cucumber::{given, then, when};

use super::ShopWorld;
use crate::ui::names::PagePattern;
use crate::ui::{self, locate::Target, Place};

/// How long a step waits for what it looks for: pages load, apps answer.
const WAIT: Duration = Duration::from_secs(10);

/// Opens a page by its path: `/plans/101` in the web app, `pages/plan/plan?id=101` in the
/// Mini Program.
#[given(expr = "the shopper opens {string}")]
#[when(expr = "the shopper opens {string}")]
#[then(expr = "the shopper opens {string}")]
#[given(expr = "顾客打开 {string}")]
#[when(expr = "顾客打开 {string}")]
#[then(expr = "顾客打开 {string}")]
async fn opens_path(w: &mut ShopWorld, path: String) -> Result<(), String> {
    let result = w.open_path(&path).await;
    w.explain(result).await
}

/// Opens a page named in the config.
#[given(expr = "the shopper opens the {string} page")]
#[when(expr = "the shopper opens the {string} page")]
#[then(expr = "the shopper opens the {string} page")]
#[given(expr = "顾客打开 {string} 页面")]
#[when(expr = "顾客打开 {string} 页面")]
#[then(expr = "顾客打开 {string} 页面")]
async fn opens_named(w: &mut ShopWorld, name: String) -> Result<(), String> {
    let result = w.open_named_page(&name, &[]).await;
    w.explain(result).await
}

/// Opens a named page whose path takes one parameter: `the "plan" page for 101`.
#[given(expr = "the shopper opens the {string} page for {word}")]
#[when(expr = "the shopper opens the {string} page for {word}")]
#[then(expr = "the shopper opens the {string} page for {word}")]
#[given(expr = "顾客打开 {word} 的 {string} 页面")]
#[when(expr = "顾客打开 {word} 的 {string} 页面")]
#[then(expr = "顾客打开 {word} 的 {string} 页面")]
async fn opens_named_for(w: &mut ShopWorld, name: String, value: String) -> Result<(), String> {
    let result = w.open_named_page(&name, &[&value]).await;
    w.explain(result).await
}

/// Clicks what carries this text, or the element named so in the config.
#[given(expr = "the shopper clicks {string}")]
#[when(expr = "the shopper clicks {string}")]
#[then(expr = "the shopper clicks {string}")]
#[given(expr = "顾客点击 {string}")]
#[when(expr = "顾客点击 {string}")]
#[then(expr = "顾客点击 {string}")]
async fn clicks(w: &mut ShopWorld, what: String) -> Result<(), String> {
    let result = ui::click(w.page(), &w.target(&what), WAIT).await;
    w.explain(result).await
}

/// A tap is a click: the Mini Program's word for it.
#[given(expr = "the shopper taps {string}")]
#[when(expr = "the shopper taps {string}")]
#[then(expr = "the shopper taps {string}")]
#[given(expr = "顾客轻触 {string}")]
#[when(expr = "顾客轻触 {string}")]
#[then(expr = "顾客轻触 {string}")]
async fn taps(w: &mut ShopWorld, what: String) -> Result<(), String> {
    clicks(w, what).await
}

/// Types into a field found by its label, placeholder, name or id, or named in the config.
#[given(expr = "the shopper fills {string} with {string}")]
#[when(expr = "the shopper fills {string} with {string}")]
#[then(expr = "the shopper fills {string} with {string}")]
#[given(expr = "顾客在 {string} 中填写 {string}")]
#[when(expr = "顾客在 {string} 中填写 {string}")]
#[then(expr = "顾客在 {string} 中填写 {string}")]
async fn fills(w: &mut ShopWorld, field: String, value: String) -> Result<(), String> {
    let result = ui::fill(w.page(), &w.target(&field), &value, WAIT).await;
    w.explain(result).await
}

/// Presses a key (`Enter`, `Tab`, `Escape`, `ArrowDown`, …) in the focused element, e.g. to
/// send a field the way a user does.
#[given(expr = "the shopper presses {string}")]
#[when(expr = "the shopper presses {string}")]
#[then(expr = "the shopper presses {string}")]
#[given(expr = "顾客按下 {string} 键")]
#[when(expr = "顾客按下 {string} 键")]
#[then(expr = "顾客按下 {string} 键")]
async fn presses(w: &mut ShopWorld, key: String) -> Result<(), String> {
    let result = ui::press(w.page(), &key).await;
    w.explain(result).await
}

/// Chooses an option of a drop-down list by its label, or in a Mini Program picker (one part
/// per column: `广东省 / 广州市 / 海珠区`, `2026-12-01`, `09:30`).
#[given(expr = "the shopper chooses {string} in {string}")]
#[when(expr = "the shopper chooses {string} in {string}")]
#[then(expr = "the shopper chooses {string} in {string}")]
async fn chooses(w: &mut ShopWorld, option: String, list: String) -> Result<(), String> {
    let result = ui::choose(w.page(), &w.target(&list), &option, WAIT).await;
    w.explain(result).await
}

/// Chooses an option of a drop-down list by its label (the Chinese wording names the list
/// first, as the sentence does).
#[given(expr = "顾客在 {string} 中选择 {string}")]
#[when(expr = "顾客在 {string} 中选择 {string}")]
#[then(expr = "顾客在 {string} 中选择 {string}")]
#[given(expr = "顾客从 {string} 中选择 {string}")]
#[when(expr = "顾客从 {string} 中选择 {string}")]
#[then(expr = "顾客从 {string} 中选择 {string}")]
async fn chooses_zh(w: &mut ShopWorld, list: String, option: String) -> Result<(), String> {
    chooses(w, option, list).await
}

/// Goes back one page.
#[given(expr = "the shopper goes back")]
#[when(expr = "the shopper goes back")]
#[then(expr = "the shopper goes back")]
#[given(expr = "顾客返回上一页")]
#[when(expr = "顾客返回上一页")]
#[then(expr = "顾客返回上一页")]
async fn goes_back(w: &mut ShopWorld) -> Result<(), String> {
    let result = async { ui::back(w.page(), &w.surface()?).await }.await;
    w.explain(result).await
}

/// Waits until the page shows the text.
#[given(expr = "the shopper sees {string}")]
#[when(expr = "the shopper sees {string}")]
#[then(expr = "the shopper sees {string}")]
#[given(expr = "顾客看到 {string}")]
#[when(expr = "顾客看到 {string}")]
#[then(expr = "顾客看到 {string}")]
async fn sees(w: &mut ShopWorld, text: String) -> Result<(), String> {
    let result = ui::sees(w.page(), &text, WAIT).await;
    w.explain(result).await
}

/// Waits until the page no longer shows the text.
#[given(expr = "the shopper does not see {string}")]
#[when(expr = "the shopper does not see {string}")]
#[then(expr = "the shopper does not see {string}")]
#[given(expr = "顾客看不到 {string}")]
#[when(expr = "顾客看不到 {string}")]
#[then(expr = "顾客看不到 {string}")]
async fn does_not_see(w: &mut ShopWorld, text: String) -> Result<(), String> {
    let result = ui::does_not_see(w.page(), &text, WAIT).await;
    w.explain(result).await
}

/// Waits until the shopper is on the page with this path (its query checked if given).
#[given(expr = "the shopper is on {string}")]
#[when(expr = "the shopper is on {string}")]
#[then(expr = "the shopper is on {string}")]
#[given(expr = "顾客位于 {string}")]
#[when(expr = "顾客位于 {string}")]
#[then(expr = "顾客位于 {string}")]
async fn is_on_path(w: &mut ShopWorld, path: String) -> Result<(), String> {
    let result = async { ui::is_on(w.page(), &w.surface()?, &Place::Path(path), WAIT).await }.await;
    w.explain(result).await
}

/// Waits until the shopper is on a page named in the config (any parameter values).
#[given(expr = "the shopper is on the {string} page")]
#[when(expr = "the shopper is on the {string} page")]
#[then(expr = "the shopper is on the {string} page")]
#[given(expr = "顾客位于 {string} 页面")]
#[when(expr = "顾客位于 {string} 页面")]
#[then(expr = "顾客位于 {string} 页面")]
async fn is_on_named(w: &mut ShopWorld, name: String) -> Result<(), String> {
    let result = async {
        let pattern = w.named_page(&name)?;
        let place = Place::Named(name, pattern);
        ui::is_on(w.page(), &w.surface()?, &place, WAIT).await
    }
    .await;
    w.explain(result).await
}

/// Turns a switch (or checkbox) on, found by its label or the words beside it.
#[given(expr = "the shopper switches on {string}")]
#[when(expr = "the shopper switches on {string}")]
#[then(expr = "the shopper switches on {string}")]
#[given(expr = "顾客打开 {string} 开关")]
#[when(expr = "顾客打开 {string} 开关")]
#[then(expr = "顾客打开 {string} 开关")]
async fn switches_on(w: &mut ShopWorld, control: String) -> Result<(), String> {
    let result = ui::controls::toggle(w.page(), &w.target(&control), true, WAIT).await;
    w.explain(result).await
}

/// Turns a switch (or checkbox) off.
#[given(expr = "the shopper switches off {string}")]
#[when(expr = "the shopper switches off {string}")]
#[then(expr = "the shopper switches off {string}")]
#[given(expr = "顾客关闭 {string} 开关")]
#[when(expr = "顾客关闭 {string} 开关")]
#[then(expr = "顾客关闭 {string} 开关")]
async fn switches_off(w: &mut ShopWorld, control: String) -> Result<(), String> {
    let result = ui::controls::toggle(w.page(), &w.target(&control), false, WAIT).await;
    w.explain(result).await
}

/// Ticks a checkbox (or turns a switch on).
#[given(expr = "the shopper ticks {string}")]
#[when(expr = "the shopper ticks {string}")]
#[then(expr = "the shopper ticks {string}")]
#[given(expr = "顾客勾选 {string}")]
#[when(expr = "顾客勾选 {string}")]
#[then(expr = "顾客勾选 {string}")]
async fn ticks(w: &mut ShopWorld, control: String) -> Result<(), String> {
    switches_on(w, control).await
}

/// Unticks a checkbox.
#[given(expr = "the shopper unticks {string}")]
#[when(expr = "the shopper unticks {string}")]
#[then(expr = "the shopper unticks {string}")]
#[given(expr = "顾客取消勾选 {string}")]
#[when(expr = "顾客取消勾选 {string}")]
#[then(expr = "顾客取消勾选 {string}")]
async fn unticks(w: &mut ShopWorld, control: String) -> Result<(), String> {
    switches_off(w, control).await
}

/// Sends the form on the page with its submit button.
#[given(expr = "the shopper submits the form")]
#[when(expr = "the shopper submits the form")]
#[then(expr = "the shopper submits the form")]
#[given(expr = "顾客提交表单")]
#[when(expr = "顾客提交表单")]
#[then(expr = "顾客提交表单")]
async fn submits_the_form(w: &mut ShopWorld) -> Result<(), String> {
    let result = ui::controls::submit_form(w.page(), WAIT).await;
    w.explain(result).await
}

impl ShopWorld {
    /// Where the shopper is: the Mini Program once a step opened it, else the web app.
    ///
    /// # Errors
    /// No Mini Program is open and the run has no web app.
    pub fn surface(&self) -> Result<ui::Surface, String> {
        match self.mp {
            Some(_) => Ok(ui::Surface::MiniProgram),
            None => Ok(ui::Surface::Web {
                home: self.app()?.home(),
            }),
        }
    }

    /// The names for where the shopper is.
    fn names(&self) -> &crate::ui::names::Names {
        let names = &self.harness.options.names;
        match self.mp {
            Some(_) => &names.mini_program,
            None => &names.web,
        }
    }

    /// An element named in the config, else the text on it.
    pub fn target(&self, words: &str) -> Target {
        Target::from_words(words, self.names())
    }

    /// The pattern of the page called `name` where the shopper is.
    fn named_page(&self, name: &str) -> Result<PagePattern, String> {
        let section = match self.mp {
            Some(_) => "mini_program",
            None => "web_app",
        };
        self.names().page(name, section).cloned()
    }

    /// Opens a path where the shopper is.
    async fn open_path(&mut self, path: &str) -> Result<(), String> {
        ui::open(self.page(), &self.surface()?, path).await
    }

    /// Opens a named page with its parameters. A page only the Mini Program names opens the
    /// Mini Program first (launched as a shopper does, logging in silently).
    async fn open_named_page(&mut self, name: &str, values: &[&str]) -> Result<(), String> {
        let names = &self.harness.options.names;
        if self.mp.is_none()
            && !names.web.pages.contains_key(name)
            && names.mini_program.pages.contains_key(name)
        {
            self.open_mini_program(false).await?;
        }
        let path = self
            .named_page(name)?
            .fill(values)
            .map_err(|e| format!("the \"{name}\" page: {e}"))?;
        self.open_path(&path).await
    }
}
