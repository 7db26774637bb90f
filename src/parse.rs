//! Lowers a [`yaml`](crate::yaml) tree into a [`Runbook`], applying
//! `defaults` and collecting every error rather than stopping at the first.
//!
//! Every error points at the exact value (or key) at fault. Values are read
//! strictly: a number where text is expected is read as its text (`PORT:
//! 5432`), but text is never read as a number, a boolean or a duration
//! unless it is written as one, and only `true`/`false` are booleans (not
//! `yes`/`no`).
//!
//! Work is linear in the size of the tree: ids are checked for duplicates
//! with one hash map, and each mapping's keys are matched against a fixed
//! list of known keys.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, suggest};
use crate::runbook::{
    Command, Duration, Located, Mode, Objectives, OnFailure, Phase, PhaseId, Rollback, Runbook,
    Span, Step, StepId, Var, is_valid_id, is_valid_var_name,
};
use crate::yaml::{Entry, Node, Value, first_line};

mod exercise;
mod hosts;
mod notify;
mod roles;
mod services;
mod steps;
mod values;

pub use exercise::LANGUAGES;

/// The keys each mapping of the format accepts, in the order the format
/// documents them. The JSON Schema and the documentation must list the same.
pub mod keys;

/// The id of the phase made up for a runbook written with a flat `steps:`
/// list.
pub const IMPLICIT_PHASE: &str = "main";

/// The runbook format versions this build reads.
pub const SUPPORTED_VERSIONS: &[u32] = &[1];

/// What lowering produced.
#[derive(Debug)]
pub struct Parsed {
    /// The runbook, as far as it could be read; `None` only when the top
    /// level is not a mapping.
    pub runbook: Option<Runbook>,
    /// Every error found.
    pub errors: Vec<Diagnostic>,
    /// True when every phase and step made it into the runbook with a unique
    /// id, so that dependency checks on it are meaningful even if other
    /// errors were found.
    pub complete: bool,
}

/// Lowers the document rooted at `root` (read from `text`) into a runbook.
pub fn parse(text: &str, root: &Node) -> Parsed {
    let mut lower = Lower {
        text,
        errors: Vec::new(),
        ids: HashMap::new(),
        complete: true,
        hosts: Vec::new(),
        roles: Vec::new(),
        services: Vec::new(),
    };
    let runbook = lower.runbook(root);
    Parsed {
        runbook,
        errors: lower.errors,
        complete: lower.complete,
    }
}

/// Values from `defaults`, applied to every step that does not set them.
#[derive(Default)]
struct Defaults {
    timeout: Option<Located<Duration>>,
    retries: Option<u32>,
    retry_delay: Option<Duration>,
    on_failure: Option<OnFailure>,
    role: Option<String>,
    host: Option<Vec<Located<String>>>,
    jobs: Option<u32>,
}

/// The entries of one mapping, matched against its known keys.
struct Fields<'n> {
    known: &'static [&'static str],
    found: Vec<Option<&'n Entry>>,
    /// The mapping itself, for errors about a missing key.
    span: Span,
}

impl<'n> Fields<'n> {
    fn get(&self, key: &str) -> Option<&'n Entry> {
        let i = self.known.iter().position(|k| *k == key);
        debug_assert!(i.is_some(), "`{key}` is not a known key");
        i.and_then(|i| self.found[i])
    }

    fn value(&self, key: &str) -> Option<&'n Node> {
        self.get(key).map(|e| &*e.value)
    }
}

struct Lower<'t> {
    text: &'t str,
    errors: Vec<Diagnostic>,
    /// Every phase and step id seen so far → line of its first use.
    ids: HashMap<String, u32>,
    complete: bool,
    /// The `hosts:` table, read before the steps that name its hosts.
    hosts: Vec<crate::hosts::Host>,
    /// The `roles:` table, read before the steps that name its roles.
    roles: Vec<crate::roles::Role>,
    /// The names of `objectives.services`, read before the steps that
    /// restore them.
    services: Vec<String>,
}

