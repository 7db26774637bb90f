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

pub use exercise::LANGUAGES;

/// The keys each mapping of the format accepts, in the order the format
/// documents them. The JSON Schema and the documentation must list the same.
pub mod keys {
    /// Top level of a runbook.
    pub const TOP: &[&str] = &[
        "version",
        "name",
        "description",
        "owner",
        "lang",
        "scenario",
        "scope",
        "contacts",
        "objectives",
        "vars",
        "hosts",
        "roles",
        "notify",
        "defaults",
        "phases",
        "steps",
    ];
    /// `objectives`.
    pub const OBJECTIVES: &[&str] = &["rto", "rpo", "criteria"];
    /// A variable written as a mapping.
    pub const VAR: &[&str] = &["value", "secret", "required", "prompt"];
    /// `defaults`.
    pub const DEFAULTS: &[&str] = &[
        "timeout",
        "retries",
        "retry_delay",
        "on_failure",
        "role",
        "host",
        "jobs",
    ];
    /// A target of the top-level `notify` list.
    pub const NOTIFY: &[&str] = &[
        "name",
        "on",
        "roles",
        "run",
        "after",
        "factor",
        "rto_share",
        "timeout",
        "retries",
    ];
    /// A host of the top-level `hosts` table.
    pub const HOST: &[&str] = &[
        "address",
        "user",
        "port",
        "identity_file",
        "jump",
        "known_hosts",
        "max_parallel",
        "max_sessions",
    ];
    /// A role of the top-level `roles` table.
    pub const ROLE: &[&str] = &["members", "groups"];
    /// A phase.
    pub const PHASE: &[&str] = &["id", "title", "needs", "steps"];
    /// A step.
    pub const STEP: &[&str] = &[
        "id",
        "title",
        "instructions",
        "role",
        "needs",
        "run",
        "confirm",
        "approvals",
        "estimate",
        "timeout",
        "retries",
        "retry_delay",
        "on_failure",
        "rollback",
        "critical",
        "env",
        "workdir",
        "tags",
        "only",
        "idempotent",
        "host",
        "max_parallel",
    ];
    /// Keys that only make sense on a step with `run` (errors on a manual step).
    pub const COMMAND_ONLY: &[&str] = &[
        "timeout",
        "retries",
        "retry_delay",
        "idempotent",
        "host",
        "max_parallel",
    ];
}

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
}

