use super::*;
use crate::event::Stamped;
use crate::journal::fixtures::started;

/// `s1 → s2 → s3` planned, nothing recorded yet.
fn chain() -> Timeline {
    let mut start = started(3);
    if let Event::RunStarted { steps, .. } = &mut start.event {
        steps[1].needs = vec![StepId::new("s1")];
        steps[2].needs = vec![StepId::new("s2")];
        steps[2].critical = true;
    }
    Timeline::from_events([&start])
}

fn t(hm: &str) -> Timestamp {
    format!("2026-12-06T{hm}:00Z").parse().unwrap()
}

fn entry(step: &str, start: Option<&str>, end: Option<&str>, outcome: Outcome) -> Entry {
    Entry {
        step: StepId::new(step),
        start: start.map(t),
        end: end.map(t),
        outcome,
        initials: "JD".into(),
        restore_point: None,
        reason: (outcome != Outcome::Done).then(|| "on paper".into()),
        place: format!("sheet.yaml:{step}"),
    }
}

fn origin() -> Origin {
    Origin {
        account: Some("clerk".into()),
        from: None,
        transcribed_at: Some(t("18:00")),
        ..Origin::default()
    }
}

#[test]
fn entries_become_began_and_finished_records_marked_paper_then_the_end() {
    let tl = chain();
    let entries = [
        entry("s2", Some("10:20"), Some("10:40"), Outcome::Done),
        entry("s1", Some("10:00"), Some("10:15"), Outcome::Done),
        entry("s3", None, Some("10:50"), Outcome::Skipped),
    ];
    let out = records(&tl, &entries, &origin(), Lang::En).unwrap();
    let names: Vec<(&str, String)> = out
        .events
        .iter()
        .map(|e| (e.event.name(), e.time.strftime("%H:%M").to_string()))
        .collect();
    assert_eq!(
        names,
        [
            ("step_began", "10:00".to_string()),
            ("step_finished", "10:15".into()),
            ("step_began", "10:20".into()),
            ("step_finished", "10:40".into()),
            ("step_finished", "10:50".into()),
            ("run_finished", "10:50".into()),
        ]
    );
    for e in &out.events[..5] {
        match &e.event {
            Event::StepBegan {
                source,
                by,
                origin: o,
                ..
            }
            | Event::StepFinished {
                source,
                by,
                origin: o,
                ..
            } => {
                assert_eq!(*source, Source::Paper);
                assert_eq!(by, "JD");
                assert_eq!(o, &origin());
            }
            other => panic!("{other:?}"),
        }
    }
    // A critical step skipped: degraded.
    assert!(matches!(
        out.events[5].event,
        Event::RunFinished {
            result: RunResult::Degraded
        }
    ));
}

#[test]
fn contradictions_are_refused_each_located() {
    let tl = chain();
    let entries = [
        entry("s1", Some("10:00"), Some("10:30"), Outcome::Done),
        // Starts before s1 ended.
        entry("s2", Some("10:20"), Some("10:40"), Outcome::Done),
        // Ends before it starts.
        entry("s3", Some("11:00"), Some("10:50"), Outcome::Done),
    ];
    let problems = records(&tl, &entries, &origin(), Lang::En).unwrap_err();
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 2, "{text:#?}");
    // Times are shown in the local zone, which the test does not fix.
    assert!(
        text[0].starts_with("sheet.yaml:s3: step 3 (s3) ends at 2026-12-06 "),
        "{text:#?}"
    );
    assert!(text[0].contains(" before it starts at "), "{text:#?}");
    assert!(
        text[1].starts_with("sheet.yaml:s2: step 2 (s2) starts at 2026-12-06 "),
        "{text:#?}"
    );
    assert!(
        text[1].contains(", before step 1 (s1) it comes after ended at "),
        "{text:#?}"
    );
}

