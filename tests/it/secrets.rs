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

/// A private key: masked line by line wherever a command prints it.
const KEY_LINES: [&str; 3] = [
    "MIIEowIBAAKCAQEAx1kq9Jmultiline",
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU",
    "Qm9vbGVhbiBzZWNyZXQgbGluZSB0aHJl",
];

#[test]
fn a_multi_line_secret_is_masked_line_by_line_everywhere() {
    let key = format!(
        "-----BEGIN KEY-----\\n{}\\n-----END KEY-----",
        KEY_LINES.join("\\n")
    );
    let runbook = format!(
        r#"version: 1
name: Keys
vars:
  KEY: {{value: "{key}", secret: true}}
  CERT: {{secret: true, required: true}}
defaults: {{timeout: 1m, on_failure: continue}}
steps:
  - id: prints-key
    title: Prints the key
    run: 'echo "$KEY"; echo "$CERT"; exit 1'
"#
    );
    let t = Test::new().file("rb.yaml", runbook);
    let cert = "line-one-of-the-cert\nline-two-of-the-cert";
    let run = run_in(
        t.path(),
        &[
            "run",
            "rb.yaml",
            "--yes",
            "--var",
            &format!("CERT={cert}"),
            "--journal",
            "j.jsonl",
        ],
    );
    run.code(1);
    let log = std::fs::read_to_string(t.path().join("j.logs/prints-key.log")).unwrap();
    // The command printed the key's five lines, each masked.
    assert!(log.contains("***\n***\n***\n***\n***\n"), "{log}");
    let mut shown = vec![
        (
            "run: stdout+stderr".to_string(),
            run.stdout.clone() + &run.stderr,
        ),
        ("step log".to_string(), log),
    ];
    for format in ["md", "html", "json"] {
        let out = run_in(t.path(), &["report", "j.jsonl", "--format", format]);
        shown.push((format!("report {format}"), out.stdout));
    }
    let status = run_in(t.path(), &["status", "j.jsonl"]);
    shown.push(("status".to_string(), status.stdout));
    shown.push((
        "journal".to_string(),
        std::fs::read_to_string(t.path().join("j.jsonl")).unwrap(),
    ));
    let mut found = Vec::new();
    for (what, text) in &shown {
        for secret in KEY_LINES
            .iter()
            .chain(&["line-one-of-the-cert", "line-two-of-the-cert"])
        {
            if text.contains(secret) {
                found.push(format!("{what} holds `{secret}`"));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    let journal = std::fs::read_to_string(t.path().join("j.jsonl")).unwrap();
    assert!(
        journal.contains(r#""output_tail":["***","***","***","***","***","***","***"]"#),
        "{journal}"
    );
}

#[test]
fn a_secret_inside_a_step_id_or_an_outcome_leaves_the_journal_intact() {
    let runbook = r#"version: 1
name: Short secrets
vars:
  TABLE: {value: orders, secret: true}
  WORD: {value: done, secret: true}
defaults: {timeout: 1m}
steps:
  - id: drop-orders-replica
    title: Drop the replica
    run: 'echo "dropping $TABLE: done"'
  - id: after
    title: After
    needs: [drop-orders-replica]
    run: 'true'
"#;
    let t = Test::new().file("rb.yaml", runbook);
    let check = run_in(t.path(), &["check", "rb.yaml"]);
    assert!(
        check
            .stderr
            .contains("warning[weak-secret]: secret `TABLE`")
            && check.stderr.contains("warning[weak-secret]: secret `WORD`"),
        "{}",
        check.stderr
    );
    assert!(
        !check.stderr.contains("orders"),
        "check showed the secret:\n{}",
        check.stderr
    );
    let run = run_in(
        t.path(),
        &["run", "rb.yaml", "--yes", "--journal", "j.jsonl"],
    );
    run.code(0);
    let journal = std::fs::read_to_string(t.path().join("j.jsonl")).unwrap();
    assert!(
        journal.contains(r#""step":"drop-orders-replica""#),
        "{journal}"
    );
    assert!(journal.contains(r#""outcome":"done""#), "{journal}");
    assert!(!journal.contains("drop-***"), "{journal}");
    let log = std::fs::read_to_string(t.path().join("j.logs/drop-orders-replica.log")).unwrap();
    assert!(log.contains("dropping ***: ***"), "{log}");
    // Nothing is left to run: the step ids were recorded as they are.
    run_in(t.path(), &["verify", "j.jsonl"]).code(0);
    let report = run_in(t.path(), &["report", "j.jsonl", "--format", "json"]);
    report.code(0);
    assert!(
        report.stdout.contains("drop-orders-replica"),
        "{}",
        report.stdout
    );
}

#[test]
fn a_secret_split_by_the_64_kib_line_cut_is_masked_not_cut() {
    // The secret ends 10 bytes before the cut at 65,536 bytes: whole before
    // it, it must be masked; cut first, its start was kept.
    const SECRET: &str = "Sw0rdfish-ends-just-before-the-cut";
    let pad = 64 * 1024 - 10 - SECRET.len();
    let runbook = format!(
        r#"version: 1
name: Cut
vars:
  TOKEN: {{value: "{SECRET}", secret: true}}
defaults: {{timeout: 1m, on_failure: continue}}
steps:
  - id: long-line
    title: Prints a long line
    run: 'head -c {pad} /dev/zero | tr "\0" x; printf "%s" "$TOKEN"; head -c 500 /dev/zero | tr "\0" y; echo; exit 1'
"#
    );
    let t = Test::new().file("rb.yaml", runbook);
    let run = run_in(
        t.path(),
        &["run", "rb.yaml", "--yes", "--journal", "j.jsonl"],
    );
    run.code(1);
    let log = std::fs::read_to_string(t.path().join("j.logs/long-line.log")).unwrap();
    let journal = std::fs::read_to_string(t.path().join("j.jsonl")).unwrap();
    for (what, text) in [("log", &log), ("journal", &journal)] {
        assert!(
            text.contains("xxx***"),
            "{what}: the secret was not masked whole"
        );
        assert!(
            !text.contains(&SECRET[..8]),
            "{what} holds the start of the secret"
        );
        assert!(text.contains("more bytes of this line not kept"), "{what}");
    }
}

#[test]
fn secrets_can_be_given_from_a_private_file_or_the_environment_not_the_command_line() {
    use std::os::unix::fs::PermissionsExt;
    let runbook = r#"version: 1
name: Secret sources
vars:
  TOKEN: {secret: true, required: true}
  KEY: {secret: true, required: true}
  OTHER: {secret: true, required: true}
defaults: {timeout: 1m}
steps:
  - id: uses
    title: Uses the secrets
    run: 'test "$TOKEN" = from-the-environment && test "$KEY" = "$(printf "first-line-of-key\nsecond-line-of-key")" && test "$OTHER" = from-var-env && echo "$TOKEN $KEY $OTHER"'
"#;
    let t = Test::new()
        .file("rb.yaml", runbook)
        .file("key.txt", "first-line-of-key\nsecond-line-of-key\n");
    let key = t.path().join("key.txt");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    let t = t
        .env("REPRISE_VAR_TOKEN", "from-the-environment")
        .env("OTHER", "from-var-env")
        .args([
            "run",
            "rb.yaml",
            "--yes",
            "--var-file",
            "KEY=key.txt",
            "--var-env",
            "OTHER",
            "--journal",
            "j.jsonl",
        ]);
    let out = t.run();
    out.code(0);
    assert!(!out.stderr.contains("warning: --var"), "{}", out.stderr);
    let log = out.read("j.logs/uses.log");
    assert!(log.contains("\n*** ***\n*** ***\n"), "{log}");
    assert!(
        !log.contains("first-line-of-key") && !log.contains("from-the-environment"),
        "{log}"
    );

    // A file others can read is refused before anything starts.
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let refused = crate::reliability::run_in(
        t.path(),
        &[
            "run",
            "rb.yaml",
            "--yes",
            "--var-file",
            "KEY=key.txt",
            "--journal",
            "k.jsonl",
        ],
    );
    refused.code(2);
    assert!(
        refused
            .stderr
            .contains("--var-file KEY=key.txt: its mode 644 lets other users read or change it"),
        "{}",
        refused.stderr
    );
    assert!(!t.path().join("k.jsonl").exists());

    // A secret on the command line works, with a warning.
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    let warned = Test::at(t.path())
        .args([
            "run",
            "rb.yaml",
            "--yes",
            "--var-file",
            "KEY=key.txt",
            "--var",
        ])
        .args(["TOKEN=from-the-environment", "--var", "OTHER=from-var-env"])
        .args(["--journal", "w.jsonl"])
        .run()
        .success();
    let stderr = &warned.stderr;
    assert!(
        stderr.contains("warning: --var TOKEN=… puts secret `TOKEN` on the command line"),
        "{stderr}"
    );
    assert!(!stderr.contains("from-the-environment"), "{stderr}");
}

/// A diagnostic quoted the source line holding a secret's `value:` (an
/// error next to it, a warning on it, a command that repeats it), in
/// `check` (text and JSON), `plan`, `run` and `run --dry-run`; with a YAML
/// syntax error too, where which variables are secret cannot be known.
#[test]
fn diagnostics_never_quote_a_secret_value() {
    const SECRET: &str = "pa55-w0rd-in-diag";
    const KEY_LINE: &str = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC";
    // An unknown key on the secret's own line, a wrong type quoting it, a
    // command repeating it (which a warning quotes), a multi-line key.
    let runbook = format!(
        r#"version: 1
name: Diag
vars:
  TOKEN: {{value: "{SECRET}", secret: true, secrett: 1}}
  KEY:
    secret: true
    value: |
      -----BEGIN PRIVATE KEY-----
      {KEY_LINE}
      -----END PRIVATE KEY-----
    promt: Key
steps:
  - id: a
    title: A
    run: "curl -u {SECRET} \r http://x"
    timeout: "{SECRET}"
"#
    );
    let broken_yaml =
        format!("version: 1\nvars:\n  TOKEN: {{value: {SECRET}, secret: true}}\n  X: [\nsteps:\n");
    let t = Test::new()
        .file("rb.yaml", &runbook)
        .file("broken.yaml", &broken_yaml);
    let mut t = t;
    for args in [
        &["check", "rb.yaml"][..],
        &["check", "--format", "json", "rb.yaml"],
        &["plan", "rb.yaml"],
        &["run", "--dry-run", "rb.yaml"],
        &["run", "--yes", "rb.yaml"],
        &["check", "broken.yaml"],
        &["plan", "broken.yaml"],
    ] {
        t = t.without_args().args(args);
        let out = t.run();
        out.code(2);
        let all = format!("{}{}", out.stdout, out.stderr);
        // The diagnostics are there, pointing where they did.
        if args[args.len() - 1] == "rb.yaml" {
            assert!(
                all.contains("secrett") && all.contains("promt"),
                "{args:?}: {all}"
            );
        } else {
            assert!(all.contains("broken.yaml:"), "{args:?}: {all}");
        }
        for leak in [SECRET, KEY_LINE, "BEGIN PRIVATE"] {
            assert!(!all.contains(leak), "{args:?} printed {leak}:\n{all}");
        }
    }
    // Masked byte for byte (the quotes too): the line and its caret are
    // still shown, and the next key of a block scalar is left alone.
    let out = t.without_args().args(["check", "rb.yaml"]).run();
    assert!(
        out.stderr.contains("\n11 |     promt: Key\n"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("TOKEN: {value: *******************, secret: true, secrett: 1}"),
        "{}",
        out.stderr
    );
}

/// Issue 17, item 7: a required secret with no value is asked at a
/// terminal with no echo: what is typed reaches the command and never the
/// screen, the journal or the step log (a real pseudo-terminal).
#[test]
fn a_required_secret_is_asked_at_the_terminal_without_echo() {
    use expectrl::Expect;
    const TYPED: &str = "Typed-Sw0rdfish-at-the-prompt";
    let t = Test::new()
        .runbook(
            r#"version: 1
name: Prompted
vars:
  VAULT_TOKEN: {secret: true, required: true, prompt: Vault token}
steps:
  - id: uses-it
    title: Uses the token
    run: 'test "$VAULT_TOKEN" = "Typed-Sw0rdfish-at-the-prompt" && echo "token accepted: $VAULT_TOKEN"'
"#,
        )
        .args(["run", "--yes", "--journal", "j.jsonl", crate::harness::RUNBOOK])
        .echo();
    let mut p = t.pty();
    crate::pty::expect(&mut p, "Vault token", "the hidden prompt");
    // The prompt is printed before the terminal stops echoing, and that
    // switch drops what was typed ahead (TCSAFLUSH, as sudo's does): a
    // person types once the prompt waits, and so does the test.
    crate::harness::eventually("the prompt to hide what is typed", || {
        !p.get_process().get_echo().unwrap_or(true)
    });
    p.send_line(TYPED).unwrap();
    let (code, rest) = crate::pty::finish(p);
    assert_eq!(code, 0, "{rest}");
    assert!(!rest.contains(TYPED), "the typed secret was shown:\n{rest}");
    let log = std::fs::read_to_string(t.path().join("j.logs/uses-it.log")).unwrap();
    assert!(log.contains("token accepted: ***"), "{log}");
    let journal = std::fs::read_to_string(t.path().join("j.jsonl")).unwrap();
    assert!(!journal.contains(TYPED) && !log.contains(TYPED));
}
