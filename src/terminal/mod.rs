//! What the operator sees and types during a drill.
//!
//! - [`View`] is an [`exec::Sink`](crate::exec::Sink): it folds the events
//!   into a [`Timeline`] and shows them, either
//!   live (indicatif bars: one per running command or open item, an overall
//!   line, finished steps printed above) or plain (timestamped lines, no
//!   escape codes, nothing redrawn).
//! - [`TerminalOperator`] is an [`exec::Operator`](crate::exec::Operator):
//!   a line prompt on its own thread (`done 2`, `skip 3 REASON`, `note …`,
//!   `handover bob`, `help`), so waiting for a person never blocks running
//!   steps. Its state and commands are in [`prompt`].
//! - [`summary()`] is the end-of-run table.
//!
//! The view and the operator share one state behind one lock: the live
//! bars show the open items with the numbers the prompt accepts, and the
//! prompt line is drawn as the last bar, so redraws never tear what is
//! being typed.
//!
//! Every line is produced by a pure function in [`lines`] or [`summary`](mod@summary);
//! this module and its I/O helpers only decide where lines go.

pub mod add;
pub mod criteria;
pub(crate) mod editor;
pub mod frame;
#[cfg(test)]
mod french_tests;
pub mod glyphs;
pub mod lines;
mod operator;
pub mod plan_change;
pub mod prompt;
pub mod restore_point;
pub mod summary;
mod view;
pub mod wrap;

use std::collections::{BTreeSet, HashMap};
use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration as StdDuration, Instant};

use jiff::Timestamp;
use jiff::tz::TimeZone;

pub use operator::TerminalOperator;
pub use summary::summary;
pub use view::View;

use crate::identity::Identity;
use crate::redact::Redactor;
use crate::runbook::Runbook;
use crate::timeline::Timeline;
use editor::Editor;
use lines::{Palette, StepInfo};
use prompt::Session;

/// How the view draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Redrawn bars and colours, on a terminal.
    Live,
    /// Timestamped lines, no escape codes: logs, pipes, `NO_COLOR`.
    Plain,
}

impl Style {
    /// [`Style::Live`] when stderr is a terminal that can redraw (`TERM`
    /// is not `dumb`) and `NO_COLOR` is unset.
    pub fn detect() -> Style {
        let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
        if std::io::stderr().is_terminal() && !crate::logging::no_color() && !dumb {
            Style::Live
        } else {
            Style::Plain
        }
    }
}

/// The live view and the interactive operator for one drill, sharing their
/// state. `operator` is who starts at the terminal. The operator reads the
/// terminal (stdin) once [`Operator::start`](crate::exec::Operator::start)
/// is called.
pub fn terminal(runbook: &Runbook, style: Style, operator: &Identity) -> (View, TerminalOperator) {
    let shared = Shared::new(
        runbook,
        style,
        Out::Stderr,
        Some(Session::new(runbook, operator)),
    );
    (
        View::from_shared(shared.clone()),
        TerminalOperator::new(shared, operator::Source::Terminal),
    )
}

/// Like [`terminal`], with the plain style, reading answers from `input`
/// (one command per line) and writing everything to `output`: for tests
/// and for driving the prompt from a script.
pub fn scripted(
    runbook: &Runbook,
    operator: &Identity,
    input: impl std::io::BufRead + Send + 'static,
    output: impl Write + Send + 'static,
) -> (View, TerminalOperator) {
    let shared = Shared::new(
        runbook,
        Style::Plain,
        Out::Writer(Box::new(output)),
        Some(Session::new(runbook, operator)),
    );
    (
        View::from_shared(shared.clone()),
        TerminalOperator::new(shared, operator::Source::Lines(Box::new(input))),
    )
}

/// Where plain lines go.
enum Out {
    Stderr,
    Writer(Box<dyn Write + Send>),
}

/// The state the view and the operator share.
pub(crate) struct Shared {
    style: Style,
    palette: Palette,
    tz: TimeZone,
    state: Mutex<State>,
}

pub(crate) struct State {
    timeline: Timeline,
    info: Vec<StepInfo>,
    /// Step position by id (events carry ids).
    index: HashMap<String, usize>,
    /// Steps that have a line on the live view (ready, running, or failed
    /// and waiting), kept as events arrive so that a redraw never walks
    /// every step of a large runbook.
    active: BTreeSet<usize>,
    /// Last output line of each step, by step index.
    last_output: Vec<Option<String>>,
    /// When the bars were last redrawn because of an event.
    last_redraw: Option<Instant>,
    session: Option<Session>,
    editor: Editor,
    out: Out,
    /// Masks secrets in everything printed (values given with `--var` or
    /// typed at a prompt are not in the runbook).
    redactor: Redactor,
    bars: Option<view::Bars>,
}

