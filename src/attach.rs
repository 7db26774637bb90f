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
//! `{"end": RESULT}`.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Sender, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::event::Stamped;
use crate::exec::{Input, Interrupt, Operator, OperatorInput, Question};
use crate::identity::{Identity, Origin};
use crate::runbook::{Runbook, StepIndex};
use crate::terminal::prompt::{Session, suggested};

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

/// The socket of a journal's drill.
pub fn socket_path(journal: &Path) -> PathBuf {
    let mut s = journal.as_os_str().to_owned();
    s.push(".sock");
    PathBuf::from(s)
}

/// A client's first message.
#[derive(Debug, Serialize, Deserialize)]
pub struct Hello {
    /// [`VERSION`].
    pub attach: u32,
    /// The declared name (`--as`).
    #[serde(default)]
    pub r#as: Option<String>,
    /// The client's `SSH_CONNECTION` (only where it came from).
    #[serde(default)]
    pub ssh_connection: Option<String>,
    /// It only watches (`--read-only`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// It watches and records observations (`--observer`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub observer: bool,
}

/// A message from a client after the first.
#[derive(Debug, Deserialize)]
pub struct FromClient {
    /// A line typed at its prompt.
    pub line: String,
}

struct Client {
    /// Tells apart two terminals of the same person.
    id: u64,
    session: Session,
    out: SyncSender<String>,
}

/// The next client's id.
static NEXT_CLIENT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

struct Shared {
    runbook: Runbook,
    clients: Vec<Client>,
    open: Vec<Question>,
    engine: Option<Sender<Input>>,
}

fn send(client: &Client, msg: &serde_json::Value) -> bool {
    !matches!(
        client.out.try_send(msg.to_string()),
        Err(TrySendError::Full(_) | TrySendError::Disconnected(_))
    )
}

fn question_text(q: &Question, n: u32, rb: &Runbook) -> String {
    // A step added during the drill is in the drill's plan, not the file.
    let id = rb
        .steps
        .get(q.step().get())
        .map_or_else(|| format!("added-{n}"), |s| s.id.as_str().to_string());
    format!("#{n} {}: {}", id, suggested(q, n, &id))
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
            clients: Vec::new(),
            open: Vec::new(),
            engine: None,
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
}

/// The placeholder until [`Attached::around`] gives the real operator.
struct Nobody;

impl Operator for Nobody {
    fn start(&mut self, _: Sender<Input>) {}
    fn ask(&mut self, _: &Question) {}
    fn retract(&mut self, _: StepIndex) {}
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
    let mut writer = stream.try_clone()?;
    let hello: Hello = match serde_json::from_str(&first) {
        Ok(h) => h,
        Err(e) => {
            let _ = writeln!(
                writer,
                "{}",
                serde_json::json!({"error": format!("not a reprise attach greeting: {e}")})
            );
            return Err(std::io::Error::other("bad greeting"));
        }
    };
    if hello.attach != VERSION {
        let _ = writeln!(
            writer,
            "{}",
            serde_json::json!({"error": format!("this drill speaks attach protocol {VERSION}, the client {}: use the same reprise version", hello.attach)})
        );
        return Err(std::io::Error::other("other version"));
    }
    let mode = Mode::of(hello.read_only, hello.observer);
    let mut origin = Origin::peer(creds.uid(), hello.ssh_connection.as_deref());
    origin.observer = mode == Mode::Observer;
    let name = hello
        .r#as
        .filter(|n| !n.trim().is_empty())
        .or_else(|| origin.account.clone())
        .unwrap_or_default();
    let identity = Identity::new(name, origin);
    let (tx, rx) = sync_channel::<String>(QUEUE);
    let id = NEXT_CLIENT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    {
        let mut s = shared.lock().expect("attach state");
        let mut session = Session::new(&s.runbook, &identity);
        let mut lines = vec![format!(
            "attached to the drill as {} ({}); {}",
            identity.name,
            identity.origin.describe(),
            mode.greeting()
        )];
        for q in &s.open {
            let n = session.ask(q);
            lines.push(question_text(q, n, &s.runbook));
        }
        let client = Client {
            id,
            session,
            out: tx,
        };
        send(&client, &serde_json::json!({ "text": lines }));
        s.clients.push(client);
        // Who was there, and in what capacity: `operator_attached`.
        if let Some(e) = &s.engine {
            let _ = e.send(Input::Operator(OperatorInput::Attached {
                by: identity.clone(),
                roles: Vec::new(),
                read_only: mode.read_only(),
            }));
        }
    }
    // Writer: the bounded queue to the socket.
    std::thread::spawn(move || {
        for msg in rx {
            if writeln!(writer, "{msg}").is_err() {
                return;
            }
        }
    });
    stream.set_read_timeout(None)?;
    let left = lines(&mut reader, shared, id, mode);
    let mut s = shared.lock().expect("attach state");
    let me = s
        .clients
        .iter()
        .find(|c| c.id == id)
        .map_or(identity, |c| c.session.identity().clone());
    s.clients.retain(|c| c.id != id);
    let reason = match &left {
        Ok(reason) => reason.to_string(),
        Err(_) => "connection closed".to_string(),
    };
    if let Some(e) = &s.engine {
        let _ = e.send(Input::Operator(OperatorInput::Detached {
            by: me,
            reason: Some(reason),
        }));
    }
    left.map(|_| ())
}

