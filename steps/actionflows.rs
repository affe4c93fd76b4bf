//! Steps that decide what a Zion actionflow does next in this scenario: answer something
//! else, fail, or take its time (an async task). The actionflow is named by its id in
//! `[actionflows]` or by a built-in behaviour ("create order").

use std::time::Duration;

use cucumber::gherkin::Step;
use cucumber::given;
use mock_zion::actionflows::once::{Once, Outcome};

use super::ShopWorld;

#[given(expr = "the actionflow {string} answers next:")]
#[given(expr = "动作流 {string} 下一次返回：")]
async fn answers_next(w: &mut ShopWorld, step: &Step, name: String) -> Result<(), String> {
    let result = plan_answer(w, step, &name);
    w.explain(result).await
}

fn plan_answer(w: &ShopWorld, step: &Step, name: &str) -> Result<(), String> {
    let text = step.docstring.as_deref().ok_or_else(|| {
        format!("the step needs the answer as JSON in a doc string (\"\"\" … \"\"\") below it, for actionflow \"{name}\"")
    })?;
    let answer: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| format!("the answer for actionflow \"{name}\" is not JSON: {e}"))?;
    plan(w, name, Some(Outcome::Answer(answer)), None)
}

#[given(expr = "the actionflow {string} fails next with {string}")]
#[given(expr = "动作流 {string} 下一次以 {string} 失败")]
async fn fails_next(w: &mut ShopWorld, name: String, message: String) -> Result<(), String> {
    let result = plan(w, &name, Some(Outcome::Error(message)), None);
    w.explain(result).await
}

#[given(expr = "the actionflow {string} takes {float} second(s) next")]
#[given(expr = "动作流 {string} 下一次用时 {float} 秒")]
async fn takes_next(w: &mut ShopWorld, name: String, seconds: f64) -> Result<(), String> {
    let result = plan(w, &name, None, Some(Duration::from_secs_f64(seconds)));
    w.explain(result).await
}

fn plan(
    w: &ShopWorld,
    name: &str,
    outcome: Option<Outcome>,
    duration: Option<Duration>,
) -> Result<(), String> {
    let id = w.zion.config().actionflow_named(name)?;
    w.zion.plan_actionflow(
        &id,
        Once {
            outcome,
            duration_ms: duration.map(|d| d.as_millis() as u64),
        },
    );
    Ok(())
}
