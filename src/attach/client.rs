//! The attaching terminal (`reprise attach`): sends what is typed, shows
//! what the drill sends, and outlives the drill's process.
//!
//! On a terminal it draws like `run`: the lines scroll, the live region the
//! drill draws for it (its size, its roles) stays at the bottom with the
//! prompt, and a resize (`SIGWINCH`) is sent at once. Elsewhere (a pipe, a
//! script, `NO_COLOR`, `TERM=dumb`) it prints plain lines.
//!
//! When the connection ends without the drill's end (the drill's process
//! was killed, the machine rebooted, the drill was stopped), it says so,
//! names `reprise resume`, and attaches again by itself once the drill runs
//! again, polling the socket with a growing delay; only Ctrl-C, `detach`
//! or the end of input make it leave. A terminal dropped for falling behind
//! attaches again at once and catches up from the drill's snapshot (the
//! open items and the live region).

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

mod screen;

use super::said;
use super::view::{FrameMsg, WinSize};
use super::{FromClient, Hello, VERSION, socket_path};
use crate::event::Stamped;
use crate::terminal::Style;
use screen::{Screen, coloured};

/// The first delay before attaching again, doubled up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(200);
/// The longest delay between two attempts to attach again.
const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// What `reprise attach` was asked.
#[derive(Debug, Clone)]
pub struct Options {
    /// The running drill's journal.
    pub journal: PathBuf,
    /// The declared name (`--as`).
    pub name: Option<String>,
    /// The roles whose items come first (`--role`).
    pub roles: Vec<String>,
    /// `--read-only`: watch only.
    pub read_only: bool,
    /// `--observer`: watch and record notes as an observer.
    pub observer: bool,
    /// What this terminal says by itself is in this language: the
    /// drill's, read from its journal (the drill's own lines come in it).
    pub lang: crate::i18n::Lang,
}

/// Why attaching failed.
#[derive(Debug)]
pub enum Error {
    /// No drill listens on the journal's socket.
    NotRunning(std::io::Error),
    /// The drill refused the greeting (another version…).
    Refused(String),
}

/// How the client left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Left {
    /// `detach`, Ctrl-D, Ctrl-C, or the end of input: the drill goes on.
    Detached,
    /// The drill ended.
    Ended,
}

/// A message from the drill.
#[derive(Debug, Default, serde::Deserialize)]
struct FromServer {
    #[serde(default)]
    text: Vec<String>,
    #[serde(default)]
    event: Option<Stamped>,
    #[serde(default)]
    lines: Option<Vec<String>>,
    #[serde(default)]
    frame: Option<FrameMsg>,
    #[serde(default)]
    end: Option<bool>,
    #[serde(default)]
    stopped: Option<bool>,
    #[serde(default)]
    dropped: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

/// What the main loop waits for.
enum Msg {
    /// Bytes typed at a live terminal.
    Keys(Vec<u8>),
    /// A whole line (plain input).
    Line(String),
    /// Ctrl-C, or the end of input.
    Leave,
    /// The terminal's new size.
    Resize(WinSize),
    /// From connection number `.0`.
    Server(u64, Box<FromServer>),
    /// Connection number `.0` ended.
    Closed(u64),
}

/// Attaches to the drill of `opts.journal` until it ends or the person
/// leaves.
pub fn run(opts: &Options) -> Result<Left, Error> {
    let socket = socket_path(&opts.journal);
    let stream = UnixStream::connect(&socket).map_err(Error::NotRunning)?;
    let style = Style::detect();
    let mut screen = Screen::new(style);
    let (tx, rx) = channel();
    let mut conn = Connection::open(stream, opts, &screen, 1, &tx).map_err(Error::NotRunning)?;
    let mut session = Client {
        opts,
        socket,
        tx,
        generation: 1,
        conn: None,
    };
    // The greeting's answer: refused (exit 2) or the first messages.
    match rx.recv_timeout(Duration::from_secs(10)) {
        Ok(Msg::Server(_, m)) if m.error.is_some() => {
            return Err(Error::Refused(m.error.unwrap_or_default()));
        }
        Ok(first) => {
            session.conn = Some(conn.take_writer());
            screen.start_input(&session.tx);
            let left = session.handle(first, &mut screen);
            if let Some(left) = left {
                return Ok(left);
            }
        }
        Err(_) => {
            return Err(Error::Refused(
                "the drill did not answer the greeting".into(),
            ));
        }
    }
    Ok(session.serve(&rx, &mut screen))
}

struct Client<'a> {
    opts: &'a Options,
    socket: PathBuf,
    tx: Sender<Msg>,
    generation: u64,
    /// Where typed lines go; `None` while the drill is not running.
    conn: Option<UnixStream>,
}

