//! The drill as a service: other terminals attach to a running drill
//! through a Unix socket beside its journal and record their own steps
//! under their own account.
//!
//! [`Attached`] wraps the drill's operator. It listens on
//! `<journal>.sock` (mode 0600: the starting account; teams on other
//! machines come in with `ssh -t crisis-host reprise attach JOURNAL`). A
//! client's account is the socket's peer credentials (`SO_PEERCRED`),
//! never what it claims; its declared name is only the `by` of its
//! records. Each client has its own prompt state ([`Session`]): the same
//! item numbers, the same words as at the coordinator's terminal. What
//! the engine records reaches every client through a bounded queue; a
//! client that falls behind is dropped, never waited for.
//!
//! The protocol (docs/attach.md) is newline-delimited JSON. The client
//! opens with `{"attach": 1, "as": NAME, "ssh_connection": …}`; then sends
//! `{"line": "done 3"}`; the server sends `{"text": [...]}` (replies,
//! questions), `{"event": {...}}` (each recorded journal event) and
//! `{"end": RESULT}`. A client that gives its terminal's size gets the
//! same live region as `run` (`{"frame": …}`, drawn by [`view`]).

pub mod client;
pub mod queue;
pub mod view;

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::event::{Event, Stamped};
use crate::exec::{Input, Interrupt, Operator, OperatorInput, Question};
use crate::identity::{Identity, Origin};
use crate::redact::Redactor;
use crate::runbook::{Runbook, StepIndex};
use crate::terminal::prompt::Session;
use queue::{Outgoing, Refused};
use view::{Board, FrameKey, FrameMsg, Look, WinSize};

mod access;
mod mode;

pub use access::Access;
use mode::Mode;

/// The protocol's version, in the client's first message.
pub const VERSION: u32 = 1;
/// The longest message accepted.
pub const MAX_LINE: usize = 64 * 1024;
/// Messages queued for one client before it is dropped.
const QUEUE: usize = 1024;
/// How often the clients' live regions are redrawn (only changed ones are
/// sent).
const REDRAW: Duration = Duration::from_millis(100);
/// A client whose socket takes no data for this long is dropped without
/// a word (its queue, full, dropped it long before).
const WRITE_TIMEOUT: Duration = Duration::from_secs(60);

/// The socket of a journal's drill.
pub fn socket_path(journal: &Path) -> PathBuf {
    let mut s = journal.as_os_str().to_owned();
    s.push(".sock");
    PathBuf::from(s)
}

/// A client's first message.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Hello {
    /// [`VERSION`].
    pub attach: u32,
    /// The declared name (`--as`).
    #[serde(default)]
    pub r#as: Option<String>,
    /// The client's `SSH_CONNECTION` (only where it came from).
    #[serde(default)]
    pub ssh_connection: Option<String>,
    /// The roles whose items it wants first (`--role`); none: the roles
    /// its account has under the runbook's `roles:`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// Its terminal's size: with one, the drill sends it the live region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<WinSize>,
    /// Whether it shows colours.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub color: bool,
    /// It only watches (`--read-only`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// It watches and records observations (`--observer`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub observer: bool,
}

/// A message from a client after the first.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct FromClient {
    /// A line typed at its prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    /// Its terminal's new size (after `SIGWINCH`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<WinSize>,
}

/// Reads a client's greeting: the error is what the client is told.
pub fn parse_hello(line: &str) -> Result<Hello, String> {
    let hello: Hello =
        serde_json::from_str(line).map_err(|e| format!("not a reprise attach greeting: {e}"))?;
    if hello.attach != VERSION {
        return Err(format!(
            "this drill speaks attach protocol {VERSION}, the client {}: use the same reprise version",
            hello.attach
        ));
    }
    if hello
        .r#as
        .as_deref()
        .is_some_and(|n| n.chars().count() > 64)
    {
        return Err("a name (--as) has at most 64 characters".into());
    }
    Ok(hello)
}

