//! The one way into a runbook: read the file, parse the YAML, lower it into
//! a [`Runbook`], build its [`Graph`], and add the warnings. Used by `check`,
//! `plan`, `run` and `resume`, so they all accept and refuse the same files.
//!
//! Every error of every stage is collected. Dependency checks (unknown ids,
//! cycles) run even when other errors were found, as long as every phase and
//! step could be read with a unique id; otherwise they would report
//! consequences of the first errors rather than new ones.
//!
//! Warnings (they fail `check` only with `--strict`):
//!
//! - `missing-timeout`: a command step with no `timeout` (its own or from
//!   `defaults`): a hung command would wait forever;
//! - `missing-estimate`: a step with no `estimate` while `objectives.rto` is
//!   set: the plan cannot be compared with the RTO;
//! - `rto-exceeded`: the critical path, by the steps' estimates, takes longer
//!   than `objectives.rto` (computed by [`crate::plan::rto_warning`], so
//!   `check` and `plan` always agree);
//! - `manual-rollback-command`: a manual step whose `rollback` is a command
//!   list. On a manual step a text `rollback` is instructions for the
//!   operator; a list is a program reprise would run after a manual step,
//!   which is almost always a mistake;
//! - `unrestored-service`: a service of `objectives.services` that no
//!   step `restores`: its recovery could not be timed;
//! - `control-characters` and `weak-secret`: see [`hazards`].
//! - `unknown-account`, `unknown-group`: a member or group of `roles:` that
//!   this machine does not know (the drill may run on another one).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostic::{self, Diagnostic};
use crate::graph::Graph;
use crate::parse;
use crate::runbook::{Rollback, Runbook};
use crate::yaml;

pub mod comments;
pub mod hazards;
pub mod mask;

/// Files larger than this are refused before parsing (64 MiB: a
/// 100,000-step runbook is about 11 MB).
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// A runbook's file and text, kept for rendering diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The path as given.
    pub path: PathBuf,
    /// The whole text.
    pub text: String,
    /// The text with every secret variable's value masked, when it holds
    /// one (see [`mask`]): what diagnostics quote.
    pub masked: Option<String>,
}

impl Source {
    /// The text that diagnostics may quote: secrets masked.
    pub fn for_diagnostics(&self) -> &str {
        self.masked.as_deref().unwrap_or(&self.text)
    }
}

/// A runbook that passed every check.
#[derive(Debug)]
pub struct Checked {
    /// Where it came from.
    pub source: Source,
    /// The model.
    pub runbook: Runbook,
    /// Its resolved dependencies.
    pub graph: Graph,
    /// Warnings only.
    pub diagnostics: Vec<Diagnostic>,
}

/// A runbook that cannot be used.
#[derive(Debug)]
pub struct Rejected {
    /// The file's text, when it could be read.
    pub source: Option<Source>,
    /// At least one error, plus any warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// The warnings, rendered rustc-style (empty when there are none).
    pub fn render_warnings(&self, color: bool) -> String {
        diagnostic::render(
            &self.diagnostics,
            &self.source.path.display().to_string(),
            Some(self.source.for_diagnostics()),
            color,
        )
    }
}

impl Rejected {
    /// The diagnostics, rendered rustc-style. `path` is the file as given
    /// (the source, which also knows it, is missing for unreadable files).
    pub fn render(&self, path: &Path, color: bool) -> String {
        diagnostic::render(
            &self.diagnostics,
            &path.display().to_string(),
            self.source.as_ref().map(Source::for_diagnostics),
            color,
        )
    }

    /// Number of errors (the rest are warnings).
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

/// Reads and checks the runbook at `path`.
pub fn load(path: &Path) -> Result<Checked, Rejected> {
    match read(path) {
        Ok(text) => check(Source {
            path: path.to_path_buf(),
            text,
            masked: None,
        }),
        Err(d) => Err(Rejected {
            source: None,
            diagnostics: vec![*d],
        }),
    }
}

/// Reads a file as UTF-8 text, refusing directories, files larger than
/// [`MAX_FILE_BYTES`] (including endless ones such as `/dev/zero`) and
/// invalid UTF-8.
pub fn read(path: &Path) -> Result<String, Box<Diagnostic>> {
    let shown = path.display();
    let unreadable = |e: std::io::Error| {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        Box::new(Diagnostic::error(
            "unreadable",
            format!("cannot read `{shown}`: {reason}"),
            None,
        ))
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.is_dir() {
        return Err(Box::new(
            Diagnostic::error(
                "unreadable",
                format!("`{shown}` is a directory, not a runbook file"),
                None,
            )
            .with_hint("give the path of a `.yaml` file"),
        ));
    }
    let too_large = || {
        Box::new(
            Diagnostic::error(
                "file-too-large",
                format!("`{shown}` is larger than {} MiB", MAX_FILE_BYTES >> 20),
                None,
            )
            .with_hint("a runbook is a YAML text file; check that this is the right file"),
        )
    };
    if meta.is_file() && meta.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let byte = e.as_bytes()[valid.len()];
        Box::new(
            Diagnostic::error(
                "not-utf8",
                format!("`{shown}` is not UTF-8 text: invalid byte 0x{byte:02x} on line {line}"),
                None,
            )
            .with_hint("save the runbook as UTF-8 text"),
        )
    })
}

