//! The interactive operator: a prompt on its own thread.

use std::io::BufRead;
use std::os::fd::AsFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::thread::JoinHandle;

use jiff::Timestamp;
use nix::sys::termios::{self, LocalFlags, SetArg, Termios};

use super::prompt::Recorded;
use super::{Shared, Style, lines};
use crate::event::Event;
use crate::exec::{Input, Interrupt, Operator, Question};
use crate::runbook::StepIndex;

/// Where typed lines come from.
pub(crate) enum Source {
    /// The terminal on stdin: key by key under the live view, line by line
    /// (the terminal's own editing) in the plain style.
    Terminal,
    /// Lines from a reader (tests, scripts).
    Lines(Box<dyn BufRead + Send>),
}

/// Answers the engine's questions from a person at the terminal. See the
/// [module documentation](super) and [`super::prompt`] for the commands.
pub struct TerminalOperator {
    shared: Arc<Shared>,
    source: Option<Source>,
    stop: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    /// The terminal's settings before the live prompt changed them.
    saved: Option<Termios>,
    /// The live prompt hid the cursor (it draws its own).
    cursor_hidden: bool,
    /// When the last event reached the operator: a question asked right
    /// after it belongs to its batch and is shown at its time.
    last_event: Option<std::time::Instant>,
    /// The driver's channel, to say the terminal hung up.
    answers: Option<Sender<Input>>,
}

impl TerminalOperator {
    pub(super) fn new(shared: Arc<Shared>, source: Source) -> Self {
        TerminalOperator {
            last_event: None,
            shared,
            source: Some(source),
            stop: Arc::new(AtomicBool::new(false)),
            reader: None,
            saved: None,
            cursor_hidden: false,
            answers: None,
        }
    }

    /// Who records answers now (changes with handovers).
    pub fn current_operator(&self) -> String {
        self.shared
            .state()
            .session
            .as_ref()
            .map(|s| s.operator().to_string())
            .unwrap_or_default()
    }

    fn restore_terminal(&mut self) {
        if let Some(saved) = self.saved.take() {
            let _ = termios::tcsetattr(std::io::stdin().as_fd(), SetArg::TCSANOW, &saved);
        }
        if std::mem::take(&mut self.cursor_hidden) {
            crate::outbox::print("\x1b[?25h");
            crate::outbox::drain();
        }
    }
}

impl Operator for TerminalOperator {
    fn start(&mut self, answers: Sender<Input>) {
        let Some(source) = self.source.take() else {
            return;
        };
        self.answers = Some(answers.clone());
        let shared = self.shared.clone();
        let stop = self.stop.clone();
        let live = shared.style == Style::Live;
        let reader = match source {
            Source::Lines(input) => std::thread::Builder::new()
                .name("reprise-prompt".into())
                .spawn(move || read_lines(&shared, input, &answers)),
            Source::Terminal => {
                if live {
                    // Our own line editing, drawn under the bars; Ctrl-C
                    // still raises SIGINT (ISIG stays on).
                    if let Ok(saved) = termios::tcgetattr(std::io::stdin().as_fd()) {
                        let mut raw = saved.clone();
                        raw.local_flags
                            .remove(LocalFlags::ICANON | LocalFlags::ECHO);
                        raw.control_chars[termios::SpecialCharacterIndices::VMIN as usize] = 1;
                        raw.control_chars[termios::SpecialCharacterIndices::VTIME as usize] = 0;
                        if termios::tcsetattr(std::io::stdin().as_fd(), SetArg::TCSANOW, &raw)
                            .is_ok()
                        {
                            self.saved = Some(saved);
                            crate::outbox::print("\x1b[?25l");
                            self.cursor_hidden = true;
                        }
                    }
                }
                let keys = self.saved.is_some();
                std::thread::Builder::new()
                    .name("reprise-prompt".into())
                    .spawn(move || read_terminal(&shared, keys, &stop, &answers))
            }
        };
        self.reader = reader.ok();
    }

