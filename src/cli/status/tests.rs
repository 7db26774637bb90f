use super::*;
use crate::event::{Outcome, PlannedPhase, PlannedStep, Source};
use crate::runbook::StepKind;
use crate::runbook::{Duration, Mode, PhaseId, StepId};

fn at(s: i64) -> Timestamp {
    Timestamp::from_second(1_795_939_200 + s).unwrap()
}

#[test]
fn a_decision_reads_in_words() {
    let line = describe_in(
        &Stamped {
            time: at(0),
            event: Event::Decision {
                origin: Default::default(),
                step: StepId::new("restore"),
                decision: crate::event::Decision::MarkDone,
                reason: Some("checked on the console".into()),
                by: "alice".into(),
                source: Source::Operator,
            },
        },
        &Say::default(),
    );
    assert!(
        line.ends_with("restore: alice decided: mark done (checked on the console)"),
        "{line}"
    );
}

fn planned(id: &str, kind: StepKind) -> PlannedStep {
    PlannedStep {
        estimate: Some(Duration::from_secs(60)),
        ..PlannedStep::new(
            StepId::new(id),
            format!("Title of {id}"),
            PhaseId::new("main"),
            kind,
        )
    }
}

fn timeline() -> Timeline {
    Timeline::from_events(&events())
}

fn events() -> Vec<Stamped> {
    vec![
        Stamped {
            time: at(0),
            event: Event::RunStarted {
                origin: Default::default(),
                runbook: "plan.yaml".into(),
                runbook_sha256: String::new(),
                name: "Failover".into(),
                mode: Mode::Drill,
                dry_run: false,
                operator: "alice".into(),
                host: "h1".into(),
                reprise_version: "0.1.0".into(),
                rto: Some(Duration::from_secs(3600)),
                rpo: None,
                services: Vec::new(),
                phases: vec![PlannedPhase {
                    id: PhaseId::new("main"),
                    title: "Main".into(),
                }],
                steps: vec![
                    planned("stop", StepKind::Command),
                    planned("declare", StepKind::Manual),
                    planned("start", StepKind::Command),
                ],
                exercise: None,
            },
        },
        Stamped {
            time: at(0),
            event: Event::StepStarted {
                step: StepId::new("stop"),
                attempt: 1,
                pid: None,
            },
        },
        Stamped {
            time: at(0),
            event: Event::StepReady {
                step: StepId::new("declare"),
            },
        },
        Stamped {
            time: at(30),
            event: Event::StepFinished {
                origin: Default::default(),
                step: StepId::new("stop"),
                outcome: Outcome::Done,
                exit_code: Some(0),
                reason: None,
                by: "reprise".into(),
                source: Source::Command,
                attempts: 1,
                output_tail: vec![],
            },
        },
    ]
}

