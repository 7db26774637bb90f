use super::testing::{chain, runbook, step};
use super::*;

fn ids(rb: &Runbook, steps: &[StepIndex]) -> Vec<String> {
    steps.iter().map(|&s| rb.step(s).id.to_string()).collect()
}

fn errors(rb: &Runbook) -> Vec<Diagnostic> {
    match Graph::build(rb) {
        Ok(_) => panic!("expected errors"),
        Err(d) => d,
    }
}

/// Ends steps in the order given and returns, for each, what became ready.
fn walk(rb: &Runbook, g: &Graph, order: &[&str]) -> Vec<Vec<String>> {
    let mut r = Readiness::new(g);
    order
        .iter()
        .map(|id| ids(rb, &r.end(g, step(rb, id))))
        .collect()
}

#[test]
fn every_step_of_a_phase_waits_for_the_whole_phase_before() {
    let rb = runbook(&[
        ("alerte", None, &[("a1", &[], None), ("a2", &[], None)]),
        ("bascule", None, &[("b1", &[], None), ("b2", &[], None)]),
    ]);
    let g = Graph::build(&rb).unwrap();
    let r = Readiness::new(&g);
    assert_eq!(ids(&rb, &r.initially_ready()), ["a1", "a2"]);
    assert_eq!(walk(&rb, &g, &["a2", "a1"]), [vec![], vec!["b1", "b2"]]);
    assert_eq!(
        g.prerequisites(step(&rb, "b1")).collect::<Vec<_>>(),
        [Prerequisite::PhaseOrder(0)]
    );
    assert_eq!(ids(&rb, g.topological_order()), ["a1", "a2", "b1", "b2"]);
}

#[test]
fn phase_needs_replace_the_default_order() {
    let rb = runbook(&[
        ("one", None, &[("a", &[], None)]),
        ("two", Some(&[]), &[("b", &[], None)]),
        ("three", Some(&["one"]), &[("c", &[], None)]),
    ]);
    let g = Graph::build(&rb).unwrap();
    assert_eq!(g.phase_needs(1), &[] as &[usize]);
    assert_eq!(g.phase_needs(2), &[0]);
    let r = Readiness::new(&g);
    assert_eq!(ids(&rb, &r.initially_ready()), ["a", "b"]);
    assert_eq!(walk(&rb, &g, &["a"]), [vec!["c"]]);
}

#[test]
fn a_phase_id_in_a_step_needs_means_all_its_steps() {
    let rb = runbook(&[
        ("prep", None, &[("p1", &[], None), ("p2", &[], None)]),
        (
            "side",
            Some(&[]),
            &[("s", &["prep"], None), ("t", &[], None)],
        ),
    ]);
    let g = Graph::build(&rb).unwrap();
    assert_eq!(g.needed_phases(step(&rb, "s")), &[0]);
    assert!(g.needs(step(&rb, "s")).is_empty());
    assert_eq!(
        ids(&rb, &Readiness::new(&g).initially_ready()),
        ["p1", "p2", "t"]
    );
    assert_eq!(walk(&rb, &g, &["p1", "p2"]), [vec![], vec!["s"]]);
}

#[test]
fn explicit_step_needs_order_steps_within_a_phase() {
    let rb = runbook(&[(
        "main",
        None,
        &[
            ("c", &["b", "a", "b"], None),
            ("a", &[], None),
            ("b", &["a"], None),
        ],
    )]);
    let g = Graph::build(&rb).unwrap();
    assert_eq!(
        ids(&rb, g.needs(step(&rb, "c"))),
        ["b", "a"],
        "no duplicates"
    );
    assert_eq!(ids(&rb, g.dependents(step(&rb, "a"))), ["c", "b"]);
    assert_eq!(ids(&rb, g.topological_order()), ["a", "b", "c"]);
    assert_eq!(walk(&rb, &g, &["a", "b"]), [vec!["b"], vec!["c"]]);
}

#[test]
fn readiness_ignores_repeated_and_early_ends() {
    let rb = runbook(&[("main", None, &[("a", &[], None), ("b", &["a"], None)])]);
    let g = Graph::build(&rb).unwrap();
    let mut r = Readiness::new(&g);
    // `b` assumed done before `a` ends: never reported ready again.
    assert!(r.end(&g, step(&rb, "b")).is_empty());
    assert!(!r.is_ready(step(&rb, "b")));
    assert!(r.end(&g, step(&rb, "a")).is_empty());
    assert!(r.is_ready(step(&rb, "b")));
    assert!(r.end(&g, step(&rb, "a")).is_empty());
    assert!(r.has_ended(step(&rb, "a")));
}

#[test]
fn a_thousand_dependents_become_ready_together() {
    let names: Vec<String> = (0..1000).map(|i| format!("d{i}")).collect();
    let mut steps: Vec<testing::S<'_>> = vec![("root", &[], Some("5m"))];
    steps.extend(
        names
            .iter()
            .map(|n| (n.as_str(), &["root"][..], Some("1m"))),
    );
    let rb = runbook(&[("main", None, &steps)]);
    let g = Graph::build(&rb).unwrap();
    let root = step(&rb, "root");
    assert_eq!(g.dependents(root).len(), 1000);
    let mut r = Readiness::new(&g);
    assert_eq!(r.initially_ready(), [root]);
    let ready = r.end(&g, root);
    assert_eq!(ids(&rb, &ready), names);
}

