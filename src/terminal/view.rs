//! The view: an event sink that shows the drill.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiff::Timestamp;

use super::frame::{self, Live, Size};
use super::lines::{self, Palette, Show};
use super::{Out, Shared, State, Style};
use crate::event::{Event, Stamped};
use crate::exec::Sink;
use crate::runbook::{Runbook, StepIndex, StepKind};
use crate::timeline::StepState;

/// How often the live view recomputes elapsed times.
const REFRESH: StdDuration = StdDuration::from_millis(250);

/// Shows the drill: live bars on a terminal, plain timestamped lines
/// otherwise. Made by [`super::terminal`] (with the interactive operator)
/// or alone by [`View::new`] (with `--yes`, `--answers`, or no terminal).
///
/// Lines are printed at `flush()`, which the driver calls after the
/// journal has synced: nothing is shown as recorded before it is on disk.
/// The live bars are cleared when `run_finished` is shown (or the view is
/// dropped), so the end-of-run summary can be printed after it.
pub struct View {
    shared: Arc<Shared>,
    /// Lines of events taken but not yet shown.
    pending: Vec<String>,
    /// `run_finished` is among them: clear the bars once they are shown.
    finished: bool,
}

impl View {
    /// A view with no terminal operator, writing to stderr.
    pub fn new(runbook: &Runbook, style: Style) -> View {
        View::from_shared(Shared::new(runbook, style, Out::Stderr, None))
    }

    /// A plain view writing to `out` (tests, logs).
    pub fn plain_to(runbook: &Runbook, out: impl std::io::Write + Send + 'static) -> View {
        View::from_shared(Shared::new(
            runbook,
            Style::Plain,
            Out::Writer(Box::new(out)),
            None,
        ))
    }

    pub(super) fn from_shared(shared: Arc<Shared>) -> View {
        View {
            shared,
            pending: Vec::new(),
            finished: false,
        }
    }

    /// Masks these secrets (the runbook's own secret values are masked
    /// already) in everything the view and its operator print.
    pub fn with_redactor(self, redactor: crate::redact::Redactor) -> View {
        self.shared.state().redactor = redactor;
        self
    }

    /// Takes the events a resumed drill's journal already holds, without
    /// showing them, so that the view (and the end-of-run summary) knows the
    /// whole drill. Call it before the driver starts.
    pub fn replay<'a>(&mut self, events: impl IntoIterator<Item = &'a Stamped>) {
        let mut st = self.shared.state();
        for e in events {
            st.apply(e);
        }
    }

    /// The drill so far, as folded from the events seen: what
    /// [`summary()`](super::summary()) takes at the end.
    pub fn timeline(&self) -> crate::timeline::Timeline {
        self.shared.state().timeline.clone()
    }

    /// Shows what is pending, then clears the live bars (idempotent);
    /// later lines are printed plainly.
    pub fn finish(&mut self) {
        self.show_pending();
        if let Some(bars) = &mut self.shared.state().bars {
            bars.close();
        }
        // What follows (the summary) is printed directly: after all this.
        crate::outbox::drain();
    }

    fn show_pending(&mut self) {
        let mut st = self.shared.state();
        st.print(&self.pending);
        self.pending.clear();
        if std::mem::take(&mut self.finished)
            && let Some(bars) = &mut st.bars
        {
            bars.close();
        }
    }
}

impl Drop for View {
    fn drop(&mut self) {
        self.finish();
    }
}

impl Sink for View {
    fn event(&mut self, event: &Stamped) -> std::io::Result<()> {
        // Runbook and journal text as shown, not obeyed, by the terminal.
        let event = &*crate::escape::stamped(event);
        let shared = &self.shared;
        let mut st = shared.state();
        st.apply(event);
        let show = Show {
            palette: shared.palette,
            live: st.bars.is_some(),
            operator: st.session.is_some(),
        };
        self.pending
            .extend(lines::event_lines(&st.timeline, event, &shared.tz, show));
        if let Event::RunFinished { .. } = event.event {
            self.finished = true;
        }
        Ok(())
    }

