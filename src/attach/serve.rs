//! One attached client, from its greeting to its leaving: its account
//! checked against the socket's access, its identity and roles, its
//! snapshot of the drill (open items, live region), then what it types,
//! turned into operator inputs for the engine.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use super::mode::Mode;
use super::pump::Lines;
use super::view::Look;
use super::{Access, Client, MAX_LINE, Shared, frame_msg, parse_hello, parse_message, send, text};
use crate::exec::{Input, OperatorInput};
use crate::identity::{Identity, Origin};
use crate::terminal::prompt::Session;

/// Bytes of the drill's messages waiting for one client (besides what
/// its socket holds) before it is dropped: thousands of steps made ready
/// at once are a few hundred KiB; a terminal 8 MiB behind attaches again
/// rather than be waited for, and that bounds what it holds in memory.
const QUEUE: usize = 8 << 20;

fn refuse(mut stream: &UnixStream, message: &str) {
    let _ = writeln!(stream, "{}", serde_json::json!({ "error": message }));
}

/// Takes one client's greeting (in a thread of its own: a client that says
/// nothing is timed out without holding anyone up), registers it with the
/// drill, and hands its socket to the I/O thread of all clients.
pub(super) fn serve(
    stream: UnixStream,
    shared: &Arc<Mutex<Shared>>,
    access: &Access,
) -> std::io::Result<()> {
    use nix::sys::socket::{getsockopt, sockopt::PeerCredentials};
    let creds = getsockopt(&stream, PeerCredentials).map_err(std::io::Error::other)?;
    // The socket's mode is the gate; this is the second lock, for a socket
    // made while the umask let others in, or a mode changed by hand.
    if let Err(message) = access.admits(creds.uid(), creds.gid()) {
        let mut w = &stream;
        let _ = writeln!(w, "{}", serde_json::json!({ "error": message }));
        return Err(std::io::Error::other("an account not allowed to attach"));
    }
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut first = String::new();
    if bounded_line(&mut reader, &mut first)? == 0 {
        // Closed before a word: whoever checks that the drill listens
        // (`run --detach` waiting for its drill, `attach` probing a stale
        // socket). Not a refusal.
        tracing::debug!("attach: a connection closed before its greeting");
        return Ok(());
    }
    let hello = match parse_hello(&first) {
        Ok(h) => h,
        Err(e) => {
            refuse(&stream, &e);
            return Err(std::io::Error::other(e));
        }
    };
    // What the client sent after its greeting, already read.
    let read = reader.buffer().to_vec();
    drop(reader);
    stream.set_read_timeout(None)?;
    let mode = Mode::of(hello.read_only, hello.observer);
    let mut origin = Origin::peer(creds.uid(), hello.ssh_connection.as_deref());
    origin.observer = mode == Mode::Observer;
    let name = hello
        .r#as
        .clone()
        .filter(|n| !n.trim().is_empty())
        .or_else(|| origin.account.clone())
        .unwrap_or_default();
    let identity = Identity::new(name, origin);
    let mut s = shared.lock().expect("attach state");
    // The drill's language: what this terminal is told.
    let lang = s.board.lang();
    // The roles it attached for: those it named (`--role`), else those
    // its account has under `roles:`; the journal records which.
    let declared: Vec<String> = if hello.roles.is_empty() {
        s.board
            .roles_of(identity.origin.account.as_deref())
            .into_iter()
            .collect()
    } else {
        let mut named: Vec<String> = Vec::new();
        for r in &hello.roles {
            let r = r.trim();
            if !r.is_empty() && !named.iter().any(|x| x == r) {
                named.push(r.to_string());
            }
        }
        named
    };
    let roles = declared.iter().cloned().collect();
    let look = Look {
        size: hello.size,
        color: hello.color,
        roles,
    };
    let mut session = Session::new(&s.runbook, &identity);
    let mut lines = vec![greeting(lang, &identity, mode)];
    // A role no step has is a typo more often than not: say so.
    let known = s.board.roles();
    let unknown: Vec<&str> = declared
        .iter()
        .filter(|r| !known.contains(*r))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() && !hello.roles.is_empty() {
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        lines.push(super::said::unknown_roles(
            lang,
            &crate::escape::line(&unknown.join(", ")),
            &known,
        ));
    }
    for q in &s.open {
        let n = session.ask(q);
        lines.extend(s.board.question_lines(q, n, &look));
    }
    // The live region at once: the client's snapshot of the drill.
    let frame = s.board.frame(&session, &look, jiff::Timestamp::now());
    s.next_id += 1;
    let id = s.next_id;
    // Its queue: bounded, written by the I/O thread; a client that falls
    // behind is told so once its queue is written, then its connection
    // closes.
    let out = s.pump.add(id, stream, read, QUEUE)?;
    let client = Client {
        id,
        session,
        look,
        mode,
        out,
        last_frame: frame.clone(),
    };
    send(&client, text(lines));
    if let Some(f) = frame {
        send(&client, frame_msg(&f));
    }
    s.engine.send(Input::Operator(OperatorInput::Attached {
        by: identity.clone(),
        roles: declared,
        read_only: mode.read_only(),
    }));
    s.clients.push(client);
    s.identities.insert(id, identity);
    Ok(())
}