    fn ask(&mut self, question: &Question) {
        let shared = &self.shared;
        let mut st = shared.state();
        let Some(session) = st.session.as_mut() else {
            return;
        };
        let number = session.ask(question);
        let first = number == 1;
        let step = question.step();
        // The engine's clock, like every other line, when the question
        // comes with the events just recorded; but a question can come
        // without an event (a manual step recorded failed asks what to do
        // next), when the last event may be minutes old: then now.
        let fresh = self
            .last_event
            .is_some_and(|t| t.elapsed() < std::time::Duration::from_secs(1));
        let when = match st.timeline.last_event {
            Some(t) if fresh => t,
            _ => Timestamp::now(),
        };
        let lines = match st.info.get(step.get()) {
            Some(info) => {
                lines::question_lines(question, number, info, when, &shared.tz, shared.palette)
            }
            None => vec![lines::is_open(number, shared.palette)],
        };
        st.print(&lines);
        if first {
            let p = shared.palette;
            let hint = p.say(
                "prompt-type-help",
                &[
                    ("help", p.word("help").into()),
                    ("list", p.word("list").into()),
                ],
            );
            st.print(&[format!("    {hint}")]);
        }
        st.redraw(Timestamp::now(), shared.palette);
    }

    fn refused(
        &mut self,
        _step: StepIndex,
        _by: &crate::identity::Identity,
        refusal: &crate::exec::Refusal,
    ) {
        let mut st = self.shared.state();
        let said = refusal.say(self.shared.palette.lang);
        st.print(&[format!("  {}", crate::escape::line(&said))]);
        st.redraw(Timestamp::now(), self.shared.palette);
    }

    fn retract(&mut self, step: StepIndex) {
        let mut st = self.shared.state();
        if let Some(session) = st.session.as_mut() {
            session.close(step);
        }
        st.redraw(Timestamp::now(), self.shared.palette);
    }

    fn event(&mut self, event: &crate::event::Stamped) {
        self.last_event = Some(std::time::Instant::now());
        let mut st = self.shared.state();
        let step = event.event.step().and_then(|id| st.position(id.as_str()));
        let Some(session) = st.session.as_mut() else {
            return;
        };
        match &event.event {
            Event::Handover { to, .. } => session.handed_over(to),
            Event::StepFinished { by, outcome, .. } => {
                if let Some(i) = step {
                    let first = Arc::new(Recorded {
                        by: by.clone(),
                        at: event.time,
                        what: lines::outcome_word(*outcome, self.shared.palette),
                    });
                    session.recorded(StepIndex(i as u32), &first);
                }
            }
            _ => {}
        }
    }

    fn finish(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // A reader blocked on a plain reader cannot be woken: leave it; the
        // terminal reader polls and sees `stop` within a poll interval.
        if self.saved.is_some()
            && let Some(reader) = self.reader.take()
        {
            let _ = reader.join();
        }
        if let Some(bars) = &mut self.shared.state().bars {
            bars.close();
        }
        self.restore_terminal();
    }

    fn hung_up(&mut self) {
        if self.stop.swap(true, Ordering::SeqCst) {
            return;
        }
        detach(&self.shared, self.answers.as_ref(), "hang-up");
    }

    fn interrupted(&mut self) -> Interrupt {
        let shared = &self.shared;
        let mut st = shared.state();
        let Some(session) = st.session.as_mut() else {
            return Interrupt::Abort;
        };
        let answer = session.interrupted();
        st.editor.clear();
        // Bars first: the line is drawn together with them, so they must
        // already show the question (see `take_line`).
        st.redraw(Timestamp::now(), shared.palette);
        if answer == Interrupt::Asking {
            let p = shared.palette;
            let question = super::prompt::abort_question(p.lang);
            let asked = p.say(
                "prompt-ctrl-c",
                &[("question", question.trim_end().to_string().into())],
            );
            st.print(&[format!("⚠ {asked}")]);
        }
        answer
    }
}

impl Drop for TerminalOperator {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.restore_terminal();
    }
}

