//! The errors, hints and warnings a crisis cell meets during a drill, on
//! stderr, in the drill's language: the runbook's `lang:` (read from the
//! runbook or the journal), else the environment's; English unchanged.

use crate::french::RUNBOOK;
use crate::harness::{Output, Test};

/// English words of reprise's that must not be left in a French error.
const ENGLISH: &[&str] = &["error:", "hint:", "warning:"];

fn french(out: &Output, said: &[&str]) {
    crate::harness::says_all(&out.stderr, said);
    crate::harness::says_none(&out.stderr, ENGLISH);
}

/// A finished `lang: fr` drill's journal, `j.jsonl`.
fn french_journal() -> Output {
    let out = Test::new()
        .file("rb.yaml", RUNBOOK)
        .env("LANG", "C.UTF-8")
        .args(["run", "--yes", "rb.yaml", "--journal", "j.jsonl"])
        .run();
    out.code(0);
    out
}

#[test]
fn attach_with_no_drill_running_says_so_in_the_environments_language() {
    let fr = Test::new()
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(["attach", "j.jsonl"])
        .run();
    fr.code(2);
    french(
        &fr,
        &[
            "erreur\u{a0}: aucun exercice n'est en cours sur j.jsonl",
            "conseil\u{a0}: poursuivez-le avec `reprise resume j.jsonl`",
        ],
    );
    assert!(!fr.stderr.contains("no drill is running"), "{}", fr.stderr);
    // The English words are the ones reprise always wrote.
    let en = Test::new()
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(["attach", "j.jsonl"])
        .run();
    en.code(2);
    assert!(
        en.stderr.starts_with("error: no drill is running on j.jsonl (j.jsonl.sock: ")
            && en.stderr.contains(
                "\nhint: carry it on with `reprise resume j.jsonl`, or follow it with `reprise status --follow`\n"
            ),
        "{}",
        en.stderr
    );
}

#[test]
fn a_french_drills_journal_errors_are_french_whatever_the_environment() {
    let drill = french_journal();
    let dir = drill.dir.clone();
    // Attaching once it has ended: the journal says the drill is French.
    let attach = Test::at(&dir)
        .env("LANG", "C.UTF-8")
        .args(["attach", "j.jsonl"])
        .run();
    attach.code(2);
    french(
        &attach,
        &["erreur\u{a0}: aucun exercice n'est en cours sur j.jsonl"],
    );
    // Starting another drill on the same journal.
    let again = Test::at(&dir)
        .env("LANG", "C.UTF-8")
        .args(["run", "--yes", "rb.yaml", "--journal", "j.jsonl"])
        .run();
    again.code(2);
    french(
        &again,
        &[
            "erreur\u{a0}: le journal j.jsonl existe déjà\u{a0}: poursuivez cet exercice avec `reprise resume j.jsonl`",
        ],
    );
    // An edited journal: `report` refuses it, `verify` names the line.
    let journal = std::fs::read_to_string(dir.join("j.jsonl")).expect("journal");
    std::fs::write(
        dir.join("j.jsonl"),
        journal.replacen("Arrêter la base primaire", "Arrêter la base secondaire", 1),
    )
    .expect("edited journal");
    let report = Test::at(&dir)
        .env("LANG", "C.UTF-8")
        .args(["report", "j.jsonl"])
        .run();
    report.code(2);
    french(
        &report,
        &[
            "la chaîne de hachage du journal est rompue",
            "conseil\u{a0}: gardez le fichier comme preuve et voyez `reprise verify j.jsonl`",
            "`reprise report --force j.jsonl` l'affiche quand même",
        ],
    );
    let forced = Test::at(&dir)
        .env("LANG", "C.UTF-8")
        .args(["status", "--force", "j.jsonl"])
        .run();
    forced.code(0);
    french(
        &forced,
        &["avertissement\u{a0}: ", "ce qui suit n'est pas vérifié"],
    );
    // `--lang en` asks for English: its errors and warnings follow.
    let en = Test::at(&dir)
        .env("LANG", "C.UTF-8")
        .args(["status", "--force", "--lang", "en", "j.jsonl"])
        .run();
    en.code(0);
    assert!(
        en.stderr.contains("warning: ") && en.stderr.contains("what follows is unverified"),
        "{}",
        en.stderr
    );
}

