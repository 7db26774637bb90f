//! The paper checklist: the plan as a self-contained HTML document made to
//! be printed on A4 and filled in by hand when the network (or reprise's
//! machine) is down.
//!
//! A cover page (plan, version, mode, objectives, contacts, the critical
//! path, how to fill in the sheets), then one section per phase, or with
//! roles one packet per team, each starting on a new page. Every step is a
//! box that is never cut across a page (`break-inside: avoid`), with its
//! number (the same as in the live drill: its 1-based position in the
//! runbook), what to do, its dependencies as numbers, and boxes for the
//! start and end times, the outcome, the initials and a reason. The record
//! boxes repeat the step's number so that a sheet read out of context is
//! still transcribed to the right step (`reprise transcribe`).
//!
//! Black on white only: no meaning rests on a colour (critical steps have a
//! thick border and the word CRITICAL). No script, font or image: the file
//! prints the same from any browser, offline. Every text from the runbook
//! goes through [`esc`].

use std::fmt::Write as _;

use super::Plan;
use crate::i18n::Lang;
use crate::runbook::{Duration, StepIndex, StepKind};

mod words;

use words::Words;

/// What to print, besides the plan.
#[derive(Debug, Clone, Default)]
pub struct Checklist {
    /// Hex SHA-256 of the runbook's bytes: its short form is the sheets'
    /// version, so a sheet can be matched with the runbook it came from.
    pub runbook_sha256: String,
    /// One packet per role, in this order, holding the steps whose `role`
    /// is that role; empty for one section per phase.
    pub roles: Vec<String>,
    /// The language of every fixed text (the runbook's `lang:`, then
    /// `LANG`): English `5m`, French « 5 min ».
    pub lang: Lang,
}

/// How many hex digits of the runbook's SHA-256 name its version.
const SHORT_SHA: usize = 12;

/// The step's number on paper, the terminal and the dashboard: its 1-based
/// position in the runbook (contracts.md, item 1).
fn number(step: StepIndex) -> u32 {
    step.0 + 1
}

