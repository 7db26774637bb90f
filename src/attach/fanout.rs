//! What the drill tells the attached terminals, handed over without
//! making the drill's thread do the terminals' work.
//!
//! The drill's thread only queues what happened ([`Told`]: an event, a
//! question put or withdrawn, a refusal) and wakes the I/O thread of the
//! terminals once a round; the I/O thread, at its round, applies it all in
//! order under the terminals' lock (their prompt sessions, the live
//! region's state), renders and serialises it once per kind of terminal,
//! queues it for each and writes it. The drill's thread is the one every
//! step waits on: measured with 20 terminals on 1,000 commands, doing that
//! work there cost more wall time than its CPU (bench/RESULTS.md).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::queue::Hub;
use super::{Client, Shared, serve, text};
use crate::event::{Event, Stamped};
use crate::exec::{Question, Refusal};
use crate::identity::Identity;
use crate::runbook::StepIndex;
use crate::terminal::prompt::Recorded;

/// Things told and not yet applied that make the drill's thread apply
/// them itself ([`Fanout::tell`]).
const BEHIND: usize = 65_536;

/// Told by the drill, in order.
pub(super) enum Told {
    /// An event, once the journal has it.
    Event(Box<Stamped>),
    /// A question is open.
    Ask(Question),
    /// A question no longer needs an answer.
    Retract(StepIndex),
    /// An input was refused: told to the terminals of whoever sent it.
    Refused(Identity, Refusal),
}

/// The queue between the drill's thread and the I/O thread.
pub(super) struct Fanout {
    told: Mutex<Vec<Told>>,
    hub: Arc<Hub>,
    /// The connections the I/O thread holds.
    live: Arc<AtomicUsize>,
}

impl Fanout {
    pub(super) fn new(hub: Arc<Hub>, live: Arc<AtomicUsize>) -> Fanout {
        Fanout {
            told: Mutex::new(Vec::new()),
            hub,
            live,
        }
    }

    /// Whether any terminal is connected: with none, the I/O thread is
    /// not woken and nothing waits in this queue (a drill nobody attaches
    /// to for a weekend); the drill's thread keeps the state itself.
    pub(super) fn serving(&self) -> bool {
        self.live.load(Ordering::Acquire) > 0
    }

    /// Queues `told` without waiting for anything but this queue's lock;
    /// the first of a round wakes the I/O thread. Gives it back when the
    /// I/O thread is [`BEHIND`] (it never waits on a socket, so it never
    /// should be): the drill's thread then applies it itself rather than
    /// let this queue grow.
    pub(super) fn tell(&self, told: Told) -> Option<Told> {
        let mut queue = self.told.lock().expect("attach fan-out");
        if queue.len() >= BEHIND {
            return Some(told);
        }
        queue.push(told);
        drop(queue);
        self.hub.queued();
        None
    }

    /// Wakes the I/O thread for what was queued without it.
    pub(super) fn wake(&self) {
        self.hub.queued();
    }

    /// What was told since the last call, in order.
    fn take(&self) -> Vec<Told> {
        std::mem::take(&mut *self.told.lock().expect("attach fan-out"))
    }
}

impl Shared {
    /// Applies what the drill told since the last round: the I/O thread
    /// at each round, and the drill's thread at its end.
    pub(super) fn catch_up(&mut self) {
        for told in self.fanout.take() {
            self.apply(told);
        }
    }

    /// Applies one thing told: the terminals' state, and their messages
    /// queued without waking the I/O thread.
    pub(super) fn apply(&mut self, told: Told) {
        match told {
            Told::Event(event) => self.event(&event),
            Told::Ask(question) => self.ask(&question),
            Told::Retract(step) => self.retract(step),
            Told::Refused(by, refusal) => {
                let line = serve::refusal(self.board.lang(), &refusal);
                for c in self.clients.iter().filter(|c| c.session.identity() == &by) {
                    quiet(c, text(vec![line.clone()]));
                }
            }
        }
    }

