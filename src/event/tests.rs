use super::*;

#[test]
fn events_serialise_flat_with_snake_case_names() {
    let e = Stamped {
        time: "2026-11-29T08:00:00.123Z".parse().unwrap(),
        event: Event::StepFinished {
            origin: Default::default(),
            step: StepId::new("stop-app"),
            outcome: Outcome::NotApplicable,
            exit_code: None,
            reason: None,
            by: "alice".into(),
            source: Source::Engine,
            attempts: 0,
            output_tail: vec![],
        },
    };
    let json = serde_json::to_string(&e).unwrap();
    assert_eq!(
        json,
        r#"{"time":"2026-11-29T08:00:00.123Z","event":"step_finished","step":"stop-app","outcome":"not_applicable","by":"alice","source":"engine"}"#
    );
    let back: Stamped = serde_json::from_str(&json).unwrap();
    assert_eq!(back, e);
    assert_eq!(e.event.name(), "step_finished");
}
