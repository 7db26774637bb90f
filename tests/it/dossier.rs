//! The exercise dossier: criteria and their assessment, corrective actions,
//! sign-off with SSH keys, the standards map, French and English, PDF.

use std::path::Path;
use std::process::Command;

use expectrl::Expect;

use crate::harness::Test;

const RUNBOOK: &str = r#"version: 1
name: Bascule SIL
lang: fr
scenario: Perte de la baie de stockage principale un mardi matin.
scope: SIL et DPI ; la messagerie est hors périmètre.
objectives:
  rto: 1h
  criteria:
    - Le laboratoire rend des résultats dans les 2 h suivant la bascule
    - Aucune perte de prescription
steps:
  - id: stop
    title: Stop the lab system
    run: "true"
    estimate: 1s
    timeout: 10s
  - id: check
    title: Check results reach the patient record
    estimate: 1m
"#;

const ANSWERS: &str = r#"check:
  answer: done
  action: { owner: labo, due: 2027-01-15, text: "script the result check" }
"#;

/// A finished drill of [`RUNBOOK`] in a fresh folder, with its journal at
/// `j.jsonl`.
fn drill() -> Test {
    let t = Test::new()
        .file("rb.yaml", RUNBOOK)
        .file("answers.yaml", ANSWERS)
        .args([
            "run",
            "rb.yaml",
            "--journal",
            "j.jsonl",
            "--answers",
            "answers.yaml",
        ]);
    t.run().code(0);
    t
}

fn reprise(dir: &Path, args: &[&str]) -> crate::harness::Output {
    Test::at(dir)
        .args(args)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .run()
}