/// `status` at 80 columns: held, what comes next, the latest notes
/// and decisions with item numbers, no line wider than the terminal.
#[test]
fn a_held_drill_shows_what_comes_next_and_what_people_did() {
    let mut events = events();
    if let Event::RunStarted { steps, .. } = &mut events[0].event {
        steps[2].needs = vec![StepId::new("declare")];
        steps[2].title = "Start the application on the standby site, then warm it".into();
    }
    events.extend([
        Stamped {
            time: at(100),
            event: Event::Note {
                origin: Default::default(),
                text: "vendor ticket 4711".into(),
                by: "alice".into(),
                step: Some(StepId::new("declare")),
            },
        },
        Stamped {
            time: at(200),
            event: Event::Decision {
                origin: Default::default(),
                step: StepId::new("declare"),
                decision: crate::event::Decision::Continue,
                reason: Some("vendor is on it".into()),
                by: "bob".into(),
                source: Source::Operator,
            },
        },
        Stamped {
            time: at(300),
            event: Event::RunHeld {
                origin: Default::default(),
                by: "alice".into(),
                reason: Some("night: restart at 7:00".into()),
            },
        },
    ]);
    let view = render(
        &Timeline::from_events(&events),
        at(600),
        None,
        Path::new("j.jsonl"),
        &Log::from_events(events.iter(), &Say::default()),
        &Say::default(),
    );
    let view = fit(&view, Some(80));
    insta::assert_snapshot!(view, @r"
        Failover — drill
        started 2026-11-29 08:00:00Z by alice on h1
        elapsed 10m of RTO 1h: 50m left
        recovery forecast to end at 2026-11-29 08:11:00Z (in 1m), 49m within the RTO
        not running: stopped after 2026-11-29 08:05:00Z; carry on with `reprise resume…
        HELD since 08:05:00 by alice: night: restart at 7:00 (no new step starts)
        steps: 1 done, 1 open, 1 pending (3 in all)

        waiting for the operator:
            #2 open           declare              10m of 1m, OVER by 9m · Title of de…

        next, when what they wait for ends:
            #3 pending        start                est. 1m · Start the application on …

        latest notes, decisions, handovers and holds:
          08:01:40 note by alice on #2 declare: vendor ticket 4711
          08:03:20 #2 declare: bob decided: continue (vendor is on it)
          08:05:00 held by alice: night: restart at 7:00

        steps:
            #1 done           stop                 30s of 1m · Title of stop  (by repr…
            #2 open           declare              10m of 1m, OVER by 9m · Title of de…
            #3 pending        start                est. 1m · Start the application on …
        ");
    assert!(view.lines().all(|l| console::measure_text_width(l) < 80));
}

#[test]
fn open_manual_steps_come_first_and_time_runs_against_the_rto() {
    let view = render(
        &timeline(),
        at(600),
        None,
        Path::new("j.jsonl"),
        &Log::default(),
        &Say::default(),
    );
    let expected = "\
Failover — drill
started 2026-11-29 08:00:00Z by alice on h1
elapsed 10m of RTO 1h: 50m left
recovery forecast to end at 2026-11-29 08:11:00Z (in 1m), 49m within the RTO
not running: stopped after 2026-11-29 08:00:30Z; carry on with `reprise resume j.jsonl`
steps: 1 done, 1 open, 1 pending (3 in all)

waiting for the operator:
    #2 open           declare              10m of 1m, OVER by 9m · Title of declare

next, when what they wait for ends:
    #3 pending        start                est. 1m · Title of start

steps:
    #1 done           stop                 30s of 1m · Title of stop  (by reprise on h1)
    #2 open           declare              10m of 1m, OVER by 9m · Title of declare
    #3 pending        start                est. 1m · Title of start
";
    assert_eq!(view, expected);
}

#[test]
fn a_live_drill_names_its_holder() {
    let view = render(
        &timeline(),
        at(600),
        Some("reprise (pid 7 on host h1) since x"),
        Path::new("j.jsonl"),
        &Log::default(),
        &Say::default(),
    );
    assert!(
        view.contains("in progress: reprise (pid 7 on host h1)"),
        "{view}"
    );
}

#[test]
fn follow_lines_describe_events() {
    let e = Stamped {
        time: at(75),
        event: Event::StepFinished {
            origin: Default::default(),
            step: StepId::new("stop"),
            outcome: Outcome::Skipped,
            exit_code: None,
            reason: Some("done by hand".into()),
            by: "bob".into(),
            source: Source::Operator,
            attempts: 0,
            output_tail: vec![],
        },
    };
    assert_eq!(
        describe_in(&e, &Say::default()),
        "08:01:15 stop skipped by bob (done by hand)"
    );
}

/// Words of the English view that must not be left in the French one.
const ENGLISH: &[&str] = &[
    "started ",
    " by ",
    "elapsed",
    " of RTO",
    " left",
    "recovery forecast",
    "within the RTO",
    "not running",
    "carry on",
    "HELD",
    "since ",
    "no new step",
    "steps:",
    "in all",
    "waiting for",
    "next, when",
    "latest notes",
    " done",
    " open",
    " pending",
    "note by",
    "decided",
    "OVER",
    "est.",
    "held by",
    "reprise on",
    "drill",
];

/// A French drill (`lang: fr`): the whole view in French, durations
/// « 10 min », times on the 24-hour clock in the local zone, named.
#[test]
fn a_french_drill_shows_its_status_in_french() {
    let mut events = events();
    if let Event::RunStarted {
        steps, exercise, ..
    } = &mut events[0].event
    {
        steps[2].needs = vec![StepId::new("declare")];
        *exercise = Some(Box::new(crate::event::ExerciseInfo {
            lang: Some("fr".into()),
            ..Default::default()
        }));
    }
    events.extend([
        Stamped {
            time: at(100),
            event: Event::Note {
                origin: Default::default(),
                text: "ticket éditeur 4711".into(),
                by: "alice".into(),
                step: Some(StepId::new("declare")),
            },
        },
        Stamped {
            time: at(200),
            event: Event::Decision {
                origin: Default::default(),
                step: StepId::new("declare"),
                decision: crate::event::Decision::Continue,
                reason: Some("l'éditeur s'en occupe".into()),
                by: "bob".into(),
                source: Source::Operator,
            },
        },
        Stamped {
            time: at(300),
            event: Event::RunHeld {
                origin: Default::default(),
                by: "alice".into(),
                reason: Some("nuit, reprise à 7 h".into()),
            },
        },
    ]);
    let t = Timeline::from_events(&events);
    assert_eq!(lang_of(&t), Lang::Fr);
    let say = Say::new(Lang::Fr, crate::report::Zone::named("Europe/Paris"));
    let view = render(
        &t,
        at(600),
        None,
        Path::new("j.jsonl"),
        &Log::from_events(events.iter(), &say),
        &say,
    );
    insta::assert_snapshot!(view.replace('\u{a0}', "~").replace('\u{202f}', "^"), @r"
    Failover — exercice
    commencé le 2026-11-29 09:00:00 CET (UTC+01:00) par alice sur h1 · heures en Europe/Paris
    écoulé 10~min sur une DMIA de 1~h~: 50~min restantes
    fin de la reprise prévue le 2026-11-29 09:11:00 CET (UTC+01:00) (dans 1~min), 49~min avant l'échéance de la DMIA
    arrêté~: interrompu après 2026-11-29 09:05:00 CET (UTC+01:00)^; poursuivre avec `reprise resume j.jsonl`
    SUSPENDU depuis 09:05:00 par alice~: nuit, reprise à 7 h (aucune nouvelle étape ne démarre)
    étapes~: 1 faite, 1 ouverte, 1 à venir (3 en tout)

    en attente de l'opérateur~:
        #2 ouverte        declare              10~min sur 1~min, DÉPASSÉ de 9~min · Title of declare

    ensuite, quand ce qu'elles attendent sera fini~:
        #3 à venir        start                estimé 1~min · Title of start

    dernières remarques, décisions, relèves et suspensions~:
      09:01:40 remarque d'alice sur #2 declare~: ticket éditeur 4711
      09:03:20 #2 declare~: bob a décidé~: continuer (l'éditeur s'en occupe)
      09:05:00 suspendu par alice~: nuit, reprise à 7 h

    étapes~:
        #1 faite          stop                 30~s sur 1~min · Title of stop  (par reprise sur h1)
        #2 ouverte        declare              10~min sur 1~min, DÉPASSÉ de 9~min · Title of declare
        #3 à venir        start                estimé 1~min · Title of start
    ");
    for word in ENGLISH {
        assert!(!view.contains(word), "English {word:?} left in:\n{view}");
    }
    // The same drill in English keeps its words (and the rule finds them).
    let en = render(
        &t,
        at(600),
        None,
        Path::new("j.jsonl"),
        &Log::from_events(events.iter(), &Say::default()),
        &Say::default(),
    );
    for word in ENGLISH {
        assert!(en.contains(word), "{word:?} not in the English view:\n{en}");
    }
    // French typography in what reprise writes.
    let faults = crate::i18n::tests::french_spacing_faults(&view);
    assert!(faults.is_empty(), "{faults:?}\n{view}");
}

#[test]
fn follow_lines_read_in_french() {
    let e = Stamped {
        time: at(75),
        event: Event::StepFinished {
            origin: Default::default(),
            step: StepId::new("stop"),
            outcome: Outcome::Skipped,
            exit_code: None,
            reason: Some("fait à la main".into()),
            by: "bob".into(),
            source: Source::Operator,
            attempts: 0,
            output_tail: vec![],
        },
    };
    let say = Say::new(Lang::Fr, crate::report::Zone::named("Europe/Paris"));
    assert_eq!(
        describe_in(&e, &say),
        "09:01:15 stop sautée par bob (fait à la main)"
    );
}
