//! Hostile and broken input for every command that reads a file, and the
//! promise that reading a runbook never runs it (docs/reliability.md lists
//! what each test proves).
//!
//! Each case runs the real binary with its memory limited (an allocation
//! beyond the bound aborts it) and killed after two minutes, so a blow-up
//! or a hang fails the test; none asserts a duration.

use std::path::Path;

use crate::harness::{Output, Test};

/// One kind of bad file: how to make it, and the words a clear message
/// about it contains (any one of them, compared case-insensitively).
struct Hostile {
    label: &'static str,
    /// The argument naming the file.
    arg: &'static str,
    /// What to create in the test folder: `(name, bytes)`.
    files: Vec<(&'static str, Vec<u8>)>,
    /// Words of which the message must contain at least one.
    words: &'static [&'static str],
}

/// Bytes that are neither UTF-8 nor text, newlines included.
fn garbage() -> Vec<u8> {
    (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect()
}

/// A runbook of `n` steps forming one cycle: step `s0` needs the last one.
fn one_big_cycle(n: usize) -> Vec<u8> {
    let mut text = String::from("version: 1\nname: Cycle\nsteps:\n");
    for i in 0..n {
        text.push_str(&format!(
            "  - id: s{i}\n    title: S{i}\n    needs: [s{}]\n",
            (i + n - 1) % n
        ));
    }
    text.into_bytes()
}

/// "Billion laughs": each anchor repeats the previous one ten times.
fn alias_bomb() -> Vec<u8> {
    let mut text = String::from("version: 1\nname: Bomb\na0: &a0 [lol, lol, lol, lol, lol]\n");
    for i in 1..40 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    text.push_str("steps:\n  - {id: a, title: A}\n");
    text.into_bytes()
}

/// Bad inputs shared by the runbook and the journal readers.
fn common() -> Vec<Hostile> {
    vec![
        Hostile {
            label: "a directory",
            arg: "dir",
            files: vec![("dir/inside", Vec::new())],
            words: &["directory"],
        },
        Hostile {
            label: "a missing file",
            arg: "missing.txt",
            files: vec![],
            words: &["no such file"],
        },
        Hostile {
            label: "/dev/zero",
            arg: "/dev/zero",
            files: vec![],
            words: &["larger than", "not a regular file"],
        },
        Hostile {
            label: "binary garbage",
            arg: "garbage.bin",
            files: vec![("garbage.bin", garbage())],
            words: &["utf-8", "not a journal event"],
        },
    ]
}

fn runbook_cases() -> Vec<Hostile> {
    let mut cases = common();
    cases.extend([
        Hostile {
            label: "an empty file",
            arg: "empty.yaml",
            files: vec![("empty.yaml", Vec::new())],
            words: &["holds no yaml document"],
        },
        Hostile {
            label: "Latin-1 text",
            arg: "latin1.yaml",
            files: vec![("latin1.yaml", b"version: 1\nname: Caf\xe9\n".to_vec())],
            words: &["not utf-8 text: invalid byte 0xe9 on line 2"],
        },
        Hostile {
            label: "a 20,000-step cycle",
            arg: "cycle.yaml",
            files: vec![("cycle.yaml", one_big_cycle(20_000))],
            words: &["dependency cycle `s0 → s19999 → s19998"],
        },
        Hostile {
            label: "an alias bomb",
            arg: "bomb.yaml",
            files: vec![("bomb.yaml", alias_bomb())],
            words: &["expands to more than"],
        },
        Hostile {
            label: "100,000 levels of nesting",
            arg: "deep.yaml",
            files: vec![(
                "deep.yaml",
                ("[".repeat(100_000) + &"]".repeat(100_000)).into_bytes(),
            )],
            words: &["nested deeper than 64 levels"],
        },
        Hostile {
            label: "a 30 MB scalar",
            arg: "long.yaml",
            files: vec![("long.yaml", {
                let mut text = b"version: 1\nname: ".to_vec();
                text.extend(std::iter::repeat_n(b'x', 30 << 20));
                text.push(b'\n');
                text
            })],
            words: &["this value is 31457280 bytes long"],
        },
    ]);
    cases
}

/// A real journal (a test fixture) with a Latin-1 byte inside its third
/// line: what no `reprise` ever writes.
fn latin1_journal() -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/journals/recovered.jsonl");
    let mut bytes = std::fs::read(path).unwrap();
    let third = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(1)
        .unwrap()
        .0;
    // Inside the `time` value, well before the end of the line.
    bytes[third + 20] = 0xe9;
    bytes
}

