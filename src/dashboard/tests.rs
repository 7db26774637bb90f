//! The wall screen in the drill's language.

use jiff::Timestamp;

use super::page::{self, Engine, Live};
use crate::event::{Event, Outcome, PlannedPhase, PlannedStep, Source, Stamped};
use crate::i18n::Lang;
use crate::report::{Report, Zone};
use crate::runbook::{Duration, Mode, PhaseId, StepId, StepKind};
use crate::timeline::Timeline;

fn at(s: i64) -> Timestamp {
    Timestamp::from_second(1_795_939_200 + s).unwrap()
}

fn planned(id: &str, kind: StepKind, role: Option<&str>) -> PlannedStep {
    PlannedStep {
        estimate: Some(Duration::from_secs(60)),
        role: role.map(str::to_string),
        ..PlannedStep::new(
            StepId::new(id),
            format!("Title of {id}"),
            PhaseId::new("main"),
            kind,
        )
    }
}

/// A `lang: fr` drill: one step done, one waiting for the cell, one
/// running, one to come; a note, a decision and a hold with its reason.
fn events() -> Vec<Stamped> {
    let stamped = |s, event| Stamped { time: at(s), event };
    vec![
        stamped(
            0,
            Event::RunStarted {
                origin: Default::default(),
                runbook: "plan.yaml".into(),
                runbook_sha256: String::new(),
                name: "Bascule".into(),
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
                    planned("stop", StepKind::Command, None),
                    planned("declare", StepKind::Manual, Some("cellule")),
                    planned("copy", StepKind::Command, None),
                    PlannedStep {
                        needs: vec![StepId::new("declare")],
                        ..planned("start", StepKind::Command, None)
                    },
                ],
                exercise: Some(Box::new(crate::event::ExerciseInfo {
                    lang: Some("fr".into()),
                    ..Default::default()
                })),
            },
        ),
        stamped(
            0,
            Event::StepStarted {
                step: StepId::new("stop"),
                attempt: 1,
                pid: None,
            },
        ),
        stamped(
            0,
            Event::StepReady {
                step: StepId::new("declare"),
            },
        ),
        stamped(
            30,
            Event::StepFinished {
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
        ),
        stamped(
            40,
            Event::StepStarted {
                step: StepId::new("copy"),
                attempt: 1,
                pid: None,
            },
        ),
        stamped(
            100,
            Event::Note {
                origin: Default::default(),
                text: "ticket éditeur 4711".into(),
                by: "alice".into(),
                step: Some(StepId::new("declare")),
            },
        ),
        stamped(
            200,
            Event::Decision {
                origin: Default::default(),
                step: StepId::new("declare"),
                decision: crate::event::Decision::Continue,
                reason: Some("l'éditeur s'en occupe".into()),
                by: "bob".into(),
                source: Source::Operator,
            },
        ),
        stamped(
            300,
            Event::RunHeld {
                origin: Default::default(),
                by: "alice".into(),
                reason: Some("nuit, reprise à 7 h".into()),
            },
        ),
    ]
}

/// The page's live part for [`events`], in `lang` (`None`: the drill's).
fn body(lang: Option<Lang>) -> String {
    let events = events();
    let timeline = Timeline::from_events(&events);
    let mut report = Report::build(
        &timeline,
        "j.jsonl",
        None,
        Zone::named("Europe/Paris").unwrap(),
    )
    .unwrap();
    report.lang = lang.unwrap_or_else(|| {
        Lang::for_runbook(
            timeline
                .header
                .as_ref()
                .and_then(|h| h.exercise.lang.as_deref()),
        )
    });
    let live = Live {
        holds: super::holds(&events),
        // 400 s past the RTO's end.
        forecast: Some(at(3600 + 400)),
    };
    page::body(&report, &live, &Engine::Stopped, "j.jsonl", at(600))
}

/// Fixed texts of the English page that must not be left in the French one.
const ENGLISH: &[&str] = &[
    "not running",
    "resume with",
    "RTO 1h",
    "</strong> left",
    "elapsed ",
    "forecast end",
    "past the RTO",
    "HELD since",
    " by <strong>",
    "no new step starts",
    "someone types",
    "<h2>Running</h2>",
    "Waiting for people",
    "est. 1m",
    "<h2>Steps</h2>",
    "<th>Step</th>",
    "<th>Role</th>",
    "<th>State</th>",
    "<th>Time</th>",
    ">pending<",
    ">waiting<",
    ">running<",
    ">done<",
    "<h2>Timeline</h2>",
    "Latest notes and decisions",
    " decided ",
    " on <code>declare</code>",
    " held the drill",
    "id=\"status\">Exercise (drill)",
];

#[test]
fn a_french_drill_gets_a_french_wall_screen() {
    let fr = body(None);
    for word in [
        "arrêté",
        "reprendre avec <code>reprise resume j.jsonl</code>",
        "heures\u{a0}: Europe/Paris",
        // RTO and durations as the report writes them.
        "DMIA 1\u{a0}h\u{a0}: <strong>55\u{a0}min</strong> restantes",
        "écoulé 5\u{a0}min",
        "fin prévue à <span id=\"forecast\">10:06:40</span>",
        "6\u{a0}min\u{a0}40\u{a0}s au-delà de la DMIA",
        // The hold, on the 24-hour clock in Paris.
        "SUSPENDU depuis 09:05:00 par <strong>alice</strong>\u{a0}: nuit, reprise à 7 h",
        "<code>release</code>",
        "<h2>En cours</h2>",
        "En attente d&#39;une personne",
        "<h3>cellule</h3>",
        "prévu 1\u{a0}min",
        "<th>Étape</th><th>Rôle</th><th>État</th><th>Durée</th>",
        ">faite<",
        ">en attente<",
        ">à venir<",
        ">en cours<",
        "30\u{a0}s",
        "Dernières notes et décisions",
        "09:01:40 <strong>alice</strong>\u{a0}: ticket éditeur 4711",
        "<strong>bob</strong> a décidé\u{a0}: continuer malgré l&#39;échec sur <code>declare</code>\u{a0}: l&#39;éditeur s&#39;en occupe",
        "a suspendu l&#39;exercice",
        "id=\"status\">Exercice",
    ] {
        assert!(fr.contains(word), "{word:?} not in the French page:\n{fr}");
    }
    // The machine-readable keys stay the same in every language.
    assert!(
        fr.contains(r#"data-step="declare" data-state="waiting""#),
        "{fr}"
    );
    for word in ENGLISH {
        assert!(!fr.contains(word), "English {word:?} left in:\n{fr}");
    }
    // The same drill with `--lang en` keeps its words (the list is real).
    let en = body(Some(Lang::En));
    for word in ENGLISH {
        assert!(en.contains(word), "{word:?} not in the English page:\n{en}");
    }
    // French typography in what reprise writes (the page's text, without
    // its markup).
    // The chart is the report's own (tested with it).
    let (before, chart) = fr.split_once("<svg").expect("a chart");
    let after = chart.split_once("</svg>").expect("the chart's end").1;
    let mut text = String::new();
    let mut in_tag = false;
    for c in before.chars().chain(after.chars()) {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let faults = crate::i18n::tests::french_spacing_faults(&text);
    assert!(faults.is_empty(), "{faults:?}\n{text}");
}

#[test]
fn the_page_says_its_language() {
    let page = page::page(Lang::Fr, "Bascule", &body(None), "/events");
    assert!(page.contains("<html lang=\"fr\">"), "{page}");
    let page = page::page(Lang::En, "Bascule", &body(Some(Lang::En)), "/events");
    assert!(page.contains("<html lang=\"en\">"), "{page}");
}
