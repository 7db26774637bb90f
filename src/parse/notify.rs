//! Lowering of the top-level `notify:` list (see [`crate::notify`]).
//!
//! A child of [`parse`](super) so that it reports errors exactly like the
//! rest of the format.

use super::{Fields, Lower, keys};
use crate::diagnostic::{Diagnostic, suggest};
use crate::runbook::alert::{Kind, Ratio, Target};
use crate::yaml::Node;

impl Lower<'_> {
    /// `notify:`: a list of `{name, on, roles, run, after, factor,
    /// rto_share, timeout, retries}`.
    pub(super) fn notify(&mut self, node: &Node) -> Vec<Target> {
        let Some(items) = node.sequence() else {
            self.wrong_type(node, "a list of alert targets");
            return Vec::new();
        };
        let mut targets = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let Some(fields) = self.fields(
                item,
                keys::NOTIFY,
                "an alert target",
                "in a `notify` target",
            ) else {
                continue;
            };
            let Some(run) = fields.value("run").and_then(|n| self.command(n, "run")) else {
                if fields.value("run").is_none() {
                    self.missing(&fields, "run", "this alert target");
                }
                continue;
            };
            let mut on = Vec::new();
            match fields.value("on") {
                None => self.missing(&fields, "on", "this alert target"),
                Some(list) => match list.sequence() {
                    None => self.wrong_type(list, "a list of events"),
                    Some(events) => {
                        for e in events {
                            let Some(word) = self.text(e) else { continue };
                            match Kind::parse(&word) {
                                Some(k) => on.push(k),
                                None => {
                                    let names = Kind::NAMED.map(|(n, _)| n);
                                    let mut d = Diagnostic::error(
                                        "invalid-value",
                                        format!("`{word}` is not an event to notify"),
                                        Some(e.span),
                                    )
                                    .with_label("unknown event");
                                    d = d.with_hint(match suggest(&word, names.iter().copied()) {
                                        Some(s) => format!("did you mean `{s}`?"),
                                        None => format!("events: {}", names.join(", ")),
                                    });
                                    self.error(d);
                                }
                            }
                        }
                    }
                },
            }
            let mut target = Target::new(
                self.optional_text(&fields, "name")
                    .unwrap_or_else(|| format!("notify-{}", i + 1)),
                on,
                run.value,
            );
            if let Some(roles) = fields.value("roles") {
                match roles.sequence() {
                    Some(list) => target.roles = list.iter().filter_map(|r| self.text(r)).collect(),
                    None => self.wrong_type(roles, "a list of roles"),
                }
            }
            target.after = self.optional_duration(&fields, "after").map(|d| d.value);
            if let Some(d) = self.optional_duration(&fields, "timeout") {
                target.timeout = d.value;
            }
            if let Some(n) = fields.value("retries").and_then(|n| self.count(n)) {
                target.retries = n.min(10);
            }
            if let Some(f) = self.ratio(&fields, "factor") {
                target.factor = f;
            }
            target.rto_share = self.ratio(&fields, "rto_share");
            targets.push(target);
        }
        targets
    }

    /// A ratio (`factor: 1.5`), when given and valid.
    fn ratio(&mut self, fields: &Fields<'_>, key: &str) -> Option<Ratio> {
        let node = fields.value(key)?;
        match node
            .scalar()
            .and_then(|s| s.text.parse::<f64>().ok())
            .filter(|f| f.is_finite() && *f > 0.0 && *f <= 100.0)
        {
            Some(f) => Some(Ratio((f * 100.0).round() as u32)),
            None => {
                self.error(
                    Diagnostic::error(
                        "invalid-value",
                        format!("`{key}` must be a positive number, e.g. 1.5"),
                        Some(node.span),
                    )
                    .with_label("not a positive number"),
                );
                None
            }
        }
    }
}
