//! The live terminal in a French drill: every renderer, given a French
//! palette or a French runbook, speaks French, and no English fixed text
//! is left (the words of the runbook and the journal are shown as written).

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::frame::{self, Live, Size};
use super::lines::tests::story;
use super::lines::{Palette, Show, StepInfo, event_lines, question_lines};
use super::prompt::{Recorded, Session};
use super::{at, test_runbook};
use crate::event::{Event, Stamped};
use crate::exec::{Exit, OperatorInput, Question};
use crate::i18n::Lang;
use crate::runbook::StepIndex;
use crate::timeline::Timeline;

const FR: Palette = Palette {
    color: false,
    lang: Lang::Fr,
};

/// English words of reprise's own that must not be left in French
/// lines (none of them is in the test runbook's or journal's texts).
const ENGLISH: &[&str] = &[
    "exit ",
    " started by ",
    " started",
    " by ",
    " done",
    "attempt",
    " failed",
    " skipped",
    "held by",
    "released by",
    "finished",
    "waiting for",
    "steps ended",
    " running",
    "RTO",
    "rolled back",
    "hands over",
    "type `",
    "(or `",
    "manual step",
    "is open",
    "nothing",
    "unknown command",
    "/ est ",
    "role:",
    "command:",
    "retrying",
    "waits for your go",
    "to do",
    " more:",
];

fn assert_no_english(text: &str) {
    for word in ENGLISH {
        assert!(!text.contains(word), "English {word:?} left in:\n{text}");
    }
}

/// The story's lines, with a hold and a release, in French.
fn french_lines() -> String {
    let mut events = story();
    let end = events.pop().expect("run_finished");
    events.push(at(
        "08:13:00",
        Event::RunHeld {
            origin: Default::default(),
            by: "bob".into(),
            reason: Some("relève de 8 h".into()),
        },
    ));
    events.push(at(
        "08:14:00",
        Event::RunReleased {
            origin: Default::default(),
            by: "bob".into(),
        },
    ));
    events.push(end);
    let show = Show {
        palette: FR,
        live: false,
        operator: false,
    };
    let mut tl = Timeline::new();
    let mut out = Vec::new();
    for e in &events {
        tl.apply(e);
        out.extend(event_lines(&tl, e, &TimeZone::UTC, show));
    }
    out.join("\n")
}

