//! The chain and sequence checks on intact, edited, torn and streamed journals.

use std::path::Path;

use jiff::Timestamp;

use super::{Summary, stream_verified, verify};
use crate::event::{Event, RunResult, Source};
use crate::journal::{Error, fixtures, read_bytes};

/// A finished journal of six lines, as bytes, one entry per line.
fn lines() -> Vec<String> {
    let bytes = fixtures::journal_bytes(&fixtures::drill(4));
    String::from_utf8(bytes)
        .unwrap()
        .lines()
        .map(|l| format!("{l}\n"))
        .collect()
}

fn check(lines: &[String]) -> Result<Summary, Error> {
    let journal = read_bytes(Path::new("j.jsonl"), lines.concat().as_bytes())?;
    verify(&journal)
}

#[track_caller]
fn bad_line(lines: &[String]) -> (usize, String) {
    let err = check(lines).expect_err("tampering must be detected");
    (err.line().expect("the error names a line"), err.to_string())
}

#[test]
fn paper_records_must_carry_both_marks() {
    use crate::event::{Outcome, Stamped};
    use crate::identity::Origin;
    use crate::runbook::StepId;
    let marked = Origin {
        transcribed_at: Some(Timestamp::UNIX_EPOCH),
        ..Origin::default()
    };
    let began = |source, origin: &Origin| Stamped {
        time: Timestamp::UNIX_EPOCH,
        event: Event::StepBegan {
            step: StepId::new("s1"),
            by: "JD".into(),
            origin: origin.clone(),
            source,
        },
    };
    let finished = |source, origin: &Origin| Stamped {
        time: Timestamp::UNIX_EPOCH,
        event: Event::StepFinished {
            step: StepId::new("s1"),
            outcome: Outcome::Done,
            exit_code: None,
            reason: None,
            by: "JD".into(),
            origin: origin.clone(),
            source,
            attempts: 0,
            output_tail: vec![],
        },
    };
    let journal = |e: Stamped| {
        let bytes = fixtures::journal_bytes(&[fixtures::started(1), e]);
        verify(&read_bytes(Path::new("j.jsonl"), &bytes).unwrap())
    };
    assert!(journal(began(Source::Paper, &marked)).is_ok());
    assert!(journal(finished(Source::Paper, &marked)).is_ok());
    for (e, expected) in [
        (
            began(Source::Operator, &marked),
            "line 2 is a `step_began` with `source: operator`",
        ),
        (
            began(Source::Paper, &Origin::default()),
            "line 2 is a `step_began` from paper without `transcribed_at`",
        ),
        (
            finished(Source::Paper, &Origin::default()),
            "line 2 is a `step_finished` from paper without `transcribed_at`",
        ),
        (
            finished(Source::Command, &marked),
            "line 2 is a `step_finished` with `transcribed_at` that is not from paper",
        ),
    ] {
        let err = journal(e).unwrap_err().to_string();
        assert!(err.contains(expected), "{err}");
    }
}

#[test]
fn only_notes_and_comings_and_goings_may_be_an_observers() {
    use crate::event::{Outcome, Source, Stamped};
    use crate::identity::Origin;
    let observer = Origin {
        account: Some("audit1".into()),
        observer: true,
        ..Origin::default()
    };
    let journal = |event: Event| {
        let e = Stamped {
            time: Timestamp::UNIX_EPOCH,
            event,
        };
        let bytes = fixtures::journal_bytes(&[fixtures::started(1), e]);
        verify(&read_bytes(Path::new("j.jsonl"), &bytes).unwrap())
    };
    let note = Event::Note {
        text: "the vendor took 40 min to answer".into(),
        by: "auditor".into(),
        origin: observer.clone(),
        step: None,
    };
    assert!(journal(note).is_ok());
    let finished = Event::StepFinished {
        step: crate::runbook::StepId::new("s1"),
        outcome: Outcome::Done,
        exit_code: None,
        reason: None,
        by: "auditor".into(),
        origin: observer,
        source: Source::Operator,
        attempts: 0,
        output_tail: Vec::new(),
    };
    let err = journal(finished).unwrap_err().to_string();
    assert!(
        err.contains("line 2 is a `step_finished` marked `observer`"),
        "{err}"
    );
}

#[test]
fn an_untouched_journal_is_intact() {
    let s = check(&lines()).unwrap();
    assert_eq!(s.events, 6);
    assert_eq!(s.name, "fixture");
    assert_eq!(s.result, Some(RunResult::Recovered));
    assert_eq!(s.head, crate::journal::line_hash(lines()[5].as_bytes()));
}

