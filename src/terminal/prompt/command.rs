//! A typed command line: its word, in any language reprise speaks, and
//! what it does (answers, notes, actions, holds, handovers, plan changes).

use crate::exec::OperatorInput;

use super::{Answer, Question, Reply, Session, non_empty, split_word};
use super::{command_of, help_lines, typed_word};

impl Session {
    pub(super) fn command(&mut self, line: &str) -> Reply {
        let (typed, rest) = split_word(line);
        // A command in any language reprise speaks.
        let word = command_of(typed).unwrap_or(typed);
        let lang = self.lang;
        match word {
            "" => Reply::default(),
            "help" | "?" => Reply {
                inputs: Vec::new(),
                text: help_lines(lang),
            },
            "list" | "ls" => Reply {
                inputs: Vec::new(),
                text: self.list_lines(),
            },
            "note" => self.note(rest),
            "detach" => Reply {
                inputs: vec![OperatorInput::Detached {
                    by: self.operator.clone(),
                    reason: Some("detach".into()),
                }],
                text: vec![lang.tr("prompt-detached")],
            },
            "hold" => {
                if rest.trim().is_empty() {
                    return Reply::say(lang.tr_args(
                        "prompt-why-hold",
                        &[("hold", typed_word(lang, "hold").into())],
                    ));
                }
                Reply::send(OperatorInput::Hold {
                    by: self.operator.clone(),
                    reason: Some(rest.trim().to_string()),
                })
            }
            "release" => Reply::send(OperatorInput::Release {
                by: self.operator.clone(),
            }),
            "action" => self.action(rest),
            "add" => match crate::terminal::add::parse(rest, |t| self.resolve_step(t)) {
                Ok(step) => Reply::send(OperatorInput::Add {
                    step,
                    by: self.operator.clone(),
                }),
                Err(message) => Reply::say(message.said_in(lang)),
            },
            "cancel" | "estimate" | "assign" => {
                let tz = jiff::tz::TimeZone::system();
                match crate::terminal::plan_change::parse(word, rest, &tz, |t| self.resolve_step(t))
                {
                    Ok(change) => Reply::send(OperatorInput::ChangePlan {
                        change,
                        by: self.operator.clone(),
                    }),
                    Err(message) => Reply::say(message.said_in(lang)),
                }
            }
            "handover" => {
                let (to, note) = split_word(rest);
                if to.is_empty() {
                    return Reply::say(lang.tr_args(
                        "prompt-who-takes-over",
                        &[("handover", typed_word(lang, "handover").into())],
                    ));
                }
                let by = self.operator.clone();
                self.operator.name = to.to_string();
                Reply::send(OperatorInput::Handover {
                    to: to.to_string(),
                    note: non_empty(note),
                    by,
                })
            }
            "abort" => {
                let (target, reason) = split_word(rest);
                if let Some(number) = self.resolve(target)
                    && matches!(self.open[&number].question, Question::Failed { .. })
                {
                    return self.answer(number, "abort", reason);
                }
                self.finish(Answer::Abort, non_empty(rest))
            }
            "done" | "fail" | "failed" | "skip" | "run" | "retry" | "retry-all" | "mark-done"
            | "mark-failed" | "continue" | "rollback" | "refuse" => {
                let (target, reason) = split_word(rest);
                if target.is_empty() {
                    return Reply::say(lang.tr_args(
                        "prompt-which-item",
                        &[
                            ("word", typed.to_string().into()),
                            ("open", self.open_summary().into()),
                        ],
                    ));
                }
                match self.resolve(target) {
                    Some(number) => self.answer(number, word, reason),
                    None => Reply::say(
                        self.late(target)
                            .unwrap_or_else(|| self.not_open(&format!("`{target}`"))),
                    ),
                }
            }
            _ => Reply::say(lang.tr_args(
                "prompt-unknown-command",
                &[
                    ("command", typed.to_string().into()),
                    ("help", typed_word(lang, "help").into()),
                ],
            )),
        }
    }

    pub(super) fn note(&mut self, rest: &str) -> Reply {
        let (first, text) = split_word(rest);
        let (step, text) = match first.strip_prefix('#').and_then(|n| n.parse::<u32>().ok()) {
            Some(n) => match self.open.get(&n) {
                Some(item) => (Some(item.question.step()), text),
                None => return Reply::say(self.not_open(&format!("#{n}"))),
            },
            None => (None, rest),
        };
        if text.is_empty() {
            return Reply::tr(self.lang, "prompt-nothing-to-note");
        }
        Reply::send(OperatorInput::Note {
            text: text.to_string(),
            step,
            by: self.operator.clone(),
        })
    }

    /// `action OWNER DUE TEXT`: a corrective action for the debrief.
    pub(super) fn action(&self, rest: &str) -> Reply {
        let (owner, rest) = split_word(rest);
        let (due, text) = split_word(rest);
        if owner.is_empty() || due.is_empty() || text.is_empty() {
            return Reply::tr(self.lang, "prompt-action-usage");
        }
        let Ok(due) = due.parse::<jiff::civil::Date>() else {
            return Reply::say(
                self.lang
                    .tr_args("prompt-not-a-date", &[("due", due.to_string().into())]),
            );
        };
        Reply::send(OperatorInput::Action {
            owner: owner.to_string(),
            due,
            text: text.to_string(),
            step: None,
            by: self.operator.clone(),
        })
    }
}
