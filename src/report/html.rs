//! The HTML report: one self-contained file.
//!
//! Inline CSS and an inline SVG chart; no script, no font, no image and no
//! link to anything outside the file, so it opens offline on the day the
//! network is down and prints to PDF as it shows. Every text that comes from
//! the runbook, the operators or the commands goes through [`esc`]: the page
//! is written by hand with that one function rather than a template engine,
//! because the SVG chart, which is most of the markup, is built in code
//! anyway, and one escaping path is easier to audit than two.

use std::fmt::Write as _;

use super::{
    Report, Status,
    content::{self, Cell, Inline},
    dossier, gantt, secs_in, state_text_in,
};

mod steps;
mod style;

use steps::{step_details, step_row};
use style::CSS;
pub use style::GANTT_CSS;

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Marks up a fact or a row: the summary's pieces as HTML.
fn inlines(v: &[Inline]) -> String {
    let mut o = String::new();
    for i in v {
        let _ = match i {
            Inline::Plain(s) => write!(o, "{s}"),
            Inline::Text(s) => write!(o, "{}", esc(s)),
            Inline::Lines(s) => write!(o, "{}", multiline(s)),
            Inline::Code(s) => write!(o, "<code>{}</code>", esc(s)),
            Inline::Strong(s) => write!(o, "<strong>{}</strong>", esc(s)),
            Inline::Muted(v) => write!(o, "<span class=\"muted\">{}</span>", inlines(v)),
            Inline::Missing(s) => write!(o, "<span class=\"muted\">{s}</span>"),
            Inline::Outcome(class, s) => {
                write!(o, "<span class=\"outcome {class}\">{}</span>", esc(s))
            }
            Inline::Aside(v) => write!(o, "<br>{}", inlines(v)),
        };
    }
    o
}

