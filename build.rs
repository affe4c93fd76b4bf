//! mp-sim's files are embedded in the binary (`include_dir!`), which cargo does not track on
//! its own: rebuild when any of them changes.

fn main() {
    println!("cargo:rerun-if-changed=mp-sim");
}
