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

use std::collections::HashMap;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use serde::Serialize;

use crate::event::Stamped;
use crate::exec::{Input, Interrupt, Operator, Question};
use crate::identity::Identity;
use crate::redact::Redactor;
use crate::runbook::{Runbook, StepIndex};
use crate::terminal::prompt::Session;
use queue::{Outgoing, Refused};
use view::{Board, FrameKey, FrameMsg, Look};

mod access;
mod fanout;
mod mode;
mod protocol;
mod pump;
mod said;
mod serve;

pub use access::Access;
pub use protocol::{FromClient, Hello, MAX_LINE, VERSION, parse_hello, parse_message};

/// How often the clients' live regions are redrawn (only changed ones are
/// sent).
const REDRAW: Duration = Duration::from_millis(100);

/// The socket of a journal's drill.
pub fn socket_path(journal: &Path) -> PathBuf {
    let mut s = journal.as_os_str().to_owned();
    s.push(".sock");
    PathBuf::from(s)
}

struct Client {
    /// Tells clients apart (two terminals can share a name and account).
    id: u64,
    session: Session,
    look: Look,
    /// What it may record.
    mode: mode::Mode,
    /// Its queue; dropping the client closes it (the I/O thread writes
    /// what is left, and says so when it fell behind).
    out: Outgoing,
    /// The live region last sent.
    last_frame: Option<FrameMsg>,
}

struct Shared {
    runbook: Runbook,
    board: Board,
    clients: Vec<Client>,
    open: Vec<Question>,
    engine: ToEngine,
    next_id: u64,
    /// Who each connected client is, until the drill is told it left
    /// (also after it was dropped for falling behind).
    identities: HashMap<u64, Identity>,
    /// The I/O thread of every client's socket.
    pump: pump::Pump,
    /// What the drill told, applied at the I/O thread's next round.
    fanout: Arc<fanout::Fanout>,
    finished: bool,
}

/// What clients send, on its way to the engine. The socket listens before
/// the drill starts (the journal is opened, the commands' folder made): a
/// terminal that attaches meanwhile is served, and what it sends (its
/// `operator_attached` first) is kept, bounded, and handed to the driver
/// in order at [`Operator::start`], not lost.
#[derive(Default)]
struct ToEngine {
    sender: Option<Sender<Input>>,
    early: Vec<Input>,
}

/// Inputs kept from clients before the drill starts.
const EARLY: usize = 1024;

impl ToEngine {
    fn send(&mut self, input: Input) {
        match &self.sender {
            Some(tx) => {
                let _ = tx.send(input);
            }
            None if self.early.len() < EARLY => self.early.push(input),
            None => tracing::warn!("attach: a client's input before the drill started was dropped"),
        }
    }

    /// The drill has started: what was kept goes first.
    fn connect(&mut self, tx: Sender<Input>) {
        for input in self.early.drain(..) {
            let _ = tx.send(input);
        }
        self.sender = Some(tx);
    }
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
    queued(client, client.out.send(msg.into()))
}

