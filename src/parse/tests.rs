use super::*;
use crate::runbook::StepKind;

fn lower(text: &str) -> Parsed {
    let doc = crate::yaml::parse(text);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    parse(text, doc.root.as_ref().unwrap())
}

fn ok(text: &str) -> Runbook {
    let parsed = lower(text);
    assert!(parsed.errors.is_empty(), "{:#?}", parsed.errors);
    assert!(parsed.complete);
    parsed.runbook.unwrap()
}

/// Codes and `line:column` of every error, in file order.
fn errors(text: &str) -> Vec<(String, &'static str)> {
    let mut errors = lower(text).errors;
    errors.sort_by_key(|d| d.span.map(|s| s.offset));
    errors
        .iter()
        .map(|d| {
            let s = d.span.unwrap();
            (format!("{}:{}", s.line, s.column), d.code)
        })
        .collect()
}

const FULL: &str = "\
version: 1
name: Full
description: All keys
owner: Ops
objectives: {rto: 4h, rpo: 15m}
vars:
  PLAIN: value
  PORT: 5432
  EMPTY:
  TOKEN: {secret: true, required: true, prompt: Token}
defaults:
  timeout: 15m
  retries: 2
  retry_delay: 30s
  on_failure: continue
  role: ops
phases:
  - id: first
    title: First
    steps:
      - id: manual
        title: By hand
        instructions: Do it
        rollback: Undo it by hand
        estimate: 10m
      - id: cmd
        title: Command
        needs: [manual]
        run: [systemctl, stop, app]
        confirm: true
        timeout: 2m
        retries: 0
        on_failure: rollback
        rollback: systemctl start app
        critical: true
        env: {MODE: fast, http_proxy: x}
        workdir: scripts
        tags: [db, san]
        only: drill
        idempotent: true
        role: dba
  - id: second
    title: Second
    needs: []
    steps:
      - id: shell
        title: Shell
        run: echo hi
";

#[test]
fn every_key_is_read() {
    let rb = ok(FULL);
    assert_eq!(rb.name, "Full");
    assert_eq!(rb.description.as_deref(), Some("All keys"));
    assert_eq!(rb.objectives.rto.unwrap().value, Duration(4 * 3600));
    assert_eq!(rb.vars.len(), 4);
    assert_eq!(rb.vars[1].value.as_deref(), Some("5432"));
    assert_eq!(rb.vars[2].value, None);
    assert!(rb.vars[3].secret && rb.vars[3].required);
    assert_eq!(rb.phases.len(), 2);
    assert_eq!(rb.phases[0].steps, 0..2);
    assert_eq!(rb.phases[1].steps, 2..3);
    assert_eq!(rb.phases[0].needs, None);
    assert_eq!(rb.phases[1].needs, Some(vec![]));
    let [manual, cmd, shell] = &rb.steps[..] else {
        panic!("three steps")
    };
    assert_eq!(manual.kind(), StepKind::Manual);
    assert!(
        matches!(&manual.rollback, Some(Rollback::Instructions(t)) if t.value == "Undo it by hand")
    );
    assert_eq!(cmd.kind(), StepKind::Confirm);
    assert_eq!(
        cmd.run.as_ref().unwrap().value,
        Command::Argv(vec!["systemctl".into(), "stop".into(), "app".into()])
    );
    assert!(
        matches!(&cmd.rollback, Some(Rollback::Command(c)) if c.value == Command::Shell("systemctl start app".into()))
    );
    assert_eq!(cmd.needs[0].value, "manual");
    assert_eq!(
        cmd.env,
        vec![
            ("MODE".into(), "fast".into()),
            ("http_proxy".into(), "x".into())
        ]
    );
    assert_eq!(cmd.workdir, Some(PathBuf::from("scripts")));
    assert_eq!(cmd.tags, vec!["db", "san"]);
    assert_eq!(cmd.only, Some(Mode::Drill));
    assert!(cmd.idempotent && cmd.critical);
    assert_eq!(shell.kind(), StepKind::Command);
    assert_eq!(shell.phase, 1);
    // Spans point at the values.
    assert_eq!((cmd.id.span.line, cmd.id.span.column), (26, 13));
}

#[test]
fn defaults_fill_what_steps_leave_out() {
    let rb = ok(FULL);
    let [manual, cmd, shell] = &rb.steps[..] else {
        panic!("three steps")
    };
    // Explicit values win.
    assert_eq!(cmd.timeout.unwrap().value, Duration(120));
    assert_eq!(cmd.retries, 0);
    assert_eq!(cmd.on_failure, OnFailure::Rollback);
    assert_eq!(cmd.role.as_deref(), Some("dba"));
    // Defaults apply, and point at where the default is written.
    assert_eq!(shell.timeout.unwrap().value, Duration(900));
    assert_eq!(shell.timeout.unwrap().span.line, 12);
    assert_eq!(shell.retries, 2);
    assert_eq!(shell.retry_delay, Duration(30));
    assert_eq!(shell.on_failure, OnFailure::Continue);
    assert_eq!(shell.role.as_deref(), Some("ops"));
    // Command-only defaults never reach a manual step.
    assert_eq!(manual.timeout, None);
    assert_eq!(manual.retries, 0);
    assert_eq!(manual.on_failure, OnFailure::Continue);
    assert_eq!(manual.role.as_deref(), Some("ops"));
}

