//! One attached terminal's outgoing messages: a bounded queue that the
//! drill fills without ever waiting, and the client's own writer thread
//! that drains it to the socket.
//!
//! Why not a channel per message: with twenty terminals attached, every
//! event woke twenty writer threads for twenty small `write`s, in the
//! drill's thread; the kernel's wake-ups and context switches, not the
//! rendering, made a drill of short commands 3.6 times slower. Here the
//! drill only wakes a writer when its queue goes from empty to not empty,
//! and the writer then waits [`TICK`] before it takes everything queued:
//! one wake-up and one `write` per terminal per tick, however many events
//! the drill recorded meanwhile. Messages are shared (`Arc<str>`): an
//! event serialised once is queued for every terminal that draws alike.

use std::collections::VecDeque;
use std::io::{IoSlice, Write};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// How long a woken writer gathers messages before it writes them: the
/// delay it adds to an event's delivery, at most.
pub const TICK: Duration = Duration::from_millis(5);

/// The message a terminal that fell behind is sent last.
const DROPPED: &str =
    r#"{"dropped":"this terminal fell behind the drill; attach again to catch up"}"#;

#[derive(Default)]
struct State {
    msgs: VecDeque<Arc<str>>,
    /// No more messages: the writer writes what is queued and ends.
    closed: bool,
    /// It fell behind: closed, and told so after what is queued.
    dropped: bool,
}