/// Whether a message was queued for `client` (false: it is gone, or fell
/// behind and is dropped: said in the log).
fn queued(client: &Client, result: Result<(), Refused>) -> bool {
    match result {
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
    /// What the drill's thread tells the terminals, without their lock.
    fanout: Arc<fanout::Fanout>,
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
        let (pump, io) = pump::Pump::new()?;
        let fanout = Arc::new(fanout::Fanout::new(pump.hub(), pump.live()));
        let shared = Arc::new(Mutex::new(Shared {
            runbook: runbook.clone(),
            board: Board::new(runbook),
            clients: Vec::new(),
            open: Vec::new(),
            engine: ToEngine::default(),
            next_id: 0,
            identities: HashMap::new(),
            pump,
            fanout: Arc::clone(&fanout),
            finished: false,
        }));
        io.start(Box::new(serve::Sessions(Arc::downgrade(&shared))))?;
        let accept = Arc::clone(&shared);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = Arc::clone(&accept);
                let access = access.clone();
                std::thread::spawn(move || {
                    if let Err(e) = serve::serve(stream, &shared, &access) {
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
            fanout,
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

impl Attached {
    /// Tells the terminals: through the I/O thread when any is connected
    /// (the drill's thread only queues), else applied here at once.
    fn tell(&self, told: fanout::Told) {
        let told = match self.fanout.serving() {
            true => self.fanout.tell(told),
            false => Some(told),
        };
        if let Some(told) = told {
            self.here(|s| s.apply(told));
        }
    }

    /// Applies `what` here, after what was queued before it.
    fn here(&self, what: impl FnOnce(&mut Shared)) {
        let mut s = self.shared.lock().expect("attach state");
        s.catch_up();
        what(&mut s);
        // One attached meanwhile.
        if !s.clients.is_empty() {
            self.fanout.wake();
        }
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

impl Operator for Attached {
    fn start(&mut self, answers: Sender<Input>) {
        self.shared
            .lock()
            .expect("attach state")
            .engine
            .connect(answers.clone());
        self.inner.start(answers);
    }

    fn ask(&mut self, question: &Question) {
        self.tell(fanout::Told::Ask(question.clone()));
        self.inner.ask(question);
    }

    fn retract(&mut self, step: StepIndex) {
        self.tell(fanout::Told::Retract(step));
        self.inner.retract(step);
    }

    fn event(&mut self, event: &Stamped) {
        if !self.fanout.serving() {
            self.here(|s| s.event(event));
        } else if let Some(told) = self
            .fanout
            .tell(fanout::Told::Event(Box::new(event.clone())))
        {
            self.here(|s| s.apply(told));
        }
        self.inner.event(event);
    }

    fn refused(&mut self, step: StepIndex, by: &Identity, refusal: &crate::exec::Refusal) {
        // Told to whoever sent it: the attached client(s) of that
        // identity, else the drill's own terminal.
        let attached = {
            let s = self.shared.lock().expect("attach state");
            s.clients.iter().any(|c| c.session.identity() == by)
        };
        if attached {
            self.tell(fanout::Told::Refused(by.clone(), refusal.clone()));
        } else {
            self.inner.refused(step, by, refusal);
        }
    }

    fn finish(&mut self) {
        {
            let mut s = self.shared.lock().expect("attach state");
            // The last events first.
            s.catch_up();
            s.finished = true;
            // Without a result the drill was stopped, not ended: clients
            // wait for `reprise resume`.
            let msg = if s.board.ended() {
                // Said by the client in the drill's language.
                serde_json::json!({ "end": true, "text": [s.board.lang().tr("attach-drill-ended")] })
            } else {
                serde_json::json!({ "stopped": true })
            };
            let msg: Arc<str> = Arc::from(msg.to_string());
            for c in &s.clients {
                send(c, Arc::clone(&msg));
            }
            s.clients.clear();
        }
        // Closing the queues ends each connection once its queue is
        // written: let the end reach every terminal before the process
        // exits (bounded: a terminal that does not read is not waited for).
        let pump = self.shared.lock().expect("attach state").pump.handle();
        pump.drain(Duration::from_secs(3));
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

/// A drill's [`Attached`] on `test_runbook` in a new folder, and a
/// terminal attached to it as `name`, its greeting read.
#[cfg(test)]
fn attached_for_test(
    name: &str,
) -> (
    tempfile::TempDir,
    Attached,
    UnixStream,
    std::io::BufReader<UnixStream>,
    String,
) {
    use std::io::{BufRead, Write};
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.jsonl");
    let rb = crate::terminal::test_runbook();
    let attached = Attached::bind(&rb, &journal).unwrap();
    let stream = UnixStream::connect(socket_path(&journal)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    writeln!(&stream, "{}", serde_json::json!({"attach": 1, "as": name})).unwrap();
    let mut from = std::io::BufReader::new(stream.try_clone().unwrap());
    let mut greeting = String::new();
    from.read_line(&mut greeting).unwrap();
    (dir, attached, stream, from, greeting)
}