#[test]
fn a_flat_step_list_is_one_implicit_phase() {
    let rb = ok(
        "version: 1\nname: Flat\nsteps:\n  - {id: a, title: A}\n  - {id: b, title: B, run: 'true'}\n",
    );
    assert_eq!(rb.phases.len(), 1);
    let phase = &rb.phases[0];
    assert!(phase.implicit);
    assert_eq!(phase.id.value.as_str(), IMPLICIT_PHASE);
    assert_eq!(phase.steps, 0..2);
    assert_eq!(rb.steps[1].on_failure, OnFailure::Ask);
    assert_eq!(rb.steps[1].timeout, None);
}

#[test]
fn every_error_is_reported_not_only_the_first() {
    let text = "\
version: 3
name: [x]
phases:
  - id: p
    title: P
    steps:
      - id: Bad_Id
        title: T
        neds: [a]
        estimate: 10
      - id: ok
        title: T
        critical: yes
        timeout: 5m
";
    assert_eq!(
        errors(text),
        vec![
            ("1:10".into(), "unsupported-version"),
            ("2:7".into(), "wrong-type"),
            ("7:13".into(), "invalid-id"),
            ("9:9".into(), "unknown-key"),
            ("10:19".into(), "invalid-duration"),
            ("13:19".into(), "wrong-type"),
            ("14:9".into(), "command-only-key"),
        ]
    );
}

#[test]
fn duplicate_ids_name_the_first_line_and_disable_graph_checks() {
    let parsed = lower(
        "version: 1\nname: D\nphases:\n  - id: a\n    title: A\n    steps:\n      - {id: a, title: B}\n",
    );
    assert!(!parsed.complete);
    assert_eq!(parsed.errors.len(), 1);
    assert_eq!(parsed.errors[0].code, "duplicate-id");
    assert!(parsed.errors[0].message.contains("line 4"));
    assert_eq!(parsed.errors[0].span.unwrap().line, 7);
}

#[test]
fn missing_keys_point_at_the_mapping() {
    let parsed = lower("version: 1\nname: M\nsteps:\n  - id: a\n    run: x\n");
    assert_eq!(parsed.errors.len(), 1);
    let d = &parsed.errors[0];
    assert_eq!(d.code, "missing-key");
    assert_eq!(d.message, "this step has no `title`");
    let s = d.span.unwrap();
    assert_eq!((s.line, s.column, s.len), (4, 5, "id: a".len()));
}

#[test]
fn phases_and_steps_are_exclusive_and_one_is_required() {
    let both = errors("version: 1\nname: B\nphases: []\nsteps: []\n");
    assert!(
        both.contains(&("4:1".into(), "phases-and-steps")),
        "{both:?}"
    );
    let neither = errors("version: 1\nname: N\n");
    assert_eq!(neither, vec![("1:1".into(), "missing-key")]);
}

#[test]
fn unknown_keys_suggest_the_closest_known_key() {
    let parsed = lower("version: 1\nname: U\nsteps:\n  - id: a\n    title: A\n    neds: []\n");
    assert_eq!(
        parsed.errors[0].hint.as_deref(),
        Some("did you mean `needs`?")
    );
    let parsed = lower(
        "version: 1\nname: U\nphases:\n  - id: a\n    title: A\n    run: x\n    steps: [{id: b, title: B}]\n",
    );
    assert_eq!(
        parsed.errors[0].hint.as_deref(),
        Some("`run` belongs on a step")
    );
}

#[test]
fn the_key_lists_match_the_model() {
    assert_eq!(keys::STEP.len(), 24);
    // `jobs` is the drill's, not a step's.
    let defaults = keys::DEFAULTS.iter().filter(|k| **k != "jobs");
    for key in keys::COMMAND_ONLY.iter().chain(defaults) {
        assert!(keys::STEP.contains(key), "{key}");
    }
}

/// Thousands of small corruptions of a valid runbook (bytes deleted,
/// duplicated or replaced by YAML punctuation): reading and lowering
/// must never panic, and every rejected variant must say why.
#[test]
fn corrupted_runbooks_never_panic() {
    let base = include_str!("../../tests/valid/all-keys.yaml");
    let punctuation = b"-:[]{}&*!|>'\"#%@` \n\t,?";
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut rejected = 0;
    for _ in 0..3000 {
        let mut bytes = base.as_bytes().to_vec();
        for _ in 0..1 + next() % 3 {
            let at = (next() as usize) % bytes.len();
            match next() % 3 {
                0 => {
                    bytes.remove(at);
                }
                1 => bytes.insert(at, bytes[at]),
                _ => bytes[at] = punctuation[(next() as usize) % punctuation.len()],
            }
        }
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        let doc = crate::yaml::parse(&text);
        let parsed = doc.root.as_ref().map(|root| parse(&text, root));
        let errors = doc.errors.len() + parsed.as_ref().map_or(0, |p| p.errors.len());
        if doc.root.is_none() || parsed.as_ref().is_some_and(|p| p.runbook.is_none()) {
            assert!(errors > 0, "rejected without a reason:\n{text}");
        }
        if errors > 0 {
            rejected += 1;
        }
    }
    assert!(rejected > 100, "only {rejected} corruptions were noticed");
}
