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
                Action::Refused { refusal, .. } => Some(refusal.to_string()),
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

// ---- changes to the plan ------------------------------------------------

fn change(r: &mut Run<'_>, account: &str, change: crate::exec::PlanChange) {
    r.send(Input::Operator(OperatorInput::ChangePlan {
        change,
        by: who(account),
    }));
}

#[test]
fn a_cancelled_step_is_skipped_by_the_operator_and_its_dependents_go_on() {
    use crate::exec::PlanChange;
    let mut order = step("order-part", None);
    order.role = Some("storage".into());
    let mut after = step("after", None);
    after.needs = vec![Located::new("order-part".into(), Span::default())];
    after.role = Some("storage".into());
    let mut rb = runbook(vec![step("first", None), order, after]);
    rb.steps[1].needs = vec![Located::new("first".into(), Span::default())];
    rb.roles = vec![role("storage", &["stor1"]), role("lab", &["labo1"])];
    let mut r = Run::new(&rb, Mode::Drill);
    // Pending (its need is open): cancelled before it is ever ready.
    let cancel = |reason: Option<&str>| PlanChange::Cancel {
        step: StepIndex(1),
        reason: reason.map(Into::into),
    };
    change(&mut r, "stor1", cancel(None));
    assert!(r.refusals().last().unwrap().contains("needs a reason"));
    change(&mut r, "labo1", cancel(Some("not ours")));
    assert!(r.refusals().last().unwrap().contains("role `storage`"));
    assert!(r.finished("order-part").is_none());
    change(
        &mut r,
        "stor1",
        cancel(Some("the vendor shipped the part already")),
    );
    assert!(r.events.iter().any(|e| matches!(
        e,
        Event::StepCancelled { step, reason, .. }
            if step.as_str() == "order-part" && reason.contains("vendor")
    )));
    match r.finished("order-part") {
        Some(Event::StepFinished {
            outcome: Outcome::Skipped,
            source: Source::Operator,
            reason: Some(reason),
            ..
        }) => assert!(reason.contains("vendor")),
        other => panic!("{other:?}"),
    }
    // Its dependent goes on at once: what it needed has ended (skipped).
    assert!(
        r.events
            .iter()
            .any(|e| matches!(e, Event::StepReady { step } if step.as_str() == "after"))
    );
    r.send(Input::Operator(OperatorInput::Record {
        step: StepIndex(0),
        outcome: Outcome::Done,
        reason: None,
        by: who("root"),
        auto: false,
    }));
    // A finished step cannot be cancelled.
    let before = r.events.len();
    change(
        &mut r,
        "root",
        PlanChange::Cancel {
            step: StepIndex(0),
            reason: Some("too late".into()),
        },
    );
    assert_eq!(r.events.len(), before);
    assert!(r.refusals().last().unwrap().contains("has ended already"));
}

#[test]
fn a_running_command_is_not_cancelled() {
    use crate::exec::PlanChange;
    let rb = runbook(vec![step("copy", Some("sleep 9"))]);
    let mut r = Run::new(&rb, Mode::Drill);
    assert!(
        r.started()
            || r.actions
                .iter()
                .any(|a| matches!(a, Action::StartCommand(_)))
    );
    change(
        &mut r,
        "root",
        PlanChange::Cancel {
            step: StepIndex(0),
            reason: Some("not needed".into()),
        },
    );
    assert!(r.refusals().last().unwrap().contains("is running"));
    assert!(r.finished("copy").is_none());
}

