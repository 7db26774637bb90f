//! What an attached terminal sees: the same lines and the same live region
//! as the terminal that runs the drill, drawn by the drill for each client
//! (its size, its colours, its roles), so that a client needs neither the
//! runbook nor the journal.
//!
//! [`Board`] folds the recorded events into a [`Timeline`] once for every
//! client; [`Board::frame`] draws one client's live region with
//! [`terminal::frame::frame_for`](crate::terminal::frame::frame_for): the
//! open items of the client's roles first, the other roles counted.

use std::collections::{BTreeSet, HashMap};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::event::Stamped;
use crate::exec::Question;
use crate::i18n::Lang;
use crate::redact::Redactor;
use crate::roles::Membership;
use crate::runbook::Runbook;
use crate::terminal::frame::{self, Live, Size};
use crate::terminal::lines::{self, Palette, Show, StepInfo};
use crate::terminal::prompt::Session;
use crate::timeline::{StepState, Timeline};

/// A terminal's size as the client sends it (`{"rows": 50, "cols": 132}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WinSize {
    /// Lines.
    pub rows: u16,
    /// Columns.
    pub cols: u16,
}

impl WinSize {
    /// The size the frame is drawn for; a zero dimension (a terminal that
    /// does not say) is the classic 80×24.
    pub fn size(self) -> Size {
        if self.rows == 0 || self.cols == 0 {
            Size::CLASSIC
        } else {
            Size {
                rows: self.rows,
                cols: self.cols,
            }
        }
    }
}

/// How one client draws.
#[derive(Debug, Clone, Default)]
pub struct Look {
    /// Its terminal's size: with one, it gets the live region.
    pub size: Option<WinSize>,
    /// It shows colours.
    pub color: bool,
    /// The roles whose items come first (`--role`, or the account's).
    pub roles: BTreeSet<String>,
}

impl Look {
    fn palette(&self, lang: Lang) -> Palette {
        Palette::new(self.color, lang)
    }
}

/// What a client's live region depends on besides the drill and the
/// time: clients with equal keys are sent the same frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameKey {
    size: Option<WinSize>,
    color: bool,
    roles: BTreeSet<String>,
    open: Vec<usize>,
    prompt: String,
}

impl FrameKey {
    /// The key of a client with this prompt state and look.
    pub fn of(session: &Session, look: &Look) -> FrameKey {
        let mut open: Vec<usize> = session.items().map(|i| i.question.step().get()).collect();
        open.sort_unstable();
        FrameKey {
            size: look.size,
            color: look.color,
            roles: look.roles.clone(),
            open,
            prompt: session.prompt(),
        }
    }
}

/// The live region sent to a client (`{"frame": …}`): its item lines and
/// overall line, already fitted to its terminal, and the prompt it draws
/// with what is being typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameMsg {
    /// Item lines, top to bottom (with `+N more` lines).
    pub items: Vec<String>,
    /// Steps ended, running, waiting, time against the RTO.
    pub overall: String,
    /// The prompt (`reprise> `, or a follow-up question).
    pub prompt: String,
}

/// The drill as the attached terminals see it.
pub struct Board {
    timeline: Timeline,
    info: Vec<StepInfo>,
    index: HashMap<String, usize>,
    /// Steps ready, running or failed (the ones that may have a row).
    active: BTreeSet<usize>,
    tz: TimeZone,
    redactor: Redactor,
    membership: Membership,
    /// The drill's language: every client sees the drill's words.
    lang: Lang,
}

