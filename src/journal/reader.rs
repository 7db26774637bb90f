//! Reading a journal back.
//!
//! A line is complete once its newline is written: the writer puts each line
//! (newline included) in one `write`, so a process killed mid-write leaves at
//! most one incomplete line, at the end. That torn line is reported and
//! dropped, never misread; damage anywhere else is an error naming the line.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Error, line_hash};
use crate::event::{Event, RunResult, Stamped};

/// A journal read back: its complete lines, in order.
#[derive(Debug, Clone)]
pub struct Journal {
    /// Where it was read from.
    pub path: PathBuf,
    /// One entry per complete line.
    pub entries: Vec<Entry>,
    /// The incomplete last line that was dropped, if any.
    pub torn: Option<Torn>,
    /// Length in bytes of the complete lines: where an append continues.
    pub len: u64,
}

/// One line of a journal.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// 1-based line number in the file.
    pub line: usize,
    /// The line's `seq`.
    pub seq: u64,
    /// The line's `prev`: the hash of the line before it, as written.
    pub prev: String,
    /// Hex SHA-256 of this line's bytes, newline included.
    pub hash: String,
    /// The event.
    pub stamped: Stamped,
}

/// An incomplete last line, dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Torn {
    /// 1-based line number.
    pub line: usize,
    /// How many bytes it had.
    pub bytes: usize,
    /// Whether it ended with a newline (it was then unreadable instead of
    /// cut short, e.g. zeros left by a power cut).
    pub terminated: bool,
}

impl std::fmt::Display for Torn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.terminated {
            write!(
                f,
                "line {} is unreadable ({} bytes, the last line): it was never completely written",
                self.line, self.bytes
            )
        } else {
            write!(
                f,
                "line {} is incomplete ({} bytes, no newline): reprise stopped while writing it",
                self.line, self.bytes
            )
        }
    }
}

impl Journal {
    /// The events, in order.
    pub fn events(&self) -> impl Iterator<Item = &Stamped> {
        self.entries.iter().map(|e| &e.stamped)
    }

    /// Hash of the last complete line: what the next line's `prev` must be.
    pub fn head(&self) -> &str {
        self.entries
            .last()
            .map_or(super::GENESIS, |e| e.hash.as_str())
    }

    /// The `seq` the next line gets.
    pub fn next_seq(&self) -> u64 {
        self.entries.last().map_or(0, |e| e.seq + 1)
    }

    /// The `run_started` event, when the journal begins with one.
    pub fn started(&self) -> Option<&Stamped> {
        self.entries
            .first()
            .map(|e| &e.stamped)
            .filter(|s| matches!(s.event, Event::RunStarted { .. }))
    }

    /// The result, when the journal holds `run_finished`.
    pub fn result(&self) -> Option<RunResult> {
        self.events().find_map(|s| match s.event {
            Event::RunFinished { result } => Some(result),
            _ => None,
        })
    }
}

/// The fields the journal adds around an event.
#[derive(Deserialize)]
struct Line {
    seq: u64,
    prev: String,
    #[serde(flatten)]
    stamped: Stamped,
}

/// Reads and parses the journal at `path` (no lock taken: safe while a drill
/// writes it).
pub fn read(path: &Path) -> Result<Journal, Error> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, "read", e))?;
    if !meta.is_file() {
        // A device such as `/dev/zero` would be read until memory runs out.
        let what = if meta.is_dir() {
            "it is a directory, not a journal file"
        } else {
            "it is not a regular file"
        };
        return Err(Error::io(path, "read", std::io::Error::other(what)));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, "read", e))?;
    read_bytes(path, &bytes)
}

