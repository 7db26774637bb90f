use super::*;
use crate::graph::testing::{runbook, step};
use crate::runbook::Located;

fn ids(rb: &Runbook, steps: &[StepIndex]) -> Vec<String> {
    steps.iter().map(|&s| rb.step(s).id.to_string()).collect()
}

fn d(s: &str) -> Duration {
    s.parse().unwrap()
}

fn only(rb: &mut Runbook, id: &str, mode: Mode) {
    let i = step(rb, id);
    rb.steps[i.get()].only = Some(mode);
}

/// a(10m) → b(20m), a → c(1h), d(5m) needs b and c.
fn diamond() -> Runbook {
    runbook(&[(
        "main",
        None,
        &[
            ("a", &[], Some("10m")),
            ("b", &["a"], Some("20m")),
            ("c", &["a"], Some("1h")),
            ("d", &["b", "c"], Some("5m")),
        ],
    )])
}

#[test]
fn the_critical_path_is_the_longest_chain_by_estimate() {
    let rb = diamond();
    let g = Graph::build(&rb).unwrap();
    let path = critical_path(&rb, &g, Mode::Drill);
    assert_eq!(ids(&rb, &path.steps), ["a", "c", "d"]);
    assert_eq!(path.total, d("1h15m"));
    assert_eq!(path.missing_estimates, 0);
    let starts = earliest_starts(&rb, &g, Mode::Drill);
    assert_eq!(starts, [d("0s"), d("10m"), d("10m"), d("1h10m")]);
    let plan = Plan::new(&rb, &g, Mode::Drill);
    assert!(plan.step(step(&rb, "c")).critical);
    assert!(!plan.step(step(&rb, "b")).critical);
    assert_eq!(plan.step(step(&rb, "d")).end, d("1h15m"));
}

#[test]
fn ties_go_to_the_longer_chain_then_to_file_order() {
    // a→b is 30m in two steps, c is 30m in one: the two-step chain wins.
    let rb = runbook(&[(
        "main",
        None,
        &[
            ("c", &[], Some("30m")),
            ("a", &[], Some("10m")),
            ("b", &["a"], Some("20m")),
            ("d", &["c", "b"], Some("5m")),
        ],
    )]);
    let g = Graph::build(&rb).unwrap();
    assert_eq!(
        ids(&rb, &critical_path(&rb, &g, Mode::Drill).steps),
        ["a", "b", "d"]
    );

    // Equal in time and steps: the first written wins.
    let rb = runbook(&[(
        "main",
        None,
        &[
            ("a", &[], Some("10m")),
            ("x", &["a"], Some("20m")),
            ("y", &["a"], Some("20m")),
        ],
    )]);
    let g = Graph::build(&rb).unwrap();
    let path = critical_path(&rb, &g, Mode::Drill);
    assert_eq!(ids(&rb, &path.steps), ["a", "x"]);
    assert_eq!(path.total, d("30m"));
}

#[test]
fn missing_estimates_count_as_zero_and_are_counted() {
    let rb = runbook(&[(
        "main",
        None,
        &[
            ("a", &[], None),
            ("b", &["a"], Some("15m")),
            ("c", &[], Some("10m")),
            ("e", &["c"], None),
        ],
    )]);
    let g = Graph::build(&rb).unwrap();
    let path = critical_path(&rb, &g, Mode::Drill);
    assert_eq!(ids(&rb, &path.steps), ["a", "b"]);
    assert_eq!(path.total, d("15m"));
    assert_eq!(path.missing_estimates, 2);
}

#[test]
fn without_any_estimate_the_path_is_the_longest_chain() {
    let rb = runbook(&[(
        "main",
        None,
        &[("a", &[], None), ("b", &[], None), ("c", &["b"], None)],
    )]);
    let g = Graph::build(&rb).unwrap();
    let path = critical_path(&rb, &g, Mode::Drill);
    assert_eq!(ids(&rb, &path.steps), ["b", "c"]);
    assert_eq!(path.total, Duration::ZERO);
    assert_eq!(path.missing_estimates, 3);
}