/// Reads a message after the greeting; `None` for a malformed one (it is
/// ignored).
pub fn parse_message(line: &str) -> Option<FromClient> {
    serde_json::from_str::<FromClient>(line)
        .ok()
        .filter(|m| m.line.is_some() || m.size.is_some())
}

struct Client {
    /// Tells clients apart (two terminals can share a name and account).
    id: u64,
    session: Session,
    look: Look,
    /// Its queue; dropping the client closes it (its writer writes what
    /// is left, and says so when it fell behind).
    out: Outgoing,
    /// The live region last sent.
    last_frame: Option<FrameMsg>,
}

struct Shared {
    runbook: Runbook,
    board: Board,
    clients: Vec<Client>,
    open: Vec<Question>,
    engine: Option<Sender<Input>>,
    next_id: u64,
    /// Writer threads still sending to a client: the last messages (the
    /// end of the drill) go out before the process exits.
    writers: Arc<AtomicUsize>,
    finished: bool,
}

impl Shared {
    /// A step added during the drill (`step_added`) is in the drill's plan,
    /// not the file: the terminals that attach later, after a resume too,
    /// answer it under its number.
    fn grow(&mut self, event: &Stamped) {
        let Some((id, new)) = crate::exec::added::from_event(&event.event, |_| None) else {
            return;
        };
        if self.runbook.steps.iter().any(|s| s.id.value == id) {
            return;
        }
        let phase = self.runbook.phases.len().saturating_sub(1);
        self.runbook.steps.push(new.to_step(id.clone(), phase));
        for c in &mut self.clients {
            c.session.added(id.as_str());
        }
    }
}

/// Queues `msg` for `client`; false once it is gone or has fallen behind
/// (it is then dropped).
fn send(client: &Client, msg: impl Into<Arc<str>>) -> bool {
    match client.out.send(msg.into()) {
        Ok(()) => true,
        Err(Refused::Full) => {
            tracing::info!(
                who = %client.session.identity().name,
                "attach: a client fell behind and was dropped"
            );
            false
        }
        Err(Refused::Gone) => false,
    }
}

fn text(lines: Vec<String>) -> String {
    serde_json::json!({ "text": lines }).to_string()
}

/// `{"frame": …}`.
fn frame_msg(frame: &FrameMsg) -> String {
    #[derive(Serialize)]
    struct Msg<'a> {
        frame: &'a FrameMsg,
    }
    serde_json::to_string(&Msg { frame }).unwrap_or_default()
}

/// `{"event": …, "lines": […]}`, serialised once for every client that
/// draws alike.
fn event_msg(event: &Stamped, lines: Vec<String>) -> Arc<str> {
    #[derive(Serialize)]
    struct Msg<'a> {
        event: &'a Stamped,
        lines: Vec<String>,
    }
    Arc::from(serde_json::to_string(&Msg { event, lines }).unwrap_or_default())
}

/// The operator decorator that serves attached terminals.
pub struct Attached {
    inner: Box<dyn Operator>,
    shared: Arc<Mutex<Shared>>,
    socket: PathBuf,
}

impl Attached {
    /// Listens beside `journal`, for the starting account only (0600); a
    /// stale socket of a dead drill is replaced.
    pub fn bind(runbook: &Runbook, journal: &Path) -> std::io::Result<Attached> {
        Attached::bind_for(runbook, journal, &Access::Owner)
    }

