//! Restore points of remote steps (issue 15) against a real OpenSSH
//! server: each host where the command succeeded records the restore point
//! its output printed, as its own `restore_point` with its `host`; the
//! step's (and so the service's) restore point is the oldest of them; a
//! failed attempt's line is not recorded.

use serde_json::Value;

use crate::harness::Test;
use crate::ssh::{of, runbook};
use crate::sshd::Sshd;

/// db1 restored data from 23:00, db2 from 22:00 (the oldest), db3 printed
/// a point from 1 December then failed, and printed none on its retry.
fn steps(dir: &str) -> String {
    format!(
        "  - id: restore-dpi\n    title: Restore the patient record\n    host: [db1, db2, db3]\n    \
         restores: DPI\n    retries: 1\n    retry_delay: 0s\n    \
         run: 'case \"$REPRISE_HOST\" in \
         db1) echo REPRISE_RESTORE_POINT=2026-12-05T23:00:00+01:00 ;; \
         db2) echo REPRISE_RESTORE_POINT=2026-12-05T22:00:00+01:00 ;; \
         db3) if [ ! -e {dir}/again ]; then touch {dir}/again; \
         echo REPRISE_RESTORE_POINT=2026-12-01T00:00:00Z; exit 1; fi ;; esac'\n"
    )
}

#[test]
fn each_host_records_its_restore_point_and_the_oldest_is_the_steps() {
    let sshd = Sshd::start();
    let test = Test::new();
    let d = test.path().display().to_string();
    let e = sshd.host_entry();
    let hosts = format!("  db1: {e}\n  db2: {e}\n  db3: {e}\n");
    let rb = runbook(&hosts, &steps(&d)).replace(
        "hosts:\n",
        "objectives:\n  rpo: 1h\n  services:\n    DPI: { rto: 1h, rpo: 15m }\nhosts:\n",
    );
    let out = test
        .file("drill.yaml", rb)
        .args(["run", "--yes", "drill.yaml", "--journal", "j.jsonl"])
        .run();
    out.code(0);
    let events: Vec<Value> = out
        .read("j.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let points = of(&events, "restore_point");
    let by_host: Vec<(&str, &str)> = points
        .iter()
        .map(|p| (p["host"].as_str().unwrap(), p["written"].as_str().unwrap()))
        .collect();
    let mut sorted = by_host.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            ("db1", "2026-12-05T23:00:00+01:00"),
            ("db2", "2026-12-05T22:00:00+01:00"),
        ],
        "db3's failed attempt must not record its line: {points:#?}"
    );
    for p in &points {
        assert_eq!(p["source"], "command");
        assert_eq!(p["by"], "reprise");
        // Each host's point is written before its own end and the step's.
        let at = |kind: &str, host: Option<&str>| {
            events
                .iter()
                .position(|e| {
                    e["event"] == kind && host.is_none_or(|h| e["host"] == h && e["attempt"] == 1)
                })
                .unwrap_or_else(|| panic!("no {kind}"))
        };
        let mine = events.iter().position(|e| e == *p).unwrap();
        assert!(
            mine < at("host_finished", p["host"].as_str()),
            "{events:#?}"
        );
        assert!(mine < at("step_finished", None));
    }
    let verify = Test::new()
        .file("j.jsonl", out.read("j.jsonl"))
        .args(["verify", "j.jsonl"])
        .run();
    verify.code(0);

    // The service's restore point is the oldest host's: db2, 22:00.
    let report = |format: &str| {
        let r = Test::new()
            .file("j.jsonl", out.read("j.jsonl"))
            .env("TZ", "UTC")
            .args(["report", "j.jsonl", "--format", format])
            .run();
        r.code(0);
        r.stdout
    };
    let json: Value = serde_json::from_str(&report("json")).unwrap();
    let dpi = json["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "DPI")
        .unwrap_or_else(|| panic!("no DPI in {json:#}"));
    let loss = &dpi["data_loss"];
    assert_eq!(
        loss["restore_point"]["utc"], "2026-12-05T21:00:00.000Z",
        "{loss:#}"
    );
    assert_eq!(loss["restore_point_step"], "restore-dpi");
    assert_eq!(loss["restore_point_host"], "db2");
    assert_eq!(loss["verdict"], "missed", "a day and more against 15m");
    let md = report("md");
    let row = md
        .lines()
        .find(|l| l.starts_with("| DPI |"))
        .unwrap_or_else(|| panic!("no DPI row in\n{md}"));
    assert!(
        row.contains("2026-12-05 21:00:00 UTC (UTC+00:00) `restore-dpi` (`db2`)"),
        "{row}"
    );
    let status = Test::new()
        .file("j.jsonl", out.read("j.jsonl"))
        .args(["status", "j.jsonl"])
        .run();
    status.code(0);
    assert!(
        status
            .stdout
            .contains("restore point 2026-12-05 21:00:00Z (restore-dpi on db2)"),
        "{}",
        status.stdout
    );
}