#[test]
fn the_french_report_opens_with_the_exercise_and_ends_with_the_dossier() {
    let t = drill();
    let d = t.path();
    reprise(
        d,
        &[
            "assess",
            "j.jsonl",
            "1",
            "partly_met",
            "2h40",
            "au",
            "lieu",
            "de",
            "2h",
        ],
    )
    .code(0);
    let md = reprise(d, &["report", "j.jsonl"]);
    md.code(0);
    let out = &md.stdout;
    for needle in [
        "## L'exercice",
        "**Scénario**: Perte de la baie de stockage principale",
        "## Critères de réussite",
        "| 1. Le laboratoire rend des résultats dans les 2 h suivant la bascule | **partiellement atteint** | 2h40 au lieu de 2h |",
        "| 2. Aucune perte de prescription | non évalué — lancer `reprise assess` |",
        "## Actions correctives",
        "| labo | 2027-01-15 | script the result check |",
        "## Correspondance avec les référentiels",
        "| Critères évalués | **manquant** (évaluer chaque critère avec `reprise assess JOURNAL`)",
        "| Validation, compte rendu à la direction | **manquant**",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    // The exercise comes before the timeline, the standards map last.
    let (ex, tl, map) = (
        out.find("## L'exercice").unwrap(),
        out.find("## Chronologie").unwrap(),
        out.find("## Correspondance").unwrap(),
    );
    assert!(ex < tl && tl < map, "sections out of order:\n{out}");

    let en = reprise(d, &["report", "j.jsonl", "--lang", "en"]);
    en.code(0);
    assert!(en.stdout.contains("## Success criteria"), "{}", en.stdout);
    assert!(
        en.stdout.contains("| Criteria assessed | **missing**"),
        "{}",
        en.stdout
    );
    reprise(d, &["report", "j.jsonl", "--lang", "de"]).code(2);

    let json: serde_json::Value =
        serde_json::from_str(&reprise(d, &["report", "j.jsonl", "--format", "json"]).stdout)
            .unwrap();
    assert_eq!(json["dossier"]["criteria"][0]["verdict"], "partly_met");
    let missing: Vec<_> = json["standards"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["present"] == false)
        .map(|i| i["key"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["assessment", "signoff"]);
}

#[test]
fn a_runbook_without_criteria_is_told_what_the_auditor_will_ask() {
    let t = Test::new()
        .file(
            "rb.yaml",
            "version: 1\nname: Bare\nsteps:\n  - {id: a, title: A, run: \"true\", timeout: 5s, estimate: 1s}\n",
        )
        .args(["run", "rb.yaml", "--journal", "j.jsonl", "--yes"]);
    t.run().code(0);
    let out = reprise(t.path(), &["report", "j.jsonl"]);
    for needle in [
        "| Success criteria set beforehand | **missing** (add `objectives.criteria` to the runbook)",
        "| Scenario and scope | **missing** (add `scenario:` and `scope:` to the runbook)",
        "| Timestamped record of actions and decisions (main courante) | **present**",
    ] {
        assert!(
            out.stdout.contains(needle),
            "missing {needle:?} in\n{}",
            out.stdout
        );
    }
    let refused = reprise(t.path(), &["assess", "j.jsonl", "1", "met"]);
    refused.code(2);
    assert!(
        refused.stderr.contains("has no success criteria"),
        "{}",
        refused.stderr
    );
}

#[test]
fn assessments_are_checked_before_anything_is_written() {
    let t = drill();
    let d = t.path();
    let before = std::fs::read(d.join("j.jsonl")).unwrap();
    std::fs::write(
        d.join("a.yaml"),
        "- {criterion: 1, verdict: met}\n- {criterion: 3, verdict: met}\n",
    )
    .unwrap();
    let bad = reprise(d, &["assess", "j.jsonl", "--from", "a.yaml"]);
    bad.code(2);
    assert!(
        bad.stderr.contains("il n'y a pas de critère 3"),
        "{}",
        bad.stderr
    );
    reprise(d, &["assess", "j.jsonl", "2", "maybe"]).code(2);
    assert_eq!(
        std::fs::read(d.join("j.jsonl")).unwrap(),
        before,
        "nothing written"
    );

    std::fs::write(
        d.join("a.yaml"),
        "- {criterion: 1, verdict: met, comment: results in 1h50}\n- {criterion: 2, verdict: non_atteint}\n",
    )
    .unwrap();
    reprise(d, &["assess", "j.jsonl", "--from", "a.yaml"]).code(0);
    let journal = std::fs::read_to_string(d.join("j.jsonl")).unwrap();
    let last: Vec<serde_json::Value> = journal
        .lines()
        .rev()
        .take(2)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(last[1]["event"], "criterion_assessed");
    assert_eq!(last[1]["verdict"], "met");
    assert_eq!(last[0]["verdict"], "not_met");
    // Records after run_finished are the debrief's, and the chain holds.
    reprise(d, &["verify", "j.jsonl"]).code(0);
}

#[test]
fn a_note_after_the_end_of_a_drill_is_refused_by_verify() {
    let t = drill();
    let d = t.path();
    let text = std::fs::read_to_string(d.join("j.jsonl")).unwrap();
    let last = text.lines().last().unwrap();
    let v: serde_json::Value = serde_json::from_str(last).unwrap();
    let prev = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(format!("{last}\n").as_bytes()))
    };
    let forged = format!(
        "{{\"seq\":{},\"time\":\"2026-12-06T10:00:00.000Z\",\"event\":\"note\",\"text\":\"x\",\"by\":\"eve\",\"prev\":\"{prev}\"}}\n",
        v["seq"].as_u64().unwrap() + 1
    );
    std::fs::write(d.join("j.jsonl"), format!("{text}{forged}")).unwrap();
    let out = reprise(d, &["verify", "j.jsonl"]);
    out.code(2);
    assert!(
        out.stderr.contains("only the debrief's records"),
        "{}",
        out.stderr
    );
}

