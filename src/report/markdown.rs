//! The Markdown report: GitHub-flavoured tables and a Mermaid `gantt`
//! block, readable as plain text too.
//!
//! Text from the runbook, the operators and the commands is escaped with
//! [`md`] (Markdown punctuation backslashed, `<`, `>` and `&` as entities, so
//! no renderer ever sees raw HTML), or put in a code block whose fence is
//! longer than any backtick run inside it.

use std::fmt::Write as _;

use super::{
    HostRow, Report, StepReport, attempts,
    content::{self, Cell, Fact, Inline},
    dossier, gantt, host_rows, host_text_in, outcome_in, recorded_text_in, secs_in, state_text_in,
};

/// Escapes text for Markdown inline content, table cells included.
pub fn md(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.trim_end().chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '|' => o.push_str("\\|"),
            '\n' => o.push_str("<br>"),
            '\r' => {}
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '#' | '!' => {
                o.push('\\');
                o.push(c);
            }
            c => o.push(c),
        }
    }
    o
}

/// An inline code span that survives any content (ids, paths, hashes).
fn code(s: &str) -> String {
    let s = s.replace('|', "\\|").replace('\n', " ");
    let longest = longest_backtick_run(&s);
    if longest == 0 {
        format!("`{s}`")
    } else {
        let fence = "`".repeat(longest + 1);
        format!("{fence} {s} {fence}")
    }
}