#[test]
fn steps_of_the_other_mode_take_no_time_and_no_wave() {
    let mut rb = runbook(&[(
        "main",
        None,
        &[
            ("a", &[], Some("10m")),
            ("copy", &["a"], Some("1h")),
            ("b", &["copy"], Some("20m")),
            ("c", &[], Some("25m")),
        ],
    )]);
    only(&mut rb, "copy", Mode::Drill);
    let g = Graph::build(&rb).unwrap();

    let drill = Plan::new(&rb, &g, Mode::Drill);
    assert_eq!(ids(&rb, &drill.critical_path().steps), ["a", "copy", "b"]);
    assert_eq!(drill.critical_path().total, d("1h30m"));
    assert_eq!(drill.waves().len(), 3);

    let incident = Plan::new(&rb, &g, Mode::Incident);
    let copy = incident.step(step(&rb, "copy"));
    assert!(!copy.applicable);
    assert_eq!((copy.start, copy.end, copy.wave), (d("10m"), d("10m"), 1));
    // `b` still waits for `a` through `copy`, but in the same wave.
    assert_eq!(incident.step(step(&rb, "b")).start, d("10m"));
    assert_eq!(incident.step(step(&rb, "b")).wave, 1);
    assert_eq!(ids(&rb, &incident.critical_path().steps), ["a", "b"]);
    assert_eq!(incident.critical_path().total, d("30m"));
    assert_eq!(
        incident
            .waves()
            .iter()
            .map(|w| ids(&rb, w))
            .collect::<Vec<_>>(),
        [vec!["a", "c"], vec!["copy", "b"]]
    );
}

#[test]
fn a_runbook_with_nothing_applicable_has_an_empty_path() {
    let mut rb = runbook(&[("main", None, &[("a", &[], Some("10m"))])]);
    only(&mut rb, "a", Mode::Incident);
    let g = Graph::build(&rb).unwrap();
    let path = critical_path(&rb, &g, Mode::Drill);
    assert!(path.steps.is_empty());
    assert_eq!(path.total, Duration::ZERO);
    assert_eq!(path.missing_estimates, 0);
}

#[test]
fn phase_order_delays_the_next_phase_until_the_slowest_step() {
    let rb = runbook(&[
        (
            "one",
            None,
            &[("fast", &[], Some("10m")), ("slow", &[], Some("30m"))],
        ),
        ("two", None, &[("next", &[], Some("1h"))]),
        ("side", Some(&[]), &[("alone", &[], Some("2h"))]),
    ]);
    let g = Graph::build(&rb).unwrap();
    let plan = Plan::new(&rb, &g, Mode::Drill);
    assert_eq!(plan.step(step(&rb, "next")).start, d("30m"));
    assert_eq!(plan.step(step(&rb, "next")).wave, 1);
    assert_eq!(ids(&rb, &plan.critical_path().steps), ["alone"]);
    assert_eq!(
        ids(&rb, plan.order()),
        ["fast", "slow", "alone", "next"],
        "by earliest start, then wave, then topological order"
    );
}

#[test]
fn waves_count_the_longest_chain_of_steps() {
    let rb = runbook(&[(
        "main",
        None,
        &[
            ("a", &[], None),
            ("b", &["a"], None),
            ("c", &["a", "b"], None),
            ("d", &[], None),
        ],
    )]);
    let g = Graph::build(&rb).unwrap();
    let plan = Plan::new(&rb, &g, Mode::Drill);
    assert_eq!(
        plan.waves().iter().map(|w| ids(&rb, w)).collect::<Vec<_>>(),
        [vec!["a", "d"], vec!["b"], vec!["c"]]
    );
    assert_eq!(ids(&rb, plan.order()), ["a", "d", "b", "c"]);
}

#[test]
fn earliest_starts_agree_with_edges_written_out_on_random_runbooks() {
    use crate::graph::testing::{Rng, direct_prerequisites, random};
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for _ in 0..300 {
        let mut rb = random(&mut rng);
        for s in &mut rb.steps {
            s.only = [None, Some(Mode::Drill), Some(Mode::Incident)][rng.below(3)];
        }
        let g = Graph::build(&rb).unwrap();
        let pre = direct_prerequisites(&rb);
        let plan = Plan::new(&rb, &g, Mode::Drill);
        // Every edge points backwards in file order, so one pass in file
        // order computes the longest paths directly.
        let weight = |s: usize| {
            let st = &rb.steps[s];
            if st.applies_in(Mode::Drill) {
                st.estimate.map_or(0, |e| e.value.0)
            } else {
                0
            }
        };
        let mut start = vec![0u64; rb.steps.len()];
        let mut wave = vec![0usize; rb.steps.len()];
        for s in 0..rb.steps.len() {
            for &p in &pre[s] {
                start[s] = start[s].max(start[p] + weight(p));
                let hop = usize::from(rb.steps[p].applies_in(Mode::Drill));
                wave[s] = wave[s].max(wave[p] + hop);
            }
        }
        let total = (0..rb.steps.len())
            .filter(|&s| rb.steps[s].applies_in(Mode::Drill))
            .map(|s| start[s] + weight(s))
            .max()
            .unwrap_or(0);
        for s in 0..rb.steps.len() {
            let got = plan.step(StepIndex(s as u32));
            assert_eq!(
                (got.start.0, got.wave),
                (start[s], wave[s]),
                "step {s} of {rb:#?}"
            );
        }
        let path = plan.critical_path();
        assert_eq!(path.total.0, total);
        // The path is a chain of prerequisites whose estimates add up to
        // the total.
        let sum: u64 = path.steps.iter().map(|s| weight(s.get())).sum();
        assert_eq!(sum, total);
        let mut reach = vec![std::collections::BTreeSet::new(); rb.steps.len()];
        for s in 0..rb.steps.len() {
            for &p in &pre[s] {
                let via = reach[p].clone();
                reach[s].extend(via);
                reach[s].insert(p);
            }
        }
        for w in path.steps.windows(2) {
            assert!(reach[w[1].get()].contains(&w[0].get()), "{w:?} in {rb:#?}");
        }
        assert_eq!(
            earliest_starts(&rb, &g, Mode::Drill),
            start.iter().map(|&s| Duration(s)).collect::<Vec<_>>()
        );
    }
}

