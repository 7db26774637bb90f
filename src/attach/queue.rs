//! One attached terminal's outgoing messages: a bounded queue that the
//! drill fills without ever waiting, and that the one I/O thread of all
//! terminals ([`super::pump`]) drains to the sockets.
//!
//! Why not a writer thread per terminal: with twenty terminals attached,
//! every tick woke twenty writer threads (a condition variable, a sleep,
//! a `writev` each), and their wake-ups and context switches were most of
//! what the terminals cost the drill (bench/RESULTS.md). Here the drill
//! wakes the I/O thread once, when the first message since its last round
//! is queued, whatever the terminal ([`Hub`]); the I/O thread then waits
//! [`TICK`], or until [`FULL`] things wait, and writes everything queued
//! for every terminal: one wake-up per round for all terminals, and one
//! `writev` per terminal. Messages are shared (`Arc<str>`): an event
//! serialised once is queued for every terminal that draws alike.

use std::collections::VecDeque;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long the woken I/O thread gathers messages before it writes them:
/// the delay it adds to an event's delivery, at most.
///
/// A round costs every terminal a write and a read, whatever it carries:
/// with 20 terminals on a drill of 1,000 quick commands, rounds every
/// 5 ms cost the drill ~10 % of its wall time, rounds every 15 ms ~5 %
/// (bench/RESULTS.md). Nobody sees 15 ms; a busy drill's rounds are cut
/// short by [`FULL`].
pub const TICK: Duration = Duration::from_millis(15);

/// Things told or queued since the last round that start the next one at
/// once, without waiting for [`TICK`]: enough to pay for its writes. A
/// burst (one answer that makes a thousand steps ready) is written as it
/// comes, round after round, not a tick late.
pub const FULL: usize = 256;

/// The message a terminal that fell behind is sent last.
pub(super) const DROPPED: &str =
    r#"{"dropped":"this terminal fell behind the drill; attach again to catch up"}"#;

/// Wakes the I/O thread: once per round for messages ([`Hub::queued`]),
/// again when [`FULL`] of them wait, and for a round at once for anything
/// else ([`Hub::wake`]).
pub(super) struct Hub {
    /// Things queued since the I/O thread's last round: the first and the
    /// [`FULL`]th write to the pipe, the others do not.
    pending: AtomicUsize,
    /// A queue closed or a terminal came: a round now, without gathering.
    urgent: AtomicBool,
    /// The write end of the I/O thread's wake-up pipe (non-blocking).
    waker: UnixStream,
}

impl Hub {
    pub(super) fn new(waker: UnixStream) -> Hub {
        Hub {
            pending: AtomicUsize::new(0),
            urgent: AtomicBool::new(false),
            waker,
        }
    }

    /// A message was queued: wakes the I/O thread when it is the first
    /// since its last round (to gather for [`TICK`]) or the [`FULL`]th
    /// (for the round now).
    pub(super) fn queued(&self) {
        let before = self.pending.fetch_add(1, Ordering::AcqRel);
        if before == 0 || before + 1 == FULL {
            self.write();
        }
    }

    /// Wakes the I/O thread for a round now (a new terminal, a closed
    /// queue: its last messages, the drill's end, do not wait).
    pub(super) fn wake(&self) {
        self.urgent.store(true, Ordering::Release);
        self.write();
    }

    fn write(&self) {
        // A full pipe is already readable: nothing is lost.
        let _ = (&self.waker).write(&[1]);
    }

    /// Whether a round is due now ([`Hub::wake`]); resets it.
    pub(super) fn urgent(&self) -> bool {
        self.urgent.swap(false, Ordering::AcqRel)
    }

    /// Whether messages were queued since the last round.
    pub(super) fn armed(&self) -> bool {
        self.pending.load(Ordering::Acquire) > 0
    }

    /// Whether [`FULL`] messages wait: the round is due now.
    pub(super) fn full(&self) -> bool {
        self.pending.load(Ordering::Acquire) >= FULL
    }

    /// The I/O thread starts a round: what is queued from now on wakes
    /// it again.
    pub(super) fn disarm(&self) {
        self.pending.store(0, Ordering::Release);
    }
}

