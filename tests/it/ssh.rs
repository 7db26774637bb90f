//! Remote steps against a real OpenSSH server ([`Sshd`]) on a loopback
//! port: output and exit codes, variables and secrets, timeouts and aborts
//! that end the remote process, hosts that are down or refuse the key or
//! are unknown, parallel steps on one shared connection, several hosts per
//! step, `max_parallel`, `check --connect`, and where `plan` says commands
//! run.

use std::time::{Duration, Instant};

use crate::harness::Test;
use crate::sshd::{Sshd, free_port, keygen};

pub(crate) fn runbook(hosts: &str, steps: &str) -> String {
    format!(
        "version: 1\nname: Remote drill\ndefaults:\n  timeout: 1m\nhosts:\n{hosts}steps:\n{steps}"
    )
}

/// The journal's events, parsed.
pub(crate) fn events(out: &crate::harness::Output) -> Vec<serde_json::Value> {
    let dir = out.dir.join("journals");
    let journal = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{e}\n{}\n{}", out.stdout, out.stderr))
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .unwrap_or_else(|| panic!("no journal\n{}\n{}", out.stdout, out.stderr));
    std::fs::read_to_string(journal)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Every step log of the run, concatenated.
pub(crate) fn logs(out: &crate::harness::Output) -> String {
    let mut all = String::new();
    for entry in std::fs::read_dir(out.dir.join("journals")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            for log in std::fs::read_dir(path).unwrap() {
                all.push_str(&std::fs::read_to_string(log.unwrap().path()).unwrap());
            }
        }
    }
    all
}

pub(crate) fn of<'a>(events: &'a [serde_json::Value], kind: &str) -> Vec<&'a serde_json::Value> {
    events.iter().filter(|e| e["event"] == kind).collect()
}

/// Whether a process is alive now (a zombie counts as gone).
fn live(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            !s.rsplit(')')
                .next()
                .unwrap_or("")
                .trim_start()
                .starts_with('Z')
        })
        .unwrap_or(false)
}