/// Parses journal content read from `path`.
pub fn read_bytes(path: &Path, bytes: &[u8]) -> Result<Journal, Error> {
    let mut entries = Vec::new();
    let mut torn = None;
    let mut len = 0usize;
    let mut rest = bytes;
    let mut number = 0usize;
    while !rest.is_empty() {
        number += 1;
        let (line, terminated) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..=i], true),
            None => (rest, false),
        };
        rest = &rest[line.len()..];
        let last = rest.is_empty();
        if !terminated {
            if !is_torn_record(line) {
                return Err(Error::Damaged {
                    path: path.to_path_buf(),
                    line: number,
                    problem: NOT_TORN.to_string(),
                });
            }
            torn = Some(Torn {
                line: number,
                bytes: line.len(),
                terminated,
            });
            break;
        }
        match parse_line(line) {
            Ok(parsed) => {
                entries.push(Entry {
                    line: number,
                    seq: parsed.seq,
                    prev: parsed.prev,
                    hash: line_hash(line),
                    stamped: parsed.stamped,
                });
                len += line.len();
            }
            // Garbage after the last newline-terminated event can only come
            // from an interrupted write at the file-system level.
            Err(_) if last && !is_json_object(line) && is_torn_record(line) => {
                torn = Some(Torn {
                    line: number,
                    bytes: line.len(),
                    terminated,
                });
            }
            Err(problem) => {
                return Err(Error::Damaged {
                    path: path.to_path_buf(),
                    line: number,
                    problem,
                });
            }
        }
    }
    Ok(Journal {
        path: path.to_path_buf(),
        entries,
        torn,
        len: len as u64,
    })
}

/// Reads the journal at `path` one line at a time, handing each event to
/// `each` as it is parsed: memory stays bounded by one line, whatever the
/// journal's length (what `plan --history` and `compare` use to read many
/// journals). Same rules as [`read`]: a torn last line is returned, not an
/// error; damage before the end is [`Error::Damaged`], after the events
/// before it were handed over.
pub fn stream(path: &Path, mut each: impl FnMut(Stamped)) -> Result<Option<Torn>, Error> {
    stream_lines(path, false, |line| {
        each(line.stamped);
        Ok(())
    })
}

/// [`stream`], handing over each line's [`Entry`] (with its hash, for a
/// [`Chain`](super::Chain) check as it is read); an error `each` returns
/// stops the reading and is returned.
pub fn stream_entries(
    path: &Path,
    each: impl FnMut(Entry) -> Result<(), Error>,
) -> Result<Option<Torn>, Error> {
    stream_lines(path, true, each)
}

/// The reading of [`stream`] and [`stream_entries`]; `hash`: whether each
/// line's hash is computed (left empty otherwise).
fn stream_lines(
    path: &Path,
    hash: bool,
    mut each: impl FnMut(Entry) -> Result<(), Error>,
) -> Result<Option<Torn>, Error> {
    use std::io::BufRead;
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, "read", e))?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "it is a directory, not a journal file"
        } else {
            "it is not a regular file"
        };
        return Err(Error::io(path, "read", std::io::Error::other(what)));
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, "read", e))?;
    let mut input = std::io::BufReader::with_capacity(1 << 16, file);
    let mut line = Vec::new();
    let mut number = 0usize;
    loop {
        line.clear();
        let n = input
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::io(path, "read", e))?;
        if n == 0 {
            return Ok(None);
        }
        number += 1;
        let terminated = line.last() == Some(&b'\n');
        if !terminated {
            if !is_torn_record(&line) {
                return Err(Error::Damaged {
                    path: path.to_path_buf(),
                    line: number,
                    problem: NOT_TORN.to_string(),
                });
            }
            return Ok(Some(Torn {
                line: number,
                bytes: line.len(),
                terminated,
            }));
        }
        match parse_line(&line) {
            Ok(parsed) => each(Entry {
                line: number,
                seq: parsed.seq,
                prev: parsed.prev,
                hash: if hash {
                    line_hash(&line)
                } else {
                    String::new()
                },
                stamped: parsed.stamped,
            })?,
            Err(problem) => {
                let last = input
                    .fill_buf()
                    .map_err(|e| Error::io(path, "read", e))?
                    .is_empty();
                if last && !is_json_object(&line) && is_torn_record(&line) {
                    return Ok(Some(Torn {
                        line: number,
                        bytes: line.len(),
                        terminated,
                    }));
                }
                return Err(Error::Damaged {
                    path: path.to_path_buf(),
                    line: number,
                    problem,
                });
            }
        }
    }
}

