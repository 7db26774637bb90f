//! Issue 16, the terminal at crisis scale: every instruction shown before
//! a command, honest waits for a job slot, `status --follow`'s exit code,
//! located YAML syntax errors. Interactive parts through a real
//! pseudo-terminal.

use std::path::Path;
use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession as Session;
use expectrl::{Eof, Expect, Regex};

use crate::harness::Test;

/// A production step behind a confirmation, with its warning in the
/// instructions and a shell script as its command.
const CONFIRM: &str = r#"version: 1
name: confirm drill
steps:
  - id: prepare
    title: Prepare the switch-over
    run: "true"
  - id: switch-prod
    title: Switch production over
    needs: [prepare]
    role: virtualisation
    confirm: true
    estimate: 5m
    instructions: |
      Production! only after the DBA's written go.
    run: |
      echo step one
      echo step two > switched.txt
"#;

#[test]
fn a_dry_run_shows_a_confirmations_instructions_before_its_indented_command() {
    let out = Test::new().file("rb.yaml", CONFIRM).args([
        "run",
        "rb.yaml",
        "--dry-run",
        "--journal",
        "j.jsonl",
    ]);
    let out = out.run();
    out.code(0);
    let stdout = &out.stdout;
    let order: Vec<usize> = [
        "confirm  #2 switch-prod  Switch production over (role: virtualisation)",
        "Production! only after the DBA's written go.",
        "run      #2 switch-prod  echo step one",
        "echo step two > switched.txt",
    ]
    .iter()
    .map(|needle| {
        stdout
            .find(needle)
            .unwrap_or_else(|| panic!("`{needle}` not in:\n{stdout}"))
    })
    .collect();
    assert!(order.is_sorted(), "{stdout}");
    // The script's second line and the instructions sit in the detail
    // column, not at the start of the line.
    let column = stdout
        .lines()
        .find(|l| l.contains("echo step one"))
        .and_then(|l| l.find("echo step one"))
        .unwrap();
    for needle in [
        "echo step two > switched.txt",
        "Production! only after the DBA's written go.",
    ] {
        let line = stdout.lines().find(|l| l.contains(needle)).unwrap();
        assert_eq!(line.find(needle), Some(column), "{stdout}");
    }
}

/// A regex for `parts` in order, with colour codes or spaces between them.
fn styled(parts: &[&str]) -> Regex<String> {
    Regex(parts.join(r"(?:\x1b\[[0-9;]*m|[ \t])*"))
}

