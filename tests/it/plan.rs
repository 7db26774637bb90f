//! `reprise plan`: the views of a valid runbook, `--mode`, and refusal of an
//! invalid one.

use std::io::Read;
use std::process::Stdio;

use crate::harness::Test;

const FAILOVER: &str = "\
version: 1
name: Storage failover
objectives:
  rto: 1h30m
  rpo: 15m
phases:
  - id: alert
    title: Alert and assess
    steps:
      - id: declare
        title: Declare the incident
        role: direction
        estimate: 10m
      - id: health
        title: Check the array
        run: storage-cli health
        timeout: 2m
        estimate: 2m
  - id: failover
    title: Fail over to the spare array
    steps:
      - id: stop-apps
        title: Stop the applications
        run: [systemctl, stop, intranet]
        confirm: true
        timeout: 5m
        estimate: 20m
      - id: switch
        title: Switch the volumes
        needs: [stop-apps]
        run: storage-cli failover
        timeout: 1h
        estimate: 45m
      - id: check-copy
        title: Check the isolated copy
        only: drill
        needs: [stop-apps]
        estimate: 1h
";

fn plan(args: &[&str]) -> crate::harness::Output {
    Test::new()
        .file("failover.yaml", FAILOVER)
        .args(["plan"].iter().chain(args).chain(&["failover.yaml"]))
        .run()
}

#[test]
fn text_shows_waves_and_the_critical_path_against_the_rto() {
    let out = plan(&[]);
    out.code(0);
    assert_eq!(
        out.stdout,
        "\
Storage failover
mode drill · 5 steps · 2 phases · 3 waves · RTO 1h30m · RPO 15m

phases
  alert     Alert and assess               2 steps  starts at once
  failover  Fail over to the spare array   3 steps  after alert

     step        kind     role       estimate  start  phase
wave 1
   * declare     manual   direction  10m       0s     alert
     health      command  -          2m        0s     alert
wave 2
   * stop-apps   confirm  -          20m       10m    failover
wave 3
     switch      command  -          45m       30m    failover
   * check-copy  manual   -          1h        30m    failover

critical path (*): declare → stop-apps → check-copy
critical path 1h30m of RTO 1h30m: no margin
"
    );
}

