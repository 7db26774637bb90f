//! The dossier's sections of the report — the exercise (scenario, scope,
//! criteria and their assessment) at the top; corrective actions, sign-off
//! and the standards map at the end — said once, in the report's language,
//! for the Markdown and HTML renderers to mark up.

use fluent_templates::fluent_bundle::FluentValue;

use super::Report;
use super::inline::{Cell, Inline};
use crate::dossier::{Dossier, standards};
use crate::event::Assessment;
use crate::i18n::Lang;

/// A titled section: an introduction, then a table or, when it has no
/// rows, a line saying so, then free lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Stable anchor (`exercise`, `criteria`…).
    pub id: &'static str,
    /// Title, in the report's language.
    pub title: String,
    /// Lines before the table.
    pub intro: Vec<Vec<Inline>>,
    /// Column titles; empty for a section without a table.
    pub columns: Vec<String>,
    /// The table's rows.
    pub rows: Vec<Vec<Cell>>,
    /// Said instead of an empty table.
    pub empty: Option<Vec<Inline>>,
    /// Lines after the table.
    pub outro: Vec<Vec<Inline>>,
}

impl Section {
    fn new(id: &'static str, title: String) -> Section {
        Section {
            id,
            title,
            intro: Vec::new(),
            columns: Vec::new(),
            rows: Vec::new(),
            empty: None,
            outro: Vec::new(),
        }
    }
}

/// Translated text whose `` `code` `` spans become code pieces.
pub fn rich(s: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            out.push(Inline::Code(part.to_string()));
            continue;
        }
        // Renderers trim text pieces: the spaces around code are kept apart.
        if part.starts_with(' ') && i > 0 {
            out.push(Inline::Plain(" "));
        }
        if !part.trim().is_empty() {
            out.push(Inline::Text(part.trim().to_string()));
        }
        if part.ends_with(' ') && !part.trim().is_empty() {
            out.push(Inline::Plain(" "));
        }
        if part == " " && i == 0 {
            out.push(Inline::Plain(" "));
        }
    }
    out
}

fn verdict(lang: Lang, v: Option<Assessment>) -> Inline {
    match v {
        Some(a) => {
            let key = match a {
                Assessment::Met => "met",
                Assessment::PartlyMet => "partly_met",
                Assessment::NotMet => "not_met",
            };
            let class = match a {
                Assessment::Met => "done",
                Assessment::PartlyMet => "skipped",
                Assessment::NotMet => "failed",
            };
            Inline::Outcome(class, lang.tr(&format!("verdict-{key}")))
        }
        None => Inline::Muted(rich(&lang.tr("verdict-none"))),
    }
}

/// The sections that open the report: what the exercise was about and the
/// criteria it was judged by. None when the runbook said nothing of them.
pub fn front(d: &Dossier, lang: Lang) -> Vec<Section> {
    let ex = &d.exercise;
    let mut out = Vec::new();
    if ex.scenario.is_some() || ex.scope.is_some() {
        let mut s = Section::new("exercise", lang.tr("exercise-title"));
        for (key, text) in [
            ("exercise-scenario", &ex.scenario),
            ("exercise-scope", &ex.scope),
        ] {
            if let Some(text) = text {
                s.intro.push(vec![
                    Inline::Strong(lang.tr(key)),
                    Inline::Plain(": "),
                    Inline::Lines(text.clone()),
                ]);
            }
        }
        out.push(s);
    }
    if !d.criteria.is_empty() {
        let mut s = Section::new("criteria", lang.tr("criteria-title"));
        s.intro.push(vec![Inline::Text(lang.tr("criteria-intro"))]);
        s.columns = [
            "criterion-column",
            "verdict-column",
            "comment-column",
            "assessed-by-column",
        ]
        .iter()
        .map(|k| lang.tr(k))
        .collect();
        s.rows = d
            .criteria
            .iter()
            .map(|c| {
                vec![
                    vec![Inline::Text(format!("{}. {}", c.number, c.text))],
                    vec![verdict(lang, c.verdict)],
                    c.comment.iter().map(|t| Inline::Lines(t.clone())).collect(),
                    c.by.iter().map(|b| Inline::Text(b.clone())).collect(),
                ]
            })
            .collect();
        out.push(s);
    }
    out
}

/// The sections that close the report: corrective actions, sign-off and
/// the standards map.
pub fn back(r: &Report, d: &Dossier, lang: Lang) -> Vec<Section> {
    let zone = r.zone();
    let mut actions = Section::new("actions", lang.tr("actions-title"));
    actions.columns = [
        "action-id-column",
        "action-owner-column",
        "action-due-column",
        "action-text-column",
        "action-by-column",
    ]
    .iter()
    .map(|k| lang.tr(k))
    .collect();
    actions.rows = d
        .actions
        .iter()
        .map(|a| {
            vec![
                vec![Inline::Code(a.id.clone())],
                vec![Inline::Text(a.owner.clone())],
                vec![Inline::Text(a.due.to_string())],
                vec![Inline::Lines(a.text.clone())],
                vec![Inline::Text(format!(
                    "{}, {}",
                    a.by,
                    zone.clock(a.recorded)
                ))],
            ]
        })
        .collect();
    actions.empty = Some(vec![Inline::Text(lang.tr("actions-none"))]);

    let mut signoff = Section::new("signoff", lang.tr("signoff-title"));
    if d.signatures.is_empty() {
        signoff.intro.push(rich(&lang.tr("signoff-none")));
    } else {
        for s in &d.signatures {
            let role = s.role.as_ref().map_or(String::new(), |r| format!(" ({r})"));
            signoff.intro.push(vec![Inline::Text(lang.tr_args(
                "signoff-row",
                &[
                    ("account", FluentValue::from(s.account.clone())),
                    ("role", FluentValue::from(role)),
                    ("time", FluentValue::from(zone.long(s.signed_at))),
                    ("key", FluentValue::from(s.key.clone())),
                    ("events", FluentValue::from(s.events.to_string())),
                ],
            ))]);
        }
        signoff.intro.push(rich(&lang.tr("signoff-check")));
    }

    let mut map = Section::new("standards", lang.tr("standards-title"));
    map.intro
        .push(vec![Inline::Text(lang.tr("standards-intro"))]);
    map.columns = [
        "standards-item-column",
        "standards-status-column",
        "standards-asked-column",
    ]
    .iter()
    .map(|k| lang.tr(k))
    .collect();
    map.rows = standards::map(r.standards_record(), d)
        .into_iter()
        .map(|item| {
            let status = if item.present {
                vec![Inline::Outcome("done", lang.tr("standards-present"))]
            } else {
                let mut v = vec![Inline::Outcome("failed", lang.tr("standards-missing"))];
                v.push(Inline::Aside(rich(
                    &lang.tr(&format!("std-{}-fix", item.key)),
                )));
                v
            };
            vec![
                vec![Inline::Text(lang.tr(&format!("std-{}", item.key)))],
                status,
                vec![Inline::Text(item.asked_by.join(", "))],
            ]
        })
        .collect();
    vec![actions, signoff, map]
}