    /// Listens beside `journal` for `access`: the starting account (0600),
    /// or also a Unix group (`--group`: 0660, the socket's group set).
    pub fn bind_for(
        runbook: &Runbook,
        journal: &Path,
        access: &Access,
    ) -> std::io::Result<Attached> {
        let socket = socket_path(journal);
        if socket.exists() && UnixStream::connect(&socket).is_err() {
            std::fs::remove_file(&socket)?;
        }
        let listener = UnixListener::bind(&socket)?;
        access.apply(&socket)?;
        let access = access.clone();
        let shared = Arc::new(Mutex::new(Shared {
            runbook: runbook.clone(),
            board: Board::new(runbook),
            clients: Vec::new(),
            open: Vec::new(),
            engine: None,
            next_id: 0,
            writers: Arc::new(AtomicUsize::new(0)),
            finished: false,
        }));
        let accept = Arc::clone(&shared);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = Arc::clone(&accept);
                let access = access.clone();
                std::thread::spawn(move || {
                    if let Err(e) = serve(stream, &shared, &access) {
                        tracing::info!(error = %e, "attach: a client was refused or left");
                    }
                });
            }
        });
        let weak = Arc::downgrade(&shared);
        let _ = std::thread::Builder::new()
            .name("reprise-attach-frames".into())
            .spawn(move || redraw_loop(&weak));
        Ok(Attached {
            inner: Box::new(Nobody),
            shared,
            socket,
        })
    }

    /// Serves attached terminals beside `inner`, the drill's own operator.
    pub fn around(mut self, inner: Box<dyn Operator>) -> Attached {
        self.inner = inner;
        self
    }

    /// Also masks these secrets in what clients are sent.
    pub fn with_redactor(self, redactor: Redactor) -> Attached {
        self.shared
            .lock()
            .expect("attach state")
            .board
            .set_redactor(redactor);
        self
    }

    /// Takes what a resumed drill's journal already holds, so that the
    /// clients' view knows the drill from its start.
    pub fn replay<'a>(self, events: impl IntoIterator<Item = &'a Stamped>) -> Attached {
        {
            let mut s = self.shared.lock().expect("attach state");
            for e in events {
                s.grow(e);
                s.board.apply(e);
            }
        }
        self
    }
}

/// A live region and its message, drawn once for the clients alike.
type Drawn = (FrameMsg, Arc<str>);

/// Sends each client its live region when it changed, until the drill ends.
/// Clients that draw alike (same size, colours, roles, open items and
/// prompt: twenty teams' wall screens) share one rendering and one
/// serialisation per redraw, done while the drill waits on the lock.
fn redraw_loop(shared: &Weak<Mutex<Shared>>) {
    loop {
        std::thread::sleep(REDRAW);
        let Some(shared) = shared.upgrade() else {
            return;
        };
        let mut s = shared.lock().expect("attach state");
        if s.finished {
            return;
        }
        let now = jiff::Timestamp::now();
        let Shared { board, clients, .. } = &mut *s;
        let mut made: Vec<(FrameKey, Option<Drawn>)> = Vec::new();
        clients.retain_mut(|c| {
            if c.look.size.is_none() {
                return true;
            }
            let key = FrameKey::of(&c.session, &c.look);
            let i = match made.iter().position(|(k, _)| *k == key) {
                Some(i) => i,
                None => {
                    let frame = board.frame(&c.session, &c.look, now).map(|f| {
                        let msg = Arc::from(frame_msg(&f));
                        (f, msg)
                    });
                    made.push((key, frame));
                    made.len() - 1
                }
            };
            let Some((frame, msg)) = &made[i].1 else {
                return true;
            };
            if c.last_frame.as_ref() == Some(frame) {
                return true;
            }
            c.last_frame = Some(frame.clone());
            send(c, Arc::clone(msg))
        });
    }
}

/// The placeholder until [`Attached::around`] gives the real operator.
struct Nobody;

impl Operator for Nobody {
    fn start(&mut self, _: Sender<Input>) {}
    fn ask(&mut self, _: &Question) {}
    fn retract(&mut self, _: StepIndex) {}
}

/// The drill's own operator when nobody is at its terminal (`run
/// --detach`): questions stay open for the attached terminals.
pub struct Unattended;

impl Operator for Unattended {
    fn start(&mut self, _: Sender<Input>) {}
    fn ask(&mut self, _: &Question) {}
    fn retract(&mut self, _: StepIndex) {}
}

fn refuse(mut stream: &UnixStream, message: &str) {
    let _ = writeln!(stream, "{}", serde_json::json!({ "error": message }));
}

