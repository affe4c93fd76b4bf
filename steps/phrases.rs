//! Runs a team's own phrases (`.steps` files, [`crate::phrases`]): a feature step that is a
//! phrase runs the steps it stands for, in order, on the same World, each through the step
//! library (or another phrase). The first step that fails fails the phrase: its message
//! keeps the cause on the first line, then names the phrase and the step, with their files
//! and lines.

use std::panic::AssertUnwindSafe;
use std::sync::OnceLock;

use cucumber::step::{Collection, Context};
use cucumber::World as _;
use futures::future::LocalBoxFuture;
use futures::FutureExt as _;

use super::ShopWorld;
use crate::phrases::{Phrase, Phrases};

/// The step library, built once.
pub fn library() -> &'static Collection<ShopWorld> {
    static LIBRARY: OnceLock<Collection<ShopWorld>> = OnceLock::new();
    LIBRARY.get_or_init(ShopWorld::collection)
}

/// The step function cucumber calls for every phrase (registered for Given, When and Then
/// with each phrase's regular expression).
pub fn run_phrase<'a>(w: &'a mut ShopWorld, ctx: Context) -> LocalBoxFuture<'a, ()> {
    Box::pin(async move {
        let phrases = w.harness.phrases.clone();
        let found = phrases.matching(&ctx.step.value);
        let Some((phrase, values)) = found.first() else {
            panic!("\"{}\" is no phrase of the .steps files", ctx.step.value);
        };
        if let Err(message) = run(w, &phrases, phrase, values).await {
            panic!("{message}");
        }
    })
}

/// Runs `phrase`'s steps with `values`.
fn run<'a>(
    w: &'a mut ShopWorld,
    phrases: &'a Phrases,
    phrase: &'a Phrase,
    values: &'a [String],
) -> LocalBoxFuture<'a, Result<(), String>> {
    Box::pin(async move {
        for step in phrase.expand(values) {
            let at = format!(
                "in the phrase \"{}\" ({}), its step `{}{}` ({}:{})",
                phrase.sentence,
                phrase.place(),
                step.keyword,
                step.value,
                phrase.file.display(),
                step.position.line
            );
            if let Some((inner, inner_values)) = phrases.matching(&step.value).pop() {
                run(w, phrases, inner, &inner_values)
                    .await
                    .map_err(|e| within(&e, &at))?;
                continue;
            }
            let (function, context) = match library().find(&step) {
                Ok(Some((function, _, _, context))) => (function, context),
                Ok(None) => return Err(format!("{at} matches no step")),
                Err(ambiguous) => return Err(format!("{at} matches several steps: {ambiguous}")),
            };
            if let Err(panic) = AssertUnwindSafe(function(w, context)).catch_unwind().await {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "it panicked".into());
                return Err(within(&message, &format!("{at} failed")));
            }
        }
        Ok(())
    })
}

/// A failed step's message with where it failed inside the phrase: the cause keeps the first
/// line (the report reads causes there), the phrase and its step follow it.
fn within(message: &str, at: &str) -> String {
    match message.split_once('\n') {
        Some((first, rest)) => format!("{first}\n  ({at})\n{rest}"),
        None => format!("{message}\n  ({at})"),
    }
}