impl Lower<'_> {
    fn error(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    fn wrong_type(&mut self, node: &Node, expected: &str) {
        let span = self.one_line(node.span);
        let mut d = Diagnostic::error(
            "wrong-type",
            format!("expected {expected}, found {}", node.kind()),
            Some(span),
        )
        .with_label(format!("expected {expected}"));
        if node.is_null() {
            d = d.with_hint("write a value after the colon, or remove the key");
        }
        self.error(d);
    }

    fn one_line(&self, span: Span) -> Span {
        first_line(self.text, span)
    }

    /// Matches a mapping's keys against `known`, reporting unknown keys.
    /// `what` is what a wrong type is reported as expected ("a step"),
    /// `place` where an unknown key is ("in step").
    fn fields<'n>(
        &mut self,
        node: &'n Node,
        known: &'static [&'static str],
        what: &str,
        place: &str,
    ) -> Option<Fields<'n>> {
        let Some(entries) = node.mapping() else {
            self.wrong_type(node, what);
            return None;
        };
        let mut found = vec![None; known.len()];
        for entry in entries {
            match known.iter().position(|k| *k == entry.key) {
                Some(i) => found[i] = Some(entry),
                None => self.unknown_key(entry, known, place),
            }
        }
        Some(Fields {
            known,
            found,
            span: node.span,
        })
    }

    fn unknown_key(&mut self, entry: &Entry, known: &'static [&'static str], place: &str) {
        let mut d = Diagnostic::error(
            "unknown-key",
            format!("unknown key `{}` {place}", entry.key),
            Some(entry.key_span),
        )
        .with_label("unknown key");
        let hint = if entry.key == "<<" {
            Some("YAML merge keys are not supported: write the keys out".to_string())
        } else if let Some(k) = suggest(&entry.key, known.iter().copied()) {
            Some(format!("did you mean `{k}`?"))
        } else {
            let other = [keys::STEP, keys::PHASE, keys::TOP]
                .into_iter()
                .find(|list| !std::ptr::eq(*list, known) && list.contains(&entry.key.as_str()));
            match other {
                Some(list) if std::ptr::eq(list, keys::STEP) => {
                    Some(format!("`{}` belongs on a step", entry.key))
                }
                Some(list) if std::ptr::eq(list, keys::PHASE) => {
                    Some(format!("`{}` belongs on a phase", entry.key))
                }
                Some(_) => Some(format!("`{}` belongs at the top level", entry.key)),
                None => Some(format!("known keys here: {}", list(known))),
            }
        };
        if let Some(hint) = hint {
            d = d.with_hint(hint);
        }
        self.error(d);
    }

    fn missing(&mut self, fields: &Fields<'_>, key: &str, what: &str) {
        let span = self.one_line(fields.span);
        self.error(
            Diagnostic::error("missing-key", format!("{what} has no `{key}`"), Some(span))
                .with_label(format!("`{key}` missing here")),
        );
    }

    /// Text: any scalar but null.
    fn text(&mut self, node: &Node) -> Option<String> {
        match &node.value {
            Value::Scalar(s) if !node.is_null() => Some(s.text.clone()),
            _ => {
                self.wrong_type(node, "text");
                None
            }
        }
    }

    fn required_text(&mut self, fields: &Fields<'_>, key: &str, what: &str) -> Option<String> {
        match fields.value(key) {
            Some(node) => self.text(node),
            None => {
                self.missing(fields, key, what);
                None
            }
        }
    }

    fn optional_text(&mut self, fields: &Fields<'_>, key: &str) -> Option<String> {
        fields.value(key).and_then(|node| self.text(node))
    }

    fn boolean(&mut self, node: &Node) -> Option<bool> {
        match &node.value {
            Value::Scalar(s) if s.plain => match s.text.as_str() {
                "true" | "True" | "TRUE" => return Some(true),
                "false" | "False" | "FALSE" => return Some(false),
                _ => {}
            },
            _ => {}
        }
        let span = self.one_line(node.span);
        let mut d = Diagnostic::error(
            "wrong-type",
            format!("expected `true` or `false`, found {}", node.kind()),
            Some(span),
        )
        .with_label("expected `true` or `false`");
        if let Some(s) = node.scalar() {
            let lower = s.text.to_ascii_lowercase();
            let word = match lower.as_str() {
                "yes" | "on" | "y" | "true" => Some("true"),
                "no" | "off" | "n" | "false" => Some("false"),
                _ => None,
            };
            if let Some(word) = word {
                d = d.with_hint(if lower == word {
                    format!("write `{word}` without quotes")
                } else {
                    format!("write `{word}`: reprise reads only `true` and `false` as booleans")
                });
            }
        }
        self.error(d);
        None
    }

    fn optional_bool(&mut self, fields: &Fields<'_>, key: &str) -> Option<bool> {
        fields.value(key).and_then(|n| self.boolean(n))
    }

    fn count(&mut self, node: &Node) -> Option<u32> {
        if let Value::Scalar(s) = &node.value
            && s.plain
            && !s.text.is_empty()
            && s.text.bytes().all(|b| b.is_ascii_digit())
            && let Ok(n) = s.text.parse::<u32>()
        {
            return Some(n);
        }
        let span = self.one_line(node.span);
        let found = match node.scalar() {
            Some(s) if !node.is_null() => format!("`{}`", s.text),
            _ => node.kind().to_string(),
        };
        self.error(
            Diagnostic::error(
                "wrong-type",
                format!("expected a whole number, found {found}"),
                Some(span),
            )
            .with_label("expected a whole number like `2`"),
        );
        None
    }

    fn duration(&mut self, node: &Node) -> Option<Located<Duration>> {
        let Some(s) = node.scalar().filter(|_| !node.is_null()) else {
            self.wrong_type(node, "a duration like `15m`");
            return None;
        };
        match s.text.parse::<Duration>() {
            Ok(d) => Some(Located::new(d, node.span)),
            Err(e) => {
                self.error(
                    Diagnostic::error("invalid-duration", e.to_string(), Some(node.span))
                        .with_label("not a duration")
                        .with_hint("units are `d`, `h`, `m` and `s`, largest first, e.g. `1h30m`"),
                );
                None
            }
        }
    }

    fn optional_duration(&mut self, fields: &Fields<'_>, key: &str) -> Option<Located<Duration>> {
        fields.value(key).and_then(|n| self.duration(n))
    }

    /// A value from a fixed list of words (`on_failure`, `only`).
    fn word<T: Copy>(
        &mut self,
        node: &Node,
        key: &str,
        choices: &[(&'static str, T)],
    ) -> Option<T> {
        let Some(s) = node.scalar().filter(|_| !node.is_null()) else {
            self.wrong_type(node, &format!("one of {}", list_of(choices)));
            return None;
        };
        if let Some((_, v)) = choices.iter().find(|(w, _)| *w == s.text) {
            return Some(*v);
        }
        let mut d = Diagnostic::error(
            "invalid-value",
            format!(
                "`{}` is not a valid `{key}`: expected one of {}",
                s.text,
                list_of(choices)
            ),
            Some(node.span),
        )
        .with_label(format!("unknown `{key}`"));
        if let Some(w) = suggest(&s.text, choices.iter().map(|(w, _)| *w)) {
            d = d.with_hint(format!("did you mean `{w}`?"));
        }
        self.error(d);
        None
    }

    fn on_failure(&mut self, node: &Node) -> Option<OnFailure> {
        self.word(
            node,
            "on_failure",
            &[
                ("ask", OnFailure::Ask),
                ("abort", OnFailure::Abort),
                ("continue", OnFailure::Continue),
                ("rollback", OnFailure::Rollback),
            ],
        )
    }

    /// A list of scalars, as text with their spans.
    fn text_list(&mut self, node: &Node, expected: &str) -> Option<Vec<Located<String>>> {
        let Some(items) = node.sequence() else {
            self.wrong_type(node, expected);
            if let Some(s) = node.scalar().filter(|_| !node.is_null())
                && let Some(e) = self.errors.last_mut()
            {
                e.hint = Some(format!("write a list: `[{}]`", s.text));
            }
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            if let Some(t) = self.text(item) {
                out.push(Located::new(t, item.span));
            }
        }
        Some(out)
    }

    /// An id: text matching the id pattern, unique in the runbook. Returns
    /// the id even when it breaks the pattern (so later checks can use it),
    /// but `None` when it is not text or is a duplicate.
    fn id(&mut self, node: &Node) -> Option<Located<String>> {
        let text = self.text(node)?;
        if !is_valid_id(&text) {
            let mut d = Diagnostic::error(
                "invalid-id",
                format!("`{text}` is not a valid id"),
                Some(node.span),
            )
            .with_label("invalid id");
            let fixed = fix_id(&text);
            d = d.with_hint(if is_valid_id(&fixed) {
                format!(
                    "ids use lowercase letters, digits, `-` and `_`, starting with a letter or digit: try `{fixed}`"
                )
            } else {
                "ids use lowercase letters, digits, `-` and `_`, starting with a letter or digit"
                    .to_string()
            });
            self.error(d);
        }
        match self.ids.get(&text) {
            Some(&line) => {
                self.error(
                    Diagnostic::error(
                        "duplicate-id",
                        format!("duplicate id `{text}` (first used on line {line})"),
                        Some(node.span),
                    )
                    .with_label("used a second time here")
                    .with_hint("ids must be unique among all phases and steps"),
                );
                self.complete = false;
                None
            }
            None => {
                self.ids.insert(text.clone(), node.span.line);
                Some(Located::new(text, node.span))
            }
        }
    }

    fn command(&mut self, node: &Node, what: &str) -> Option<Located<Command>> {
        match &node.value {
            Value::Scalar(s) if !node.is_null() => {
                if s.text.trim().is_empty() {
                    self.error(
                        Diagnostic::error(
                            "empty-command",
                            format!("`{what}` is an empty command"),
                            Some(node.span),
                        )
                        .with_label("empty")
                        .with_hint(format!("write the command, or remove `{what}`")),
                    );
                    return None;
                }
                Some(Located::new(Command::Shell(s.text.clone()), node.span))
            }
            Value::Sequence(items) => {
                if items.is_empty() {
                    self.error(
                        Diagnostic::error(
                            "empty-command",
                            format!("`{what}` is an empty list"),
                            Some(node.span),
                        )
                        .with_label("empty")
                        .with_hint(
                            "write the program and its arguments, like `[systemctl, stop, app]`",
                        ),
                    );
                    return None;
                }
                let mut argv = Vec::with_capacity(items.len());
                let mut ok = true;
                for item in items {
                    match self.text(item) {
                        Some(t) => argv.push(t),
                        None => ok = false,
                    }
                }
                ok.then(|| Located::new(Command::Argv(argv), node.span))
            }
            _ => {
                self.wrong_type(node, "a command");
                if let Some(d) = self.errors.last_mut() {
                    d.hint = Some(
                        "write a string (run with `sh -c`) or a list (a program and its arguments, \
                         run without a shell)"
                            .to_string(),
                    );
                }
                None
            }
        }
    }

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
        Objectives {
            rto: self.optional_duration(&fields, "rto"),
            rpo: self.optional_duration(&fields, "rpo"),
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

    fn positive_timeout(&mut self, t: Located<Duration>) {
        if t.value == Duration::ZERO {
            self.error(
                Diagnostic::error(
                    "invalid-duration",
                    "a timeout of zero would stop the command at once",
                    Some(t.span),
                )
                .with_label("zero")
                .with_hint("give the command time to run, like `timeout: 5m`, or remove the key"),
            );
        }
    }

    fn phases(
        &mut self,
        node: &Node,
        defaults: &Defaults,
        phases: &mut Vec<Phase>,
        steps: &mut Vec<Step>,
    ) {
        let Some(items) = node.sequence() else {
            self.wrong_type(node, "a list of phases");
            return;
        };
        if items.is_empty() {
            self.error(
                Diagnostic::error("empty-phase", "the runbook has no phases", Some(node.span))
                    .with_label("empty list")
                    .with_hint("add at least one phase with steps"),
            );
        }
        for item in items {
            let Some(fields) = self.fields(
                item,
                keys::PHASE,
                "a phase (a mapping with `id`, `title`, `steps`)",
                "in phase",
            ) else {
                self.complete = false;
                continue;
            };
            let id = match fields.value("id") {
                Some(n) => self.id(n),
                None => {
                    self.missing(&fields, "id", "this phase");
                    None
                }
            };
            let title = self
                .required_text(&fields, "title", "this phase")
                .unwrap_or_default();
            let needs = fields
                .value("needs")
                .and_then(|n| self.text_list(n, "a list of phase ids"));
            let index = phases.len();
            let range = match fields.get("steps") {
                None => {
                    self.missing(&fields, "steps", "this phase");
                    steps.len()..steps.len()
                }
                Some(entry) => {
                    let range = self.steps(&entry.value, index, defaults, steps);
                    if entry.value.sequence().is_some_and(<[_]>::is_empty) {
                        let name = id.as_ref().map(|i| i.value.as_str()).unwrap_or("");
                        self.error(
                            Diagnostic::error(
                                "empty-phase",
                                format!("phase `{name}` has no steps"),
                                Some(entry.value.span),
                            )
                            .with_label("empty list")
                            .with_hint("add at least one step, or remove the phase"),
                        );
                    }
                    range
                }
            };
            let Some(id) = id else {
                // The steps stay in the list (their errors are reported)
                // under a phase nobody can name; dependency checks are off.
                self.complete = false;
                phases.push(Phase {
                    id: Located::new(PhaseId::new(""), item.span),
                    title,
                    needs,
                    steps: range,
                    implicit: false,
                });
                continue;
            };
            phases.push(Phase {
                id: Located::new(PhaseId::new(id.value), id.span),
                title,
                needs,
                steps: range,
                implicit: false,
            });
        }
    }

    /// Lowers a list of steps of phase `phase`, appending them to `steps`;
    /// returns their range.
    fn steps(
        &mut self,
        node: &Node,
        phase: usize,
        defaults: &Defaults,
        steps: &mut Vec<Step>,
    ) -> std::ops::Range<usize> {
        let start = steps.len();
        let Some(items) = node.sequence() else {
            self.wrong_type(node, "a list of steps");
            return start..start;
        };
        steps.reserve(items.len());
        for item in items {
            match self.step(item, phase, defaults) {
                Some(step) => steps.push(step),
                None => self.complete = false,
            }
        }
        start..steps.len()
    }

    fn step(&mut self, node: &Node, phase: usize, defaults: &Defaults) -> Option<Step> {
        let fields = self.fields(
            node,
            keys::STEP,
            "a step (a mapping with `id`, `title`…)",
            "in step",
        )?;
        let id = match fields.value("id") {
            Some(n) => self.id(n),
            None => {
                self.missing(&fields, "id", "this step");
                None
            }
        };
        let title = self.required_text(&fields, "title", "this step");
        let run = fields.value("run").and_then(|n| self.command(n, "run"));
        let manual = fields.get("run").is_none();
        if manual {
            for key in keys::COMMAND_ONLY {
                if let Some(entry) = fields.get(key) {
                    self.error(
                        Diagnostic::error(
                            "command-only-key",
                            format!("`{key}` applies to command steps, but this step has no `run`"),
                            Some(entry.key_span),
                        )
                        .with_label("only for command steps")
                        .with_hint(format!(
                            "remove `{key}`, or add `run:` if reprise should run a command"
                        )),
                    );
                }
            }
        }
        let timeout = self.optional_duration(&fields, "timeout");
        if let Some(t) = timeout {
            self.positive_timeout(t);
        }
        let retries = fields.value("retries").and_then(|n| self.count(n));
        let retry_delay = self.optional_duration(&fields, "retry_delay");
        let idempotent = self.optional_bool(&fields, "idempotent").unwrap_or(false);
        let hosts = fields.value("host").map(|n| self.host_refs(n));
        let max_parallel = fields.value("max_parallel").and_then(|n| {
            let m = self.count(n)?;
            if m == 0 {
                self.error(
                    Diagnostic::error(
                        "invalid-value",
                        "`max_parallel: 0` would never run the command on any host",
                        Some(n.span),
                    )
                    .with_label("zero")
                    .with_hint(format!(
                        "write at least 1, or remove the key for the default ({})",
                        crate::runbook::DEFAULT_MAX_PARALLEL_HOSTS
                    )),
                );
                return None;
            }
            Some(m)
        });
        let rollback = fields.value("rollback").and_then(|n| {
            if manual && n.scalar().is_some() && !n.is_null() {
                self.text(n)
                    .map(|t| Rollback::Instructions(Located::new(t, n.span)))
            } else {
                self.command(n, "rollback").map(Rollback::Command)
            }
        });
        let env = match fields.value("env") {
            Some(n) => self.env(n),
            None => Vec::new(),
        };
        let only = fields.value("only").and_then(|n| {
            self.word(
                n,
                "only",
                &[("drill", Mode::Drill), ("incident", Mode::Incident)],
            )
        });
        let instructions = self.optional_text(&fields, "instructions");
        let role = match fields.value("role") {
            Some(n) => self.role_ref(n),
            None => defaults.role.clone(),
        };
        let needs = fields
            .value("needs")
            .and_then(|n| self.text_list(n, "a list of step ids"))
            .unwrap_or_default();
        let confirm = self.optional_bool(&fields, "confirm").unwrap_or(false);
        let approvals = fields
            .get("approvals")
            .and_then(|entry| self.approvals(entry, role.as_deref(), manual || confirm));
        let estimate = self.optional_duration(&fields, "estimate");
        let on_failure = fields
            .value("on_failure")
            .and_then(|n| self.on_failure(n))
            .or(defaults.on_failure)
            .unwrap_or_default();
        let critical = self.optional_bool(&fields, "critical").unwrap_or(false);
        let workdir = self.optional_text(&fields, "workdir").map(PathBuf::from);
        let tags = fields
            .value("tags")
            .and_then(|n| self.text_list(n, "a list of tags"))
            .map(|tags| tags.into_iter().map(|t| t.value).collect())
            .unwrap_or_default();
        // Every key is read (and its errors reported) before a step without
        // a usable id is dropped.
        let id = id?;
        let step = Step {
            id: Located::new(StepId::new(id.value), id.span),
            title: title.unwrap_or_default(),
            instructions,
            role,
            needs,
            run,
            confirm,
            approvals,
            estimate,
            timeout: if manual {
                None
            } else {
                timeout.or(defaults.timeout)
            },
            retries: if manual {
                0
            } else {
                retries.or(defaults.retries).unwrap_or(0)
            },
            retry_delay: if manual {
                Duration::ZERO
            } else {
                retry_delay
                    .map(|d| d.value)
                    .or(defaults.retry_delay)
                    .unwrap_or(Duration::ZERO)
            },
            on_failure,
            rollback,
            critical,
            env,
            workdir,
            tags,
            only,
            idempotent: idempotent && !manual,
            max_parallel: max_parallel.filter(|_| !manual),
            hosts: if manual {
                Vec::new()
            } else {
                hosts.or_else(|| defaults.host.clone()).unwrap_or_default()
            },
            phase,
            span: node.span,
        };
        Some(step)
    }

    fn env(&mut self, node: &Node) -> Vec<(String, String)> {
        let Some(entries) = node.mapping() else {
            self.wrong_type(node, "a mapping of environment variable names to values");
            return Vec::new();
        };
        let mut env = Vec::with_capacity(entries.len());
        for entry in entries {
            let mut bytes = entry.key.bytes();
            let valid = matches!(bytes.next(), Some(b'A'..=b'Z' | b'a'..=b'z' | b'_'))
                && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_');
            if !valid {
                self.error(
                    Diagnostic::error(
                        "invalid-var-name",
                        format!("`{}` is not a valid environment variable name", entry.key),
                        Some(entry.key_span),
                    )
                    .with_label("invalid name")
                    .with_hint("use letters, digits and `_`, not starting with a digit"),
                );
            }
            if let Some(v) = self.text(&entry.value) {
                env.push((entry.key.clone(), v));
            }
        }
        env
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
mod tests {
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
        assert_eq!(keys::STEP.len(), 22);
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
        let base = include_str!("../tests/valid/all-keys.yaml");
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
}
