//! `reprise check --connect`: before a drill, try every host a step uses
//! with the drill's own `ssh` options, and say for each whether it answers
//! and which host key it presented, trusted by which `known_hosts` entry,
//! so that keys are verified before the drill, not during it.
//!
//! At most [`MAX_PARALLEL`] hosts are tried at once (a bastion with stock
//! `MaxStartups 10:30:100` drops connections beyond 10 being set up), and a
//! connection dropped before the login is tried again after a short pause.

use std::ffi::OsString;
use std::io::Read;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::fleet::is_connection_setup_failure;
use super::remote::{Session, opt, ssh_options};
use crate::hosts::Host;
use crate::runbook::Runbook;

/// Seconds `check --connect` gives each host to answer.
pub const CHECK_TIMEOUT: u64 = 5;

/// Most hosts tried at once.
pub const MAX_PARALLEL: usize = 16;

/// Pauses before trying again a connection dropped before the login.
const SETUP_RETRIES: [u64; 3] = [300, 1000, 2000];

/// How a host answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    /// `None`: `ssh host true` succeeded; otherwise ssh's last words (or
    /// how it ended).
    pub failure: Option<String>,
    /// The key the host presented (`ssh-ed25519 SHA256:…`), when ssh got
    /// that far.
    pub key: Option<String>,
    /// Where the trusted entry for it is (`FILE:LINE`).
    pub known_in: Option<String>,
    /// Where an entry that does not match it is (a changed key).
    pub offending: Option<String>,
}

/// The lines `reprise check --connect` prints for `runbook` (for each host
/// a step uses: `  db1  (10.0.0.5)  reachable` and its host key), and
/// whether every host was reachable.
pub fn connect_report(runbook: &Runbook, base_dir: &Path) -> (String, bool) {
    let hosts = runbook.hosts_used();
    if hosts.is_empty() {
        return ("  no step runs on a remote host\n".into(), true);
    }
    let reach = check_hosts(runbook, base_dir, &hosts);
    let places: Vec<String> = hosts
        .iter()
        .map(|host| {
            let mut place = host.address.clone();
            if let Some(u) = &host.user {
                place = format!("{u}@{place}");
            }
            if let Some(p) = host.port {
                place.push_str(&format!(":{p}"));
            }
            format!("({place})")
        })
        .collect();
    let name_w = hosts.iter().map(|h| h.name.value.len()).max().unwrap_or(0);
    let place_w = places.iter().map(String::len).max().unwrap_or(0);
    let mut text = String::new();
    let mut all = true;
    for ((host, place), reach) in hosts.iter().zip(&places).zip(reach) {
        let what = match &reach.failure {
            None => "reachable".to_string(),
            Some(why) => {
                all = false;
                format!("unreachable: {why}")
            }
        };
        text.push_str(&format!(
            "  {:name_w$}  {place:place_w$}  {what}\n",
            host.name.value
        ));
        if let Some(key) = &reach.key {
            let whence = match (&reach.known_in, &reach.offending) {
                (Some(k), _) => format!("trusted by {k}"),
                (None, Some(o)) => format!("CHANGED: does not match {o}"),
                (None, None) => "not in any known_hosts file read".to_string(),
            };
            text.push_str(&format!(
                "  {:name_w$}  {:place_w$}  host key {key}, {whence}\n",
                "", ""
            ));
        }
    }
    (text, all)
}

/// Runs `ssh … host true` with the batch options and a short timeout,
/// without connection sharing, at most [`MAX_PARALLEL`] at once; the
/// answers in the order of `hosts`.
pub fn check_hosts(runbook: &Runbook, base_dir: &Path, hosts: &[&Host]) -> Vec<Reach> {
    // Hosts behind a jump host share one connection to it, as in a drill
    // (without a private folder for its socket, each uses `ssh -J`).
    let session = Session::new(runbook, base_dir)
        .inspect_err(|e| tracing::warn!("no shared jump host connections for the check: {e}"))
        .ok();
    let jobs: Vec<Vec<OsString>> = hosts
        .iter()
        .map(|host| {
            // `-v` makes ssh say which key the host presented and which
            // known_hosts line trusts it.
            let mut args = vec![
                "-v".into(),
                opt("ControlMaster=no"),
                opt("ControlPath=none"),
            ];
            args.extend(ssh_options(
                &runbook.hosts,
                host,
                base_dir,
                CHECK_TIMEOUT,
                session.is_none(),
            ));
            if let (Some(s), Some(jump)) = (&session, &host.jump) {
                args.push(s.proxy_command(jump));
            }
            args.push("--".into());
            args.push(host.address.clone().into());
            args.push("true".into());
            args
        })
        .collect();
    let results: Mutex<Vec<Option<Reach>>> = Mutex::new(vec![None; jobs.len()]);
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..MAX_PARALLEL.min(jobs.len()) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(args) = jobs.get(i) else { break };
                    let name = &hosts[i].name.value;
                    if let Some(s) = &session {
                        // Wait while another host opens the shared
                        // connection to this one's jump host.
                        while !s.may_start(name) {
                            std::thread::sleep(std::time::Duration::from_millis(20));
                        }
                    }
                    let r = reach_with_retries(args);
                    if let Some(s) = &session {
                        s.connected(name);
                    }
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|| Reach {
                failure: Some("the check stopped unexpectedly".into()),
                key: None,
                known_in: None,
                offending: None,
            })
        })
        .collect()
}

