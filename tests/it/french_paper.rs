//! `reprise transcribe` of a French drill's sheets (`lang: fr`): its
//! questions at a real pseudo-terminal, what it says of an entry it cannot
//! read, its warnings and its summary line are French, with no English
//! left in reprise's own words (the English ones are tested in
//! `transcribe.rs`).

use std::time::Duration;

use expectrl::Expect;
use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession as Session;

use crate::french::RUNBOOK;
use crate::harness::Test;

fn expect(session: &mut Session, needle: &str) {
    if let Err(e) = session.expect(needle) {
        panic!("expected {needle:?}: {e}");
    }
}

/// Waits for `prompt`, checks that nothing English was shown before it,
/// and types `line`.
fn answer(session: &mut Session, prompt: &str, line: &str) {
    match session.expect(prompt) {
        Ok(found) => {
            let before = String::from_utf8_lossy(found.before()).into_owned();
            assert_no_english(&before);
        }
        Err(e) => panic!("expected {prompt:?}: {e}"),
    }
    session.send_line(line).unwrap();
}

/// The English fixed words of `transcribe` that must not be left.
fn assert_no_english(text: &str) {
    crate::harness::says_none(
        text,
        &[
            "Date written",
            "Enter for",
            "For each step",
            "Step ",
            "after ",
            "outcome:",
            "time:",
            "restore point:",
            "initials:",
            "reason:",
            "is not a date",
            "is not an outcome",
            "is not a time",
            "Enter this step again",
            "transcribed",
            "from paper",
            "every step",
            "warning:",
            "nothing written",
            "ends at",
            "before it starts",
            "hint:",
        ],
    );
}

