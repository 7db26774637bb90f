//! The journal through the binary: `reprise verify` on intact and tampered
//! journals, the file's permissions, the lock.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use reprise::event::{Event, RunResult, Stamped};
use reprise::journal::{self, Writer};
use reprise::redact::Redactor;

use crate::fixtures::{at, command_steps, run_started, step_done, step_started, write};
use crate::harness::Test;

/// A drill of `n` command steps `s1`…`sn`, each started and done at second
/// `i`, and finished (recovered) when `finished`, as the engine would record
/// it.
pub fn drill(n: usize, finished: bool) -> Vec<Stamped> {
    let mut events = vec![run_started(
        "plan.yaml",
        "ab".repeat(32),
        "Failover",
        command_steps(n),
    )];
    for i in 1..=n {
        let step = format!("s{i}");
        events.push(step_started(&step, i as i64));
        events.push(step_done(&step, i as i64));
    }
    if finished {
        events.push(Stamped {
            time: at(n as i64 + 1),
            event: Event::RunFinished {
                result: RunResult::Recovered,
            },
        });
    }
    events
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| format!("{l}\n"))
        .collect()
}

fn verify_after(edit: impl FnOnce(&mut Vec<String>)) -> crate::harness::Output {
    let t = Test::new();
    let path = t.path().join("drill.jsonl");
    write(&path, &drill(3, true));
    let mut l = lines(&path);
    edit(&mut l);
    std::fs::write(&path, l.concat()).unwrap();
    t.args(["verify", "drill.jsonl"]).run()
}

