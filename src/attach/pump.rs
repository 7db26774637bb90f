//! The one I/O thread of every attached terminal: one `poll` over a
//! wake-up pipe and every client's socket (non-blocking), which reads what
//! clients type and writes what their queues hold.
//!
//! It replaced a reader and a writer thread per client: with twenty
//! terminals, forty threads woke, slept and switched for every tick, and
//! that, not the rendering, was most of what the terminals cost the drill
//! (bench/RESULTS.md). Now the drill's first message of a round wakes this
//! thread once ([`super::queue::Hub`]); it gathers for [`TICK`] (or until
//! [`super::queue::FULL`] things wait), has
//! [`Lines::round`] apply what the drill told meanwhile (`fanout.rs`:
//! the terminals' sessions, lines and JSON, off the drill's thread), then
//! writes each terminal's batch with one `writev`, never waiting on a
//! socket: what a full socket does not take is kept and written when
//! `poll` says it has room. A terminal whose queue fills is dropped by the
//! drill's side ([`Outgoing::send`]); one that takes no data for
//! [`WRITE_TIMEOUT`] is dropped here.
//!
//! What clients type is handed, line by line, to [`Lines`] (the drill's
//! sessions, `serve.rs`), in this thread: a line is short work under the
//! drill's lock, as it was in each reader thread.

use std::collections::VecDeque;
use std::io::{IoSlice, Read, Write};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

use super::MAX_LINE;
use super::queue::{DROPPED, Hub, Outgoing, Queue, TICK, weight};

/// A client whose socket takes no data for this long is dropped (its
/// queue, full, dropped it long before, unless the drill is quiet).
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(60);

/// Messages written by one `writev` (each with its newline).
const PER_WRITE: usize = 32;

/// Bytes read from a client at a time.
const CHUNK: usize = 16 * 1024;

/// What the clients' lines mean: the drill's side of the connections.
pub(super) trait Lines: Send {
    /// A line client `id` sent (without its newline). `Some(reason)`: it
    /// leaves (`detach`); its connection ends once its queue is written.
    fn line(&mut self, id: u64, line: &str) -> Option<&'static str>;
    /// Client `id` is gone (its connection closed, failed, sent too long a
    /// line, or it left with `reason`). Called once per client.
    fn gone(&mut self, id: u64, reason: &'static str);
    /// A round starts: what the drill told since the last one is applied
    /// and queued, to be written at once.
    fn round(&mut self) {}
}

/// The drill's handle on the I/O thread.
pub(super) struct Pump {
    hub: Arc<Hub>,
    incoming: Arc<Mutex<Vec<Conn>>>,
    /// Connections still open (their last messages not yet written).
    live: Arc<AtomicUsize>,
}

/// The I/O thread before it starts: it needs the drill's side of the
/// connections, which needs the [`Pump`].
pub(super) struct Idle(Io);

impl Idle {
    /// Starts the I/O thread; `lines` takes what clients type.
    pub(super) fn start(self, lines: Box<dyn Lines>) -> std::io::Result<()> {
        let mut io = self.0;
        io.lines = Some(lines);
        std::thread::Builder::new()
            .name("reprise-attach-io".into())
            .spawn(move || io.run())?;
        Ok(())
    }
}

impl Pump {
    /// What wakes the I/O thread.
    pub(super) fn hub(&self) -> Arc<Hub> {
        Arc::clone(&self.hub)
    }

    /// How many connections the I/O thread holds.
    pub(super) fn live(&self) -> Arc<AtomicUsize> {
        Arc::clone(&self.live)
    }

    /// The handle, and the I/O thread to start.
    pub(super) fn new() -> std::io::Result<(Pump, Idle)> {
        let (wake, waker) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        waker.set_nonblocking(true)?;
        let hub = Arc::new(Hub::new(waker));
        let incoming = Arc::new(Mutex::new(Vec::new()));
        let live = Arc::new(AtomicUsize::new(0));
        let io = Io {
            wake,
            hub: Arc::clone(&hub),
            incoming: Arc::clone(&incoming),
            live: Arc::clone(&live),
            conns: Vec::new(),
            lines: None,
            gather: None,
            buf: vec![0; CHUNK],
        };
        Ok((
            Pump {
                hub,
                incoming,
                live,
            },
            Idle(io),
        ))
    }

