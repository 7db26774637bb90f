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
