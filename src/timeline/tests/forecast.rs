//! Waits and the forecast: job slots, what is left from now, holds.

use super::*;

/// A command waiting for a free job slot (`--jobs`) is not running late:
/// the wait is not the step's own time, and while it waits the wait is
/// what it shows. A confirmed command waits for a slot after its `run`.
#[test]
fn job_slot_waits_are_not_a_steps_own_time() {
    let events = vec![
        started(
            vec![
                step("a", StepKind::Command, Some(5), &[]),
                step("b", StepKind::Command, Some(5), &[]),
                step("c", StepKind::Confirm, Some(5), &[]),
            ],
            None,
        ),
        ready(0, 0, "a"),
        ready(0, 0, "b"),
        ready(0, 0, "c"),
        start(0, 0, "a", 1),
        decision(1, 0, "c", Decision::Run),
        attempt_end(4, 0, "a", 1, 0),
        finish(4, 0, "a", Outcome::Done, Source::Command),
        start(4, 0, "b", 1),
    ];
    let tl = Timeline::from_events(&events);
    let b = tl.step("b").unwrap();
    assert_eq!(
        b.duration(at(6, 0)),
        Some(mins(2)),
        "b waited 4m for a slot"
    );
    assert_eq!(b.waiting_for_slot(at(6, 0)), None, "b runs");
    let c = tl.step("c").unwrap();
    assert_eq!(
        c.waiting_for_slot(at(6, 0)),
        Some(mins(5)),
        "since its `run`"
    );
    assert_eq!(
        c.duration(at(6, 0)),
        Some(mins(1)),
        "the minute waiting for the operator's go counts, the slot wait does not"
    );
    let mut later = events.clone();
    later.extend([
        attempt_end(7, 0, "b", 1, 0),
        finish(7, 0, "b", Outcome::Done, Source::Command),
        start(7, 0, "c", 1),
        attempt_end(9, 0, "c", 1, 0),
        finish(9, 0, "c", Outcome::Done, Source::Command),
    ]);
    let tl = Timeline::from_events(&later);
    assert_eq!(tl.step("b").unwrap().duration(at(20, 0)), Some(mins(3)));
    assert_eq!(tl.step("c").unwrap().duration(at(20, 0)), Some(mins(3)));
    assert_eq!(tl.step("a").unwrap().duration(at(20, 0)), Some(mins(4)));
}

#[test]
fn the_forecast_counts_what_is_left_from_now() {
    // a (manual 10m) → b (command 5m) → c (confirm 5m); d (command 30m).
    let mut events = vec![
        started(
            vec![
                step("a", StepKind::Manual, Some(10), &[]),
                step("b", StepKind::Command, Some(5), &["a"]),
                step("c", StepKind::Confirm, Some(5), &["b"]),
                step("d", StepKind::Command, Some(5), &[]),
            ],
            Some(60),
        ),
        ready(0, 0, "a"),
        start(0, 0, "d", 1),
    ];
    let t = Timeline::from_events(&events);
    // At 4 min: 6 min of a left, then b and c: 16 min from now.
    assert_eq!(t.forecast_end(at(4, 0)), Some(at(20, 0)));
    // a overran (at 25 min, still open): it may end now; b, c follow.
    assert_eq!(t.forecast_end(at(25, 0)), Some(at(35, 0)));
    events.push(finish(12, 0, "a", Outcome::Done, Source::Operator));
    events.push(attempt_end(12, 0, "d", 1, 0));
    events.push(finish(12, 0, "d", Outcome::Done, Source::Command));
    events.push(ready(12, 0, "b"));
    events.push(start(12, 0, "b", 1));
    let t = Timeline::from_events(&events);
    assert_eq!(
        t.forecast_end(at(14, 0)),
        Some(at(22, 0)),
        "3 min of b, then c"
    );
    events.push(ev(
        20,
        0,
        Event::RunFinished {
            result: RunResult::Recovered,
        },
    ));
    assert_eq!(Timeline::from_events(&events).forecast_end(at(20, 0)), None);
}

#[test]
fn the_forecast_gives_each_step_its_end() {
    let events = vec![
        started(
            vec![
                step("a", StepKind::Manual, Some(10), &[]),
                step("b", StepKind::Command, Some(5), &["a"]),
                step("d", StepKind::Command, Some(5), &[]),
            ],
            Some(60),
        ),
        ready(0, 0, "a"),
        start(0, 0, "d", 1),
        attempt_end(2, 0, "d", 1, 0),
        finish(2, 0, "d", Outcome::Done, Source::Command),
    ];
    let f = Timeline::from_events(&events).forecast(at(4, 0)).unwrap();
    assert_eq!(f.steps, [Some(at(10, 0)), Some(at(15, 0)), Some(at(2, 0))]);
    assert_eq!(f.end, at(15, 0));
}

#[test]
fn held_time_is_counted_apart_from_waiting() {
    // `a` runs 0..10; `m` (manual) is open from 2; the drill is held from
    // 5 to 65 ("we stop tonight"); `b` needs `a` and becomes ready only at
    // the release; `m` is done at 70, `b` runs 65..70.
    let held = |min, event| ev(min, 0, event);
    let events = vec![
        started(
            vec![
                step("a", StepKind::Command, Some(10), &[]),
                step("m", StepKind::Manual, Some(5), &[]),
                step("b", StepKind::Command, Some(5), &["a"]),
            ],
            None,
        ),
        ready(0, 0, "a"),
        start(0, 0, "a", 1),
        ready(2, 0, "m"),
        held(
            5,
            Event::RunHeld {
                by: "alice".into(),
                origin: Default::default(),
                reason: Some("we stop tonight".into()),
            },
        ),
        attempt_end(10, 0, "a", 1, 0),
        finish(10, 0, "a", Outcome::Done, Source::Command),
        held(
            65,
            Event::RunReleased {
                by: "alice".into(),
                origin: Default::default(),
            },
        ),
        ready(65, 0, "b"),
        start(65, 0, "b", 1),
        finish(70, 0, "m", Outcome::Done, Source::Operator),
        attempt_end(70, 0, "b", 1, 0),
        finish(70, 0, "b", Outcome::Done, Source::Command),
    ];
    let t = Timeline::from_events(&events);
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    assert_eq!(t.holds.len(), 1);
    assert_eq!(t.holds[0].reason.as_deref(), Some("we stop tonight"));
    let now = at(70, 0);
    assert_eq!(t.held(now), mins(60));
    let a = t.split_of(t.step("a").unwrap(), now).unwrap();
    assert_eq!(a.running, mins(10), "a command runs through a hold");
    assert_eq!(a.held, mins(0));
    let m = t.split_of(t.step("m").unwrap(), now).unwrap();
    assert_eq!(m.operator, mins(8), "open 2..70, less the 60 held");
    assert_eq!(m.held, mins(60));
    assert_eq!(m.total(), mins(70));
    let b = t.split_of(t.step("b").unwrap(), now).unwrap();
    assert_eq!(b.dependencies, mins(5), "ready at 65, less the 60 held");
    assert_eq!(b.held, mins(60));
    assert_eq!(b.running, mins(5));
    // While the hold is still on, an open wait is held time too.
    let on: Vec<Stamped> = events[..6].to_vec();
    let t = Timeline::from_events(&on);
    let m = t.split_of(t.step("m").unwrap(), at(30, 0)).unwrap();
    assert_eq!((m.operator, m.held), (mins(3), mins(25)));
    assert_eq!(t.total_split(at(30, 0)).held, mins(25));
}
