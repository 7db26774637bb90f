//! The I/O thread with real sockets and a recording [`Lines`].

use super::*;
use std::io::{BufRead, BufReader};
use std::sync::mpsc::{Receiver, Sender, channel};

/// Records what the I/O thread hands over; with a gate, the line `block`
/// holds the I/O thread until the test lets it go.
struct Record(Sender<(u64, String)>, Option<Receiver<()>>);

impl Lines for Record {
    fn line(&mut self, id: u64, line: &str) -> Option<&'static str> {
        let _ = self.0.send((id, line.to_string()));
        if line == "block"
            && let Some(gate) = &self.1
        {
            let _ = gate.recv_timeout(Duration::from_secs(10));
        }
        (line == "detach").then_some("detach")
    }
    fn gone(&mut self, id: u64, reason: &'static str) {
        let _ = self.0.send((id, format!("gone: {reason}")));
    }
}

fn pump() -> (Pump, std::sync::mpsc::Receiver<(u64, String)>) {
    let (tx, rx) = channel();
    let (pump, io) = Pump::new().unwrap();
    io.start(Box::new(Record(tx, None))).unwrap();
    (pump, rx)
}

fn wait(rx: &std::sync::mpsc::Receiver<(u64, String)>) -> (u64, String) {
    rx.recv_timeout(Duration::from_secs(10))
        .expect("handed over")
}

#[test]
fn messages_arrive_in_order_one_per_line_and_the_connection_ends_on_close() {
    let (pump, _rx) = pump();
    let mut clients = Vec::new();
    let mut outs = Vec::new();
    for id in 0..3 {
        let (a, b) = UnixStream::pair().unwrap();
        outs.push(pump.add(id, a, Vec::new(), 1 << 20).unwrap());
        clients.push(BufReader::new(b));
    }
    for i in 0..40 {
        for out in &outs {
            out.send(Arc::from(format!("{{\"n\":{i}}}"))).unwrap();
        }
    }
    drop(outs);
    let want: Vec<String> = (0..40).map(|i| format!("{{\"n\":{i}}}")).collect();
    for r in clients {
        let lines: Vec<String> = r.lines().map(Result::unwrap).collect();
        assert_eq!(lines, want);
    }
    pump.handle().drain(Duration::from_secs(5));
    assert_eq!(
        pump.live.load(Ordering::SeqCst),
        0,
        "every connection ended"
    );
}

#[test]
fn a_terminal_that_comes_while_others_are_written_gets_its_first_message() {
    // Terminals attach while the drill sends to others: a round that
    // ran between a terminal's arrival and its adoption once left its
    // greeting unwritten.
    let (pump, _rx) = pump();
    let (a, _b) = UnixStream::pair().unwrap();
    let busy = pump.add(0, a, Vec::new(), 1 << 20).unwrap();
    let mut outs = Vec::new();
    for id in 1..200 {
        busy.send(Arc::from("busy")).unwrap();
        let (a, b) = UnixStream::pair().unwrap();
        b.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let out = pump.add(id, a, Vec::new(), 64).unwrap();
        out.send(Arc::from(format!("hello {id}"))).unwrap();
        let mut got = String::new();
        BufReader::new(&b).read_line(&mut got).unwrap();
        assert_eq!(got, format!("hello {id}\n"));
        outs.push((out, b));
    }
}

#[test]
fn a_full_queue_drops_the_terminal_and_tells_it_after_what_was_queued() {
    // Nobody reads: the socket fills, then the queue, without the
    // sender ever waiting.
    let (pump, rx) = pump();
    let (a, b) = UnixStream::pair().unwrap();
    let out = pump.add(7, a, Vec::new(), 4 * (64 * 1024 + 1)).unwrap();
    let big: Arc<str> = Arc::from("x".repeat(64 * 1024));
    let mut refused = None;
    let started = Instant::now();
    for _ in 0..1000 {
        if let Err(e) = out.send(Arc::clone(&big)) {
            refused = Some(e);
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(refused, Some(super::super::queue::Refused::Full));
    drop(out);
    let mut r = BufReader::new(b);
    let (mut last, mut line, mut whole) = (String::new(), String::new(), 0);
    while r.read_line(&mut line).unwrap() > 0 {
        whole += usize::from(line.len() == 64 * 1024 + 1);
        last = std::mem::take(&mut line);
    }
    assert!(last.contains("fell behind"), "{last:.80}");
    assert!(whole >= 4, "what was queued came first, whole: {whole}");
    assert_eq!(wait(&rx), (7, "gone: connection closed".to_string()));
}

#[test]
fn lines_are_handed_over_whole_and_detach_ends_the_connection() {
    let (pump, rx) = pump();
    let (a, mut b) = UnixStream::pair().unwrap();
    // What the greeting's reader had already taken comes first.
    let out = pump.add(1, a, b"first\nsec".to_vec(), 64).unwrap();
    assert_eq!(wait(&rx), (1, "first".to_string()));
    b.write_all(b"ond\nthird\n").unwrap();
    assert_eq!(wait(&rx), (1, "second".to_string()));
    assert_eq!(wait(&rx), (1, "third".to_string()));
    out.send(Arc::from("bye")).unwrap();
    b.write_all(b"detach\n").unwrap();
    assert_eq!(wait(&rx), (1, "detach".to_string()));
    assert_eq!(wait(&rx), (1, "gone: detach".to_string()));
    drop(out);
    let mut r = BufReader::new(b);
    let mut got = String::new();
    r.read_line(&mut got).unwrap();
    assert_eq!(got, "bye\n");
    // A line over the limit ends a client, once.
    let (a, mut b) = UnixStream::pair().unwrap();
    let _out = pump.add(2, a, Vec::new(), 64).unwrap();
    b.write_all(&vec![b'x'; MAX_LINE + 10]).unwrap();
    assert_eq!(wait(&rx), (2, "gone: connection closed".to_string()));
    assert!(rx.recv_timeout(Duration::from_millis(200)).is_err());
}

#[test]
fn what_a_client_sent_before_it_hung_up_is_handed_over_when_the_write_to_it_fails() {
    // A script types `done 3` and hangs up at once; the drill's next
    // write to it fails (EPIPE) before its line was read: the line was
    // lost with the connection. The I/O thread is held here (a line of
    // another client) so that the failing write comes first.
    let (tx, rx) = channel();
    let (release, gate) = channel();
    let (pump, io) = Pump::new().unwrap();
    io.start(Box::new(Record(tx, Some(gate)))).unwrap();
    let (a, mut held) = UnixStream::pair().unwrap();
    let _held_out = pump.add(1, a, Vec::new(), 1 << 20).unwrap();
    held.write_all(b"block\n").unwrap();
    assert_eq!(wait(&rx), (1, "block".to_string()));

    let (a, mut b) = UnixStream::pair().unwrap();
    b.write_all(b"done 3\n").unwrap();
    drop(b);
    let out = pump.add(2, a, Vec::new(), 1 << 20).unwrap();
    out.send(Arc::from("greeting")).unwrap();
    release.send(()).unwrap();
    assert_eq!(wait(&rx), (2, "done 3".to_string()));
    assert_eq!(wait(&rx), (2, "gone: connection closed".to_string()));
}