#[derive(Default)]
struct State {
    msgs: VecDeque<Arc<str>>,
    /// The bytes of `msgs` (see [`weight`]).
    queued: usize,
    /// Bytes the I/O thread has taken and not written yet: they count
    /// against the limit.
    taken: usize,
    /// No more messages: what is queued is written, then the connection
    /// ends.
    closed: bool,
    /// It fell behind: closed, and told so after what is queued.
    dropped: bool,
}

/// One terminal's queue, shared by the drill's end ([`Outgoing`]) and the
/// I/O thread's.
#[derive(Default)]
pub(super) struct Queue {
    state: Mutex<State>,
}

/// What the I/O thread took from a queue.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Taken {
    /// Nothing more will be queued.
    pub(super) closed: bool,
    /// It fell behind: say so last.
    pub(super) dropped: bool,
}

impl Queue {
    /// Moves what is queued to the end of `into` (the I/O thread's
    /// messages not written yet, whose bytes it last told [`Queue::left`]).
    pub(super) fn take(&self, into: &mut VecDeque<Arc<str>>) -> Taken {
        let mut st = self.state.lock().expect("attach queue");
        into.append(&mut st.msgs);
        st.taken += std::mem::take(&mut st.queued);
        Taken {
            closed: st.closed,
            dropped: st.dropped,
        }
    }

    /// The I/O thread has `left` bytes still to write (see [`weight`]).
    pub(super) fn left(&self, left: usize) {
        self.state.lock().expect("attach queue").taken = left;
    }

    /// The connection failed: nothing more is queued.
    pub(super) fn fail(&self) {
        self.state.lock().expect("attach queue").closed = true;
    }
}

/// What a message counts against its queue's limit: its bytes on the
/// wire, its newline included. Counted in bytes, not messages: a fan-out
/// that makes thousands of steps ready at once is a burst of small
/// messages (1,000 steps made ready by one answer once dropped every
/// terminal, at a limit of 1,024 messages), while what a terminal that
/// falls behind holds on to is memory.
pub(super) fn weight(msg: &str) -> usize {
    msg.len() + 1
}

/// Why a message was not queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The queue was full: the terminal fell behind and is dropped now.
    Full,
    /// The terminal is gone (its socket failed, or it was dropped).
    Gone,
}

/// The drill's end of one terminal's queue. Dropping it closes the queue:
/// the I/O thread writes what is left and ends the connection.
pub struct Outgoing {
    queue: Arc<Queue>,
    hub: Arc<Hub>,
    limit: usize,
}

impl Outgoing {
    /// A queue of at most `limit` bytes (queued, or taken and not yet
    /// written; see [`weight`]), which wakes the I/O thread through `hub`.
    pub(super) fn new(queue: Arc<Queue>, hub: Arc<Hub>, limit: usize) -> Outgoing {
        Outgoing { queue, hub, limit }
    }

    /// Queues `msg` (one line, without its newline) without waiting.
    pub fn send(&self, msg: Arc<str>) -> Result<(), Refused> {
        self.put(msg, true)
    }

    /// Queues `msg` from the I/O thread's own round, which writes it right
    /// after: nobody to wake.
    pub(super) fn send_quiet(&self, msg: Arc<str>) -> Result<(), Refused> {
        self.put(msg, false)
    }

    fn put(&self, msg: Arc<str>, wake: bool) -> Result<(), Refused> {
        let mut st = self.queue.state.lock().expect("attach queue");
        if st.closed {
            return Err(Refused::Gone);
        }
        let weight = weight(&msg);
        if st.queued + st.taken + weight > self.limit {
            st.dropped = true;
            st.closed = true;
            drop(st);
            self.hub.wake();
            return Err(Refused::Full);
        }
        st.msgs.push_back(msg);
        st.queued += weight;
        drop(st);
        if wake {
            self.hub.queued();
        }
        Ok(())
    }
}

