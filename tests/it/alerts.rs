//! Alerts (`notify:`): commands told of waiting and failed steps, with a
//! real webhook on loopback; failures retried and recorded, never in the
//! drill's way.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use crate::harness::Test;

/// A webhook on loopback: records the body of every POST, answers 200.
fn webhook() -> (String, Arc<Mutex<Vec<serde_json::Value>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let got = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&got);
    std::thread::spawn(move || {
        for conn in listener.incoming().take(100) {
            let Ok(mut conn) = conn else { continue };
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let mut length = 0;
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                line.clear();
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            if let Ok(v) = serde_json::from_slice(&body) {
                seen.lock().unwrap().push(v);
            }
            let _ = conn
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    (url, got)
}

fn events(t: &Test, kind: &str) -> Vec<serde_json::Value> {
    std::fs::read_to_string(t.path().join("j.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|e| e["event"] == kind)
        .collect()
}

#[test]
fn a_waiting_step_and_a_failure_reach_a_webhook_and_are_recorded() {
    let (url, got) = webhook();
    let runbook = format!(
        r#"version: 1
name: Lab switch
vars:
  PIN: {{ value: "4242-secret-pin", secret: true }}
notify:
  - name: chat
    on: [step_waiting, step_failed]
    roles: [lab]
    run: ["curl", "-sf", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", "@-", "{url}"]
steps:
  - id: call
    title: Call the lab
    role: lab
    estimate: 1m
  - id: results
    title: Check results
    role: lab
    needs: [call]
    on_failure: continue
  - id: net
    title: Network check
    role: network
    needs: [results]
  - id: settle
    title: Let the alerts land
    needs: [net]
    run: "sleep 1"
    timeout: 10s
"#
    );
    let t = Test::new()
        .file("rb.yaml", runbook)
        .file(
            "answers.yaml",
            "call: done\nresults: { answer: failed, reason: \"PIN 4242-secret-pin refused\" }\nnet: done\n",
        )
        .args(["run", "rb.yaml", "--journal", "j.jsonl", "--answers", "answers.yaml"]);
    t.run().code(1);
    let got = got.lock().unwrap().clone();
    let kinds: Vec<(String, String)> = got
        .iter()
        .map(|m| {
            (
                m["event"].as_str().unwrap().into(),
                m["step"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    assert!(
        kinds.contains(&("step_waiting".into(), "call".into())),
        "{got:#?}"
    );
    assert!(
        kinds.contains(&("step_failed".into(), "results".into())),
        "{got:#?}"
    );
    assert!(
        !kinds.iter().any(|(_, s)| s == "net"),
        "the network's step is not the lab's: {got:#?}"
    );
    let failed = got.iter().find(|m| m["event"] == "step_failed").unwrap();
    assert_eq!(failed["number"], 2);
    assert_eq!(failed["role"], "lab");
    assert_eq!(failed["drill"], "Lab switch");
    let text = failed["text"].as_str().unwrap();
    assert!(text.contains("#2 results"), "{text}");
    assert!(
        !text.contains("4242-secret-pin") && text.contains("***"),
        "masked: {text}"
    );

    let sent = events(&t, "notification_sent");
    assert!(
        sent.iter()
            .any(|e| e["kind"] == "step_failed" && e["target"] == "chat" && e["step"] == "results"),
        "{sent:#?}"
    );
    t.clone_run(&["verify", "j.jsonl"]);
}

#[test]
fn a_failing_target_is_retried_then_recorded_failed_without_touching_the_drill() {
    let t = Test::new()
        .file(
            "rb.yaml",
            r#"version: 1
name: Broken pager
notify:
  - name: pager
    on: [step_waiting]
    run: "echo gateway down >&2; exit 7"
    retries: 2
    timeout: 5s
steps:
  - id: call
    title: Call
  - id: wait
    title: Long enough for the retries
    needs: [call]
    run: "sleep 4"
    timeout: 20s
"#,
        )
        .args(["run", "rb.yaml", "--journal", "j.jsonl", "--yes"]);
    t.run().code(0);
    let failed = events(&t, "notification_failed");
    let attempts: Vec<u64> = failed
        .iter()
        .map(|e| e["attempt"].as_u64().unwrap())
        .collect();
    assert_eq!(attempts, [1, 2, 3], "{failed:#?}");
    assert_eq!(failed[2]["last"], true);
    assert!(failed[0].get("last").is_none());
    assert_eq!(failed[0]["error"], "exit 7: gateway down");
    assert!(events(&t, "notification_sent").is_empty());
    let out = t.clone_run(&["verify", "j.jsonl"]);
    assert!(out.contains("result recovered"), "{out}");
}

#[test]
fn a_bad_notify_flag_is_refused_before_anything_is_written() {
    let t = Test::new()
        .file(
            "rb.yaml",
            "version: 1\nname: X\nsteps:\n  - {id: a, title: A}\n",
        )
        .args([
            "run",
            "rb.yaml",
            "--journal",
            "j.jsonl",
            "--yes",
            "--notify",
            "step_wating=wall",
        ]);
    let out = t.run();
    out.code(2);
    assert!(
        out.stderr
            .contains("`step_wating` is not an event to notify"),
        "{}",
        out.stderr
    );
    assert!(!t.path().join("j.jsonl").exists());
}

#[test]
fn notify_test_says_which_targets_work() {
    let t = Test::new()
        .file(
            "rb.yaml",
            r#"version: 1
name: Lab switch
notify:
  - name: file
    on: [step_failed]
    run: "cat > got.json"
  - name: down
    on: [step_failed]
    run: ["false"]
steps:
  - {id: a, title: A}
"#,
        )
        .args(["notify-test", "rb.yaml"]);
    let out = t.run();
    out.code(1);
    assert!(out.stdout.contains("ok      file"), "{}", out.stdout);
    assert!(
        out.stdout.contains("FAILED  down: exit 1"),
        "{}",
        out.stdout
    );
    let got: serde_json::Value = serde_json::from_str(&out.read("got.json")).unwrap();
    assert_eq!(got["event"], "test");
    assert_eq!(got["target"], "file");
}

#[test]
fn check_locates_a_misspelt_event() {
    let t = Test::new()
        .file(
            "rb.yaml",
            "version: 1\nname: X\nnotify:\n  - on: [step_faild]\n    run: wall\nsteps:\n  - {id: a, title: A}\n",
        )
        .args(["check", "rb.yaml"]);
    let out = t.run();
    out.code(2);
    assert!(out.stderr.contains("rb.yaml:4:10"), "{}", out.stderr);
    assert!(
        out.stderr.contains("did you mean `step_failed`?"),
        "{}",
        out.stderr
    );
}

/// A pager that fails until the file `up` exists, then appends each alert
/// to `got.jsonl`.
const PAGER: &str = r#"notify:
  - name: pager
    on: [step_failed, run_finished]
    run: "test -f up || { echo pager down >&2; exit 3; }; cat >> got.jsonl; echo >> got.jsonl"
    retries: 8
    timeout: 5s
"#;

fn journal_has(t: &Test, needle: &str) -> bool {
    std::fs::read_to_string(t.path().join("j.jsonl")).is_ok_and(|j| j.contains(needle))
}

#[test]
fn an_alert_owed_when_the_drill_was_killed_is_sent_after_resume() {
    let t = Test::new().file(
        "rb.yaml",
        format!(
            r#"version: 1
name: Killed while paging
{PAGER}steps:
  - id: probe
    title: Probe the array
    run: "exit 4"
    on_failure: continue
  - id: restore
    title: Restore
    needs: [probe]
    run: "sleep 5"
    idempotent: true
    timeout: 60s
"#
        ),
    );
    let mut child = Test::at(t.path())
        .args(["run", "rb.yaml", "--journal", "j.jsonl", "--yes"])
        .spawn();
    crate::harness::eventually("a failed attempt in the journal", || {
        journal_has(&t, "\"notification_failed\"")
    });
    child.kill().unwrap(); // SIGKILL: the retry dies with it.
    child.wait().unwrap();
    assert!(!journal_has(&t, "\"notification_sent\""));

    // The pager is back; the drill resumes and pays what it owed.
    std::fs::write(t.path().join("up"), "").unwrap();
    let t = t.args(["resume", "j.jsonl", "--yes"]);
    // A failed step the runbook lets pass: recovered in a degraded way.
    let out = t.run();
    out.code(1);
    let got = std::fs::read_to_string(t.path().join("got.jsonl")).unwrap();
    let alerts: Vec<serde_json::Value> = got
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let failed: Vec<_> = alerts
        .iter()
        .filter(|a| a["event"] == "step_failed")
        .collect();
    assert_eq!(failed.len(), 1, "sent once, after the resume: {alerts:#?}");
    assert_eq!(failed[0]["step"], "probe");
    assert!(
        failed[0]["text"]
            .as_str()
            .unwrap()
            .contains("owed from before reprise restarted"),
        "{alerts:#?}"
    );
    assert!(
        alerts.iter().any(|a| a["event"] == "run_finished"),
        "the end is told too: {alerts:#?}"
    );
    let sent = events(&t, "notification_sent");
    assert!(
        sent.iter()
            .any(|e| e["kind"] == "step_failed" && e["step"] == "probe"),
        "{sent:#?}"
    );
    // The end's alert goes out after `run_finished`, and is recorded.
    assert!(
        sent.iter().any(|e| e["kind"] == "run_finished"),
        "{sent:#?}"
    );
    let v = t.clone_run(&["verify", "j.jsonl"]);
    assert!(v.contains("result degraded"), "{v}");
}

#[test]
fn a_service_whose_forecast_passes_its_own_rto_is_told_by_name() {
    let t = Test::new()
        .file(
            "rb.yaml",
            r#"version: 1
name: Lab restore
objectives:
  rto: 1h
  services:
    lab: { rto: 2s }
    records: { rto: 1h }
notify:
  - name: room
    on: [rto_at_risk]
    run: "cat >> got.jsonl; echo >> got.jsonl; env | grep ^REPRISE_SERVICE= >> got.env"
steps:
  - id: restore-lab
    title: Restore the lab system
    run: "sleep 4"
    estimate: 1s
    timeout: 30s
    restores: lab
  - id: restore-records
    title: Restore the records
    run: "true"
    estimate: 1s
    restores: records
"#,
        )
        .args(["run", "rb.yaml", "--journal", "j.jsonl", "--yes"]);
    t.run().code(0);
    let got = std::fs::read_to_string(t.path().join("got.jsonl")).unwrap_or_default();
    let alerts: Vec<serde_json::Value> = got
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(alerts.len(), 1, "only the lab, once: {alerts:#?}");
    assert_eq!(alerts[0]["service"], "lab");
    assert!(
        alerts[0]["text"]
            .as_str()
            .unwrap()
            .contains("the service “lab” is forecast to recover"),
        "{alerts:#?}"
    );
    let env = std::fs::read_to_string(t.path().join("got.env")).unwrap();
    assert_eq!(env.trim(), "REPRISE_SERVICE=lab");
    let sent = events(&t, "notification_sent");
    assert_eq!(sent[0]["service"], "lab", "{sent:#?}");
}