fn reach_with_retries(args: &[OsString]) -> Reach {
    let mut r = reach(args);
    for pause in SETUP_RETRIES {
        match &r.failure {
            Some(why) if is_connection_setup_failure(why) => {
                std::thread::sleep(std::time::Duration::from_millis(pause));
                r = reach(args);
            }
            _ => break,
        }
    }
    r
}

fn reach(args: &[OsString]) -> Reach {
    let failed = |why: String| Reach {
        failure: Some(why),
        key: None,
        known_in: None,
        offending: None,
    };
    let child = std::process::Command::new("ssh")
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return failed("`ssh` not found: install the OpenSSH client".into());
        }
        Err(e) => return failed(format!("cannot run ssh: {e}")),
    };
    let mut stderr = String::new();
    if let Some(mut err) = child.stderr.take() {
        let _ = err.read_to_string(&mut stderr);
    }
    let status = match child.wait() {
        Ok(s) => s,
        Err(e) => return failed(format!("cannot wait for ssh: {e}")),
    };
    let mut r = parse_verbose(&stderr);
    if !status.success() {
        r.failure = Some(last_words(&stderr).unwrap_or_else(|| match status.code() {
            Some(c) => format!("ssh ended with exit code {c}"),
            None => "ssh was killed".into(),
        }));
    }
    r
}

/// The key, trusted entry and offending entry that `ssh -v` reported.
fn parse_verbose(stderr: &str) -> Reach {
    let mut r = Reach {
        failure: None,
        key: None,
        known_in: None,
        offending: None,
    };
    for line in stderr.lines().map(str::trim) {
        if let Some(k) = line.strip_prefix("debug1: Server host key: ") {
            r.key = Some(k.trim().to_string());
        } else if let Some(f) = line.strip_prefix("debug1: Found key in ") {
            r.known_in = Some(f.trim().to_string());
        } else if let Some(rest) = line.split_once(" key in ")
            && rest.0.starts_with("Offending ")
        {
            r.offending = Some(rest.1.trim().to_string());
        }
    }
    r
}

/// ssh's last line that is not `-v` chatter.
fn last_words(stderr: &str) -> Option<String> {
    stderr
        .lines()
        .map(str::trim)
        .rfind(|l| {
            !l.is_empty()
                && !l.starts_with("debug")
                && !l.starts_with("OpenSSH_")
                && !l.starts_with("Transferred:")
                && !l.starts_with("Bytes per second")
        })
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verbose_output_says_which_key_and_which_entry() {
        let ok = "OpenSSH_9.2p1\ndebug1: Server host key: ssh-ed25519 SHA256:abc\n\
                  debug1: Host '[127.0.0.1]:2222' is known and matches the ED25519 host key.\n\
                  debug1: Found key in /k/known_hosts:3\ndebug1: Exit status 0\n";
        let r = parse_verbose(ok);
        assert_eq!(r.key.as_deref(), Some("ssh-ed25519 SHA256:abc"));
        assert_eq!(r.known_in.as_deref(), Some("/k/known_hosts:3"));
        let changed = "debug1: Server host key: ssh-ed25519 SHA256:new\n\
                       @@@@@@@\nOffending ED25519 key in /k/known_hosts:1\n\
                       Host key verification failed.\n";
        let r = parse_verbose(changed);
        assert_eq!(r.offending.as_deref(), Some("/k/known_hosts:1"));
        assert_eq!(
            last_words(changed).as_deref(),
            Some("Host key verification failed.")
        );
    }
}
