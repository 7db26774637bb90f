//! Secrets: the value of a `secret` variable never reaches the terminal, the
//! journal, the step logs, `--log-file` or a report, even when a command
//! prints it. The test greps every file the drill and the reports wrote.

use std::path::{Path, PathBuf};

use crate::harness::{Output, Test};
use crate::reliability::run_in;

/// Given in the runbook.
const IN_RUNBOOK: &str = "Hunter2-in-the-runbook";
/// Given with `--var`.
const ON_COMMAND_LINE: &str = "Tr0ub4dor-on-the-command-line";

fn runbook() -> String {
    format!(
        r#"version: 1
name: Secrets
objectives: {{rto: 1h}}
vars:
  PLAIN: visible
  TOKEN: {{value: "{IN_RUNBOOK}", secret: true}}
  ADMIN_PASSWORD: {{secret: true, required: true, prompt: Admin password}}
defaults: {{timeout: 1m, on_failure: continue}}
steps:
  - id: prints
    title: Prints the secrets
    estimate: 1m
    run: 'echo "token=$TOKEN"; echo "stderr:$ADMIN_PASSWORD:end" >&2; echo "$PLAIN"'
  - id: halves
    title: Prints a secret in two writes
    estimate: 1m
    run: 'printf "%s" "$(echo "$TOKEN" | cut -c1-6)"; sleep 0.3; printf "%s\n" "$(echo "$TOKEN" | cut -c7-)"'
  - id: argv
    title: A secret in a command without a shell
    estimate: 1m
    run: [sh, -c, 'echo "argv $TOKEN and $ADMIN_PASSWORD"; exit 3']
  - id: fails
    title: Fails after printing the secrets
    estimate: 1m
    needs: [prints]
    run: 'echo "before $TOKEN after"; echo "long line with ${{ADMIN_PASSWORD}}in the middle" >&2; exit 1'
  - id: env
    title: A secret through the step environment
    estimate: 1m
    env: {{COPY: "$TOKEN"}}
    run: 'env | grep -e TOKEN -e ADMIN_PASSWORD -e COPY; exit 2'
"#
    )
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all.extend(files(&path));
        } else {
            all.push(path);
        }
    }
    all
}

/// Where a secret shows: each place that holds one.
fn leaks(name: &str, bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    [IN_RUNBOOK, ON_COMMAND_LINE]
        .iter()
        .filter(|s| text.contains(*s))
        .map(|s| format!("{name} holds `{s}`"))
        .collect()
}

fn leaks_in(what: &str, out: &Output) -> Vec<String> {
    let mut found = leaks(&format!("{what}: stdout"), out.stdout.as_bytes());
    found.extend(leaks(&format!("{what}: stderr"), out.stderr.as_bytes()));
    found
}

#[test]
fn a_secret_never_reaches_any_file_or_the_terminal() {
    let t = Test::new().file("rb.yaml", runbook());
    let var = format!("ADMIN_PASSWORD={ON_COMMAND_LINE}");
    let mut found = Vec::new();

    let dry = run_in(
        t.path(),
        &[
            "run",
            "rb.yaml",
            "--dry-run",
            "--var",
            &var,
            "--journal",
            "dry.jsonl",
        ],
    );
    dry.code(0);
    found.extend(leaks_in("run --dry-run", &dry));

    let run = run_in(
        t.path(),
        &[
            "-vv",
            "--log-file",
            "reprise.log",
            "run",
            "rb.yaml",
            "--yes",
            "--var",
            &var,
            "--journal",
            "j.jsonl",
        ],
    );
    run.code(1);
    found.extend(leaks_in("run", &run));
    // The commands did print the secrets: reprise had something to hide.
    let logs = t.path().join("j.logs");
    let prints = std::fs::read_to_string(logs.join("prints.log")).unwrap();
    assert!(prints.contains("token=***"), "{prints}");
    assert!(prints.contains("stderr:***:end"), "{prints}");
    assert!(prints.contains("visible"), "{prints}");
    let halves = std::fs::read_to_string(logs.join("halves.log")).unwrap();
    assert!(halves.contains("\n***\n"), "{halves}");
    let argv = std::fs::read_to_string(logs.join("argv.log")).unwrap();
    assert!(argv.contains("argv *** and ***"), "{argv}");
    let journal = std::fs::read_to_string(t.path().join("j.jsonl")).unwrap();
    assert!(
        journal.contains("before *** after"),
        "the failed step's output tail is not in the journal:\n{journal}"
    );

    for format in ["md", "html", "json"] {
        let file = format!("report.{format}");
        let out = run_in(
            t.path(),
            &["report", "j.jsonl", "--format", format, "-o", &file],
        );
        out.code(0);
        found.extend(leaks_in(&format!("report --format {format}"), &out));
        let out = run_in(t.path(), &["report", "j.jsonl", "--format", format]);
        found.extend(leaks_in(
            &format!("report --format {format} (stdout)"),
            &out,
        ));
    }
    let status = run_in(t.path(), &["status", "j.jsonl"]);
    found.extend(leaks_in("status", &status));
    let verify = run_in(t.path(), &["verify", "j.jsonl"]);
    found.extend(leaks_in("verify", &verify));

    let written = files(t.path());
    for expected in ["j.jsonl", "dry.jsonl", "reprise.log", "report.html"] {
        assert!(
            written.iter().any(|p| p.ends_with(expected)),
            "{expected} was not written: {written:?}"
        );
    }
    for path in &written {
        if path.ends_with("rb.yaml") {
            continue;
        }
        found.extend(leaks(
            &path.display().to_string(),
            &std::fs::read(path).unwrap(),
        ));
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