/// Takes a client's typed lines until it leaves; returns how it left.
fn lines(
    reader: &mut BufReader<UnixStream>,
    shared: &Arc<Mutex<Shared>>,
    id: u64,
    mode: Mode,
) -> std::io::Result<&'static str> {
    loop {
        let mut line = String::new();
        if bounded_line(reader, &mut line)? == 0 {
            return Ok("connection closed");
        }
        let Ok(msg) = serde_json::from_str::<FromClient>(&line) else {
            tracing::info!("attach: a malformed message was ignored");
            continue;
        };
        let typed = msg.line.trim().to_string();
        if typed == "detach" {
            return Ok("detach");
        }
        let mut s = shared.lock().expect("attach state");
        let engine = s.engine.clone();
        let Some(client) = s.clients.iter_mut().find(|c| c.id == id) else {
            // Dropped for falling behind: it attaches again.
            return Ok("dropped");
        };
        if let Some(refusal) = mode.screen(&typed) {
            send(client, &serde_json::json!({ "text": [refusal] }));
            continue;
        }
        let reply = client.session.line(&typed);
        for input in reply.inputs {
            if let Some(e) = &engine {
                let _ = e.send(Input::Operator(input));
            }
        }
        if !reply.text.is_empty() {
            send(client, &serde_json::json!({ "text": reply.text }));
        }
    }
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
            let rb = s.runbook.clone();
            s.clients.retain_mut(|c| {
                let n = c.session.ask(question);
                send(
                    c,
                    &serde_json::json!({ "text": [question_text(question, n, &rb)] }),
                )
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
            if let Some((id, new)) = crate::exec::added::from_event(&event.event, |_| None) {
                let phase = s.runbook.phases.len().saturating_sub(1);
                s.runbook.steps.push(new.to_step(id.clone(), phase));
                for c in &mut s.clients {
                    c.session.added(id.as_str());
                }
            }
            if let crate::event::Event::StepFinished {
                step, by, outcome, ..
            } = &event.event
                && let Some(i) = s.runbook.steps.iter().position(|x| x.id.value == *step)
            {
                let what = outcome.to_string();
                for c in &mut s.clients {
                    c.session
                        .recorded(StepIndex(i as u32), by, event.time, &what);
                }
            }
            let msg = serde_json::json!({ "event": event });
            // A client that cannot keep up is dropped; it re-attaches.
            s.clients.retain(|c| send(c, &msg));
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
                send(c, &serde_json::json!({ "text": [line.clone()] }));
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
            for c in &s.clients {
                send(c, &serde_json::json!({ "end": true }));
            }
            s.clients.clear();
        }
        let _ = std::fs::remove_file(&self.socket);
        self.inner.finish();
    }

    fn interrupted(&mut self) -> Interrupt {
        self.inner.interrupted()
    }
}
