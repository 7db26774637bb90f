//! `compare` as aligned plain text for a terminal: every text from the
//! journals goes through [`crate::escape::line`].

use std::fmt::Write as _;

use super::Comparison;
use super::table::{self, Table};
use crate::escape;

fn write_table(out: &mut String, t: &Table) {
    let _ = writeln!(out, "\n{}", t.title);
    if !t.rows.is_empty() {
        let cells: Vec<Vec<String>> = t
            .rows
            .iter()
            .map(|r| r.iter().map(|c| escape::line(c).into_owned()).collect())
            .collect();
        let mut w: Vec<usize> = t.columns.iter().map(|c| c.chars().count()).collect();
        for r in &cells {
            for (k, c) in r.iter().enumerate() {
                w[k] = w[k].max(c.chars().count());
            }
        }
        let line = |out: &mut String, r: &[String]| {
            let mut s = String::from(" ");
            for (k, c) in r.iter().enumerate() {
                let pad = w[k] - c.chars().count();
                s.push(' ');
                if t.numeric[k] {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(c);
                } else {
                    s.push_str(c);
                    s.push_str(&" ".repeat(pad));
                }
                s.push(' ');
            }
            let _ = writeln!(out, "{}", s.trim_end());
        };
        line(out, &t.columns);
        for r in &cells {
            line(out, r);
        }
    }
    for n in &t.notes {
        let _ = writeln!(out, "  {n}");
    }
}

/// The comparison as text.
pub fn render(c: &Comparison) -> String {
    let mut out = escape::line(&table::headline(c)).into_owned();
    out.push('\n');
    write_table(&mut out, &table::drills(c));
    let changes = table::changes(c);
    if !changes.is_empty() {
        let _ = writeln!(out, "\n{}", c.words.tr("compare-changes"));
        for ch in changes {
            let _ = writeln!(out, "  {}", escape::line(&ch));
        }
    }
    write_table(&mut out, &table::steps(c));
    if let Some(services) = table::services(c) {
        write_table(&mut out, &services);
    }
    write_table(&mut out, &table::split(c));
    write_table(&mut out, &table::deviations(c));
    write_table(&mut out, &table::repeated(c));
    out
}
