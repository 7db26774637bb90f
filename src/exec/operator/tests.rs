use super::*;
use crate::exec::engine::tests::{cmd, manual, runbook};

fn rb() -> Runbook {
    runbook(vec![
        manual("declare"),
        cmd("failover"),
        manual("call-back"),
    ])
}

#[test]
fn answers_take_words_mappings_and_lists() {
    let text = "\
declare: done
failover:
  - { answer: retry, reason: array still syncing }
  - { decision: mark_done, reason: done on the console, note: slow array }
call-back: { outcome: skipped, reason: nobody to call }
";
    let a = Answers::parse(text, &rb()).unwrap();
    assert!(a.has(StepIndex(0)) && a.has(StepIndex(1)) && a.has(StepIndex(2)));
    let failover = &a.by_step[&StepIndex(1)];
    assert_eq!(failover.len(), 2);
    assert_eq!(failover[0].word, Word::Decision(Decision::Retry));
    assert_eq!(failover[1].note.as_deref(), Some("slow array"));
    assert_eq!(failover[1].line, 4);
}

#[test]
fn answers_errors_are_located_and_suggest() {
    let text = "\
declar: done
failover: mark_done
call-back: finished
";
    let errors = Answers::parse(text, &rb()).unwrap_err();
    let shown: Vec<String> = errors.iter().map(|e| e.render("a.yaml")).collect();
    assert_eq!(
        shown,
        [
            "a.yaml:1:1: unknown step `declar`\n  hint: did you mean `declare`?",
            "a.yaml:2:11: `mark_done` for step `failover` needs a reason\n  hint: write it as { answer: mark_done, reason: \"why\" }",
            "a.yaml:3:12: `finished` is not an answer\n  hint: answer with one of: done, failed, skipped, run, retry, retry_all, mark_done, mark_failed, skip, continue, abort, rollback",
        ]
    );
}

/// `failover: done` passed parsing; the engine then asked again (marking
/// a failed command done needs a reason) and the drill stopped for want
/// of an answer.
#[test]
fn done_for_a_command_step_without_a_reason_is_refused() {
    let errors = Answers::parse("failover: done\n", &rb()).unwrap_err();
    let shown: Vec<String> = errors.iter().map(|e| e.render("a.yaml")).collect();
    assert_eq!(
        shown,
        [
            "a.yaml:1:11: `done` for command step `failover` would mark its failed command done, which needs a reason\n  hint: write it as { answer: mark_done, reason: \"why\" }, or answer `retry`, `skip` or `abort`"
        ]
    );
    // With a reason, or for a manual step, it stands.
    assert!(
        Answers::parse(
            "failover: { answer: done, reason: checked by hand }\ndeclare: done\n",
            &rb()
        )
        .is_ok()
    );
    // At run time too (a step with a rollback or a confirmation may
    // take `done` for those): a bare `done` does not answer a failure.
    let a = Answers::parse("declare: done\n", &rb()).unwrap();
    let op = AnswersOperator::new(a, &rb(), &"alice".into(), "a.yaml");
    let bare = Answer {
        word: Word::Outcome(Outcome::Done),
        reason: None,
        note: None,
        action: None,
        restore_point: None,
        changes: Vec::new(),
        line: 1,
    };
    let failed = Question::Failed {
        step: StepIndex(1),
        exit: Default::default(),
        hosts: vec![],
    };
    assert!(op.input(&failed, &bare).is_none());
    let reasoned = Answer {
        reason: Some("checked by hand".into()),
        ..bare
    };
    assert!(op.input(&failed, &reasoned).is_some());
}

#[test]
fn malformed_answers_say_where() {
    let errors = Answers::parse("declare: { answer: done, why: x }\n", &rb()).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].line == 1, "{errors:?}");
    assert!(errors[0].message.contains("why"), "{errors:?}");
    assert!(Answers::parse("", &rb()).is_ok());
}

fn answer(op: &mut dyn Operator, q: Question) -> Vec<Input> {
    let (tx, rx) = std::sync::mpsc::channel();
    op.start(tx);
    op.ask(&q);
    rx.try_iter().collect()
}

