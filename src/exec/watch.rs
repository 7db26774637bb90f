//! Watching the running commands: their output and their end, from the
//! driver's own thread.
//!
//! One `poll` covers every command's output pipe and a self-pipe that is
//! written when a child process ends (`SIGCHLD`) or when another thread has
//! something for the driver ([`Waker`]). No thread per command: a command
//! that ends is seen at once, in the thread that starts the next one, which
//! is what keeps reprise's own cost small next to the commands' (see
//! `bench/RESULTS.md`).
//!
//! When a command's main process has ended, it is left a zombie (not
//! reaped: `waitid(WNOWAIT)`) while `SIGKILL` goes to its whole process
//! group, then reaped. The zombie keeps the group's id reserved, so the
//! signal cannot reach an unrelated group that reused the number; killing
//! the rest of the group is deliberate: a backgrounded grandchild would
//! otherwise hold the output pipe open and outlive the step. The output is
//! then read to its end, for [`READER_GRACE`] at most (only a process that
//! left the group can hold the pipe longer; its later output is dropped).

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::os::unix::process::ExitStatusExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::signal::{Signal, killpg};
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid};
use nix::unistd::Pid;

use super::Exit;
use super::output::{MAX_LINE, Notify, Report, StepLog, TAIL_LINES, describe, signal_name};
use crate::event::Ending;
use crate::redact::Redactor;
use crate::runbook::StepIndex;

/// How long the output is read after the command's group was killed.
pub const READER_GRACE: Duration = Duration::from_secs(2);

/// Bytes read from one pipe at a time.
const CHUNK: usize = 64 * 1024;

/// Reads from one pipe in one round, so that a command printing without
/// pause cannot starve the others (or the driver).
const READS_PER_ROUND: usize = 4;

/// Every running command of a drill, watched with one `poll`.
pub struct Watch {
    entries: Vec<Entry>,
    /// What a pipe read goes into, reused.
    buf: Vec<u8>,
    /// Read end of the self-pipe: `SIGCHLD` and [`Waker`]s write to it.
    wake: UnixStream,
    /// Write end, cloned for wakers.
    waker: Arc<UnixStream>,
    /// Look whether each process has ended, even without a wake-up.
    look: bool,
    sigchld: signal_hook::SigId,
}

/// Wakes [`Watch::wait`] from another thread (operator answers, signals).
#[derive(Debug, Clone)]
pub struct Waker(Arc<UnixStream>);

impl Waker {
    /// Makes the driver's current or next [`Watch::wait`] return.
    pub fn wake(&self) {
        // A full pipe is already readable: nothing is lost.
        let _ = (&*self.0).write(&[1]);
    }
}

/// One running process and what it has said so far.
pub(crate) struct Entry {
    pub(crate) attempt: u32,
    /// The mark in its processes' environment ([`super::orphans`]).
    pub(crate) token: String,
    pub(crate) child: super::hold::Process,
    /// The output pipe (both streams), until its end.
    pub(crate) pipe: Option<std::io::PipeReader>,
    pub(crate) cut: Cutter,
    pub(crate) lines: Lines,
    /// Shared with the process's `Attempt`: no signal to
    /// the group once set.
    pub(crate) reaped: Arc<AtomicBool>,
    pub(crate) timed_out: Arc<AtomicBool>,
    /// Dropped when the process has ended (a remote step's script writer
    /// holds `ssh`'s standard input open until then).
    pub(crate) stdin_done: Option<std::sync::mpsc::Sender<()>>,
    /// How the main process ended, once it has, and until when its output
    /// is still read.
    pub(crate) ended: Option<(std::io::Result<std::process::ExitStatus>, Instant)>,
}

/// Where a process's lines go: masked, to its log, its tail and the driver.
pub(crate) struct Lines {
    pub(crate) step: StepIndex,
    /// Put before each line (`[host] ` for a step on several hosts).
    pub(crate) prefix: Option<String>,
    pub(crate) log: StepLog,
    pub(crate) redactor: Redactor,
    pub(crate) notify: Notify,
    /// The last [`TAIL_LINES`] lines, for `output_tail`.
    pub(crate) tail: VecDeque<String>,
    /// The value of the last `REPRISE_RESTORE_POINT=` line.
    pub(crate) restore_point: Option<String>,
}

impl Watch {
    /// A watch with nothing to watch yet. Installs the `SIGCHLD` handler
    /// (until the watch is dropped).
    pub fn new() -> std::io::Result<Watch> {
        let (wake, write) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        write.set_nonblocking(true)?;
        let sigchld = signal_hook::low_level::pipe::register(
            signal_hook::consts::SIGCHLD,
            write.try_clone()?,
        )?;
        Ok(Watch {
            entries: Vec::new(),
            buf: vec![0; CHUNK],
            wake,
            waker: Arc::new(write),
            look: false,
            sigchld,
        })
    }

