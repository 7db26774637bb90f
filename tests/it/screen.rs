//! What a person sees at a terminal: everything a program printed so far,
//! read as it comes (a terminal nobody reads fills up and stops its
//! program). Tests type only once the screen shows what a person would
//! wait for, e.g. the item they are about to close: typing before it is
//! open is a person's mistake, not the behaviour under test.

use std::time::{Duration, Instant};

use expectrl::Expect;
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

/// The last 2,000 characters printed, for a failure's message.
fn tail(seen: &str) -> String {
    let chars: Vec<char> = seen.chars().collect();
    chars[chars.len().saturating_sub(2000)..].iter().collect()
}
