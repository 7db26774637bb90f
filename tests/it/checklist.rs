//! `reprise plan --format checklist`: the paper checklist, as HTML
//! (snapshot), and as printed by headless Chromium on A4 (page text, no
//! step cut across a page, black and white only).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::Test;
use crate::report::{CHROMIUM, chromium};

/// Two phases, three roles, markup and a control character in runbook
/// text, a step for incidents only, dependencies within and across phases.
const RUNBOOK: &str = "\
version: 1
name: Storage <failover> & \"spare\"
owner: Infrastructure
contacts: |
  Facilities on-call: 01 23 45 67 89
  Storage vendor: contract 4711, +33 1 98 76 54 32
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
        instructions: |
          Call the <b>bridge</b>.
          Write the time in the log.
      - id: health
        title: Check the array
        role: storage
        run: \"storage-cli health --bell \\x07\"
        estimate: 2m
  - id: failover
    title: Fail over to the spare array
    steps:
      - id: stop-apps
        title: Stop the applications
        role: applications
        needs: [declare]
        run: [systemctl, stop, intranet]
        confirm: true
        estimate: 20m
      - id: switch
        title: Switch the volumes
        role: storage
        needs: [stop-apps, health]
        run: storage-cli failover
        estimate: 45m
        critical: true
      - id: tell-regulator
        title: Tell the regulator
        role: direction
        only: incident
        estimate: 30m
";