    /// A handle that wakes this watch from another thread.
    pub fn waker(&self) -> Waker {
        Waker(self.waker.clone())
    }

    /// True when no process is watched.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Starts watching a process just spawned.
    pub(crate) fn add(&mut self, entry: Entry) {
        self.entries.push(entry);
        // It may have ended before it was added: look once.
        self.look = true;
    }

    /// Waits until something happens (output, a process's end, a wake-up)
    /// or `timeout` passes, and handles it: each process's `notify` gets
    /// its lines and, once everything it started is gone, its
    /// [`Report::Exited`].
    pub fn wait(&mut self, timeout: Duration) {
        let now = Instant::now();
        let mut timeout = timeout;
        if self.look {
            timeout = Duration::ZERO;
        }
        for e in &self.entries {
            if let Some((_, until)) = e.ended {
                timeout = timeout.min(until.saturating_duration_since(now));
            }
        }
        let mut readable = vec![false; self.entries.len()];
        {
            let mut fds = Vec::with_capacity(self.entries.len() + 1);
            fds.push(PollFd::new(self.wake.as_fd(), PollFlags::POLLIN));
            let mut owners = Vec::with_capacity(self.entries.len());
            for (i, e) in self.entries.iter().enumerate() {
                if let Some(p) = &e.pipe {
                    fds.push(PollFd::new(p.as_fd(), PollFlags::POLLIN));
                    owners.push(i);
                }
            }
            // Whole milliseconds, rounded up: a deadline is never missed
            // by returning early and spinning.
            let ms = timeout.as_micros().div_ceil(1000).min(i32::MAX as u128) as i32;
            let ms = PollTimeout::try_from(ms).unwrap_or(PollTimeout::MAX);
            // EINTR (a signal) is a wake-up like any other.
            if poll(&mut fds, ms).is_ok() {
                for (fd, &i) in fds[1..].iter().zip(&owners) {
                    readable[i] = fd.revents().is_some_and(|r| !r.is_empty());
                }
            }
        }
        // Emptied before looking, so that an end after the look wakes the
        // next `poll` again.
        let woke = self.drain_wake();
        for (e, readable) in self.entries.iter_mut().zip(readable) {
            if readable {
                e.read(&mut self.buf, READS_PER_ROUND);
            }
        }
        // A wake-up may be a `SIGCHLD`: look at every process.
        if woke || std::mem::take(&mut self.look) {
            super::orphans::reap();
            for e in &mut self.entries {
                if e.ended.is_none() && e.has_exited() {
                    e.reap(&mut self.buf);
                }
            }
        }
        let now = Instant::now();
        let mut i = 0;
        while i < self.entries.len() {
            let e = &self.entries[i];
            let done = match &e.ended {
                Some((_, until)) => e.pipe.is_none() || *until <= now,
                None => false,
            };
            if done {
                self.entries.swap_remove(i).finish();
            } else {
                i += 1;
            }
        }
    }

    /// Empties the self-pipe; true when there was something in it.
    fn drain_wake(&mut self) -> bool {
        let mut buf = [0u8; 256];
        let mut woke = false;
        while let Ok(n) = (&self.wake).read(&mut buf) {
            if n == 0 {
                break;
            }
            woke = true;
        }
        woke
    }
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pids: Vec<u32> = self.entries.iter().map(|e| e.child.id()).collect();
        f.debug_struct("Watch").field("pids", &pids).finish()
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        signal_hook::low_level::unregister(self.sigchld);
        // Nothing outlives the drill: a process still watched (the driver
        // stopped on an error) is killed and reaped.
        for e in &mut self.entries {
            if e.ended.is_none() {
                if !e.reaped.load(Ordering::SeqCst) {
                    let _ = killpg(Pid::from_raw(e.child.id() as i32), Signal::SIGKILL);
                }
                let _ = e.child.wait();
                e.reaped.store(true, Ordering::SeqCst);
                super::orphans::kill_left(&e.token);
            }
        }
    }
}

impl Entry {
    /// Whether the main process has ended (it is then a zombie, not reaped).
    fn has_exited(&self) -> bool {
        let pid = Pid::from_raw(self.child.id() as i32);
        loop {
            match waitid(
                Id::Pid(pid),
                WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT | WaitPidFlag::WNOHANG,
            ) {
                Ok(WaitStatus::StillAlive) => return false,
                Ok(_) => return true,
                Err(nix::errno::Errno::EINTR) => continue,
                // ECHILD: already reaped (cannot happen: only we reap).
                Err(_) => return true,
            }
        }
    }

