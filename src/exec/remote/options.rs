//! The options every `ssh` of reprise gets: batch mode, strict host keys,
//! timeouts and keep-alives, and the host entry's own settings.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::hosts::Host;

pub(crate) fn opt(o: &str) -> OsString {
    format!("-o{o}").into()
}

/// The options every `ssh` of reprise gets for `host`: batch mode, timeouts,
/// and the host's own settings; its jump host as `-J` when `with_jump`.
pub(crate) fn ssh_options(
    hosts: &[Host],
    host: &Host,
    base_dir: &Path,
    connect_timeout: u64,
    with_jump: bool,
) -> Vec<OsString> {
    let mut args = vec![
        opt("BatchMode=yes"),
        // Host keys are checked whatever the operator's ssh config says: an
        // unknown key fails, a changed key fails, and no file of known keys
        // is written (a command-line option overrides the config files).
        opt("StrictHostKeyChecking=yes"),
        opt("UpdateHostKeys=no"),
        opt(&format!("ConnectTimeout={connect_timeout}")),
        // A frozen connection (shared or not) is given up within about 10
        // seconds instead of stalling every step that uses it.
        opt("ServerAliveInterval=5"),
        opt("ServerAliveCountMax=2"),
    ];
    if let Some(port) = host.port {
        args.push("-p".into());
        args.push(port.to_string().into());
    }
    if let Some(user) = &host.user {
        args.push("-l".into());
        args.push(user.into());
    }
    if let Some(key) = &host.identity_file {
        args.push("-i".into());
        args.push(resolve(base_dir, key).into());
        // Only this key: an agent or default keys must not decide what a
        // drill authenticates with.
        args.push(opt("IdentitiesOnly=yes"));
    }
    if let Some(file) = &host.known_hosts {
        let mut o = OsString::from("-oUserKnownHostsFile=");
        o.push(resolve(base_dir, file));
        args.push(o);
    }
    if let Some(jump) = host.jump.as_ref().filter(|_| with_jump) {
        args.push("-J".into());
        args.push(match hosts.iter().find(|h| h.name.value == *jump) {
            Some(j) => {
                let mut spec = String::new();
                if let Some(u) = &j.user {
                    spec.push_str(u);
                    spec.push('@');
                }
                spec.push_str(&j.address);
                if let Some(p) = j.port {
                    spec.push_str(&format!(":{p}"));
                }
                spec.into()
            }
            None => jump.into(),
        });
    }
    args
}

/// A jump host written out (`[user@]host[:port]`) as a host entry.
pub(super) fn spec_host(spec: &str) -> Host {
    let (user, rest) = match spec.split_once('@') {
        Some((u, r)) => (Some(u.to_string()), r),
        None => (None, spec),
    };
    let (address, port) = match rest.rsplit_once(':') {
        Some((a, p)) if !a.contains(':') => match p.parse() {
            Ok(p) => (a.to_string(), Some(p)),
            Err(_) => (rest.to_string(), None),
        },
        _ => (rest.to_string(), None),
    };
    Host {
        name: crate::runbook::Located::new(spec.to_string(), Default::default()),
        address,
        user,
        port,
        identity_file: None,
        jump: None,
        known_hosts: None,
        max_parallel: None,
        max_sessions: None,
    }
}

/// A path of a host entry: `~` is left to `ssh`, relative paths are the
/// runbook folder's.
fn resolve(base_dir: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() || path.starts_with("~") {
        path.to_path_buf()
    } else {
        base_dir.join(path)
    }
}
