//! What a new user touches first: the shipped runbooks, the committed JSON
//! Schema and the shell completions.

use std::path::Path;

use crate::harness::Test;

/// The project's root folder (the tests run the binary in a temporary one).
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.yaml` file in `runbooks/`, sorted.
fn shipped_runbooks() -> Vec<std::path::PathBuf> {
    let dir = root().join("runbooks");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("runbooks/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_shipped_runbook_passes_check_strict() {
    let files = shipped_runbooks();
    assert!(
        files.len() >= 5,
        "expected the demo and four disaster runbooks in runbooks/, found {files:?}"
    );
    for file in &files {
        let out = Test::new()
            .args(["check", "--strict"])
            .args([file.to_str().expect("UTF-8 path")])
            .run();
        assert_eq!(
            out.code,
            0,
            "{} fails `reprise check --strict`:\n{}{}",
            file.display(),
            out.stdout,
            out.stderr
        );
    }
}

#[test]
fn shipped_runbooks_cover_both_modes_and_the_demo_runs_commands() {
    for file in shipped_runbooks() {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(text.contains("rto:"), "{name} has no RTO");
        if name == "demo.yaml" {
            assert!(
                text.contains("confirm: true"),
                "the demo has no confirmed step"
            );
            assert!(text.contains("retries:"), "the demo has no retried step");
        } else {
            assert!(
                text.contains("only: drill"),
                "{name} has no drill-only step"
            );
            assert!(
                text.contains("only: incident"),
                "{name} has no incident-only step"
            );
            assert!(
                text.contains("secret: true"),
                "{name} has no secret variable"
            );
        }
    }
}

/// The complete runbooks shown in `docs/runbook-format.md`: fenced `yaml`
/// blocks that start with `version:` and hold no `…` placeholder.
fn documented_runbooks() -> Vec<String> {
    let doc = std::fs::read_to_string(root().join("docs/runbook-format.md"))
        .expect("docs/runbook-format.md");
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in doc.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```yaml") => current = Some(String::new()),
            (Some(block), "```") => {
                if block.starts_with("version:") && !block.contains('…') {
                    blocks.push(std::mem::take(block));
                }
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn runbooks_in_the_format_reference_pass_check_strict() {
    let blocks = documented_runbooks();
    assert!(
        blocks.len() >= 2,
        "expected the complete example and the flat-list example in docs/runbook-format.md"
    );
    for block in &blocks {
        let out = Test::new()
            .file("example.yaml", block)
            .args(["check", "--strict", "example.yaml"])
            .run();
        assert_eq!(
            out.code, 0,
            "a runbook in docs/runbook-format.md fails `check --strict`:\n{block}\n{}",
            out.stderr
        );
    }
}

#[test]
fn committed_schema_is_the_output_of_reprise_schema() {
    let out = Test::new().args(["schema"]).run();
    out.code(0);
    let committed = std::fs::read_to_string(root().join("docs/runbook.schema.json")).expect(
        "docs/runbook.schema.json is missing: run `cargo run -- schema > docs/runbook.schema.json`",
    );
    assert!(
        committed == out.stdout,
        "docs/runbook.schema.json is stale: regenerate it with \
         `cargo run -- schema > docs/runbook.schema.json` and commit it"
    );
}

#[test]
fn schema_is_a_draft_2020_12_schema_of_a_closed_object() {
    let out = Test::new().args(["schema"]).run();
    out.code(0);
    let schema: serde_json::Value = serde_json::from_str(&out.stdout).expect("schema is JSON");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(schema["$defs"]["step"]["additionalProperties"], false);
    assert_eq!(schema["required"], serde_json::json!(["version", "name"]));
}

#[test]
fn completions_are_generated_for_each_shell() {
    for (shell, marker) in [
        ("bash", "_reprise()"),
        ("zsh", "#compdef reprise"),
        ("fish", "complete -c reprise"),
    ] {
        let out = Test::new().args(["completions", shell]).run();
        out.code(0);
        assert!(out.stdout.contains(marker), "{shell}: no {marker:?}");
        for command in [
            "check", "plan", "run", "resume", "verify", "status", "report",
        ] {
            assert!(
                out.stdout.contains(command),
                "{shell} completions do not mention `{command}`"
            );
        }
    }
}

#[test]
fn completions_for_an_unknown_shell_is_a_usage_error() {
    let out = Test::new().args(["completions", "tcsh"]).run();
    out.code(2);
    assert!(out.stderr.contains("tcsh"), "{}", out.stderr);
}