    /// The main process has ended: kill what it left in its group, reap
    /// it, and read what is already in the pipe.
    fn reap(&mut self, buf: &mut [u8]) {
        let _ = killpg(Pid::from_raw(self.child.id() as i32), Signal::SIGKILL);
        let status = self.child.wait();
        self.reaped.store(true, Ordering::SeqCst);
        if !status.as_ref().is_ok_and(|s| s.success()) {
            // A failed attempt (a timeout, an abort) leaves nothing
            // running, even what left its group.
            super::orphans::kill_left(&self.token);
        }
        self.stdin_done = None;
        self.ended = Some((status, Instant::now() + READER_GRACE));
        // Usually the pipe's end is already there: finish in this round.
        self.read(buf, READS_PER_ROUND);
    }

    /// Reads what the pipe holds now (`rounds` chunks at most), cutting it
    /// into lines; closes the output at the pipe's end.
    fn read(&mut self, buf: &mut [u8], rounds: usize) {
        let Some(pipe) = &mut self.pipe else {
            return;
        };
        for _ in 0..rounds {
            match pipe.read(buf) {
                Ok(0) => return self.close_output(),
                Ok(n) => {
                    let lines = &mut self.lines;
                    self.cut.feed(&buf[..n], &mut |l, cut| lines.line(l, cut));
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                // WouldBlock: nothing more for now.
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return,
                Err(_) => return self.close_output(),
            }
        }
    }

    /// No more output: the last line, if it had no newline.
    fn close_output(&mut self) {
        self.pipe = None;
        if let Some((bytes, cut)) = self.cut.finish() {
            self.lines.line(&bytes, cut);
        }
    }

    /// Everything is over: the last partial line, the log's last line, and
    /// the report.
    fn finish(mut self) {
        self.close_output();
        let Some((status, _)) = self.ended.take() else {
            return;
        };
        let lines = &mut self.lines;
        let mut ending = Ending {
            timed_out: self.timed_out.load(Ordering::SeqCst),
            ..Ending::default()
        };
        match status {
            Ok(s) => {
                ending.exit_code = s.code();
                ending.signal = s.signal().map(signal_name);
            }
            Err(e) => ending.error = Some(format!("cannot wait for the command: {e}")),
        }
        let exit = Exit {
            step: lines.step,
            attempt: self.attempt,
            ending,
            output_tail: std::mem::take(&mut lines.tail).into(),
            restore_point: lines.restore_point.take(),
        };
        lines.log.end(&format!("=== {}", describe(&exit)));
        (lines.notify)(Report::Exited(exit));
    }
}

impl Lines {
    /// One line of output, as cut: secrets masked, to the log, the tail
    /// and the driver. A line cut at [`MAX_LINE`] is masked before it
    /// loses what could be the start of a secret at the cut (mask, then
    /// cut: a secret whole before the cut is never split).
    fn line(&mut self, bytes: &[u8], cut: Cut) {
        let (bytes, skipped) = cut_line(bytes, cut);
        let text = String::from_utf8_lossy(bytes);
        let mut line = match skipped {
            None => self.redactor.redact(&text).into_owned(),
            Some(skipped) => {
                let (mut line, partial) = self.redactor.redact_cut(&text);
                let dropped = skipped + partial;
                if dropped > 0 {
                    line.push_str(&format!(" [… {dropped} more bytes of this line not kept]"));
                }
                line
            }
        };
        if let Some(value) = line.trim().strip_prefix(crate::event::RESTORE_POINT_VAR) {
            self.restore_point = Some(value.to_string());
        }
        if let Some(p) = &self.prefix {
            line.insert_str(0, p);
        }
        self.log.line(&line);
        if self.tail.len() == TAIL_LINES {
            self.tail.pop_front();
        }
        self.tail.push_back(line.clone());
        (self.notify)(Report::Line {
            step: self.step,
            line,
        });
    }
}

/// How a line was cut at [`MAX_LINE`]: `Some(bytes dropped after the
/// cut)`, `None` for a whole line.
type Cut = Option<usize>;

/// A line's bytes, newline removed, and, for a cut line, how many bytes
/// were dropped. A cut line also loses an incomplete UTF-8 character at
/// its end (counted as dropped), so that the masking that follows sees
/// whole characters.
fn cut_line(mut bytes: &[u8], cut: Cut) -> (&[u8], Option<usize>) {
    if let Some(skipped) = cut {
        let valid = match std::str::from_utf8(bytes) {
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            _ => bytes.len(),
        };
        return (&bytes[..valid], Some(skipped + bytes.len() - valid));
    }
    while let [rest @ .., b'\n' | b'\r'] = bytes {
        bytes = rest;
    }
    (bytes, None)
}

/// Cuts a stream of bytes into lines of at most [`MAX_LINE`] bytes: the
/// rest of a longer line (binary data printed by mistake) is counted and
/// dropped, so that a line is never held whole in memory.
#[derive(Debug, Default)]
pub(crate) struct Cutter {
    buf: Vec<u8>,
    /// Bytes dropped from the current line, once it reached `MAX_LINE`.
    skipped: Option<usize>,
}

impl Cutter {
    /// Feeds bytes; `line` gets each complete line (newline included) and,
    /// for a cut one, `Some(bytes dropped)`.
    fn feed(&mut self, mut bytes: &[u8], line: &mut impl FnMut(&[u8], Cut)) {
        while !bytes.is_empty() {
            if let Some(skipped) = &mut self.skipped {
                match bytes.iter().position(|&b| b == b'\n') {
                    Some(i) => {
                        *skipped += i;
                        let cut = Some(*skipped);
                        bytes = &bytes[i + 1..];
                        line(&self.buf, cut);
                        self.buf.clear();
                        self.skipped = None;
                    }
                    None => {
                        *skipped += bytes.len();
                        return;
                    }
                }
            } else {
                let room = MAX_LINE - self.buf.len();
                let window = &bytes[..bytes.len().min(room)];
                match window.iter().position(|&b| b == b'\n') {
                    Some(i) => {
                        self.buf.extend_from_slice(&window[..=i]);
                        bytes = &bytes[i + 1..];
                        line(&self.buf, None);
                        self.buf.clear();
                    }
                    None => {
                        self.buf.extend_from_slice(window);
                        bytes = &bytes[window.len()..];
                        if self.buf.len() == MAX_LINE {
                            self.skipped = Some(0);
                        }
                    }
                }
            }
        }
    }

