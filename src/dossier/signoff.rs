//! Sign-off: signatures of a journal's head with an SSH key.
//!
//! `reprise sign` asks OpenSSH's own `ssh-keygen -Y sign` (namespace
//! [`NAMESPACE`]) to sign a short text naming the journal's head hash and
//! its number of events; `reprise verify --allowed-signers` checks it with
//! `ssh-keygen -Y verify`, so the keys operations teams already manage
//! (files, agents, hardware tokens) work unchanged and anyone can check a
//! signature by hand. Signatures live beside the journal, one JSON object a
//! line, in `<journal>.signatures`: signing appends, never rewrites, and
//! the journal itself is never touched. Since the head hash covers every
//! line before it, a signature covers the drill as it stood when signed; a
//! later debrief record (an assessment) leaves it valid for that prefix.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::journal::Journal;

/// The `ssh-keygen -Y` namespace of reprise's signatures.
pub const NAMESPACE: &str = "reprise";

/// One signature of a journal's head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// When it was made.
    pub signed_at: Timestamp,
    /// The Unix account that made it.
    pub account: String,
    /// In what capacity (`--role`: "plan owner", "RSSI"…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// How many journal lines it covers.
    pub events: usize,
    /// The hash of the last of them (the head when signed).
    pub head: String,
    /// The signing key's fingerprint, as `ssh-keygen -l` prints it.
    pub key: String,
    /// The armored SSH signature (`-----BEGIN SSH SIGNATURE-----`).
    pub signature: String,
}

/// Why signing or checking failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `ssh-keygen` is not installed.
    #[error("cannot run ssh-keygen: {0} (install the `openssh-client` package)")]
    NoTool(std::io::Error),
    /// `ssh-keygen` refused.
    #[error("ssh-keygen {what} failed: {stderr}")]
    Tool {
        /// What it was asked.
        what: &'static str,
        /// What it said.
        stderr: String,
    },
    /// The signatures file cannot be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A line of the signatures file is not a signature.
    #[error("{path}:{line}: not a signature: {message}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// Why.
        message: String,
    },
}

/// The file holding a journal's signatures.
pub fn path_for(journal: &Path) -> PathBuf {
    let mut name = journal.as_os_str().to_owned();
    name.push(".signatures");
    PathBuf::from(name)
}

/// The exact text signed for a journal whose `events` lines end with hash
/// `head`: documented in docs/journal.md, so that it can be checked by hand.
pub fn message(events: usize, head: &str) -> String {
    format!("reprise journal v1\nevents: {events}\nhead: {head}\n")
}