fn journal_cases() -> Vec<Hostile> {
    let mut cases = common();
    cases.extend([
        Hostile {
            label: "an empty file",
            arg: "empty.jsonl",
            files: vec![("empty.jsonl", Vec::new())],
            words: &["no event", "`run_started`"],
        },
        Hostile {
            label: "Latin-1 text",
            arg: "latin1.jsonl",
            files: vec![("latin1.jsonl", latin1_journal())],
            words: &["latin1.jsonl:3: not valid utf-8"],
        },
        Hostile {
            label: "100,000 levels of JSON nesting",
            arg: "deep.jsonl",
            files: vec![(
                "deep.jsonl",
                ("[".repeat(100_000) + &"]".repeat(100_000) + "\n[]\n").into_bytes(),
            )],
            words: &["not a journal event"],
        },
    ]);
    cases
}

/// Runs `command` (its words, then the file) on every case; collects each
/// case that does not end with exit 2 and a clear message, so that one run
/// shows every failure.
fn refuse_all(command: &[&str], cases: Vec<Hostile>) {
    let mut failures = Vec::new();
    for case in cases {
        let mut test = Test::new();
        for (name, bytes) in &case.files {
            test = test.file(name, bytes);
        }
        let mut args = command.to_vec();
        args.push(case.arg);
        let out = run_bounded(test.path(), &args);
        if let Some(problem) = unclear(&out, case.arg, case.words) {
            let head: String = out.stderr.chars().take(600).collect();
            failures.push(format!(
                "`reprise {} {}` ({}): {problem}\n--- stderr\n{head}",
                command.join(" "),
                case.arg,
                case.label
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Memory a hostile input may make reprise use (heap and anonymous maps,
/// as the allocator reserves them): the largest case, `/dev/zero` read up
/// to 64 MiB, peaks at about 220 MB.
const MEMORY_BOUND: u64 = 512 << 20;

/// Runs the binary in `dir` with its memory limited to [`MEMORY_BOUND`]
/// (an allocation beyond it aborts the process: exit code -1) and the
/// harness's two-minute guard.
///
/// The limit is set by util-linux's `prlimit` rather than in a `pre_exec`
/// hook: a hook makes the test process fork whole, and while a forked copy
/// runs it holds every open file of the test binary, journal locks of other
/// tests included.
fn run_bounded(dir: &Path, args: &[&str]) -> Output {
    run_limited(dir, args, MEMORY_BOUND)
}

/// [`run_bounded`] with another limit, in bytes.
fn run_limited(dir: &Path, args: &[&str], bound: u64) -> Output {
    Test::at(dir)
        .args(args)
        .under("prlimit", &[&format!("--data={bound}"), "--"])
        .run()
}

/// What is wrong with the way a bad input was refused, if anything.
fn unclear(out: &Output, arg: &str, words: &[&str]) -> Option<String> {
    let stderr = out.stderr.to_lowercase();
    let name = Path::new(arg).file_name().unwrap().to_str().unwrap();
    if out.code != 2 {
        Some(format!("exit code {} instead of 2", out.code))
    } else if stderr.contains("panicked") {
        Some("it panicked".into())
    } else if !stderr.contains("error") {
        Some("no error message".into())
    } else if !stderr.contains(&name.to_lowercase()) {
        Some(format!("the message does not name `{name}`"))
    } else if !words.iter().any(|w| stderr.contains(&w.to_lowercase())) {
        Some(format!("the message says none of {words:?}"))
    } else {
        None
    }
}

#[test]
fn check_refuses_hostile_runbooks() {
    refuse_all(&["check"], runbook_cases());
}

#[test]
fn plan_refuses_hostile_runbooks() {
    refuse_all(&["plan"], runbook_cases());
}

#[test]
fn dry_run_refuses_hostile_runbooks() {
    refuse_all(&["run", "--dry-run"], runbook_cases());
}

#[test]
fn run_refuses_hostile_runbooks_before_starting() {
    refuse_all(&["run", "--yes", "--journal", "j.jsonl"], runbook_cases());
}

#[test]
fn resume_refuses_hostile_journals() {
    refuse_all(&["resume", "--yes"], journal_cases());
}

#[test]
fn status_refuses_hostile_journals() {
    refuse_all(&["status"], journal_cases());
}

#[test]
fn verify_refuses_hostile_journals() {
    refuse_all(&["verify"], journal_cases());
}

#[test]
fn report_refuses_hostile_journals() {
    refuse_all(&["report"], journal_cases());
}

/// A command that prints without pause (two million short lines here) is
/// read as fast as it prints and its lines are handled as they come, never
/// queued whole in memory: queued, they took about 380 MB; read in bounded
/// rounds, under 100 MB.
#[test]
fn regression_a_flood_of_short_lines_was_queued_whole_in_memory() {
    let t = Test::new().file(
        "flood.yaml",
        "version: 1\nname: flood\nsteps:\n  - id: flood\n    title: prints a lot\n    run: \"yes | head -c 4000000\"\n",
    );
    let out = run_limited(
        t.path(),
        &["run", "--yes", "--journal", "j.jsonl", "flood.yaml"],
        192 << 20,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let log = std::fs::read_to_string(t.path().join("j.logs/flood.log")).unwrap();
    // The header, every line, and how it ended.
    assert_eq!(log.lines().filter(|l| *l == "y").count(), 2_000_000);
    assert!(
        log.ends_with("=== exit code 0\n"),
        "{}",
        &log[log.len() - 100..]
    );
    assert_eq!(run_in(t.path(), &["verify", "j.jsonl"]).code, 0);
}

// Untrusted runbooks: checking, planning and dry runs never execute anything
// the runbook says.

/// A runbook where every place that can hold a command would create
/// `marker`: string and list commands, rollbacks, an interpolation-looking
/// variable, a confirmed step.
fn booby_trapped(marker: &Path) -> String {
    let m = marker.display();
    format!(
        "\
version: 1
name: Received from someone else
objectives: {{rto: 1h}}
vars:
  PAYLOAD: \"$(touch {m})\"
  TOKEN: {{value: \"`touch {m}`\", secret: true}}
defaults: {{timeout: 1m}}
phases:
  - id: first
    title: First
    steps:
      - id: shell
        title: A shell command
        estimate: 1m
        run: touch {m}
        rollback: touch {m}
      - id: argv
        title: A command without a shell
        estimate: 1m
        run: [touch, \"{m}\"]
        rollback: [touch, \"{m}\"]
        confirm: true
      - id: env
        title: A command with its own environment
        estimate: 1m
        run: 'touch \"$WHERE\"'
        env: {{WHERE: \"{m}\"}}
        workdir: .
  - id: second
    title: Second
    steps:
      - id: manual
        title: A manual step
        estimate: 1m
        instructions: \"$(touch {m})\"
        rollback: touch {m}
"
    )
}

#[test]
fn check_plan_and_dry_run_never_run_a_runbook() {
    let t = Test::new();
    let marker = t.path().join("marker");
    let t = t.file("received.yaml", booby_trapped(&marker));
    // The trap works: the runbook's first command does create the marker.
    let status = std::process::Command::new("sh")
        .args(["-c", &format!("touch {}", marker.display())])
        .status()
        .unwrap();
    assert!(status.success() && marker.exists());
    std::fs::remove_file(&marker).unwrap();

    let mut runs: Vec<Vec<&str>> = vec![
        vec!["check", "received.yaml"],
        vec!["check", "--strict", "--format", "json", "received.yaml"],
    ];
    for format in ["text", "json", "dot", "mermaid"] {
        for mode in ["drill", "incident"] {
            runs.push(vec![
                "plan",
                "--format",
                format,
                "--mode",
                mode,
                "received.yaml",
            ]);
        }
    }
    // Each dry run gets its own journal: default names have one-second
    // resolution.
    for (i, extra) in [&[][..], &["--incident"], &["--var", "PAYLOAD=x"]]
        .into_iter()
        .enumerate()
    {
        let journal: &'static str = ["1.jsonl", "2.jsonl", "3.jsonl"][i];
        let mut args = vec!["run", "--dry-run", "--journal", journal];
        args.extend_from_slice(extra);
        args.push("received.yaml");
        runs.push(args);
    }
    for args in runs {
        let here = run_in(t.path(), &args);
        assert_eq!(here.code, 0, "reprise {args:?}\n{}", here.stderr);
        assert!(
            !marker.exists(),
            "`reprise {}` ran a command of the runbook",
            args.join(" ")
        );
    }
}

/// Runs the binary in `dir` several times over (a harness `Test` runs one
/// command line), with the harness's two-minute guard.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    crate::harness::Test::at(dir).args(args).run()
}

// Regressions: bugs these tests found, one test each, named after the bug.

/// `reprise verify /dev/zero` and `reprise report /dev/zero` read the
/// device until memory ran out (killed after about 20 s here).
#[test]
fn regression_journal_commands_read_dev_zero_until_memory_ran_out() {
    for command in ["verify", "report"] {
        let out = Test::new().args([command, "/dev/zero"]).run();
        out.code(2);
        assert!(
            out.stderr
                .contains("journal /dev/zero: it is not a regular file\n"),
            "{command}: {}",
            out.stderr
        );
    }
}

/// `reprise report` decoded a journal with invalid UTF-8 lossily and reported
/// on the altered text with exit 0.
#[test]
fn regression_report_replaced_invalid_utf8_instead_of_refusing() {
    let out = Test::new()
        .file("j.jsonl", latin1_journal())
        .args(["report", "j.jsonl"])
        .run();
    out.code(2);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .starts_with("error: j.jsonl:3: not valid UTF-8\n"),
        "{}",
        out.stderr
    );
}

/// `reprise run --answers /dev/zero` read the device until memory ran out
/// (killed after about 20 s here); the other bad answers files get a
/// message, exit 2, and nothing is run or journaled.
#[test]
fn regression_run_read_answers_from_dev_zero_until_memory_ran_out() {
    let t = Test::new()
        .file(
            "rb.yaml",
            "version: 1\nname: A\nsteps:\n  - {id: a, title: A}\n",
        )
        .file("dir/x", "")
        .file("garbage.bin", garbage())
        .file(
            "deep.yaml",
            "[".repeat(100_000) + &"]".repeat(100_000) + "\n",
        )
        .file("bomb.yaml", alias_bomb());
    let cases = [
        (
            "/dev/zero",
            "cannot use the answers file: `/dev/zero` is larger than 64 MiB",
        ),
        ("dir", "cannot use the answers file: `dir` is a directory"),
        (
            "garbage.bin",
            "cannot use the answers file: `garbage.bin` is not UTF-8 text",
        ),
        (
            "missing.yaml",
            "cannot use the answers file: cannot read `missing.yaml`: no such file",
        ),
        (
            "deep.yaml",
            "the answers file deep.yaml is not valid: nothing was run",
        ),
        (
            "bomb.yaml",
            "the answers file bomb.yaml is not valid: nothing was run",
        ),
    ];
    for (answers, message) in cases {
        let out = run_bounded(
            t.path(),
            &[
                "run",
                "rb.yaml",
                "--answers",
                answers,
                "--journal",
                "j.jsonl",
            ],
        );
        assert_eq!(out.code, 2, "--answers {answers}: {}", out.stderr);
        assert!(
            out.stderr.contains(message),
            "--answers {answers}: {}",
            out.stderr
        );
        assert!(!t.path().join("j.jsonl").exists(), "--answers {answers}");
    }
}

/// A command printing a line without end (binary data sent to stdout by
/// mistake) had it held whole in memory, several times over, and kept whole
/// in the journal's `output_tail` (50 MB printed gave a 50 MB journal line).
/// Lines are now cut at 64 KiB, and a secret across the cut leaves no part
/// of itself behind.
#[test]
fn regression_a_line_without_end_was_kept_whole_in_memory_and_the_journal() {
    let secret = "Zq9-secret-across-the-cut";
    // The second line puts the secret's first bytes just before 64 KiB.
    let runbook = format!(
        r#"version: 1
name: Long lines
vars:
  TOKEN: {{value: "{secret}", secret: true}}
steps:
  - id: binary
    title: Prints long lines
    timeout: 1m
    on_failure: continue
    run: 'head -c 5000000 /dev/zero | tr "\0" x; echo; head -c 65533 /dev/zero | tr "\0" y; echo "$TOKEN and more"; echo short; exit 1'
"#
    );
    let t = Test::new().file("rb.yaml", runbook);
    let out = run_bounded(
        t.path(),
        &["run", "rb.yaml", "--yes", "--journal", "j.jsonl"],
    );
    out.code(1);
    let journal = std::fs::read(t.path().join("j.jsonl")).unwrap();
    assert!(
        journal.len() < 1 << 20,
        "{} bytes of journal",
        journal.len()
    );
    let log = std::fs::read_to_string(t.path().join("j.logs/binary.log")).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    // 5,000,000 bytes, less the 64 KiB kept: masked first, the line loses
    // only an end that could start a secret, and this one has none.
    assert!(
        lines[1].ends_with(" [… 4934464 more bytes of this line not kept]"),
        "{}",
        &lines[1][lines[1].len() - 80..]
    );
    assert!(lines[2].starts_with("yyyy"), "{}", &lines[2][..10]);
    assert!(lines[2].contains("more bytes of this line not kept"));
    assert!(log.contains("\nshort\n"), "the output after the long lines");
    let journal = String::from_utf8(journal).unwrap();
    for (name, text) in [
        ("log", &log),
        ("journal", &journal),
        ("stdout", &out.stdout),
    ] {
        assert!(
            !text.contains("Zq9"),
            "the {name} holds the start of the secret"
        );
    }
}

// ---- files made in advance: links and shared folders --------------------------

const ONE_STEP: &str = "version: 1\nname: Files\nsteps:\n  - id: s\n    title: S\n    timeout: 1m\n    run: \"echo output-of-the-step\"\n";

#[test]
fn a_lock_sidecar_made_in_advance_as_a_link_is_not_followed() {
    let t = Test::new()
        .file("rb.yaml", ONE_STEP)
        .file("victim", "precious\n");
    std::os::unix::fs::symlink(t.path().join("victim"), t.path().join("j.jsonl.lock")).unwrap();
    run_in(
        t.path(),
        &["run", "rb.yaml", "--yes", "--journal", "j.jsonl"],
    )
    .code(0);
    assert_eq!(
        std::fs::read_to_string(t.path().join("victim")).unwrap(),
        "precious\n"
    );
}

#[test]
fn a_step_log_made_in_advance_as_a_link_gets_nothing() {
    use std::os::unix::fs::DirBuilderExt;
    let t = Test::new()
        .file("rb.yaml", ONE_STEP)
        .file("victim", "precious\n")
        .file("other-victim", "precious too\n");
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(t.path().join("j.logs"))
        .unwrap();
    std::os::unix::fs::symlink(t.path().join("victim"), t.path().join("j.logs/s.log")).unwrap();
    run_in(
        t.path(),
        &["run", "rb.yaml", "--yes", "--journal", "j.jsonl"],
    )
    .code(0);
    assert_eq!(
        std::fs::read_to_string(t.path().join("victim")).unwrap(),
        "precious\n"
    );
    // A hard link made in advance is refused as well.
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(t.path().join("k.logs"))
        .unwrap();
    std::fs::hard_link(t.path().join("other-victim"), t.path().join("k.logs/s.log")).unwrap();
    run_in(
        t.path(),
        &["run", "rb.yaml", "--yes", "--journal", "k.jsonl"],
    )
    .code(0);
    assert_eq!(
        std::fs::read_to_string(t.path().join("other-victim")).unwrap(),
        "precious too\n"
    );
}

#[test]
fn a_logs_folder_others_can_write_to_is_refused_before_the_journal_is_created() {
    use std::os::unix::fs::PermissionsExt;
    let t = Test::new().file("rb.yaml", ONE_STEP);
    std::fs::create_dir(t.path().join("j.logs")).unwrap();
    std::fs::set_permissions(
        t.path().join("j.logs"),
        std::fs::Permissions::from_mode(0o777),
    )
    .unwrap();
    let out = run_in(
        t.path(),
        &["run", "rb.yaml", "--yes", "--journal", "j.jsonl"],
    );
    out.code(2);
    assert!(
        out.stderr.contains(
            "will not write step logs into j.logs: its mode 777 lets other users create files in it"
        ),
        "{}",
        out.stderr
    );
    assert!(
        !t.path().join("j.jsonl").exists(),
        "a journal was left behind"
    );
}

/// `run --dry-run` on `estimate: 3000000d` panicked (date overflow) and
/// left a journal without `run_finished`; durations are now bounded at 366
/// days by the parser, and the simulated clock stops at the calendar's end.
#[test]
fn regression_a_huge_estimate_made_the_dry_run_panic() {
    let t = Test::new().file(
        "rb.yaml",
        "version: 1\nname: Huge\nsteps:\n  - id: s\n    title: S\n    estimate: 3000000d\n    run: \"true\"\n",
    );
    let check = run_in(t.path(), &["check", "rb.yaml"]);
    check.code(2);
    assert!(
        check
            .stderr
            .contains("`3000000d` is longer than the longest duration a runbook may hold, 366d"),
        "{}",
        check.stderr
    );
    let dry = run_in(
        t.path(),
        &["run", "rb.yaml", "--dry-run", "--journal", "j.jsonl"],
    );
    dry.code(2);
    assert!(!dry.stderr.contains("panicked"), "{}", dry.stderr);
    // The longest allowed estimates, one after the other for ten thousand
    // years: the dry run ends, clock stopped at the calendar's end.
    let mut chain = String::from("version: 1\nname: Long\nsteps:\n");
    for i in 0..12_000 {
        chain.push_str(&format!(
            "  - id: s{i}\n    title: S\n    estimate: 366d\n    run: \"true\"\n"
        ));
        if i > 0 {
            chain.push_str(&format!("    needs: [s{}]\n", i - 1));
        }
    }
    std::fs::write(t.path().join("long.yaml"), chain).unwrap();
    let long = run_in(
        t.path(),
        &["run", "long.yaml", "--dry-run", "--journal", "l.jsonl"],
    );
    long.code(0);
    assert!(!long.stderr.contains("panicked"), "{}", long.stderr);
    assert!(
        std::fs::read_to_string(t.path().join("l.jsonl"))
            .unwrap()
            .contains("run_finished"),
        "the dry run's journal has no end"
    );
}

/// A command printing without end filled the disk under the journal: its
/// step log kept everything. The log keeps the first 8 MiB and the last
/// 1 MiB of an attempt, says how much it left out between them (lines
/// kept and left out add up to what was printed), and ends as usual.
#[test]
fn regression_a_step_log_grew_without_limit() {
    // 200,000 lines of 100 bytes: 20 MB between a first and a last line.
    let t = Test::new().file(
        "big.yaml",
        "version: 1\nname: big\nsteps:\n  - id: big\n    title: prints 20 MB\n    timeout: 5m\n    run: \"echo FIRST-LINE; head -c 19800000 /dev/zero | tr '\\\\0' a | fold -w 99; echo; echo LAST-LINE\"\n",
    );
    let out = run_in(
        t.path(),
        &["run", "--yes", "--journal", "j.jsonl", "big.yaml"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let path = t.path().join("j.logs/big.log");
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(
        size <= (8 << 20) + (1 << 20) + 4096,
        "the log holds {size} bytes"
    );
    let log = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines[1], "FIRST-LINE", "{}", &log[..200]);
    let notice = lines
        .iter()
        .find(|l| l.starts_with("=== [log capped: "))
        .unwrap_or_else(|| panic!("no notice in the log"));
    let left_out: usize = notice["=== [log capped: ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let kept = lines
        .iter()
        .filter(|l| l.len() == 99 && l.bytes().all(|b| b == b'a'))
        .count();
    assert_eq!(kept + left_out, 200_000, "{notice}");
    assert!(kept > 80_000 && left_out > 100_000, "{kept} kept, {notice}");
    assert_eq!(&lines[lines.len() - 2..], ["LAST-LINE", "=== exit code 0"]);
    assert_eq!(run_in(t.path(), &["verify", "j.jsonl"]).code, 0);
}

/// A valid journal of about `mb` megabytes, mostly output: 50 remote
/// steps on 4 hosts, each retried until it is that long, each host's end
/// with 5 lines of ~1 KB (what `bench/report-memory/gen.py` writes).
fn long_journal(mb: usize) -> Vec<u8> {
    use sha2::Digest;
    let hosts = ["db1", "db2", "app1", "app2"];
    let steps: Vec<String> = (0..50).map(|i| format!("s{i:03}")).collect();
    let attempts = (mb * 1_000_000 / (50 * 4 * 5 * 1050)).max(1);
    let mut out = Vec::new();
    let mut prev = "0".repeat(64);
    let mut seq = 0;
    let mut write = |mut record: serde_json::Value| {
        record["seq"] = seq.into();
        record["time"] = "2026-01-05T08:00:00.000Z".into();
        record["prev"] = prev.clone().into();
        let line = format!("{record}\n");
        prev = hex::encode(sha2::Sha256::digest(line.as_bytes()));
        out.extend_from_slice(line.as_bytes());
        seq += 1;
    };
    let plan: Vec<_> = steps
        .iter()
        .map(|s| serde_json::json!({"id": s, "title": s, "phase": "main", "kind": "command", "hosts": hosts}))
        .collect();
    write(
        serde_json::json!({"event": "run_started", "runbook": "r.yaml",
        "runbook_sha256": "ab".repeat(32), "name": "Long", "mode": "drill", "dry_run": false,
        "operator": "alice", "host": "h", "reprise_version": "0.1.0",
        "phases": [{"id": "main", "title": "Main"}], "steps": plan}),
    );
    let lines = |s: &str, a: usize| -> Vec<String> {
        (0..5)
            .map(|i| format!("{s} {a} {i} {}", "replication lag too high ".repeat(40)))
            .collect()
    };
    for s in &steps {
        write(serde_json::json!({"event": "step_ready", "step": s}));
        for a in 1..=attempts {
            write(serde_json::json!({"event": "step_started", "step": s, "attempt": a}));
            for h in hosts {
                write(
                    serde_json::json!({"event": "host_finished", "step": s, "attempt": a,
                    "host": h, "exit_code": 1, "output_tail": lines(s, a)}),
                );
            }
            write(
                serde_json::json!({"event": "attempt_finished", "step": s, "attempt": a, "exit_code": 1}),
            );
        }
        write(
            serde_json::json!({"event": "step_finished", "step": s, "outcome": "failed",
            "exit_code": 1, "by": "reprise", "source": "command", "attempts": attempts}),
        );
    }
    write(serde_json::json!({"event": "run_finished", "result": "degraded"}));
    out
}

/// Issue 17, item 11: `report` read the whole journal, then held its
/// events, their timeline, the report and its text: about 6× the journal
/// (a 105 MB journal peaked at 603 MB). It streams the journal now, and
/// keeps bounded output per step: a 40 MB journal is reported, verified
/// and shown by `status` within 100 MB (measured against the journal's size in
/// bench/report-memory).
#[test]
fn regression_report_held_the_whole_journal_in_memory() {
    let t = Test::new().file("long.jsonl", long_journal(40));
    let len = std::fs::metadata(t.path().join("long.jsonl"))
        .unwrap()
        .len();
    assert!(len > 35_000_000, "{len} bytes");
    let out = run_limited(t.path(), &["report", "long.jsonl"], 100 << 20);
    assert_eq!(out.code, 0, "report: {}", out.stderr);
    assert!(out.stdout.contains("s049"), "{}", &out.stdout[..500]);
    for command in ["verify", "status"] {
        let out = run_limited(t.path(), &[command, "long.jsonl"], 100 << 20);
        assert_eq!(out.code, 0, "{command}: {}", out.stderr);
    }
}
