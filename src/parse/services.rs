//! Lowering of `objectives.services` (per-service RTO and RPO), of a step's
//! `restores:` once the services are known, and of a step's `records:`.
//!
//! A child of [`parse`](super) so that it reports errors exactly like the
//! rest of the format (same helpers, same wording).

use super::{Lower, keys};
use crate::diagnostic::{Diagnostic, suggest};
use crate::runbook::{Located, Record, Service};
use crate::yaml::Node;

/// True for a service name: not blank, no control characters, at most 64
/// characters (it is shown in tables and on the wall screen).
pub fn is_valid_service_name(s: &str) -> bool {
    !s.trim().is_empty() && s.chars().count() <= 64 && !s.chars().any(char::is_control)
}

impl Lower<'_> {
    /// `objectives.services`: name → `{rto, rpo}` (or nothing: a service
    /// whose recovery is timed without an objective of its own).
    pub(super) fn services(&mut self, node: &Node) -> Vec<Service> {
        let Some(entries) = node.mapping() else {
            self.wrong_type(node, "a mapping of service names to `{rto, rpo}`");
            return Vec::new();
        };
        let mut services = Vec::with_capacity(entries.len());
        for entry in entries {
            if !is_valid_service_name(&entry.key) {
                self.error(
                    Diagnostic::error(
                        "invalid-service",
                        format!("`{}` is not a valid service name", entry.key),
                        Some(entry.key_span),
                    )
                    .with_label("invalid name")
                    .with_hint(
                        "a service name is what steps write in `restores`: not blank, without \
                         control characters, at most 64 characters",
                    ),
                );
            }
            let mut service = Service {
                name: Located::new(entry.key.clone(), entry.key_span),
                rto: None,
                rpo: None,
            };
            if !entry.value.is_null()
                && let Some(fields) = self.fields(
                    &entry.value,
                    keys::SERVICE,
                    "a service's objectives (a mapping with `rto` and/or `rpo`)",
                    &format!("in service `{}`", entry.key),
                )
            {
                service.rto = self.optional_duration(&fields, "rto");
                service.rpo = self.optional_duration(&fields, "rpo");
            } else if let Some(text) = entry.value.scalar().filter(|_| !entry.value.is_null())
                && let Some(d) = self.errors.last_mut()
            {
                d.hint = Some(format!("write `{}: {{rto: {}}}`", entry.key, text.text));
            }
            services.push(service);
        }
        services
    }

    /// A step's `restores:`: one service name or a list, each declared
    /// under `objectives.services`.
    pub(super) fn restores(&mut self, node: &Node) -> Vec<Located<String>> {
        let names = if node.scalar().is_some() && !node.is_null() {
            self.text(node)
                .map(|t| vec![Located::new(t, node.span)])
                .unwrap_or_default()
        } else {
            self.text_list(node, "a service name or a list of service names")
                .unwrap_or_default()
        };
        let mut out: Vec<Located<String>> = Vec::with_capacity(names.len());
        for name in names {
            if out.iter().any(|n| n.value == name.value) {
                self.error(
                    Diagnostic::error(
                        "invalid-value",
                        format!("service `{}` is listed twice", name.value),
                        Some(name.span),
                    )
                    .with_label("listed again here")
                    .with_hint("remove the repeat"),
                );
                continue;
            }
            if !self.services.contains(&name.value) {
                let known: Vec<&str> = self.services.iter().map(String::as_str).collect();
                let hint = match suggest(&name.value, known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if known.is_empty() => format!(
                        "declare it with its objectives under `objectives.services`, like \
                         `{}: {{rto: 4h, rpo: 15m}}`",
                        name.value
                    ),
                    None => format!(
                        "known services: {}; or declare `{}` under `objectives.services`",
                        super::list(&known),
                        name.value
                    ),
                };
                self.error(
                    Diagnostic::error(
                        "unknown-service",
                        format!("unknown service `{}`", name.value),
                        Some(name.span),
                    )
                    .with_label("not in `objectives.services`")
                    .with_hint(hint),
                );
            }
            out.push(name);
        }
        out
    }

    /// A step's `records:`: what the operator records besides the outcome
    /// (one word or a list; only `restore_point` exists).
    pub(super) fn records(&mut self, node: &Node) -> Vec<Record> {
        let items: Vec<&Node> = match node.sequence() {
            Some(items) => items.iter().map(|n| &**n).collect(),
            None => vec![node],
        };
        let mut out = Vec::new();
        for item in items {
            if let Some(r) = self.word(item, "records", &[("restore_point", Record::RestorePoint)])
                && !out.contains(&r)
            {
                out.push(r);
            }
        }
        out
    }
}