fn checklist(args: &[&str]) -> crate::harness::Output {
    Test::new()
        .file("failover.yaml", RUNBOOK)
        .args(
            ["plan", "--format", "checklist"]
                .iter()
                .chain(args)
                .chain(&["failover.yaml"]),
        )
        .run()
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn checklist_by_phase_matches_its_snapshot() {
    let out = checklist(&[]);
    out.code(0);
    let html = &out.stdout;
    // What the snapshot shows, said in words a reviewer can check.
    assert!(html.contains("Storage &lt;failover&gt; &amp; &quot;spare&quot;"));
    assert!(html.contains("Call the &lt;b&gt;bridge&lt;/b&gt;."));
    assert!(!html.contains("<b>bridge"), "runbook markup is escaped");
    assert!(!html.contains('\u{7}'), "control characters are escaped");
    assert!(html.contains("health --bell \\u{7}"));
    assert!(html.contains("Facilities on-call: 01 23 45 67 89"));
    assert!(!html.contains("<script"), "no script");
    // Numbers are runbook positions: `switch` (4th) comes after 3 and 2.
    assert!(html.contains("<b>After</b> 3, 2"), "{html}");
    assert!(html.contains("not applicable in drill mode (incident only)"));
    snapshot("checklist-phases.html", html);
}

#[test]
fn checklist_packets_per_role_name_other_teams() {
    let out = checklist(&[
        "--role",
        "storage",
        "--role",
        "direction",
        "--mode",
        "incident",
    ]);
    out.code(0);
    let html = &out.stdout;
    assert_eq!(html.matches("<section class=\"packet\">").count(), 2);
    let storage = html.find("Packet for storage").unwrap();
    let direction = html.find("Packet for direction").unwrap();
    assert!(storage < direction, "packets in the order given");
    // The storage packet holds steps 2 and 4, not 3 (applications).
    let packet = &html[storage..direction];
    assert!(packet.contains("data-step=\"2\"") && packet.contains("data-step=\"4\""));
    assert!(!packet.contains("data-step=\"3\"") && !packet.contains("data-step=\"1\""));
    assert!(
        packet.contains("<b>After</b> 3 (applications), 2"),
        "{packet}"
    );
    // In incident mode the regulator step applies and has boxes.
    let direction = &html[direction..];
    assert!(direction.contains("data-step=\"5\""));
    assert!(direction.contains("<td class=\"label\" rowspan=\"2\">Step 5</td>"));
    snapshot("checklist-roles.html", html);
}

#[test]
fn an_unknown_role_is_refused_with_the_roles_there_are() {
    let out = checklist(&["--role", "storag"]);
    out.code(2);
    assert!(
        out.stderr.contains("no step has the role `storag`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `storage`?"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("`applications`, `direction`, `storage`")
    );
    assert!(out.stdout.is_empty());

    let out = Test::new()
        .file("failover.yaml", RUNBOOK)
        .args(["plan", "--role", "storage", "failover.yaml"])
        .run();
    out.code(2);
    assert!(
        out.stderr
            .contains("`--role` only applies to `--format checklist`")
    );
}

#[test]
fn checklist_is_written_to_a_file_with_o() {
    // The folder lives as long as `t`.
    let t = Test::new().file("failover.yaml", RUNBOOK).args([
        "plan",
        "--format",
        "checklist",
        "-o",
        "sheets.html",
        "failover.yaml",
    ]);
    let out = t.run();
    out.code(0);
    assert!(out.stdout.is_empty());
    assert!(out.read("sheets.html").contains("Checklist: Storage"));
}

// ---------------------------------------------------------------------------
// Printed by headless Chromium

/// Runs a poppler tool, failing the test with its stderr.
fn poppler(tool: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} (Debian package poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Whether Chromium and poppler-utils are here to print and read a PDF
/// (on CI they must be: `.ci/run` installs them).
pub fn can_print() -> bool {
    if !Path::new(CHROMIUM).exists() || Command::new("pdftotext").arg("-v").output().is_err() {
        if std::env::var_os("CI").is_some() {
            panic!("chromium or poppler-utils missing on CI: `.ci/run` installs them");
        }
        eprintln!("skipped: chromium or pdftotext not found");
        return false;
    }
    true
}

/// The text of one page of `pdf`, laid out.
pub fn page_text(pdf: &str, page: usize) -> String {
    let p = page.to_string();
    String::from_utf8(poppler(
        "pdftotext",
        &["-f", &p, "-l", &p, "-layout", pdf, "-"],
    ))
    .unwrap()
}

/// Prints `html` to PDF as a browser would on A4, without the browser's
/// own header and footer.
pub fn print_to_pdf(html: &Path) -> PathBuf {
    let pdf = html.with_extension("pdf");
    let out = chromium(
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".to_string(),
        ],
        &format!("file://{}", html.display()),
    );
    assert!(
        out.status.success() && pdf.exists(),
        "chromium: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    pdf
}

fn page_count(pdf: &str) -> usize {
    let info = String::from_utf8(poppler("pdfinfo", &[pdf])).unwrap();
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .expect("pdfinfo names the pages");
    assert!(info.contains("(A4)"), "printed on A4: {info}");
    pages.trim().parse().unwrap()
}

/// The steps whose boxes were printed, with their ids, read from the HTML
/// independently of the PDF.
fn printed_steps(html: &str) -> Vec<(u32, String)> {
    let re = regex::Regex::new(
        r#"<div class="step[^"]*" data-step="(\d+)">\n<h3><span class="num">\d+</span>.*?<span class="id">([a-z0-9_-]+)</span>"#,
    )
    .unwrap();
    re.captures_iter(html)
        .map(|c| (c[1].parse().unwrap(), c[2].to_string()))
        .collect()
}

/// Renders `runbook` as a checklist, prints it, and checks every page.
fn check_print(name: &str, runbook: &Path, extra: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join(format!("{name}.html"));
    let out = Test::at(dir.path())
        .args([
            "plan",
            "--format",
            "checklist",
            "-o",
            html.to_str().unwrap(),
        ])
        .args(extra)
        .args([runbook.to_str().unwrap()])
        .run();
    assert_eq!(out.code, 0, "{name}: reprise plan failed\n{}", out.stderr);
    let text = std::fs::read_to_string(&html).unwrap();
    let steps = printed_steps(&text);
    assert!(
        steps.len() >= 5,
        "{name}: steps found in the HTML: {steps:?}"
    );
    let pdf = print_to_pdf(&html);
    let pdf = pdf.to_str().unwrap();
    let pages = page_count(pdf);
    assert!(pages >= 3, "{name}: a cover and sections: {pages} pages");

    let label = regex::Regex::new(r"Step\s+(\d+)\b").unwrap();
    let mut seen = Vec::new();
    for page in 1..=pages {
        let p = page.to_string();
        let text = String::from_utf8(poppler(
            "pdftotext",
            &["-f", &p, "-l", &p, "-layout", pdf, "-"],
        ))
        .unwrap();
        if page == 1 {
            assert!(text.contains("Critical path"), "{name}: the cover\n{text}");
            assert!(text.contains("runbook SHA-256"), "{name}: the version");
            continue;
        }
        let labels: Vec<u32> = label
            .captures_iter(&text)
            .map(|c| c[1].parse().unwrap())
            .collect();
        // Every record box on this page is whole: its outcome and reason
        // rows are here too, and so is the heading of its step.
        assert_eq!(
            text.matches("Outcome").count(),
            labels.len(),
            "{name}: page {page}: a step's boxes are cut\n{text}"
        );
        assert_eq!(
            text.matches("Reason (anything not done").count(),
            labels.len(),
            "{name}: page {page}: a step's boxes are cut\n{text}"
        );
        for n in &labels {
            let (_, id) = steps
                .iter()
                .find(|(m, _)| m == n)
                .unwrap_or_else(|| panic!("{name}: page {page}: step {n} is not in the HTML"));
            // The id as a whole word (ids may be prefixes of others).
            let heading = regex::Regex::new(&format!(
                r"(^|[^a-z0-9_-]){}([^a-z0-9_-]|$)",
                regex::escape(id)
            ))
            .unwrap();
            assert!(
                heading.is_match(&text),
                "{name}: page {page}: step {n} ({id}) has its boxes here but not its heading\n{text}"
            );
            seen.push(*n);
        }
    }
    seen.sort_unstable();
    let mut expected: Vec<u32> = steps.iter().map(|(n, _)| *n).collect();
    expected.sort_unstable();
    assert_eq!(seen, expected, "{name}: every step printed once");

    // PNG pages for a person to look at (target/checklist-NAME-N.png), and
    // the same pages as raw pixels: black, white and greys only.
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target");
    let prefix = target.join(format!("checklist-{name}"));
    poppler(
        "pdftoppm",
        &["-r", "40", "-png", pdf, prefix.to_str().unwrap()],
    );
    let pngs = std::fs::read_dir(&target)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let f = e.file_name().to_string_lossy().into_owned();
            f.starts_with(&format!("checklist-{name}-")) && f.ends_with(".png")
        })
        .count();
    assert_eq!(pngs, pages, "{name}: one PNG per page");
    let raw = dir.path().join("raw");
    poppler("pdftoppm", &["-r", "40", pdf, raw.to_str().unwrap()]);
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ppm") {
            assert_grey(&path);
        }
    }
}