/// What the attached clients type, taken by the I/O thread: each line
/// turned into operator inputs under the client's identity.
pub(super) struct Sessions(pub(super) Weak<Mutex<Shared>>);

impl Lines for Sessions {
    fn line(&mut self, id: u64, line: &str) -> Option<&'static str> {
        let Some(msg) = parse_message(line) else {
            tracing::info!("attach: a malformed message was ignored");
            return None;
        };
        let shared = self.0.upgrade()?;
        let mut s = shared.lock().expect("attach state");
        let lang = s.board.lang();
        let Some(client) = s.clients.iter_mut().find(|c| c.id == id) else {
            return Some("connection closed");
        };
        if let Some(size) = msg.size {
            client.look.size = Some(size);
        }
        let typed = msg.line?;
        let typed = typed.trim();
        if typed == "detach" {
            return Some("detach");
        }
        if let Some(refusal) = client.mode.screen(typed, lang) {
            send(client, text(vec![refusal]));
            return None;
        }
        let reply = client.session.line(typed);
        if !reply.text.is_empty() {
            send(client, text(reply.text));
        }
        for input in reply.inputs {
            s.engine.send(Input::Operator(input));
        }
        None
    }

    fn round(&mut self) {
        if let Some(shared) = self.0.upgrade() {
            shared.lock().expect("attach state").catch_up();
        }
    }

    fn gone(&mut self, id: u64, reason: &'static str) {
        let Some(shared) = self.0.upgrade() else {
            return;
        };
        let mut s = shared.lock().expect("attach state");
        s.clients.retain(|c| c.id != id);
        let Some(identity) = s.identities.remove(&id) else {
            return;
        };
        if !s.finished {
            s.engine.send(Input::Operator(OperatorInput::Detached {
                by: identity,
                reason: Some(reason.into()),
            }));
        }
    }
}

/// The first line a client is told: who it is attached as, and how.
fn greeting(lang: crate::i18n::Lang, identity: &Identity, mode: Mode) -> String {
    use fluent_templates::fluent_bundle::FluentValue;
    lang.tr_args(
        "attach-greeting",
        &[
            ("name", FluentValue::from(identity.name.clone())),
            ("origin", FluentValue::from(identity.origin.describe())),
            ("mode", FluentValue::from(mode.greeting(lang))),
        ],
    )
}

/// A refusal of the engine, told to whoever sent it in the drill's
/// language, `refused: …` first.
pub(super) fn refusal(lang: crate::i18n::Lang, refusal: &crate::exec::Refusal) -> String {
    use fluent_templates::fluent_bundle::FluentValue;
    let said = refusal.say(lang);
    if refusal.has_prefix() {
        return said;
    }
    lang.tr_args("attach-refused", &[("message", FluentValue::from(said))])
}

