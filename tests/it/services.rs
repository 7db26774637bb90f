//! Per-service objectives (issue 15): `objectives.services` with an RTO and
//! RPO each, steps that `restores` them, restore points from a command's
//! output and from an operator's answer — through the binary, from `plan`
//! to the journal to the report.

use serde_json::Value;

use crate::harness::{Output, Test};

/// The journal's events.
fn journal(out: &Output, name: &str) -> Vec<Value> {
    out.read(name)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// `reprise report` of the drill's journal in `format`, exit 0.
fn report(out: &Output, format: &str) -> String {
    let r = Test::new()
        .file("j.jsonl", out.read("j.jsonl"))
        .env("TZ", "UTC")
        .args(["report", "j.jsonl", "--format", format])
        .run();
    r.code(0);
    r.stdout
}

/// The JSON report's service named `name`.
fn service<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["services"]
        .as_array()
        .unwrap_or_else(|| panic!("no services in {report:#}"))
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no service {name} in {report:#}"))
}

/// Estimates and reality disagree: the lab (SIL) is restored by the long
/// step, the patient record (DPI) on a shorter chain that is not the
/// plan's critical path.
const HOSPITAL: &str = r#"version: 1
name: Hospital recovery
objectives:
  rto: 48h
  services:
    DPI: { rto: 4h, rpo: 15m }   # patient record
    SIL: { rto: 2h, rpo: 1h }    # lab information system
phases:
  - id: alert
    title: Alert
    steps:
      - {id: declare, title: Declare the crisis, estimate: 10m}
      - {id: announce, title: Announce the exercise, estimate: 5m}
  - id: restore
    title: Restore
    steps:
      - {id: restore-db, title: Restore the database, estimate: 1h}
      - {id: restore-dpi, title: Restart the patient record, estimate: 1h, needs: [restore-db], restores: [DPI]}
      - {id: restore-sil, title: Restore the lab system, estimate: 3h, restores: SIL}
  - id: end
    title: End
    steps:
      - {id: debrief, title: Debrief, estimate: 1h}
"#;

/// One manual restore of the patient record that `records:
/// restore_point`, against a 15-minute RPO.
const TAPE_RESTORE: &str = r#"version: 1
name: Tape restore
objectives:
  services:
    DPI: { rto: 4h, rpo: 15m }
steps:
  - id: restore-dpi
    title: Restore the patient record from the tape
    restores: DPI
    records: restore_point
"#;

#[test]
fn plan_forecasts_each_service_on_the_chain_to_its_restoring_step() {
    let t = Test::new()
        .file("rb.yaml", HOSPITAL)
        .args(["plan", "rb.yaml"]);
    let out = t.run();
    out.code(0);
    let services = &out.stdout[out
        .stdout
        .find("\nservices\n")
        .unwrap_or_else(|| panic!("no services in\n{}", out.stdout))..];
    assert!(
        services.contains(
            "DPI  back at 2h10m of RTO 4h: 1h50m margin · RPO 15m  via declare → restore-db → restore-dpi"
        ),
        "{services}"
    );
    assert!(
        services.contains(
            "SIL  back at 3h10m of RTO 2h: exceeds RTO by 1h10m · RPO 1h  via declare → restore-sil"
        ),
        "{services}"
    );

    let t = Test::new()
        .file("rb.yaml", HOSPITAL)
        .args(["plan", "rb.yaml", "--format", "json"]);
    let out = t.run();
    out.code(0);
    let plan: Value = serde_json::from_str(&out.stdout).unwrap();
    let dpi = &plan["services"][0];
    assert_eq!(dpi["name"], "DPI");
    assert_eq!(dpi["forecast_secs"], 7800);
    assert_eq!(dpi["exceeded"], false);
    assert_eq!(dpi["restored_by"], serde_json::json!(["restore-dpi"]));
    let sil = &plan["services"][1];
    assert_eq!(sil["forecast_secs"], 11400);
    assert_eq!(sil["exceeded"], true);
    assert_eq!(sil["margin_secs"], 4200);
    // The plan's critical path runs through the lab, not the patient record.
    assert_eq!(
        plan["critical_path"]["steps"],
        serde_json::json!(["declare", "restore-sil", "debrief"])
    );
}

/// The paper checklist's cover lists each service with its objectives,
/// the steps restoring it by number, when the plan has it back, and boxes
/// for when it really came back and its restore point; printed on A4, the
/// table is on the cover page.
#[test]
fn the_paper_checklist_cover_lists_each_service_with_boxes_to_fill_in() {
    let t = Test::new().file("rb.yaml", HOSPITAL).args([
        "plan",
        "--format",
        "checklist",
        "-o",
        "c.html",
        "rb.yaml",
    ]);
    let out = t.run();
    out.code(0);
    let html = out.read("c.html");
    let row = |name: &str| {
        let start = html
            .find(&format!("<tr data-service=\"{name}\">"))
            .unwrap_or_else(|| panic!("no row {name} in\n{html}"));
        &html[start..start + html[start..].find("</tr>").unwrap()]
    };
    assert_eq!(
        row("DPI"),
        "<tr data-service=\"DPI\"><td><b>DPI</b></td><td>4h</td><td>15m</td>\
         <td><b>4</b> <span class=\"id\">restore-dpi</span></td>\
         <td>back at 2h10m of RTO 4h: 1h50m margin</td>\
         <td class=\"blank\"></td><td class=\"blank\"></td>"
    );
    assert!(
        row("SIL").contains("<td>back at 3h10m of RTO 2h: exceeds RTO by 1h10m</td>"),
        "{}",
        row("SIL")
    );
    // On the cover: before the first phase's page.
    let cover_end = html.find("<section class=\"packet\">").unwrap();
    assert!(html.find("<h3>Services</h3>").unwrap() < cover_end);

    if !crate::checklist::can_print() {
        return;
    }
    let pdf = crate::checklist::print_to_pdf(&out.dir.join("c.html"));
    let cover = crate::checklist::page_text(pdf.to_str().unwrap(), 1);
    for words in [
        "Services",
        "Back at",
        "DPI",
        "restore-dpi",
        "SIL",
        "restore-sil",
    ] {
        assert!(cover.contains(words), "{words} not on the cover:\n{cover}");
    }
}

/// Two services: one restored at once (RTO met), one by a command that
/// takes two seconds against a one-second RTO (missed); a debrief runs
/// after both and is not recovery.
const MET_AND_MISSED: &str = r#"version: 1
name: Two services
objectives:
  rto: 1h
  rpo: 5m
  services:
    quick: { rto: 1h, rpo: 1h }
    slow: { rto: 1s, rpo: 1h }
steps:
  - id: bring-back-quick
    title: Bring back the quick service
    run: "echo REPRISE_RESTORE_POINT=$(TZ=Europe/Paris date -d '-10 minutes' +%Y-%m-%dT%H:%M:%S%:z)"
    timeout: 1m
    restores: [quick]
  - id: bring-back-slow
    title: Bring back the slow service
    run: "sleep 2"
    timeout: 1m
    restores: slow
    records: restore_point
    confirm: true
  - id: debrief
    title: Debrief
    run: "sleep 2"
    timeout: 1m
    needs: [bring-back-quick, bring-back-slow]
"#;

#[test]
fn the_report_measures_each_service_against_its_rto_and_rpo() {
    let t = Test::new()
        .file("rb.yaml", MET_AND_MISSED)
        .file("answers.yaml", "bring-back-slow: run\n")
        .args([
            "run",
            "rb.yaml",
            "--answers",
            "answers.yaml",
            "--journal",
            "j.jsonl",
        ]);
    let out = t.run();
    out.code(0);
    let events = journal(&out, "j.jsonl");
    // The restore point printed by the command is recorded, normalised to
    // UTC, before the step's outcome.
    let at = |kind: &str, step: &str| {
        events
            .iter()
            .position(|e| e["event"] == kind && e["step"] == step)
            .unwrap_or_else(|| panic!("no {kind} of {step}"))
    };
    let point = &events[at("restore_point", "bring-back-quick")];
    let written: jiff::Timestamp = point["written"].as_str().unwrap().parse().unwrap();
    let recorded: jiff::Timestamp = point["point"].as_str().unwrap().parse().unwrap();
    assert_eq!(written, recorded);
    assert!(
        point["point"].as_str().unwrap().ends_with(".000Z"),
        "{point}"
    );
    assert_eq!(point["source"], "command");
    assert!(at("restore_point", "bring-back-quick") < at("step_finished", "bring-back-quick"));
    assert_eq!(events[0]["services"][1]["rto"], "1s");
    assert_eq!(
        events[0]["steps"][1]["restores"],
        serde_json::json!(["slow"])
    );

    let r: Value = serde_json::from_str(&report(&out, "json")).unwrap();
    let quick = service(&r, "quick");
    assert_eq!(quick["state"], "restored");
    assert_eq!(quick["verdict"], "met");
    let started: jiff::Timestamp = r["run"]["started"]["utc"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let loss = quick["data_loss"]["data_loss_seconds"].as_u64().unwrap();
    let expected = started.duration_since(recorded).as_secs() as u64;
    assert_eq!(loss, expected);
    assert!((590..=610).contains(&loss), "about 10 minutes: {loss}");
    assert_eq!(quick["data_loss"]["verdict"], "met", "1h of RPO");
    let slow = service(&r, "slow");
    assert_eq!(slow["verdict"], "missed");
    assert!(slow["over_seconds"].as_u64().unwrap() >= 1, "{slow:#}");
    assert_eq!(slow["data_loss"]["verdict"], "not_measured");
    // The drill as a whole: recovered when the slow service came back,
    // not when the debrief ended two seconds later.
    let ttr = r["recovery"]["time_to_recovery_seconds"].as_u64().unwrap();
    let elapsed = r["run"]["elapsed_seconds"].as_u64().unwrap();
    assert!((2..elapsed).contains(&ttr), "ttr {ttr}, elapsed {elapsed}");
    assert_eq!(r["recovery"]["data_loss"]["verdict"], "missed", "RPO 5m");

    let md = report(&out, "md");
    let table = crate::evidence::section(&md, "## Services");
    let row = |name: &str| {
        table
            .lines()
            .find(|l| l.starts_with(&format!("| {name} |")))
            .unwrap_or_else(|| panic!("no row {name} in\n{table}"))
    };
    assert!(row("quick").contains("**met"), "{table}");
    assert!(
        row("quick").contains(&recorded.strftime("%Y-%m-%d %H:%M:%S UTC").to_string()),
        "{table}"
    );
    assert!(row("slow").contains("**missed by"), "{table}");
    assert!(row("slow").contains("not measured"), "{table}");
    let html = report(&out, "html");
    assert!(html.contains("<h2>Services</h2>"), "{html}");

    // `status` answers the crisis cell's first question from the journal
    // alone: which service is back, when, against its RTO and RPO.
    let status = Test::new()
        .file("j.jsonl", out.read("j.jsonl"))
        .args(["status", "j.jsonl"])
        .run();
    status.code(0);
    let block = &status.stdout[status
        .stdout
        .find("\nservices:\n")
        .unwrap_or_else(|| panic!("no services in\n{}", status.stdout))..];
    let line = |name: &str| {
        block
            .lines()
            .find(|l| l.starts_with(&format!("  {name} ")))
            .unwrap_or_else(|| panic!("no {name} in\n{block}"))
    };
    let clock = |t: jiff::Timestamp| t.strftime("%Y-%m-%d %H:%M:%SZ").to_string();
    let quick_at: jiff::Timestamp = quick["restored_at"]["utc"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        line("quick").starts_with(&format!("  quick  restored at {} after ", clock(quick_at))),
        "{block}"
    );
    assert!(line("quick").contains(": RTO 1h met, "), "{block}");
    assert!(
        line("quick").contains(&format!(
            "restore point {} (bring-back-quick): {} of data lost: RPO 1h met",
            clock(recorded),
            reprise::runbook::Duration::from_secs(loss)
        )),
        "{block}"
    );
    assert!(line("slow").contains(": RTO 1s MISSED by "), "{block}");
    assert!(
        line("slow").ends_with("RPO 1h: no restore point recorded, data lost not measured"),
        "{block}"
    );
}

#[test]
fn a_restore_point_answered_for_a_manual_step_is_measured_against_the_rpo() {
    let t = Test::new()
        .file("rb.yaml", TAPE_RESTORE)
        .file(
            "answers.yaml",
            "restore-dpi: { answer: done, restore_point: \"2026-12-06T08:00:00+01:00\" }\n",
        )
        .args([
            "run",
            "rb.yaml",
            "--answers",
            "answers.yaml",
            "--journal",
            "j.jsonl",
        ])
        .args(["--operator", "alice"]);
    let out = t.run();
    out.code(0);
    let events = journal(&out, "j.jsonl");
    let point = events
        .iter()
        .find(|e| e["event"] == "restore_point")
        .unwrap_or_else(|| panic!("no restore_point in {events:#?}"));
    assert_eq!(point["step"], "restore-dpi");
    assert_eq!(point["by"], "alice");
    assert_eq!(point["source"], "operator");
    assert_eq!(point["point"], "2026-12-06T07:00:00.000Z");
    let r: Value = serde_json::from_str(&report(&out, "json")).unwrap();
    let dpi = service(&r, "DPI");
    assert_eq!(dpi["data_loss"]["restore_point_step"], "restore-dpi");
    // Data lost runs from the restore point to the start of the drill, as
    // the journal dates it.
    let started: jiff::Timestamp = r["run"]["started"]["utc"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let point: jiff::Timestamp = "2026-12-06T07:00:00Z".parse().unwrap();
    let loss = started.duration_since(point).as_secs().max(0) as u64;
    assert_eq!(dpi["data_loss"]["data_loss_seconds"], loss);
    let verdict = if loss <= 900 { "met" } else { "missed" };
    assert_eq!(dpi["data_loss"]["verdict"], verdict);
    let verify = Test::new()
        .file("j.jsonl", out.read("j.jsonl"))
        .args(["verify", "j.jsonl"])
        .run();
    verify.code(0);
}

#[test]
fn a_restore_point_that_is_not_a_time_is_refused_in_an_answers_file() {
    let rb = "version: 1\nname: R\nsteps:\n  - {id: a, title: A, records: restore_point}\n";
    let t = Test::new()
        .file("rb.yaml", rb)
        .file(
            "answers.yaml",
            "a: { answer: done, restore_point: yesterday }\n",
        )
        .args([
            "run",
            "rb.yaml",
            "--answers",
            "answers.yaml",
            "--journal",
            "j.jsonl",
        ]);
    let out = t.run();
    out.code(2);
    assert!(
        out.stderr.contains("`yesterday` is not a restore point"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_failed_restoring_step_leaves_its_service_not_recovered() {
    let rb = r#"version: 1
name: Broken
objectives:
  services:
    DPI: { rto: 1h }
steps:
  - id: restore-dpi
    title: Restore
    run: "false"
    timeout: 1m
    on_failure: continue
    restores: [DPI]
"#;
    let t = Test::new()
        .file("rb.yaml", rb)
        .args(["run", "rb.yaml", "--journal", "j.jsonl"]);
    let out = t.run();
    out.code(1);
    let r: Value = serde_json::from_str(&report(&out, "json")).unwrap();
    let dpi = service(&r, "DPI");
    assert_eq!(dpi["state"], "not_restored");
    assert_eq!(dpi["verdict"], "not_recovered");
    let md = report(&out, "md");
    assert!(
        md.contains("not restored: restore-dpi failed"),
        "{}",
        crate::evidence::section(&md, "## Services")
    );
}

/// At the terminal: `done` on a manual step that `records: restore_point`
/// asks for it; a word and a future time are refused and asked again; a
/// local time is read in the terminal's zone, recorded with its offset
/// before the outcome, and measured against the service's RPO.
#[test]
fn the_terminal_asks_for_the_restore_point_when_the_step_is_done() {
    use crate::pty::{expect, finish, journal};
    use expectrl::Expect;
    let t = Test::new()
        .file("drill.yaml", TAPE_RESTORE)
        .args(["run", "drill.yaml", "--journal", "drill.journal"])
        .args(["--operator", "alice"])
        .env("TZ", "Europe/Paris");
    let mut p = t.pty();
    expect(&mut p, "#1 restore-dpi", "the open step");
    p.send_line("done 1").unwrap();
    expect(&mut p, "restore point of #1", "the question");
    p.send_line("last night").unwrap();
    expect(
        &mut p,
        "`last night` is not a restore point",
        "a word refused",
    );
    expect(&mut p, "restore point of #1", "asked again");
    p.send_line("2999-01-01 00:00").unwrap();
    expect(&mut p, "is later than now", "a future time refused");
    expect(&mut p, "restore point of #1", "asked again");
    // Ten minutes ago, as the operator's clock in Paris shows it.
    let paris = jiff::tz::TimeZone::get("Europe/Paris").unwrap();
    let point = jiff::Timestamp::now() - jiff::SignedDuration::from_secs(600);
    let local = point.to_zoned_datetime(paris);
    p.send_line(local.strftime("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap();
    expect(&mut p, "restore-dpi done", "the step recorded done");
    let (code, rest) = finish(p);
    assert_eq!(code, 0, "{rest}");

    let events = journal(t.path());
    let at = |kind: &str| {
        events
            .iter()
            .position(|e| e["event"] == kind && e["step"] == "restore-dpi")
            .unwrap_or_else(|| panic!("no {kind} in {events:#?}"))
    };
    let recorded = &events[at("restore_point")];
    assert!(at("restore_point") < at("step_finished"));
    assert_eq!(recorded["by"], "alice");
    assert_eq!(recorded["source"], "operator");
    assert_eq!(
        recorded["written"],
        local.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        "written with the terminal's offset"
    );
    let expected = jiff::Timestamp::from_second(point.as_second()).unwrap();
    let got: jiff::Timestamp = recorded["point"].as_str().unwrap().parse().unwrap();
    assert_eq!(got, expected);
    assert_eq!(
        events
            .iter()
            .filter(|e| e["event"] == "restore_point")
            .count(),
        1,
        "the refused answers recorded nothing"
    );

    let t = Test::new()
        .file(
            "j.jsonl",
            std::fs::read_to_string(t.path().join("drill.journal")).unwrap(),
        )
        .args(["report", "j.jsonl", "--format", "json"]);
    let out = t.run();
    out.code(0);
    let r: Value = serde_json::from_str(&out.stdout).unwrap();
    let dpi = service(&r, "DPI");
    let loss = dpi["data_loss"]["data_loss_seconds"].as_u64().unwrap();
    assert!((590..=700).contains(&loss), "about ten minutes: {loss}");
    assert_eq!(dpi["data_loss"]["verdict"], "met", "RPO 15m");
}

/// `status` speaks the drill's language (`lang: fr`, recorded in
/// `run_started`) in its services block, as the report does; the same
/// journal's block is English when the runbook says `lang: en`.
#[test]
fn the_status_services_block_follows_the_runbooks_language() {
    for (lang, expected, absent) in [
        (
            "fr",
            [
                "services\u{a0}:\n",
                "  DPI  rétabli le ",
                "\u{a0}: DMIA 1\u{a0}h respectée, avec ",
                "point de restauration 2026-12-05 22:00:00 CET (UTC+01:00) (restore-dpi)\u{a0}: ",
                " de données perdues\u{a0}: PDMA 15\u{a0}min DÉPASSÉE de ",
            ],
            "restored at",
        ),
        (
            "en",
            [
                "services:\n",
                "  DPI  restored at ",
                ": RTO 1h met, ",
                "restore point 2026-12-05 21:00:00Z (restore-dpi): ",
                " of data lost: RPO 15m MISSED by ",
            ],
            "rétabli",
        ),
    ] {
        let rb = format!(
            "version: 1\nname: Langue\nlang: {lang}\nobjectives:\n  services:\n    \
             DPI: {{ rto: 1h, rpo: 15m }}\nsteps:\n  - id: restore-dpi\n    title: Restore\n    \
             restores: DPI\n    run: echo REPRISE_RESTORE_POINT=2026-12-05T22:00:00+01:00\n"
        );
        let out = Test::new()
            .file("rb.yaml", rb)
            .args(["run", "--yes", "rb.yaml", "--journal", "j.jsonl"])
            .run();
        out.code(0);
        let status = Test::new()
            .file("j.jsonl", out.read("j.jsonl"))
            .env("LANG", "C.UTF-8")
            .env("TZ", "Europe/Paris")
            .args(["status", "j.jsonl"])
            .run();
        status.code(0);
        for e in expected {
            assert!(
                status.stdout.contains(e),
                "{lang}: {e:?} in\n{}",
                status.stdout
            );
        }
        let block = &status.stdout[status.stdout.find(expected[0]).unwrap()..];
        let block = &block[..block.find("\n\n").unwrap_or(block.len())];
        assert!(!block.contains(absent), "{lang}: {absent:?} in\n{block}");
    }
}
