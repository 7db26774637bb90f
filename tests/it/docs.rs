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

/// The value of the demo's secret variable, which must never be written.
const DEMO_SECRET: &str = "not-a-real-passphrase-7f3a";

#[test]
fn demo_drill_recovers_from_its_answers_file_and_never_writes_the_secret() {
    let demo = root().join("runbooks/demo.yaml");
    let answers = root().join("examples/demo-answers.yaml");
    assert!(
        std::fs::read_to_string(&demo)
            .unwrap()
            .contains(DEMO_SECRET),
        "the demo's secret changed: update DEMO_SECRET"
    );
    let test = Test::new();
    // The demo's commands work under $TMPDIR: keep them in this test's folder.
    let tmp = test.path().to_str().expect("UTF-8 path").to_string();
    // Bound, not a temporary: the folder lives as long as `test`.
    let test = test
        .env("TMPDIR", &tmp)
        .args(["run", demo.to_str().unwrap(), "--answers"])
        .args([answers.to_str().unwrap(), "--journal", "drill.jsonl"]);
    let out = test.run();
    out.code(0);

    let journal = out.read("drill.jsonl");
    let events: Vec<serde_json::Value> = journal
        .lines()
        .map(|l| serde_json::from_str(l).expect("journal line is JSON"))
        .collect();
    let last = events.last().expect("journal has events");
    assert_eq!(last["event"], "run_finished");
    assert_eq!(last["result"], "recovered");
    let attempts = |step: &str| {
        events
            .iter()
            .filter(|e| e["event"] == "attempt_finished" && e["step"] == step)
            .count()
    };
    assert_eq!(
        attempts("start-service"),
        2,
        "the warm-up step succeeds on its retry"
    );
    assert_eq!(attempts("restore-database"), 1);
    let notes = events.iter().filter(|e| e["event"] == "note").count();
    assert_eq!(notes, 3, "the answers file records three observations");
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "decision" && e["step"] == "switch-traffic"),
        "the confirmed step was decided"
    );

    // The restore printed the passphrase; it must be masked everywhere.
    let mut written = journal.clone();
    for entry in std::fs::read_dir(out.dir.join("drill.logs")).expect("step logs") {
        written.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    assert!(
        written.contains("restoring with passphrase ***"),
        "{written}"
    );
    assert!(!written.contains(DEMO_SECRET));
    assert!(!out.stdout.contains(DEMO_SECRET) && !out.stderr.contains(DEMO_SECRET));

    let verify = Test::new()
        .args(["verify", out.dir.join("drill.jsonl").to_str().unwrap()])
        .run();
    verify.code(0);
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

/// The subcommands listed by `reprise --help` (but `help` itself).
fn subcommands() -> Vec<String> {
    let out = Test::new().args(["--help"]).run();
    out.code(0);
    out.stdout
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        // A command's line starts with two spaces; wrapped text with more.
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn every_command_help_has_an_example_of_a_shipped_runbook_that_exists() {
    let commands = subcommands();
    for c in [
        "check",
        "plan",
        "run",
        "resume",
        "verify",
        "status",
        "report",
        "schema",
        "completions",
    ] {
        assert!(commands.iter().any(|x| x == c), "{c} not in {commands:?}");
    }
    let mut helps = vec![("reprise".to_string(), vec!["--help".to_string()])];
    helps.extend(
        commands
            .iter()
            .map(|c| (c.clone(), vec![c.clone(), "--help".to_string()])),
    );
    let runbook = regex::Regex::new(r"runbooks/[A-Za-z0-9_.-]+\.yaml").unwrap();
    for (name, args) in helps {
        let out = Test::new().args(&args).run();
        out.code(0);
        assert!(
            out.stdout.contains("Example"),
            "`{}` has no example:\n{}",
            args.join(" "),
            out.stdout
        );
        // An example must work when copied: the runbooks it names exist.
        for m in runbook.find_iter(&out.stdout) {
            assert!(
                root().join(m.as_str()).exists(),
                "the help of {name} names {}, which is not shipped",
                m.as_str()
            );
        }
    }
}

/// Every source file, relative to `src/` (`exec/driver.rs`, `main.rs`, …).
fn source_files(dir: &Path, prefix: &str, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            source_files(&path, &format!("{prefix}{name}/"), out);
        } else if name.ends_with(".rs") {
            out.push(format!("{prefix}{name}"));
        }
    }
}

