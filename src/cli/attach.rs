//! `reprise attach`: another terminal on a running drill.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;

use crate::attach::{FromClient, Hello, VERSION, socket_path};
use crate::event::Stamped;

/// Attach this terminal to a drill that is running: see what is recorded,
/// answer the items of your team, add notes, under your own account (the
/// drill takes it from the operating system). `detach` or Ctrl-D leaves the
/// drill running.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  reprise attach journals/pra-20261206T081500Z.jsonl --as labo
  reprise attach journals/pra-20261206T081500Z.jsonl --observer --as auditor
  ssh -t crisis-host reprise attach /srv/pra/journals/pra-20261206T081500Z.jsonl

Exit codes: 0 detached or the drill ended, 2 no drill running on that journal.")]
pub struct Args {
    /// The running drill's journal.
    #[arg(value_name = "JOURNAL")]
    journal: PathBuf,
    /// The name your records carry (default: your login).
    #[arg(long = "as", value_name = "NAME")]
    name: Option<String>,
    /// Only watch: the live view, nothing you type is recorded.
    #[arg(long)]
    read_only: bool,
    /// Watch and record observations (`note TEXT`) as an observer; the
    /// report lists them apart. Nothing else is recorded.
    #[arg(long)]
    observer: bool,
}

#[derive(serde::Deserialize)]
struct FromServer {
    #[serde(default)]
    text: Vec<String>,
    #[serde(default)]
    event: Option<Stamped>,
    #[serde(default)]
    end: Option<bool>,
    #[serde(default)]
    error: Option<String>,
}

pub fn run(args: Args) -> super::Result {
    let socket = socket_path(&args.journal);
    let stream = UnixStream::connect(&socket).map_err(|e| {
        if e.kind() == std::io::ErrorKind::PermissionDenied {
            return super::Error::invalid(format!(
                "you may not attach to the drill on {}: {} admits only the account that \
                 started it and the Unix group given with --group ({e})",
                args.journal.display(),
                socket.display()
            ))
            .hint(
                "ask the coordinator to start (or resume) the drill with `--group GROUP` and to \
                 add your account to that group; see docs/drill-guide.md",
            );
        }
        super::Error::invalid(format!(
            "no drill is running on {} ({}: {e})",
            args.journal.display(),
            socket.display()
        ))
        .hint(format!(
            "carry it on with `reprise resume {}`, or follow it with `reprise status --follow`",
            args.journal.display()
        ))
    })?;
    let mut writer = stream
        .try_clone()
        .map_err(|e| super::Error::invalid(format!("cannot use the drill's socket: {e}")))?;
    let hello = Hello {
        attach: VERSION,
        r#as: args.name.clone(),
        ssh_connection: std::env::var("SSH_CONNECTION").ok(),
        read_only: args.read_only,
        observer: args.observer,
    };
    let greet = serde_json::to_string(&hello).expect("a greeting serializes");
    writeln!(writer, "{greet}")
        .map_err(|e| super::Error::invalid(format!("the drill did not take the greeting: {e}")))?;
    // Lines typed go to the drill from a thread of their own.
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        for line in stdin.lock().lines() {
            let Ok(line) = line else { break };
            let msg = serde_json::json!({ "line": line });
            if writeln!(writer, "{msg}").is_err() || line.trim() == "detach" {
                break;
            }
        }
        let _ = writer.shutdown(std::net::Shutdown::Write);
    });
    let _: Option<FromClient> = None;
    for line in BufReader::new(stream).lines() {
        let Ok(line) = line else { break };
        let Ok(msg) = serde_json::from_str::<FromServer>(&line) else {
            continue;
        };
        if let Some(e) = msg.error {
            return Err(super::Error::invalid(format!("the drill refused: {e}")));
        }
        let mut out = String::new();
        for t in &msg.text {
            out.push_str(&crate::escape::text(t));
            out.push('\n');
        }
        if let Some(e) = &msg.event {
            out.push_str(&super::status::describe(e));
            out.push('\n');
        }
        super::print(&out)?;
        if msg.end == Some(true) {
            super::print("the drill ended\n")?;
            break;
        }
    }
    Ok(crate::exit::SUCCESS)
}
