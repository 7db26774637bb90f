//! Headers are broken between words at a terminal's width, never by the
//! terminal mid-word: the run's header, the dry run's, a question's.

use std::time::Duration;

use expectrl::Expect;

use crate::harness::Test;

const NAME: &str = "Restore the laboratory information system from the offsite replica";
const TITLE: &str = "Declare the incident and call the on-call administrator of the laboratory";

fn runbook() -> String {
    format!(
        r#"version: 1
name: {NAME}
objectives:
  rto: 1h
defaults:
  timeout: 1m
steps:
  - id: declare-incident
    title: {TITLE}
    instructions: Say out loud that the recovery drill of the laboratory system starts now.
    estimate: 5m
  - id: restore
    title: Restore
    needs: [declare-incident]
    run: echo restored
    estimate: 1m
"#
    )
}

/// Rows as the terminal shows them: escape codes out, split at line ends.
fn rows(raw: &str) -> Vec<String> {
    let plain = String::from_utf8(console::strip_ansi_codes(raw).as_bytes().to_vec()).unwrap();
    plain
        .split(['\n', '\r'])
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect()
}

/// No row is wider than the terminal, and `texts` are found whole, their
/// words in order, in what was shown.
#[track_caller]
fn fits_with_words_whole(raw: &str, cols: usize, texts: &[&str]) {
    let rows = rows(raw);
    for r in &rows {
        // Wider only with one word too long for any row (a long path),
        // left whole for the terminal to fold.
        assert!(
            console::measure_text_width(r) < cols || r.split_whitespace().count() == 1,
            "a row of {} columns at {cols}: {r:?}\n{}",
            console::measure_text_width(r),
            rows.join("\n")
        );
    }
    let shown = rows
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for t in texts {
        assert!(
            shown.contains(t),
            "{t:?} not shown whole in:\n{}",
            rows.join("\n")
        );
    }
}

#[test]
fn the_dry_runs_header_breaks_between_words() {
    for cols in [80, 40] {
        let t = Test::new()
            .runbook(&runbook())
            .args(["run", "runbook.yaml", "--dry-run"])
            .size(cols, 24);
        let mut p = t.pty();
        let out = p.expect("Estimated total").expect("the dry run's end");
        let raw = String::from_utf8_lossy(out.before()).into_owned();
        let header: String = raw.split("In order").next().unwrap().to_string();
        fits_with_words_whole(
            &header,
            usize::from(cols),
            &[&format!(
                "Dry run of \"{NAME}\": nothing will be executed and nothing asked."
            )],
        );
    }
}

#[test]
fn the_runs_header_and_a_questions_header_break_between_words() {
    for cols in [80u16, 40] {
        let t = Test::new()
            .runbook(&runbook())
            .args([
                "run",
                "runbook.yaml",
                "--journal",
                "j.jsonl",
                "--operator",
                "alice",
            ])
            .size(cols, 24);
        let mut p = t.pty();
        p.set_expect_timeout(Some(Duration::from_secs(60)));
        let before = p
            .expect(expectrl::Regex(r"skip\s+1"))
            .expect("the manual step's question");
        let raw = String::from_utf8_lossy(before.before()).into_owned();
        p.send_line("done 1").unwrap();
        p.expect("time to recovery").expect("the end of the drill");
        fits_with_words_whole(
            &raw,
            usize::from(cols),
            &[
                &format!("drill “{NAME}” started by alice"),
                &format!("#1 declare-incident — {TITLE}"),
                "Say out loud that the recovery drill of the laboratory system starts now.",
            ],
        );
    }
}
