//! A French drill (`lang: fr`) read back in French: `status`, the paper
//! checklist and `compare`, through the binary, with no English left in
//! reprise's own words.

use crate::harness::Test;

/// A `lang: fr` runbook: a command, a manual step, a service with its RTO
/// and RPO.
pub const RUNBOOK: &str = "\
version: 1
name: Bascule du DPI
owner: DSI du CHU
lang: fr
objectives:
  rto: 2h
  services:
    DPI: { rto: 1h, rpo: 15m }
steps:
  - id: arret-primaire
    title: Arrêter la base primaire
    run: 'true'
    timeout: 1m
    estimate: 5m
  - id: verifier-dpi
    title: Vérifier le DPI avec le service de soins
    instructions: Ouvrir un dossier patient et le relire
    restores: DPI
    needs: [arret-primaire]
    estimate: 10m
";

/// `status` of a finished `lang: fr` drill: every fixed text French,
/// durations « 5 min », times in the local zone, named; `--lang en` gives
/// the English view of the same journal.
#[test]
fn status_of_a_french_drill_is_french() {
    let out = Test::new()
        .file("rb.yaml", RUNBOOK)
        .args(["run", "--yes", "rb.yaml", "--journal", "j.jsonl"])
        .run();
    out.code(0);
    let status = |extra: &[&str]| {
        let mut args = vec!["status", "j.jsonl"];
        args.extend(extra);
        let s = Test::new()
            .file("j.jsonl", out.read("j.jsonl"))
            .env("LANG", "C.UTF-8")
            .env("TZ", "Europe/Paris")
            .args(args)
            .run();
        s.code(0);
        s.stdout.clone()
    };
    let fr = status(&[]);
    crate::harness::says_all(
        &fr,
        &[
            "Bascule du DPI — exercice\n",
            "commencé le ",
            " CET (UTC+01:00) par ",
            "heures en Europe/Paris",
            "pour une DMIA de 2\u{a0}h\u{a0}: respectée, avec ",
            "terminé (reprise réussie) le ",
            "étapes\u{a0}: 2 faites (2 en tout)",
            "services\u{a0}:\n",
            "#1 faite ",
            "sur 5\u{a0}min",
            "(par reprise ",
        ],
    );
    let english = [
        "started ",
        " by ",
        "recovered",
        "against RTO",
        "finished",
        "steps:",
        " done",
        "in all",
        "services:",
        " of 5m",
        "drill",
    ];
    for word in english {
        assert!(!fr.contains(word), "English {word:?} in\n{fr}");
    }
    // The same journal asked in English.
    let en = status(&["--lang", "en"]);
    for word in english {
        assert!(en.contains(word), "{word:?} not in the English view\n{en}");
    }
    // A language reprise does not speak is refused, clearly, in the
    // drill's language.
    let bad = Test::new()
        .file("j.jsonl", out.read("j.jsonl"))
        .args(["status", "j.jsonl", "--lang", "de"])
        .run();
    bad.code(2);
    assert!(
        bad.stderr.contains("utilisez --lang en ou --lang fr"),
        "{}",
        bad.stderr
    );
}

/// The page's text, tags dropped, one line per block: what a person reads
/// on the printed sheet.
fn page_text(html: &str) -> String {
    let body = &html[html.find("<body>").expect("a body")..];
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    text.lines()
        .map(|l| l.split_ascii_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Words of the English checklist that must not be left on a French one.
const CHECKLIST_ENGLISH: &[&str] = &[
    "Paper checklist",
    "DRILL",
    "Owner",
    "Objectives",
    "Critical path",
    "critical path",
    "margin",
    "How to fill in",
    "Date of the drill",
    "Filled in by",
    "Restored by",
    "Planned back",
    "Back at",
    "Restore point",
    "Start time",
    "End time",
    "Initials",
    "Outcome",
    "done",
    "failed",
    "skipped",
    "n.a.",
    "Reason",
    "After",
    "Estimate",
    "Kind",
    "manual",
    "Planned start",
    "can start at once",
    "Phase 1:",
    "Step 1",
];

/// `plan --format checklist` of a `lang: fr` runbook: the whole sheet in
/// French (cover, services, boxes, instructions), durations « 5 min »;
/// `--lang en` gives the English sheet of the same runbook.
#[test]
fn the_paper_checklist_of_a_french_runbook_is_french() {
    let checklist = |extra: &[&str]| {
        let mut args = vec!["plan", "--format", "checklist", "rb.yaml"];
        args.extend(extra);
        let out = Test::new()
            .file("rb.yaml", RUNBOOK)
            .env("LANG", "C.UTF-8")
            .args(args)
            .run();
        out.code(0);
        out.stdout.clone()
    };
    let html = checklist(&[]);
    assert!(html.contains("<html lang=\"fr\">"), "{html}");
    assert!(
        html.contains("<title>Fiche papier\u{a0}: Bascule du DPI</title>"),
        "{html}"
    );
    let text = page_text(&html);
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("checklist-fr.txt", text.replace('\u{a0}', "~").replace('\u{202f}', "^"));
    });
    crate::harness::says_none(&text, CHECKLIST_ENGLISH);
    let en = page_text(&checklist(&["--lang", "en"]));
    crate::harness::says_all(&en, CHECKLIST_ENGLISH);
}