const CSS: &str = r#"
@page { size: A4; margin: 14mm 13mm 16mm 13mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 10pt;
  line-height: 1.35; color: #000; background: #fff; margin: 0 auto; max-width: 184mm; }
h1 { font-size: 20pt; margin: 0 0 2mm; } h2 { font-size: 14pt; margin: 0 0 3mm; border-bottom: 2pt solid #000; }
h3 { font-size: 11pt; margin: 5mm 0 2mm; }
.cover, .packet { break-after: page; page-break-after: always; }
.packet:last-of-type { break-after: auto; page-break-after: auto; }
.mode { display: inline-block; border: 2pt solid #000; padding: 1mm 3mm; font-weight: bold; font-size: 12pt; }
table { border-collapse: collapse; width: 100%; }
table.facts th { text-align: left; width: 42mm; vertical-align: top; padding: 1mm 2mm 1mm 0; }
table.facts td { padding: 1mm 0; vertical-align: top; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
ol.path { margin: 1mm 0; padding-left: 0; list-style: none; }
ol.path li { margin: 0.5mm 0; }
.fill { display: inline-block; border-bottom: 1pt solid #000; min-width: 60mm; height: 6mm; }
.packet-head { margin-bottom: 3mm; }
.packet-head p { margin: 1mm 0; }
.step { border: 1pt solid #000; padding: 2.5mm 3mm; margin: 0 0 3.5mm; break-inside: avoid; page-break-inside: avoid; }
.step.critical { border-width: 2.5pt; }
.step h3 { margin: 0 0 1mm; font-size: 11.5pt; }
.num { display: inline-block; min-width: 9mm; border: 1.5pt solid #000; text-align: center; margin-right: 2mm; }
.id { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 9pt; font-weight: normal; white-space: nowrap; }
.flag { font-size: 8.5pt; font-weight: bold; border: 1pt solid #000; padding: 0 1mm; margin-left: 1mm; }
.meta { margin: 0 0 1.5mm; }
pre { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8.5pt; border: 0.75pt dashed #000;
  padding: 1.5mm; margin: 1mm 0 1.5mm; white-space: pre-wrap; overflow-wrap: anywhere; }
.instructions { margin: 1mm 0 1.5mm; }
table.services th, table.services td { border: 1pt solid #000; padding: 1mm 1.5mm; text-align: left; vertical-align: top; font-size: 8.5pt; }
table.services td.blank { width: 24mm; height: 9mm; }
table.record { margin-top: 1.5mm; }
table.record td { border: 1pt solid #000; padding: 1mm 1.5mm; vertical-align: top; height: 9mm; font-size: 8.5pt; }
table.record td.label { width: 14mm; font-weight: bold; text-align: center; vertical-align: middle; }
table.record td.reason { height: 13mm; }
.tick { display: inline-block; width: 3.5mm; height: 3.5mm; border: 1pt solid #000; vertical-align: -0.5mm; margin: 0 1mm 0 2.5mm; }
.na { border: 1pt dashed #000; padding: 1.5mm 3mm; margin: 0 0 3mm; break-inside: avoid; page-break-inside: avoid; }
"#;

impl Plan<'_> {
    /// Renders the printable checklist (see the module documentation).
    /// Roles in `checklist.roles` that no step has give an empty packet;
    /// the command checks them first.
    pub fn to_checklist(&self, checklist: &Checklist) -> String {
        let rb = self.runbook;
        let w = Words(checklist.lang);
        let mut out = String::with_capacity(4096 + rb.steps.len() * 1024);
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
            checklist.lang.code(),
            w.args("checklist-title", &[("name", esc(&rb.name))])
        );
        self.cover(&mut out, checklist, w);
        if checklist.roles.is_empty() {
            for (p, phase) in rb.phases.iter().enumerate() {
                let steps: Vec<StepIndex> = self
                    .order
                    .iter()
                    .copied()
                    .filter(|&s| rb.step(s).phase == p)
                    .collect();
                let mut head = String::new();
                let after: Vec<String> = self
                    .graph
                    .phase_needs(p)
                    .iter()
                    .map(|&q| w.args("checklist-quoted", &[("title", esc(&rb.phases[q].title))]))
                    .collect();
                if !after.is_empty() {
                    let _ = write!(
                        head,
                        "<p>{}</p>",
                        w.args("checklist-phase-after", &[("phases", after.join(", "))])
                    );
                }
                let title = format!(
                    "{} <span class=\"id\">{}</span>",
                    w.args(
                        "checklist-phase",
                        &[
                            ("number", (p + 1).to_string()),
                            ("title", esc(&phase.title))
                        ]
                    ),
                    esc(phase.id.as_str())
                );
                self.section(&mut out, &title, &head, &steps, None, w);
            }
        } else {
            for role in &checklist.roles {
                let steps: Vec<StepIndex> = self
                    .order
                    .iter()
                    .copied()
                    .filter(|&s| rb.step(s).role.as_deref() == Some(role.as_str()))
                    .collect();
                let head = format!("<p>{}</p>", w.tr("checklist-packet-intro"));
                let title = w.args("checklist-packet", &[("role", esc(role))]);
                self.section(&mut out, &title, &head, &steps, Some(role), w);
            }
        }
        out.push_str("</body>\n</html>\n");
        out
    }

    fn cover(&self, out: &mut String, checklist: &Checklist, w: Words) {
        let rb = self.runbook;
        let sha = &checklist.runbook_sha256;
        let short = &sha[..sha.len().min(SHORT_SHA)];
        let mode = w.tr(&format!("checklist-mode-{}", self.mode));
        let _ = write!(
            out,
            "<section class=\"cover\">\n<h1>{}</h1>\n<p><span class=\"mode\">{mode}</span> \
             {}</p>\n<table class=\"facts\">\n",
            esc(&rb.name),
            w.tr("checklist-subtitle")
        );
        let mut fact = |name: &str, value: &str| {
            let _ = writeln!(out, "<tr><th>{}</th><td>{value}</td></tr>", w.tr(name));
        };
        fact(
            "checklist-version",
            &w.args(
                "checklist-version-value",
                &[("sha", format!("<span class=\"id\">{}</span>", esc(short)))],
            ),
        );
        if let Some(owner) = &rb.owner {
            fact("checklist-owner", &esc(owner));
        }
        let steps = self.steps.iter().filter(|p| p.applicable).count();
        let mut size = w.count("checklist-steps-count", steps, &[]);
        if steps < rb.steps.len() {
            size.push_str(&w.count(
                "checklist-steps-na",
                rb.steps.len() - steps,
                &[("mode", w.mode(self.mode))],
            ));
        }
        if !checklist.roles.is_empty() {
            let roles: Vec<String> = checklist.roles.iter().map(|r| esc(r)).collect();
            size.push_str(&w.args("checklist-steps-packets", &[("roles", roles.join(", "))]));
        }
        fact("checklist-steps", &size);
        let objectives = match (rb.objectives.rto, rb.objectives.rpo) {
            (None, None) => w.tr("checklist-objectives-none"),
            (rto, rpo) => [
                rto.map(|r| w.args("checklist-rto", &[("rto", w.dur(r.value))])),
                rpo.map(|r| w.args("checklist-rpo", &[("rpo", w.dur(r.value))])),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · "),
        };
        fact("checklist-objectives", &objectives);
        if let Some(description) = &rb.description {
            fact(
                "checklist-scenario",
                &format!("<div class=\"text\">{}</div>", esc(description.trim_end())),
            );
        }
        if let Some(contacts) = &rb.contacts {
            fact(
                "checklist-contacts",
                &format!("<div class=\"text\">{}</div>", esc(contacts.trim_end())),
            );
        }
        fact("checklist-date", "<span class=\"fill\"></span>");
        fact("checklist-filled-by", "<span class=\"fill\"></span>");
        let _ = write!(
            out,
            "</table>\n<h3>{}</h3>\n",
            w.tr("checklist-critical-path")
        );
        let path = &self.critical;
        if path.steps.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", w.tr("checklist-path-none"));
        } else {
            let _ = writeln!(
                out,
                "<p>{}</p>\n<ol class=\"path\">",
                esc(&w.path_summary(self))
            );
            for &s in &path.steps {
                let step = rb.step(s);
                let estimate = step
                    .estimate
                    .map_or_else(|| w.tr("checklist-no-estimate"), |e| w.dur(e.value));
                let _ = writeln!(
                    out,
                    "<li><b>{}</b> {} <span class=\"id\">{}</span> ({estimate})</li>",
                    number(s),
                    esc(&step.title),
                    esc(step.id.as_str()),
                );
            }
            out.push_str("</ol>\n");
        }
        self.cover_services(out, w);
        let _ = write!(out, "<h3>{}</h3>\n<ul>\n", w.tr("checklist-how"));
        for id in [
            "checklist-how-date",
            "checklist-how-outcome",
            "checklist-how-after",
            "checklist-how-transcribe",
        ] {
            let _ = writeln!(out, "<li>{}</li>", w.tr(id));
        }
        out.push_str("</ul>\n</section>\n");
    }

    /// The cover's services: each one's objectives, the steps restoring
    /// it (by number) and when the plan has it back, with boxes for when it
    /// really came back and the restore point it came back to — what an
    /// auditor asks of a drill run on paper.
    fn cover_services(&self, out: &mut String, w: Words) {
        let services = self.services();
        if services.is_empty() {
            return;
        }
        let _ = write!(
            out,
            "<h3>{}</h3>\n<table class=\"services\">\n<tr>",
            w.tr("checklist-services")
        );
        for id in [
            "checklist-col-service",
            "checklist-col-rto",
            "checklist-col-rpo",
            "checklist-col-restored-by",
            "checklist-col-planned",
            "checklist-col-back",
            "checklist-col-point",
        ] {
            let _ = write!(out, "<th>{}</th>", w.tr(id));
        }
        out.push_str("</tr>\n");
        let rb = self.runbook;
        for f in &services {
            let objective = |d: Option<crate::runbook::Located<Duration>>| {
                d.map_or_else(|| "—".to_string(), |d| w.dur(d.value))
            };
            let steps: Vec<String> = f
                .steps
                .iter()
                .map(|&i| {
                    format!(
                        "<b>{}</b> <span class=\"id\">{}</span>",
                        number(i),
                        esc(rb.step(i).id.as_str())
                    )
                })
                .collect();
            let (steps, planned) = if steps.is_empty() {
                (w.tr("checklist-svc-no-step"), "—".to_string())
            } else {
                (steps.join(", "), esc(&w.service_summary(f)))
            };
            let _ = writeln!(
                out,
                "<tr data-service=\"{name}\"><td><b>{name}</b></td><td>{}</td><td>{}</td><td>{steps}</td>\
                 <td>{planned}</td><td class=\"blank\"></td><td class=\"blank\"></td></tr>",
                objective(f.service.rto),
                objective(f.service.rpo),
                name = esc(&f.service.name.value),
            );
        }
        let _ = writeln!(out, "</table>\n<p>{}</p>", w.tr("checklist-svc-note"));
    }

    /// One phase or one role's packet, starting on a new page.
    fn section(
        &self,
        out: &mut String,
        title: &str,
        head: &str,
        steps: &[StepIndex],
        role: Option<&str>,
        w: Words,
    ) {
        let _ = write!(
            out,
            "<section class=\"packet\">\n<div class=\"packet-head\">\n<h2>{title}</h2>\n{head}\n"
        );
        if steps.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", w.tr("checklist-no-step"));
        }
        out.push_str("</div>\n");
        for &s in steps {
            self.step_box(out, s, role, w);
        }
        out.push_str("</section>\n");
    }

    fn step_box(&self, out: &mut String, s: StepIndex, role: Option<&str>, w: Words) {
        let rb = self.runbook;
        let step = rb.step(s);
        let planned = &self.steps[s.get()];
        let n = number(s);
        let heading = format!(
            "<span class=\"num\">{n}</span>{} <span class=\"id\">{}</span>",
            esc(&step.title),
            esc(step.id.as_str())
        );
        if !planned.applicable {
            let only = step.only.map_or(String::new(), |m| {
                w.args("checklist-na-only", &[("mode", w.mode(m))])
            });
            let _ = writeln!(
                out,
                "<div class=\"na\" data-step=\"{n}\">{}</div>",
                w.args(
                    "checklist-na",
                    &[
                        ("heading", format!("<b>{heading}</b>")),
                        ("mode", w.mode(self.mode)),
                        ("only", only)
                    ]
                )
            );
            return;
        }
        let _ = write!(
            out,
            "<div class=\"step{}\" data-step=\"{n}\">\n<h3>{heading}{}</h3>\n",
            if planned.critical { " critical" } else { "" },
            if planned.critical {
                format!(
                    " <span class=\"flag\">{}</span>",
                    w.tr("checklist-critical")
                )
            } else {
                String::new()
            }
        );
        let label = |id: &str| format!("<b>{}</b>", w.tr(id));
        let mut meta = Vec::new();
        if let Some(r) = &step.role {
            meta.push(format!("{} {}", label("checklist-role"), esc(r)));
        }
        let kind = match step.kind() {
            StepKind::Manual => "checklist-kind-manual",
            StepKind::Command => "checklist-kind-command",
            StepKind::Confirm => "checklist-kind-confirm",
        };
        meta.push(format!("{} {}", label("checklist-kind"), w.tr(kind)));
        meta.push(format!(
            "{} {}",
            label("checklist-estimate"),
            step.estimate
                .map_or_else(|| w.tr("checklist-estimate-none"), |e| w.dur(e.value))
        ));
        meta.push(format!(
            "{} T+{}",
            label("checklist-planned-start"),
            w.dur(planned.start)
        ));
        meta.push(format!(
            "{} {}",
            label("checklist-after"),
            self.after(s, role, w)
        ));
        if !step.hosts.is_empty() {
            let names: Vec<&str> = step.hosts.iter().map(|h| h.value.as_str()).collect();
            meta.push(esc(
                &w.args("checklist-on-hosts", &[("hosts", names.join(", "))])
            ));
        }
        let _ = writeln!(out, "<p class=\"meta\">{}</p>", meta.join(" · "));
        if let Some(instructions) = &step.instructions {
            let _ = writeln!(
                out,
                "<div class=\"instructions text\">{}</div>",
                esc(instructions.trim_end())
            );
        }
        if let Some(run) = &step.run {
            let _ = writeln!(out, "<pre>{}</pre>", esc(&run.value.to_string()));
        }
        let tick = "<span class=\"tick\"></span>";
        let _ = write!(
            out,
            "<table class=\"record\">\n<tr><td class=\"label\" rowspan=\"2\">{}</td>\
             <td>{}</td><td>{}</td><td>{}</td></tr>\n\
             <tr><td colspan=\"3\">{}{tick}{}{tick}{}{tick}{}{tick}{}</td></tr>\n\
             <tr><td class=\"reason\" colspan=\"4\">{}</td></tr>\n",
            w.args("checklist-step", &[("number", n.to_string())]),
            w.tr("checklist-start-time"),
            w.tr("checklist-end-time"),
            w.tr("checklist-initials"),
            w.tr("checklist-outcome"),
            w.tr("checklist-outcome-done"),
            w.tr("checklist-outcome-failed"),
            w.tr("checklist-outcome-skipped"),
            w.tr("checklist-outcome-na"),
            w.tr("checklist-reason"),
        );
        if crate::runbook::Record::paper_box(&step.records, step.kind(), !step.restores.is_empty())
        {
            let _ = writeln!(
                out,
                "<tr class=\"restore-point\"><td class=\"reason\" colspan=\"4\">{}</td></tr>",
                w.tr("checklist-restore-point")
            );
        }
        out.push_str("</table>\n</div>\n");
    }

    /// "3, 7 (dba)" or "start of the phase": what the step waits for, as
    /// numbers; in a role's packet, a step of another role is followed by
    /// its role, since the person holding the packet cannot see it.
    fn after(&self, s: StepIndex, role: Option<&str>, w: Words) -> String {
        let rb = self.runbook;
        let mut parts: Vec<String> = self
            .graph
            .needs(s)
            .iter()
            .map(|&d| {
                let other = rb.step(d).role.as_deref();
                match role {
                    Some(r) if other != Some(r) => {
                        let other = other.map_or_else(|| w.tr("checklist-no-role"), esc);
                        format!("{} ({other})", number(d))
                    }
                    _ => number(d).to_string(),
                }
            })
            .collect();
        for &p in self.graph.needed_phases(s) {
            let phase = &rb.phases[p];
            let (first, last) = (phase.steps.start as u32 + 1, phase.steps.end as u32);
            parts.push(w.args(
                "checklist-all-of-phase-range",
                &[
                    ("title", esc(&phase.title)),
                    ("first", first.to_string()),
                    ("last", last.to_string()),
                ],
            ));
        }
        if role.is_some() {
            for &p in self.graph.phase_needs(rb.step(s).phase) {
                parts.push(w.args(
                    "checklist-all-of-phase",
                    &[("title", esc(&rb.phases[p].title))],
                ));
            }
        }
        if parts.is_empty() {
            w.tr("checklist-start-at-once")
        } else {
            parts.join(", ")
        }
    }
}

/// Escapes text for HTML element content and quoted attribute values;
/// control characters (which a runbook may hold in a command) are written
/// as visible escapes rather than passed to the browser.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            '\n' | '\t' => o.push(c),
            c if c.is_control() => {
                let _ = write!(o, "\\u{{{:x}}}", c as u32);
            }
            c => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn markup_and_controls_are_escaped() {
        assert_eq!(
            esc("<script>a&b</script> \"'\u{1b}[2J\n"),
            "&lt;script&gt;a&amp;b&lt;/script&gt; &quot;&#39;\\u{1b}[2J\n"
        );
    }
}