    fn output(&mut self, step: StepIndex, line: &str) -> std::io::Result<()> {
        let mut guard = self.shared.state();
        let st = &mut *guard;
        if let Some(slot) = st.last_output.get_mut(step.get()) {
            let line = st.redactor.redact(line);
            *slot = Some(crate::escape::line(&line).into_owned());
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.show_pending();
        self.shared.state().redraw_soon(self.shared.palette);
        Ok(())
    }
}

/// The live bars: one per item, the overall line, and the prompt line.
pub(crate) struct Bars {
    mp: MultiProgress,
    overall: ProgressBar,
    input: Option<ProgressBar>,
    /// The frame's item rows, top to bottom.
    rows: Vec<ProgressBar>,
    closed: bool,
}

fn line_style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}

impl Bars {
    /// Bars on stderr; with a prompt line at the bottom when `prompt`.
    pub(crate) fn new(prompt: bool) -> Bars {
        // Drawn through the outbox: a terminal that stops reading never
        // stops the drill.
        let mp = MultiProgress::with_draw_target(ProgressDrawTarget::term_like_with_hz(
            Box::new(crate::outbox::QueuedTerm::default()),
            20,
        ));
        // `{msg}`: the frame's lines already fit the terminal.
        let overall = mp.add(ProgressBar::new_spinner().with_style(line_style("{msg}")));
        // `{msg}`, not `{wide_msg}`: no padding, so the cursor stays right
        // after what is typed.
        let input =
            prompt.then(|| mp.add(ProgressBar::new_spinner().with_style(line_style("{msg}"))));
        crate::logging::route_through(Some(mp.clone()));
        Bars {
            mp,
            overall,
            input,
            rows: Vec::new(),
            closed: false,
        }
    }

    /// Whether lines should be printed through the bars.
    pub(crate) fn visible(&self) -> bool {
        !self.closed && !self.mp.is_hidden()
    }

    /// Prints a line above the bars.
    pub(crate) fn println(&self, line: &str) {
        let _ = self.mp.println(line);
    }

    /// Recomputes every line.
    /// Recomputes the lines of `steps` (and the overall and prompt lines)
    /// from the shared state (whose own `bars` are these, taken out).
    pub(crate) fn update(
        &mut self,
        st: &State,
        steps: &BTreeSet<usize>,
        now: Timestamp,
        p: Palette,
    ) {
        if self.closed {
            return;
        }
        let session = st.session.as_ref();
        let open: BTreeSet<usize> = match session {
            Some(s) => s.items().map(|i| i.question.step().get()).collect(),
            // No operator types here (`--yes`, `--answers`): open manual
            // steps are still what people work on.
            None => steps
                .iter()
                .copied()
                .filter(|&i| {
                    st.timeline.steps.get(i).is_some_and(|s| {
                        s.state == StepState::Ready && s.planned.kind == StepKind::Manual
                    })
                })
                .collect(),
        };
        let prompt = session.map(|s| s.prompt());
        let live = Live {
            timeline: &st.timeline,
            steps,
            open: &open,
            last_output: &st.last_output,
            prompt: prompt.as_deref().map(|p| (p, st.editor.text())),
        };
        let frame = frame::frame(&live, now, Size::of_stderr(), p);
        // One bar per row of the frame, reused from one redraw to the next.
        while self.rows.len() > frame.items.len() {
            if let Some(bar) = self.rows.pop() {
                bar.finish_and_clear();
                self.mp.remove(&bar);
            }
        }
        while self.rows.len() < frame.items.len() {
            let bar = self.mp.insert_before(
                &self.overall,
                ProgressBar::new_spinner().with_style(line_style("{msg}")),
            );
            self.rows.push(bar);
        }
        let glyphs = super::glyphs::chosen();
        let width = usize::from(Size::of_stderr().cols.max(20)) - 1;
        let shown = |line: String| glyphs.fit(&line, width);
        for (bar, line) in self.rows.iter().zip(frame.items) {
            bar.set_message(shown(line));
        }
        self.overall.set_message(shown(frame.overall));
        if let (Some(input), Some(line)) = (&self.input, frame.prompt) {
            // indicatif pads every line to the terminal's width, leaving the
            // real cursor at the right edge: it is hidden while the prompt
            // runs, and the frame's block stands in for it.
            input.set_message(shown(line));
        }
    }