/// A French sheet filled in by hand (French boxes ticked, times `14h05`)
/// is read back by `transcribe`, and the report tells it.
#[test]
fn a_french_sheet_is_transcribed_and_reported() {
    let t = Test::new()
        .file("rb.yaml", RUNBOOK)
        .file(
            "feuille.yaml",
            "date: 2026-12-06\nsteps:\n  \
             arret-primaire: { start: 14h05, end: 14h09, outcome: fait, initials: JD }\n  \
             2: { start: 14h10, end: 14h30, outcome: sautée, initials: AB, reason: service en soins }\n",
        )
        .env("TZ", "Europe/Paris")
        .env("LANG", "C.UTF-8")
        .args([
            "transcribe",
            "rb.yaml",
            "--from",
            "feuille.yaml",
            "--journal",
            "j.jsonl",
        ]);
    let out = t.run();
    out.code(0);
    let journal = out.journal("j.jsonl");
    let finished: Vec<(&str, &str)> = journal
        .iter()
        .filter(|e| e["event"] == "step_finished")
        .map(|e| (e["step"].as_str().unwrap(), e["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(
        finished,
        [("arret-primaire", "done"), ("verifier-dpi", "skipped")]
    );
    let report = Test::new()
        .file("j.jsonl", out.read("j.jsonl"))
        .env("TZ", "Europe/Paris")
        .env("LANG", "C.UTF-8")
        .args(["report", "j.jsonl"])
        .run();
    report.code(0);
    crate::harness::says_all(
        &report.stdout,
        &[
            "Retranscrit du papier",
            "sautée",
            "service en soins",
            "14:05:00",
        ],
    );
}

/// English words of `compare` that must not be left in a French one.
/// (A runbook change names the runbook's own keys, `estimate 4m → 20m`, as
/// the runbook writes them: not translated.)
const COMPARE_ENGLISH: &[&str] = &[
    "drills of",
    "compared",
    "Drills",
    "started",
    "time to recovery",
    "margin",
    "recovered",
    "Times in",
    "Runbook changes",
    "runbook changed",
    "Steps:",
    "trend",
    "steady",
    "slower",
    "Services:",
    "Data lost",
    "not measured",
    "Where the time went",
    "running",
    "waiting for",
    "Deviations",
    "skipped",
    "Steps deviating",
];

/// Three drills of a `lang: fr` runbook (synthetic journals whose times
/// are known; the third after a change of the runbook): `compare` in
/// French, durations « 8 min 10 s », in text, Markdown and HTML; `--lang
/// en` in English.
#[test]
fn compare_of_french_drills_is_french() {
    use reprise::event::{Event, ExerciseInfo, PlannedService, Source, Stamped};
    use reprise::runbook::{Duration, StepId};
    let t = Test::new();
    std::fs::create_dir_all(t.path().join("journals")).unwrap();
    for k in 1..=3 {
        let mut steps = crate::history::plan_steps();
        steps[1].restores = vec!["copy".into()];
        if k == 3 {
            steps[2].estimate = Some("20m".parse().unwrap());
        }
        let sha = if k == 3 { "b" } else { "a" };
        let mut events = crate::history::drill(k, "Exercice", steps, sha);
        if let Event::RunStarted {
            services, exercise, ..
        } = &mut events[0].event
        {
            *services = vec![PlannedService {
                name: "copy".into(),
                rto: Some(Duration::from_secs(900)),
                rpo: Some(Duration::from_secs(900)),
            }];
            *exercise = Some(Box::new(ExerciseInfo {
                lang: Some("fr".into()),
                ..Default::default()
            }));
        }
        if k == 3 {
            let started = events[0].time;
            let at = events.len() - 1;
            events.insert(
                at,
                Stamped {
                    time: events[at].time,
                    event: Event::RestorePoint {
                        step: StepId::new("b"),
                        point: started - jiff::SignedDuration::from_secs(1200),
                        written: String::new(),
                        by: "reprise".into(),
                        origin: Default::default(),
                        source: Source::Command,
                        host: None,
                    },
                },
            );
        }
        crate::fixtures::write(&t.path().join(format!("journals/drill-{k}.jsonl")), &events);
    }
    let compare = |extra: &[&str]| {
        let mut args = vec!["compare", "journals"];
        args.extend(extra);
        let out = Test::at(t.path())
            .env("TZ", "UTC")
            .env("LANG", "C.UTF-8")
            .args(args)
            .run();
        out.code(0);
        out.stdout.clone()
    };
    let text = compare(&[]);
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("compare-fr.txt", text.replace('\u{a0}', "~").replace('\u{202f}', "^"));
    });
    crate::harness::says_none(&text, COMPARE_ENGLISH);
    let en = compare(&["--lang", "en"]);
    crate::harness::says_all(&en, COMPARE_ENGLISH);
    // Markdown and HTML say the same, in French.
    let md = compare(&["--format", "md"]);
    assert!(
        md.starts_with("# Comparaison d'exercices\u{a0}: Exercice\n"),
        "{md}"
    );
    assert!(md.contains("## Modifications du runbook"), "{md}");
    let html = compare(&["--format", "html"]);
    assert!(html.contains("<html lang=\"fr\">"), "{html}");
    assert!(
        html.contains("Marge sur la DMIA, exercice après exercice"),
        "{html}"
    );
    crate::harness::says_none(
        &html,
        &[
            "Drill comparison",
            "RTO margin",
            "Each step, drill after drill",
            "per drill",
        ],
    );
    // JSON is the same whatever the language.
    assert_eq!(
        compare(&["--format", "json"]),
        compare(&["--format", "json", "--lang", "en"])
    );
}