fn longest_backtick_run(s: &str) -> usize {
    let (mut best, mut cur) = (0, 0);
    for c in s.chars() {
        if c == '`' {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// Marks up a fact or a row: the summary's pieces as Markdown.
fn inlines(v: &[Inline]) -> String {
    let mut o = String::new();
    for i in v {
        match i {
            Inline::Plain(s) => o.push_str(s),
            Inline::Text(s) | Inline::Lines(s) => o.push_str(&md(s)),
            Inline::Muted(v) => o.push_str(&inlines(v)),
            Inline::Missing(s) => {
                let _ = write!(o, "*{s}*");
            }
            Inline::Code(s) => o.push_str(&code(s)),
            Inline::Strong(s) | Inline::Outcome(_, s) => {
                let _ = write!(o, "**{}**", md(s));
            }
            Inline::Aside(v) => {
                let _ = write!(o, " ({})", inlines(v));
            }
        }
    }
    o
}

/// A table with a header row and a blank line after it.
fn table<const N: usize>(o: &mut String, columns: &[&str; N], rows: Vec<[Cell; N]>) {
    let _ = writeln!(o, "| {} |\n|{}", columns.join(" | "), "---|".repeat(N));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| inlines(c)).collect();
        let _ = writeln!(o, "| {} |", cells.join(" | "));
    }
    o.push('\n');
}

/// "Who recorded what": per person, then per team (when the plan has
/// roles); nothing when nobody recorded a step and there are no roles.
fn who_section(o: &mut String, r: &Report) {
    use super::who;
    if r.by_person.is_empty() && r.by_team.is_empty() {
        return;
    }
    let t = |id: &str| r.lang.said(id);
    let _ = writeln!(o, "## {}\n\n{}\n", t("h-who"), t("who-intro"));
    if !r.by_person.is_empty() {
        let _ = writeln!(o, "### {}\n", t("h-who-person"));
        table(o, &who::person_columns(r.lang), who::person_rows(r));
    }
    if !r.by_team.is_empty() {
        let _ = writeln!(o, "### {}\n", t("h-who-team"));
        table(o, &who::team_columns(r.lang), who::team_rows(r));
    }
}

/// Renders the report as Markdown.
pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let lang = r.lang;
    let t = |id: &str| lang.said(id);
    let secs = |s| secs_in(lang, s);
    let state_text = |s| state_text_in(lang, s);
    let _ = writeln!(
        o,
        "# {}\n",
        lang.tr_args(
            "report-title",
            &[("kind", r.kind().into()), ("name", md(&r.run.name).into())]
        )
    );
    let _ = writeln!(o, "**{}**\n", md(&r.headline()));
    for b in r.banners() {
        let _ = writeln!(o, "> **{}** {}\n", t("note-label"), md(&b));
    }

    let _ = write!(o, "## {}\n\n| | |\n|---|---|\n", t("h-summary"));
    let zone_fact = Fact {
        key: t("fact-zone"),
        value: vec![Inline::Text(r.time_zone.clone())],
    };
    for f in content::facts(r).iter().chain([&zone_fact]) {
        let _ = writeln!(o, "| {} | {} |", f.key, inlines(&f.value));
    }
    o.push('\n');

    if let Some(d) = &r.dossier {
        for section in dossier::front(d, r.lang) {
            dossier_section(&mut o, &section);
        }
    }

    let people = content::people(r);
    if !people.is_empty() {
        let _ = write!(
            o,
            "### {}\n\n| {} | {} | {} |\n|---|---|---|\n",
            t("h-people"),
            t("col-time"),
            t("col-event"),
            t("col-note")
        );
        for row in people {
            let event = inlines(&row.event);
            let _ = match row.note {
                Some(note) => writeln!(o, "| {} | {event} | {} |", row.time, inlines(&note)),
                None => writeln!(o, "| {} | {event} | |", row.time),
            };
        }
        o.push('\n');
    }

    who_section(&mut o, r);

    if !r.services.is_empty() {
        let _ = writeln!(
            o,
            "## {}\n\n{}\n",
            super::services::title(r.lang),
            super::services::intro(r.lang)
        );
        table(
            &mut o,
            &super::services::columns(r.lang),
            super::services::rows(r),
        );
    }

    let _ = write!(o, "## {}\n\n", t("h-timeline"));
    let _ = writeln!(
        o,
        "{}\n",
        lang.tr_args("timeline-intro-md", &[("zone", md(&r.time_zone).into())])
    );
    o.push_str("```mermaid\n");
    o.push_str(&gantt::mermaid(r));
    o.push_str("```\n\n");

    let _ = write!(o, "## {}\n\n", t("h-steps"));
    for phase in &r.phases {
        let _ = writeln!(o, "### {} ({})\n", md(&phase.title), code(&phase.id));
        let columns = [
            "step",
            "role",
            "performed-by",
            "recorded-by",
            "estimate",
            "actual",
            "overrun",
            "outcome",
            "attempts",
        ]
        .map(|c| t(&format!("col-{c}")));
        let _ = writeln!(
            o,
            "| {} |\n|---|---|---|---|---:|---:|---:|---|---:|",
            columns.join(" | ")
        );
        for s in &phase.steps {
            let _ = writeln!(
                o,
                "| {} {}{}{} | {} | {} | {} | {} | {} | {} | {} | {} |",
                md(&s.title),
                code(s.id.as_str()),
                if s.critical { t("critical-mark") } else { "" },
                on_hosts(lang, s),
                md(s.role.as_deref().unwrap_or("—")),
                md(s.performed_by_in(lang).as_deref().unwrap_or("—")),
                md(&recorded_text_in(lang, s)),
                secs(s.estimate_seconds),
                secs(s.duration_seconds),
                s.overrun_seconds
                    .map_or(String::new(), |x| format!("+{}", secs(Some(x)))),
                state_text(s),
                attempts(s)
            );
        }
        o.push('\n');
        for s in &phase.steps {
            step_details(&mut o, r, s);
        }
    }

    let _ = write!(
        o,
        "## {}\n\n| | {} | {} |\n|---|---|---:|\n",
        t("h-critical-path"),
        t("col-chain"),
        t("col-length")
    );
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
                .map(|id| code(id.as_str()))
                .collect::<Vec<_>>()
                .join(" → ")
        };
        let _ = writeln!(o, "| {label} | {chain} | {} |", secs(Some(p.seconds)));
    }
    o.push('\n');

    // A drill that was held has that time in a column of its own, apart
    // from waiting.
    let held = r.time_split.held_seconds > 0;
    let _ = write!(
        o,
        "## {}\n\n{}{}\n\n| {} | {} | {} | {} | {} |{}\n|---|---:|---:|---:|---:|{}\n",
        t("h-time-split"),
        t("time-split-intro"),
        if held { t("time-split-held") } else { "" },
        t("col-step"),
        t("col-running"),
        t("col-operator"),
        t("col-dependencies"),
        t("col-other"),
        if held {
            format!(" {} |", t("col-held"))
        } else {
            String::new()
        },
        if held { "---:|" } else { "" }
    );
    let held_cell = |x: &super::Split| {
        if held {
            format!(" {} |", secs(Some(x.held_seconds)))
        } else {
            String::new()
        }
    };
    for s in r.steps() {
        match &s.time_split {
            Some(x) => {
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {} | {} |{}",
                    code(s.id.as_str()),
                    secs(Some(x.running_seconds)),
                    secs(Some(x.operator_seconds)),
                    secs(Some(x.dependencies_seconds)),
                    secs(Some(x.other_seconds)),
                    held_cell(x)
                );
            }
            None => {
                let _ = writeln!(
                    o,
                    "| {} | {} | | | |{}",
                    code(s.id.as_str()),
                    state_text(s),
                    if held { " |" } else { "" }
                );
            }
        }
    }
    let x = &r.time_split;
    let _ = writeln!(
        o,
        "| **{}** {} | {} | {} | {} | {} |{}\n",
        t("total"),
        t("total-summed"),
        secs(Some(x.running_seconds)),
        secs(Some(x.operator_seconds)),
        secs(Some(x.dependencies_seconds)),
        secs(Some(x.other_seconds)),
        held_cell(x)
    );

    let _ = write!(o, "## {}\n\n", t("h-deviations"));
    if r.deviations.is_empty() {
        let _ = writeln!(o, "{}\n", t("no-deviation"));
    } else {
        table(
            &mut o,
            &content::deviation_columns(lang),
            content::deviation_rows(r),
        );
    }

    // Only when the plan changed: a drill run as written has nothing here.
    if !r.changes.is_empty() {
        let _ = writeln!(o, "## {}\n\n{}\n", t("h-changes"), t("changes-intro"));
        table(
            &mut o,
            &content::change_columns(lang),
            content::change_rows(r),
        );
    }

    let _ = write!(o, "## {}\n\n", t("h-observations"));
    if !content::has_notes(r) {
        let _ = writeln!(o, "{}\n", t("no-note"));
    } else {
        table(&mut o, &content::note_columns(lang), content::note_rows(r));
    }
    let observed = content::observer_rows(r);
    if !observed.is_empty() {
        let _ = writeln!(
            o,
            "## {}\n\n{}\n",
            content::observers_title(lang),
            content::observers_intro(lang)
        );
        table(&mut o, &content::observer_columns(lang), observed);
    }

    let _ = writeln!(o, "## {}\n\n{}\n", t("h-lessons"), t("lessons-intro"));
    let lessons = content::lessons(r);
    if lessons.is_empty() {
        let _ = writeln!(o, "{}", t("nothing-to-review"));
    }
    for item in lessons {
        let _ = writeln!(o, "- [ ] {}", inlines(&item));
    }
    if let Some(d) = &r.dossier {
        o.push('\n');
        for section in dossier::back(r, d, r.lang) {
            dossier_section(&mut o, &section);
        }
    }
    let _ = writeln!(o, "\n---\n\n{}", inlines(&content::colophon(r)));
    o
}