/// Records that the person at this terminal left (`reason`); the drill
/// goes on.
fn detach(shared: &Shared, answers: Option<&Sender<Input>>, reason: &str) {
    let by = shared
        .state()
        .session
        .as_ref()
        .map(|s| s.identity().clone());
    if let (Some(by), Some(answers)) = (by, answers) {
        let _ = answers.send(Input::Operator(crate::exec::OperatorInput::Detached {
            by,
            reason: Some(reason.into()),
        }));
    }
}

/// Handles one typed line: shows it and the reply, sends the answers.
/// Returns false once the operator detached (nothing more is read).
fn take_line(shared: &Shared, line: &str, echo: bool, answers: &Sender<Input>) -> bool {
    let mut st = shared.state();
    let Some(session) = st.session.as_mut() else {
        return true;
    };
    let prompt = session.prompt();
    let reply = session.line(line);
    let mut shown = Vec::new();
    if echo {
        shown.push(format!("{prompt}{line}"));
    }
    shown.extend(reply.text);
    if shared.style == Style::Plain
        && let Some(session) = st.session.as_ref()
    {
        let next = session.prompt();
        if next != super::prompt::PROMPT {
            // A follow-up question (a reason) is its own line.
            shown.push(next);
        } else if !reply.inputs.is_empty() && session.items().next().is_some() {
            // No bars list what is still open: say it after each answer.
            let open = session.open_summary();
            shown.push(
                session
                    .lang()
                    .tr_args("prompt-still", &[("open", open.into())]),
            );
        }
    }
    // The live view draws printed lines together with the bars: update the
    // bars first, or the reply would be drawn above the prompt it just
    // answered (a stale `abort the drill?` under `going on`) until the next
    // redraw.
    st.redraw(Timestamp::now(), shared.palette);
    st.print(&shown);
    let mut attached = true;
    for input in reply.inputs {
        if matches!(input, crate::exec::OperatorInput::Detached { .. }) {
            attached = false;
        }
        let _ = answers.send(Input::Operator(input));
    }
    attached
}

fn read_lines(shared: &Shared, mut input: Box<dyn BufRead + Send>, answers: &Sender<Input>) {
    let mut line = String::new();
    loop {
        line.clear();
        match input.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {
                if !take_line(shared, line.trim_end_matches(['\n', '\r']), true, answers) {
                    return;
                }
            }
        }
    }
}

/// Reads the terminal until `stop`: bytes through the line editor when
/// `keys` (live prompt), else whole lines as the terminal delivers them.
fn read_terminal(shared: &Shared, keys: bool, stop: &AtomicBool, answers: &Sender<Input>) {
    use nix::poll::{PollFd, PollFlags, poll};
    let stdin = std::io::stdin();
    let mut buf = [0u8; 1024];
    let mut pending: Vec<u8> = Vec::new();
    while !stop.load(Ordering::SeqCst) {
        let mut fds = [PollFd::new(stdin.as_fd(), PollFlags::POLLIN)];
        match poll(&mut fds, 200u16) {
            Ok(0) => continue,
            Ok(_) => {}
            Err(nix::errno::Errno::EINTR) => continue,
            Err(_) => return gone(shared, stop, answers),
        }
        let n = match nix::unistd::read(stdin.as_fd(), &mut buf) {
            Ok(n) => n,
            Err(nix::errno::Errno::EINTR | nix::errno::Errno::EAGAIN) => continue,
            Err(_) => return gone(shared, stop, answers),
        };
        if n == 0 {
            // End of input (Ctrl-D at a line prompt, or the terminal went
            // away): this terminal leaves, the drill goes on.
            return gone(shared, stop, answers);
        }
        if keys {
            for &b in &buf[..n] {
                let line = {
                    let mut st = shared.state();
                    let line = st.editor.feed(b);
                    if line.is_none() {
                        st.redraw(Timestamp::now(), shared.palette);
                    }
                    line
                };
                if let Some(line) = line
                    && !take_line(shared, &line, true, answers)
                {
                    stop.store(true, Ordering::SeqCst);
                    return;
                }
            }
        } else {
            pending.extend_from_slice(&buf[..n]);
            while let Some(end) = pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = pending.drain(..=end).collect();
                let line = String::from_utf8_lossy(&line);
                if !take_line(shared, line.trim_end_matches(['\n', '\r']), false, answers) {
                    stop.store(true, Ordering::SeqCst);
                    return;
                }
            }
        }
    }
}

