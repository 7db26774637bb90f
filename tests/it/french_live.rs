//! A French crisis cell at the terminal: a `lang: fr` drill speaks French
//! from its header to its summary (issue 19), and the answers are typed in
//! French or English.

use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession as Session;
use expectrl::{Eof, Expect};

use crate::harness::Test;

const RUNBOOK: &str = r#"version: 1
name: Bascule SIL
lang: fr
objectives:
  rto: 1h
steps:
  - id: appeler
    title: Appeler le fournisseur
    estimate: 10m
  - id: relancer
    title: Relancer le service
    needs: [appeler]
    run: "test -f relance || { touch relance; exit 3; }"
    estimate: 1m
"#;

/// English words of reprise's own that a French drill must not show
/// (none is in the runbook's texts).
const ENGLISH: &[&str] = &[
    "exit 3",
    "started by",
    "is open",
    "waits for",
    " done",
    "attempt",
    "failed",
    "held by",
    "released by",
    "finished:",
    "type `help`",
    "for every command",
    "time to recovery",
    "journal: ",
    "RTO",
    "(or `",
    "manual step",
    "still open",
    "result:",
    "refused",
    "nothing was",
];

fn expect(p: &mut Session, needle: &str, what: &str) -> String {
    match p.expect(needle) {
        Ok(found) => {
            String::from_utf8_lossy(found.before()).into_owned()
                + &String::from_utf8_lossy(found.get(0).unwrap_or_default())
        }
        Err(e) => panic!("expected {what} ({needle:?}): {e}"),
    }
}

fn finish(mut p: Session) -> (i32, String) {
    let rest = match p.expect(Eof) {
        Ok(c) => {
            // At the end of input, what is left is the match.
            let mut bytes = c.before().to_vec();
            c.matches().for_each(|m| bytes.extend_from_slice(m));
            String::from_utf8_lossy(&bytes).into_owned()
        }
        Err(e) => format!("<{e}>"),
    };
    match crate::harness::wait_exit(&mut p, Duration::from_secs(60)) {
        WaitStatus::Exited(_, code) => (code, rest),
        other => panic!("reprise did not exit normally: {other:?}\n{rest}"),
    }
}

fn french_drill() -> Test {
    Test::new()
        .file("rb.yaml", RUNBOOK)
        .args([
            "run",
            "rb.yaml",
            "--journal",
            "j.jsonl",
            "--operator",
            "alice",
        ])
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        // Wide enough that no expected line is broken between words.
        .size(250, 50)
}

#[test]
fn a_french_drill_speaks_french_at_the_terminal_from_header_to_summary() {
    let t = french_drill();
    let mut p = t.pty();
    let mut shown = expect(&mut p, "`fait 1`", "the manual step's choices");
    p.send_line("aide").unwrap();
    shown += &expect(&mut p, "force l'abandon", "the help's last line");
    p.send_line("suspendre relève de l'équipe").unwrap();
    shown += &expect(&mut p, "suspendu par alice", "the hold");
    p.send_line("reprendre").unwrap();
    shown += &expect(&mut p, "suspension levée par alice", "the release");
    // French words, or English ones: both are understood.
    p.send_line("fait 1").unwrap();
    shown += &expect(&mut p, "`réessayer 2`", "the failed command's choices");
    // The engine's refusal, in French too.
    p.send_line("annuler 1 plus utile").unwrap();
    shown += &expect(&mut p, "rien n'a été changé", "the refusal");
    p.send_line("retry 2 le verrou est levé").unwrap();
    let (code, rest) = finish(p);
    shown += &rest;
    assert_eq!(code, 0, "recovered:\n{shown}");
    for expected in [
        "journal\u{a0}: ",
        "exercice «\u{a0}Bascule SIL\u{a0}» lancé par alice (2 étapes, DMIA 1\u{a0}h)",
        "#1 appeler — Appeler le fournisseur  [est. 10\u{a0}min]",
        "→ `fait 1` (ou `fait appeler`), `échec 1`, `passer 1`",
        "(tapez `aide` pour toutes les commandes, `liste` pour ce qui est ouvert)",
        "fait N",
        "réessayer N [MOTIF]",
        "#1 appeler faite",
        "#2 relancer — Relancer le service lancée",
        "#2 relancer tentative 1 en échec",
        "en échec, code de sortie 3",
        "`réessayer 2` (ou `réessayer relancer`), `marquer-fait 2`",
        "#2 relancer réessayer\u{a0}: le verrou est levé par alice",
        "#2 relancer faite",
        "refusé\u{a0}: l'étape 1 `appeler` est déjà terminée (faite)\u{202f}; rien n'a été changé",
        "exercice terminé\u{a0}: reprise réussie",
        "délai de reprise",
    ] {
        assert!(
            shown.contains(expected),
            "missing {expected:?} in:\n{shown}"
        );
    }
    crate::harness::says_none(&shown, ENGLISH);
}

/// The live region (bars, the overall line) in French too.
#[test]
fn a_french_drills_live_region_is_french() {
    let t = french_drill().env_remove("NO_COLOR");
    let mut p = t.pty();
    let shown = expect(&mut p, "étapes terminées", "the overall line");
    let shown = shown + &expect(&mut p, "vous attend", "what waits for the operator");
    p.send_line("passer 1 fournisseur injoignable").unwrap();
    let shown = shown + &expect(&mut p, "sautée", "the step skipped");
    let shown = shown + &expect(&mut p, "`réessayer 2`", "the failed command's choices");
    p.send_line("reessayer 2 sans accent").unwrap();
    let (code, rest) = finish(p);
    assert_eq!(code, 0, "{shown}{rest}");
    assert!(!shown.contains("steps ended"), "{shown}");
}