/// `reprise ARGS` in a pseudo-terminal in `dir`, live view.
fn spawn(dir: &Path, args: &[&str]) -> Session {
    Test::at(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .env("REPRISE_KILL_GRACE_MS", "200")
        .pty()
}

fn expect(session: &mut Session, needle: impl expectrl::Needle, what: &str) -> String {
    match session.expect(needle) {
        Ok(found) => {
            String::from_utf8_lossy(found.before()).into_owned()
                + &String::from_utf8_lossy(found.get(0).unwrap_or_default())
        }
        Err(e) => panic!("expected {what}: {e}"),
    }
}

/// Waits for the end and returns the exit code and the rest of the output.
fn finish(mut session: Session) -> (i32, String) {
    let rest = match session.expect(Eof) {
        Ok(c) => {
            let mut bytes = c.before().to_vec();
            c.matches().for_each(|m| bytes.extend_from_slice(m));
            String::from_utf8_lossy(&bytes).into_owned()
        }
        Err(e) => format!("<{e}>"),
    };
    let code = match crate::harness::wait_exit(&mut session, Duration::from_secs(60)) {
        WaitStatus::Exited(_, code) => code,
        other => panic!("reprise did not exit normally: {other:?}\n{rest}"),
    };
    (code, rest)
}

#[test]
fn a_confirmation_prompt_shows_role_and_instructions_before_the_command() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rb.yaml"), CONFIRM).unwrap();
    let mut p = spawn(
        dir.path(),
        &[
            "run",
            "rb.yaml",
            "--journal",
            "j.jsonl",
            "--operator",
            "alice",
        ],
    );
    // The question: its head with the role, then the warning, then the
    // command, its second line indented under the first.
    let shown = expect(
        &mut p,
        styled(&[
            "#2",
            "switch-prod",
            "— Switch production over waits for your go",
        ]),
        "the confirmation",
    );
    assert!(!shown.contains("echo step one"), "{shown}");
    let shown = expect(&mut p, "run 2", "what to type");
    let at = |needle: &str| {
        shown
            .find(needle)
            .unwrap_or_else(|| panic!("`{needle}` not in:\n{shown}"))
    };
    // `[role: virtualisation · est 5m]` may be broken between words.
    assert!(at("virtualisation") < at("Production! only after"));
    assert!(at("Production! only after") < at("command: echo step one"));
    assert!(at("command: echo step one") < at("             echo step two"));
    // `list` says the same before the command.
    p.send_line("list").unwrap();
    let listed = expect(&mut p, "echo step two > switched.txt", "the listed command");
    let at = |needle: &str| {
        listed
            .rfind(needle)
            .unwrap_or_else(|| panic!("`{needle}` not in:\n{listed}"))
    };
    assert!(at("type `run 2`") < at("role: virtualisation"), "{listed}");
    // `[role: virtualisation · est 5m]` may be broken between words.
    assert!(at("virtualisation") < at("Production! only after"));
    p.send_line("run 2").unwrap();
    let (code, rest) = finish(p);
    assert_eq!(code, 0, "recovered\n{rest}");
    assert!(dir.path().join("switched.txt").exists());
}

/// Three 10-minute commands side by side, two job slots by the runbook.
const SLOTS: &str = r#"version: 1
name: slots
defaults:
  jobs: 2
steps:
  - id: copy-a
    title: Copy A
    estimate: 10m
    run: "true"
  - id: copy-b
    title: Copy B
    estimate: 10m
    run: "true"
  - id: copy-c
    title: Copy C
    estimate: 10m
    run: "true"
"#;

#[test]
fn plan_and_dry_run_agree_on_the_total_for_the_same_jobs() {
    let t = Test::new().file("rb.yaml", SLOTS);
    let dry = |jobs: Option<&str>| {
        let mut args = vec!["run", "rb.yaml", "--dry-run", "--journal", "j.jsonl"];
        args.extend(jobs.map(|j| ["--jobs", j]).into_iter().flatten());
        let out = t.clone_run(&args);
        std::fs::remove_file(t.path().join("j.jsonl")).unwrap();
        out
    };
    // `defaults.jobs: 2`: the third copy waits for a slot, 20m in all.
    let plan = t.clone_run(&["plan", "rb.yaml"]);
    assert!(
        plan.contains("with --jobs 2, commands wait for a free job slot: estimated total 20m"),
        "{plan}"
    );
    assert!(dry(None).contains("Estimated total: 20m"));
    // `--jobs 3` wins over the runbook: no wait, the critical path.
    let plan = t.clone_run(&["plan", "rb.yaml", "--jobs", "3"]);
    assert!(!plan.contains("job slot"), "{plan}");
    assert!(plan.contains("critical path 10m"), "{plan}");
    assert!(dry(Some("3")).contains("Estimated total: 10m"));
    let plan = t.clone_run(&["plan", "rb.yaml", "--jobs", "1"]);
    assert!(plan.contains("estimated total 30m"), "{plan}");
    assert!(dry(Some("1")).contains("Estimated total: 30m"));
}