fn serve(stream: UnixStream, shared: &Arc<Mutex<Shared>>, access: &Access) -> std::io::Result<()> {
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
    bounded_line(&mut reader, &mut first)?;
    let hello = match parse_hello(&first) {
        Ok(h) => h,
        Err(e) => {
            refuse(&stream, &e);
            return Err(std::io::Error::other(e));
        }
    };
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
    // Its writer: the bounded queue to the socket. A client that fell
    // behind is told so once its queue is written, then its connection
    // closes.
    let writer = stream.try_clone()?;
    writer.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let me = {
        let mut s = shared.lock().expect("attach state");
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
        let mut lines = vec![format!(
            "attached to the drill as {} ({}); {}",
            identity.name,
            identity.origin.describe(),
            mode.greeting()
        )];
        // A role no step has is a typo more often than not: say so.
        let known = s.board.roles();
        let unknown: Vec<&str> = declared
            .iter()
            .filter(|r| !known.contains(*r))
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() && !hello.roles.is_empty() {
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            lines.push(format!(
                "no step has the role {}: the drill's roles are {}",
                crate::escape::line(&unknown.join(", ")),
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ));
        }
        for q in &s.open {
            let n = session.ask(q);
            lines.extend(s.board.question_lines(q, n, &look));
        }
        // The live region at once: the client's snapshot of the drill.
        let frame = s.board.frame(&session, &look, jiff::Timestamp::now());
        s.next_id += 1;
        let client = Client {
            id: s.next_id,
            session,
            look,
            out: queue::start(writer, QUEUE, Arc::clone(&s.writers)),
            last_frame: frame.clone(),
        };
        send(&client, text(lines));
        if let Some(f) = frame {
            send(&client, frame_msg(&f));
        }
        if let Some(e) = &s.engine {
            let _ = e.send(Input::Operator(OperatorInput::Attached {
                by: identity.clone(),
                roles: declared,
                read_only: mode.read_only(),
            }));
        }
        s.clients.push(client);
        s.next_id
    };
    stream.set_read_timeout(None)?;
    let mut reason = "connection closed";
    loop {
        let mut line = String::new();
        if bounded_line(&mut reader, &mut line)? == 0 {
            break;
        }
        let Some(msg) = parse_message(&line) else {
            tracing::info!("attach: a malformed message was ignored");
            continue;
        };
        let mut s = shared.lock().expect("attach state");
        let engine = s.engine.clone();
        let Some(client) = s.clients.iter_mut().find(|c| c.id == me) else {
            break;
        };
        if let Some(size) = msg.size {
            client.look.size = Some(size);
        }
        let Some(typed) = msg.line else { continue };
        let typed = typed.trim().to_string();
        if typed == "detach" {
            reason = "detach";
            break;
        }
        if let Some(refusal) = mode.screen(&typed) {
            send(client, text(vec![refusal]));
            continue;
        }
        let reply = client.session.line(&typed);
        for input in reply.inputs {
            if let Some(e) = &engine {
                let _ = e.send(Input::Operator(input));
            }
        }
        if !reply.text.is_empty() {
            send(client, text(reply.text));
        }
    }
    let mut s = shared.lock().expect("attach state");
    s.clients.retain(|c| c.id != me);
    if let Some(e) = &s.engine
        && !s.finished
    {
        let _ = e.send(Input::Operator(OperatorInput::Detached {
            by: identity,
            reason: Some(reason.into()),
        }));
    }
    Ok(())
}

/// One line of at most [`MAX_LINE`] bytes; a longer one ends the client.
fn bounded_line(reader: &mut BufReader<UnixStream>, line: &mut String) -> std::io::Result<usize> {
    let n = reader.by_ref().take(MAX_LINE as u64).read_line(line)?;
    if n == MAX_LINE && !line.ends_with('\n') {
        return Err(std::io::Error::other("a message longer than the limit"));
    }
    Ok(n)
}