#[test]
fn big_phases_after_big_phases_stay_linear() {
    let a: Vec<String> = (0..20_000).map(|i| format!("a{i}")).collect();
    let b: Vec<String> = (0..20_000).map(|i| format!("b{i}")).collect();
    let sa: Vec<testing::S<'_>> = a.iter().map(|s| (s.as_str(), &[][..], None)).collect();
    let sb: Vec<testing::S<'_>> = b.iter().map(|s| (s.as_str(), &[][..], None)).collect();
    let rb = runbook(&[("first", None, &sa), ("second", None, &sb)]);
    let g = Graph::build(&rb).unwrap();
    // One edge into each step's phase barrier and one out of its
    // phase's start, plus the phase dependency: 4e8 if written out.
    assert_eq!(g.edges.targets.len(), 2 * 40_000 + 1);
    let mut r = Readiness::new(&g);
    assert_eq!(r.initially_ready().len(), 20_000);
    for i in 0..19_999 {
        assert!(r.end(&g, StepIndex(i)).is_empty());
    }
    assert_eq!(r.end(&g, StepIndex(19_999)).len(), 20_000);
}

#[test]
fn barriers_agree_with_edges_written_out_on_random_runbooks() {
    let mut rng = testing::Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..300 {
        let rb = testing::random(&mut rng);
        let g = Graph::build(&rb).unwrap_or_else(|d| panic!("{d:?}"));
        let pre = testing::direct_prerequisites(&rb);
        let n = rb.steps.len();

        let mut position = vec![0; n];
        for (k, s) in g.topological_order().iter().enumerate() {
            position[s.get()] = k;
        }
        assert_eq!(g.topological_order().len(), n);
        for (s, ps) in pre.iter().enumerate() {
            for &p in ps {
                assert!(position[p] < position[s], "{p} before {s}");
            }
        }

        // End steps in a random order among the ready ones; after each,
        // what became ready must be exactly what the written-out edges say.
        let mut r = Readiness::new(&g);
        let mut ended = vec![false; n];
        let ready_now = |ended: &[bool], s: usize| pre[s].iter().all(|&p| ended[p]);
        let mut ready: Vec<usize> = (0..n).filter(|&s| ready_now(&ended, s)).collect();
        assert_eq!(
            r.initially_ready(),
            ready
                .iter()
                .map(|&s| StepIndex(s as u32))
                .collect::<Vec<_>>()
        );
        while !ready.is_empty() {
            let s = ready.remove(rng.below(ready.len()));
            let before: Vec<bool> = (0..n).map(|t| ready_now(&ended, t)).collect();
            ended[s] = true;
            let expected: Vec<StepIndex> = (0..n)
                .filter(|&t| !ended[t] && !before[t] && ready_now(&ended, t))
                .map(|t| StepIndex(t as u32))
                .collect();
            let got = r.end(&g, StepIndex(s as u32));
            assert_eq!(got, expected, "after ending {s} in {rb:#?}");
            ready.extend(got.iter().map(|t| t.get()));
            for t in 0..n {
                assert_eq!(r.is_ready(StepIndex(t as u32)), ready_now(&ended, t));
            }
        }
        assert!(ended.iter().all(|&e| e), "every step was reached");
    }
}

#[test]
fn unknown_ids_are_located_with_a_suggestion() {
    let rb = runbook(&[(
        "main",
        None,
        &[
            ("stop-app", &[], None),
            ("backup", &["stop-ap", "zzz"], None),
        ],
    )]);
    let d = errors(&rb);
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].code, "unknown-need");
    assert_eq!(
        d[0].message,
        "step `backup` needs unknown step or phase `stop-ap`"
    );
    assert_eq!(d[0].span, Some(rb.steps[1].needs[0].span));
    assert_eq!(d[0].hint.as_deref(), Some("did you mean `stop-app`?"));
    assert_eq!(d[1].span, Some(rb.steps[1].needs[1].span));
    assert_eq!(
        d[1].hint.as_deref(),
        Some("`needs` lists ids of steps or phases of this runbook")
    );
}

#[test]
fn a_step_cannot_need_itself_or_its_own_phase() {
    let rb = runbook(&[("main", None, &[("a", &["a"], None), ("b", &["main"], None)])]);
    let d = errors(&rb);
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].message, "step `a` needs itself");
    assert_eq!(d[0].span, Some(rb.steps[0].needs[0].span));
    assert_eq!(
        d[1].message,
        "step `b` needs its own phase `main`, which includes it"
    );
    assert_eq!(d[1].span, Some(rb.steps[1].needs[0].span));
}