#[test]
fn sign_without_a_key_says_what_to_do_in_french() {
    let drill = french_journal();
    let out = Test::at(&drill.dir)
        .env("LANG", "C.UTF-8")
        .env("HOME", drill.dir.join("nobody").to_str().expect("path"))
        .args(["sign", "j.jsonl"])
        .run();
    out.code(2);
    french(
        &out,
        &[
            "erreur\u{a0}: aucune clé SSH trouvée dans ~/.ssh",
            "conseil\u{a0}: donnez-en une avec --key CHEMIN",
        ],
    );
}

/// `lang: fr` with a variable that must be given and a manual step.
const FRENCH_VARS: &str = "\
version: 1
name: Bascule du labo
lang: fr
vars:
  JETON: {secret: true, required: true}
steps:
  - id: appeler-labo
    title: Appeler le laboratoire
    instructions: Confirmer la bascule
";

#[test]
fn a_french_runbooks_start_refusals_are_french() {
    // No value for a required variable, no terminal to ask it.
    let missing = Test::new()
        .file("rb.yaml", FRENCH_VARS)
        .env("LANG", "C.UTF-8")
        .args(["run", "--yes", "rb.yaml", "--journal", "j.jsonl"])
        .run();
    missing.code(2);
    french(
        &missing,
        &[
            "erreur\u{a0}: la variable JETON est obligatoire et n'a pas de valeur\u{a0}: rien n'a été exécuté",
            "conseil\u{a0}: donnez-la avec --var JETON=VALEUR",
        ],
    );
    // A secret on the command line: warned in French; a manual step and no
    // terminal: refused in French.
    let nobody = Test::new()
        .file("rb.yaml", FRENCH_VARS)
        .env("LANG", "C.UTF-8")
        .args(["run", "rb.yaml", "--var", "JETON=x", "--journal", "j.jsonl"])
        .run();
    nobody.code(2);
    french(
        &nobody,
        &[
            "avertissement\u{a0}: --var JETON=… met le secret `JETON` sur la ligne de commande",
            "erreur\u{a0}: il n'y a pas de terminal pour confirmer `appeler-labo`\u{a0}: rien n'a été exécuté",
            "conseil\u{a0}: lancez-le à un terminal, ou donnez --yes",
        ],
    );
    // An answers file that cannot be read.
    let answers = Test::new()
        .file("rb.yaml", FRENCH_VARS)
        .env("LANG", "C.UTF-8")
        .args([
            "run",
            "rb.yaml",
            "--var-env",
            "JETON",
            "--answers",
            "absent.yaml",
        ])
        .env("JETON", "x")
        .run();
    answers.code(2);
    french(
        &answers,
        &["erreur\u{a0}: impossible d'utiliser le fichier de réponses\u{a0}: "],
    );
}

#[test]
fn resuming_a_finished_french_drill_is_refused_in_french() {
    let drill = french_journal();
    let out = Test::at(&drill.dir)
        .env("LANG", "C.UTF-8")
        .args(["resume", "j.jsonl"])
        .run();
    out.code(2);
    french(
        &out,
        &[
            "erreur\u{a0}: l'exercice de j.jsonl est déjà terminé (reprise réussie) à ",
            "conseil\u{a0}: consultez-le avec `reprise report j.jsonl`",
        ],
    );
}

#[test]
fn an_english_runbook_in_a_french_environment_speaks_english() {
    // The drill's language wins over the environment's: a runbook without
    // `lang:` follows the environment, one with `lang: en` stays English.
    let rb = FRENCH_VARS.replace("lang: fr", "lang: en");
    let out = Test::new()
        .file("rb.yaml", &rb)
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(["run", "--yes", "rb.yaml", "--journal", "j.jsonl"])
        .run();
    out.code(2);
    assert!(
        out.stderr.contains(
            "error: variable JETON is required and has no value: nothing was run\nhint: pass it as --var JETON=VALUE\n"
        ),
        "{}",
        out.stderr
    );
    let rb = FRENCH_VARS.replace("lang: fr\n", "");
    let out = Test::new()
        .file("rb.yaml", &rb)
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(["run", "--yes", "rb.yaml", "--journal", "j.jsonl"])
        .run();
    out.code(2);
    french(&out, &["erreur\u{a0}: la variable JETON est obligatoire"]);
}

#[test]
fn an_unusable_log_file_is_refused_in_the_environments_language() {
    let out = Test::new()
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(["--log-file", "absent/x.log", "schema"])
        .run();
    out.code(2);
    french(&out, &["erreur\u{a0}: cannot open log file `absent/x.log`"]);
}
