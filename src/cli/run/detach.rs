//! `reprise run --detach`: the drill starts in the background, in a
//! session of its own, with nobody attached; this process returns once
//! the drill listens for terminals, saying where its journal, socket, log
//! and process are.
//!
//! The drill is this same program run again (`run … --journal PATH`
//! with the hidden `--detached-drill`), standard input from `/dev/null`,
//! its output to `JOURNAL.log`. The journal's name is chosen here when
//! `--journal` is not given, so that it can be printed before the drill
//! writes its first line.

use std::ffi::OsString;
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::Args;

/// How long the drill may take to listen before this gives up waiting (it
/// may still be starting: the message says where to look).
const START_LIMIT: Duration = Duration::from_secs(30);

/// The log of a detached drill: beside its journal.
pub fn log_path(journal: &Path) -> PathBuf {
    let mut s = journal.as_os_str().to_owned();
    s.push(".log");
    PathBuf::from(s)
}

/// The first default journal name not taken yet.
fn default_journal(runbook: &Path) -> PathBuf {
    let now = jiff::Timestamp::now();
    let mut n = 1;
    loop {
        let path = Path::new(crate::journal::DEFAULT_DIR)
            .join(crate::journal::default_name(runbook, now, n));
        if path.symlink_metadata().is_err() || n >= 1000 {
            return path;
        }
        n += 1;
    }
}

/// This command line without `--detach`, for the background drill.
fn drill_args(journal: &Path, given_journal: bool) -> Vec<OsString> {
    let mut args: Vec<OsString> = std::env::args_os()
        .skip(1)
        .filter(|a| a != "--detach")
        .collect();
    if !given_journal {
        args.push("--journal".into());
        args.push(journal.into());
    }
    args.push("--detached-drill".into());
    args
}

pub fn start(args: &Args) -> crate::cli::Result {
    let journal = match &args.journal {
        Some(j) => j.clone(),
        None => default_journal(&args.runbook),
    };
    if journal.symlink_metadata().is_ok() {
        return Err(crate::cli::Error::said(crate::i18n::msg!(
            "detach-journal-exists",
            journal = journal.display()
        ))
        .hint_said(crate::i18n::msg!(
            "detach-journal-exists-hint",
            journal = journal.display()
        )));
    }
    if let Some(dir) = journal.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            crate::cli::Error::said(crate::i18n::msg!(
                "cannot-create",
                path = dir.display(),
                why = e
            ))
        })?;
    }
    let log = log_path(&journal);
    let out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .map_err(|e| {
            crate::cli::Error::said(crate::i18n::msg!(
                "cannot-open",
                path = log.display(),
                why = e
            ))
        })?;
    let err = out.try_clone().map_err(|e| {
        crate::cli::Error::said(crate::i18n::msg!(
            "cannot-use",
            path = log.display(),
            why = e
        ))
    })?;
    let exe = std::env::current_exe()
        .map_err(|e| crate::cli::Error::said(crate::i18n::msg!("detach-no-program", why = e)))?;
    let mut cmd = Command::new(exe);
    cmd.args(drill_args(&journal, args.journal.is_some()))
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err);
    // SAFETY: between fork and exec the closure only calls `setsid`, which
    // is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            // Its own session: no terminal, no hang-up when this one closes.
            nix::unistd::setsid().map_err(std::io::Error::from)?;
            Ok(())
        });
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| crate::cli::Error::said(crate::i18n::msg!("detach-cannot-start", why = e)))?;
    let socket = crate::attach::socket_path(&journal);
    let deadline = Instant::now() + START_LIMIT;
    loop {
        if UnixStream::connect(&socket).is_ok() {
            break;
        }
        if let Ok(Some(status)) = child.try_wait() {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            eprint!("{text}");
            return Err(crate::cli::Error::said(crate::i18n::msg!(
                "detach-not-started",
                status = status
            ))
            .hint_said(crate::i18n::msg!(
                "detach-not-started-hint",
                log = log.display()
            ))
            .with_code(
                status
                    .code()
                    .and_then(|c| u8::try_from(c).ok())
                    .unwrap_or(crate::exit::INVALID),
            ));
        }
        if Instant::now() > deadline {
            return Err(crate::cli::Error::said(crate::i18n::msg!(
                "detach-not-listening",
                pid = child.id(),
                socket = socket.display()
            ))
            .hint_said(crate::i18n::msg!("see-file", path = log.display())));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    crate::cli::print(&format!(
        "drill started in the background, nobody attached\n\
         journal: {j}\nsocket:  {s}\nlog:     {l}\npid:     {pid}\n\
         attach:  reprise attach {j}\n",
        j = journal.display(),
        s = socket.display(),
        l = log.display(),
        pid = child.id(),
    ))?;
    Ok(crate::exit::SUCCESS)
}