#[test]
fn the_architecture_module_table_names_every_source_file() {
    let doc = std::fs::read_to_string(root().join("docs/architecture.md")).unwrap();
    let mut files = Vec::new();
    source_files(&root().join("src"), "", &mut files);
    files.sort();
    let missing: Vec<&String> = files
        .iter()
        .filter(|f| *f != "lib.rs")
        .filter(|f| {
            // `exec/driver.rs` is named as such; a top-level `timeline.rs`
            // or `exec/mod.rs` by its module, `timeline` or `exec`.
            let module = f.trim_end_matches(".rs").trim_end_matches("/mod");
            let named = doc.contains(&format!("`{f}`"))
                || doc.contains(&format!("`{module}`"))
                || doc.contains(&format!("`{module}/"));
            !named
        })
        .collect();
    assert!(
        missing.is_empty(),
        "docs/architecture.md does not name {missing:?}: add them to its module table"
    );
}

/// The layer of each top-level module, from the numbered list under
/// "## Layers" in docs/architecture.md (1 is the bottom).
fn layers(doc: &str) -> std::collections::BTreeMap<String, usize> {
    let section = doc
        .split("\n## Layers\n")
        .nth(1)
        .expect("docs/architecture.md has a \"## Layers\" section");
    let section = section.split("\n## ").next().unwrap();
    let mut layers = std::collections::BTreeMap::new();
    for line in section.lines() {
        let Some((number, rest)) = line.split_once(". ") else {
            continue;
        };
        let Ok(number) = number.parse::<usize>() else {
            continue;
        };
        let names = rest.split(" — ").next().unwrap();
        for name in names.split('`').skip(1).step_by(2) {
            let before = layers.insert(name.to_string(), number);
            assert!(before.is_none(), "`{name}` is in two layers");
        }
    }
    layers
}

/// The top-level modules each `crate::` path of `text` names, outside
/// comments and unit tests.
fn crate_paths(text: &str) -> Vec<String> {
    let code = text.split("#[cfg(test)]").next().unwrap();
    let mut out = Vec::new();
    for line in code.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        for part in line.split("crate::").skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

#[test]
fn each_module_uses_only_the_layers_below_its_own() {
    let doc = std::fs::read_to_string(root().join("docs/architecture.md")).unwrap();
    let layers = layers(&doc);
    let mut files = Vec::new();
    source_files(&root().join("src"), "", &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let name = file.rsplit('/').next().unwrap();
        if matches!(file.as_str(), "lib.rs" | "main.rs")
            || name == "tests.rs"
            || file.contains("/tests/")
            || name.ends_with("_tests.rs")
            || file == "exec/engine/random.rs"
        {
            continue;
        }
        let module = file.split('/').next().unwrap().trim_end_matches(".rs");
        let Some(&own) = layers.get(module) else {
            wrong.push(format!("`{module}` is in no layer of docs/architecture.md"));
            continue;
        };
        let text = std::fs::read_to_string(root().join("src").join(file)).unwrap();
        for used in crate_paths(&text) {
            if used == module {
                continue;
            }
            match layers.get(&used) {
                Some(&l) if l < own => {}
                Some(&l) => wrong.push(format!(
                    "src/{file} (layer {own}) uses `{used}` (layer {l}): not below"
                )),
                None => wrong.push(format!("src/{file} uses `{used}`, in no layer")),
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_layer_check_sees_a_use_from_above() {
    let doc = "\n## Layers\n\n1. `runbook` — model.\n2. `exec` — engine.\n";
    let layers = layers(doc);
    assert_eq!(layers["runbook"], 1);
    assert_eq!(layers["exec"], 2);
    let uses = crate_paths(
        "// crate::cli in a comment\nuse crate::exec::Engine;\n#[cfg(test)]\nuse crate::cli;\n",
    );
    assert_eq!(uses, ["exec"], "comments and unit tests left out");
}