/// The terminal is gone (end of input, a read error): detach, unless a
/// hang-up or the end of the drill already stopped the reader.
fn gone(shared: &Shared, stop: &AtomicBool, answers: &Sender<Input>) {
    if !stop.swap(true, Ordering::SeqCst) {
        detach(shared, Some(answers), "terminal closed");
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::Mutex;
    use std::sync::mpsc::{Receiver, channel};
    use std::time::Duration;

    use super::*;
    use crate::event::Outcome;
    use crate::exec::{OperatorInput, Sink};
    use crate::runbook::StepId;
    use crate::terminal::{at, scripted, test_runbook, test_started};

    /// Output shared with the test.
    #[derive(Clone, Default)]
    struct Screen(Arc<Mutex<Vec<u8>>>);

    impl Write for Screen {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Screen {
        fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
        }
    }

    fn next(rx: &Receiver<Input>) -> OperatorInput {
        // A guard against hanging, not a timing assertion.
        match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(Input::Operator(i)) => i,
            other => panic!("expected an operator input, got {other:?}"),
        }
    }

    #[test]
    fn two_open_steps_closed_in_any_order_with_note_and_handover() {
        let (input, mut keyboard) = std::io::pipe().unwrap();
        let screen = Screen::default();
        let (mut view, mut op) = scripted(
            &test_runbook(),
            &"alice".into(),
            std::io::BufReader::new(input),
            screen.clone(),
        );
        let (tx, rx) = channel();
        op.start(tx);
        // As the driver does: every event to the view, then to the operator.
        let started = test_started("2026-11-29T08:00:00Z");
        view.event(&started).unwrap();
        op.event(&started);
        for id in ["call-vendor", "check-backups"] {
            let ready = at(
                "08:00:00",
                Event::StepReady {
                    step: StepId::new(id),
                },
            );
            view.event(&ready).unwrap();
            op.event(&ready);
        }
        op.ask(&Question::Manual { step: StepIndex(0) });
        op.ask(&Question::Manual { step: StepIndex(1) });

        keyboard.write_all(b"done 2\n").unwrap();
        assert_eq!(
            next(&rx),
            OperatorInput::Record {
                step: StepIndex(1),
                outcome: Outcome::Done,
                reason: None,
                by: "alice".into(),
                auto: false
            }
        );
        keyboard
            .write_all(b"note all quiet\nhandover bob night shift\n")
            .unwrap();
        assert!(matches!(next(&rx), OperatorInput::Note { by, .. } if by.name == "alice"));
        assert!(matches!(next(&rx), OperatorInput::Handover { to, .. } if to == "bob"));
        assert_eq!(op.current_operator(), "bob");
        keyboard.write_all(b"skip 1\nvendor on site\n").unwrap();
        assert_eq!(
            next(&rx),
            OperatorInput::Record {
                step: StepIndex(0),
                outcome: Outcome::Skipped,
                reason: Some("vendor on site".into()),
                by: "bob".into(),
                auto: false
            }
        );

        // Ctrl-C: asks, Enter goes on; asked again, a second Ctrl-C forces.
        assert_eq!(op.interrupted(), Interrupt::Asking);
        keyboard.write_all(b"\nnote still here\n").unwrap();
        assert!(matches!(next(&rx), OperatorInput::Note { text, .. } if text == "still here"));
        assert_eq!(op.interrupted(), Interrupt::Asking);
        assert_eq!(op.interrupted(), Interrupt::Abort);
        op.finish();

        let text = screen.text();
        for expected in [
            "☐ 08:00:00 #1 call-vendor — Call the storage vendor",
            "#2 check-backups",
            "reprise> done 2",
            "still open: #1 call-vendor (manual step)",
            "why skip #1? (Enter to cancel)",
            "⚠ Ctrl-C: abort the drill? (type a reason, or press Enter to go on)",
            "going on",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in\n{text}");
        }
        assert!(!text.contains('\x1b'), "{text}");
    }
}