    /// The last line, when the stream ended without a newline.
    fn finish(&mut self) -> Option<(Vec<u8>, Cut)> {
        let cut = self.skipped.take();
        if self.buf.is_empty() && cut.is_none() {
            return None;
        }
        Some((std::mem::take(&mut self.buf), cut))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut_all(chunks: &[&[u8]]) -> Vec<(Vec<u8>, Option<usize>)> {
        let mut c = Cutter::default();
        let mut out = Vec::new();
        let mut keep = |l: &[u8], cut| {
            let (l, dropped) = cut_line(l, cut);
            out.push((l.to_vec(), dropped));
        };
        for chunk in chunks {
            c.feed(chunk, &mut keep);
        }
        if let Some((l, cut)) = c.finish() {
            keep(&l, cut);
        }
        out
    }

    #[test]
    fn lines_are_cut_across_chunks_and_crlf_is_trimmed() {
        let out = cut_all(&[b"one\r\ntw", b"o\n\nthr", b"ee"]);
        let lines: Vec<&[u8]> = out.iter().map(|(l, _)| l.as_slice()).collect();
        assert_eq!(lines, [&b"one"[..], b"two", b"", b"three"]);
        assert!(out.iter().all(|(_, d)| d.is_none()));
    }

    #[test]
    fn a_long_line_keeps_max_line_bytes() {
        let long = vec![b'x'; MAX_LINE + 100];
        let out = cut_all(&[&long[..1000], &long[1000..], b"\nnext\n"]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0], (vec![b'x'; MAX_LINE], Some(100)));
        assert_eq!(out[1], (b"next".to_vec(), None));
    }

    #[test]
    fn a_line_of_exactly_max_line_bytes_is_cut_like_a_longer_one() {
        let mut line = vec![b'y'; MAX_LINE];
        line.push(b'\n');
        let out = cut_all(&[&line]);
        assert_eq!(out, [(vec![b'y'; MAX_LINE], Some(0))]);
    }

    #[test]
    fn an_endless_line_without_newline_is_cut_at_the_end() {
        let long = vec![b'z'; MAX_LINE * 3];
        let out = cut_all(&[&long]);
        assert_eq!(out, [(vec![b'z'; MAX_LINE], Some(2 * MAX_LINE))]);
    }

    #[test]
    fn a_cut_line_loses_an_incomplete_character_at_its_end() {
        let mut long = vec![b'w'; MAX_LINE - 1];
        long.extend_from_slice("é and more".as_bytes());
        let out = cut_all(&[&long]);
        assert_eq!(out, [(vec![b'w'; MAX_LINE - 1], Some(11))]);
    }
}