/// A section of the exercise dossier.
fn dossier_section(o: &mut String, s: &dossier::Section) {
    let _ = writeln!(o, "## {}\n", md(&s.title));
    for line in &s.intro {
        let _ = writeln!(o, "{}\n", inlines(line));
    }
    if s.rows.is_empty() {
        if let Some(empty) = &s.empty {
            let _ = writeln!(o, "{}\n", inlines(empty));
        }
    } else {
        let titles: Vec<String> = s.columns.iter().map(|c| md(c)).collect();
        let _ = writeln!(
            o,
            "| {} |\n|{}",
            titles.join(" | "),
            "---|".repeat(titles.len())
        );
        for row in &s.rows {
            let cells: Vec<String> = row.iter().map(|c| inlines(c)).collect();
            let _ = writeln!(o, "| {} |", cells.join(" | "));
        }
        o.push('\n');
    }
    for line in &s.outro {
        let _ = writeln!(o, "{}\n", inlines(line));
    }
}

/// Details of a step that deviated: reason, attempts, decisions, hosts,
/// output.
fn step_details(o: &mut String, r: &Report, s: &StepReport) {
    let Some(details) = content::details(r, s) else {
        return;
    };
    let _ = writeln!(o, "{}\n", inlines(&details.heading));
    for line in &details.lines {
        let _ = writeln!(o, "- {}", inlines(line));
    }
    host_table(o, r, s);
    if !s.output_tail.is_empty() {
        let body = s.output_tail.join("\n");
        let fence = "`".repeat(longest_backtick_run(&body).max(2) + 1);
        let lang = r.lang;
        let _ = writeln!(
            o,
            "\n{}\n\n{fence}text\n{body}\n{fence}",
            super::last_output(lang, s.exit_code)
        );
    }
    o.push('\n');
}

/// ` on `db1`, `db2`` after a remote step's title; nothing for a local one.
fn on_hosts(lang: crate::i18n::Lang, s: &StepReport) -> String {
    if s.hosts.is_empty() {
        return String::new();
    }
    let names: Vec<String> = s.hosts.iter().map(|h| code(h)).collect();
    format!(" {} {}", lang.said("on-hosts"), names.join(", "))
}

/// How a remote step ended on each host, attempt by attempt, then its
/// rollback: the evidence of which machines were really recovered.
fn host_table(o: &mut String, r: &Report, s: &StepReport) {
    let rows = host_rows(r.lang, s);
    if rows.is_empty() {
        return;
    }
    let zone = r.zone();
    let lang = r.lang;
    let columns = [
        "attempt",
        "host",
        "outcome",
        "how-it-ended",
        "ended",
        "duration",
    ]
    .map(|c| lang.said(&format!("col-{c}")));
    let _ = writeln!(
        o,
        "\n| {} |\n|---|---|---|---|---|---:|",
        columns.join(" | ")
    );
    for (attempt, row) in rows {
        let attempt = attempt.map_or_else(|| lang.tr("rollback"), |n| n.to_string());
        let _ = match row {
            HostRow::Ended(h) => writeln!(
                o,
                "| {attempt} | {} | {} | {} | {} | {} |",
                code(&h.host),
                outcome_in(lang, h.outcome),
                md(&host_text_in(lang, h)),
                zone.clock(h.ended.at),
                secs_in(lang, h.duration_seconds)
            ),
            HostRow::NoEnd { host, why } => {
                writeln!(o, "| {attempt} | {} | — | {why} | — | — |", code(host))
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escaping_neutralises_markup_and_tables() {
        assert_eq!(
            md("<script>alert(\"x\")</script> & a|b *c*"),
            "&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; a\\|b \\*c\\*"
        );
        assert_eq!(md("line 1\nline 2\n"), "line 1<br>line 2");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code("plain"), "`plain`");
    }
}
