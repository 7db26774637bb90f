//! What reprise prints on its own terminal goes through one writer thread.
//!
//! A terminal can stop reading: Ctrl-S pressed by mistake, an SSH session
//! frozen by the network, a window nobody reads. Writing to it then blocks,
//! and the drill must not block with it (every attached team would wait on
//! the coordinator's frozen window). So lines, the live region and log
//! messages are queued here, never written by the drill's own thread; the
//! writer thread alone waits on the terminal.
//!
//! The queue is bounded in bytes: past [`CAP`], what would be shown is
//! dropped (the journal has it all) and, once the terminal reads again, a
//! line says how much was not shown. At the end, [`drain`] waits for the
//! queue while the terminal takes it, and gives up after [`STALL`] without
//! progress rather than hang the process.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// The most bytes waiting for the terminal before new output is dropped.
pub const CAP: usize = 8 * 1024 * 1024;
/// How long [`drain`] waits with no byte taken by the terminal.
pub const STALL: Duration = Duration::from_secs(5);

/// A queue in front of a writer, with the thread that empties it.
pub struct Outbox {
    shared: Arc<Shared>,
    cap: usize,
}

struct Shared {
    state: Mutex<State>,
    /// Signalled when a chunk is queued, and when the queue empties.
    changed: Condvar,
}

#[derive(Default)]
struct State {
    queue: VecDeque<Vec<u8>>,
    queued: usize,
    /// Chunks dropped since the terminal last caught up.
    dropped: usize,
    /// Bytes written so far: [`Outbox::drain`] watches it move.
    written: u64,
    /// The writer thread is writing a chunk it took off the queue.
    busy: bool,
}

