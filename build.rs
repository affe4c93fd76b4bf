//! Files embedded in the binary with `include_dir!` — mp-sim, and the reference features and
//! apps `zion-pay-e2e init` writes out — are not tracked by cargo on its own: rebuild when any
//! of them changes.

fn main() {
    for dir in [
        "mp-sim/runtime",
        "features",
        "fixtures/web-shop",
        "fixtures/miniprogram-shop",
    ] {
        println!("cargo:rerun-if-changed={dir}");
    }
}
