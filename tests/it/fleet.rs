//! Remote steps on several hosts against a real OpenSSH server: a retry and
//! a resume run again only where the command failed or did not finish
//! (runs counted per host on the server), host keys are checked whatever
//! the operator's ssh config says, and each host's end is recorded with its
//! cause.

use std::time::{Duration, Instant};

use crate::harness::Test;
use crate::ssh::{events, of, runbook};
use crate::sshd::{Sshd, free_port, keygen};

/// Lines of `runs` (one per run of the command, each naming its host) for
/// `host`.
fn runs(dir: &std::path::Path, host: &str) -> usize {
    std::fs::read_to_string(dir.join("runs"))
        .unwrap_or_default()
        .lines()
        .filter(|l| *l == host)
        .count()
}

/// Three host names for one server (each its own entry, its own
/// connection).
fn three(sshd: &Sshd) -> String {
    let e = sshd.host_entry();
    format!("  db1: {e}\n  db2: {e}\n  db3: {e}\n")
}

#[test]
fn a_retry_runs_again_only_on_the_hosts_where_the_command_failed() {
    let sshd = Sshd::start();
    let test = Test::new();
    let d = test.path().display().to_string();
    // Fails once on db2, succeeds everywhere else.
    let test = test
        .file(
            "drill.yaml",
            runbook(
                &three(&sshd),
                &format!(
                    "  - id: promote\n    title: Promote\n    host: [db1, db2, db3]\n    \
                     retries: 2\n    retry_delay: 0s\n    \
                     run: 'echo \"$REPRISE_HOST\" >> {d}/runs; \
                     if [ \"$REPRISE_HOST\" = db2 ] && [ ! -e {d}/again ]; then touch {d}/again; exit 1; fi'\n"
                ),
            ),
        )
        .args(["run", "--yes", "drill.yaml"]);
    let out = test.run();
    out.code(0);
    assert_eq!(runs(test.path(), "db1"), 1, "db1 ran again");
    assert_eq!(runs(test.path(), "db2"), 2);
    assert_eq!(runs(test.path(), "db3"), 1, "db3 ran again");
    let events = events(&out);
    let second: Vec<&str> = of(&events, "host_finished")
        .iter()
        .filter(|e| e["attempt"] == 2)
        .map(|e| e["host"].as_str().unwrap())
        .collect();
    assert_eq!(second, ["db2"]);
    let failed = of(&events, "host_finished")
        .into_iter()
        .find(|e| e["attempt"] == 1 && e["host"] == "db2")
        .unwrap();
    assert_eq!(failed["cause"], "exit", "{failed}");
    assert_eq!(failed["exit_code"], 1, "{failed}");
    // The report does not call db1 and db3 unfinished in attempt 2.
    let report = Test::new();
    let journal = std::fs::read_dir(out.dir.join("journals"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .unwrap();
    let md = report.args(["report", journal.to_str().unwrap()]).run();
    md.code(0);
    assert!(!md.stdout.contains("no end recorded"), "{}", md.stdout);
}

#[test]
fn a_resumed_step_runs_again_only_where_it_had_not_finished() {
    let sshd = Sshd::start();
    let test = Test::new();
    let d = test.path().display().to_string();
    // db2 waits (up to a minute) for a file that appears only after the
    // crash; db1 and db3 end at once.
    let test = test.file(
        "drill.yaml",
        runbook(
            &three(&sshd),
            &format!(
                "  - id: promote\n    title: Promote\n    host: [db1, db2, db3]\n    \
                 run: 'echo \"$REPRISE_HOST\" >> {d}/runs; \
                 if [ \"$REPRISE_HOST\" = db2 ]; then i=0; \
                 while [ ! -e {d}/go ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; fi'\n"
            ),
        ),
    );
    let journal = test.path().join("j.jsonl");
    let mut child = Test::at(test.path())
        .args(["run", "drill.yaml", "--journal", "j.jsonl", "--yes"])
        .spawn();
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        let text = std::fs::read_to_string(&journal).unwrap_or_default();
        if text.matches("\"host_finished\"").count() >= 2 && runs(test.path(), "db2") == 1 {
            break;
        }
        assert!(Instant::now() < until, "db1 and db3 never ended:\n{text}");
        assert!(child.try_wait().unwrap().is_none(), "the drill ended");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL: a crash
    child.wait().unwrap();
    std::fs::write(test.path().join("go"), "").unwrap();
    assert_eq!(runs(test.path(), "db2"), 1);

    let test = test.args(["resume", "j.jsonl", "--yes"]);
    let out = test.run();
    out.code(0);
    assert!(
        out.stderr
            .contains("(done on db1, db3; not finished on db2)")
            && out.stderr.contains("runs it again on db2"),
        "{}",
        out.stderr
    );
    assert_eq!(runs(test.path(), "db1"), 1, "db1 ran again");
    assert_eq!(runs(test.path(), "db2"), 2);
    assert_eq!(runs(test.path(), "db3"), 1, "db3 ran again");
}

/// An `ssh` first on `PATH` that reads `config` (`ssh -F`), as an
/// operator's `~/.ssh/config` would be read; returns the `PATH` to use.
fn ssh_with_config(test: &Test, config: &str) -> String {
    let bin = test.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(test.path().join("ssh_config"), config).unwrap();
    let wrapper = bin.join("ssh");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nexec /usr/bin/ssh -F {} \"$@\"\n",
            test.path().join("ssh_config").display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// A step on `db1` whose `known_hosts` file holds `known` and whose
/// operator's ssh config says `config`: the key must be refused, the
/// command must not run, and the file must not change.
fn refused_despite_config(known: impl Fn(u16) -> String, config: &str) {
    let sshd = Sshd::start();
    let known = known(sshd.port);
    let test = Test::new().file("known_hosts", &known);
    let path = ssh_with_config(&test, config);
    let ran = test.path().join("ran");
    let test = test
        .file(
            "drill.yaml",
            runbook(
                &format!(
                    "  db1: {{address: 127.0.0.1, port: {}, identity_file: {}, known_hosts: known_hosts}}\n",
                    sshd.port,
                    sshd.key().display()
                ),
                &format!(
                    "  - id: try\n    title: Try\n    host: db1\n    on_failure: continue\n    run: 'touch {}'\n",
                    ran.display()
                ),
            ),
        )
        .env("PATH", &path);
    let run = test.args(["run", "--yes", "drill.yaml"]);
    let out = run.run();
    out.code(1);
    assert!(
        !ran.exists(),
        "the command ran on a host whose key is not trusted"
    );
    let host = of(&events(&out), "host_finished")[0].clone();
    assert_eq!(host["cause"], "host_key", "{host}");
    assert_eq!(out.read("known_hosts"), known, "known_hosts was written");
    assert_eq!(sshd.logins(), 0, "{}", sshd.log());

    let check = run
        .without_args()
        .args(["check", "--connect", "drill.yaml"]);
    let check = check.run();
    check.code(2);
    assert!(check.stdout.contains("unreachable"), "{}", check.stdout);
    let whence = if known.is_empty() {
        "not in any known_hosts file read"
    } else {
        "CHANGED: does not match"
    };
    assert!(check.stdout.contains(whence), "{}", check.stdout);
    assert_eq!(check.read("known_hosts"), known, "known_hosts was written");
}

#[test]
fn accept_new_in_the_operators_config_does_not_let_an_unknown_key_in() {
    refused_despite_config(
        |_| String::new(),
        "Host *\n  StrictHostKeyChecking accept-new\n",
    );
}

#[test]
fn no_host_key_checking_in_the_operators_config_does_not_let_a_changed_key_in() {
    let other = tempfile::tempdir().unwrap();
    keygen(&other.path().join("k"));
    let key = std::fs::read_to_string(other.path().join("k.pub")).unwrap();
    let key: Vec<&str> = key.split_whitespace().take(2).collect();
    // A key for the server's address, but not its key: a changed key.
    refused_despite_config(
        |port| format!("[127.0.0.1]:{port} {}\n", key.join(" ")),
        "Host *\n  StrictHostKeyChecking no\n  UpdateHostKeys yes\n",
    );
}

#[test]
fn each_host_records_why_it_failed_and_the_report_shows_it() {
    let sshd = Sshd::start();
    let test = Test::new();
    keygen(&test.path().join("other_key"));
    let port = free_port();
    let test = test
        .file(
            "drill.yaml",
            runbook(
                &format!(
                    "  ok: {e}\n  fails: {e}\n  gone: {{address: 127.0.0.1, port: {port}}}\n  \
                     refused: {{address: 127.0.0.1, port: {p}, identity_file: other_key, known_hosts: {k}}}\n",
                    e = sshd.host_entry(),
                    p = sshd.port,
                    k = sshd.known_hosts().display()
                ),
                "  - id: all\n    title: All\n    host: [ok, fails, gone, refused]\n    \
                 on_failure: continue\n    \
                 run: 'if [ \"$REPRISE_HOST\" = fails ]; then echo \"disk full on $REPRISE_HOST\"; exit 3; fi'\n",
            ),
        )
        .args(["run", "--yes", "--journal", "j.jsonl", "drill.yaml"]);
    let out = test.run();
    out.code(1);
    let events: Vec<serde_json::Value> = std::fs::read_to_string(out.dir.join("j.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let host = |name: &str| {
        of(&events, "host_finished")
            .into_iter()
            .find(|e| e["host"] == name)
            .unwrap_or_else(|| panic!("no host_finished for {name}"))
            .clone()
    };
    assert!(host("ok").get("cause").is_none(), "{}", host("ok"));
    assert_eq!(host("fails")["cause"], "exit");
    assert_eq!(host("fails")["exit_code"], 3);
    assert!(
        host("fails")["output_tail"]
            .to_string()
            .contains("disk full on fails"),
        "{}",
        host("fails")
    );
    assert_eq!(host("gone")["cause"], "unreachable");
    assert!(
        host("gone")["output_tail"]
            .to_string()
            .contains("Connection refused"),
        "{}",
        host("gone")
    );
    assert_eq!(host("refused")["cause"], "auth");
    // Each host keeps its own reason, not only the step's shared tail.
    let report = Test::new().args(["report", out.dir.join("j.jsonl").to_str().unwrap()]);
    let md = report.run();
    md.code(0);
    let row = |name: &str| {
        md.stdout
            .lines()
            .find(|l| l.contains(&format!("`{name}`")) && l.starts_with("| 1 "))
            .unwrap_or_else(|| panic!("no row for {name}:\n{}", md.stdout))
            .to_string()
    };
    assert!(
        row("fails").contains("exit 3: disk full on fails"),
        "{}",
        row("fails")
    );
    assert!(row("gone").contains("unreachable: "), "{}", row("gone"));
    assert!(
        row("gone").contains("Connection refused"),
        "{}",
        row("gone")
    );
    assert!(
        row("refused").contains("authentication refused"),
        "{}",
        row("refused")
    );
}

#[test]
fn fifty_hosts_through_a_bastion_with_stock_max_startups_all_succeed() {
    // A bastion that drops connections beyond 10 being set up (30% of
    // them, then more, up to all at 100), as a stock sshd does; one target
    // server plays the 50 hosts.
    let bastion = Sshd::start_with("MaxStartups 10:30:100\n");
    let target = Sshd::start();
    let test = Test::new();
    let d = test.path().display().to_string();
    let mut hosts = format!(
        "  bastion: {{address: 127.0.0.1, port: {}, identity_file: {}, known_hosts: {}}}\n",
        bastion.port,
        bastion.key().display(),
        bastion.known_hosts().display()
    );
    let names: Vec<String> = (0..50).map(|i| format!("h{i:02}")).collect();
    for name in &names {
        hosts.push_str(&format!(
            "  {name}: {}\n",
            target.host_entry().replace('}', ", jump: bastion}")
        ));
    }
    let test = test.file(
        "drill.yaml",
        runbook(
            &hosts,
            &format!(
                "  - id: all\n    title: All\n    host: [{}]\n    \
                 run: 'echo \"$REPRISE_HOST\" >> {d}/runs'\n",
                names.join(", ")
            ),
        ),
    );
    let run = test.args(["run", "--yes", "--journal", "j.jsonl", "drill.yaml"]);
    let out = run.run();
    out.code(0);
    for name in &names {
        assert_eq!(runs(run.path(), name), 1, "{name}\n{}", out.stderr);
    }
    // One connection to the bastion, shared by every host behind it.
    assert!(
        bastion.logins() <= 2,
        "{} logins on the bastion",
        bastion.logins()
    );

    let check = run
        .without_args()
        .args(["check", "--connect", "drill.yaml"]);
    let checked = check.run();
    checked.code(0);
    assert_eq!(
        checked
            .stdout
            .lines()
            .filter(|l| l.contains(" reachable"))
            .count(),
        50,
        "{}",
        checked.stdout
    );
}

#[test]
fn max_parallel_bounds_the_hosts_of_a_step_running_at_once() {
    let sshd = Sshd::start();
    let test = Test::new();
    let d = test.path().display().to_string();
    let e = sshd.host_entry();
    let names = ["a1", "a2", "a3", "a4", "a5"];
    let hosts: String = names.iter().map(|n| format!("  {n}: {e}\n")).collect();
    // Each host counts the hosts running with it.
    let test = test
        .file(
            "drill.yaml",
            runbook(
                &hosts,
                &format!(
                    "  - id: all\n    title: All\n    host: [{}]\n    max_parallel: 2\n    \
                     run: 'touch {d}/on.$REPRISE_HOST; ls {d} | grep -c \"^on\\.\" >> {d}/seen; \
                     sleep 1; rm {d}/on.$REPRISE_HOST; echo \"$REPRISE_HOST\" >> {d}/runs'\n",
                    names.join(", ")
                ),
            ),
        )
        .args(["run", "--yes", "drill.yaml"]);
    let out = test.run();
    out.code(0);
    for n in names {
        assert_eq!(runs(test.path(), n), 1, "{n}");
    }
    let seen: Vec<usize> = std::fs::read_to_string(test.path().join("seen"))
        .unwrap()
        .lines()
        .map(|l| l.trim().parse().unwrap())
        .collect();
    assert_eq!(seen.len(), 5);
    assert!(
        seen.iter().all(|&n| n <= 2),
        "more than 2 at once: {seen:?}"
    );
}

#[test]
fn a_long_tmpdir_does_not_break_the_shared_connection() {
    let sshd = Sshd::start();
    let test = Test::new();
    // Far longer than a Unix socket path can be.
    let long = test.path().join("t".repeat(120));
    std::fs::create_dir_all(&long).unwrap();
    let test = test
        .file(
            "drill.yaml",
            runbook(
                &format!("  db1: {}\n", sshd.host_entry()),
                "  - id: a\n    title: A\n    host: db1\n    run: 'echo one'\n  \
                 - id: b\n    title: B\n    host: db1\n    needs: [a]\n    run: 'echo two'\n",
            ),
        )
        .env("TMPDIR", long.to_str().unwrap())
        .args(["run", "--yes", "drill.yaml"]);
    let out = test.run();
    out.code(0);
    let logs = crate::ssh::logs(&out);
    assert!(!logs.contains("too long"), "{logs}");
    // Still one login: the second step used the first one's connection.
    assert_eq!(sshd.logins(), 1, "{}", sshd.log());
}

#[test]
fn the_socket_folder_of_a_killed_drill_is_removed_at_the_next_start() {
    let sshd = Sshd::start();
    let test = Test::new();
    let tmp = test.path().join("tmp");
    // A killed drill's folder (its process is gone), and a live one's.
    let dead = tmp.join("reprise-ssh-4194000-deadbeef");
    let live = tmp.join(format!("reprise-ssh-{}-cafe", std::process::id()));
    for d in [&dead, &live] {
        std::fs::create_dir_all(d).unwrap();
        std::fs::write(d.join("h0"), "").unwrap();
    }
    let test = test
        .file(
            "drill.yaml",
            runbook(
                &format!("  db1: {}\n", sshd.host_entry()),
                "  - id: a\n    title: A\n    host: db1\n    run: 'true'\n",
            ),
        )
        .env("TMPDIR", tmp.to_str().unwrap())
        .args(["run", "--yes", "drill.yaml"]);
    test.run().code(0);
    assert!(!dead.exists(), "the killed drill's folder is still there");
    assert!(live.exists(), "a running drill's folder was removed");
    // And this drill's own folder is gone at its end.
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
}

/// The step fails on db2 only, the first time; `on_failure: ask` and an
/// answers file with `answer`.
fn asked(sshd: &Sshd, answer: &str) -> (Test, crate::harness::Output) {
    let test = Test::new();
    let d = test.path().display().to_string();
    let test = test
        .file(
            "drill.yaml",
            runbook(
                &three(sshd),
                &format!(
                    "  - id: promote\n    title: Promote\n    host: [db1, db2, db3]\n    \
                     on_failure: ask\n    \
                     run: 'echo \"$REPRISE_HOST\" >> {d}/runs; \
                     if [ \"$REPRISE_HOST\" = db2 ] && [ ! -e {d}/again ]; then touch {d}/again; exit 1; fi'\n"
                ),
            ),
        )
        .file(
            "answers.yaml",
            format!("promote:\n  - {{answer: {answer}, reason: db2 was busy}}\n"),
        )
        .args(["run", "drill.yaml", "--answers", "answers.yaml"]);
    let out = test.run();
    (test, out)
}

/// Answered from a file, the operator's `retry` of a failed remote step
/// runs it again on db2 alone; `retry_all` is the explicit choice to run
/// it on every host again.
#[test]
fn an_answered_retry_runs_only_where_it_failed_and_retry_all_everywhere() {
    let sshd = Sshd::start();
    let (test, out) = asked(&sshd, "retry");
    out.code(0);
    // Nobody is asked: the failure line says where it stands on each host.
    assert!(
        out.stderr
            .contains("    hosts: done on db1, db3; failed on db2: exit 1\n"),
        "{}",
        out.stderr
    );
    let again: Vec<String> = of(&events(&out), "host_finished")
        .iter()
        .filter(|e| e["attempt"] == 2)
        .map(|e| e["host"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(again, ["db2"]);
    assert_eq!(runs(test.path(), "db1"), 1, "db1 ran again on a retry");
    assert_eq!(runs(test.path(), "db2"), 2);
    assert_eq!(runs(test.path(), "db3"), 1, "db3 ran again on a retry");

    let (test, out) = asked(&sshd, "retry_all");
    out.code(0);
    for host in ["db1", "db2", "db3"] {
        assert_eq!(runs(test.path(), host), 2, "{host} on retry_all");
    }
    let events = events(&out);
    let mut second: Vec<&str> = of(&events, "host_finished")
        .iter()
        .filter(|e| e["attempt"] == 2)
        .map(|e| e["host"].as_str().unwrap())
        .collect();
    second.sort_unstable();
    assert_eq!(second, ["db1", "db2", "db3"]);
    assert!(
        of(&events, "decision")
            .iter()
            .any(|e| e["decision"] == "retry_all"),
        "{events:#?}"
    );
}
