//! The plan as a Mermaid flowchart (renders in GitLab, GitHub and most
//! wikis): phases as subgraphs, the critical path in red, steps that do not
//! apply in this mode dashed and grey.
//!
//! Nodes are named `s<index>` and subgraphs `p<index>` rather than by id:
//! Mermaid reads words such as `end` and dashes inside names as syntax.

use std::fmt::Write;

use super::Plan;
use crate::runbook::StepIndex;

impl Plan<'_> {
    /// Renders the plan as a `flowchart LR`.
    pub fn to_mermaid(&self) -> String {
        let rb = self.runbook;
        let subgraphs = !(rb.phases.len() == 1 && rb.phases[0].implicit);
        let mut out = String::new();
        // The title sits in the YAML front matter, so it is quoted for YAML
        // rather than escaped for a label.
        let _ = writeln!(
            out,
            "---\ntitle: {}\n---",
            yaml_quote(&format!(
                "{} ({}): {}",
                rb.name,
                self.mode,
                self.critical.summary(self.rto())
            ))
        );
        out.push_str("flowchart LR\n");
        for (i, phase) in rb.phases.iter().enumerate() {
            let indent = if subgraphs {
                let _ = writeln!(
                    out,
                    "  subgraph p{i}[{}]",
                    quote(&format!("{}: {}", phase.id.as_str(), phase.title))
                );
                "    "
            } else {
                "  "
            };
            for s in phase.steps.clone() {
                let st = StepIndex(s as u32);
                let mut label = format!(
                    "{}<br/>{}",
                    escape(rb.step(st).id.as_str()),
                    escape(&self.summary_line(st))
                );
                if let Some(on) = rb.step(st).on_hosts() {
                    label.push_str("<br/>");
                    label.push_str(&escape(&on));
                }
                if !self.step(st).applicable {
                    label.push_str("<br/>not applicable");
                }
                let _ = writeln!(out, "{indent}s{s}[\"{label}\"]");
            }
            if subgraphs {
                out.push_str("  end\n");
            }
        }

        let critical_next = self.critical_successors();
        let mut links = 0usize;
        let mut red_links = Vec::new();
        for i in 0..rb.steps.len() {
            let s = StepIndex(i as u32);
            for &t in self.graph.needs(s) {
                if critical_next[t.get()] == Some(s) {
                    red_links.push(links);
                }
                let _ = writeln!(out, "  s{} --> s{i}", t.0);
                links += 1;
            }
            for &q in self.graph.needed_phases(s) {
                let _ = writeln!(out, "  p{q} --> s{i}");
                links += 1;
            }
        }
        for p in 0..rb.phases.len() {
            for &q in self.graph.phase_needs(p) {
                let _ = writeln!(out, "  p{q} -.-> p{p}");
                links += 1;
            }
        }
        for (a, b) in self.critical_hops() {
            if !self.graph.needs(b).contains(&a) {
                let _ = writeln!(out, "  s{} -.-> s{}", a.0, b.0);
                red_links.push(links);
                links += 1;
            }
        }

        out.push_str("  classDef critical stroke:#d00000,stroke-width:3px\n");
        out.push_str("  classDef notApplicable stroke-dasharray:4 4,color:#808080\n");
        let class = |pick: &dyn Fn(&super::Planned) -> bool| -> Vec<String> {
            self.steps
                .iter()
                .enumerate()
                .filter(|(_, p)| pick(p))
                .map(|(i, _)| format!("s{i}"))
                .collect()
        };
        let critical = class(&|p| p.critical);
        if !critical.is_empty() {
            let _ = writeln!(out, "  class {} critical", critical.join(","));
        }
        let na = class(&|p| !p.applicable);
        if !na.is_empty() {
            let _ = writeln!(out, "  class {} notApplicable", na.join(","));
        }
        if !red_links.is_empty() {
            let ids: Vec<String> = red_links.iter().map(usize::to_string).collect();
            let _ = writeln!(
                out,
                "  linkStyle {} stroke:#d00000,stroke-width:3px",
                ids.join(",")
            );
        }
        out
    }
}

/// A YAML double-quoted string on one line.
fn yaml_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A Mermaid quoted label.
fn quote(s: &str) -> String {
    format!("\"{}\"", escape(s))
}

/// Text made safe inside a quoted Mermaid label: characters Mermaid or its
/// HTML rendering would interpret become entity codes, line breaks spaces.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{escape, yaml_quote};

    #[test]
    fn the_title_is_quoted_for_yaml() {
        assert_eq!(yaml_quote("a \"b\" \\ c\nd"), r#""a \"b\" \\ c d""#);
    }

    #[test]
    fn labels_escape_what_mermaid_interprets() {
        assert_eq!(
            escape("a \"b\" <c> #1 & `d`\nnext"),
            "a #quot;b#quot; #lt;c#gt; #35;1 #amp; #96;d#96; next"
        );
    }
}
