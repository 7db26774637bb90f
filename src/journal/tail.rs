//! The last lines an attempt wrote to its step log: what `resume` shows
//! when it stops a leftover process ("64% restored"), so that the person
//! resuming knows how far it got before it is ended.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// How much of the end of a log is read: a log can be gigabytes, its last
/// lines are all that is wanted.
const WINDOW: u64 = 64 * 1024;

/// The last `n` output lines of `attempt` (0: the rollback) of `step`, from
/// its log in `log_dir` (`<step>.log`, as the drill writes it); empty when
/// there is no log or the attempt wrote nothing. Lines are as logged
/// (secrets masked by the drill), escaped for a terminal.
pub fn attempt_tail(log_dir: &Path, step: &str, attempt: u32, n: usize) -> Vec<String> {
    let path = log_dir.join(format!("{step}.log"));
    let Ok(mut file) = std::fs::File::open(&path) else {
        return Vec::new();
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let from = len.saturating_sub(WINDOW);
    if file.seek(SeekFrom::Start(from)).is_err() {
        return Vec::new();
    }
    let mut bytes = Vec::new();
    if file.take(WINDOW).read_to_end(&mut bytes).is_err() {
        return Vec::new();
    }
    let text = String::from_utf8_lossy(&bytes);
    // A window that starts mid-line drops that partial line.
    let text = if from > 0 {
        text.split_once('\n').map_or("", |(_, rest)| rest)
    } else {
        &text
    };
    tail_of(text, attempt, n)
}

/// The last `n` lines of `attempt` in a log's `text`: those after its
/// `=== attempt N` (or `=== rollback`) headers (one per host for a remote
/// step), each up to the next header, without reprise's own `=== …`
/// lines. When no header is in `text` (a window that starts after it),
/// every line is taken.
pub fn tail_of(text: &str, attempt: u32, n: usize) -> Vec<String> {
    let mine = |l: &str| {
        if attempt == 0 {
            l.starts_with("=== rollback")
        } else {
            l.strip_prefix("=== attempt ")
                .and_then(|rest| rest.split([' ', '—']).next())
                .and_then(|k| k.parse::<u32>().ok())
                == Some(attempt)
        }
    };
    let header = |l: &str| l.starts_with("=== attempt ") || l.starts_with("=== rollback");
    let mut lines: Vec<&str> = Vec::new();
    let mut inside = !text.lines().any(header);
    for l in text.lines() {
        if header(l) {
            inside = mine(l);
            continue;
        }
        if inside && !l.starts_with("=== ") {
            lines.push(l);
        }
    }
    let skip = lines.len().saturating_sub(n);
    lines[skip..]
        .iter()
        .map(|l| crate::escape::line(l).into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "=== attempt 1 — 2026-11-29T08:00:00Z — restore\n\
                       ===   --all\n\
                       10% restored\n\
                       === could not reach the mirror\n\
                       === attempt 2 — 2026-11-29T08:05:00Z — restore\n\
                       50% restored\n\
                       63% restored\n\
                       64% restored\n\
                       === rollback — 2026-11-29T08:09:00Z — undo\n\
                       undoing\n";

    #[test]
    fn the_last_lines_of_the_attempt_asked_for() {
        assert_eq!(tail_of(LOG, 2, 2), ["63% restored", "64% restored"]);
        assert_eq!(tail_of(LOG, 1, 3), ["10% restored"]);
        assert_eq!(tail_of(LOG, 0, 3), ["undoing"]);
        assert!(tail_of(LOG, 3, 3).is_empty());
        // A window after the header: the lines are the attempt's own.
        assert_eq!(
            tail_of("63% restored\n64% restored\n", 2, 1),
            ["64% restored"]
        );
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        let log = "=== attempt 1 — t — c\nprogress\r50%\x1b[2J\n";
        assert_eq!(tail_of(log, 1, 1), [r"progress\r50%\e[2J"]);
    }

    #[test]
    fn only_the_end_of_a_large_log_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::from("=== attempt 1 — t — c\n");
        for i in 0..20_000 {
            text.push_str(&format!("line {i}\n"));
        }
        std::fs::write(dir.path().join("big.log"), text).unwrap();
        assert_eq!(
            attempt_tail(dir.path(), "big", 1, 2),
            ["line 19998", "line 19999"]
        );
        assert!(attempt_tail(dir.path(), "missing", 1, 2).is_empty());
    }
}