#[test]
fn phase_needs_name_phases_only() {
    let rb = runbook(&[
        ("prep", None, &[("a", &[], None)]),
        ("run", Some(&["a", "prp", "run"]), &[("b", &[], None)]),
    ]);
    let d = errors(&rb);
    let needs = rb.phases[1].needs.as_ref().unwrap();
    assert_eq!(
        d.iter().map(|d| (d.code, d.span)).collect::<Vec<_>>(),
        [
            ("phase-needs-step", Some(needs[0].span)),
            ("unknown-need", Some(needs[1].span)),
            ("needs-itself", Some(needs[2].span)),
        ]
    );
    assert_eq!(
        d[0].message,
        "phase `run` needs `a`, which is a step: a phase's `needs` lists phase ids"
    );
    assert_eq!(d[1].hint.as_deref(), Some("did you mean `prep`?"));
}

#[test]
fn a_cycle_is_reported_whole_at_one_of_its_entries() {
    let rb = runbook(&[(
        "main",
        None,
        &[
            ("alpha", &["beta"], None),
            ("beta", &["gamma"], None),
            ("gamma", &["alpha"], None),
            ("free", &[], None),
        ],
    )]);
    let d = errors(&rb);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, "cycle");
    assert_eq!(
        d[0].message,
        "dependency cycle `alpha → beta → gamma → alpha`"
    );
    assert_eq!(d[0].span, Some(rb.steps[0].needs[0].span));
    assert_eq!(d[0].label.as_deref(), Some("`alpha` needs `beta` here"));
}

#[test]
fn separate_cycles_are_each_reported_once() {
    let rb = runbook(&[(
        "main",
        None,
        &[
            ("a", &["b"], None),
            ("b", &["a"], None),
            ("c", &["d"], None),
            ("d", &["e"], None),
            ("e", &["c"], None),
        ],
    )]);
    let d = errors(&rb);
    let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "dependency cycle `a → b → a`",
            "dependency cycle `c → d → e → c`"
        ]
    );
}

#[test]
fn a_cycle_through_phase_order_explains_the_implicit_edge() {
    // `x` (first phase) needs `z`, but `z`'s phase follows the first.
    let rb = runbook(&[
        ("first", None, &[("x", &["z"], None), ("y", &[], None)]),
        ("second", None, &[("z", &[], None)]),
    ]);
    let d = errors(&rb);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].message, "dependency cycle `x → z → x`");
    assert_eq!(d[0].span, Some(rb.steps[0].needs[0].span));
    assert_eq!(
        d[0].hint.as_deref(),
        Some(
            "`z` → `x` is implicit: phase `second` follows phase `first`, which holds `x`; \
                 remove one of these `needs` to break the cycle"
        )
    );
}

#[test]
fn a_cycle_through_a_needed_phase_names_the_phase() {
    let rb = runbook(&[
        ("first", None, &[("x", &["later"], None)]),
        ("later", Some(&[]), &[("z", &["x"], None)]),
    ]);
    let d = errors(&rb);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].message, "dependency cycle `z → x → z`");
    assert_eq!(d[0].span, Some(rb.steps[1].needs[0].span));
    assert!(
        d[0].hint
            .as_deref()
            .unwrap()
            .starts_with("`x` → `z`: `x` needs phase `later`, which holds `z`"),
        "{d:?}"
    );
}

#[test]
fn a_phase_cycle_is_reported_as_phases_once() {
    let rb = runbook(&[
        ("one", Some(&["two"]), &[("a", &[], None), ("b", &[], None)]),
        ("two", None, &[("c", &[], None)]),
    ]);
    let d = errors(&rb);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].message, "phase cycle `one → two → one`");
    assert_eq!(
        d[0].span,
        Some(rb.phases[0].needs.as_ref().unwrap()[0].span)
    );
    assert!(
        d[0].hint
            .as_deref()
            .unwrap()
            .contains("`two` → `one` is implicit")
    );
}

#[test]
fn phases_tangled_in_several_cycles_are_reported_once() {
    // `one` ⇄ `two` (default order) and `one` ⇄ `three`: one component.
    let rb = runbook(&[
        ("one", Some(&["two", "three"]), &[("a", &[], None)]),
        ("two", None, &[("b", &[], None)]),
        ("three", Some(&["one"]), &[("c", &[], None)]),
    ]);
    let d = errors(&rb);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].message.starts_with("phase cycle `one → "), "{d:?}");
}

#[test]
fn a_twenty_thousand_step_cycle_is_reported_whole() {
    let rb = chain(20_000, true);
    let d = errors(&rb);
    assert_eq!(d.len(), 1);
    let chain = d[0].message.trim_start_matches("dependency cycle ");
    let names: Vec<&str> = chain.trim_matches('`').split(" → ").collect();
    assert_eq!(names.len(), 20_001);
    assert_eq!(names.first(), names.last());
    // `s0` needs `s19999`, which needs `s19998`…
    assert_eq!(&names[..3], ["s0", "s19999", "s19998"]);
    assert_eq!(d[0].span, Some(rb.steps[0].needs[0].span));
}

#[test]
fn a_long_chain_builds_in_order() {
    let rb = chain(20_000, false);
    let g = Graph::build(&rb).unwrap();
    let order: Vec<u32> = g.topological_order().iter().map(|s| s.0).collect();
    assert_eq!(order, (0..20_000).collect::<Vec<_>>());
}