const NOT_TORN: &str =
    "not a journal event, nor the start of one cut short by a crash: the journal was altered";

/// Whether a last line can be what a crash leaves of a record: a prefix of
/// one (the writer puts each line in one `write`, so a crash leaves a
/// prefix, possibly cut inside a character), or zeros where a power cut
/// lost the data of a longer file (after such a prefix, or alone). Anything
/// else at the end (text, garbage) was put there, not torn.
fn is_torn_record(line: &[u8]) -> bool {
    const START: &[u8] = b"{\"seq\":";
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let end = line.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    let (body, zeros) = line.split_at(end);
    if body.is_empty() {
        return !zeros.is_empty();
    }
    let body = match std::str::from_utf8(body) {
        Ok(text) => text,
        // Cut inside a character: what comes before it must be whole.
        Err(e) if e.error_len().is_none() => match std::str::from_utf8(&body[..e.valid_up_to()]) {
            Ok(text) => text,
            Err(_) => return false,
        },
        Err(_) => return false,
    };
    if body.len() < START.len() {
        return START.starts_with(body.as_bytes());
    }
    if !body.as_bytes().starts_with(START) {
        return false;
    }
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(value) => value.is_object(),
        Err(e) => e.classify() == serde_json::error::Category::Eof,
    }
}

/// Whether a line is at least syntactically a JSON object: a last line that
/// is one but is not a valid event was altered, not torn.
fn is_json_object(line: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(line).is_ok()
}