#[test]
fn at_a_terminal_a_french_sheet_is_asked_for_in_french() {
    let dir = tempfile::tempdir().unwrap();
    // Its restore point asked for, as the checklist prints its box.
    let runbook = RUNBOOK.replace(
        "    restores: DPI\n",
        "    restores: DPI\n    records: [restore_point]\n",
    );
    assert_ne!(runbook, RUNBOOK);
    std::fs::write(dir.path().join("rb.yaml"), runbook).unwrap();
    let mut s = Test::at(dir.path())
        .args(["transcribe", "rb.yaml", "--journal", "j.jsonl"])
        .env("TZ", "Europe/Paris")
        .env("LANG", "C.UTF-8")
        .pty();

    answer(
        &mut s,
        "Date écrite sur les feuilles (AAAA-MM-JJ, Entrée pour le ",
        "6 décembre",
    );
    expect(
        &mut s,
        "`6 décembre` n'est pas une date\u{a0}: écrivez-la comme `2026-12-06`",
    );
    answer(&mut s, "Date écrite sur les feuilles", "2026-12-06");
    expect(
        &mut s,
        "Pour chaque étape\u{a0}: l'issue cochée (fait, échec, sautée, s.o.",
    );
    expect(
        &mut s,
        "Étape 1 · Arrêter la base primaire (arret-primaire)",
    );
    answer(&mut s, "issue\u{a0}: ", "ok");
    expect(
        &mut s,
        "`ok` n'est pas une issue\u{a0}: écrivez fait, échec, sautée ou s.o.",
    );
    answer(&mut s, "issue\u{a0}: ", "fait");
    answer(&mut s, "heure de début\u{a0}: ", "25h00");
    expect(&mut s, "`25h00` n'est pas une heure\u{a0}: ");
    // Ends before it starts: refused in French, asked again.
    answer(&mut s, "heure de début\u{a0}: ", "14h09");
    answer(&mut s, "heure de fin\u{a0}: ", "14h05");
    answer(&mut s, "initiales\u{a0}: ", "JD");
    answer(&mut s, "motif\u{a0}: ", "");
    expect(
        &mut s,
        "étape 1\u{a0}: l'étape 1 (arret-primaire) finit à 2026-12-06 14:05:00 CET avant de commencer à 2026-12-06 14:09:00 CET",
    );
    expect(
        &mut s,
        "conseil\u{a0}: vérifiez les deux heures sur la feuille",
    );
    expect(&mut s, "Saisissez de nouveau cette étape");
    answer(&mut s, "issue\u{a0}: ", "fait");
    answer(&mut s, "heure de début\u{a0}: ", "14h05");
    answer(&mut s, "heure de fin\u{a0}: ", "14h09");
    answer(&mut s, "initiales\u{a0}: ", "JD");
    answer(&mut s, "motif\u{a0}: ", "");
    expect(
        &mut s,
        "Étape 2 · Vérifier le DPI avec le service de soins (verifier-dpi) · après 1",
    );
    answer(&mut s, "issue\u{a0}: ", "fait");
    answer(&mut s, "heure de début\u{a0}: ", "14h10");
    answer(&mut s, "heure de fin\u{a0}: ", "14h30");
    // It restores a service: the restore-point box.
    answer(&mut s, "point de restauration\u{a0}: ", "13h55");
    answer(&mut s, "initiales\u{a0}: ", "AB");
    answer(&mut s, "motif\u{a0}: ", "");
    expect(
        &mut s,
        "2 étapes transcrites du papier dans j.jsonl\u{202f}; \
         chaque étape a une issue\u{a0}: reprise réussie",
    );
    let status = crate::harness::wait_exit(&mut s, Duration::from_secs(30));
    assert!(matches!(status, WaitStatus::Exited(_, 0)), "{status:?}");
    let journal = std::fs::read_to_string(dir.path().join("j.jsonl")).unwrap();
    assert!(journal.contains(r#""event":"restore_point""#), "{journal}");
    assert!(journal.contains(r#""result":"recovered""#), "{journal}");
}

#[test]
fn a_french_sheet_file_is_warned_about_refused_and_summed_up_in_french() {
    let t = Test::new()
        .file("rb.yaml", RUNBOOK)
        // Step 2 without step 1 before it: a warning, not a refusal.
        .file(
            "feuille.yaml",
            "date: 2026-12-06\nsteps:\n  \
             2: { start: 14h10, end: 14h30, outcome: sautée, initials: AB, reason: service en soins }\n",
        )
        .file(
            "fausse.yaml",
            "date: 2026-12-06\nsteps:\n  \
             1: { end: 14h09, outcome: ok, initials: JD }\n",
        )
        .env("TZ", "Europe/Paris")
        .env("LANG", "C.UTF-8");
    let out = Test::at(t.path())
        .env("TZ", "Europe/Paris")
        .env("LANG", "C.UTF-8")
        .args([
            "transcribe",
            "rb.yaml",
            "--from",
            "fausse.yaml",
            "--journal",
            "f.jsonl",
        ])
        .run();
    out.code(2);
    crate::harness::says_all(
        &out.stderr,
        &[
            "erreur\u{a0}: fausse.yaml:3:",
            "`ok` n'est pas une issue\u{a0}: écrivez fait, échec, sautée ou s.o.",
            "rien n'a été écrit\u{a0}: 1 problème sur les feuilles\u{202f}; \
         corrigez-les et transcrivez de nouveau\n",
        ],
    );
    assert_no_english(&out.stderr);
    assert!(!t.path().join("f.jsonl").exists());

    let out = Test::at(t.path())
        .env("TZ", "Europe/Paris")
        .env("LANG", "C.UTF-8")
        .args([
            "transcribe",
            "rb.yaml",
            "--from",
            "feuille.yaml",
            "--journal",
            "j.jsonl",
        ])
        .run();
    out.code(0);
    assert!(
        out.stderr.contains(
            "avertissement\u{a0}: feuille.yaml:3:3\u{a0}: l'étape 2 (verifier-dpi) vient après \
             l'étape 1 (arret-primaire), qui n'a encore rien d'enregistré\n"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "1 étape transcrite du papier dans j.jsonl\n");
    assert_no_english(&out.stderr);
}

/// `transcribe`'s own errors and what cannot be read in a sheet file are
/// French for a French drill (no terminal, a step unknown or out of the
/// plan, a time without the sheet's date, `--journal` given with a
/// journal); the same for an English drill are unchanged.
#[test]
fn transcribe_errors_and_a_sheet_that_cannot_be_read_are_french() {
    let english_runbook = RUNBOOK.replace("lang: fr\n", "");
    let sheet = "steps:\n  \
                 verifier-dp: { end: 14h30, outcome: fait }\n  \
                 9: { end: 14h30, outcome: fait }\n  \
                 1: { end: 14h30, outcome: fait }\n";
    let t = Test::new()
        .file("rb.yaml", RUNBOOK)
        .file("en.yaml", &english_runbook)
        .file("feuille.yaml", sheet)
        .file("cassee.yaml", "steps: [\n");
    let run = |args: &[&str]| {
        Test::at(t.path())
            .env("TZ", "Europe/Paris")
            .env("LANG", "C.UTF-8")
            .args(args.iter().copied())
            .run()
    };
    let out = run(&["transcribe", "rb.yaml", "--from", "feuille.yaml"]);
    out.code(2);
    crate::harness::says_all(
        &out.stderr,
        &[
            "étape inconnue `verifier-dp` (vouliez-vous dire `verifier-dpi`\u{202f}?)",
            "il n'y a pas d'étape 9\u{a0}: le plan numérote ses étapes de 1 à 2",
            "écrivez la date une fois en haut de la feuille\u{a0}: `date: 2026-12-06`",
        ],
    );
    assert_no_english(&out.stderr);
    crate::harness::says_none(
        &out.stderr,
        &[
            "unknown step",
            "did you mean",
            "no step 9",
            "write the date",
        ],
    );
    let out = run(&["transcribe", "rb.yaml", "--from", "cassee.yaml"]);
    out.code(2);
    assert!(
        out.stderr.contains("impossible de lire la feuille\u{a0}: "),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("cannot read"), "{}", out.stderr);
    let out = run(&["transcribe", "rb.yaml", "--from", "absente.yaml"]);
    out.code(2);
    assert!(
        out.stderr
            .contains("impossible de lire absente.yaml\u{a0}: "),
        "{}",
        out.stderr
    );
    let out = run(&["transcribe", "rb.yaml"]);
    out.code(2);
    assert!(
        out.stderr.contains(
            "erreur\u{a0}: pas de terminal où poser les questions, et aucun fichier de feuilles donné"
        ),
        "{}",
        out.stderr
    );
    assert_no_english(&out.stderr);

    // A French journal given with `--journal`.
    let done = run(&["run", "--yes", "rb.yaml", "--journal", "j.jsonl"]);
    done.code(0);
    let out = run(&["transcribe", "j.jsonl", "--journal", "k.jsonl"]);
    out.code(2);
    assert!(
        out.stderr
            .contains("`--journal` et `--operator` ne s'emploient qu'en partant d'un runbook"),
        "{}",
        out.stderr
    );
    assert_no_english(&out.stderr);

    // English unchanged.
    let out = run(&["transcribe", "en.yaml", "--from", "feuille.yaml"]);
    out.code(2);
    crate::harness::says_all(
        &out.stderr,
        &[
            "unknown step `verifier-dp` (did you mean `verifier-dpi`?)",
            "there is no step 9: the plan numbers its steps 1 to 2",
            "hint: write the date once at the top: `date: 2026-12-06`",
        ],
    );
    let out = run(&["transcribe", "en.yaml", "--from", "cassee.yaml"]);
    assert!(
        out.stderr.contains("cannot read the sheet: "),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("hint: see docs/paper.md for the format"),
        "{}",
        out.stderr
    );
    let out = run(&["transcribe", "en.yaml"]);
    assert!(
        out.stderr.contains(
            "error: no terminal to ask at, and no sheet file given\n\
             hint: give the sheets as a YAML file with `--from FILE` (see docs/paper.md)"
        ),
        "{}",
        out.stderr
    );
}