#[test]
fn verify_reports_an_intact_journal() {
    let t = Test::new();
    write(&t.path().join("drill.jsonl"), &drill(3, true));
    let out = t.args(["verify", "drill.jsonl"]).run();
    out.code(0);
    assert!(
        out.stdout.starts_with(
            "journal intact: 8 events, run \"Failover\" (drill), started 2026-11-29T08:00:00Z (result recovered)\nhead: "
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn verify_names_a_changed_byte() {
    let out = verify_after(|l| l[3] = l[3].replace("\"s2\"", "\"s9\""));
    out.code(2);
    assert!(
        out.stderr.contains("drill.jsonl:4: line 4 was altered"),
        "{}",
        out.stderr
    );
}

#[test]
fn verify_names_a_deleted_line() {
    let out = verify_after(|l| {
        l.remove(4);
    });
    out.code(2);
    assert!(
        out.stderr
            .contains("drill.jsonl:5: 1 line was removed before line 5"),
        "{}",
        out.stderr
    );
}

#[test]
fn verify_names_swapped_lines() {
    let out = verify_after(|l| l.swap(2, 3));
    out.code(2);
    assert!(
        out.stderr
            .contains("drill.jsonl:3: lines 3 and 4 are swapped"),
        "{}",
        out.stderr
    );
}

#[test]
fn verify_names_a_forged_append() {
    let out = verify_after(|l| {
        let forged = l[2].clone();
        l.push(forged);
    });
    out.code(2);
    assert!(out.stderr.contains("drill.jsonl:9:"), "{}", out.stderr);
}

#[test]
fn verify_warns_about_a_torn_last_line_and_ignores_it() {
    let t = Test::new();
    let path = t.path().join("drill.jsonl");
    write(&path, &drill(2, false));
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(r#"{"seq":5,"time":"2026-11-29T08:00:0"#);
    std::fs::write(&path, text).unwrap();
    let out = t.args(["verify", "drill.jsonl"]).run();
    out.code(0);
    assert!(
        out.stdout
            .starts_with("journal intact: 5 events, run \"Failover\" (drill), started 2026-11-29T08:00:00Z (unfinished"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr
            .contains("warning: drill.jsonl: line 6 is incomplete"),
        "{}",
        out.stderr
    );
}

#[test]
fn verify_rejects_damage_before_the_last_line() {
    let out = verify_after(|l| l[2] = "{\"seq\":2,\n".into());
    out.code(2);
    assert!(
        out.stderr.contains("drill.jsonl:3: not a journal event"),
        "{}",
        out.stderr
    );
}

#[test]
fn journals_are_readable_by_their_owner_only() {
    let t = Test::new();
    let path = t.path().join("j/drill.jsonl");
    write(&path, &drill(1, true));
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
}

#[test]
fn status_shows_every_step_and_the_way_to_resume() {
    let t = Test::new();
    let mut events = drill(3, false);
    events.truncate(4); // run_started, s1 started and done, s2 started
    write(&t.path().join("drill.jsonl"), &events);
    let out = t.args(["status", "drill.jsonl"]).run();
    out.code(0);
    assert!(
        out.stdout.starts_with(
            "Failover — drill\nstarted 2026-11-29 08:00:00Z by alice on test\nelapsed "
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("not running: stopped after 2026-11-29 08:00:02Z; carry on with `reprise resume drill.jsonl`"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("steps: 1 done, 1 running, 1 pending (3 in all)"),
        "{}",
        out.stdout
    );
    let steps: Vec<String> = out
        .stdout
        .lines()
        .skip_while(|l| *l != "steps:")
        .skip(1)
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(steps, ["#1 done s1", "#2 running s2", "#3 pending s3"]);
}

#[test]
fn status_names_the_process_running_the_drill() {
    let t = Test::new();
    let path = t.path().join("drill.jsonl");
    let mut w = Writer::create(&path, Redactor::default()).unwrap();
    for e in &drill(2, false)[..2] {
        w.write(e).unwrap();
    }
    w.sync().unwrap();
    // Keep the folder: `args` returns the `Test` that owns it.
    let t = t.args(["status", "drill.jsonl"]);
    let out = t.run();
    out.code(0);
    assert!(
        out.stdout.contains(&format!(
            "in progress: reprise (pid {} on host ",
            std::process::id()
        )),
        "{}",
        out.stdout
    );
    // Read only: the journal is exactly as the writer left it.
    let before = std::fs::read(&path).unwrap();
    drop(w);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn status_follow_prints_new_events_until_the_drill_finishes() {
    let t = Test::new();
    let path = t.path().join("drill.jsonl");
    let events = drill(2, true);
    let mut w = Writer::create(&path, Redactor::default()).unwrap();
    w.write(&events[0]).unwrap();
    w.sync().unwrap();
    let mut child = Test::at(t.path())
        .args(["status", "drill.jsonl", "--follow"])
        .command()
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the first view, so that every later event is new to it.
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    // (The full list of steps is last; s2 is also among what comes next.)
    while !first
        .split("\nsteps:\n")
        .nth(1)
        .is_some_and(|steps| steps.contains(" pending        s2"))
    {
        let n = std::io::BufRead::read_line(&mut stdout, &mut first).unwrap();
        assert!(n > 0, "status ended early: {first}");
    }
    for e in &events[1..] {
        w.write(e).unwrap();
        w.sync().unwrap();
    }
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    assert!(child.wait().unwrap().success());
    let follow: Vec<&str> = rest.lines().collect();
    assert_eq!(
        follow,
        [
            "08:00:01 s1 started",
            "08:00:01 s1 done by reprise",
            "08:00:02 s2 started",
            "08:00:02 s2 done by reprise",
            "08:00:03 drill finished: recovered",
        ],
        "{first}{rest}"
    );
}

#[test]
fn verify_refuses_an_empty_journal() {
    let t = Test::new().file("drill.jsonl", "");
    let out = t.args(["verify", "drill.jsonl"]).run();
    out.code(2);
    assert!(
        out.stderr.contains(
            "error: journal drill.jsonl holds no event: the drill stopped before it started"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn without_journal_the_drill_is_recorded_in_journals_sorted_by_time() {
    let plan =
        "version: 1\nname: Quick\nsteps:\n  - id: only\n    title: Only\n    run: \"echo hello\"\n";
    let t = Test::new().file("san-failover.yaml", plan);
    let t = t.args(["run", "san-failover.yaml", "--yes"]);
    let out = t.run();
    out.code(0);
    let dir = t.path().join("journals");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let journal_name = names
        .iter()
        .find(|n| n.ends_with(".jsonl"))
        .unwrap_or_else(|| panic!("no journal in {names:?}"));
    // san-failover-YYYYMMDDTHHMMSSZ.jsonl
    let stamp = journal_name
        .strip_prefix("san-failover-")
        .and_then(|r| r.strip_suffix(".jsonl"))
        .unwrap_or_else(|| panic!("{journal_name}"));
    assert!(
        stamp.len() == 16 && &stamp[8..9] == "T" && stamp.ends_with('Z'),
        "{journal_name}"
    );
    assert!(
        out.stderr.contains(&format!("journals/{journal_name}")),
        "the path is printed: {}",
        out.stderr
    );
    let path = dir.join(journal_name);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    let dir_mode = std::fs::metadata(&dir).unwrap().permissions().mode();
    assert_eq!(dir_mode & 0o777, 0o700, "{dir_mode:o}");
    let logs = journal::log_dir(&path);
    assert!(logs.is_dir(), "no logs folder {}", logs.display());
    assert_eq!(
        logs.file_name().unwrap().to_string_lossy(),
        journal_name.replace(".jsonl", ".logs")
    );
    let j = journal::read(&path).unwrap();
    journal::verify(&j).unwrap();
}

#[test]
fn a_second_drill_in_the_same_second_gets_its_own_journal() {
    let plan =
        "version: 1\nname: Quick\nsteps:\n  - id: only\n    title: Only\n    run: \"true\"\n";
    let mut t = Test::new().file("quick.yaml", plan);
    // Take the name of every second around now.
    let now = jiff::Timestamp::now().as_second();
    for s in now - 1..now + 30 {
        let stamp = jiff::Timestamp::from_second(s)
            .unwrap()
            .strftime("%Y%m%dT%H%M%SZ");
        t = t.file(&format!("journals/quick-{stamp}.jsonl"), "");
    }
    let t = t.args(["run", "quick.yaml", "--yes"]);
    t.run().code(0);
    let taken: Vec<String> = std::fs::read_dir(t.path().join("journals"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with("-2.jsonl"))
        .collect();
    assert_eq!(taken.len(), 1, "{taken:?}");
}

/// Regression: drills started together from one folder could all find the
/// same default name free; all but one then failed to start ("already
/// exists").
#[test]
fn drills_started_together_from_one_folder_get_a_journal_each() {
    const DRILLS: usize = 6;
    let plan =
        "version: 1\nname: Quick\nsteps:\n  - id: only\n    title: Only\n    run: \"true\"\n";
    let t = Test::new()
        .file("quick.yaml", plan)
        .args(["run", "quick.yaml", "--yes"]);
    let mut drills: Vec<_> = (0..DRILLS)
        .map(|_| {
            t.command()
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    // A guard against a hung drill, not a timing assertion.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    for drill in &mut drills {
        let status = loop {
            if let Some(status) = drill.try_wait().unwrap() {
                break status;
            }
            if std::time::Instant::now() > deadline {
                let _ = drill.kill();
                panic!("a drill still runs after two minutes");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut drill.stderr.take().unwrap(), &mut stderr).unwrap();
        assert!(status.success(), "{status}\n{stderr}");
    }
    let journals: Vec<String> = std::fs::read_dir(t.path().join("journals"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".jsonl"))
        .collect();
    assert_eq!(journals.len(), DRILLS, "{journals:?}");
}

/// `status` and `report` on an edited journal: exit 2 with the line named
/// (they said nothing, or only warned, and exited 0); with `--force` they
/// show it, marked unverified, in every report format.
#[test]
fn status_and_report_refuse_an_edited_journal_unless_forced() {
    let t = Test::new();
    let path = t.path().join("drill.jsonl");
    write(&path, &drill(2, true));
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "\"step\":\"s1\",\"attempt\"",
        "\"step\":\"s2\",\"attempt\"",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let t = t.args(["status", "drill.jsonl"]);
    let out = t.run();
    out.code(2);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.starts_with(
            "error: drill.jsonl:2: line 2 was altered: its hash no longer matches the prev of line 3; the journal's hash chain is broken"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("hint: keep the file as evidence and see `reprise verify drill.jsonl`; `reprise status --force drill.jsonl`"),
        "{}",
        out.stderr
    );
    let t = t.without_args().args(["status", "--force", "drill.jsonl"]);
    let out = t.run();
    out.code(0);
    assert!(
        out.stderr
            .contains("warning: drill.jsonl:2: line 2 was altered"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.starts_with(
            "UNVERIFIED: the journal's hash chain is broken (drill.jsonl:2: line 2 was altered"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("\nFailover — drill\n"),
        "{}",
        out.stdout
    );

    let t = t.without_args().args(["report", "drill.jsonl"]);
    let out = t.run();
    out.code(2);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .starts_with("error: drill.jsonl:2: line 2 was altered"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("`reprise report --force drill.jsonl`"),
        "{}",
        out.stderr
    );
    let mut t = t;
    for format in ["md", "html", "json"] {
        t = t
            .without_args()
            .args(["report", "--force", "--format", format, "drill.jsonl"]);
        let out = t.run();
        out.code(0);
        let marked = match format {
            "json" => {
                let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
                v["journal"]["unverified"]
                    .as_str()
                    .is_some_and(|p| p.contains("line 2 was altered"))
            }
            _ => out.stdout.contains(
                "UNVERIFIED: the journal&#39;s hash chain is broken (drill.jsonl:2: line 2 was altered",
            ) || out.stdout.contains(
                "UNVERIFIED: the journal's hash chain is broken (drill.jsonl:2: line 2 was altered",
            ),
        };
        assert!(marked, "{format}: {}", out.stdout);
    }
    // An intact journal: no mark (the field is absent from the JSON).
    std::fs::remove_file(&path).unwrap();
    write(&path, &drill(2, true));
    let out = t
        .without_args()
        .args(["report", "--format", "json", "drill.jsonl"])
        .run();
    out.code(0);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(v["journal"].get("unverified").is_none(), "{}", out.stdout);
}