#[test]
fn yes_confirms_manual_steps_and_stops_on_ask() {
    let rb = rb();
    let mut yes = Yes::new(&rb, &"alice".into());
    let got = answer(&mut yes, Question::Manual { step: StepIndex(0) });
    assert!(matches!(
        &got[..],
        [Input::Operator(OperatorInput::Record {
            outcome: Outcome::Done,
            auto: true,
            ..
        })]
    ));
    let got = answer(
        &mut yes,
        Question::Failed {
            step: StepIndex(1),
            exit: Default::default(),
            hosts: vec![],
        },
    );
    assert!(matches!(
        &got[..],
        [Input::Operator(OperatorInput::Unanswerable { message, .. })] if message.contains("--answers")
    ));
}

#[test]
fn an_answer_that_does_not_fit_or_runs_out_stops_the_drill() {
    let rb = rb();
    let a = Answers::parse("failover: done\ndeclare: retry-me\n", &rb);
    assert!(a.is_err());
    let a = Answers::parse("failover: { answer: skipped, reason: r }\n", &rb).unwrap();
    let mut op = AnswersOperator::new(a, &rb, &"alice".into(), "a.yaml");
    // `skipped` answers a confirmation…
    let got = answer(&mut op, Question::Confirm { step: StepIndex(1) });
    assert!(matches!(
        &got[..],
        [Input::Operator(OperatorInput::Decide {
            decision: Decision::Skip,
            ..
        })]
    ));
    // …and there is no second answer.
    let got = answer(&mut op, Question::Confirm { step: StepIndex(1) });
    assert!(matches!(
        &got[..],
        [Input::Operator(OperatorInput::Unanswerable { message, .. })] if message.contains("a.yaml")
    ));
}

/// The message each operator stops the drill with, for a drill in `lang`.
fn stops(lang: &str) -> Vec<String> {
    let mut rb = rb();
    rb.exercise.lang = Some(lang.into());
    let failed = || Question::Failed {
        step: StepIndex(1),
        exit: Default::default(),
        hosts: vec![],
    };
    let a = Answers::parse("call-back: run\n", &rb).expect("answers");
    let mut scripted = AnswersOperator::new(a, &rb, &"alice".into(), "a.yaml");
    let got = [
        answer(
            &mut Nobody::new(&rb),
            Question::Manual { step: StepIndex(0) },
        ),
        answer(&mut Yes::new(&rb, &"alice".into()), failed()),
        answer(&mut scripted, failed()),
        answer(&mut scripted, Question::Manual { step: StepIndex(2) }),
    ];
    got.into_iter()
        .map(|inputs| match &inputs[..] {
            [Input::Operator(OperatorInput::Unanswerable { message, .. })] => message.clone(),
            other => panic!("not a stop: {other:?}"),
        })
        .collect()
}

#[test]
fn why_the_drill_stops_keeps_its_english_words() {
    assert_eq!(
        stops("en"),
        [
            "step `declare` is a manual step and there is no terminal to ask: run it at a \
             terminal, or pass --yes (confirm manual steps and confirmations) or --answers FILE \
             (script every answer, see docs/answers.md)",
            "step `failover` failed and its on_failure is `ask`: --yes does not choose for you, \
             so the drill stops (use --answers FILE to script the decision)",
            "step `failover` failed and its on_failure is `ask` and a.yaml has no (more) answers \
             for it: add one, or run at a terminal",
            "a.yaml:1: `run` does not answer step `call-back`, which is a manual step",
        ]
    );
}

#[test]
fn a_french_drill_stops_in_french() {
    let said = stops("fr");
    let french = [
        "l'étape `declare` est une étape manuelle et aucun terminal",
        "--yes ne choisit pas à votre place",
        "a.yaml n'a pas (ou plus) de réponse pour elle",
        "a.yaml:1\u{a0}: `run` ne répond pas à l'étape `call-back`, qui est une étape manuelle",
    ];
    for (said, french) in said.iter().zip(french) {
        assert!(said.contains(french), "{said}");
        for english in [
            "step `",
            "there is no terminal",
            "does not",
            "has no",
            "run it at",
        ] {
            assert!(!said.contains(english), "{said}");
        }
    }
    assert!(said[0].contains("lancez-le depuis un terminal"));
}