impl Drop for Outgoing {
    fn drop(&mut self) {
        if let Ok(mut st) = self.queue.state.lock() {
            st.closed = true;
        }
        self.hub.wake();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue(limit: usize) -> (Outgoing, Arc<Queue>, UnixStream) {
        let (w, r) = UnixStream::pair().unwrap();
        w.set_nonblocking(true).unwrap();
        r.set_nonblocking(true).unwrap();
        let q = Arc::new(Queue::default());
        let out = Outgoing::new(Arc::clone(&q), Arc::new(Hub::new(w)), limit);
        (out, q, r)
    }

    fn wakes(r: &UnixStream) -> usize {
        let mut buf = [0u8; 64];
        std::io::Read::read(&mut &*r, &mut buf).unwrap_or(0)
    }

    #[test]
    fn only_the_first_message_of_a_round_wakes_the_io_thread() {
        let (out, q, r) = queue(64);
        let hub = Arc::clone(&out.hub);
        for i in 0..10 {
            out.send(Arc::from(format!("{i}"))).unwrap();
        }
        assert_eq!(wakes(&r), 1, "ten messages, one wake-up");
        let mut got = VecDeque::new();
        q.take(&mut got);
        assert_eq!(got.len(), 10);
        assert_eq!(wakes(&r), 0);
        out.hub.disarm();
        out.send(Arc::from("next")).unwrap();
        assert_eq!(wakes(&r), 1, "a new round wakes it again");
        assert!(!out.hub.urgent(), "a message waits for the round");
        drop(out);
        assert_eq!(wakes(&r), 1, "closing wakes it");
        let t = q.take(&mut got);
        assert!(t.closed && !t.dropped, "{t:?}");
        assert!(hub.urgent(), "for a round at once");
        assert_eq!(got.back().map(|m| &**m), Some("next"));
    }

    #[test]
    fn a_round_is_due_at_once_when_enough_messages_wait() {
        // A burst is written as it comes, not a tick late: the FULL-th
        // message wakes the I/O thread a second time, for the round now.
        let (out, _q, r) = queue(1 << 20);
        for _ in 0..FULL - 1 {
            out.send(Arc::from("x")).unwrap();
        }
        assert_eq!(wakes(&r), 1, "the first message only");
        assert!(out.hub.armed() && !out.hub.full());
        out.send(Arc::from("x")).unwrap();
        assert_eq!(wakes(&r), 1, "the FULL-th");
        assert!(out.hub.full());
        out.send(Arc::from("x")).unwrap();
        assert_eq!(wakes(&r), 0, "no more until the round");
        out.hub.disarm();
        assert!(!out.hub.armed() && !out.hub.full());
    }

    #[test]
    fn a_burst_of_small_messages_fits_where_a_few_big_ones_do_not() {
        // 5,000 step_ready-sized lines: a fan-out, not a terminal behind.
        let line: Arc<str> = Arc::from("x".repeat(120));
        let (out, _q, _r) = queue(1 << 20);
        for _ in 0..5_000 {
            out.send(Arc::clone(&line)).unwrap();
        }
        let big: Arc<str> = Arc::from("x".repeat(400 * 1024));
        let (out, _q, _r) = queue(1 << 20);
        out.send(Arc::clone(&big)).unwrap();
        out.send(Arc::clone(&big)).unwrap();
        assert_eq!(out.send(big), Err(Refused::Full), "over a MiB queued");
    }

    #[test]
    fn a_full_queue_counts_what_is_taken_and_drops_the_terminal() {
        // The I/O thread took 3 messages (2 bytes each, newline included)
        // it could not write yet (a client that does not read): they
        // still count, so the queue fills without the sender ever
        // waiting.
        let (out, q, _r) = queue(8);
        for _ in 0..3 {
            out.send(Arc::from("x")).unwrap();
        }
        let mut taken = VecDeque::new();
        q.take(&mut taken);
        out.send(Arc::from("x")).unwrap();
        assert_eq!(out.send(Arc::from("x")), Err(Refused::Full), "bounded");
        assert_eq!(out.send(Arc::from("late")), Err(Refused::Gone));
        let t = q.take(&mut taken);
        assert!(t.closed && t.dropped, "{t:?}");
        assert_eq!(taken.len(), 4);
        // Once written, the room is back (for a terminal that caught up).
        let (out, q, _r) = queue(4);
        out.send(Arc::from("a")).unwrap();
        out.send(Arc::from("b")).unwrap();
        let mut taken = VecDeque::new();
        q.take(&mut taken);
        q.left(0);
        out.send(Arc::from("c")).unwrap();
    }
}