#[test]
fn estimates_and_assignments_are_recorded_and_an_assignee_may_record() {
    use crate::exec::PlanChange;
    let rb = drill(None);
    let mut r = Run::new(&rb, Mode::Drill);
    change(
        &mut r,
        "labo1",
        PlanChange::Estimate {
            step: StepIndex(1),
            estimate: Some(crate::runbook::Duration::from_secs(7200)),
            until: None,
            reason: Some("the part arrives late".into()),
        },
    );
    assert!(r.events.iter().any(|e| matches!(
        e,
        Event::EstimateRevised { estimate: Some(d), previous: None, .. } if d.as_secs() == 7200
    )));
    // The lab's step handed to the storage role: stor1 may now record it,
    // labo1 may not.
    change(
        &mut r,
        "root",
        PlanChange::Assign {
            step: StepIndex(1),
            to: "storage".into(),
            reason: Some("night shift".into()),
        },
    );
    assert!(r.events.iter().any(|e| matches!(
        e,
        Event::StepAssigned { to, previous: Some(p), .. } if to == "storage" && p == "lab"
    )));
    r.done_sample("labo1");
    assert!(r.finished("sample").is_none());
    r.done_sample("stor1");
    assert!(r.finished("sample").is_some());
    // Handed to a person: that account may record it.
    let mut r = Run::new(&rb, Mode::Drill);
    change(
        &mut r,
        "root",
        PlanChange::Assign {
            step: StepIndex(1),
            to: "stor2".into(),
            reason: Some("stor2 is on site".into()),
        },
    );
    r.done_sample("stor2");
    assert!(r.finished("sample").is_some());
}

/// What adding a step as `account` gives: `added #N` or the refusal.
fn add(r: &mut Run<'_>, account: &str, role: Option<&str>, before: &[u32]) -> String {
    r.actions.clear();
    let added = r.events.len();
    r.send(Input::Operator(OperatorInput::Add {
        step: crate::exec::added::NewStep {
            title: "Restore vol7".into(),
            role: role.map(str::to_string),
            after: vec![StepIndex(0)],
            before: before.iter().map(|n| StepIndex(n - 1)).collect(),
            reason: Some("vol7 is corrupted".into()),
            ..Default::default()
        },
        by: who(account),
    }));
    let refused = r.actions.iter().find_map(|a| match a {
        Action::Refused { refusal, .. } => Some(refusal.to_string()),
        _ => None,
    });
    let recorded = r.events[added..].iter().find_map(|e| match e {
        Event::StepAdded { number, .. } => Some(format!("added #{number}")),
        _ => None,
    });
    match (recorded, refused) {
        (Some(a), None) => a,
        (None, Some(m)) => m,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_member_adds_steps_for_its_own_role_in_front_of_its_own_steps() {
    // `sample` (lab) then `check` (storage).
    let mut sample = manual("sample");
    sample.role = Some("lab".into());
    let mut check = super::tests::needs(manual("check"), &["sample"]);
    check.role = Some("storage".into());
    let mut rb = runbook(vec![sample, check]);
    rb.roles = drill(None).roles;
    let mut r = Run::new(&rb, Mode::Drill);

    // Not for another team, nor without a role, nor an unknown role.
    assert_eq!(
        add(&mut r, "labo1", Some("storage"), &[]),
        "refused: account `labo1` may add steps only for its own roles (lab), not for \
         `storage`: ask a member of `storage` or a coordinator (root, coord1); nothing was added"
    );
    assert!(add(&mut r, "labo1", None, &[]).contains("give it one (`role NAME`)"));
    assert!(add(&mut r, "root", Some("lba"), &[]).contains("did you mean `lab`?"));
    // Holding back another team's step is a coordinator's call.
    assert_eq!(
        add(&mut r, "labo1", Some("lab"), &[2]),
        "refused: only those who may record step 2 `check` (`storage`) or a coordinator \
         (root, coord1) may make it wait for a new step; nothing was added"
    );
    assert!(
        !r.events
            .iter()
            .any(|e| matches!(e, Event::StepAdded { .. })),
        "nothing recorded"
    );
    // Its own role, in front of its own steps: allowed; a coordinator
    // anything.
    assert_eq!(add(&mut r, "labo1", Some("lab"), &[]), "added #3");
    assert_eq!(add(&mut r, "stor1", Some("storage"), &[2]), "added #4");
    assert_eq!(add(&mut r, "coord1", Some("lab"), &[2]), "added #5");
    assert_eq!(add(&mut r, "root", None, &[]), "added #6");
}
