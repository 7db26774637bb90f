//! `reprise resume` of a French drill (`lang: fr`) killed with SIGKILL:
//! what it found, the leftovers it stopped, each interrupted step and the
//! abort or rollback it finishes are said in French, with no English left
//! in reprise's own words (the English lines are tested in `resume.rs`).

use crate::harness::Test;
use crate::resume::run_and_kill_when;

/// A copy that is not idempotent and a restart that is, both still
/// running when reprise is killed; each runs for long only the first time.
const CRASHED: &str = r#"version: 1
name: Bascule du DPI
lang: fr
defaults: {timeout: 5m}
steps:
  - id: arret
    title: Arrêter l'application
    run: "true"
  - id: copie
    title: Copier les données
    needs: [arret]
    run: "if [ -e copie-lancee ]; then exit 0; fi; touch copie-lancee; sleep 30"
  - id: relance
    title: Relancer le service
    idempotent: true
    run: "if [ -e relance-lancee ]; then exit 0; fi; touch relance-lancee; sleep 30"
"#;

/// English fixed strings of `resume` that must not be left in French.
const ENGLISH: [&str; 11] = [
    "warning:",
    "is incomplete",
    "it was removed before carrying on",
    "stopping what is left",
    "from the interrupted run",
    "was interrupted",
    "runs it again",
    "runs again",
    "resuming ",
    "events recorded",
    "to carry on from where",
];

fn assert_no_english(stderr: &str) {
    crate::harness::says_none(stderr, &ENGLISH);
}

#[test]
fn resume_of_a_crashed_french_drill_says_what_it_does_in_french() {
    let t = Test::new().file("drill.yaml", CRASHED);
    let dir = t.path().to_path_buf();
    run_and_kill_when(t.path(), |journal| {
        journal.contains(r#""step":"copie","attempt":1"#)
            && journal.contains(r#""step":"relance","attempt":1"#)
            && dir.join("copie-lancee").exists()
            && dir.join("relance-lancee").exists()
    });
    // The line being written when reprise died.
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(t.path().join("j.jsonl"))
        .unwrap();
    std::io::Write::write_all(&mut f, br#"{"seq":99,"time":"#).unwrap();
    drop(f);
    let out = crate::reliability::run_in(t.path(), &["resume", "j.jsonl", "--yes"]);
    out.code(0);
    let err = &out.stderr;
    crate::harness::says_all(
        err,
        &[
            "avertissement\u{a0}: j.jsonl\u{a0}: la ligne ",
            " est incomplète (17\u{a0}octets, sans fin de ligne)\u{a0}: reprise s'est arrêté en l'écrivant",
            "\u{202f}; elle a été retirée avant de poursuivre\n",
            "arrêt de ce qui reste de l'étape `copie` (tentative 1, groupe de processus ",
            ") de l'exécution interrompue\u{a0}: elle n'a rien affiché\n",
            "l'étape `copie` a été interrompue et n'est pas idempotente\u{202f}; --yes la relance\n",
            "l'étape `relance` a été interrompue\u{202f}; elle est idempotente et est relancée\n",
            "reprise du journal j.jsonl\u{a0}: ",
            " événements enregistrés, 2 étapes à poursuivre là où l'exercice \
         «\u{a0}Bascule du DPI\u{a0}» s'est arrêté\n",
        ],
    );
    assert_no_english(err);
    let journal = std::fs::read_to_string(t.path().join("j.jsonl")).unwrap();
    assert!(
        journal.contains(r#""event":"run_finished","result":"recovered""#),
        "{journal}"
    );
}

#[test]
fn resume_of_a_french_drill_rolling_back_says_so_in_french() {
    let runbook = r#"version: 1
name: Retour arrière en cours
lang: fr
defaults: {timeout: 5m}
steps:
  - id: premiere
    title: Première
    run: "true"
    rollback: "echo premiere >> annulees"
  - id: lente
    title: Lente et sourde à SIGTERM
    idempotent: true
    run: "trap '' TERM; sleep 30"
  - id: echoue
    title: Échoue et revient en arrière
    needs: [premiere]
    on_failure: rollback
    run: "exit 1"
"#;
    let t = Test::new().file("drill.yaml", runbook);
    run_and_kill_when(t.path(), |journal| {
        journal.contains(r#""event":"abort_requested""#)
    });
    let out = crate::reliability::run_in(t.path(), &["resume", "j.jsonl", "--yes"]);
    out.code(3);
    assert!(
        out.stderr.contains(
            "\u{202f}; l'exercice était en cours d'abandon avec retour arrière\u{a0}: \
             rien de nouveau ne démarre, le retour arrière est mené à son terme et \
             l'exercice se termine abandonné\n"
        ),
        "{}",
        out.stderr
    );
    assert_no_english(&out.stderr);
    assert!(!out.stderr.contains("rolled back"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(t.path().join("annulees")).unwrap(),
        "premiere\n"
    );
}