#[test]
fn the_summary_compares_with_the_rto() {
    let path = |total: &str| CriticalPath {
        steps: Vec::new(),
        total: d(total),
        missing_estimates: 0,
    };
    assert_eq!(
        path("4h30m").summary(Some(d("6h"))),
        "critical path 4h30m of RTO 6h: 1h30m margin"
    );
    assert_eq!(
        path("7h").summary(Some(d("6h"))),
        "critical path 7h of RTO 6h: exceeds RTO by 1h"
    );
    assert_eq!(
        path("6h").summary(Some(d("6h"))),
        "critical path 6h of RTO 6h: no margin"
    );
    assert_eq!(path("45m").summary(None), "critical path 45m (no RTO set)");
    assert_eq!(path("7h").margin(d("6h")), Margin::Exceeds(d("1h")));
}

#[test]
fn the_rto_warning_names_the_path_and_the_excess() {
    let mut rb = diamond();
    let g = Graph::build(&rb).unwrap();
    assert_eq!(rto_warning(&rb, &g), None, "no RTO, no warning");
    let span = crate::runbook::Span {
        line: 3,
        column: 8,
        offset: 30,
        len: 2,
    };
    rb.objectives.rto = Some(Located::new(d("1h15m"), span));
    assert_eq!(rto_warning(&rb, &g), None, "exactly the RTO is within it");
    rb.objectives.rto = Some(Located::new(d("1h"), span));
    let w = rto_warning(&rb, &g).unwrap();
    assert!(!w.is_error());
    assert_eq!(w.code, "rto-exceeded");
    assert_eq!(w.span, Some(span));
    assert_eq!(
        w.message,
        "the critical path takes 1h15m by its estimates, 15m more than the RTO"
    );
    assert_eq!(
        w.hint.as_deref(),
        Some(
            "critical path: a → c → d; shorten these steps, run more of them in parallel, or review the RTO"
        )
    );
    only(&mut rb, "c", Mode::Incident);
    let w = rto_warning(&rb, &g).unwrap();
    assert!(
        w.message
            .starts_with("the critical path in incident mode takes 1h15m"),
        "{w:?}"
    );
}

/// Two phases, roles, kinds, an RTO, a step of the other mode.
fn sample() -> Runbook {
    let mut rb = runbook(&[
        (
            "alerte",
            None,
            &[("manual-declarer", &[], Some("10m")), ("etat", &[], None)],
        ),
        (
            "bascule",
            None,
            &[
                ("arret", &[], Some("20m")),
                ("bascule-san", &["arret"], Some("45m")),
                ("copie", &["arret"], Some("1h")),
            ],
        ),
    ]);
    rb.name = "Panne \"SAN\" – Nord".into();
    rb.phases[0].title = "Alerte et évaluation".into();
    rb.phases[1].title = "Bascule <SAN>".into();
    rb.steps[0].role = Some("direction".into());
    rb.steps[2].confirm = true;
    rb.objectives.rto = Some(Located::new(d("1h"), Default::default()));
    only(&mut rb, "copie", Mode::Incident);
    rb
}

#[test]
fn text_shows_phases_waves_and_the_critical_path() {
    let rb = sample();
    let g = Graph::build(&rb).unwrap();
    let text = Plan::new(&rb, &g, Mode::Drill).to_text();
    assert_eq!(
        text,
        "\
Panne \"SAN\" – Nord
mode drill · 5 steps · 1 not applicable · 2 phases · 3 waves · RTO 1h

phases
  alerte   Alerte et évaluation   2 steps  starts at once
  bascule  Bascule <SAN>          3 steps  after alerte

     step             kind     role       estimate  start  phase
wave 1
   * manual-declarer  manual   direction  10m       0s     alerte
     etat             command  -          -         0s     alerte
wave 2
   * arret            confirm  -          20m       10m    bascule
wave 3
   * bascule-san      command  -          45m       30m    bascule
     copie            command  -          1h        -      not applicable (incident only)

critical path (*): manual-declarer → arret → bascule-san
critical path 1h15m of RTO 1h: exceeds RTO by 15m
1 step without an estimate, counted as 0s
"
    );
}