#[test]
fn a_french_drills_event_lines_are_french() {
    let text = french_lines();
    for expected in [
        "● 08:00:00 exercice «\u{a0}Storage failover\u{a0}» lancé par alice (3 étapes, DMIA 1\u{a0}h)",
        "☐ 08:00:00 #1 call-vendor — Call the storage vendor (storage) est ouverte",
        "#3 restart-app tentative 1 en échec, code de sortie 1",
        "↻ 08:01:31 #3 restart-app réessayer\u{a0}: port was still held par alice",
        "#3 restart-app faite (4\u{a0}min\u{a0}31\u{a0}s / est. 2\u{a0}min +2\u{a0}min\u{a0}31\u{a0}s de dépassement)",
        "✎ 08:05:00 alice (à propos de #1 call-vendor)\u{a0}: vendor ticket 4711",
        "⇄ 08:06:00 alice passe la main à bob\u{a0}: night shift",
        "↷ 08:15:00 #1 call-vendor sautée (15\u{a0}min / est. 10\u{a0}min +5\u{a0}min de dépassement) par bob\u{a0}: vendor already on site",
        "⏸ 08:13:00 suspendu par bob\u{a0}: relève de 8 h (aucune nouvelle étape ne démarre\u{202f}; tapez `reprendre` pour reprendre)",
        "▶ 08:14:00 suspension levée par bob",
        "● 08:15:00 exercice terminé\u{a0}: reprise réussie",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert_no_english(&text);
}

#[test]
fn a_french_question_shows_its_choices_in_french() {
    let rb = test_runbook();
    let info = StepInfo::of(&rb.steps[0]);
    let now: Timestamp = "2026-11-29T08:00:00Z".parse().unwrap();
    let manual = question_lines(
        &Question::Manual { step: StepIndex(0) },
        1,
        &info,
        now,
        &TimeZone::UTC,
        FR,
    )
    .join("\n");
    assert!(
        manual.starts_with(
            "☐ 08:00:00 #1 call-vendor — Call the storage vendor  [rôle\u{a0}: storage · est. 10\u{a0}min]"
        ),
        "{manual}"
    );
    assert!(
        manual.ends_with("→ `fait 1` (ou `fait call-vendor`), `échec 1`, `passer 1`"),
        "{manual}"
    );
    let info = StepInfo::of(&rb.steps[2]);
    use crate::exec::fleet::{Failure, HostState, HostStatus};
    let host = |host: &str, status| HostState {
        host: host.into(),
        status,
    };
    let failed = Question::Failed {
        step: StepIndex(2),
        exit: Exit::default(),
        hosts: vec![
            host("app1", HostStatus::Done),
            host(
                "app2",
                HostStatus::Failed(Failure::of(
                    crate::event::HostCause::Unreachable,
                    None,
                    None,
                )),
            ),
        ],
    };
    let failed = question_lines(&failed, 3, &info, now, &TimeZone::UTC, FR).join("\n");
    assert!(
        failed.contains("restart-app — Restart the application en échec"),
        "{failed}"
    );
    assert!(
        failed.contains("hôtes\u{a0}: fait sur app1\u{202f}; en échec sur app2\u{a0}: injoignable"),
        "{failed}"
    );
    assert!(
        failed.contains("`réessayer 3` (ou `réessayer restart-app`), `réessayer-tout 3`, `marquer-fait 3`, `passer 3`, `continuer 3`, `abandonner 3`, `retour-arrière 3`"),
        "{failed}"
    );
    let confirm = Question::Confirm { step: StepIndex(2) };
    let confirm = question_lines(&confirm, 3, &info, now, &TimeZone::UTC, FR).join("\n");
    assert!(confirm.contains("attend votre feu vert"), "{confirm}");
    assert!(
        confirm.contains("    commande\u{a0}: systemctl restart app"),
        "{confirm}"
    );
    assert_no_english(&(manual + &failed + &confirm));
}

fn french_session() -> Session {
    let mut rb = test_runbook();
    rb.exercise.lang = Some("fr".into());
    let mut s = Session::new(&rb, &"alice".into());
    s.ask(&Question::Manual { step: StepIndex(0) });
    s.ask(&Question::Manual { step: StepIndex(1) });
    s
}

#[test]
fn a_french_prompt_answers_in_french_and_takes_words_of_both_languages() {
    let mut s = french_session();
    let help = s.line("aide").text.join("\n");
    for expected in [
        "fait N",
        "réessayer N [MOTIF]",
        "suspendre MOTIF",
        "Ctrl-C demande",
        "Les mots anglais",
    ] {
        assert!(help.contains(expected), "missing {expected:?} in\n{help}");
    }
    assert_eq!(s.line("help").text.join("\n"), help, "`help` works too");
    assert_no_english(&help);

    let list = s.line("liste").text.join("\n");
    assert!(
        list.starts_with("items ouverts (opérateur\u{a0}: alice)\u{a0}:"),
        "{list}"
    );
    assert!(
        list.contains(
            "#1 call-vendor (étape manuelle)\u{a0}: tapez `fait 1`, `échec 1`, `passer 1`"
        ),
        "{list}"
    );
    let unknown = s.line("frobnicate 2").text.join("\n");
    assert!(
        unknown.contains("commande inconnue `frobnicate`"),
        "{unknown}"
    );
    assert_no_english(&(list + &unknown));

    // French words, English words, with or without accents.
    let done = s.line("fait 1");
    assert!(
        matches!(
            &done.inputs[..],
            [OperatorInput::Record {
                step: StepIndex(0),
                ..
            }]
        ),
        "{done:?}"
    );
    assert!(s.line("passer 2").inputs.is_empty());
    assert_eq!(
        s.prompt(),
        "pourquoi passer #2\u{202f}? (Entrée pour annuler) "
    );
    assert_eq!(s.line("").text, ["annulé\u{a0}: rien n'a été enregistré"]);
    assert_eq!(s.line("done 2").inputs.len(), 1);
    let hold = s.line("suspendre");
    assert!(
        hold.text[0].starts_with("pourquoi suspendre\u{202f}?"),
        "{hold:?}"
    );
    assert!(matches!(
        &s.line("suspendre relève").inputs[..],
        [OperatorInput::Hold { .. }]
    ));
    assert!(matches!(
        &s.line("reprendre").inputs[..],
        [OperatorInput::Release { .. }]
    ));
    assert!(matches!(
        &s.line("releve marie").inputs[..],
        [OperatorInput::Handover { .. }]
    ));
    assert_eq!(
        s.line("fait 1").text,
        ["`1` n'est pas un item ouvert\u{202f}; rien n'est ouvert"]
    );
}

#[test]
fn a_late_answer_is_told_who_was_first_in_french() {
    let mut s = french_session();
    let at: Timestamp = "2026-11-29T08:01:02Z".parse().unwrap();
    let first = Recorded {
        by: "bob".into(),
        at,
        what: "faite".into(),
    };
    s.recorded(StepIndex(0), &std::sync::Arc::new(first));
    assert_eq!(
        s.line("fait 1").text,
        [
            "#1 call-vendor\u{a0}: déjà enregistrée par bob à 08:01:02 UTC (faite)\u{202f}; rien n'a été enregistré"
        ]
    );
}

#[test]
fn a_french_live_region_is_french() {
    let events: Vec<Stamped> = story().into_iter().take(5).collect();
    let tl = Timeline::from_events(&events);
    let steps = (0..3).collect();
    let open = [0usize, 1].into_iter().collect();
    let live = Live {
        timeline: &tl,
        steps: &steps,
        open: &open,
        last_output: &[],
        prompt: Some(("reprise> ", "")),
    };
    let now: Timestamp = "2026-11-29T08:01:00Z".parse().unwrap();
    let f = frame::frame(
        &live,
        now,
        Size {
            rows: 24,
            cols: 100,
        },
        FR,
    );
    let text = f.lines().join("\n");
    assert!(text.contains("à faire → fait 1"), "{text}");
    assert!(
        text.contains("restart-app  en cours  1\u{a0}min / est. 2\u{a0}min"),
        "{text}"
    );
    assert_eq!(
        f.overall,
        "exercice 0/3 étapes terminées · 1 en cours · 2 vous attendent · 1\u{a0}min / DMIA 1\u{a0}h"
    );
    // A tiny terminal counts what does not fit, in French.
    let small = frame::frame(&live, now, Size { rows: 6, cols: 80 }, FR);
    let small = small.lines().join("\n");
    assert!(small.contains("de plus\u{a0}: "), "{small}");
    assert_no_english(&(text + &small));
}

#[test]
fn how_an_attempt_ended_reads_in_each_language() {
    use super::prompt::exit_words;
    use crate::event::Ending;
    let endings = [
        Ending::exited(3),
        Ending::unstarted("no such file"),
        Ending {
            signal: Some("SIGTERM".into()),
            timed_out: true,
            ..Ending::default()
        },
        Ending {
            signal: Some("SIGKILL".into()),
            ..Ending::default()
        },
        Ending::default(),
    ];
    for e in &endings {
        // English says what `Ending::words` says, as before.
        assert_eq!(exit_words(e, Lang::En), format!(", {}", e.words()));
    }
    let fr: Vec<String> = endings.iter().map(|e| exit_words(e, Lang::Fr)).collect();
    assert_eq!(
        fr,
        [
            ", code de sortie 3",
            ", n'a pas pu démarrer\u{a0}: no such file",
            ", délai dépassé",
            ", tuée par SIGKILL",
            ", en échec",
        ]
    );
}
