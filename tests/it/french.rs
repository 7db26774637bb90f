//! A French drill (`lang: fr`) read back in French: `status`, the paper
//! checklist and `compare`, through the binary, with no English left in
//! reprise's own words.

use crate::harness::Test;

/// A `lang: fr` runbook: a command, a manual step, a service with its RTO
/// and RPO.
pub const RUNBOOK: &str = "\
version: 1
name: Bascule du DPI
lang: fr
objectives:
  rto: 2h
  services:
    DPI: { rto: 1h, rpo: 15m }
steps:
  - id: arret-primaire
    title: Arrêter la base primaire
    run: 'true'
    timeout: 1m
    estimate: 5m
  - id: verifier-dpi
    title: Vérifier le DPI avec le service de soins
    instructions: Ouvrir un dossier patient et le relire
    restores: DPI
    needs: [arret-primaire]
    estimate: 10m
";

/// `status` of a finished `lang: fr` drill: every fixed text French,
/// durations « 5 min », times in the local zone, named; `--lang en` gives
/// the English view of the same journal.
#[test]
fn status_of_a_french_drill_is_french() {
    let out = Test::new()
        .file("rb.yaml", RUNBOOK)
        .args(["run", "--yes", "rb.yaml", "--journal", "j.jsonl"])
        .run();
    out.code(0);
    let status = |extra: &[&str]| {
        let mut args = vec!["status", "j.jsonl"];
        args.extend(extra);
        let s = Test::new()
            .file("j.jsonl", out.read("j.jsonl"))
            .env("LANG", "C.UTF-8")
            .env("TZ", "Europe/Paris")
            .args(args)
            .run();
        s.code(0);
        s.stdout.clone()
    };
    let fr = status(&[]);
    for said in [
        "Bascule du DPI — exercice\n",
        "commencé le ",
        " CET (UTC+01:00) par ",
        "heures en Europe/Paris",
        "pour une DMIA de 2\u{a0}h\u{a0}: respectée, avec ",
        "terminé (reprise réussie) le ",
        "étapes\u{a0}: 2 faites (2 en tout)",
        "services\u{a0}:\n",
        "#1 faite ",
        "sur 5\u{a0}min",
        "(par reprise ",
    ] {
        assert!(fr.contains(said), "{said:?} not in\n{fr}");
    }
    let english = [
        "started ",
        " by ",
        "recovered",
        "against RTO",
        "finished",
        "steps:",
        " done",
        "in all",
        "services:",
        " of 5m",
        "drill",
    ];
    for word in english {
        assert!(!fr.contains(word), "English {word:?} in\n{fr}");
    }
    // The same journal asked in English.
    let en = status(&["--lang", "en"]);
    for word in english {
        assert!(en.contains(word), "{word:?} not in the English view\n{en}");
    }
    // A language reprise does not speak is refused, clearly.
    let bad = Test::new()
        .file("j.jsonl", out.read("j.jsonl"))
        .args(["status", "j.jsonl", "--lang", "de"])
        .run();
    bad.code(2);
    assert!(
        bad.stderr.contains("--lang en or --lang fr"),
        "{}",
        bad.stderr
    );
}
