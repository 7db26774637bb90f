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

#[test]
fn a_hosts_cause_reads_the_same_in_english_and_in_french_words() {
    use crate::i18n::Lang;
    let all = [
        (HostCause::Unreachable, "unreachable", "injoignable"),
        (
            HostCause::Auth,
            "authentication refused",
            "authentification refusée",
        ),
        (
            HostCause::HostKey,
            "host key unknown or changed",
            "clé d'hôte inconnue ou modifiée",
        ),
        (HostCause::Exit, "exit 1", "code de sortie 1"),
        (HostCause::Signal, "killed by SIGKILL", "tuée par SIGKILL"),
        (HostCause::TimedOut, "timed out", "délai dépassé"),
        (HostCause::Aborted, "aborted", "abandonnée"),
        (
            HostCause::NotStarted,
            "ssh could not start",
            "ssh n'a pas pu démarrer",
        ),
        (
            HostCause::ConnectionLost,
            "connection lost while running",
            "connexion perdue pendant l'exécution",
        ),
    ];
    for (cause, en, fr) in all {
        assert_eq!(cause.text(Some(1), Some("SIGKILL")), en);
        assert_eq!(cause.say(Lang::Fr, Some(1), Some("SIGKILL")), fr);
    }
    assert_eq!(HostCause::Exit.text(None, None), "failed");
    assert_eq!(HostCause::Signal.text(None, None), "killed by a signal");
    assert_eq!(
        HostCause::Signal.say(Lang::Fr, None, None),
        "tuée par un signal"
    );
}
