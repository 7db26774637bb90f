//! The steps in the HTML report: one row each, the details of a step that
//! deviated, and how a remote step ended on each host.

use std::fmt::Write as _;

use super::{esc, inlines};
use crate::report::{
    HostRow, Report, StepReport, attempts, content, gantt, host_rows, host_text_in, last_output,
    outcome_in, recorded_text_in, secs_in, state_text_in,
};

pub(super) fn step_row(o: &mut String, lang: crate::i18n::Lang, s: &StepReport) {
    let class = gantt::class_of(s);
    let secs = |s| secs_in(lang, s);
    let crit = if s.critical {
        lang.said("critical-html")
    } else {
        ""
    };
    let on = if s.hosts.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = s
            .hosts
            .iter()
            .map(|h| format!("<code>{}</code>", esc(h)))
            .collect();
        format!(
            "<br><span class=\"on-hosts\">{} {}</span>",
            lang.said("on-hosts"),
            names.join(", ")
        )
    };
    let _ = writeln!(
        o,
        "<tr data-step=\"{}\"><td>{} <code>{}</code>{crit}{on}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td><span class=\"outcome {class}\">{}</span></td><td class=\"num\">{}</td></tr>",
        esc(s.id.as_str()),
        esc(&s.title),
        esc(s.id.as_str()),
        esc(s.role.as_deref().unwrap_or("—")),
        esc(s.performed_by_in(lang).as_deref().unwrap_or("—")),
        esc(&recorded_text_in(lang, s)),
        esc(&secs(s.estimate_seconds)),
        esc(&secs(s.duration_seconds)),
        esc(&s
            .overrun_seconds
            .map_or(String::new(), |x| format!("+{}", secs(Some(x))))),
        esc(state_text_in(lang, s)),
        attempts(s)
    );
}

/// Details of a step that deviated: reason, attempts, decisions, hosts,
/// output.
pub(super) fn step_details(o: &mut String, r: &Report, s: &StepReport) {
    let Some(details) = content::details(r, s) else {
        return;
    };
    let _ = writeln!(
        o,
        "<div class=\"step-detail\" data-step=\"{}\"><p>{}</p>\n<ul>",
        esc(s.id.as_str()),
        inlines(&details.heading)
    );
    for line in &details.lines {
        let _ = writeln!(o, "<li>{}</li>", inlines(line));
    }
    o.push_str("</ul>\n");
    host_table(o, r, s);
    if !s.output_tail.is_empty() {
        let _ = writeln!(
            o,
            "<p class=\"muted\">{}</p>\n<pre>{}</pre>",
            esc(&last_output(r.lang, s.exit_code)),
            esc(&s.output_tail.join("\n"))
        );
    }
    o.push_str("</div>\n");
}

/// How a remote step ended on each host, attempt by attempt, then its
/// rollback. Each row carries `data-host` and `data-outcome` for tools that
/// read the page.
fn host_table(o: &mut String, r: &Report, s: &StepReport) {
    let rows = host_rows(r.lang, s);
    if rows.is_empty() {
        return;
    }
    let zone = r.zone();
    let lang = r.lang;
    let t = |id: &str| lang.said(id);
    let _ = writeln!(
        o,
        "<table class=\"hosts\" data-step=\"{}\">\n<tr><th class=\"num\">{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th></tr>",
        esc(s.id.as_str()),
        t("col-attempt"),
        t("col-host"),
        t("col-outcome"),
        t("col-how-it-ended"),
        t("col-ended"),
        t("col-duration")
    );
    for (attempt, row) in rows {
        let attempt = attempt.map_or_else(|| lang.tr("rollback"), |n| n.to_string());
        let _ = match row {
            HostRow::Ended(h) => {
                let outcome = h.outcome.to_string();
                writeln!(
                    o,
                    "<tr data-host=\"{}\" data-outcome=\"{outcome}\"><td class=\"num\">{attempt}</td><td><code>{}</code></td><td><span class=\"outcome {outcome}\">{}</span></td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                    esc(&h.host),
                    esc(&h.host),
                    esc(&outcome_in(lang, h.outcome)),
                    esc(&host_text_in(lang, h)),
                    esc(&zone.clock(h.ended.at)),
                    esc(&secs_in(lang, h.duration_seconds))
                )
            }
            HostRow::NoEnd { host, why } => writeln!(
                o,
                "<tr data-host=\"{}\" data-outcome=\"none\"><td class=\"num\">{attempt}</td><td><code>{}</code></td><td><span class=\"outcome pending\">{}</span></td><td>{}</td><td>—</td><td class=\"num\">—</td></tr>",
                esc(host),
                esc(host),
                t("no-end"),
                esc(why)
            ),
        };
    }
    o.push_str("</table>\n");
}