#[test]
fn a_journal_continues_recorded_steps_stay_and_earlier_times_are_refused() {
    let mut tl = chain();
    let live = [
        Stamped {
            time: t("10:00"),
            event: Event::StepReady {
                step: StepId::new("s1"),
            },
        },
        Stamped {
            time: t("10:10"),
            event: Event::StepFinished {
                step: StepId::new("s1"),
                outcome: Outcome::Done,
                exit_code: Some(0),
                reason: None,
                by: "reprise".into(),
                origin: Origin::default(),
                source: Source::Command,
                attempts: 1,
                output_tail: vec![],
            },
        },
        Stamped {
            time: t("10:10"),
            event: Event::StepReady {
                step: StepId::new("s2"),
            },
        },
    ];
    for e in &live {
        tl.apply(e);
    }
    // Same outcome for s1: kept; s2 open since 10:10, the sheet ends it.
    let ok = records(
        &tl,
        &[
            entry("s1", Some("10:00"), Some("10:10"), Outcome::Done),
            entry("s2", Some("10:12"), Some("10:30"), Outcome::Done),
        ],
        &origin(),
        Lang::En,
    )
    .unwrap();
    assert_eq!(ok.kept, [StepId::new("s1")]);
    assert_eq!(ok.events.len(), 2, "{:?}", ok.events);
    assert!(
        ok.events
            .iter()
            .all(|e| e.event.step().unwrap().as_str() == "s2")
    );

    // A different outcome for s1; s2 earlier than the journal holds.
    let problems = records(
        &tl,
        &[
            entry("s1", None, Some("10:10"), Outcome::Failed),
            entry("s2", Some("10:05"), Some("10:30"), Outcome::Done),
        ],
        &origin(),
        Lang::En,
    )
    .unwrap_err();
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 3, "{text:#?}");
    assert!(
        text[0].contains("already recorded in the journal as done"),
        "{text:#?}"
    );
    assert!(
        text[1].contains("step 2 (s2) starts at 2026-12-06 "),
        "{text:#?}"
    );
    assert!(
        text[1].contains(" on the sheet, earlier than the journal's record of it"),
        "{text:#?}"
    );
    assert!(
        text[2].contains("before step 1 (s1) it comes after ended"),
        "{text:#?}"
    );
}

#[test]
fn missing_reasons_times_and_duplicates_are_problems() {
    let tl = chain();
    let mut failed = entry("s1", None, Some("10:00"), Outcome::Failed);
    failed.reason = None;
    let problems = records(
        &tl,
        &[
            failed,
            entry("s2", None, None, Outcome::Done),
            entry("s3", None, Some("11:00"), Outcome::Done),
            entry("s3", None, Some("11:00"), Outcome::Done),
        ],
        &origin(),
        Lang::En,
    )
    .unwrap_err();
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(text[0].contains("failed without a reason"), "{text:#?}");
    assert!(text[1].contains("neither a start nor an end"), "{text:#?}");
    assert!(text[2].contains("on the sheet twice"), "{text:#?}");
}

#[test]
fn warnings_are_said_in_the_sheets_language() {
    let tl = chain();
    let entries = [entry("s2", Some("10:20"), Some("10:40"), Outcome::Done)];
    let en = records(&tl, &entries, &origin(), Lang::En).unwrap();
    assert_eq!(
        en.warnings,
        ["sheet.yaml:s2: step 2 (s2) comes after step 1 (s1), which has no record yet"]
    );
    let fr = records(&tl, &entries, &origin(), Lang::Fr).unwrap();
    assert_eq!(
        fr.warnings,
        [
            "sheet.yaml:s2\u{a0}: l'étape 2 (s2) vient après l'étape 1 (s1), \
          qui n'a encore rien d'enregistré"
        ]
    );
}

#[test]
fn problems_are_said_in_the_sheets_language() {
    let tl = chain();
    let mut failed = entry("s1", None, Some("10:00"), Outcome::Failed);
    failed.reason = None;
    let entries = [failed, entry("s2", None, None, Outcome::Done)];
    let en = records(&tl, &entries, &origin(), Lang::En).unwrap_err();
    assert_eq!(
        en[0].to_string(),
        "sheet.yaml:s1: step 1 (s1) is failed without a reason\n  \
         hint: copy the reason from the sheet; write `reason: not written` if it is blank"
    );
    assert_eq!(en[0].said(Lang::En), en[0].to_string());
    let fr = records(&tl, &entries, &origin(), Lang::Fr).unwrap_err();
    let said: Vec<String> = fr.iter().map(|p| p.said(Lang::Fr)).collect();
    assert_eq!(
        said,
        [
            "sheet.yaml:s1\u{a0}: l'étape 1 (s1) est en échec sans motif\n  \
             conseil\u{a0}: recopiez le motif de la feuille\u{202f}; écrivez `reason: non écrit` \
             s'il est vide",
            "sheet.yaml:s2\u{a0}: l'étape 2 (s2) n'a ni heure de début ni heure de fin\n  \
             conseil\u{a0}: donnez au moins l'heure de fin (`end`)",
        ]
    );
}
