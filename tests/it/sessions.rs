//! Shared connections against a real OpenSSH server ([`Sshd`]): a host's
//! `max_sessions` (the server's `MaxSessions`) is never exceeded on one
//! connection, a master that stops answering is replaced before reuse,
//! and a connection that freezes under a running command is given up and
//! recorded per host, never hanging the drill.

use std::time::{Duration, Instant};

use crate::harness::Test;
use crate::ssh::{events, logs, of, runbook};
use crate::sshd::Sshd;

#[test]
fn commands_beyond_max_sessions_never_have_a_session_refused() {
    let sshd = Sshd::start_with("MaxSessions 2\n");
    let test = Test::new();
    let dir = test.path().display().to_string();
    // b, c, d and e each wait for all four marks: they finish only if they
    // run at the same time, four commands on a host taking two per
    // connection.
    let step = |me: &str| {
        format!(
            "  - id: {me}\n    title: {me}\n    host: db1\n    needs: [a]\n    run: 'touch {dir}/{me}; \
             i=0; while [ ! -e {dir}/b ] || [ ! -e {dir}/c ] || [ ! -e {dir}/d ] || [ ! -e {dir}/e ]; \
             do i=$((i+1)); [ $i -gt 200 ] && exit 9; sleep 0.1; done; echo {me} saw all'\n"
        )
    };
    let steps = format!(
        "  - id: a\n    title: A\n    host: db1\n    run: 'echo first'\n{}{}{}{}",
        step("b"),
        step("c"),
        step("d"),
        step("e")
    );
    let host = sshd.host_entry().replace('}', ", max_sessions: 2}");
    let test = test
        .file("drill.yaml", runbook(&format!("  db1: {host}\n"), &steps))
        .args(["run", "--yes", "--jobs", "8", "drill.yaml"]);
    let out = test.run();
    out.code(0);
    let logs = logs(&out);
    for me in ["b", "c", "d", "e"] {
        assert!(logs.contains(&format!("{me} saw all")), "{logs}");
    }
    // Without the limit, ssh's session requests beyond the server's two
    // are refused ("Session open refused by peer") and ssh falls back
    // with warnings in the output.
    assert!(!logs.contains("refused"), "{logs}");
    assert!(!logs.contains("ControlSocket"), "{logs}");
    assert!(!sshd.log().contains("refused"), "{}", sshd.log());
    // Connections were still shared: fewer logins than commands.
    assert!(sshd.logins() < 5, "{}", sshd.log());
}

#[test]
fn a_master_that_stops_answering_is_replaced_before_reuse() {
    let sshd = Sshd::start();
    let test = Test::new();
    let dir = test.path().display().to_string();
    // b freezes the master a opened (SIGSTOP), as a hung ssh would be; c
    // must not join it (it would wait until its timeout).
    let freeze = format!(
        "for s in \"$TMPDIR\"/reprise-ssh-*/h0; do ssh -O check -oControlPath=\"$s\" x 2>&1; done \
         | sed -n \"s/.*pid=\\([0-9]*\\).*/\\1/p\" > {dir}/master.pid; \
         test -s {dir}/master.pid && kill -STOP $(cat {dir}/master.pid)"
    );
    let steps = format!(
        "  - id: a\n    title: A\n    host: db1\n    run: 'echo first'\n  \
         - id: b\n    title: B\n    needs: [a]\n    run: '{freeze}'\n  \
         - id: c\n    title: C\n    host: db1\n    needs: [b]\n    timeout: 30s\n    run: 'echo after the freeze'\n"
    );
    let test = test
        .file(
            "drill.yaml",
            runbook(&format!("  db1: {}\n", sshd.host_entry()), &steps),
        )
        .env("TMPDIR", &dir)
        .args(["run", "--yes", "drill.yaml"]);
    let out = test.run();
    let master = std::fs::read_to_string(test.path().join("master.pid")).unwrap_or_default();
    let frozen: Vec<i32> = master.trim().parse().into_iter().collect();
    Sshd::kill_frozen(&frozen);
    assert_eq!(
        frozen.len(),
        1,
        "no master was found to freeze\n{}",
        logs(&out)
    );
    out.code(0);
    assert!(logs(&out).contains("after the freeze"), "{}", logs(&out));
    assert_eq!(sshd.logins(), 2, "{}", sshd.log());
}

#[test]
fn a_connection_frozen_mid_command_is_given_up_and_recorded_per_host() {
    let sshd = Sshd::start();
    let test = Test::new();
    let dir = test.path().display().to_string();
    let steps = format!(
        "  - id: slow\n    title: Slow\n    host: db1\n    timeout: 5m\n    \
         on_failure: continue\n    run: 'touch {dir}/started; sleep 120'\n"
    );
    let test = test
        .file(
            "drill.yaml",
            runbook(&format!("  db1: {}\n", sshd.host_entry()), &steps),
        )
        .args(["run", "--yes", "drill.yaml"]);
    let started = test.path().join("started");
    let out = std::thread::scope(|scope| {
        let run = scope.spawn(|| test.run());
        let until = Instant::now() + Duration::from_secs(30);
        while !started.exists() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(started.exists(), "the remote command never started");
        // The host stops answering: every process serving a connection is
        // stopped, the listener is not.
        let frozen = sshd.freeze_sessions();
        let out = run.join().unwrap();
        Sshd::kill_frozen(&frozen);
        assert!(!frozen.is_empty());
        out
    });
    // Failed, not hung (the harness gives up after 120 s, the command
    // would run 120 s and the timeout is 5 minutes).
    out.code(1);
    let events = events(&out);
    let hosts = of(&events, "host_finished");
    assert_eq!(hosts.len(), 1, "{events:#?}");
    assert_eq!(hosts[0]["cause"], "connection_lost", "{:#?}", hosts[0]);
    assert!(hosts[0]["exit_code"].is_null(), "{:#?}", hosts[0]);
}