/// The signatures beside a journal (none when the file does not exist).
pub fn read(journal: &Path) -> Result<Vec<Signature>, Error> {
    let path = path_for(journal);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(Error::Io { path, source }),
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| Error::Malformed {
                path: path.clone(),
                line: i + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

/// Signs the journal's current head with `key` (a private key, or a public
/// key whose private half is in the agent) and appends the signature.
pub fn sign(
    journal: &Journal,
    key: &Path,
    account: String,
    role: Option<String>,
) -> Result<Signature, Error> {
    let dir = tempfile::tempdir().map_err(|source| Error::Io {
        path: std::env::temp_dir(),
        source,
    })?;
    let events = journal.entries.len();
    let head = journal.head().to_string();
    let msg = dir.path().join("message");
    std::fs::write(&msg, message(events, &head)).map_err(|source| Error::Io {
        path: msg.clone(),
        source,
    })?;
    let out = keygen(
        &["-Y", "sign", "-n", NAMESPACE, "-f"],
        &[key.as_os_str(), msg.as_os_str()],
        None,
    )?;
    check(out, "-Y sign")?;
    let sig_path = dir.path().join("message.sig");
    let signature = std::fs::read_to_string(&sig_path).map_err(|source| Error::Io {
        path: sig_path,
        source,
    })?;
    let fingerprint = check(keygen(&["-l", "-f"], &[key.as_os_str()], None)?, "-l")?;
    let sig = Signature {
        signed_at: Timestamp::now(),
        account,
        role,
        events,
        head,
        key: fingerprint
            .split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" "),
        signature,
    };
    append(&journal.path, &sig)?;
    Ok(sig)
}

fn append(journal: &Path, sig: &Signature) -> Result<(), Error> {
    let path = path_for(journal);
    let io = |source| Error::Io {
        path: path.clone(),
        source,
    };
    let mut line = serde_json::to_string(sig).expect("a signature serializes");
    line.push('\n');
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .custom_flags_nofollow()
        .open(&path)
        .map_err(io)?;
    file.write_all(line.as_bytes()).map_err(io)?;
    file.sync_data().map_err(io)
}

trait NoFollow {
    fn custom_flags_nofollow(&mut self) -> &mut Self;
}

impl NoFollow for std::fs::OpenOptions {
    fn custom_flags_nofollow(&mut self) -> &mut Self {
        use std::os::unix::fs::OpenOptionsExt;
        self.mode(0o600).custom_flags(nix::libc::O_NOFOLLOW)
    }
}

/// What checking one signature found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// Good: made by this principal of the allowed-signers file.
    Good {
        /// The principal (e.g. `alice@hopital.example`).
        principal: String,
    },
    /// The journal's line `events` no longer has the signed hash: the
    /// journal was changed before that line, or it is another journal.
    WrongHead,
    /// The key is not in the allowed-signers file.
    UnknownKey,
    /// The signature does not verify (forged or altered).
    Bad {
        /// What ssh-keygen said.
        message: String,
    },
}

/// Checks one signature against the journal and an allowed-signers file
/// (OpenSSH's format, see ssh-keygen(1) "ALLOWED SIGNERS").
pub fn verify(journal: &Journal, sig: &Signature, allowed: &Path) -> Result<Check, Error> {
    let signed = sig
        .events
        .checked_sub(1)
        .and_then(|i| journal.entries.get(i));
    if signed.is_none_or(|e| e.hash != sig.head) {
        return Ok(Check::WrongHead);
    }
    let dir = tempfile::tempdir().map_err(|source| Error::Io {
        path: std::env::temp_dir(),
        source,
    })?;
    let sig_path = dir.path().join("message.sig");
    std::fs::write(&sig_path, &sig.signature).map_err(|source| Error::Io {
        path: sig_path.clone(),
        source,
    })?;
    let found = keygen(
        &["-Y", "find-principals", "-f"],
        &[allowed.as_os_str(), "-s".as_ref(), sig_path.as_os_str()],
        None,
    )?;
    if !found.status.success() {
        return Ok(Check::UnknownKey);
    }
    let principals = String::from_utf8_lossy(&found.stdout).to_string();
    let Some(principal) = principals
        .lines()
        .next()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    else {
        return Ok(Check::UnknownKey);
    };
    let out = keygen(
        &["-Y", "verify", "-n", NAMESPACE, "-f"],
        &[
            allowed.as_os_str(),
            "-I".as_ref(),
            principal.as_ref(),
            "-s".as_ref(),
            sig_path.as_os_str(),
        ],
        Some(message(sig.events, &sig.head).as_bytes()),
    )?;
    if out.status.success() {
        Ok(Check::Good {
            principal: principal.to_string(),
        })
    } else {
        Ok(Check::Bad {
            message: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        })
    }
}

fn keygen(
    args: &[&str],
    paths: &[&std::ffi::OsStr],
    stdin: Option<&[u8]>,
) -> Result<std::process::Output, Error> {
    let mut cmd = Command::new("ssh-keygen");
    cmd.args(args)
        .args(paths)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(Error::NoTool)?;
    if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
        // A write error shows up as ssh-keygen's own failure below.
        let _ = pipe.write_all(input);
    }
    child.wait_with_output().map_err(Error::NoTool)
}

fn check(out: std::process::Output, what: &'static str) -> Result<String, Error> {
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(Error::Tool {
            what,
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        })
    }
}