#[test]
fn a_changed_byte_names_the_changed_line() {
    for target in 0..5 {
        let mut l = lines();
        l[target] = l[target].replacen("2026-11-29T08:", "2026-11-29T09:", 1);
        let (line, text) = bad_line(&l);
        assert_eq!(line, target + 1, "{text}");
        assert!(text.contains("altered"), "{text}");
    }
}

/// Approvals and records made for another role are chained like the
/// rest: a forged count or role is found.
#[test]
fn approvals_and_roles_are_covered() {
    use crate::event::{Event, Stamped};
    let mut events = fixtures::drill(2);
    let approval = |count, time: &str| Stamped {
        time: time.parse().unwrap(),
        event: Event::Approval {
            step: crate::runbook::StepId::new("s2"),
            approved: true,
            reason: None,
            by: "stor1".into(),
            origin: crate::identity::Origin {
                account: Some("stor1".into()),
                from: None,
                for_role: Some("storage".into()),
                transcribed_at: None,
                observer: false,
            },
            count,
            needed: 2,
        },
    };
    events.insert(2, approval(1, "2026-11-29T08:00:01.500Z"));
    if let Event::StepFinished { origin, .. } = &mut events[3].event {
        origin.for_role = Some("storage".into());
    }
    let text = String::from_utf8(fixtures::journal_bytes(&events)).unwrap();
    assert!(text.contains(r#""event":"approval""#), "{text}");
    assert!(text.contains(r#""for_role":"storage""#), "{text}");
    let l: Vec<String> = text.lines().map(|l| format!("{l}\n")).collect();
    assert_eq!(check(&l).unwrap().events, events.len());
    for (from, to) in [
        (r#""count":1"#, r#""count":2"#),
        (r#""for_role":"storage""#, r#""for_role":"lab""#),
    ] {
        let mut forged = l.clone();
        let i = forged.iter().position(|x| x.contains(from)).unwrap();
        forged[i] = forged[i].replacen(from, to, 1);
        let (line, text) = bad_line(&forged);
        assert_eq!(line, i + 1, "{text}");
    }
}

/// An added step's definition is chained like the rest: a forged
/// `before` (a step that did not wait) or command is found.
#[test]
fn added_steps_are_covered() {
    use crate::event::{Event, Stamped};
    use crate::runbook::{PhaseId, StepId, StepKind};
    let mut events = fixtures::drill(2);
    events.insert(
        2,
        Stamped {
            time: "2026-11-29T08:00:01.500Z".parse().unwrap(),
            event: Event::StepAdded {
                step: StepId::new("added-3"),
                number: 3,
                added: Box::new(crate::event::AddedStep {
                    title: "Restore vol7".into(),
                    phase: PhaseId::new("main"),
                    kind: StepKind::Confirm,
                    run: Some("restore vol7".into()),
                    timeout: None,
                    role: None,
                    estimate: None,
                    after: vec![StepId::new("s1")],
                    before: vec![StepId::new("s2")],
                }),
                reason: "vol7 is corrupted".into(),
                by: "alice".into(),
                origin: Default::default(),
            },
        },
    );
    let text = String::from_utf8(fixtures::journal_bytes(&events)).unwrap();
    assert!(text.contains(r#""event":"step_added""#), "{text}");
    let l: Vec<String> = text.lines().map(|l| format!("{l}\n")).collect();
    assert_eq!(check(&l).unwrap().events, events.len());
    for (from, to) in [
        (r#""before":["s2"]"#, r#""before":["s1"]"#),
        (r#""run":"restore vol7""#, r#""run":"rm -rf /""#),
    ] {
        let mut forged = l.clone();
        let i = forged.iter().position(|x| x.contains(from)).unwrap();
        forged[i] = forged[i].replacen(from, to, 1);
        let (line, text) = bad_line(&forged);
        assert_eq!(line, i + 1, "{text}");
    }
}

#[test]
fn a_changed_prev_names_its_line() {
    let mut l = lines();
    let at = l[2].find("\"prev\":\"").unwrap() + 8;
    let flipped = if &l[2][at..at + 1] == "a" { "b" } else { "a" };
    l[2].replace_range(at..at + 1, flipped);
    let (line, text) = bad_line(&l);
    assert_eq!(line, 3, "{text}");
}

#[test]
fn a_deleted_line_is_named_where_it_was() {
    for target in 0..6 {
        let mut l = lines();
        l.remove(target);
        if target == 5 {
            // The tail can be cut without a trace in the chain: the
            // result is simply gone.
            assert_eq!(check(&l).unwrap().result, None);
            continue;
        }
        let (line, text) = bad_line(&l);
        assert_eq!(line, target + 1, "{text}");
        assert!(text.contains("removed"), "{text}");
    }
}

#[test]
fn swapped_lines_are_named() {
    for target in 0..5 {
        let mut l = lines();
        l.swap(target, target + 1);
        let (line, text) = bad_line(&l);
        assert_eq!(line, target + 1, "{text}");
        assert!(text.contains("swapped"), "{text}");
    }
}

#[test]
fn an_inserted_copy_is_named() {
    let mut l = lines();
    let copy = l[1].clone();
    l.insert(3, copy);
    let (line, text) = bad_line(&l);
    assert_eq!(line, 4, "{text}");
    assert!(text.contains("inserted"), "{text}");
}

#[test]
fn a_well_forged_insertion_is_named() {
    // The forger gives the intruder the right seq and prev.
    let l = lines();
    let mut forged = l[..3].to_vec();
    let seq_fixed = l[2].replacen("\"seq\":2,", "\"seq\":3,", 1);
    let intruder = seq_fixed.replacen(
        &format!(
            "\"prev\":\"{}\"",
            crate::journal::line_hash(l[1].as_bytes())
        ),
        &format!(
            "\"prev\":\"{}\"",
            crate::journal::line_hash(l[2].as_bytes())
        ),
        1,
    );
    forged.push(intruder);
    forged.extend_from_slice(&l[3..]);
    let (line, text) = bad_line(&forged);
    assert_eq!(line, 4, "{text}");
}

#[test]
fn a_forged_append_is_named() {
    // Naive: a copy of an earlier line.
    let mut l = lines();
    l.push(l[2].clone());
    assert_eq!(bad_line(&l).0, 7);

    // Careful: right seq and prev, but after the end of the drill.
    let mut l = lines();
    let last = crate::journal::line_hash(l[5].as_bytes());
    let at = l[2].find("\"prev\":\"").unwrap();
    let forged = format!(
        "{}\"prev\":\"{last}\"}}\n",
        l[2][..at].replacen("\"seq\":2,", "\"seq\":6,", 1)
    );
    l.push(forged);
    let (line, text) = bad_line(&l);
    assert_eq!(line, 7, "{text}");
    assert!(text.contains("after `run_finished`"), "{text}");
}

#[test]
fn a_journal_must_start_with_run_started() {
    let mut v = fixtures::drill(1);
    v.remove(0);
    let bytes = fixtures::journal_bytes(&v);
    let err = verify(&read_bytes(Path::new("j.jsonl"), &bytes).unwrap()).unwrap_err();
    assert_eq!(err.line(), Some(1));
    assert!(
        err.to_string().contains("starts with `run_started`"),
        "{err}"
    );
}

#[test]
fn an_empty_journal_is_an_error() {
    let j = read_bytes(Path::new("j.jsonl"), b"").unwrap();
    assert!(matches!(verify(&j), Err(Error::Empty { .. })));
}

/// `report`, `status` and `verify` check the chain as they stream the
/// journal: the same verdict, line and words as the whole journal's,
/// for every edit these tests make, and every event handed over.
#[test]
fn the_streamed_check_says_what_the_whole_one_says() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.jsonl");
    let mut variants = vec![lines()];
    for target in 0..6 {
        let mut l = lines();
        l.remove(target);
        variants.push(l);
        let mut l = lines();
        l[target] = l[target].replacen("alice", "mallory", 1);
        variants.push(l);
        let mut l = lines();
        l.insert(target, l[target].clone());
        variants.push(l);
    }
    for target in 0..5 {
        let mut l = lines();
        l.swap(target, target + 1);
        variants.push(l);
    }
    for l in variants {
        std::fs::write(&path, l.concat()).unwrap();
        let whole = crate::journal::read(&path).unwrap();
        let mut seen = 0;
        let streamed = stream_verified(&path, |_| seen += 1).unwrap();
        assert_eq!(seen, whole.entries.len());
        match (verify(&whole), streamed.chain) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            (a, b) => panic!("whole: {a:?}, streamed: {b:?}"),
        }
    }
}