fn keygen(dir: &Path, name: &str) -> String {
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(dir.join(name))
        .status()
        .expect("ssh-keygen (openssh-client) is installed by .ci/run");
    assert!(status.success());
    let public = std::fs::read_to_string(dir.join(format!("{name}.pub"))).unwrap();
    let mut parts = public.split_whitespace();
    format!(
        "{}@hopital.example {} {}\n",
        name,
        parts.next().unwrap(),
        parts.next().unwrap()
    )
}

#[test]
fn sign_off_is_checked_with_an_allowed_signers_file() {
    let t = drill();
    let d = t.path();
    let owner = keygen(d, "owner");
    let ciso = keygen(d, "ciso");
    let intruder = keygen(d, "intruder");
    std::fs::write(d.join("signers"), format!("{owner}{ciso}")).unwrap();

    reprise(
        d,
        &["sign", "j.jsonl", "--key", "owner", "--role", "plan owner"],
    )
    .code(0);
    reprise(d, &["sign", "j.jsonl", "--key", "ciso", "--role", "RSSI"]).code(0);
    // An assessment after the sign-off leaves the signatures valid.
    reprise(d, &["assess", "j.jsonl", "1", "met"]).code(0);
    let ok = reprise(d, &["verify", "j.jsonl", "--allowed-signers", "signers"]);
    ok.code(0);
    assert!(
        ok.stdout
            .contains("signature 1: good, by owner@hopital.example as plan owner"),
        "{}",
        ok.stdout
    );
    assert!(
        ok.stdout
            .contains("signature 2: good, by ciso@hopital.example as RSSI"),
        "{}",
        ok.stdout
    );
    assert!(
        ok.stdout.contains("1 later debrief records not covered"),
        "{}",
        ok.stdout
    );
    let report = reprise(d, &["report", "j.jsonl"]);
    assert!(report.stdout.contains("(plan owner)"), "{}", report.stdout);
    assert!(
        report
            .stdout
            .contains("| Validation, compte rendu à la direction | **présent**"),
        "{}",
        report.stdout
    );

    // A key nobody trusts.
    let sigs = std::fs::read_to_string(d.join("j.jsonl.signatures")).unwrap();
    reprise(d, &["sign", "j.jsonl", "--key", "intruder"]).code(0);
    let out = reprise(d, &["verify", "j.jsonl", "--allowed-signers", "signers"]);
    out.code(2);
    assert!(
        out.stderr
            .contains("la signature 3 a été faite avec une clé absente de signers"),
        "{}",
        out.stderr
    );
    let _ = intruder;

    // A forged signature: the first one's text changed.
    let mut forged: serde_json::Value = serde_json::from_str(sigs.lines().next().unwrap()).unwrap();
    let text = forged["signature"].as_str().unwrap().to_string();
    let lines: Vec<&str> = text.lines().collect();
    let mid = lines.len() / 2;
    let altered: String = lines[mid]
        .chars()
        .map(|c| {
            if c == 'A' {
                'B'
            } else if c == 'B' {
                'A'
            } else {
                c
            }
        })
        .collect();
    let mut new_lines = lines.clone();
    new_lines[mid] = &altered;
    forged["signature"] = serde_json::Value::String(new_lines.join("\n") + "\n");
    std::fs::write(d.join("j.jsonl.signatures"), format!("{forged}\n")).unwrap();
    let out = reprise(d, &["verify", "j.jsonl", "--allowed-signers", "signers"]);
    out.code(2);
    assert!(out.stderr.contains("signature 1"), "{}", out.stderr);

    // A signature claiming another head: as if the journal had been edited.
    let mut moved: serde_json::Value = serde_json::from_str(sigs.lines().next().unwrap()).unwrap();
    moved["head"] = serde_json::Value::String("0".repeat(64));
    std::fs::write(d.join("j.jsonl.signatures"), format!("{moved}\n")).unwrap();
    let out = reprise(d, &["verify", "j.jsonl", "--allowed-signers", "signers"]);
    out.code(2);
    assert!(
        out.stderr.contains("ne correspond pas à ce journal"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_signature_verifies_with_openssh_alone() {
    let t = drill();
    let d = t.path();
    let owner = keygen(d, "owner");
    std::fs::write(d.join("signers"), owner).unwrap();
    reprise(d, &["sign", "j.jsonl", "--key", "owner"]).code(0);
    let sig: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(d.join("j.jsonl.signatures"))
            .unwrap()
            .trim(),
    )
    .unwrap();
    std::fs::write(d.join("s.sig"), sig["signature"].as_str().unwrap()).unwrap();
    // The signed text, as docs/journal.md documents it.
    let message = format!(
        "reprise journal v1\nevents: {}\nhead: {}\n",
        sig["events"],
        sig["head"].as_str().unwrap()
    );
    let mut child = Command::new("ssh-keygen")
        .current_dir(d)
        .args([
            "-Y",
            "verify",
            "-f",
            "signers",
            "-I",
            "owner@hopital.example",
            "-n",
            "reprise",
            "-s",
            "s.sig",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(message.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn open_actions_are_listed_across_drills_and_closed_in_a_chained_file() {
    let t = drill();
    let d = t.path();
    std::fs::create_dir(d.join("journals")).unwrap();
    std::fs::rename(d.join("j.jsonl"), d.join("journals/a.jsonl")).unwrap();
    reprise(
        d,
        &[
            "action",
            "journals/a.jsonl",
            "dsi",
            "2027-02-01",
            "second",
            "array",
            "spare",
        ],
    )
    .code(0);
    reprise(d, &["action", "journals/a.jsonl", "dsi", "tomorrow", "x"]).code(2);
    let list = reprise(d, &["actions", "journals"]);
    list.code(0);
    let lines: Vec<&str> = list.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", list.stdout);
    assert!(
        lines[0].contains("script the result check"),
        "oldest first: {}",
        list.stdout
    );
    assert!(lines[1].contains("second array spare"), "{}", list.stdout);
    let id = &lines[0][..8];
    reprise(
        d,
        &[
            "actions",
            "journals",
            "--close",
            id,
            "--reason",
            "scripted, ticket 4411",
        ],
    )
    .code(0);
    let again = reprise(
        d,
        &["actions", "journals", "--close", id, "--reason", "twice"],
    );
    again.code(2);
    assert!(again.stderr.contains("already closed"), "{}", again.stderr);
    let list = reprise(d, &["actions", "journals"]);
    assert!(
        !list.stdout.contains("script the result check"),
        "{}",
        list.stdout
    );
    let all = reprise(d, &["actions", "journals", "--all"]);
    assert!(
        all.stdout.contains("closed") && all.stdout.contains("ticket 4411"),
        "{}",
        all.stdout
    );

    let second = &lines[1][..8];
    reprise(
        d,
        &[
            "actions", "journals", "--close", second, "--reason", "ordered",
        ],
    )
    .code(0);
    let ok = reprise(d, &["verify", "journals/a.jsonl"]);
    ok.code(0);
    assert!(
        ok.stdout.contains("actions file intact: 2 closings"),
        "{}",
        ok.stdout
    );
    // Like a journal's, the chain shows an edit of any line but the last,
    // whose hash is the head printed by verify.
    let file = d.join("journals/actions.jsonl");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("ticket 4411", "ticket 4412")).unwrap();
    let out = reprise(d, &["verify", "journals/actions.jsonl"]);
    out.code(2);
    assert!(
        out.stderr
            .contains("actions.jsonl:2: its prev does not match line 1"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_action_typed_at_the_prompt_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rb.yaml"), RUNBOOK).unwrap();
    let mut p = Test::at(dir.path())
        .args(["run", "rb.yaml", "--journal", "j.jsonl"])
        .env_remove("NO_COLOR")
        .pty();
    p.expect("reprise>").expect("the prompt");
    p.send_line("action labo 2027-13-01 wrong date").unwrap();
    p.expect("n'est pas une date")
        .expect("a refused date, in French");
    p.send_line("action labo 2027-01-15 script the result check")
        .unwrap();
    p.expect("action pour labo")
        .expect("the action shown once recorded");
    p.send_line("done check").unwrap();
    // The runbook's criteria are asked at the end: Ctrl-D leaves them.
    p.expect("non atteint\u{202f}?")
        .expect("the criteria asked");
    p.send(expectrl::ControlCode::EndOfTransmission).unwrap();
    p.expect("Aucun critère évalué").expect("none assessed");
    p.expect(expectrl::Eof).expect("the end of the drill");
    let journal = std::fs::read_to_string(dir.path().join("j.jsonl")).unwrap();
    let actions: Vec<serde_json::Value> = journal
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|e| e["event"] == "action_recorded")
        .collect();
    assert_eq!(actions.len(), 1, "{journal}");
    assert_eq!(actions[0]["owner"], "labo");
    assert_eq!(actions[0]["due"], "2027-01-15");
    assert_eq!(actions[0]["text"], "script the result check");
}

/// At the end of a drill at a terminal, each success criterion is asked
/// (in French: the runbook says `lang: fr`), recorded after `run_finished`,
/// and shown at the top of the report; an empty answer leaves one.
#[test]
fn criteria_are_assessed_at_the_terminal_when_the_drill_ends() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rb.yaml"), RUNBOOK).unwrap();
    let mut p = Test::at(dir.path())
        .args(["run", "rb.yaml", "--journal", "j.jsonl"])
        .env_remove("NO_COLOR")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .pty();
    // Typed once the step is open (asked), not merely once the prompt shows.
    p.expect("fait 2")
        .expect("the manual step asked, in French");
    p.send_line("done check").unwrap();
    // The end-of-run summary in the drill's language.
    p.expect("résultat de l'exercice")
        .expect("the result line in French");
    p.expect("attente de l'opérateur")
        .expect("the time split in French");
    p.expect("Critères de réussite de l'exercice")
        .expect("the criteria asked once the drill is over");
    p.expect("non atteint\u{202f}?").expect("criterion 1 asked");
    p.send_line("peut-être").unwrap();
    p.expect("is not an assessment")
        .expect("a wrong word refused");
    p.expect("non atteint\u{202f}?")
        .expect("criterion 1 asked again");
    p.send_line("p").unwrap();
    p.expect("commentaire\u{202f}?").expect("its comment asked");
    p.send_line("résultats en 2 h 40, pas 2 h").unwrap();
    p.expect("enregistré\u{a0}: partiellement atteint")
        .expect("the verdict said back");
    p.expect("non atteint\u{202f}?").expect("criterion 2 asked");
    p.send_line("").unwrap();
    p.expect("laissé sans évaluation")
        .expect("criterion 2 left");
    p.expect("1 critère évalué").expect("the count at the end");
    p.expect(expectrl::Eof).expect("the end of the drill");

    let journal = std::fs::read_to_string(dir.path().join("j.jsonl")).unwrap();
    let events: Vec<serde_json::Value> = journal
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .collect();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    let end = kinds.iter().position(|k| *k == "run_finished").unwrap();
    assert_eq!(kinds[end + 1..], ["criterion_assessed"], "{journal}");
    let a = &events[end + 1];
    assert_eq!(a["criterion"], 1);
    assert_eq!(a["verdict"], "partly_met");
    assert_eq!(a["comment"], "résultats en 2 h 40, pas 2 h");
    reprise(dir.path(), &["verify", "j.jsonl"]).code(0);
    let report = reprise(dir.path(), &["report", "j.jsonl"]);
    report.code(0);
    assert!(
        report
            .stdout
            .contains("**partiellement atteint** | résultats en 2 h 40, pas 2 h |"),
        "{}",
        report.stdout
    );
}

/// An answers file assesses the criteria under `criteria:`, recorded at
/// the end of the drill; a criterion the runbook does not have is refused
/// with its line before anything runs.
#[test]
fn criteria_are_assessed_from_the_answers_file() {
    let t = Test::new()
        .file("rb.yaml", RUNBOOK)
        .file(
            "answers.yaml",
            "check: done\ncriteria:\n  - { criterion: 2, verdict: met, comment: aucune perte }\n  - { criterion: 1, verdict: not_met }\n",
        )
        .file(
            "wrong.yaml",
            "check: done\ncriteria:\n  - { criterion: 3, verdict: met }\n  - { criterion: 1, verdict: bof }\n",
        )
        .args([
            "run",
            "rb.yaml",
            "--journal",
            "bad.jsonl",
            "--answers",
            "wrong.yaml",
        ]);
    let out = t.run();
    out.code(2);
    assert!(
        out.stderr.contains("wrong.yaml:3:")
            && out
                .stderr
                .contains("there is no criterion 3: the runbook has 2")
            && out.stderr.contains("wrong.yaml:4:")
            && out.stderr.contains("`bof` is not an assessment"),
        "{}",
        out.stderr
    );
    assert!(!out.dir.join("bad.jsonl").exists(), "nothing run");

    let dir = out.dir.clone();
    let run = reprise(
        &dir,
        &[
            "run",
            "rb.yaml",
            "--journal",
            "j.jsonl",
            "--answers",
            "answers.yaml",
        ],
    );
    run.code(0);
    let journal = std::fs::read_to_string(dir.join("j.jsonl")).unwrap();
    let assessed: Vec<serde_json::Value> = journal
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|e| e["event"] == "criterion_assessed")
        .collect();
    assert_eq!(assessed.len(), 2, "{journal}");
    assert_eq!(assessed[0]["criterion"], 2);
    assert_eq!(assessed[0]["verdict"], "met");
    assert_eq!(assessed[0]["comment"], "aucune perte");
    assert_eq!(assessed[1]["verdict"], "not_met");
    reprise(&dir, &["verify", "j.jsonl"]).code(0);
    let report = reprise(&dir, &["report", "j.jsonl"]);
    assert!(
        report
            .stdout
            .contains("| 2. Aucune perte de prescription | **atteint** | aucune perte |"),
        "{}",
        report.stdout
    );
}

#[test]
fn the_report_prints_to_a_pdf_in_headless_chromium() {
    if !Path::new("/usr/bin/chromium").exists() || !Path::new("/usr/bin/pdftotext").exists() {
        if std::env::var_os("CI").is_some() {
            panic!("chromium or pdftotext missing on CI: `.ci/run` installs them");
        }
        eprintln!(
            "skipped: /usr/bin/chromium or pdftotext not found (Debian: chromium, poppler-utils)"
        );
        return;
    }
    let t = drill();
    let d = t.path();
    let out = reprise(d, &["report", "j.jsonl", "--format", "pdf", "-o", "r.pdf"]);
    out.code(0);
    let text = Command::new("pdftotext")
        .current_dir(d)
        .args(["-layout", "r.pdf", "-"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Correspondance avec les référentiels"),
        "{text}"
    );
    assert!(text.contains("Bascule SIL"), "{text}");
    let pages = text.matches('\u{c}').count();
    assert!(pages >= 2, "a report of several pages: {pages}");
    let png = Command::new("pdftoppm")
        .current_dir(d)
        .args(["-png", "-r", "40", "-f", "1", "-l", "1", "r.pdf", "page"])
        .status()
        .unwrap();
    assert!(png.success());
    assert!(
        std::fs::read_dir(d).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("page"))
    );

    let none = reprise(d, &["report", "j.jsonl", "--format", "pdf"]);
    none.code(2);
    assert!(
        none.stderr.contains("a besoin d'un fichier de sortie"),
        "{}",
        none.stderr
    );
}