#[test]
fn a_zero_jobs_default_is_refused_where_it_is_written() {
    let out = Test::new()
        .file("rb.yaml", SLOTS.replace("jobs: 2", "jobs: 0"))
        .args(["check", "rb.yaml"])
        .run();
    out.code(2);
    assert!(
        out.stderr.contains("`jobs: 0` would never start a command"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("rb.yaml:4:9"), "{}", out.stderr);
}

/// One job slot: `queued` waits while `slow` runs.
const QUEUE: &str = r#"version: 1
name: queue
defaults:
  jobs: 1
steps:
  - id: slow
    title: Slow copy
    estimate: 1m
    run: "echo copying; sleep 3"
  - id: queued
    title: Quick check
    estimate: 1s
    run: "echo checked"
"#;

#[test]
fn a_step_waiting_for_a_job_slot_says_so_and_the_wait_is_not_its_time() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rb.yaml"), QUEUE).unwrap();
    let mut p = spawn(dir.path(), &["run", "rb.yaml", "--journal", "j.jsonl"]);
    expect(
        &mut p,
        styled(&["#2", "…", "queued", "waiting for a free job slot"]),
        "the queued step's live line",
    );
    let (code, rest) = finish(p);
    assert_eq!(code, 0, "recovered\n{rest}");
    let report = Test::at(dir.path())
        .args(["report", "j.jsonl", "--format", "json"])
        .run()
        .json();
    let step = |id: &str| {
        report["phases"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["steps"].as_array().unwrap())
            .find(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("no {id} in {report:#}"))
            .clone()
    };
    // It waited about 3 s for `slow`'s slot, and took well under one.
    let queued = step("queued")["duration_seconds"].as_u64().unwrap();
    assert!(queued < 2, "the slot wait was counted: {queued}s");
    assert!(step("slow")["duration_seconds"].as_u64().unwrap() >= 3);
}

/// A drill that ends aborted after a couple of seconds.
const ABORTED: &str = r#"version: 1
name: aborted
steps:
  - id: wait
    title: Wait a little
    run: "sleep 2"
  - id: break
    title: Break
    needs: [wait]
    on_failure: abort
    run: "exit 4"
"#;