/// One line of at most [`MAX_LINE`] bytes; a longer one ends the client.
fn bounded_line(reader: &mut BufReader<UnixStream>, line: &mut String) -> std::io::Result<usize> {
    let n = reader.by_ref().take(MAX_LINE as u64).read_line(line)?;
    if n == MAX_LINE && !line.ends_with('\n') {
        return Err(std::io::Error::other("a message longer than the limit"));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// The socket listens before the drill starts: a terminal attached
    /// meanwhile has its `operator_attached` recorded once it does, not
    /// dropped (it once was, when the journal was slow to open).
    #[test]
    fn a_terminal_attached_before_the_drill_starts_is_recorded_when_it_does() {
        use crate::exec::Operator;
        let (_dir, mut attached, stream, mut answers, greeting) =
            super::super::attached_for_test("early");
        assert!(
            greeting.contains("attached to the drill as early"),
            "{greeting}"
        );
        // `help` is answered once the note before it was handed on: then
        // both the attachment and the note were sent before the start.
        (&stream)
            .write_all(b"{\"line\": \"note before the start\"}\n{\"line\": \"help\"}\n")
            .unwrap();
        let mut help = String::new();
        answers.read_line(&mut help).unwrap();
        assert!(help.contains("detach"), "{help}");

        let (tx, rx) = std::sync::mpsc::channel();
        attached.start(tx);
        // Bounds against a hang, not timing assertions.
        match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(Input::Operator(OperatorInput::Attached { by, .. })) => {
                assert_eq!(by.name, "early");
            }
            other => panic!("the early terminal's attachment was lost: {other:?}"),
        }
        match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(Input::Operator(OperatorInput::Note { text, .. })) => {
                assert_eq!(text, "before the start");
            }
            other => panic!("the note typed before the start was lost: {other:?}"),
        }
        drop((stream, answers));
        match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(Input::Operator(OperatorInput::Detached { by, .. })) => {
                assert_eq!(by.name, "early");
            }
            other => panic!("expected its detachment: {other:?}"),
        }
        attached.finish();
    }

    #[test]
    fn the_greeting_and_a_refusal_are_in_the_drills_language() {
        let who = Identity::new("labo".to_string(), Origin::default());
        let en = greeting(Lang::En, &who, Mode::ReadOnly);
        assert!(en.starts_with("attached to the drill as labo ("), "{en}");
        assert!(
            en.ends_with(
                "; read-only: you see the drill, nothing you type is recorded; `detach` to leave"
            ),
            "{en}"
        );
        let fr = greeting(Lang::Fr, &who, Mode::Observer);
        assert!(
            fr.starts_with("rattaché à l'exercice en tant que labo ("),
            "{fr}"
        );
        assert!(fr.contains("\u{202f}; observateur\u{a0}:"), "{fr:?}");
        assert!(!fr.contains("attached to the drill"), "{fr}");
        let step = || crate::exec::refusal::Item {
            number: 2,
            id: "b".into(),
        };
        let ended = crate::exec::Refusal::Ended {
            step: step(),
            outcome: crate::event::Outcome::Done,
        };
        let message = "refused: step 2 `b` has ended already (done); nothing was changed";
        assert_eq!(refusal(Lang::En, &ended), message);
        let second = crate::exec::Refusal::AlreadyRecorded {
            step: step(),
            by: "alice".into(),
            at: "2026-11-29T08:01:02Z".parse().unwrap(),
            what: "done".into(),
        };
        assert_eq!(
            refusal(Lang::En, &second),
            "refused: #2 b: already recorded by alice at 08:01:02 UTC (done); nothing was recorded"
        );
        let fr = refusal(Lang::Fr, &ended);
        assert_eq!(
            fr,
            "refusé\u{a0}: l'étape 2 `b` est déjà terminée (faite)\u{202f}; rien n'a été changé"
        );
        let fr = refusal(Lang::Fr, &second);
        assert!(
            fr.starts_with("refusé\u{a0}: #2 b\u{a0}: déjà enregistrée par alice"),
            "{fr:?}"
        );
        assert!(!fr.contains("refused") && !fr.contains("already"), "{fr}");
    }
}