#[test]
fn incident_mode_shows_drill_only_steps_as_not_applicable() {
    let out = plan(&["--mode", "incident"]);
    out.code(0);
    assert!(
        out.stdout
            .contains("mode incident · 5 steps · 1 not applicable ·"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "     check-copy  manual   -          1h        -      not applicable (drill only)\n"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("critical path (*): declare → stop-apps → switch\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("critical path 1h15m of RTO 1h30m: 15m margin\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn json_is_for_tools() {
    let out = plan(&["--format", "json", "--mode", "incident"]);
    out.code(0);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    assert_eq!(json["mode"], "incident");
    assert_eq!(json["objectives"]["rto_secs"], 5400);
    let ids: Vec<&str> = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["declare", "health", "stop-apps", "switch", "check-copy"]
    );
    assert_eq!(json["steps"][4]["applicable"], false);
    assert_eq!(json["steps"][4]["only"], "drill");
    assert_eq!(json["steps"][3]["start_secs"], 1800);
    assert_eq!(json["steps"][3]["needs"], serde_json::json!(["stop-apps"]));
    assert_eq!(json["critical_path"]["total"], "1h15m");
    assert_eq!(json["rto"]["exceeded"], false);
    assert_eq!(json["rto"]["margin"], "15m");
}

#[test]
fn dot_draws_phases_as_clusters() {
    let out = plan(&["--format", "dot"]);
    out.code(0);
    for expected in [
        "digraph reprise {\n",
        "  subgraph \"cluster_failover\" {\n    label=\"failover: Fail over to the spare array\";\n",
        "  \"stop-apps\" -> \"check-copy\" [color=\"#d00000\", penwidth=2.5];\n",
        "  \"stop-apps\" -> \"switch\";\n",
        "  \"declare\" -> \"stop-apps\" [ltail=\"cluster_alert\", lhead=\"cluster_failover\", style=dashed];\n",
    ] {
        assert!(
            out.stdout.contains(expected),
            "{expected}\n---\n{}",
            out.stdout
        );
    }
}

#[test]
fn mermaid_draws_phases_as_subgraphs() {
    let out = plan(&["--format", "mermaid"]);
    out.code(0);
    for expected in [
        "flowchart LR\n",
        "  subgraph p1[\"failover: Fail over to the spare array\"]\n",
        "    s3[\"switch<br/>command · 45m\"]\n",
        "  s2 --> s3\n",
        "  p0 -.-> p1\n",
        "  class s0,s2,s4 critical\n",
    ] {
        assert!(
            out.stdout.contains(expected),
            "{expected}\n---\n{}",
            out.stdout
        );
    }
}

#[test]
fn an_invalid_runbook_is_refused_with_located_errors() {
    let out = Test::new()
        .file(
            "broken.yaml",
            "\
version: 1
name: Broken
steps:
  - id: stop-app
    title: Stop
  - id: backup
    title: Back up
    needs: [stop-ap]
",
        )
        .args(["plan", "broken.yaml"])
        .run();
    out.code(2);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("broken.yaml:8:13"), "{}", out.stderr);
    assert!(
        out.stderr.contains("did you mean `stop-app`?"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("broken.yaml: nothing planned: 1 error (see `reprise check`)"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_cycle_through_phases_is_refused_whole() {
    let out = Test::new()
        .file(
            "cycle.yaml",
            "\
version: 1
name: Cycle
phases:
  - id: first
    title: First
    steps:
      - id: alpha
        title: Alpha
        needs: [gamma]
  - id: second
    title: Second
    steps:
      - id: gamma
        title: Gamma
",
        )
        .args(["plan", "cycle.yaml"])
        .run();
    out.code(2);
    assert!(
        out.stderr
            .contains("dependency cycle `alpha → gamma → alpha`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("cycle.yaml:9:17"), "{}", out.stderr);
}

#[test]
fn a_missing_file_or_a_bad_flag_is_a_usage_error() {
    Test::new().args(["plan", "nowhere.yaml"]).run().code(2);
    let out = plan(&["--format", "svg"]);
    out.code(2);
    assert!(out.stderr.contains("svg"), "{}", out.stderr);
}

#[test]
fn help_shows_an_example() {
    let out = Test::new().args(["plan", "--help"]).run();
    out.code(0);
    assert!(
        out.stdout
            .contains("reprise plan --mode incident runbooks/postgres-failover.yaml"),
        "{}",
        out.stdout
    );
}

/// `reprise plan big.yaml | head`: the reader goes away early; that is not
/// an error.
#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut yaml = String::from("version: 1\nname: Big\nsteps:\n");
    for i in 0..5000 {
        yaml.push_str(&format!(
            "  - id: step-{i}\n    title: Step {i}\n    estimate: 1m\n"
        ));
    }
    let t = Test::new().file("big.yaml", yaml);
    let mut child = Test::at(t.path())
        .args(["plan", "big.yaml"])
        .command()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    assert!(first.starts_with(b"Big\n"));
    // The output (several hundred kilobytes) does not fit in a pipe buffer,
    // so the binary is still writing when the reading end closes.
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn a_flat_runbook_has_no_phase_column() {
    let out = Test::new()
        .file(
            "flat.yaml",
            "\
version: 1
name: Flat
steps:
  - id: first
    title: First
    estimate: 5m
  - id: second
    title: Second
    needs: [first]
    run: [\"true\"]
    timeout: 1m
",
        )
        .args(["plan", "flat.yaml"])
        .run();
    out.code(0);
    assert_eq!(
        out.stdout,
        "\
Flat
mode drill · 2 steps · 2 waves

     step    kind     role  estimate  start
wave 1
   * first   manual   -     5m        0s
wave 2
   * second  command  -     -         5m

critical path (*): first → second
critical path 5m (no RTO set)
1 step without an estimate, counted as 0s
"
    );
    assert_eq!(out.stderr, "");
}

const ON_HOSTS: &str = "\
version: 1
name: Database failover
hosts:
  db1: {address: 10.0.4.11, user: postgres}
  db2: {address: 10.0.4.12, user: postgres, max_parallel: 1}
  db3: {address: 10.0.4.13}
steps:
  - id: announce
    title: Announce the failover
  - id: stop-replicas
    title: Stop the replicas
    needs: [announce]
    host: [db1, db2, db3]
    run: pg_ctlcluster 15 main stop
  - id: promote
    title: Promote db3
    needs: [stop-replicas]
    host: db3
    run: [pg_ctlcluster, '15', main, promote]
";

fn plan_on_hosts(format: &str) -> crate::harness::Output {
    let out = Test::new()
        .file("failover.yaml", ON_HOSTS)
        .args(["plan", "--format", format, "failover.yaml"])
        .run();
    out.code(0);
    out
}

#[test]
fn every_format_says_which_hosts_each_step_targets() {
    let json: serde_json::Value =
        serde_json::from_str(&plan_on_hosts("json").stdout).expect("valid JSON");
    let hosts: Vec<(&str, &serde_json::Value)> = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), &s["hosts"]))
        .collect();
    assert_eq!(
        hosts,
        [
            ("announce", &serde_json::json!([])),
            ("stop-replicas", &serde_json::json!(["db1", "db2", "db3"])),
            ("promote", &serde_json::json!(["db3"])),
        ]
    );
    let table: Vec<(&str, &str, &serde_json::Value)> = json["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["name"].as_str().unwrap(),
                h["address"].as_str().unwrap(),
                &h["steps"],
            )
        })
        .collect();
    assert_eq!(
        table,
        [
            ("db1", "10.0.4.11", &serde_json::json!(["stop-replicas"])),
            ("db2", "10.0.4.12", &serde_json::json!(["stop-replicas"])),
            (
                "db3",
                "10.0.4.13",
                &serde_json::json!(["stop-replicas", "promote"])
            ),
        ]
    );
    assert_eq!(json["hosts"][1]["max_parallel"], 1);

    let text = plan_on_hosts("text").stdout;
    let line = |id: &str| {
        text.lines()
            .find(|l| l.split_whitespace().any(|w| w == id))
            .unwrap_or_else(|| panic!("no line for {id}:\n{text}"))
            .to_string()
    };
    assert!(
        line("stop-replicas").ends_with("on db1, db2, db3"),
        "{text}"
    );
    assert!(line("promote").ends_with("on db3"), "{text}");
    assert!(!line("announce").contains(" on "), "{text}");

    let dot = plan_on_hosts("dot").stdout;
    assert!(
        dot.contains("label=\"stop-replicas\\n") && dot.contains("\\non db1, db2, db3\""),
        "{dot}"
    );
    let mermaid = plan_on_hosts("mermaid").stdout;
    assert!(mermaid.contains("<br/>on db1, db2, db3"), "{mermaid}");
    assert!(mermaid.contains("<br/>on db3"), "{mermaid}");
}