    /// Clears the bars for good.
    pub(crate) fn close(&mut self) {
        if self.closed {
            return;
        }
        self.closed = true;
        for bar in &self.rows {
            bar.finish_and_clear();
        }
        self.overall.finish_and_clear();
        if let Some(input) = &self.input {
            input.finish_and_clear();
        }
        let _ = self.mp.clear();
        crate::logging::route_through(None);
    }
}

/// Recomputes the live lines every [`REFRESH`] until the bars close or the
/// view and operator are gone.
pub(crate) fn spawn_refresher(shared: &Arc<Shared>) {
    let weak = Arc::downgrade(shared);
    let _ = std::thread::Builder::new()
        .name("reprise-view".into())
        .spawn(move || {
            loop {
                std::thread::sleep(REFRESH);
                let Some(shared) = weak.upgrade() else { break };
                let mut st = shared.state();
                if st.bars.as_ref().is_none_or(|b| b.closed) {
                    break;
                }
                st.redraw(Timestamp::now(), shared.palette);
            }
        });
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::event::RunResult;
    use crate::terminal::lines::tests::story;
    use crate::terminal::test_runbook;

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_plain_view_prints_one_line_per_event_and_keeps_the_timeline() {
        let out = Buffer::default();
        let mut view = View::plain_to(&test_runbook(), out.clone());
        for (i, e) in story().iter().enumerate() {
            view.event(e).unwrap();
            // Output lines are not printed in the plain style: they are in
            // the step logs, and parallel steps would interleave.
            view.output(StepIndex(2), &format!("noise {i}")).unwrap();
            view.flush().unwrap();
        }
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        assert_eq!(text.lines().count(), 13, "{text}");
        assert!(!text.contains("noise"), "{text}");
        assert!(
            text.contains("✔ 08:12:00 #2 check-backups done (12m) by bob"),
            "{text}"
        );
        assert_eq!(
            view.timeline().result.map(|(_, r)| r),
            Some(RunResult::Recovered)
        );
    }

    #[test]
    fn a_resumed_drill_is_replayed_silently_then_shown() {
        let out = Buffer::default();
        let mut view = View::plain_to(&test_runbook(), out.clone());
        let events = story();
        view.replay(&events[..9]);
        assert!(out.0.lock().unwrap().is_empty());
        for e in &events[9..] {
            view.event(e).unwrap();
        }
        assert!(
            out.0.lock().unwrap().is_empty(),
            "nothing is shown before the flush that follows the journal's sync"
        );
        view.flush().unwrap();
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        // Durations run from the replayed starts.
        assert!(
            text.starts_with("✔ 08:04:31 #3 restart-app done (4m31s / est 2m +2m31s over)"),
            "{text}"
        );
        let summary = crate::terminal::summary(&view.timeline(), std::path::Path::new("j"), false);
        assert!(summary.contains("restart-app    done"), "{summary}");
    }

    #[test]
    fn secrets_never_reach_the_screen() {
        let out = Buffer::default();
        let mut view = View::plain_to(&test_runbook(), out.clone())
            .with_redactor(crate::redact::Redactor::new(["hunter2"]));
        let events = story();
        view.event(&events[0]).unwrap();
        view.event(&crate::terminal::at(
            "08:01:00",
            crate::event::Event::Note {
                origin: Default::default(),
                text: "token is hunter2".into(),
                by: "alice".into(),
                step: None,
            },
        ))
        .unwrap();
        view.flush().unwrap();
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        assert!(text.contains("✎ 08:01:00 alice: token is ***"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
    }
}