#[test]
fn status_follow_exits_with_the_drills_result() {
    let t = Test::new()
        .file("rb.yaml", ABORTED)
        .args(["run", "rb.yaml", "--journal", "j.jsonl"]);
    let mut run = t.spawn();
    let journal = t.path().join("j.jsonl");
    // A guard, not a timing assertion: the journal appears at the start.
    for _ in 0..200 {
        if std::fs::metadata(&journal).is_ok_and(|m| m.len() > 0) {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = |follow: bool| {
        let mut args = vec!["status", "j.jsonl"];
        if follow {
            args.push("--follow");
        }
        Test::at(t.path()).args(args).run()
    };
    // Followed while it runs: the exit code is the drill's, aborted.
    let followed = status(true);
    assert_eq!(run.wait().unwrap().code(), Some(3));
    followed.code(3);
    // Followed once finished: the same; a plain look says it was shown.
    status(true).code(3);
    status(false).code(0);
}

/// A quick command freeing a manual step, then a command that fails and
/// asks what to do.
const CAUSES: &str = r#"version: 1
name: causes
defaults:
  timeout: 1m
steps:
  - id: prepare
    title: Prepare
    run: "true"
  - id: check
    title: Check by hand
    needs: [prepare]
  - id: flaky
    title: Flaky restore
    needs: [check]
    run: "echo boom; exit 3"
"#;

/// Everything the terminal printed up to `needle` (included).
fn upto(p: &mut Session, needle: impl expectrl::Needle, what: &str) -> String {
    expect(p, needle, what)
}

/// Where `needle` first is in `text`, which must hold it.
fn at(text: &str, needle: &str) -> usize {
    text.find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in:\n{text}"))
}

/// Lines follow cause → effect, as plain lines and in the live view: the
/// prerequisite's `done` before its dependent's prompt, the failed attempt
/// before the question about it. (A group commit used to show the
/// question first and the lines that led to it after.)
#[test]
fn questions_come_after_the_lines_that_caused_them() {
    for live in [false, true] {
        let t = Test::new().file("rb.yaml", CAUSES).args([
            "run",
            "rb.yaml",
            "--journal",
            "j.jsonl",
            "--operator",
            "alice",
        ]);
        let t = if live { t.env_remove("NO_COLOR") } else { t };
        let mut p = t.pty();
        // The manual step's question, and all that was printed before it.
        let shown = upto(&mut p, "→ `done 2`", "the manual step's question");
        let question = shown
            .rfind("Check by hand")
            .unwrap_or_else(|| panic!("no question in:\n{shown}"));
        let done = styled(&["#1", "prepare", "done"]);
        let done_at = regex::Regex::new(&done.0)
            .unwrap()
            .find(&shown)
            .unwrap_or_else(|| panic!("prepare's done line is not before the question:\n{shown}"))
            .start();
        assert!(done_at < question, "{shown}");
        p.send_line("done 2").unwrap();
        let shown = upto(&mut p, "→ `retry 3`", "the failure's question");
        let failed = at(&shown, "attempt 1 failed");
        let question = shown
            .rfind("Flaky restore")
            .unwrap_or_else(|| panic!("no question in:\n{shown}"));
        assert!(failed < question, "{shown}");
        p.send_line("skip 3 not today").unwrap();
        let (code, rest) = finish(p);
        let style = if live { "live" } else { "plain" };
        assert_eq!(code, 0, "recovered, a skip included ({style}):\n{rest}");
    }
}

/// A restore that reports its progress, then hangs on; run again after a
/// resume, it finds its work done (done before it says 64%, which the
/// tests wait for: else the run again would restore for a minute).
const PROGRESS: &str = r#"version: 1
name: progress
steps:
  - id: restore
    title: Restore the lab database
    idempotent: true
    timeout: 5m
    run: |
      if [ -e restored ]; then echo already; exit 0; fi
      echo 63% restored
      touch restored
      echo 64% restored
      sleep 60
  - id: verify
    title: Verify the restore
    needs: [restore]
    run: "echo verified"
"#;

/// Starts `reprise run --yes` in `dir` and SIGKILLs it once the log of
/// `step` holds the line `output`: what it started lives on in its own
/// group. A whole line: the log's header quotes the command
/// (`===   echo 64% restored`) before it has printed anything.
fn run_and_kill_after(dir: &Path, step: &str, output: &str) {
    let mut child = Test::at(dir)
        .args(["run", "rb.yaml", "--journal", "j.jsonl", "--yes"])
        .spawn();
    let log = dir.join(format!("j.logs/{step}.log"));
    // A guard against a hung drill, not a timing assertion.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !std::fs::read_to_string(&log).is_ok_and(|t| t.lines().any(|l| l == output)) {
        let logged = || std::fs::read_to_string(&log).unwrap_or_default();
        assert!(
            child.try_wait().unwrap().is_none(),
            "the drill ended; its log:\n{}",
            logged()
        );
        assert!(
            std::time::Instant::now() < deadline,
            "`{output}` never logged:\n{}",
            logged()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
}

fn resume(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Test::at(dir)
        .args(["resume", "j.jsonl", "--yes"])
        .args(args)
        .run();
    (out.code, out.stderr)
}

/// `resume` says which leftover it stops, with the last lines it printed:
/// how far the restore got before it was ended.
#[test]
fn resume_stops_a_leftover_and_shows_its_last_output() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rb.yaml"), PROGRESS).unwrap();
    run_and_kill_after(dir.path(), "restore", "64% restored");
    let (code, stderr) = resume(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    let said = regex::Regex::new(
        r"stopping what is left of step `restore` \(attempt 1, process group \d+\) from the interrupted run; its last output:\n    │ 63% restored\n    │ 64% restored\n",
    )
    .unwrap();
    assert!(said.is_match(&stderr), "{stderr}");
}

/// A runbook changed since the drill started: resume names each changed
/// step and setting, commands and timeouts included (which `run_started`
/// knows only by their fingerprints).
#[test]
fn resume_names_each_changed_step_and_setting() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rb.yaml"), PROGRESS).unwrap();
    run_and_kill_after(dir.path(), "restore", "64% restored");
    let changed = PROGRESS
        .replace("echo verified", "echo verified twice")
        .replace("needs: [restore]", "needs: [restore]\n    timeout: 1m")
        .replace(
            "title: Restore the lab database",
            "title: Restore the lab DB",
        );
    std::fs::write(dir.path().join("rb.yaml"), changed).unwrap();
    let (code, stderr) = resume(dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    for line in [
        "  ~ restore: title \"Restore the lab database\" → \"Restore the lab DB\"\n",
        "  ~ verify: run, timeout differ\n",
    ] {
        assert!(stderr.contains(line), "`{line}` not in:\n{stderr}");
    }
    // Carried on with the new runbook: the same list, as a warning.
    let (code, stderr) = resume(dir.path(), &["--allow-changed"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("  ~ verify: run, timeout differ\n"),
        "{stderr}"
    );
}

/// A manual step, a command that fails once and is retried, a note.
const GLYPHS: &str = r#"version: 1
name: glyphs
defaults:
  timeout: 1m
steps:
  - id: call-vendor
    title: Call the storage vendor
    instructions: "Open a **P1** ticket."
  - id: restore
    title: Restore
    needs: [call-vendor]
    retries: 1
    retry_delay: 0s
    run: "if [ -e tried ]; then echo restored; else touch tried; exit 1; fi"
"#;

/// The drill at a terminal of kind `term` with `args` and `env`: its
/// whole output, once `done 1` and a note are typed.
fn drill_output(args: &[&str], env: &[(&str, &str)], term: &str) -> String {
    let mut t = Test::new()
        .file("rb.yaml", GLYPHS)
        .args([
            "run",
            "rb.yaml",
            "--journal",
            "j.jsonl",
            "--operator",
            "alice",
        ])
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("REPRISE_ASCII")
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_CTYPE")
        .env("TERM", term);
    for (k, v) in env {
        t = t.env(k, v);
    }
    let mut p = t.pty();
    // A French locale gives the French terminal: `fait 1` is suggested.
    let french = env
        .iter()
        .any(|(k, v)| k.starts_with('L') && v.starts_with("fr"));
    let answer = if french { "fait 1" } else { "done 1" };
    let mut shown = expect(&mut p, answer, "the manual step's question");
    p.send_line("note vendor called").unwrap();
    shown += &expect(&mut p, "vendor called", "the note");
    p.send_line("done 1").unwrap();
    let (code, rest) = finish(p);
    shown += &rest;
    assert_eq!(code, 0, "recovered:\n{shown}");
    // A French locale gives the French summary, in ASCII when the locale
    // is not UTF-8.
    let summary = if french {
        "delai de reprise"
    } else {
        "time to recovery"
    };
    assert!(shown.contains(summary), "{shown}");
    shown
}

/// `--ascii`, `REPRISE_ASCII=1` and a locale that is not UTF-8 write
/// nothing but ASCII, live bars and summary included; the Linux console
/// gets symbols its fonts have (no ✋, ✔ or ⚠, which show as blank boxes).
#[test]
fn ascii_and_the_linux_console_get_symbols_they_can_show() {
    for (args, env) in [
        (&["--ascii"][..], &[][..]),
        (&[][..], &[("REPRISE_ASCII", "1")][..]),
        (&[][..], &[("LANG", "C")][..]),
        (&[][..], &[("LC_ALL", "fr_FR.ISO-8859-1")][..]),
    ] {
        let shown = drill_output(args, env, "xterm-256color");
        let odd: String = shown.chars().filter(|c| !c.is_ascii()).collect();
        assert!(odd.is_empty(), "{args:?} {env:?}: `{odd}` in:\n{shown}");
        assert!(shown.contains("[ ]"), "{args:?} {env:?}:\n{shown}");
    }
    let console = drill_output(&[], &[], "linux");
    for glyph in ['✋', '✔', '⚠', '✎', '↻'] {
        assert!(!console.contains(glyph), "{glyph} in:\n{console}");
    }
    assert!(console.contains('☐') && console.contains('☑'), "{console}");
    // An ordinary terminal keeps its symbols.
    let unicode = drill_output(&[], &[], "xterm-256color");
    assert!(unicode.contains('✔') && unicode.contains('☐'), "{unicode}");
}
