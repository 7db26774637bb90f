//! A throwaway OpenSSH server for the remote-step tests.
//!
//! Everything lives in a temporary folder: a generated `sshd_config`, a
//! host key, a user key and its `authorized_keys`, the pid file, the log,
//! and a `known_hosts` holding the server's key. The machine's own SSH
//! configuration, its host keys and `~/.ssh` are never read or written:
//! the runbook's host entry points `ssh` at the temporary key and
//! `known_hosts`. The server listens on a free loopback port and logs in
//! the user running the tests (root is allowed by key only); dropping the
//! guard kills it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where the server is, as `ssh` needs to reach it.
pub struct Sshd {
    dir: tempfile::TempDir,
    child: Child,
    /// The loopback port it listens on.
    pub port: u16,
}

/// Runs `ssh-keygen` for a new ed25519 key at `path`.
pub fn keygen(path: &Path) {
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "reprise-test", "-f"])
        .arg(path)
        .stdin(Stdio::null())
        .status()
        .expect("ssh-keygen (package openssh-client) must be installed");
    assert!(status.success(), "ssh-keygen failed");
}

/// A loopback port nobody listens on (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

impl Sshd {
    /// Starts a server; panics with the reason when it cannot.
    pub fn start() -> Sshd {
        Sshd::start_with("")
    }

    /// Starts a server whose `sshd_config` begins with `settings` (sshd
    /// keeps the first value it reads: these override the defaults here).
    pub fn start_with(settings: &str) -> Sshd {
        let sshd = Path::new("/usr/sbin/sshd");
        assert!(
            sshd.exists(),
            "/usr/sbin/sshd is missing: install Debian's openssh-server (.ci/run does)"
        );
        let dir = tempfile::tempdir().expect("temporary folder");
        let d = dir.path();
        keygen(&d.join("host_key"));
        keygen(&d.join("user_key"));
        std::fs::copy(d.join("user_key.pub"), d.join("authorized_keys")).unwrap();
        // The privilege separation folder sshd insists on when run as root.
        if nix::unistd::geteuid().is_root() {
            let _ = std::fs::create_dir_all("/run/sshd");
        }
        let port = free_port();
        let config = d.join("sshd_config");
        std::fs::write(
            &config,
            format!(
                "{settings}Port {port}\n\
                 ListenAddress 127.0.0.1\n\
                 HostKey {d}/host_key\n\
                 AuthorizedKeysFile {d}/authorized_keys\n\
                 PidFile {d}/sshd.pid\n\
                 UsePAM no\n\
                 StrictModes no\n\
                 PermitRootLogin prohibit-password\n\
                 PasswordAuthentication no\n\
                 KbdInteractiveAuthentication no\n\
                 PubkeyAuthentication yes\n\
                 MaxStartups 100\n\
                 MaxSessions 100\n\
                 LogLevel VERBOSE\n",
                d = d.display()
            ),
        )
        .unwrap();
        let log = std::fs::File::create(d.join("sshd.log")).unwrap();
        let child = Command::new(sshd)
            .args(["-D", "-e", "-f"])
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start sshd");
        let mut server = Sshd { dir, child, port };
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            let log = server.log();
            if log.contains("Server listening") {
                server.write_known_hosts();
                return server;
            }
            let exited = matches!(server.child.try_wait(), Ok(Some(_)));
            if exited || Instant::now() > until {
                panic!("sshd did not start:\n{log}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn write_known_hosts(&self) {
        let key = std::fs::read_to_string(self.path().join("host_key.pub")).unwrap();
        let key: Vec<&str> = key.split_whitespace().take(2).collect();
        let mut f = std::fs::File::create(self.known_hosts()).unwrap();
        writeln!(f, "[127.0.0.1]:{} {}", self.port, key.join(" ")).unwrap();
    }

    /// The temporary folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The `known_hosts` file trusting this server.
    pub fn known_hosts(&self) -> PathBuf {
        self.path().join("known_hosts")
    }

    /// The authorised private key.
    pub fn key(&self) -> PathBuf {
        self.path().join("user_key")
    }

    /// What the server logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.path().join("sshd.log")).unwrap_or_default()
    }

    /// How many logins the server accepted.
    pub fn logins(&self) -> usize {
        self.log().matches("Accepted publickey").count()
    }

    /// A `hosts:` entry (flow mapping) reaching this server.
    pub fn host_entry(&self) -> String {
        format!(
            "{{address: 127.0.0.1, port: {}, identity_file: {}, known_hosts: {}}}",
            self.port,
            self.key().display(),
            self.known_hosts().display()
        )
    }
}

impl Sshd {
    /// Freezes every connection the server serves now (`SIGSTOP` to the
    /// listener's descendants, not the listener): a host that stops
    /// answering mid-command. Returns the frozen processes, for
    /// [`Sshd::kill_frozen`].
    pub fn freeze_sessions(&self) -> Vec<i32> {
        let mut frozen = Vec::new();
        let mut parents = vec![self.child.id() as i32];
        while let Some(parent) = parents.pop() {
            for pid in children(parent) {
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(pid),
                    nix::sys::signal::Signal::SIGSTOP,
                );
                frozen.push(pid);
                parents.push(pid);
            }
        }
        frozen
    }

    /// Ends processes [`Sshd::freeze_sessions`] froze.
    pub fn kill_frozen(pids: &[i32]) {
        for &pid in pids {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
    }
}

/// The children of process `pid`, from `/proc`.
fn children(pid: i32) -> Vec<i32> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(child) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{child}/stat")) else {
            continue;
        };
        // "pid (comm) state ppid …": the comm may hold spaces.
        let ppid = stat
            .rsplit(')')
            .next()
            .and_then(|rest| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<i32>().ok());
        if ppid == Some(pid) {
            out.push(child);
        }
    }
    out
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