/// A table of text columns.
fn table<const N: usize>(o: &mut String, columns: &[&str; N], rows: Vec<[Cell; N]>) {
    o.push_str("<table>\n<tr>");
    for c in columns {
        let _ = write!(o, "<th>{c}</th>");
    }
    o.push_str("</tr>\n");
    for row in rows {
        o.push_str("<tr>");
        for c in &row {
            let _ = write!(o, "<td>{}</td>", inlines(c));
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</table>\n");
}

/// "Who recorded what": per person, then per team (when the plan has
/// roles); nothing when nobody recorded a step and there are no roles.
fn who_section(o: &mut String, r: &Report) {
    use super::who;
    if r.by_person.is_empty() && r.by_team.is_empty() {
        return;
    }
    let t = |id: &str| r.lang.said(id);
    let _ = writeln!(
        o,
        "<h2 id=\"who\">{}</h2>\n<p class=\"muted\">{}</p>",
        t("h-who"),
        esc(t("who-intro"))
    );
    if !r.by_person.is_empty() {
        let _ = writeln!(o, "<h3>{}</h3>", t("h-who-person"));
        table(o, &who::person_columns(r.lang), who::person_rows(r));
    }
    if !r.by_team.is_empty() {
        let _ = writeln!(o, "<h3>{}</h3>", t("h-who-team"));
        table(o, &who::team_columns(r.lang), who::team_rows(r));
    }
}

/// Renders the report as one HTML page.
pub fn render(r: &Report) -> String {
    let zone = r.zone();
    let mut o = String::new();
    let lang = r.lang;
    let t = |id: &str| lang.said(id);
    let secs = |s| secs_in(lang, s);
    let state_text = |s| state_text_in(lang, s);
    let kind = r.kind();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}{GANTT_CSS}</style>\n</head>\n<body>\n",
        lang.code(),
        lang.tr_args(
            "report-title",
            &[("kind", kind.into()), ("name", esc(&r.run.name).into())]
        )
    );
    let _ = writeln!(
        o,
        "<h1>{}</h1>",
        lang.tr_args(
            "report-title",
            &[("kind", kind.into()), ("name", esc(&r.run.name).into())]
        )
    );
    let _ = writeln!(
        o,
        "<p class=\"subtitle\">{}</p>",
        esc(&lang.tr_args(
            "subtitle",
            &[
                ("mode", r.mode_text().into()),
                ("time", zone.long(r.run.started.at).into()),
                ("zone", r.time_zone.clone().into()),
            ]
        ))
    );
    let headline_class = match (r.run.status, r.run.result) {
        // Recovered after the RTO: not shown as a plain success.
        (Status::Finished, Some(crate::event::RunResult::Recovered))
            if r.rto_missed().is_some() =>
        {
            "degraded".to_string()
        }
        (Status::Finished, Some(res)) => res.to_string(),
        _ => "incomplete".to_string(),
    };
    let _ = writeln!(
        o,
        "<div class=\"headline {headline_class}\">{}</div>",
        esc(&r.headline())
    );
    // The unverified and incident banners come first, in red.
    let strong = usize::from(r.journal.unverified.is_some())
        + usize::from(r.run.mode == crate::runbook::Mode::Incident);
    for (i, b) in r.banners().iter().enumerate() {
        let class = if i < strong {
            "banner incident"
        } else {
            "banner"
        };
        let _ = writeln!(o, "<div class=\"{class}\">{}</div>", esc(b));
    }

    // Summary (the subtitle already names the time zone).
    let _ = writeln!(o, "<h2>{}</h2>\n<table class=\"facts\">", t("h-summary"));
    for f in content::facts(r) {
        let _ = writeln!(
            o,
            "<tr><th>{}</th><td>{}</td></tr>",
            esc(f.key),
            inlines(&f.value)
        );
    }
    o.push_str("</table>\n");

    if let Some(d) = &r.dossier {
        for section in dossier::front(d, r.lang) {
            dossier_section(&mut o, &section, r.lang);
        }
    }

    let people = content::people(r);
    if !people.is_empty() {
        let _ = writeln!(
            o,
            "<h3>{}</h3>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th></tr>",
            t("h-people"),
            t("col-time"),
            t("col-event"),
            t("col-note")
        );
        for row in people {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&row.time),
                inlines(&row.event),
                inlines(row.note.as_deref().unwrap_or_default())
            );
        }
        o.push_str("</table>\n");
    }

    who_section(&mut o, r);

    if !r.services.is_empty() {
        let _ = writeln!(
            o,
            "<h2>{}</h2>\n<p class=\"muted\">{}</p>",
            esc(super::services::title(r.lang)),
            esc(super::services::intro(r.lang))
        );
        table(
            &mut o,
            &super::services::columns(r.lang),
            super::services::rows(r),
        );
    }

    // Chart.
    let _ = writeln!(o, "<h2>{}</h2>\n<figure>", t("h-timeline"));
    o.push_str(&gantt::svg(r));
    let _ = writeln!(
        o,
        "\n<figcaption>{}</figcaption>\n</figure>",
        esc(&lang.tr_args("timeline-caption", &[("zone", r.time_zone.clone().into())]))
    );

    // Steps.
    let _ = writeln!(o, "<h2>{}</h2>", t("h-steps"));
    for phase in &r.phases {
        let _ = writeln!(
            o,
            "<h3>{} <span class=\"muted\">(<code>{}</code>)</span></h3>",
            esc(&phase.title),
            esc(&phase.id)
        );
        let _ = writeln!(
            o,
            "<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th><th class=\"num\">{}</th></tr>",
            t("col-step"),
            t("col-role"),
            t("col-performed-by"),
            t("col-recorded-by"),
            t("col-estimate"),
            t("col-actual"),
            t("col-overrun"),
            t("col-outcome"),
            t("col-attempts")
        );
        for s in &phase.steps {
            step_row(&mut o, lang, s);
        }
        o.push_str("</table>\n");
        for s in &phase.steps {
            step_details(&mut o, r, s);
        }
    }

    // Critical path.
    let _ = writeln!(
        o,
        "<h2>{}</h2>\n<table>\n<tr><th></th><th>{}</th><th class=\"num\">{}</th></tr>",
        t("h-critical-path"),
        t("col-chain"),
        t("col-length")
    );
    let titles: std::collections::HashMap<&str, &str> = r
        .steps()
        .map(|s| (s.id.as_str(), s.title.as_str()))
        .collect();
    let labels = super::path_labels(r);
    for (label, p) in [
        (labels[0], &r.critical_path.planned),
        (labels[1], &r.critical_path.actual),
    ] {
        let chain = if p.steps.is_empty() {
            "—".to_string()
        } else {
            p.steps
                .iter()
                .map(|id| {
                    format!(
                        "{} <code>{}</code>",
                        esc(titles.get(id.as_str()).copied().unwrap_or("")),
                        esc(id.as_str())
                    )
                })
                .collect::<Vec<_>>()
                .join(" → ")
        };
        let _ = writeln!(
            o,
            "<tr><th>{label}</th><td>{chain}</td><td class=\"num\">{}</td></tr>",
            esc(&secs(Some(p.seconds)))
        );
    }
    o.push_str("</table>\n");

    // Where the time went; a drill that was held has that time in a
    // column of its own, apart from waiting.
    let held = r.time_split.held_seconds > 0;
    let _ = write!(
        o,
        "<h2>{}</h2>\n<p class=\"muted\">{}{}</p>\n<table>\n<tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>{}</tr>\n",
        t("h-time-split"),
        t("time-split-intro"),
        if held { t("time-split-held") } else { "" },
        t("col-step"),
        t("col-running"),
        t("col-operator"),
        t("col-dependencies"),
        t("col-other"),
        if held {
            format!("<th class=\"num\">{}</th>", t("col-held"))
        } else {
            String::new()
        }
    );
    let held_cell = |x: &super::Split, tag: &str| {
        if held {
            format!(
                "<{tag} class=\"num\">{}</{tag}>",
                esc(&secs(Some(x.held_seconds)))
            )
        } else {
            String::new()
        }
    };
    for s in r.steps() {
        match &s.time_split {
            Some(x) => {
                let _ = writeln!(
                    o,
                    "<tr><td>{} <code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>{}</tr>",
                    esc(&s.title),
                    esc(s.id.as_str()),
                    esc(&secs(Some(x.running_seconds))),
                    esc(&secs(Some(x.operator_seconds))),
                    esc(&secs(Some(x.dependencies_seconds))),
                    esc(&secs(Some(x.other_seconds))),
                    held_cell(x, "td")
                );
            }
            None => {
                let _ = writeln!(
                    o,
                    "<tr><td>{} <code>{}</code></td><td colspan=\"{}\" class=\"muted\">{}</td></tr>",
                    esc(&s.title),
                    esc(s.id.as_str()),
                    if held { 5 } else { 4 },
                    esc(state_text(s))
                );
            }
        }
    }
    let x = &r.time_split;
    let _ = writeln!(
        o,
        "<tr><th>{} {}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>{}</tr>\n</table>",
        t("total"),
        t("total-summed"),
        esc(&secs(Some(x.running_seconds))),
        esc(&secs(Some(x.operator_seconds))),
        esc(&secs(Some(x.dependencies_seconds))),
        esc(&secs(Some(x.other_seconds))),
        held_cell(x, "th")
    );

    // Deviations.
    let _ = writeln!(o, "<h2>{}</h2>", t("h-deviations"));
    if r.deviations.is_empty() {
        let _ = writeln!(o, "<p>{}</p>", t("no-deviation"));
    } else {
        table(
            &mut o,
            &content::deviation_columns(lang),
            content::deviation_rows(r),
        );
    }

    // Changes to the plan.
    if !r.changes.is_empty() {
        let _ = writeln!(o, "<h2>{}</h2>", t("h-changes"));
        let _ = writeln!(o, "<p>{}</p>", t("changes-intro"));
        table(
            &mut o,
            &content::change_columns(lang),
            content::change_rows(r),
        );
    }

    // Observations.
    let _ = writeln!(o, "<h2>{}</h2>", t("h-observations"));
    if !content::has_notes(r) {
        let _ = writeln!(o, "<p>{}</p>", t("no-note"));
    } else {
        table(&mut o, &content::note_columns(lang), content::note_rows(r));
    }
    let observed = content::observer_rows(r);
    if !observed.is_empty() {
        let _ = writeln!(
            o,
            "<h2>{}</h2>\n<p class=\"muted\">{}</p>",
            esc(content::observers_title(lang)),
            esc(content::observers_intro(lang))
        );
        table(&mut o, &content::observer_columns(lang), observed);
    }

    // Lessons and actions.
    let _ = writeln!(
        o,
        "<h2>{}</h2>\n<p class=\"muted\">{}</p>\n<ul>",
        t("h-lessons"),
        t("lessons-intro")
    );
    for item in content::lessons(r) {
        let _ = writeln!(o, "<li>☐ {}</li>", inlines(&item));
    }
    o.push_str("</ul>\n");

    if let Some(d) = &r.dossier {
        for section in dossier::back(r, d, r.lang) {
            dossier_section(&mut o, &section, r.lang);
        }
    }

    let _ = writeln!(
        o,
        "<footer>{}</footer>\n</body>\n</html>",
        inlines(&content::colophon(r))
    );
    o
}

/// A section of the exercise dossier.
fn dossier_section(o: &mut String, s: &dossier::Section, lang: crate::i18n::Lang) {
    let _ = writeln!(
        o,
        "<section id=\"{}\" lang=\"{}\">\n<h2>{}</h2>",
        s.id,
        lang.code(),
        esc(&s.title)
    );
    for line in &s.intro {
        let _ = writeln!(o, "<p>{}</p>", inlines(line));
    }
    if s.rows.is_empty() {
        if let Some(empty) = &s.empty {
            let _ = writeln!(o, "<p class=\"muted\">{}</p>", inlines(empty));
        }
    } else {
        o.push_str("<table>\n<tr>");
        for c in &s.columns {
            let _ = write!(o, "<th>{}</th>", esc(c));
        }
        o.push_str("</tr>\n");
        for row in &s.rows {
            o.push_str("<tr>");
            for c in row {
                let _ = write!(o, "<td>{}</td>", inlines(c));
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</table>\n");
    }
    for line in &s.outro {
        let _ = writeln!(o, "<p>{}</p>", inlines(line));
    }
    o.push_str("</section>\n");
}

/// Escaped text with its line breaks kept.
fn multiline(s: &str) -> String {
    esc(s.trim_end()).replace('\n', "<br>")
}
