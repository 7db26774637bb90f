//! What a person sees at a terminal: everything a program printed so far,
//! read as it comes (a terminal nobody reads fills up and stops its
//! program). Tests type only once the screen shows what a person would
//! wait for, e.g. the item they are about to close: typing before it is
//! open is a person's mistake, not the behaviour under test.

use std::path::Path;
use std::time::{Duration, Instant};

use expectrl::Expect;
use expectrl::process::unix::{Signal, WaitStatus};
use expectrl::session::OsSession as Session;

/// A pseudo-terminal and all it has printed.
pub struct Screen {
    pub session: Session,
    seen: String,
}

impl Screen {
    pub fn new(session: Session) -> Screen {
        Screen {
            session,
            seen: String::new(),
        }
    }

    /// Reads whatever has been printed since the last read.
    pub fn pump(&mut self) {
        pump(&mut self.session, &mut self.seen);
    }

    /// How many times `text` was printed so far.
    pub fn count(&mut self, text: &str) -> usize {
        self.pump();
        self.seen.matches(text).count()
    }

    /// Waits (bounded) until `text` was printed `n` times.
    pub fn wait_for(&mut self, text: &str, n: usize) {
        wait_for(&mut self.session, &mut self.seen, text, n);
    }

    /// Waits (bounded) until one printed line holds all of `parts`, in
    /// order.
    pub fn wait_line(&mut self, parts: &[&str]) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            self.pump();
            if self.seen.lines().any(|l| in_order(l, parts)) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "no line with {parts:?}; the terminal's last output:\n{}",
                    tail(&self.seen)
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Types a line, as a person does once the screen shows what they
    /// wait for.
    pub fn type_line(&mut self, line: &str) {
        self.session.send_line(line).expect("type at the terminal");
    }

    /// Waits (bounded) for the program to end, reading what it prints; a
    /// program still running then is killed and the test fails with the
    /// screen's last lines and the journal at `journal`'s records.
    pub fn wait_end(&mut self, journal: &Path) -> WaitStatus {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            self.pump();
            match self.session.get_process_mut().status() {
                Ok(WaitStatus::StillAlive) => {}
                Ok(status) => {
                    self.pump();
                    return status;
                }
                Err(e) => panic!("waiting for reprise: {e}"),
            }
            if Instant::now() > deadline {
                let process = self.session.get_process_mut();
                let _ = process.kill(Signal::SIGKILL);
                let _ = process.wait();
                panic!(
                    "still running after 60 s: killed; the terminal's last output:\n{}\nthe journal:\n{}",
                    tail(&self.seen),
                    records(journal)
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// One line per record of the journal at `path` (its event, step, `by`,
/// result), for a failure's message.
pub fn records(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| format!("({e})"));
    text.lines()
        .map(|l| match serde_json::from_str::<serde_json::Value>(l) {
            Ok(v) => ["event", "step", "by", "result"]
                .iter()
                .filter_map(|k| v.get(*k).map(|x| format!("{k}={x}")))
                .collect::<Vec<_>>()
                .join(" "),
            Err(_) => format!("(unreadable) {l}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Appends to `seen` whatever `session` printed since the last read.
pub fn pump(session: &mut Session, seen: &mut String) {
    let mut buf = [0u8; 8192];
    while let Ok(n) = session.try_read(&mut buf) {
        if n == 0 {
            break;
        }
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
}

/// Waits (bounded: a guard against a hung test, not a timing assertion)
/// until `text` was printed `n` times at `session`.
pub fn wait_for(session: &mut Session, seen: &mut String, text: &str, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        pump(session, seen);
        if seen.matches(text).count() >= n {
            return;
        }
        if Instant::now() > deadline {
            panic!(
                "`{text}` not printed {n} time(s); the terminal's last output:\n{}",
                tail(seen)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether `line` holds each of `parts`, one after the other.
fn in_order(line: &str, parts: &[&str]) -> bool {
    let mut rest = line;
    parts.iter().all(|p| match rest.find(p) {
        Some(i) => {
            rest = &rest[i + p.len()..];
            true
        }
        None => false,
    })
}

/// The last lines printed, for a failure's message: escape sequences
/// taken out and the live region's redraws shown once, so that what the
/// drill said can be read.
pub fn tail(seen: &str) -> String {
    let mut plain = String::with_capacity(seen.len());
    let mut chars = seen.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => {
                // CSI: parameters, then one final byte in @..~. Colours
                // (`m`) go; cursor moves and erasures end a line.
                let mut last = None;
                if chars.next_if_eq(&'[').is_some() {
                    last = chars.by_ref().find(|c| ('@'..='~').contains(c));
                } else {
                    chars.next();
                }
                if last != Some('m') {
                    plain.push('\n');
                }
            }
            '\r' => plain.push('\n'),
            c => plain.push(c),
        }
    }
    // The live region pads each row to the terminal's width instead of
    // ending it; a redraw repeats its rows, their times ticking.
    let key = |l: &str| l.replace(|c: char| c.is_ascii_digit(), "0");
    let mut kept: Vec<&str> = Vec::new();
    for line in plain.lines().flat_map(|l| l.split("      ")).map(str::trim) {
        if line.trim().is_empty() || kept.iter().rev().take(8).any(|k| key(k) == key(line)) {
            continue;
        }
        kept.push(line);
    }
    kept[kept.len().saturating_sub(60)..].join("\n")
}
