//! The open items: finding one by number or step id, and saying what is
//! open and what each accepts.

use crate::exec::Question;
use crate::runbook::StepIndex;

use super::{Session, accepted, exit_words};

impl Session {
    /// An item number (`2`, `#2`) or the id of a step with an open item.
    pub(super) fn resolve(&self, target: &str) -> Option<u32> {
        let target = target.strip_prefix('#').unwrap_or(target);
        if let Ok(n) = target.parse::<u32>() {
            return self.open.contains_key(&n).then_some(n);
        }
        self.open
            .values()
            .find(|i| self.ids.get(i.question.step().get()).map(String::as_str) == Some(target))
            .map(|i| i.number)
    }

    /// What to say to an answer for an item another terminal recorded.
    pub(super) fn late(&self, target: &str) -> Option<String> {
        let t = target.strip_prefix('#').unwrap_or(target);
        let number = match t.parse::<u32>() {
            Ok(n) => n,
            Err(_) => self.ids.iter().position(|i| i == t)? as u32 + 1,
        };
        let first = self.recorded.get(&number)?;
        let id = StepIndex::from_number(number)
            .and_then(|step| self.ids.get(step.get()))
            .map_or("?", String::as_str);
        let refusal = crate::exec::Refusal::AlreadyRecorded {
            step: crate::exec::refusal::Item {
                number,
                id: id.to_string(),
            },
            by: first.by.clone(),
            at: first.at,
            what: first.what.clone(),
        };
        Some(refusal.say(self.lang))
    }

    /// Any step, open or not: an open item's number, a step's item number
    /// (its position in the runbook) or its id.
    pub(super) fn resolve_step(&self, target: &str) -> Option<StepIndex> {
        if let Some(n) = self.resolve(target) {
            return Some(self.open[&n].question.step());
        }
        StepIndex::resolve(target, &self.ids)
    }

    /// `` `x` is not an open item; open: … ``.
    pub(super) fn not_open(&self, what: &str) -> String {
        self.lang.tr_args(
            "prompt-not-open",
            &[
                ("what", what.to_string().into()),
                ("open", self.open_summary().into()),
            ],
        )
    }

    pub(super) fn describe(&self, number: u32) -> String {
        let item = &self.open[&number];
        let id = self
            .ids
            .get(item.question.step().get())
            .map_or("?", String::as_str);
        let (kind, exit) = match &item.question {
            Question::Manual { .. } => ("manual", String::new()),
            Question::Confirm { .. } => ("confirm", String::new()),
            Question::Failed { exit, .. } => ("failed", exit_words(&exit.ending, self.lang)),
            Question::Rollback { .. } => ("rollback", String::new()),
            Question::Interrupted { .. } => ("interrupted", String::new()),
        };
        self.lang.tr_args(
            &format!("prompt-item-{kind}"),
            &[("id", id.to_string().into()), ("exit", exit.into())],
        )
    }

    /// `open: #1 call-vendor (manual step), #3 …` or `nothing is open`.
    pub fn open_summary(&self) -> String {
        if self.open.is_empty() {
            return self.lang.tr("prompt-nothing-open");
        }
        let items: Vec<String> = self
            .open
            .keys()
            .map(|n| format!("#{n} {}", self.describe(*n)))
            .collect();
        self.lang
            .tr_args("prompt-open", &[("items", items.join(", ").into())])
    }

    /// One line per open item with what it accepts.
    pub fn list_lines(&self) -> Vec<String> {
        let operator =
            || -> [(&'static str, _); 1] { [("operator", self.operator.name.clone().into())] };
        if self.open.is_empty() {
            return vec![self.lang.tr_args("prompt-list-none", &operator())];
        }
        let mut lines = vec![self.lang.tr_args("prompt-list-head", &operator())];
        for (n, item) in &self.open {
            lines.push(format!(
                "  {}",
                self.lang.tr_args(
                    "prompt-item-takes",
                    &[
                        ("item", format!("#{n} {}", self.describe(*n)).into()),
                        ("words", accepted(&item.question, *n, self.lang).into()),
                    ],
                )
            ));
            if let Question::Confirm { step } = &item.question
                && let Some(details) = self.confirm_details.get(step.get())
            {
                lines.extend(details.iter().map(|l| format!("  {l}")));
            }
        }
        lines
    }
}