impl Operator for Attached {
    fn start(&mut self, answers: Sender<Input>) {
        self.shared.lock().expect("attach state").engine = Some(answers.clone());
        self.inner.start(answers);
    }

    fn ask(&mut self, question: &Question) {
        {
            let mut s = self.shared.lock().expect("attach state");
            s.open.push(question.clone());
            let Shared { board, clients, .. } = &mut *s;
            clients.retain_mut(|c| {
                let n = c.session.ask(question);
                send(c, text(board.question_lines(question, n, &c.look)))
            });
        }
        self.inner.ask(question);
    }

    fn retract(&mut self, step: StepIndex) {
        {
            let mut s = self.shared.lock().expect("attach state");
            s.open.retain(|q| q.step() != step);
            for c in &mut s.clients {
                c.session.close(step);
            }
        }
        self.inner.retract(step);
    }

    fn event(&mut self, event: &Stamped) {
        {
            let mut s = self.shared.lock().expect("attach state");
            s.grow(event);
            let masked = s.board.masked(event);
            s.board.apply(&masked);
            // An answered item is closed on every terminal, and a late
            // answer to it is told who was first.
            if let Event::StepFinished {
                step, by, outcome, ..
            } = &event.event
                && let Some(i) = s.board.position(step.as_str())
            {
                s.open.retain(|q| q.step() != i);
                let what = outcome.to_string();
                for c in &mut s.clients {
                    c.session.recorded(i, by, event.time, &what);
                }
            }
            // The lines depend only on how a client draws: made once for
            // each kind of client.
            let mut made: Vec<((bool, bool), Arc<str>)> = Vec::new();
            let Shared { board, clients, .. } = &mut *s;
            clients.retain(|c| {
                let kind = (c.look.color, c.look.size.is_some());
                let msg = match made.iter().find(|(k, _)| *k == kind) {
                    Some((_, m)) => Arc::clone(m),
                    None => {
                        let m = event_msg(&masked, board.event_lines(&masked, &c.look));
                        made.push((kind, Arc::clone(&m)));
                        m
                    }
                };
                // A client that cannot keep up is dropped; it re-attaches.
                send(c, msg)
            });
        }
        self.inner.event(event);
    }

    fn refused(&mut self, step: StepIndex, by: &Identity, message: &str) {
        // Told to whoever sent it: the attached client(s) of that
        // identity, else the drill's own terminal.
        let told = {
            let s = self.shared.lock().expect("attach state");
            let line = if message.starts_with("refused") {
                message.to_string()
            } else {
                format!("refused: {message}")
            };
            let mut told = false;
            for c in s.clients.iter().filter(|c| c.session.identity() == by) {
                send(c, text(vec![line.clone()]));
                told = true;
            }
            told
        };
        if !told {
            self.inner.refused(step, by, message);
        }
    }

    fn finish(&mut self) {
        {
            let mut s = self.shared.lock().expect("attach state");
            s.finished = true;
            // Without a result the drill was stopped, not ended: clients
            // wait for `reprise resume`.
            let msg = if s.board.ended() {
                serde_json::json!({ "end": true })
            } else {
                serde_json::json!({ "stopped": true })
            };
            let msg: Arc<str> = Arc::from(msg.to_string());
            for c in &s.clients {
                send(c, Arc::clone(&msg));
            }
            s.clients.clear();
        }
        // Closing the queues ends each writer once it has written them: let
        // the end reach every terminal before the process exits (bounded,
        // by the writers' own write timeout).
        let writers = Arc::clone(&self.shared.lock().expect("attach state").writers);
        let until = std::time::Instant::now() + std::time::Duration::from_secs(3);
        while writers.load(Ordering::SeqCst) > 0 && std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let _ = std::fs::remove_file(&self.socket);
        self.inner.finish();
    }

    fn hung_up(&mut self) {
        self.inner.hung_up();
    }

    fn interrupted(&mut self) -> Interrupt {
        self.inner.interrupted()
    }
}