/// Fails unless every pixel of a binary PPM (P6) is a shade of grey.
fn assert_grey(ppm: &Path) {
    let bytes = std::fs::read(ppm).unwrap();
    // Header: "P6\n<w> <h>\n<max>\n", then RGB triples.
    let mut fields = 0;
    let mut at = 0;
    let mut in_field = false;
    while fields < 4 {
        let b = bytes[at];
        if b.is_ascii_whitespace() {
            if in_field {
                fields += 1;
                in_field = false;
            }
        } else {
            in_field = true;
        }
        at += 1;
    }
    assert!(bytes.starts_with(b"P6"), "{}: not a P6 PPM", ppm.display());
    let coloured = bytes[at..]
        .chunks_exact(3)
        .filter(|p| {
            let (lo, hi) = (p.iter().min().unwrap(), p.iter().max().unwrap());
            hi - lo > 24
        })
        .count();
    assert_eq!(
        coloured,
        0,
        "{}: {coloured} coloured pixels: the checklist must read in black and white",
        ppm.display()
    );
}

#[test]
fn checklist_prints_on_a4_without_cutting_a_step() {
    if !Path::new(CHROMIUM).exists() || Command::new("pdftotext").arg("-v").output().is_err() {
        if std::env::var_os("CI").is_some() {
            panic!("chromium or poppler-utils missing on CI: `.ci/run` installs them");
        }
        eprintln!("skipped: chromium or pdftotext not found");
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    check_print(
        "ransomware",
        &root.join("runbooks/ransomware.yaml"),
        &["--mode", "incident"],
    );
    let roles = root.join("runbooks/postgres-failover.yaml");
    check_print(
        "postgres-roles",
        &roles,
        &["--role", "on-call DBA", "--role", "incident commander"],
    );
}