impl Outbox {
    /// An outbox writing to `out` from a thread of its own, holding at
    /// most `cap` bytes.
    pub fn new(mut out: Box<dyn Write + Send>, cap: usize) -> Outbox {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
        });
        let s = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("terminal-out".into())
            .spawn(move || {
                loop {
                    let (chunk, dropped) = {
                        let mut st = s.lock();
                        while st.queue.is_empty() {
                            st.busy = false;
                            s.changed.notify_all();
                            st = s.changed.wait(st).unwrap_or_else(|e| e.into_inner());
                        }
                        let chunk = st.queue.pop_front().unwrap_or_default();
                        st.queued -= chunk.len();
                        st.busy = true;
                        // Caught up after dropping: say so once.
                        let dropped = if st.queue.is_empty() {
                            std::mem::take(&mut st.dropped)
                        } else {
                            0
                        };
                        (chunk, dropped)
                    };
                    let _ = out.write_all(&chunk);
                    if dropped > 0 {
                        let _ = write!(
                            out,
                            "\r\n⚠ {dropped} update(s) were not shown: this terminal was not \
                             reading (the drill went on; the journal has everything, \
                             `reprise status` shows it)\r\n"
                        );
                    }
                    let _ = out.flush();
                    s.lock().written += chunk.len() as u64;
                }
            })
            .expect("start the terminal's writer thread");
        Outbox { shared, cap }
    }

    /// Queues `bytes`; never waits for the terminal. Past the cap, they
    /// are dropped and counted.
    pub fn write(&self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let mut st = self.shared.lock();
        if st.queued + bytes.len() > self.cap {
            st.dropped += 1;
            return;
        }
        st.queued += bytes.len();
        st.queue.push_back(bytes.to_vec());
        self.shared.changed.notify_all();
    }

    /// Waits until everything queued is written, or until the terminal
    /// took nothing for `stall`. True when it was all written.
    pub fn drain(&self, stall: Duration) -> bool {
        let mut st = self.shared.lock();
        let mut seen = st.written;
        let mut since = Instant::now();
        while !st.queue.is_empty() || st.busy {
            if st.written != seen {
                seen = st.written;
                since = Instant::now();
            }
            let Some(left) = stall.checked_sub(since.elapsed()) else {
                return false;
            };
            let wait = left.min(Duration::from_millis(100));
            st = self
                .shared
                .changed
                .wait_timeout(st, wait)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        true
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The outbox in front of this process's stderr, once used.
static STDERR: OnceLock<Outbox> = OnceLock::new();

/// Queues `text` for stderr (the outbox starts at first use).
pub fn print(text: impl AsRef<[u8]>) {
    STDERR
        .get_or_init(|| Outbox::new(Box::new(std::io::stderr()), CAP))
        .write(text.as_ref());
}

/// Whether something was queued for stderr in this process.
pub fn started() -> bool {
    STDERR.get().is_some()
}

/// Waits (bounded by [`STALL`] without progress) for what was queued for
/// stderr: before reprise prints directly again, and before it exits.
pub fn drain() {
    if let Some(outbox) = STDERR.get() {
        outbox.drain(STALL);
    }
}

/// The live region's terminal for `indicatif`: the same escape sequences
/// as a real terminal, queued in the outbox, one draw per chunk.
#[derive(Debug, Default)]
pub struct QueuedTerm {
    pending: Mutex<Vec<u8>>,
}

impl QueuedTerm {
    fn push(&self, bytes: &[u8]) -> std::io::Result<()> {
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(bytes);
        Ok(())
    }

    fn cursor(&self, n: usize, code: char) -> std::io::Result<()> {
        if n == 0 {
            return Ok(());
        }
        self.push(format!("\x1b[{n}{code}").as_bytes())
    }
}

impl indicatif::TermLike for QueuedTerm {
    fn width(&self) -> u16 {
        console::Term::stderr().size().1
    }

    fn height(&self) -> u16 {
        console::Term::stderr().size().0
    }

    fn move_cursor_up(&self, n: usize) -> std::io::Result<()> {
        self.cursor(n, 'A')
    }

    fn move_cursor_down(&self, n: usize) -> std::io::Result<()> {
        self.cursor(n, 'B')
    }

    fn move_cursor_right(&self, n: usize) -> std::io::Result<()> {
        self.cursor(n, 'C')
    }

    fn move_cursor_left(&self, n: usize) -> std::io::Result<()> {
        self.cursor(n, 'D')
    }

    fn write_line(&self, s: &str) -> std::io::Result<()> {
        self.push(s.as_bytes())?;
        self.push(b"\n")
    }

    fn write_str(&self, s: &str) -> std::io::Result<()> {
        self.push(s.as_bytes())
    }

    fn clear_line(&self) -> std::io::Result<()> {
        self.push(b"\r\x1b[2K")
    }

    fn flush(&self) -> std::io::Result<()> {
        let chunk = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        print(chunk);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc::{Receiver, Sender, channel};

    use super::*;

    /// A terminal that takes bytes only when the test lets it.
    struct Gated {
        gate: Receiver<()>,
        out: Sender<Vec<u8>>,
    }

    impl Write for Gated {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let _ = self.gate.recv();
            let _ = self.out.send(buf.to_vec());
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn gated(cap: usize) -> (Outbox, Sender<()>, Receiver<Vec<u8>>) {
        let (open, gate) = channel();
        let (out, written) = channel();
        (
            Outbox::new(Box::new(Gated { gate, out }), cap),
            open,
            written,
        )
    }

    #[test]
    fn writing_never_waits_for_a_terminal_that_does_not_read() {
        let (outbox, open, written) = gated(1024);
        let started = Instant::now();
        for _ in 0..10_000 {
            outbox.write(b"0123456789");
        }
        // 10,000 writes to a terminal that took nothing: had one waited,
        // this would never end (the gate is closed).
        assert!(written.try_recv().is_err());
        assert!(started.elapsed() < Duration::from_secs(60));
        // What fitted is written in order once it reads again, then the
        // count of what was not shown.
        for _ in 0..200 {
            let _ = open.send(());
        }
        assert!(outbox.drain(Duration::from_secs(10)));
        let all: Vec<u8> = written.try_iter().flatten().collect();
        let text = String::from_utf8_lossy(&all);
        assert!(
            text.contains("update(s) were not shown"),
            "the drop is said: {text}"
        );
        // 102 fit under the cap, one more if the writer had taken the
        // first off the queue before it froze.
        let shown = text.matches("0123456789").count();
        assert!(
            (102..=103).contains(&shown),
            "the queue held its cap: {text}"
        );
        assert!(
            text.contains(&format!("{} update(s)", 10_000 - shown)),
            "{text}"
        );
    }

    #[test]
    fn drain_gives_up_on_a_terminal_that_stays_frozen() {
        let (outbox, _open, written) = gated(1024);
        outbox.write(b"end of the drill\n");
        assert!(!outbox.drain(Duration::from_millis(300)));
        assert!(written.try_recv().is_err());
    }

    #[test]
    fn drain_waits_for_a_slow_terminal_that_reads() {
        let (outbox, open, written) = gated(1 << 20);
        for i in 0..20 {
            outbox.write(format!("line {i}\n").as_bytes());
        }
        let feeder = std::thread::spawn(move || {
            for _ in 0..20 {
                std::thread::sleep(Duration::from_millis(20));
                if open.send(()).is_err() {
                    return;
                }
            }
        });
        // 20 chunks at 20 ms each, with a stall limit of 300 ms: it keeps
        // waiting while the terminal takes bytes.
        assert!(outbox.drain(Duration::from_millis(300)));
        feeder.join().unwrap();
        let lines: Vec<u8> = written.try_iter().flatten().collect();
        assert!(String::from_utf8_lossy(&lines).ends_with("line 19\n"));
    }
}