#[test]
fn json_lists_steps_in_start_order_with_their_times() {
    let rb = sample();
    let g = Graph::build(&rb).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&Plan::new(&rb, &g, Mode::Incident).to_json()).unwrap();
    assert_eq!(json["mode"], "incident");
    assert_eq!(json["phases"][1]["needs"], serde_json::json!(["alerte"]));
    let steps = json["steps"].as_array().unwrap();
    let order: Vec<&str> = steps.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(
        order,
        ["manual-declarer", "etat", "arret", "bascule-san", "copie"]
    );
    let copie = &steps[4];
    assert_eq!(copie["applicable"], true);
    assert_eq!(copie["start"], "30m");
    assert_eq!(copie["end_secs"], 5400);
    assert_eq!(copie["wave"], 3);
    assert_eq!(copie["critical"], true);
    assert_eq!(steps[2]["kind"], "confirm");
    assert_eq!(
        json["critical_path"]["steps"],
        serde_json::json!(["manual-declarer", "arret", "copie"])
    );
    assert_eq!(json["critical_path"]["total"], "1h30m");
    assert_eq!(json["rto"]["exceeded"], true);
    assert_eq!(json["rto"]["margin_secs"], 1800);
    assert_eq!(
        json["waves"][0],
        serde_json::json!(["manual-declarer", "etat"])
    );
}

#[test]
fn dot_draws_clusters_and_the_critical_path() {
    let rb = sample();
    let g = Graph::build(&rb).unwrap();
    let dot = Plan::new(&rb, &g, Mode::Drill).to_dot();
    assert!(dot.starts_with("digraph reprise {\n"), "{dot}");
    assert!(
        dot.contains("  subgraph \"cluster_bascule\" {\n    label=\"bascule: Bascule <SAN>\";\n"),
        "{dot}"
    );
    assert!(
        dot.contains("label=\"Panne \\\"SAN\\\" – Nord (drill)\\ncritical path 1h15m"),
        "{dot}"
    );
    assert!(
        dot.contains("  \"arret\" -> \"bascule-san\" [color=\"#d00000\", penwidth=2.5];"),
        "{dot}"
    );
    // The hop from phase order gets its own red edge.
    assert!(
            dot.contains("  \"manual-declarer\" -> \"arret\" [color=\"#d00000\", penwidth=2.5, style=dashed, constraint=false];"),
            "{dot}"
        );
    assert!(
            dot.contains("  \"manual-declarer\" -> \"arret\" [ltail=\"cluster_alerte\", lhead=\"cluster_bascule\", style=dashed];"),
            "{dot}"
        );
    assert!(
        dot.contains(
            "\"copie\" [label=\"copie\\ncommand · 1h\\nnot applicable\", style=\"rounded,dashed\""
        ),
        "{dot}"
    );
    assert!(dot.ends_with("}\n"));
}

#[test]
fn mermaid_draws_subgraphs_and_the_critical_path() {
    let rb = sample();
    let g = Graph::build(&rb).unwrap();
    let m = Plan::new(&rb, &g, Mode::Drill).to_mermaid();
    assert!(
        m.contains("flowchart LR\n  subgraph p0[\"alerte: Alerte et évaluation\"]\n"),
        "{m}"
    );
    assert!(
        m.contains("  subgraph p1[\"bascule: Bascule #lt;SAN#gt;\"]\n"),
        "{m}"
    );
    assert!(
        m.contains("    s0[\"manual-declarer<br/>manual · direction · 10m\"]\n"),
        "{m}"
    );
    assert!(m.contains(r#"title: "Panne \"SAN\" – Nord (drill)"#), "{m}");
    let links: Vec<&str> = m
        .lines()
        .filter(|l| l.contains("-->") || l.contains("-.->"))
        .collect();
    assert_eq!(
        links,
        ["  s2 --> s3", "  s2 --> s4", "  p0 -.-> p1", "  s0 -.-> s2"]
    );
    assert!(m.contains("  class s0,s2,s3 critical\n"), "{m}");
    assert!(m.contains("  class s4 notApplicable\n"), "{m}");
    assert!(
        m.contains("  linkStyle 0,3 stroke:#d00000,stroke-width:3px\n"),
        "{m}"
    );
}