impl Shared {
    fn new(runbook: &Runbook, style: Style, out: Out, session: Option<Session>) -> Arc<Shared> {
        let info = StepInfo::all(runbook);
        // Operators read local time; unit tests pin UTC so their expected
        // lines hold on any machine.
        let tz = if cfg!(test) {
            TimeZone::UTC
        } else {
            TimeZone::system()
        };
        let shared = Arc::new(Shared {
            style,
            palette: Palette::new(style == Style::Live, drill_lang(runbook)),
            tz,
            state: Mutex::new(State {
                timeline: Timeline::new(),
                last_output: vec![None; info.len()],
                index: info
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (s.id.clone(), i))
                    .collect(),
                active: BTreeSet::new(),
                last_redraw: None,
                info,
                session,
                editor: Editor::default(),
                out,
                redactor: Redactor::new(runbook.secret_values()),
                bars: None,
            }),
        });
        if style == Style::Live {
            let bars = view::Bars::new(shared.state().session.is_some());
            shared.state().bars = Some(bars);
            view::spawn_refresher(&shared);
        }
        shared
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere must not take the display down with it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl State {
    /// Prints lines above the bars (live) or as they are (plain).
    fn print(&mut self, lines: &[String]) {
        if lines.is_empty() {
            return;
        }
        let glyphs = glyphs::chosen();
        let lines: Vec<String> = lines
            .iter()
            .map(|l| glyphs.render(&self.redactor.redact(l)).into_owned())
            .collect();
        if let Some(bars) = &self.bars
            && bars.visible()
        {
            // Broken between words, not by the terminal mid-word.
            for l in wrap::at_stderr(&lines) {
                bars.println(&l);
            }
            return;
        }
        // Plain lines on a terminal (the header before the live view, or
        // `NO_COLOR`) are broken between words too; a pipe gets them whole.
        let lines = match self.out {
            Out::Stderr if std::io::stderr().is_terminal() => wrap::at_stderr(&lines),
            _ => lines,
        };
        let mut text = lines.join("\n");
        text.push('\n');
        let _ = match &mut self.out {
            Out::Stderr => {
                crate::outbox::print(&text);
                Ok(())
            }
            Out::Writer(w) => w.write_all(text.as_bytes()).and_then(|()| w.flush()),
        };
    }

    /// The position of a step by id.
    fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Applies an event to the timeline and keeps [`State::active`] in step.
    fn apply(&mut self, event: &crate::event::Stamped) {
        use crate::timeline::StepState;
        self.timeline.apply(event);
        if let crate::event::Event::StepAdded { step, .. } = &event.event
            && !self.index.contains_key(step.as_str())
            && let Some(rec) = self.timeline.step(step.as_str())
        {
            // The plan grew: the new step is shown and answered like the
            // others, under its item number.
            self.index.insert(step.to_string(), self.info.len());
            self.info.push(StepInfo::added(&event.event, rec));
            self.last_output.push(None);
            if let Some(session) = &mut self.session {
                session.added(step.as_str());
            }
        }
        let Some(i) = event.event.step().and_then(|id| self.position(id.as_str())) else {
            return;
        };
        match self.timeline.steps.get(i).map(|r| r.state) {
            Some(StepState::Pending | StepState::Finished(_)) | None => {
                self.active.remove(&i);
            }
            Some(_) => {
                self.active.insert(i);
            }
        }
        if let crate::event::Event::StepStarted { .. } = event.event
            && let Some(slot) = self.last_output.get_mut(i)
        {
            *slot = None;
        }
    }

    /// Redraws the bars (live style only).
    fn redraw(&mut self, now: Timestamp, palette: Palette) {
        let Some(mut bars) = self.bars.take() else {
            return;
        };
        let mut steps = self.active.clone();
        if let Some(session) = &self.session {
            steps.extend(session.items().map(|i| i.question.step().get()));
        }
        bars.update(self, &steps, now, palette);
        self.bars = Some(bars);
    }

    /// Redraws after a batch of events, at most every 50 ms: the refresher
    /// catches up with anything skipped.
    fn redraw_soon(&mut self, palette: Palette) {
        const GAP: StdDuration = StdDuration::from_millis(50);
        if self.bars.is_none() || self.last_redraw.is_some_and(|t| t.elapsed() < GAP) {
            return;
        }
        self.last_redraw = Some(Instant::now());
        self.redraw(Timestamp::now(), palette);
    }
}

/// The language a drill's terminals speak: the runbook's `lang:`, then the
/// environment's (`LANG`…), as for the report and the summary. Unit tests
/// read only the runbook, so that a French machine does not change them.
pub fn drill_lang(runbook: &Runbook) -> crate::i18n::Lang {
    if cfg!(test) {
        let lang = runbook.exercise.lang.as_deref();
        lang.and_then(crate::i18n::Lang::parse).unwrap_or_default()
    } else {
        crate::i18n::Lang::for_runbook(runbook.exercise.lang.as_deref())
    }
}

#[cfg(test)]
pub(crate) fn test_runbook() -> Runbook {
    use crate::runbook::{Command, Duration, Located, Phase, PhaseId, Span, Step, StepId};
    let step = |id: &str, title: &str, run: Option<&str>| Step {
        run: run.map(|r| Located::new(Command::Shell(r.to_string()), Span::default())),
        ..Step::new(StepId::new(id), title, 0)
    };
    let mut a = step("call-vendor", "Call the storage vendor", None);
    a.role = Some("storage".into());
    a.estimate = Some(Located::new(Duration::from_secs(600), Span::default()));
    a.instructions = Some("## Vendor\nOpen a **P1** ticket at [the portal](https://example.com).\n- ask for a field engineer\n```\nticket --p1\n```\n".into());
    let mut b = step("check-backups", "Check last night's backups", None);
    b.role = Some("dba".into());
    let mut c = step(
        "restart-app",
        "Restart the application",
        Some("systemctl restart app"),
    );
    c.estimate = Some(Located::new(Duration::from_secs(120), Span::default()));
    c.rollback = Some(crate::runbook::Rollback::Command(Located::new(
        Command::Argv(vec!["systemctl".into(), "stop".into(), "app".into()]),
        Span::default(),
    )));
    Runbook {
        version: 1,
        name: "Storage failover".into(),
        description: None,
        owner: None,
        contacts: None,
        objectives: crate::runbook::Objectives {
            rto: Some(Located::new(Duration::from_secs(3600), Span::default())),
            rpo: None,
            services: Vec::new(),
        },
        vars: Vec::new(),
        phases: vec![Phase {
            id: Located::new(PhaseId::new("main"), Span::default()),
            title: "main".into(),
            needs: None,
            steps: 0..3,
            implicit: true,
        }],
        steps: vec![a, b, c],
        hosts: Vec::new(),
        exercise: Default::default(),
        notify: Vec::new(),
        roles: Vec::new(),
        jobs: None,
    }
}

/// `run_started` for [`test_runbook`] at `time`.
#[cfg(test)]
pub(crate) fn test_started(time: &str) -> crate::event::Stamped {
    use crate::event::{Event, PlannedPhase, PlannedStep, Stamped};
    let rb = test_runbook();
    Stamped {
        time: time.parse().unwrap(),
        event: Event::RunStarted {
            origin: Default::default(),
            runbook: "failover.yaml".into(),
            runbook_sha256: "00".into(),
            name: rb.name.clone(),
            mode: crate::runbook::Mode::Drill,
            dry_run: false,
            operator: "alice".into(),
            host: "ops1".into(),
            reprise_version: "0.1.0".into(),
            rto: rb.objectives.rto.map(|r| r.value),
            rpo: None,
            services: Vec::new(),
            phases: vec![PlannedPhase {
                id: crate::runbook::PhaseId::new("main"),
                title: "main".into(),
            }],
            steps: rb
                .steps
                .iter()
                .map(|s| PlannedStep {
                    role: s.role.clone(),
                    estimate: s.estimate.map(|e| e.value),
                    critical: s.critical,
                    ..PlannedStep::new(
                        s.id.value.clone(),
                        s.title.clone(),
                        crate::runbook::PhaseId::new("main"),
                        s.kind(),
                    )
                })
                .collect(),
            exercise: None,
        },
    }
}

/// An event at `time` (`HH:MM:SS` on 2026-11-29, UTC).
#[cfg(test)]
pub(crate) fn at(time: &str, event: crate::event::Event) -> crate::event::Stamped {
    crate::event::Stamped {
        time: format!("2026-11-29T{time}Z").parse().unwrap(),
        event,
    }
}