impl Board {
    /// Nothing recorded yet.
    pub fn new(runbook: &Runbook) -> Board {
        let info = StepInfo::all(runbook);
        Board {
            timeline: Timeline::new(),
            index: info
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.clone(), i))
                .collect(),
            info,
            active: BTreeSet::new(),
            tz: TimeZone::system(),
            redactor: Redactor::new(runbook.secret_values()),
            membership: Membership::resolve(runbook, &crate::roles::System),
            lang: crate::terminal::drill_lang(runbook),
        }
    }

    /// The drill's language (the runbook's `lang:`).
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Also masks these secrets (given with `--var` or at a prompt).
    pub fn set_redactor(&mut self, redactor: Redactor) {
        self.redactor = redactor;
    }

    /// Whether the drill has its result (`run_finished`).
    pub fn ended(&self) -> bool {
        self.timeline.result.is_some()
    }

    /// The step of that id.
    pub fn position(&self, id: &str) -> Option<crate::runbook::StepIndex> {
        self.index
            .get(id)
            .map(|&i| crate::runbook::StepIndex(i as u32))
    }

    /// Every role of the drill's steps (added steps included).
    pub fn roles(&self) -> BTreeSet<String> {
        self.info.iter().filter_map(|s| s.role.clone()).collect()
    }

    /// The roles `account` belongs to under the runbook's `roles:`.
    pub fn roles_of(&self, account: Option<&str>) -> BTreeSet<String> {
        let Some(account) = account else {
            return BTreeSet::new();
        };
        self.info
            .iter()
            .filter_map(|s| s.role.clone())
            .filter(|r| self.membership.is_member(r, account))
            .collect()
    }

    /// The event as it may leave the drill: secrets masked (the event
    /// itself when there are none to mask).
    pub fn masked<'a>(&self, event: &'a Stamped) -> std::borrow::Cow<'a, Stamped> {
        if self.redactor.is_empty() {
            return std::borrow::Cow::Borrowed(event);
        }
        match crate::journal::writer_redact_event(&self.redactor, &event.event) {
            Ok(e) => std::borrow::Cow::Owned(Stamped {
                time: event.time,
                event: e,
            }),
            Err(_) => std::borrow::Cow::Borrowed(event),
        }
    }

    /// Folds a recorded event (escaped for terminals first).
    pub fn apply(&mut self, event: &Stamped) {
        let event = crate::escape::stamped(event);
        self.timeline.apply(&event);
        // The plan grew (`step_added`, live or replayed on resume): the new
        // step has a row and its question its words, as at `run`.
        if let crate::event::Event::StepAdded { step, .. } = &event.event
            && !self.index.contains_key(step.as_str())
            && let Some(rec) = self.timeline.step(step.as_str())
        {
            self.index.insert(step.to_string(), self.info.len());
            self.info.push(StepInfo::added(&event.event, rec));
        }
        let Some(i) = event
            .event
            .step()
            .and_then(|id| self.index.get(id.as_str()).copied())
        else {
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
    }

    /// The lines `run` prints for `event`, once it has been applied.
    pub fn event_lines(&self, event: &Stamped, look: &Look) -> Vec<String> {
        let event = crate::escape::stamped(event);
        let show = Show {
            palette: look.palette(self.lang),
            live: look.size.is_some(),
            operator: true,
        };
        lines::event_lines(&self.timeline, &event, &self.tz, show)
            .into_iter()
            .map(|l| self.redactor.redact(&l).into_owned())
            .collect()
    }

    /// What a client is told when a question opens as its item `number`.
    pub fn question_lines(&self, q: &Question, number: u32, look: &Look) -> Vec<String> {
        let lines = match self.info.get(q.step().get()) {
            Some(info) => lines::question_lines(
                q,
                number,
                info,
                Timestamp::now(),
                &self.tz,
                look.palette(self.lang),
            ),
            None => vec![crate::terminal::lines::is_open(
                number,
                look.palette(self.lang),
            )],
        };
        lines
            .into_iter()
            .map(|l| self.redactor.redact(&l).into_owned())
            .collect()
    }

    /// The client's live region at `now`, or `None` for a client that
    /// gave no size (a script, a pipe: it gets lines only).
    pub fn frame(&self, session: &Session, look: &Look, now: Timestamp) -> Option<FrameMsg> {
        let size = look.size?.size();
        let open: BTreeSet<usize> = session.items().map(|i| i.question.step().get()).collect();
        let mut steps = self.active.clone();
        steps.extend(open.iter().copied());
        let prompt = session.prompt();
        let live = Live {
            timeline: &self.timeline,
            steps: &steps,
            open: &open,
            last_output: &[],
            prompt: Some((&prompt, "")),
        };
        let f = frame::frame_for(&live, &look.roles, now, size, look.palette(self.lang));
        let redact = |l: String| self.redactor.redact(&l).into_owned();
        Some(FrameMsg {
            items: f.items.into_iter().map(redact).collect(),
            overall: redact(f.overall),
            prompt,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Event;
    use crate::identity::Identity;
    use crate::runbook::StepId;
    use crate::terminal::{at, test_runbook, test_started};

    #[test]
    fn a_team_client_gets_its_items_first_in_its_size() {
        let rb = test_runbook();
        let mut board = Board::new(&rb);
        board.apply(&test_started("2026-11-29T08:00:00Z"));
        for id in ["call-vendor", "check-backups"] {
            board.apply(&at(
                "08:00:00",
                Event::StepReady {
                    step: StepId::new(id),
                },
            ));
        }
        let mut session = Session::new(&rb, &Identity::local("bob"));
        for (i, id) in ["call-vendor", "check-backups"].iter().enumerate() {
            let _ = id;
            let q = Question::Manual {
                step: crate::runbook::StepIndex(i as u32),
            };
            session.ask(&q);
        }
        let now: Timestamp = "2026-11-29T08:05:00Z".parse().unwrap();
        let mut look = Look {
            size: None,
            color: false,
            roles: ["dba".to_string()].into(),
        };
        assert_eq!(board.frame(&session, &look, now), None, "no size, no frame");
        look.size = Some(WinSize { rows: 24, cols: 80 });
        let f = board.frame(&session, &look, now).unwrap();
        assert!(
            f.items[0].contains("#2") && f.items[0].contains("check-backups"),
            "{f:?}"
        );
        assert!(f.items[1].contains("+1 for other roles"), "{f:?}");
        assert!(f.overall.starts_with("drill 0/3"), "{f:?}");
        assert_eq!(f.prompt, "reprise> ");
        look.size = Some(WinSize {
            rows: 24,
            cols: 150,
        });
        let wide = board.frame(&session, &look, now).unwrap();
        assert!(
            wide.items[0].contains("Check last night's backups"),
            "{wide:?}"
        );
        assert!(!f.items[0].contains("Check last night's backups"), "{f:?}");
    }
}
