use super::*;
use crate::exec::Exit;
use crate::terminal::test_runbook;

fn session() -> Session {
    Session::new(&test_runbook(), &"alice".into())
}

const MANUAL_A: StepIndex = StepIndex(0);
const MANUAL_B: StepIndex = StepIndex(1);
const COMMAND: StepIndex = StepIndex(2);

#[test]
fn items_answer_in_any_order_by_number_or_id() {
    let mut s = session();
    assert_eq!(s.ask(&Question::Manual { step: MANUAL_A }), 1);
    assert_eq!(s.ask(&Question::Manual { step: MANUAL_B }), 2);
    let r = s.line("done 2");
    assert_eq!(
        r.inputs,
        vec![OperatorInput::Record {
            step: MANUAL_B,
            outcome: Outcome::Done,
            reason: None,
            by: "alice".into(),
            auto: false,
        }]
    );
    let r = s.line("  done   call-vendor ");
    assert_eq!(r.inputs.len(), 1, "{r:?}");
    assert!(matches!(
        r.inputs[0],
        OperatorInput::Record { step: MANUAL_A, .. }
    ));
    assert_eq!(s.items().count(), 0);
    // A closed item cannot be answered again.
    let r = s.line("done 1");
    assert!(r.inputs.is_empty());
    assert!(r.text[0].contains("not an open item"), "{r:?}");
}

#[test]
fn an_item_keeps_its_steps_number_whatever_opens_first() {
    let mut s = session();
    // The command's question opens first: it is still #3.
    let failed = Question::Failed {
        step: COMMAND,
        exit: Exit::default(),
        hosts: vec![],
    };
    assert_eq!(s.ask(&failed), 3);
    assert_eq!(s.ask(&Question::Manual { step: MANUAL_B }), 2);
    s.line("done 2");
    assert!(
        s.line("done 2").inputs.is_empty(),
        "closed items stay closed"
    );
    // Asked again (a retry failed again): the same number.
    s.line("retry 3 port held");
    assert_eq!(s.ask(&failed), 3);
    assert_eq!(s.number_of(COMMAND), Some(3));
    assert!(s.line("done 1").inputs.is_empty(), "#1 was never opened");
}

#[test]
fn numbers_are_one_based_file_order() {
    assert_eq!(StepIndex(0).number(), 1);
    assert_eq!(StepIndex(41).number(), 42);
    assert_eq!(StepIndex::from_number(42), Some(StepIndex(41)));
    assert_eq!(StepIndex::from_number(0), None);
}

#[test]
fn a_deviation_without_reason_asks_for_one() {
    let mut s = session();
    s.ask(&Question::Manual { step: MANUAL_A });
    let r = s.line("skip 1");
    assert!(r.inputs.is_empty());
    assert_eq!(s.prompt(), "why skip #1? (Enter to cancel) ");
    let r = s.line("vendor unreachable");
    assert_eq!(
        r.inputs,
        vec![OperatorInput::Record {
            step: MANUAL_A,
            outcome: Outcome::Skipped,
            reason: Some("vendor unreachable".into()),
            by: "alice".into(),
            auto: false,
        }]
    );
    assert_eq!(s.prompt(), PROMPT);
}

#[test]
fn an_empty_reason_cancels() {
    let mut s = session();
    s.ask(&Question::Manual { step: MANUAL_A });
    s.line("fail 1");
    let r = s.line("");
    assert!(r.inputs.is_empty());
    assert_eq!(r.text, vec!["cancelled: nothing recorded"]);
    // Still open.
    assert_eq!(s.number_of(MANUAL_A), Some(1));
}

#[test]
fn failed_steps_take_every_decision_with_a_reason() {
    for (word, decision) in [
        ("retry", Decision::Retry),
        ("mark-done", Decision::MarkDone),
        ("skip", Decision::Skip),
        ("continue", Decision::Continue),
        ("abort", Decision::Abort),
        ("rollback", Decision::Rollback),
    ] {
        let mut s = session();
        s.ask(&Question::Failed {
            step: COMMAND,
            exit: Exit::default(),
            hosts: vec![],
        });
        let r = s.line(&format!("{word} 3 disk was full"));
        assert_eq!(
            r.inputs,
            vec![OperatorInput::Decide {
                step: COMMAND,
                decision,
                reason: Some("disk was full".into()),
                by: "alice".into(),
                auto: false,
            }],
            "{word}"
        );
    }
}

#[test]
fn a_word_an_item_does_not_take_says_what_it_takes() {
    let mut s = session();
    s.ask(&Question::Confirm { step: COMMAND });
    let r = s.line("done 3");
    assert!(r.inputs.is_empty());
    assert_eq!(
        r.text,
        vec!["#3 restart-app (waiting for confirmation): type `run 3`, `skip 3`"]
    );
    let r = s.line("run 3");
    assert!(matches!(
        r.inputs[..],
        [OperatorInput::Decide {
            decision: Decision::Run,
            reason: None,
            ..
        }]
    ));
}

