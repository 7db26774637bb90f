//! The private folder of a drill's shared connections' sockets: where it
//! goes (short enough for a Unix socket path), how it is made (`0700`,
//! fresh), and how the folders of killed drills are cleaned up.

use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use super::opt;

/// `ssh -O exit` on every socket of `dir`, all at once, then waits for
/// them all.
pub(super) fn close_sockets(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let closing: Vec<(PathBuf, std::process::Child)> = entries
        .flatten()
        .map(|e| e.path())
        .filter_map(|socket| {
            let child = std::process::Command::new("ssh")
                .arg(opt(&format!("ControlPath={}", socket.display())))
                // The socket is named: the host is not looked at.
                .args(["-O", "exit", "--", "reprise"])
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .ok()?;
            Some((socket, child))
        })
        .collect();
    // A master that does not answer (frozen) must not hold up the end of
    // the drill: its `ssh -O exit` is given up after a few seconds.
    let until = std::time::Instant::now() + std::time::Duration::from_secs(3);
    for (socket, mut child) in closing {
        let status = loop {
            match child.try_wait() {
                Ok(None) if std::time::Instant::now() < until => {
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                Ok(None) => {
                    let _ = child.kill();
                    break child.wait();
                }
                other => break other.map(|s| s.unwrap_or_default()),
            }
        };
        tracing::debug!(socket = %socket.display(), ?status, "closed a shared ssh connection");
    }
}

/// The longest path of the sockets' folder: a Unix socket path holds 108
/// bytes, and ssh first binds the socket's path plus 17 characters.
const MAX_SOCKET_DIR: usize = 75;

/// Where the sockets' folder goes: the system's temporary folder, or when
/// its path is too long for a socket (a long `TMPDIR`), the user's runtime
/// folder or `/tmp`; `None` when none is short enough.
pub(super) fn socket_base() -> Option<PathBuf> {
    // "/reprise-ssh-" + pid + "-" + 8 hex digits.
    const NAME: usize = 32;
    let candidates = [
        Some(std::env::temp_dir()),
        std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from),
        Some(PathBuf::from("/tmp")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|b| b.as_os_str().len() + NAME <= MAX_SOCKET_DIR && b.is_dir())
}

/// Removes the sockets' folders that killed drills (`kill -9`, a power
/// cut) of this user left in `base`: their process is gone. Their shared
/// connections are closed first.
pub(super) fn remove_stale(base: &Path) {
    use std::os::unix::fs::MetadataExt;
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    let me = nix::unistd::geteuid().as_raw();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix("reprise-ssh-"))
            .and_then(|n| n.split('-').next())
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let path = entry.path();
        let mine = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir() && m.uid() == me);
        if mine && !Path::new(&format!("/proc/{pid}")).exists() {
            close_sockets(&path);
            let _ = std::fs::remove_dir_all(&path);
            tracing::info!(folder = %path.display(), "removed the ssh sockets of a drill that was killed");
        }
    }
}

/// A fresh `0700` folder in `base`.
pub(super) fn private_dir(base: &Path) -> std::io::Result<PathBuf> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mut last = None;
    for n in 0..100u32 {
        let dir = base.join(format!(
            "reprise-ssh-{}-{:x}",
            std::process::id(),
            nanos.wrapping_add(n.wrapping_mul(0x9e37_79b9))
        ));
        // `create` fails if the folder exists: nobody can have prepared it.
        match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary folder name")))
}
