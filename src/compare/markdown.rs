//! `compare` as Markdown: the same tables as the text, for a wiki page or
//! a ticket. Text from the journals is escaped with
//! [`crate::report::markdown::md`].

use std::fmt::Write as _;

use super::Comparison;
use super::table::{self, Table};
use crate::report::markdown::md;

fn write_table(out: &mut String, t: &Table) {
    let _ = writeln!(out, "\n## {}\n", t.title);
    if !t.rows.is_empty() {
        let head: Vec<String> = t.columns.iter().map(|c| md(c)).collect();
        let _ = writeln!(out, "| {} |", head.join(" | "));
        let rule: Vec<&str> = t
            .numeric
            .iter()
            .map(|&n| if n { "---:" } else { "---" })
            .collect();
        let _ = writeln!(out, "| {} |", rule.join(" | "));
        for r in &t.rows {
            let cells: Vec<String> = r.iter().map(|c| md(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out.push('\n');
    }
    for n in &t.notes {
        let _ = writeln!(out, "{}\n", md(n));
    }
}

/// The comparison as Markdown.
pub fn render(c: &Comparison) -> String {
    let mut out = format!(
        "# {}\n\n{}\n",
        c.words.args("compare-title", &[("name", md(&c.name))]),
        md(&table::headline(c))
    );
    write_table(&mut out, &table::drills(c));
    let changes = table::changes(c);
    if !changes.is_empty() {
        let _ = writeln!(out, "\n## {}\n", c.words.tr("compare-changes"));
        for ch in changes {
            let _ = writeln!(out, "- {}", md(&ch));
        }
    }
    write_table(&mut out, &table::steps(c));
    if let Some(services) = table::services(c) {
        write_table(&mut out, &services);
    }
    write_table(&mut out, &table::split(c));
    write_table(&mut out, &table::deviations(c));
    write_table(&mut out, &table::repeated(c));
    if !c.warnings.is_empty() {
        let _ = writeln!(out, "\n## {}\n", c.words.tr("compare-left-out"));
        for w in &c.warnings {
            let _ = writeln!(out, "- {}", md(w));
        }
    }
    out
}