/// Whether a process is still alive after waiting (boundedly) for a kill
/// to land.
fn alive(pid: i32) -> bool {
    for _ in 0..100 {
        if !live(pid) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    true
}

#[test]
fn output_and_exit_code_come_back_from_the_remote_host() {
    let sshd = Sshd::start();
    let t_out = Test::new()
        .file(
            "drill.yaml",
            runbook(
                &format!("  db1: {}\n", sshd.host_entry()),
                "  - id: fail\n    title: Fails remotely\n    host: db1\n    on_failure: continue\n    \
                 run: 'echo \"remote pid $$\"; echo to-stderr >&2; exit 3'\n  \
                 - id: list\n    title: A list\n    host: db1\n    run: [printf, '%s|', 'a b', \"it's\", '$HOME']\n",
            ),
        )
        .args(["run", "--yes", "drill.yaml"]);
    let out = t_out.run();
    out.code(1);
    let events = events(&out);
    let hosts = of(&events, "host_finished");
    assert_eq!(hosts.len(), 2, "{hosts:?}");
    let fail = hosts.iter().find(|e| e["step"] == "fail").unwrap();
    assert_eq!(fail["host"], "db1");
    assert_eq!(fail["exit_code"], 3);
    let attempts = of(&events, "attempt_finished");
    assert!(
        attempts
            .iter()
            .any(|e| e["step"] == "fail" && e["exit_code"] == 3)
    );
    assert!(
        attempts
            .iter()
            .any(|e| e["step"] == "list" && e["exit_code"] == 0)
    );
    let logs = logs(&out);
    assert!(logs.contains("=== attempt 1 on db1"), "{logs}");
    assert!(logs.contains("remote pid "), "{logs}");
    assert!(logs.contains("to-stderr"), "{logs}");
    // Each element of a list arrives as one literal argument.
    assert!(logs.contains("a b|it's|$HOME|"), "{logs}");
    assert!(sshd.logins() >= 1, "{}", sshd.log());
}

#[test]
fn variables_and_secrets_reach_the_remote_command_as_data_only() {
    let sshd = Sshd::start();
    let secret = "pa ss'w\"o$(rd)`x`";
    let test = Test::new().file(
        "drill.yaml",
        runbook(
            &format!("  db1: {}\n", sshd.host_entry()),
            "  - id: use\n    title: Uses the secret\n    host: db1\n    \
             env: {GREETING: \"hello; $(touch pwned) 'there'\"}\n    \
             run: 'printf \"%s\\n\" \"$TOKEN\" > \"$OUT.tmp\" && mv \"$OUT.tmp\" \"$OUT\"; \
             echo \"greeting=$GREETING token=$TOKEN\"; sleep 2'\n",
        ),
    );
    let out_file = test.path().join("seen-by-the-server");
    let yaml = std::fs::read_to_string(test.path().join("drill.yaml"))
        .unwrap()
        .replace(
            "defaults:",
            &format!(
                "vars:\n  TOKEN: {{secret: true, required: true}}\n  OUT: {}\ndefaults:",
                out_file.display()
            ),
        );
    let test = test
        .file("drill.yaml", yaml)
        .args(["run", "--yes", "drill.yaml", "--var"])
        .args([format!("TOKEN={secret}")]);
    // While the remote command runs, look at every local command line.
    let seen_on_a_command_line = std::thread::scope(|s| {
        let run = s.spawn(|| test.run());
        let until = Instant::now() + Duration::from_secs(30);
        while !out_file.exists() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
        }
        let mut found = Vec::new();
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let name = entry.file_name();
            let Some(pid) = name
                .to_str()
                .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
            else {
                continue;
            };
            if let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) {
                let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
                if cmdline.contains("ss'w") && !cmdline.contains("--var") {
                    found.push(cmdline);
                }
            }
        }
        let out = run.join().unwrap();
        (found, out)
    });
    let (found, out) = seen_on_a_command_line;
    out.code(0);
    assert!(
        found.is_empty(),
        "the secret is on a command line: {found:?}"
    );
    // The server received the value exactly, as data.
    assert_eq!(
        std::fs::read_to_string(&out_file).unwrap(),
        format!("{secret}\n")
    );
    assert!(!test.path().join("pwned").exists());
    let logs = logs(&out);
    assert!(
        logs.contains("greeting=hello; $(touch pwned) 'there' token=***"),
        "{logs}"
    );
    assert!(!logs.contains("ss'w"), "{logs}");
    let journal = std::fs::read_dir(out.dir.join("journals"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect::<String>();
    assert!(!journal.contains("ss'w"), "{journal}");
}

#[test]
fn a_timeout_ends_the_remote_process_not_only_the_local_ssh() {
    let sshd = Sshd::start();
    let test = Test::new();
    let pidfile = test.path().join("remote.pid");
    let test = test
        .file(
            "drill.yaml",
            runbook(
                &format!("  db1: {}\n", sshd.host_entry()),
                &format!(
                    "  - id: hang\n    title: Hangs remotely\n    host: db1\n    timeout: 5s\n    \
                     on_failure: continue\n    \
                     run: \"trap '' TERM; sleep 300 & echo $! > {p}.tmp; mv {p}.tmp {p}; wait\"\n",
                    p = pidfile.display()
                ),
            ),
        )
        .args(["run", "--yes", "drill.yaml"]);
    let out = test.run();
    out.code(1);
    let events = events(&out);
    let attempt = of(&events, "attempt_finished")[0];
    assert_eq!(attempt["timed_out"], true, "{attempt}");
    let host = of(&events, "host_finished")[0];
    assert_eq!(host["timed_out"], true, "{host}");
    // What happened, not the exit code 255 of the ssh that reprise ended.
    assert_eq!(host["cause"], "timed_out", "{host}");
    assert!(host.get("exit_code").is_none(), "{host}");
    // Checked on the server's side: the command (which ignores SIGTERM) and
    // what it started are gone.
    let pid: i32 = std::fs::read_to_string(&pidfile)
        .expect("the remote command started")
        .trim()
        .parse()
        .unwrap();
    assert!(!alive(pid), "remote process {pid} survived the timeout");
}

#[test]
fn a_host_that_is_down_fails_at_once_with_the_reason() {
    let port = free_port();
    let t_out = Test::new()
        .file(
            "drill.yaml",
            runbook(
                &format!("  gone: {{address: 127.0.0.1, port: {port}}}\n"),
                "  - id: try\n    title: Try\n    host: gone\n    on_failure: continue\n    run: 'true'\n",
            ),
        )
        .args(["run", "--yes", "drill.yaml"]);
    let out = t_out.run();
    out.code(1);
    let events = events(&out);
    let finished = of(&events, "step_finished")[0];
    assert_eq!(finished["outcome"], "failed");
    assert_eq!(finished["exit_code"], 255);
    let tail = finished["output_tail"].to_string();
    assert!(tail.contains("Connection refused"), "{tail}");
}

#[test]
fn a_refused_key_fails_with_sshs_reason() {
    let sshd = Sshd::start();
    let test = Test::new();
    keygen(&test.path().join("other_key"));
    let test = test
        .file(
            "drill.yaml",
            runbook(
                &format!(
                    "  db1: {{address: 127.0.0.1, port: {}, identity_file: other_key, known_hosts: {}}}\n",
                    sshd.port,
                    sshd.known_hosts().display()
                ),
                "  - id: try\n    title: Try\n    host: db1\n    on_failure: continue\n    run: 'true'\n",
            ),
        )
        .args(["run", "--yes", "drill.yaml"]);
    let out = test.run();
    out.code(1);
    let finished = of(&events(&out), "step_finished")[0].clone();
    assert_eq!(finished["exit_code"], 255);
    let tail = finished["output_tail"].to_string();
    assert!(tail.contains("Permission denied (publickey)"), "{tail}");
    assert_eq!(sshd.logins(), 0);
}

#[test]
fn an_unknown_host_key_is_refused_not_accepted() {
    let sshd = Sshd::start();
    let test = Test::new().file("empty_known_hosts", "");
    let test = test
        .file(
            "drill.yaml",
            runbook(
                &format!(
                    "  db1: {{address: 127.0.0.1, port: {}, identity_file: {}, known_hosts: empty_known_hosts}}\n",
                    sshd.port,
                    sshd.key().display()
                ),
                "  - id: try\n    title: Try\n    host: db1\n    on_failure: continue\n    run: 'true'\n",
            ),
        )
        .args(["run", "--yes", "drill.yaml"]);
    let out = test.run();
    out.code(1);
    let tail = of(&events(&out), "step_finished")[0]["output_tail"].to_string();
    assert!(tail.contains("Host key verification failed"), "{tail}");
    assert_eq!(out.read("empty_known_hosts"), "", "the key was added");
}

#[test]
fn parallel_steps_on_one_host_run_together_on_one_shared_connection() {
    let sshd = Sshd::start();
    let test = Test::new();
    let dir = test.path().display().to_string();
    // b and c each wait for the other's mark: they finish only if they run
    // at the same time.
    let wait_for = |me: &str, other: &str| {
        format!(
            "touch {dir}/{me}; i=0; while [ ! -e {dir}/{other} ]; do i=$((i+1)); \
             [ $i -gt 200 ] && exit 9; sleep 0.1; done; echo {me} saw {other}"
        )
    };
    let test = test
        .file(
            "drill.yaml",
            runbook(
                &format!("  db1: {}\n", sshd.host_entry()),
                &format!(
                    "  - id: a\n    title: A\n    host: db1\n    run: 'echo first'\n  \
                     - id: b\n    title: B\n    host: db1\n    needs: [a]\n    run: '{}'\n  \
                     - id: c\n    title: C\n    host: db1\n    needs: [a]\n    run: '{}'\n",
                    wait_for("b", "c"),
                    wait_for("c", "b")
                ),
            ),
        )
        .args(["run", "--yes", "drill.yaml"]);
    let out = test.run();
    out.code(0);
    let logs = logs(&out);
    assert!(
        logs.contains("b saw c") && logs.contains("c saw b"),
        "{logs}"
    );
    // Three steps, one login: b and c used the connection a opened.
    assert_eq!(sshd.logins(), 1, "{}", sshd.log());
    assert!(!logs.contains("ControlSocket"), "{logs}");
}

#[test]
fn a_step_on_several_hosts_records_each_host() {
    let sshd = Sshd::start();
    let port = free_port();
    let t_out = Test::new()
        .file(
            "drill.yaml",
            runbook(
                &format!(
                    "  db1: {e}\n  db2: {e}\n  gone: {{address: 127.0.0.1, port: {port}}}\n",
                    e = sshd.host_entry()
                ),
                "  - id: both\n    title: Both\n    host: [db1, db2]\n    run: 'echo hello'\n  \
                 - id: three\n    title: Three\n    host: [db1, gone, db2]\n    needs: [both]\n    \
                 on_failure: continue\n    run: 'echo hi'\n",
            ),
        )
        .args(["run", "--yes", "drill.yaml"]);
    let out = t_out.run();
    out.code(1);
    let events = events(&out);
    let hosts: Vec<(String, String, i64)> = of(&events, "host_finished")
        .iter()
        .map(|e| {
            (
                e["step"].as_str().unwrap().to_string(),
                e["host"].as_str().unwrap().to_string(),
                e["exit_code"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    for expected in [
        ("both", "db1", 0),
        ("both", "db2", 0),
        ("three", "db1", 0),
        ("three", "db2", 0),
        ("three", "gone", 255),
    ] {
        assert!(
            hosts.contains(&(expected.0.into(), expected.1.into(), expected.2)),
            "{expected:?} not in {hosts:?}"
        );
    }
    let finished = of(&events, "step_finished");
    assert_eq!(finished[0]["outcome"], "done");
    assert_eq!(finished[1]["outcome"], "failed");
    let logs = logs(&out);
    assert!(
        logs.contains("[db1] hello") && logs.contains("[db2] hello"),
        "{logs}"
    );
}

#[test]
fn max_parallel_keeps_steps_on_one_host_apart() {
    let sshd = Sshd::start();
    let test = Test::new();
    let lock = test.path().join("lock");
    // Fails if another step holds the lock: they must never overlap.
    let step = |id: &str| {
        format!(
            "  - id: {id}\n    title: {id}\n    host: db1\n    \
             run: 'mkdir {l} || exit 9; sleep 1; rmdir {l}'\n",
            l = lock.display()
        )
    };
    let entry = sshd.host_entry().replace('}', ", max_parallel: 1}");
    let test = test
        .file(
            "drill.yaml",
            runbook(
                &format!("  db1: {entry}\n"),
                &[step("a"), step("b"), step("c")].concat(),
            ),
        )
        .args(["run", "--yes", "--jobs", "3", "drill.yaml"]);
    let out = test.run();
    out.code(0);
    let done = of(&events(&out), "step_finished")
        .iter()
        .filter(|e| e["outcome"] == "done")
        .count();
    assert_eq!(done, 3);
}

#[test]
fn check_connect_reports_each_host() {
    let sshd = Sshd::start();
    let port = free_port();
    let t_out = Test::new()
        .file(
            "drill.yaml",
            runbook(
                &format!(
                    "  db1: {}\n  gone: {{address: 127.0.0.1, port: {port}}}\n  unused: {{address: 192.0.2.1}}\n",
                    sshd.host_entry()
                ),
                "  - id: a\n    title: A\n    host: [db1, gone]\n    run: 'true'\n",
            ),
        )
        .args(["check", "--connect", "drill.yaml"]);
    let out = t_out.run();
    out.code(2);
    assert!(out.stdout.contains("db1"), "{}", out.stdout);
    let db1 = out.stdout.lines().find(|l| l.contains("db1")).unwrap();
    assert!(
        db1.contains("reachable") && !db1.contains("unreachable"),
        "{db1}"
    );
    let gone = out.stdout.lines().find(|l| l.contains("gone")).unwrap();
    assert!(
        gone.contains("unreachable") && gone.contains("Connection refused"),
        "{gone}"
    );
    // Only the hosts the steps use are tried.
    assert!(!out.stdout.contains("unused"), "{}", out.stdout);

    let t_only_up = Test::new()
        .file(
            "drill.yaml",
            runbook(
                &format!("  db1: {}\n", sshd.host_entry()),
                "  - id: a\n    title: A\n    host: db1\n    run: 'true'\n",
            ),
        )
        .args(["check", "--connect", "drill.yaml"]);
    let only_up = t_only_up.run();
    only_up.code(0);
    assert!(only_up.stdout.contains("db1"), "{}", only_up.stdout);
    // The key the host presented, as `ssh-keygen -l` prints its
    // fingerprint, and the known_hosts line that trusts it.
    let fingerprint = std::process::Command::new("ssh-keygen")
        .arg("-lf")
        .arg(sshd.path().join("host_key.pub"))
        .output()
        .unwrap();
    let fingerprint = String::from_utf8_lossy(&fingerprint.stdout)
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_string();
    assert!(fingerprint.starts_with("SHA256:"), "{fingerprint}");
    let key_line = only_up
        .stdout
        .lines()
        .find(|l| l.contains("host key"))
        .unwrap_or_else(|| panic!("no host key line:\n{}", only_up.stdout));
    assert!(
        key_line.contains(&format!("ssh-ed25519 {fingerprint}"))
            && key_line.contains(&format!("trusted by {}:1", sshd.known_hosts().display())),
        "{key_line}"
    );
}

#[test]
fn plan_and_dry_run_show_where_commands_run() {
    let yaml = runbook(
        "  db1: {address: 192.0.2.1}\n  db2: {address: 192.0.2.2}\n",
        "  - id: local\n    title: Local\n    run: 'true'\n  \
         - id: remote\n    title: Remote\n    host: [db1, db2]\n    run: 'true'\n",
    );
    let t_plan = Test::new()
        .file("drill.yaml", &yaml)
        .args(["plan", "drill.yaml"]);
    let plan = t_plan.run();
    plan.code(0);
    let line = plan.stdout.lines().find(|l| l.contains("remote")).unwrap();
    assert!(line.contains("on db1, db2"), "{}", plan.stdout);
    let local = plan.stdout.lines().find(|l| l.contains("local")).unwrap();
    assert!(!local.contains(" on "), "{}", plan.stdout);
    let t_dry = Test::new()
        .file("drill.yaml", &yaml)
        .args(["run", "--dry-run", "drill.yaml"]);
    let dry = t_dry.run();
    dry.code(0);
    let all = format!("{}{}", dry.stdout, dry.stderr);
    let line = all.lines().find(|l| l.contains("remote")).unwrap();
    assert!(line.contains("on db1, db2"), "{all}");
}

#[test]
fn aborting_the_drill_ends_the_remote_process() {
    let sshd = Sshd::start();
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("remote.pid");
    std::fs::write(
        dir.path().join("drill.yaml"),
        runbook(
            &format!("  db1: {}\n", sshd.host_entry()),
            &format!(
                "  - id: long\n    title: Long\n    host: db1\n    \
                 run: \"sleep 300 & echo $! > {p}.tmp; mv {p}.tmp {p}; wait\"\n",
                p = pidfile.display()
            ),
        ),
    )
    .unwrap();
    let mut reprise = Test::at(dir.path())
        .args(["run", "--yes", "drill.yaml"])
        .spawn();
    let until = Instant::now() + Duration::from_secs(30);
    while !pidfile.exists() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid: i32 = std::fs::read_to_string(&pidfile)
        .expect("the remote command started")
        .trim()
        .parse()
        .unwrap();
    assert!(live(pid));
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(reprise.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let status = reprise.wait().unwrap();
    assert_eq!(status.code(), Some(3), "a stopped drill exits 3");
    assert!(!alive(pid), "remote process {pid} survived the stop");
    let journal = std::fs::read_dir(dir.path().join("journals"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .unwrap();
    let events: Vec<serde_json::Value> = std::fs::read_to_string(journal)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .collect();
    // SIGTERM is a stop for `reprise resume`, not an abort: the killed
    // remote command's end is not recorded as an outcome (resume decides).
    assert_eq!(
        events.last().unwrap()["event"],
        "run_stopped",
        "{events:#?}"
    );
    assert!(
        !events.iter().any(|e| e["event"] == "host_finished"),
        "{events:#?}"
    );
}