/// Checks a runbook given as text (`path` is only used for messages).
pub fn check_text(path: &Path, text: &str) -> Result<Checked, Rejected> {
    check(Source {
        path: path.to_path_buf(),
        text: text.to_string(),
        masked: None,
    })
}

fn check(mut source: Source) -> Result<Checked, Rejected> {
    let document = yaml::parse(&source.text);
    let masked = mask::masked(&source.text, document.root.as_deref());
    let text = source.text.as_str();
    let mut diagnostics = document.errors;
    let parsed = document.root.map(|root| parse::parse(text, &root));
    let mut graph = None;
    let mut runbook = None;
    if let Some(parsed) = parsed {
        diagnostics.extend(parsed.errors);
        if let Some(rb) = parsed.runbook {
            if parsed.complete {
                match Graph::build(&rb) {
                    Ok(g) => {
                        diagnostics.extend(crate::plan::rto_warning(&rb, &g));
                        graph = Some(g);
                    }
                    Err(errors) => diagnostics.extend(errors),
                }
            }
            diagnostics.extend(warnings(&rb, &diagnostics));
            diagnostics.extend(comments::cut_commands(&rb, text));
            diagnostics.extend(crate::roles::unknown_names(&rb, &crate::roles::System));
            runbook = Some(rb);
        }
    }
    // In file order; whole-file problems first. The sort is stable, so
    // diagnostics at the same place keep the order they were found in.
    diagnostics.sort_by_key(|d| d.span.map(|s| s.offset));
    if let Some((masked, values)) = masked {
        mask::diagnostics(&mut diagnostics, &values);
        source.masked = Some(masked);
    }
    match (runbook, graph) {
        (Some(runbook), Some(graph)) if !diagnostics.iter().any(Diagnostic::is_error) => {
            Ok(Checked {
                source,
                runbook,
                graph,
                diagnostics,
            })
        }
        _ => Err(Rejected {
            source: Some(source),
            diagnostics,
        }),
    }
}