impl Lower<'_> {
    fn runbook(&mut self, root: &Node) -> Option<Runbook> {
        let top = self.fields(
            root,
            keys::TOP,
            "a mapping of keys, starting with `version: 1`",
            "at the top level",
        )?;
        let version = match top.value("version") {
            None => {
                self.missing(&top, "version", "the runbook");
                1
            }
            Some(node) => self.version(node),
        };
        let name = self
            .required_text(&top, "name", "the runbook")
            .unwrap_or_default();
        let description = self.optional_text(&top, "description");
        let owner = self.optional_text(&top, "owner");
        let mut exercise = crate::runbook::Exercise {
            scenario: self.optional_text(&top, "scenario"),
            scope: self.optional_text(&top, "scope"),
            lang: top.value("lang").and_then(|node| self.lang(node)),
            criteria: Vec::new(),
        };
        let contacts = self.optional_text(&top, "contacts");
        let notify = match top.value("notify") {
            Some(node) => self.notify(node),
            None => Vec::new(),
        };
        let objectives = match top.value("objectives") {
            Some(node) => self.objectives(node, &mut exercise.criteria),
            None => Objectives::default(),
        };
        let vars = match top.value("vars") {
            Some(node) => self.vars(node),
            None => Vec::new(),
        };
        if let Some(node) = top.value("hosts") {
            self.hosts = self.hosts(node);
        }
        if let Some(node) = top.value("roles") {
            self.roles = self.roles(node);
        }
        let defaults = match top.value("defaults") {
            Some(node) => self.defaults(node),
            None => Defaults::default(),
        };
        let mut phases = Vec::new();
        let mut steps = Vec::new();
        match (top.get("phases"), top.get("steps")) {
            (Some(_), Some(second)) => {
                self.error(
                    Diagnostic::error(
                        "phases-and-steps",
                        "a runbook has either `phases` or `steps`, not both",
                        Some(second.key_span),
                    )
                    .with_label("second list of steps")
                    .with_hint("move these steps into a phase, or drop `phases`"),
                );
                self.complete = false;
            }
            (None, None) => {
                let span = self.one_line(top.span);
                self.error(
                    Diagnostic::error(
                        "missing-key",
                        "the runbook has no `phases` or `steps`",
                        Some(span),
                    )
                    .with_label("`phases` or `steps` missing here")
                    .with_hint("list the steps under `steps:`, or group them under `phases:`"),
                );
            }
            (Some(entry), None) => self.phases(&entry.value, &defaults, &mut phases, &mut steps),
            (None, Some(entry)) => {
                let range = self.steps(&entry.value, 0, &defaults, &mut steps);
                if range.is_empty() && entry.value.sequence().is_some_and(<[_]>::is_empty) {
                    self.error(
                        Diagnostic::error(
                            "empty-phase",
                            "the runbook has no steps",
                            Some(entry.value.span),
                        )
                        .with_label("empty list")
                        .with_hint("add at least one step"),
                    );
                }
                if let Some(&line) = self.ids.get(IMPLICIT_PHASE) {
                    let span = entry.key_span;
                    self.error(
                        Diagnostic::error(
                            "duplicate-id",
                            format!(
                                "id `{IMPLICIT_PHASE}` (line {line}) is reserved for the implicit phase of a flat `steps` list"
                            ),
                            Some(span),
                        )
                        .with_label("this list is phase `main`")
                        .with_hint(format!("rename the step `{IMPLICIT_PHASE}`, or group the steps under `phases:`")),
                    );
                    self.complete = false;
                }
                phases.push(Phase {
                    id: Located::new(PhaseId::new(IMPLICIT_PHASE), entry.key_span),
                    title: name.clone(),
                    needs: None,
                    steps: range,
                    implicit: true,
                });
            }
        }
        Some(Runbook {
            version,
            name,
            description,
            owner,
            contacts,
            notify,
            objectives,
            vars,
            phases,
            steps,
            hosts: std::mem::take(&mut self.hosts),
            exercise,
            roles: std::mem::take(&mut self.roles),
            jobs: defaults.jobs,
        })
    }

    fn version(&mut self, node: &Node) -> u32 {
        match node.scalar().filter(|_| !node.is_null()) {
            Some(s) if s.text.trim() == "1" => 1,
            Some(s) => {
                self.error(
                    Diagnostic::error(
                        "unsupported-version",
                        format!("unsupported runbook format version `{}`", s.text),
                        Some(node.span),
                    )
                    .with_label("unsupported version")
                    .with_hint(format!(
                        "this reprise reads format version {}: write `version: 1`",
                        SUPPORTED_VERSIONS
                            .iter()
                            .map(u32::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                );
                1
            }
            None => {
                self.wrong_type(node, "a version number (`1`)");
                1
            }
        }
    }

    fn objectives(&mut self, node: &Node, criteria: &mut Vec<String>) -> Objectives {
        let Some(fields) = self.fields(
            node,
            keys::OBJECTIVES,
            "a mapping with `rto` and `rpo`",
            "in `objectives`",
        ) else {
            return Objectives::default();
        };
        if let Some(node) = fields.value("criteria") {
            *criteria = self.criteria(node);
        }
        let services = match fields.value("services") {
            Some(node) => self.services(node),
            None => Vec::new(),
        };
        self.services = services.iter().map(|s| s.name.value.clone()).collect();
        Objectives {
            rto: self.optional_duration(&fields, "rto"),
            rpo: self.optional_duration(&fields, "rpo"),
            services,
        }
    }

    fn vars(&mut self, node: &Node) -> Vec<Var> {
        let Some(entries) = node.mapping() else {
            self.wrong_type(node, "a mapping of variable names to values");
            return Vec::new();
        };
        let mut vars = Vec::with_capacity(entries.len());
        for entry in entries {
            if !is_valid_var_name(&entry.key) {
                let fixed = entry.key.to_ascii_uppercase().replace(['-', '.', ' '], "_");
                let mut d = Diagnostic::error(
                    "invalid-var-name",
                    format!("`{}` is not a valid variable name", entry.key),
                    Some(entry.key_span),
                )
                .with_label("invalid name");
                d = d.with_hint(if is_valid_var_name(&fixed) {
                    format!("variable names use `A`-`Z`, `0`-`9` and `_`, not starting with a digit: try `{fixed}`")
                } else {
                    "variable names use `A`-`Z`, `0`-`9` and `_`, not starting with a digit".to_string()
                });
                self.error(d);
            }
            let mut var = Var {
                name: Located::new(entry.key.clone(), entry.key_span),
                value: None,
                secret: false,
                required: false,
                prompt: None,
            };
            let value = &entry.value;
            if value.is_null() {
                // `NAME:` alone declares a variable without a value.
            } else if value.scalar().is_some() {
                var.value = self.text(value);
            } else if value.mapping().is_some() {
                if let Some(fields) = self.fields(
                    value,
                    keys::VAR,
                    "a variable",
                    &format!("in variable `{}`", entry.key),
                ) {
                    var.value = match fields.value("value") {
                        Some(n) if n.is_null() => None,
                        Some(n) => self.text(n),
                        None => None,
                    };
                    var.secret = self.optional_bool(&fields, "secret").unwrap_or(false);
                    var.required = self.optional_bool(&fields, "required").unwrap_or(false);
                    var.prompt = self.optional_text(&fields, "prompt");
                }
            } else {
                self.wrong_type(value, "a value or a mapping");
                if let Some(d) = self.errors.last_mut() {
                    d.hint = Some(
                        "write `NAME: value`, or `NAME: {value: ..., secret: true, required: true, prompt: ...}`"
                            .to_string(),
                    );
                }
            }
            vars.push(var);
        }
        vars
    }

    fn defaults(&mut self, node: &Node) -> Defaults {
        let Some(fields) = self.fields(
            node,
            keys::DEFAULTS,
            "a mapping of default step values",
            "in `defaults`",
        ) else {
            return Defaults::default();
        };
        let timeout = self.optional_duration(&fields, "timeout");
        if let Some(t) = timeout {
            self.positive_timeout(t);
        }
        Defaults {
            timeout,
            retries: fields.value("retries").and_then(|n| self.count(n)),
            retry_delay: fields
                .value("retry_delay")
                .and_then(|n| self.duration(n))
                .map(|d| d.value),
            on_failure: fields.value("on_failure").and_then(|n| self.on_failure(n)),
            role: fields.value("role").and_then(|n| self.role_ref(n)),
            host: fields.value("host").map(|n| self.host_refs(n)),
            jobs: fields.value("jobs").and_then(|n| {
                let m = self.count(n)?;
                if m == 0 {
                    self.error(
                        Diagnostic::error(
                            "invalid-value",
                            "`jobs: 0` would never start a command",
                            Some(n.span),
                        )
                        .with_label("zero")
                        .with_hint(format!(
                            "write at least 1, or remove the key for the default ({})",
                            crate::runbook::DEFAULT_JOBS
                        )),
                    );
                    return None;
                }
                Some(m)
            }),
        }
    }
}

/// The closest valid id to `text` (lowercased, other characters as `-`).
fn fix_id(text: &str) -> String {
    let s: String = text
        .trim()
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '_' | '-') => c,
            _ => '-',
        })
        .collect();
    s.trim_start_matches(['-', '_']).to_string()
}

fn list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn list_of<T>(choices: &[(&str, T)]) -> String {
    let words: Vec<&str> = choices.iter().map(|(w, _)| *w).collect();
    list(&words)
}

#[cfg(test)]
mod tests;
