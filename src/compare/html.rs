//! `compare` as one self-contained HTML page: inline CSS and SVG, no
//! script, no font, no link outside the file (it opens offline and prints
//! to PDF as shown). Every text from the journals goes through
//! [`crate::report::html::esc`].

use std::fmt::Write as _;

use super::table::{self, Table};
use super::{Comparison, svg};
use crate::report::html::esc;

const CSS: &str = r#"
:root { --met:#2e7d32; --missed:#c62828; --ink:#1b1b1b; --muted:#5f6368; --line:#d0d4d9; --accent:#1565c0; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 24px; line-height: 1.45; font-size: 14px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px;
  border-bottom: 2px solid var(--line); padding-bottom: 4px; }
.subtitle { color: var(--muted); margin: 0 0 16px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f4f5f7; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
p.note { color: var(--muted); margin: 4px 0 10px; }
ul.changes li { margin: 4px 0; }
.banner { border: 1px solid #e0b252; background: #fff8e1; padding: 8px 12px; border-radius: 6px; margin: 8px 0; }
svg text { font: 12px system-ui, sans-serif; fill: var(--muted); }
svg.margin .met-zone { fill: #e8f5e9; } svg.margin .missed-zone { fill: #fdecea; }
svg.margin line.rto { stroke: var(--ink); stroke-width: 1.5; }
svg.margin polyline.trend { fill: none; stroke: var(--accent); stroke-width: 2; }
svg.margin circle.met { fill: var(--met); } svg.margin circle.missed { fill: var(--missed); }
svg.margin text.norecovery { fill: var(--missed); }
.multiples { display: flex; flex-wrap: wrap; gap: 10px; }
figure.step { margin: 0; border: 1px solid var(--line); border-radius: 4px; padding: 4px; width: 212px; }
figure.step figcaption { font-size: 12px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
figure.step figcaption span { color: var(--muted); }
svg.spark rect.frame { fill: #fafafa; stroke: var(--line); }
svg.spark line.estimate { stroke: var(--muted); stroke-dasharray: 4 3; }
svg.spark polyline.actual { fill: none; stroke: var(--accent); stroke-width: 1.5; }
svg.spark circle.point { fill: var(--accent); } svg.spark circle.over { fill: var(--missed); }
@media print { body { max-width: none; } figure.step { break-inside: avoid; } }
"#;

fn write_table(o: &mut String, t: &Table) {
    let _ = write!(o, r#"<h2 id="{}">{}</h2>"#, t.id, esc(&t.title));
    if !t.rows.is_empty() {
        let _ = write!(o, r#"<table class="{}"><thead><tr>"#, t.id);
        for (c, &num) in t.columns.iter().zip(&t.numeric) {
            let class = if num { r#" class="num""# } else { "" };
            let _ = write!(o, "<th{class}>{}</th>", esc(c));
        }
        o.push_str("</tr></thead><tbody>");
        for r in &t.rows {
            o.push_str("<tr>");
            for (c, &num) in r.iter().zip(&t.numeric) {
                let class = if num { r#" class="num""# } else { "" };
                let _ = write!(o, "<td{class}>{}</td>", esc(c));
            }
            o.push_str("</tr>");
        }
        o.push_str("</tbody></table>");
    }
    for n in &t.notes {
        let _ = write!(o, r#"<p class="note">{}</p>"#, esc(n));
    }
}

/// The comparison as one HTML page.
pub fn render(c: &Comparison) -> String {
    let mut o = String::with_capacity(64 * 1024);
    let w = c.words;
    let title = w.args("compare-title", &[("name", esc(&c.name))]);
    let _ = write!(
        o,
        r#"<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title><style>{CSS}</style></head><body>"#,
        w.0.code()
    );
    let _ = write!(
        o,
        r#"<h1>{title}</h1><p class="subtitle">{}</p>"#,
        esc(&table::headline(c))
    );
    for w in &c.warnings {
        let _ = write!(o, r#"<p class="banner">{}</p>"#, esc(w));
    }
    let _ = write!(
        o,
        r#"<h2 id="margin">{}</h2>"#,
        esc(&w.tr("compare-margin-title"))
    );
    o.push_str(&svg::margin_chart(c));
    let _ = write!(
        o,
        r#"<p class="note">{}</p>"#,
        esc(&w.tr("compare-margin-note"))
    );
    write_table(&mut o, &table::drills(c));
    let changes = table::changes(c);
    if !changes.is_empty() {
        let _ = write!(
            o,
            r#"<h2 id="changes">{}</h2><ul class="changes">"#,
            esc(&w.tr("compare-changes"))
        );
        for ch in changes {
            let _ = write!(o, "<li>{}</li>", esc(&ch));
        }
        o.push_str("</ul>");
    }
    let _ = write!(
        o,
        r#"<h2 id="multiples">{}</h2><div class="multiples">"#,
        esc(&w.tr("compare-multiples"))
    );
    for s in c
        .steps
        .iter()
        .filter(|s| s.actual_secs.iter().any(Option::is_some))
    {
        let _ = write!(
            o,
            r#"<figure class="step"><figcaption title="{}">{} <span>{}</span></figcaption>{}</figure>"#,
            esc(&s.title),
            esc(&s.id),
            esc(&w.trend(s.trend)),
            svg::step_chart(c, s)
        );
    }
    let _ = write!(
        o,
        r#"</div><p class="note">{}</p>"#,
        esc(&w.tr("compare-multiples-note"))
    );
    write_table(&mut o, &table::steps(c));
    if let Some(services) = table::services(c) {
        write_table(&mut o, &services);
    }
    write_table(&mut o, &table::split(c));
    write_table(&mut o, &table::deviations(c));
    write_table(&mut o, &table::repeated(c));
    o.push_str("</body></html>\n");
    o
}