/// `status --serve`'s own errors (an address that is none, one already
/// taken) are French for a French drill; `--lang en` gives the English
/// words unchanged.
#[test]
fn the_wall_screen_server_s_errors_are_french() {
    let out = Test::new()
        .file("rb.yaml", RUNBOOK)
        .args(["run", "--yes", "rb.yaml", "--journal", "j.jsonl"])
        .run();
    out.code(0);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let taken = taken.local_addr().unwrap().to_string();
    let serve = |addr: &str, extra: &[&str]| {
        let mut args = vec!["status", "j.jsonl", "--serve", addr];
        args.extend(extra);
        let s = Test::new()
            .file("j.jsonl", out.read("j.jsonl"))
            .env("LANG", "C.UTF-8")
            .args(args)
            .run();
        s.code(2);
        s.stderr
    };
    let said = serve("nulle-part", &[]);
    assert!(
        said.contains(
            "erreur\u{a0}: `nulle-part` n'est pas une adresse où écouter\n\
             conseil\u{a0}: écrivez-la sous la forme IP:PORT"
        ),
        "{said}"
    );
    assert!(!said.contains("is not an address"), "{said}");
    let said = serve(&taken, &[]);
    assert!(
        said.contains(&format!(
            "erreur\u{a0}: impossible d'écouter sur {taken}\u{a0}: "
        )),
        "{said}"
    );
    assert!(
        said.contains("conseil\u{a0}: choisissez une autre adresse avec --serve ADRESSE"),
        "{said}"
    );
    assert!(!said.contains("cannot listen"), "{said}");

    let said = serve("nulle-part", &["--lang", "en"]);
    assert!(
        said.contains(
            "error: `nulle-part` is not an address to listen on\n\
             hint: write it as IP:PORT, e.g. 127.0.0.1:8080 or 0.0.0.0:8080\n"
        ),
        "{said}"
    );
    let said = serve(&taken, &["--lang", "en"]);
    assert!(
        said.contains(&format!("error: cannot listen on {taken}: ")),
        "{said}"
    );
    assert!(
        said.contains("hint: choose another address with --serve ADDR\n"),
        "{said}"
    );
}
