//! A French drill without a terminal (issue 19): the dry run, a scripted
//! drill stopped by the engine's refusal, and the reasons the engine
//! records, all said in French; the journal keeps its English records.

use crate::harness::{Output, Test};

/// A confirmation with instructions, a role and hosts, a command, a
/// manual step and a step for incidents only.
const DRY: &str = r#"version: 1
name: Bascule SIL
lang: fr
objectives:
  rto: 1h
vars:
  TOKEN: { secret: true, value: s3cr3t-valeur-longue }
  CIBLE: {}
roles:
  labo: { members: [root] }
steps:
  - id: appeler
    title: Appeler le fournisseur
    role: labo
    estimate: 10m
  - id: arreter
    title: Arrêter les applications
    needs: [appeler]
    confirm: true
    instructions: Prévenir les services.
    role: labo
    run: "true"
    timeout: 1m
    estimate: 5m
  - id: reel
    title: Seulement en incident
    only: incident
    needs: [arreter]
    estimate: 1m
"#;

/// English words of the dry run that a French one must not show.
const ENGLISH: &[&str] = &[
    "Dry run",
    "nothing will be",
    "In order",
    "manual ",
    "confirm ",
    "run  ",
    "role:",
    "Simulated",
    "duration",
    "Estimated total",
    "within the RTO",
    "dry run:",
    "journal:",
    "(secret)",
    "no value yet",
    "runs only",
    "mode",
];

fn dry_run(runbook: &str) -> Output {
    Test::new()
        .file("rb.yaml", runbook)
        .args(["run", "rb.yaml", "--dry-run", "--journal", "j.jsonl"])
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .run()
}

#[test]
fn a_french_dry_run_is_said_in_french() {
    let out = dry_run(DRY);
    out.code(0);
    let all = format!("{}{}", out.stdout, out.stderr);
    crate::harness::says_all(
        &all,
        &[
            "Exercice à blanc de «\u{a0}Bascule SIL\u{a0}»\u{a0}: rien ne sera exécuté ni demandé.",
            "Les commandes reçoivent ces variables",
            "$TOKEN = *** (secrète)",
            "$CIBLE = (pas encore de valeur\u{a0}: demandée, ou donnée avec --var)",
            "Dans l'ordre, sans rien exécuter ni demander\u{a0}:",
            "+0\u{a0}s      manuelle #1 appeler  Appeler le fournisseur (rôle\u{a0}: labo)",
            "+10\u{a0}min   feu vert #2 arreter  Arrêter les applications (rôle\u{a0}: labo)",
            "Prévenir les services.",
            "+15\u{a0}min   s.o.     #3 reel     ne s'exécute qu'en incident réel",
            "+10\u{a0}min   commande #2 arreter  true",
            "Chronologie simulée (d'après les estimations)\u{a0}:",
            "début     étape       durée",
            "+10\u{a0}min   #2 arreter  5\u{a0}min",
            "Total estimé\u{a0}: 15\u{a0}min (dans la DMIA de 1\u{a0}h)",
            "exercice à blanc\u{a0}: reprise réussie",
            "journal\u{a0}: j.jsonl",
        ],
    );
    crate::harness::says_none(&all, ENGLISH);
    // The journal's records stay as they are: the engine's reason in
    // English.
    let reel = out
        .journal("j.jsonl")
        .into_iter()
        .find(|e| e["event"] == "step_finished" && e["step"] == "reel")
        .expect("reel finished");
    assert_eq!(reel["reason"], "runs only in incident mode");
}

#[test]
fn an_english_dry_run_is_unchanged() {
    let out = dry_run(&DRY.replace("lang: fr", "lang: en"));
    out.code(0);
    crate::harness::says_all(
        &out.stdout,
        &[
            "Dry run of \"Bascule SIL\": nothing will be executed and nothing asked.",
            "$TOKEN = *** (secret)",
            "$CIBLE = (no value yet: asked or given with --var)",
            "+0s       manual   #1 appeler  Appeler le fournisseur (role: labo)",
            "+10m      confirm  #2 arreter  Arrêter les applications (role: labo)",
            "  start     step        duration",
            "Estimated total: 15m (within the RTO of 1h)",
            "+15m      n/a      #3 reel     runs only in incident mode",
        ],
    );
    assert!(
        out.stderr.contains("dry run: recovered\njournal: j.jsonl"),
        "{}",
        out.stderr
    );
}

const SCRIPTED: &str = r#"version: 1
name: Bascule SIL
lang: fr
steps:
  - id: appeler
    title: Appeler le fournisseur
  - id: verifier
    title: Vérifier les sauvegardes
    needs: [appeler]
  - id: clore
    title: Clore
    needs: [verifier]
"#;

/// Cancelling a step that has ended is refused by the engine; an answers
/// file cannot argue, so the drill stops with the refusal as its reason.
const ANSWERS: &str = r#"appeler: done
verifier:
  answer: done
  changes:
    - cancel: { step: appeler, reason: plus utile }
clore: done
"#;

#[test]
fn a_refusal_stops_a_scripted_french_drill_in_french() {
    let out = Test::new()
        .file("rb.yaml", SCRIPTED)
        .file("answers.yaml", ANSWERS)
        .args([
            "run",
            "rb.yaml",
            "--answers",
            "answers.yaml",
            "--operator",
            "alice",
            "--journal",
            "j.jsonl",
        ])
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .run();
    out.code(3);
    let all = format!("{}{}", out.stdout, out.stderr);
    let refusal = "refusé\u{a0}: l'étape 1 `appeler` est déjà terminée (faite)\u{202f}; rien n'a \
                   été changé";
    for expected in [
        format!("exercice abandonné\u{a0}: {refusal}"),
        "#3 clore abandonnée (0\u{a0}s)\u{a0}: l'exercice a été abandonné".to_string(),
    ] {
        assert!(all.contains(&expected), "missing {expected:?} in:\n{all}");
    }
    assert!(
        all.lines()
            .any(|l| l.starts_with("clore ") && l.ends_with("l'exercice a été abandonné")),
        "the summary's reason:\n{all}"
    );
    crate::harness::says_none(
        &all,
        &[
            "refused",
            "nothing was",
            "drill aborted",
            "the drill was aborted",
        ],
    );
    let events = out.journal("j.jsonl");
    let clore = events
        .iter()
        .find(|e| e["event"] == "step_finished" && e["step"] == "clore")
        .expect("clore finished");
    assert_eq!(
        clore["reason"], "the drill was aborted",
        "the journal's words"
    );
}