#[derive(Default)]
struct Queue {
    state: Mutex<State>,
    ready: Condvar,
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
/// the writer writes what is left and ends.
pub struct Outgoing {
    queue: Arc<Queue>,
    limit: usize,
}

impl Outgoing {
    /// Queues `msg` (one line, without its newline) without waiting.
    pub fn send(&self, msg: Arc<str>) -> Result<(), Refused> {
        let mut st = self.queue.state.lock().expect("attach queue");
        if st.closed {
            return Err(Refused::Gone);
        }
        if st.msgs.len() >= self.limit {
            st.dropped = true;
            st.closed = true;
            drop(st);
            self.queue.ready.notify_one();
            return Err(Refused::Full);
        }
        let was_empty = st.msgs.is_empty();
        st.msgs.push_back(msg);
        drop(st);
        // A writer with messages queued is awake or about to write them:
        // only the first message of a batch wakes it.
        if was_empty {
            self.queue.ready.notify_one();
        }
        Ok(())
    }
}

impl Drop for Outgoing {
    fn drop(&mut self) {
        if let Ok(mut st) = self.queue.state.lock() {
            st.closed = true;
        }
        self.queue.ready.notify_one();
    }
}

/// A queue of at most `limit` messages for `socket`, and its writer thread
/// (counted in `writers` until it ends). A write that fails, or takes no
/// data for the socket's write timeout, ends the writer and the
/// connection.
pub fn start(socket: UnixStream, limit: usize, writers: Arc<AtomicUsize>) -> Outgoing {
    let queue = Arc::new(Queue::default());
    writers.fetch_add(1, Ordering::SeqCst);
    let q = Arc::clone(&queue);
    let spawned = std::thread::Builder::new()
        .name("reprise-attach-writer".into())
        .spawn(move || {
            write_loop(&q, socket);
            writers.fetch_sub(1, Ordering::SeqCst);
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "attach: no writer thread for a client");
        queue.state.lock().expect("attach queue").closed = true;
    }
    Outgoing { queue, limit }
}

/// Messages written by one `writev` (each with its newline).
const PER_WRITE: usize = 32;

// The writer allocates nothing: with the allocator's per-thread heaps, a
// writer thread that allocated took megabytes of its own, which made
// every `fork` of the drill copy more page tables (the batch goes back
// and forth between the queue and the writer, the messages are written
// in place with `writev`).
fn write_loop(queue: &Queue, mut socket: UnixStream) {
    let mut batch: VecDeque<Arc<str>> = VecDeque::new();
    loop {
        let (closed, dropped) = {
            let mut st = queue.state.lock().expect("attach queue");
            while st.msgs.is_empty() && !st.closed {
                st = queue.ready.wait(st).expect("attach queue");
            }
            if !st.closed {
                // Gather: the drill does not wake us for what it queues
                // meanwhile.
                drop(st);
                std::thread::sleep(TICK);
                st = queue.state.lock().expect("attach queue");
            }
            std::mem::swap(&mut batch, &mut st.msgs);
            (st.closed, st.dropped)
        };
        let mut failed = write_batch(&mut socket, &batch).is_err();
        batch.clear();
        if closed && dropped && !failed {
            failed =
                socket.write_all(DROPPED.as_bytes()).is_err() || socket.write_all(b"\n").is_err();
        }
        if failed {
            queue.state.lock().expect("attach queue").closed = true;
            let _ = socket.shutdown(std::net::Shutdown::Both);
            return;
        }
        if closed {
            if dropped {
                let _ = socket.shutdown(std::net::Shutdown::Both);
            }
            return;
        }
    }
}

/// Writes `batch`, one message a line, [`PER_WRITE`] messages a call.
fn write_batch(socket: &mut UnixStream, batch: &VecDeque<Arc<str>>) -> std::io::Result<()> {
    let mut msgs = batch.iter();
    loop {
        let mut slices = [IoSlice::new(&[]); 2 * PER_WRITE];
        let mut n = 0;
        for m in msgs.by_ref().take(PER_WRITE) {
            slices[n] = IoSlice::new(m.as_bytes());
            slices[n + 1] = IoSlice::new(b"\n");
            n += 2;
        }
        if n == 0 {
            return Ok(());
        }
        let mut left = &mut slices[..n];
        while !left.is_empty() {
            match socket.write_vectored(left) {
                Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
                Ok(written) => IoSlice::advance_slices(&mut left, written),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader};

    fn pair(limit: usize) -> (Outgoing, BufReader<UnixStream>, Arc<AtomicUsize>) {
        let (a, b) = UnixStream::pair().unwrap();
        let writers = Arc::new(AtomicUsize::new(0));
        let out = start(a, limit, Arc::clone(&writers));
        (out, BufReader::new(b), writers)
    }

    #[test]
    fn messages_arrive_in_order_one_per_line_and_the_writer_ends_on_close() {
        let (out, mut r, writers) = pair(16);
        assert_eq!(writers.load(Ordering::SeqCst), 1);
        for i in 0..10 {
            out.send(Arc::from(format!("{{\"n\":{i}}}"))).unwrap();
        }
        drop(out);
        let lines: Vec<String> = (&mut r).lines().map(Result::unwrap).collect();
        let want: Vec<String> = (0..10).map(|i| format!("{{\"n\":{i}}}")).collect();
        assert_eq!(lines, want);
        let until = std::time::Instant::now() + Duration::from_secs(5);
        while writers.load(Ordering::SeqCst) > 0 && std::time::Instant::now() < until {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(writers.load(Ordering::SeqCst), 0, "the writer ended");
    }

    #[test]
    fn a_full_queue_drops_the_terminal_and_tells_it_after_what_was_queued() {
        // Nobody reads: the writer blocks on a full socket buffer, then the
        // queue fills without the sender ever waiting.
        let (out, mut r, _writers) = pair(4);
        let big: Arc<str> = Arc::from("x".repeat(64 * 1024));
        let mut refused = None;
        for _ in 0..1000 {
            if let Err(e) = out.send(Arc::clone(&big)) {
                refused = Some(e);
                break;
            }
        }
        assert_eq!(refused, Some(Refused::Full), "the queue is bounded");
        assert_eq!(out.send(Arc::from("late")), Err(Refused::Gone));
        drop(out);
        let mut last = String::new();
        let mut line = String::new();
        while r.read_line(&mut line).unwrap() > 0 {
            last = std::mem::take(&mut line);
        }
        assert!(last.contains("fell behind"), "{last:.80}");
    }
}
