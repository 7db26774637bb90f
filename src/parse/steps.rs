//! Lowering `phases:` and `steps:`: each step with the defaults applied,
//! its timeout, environment and failure policy.

use super::{
    Defaults, Diagnostic, Duration, Located, Lower, Mode, Node, PathBuf, Phase, PhaseId, Rollback,
    Step, StepId, keys,
};

impl Lower<'_> {
    pub(super) fn positive_timeout(&mut self, t: Located<Duration>) {
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

    pub(super) fn phases(
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
    pub(super) fn steps(
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

    pub(super) fn step(&mut self, node: &Node, phase: usize, defaults: &Defaults) -> Option<Step> {
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
        let restores = fields
            .value("restores")
            .map(|n| self.restores(n))
            .unwrap_or_default();
        let records = fields
            .value("records")
            .map(|n| self.records(n))
            .unwrap_or_default();
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
            restores,
            records,
            phase,
            span: node.span,
        };
        Some(step)
    }

    pub(super) fn env(&mut self, node: &Node) -> Vec<(String, String)> {
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
