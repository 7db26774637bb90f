//! The plan as a Graphviz DOT drawing: phases as clusters, the critical
//! path in red, steps that do not apply in this mode dashed and grey.
//!
//! Written by hand rather than with petgraph's `Dot`, which quotes labels in
//! ways Graphviz then shows literally.

use std::fmt::Write;

use super::Plan;
use crate::runbook::StepIndex;

const CRITICAL: &str = "color=\"#d00000\", penwidth=2.5";

impl Plan<'_> {
    /// Renders the plan as a `digraph` for `dot -Tsvg`.
    pub fn to_dot(&self) -> String {
        let rb = self.runbook;
        let clusters = !(rb.phases.len() == 1 && rb.phases[0].implicit);
        let node = |s: StepIndex| quote(rb.step(s).id.as_str());
        let cluster = |p: usize| quote(&format!("cluster_{}", rb.phases[p].id.as_str()));
        let mut out = String::new();
        out.push_str("digraph reprise {\n");
        let _ = writeln!(
            out,
            "  graph [rankdir=LR, compound=true, fontname=\"sans-serif\", labelloc=t, label={}];",
            quote(&format!(
                "{} ({})\n{}",
                rb.name,
                self.mode,
                self.critical.summary(self.rto())
            ))
        );
        out.push_str("  node [shape=box, style=rounded, fontname=\"sans-serif\"];\n");
        out.push_str("  edge [fontname=\"sans-serif\"];\n");

        for (i, phase) in rb.phases.iter().enumerate() {
            let indent = if clusters {
                let _ = writeln!(out, "  subgraph {} {{", cluster(i));
                let _ = writeln!(
                    out,
                    "    label={};",
                    quote(&format!("{}: {}", phase.id.as_str(), phase.title))
                );
                "    "
            } else {
                "  "
            };
            for s in phase.steps.clone().map(|s| StepIndex(s as u32)) {
                let _ = writeln!(out, "{indent}{} [{}];", node(s), self.node_attributes(s));
            }
            if clusters {
                out.push_str("  }\n");
            }
        }

        let critical_next = self.critical_successors();
        for i in 0..rb.steps.len() {
            let s = StepIndex(i as u32);
            for &t in self.graph.needs(s) {
                let style = if critical_next[t.get()] == Some(s) {
                    format!(" [{CRITICAL}]")
                } else {
                    String::new()
                };
                let _ = writeln!(out, "  {} -> {}{style};", node(t), node(s));
            }
            for &q in self.graph.needed_phases(s) {
                if let Some(first) = rb.phases[q].steps.clone().next() {
                    let _ = writeln!(
                        out,
                        "  {} -> {} [ltail={}];",
                        node(StepIndex(first as u32)),
                        node(s),
                        cluster(q)
                    );
                }
            }
        }
        for (p, phase) in rb.phases.iter().enumerate() {
            for &q in self.graph.phase_needs(p) {
                let (Some(from), Some(to)) = (
                    rb.phases[q].steps.clone().next(),
                    phase.steps.clone().next(),
                ) else {
                    continue;
                };
                let _ = writeln!(
                    out,
                    "  {} -> {} [ltail={}, lhead={}, style=dashed];",
                    node(StepIndex(from as u32)),
                    node(StepIndex(to as u32)),
                    cluster(q),
                    cluster(p)
                );
            }
        }
        // Critical hops that come from a phase rather than a named step get
        // an edge of their own, so the whole path shows.
        for (a, b) in self.critical_hops() {
            if !self.graph.needs(b).contains(&a) {
                let _ = writeln!(
                    out,
                    "  {} -> {} [{CRITICAL}, style=dashed, constraint=false];",
                    node(a),
                    node(b)
                );
            }
        }
        out.push_str("}\n");
        out
    }

    fn node_attributes(&self, s: StepIndex) -> String {
        let p = self.step(s);
        let mut label = format!(
            "{}\n{}",
            self.runbook.step(s).id.as_str(),
            self.summary_line(s)
        );
        if let Some(on) = self.runbook.step(s).on_hosts() {
            label.push('\n');
            label.push_str(&on);
        }
        if !p.applicable {
            label.push_str("\nnot applicable");
        }
        let mut attrs = format!("label={}", quote(&label));
        if p.critical {
            let _ = write!(attrs, ", {CRITICAL}");
        }
        if !p.applicable {
            attrs.push_str(", style=\"rounded,dashed\", color=gray50, fontcolor=gray50");
        }
        attrs
    }

    /// "manual · direction · 10m": kind, role when set, estimate when set.
    pub(super) fn summary_line(&self, s: StepIndex) -> String {
        let step = self.runbook.step(s);
        let mut parts = vec![step.kind().to_string()];
        parts.extend(step.role.clone());
        parts.extend(step.estimate.map(|e| e.value.to_string()));
        parts.join(" · ")
    }

    /// For each step, the step after it on the critical path, if any.
    pub(super) fn critical_successors(&self) -> Vec<Option<StepIndex>> {
        let mut next = vec![None; self.runbook.steps.len()];
        for (a, b) in self.critical_hops() {
            next[a.get()] = Some(b);
        }
        next
    }
}

/// A DOT quoted string: backslashes and quotes escaped, line breaks as
/// `\n` (which Graphviz centres).
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quotes_escape_what_dot_interprets() {
        assert_eq!(quote(r#"say "hi" \o/"#), r#""say \"hi\" \\o/""#);
        assert_eq!(quote("two\r\nlines"), r#""two\nlines""#);
    }
}