/// The warnings of a runbook (see the module documentation), except for
/// steps that already have an error: a step whose `timeout` is misspelt
/// should not also be told it has no timeout.
pub fn warnings(runbook: &Runbook, errors: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut at: Vec<usize> = errors
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| d.span.map(|s| s.offset))
        .collect();
    at.sort_unstable();
    let has_error = |span: crate::runbook::Span| {
        let i = at.partition_point(|&o| o < span.offset);
        at.get(i).is_some_and(|&o| o < span.offset + span.len)
    };
    let mut out = Vec::new();
    let rto = runbook.objectives.rto;
    for step in runbook.steps.iter().filter(|s| !has_error(s.span)) {
        let id = &step.id;
        if step.run.is_some() && step.timeout.is_none() {
            out.push(
                Diagnostic::warning(
                    "missing-timeout",
                    format!("command step `{}` has no timeout", id.value),
                    Some(id.span),
                )
                .with_label("no `timeout`")
                .with_hint(
                    "a hung command would wait forever: add `timeout: 10m` to the step, \
                     or a `timeout` under `defaults`",
                ),
            );
        }
        if let Some(rto) = rto
            && step.estimate.is_none()
        {
            out.push(
                    Diagnostic::warning(
                        "missing-estimate",
                        format!(
                            "step `{}` has no estimate, so the plan cannot be compared with the RTO ({})",
                            id.value, rto.value
                        ),
                        Some(id.span),
                    )
                    .with_label("no `estimate`")
                    .with_hint("add `estimate: 15m` (how long the step usually takes)"),
                );
        }
        if let (None, Some(Rollback::Command(command))) = (&step.run, &step.rollback) {
            out.push(
                Diagnostic::warning(
                    "manual-rollback-command",
                    format!(
                        "manual step `{}` has a command as rollback, not instructions",
                        id.value
                    ),
                    Some(command.span),
                )
                .with_label("reprise would run this command")
                .with_hint(
                    "to tell the operator how to undo the step, write the rollback as text \
                     (`rollback: |` and the instructions)",
                ),
            );
        }
    }
    for service in &runbook.objectives.services {
        let restored = runbook
            .steps
            .iter()
            .any(|s| s.restores.iter().any(|r| r.value == service.name.value));
        if !restored {
            out.push(
                Diagnostic::warning(
                    "unrestored-service",
                    format!(
                        "no step restores service `{}`, so its recovery cannot be timed",
                        service.name.value
                    ),
                    Some(service.name.span),
                )
                .with_label("restored by no step")
                .with_hint(format!(
                    "add `restores: [{}]` to the step that brings it back",
                    service.name.value
                )),
            );
        }
    }
    out.extend(hazards::warnings(runbook, has_error));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runbook(text: &str) -> (Runbook, Vec<Diagnostic>) {
        let doc = yaml::parse(text);
        let parsed = parse::parse(text, doc.root.as_ref().unwrap());
        let mut errors = doc.errors;
        errors.extend(parsed.errors);
        (parsed.runbook.unwrap(), errors)
    }

    fn codes(text: &str) -> Vec<(&'static str, u32)> {
        let (rb, errors) = runbook(text);
        warnings(&rb, &errors)
            .iter()
            .map(|d| (d.code, d.span.unwrap().line))
            .collect()
    }

    #[test]
    fn command_steps_without_a_timeout_are_flagged() {
        let text = "version: 1\nname: T\nsteps:\n  - {id: a, title: A, run: x}\n  - {id: b, title: B, run: x, timeout: 1m}\n  - {id: c, title: C}\n";
        assert_eq!(codes(text), vec![("missing-timeout", 4)]);
        let with_default =
            "version: 1\nname: T\ndefaults: {timeout: 5m}\nsteps:\n  - {id: a, title: A, run: x}\n";
        assert_eq!(codes(with_default), vec![]);
    }

    #[test]
    fn estimates_are_wanted_only_with_an_rto() {
        let without = "version: 1\nname: T\nsteps:\n  - {id: a, title: A}\n";
        assert_eq!(codes(without), vec![]);
        let with = "version: 1\nname: T\nobjectives: {rto: 1h}\nsteps:\n  - {id: a, title: A}\n  - {id: b, title: B, estimate: 5m}\n";
        assert_eq!(codes(with), vec![("missing-estimate", 5)]);
    }

    #[test]
    fn a_command_as_rollback_of_a_manual_step_is_flagged() {
        let text = "version: 1\nname: T\nsteps:\n  - id: a\n    title: A\n    rollback: [undo, it]\n  - id: b\n    title: B\n    rollback: Undo it by hand.\n";
        assert_eq!(codes(text), vec![("manual-rollback-command", 6)]);
    }

    #[test]
    fn steps_with_errors_get_no_warnings() {
        let text = "version: 1\nname: T\nsteps:\n  - {id: a, title: A, run: x, timeout: 5}\n  - {id: b, title: B, run: x}\n";
        let (rb, errors) = runbook(text);
        assert_eq!(errors.len(), 1);
        let warnings = warnings(&rb, &errors);
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].message.contains("`b`"),
            "{}",
            warnings[0].message
        );
    }

    #[test]
    fn reading_refuses_what_is_not_a_text_file() {
        let dir = tempfile::tempdir().unwrap();
        let d = read(dir.path()).unwrap_err();
        assert_eq!(d.code, "unreadable");
        assert!(
            d.message.ends_with("is a directory, not a runbook file"),
            "{}",
            d.message
        );
        let d = read(&dir.path().join("nope.yaml")).unwrap_err();
        assert!(d.message.ends_with(": no such file"), "{}", d.message);
        let path = dir.path().join("bin.yaml");
        std::fs::write(&path, b"a: 1\nb: \xff\n").unwrap();
        let d = read(&path).unwrap_err();
        assert_eq!(d.code, "not-utf8");
        assert!(
            d.message.ends_with("invalid byte 0xff on line 2"),
            "{}",
            d.message
        );
        std::fs::write(&path, "name: é\n").unwrap();
        assert_eq!(read(&path).unwrap(), "name: é\n");
    }

    #[test]
    fn unreadable_files_are_rejected_without_a_source() {
        let rejected = load(Path::new("/nonexistent/runbook.yaml")).unwrap_err();
        assert!(rejected.source.is_none());
        assert_eq!(rejected.diagnostics.len(), 1);
        assert!(rejected.diagnostics[0].span.is_none());
    }

    #[test]
    fn diagnostics_come_in_file_order() {
        // The YAML error (line 6) is found before the lowering errors
        // (lines 1 and 4) but is reported after them.
        let text = "version: 2\nname: T\nsteps:\n  - id: A\n    title: A\n    title: B\n";
        let rejected = check_text(Path::new("r.yaml"), text).unwrap_err();
        let lines: Vec<u32> = rejected
            .diagnostics
            .iter()
            .map(|d| d.span.unwrap().line)
            .collect();
        assert_eq!(lines, vec![1, 4, 6]);
        assert_eq!(rejected.source.unwrap().text, text);
    }

    #[test]
    fn rejected_runbooks_render_with_their_path() {
        let rejected = load(Path::new("/nonexistent/r.yaml")).unwrap_err();
        let text = rejected.render(Path::new("/nonexistent/r.yaml"), false);
        assert!(
            text.starts_with(
                "error[unreadable]: cannot read `/nonexistent/r.yaml`: no such file\n"
            ),
            "{text}"
        );
        assert_eq!(rejected.errors(), 1);
        let rejected = check_text(Path::new("x.yaml"), "version: 1\n").unwrap_err();
        let text = rejected.render(Path::new("x.yaml"), false);
        assert!(text.contains(" --> x.yaml:1:1\n"), "{text}");
    }
}
