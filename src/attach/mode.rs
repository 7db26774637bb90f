//! What an attached terminal may record.
//!
//! A team's terminal types the same words as the coordinator's. A
//! read-only terminal (`attach --read-only`) only watches: the live view,
//! `list`, `help`. An observer (`attach --observer`, the crisis exercise's
//! observers, apart from players and facilitators) watches and writes
//! notes (`note TEXT`), recorded as observations under its own account and
//! listed apart in the report. Anything else typed there records nothing
//! and says why.

/// The capacity a client attached in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Records outcomes, decisions, notes (within its roles).
    Player,
    /// Watches only.
    ReadOnly,
    /// Watches and records notes as an observer.
    Observer,
}

impl Mode {
    /// From the client's greeting: `--observer` wins over `--read-only`
    /// (an observer is read-only plus notes).
    pub fn of(read_only: bool, observer: bool) -> Mode {
        match (read_only, observer) {
            (_, true) => Mode::Observer,
            (true, false) => Mode::ReadOnly,
            (false, false) => Mode::Player,
        }
    }

    /// Recorded in `operator_attached.read_only`: it records no step.
    pub fn read_only(self) -> bool {
        self != Mode::Player
    }

    /// Said when it attaches, after who it is.
    pub fn greeting(self) -> &'static str {
        match self {
            Mode::Player => "type `help`, `detach` to leave",
            Mode::ReadOnly => {
                "read-only: you see the drill, nothing you type is recorded; `detach` to leave"
            }
            Mode::Observer => {
                "observer: you see the drill and record observations with `note TEXT`; `detach` to leave"
            }
        }
    }

    /// `None` when `line` may go to the prompt; otherwise what to say
    /// instead (nothing is recorded).
    pub fn screen(self, line: &str) -> Option<String> {
        let typed = line.split_whitespace().next().unwrap_or("");
        // The command a word means in any language (`liste`, `aide`).
        let word = crate::terminal::prompt::command_of(typed).unwrap_or(typed);
        let watching = matches!(word, "" | "help" | "?" | "list" | "ls");
        match self {
            Mode::Player => None,
            Mode::ReadOnly if watching => None,
            Mode::Observer if watching || word == "note" => None,
            Mode::ReadOnly => Some(format!(
                "read-only terminal: `{typed}` is not recorded from here (you attached with \
                 --read-only); nothing was recorded"
            )),
            Mode::Observer => Some(format!(
                "observer: `{typed}` is not recorded from here; an observer records only \
                 `note TEXT`; nothing was recorded"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_only_terminal_only_watches_and_an_observer_also_notes() {
        for line in [
            "done 1",
            "skip 2 no",
            "hold night",
            "abort",
            "note hello",
            "handover bob",
        ] {
            let said = Mode::ReadOnly.screen(line).unwrap_or_default();
            assert!(said.contains("nothing was recorded"), "{line}: {said}");
        }
        // In the drill's language too.
        for line in ["list", "help", "", "liste", "aide"] {
            assert_eq!(Mode::ReadOnly.screen(line), None, "{line}");
            assert_eq!(Mode::Observer.screen(line), None, "{line}");
        }
        assert_eq!(Mode::Observer.screen("note the vendor is late"), None);
        assert!(Mode::ReadOnly.screen("fait 1").is_some());
        let said = Mode::Observer.screen("done 1").unwrap();
        assert!(said.contains("only `note TEXT`"), "{said}");
        assert_eq!(Mode::Player.screen("done 1"), None);
        assert_eq!(Mode::of(true, true), Mode::Observer);
        assert!(Mode::Observer.read_only() && !Mode::Player.read_only());
    }
}