impl Client<'_> {
    fn serve(&mut self, rx: &Receiver<Msg>, screen: &mut Screen) -> Left {
        let mut backoff = FIRST_BACKOFF;
        loop {
            let msg = if self.conn.is_some() {
                match rx.recv() {
                    Ok(m) => m,
                    Err(_) => return Left::Detached,
                }
            } else {
                match rx.recv_timeout(backoff) {
                    Ok(m) => m,
                    Err(RecvTimeoutError::Timeout) => {
                        if self.reconnect(screen) {
                            backoff = FIRST_BACKOFF;
                        } else {
                            backoff = (backoff * 2).min(MAX_BACKOFF);
                        }
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => return Left::Detached,
                }
            };
            if let Some(left) = self.handle(msg, screen) {
                return left;
            }
        }
    }

    /// Tries to attach again; true once attached.
    fn reconnect(&mut self, screen: &mut Screen) -> bool {
        let Ok(stream) = UnixStream::connect(&self.socket) else {
            return false;
        };
        self.generation += 1;
        match Connection::open(stream, self.opts, screen, self.generation, &self.tx) {
            Ok(mut c) => {
                self.conn = Some(c.take_writer());
                screen.say(&["↻ attached again".to_string()]);
                true
            }
            Err(_) => false,
        }
    }

    fn send(&mut self, msg: &FromClient) {
        if let Some(w) = &mut self.conn {
            let text = serde_json::to_string(msg).expect("a message serializes");
            if writeln!(w, "{text}").is_err() {
                self.conn = None;
            }
        }
    }

    /// Handles one message; `Some` when the client leaves.
    fn handle(&mut self, msg: Msg, screen: &mut Screen) -> Option<Left> {
        match msg {
            Msg::Keys(bytes) => {
                for b in bytes {
                    // Ctrl-C: leave this terminal; the drill goes on.
                    if b == 0x03 {
                        return Some(self.leave());
                    }
                    if let Some(line) = screen.editor.feed(b) {
                        let prompt = screen.prompt();
                        screen.say(&[format!("{prompt}{line}")]);
                        if let Some(left) = self.typed(line, screen) {
                            return Some(left);
                        }
                    }
                }
                screen.draw();
            }
            Msg::Line(line) => return self.typed(line, screen),
            Msg::Leave => return Some(self.leave()),
            Msg::Resize(size) => {
                screen.draw();
                self.send(&FromClient {
                    size: Some(size),
                    ..FromClient::default()
                });
            }
            Msg::Server(g, m) if g == self.generation => return self.received(*m, screen),
            Msg::Closed(g) if g == self.generation && self.conn.is_some() => {
                self.conn = None;
                screen.lost(&said::gone(self.opts.lang, &self.opts.journal));
            }
            Msg::Server(..) | Msg::Closed(_) => {}
        }
        None
    }

    fn typed(&mut self, line: String, screen: &mut Screen) -> Option<Left> {
        if crate::terminal::prompt::command_of(line.trim()) == Some("detach") {
            return Some(self.leave());
        }
        if self.conn.is_none() {
            screen.say(&[said::not_recorded(self.opts.lang, &self.opts.journal)]);
            return None;
        }
        self.send(&FromClient {
            line: Some(line),
            ..FromClient::default()
        });
        None
    }

    fn leave(&mut self) -> Left {
        self.send(&FromClient {
            line: Some("detach".into()),
            ..FromClient::default()
        });
        if let Some(w) = &self.conn {
            let _ = w.shutdown(std::net::Shutdown::Write);
        }
        Left::Detached
    }

    fn received(&mut self, m: FromServer, screen: &mut Screen) -> Option<Left> {
        // Attaching again was refused (another version now, or an account
        // no longer let in): nothing more can be done from here.
        if let Some(e) = &m.error {
            screen.say(&[said::refused(self.opts.lang, &crate::escape::line(e))]);
            return Some(Left::Detached);
        }
        let mut lines: Vec<String> = m.text.iter().map(|t| coloured(t)).collect();
        if let Some(e) = &m.event {
            match &m.lines {
                Some(l) => lines.extend(l.iter().map(|t| coloured(t))),
                None => lines.push(e.event.name().to_string()),
            }
        }
        screen.say(&lines);
        if let Some(f) = m.frame {
            screen.frame = Some(f);
            screen.draw();
        }
        if let Some(why) = m.dropped {
            // Attach again at once: the greeting brings the snapshot.
            self.conn = None;
            screen.say(&[format!("⚠ {}", crate::escape::line(&why))]);
            self.reconnect(screen);
        }
        if m.stopped == Some(true) {
            self.conn = None;
            screen.lost(&said::stopped(self.opts.lang, &self.opts.journal));
        }
        if m.end == Some(true) {
            // The drill says it in its language (with the end); a drill
            // of an older reprise does not.
            if m.text.is_empty() {
                screen.say(&[said::ended(self.opts.lang)]);
            }
            return Some(Left::Ended);
        }
        None
    }
}

/// One connection to the drill: its reader thread feeds the main loop.
struct Connection {
    writer: Option<UnixStream>,
}

impl Connection {
    fn open(
        stream: UnixStream,
        opts: &Options,
        screen: &Screen,
        generation: u64,
        tx: &Sender<Msg>,
    ) -> std::io::Result<Connection> {
        let mut writer = stream.try_clone()?;
        let hello = Hello {
            attach: VERSION,
            r#as: opts.name.clone(),
            ssh_connection: std::env::var("SSH_CONNECTION").ok(),
            roles: opts.roles.clone(),
            size: screen.size(),
            color: screen.palette.color,
            read_only: opts.read_only,
            observer: opts.observer,
        };
        let greet = serde_json::to_string(&hello).expect("a greeting serializes");
        writeln!(writer, "{greet}")?;
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                let Ok(msg) = serde_json::from_str::<FromServer>(&line) else {
                    continue;
                };
                if tx.send(Msg::Server(generation, Box::new(msg))).is_err() {
                    return;
                }
            }
            let _ = tx.send(Msg::Closed(generation));
        });
        Ok(Connection {
            writer: Some(writer),
        })
    }

    fn take_writer(&mut self) -> UnixStream {
        self.writer
            .take()
            .expect("a connection's writer is taken once")
    }
}
