//! Roles and approvals in the engine, on a fake clock: who may record a
//! step, coordinators recording for another role, and `approvals: N`.

use super::tests::{engine, manual, runbook, step};
use super::*;
use crate::exec::access::Access;
use crate::identity::{Identity, Origin};
use crate::roles::{Directory, Membership, Role};
use crate::runbook::{Located, Span};

struct NoGroups;
impl Directory for NoGroups {
    fn has_account(&self, _: &str) -> bool {
        true
    }
    fn has_group(&self, _: &str) -> bool {
        true
    }
    fn group_members(&self, _: &str) -> Vec<String> {
        Vec::new()
    }
}

fn role(name: &str, members: &[&str]) -> Role {
    Role {
        name: Located::new(name.into(), Span::default()),
        members: members
            .iter()
            .map(|m| Located::new(m.to_string(), Span::default()))
            .collect(),
        groups: Vec::new(),
        span: Span::default(),
    }
}

fn who(account: &str) -> Identity {
    Identity::new(
        format!("{account}-name"),
        Origin {
            account: Some(account.into()),
            ..Origin::default()
        },
    )
}

/// `switch` (storage, confirm, approvals 2), `sample` (lab, manual),
/// `report` (storage, manual, approvals: given).
fn drill(approvals: Option<u32>) -> Runbook {
    let mut switch = step("switch", Some("true"));
    switch.confirm = true;
    switch.role = Some("storage".into());
    switch.approvals = approvals.map(|n| Located::new(n, Span::default()));
    let mut sample = manual("sample");
    sample.role = Some("lab".into());
    let mut rb = runbook(vec![switch, sample]);
    rb.roles = vec![
        role("storage", &["stor1", "stor2"]),
        role("lab", &["labo1"]),
        role("coordinator", &["coord1"]),
    ];
    rb
}

struct Run<'a> {
    engine: Engine<'a>,
    now: Timestamp,
    events: Vec<Event>,
    actions: Vec<Action>,
}

impl<'a> Run<'a> {
    fn new(rb: &'a Runbook, mode: Mode) -> Self {
        let config = Config {
            jobs: 4,
            mode,
            operator: who("root"),
            access: Access::new(Membership::resolve(rb, &NoGroups), Some("root".into())),
            ..Config::default()
        };
        let mut run = Run {
            engine: engine(rb, config),
            now: "2026-11-29T08:00:00Z".parse().unwrap(),
            events: Vec::new(),
            actions: Vec::new(),
        };
        run.send(Input::Start);
        run
    }

    fn send(&mut self, input: Input) {
        self.now += jiff::SignedDuration::from_secs(1);
        for o in self.engine.handle(self.now, input) {
            match o {
                Output::Event(e) => self.events.push(e.event),
                Output::Action(a) => self.actions.push(a),
            }
        }
    }

    fn run_switch(&mut self, account: &str, auto: bool) {
        self.send(Input::Operator(OperatorInput::Decide {
            step: StepIndex(0),
            decision: Decision::Run,
            reason: None,
            by: who(account),
            auto,
        }));
    }

    fn done_sample(&mut self, account: &str) {
        self.send(Input::Operator(OperatorInput::Record {
            step: StepIndex(1),
            outcome: Outcome::Done,
            reason: None,
            by: who(account),
            auto: false,
        }));
    }

    fn started(&self) -> bool {
        self.actions
            .iter()
            .any(|a| matches!(a, Action::StartCommand(l) if l.step == StepIndex(0)))
    }

    fn refusals(&self) -> Vec<String> {
        self.actions
            .iter()
            .filter_map(|a| match a {
                Action::Refused { message, .. } => Some(message.clone()),
                _ => None,
            })
            .collect()
    }

    fn approvals(&self) -> Vec<(bool, String, u32, u32)> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::Approval {
                    approved,
                    origin,
                    count,
                    needed,
                    ..
                } => Some((*approved, origin.account.clone().unwrap(), *count, *needed)),
                _ => None,
            })
            .collect()
    }

    fn finished(&self, id: &str) -> Option<&Event> {
        self.events
            .iter()
            .find(|e| matches!(e, Event::StepFinished { step, .. } if step.as_str() == id))
    }
}

