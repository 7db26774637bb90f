//! `--help` in the environment's language: French under
//! `LANG=fr_FR.UTF-8`, English otherwise, word for word as before the help
//! texts moved to `locales/*/help.ftl` (snapshots taken before).

use crate::harness::{Output, Test};

/// Every command, as `reprise COMMAND --help` names it.
const COMMANDS: &[&str] = &[
    "check",
    "plan",
    "run",
    "resume",
    "verify",
    "status",
    "transcribe",
    "report",
    "assess",
    "action",
    "actions",
    "sign",
    "attach",
    "notify-test",
    "compare",
    "schema",
    "completions",
];

fn help(lang: &str, command: Option<&str>) -> Output {
    let mut args: Vec<&str> = command.into_iter().collect();
    args.push("--help");
    let out = Test::new()
        .env("LANG", lang)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(args)
        .run();
    out.code(0);
    out
}

#[test]
fn english_help_is_what_it_always_was() {
    let mut all = vec![None];
    all.extend(COMMANDS.iter().map(|c| Some(*c)));
    for command in all {
        let out = help("C.UTF-8", command);
        let name = format!("help-en-{}.txt", command.unwrap_or("reprise"));
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, out.stdout);
        });
    }
}

#[test]
fn french_help_is_french() {
    let run = help("fr_FR.UTF-8", Some("run"));
    for said in [
        "Dérouler un runbook en exercice\u{a0}: lancer ses commandes",
        "Le runbook (YAML)",
        "Ne rien exécuter et ne rien demander",
        "Exemples\u{a0}:",
        "Codes de sortie\u{a0}: 0 reprise réussie",
    ] {
        assert!(run.stdout.contains(said), "{said:?} not in\n{}", run.stdout);
    }
    for english in [
        "Walk a runbook",
        "The runbook (YAML)",
        "Execute nothing",
        "Examples:",
        "Exit codes:",
        "More diagnostics",
    ] {
        assert!(
            !run.stdout.contains(english),
            "{english:?} in\n{}",
            run.stdout
        );
    }
    // Every command's own words change; clap's (`Usage:`, `Options:`)
    // stay.
    let mut all = vec![None];
    all.extend(COMMANDS.iter().map(|c| Some(*c)));
    for command in all {
        let en = help("C.UTF-8", command).stdout;
        let fr = help("fr_FR.UTF-8", command).stdout;
        let first = |s: &str| s.lines().next().unwrap_or_default().to_string();
        assert_ne!(first(&en), first(&fr), "{command:?}");
        assert!(fr.contains("Usage: reprise"), "{command:?}\n{fr}");
        assert!(fr.contains("Exemples\u{a0}:"), "{command:?}\n{fr}");
        assert!(!fr.contains("Examples:"), "{command:?}\n{fr}");
    }
    // LC_ALL wins over LANG, as for every message.
    let out = Test::new()
        .env("LANG", "fr_FR.UTF-8")
        .env("LC_ALL", "C.UTF-8")
        .args(["run", "--help"])
        .run();
    assert!(
        out.stdout.starts_with("Walk a runbook as a drill"),
        "{}",
        out.stdout
    );
}