#[test]
fn handover_changes_who_records() {
    let mut s = session();
    s.ask(&Question::Manual { step: MANUAL_A });
    let r = s.line("handover bob night shift");
    assert_eq!(
        r.inputs,
        vec![OperatorInput::Handover {
            to: "bob".into(),
            note: Some("night shift".into()),
            by: "alice".into(),
        }]
    );
    let r = s.line("done 1");
    assert!(matches!(&r.inputs[..], [OperatorInput::Record { by, .. }] if by.name == "bob"));
    let r = s.line("note all good");
    assert_eq!(
        r.inputs,
        vec![OperatorInput::Note {
            text: "all good".into(),
            step: None,
            by: "bob".into()
        }]
    );
}

#[test]
fn notes_can_name_an_item() {
    let mut s = session();
    s.ask(&Question::Manual { step: MANUAL_B });
    let r = s.line("note #2 vendor called back");
    assert_eq!(
        r.inputs,
        vec![OperatorInput::Note {
            text: "vendor called back".into(),
            step: Some(MANUAL_B),
            by: "alice".into()
        }]
    );
    // Without `#`, a number is just text.
    let r = s.line("note 3 servers rebooted");
    assert!(
        matches!(&r.inputs[..], [OperatorInput::Note { step: None, text, .. }] if text == "3 servers rebooted")
    );
}

#[test]
fn first_ctrl_c_asks_second_forces() {
    let mut s = session();
    assert_eq!(s.interrupted(), Interrupt::Asking);
    assert_eq!(s.prompt(), ABORT_QUESTION);
    assert_eq!(s.line("").text, vec!["going on"]);
    assert_eq!(s.prompt(), PROMPT);
    assert_eq!(s.interrupted(), Interrupt::Asking);
    let r = s.line("site is down");
    assert_eq!(
        r.inputs,
        vec![OperatorInput::Abort {
            by: "alice".into(),
            reason: Some("site is down".into())
        }]
    );
    assert_eq!(s.interrupted(), Interrupt::Asking);
    assert_eq!(s.interrupted(), Interrupt::Abort);
}

#[test]
fn abort_asks_for_a_reason() {
    let mut s = session();
    assert!(s.line("abort").inputs.is_empty());
    assert_eq!(s.prompt(), "why abort the drill? (Enter to cancel) ");
    let r = s.line("wrong runbook");
    assert!(
        matches!(&r.inputs[..], [OperatorInput::Abort { reason: Some(r), .. }] if r == "wrong runbook")
    );
}

#[test]
fn a_retracted_item_drops_its_pending_reason() {
    let mut s = session();
    s.ask(&Question::Manual { step: MANUAL_A });
    s.line("skip 1");
    assert_eq!(s.close(MANUAL_A), Some(1));
    assert_eq!(s.prompt(), PROMPT);
    assert!(s.line("too late").inputs.is_empty());
}

#[test]
fn help_lists_every_command() {
    let mut s = session();
    let text = s.line("help").text.join("\n");
    for (command, _) in help_entries(crate::i18n::Lang::En) {
        assert!(text.contains(&command), "{command} missing from help");
    }
    assert_eq!(
        help_entries(crate::i18n::Lang::En).len(),
        help_commands().count()
    );
    assert!(s.line("frobnicate 2").text[0].contains("unknown command `frobnicate`"));
}

#[test]
fn list_shows_a_confirmations_instructions_before_its_command() {
    let mut rb = test_runbook();
    rb.steps[2].confirm = true;
    rb.steps[2].role = Some("ops".into());
    rb.steps[2].instructions = Some("Production! only after the DBA's go.".into());
    let mut s = Session::new(&rb, &"alice".into());
    s.ask(&Question::Confirm { step: COMMAND });
    insta::assert_snapshot!(s.line("list").text.join("\n"), @r"
        open items (operator: alice):
          #3 restart-app (waiting for confirmation): type `run 3`, `skip 3`
              role: ops
              Production! only after the DBA's go.
              command: systemctl restart app
        ");
}

#[test]
fn list_shows_open_items_and_what_they_take() {
    let mut s = session();
    s.ask(&Question::Manual { step: MANUAL_A });
    s.ask(&Question::Failed {
        step: COMMAND,
        exit: Exit {
            ending: crate::event::Ending::exited(2),
            ..Exit::default()
        },
        hosts: vec![],
    });
    insta::assert_snapshot!(s.line("list").text.join("\n"), @r"
        open items (operator: alice):
          #1 call-vendor (manual step): type `done 1`, `fail 1`, `skip 1`
          #3 restart-app (failed, exit 2): type `retry 3`, `mark-done 3`, `skip 3`, `continue 3`, `abort 3`, `rollback 3`
        ");
}