#[test]
fn a_member_records_its_roles_step_and_is_refused_on_another() {
    let rb = drill(None);
    let mut r = Run::new(&rb, Mode::Drill);
    r.done_sample("stor1");
    assert!(r.finished("sample").is_none(), "stor1 is not in lab");
    let refusals = r.refusals();
    assert_eq!(refusals.len(), 1);
    assert!(
        refusals[0].contains("account `stor1` may not record step 2 `sample`")
            && refusals[0].contains("role `lab` (labo1)"),
        "{}",
        refusals[0]
    );
    // The question is put again: the step stays open.
    assert!(matches!(
        r.actions.last(),
        Some(Action::Ask(Question::Manual { step })) if *step == StepIndex(1)
    ));
    r.done_sample("labo1");
    match r.finished("sample") {
        Some(Event::StepFinished {
            outcome: Outcome::Done,
            origin,
            ..
        }) => {
            assert_eq!(origin.account.as_deref(), Some("labo1"));
            assert_eq!(origin.for_role, None);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_coordinator_records_any_step_and_says_for_which_role() {
    let rb = drill(None);
    for coordinator in ["coord1", "root"] {
        let mut r = Run::new(&rb, Mode::Drill);
        r.done_sample(coordinator);
        match r.finished("sample") {
            Some(Event::StepFinished { origin, .. }) => {
                assert_eq!(origin.for_role.as_deref(), Some("lab"), "{coordinator}")
            }
            other => panic!("{coordinator}: {other:?}"),
        }
        r.run_switch(coordinator, false);
        assert!(r.events.iter().any(|e| matches!(
            e,
            Event::Decision { origin, .. } if origin.for_role.as_deref() == Some("storage")
        )));
        assert!(r.started());
    }
}

#[test]
fn two_approvals_need_two_distinct_accounts() {
    let rb = drill(Some(2));
    let mut r = Run::new(&rb, Mode::Drill);
    r.run_switch("stor1", false);
    assert!(!r.started(), "one approval of two");
    // The same account again counts once and is told so.
    r.run_switch("stor1", false);
    assert!(!r.started(), "the same account twice counts once");
    assert!(
        r.refusals()
            .last()
            .is_some_and(|m| m.contains("already approved")),
        "{:?}",
        r.refusals()
    );
    // Someone outside the role does not count either.
    r.run_switch("labo1", false);
    assert!(!r.started());
    r.run_switch("stor2", false);
    assert!(r.started(), "two distinct accounts");
    assert_eq!(
        r.approvals(),
        vec![(true, "stor1".into(), 1, 2), (true, "stor2".into(), 2, 2)]
    );
    // The decision that let it run is the second approver's.
    assert!(r.events.iter().any(|e| matches!(
        e,
        Event::Decision { decision: Decision::Run, origin, .. }
            if origin.account.as_deref() == Some("stor2")
    )));
}

#[test]
fn a_refusal_is_recorded_and_the_step_stays_waiting() {
    let rb = drill(Some(2));
    let mut r = Run::new(&rb, Mode::Drill);
    r.run_switch("stor1", false);
    let refuse = |reason: Option<&str>| {
        Input::Operator(OperatorInput::Refuse {
            step: StepIndex(0),
            reason: reason.map(Into::into),
            by: who("stor2"),
        })
    };
    r.send(refuse(None));
    assert_eq!(r.approvals().len(), 1, "a refusal needs a reason");
    r.send(refuse(Some("the DR array is not in sync yet")));
    assert_eq!(r.approvals().last(), Some(&(false, "stor2".into(), 1, 2)));
    assert!(!r.started());
    assert!(r.finished("switch").is_none());
    // stor2 changes its mind later: now two.
    r.run_switch("stor2", false);
    assert!(r.started());
}

#[test]
fn auto_confirmation_skips_the_count_in_a_drill_never_in_an_incident() {
    let rb = drill(Some(2));
    let mut r = Run::new(&rb, Mode::Drill);
    r.run_switch("root", true);
    assert!(r.started());
    assert!(r.approvals().is_empty());
    assert!(r.events.iter().any(|e| matches!(
        e,
        Event::Decision {
            source: Source::AutoConfirmed,
            ..
        }
    )));

    let mut r = Run::new(&rb, Mode::Incident);
    r.run_switch("root", true);
    assert!(!r.started());
    assert!(
        r.refusals()[0].contains("never approved automatically"),
        "{:?}",
        r.refusals()
    );
}

#[test]
fn without_roles_nothing_changes() {
    let mut rb = drill(None);
    rb.roles.clear();
    let mut r = Run::new(&rb, Mode::Drill);
    r.done_sample("anyone");
    assert!(matches!(
        r.finished("sample"),
        Some(Event::StepFinished { origin, .. }) if origin.for_role.is_none()
    ));
    assert!(r.refusals().is_empty());
}