    /// Hands client `id`'s socket to the I/O thread, with what was already
    /// read from it after its greeting (`read`); its queue holds at most
    /// `limit` bytes.
    pub(super) fn add(
        &self,
        id: u64,
        socket: UnixStream,
        read: Vec<u8>,
        limit: usize,
    ) -> std::io::Result<Outgoing> {
        socket.set_nonblocking(true)?;
        let queue = Arc::new(Queue::default());
        self.live.fetch_add(1, Ordering::SeqCst);
        self.incoming.lock().expect("attach io").push(Conn {
            id,
            socket,
            queue: Arc::clone(&queue),
            backlog: VecDeque::new(),
            offset: 0,
            input: read,
            reading: true,
            closing: None,
            stalled: None,
        });
        self.hub.wake();
        Ok(Outgoing::new(queue, Arc::clone(&self.hub), limit))
    }

    /// What waits for the connections' last messages, without the
    /// drill's lock (the I/O thread takes it when a client leaves).
    pub(super) fn handle(&self) -> Drain {
        Drain(Arc::clone(&self.live))
    }
}

/// Waits for the connections to end ([`Pump::handle`]).
pub(super) struct Drain(Arc<AtomicUsize>);

impl Drain {
    /// Waits until every connection has written its last messages and
    /// ended, for `bound` at most.
    pub(super) fn drain(&self, bound: Duration) {
        let until = Instant::now() + bound;
        while self.0.load(Ordering::SeqCst) > 0 && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// One client's connection, owned by the I/O thread.
struct Conn {
    id: u64,
    socket: UnixStream,
    queue: Arc<Queue>,
    /// Taken from the queue, not written yet; the first one from `offset`.
    backlog: VecDeque<std::sync::Arc<str>>,
    offset: usize,
    /// Read and not yet a whole line.
    input: Vec<u8>,
    /// Still handing its lines to [`Lines`] (`gone` not called yet).
    reading: bool,
    /// Its queue is closed: end once the backlog is written, saying it
    /// fell behind when `Some(true)`.
    closing: Option<bool>,
    /// Since when its socket has taken nothing of a non-empty backlog.
    stalled: Option<Instant>,
}

struct Io {
    wake: UnixStream,
    hub: Arc<Hub>,
    incoming: Arc<Mutex<Vec<Conn>>>,
    live: Arc<AtomicUsize>,
    conns: Vec<Conn>,
    /// Set when the thread starts.
    lines: Option<Box<dyn Lines>>,
    /// When the current round's messages are written.
    gather: Option<Instant>,
    buf: Vec<u8>,
}

impl Io {
    fn run(&mut self) {
        loop {
            let ready = self.poll();
            // New connections go after the polled ones (`ready`'s indices
            // stay right), the lines they sent with their greeting are
            // handed over, and what is queued for them already is written
            // now: a round that ran before they were here took the wake-up
            // of their first messages.
            let adopted = std::mem::take(&mut *self.incoming.lock().expect("attach io"));
            for mut c in adopted {
                let input = std::mem::take(&mut c.input);
                self.conns.push(c);
                let last = self.conns.len() - 1;
                self.input(last, &input);
                self.flush(last, true);
            }
            let urgent = self.hub.urgent();
            if self.hub.armed() && self.gather.is_none() {
                self.gather = Some(Instant::now() + TICK);
            }
            for &(i, flags) in ready.iter().rev() {
                if flags.intersects(PollFlags::POLLIN | PollFlags::POLLHUP | PollFlags::POLLERR) {
                    self.read(i);
                }
            }
            let round =
                urgent || self.hub.full() || self.gather.is_some_and(|t| Instant::now() >= t);
            if round {
                // Disarmed before taking: a message queued from now on
                // wakes the next round.
                self.gather = None;
                self.hub.disarm();
                if let Some(l) = self.lines.as_mut() {
                    l.round();
                }
                for i in 0..self.conns.len() {
                    self.flush(i, true);
                }
            } else {
                for &(i, flags) in &ready {
                    if flags.contains(PollFlags::POLLOUT) {
                        self.flush(i, false);
                    }
                }
            }
            self.end_finished();
        }
    }

    /// Polls the wake-up pipe (drained) and the connections that read or
    /// have something to write: the ready ones, by index, with their
    /// flags.
    fn poll(&mut self) -> Vec<(usize, PollFlags)> {
        let now = Instant::now();
        let mut timeout = self.gather.map(|t| t.saturating_duration_since(now));
        if self.conns.iter().any(|c| c.stalled.is_some()) {
            let check = Duration::from_secs(1);
            timeout = Some(timeout.map_or(check, |t| t.min(check)));
        }
        let timeout = match timeout {
            None => PollTimeout::NONE,
            Some(t) => PollTimeout::try_from(t.as_millis().clamp(1, 60_000) as i32)
                .unwrap_or(PollTimeout::NONE),
        };
        let mut fds = Vec::with_capacity(self.conns.len() + 1);
        let mut which = Vec::with_capacity(self.conns.len());
        fds.push(PollFd::new(self.wake.as_fd(), PollFlags::POLLIN));
        for (i, c) in self.conns.iter().enumerate() {
            let mut want = PollFlags::empty();
            if c.reading {
                want |= PollFlags::POLLIN;
            }
            if !c.backlog.is_empty() {
                want |= PollFlags::POLLOUT;
            }
            // A connection that neither reads nor writes is not polled: a
            // hung-up socket would be ready for ever.
            if !want.is_empty() {
                fds.push(PollFd::new(c.socket.as_fd(), want));
                which.push(i);
            }
        }
        match poll(&mut fds, timeout) {
            Ok(_) | Err(nix::errno::Errno::EINTR) => {}
            Err(e) => {
                tracing::warn!(error = %e, "attach: poll failed");
                std::thread::sleep(TICK);
            }
        }
        let woken = fds[0].revents().is_some_and(|f| !f.is_empty());
        let ready: Vec<(usize, PollFlags)> = which
            .iter()
            .zip(&fds[1..])
            .filter_map(|(&i, f)| f.revents().filter(|r| !r.is_empty()).map(|r| (i, r)))
            .collect();
        drop(fds);
        if woken {
            let mut sink = [0u8; 256];
            while matches!((&self.wake).read(&mut sink), Ok(n) if n > 0) {}
        }
        self.timed_out();
        ready
    }

    /// Drops the clients whose socket took nothing for [`WRITE_TIMEOUT`].
    fn timed_out(&mut self) {
        for i in 0..self.conns.len() {
            if self.conns[i]
                .stalled
                .is_some_and(|s| s.elapsed() >= WRITE_TIMEOUT)
            {
                tracing::info!("attach: a client took nothing for a minute and was dropped");
                self.fail(i);
            }
        }
    }

    /// Reads what client `i` sent; its whole lines go to [`Lines`].
    fn read(&mut self, i: usize) {
        let c = &mut self.conns[i];
        if !c.reading {
            return;
        }
        let mut got = Vec::new();
        let mut ended = false;
        loop {
            match c.socket.read(&mut self.buf) {
                Ok(0) => {
                    ended = true;
                    break;
                }
                Ok(n) => {
                    got.extend_from_slice(&self.buf[..n]);
                    if n < self.buf.len() || got.len() > MAX_LINE {
                        break;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(_) => {
                    ended = true;
                    break;
                }
            }
        }
        self.input(i, &got);
        if ended {
            self.leave(i, "connection closed");
        }
    }

    /// Client `i`'s input: each whole line to [`Lines`]; a line longer
    /// than [`MAX_LINE`] ends the client.
    fn input(&mut self, i: usize, data: &[u8]) {
        let c = &mut self.conns[i];
        if !c.reading || data.is_empty() {
            return;
        }
        c.input.extend_from_slice(data);
        let pending = std::mem::take(&mut c.input);
        let mut rest = &pending[..];
        while let Some(n) = rest.iter().position(|b| *b == b'\n') {
            let line = String::from_utf8_lossy(&rest[..n]).into_owned();
            rest = &rest[n + 1..];
            if line.len() + 1 > MAX_LINE {
                tracing::info!("attach: a message longer than the limit ended a client");
                self.leave(i, "connection closed");
                return;
            }
            let id = self.conns[i].id;
            let leave = self.lines.as_mut().and_then(|l| l.line(id, &line));
            if let Some(reason) = leave {
                self.leave(i, reason);
                return;
            }
        }
        if rest.len() >= MAX_LINE {
            tracing::info!("attach: a message longer than the limit ended a client");
            self.leave(i, "connection closed");
            return;
        }
        self.conns[i].input = rest.to_vec();
    }

    /// Client `i` reads no more: the drill is told once.
    fn leave(&mut self, i: usize, reason: &'static str) {
        let c = &mut self.conns[i];
        if !c.reading {
            return;
        }
        c.reading = false;
        c.input = Vec::new();
        let id = c.id;
        if let Some(l) = self.lines.as_mut() {
            l.gone(id, reason);
        }
    }

    /// Writes what client `i` has to write, taking its queue first when
    /// `take`; never waits.
    fn flush(&mut self, i: usize, take: bool) {
        let c = &mut self.conns[i];
        if c.closing.is_none() && take {
            let t = c.queue.take(&mut c.backlog);
            if t.closed {
                c.closing = Some(t.dropped);
                if t.dropped {
                    c.backlog.push_back(std::sync::Arc::from(DROPPED));
                }
            }
        }
        if c.backlog.is_empty() {
            return;
        }
        let before = c.backlog.len();
        match write_some(&c.socket, &mut c.backlog, &mut c.offset) {
            Ok(true) => c.stalled = None,
            Ok(false) => {
                c.stalled.get_or_insert_with(Instant::now);
            }
            Err(_) => {
                self.fail(i);
                return;
            }
        }
        let c = &mut self.conns[i];
        if c.backlog.len() != before && c.closing.is_none() {
            c.queue.left(c.backlog.iter().map(|m| weight(m)).sum());
        }
    }

    /// Client `i`'s socket failed: nothing more is written to it. What
    /// it sent before is still handed over: a script that types `done 3`
    /// and hangs up at once makes the drill's next write to it fail, maybe
    /// before its line was read.
    fn fail(&mut self, i: usize) {
        self.read(i);
        let c = &mut self.conns[i];
        c.queue.fail();
        c.stalled = None;
        c.backlog.clear();
        c.offset = 0;
        c.closing = Some(false);
        let _ = c.socket.shutdown(std::net::Shutdown::Both);
        self.leave(i, "connection closed");
    }

    /// Ends the connections whose queue is closed and written.
    fn end_finished(&mut self) {
        let mut i = 0;
        while i < self.conns.len() {
            let c = &self.conns[i];
            if c.closing.is_some() && c.backlog.is_empty() {
                let dropped = c.closing == Some(true);
                if dropped {
                    let _ = c.socket.shutdown(std::net::Shutdown::Both);
                }
                self.leave(i, "connection closed");
                self.conns.swap_remove(i);
                self.live.fetch_sub(1, Ordering::SeqCst);
            } else {
                i += 1;
            }
        }
    }
}

/// Writes from `backlog` (its first message from `offset`), one message a
/// line, [`PER_WRITE`] messages a call, until it is empty or the socket is
/// full. `Ok(false)`: the socket took nothing.
fn write_some(
    mut socket: &UnixStream,
    backlog: &mut VecDeque<std::sync::Arc<str>>,
    offset: &mut usize,
) -> std::io::Result<bool> {
    let mut progress = false;
    while !backlog.is_empty() {
        let mut slices = [IoSlice::new(&[]); 2 * PER_WRITE];
        let mut n = 0;
        for (k, m) in backlog.iter().take(PER_WRITE).enumerate() {
            let bytes = m.as_bytes();
            let (text, nl): (&[u8], &[u8]) = if k == 0 && *offset >= bytes.len() {
                (&[], &b"\n"[..])
            } else if k == 0 {
                (&bytes[*offset..], b"\n")
            } else {
                (bytes, b"\n")
            };
            slices[n] = IoSlice::new(text);
            slices[n + 1] = IoSlice::new(nl);
            n += 2;
        }
        let written = match socket.write_vectored(&slices[..n]) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(w) => w,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return Ok(progress),
            Err(e) => return Err(e),
        };
        progress = true;
        // Pops the messages written whole; `offset` into the next (its
        // length means: only its newline is left).
        let mut left = written;
        while let Some(m) = backlog.front() {
            let line = m.len() + 1 - *offset;
            if left >= line {
                left -= line;
                *offset = 0;
                backlog.pop_front();
            } else {
                *offset += left;
                break;
            }
        }
    }
    Ok(progress)
}

#[cfg(test)]
mod tests;