    fn ask(&mut self, question: &Question) {
        self.open.push(question.clone());
        let Shared { board, clients, .. } = self;
        clients.retain_mut(|c| {
            let n = c.session.ask(question);
            quiet(c, text(board.question_lines(question, n, &c.look)))
        });
    }

    fn retract(&mut self, step: StepIndex) {
        self.open.retain(|q| q.step() != step);
        for c in &mut self.clients {
            c.session.close(step);
        }
    }

    pub(super) fn event(&mut self, event: &Stamped) {
        self.grow(event);
        let masked = self.board.masked(event);
        self.board.apply(&masked);
        // An answered item is closed on every terminal, and a late
        // answer to it is told who was first.
        if let Event::StepFinished {
            step, by, outcome, ..
        } = &event.event
            && let Some(i) = self.board.position(step.as_str())
        {
            self.open.retain(|q| q.step() != i);
            let first = Arc::new(Recorded {
                by: by.to_string(),
                at: event.time,
                what: outcome.to_string(),
            });
            for c in &mut self.clients {
                c.session.recorded(i, &first);
            }
        }
        // The lines depend only on how a client draws: made once for
        // each kind of client.
        let mut made: Vec<((bool, bool), Arc<str>)> = Vec::new();
        let Shared { board, clients, .. } = self;
        clients.retain(|c| {
            let kind = (c.look.color, c.look.size.is_some());
            let msg = match made.iter().find(|(k, _)| *k == kind) {
                Some((_, m)) => Arc::clone(m),
                None => {
                    let m = super::event_msg(&masked, board.event_lines(&masked, &c.look));
                    made.push((kind, Arc::clone(&m)));
                    m
                }
            };
            // A client that cannot keep up is dropped; it re-attaches.
            quiet(c, msg)
        });
    }
}

/// Queues `msg` for `client` in the I/O thread's round, which writes it
/// right after (no wake-up); false once the client is gone or dropped.
fn quiet(client: &Client, msg: impl Into<Arc<str>>) -> bool {
    super::queued(client, client.out.send_quiet(msg.into()))
}

#[cfg(test)]
mod tests {
    use std::io::BufRead;
    use std::time::Duration;

    use crate::event::{Event, Stamped};
    use crate::exec::Operator;

    /// With a terminal attached, the drill's thread hands an event over
    /// without the terminals' lock (held here by another thread, as the
    /// redraw or a typed line holds it): it never waits on them. The
    /// event reaches the terminal once the lock is free.
    #[test]
    fn the_drill_hands_events_over_without_waiting_for_the_terminals_lock() {
        let (_dir, mut attached, _stream, mut from, greeting) =
            super::super::attached_for_test("team");
        assert!(greeting.contains("attached"), "{greeting}");

        let shared = std::sync::Arc::clone(&attached.shared);
        let (locked_tx, locked) = std::sync::mpsc::channel();
        let (release, release_rx) = std::sync::mpsc::channel::<()>();
        let holder = std::thread::spawn(move || {
            let _guard = shared.lock().unwrap();
            locked_tx.send(()).unwrap();
            // Bounds against a hang, not a timing assertion: Err means
            // the drill's thread waited for this lock.
            release_rx.recv_timeout(Duration::from_secs(10)).is_ok()
        });
        locked.recv().unwrap();
        let note = Stamped {
            time: jiff::Timestamp::now(),
            event: Event::Note {
                text: "handed over".into(),
                by: "coord".into(),
                origin: Default::default(),
                step: None,
            },
        };
        attached.event(&note);
        let _ = release.send(());
        assert!(
            holder.join().unwrap(),
            "the drill's thread waited for the terminals' lock"
        );
        let mut line = String::new();
        while !line.contains("handed over") {
            line.clear();
            assert!(from.read_line(&mut line).unwrap() > 0, "closed");
        }
        assert!(line.starts_with("{\"event\""), "{line}");
    }
}