fn parse_line(line: &[u8]) -> Result<Line, String> {
    let text = std::str::from_utf8(line).map_err(|_| "not valid UTF-8".to_string())?;
    let text = text.strip_suffix('\n').unwrap_or(text);
    if text.trim().is_empty() {
        return Err("empty line".to_string());
    }
    serde_json::from_str::<Line>(text).map_err(|e| {
        // serde_json says "at line 1 column N": the column helps, the line
        // number is ours.
        let msg = e.to_string();
        let msg = match msg.rfind(" at line ") {
            Some(i) => format!("{} (column {})", &msg[..i], e.column()),
            None => msg,
        };
        format!("not a journal event: {msg}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = r#"{"seq":0,"time":"2026-11-29T08:00:00.000Z","event":"note","text":"hello","by":"alice","prev":"0000000000000000000000000000000000000000000000000000000000000000"}"#;

    #[test]
    fn parses_seq_prev_and_the_event() {
        let text = format!("{LINE}\n");
        let j = read_bytes(Path::new("j.jsonl"), text.as_bytes()).unwrap();
        assert_eq!(j.entries.len(), 1);
        let e = &j.entries[0];
        assert_eq!((e.line, e.seq), (1, 0));
        assert_eq!(e.prev, super::super::GENESIS);
        assert_eq!(e.hash, line_hash(text.as_bytes()));
        assert!(matches!(&e.stamped.event, Event::Note { text, .. } if text == "hello"));
        assert_eq!(j.len, text.len() as u64);
        assert!(j.torn.is_none());
    }

    #[test]
    fn a_cut_last_line_is_torn_not_misread() {
        let text = format!("{LINE}\n{}", &LINE[..40]);
        let j = read_bytes(Path::new("j.jsonl"), text.as_bytes()).unwrap();
        assert_eq!(j.entries.len(), 1);
        let torn = j.torn.unwrap();
        assert_eq!((torn.line, torn.bytes, torn.terminated), (2, 40, false));
        assert_eq!(j.len, LINE.len() as u64 + 1);
    }

    #[test]
    fn a_complete_line_without_its_newline_is_still_torn() {
        let text = format!("{LINE}\n{LINE}");
        let j = read_bytes(Path::new("j.jsonl"), text.as_bytes()).unwrap();
        assert_eq!(j.entries.len(), 1);
        assert_eq!(j.torn.unwrap().line, 2);
    }

    #[test]
    fn zeros_after_the_last_line_are_torn() {
        let mut bytes = format!("{LINE}\n").into_bytes();
        bytes.extend_from_slice(&[0; 10]);
        bytes.push(b'\n');
        let j = read_bytes(Path::new("j.jsonl"), &bytes).unwrap();
        assert_eq!(j.entries.len(), 1);
        assert!(j.torn.unwrap().terminated);
    }

    /// Issue 17, item 13: garbage at the end passed `verify` as "torn";
    /// only what a crash can leave of a record may be.
    #[test]
    fn only_a_prefix_of_a_record_or_zeros_can_be_torn() {
        let torn = |last: &[u8]| {
            let mut bytes = format!("{LINE}\n").into_bytes();
            bytes.extend_from_slice(last);
            read_bytes(Path::new("j.jsonl"), &bytes).map(|j| j.torn.is_some())
        };
        // What a crash leaves: any prefix, cut inside a character too.
        let next = LINE.replace(r#""text":"hello""#, r#""text":"héllo""#);
        for cut in 1..next.len() {
            assert_eq!(
                torn(&next.as_bytes()[..cut]).ok(),
                Some(true),
                "cut at {cut}"
            );
        }
        assert_eq!(torn(&[0; 10]).ok(), Some(true));
        assert_eq!(torn(b"{\"seq\":1,\"ti\0\0\0\n").ok(), Some(true));
        // What was put there.
        for garbage in [
            &b"garbage"[..],
            b"garbage\n",
            b"{\"seq\":1,\"time\":2]",
            b"{\"seq\":1,\"time\":2]\n",
            b"head: 0000\n",
            b"\xff\xfe{\"seq\"",
            b"[\"seq\"",
        ] {
            assert!(
                matches!(torn(garbage), Err(Error::Damaged { line: 2, .. })),
                "{:?} passed as torn",
                String::from_utf8_lossy(garbage)
            );
        }
    }

    #[test]
    fn damage_before_the_end_names_the_line() {
        let text = format!("{LINE}\n{{\"seq\":1,\n{LINE}\n");
        let err = read_bytes(Path::new("j.jsonl"), text.as_bytes()).unwrap_err();
        assert_eq!(err.line(), Some(2));
        assert!(
            err.to_string()
                .starts_with("j.jsonl:2: not a journal event"),
            "{err}"
        );
    }

    /// Regression: `reprise verify /dev/zero` read until memory ran out.
    #[test]
    fn dev_zero_is_refused_not_read_until_memory_runs_out() {
        let err = read(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot read journal /dev/zero: it is not a regular file"
        );
        let dir = std::env::temp_dir();
        let err = read(&dir).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("it is a directory, not a journal file"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_event_on_the_last_line_is_an_error_not_a_tear() {
        let text = format!("{LINE}\n{}\n", LINE.replace("\"note\"", "\"nope\""));
        let err = read_bytes(Path::new("j.jsonl"), text.as_bytes()).unwrap_err();
        assert_eq!(err.line(), Some(2));
    }

    #[test]
    fn streaming_reads_what_read_reads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        for text in [
            format!("{LINE}\n{LINE}\n"),
            format!("{LINE}\n{}", &LINE[..40]),
            format!("{LINE}\n\0\0\0\n"),
        ] {
            std::fs::write(&path, &text).unwrap();
            let whole = read(&path).unwrap();
            let mut events = Vec::new();
            let torn = stream(&path, |e| events.push(e)).unwrap();
            assert_eq!(events, whole.events().cloned().collect::<Vec<_>>());
            assert_eq!(torn, whole.torn);
        }
        std::fs::write(&path, format!("{LINE}\n{{\"seq\":1,\n{LINE}\n")).unwrap();
        let mut seen = 0;
        let err = stream(&path, |_| seen += 1).unwrap_err();
        assert_eq!((err.line(), seen), (Some(2), 1));
    }
}
