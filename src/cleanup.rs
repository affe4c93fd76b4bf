//! Everything the harness starts must be gone when it exits — on success, failure, panic or
//! Ctrl-C. Owners (chromedriver, temp profiles) clean up on drop; this registry also knows
//! them, so the Ctrl-C handler, which exits without running destructors, can clean up too.

use std::path::PathBuf;
use std::sync::Mutex;

use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;

static REGISTRY: Mutex<Vec<Resource>> = Mutex::new(Vec::new());

/// Something to remove on exit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    /// A process group the harness started (chromedriver and the browsers it spawns).
    ProcessGroup(i32),
    /// A directory the harness created (chromedriver's temporary folder, with the browser
    /// profiles).
    Dir(PathBuf),
}

/// Records a resource until [`forget`] is called for it.
pub fn register(resource: Resource) {
    lock().push(resource);
}

/// Removes a resource its owner has cleaned up itself.
pub fn forget(resource: &Resource) {
    lock().retain(|r| r != resource);
}

/// Kills every registered process group, then removes every registered directory.
pub fn clean_up_all() {
    let resources = std::mem::take(&mut *lock());
    for resource in &resources {
        if let Resource::ProcessGroup(pgid) = resource {
            kill_group(*pgid);
        }
    }
    for resource in &resources {
        if let Resource::Dir(dir) = resource {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Makes this process adopt its descendants' orphans (Linux child subreaper), so that the
/// browsers chromedriver started become ours to reap when chromedriver is stopped, instead
/// of lingering as zombies until PID 1 gets to them.
pub fn adopt_orphans() {
    let _ = nix::sys::prctl::set_child_subreaper(true);
}

/// Sends SIGKILL to a process group and reaps every member that is (or, once its parent
/// died, became) a child of this process. A group that is already gone is fine.
pub fn kill_group(pgid: i32) {
    let _ = killpg(Pid::from_raw(pgid), Signal::SIGKILL);
    // Every member got SIGKILL, so this ends quickly: with ECHILD once none is left.
    while nix::sys::wait::waitpid(Pid::from_raw(-pgid), None).is_ok() {}
}

/// Calls [`clean_up_all`] when dropped, including while unwinding from a panic.
#[derive(Debug)]
pub struct OnDrop;

impl Drop for OnDrop {
    fn drop(&mut self) {
        clean_up_all();
    }
}

/// On Ctrl-C (or SIGTERM): clean up, say so, and exit with 130.
pub fn exit_on_interrupt() {
    tokio::spawn(async {
        wait_for_interrupt().await;
        clean_up_all();
        eprintln!("\ninterrupted: stopped the browsers and servers this run started");
        std::process::exit(130);
    });
}

async fn wait_for_interrupt() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

fn lock() -> std::sync::MutexGuard<'static, Vec<Resource>> {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}
