//! The success criteria (`objectives.criteria`) assessed once the drill is
//! over: asked at the terminal after the summary, or taken from the
//! answers file's `criteria:`. Each becomes a `criterion_assessed` record,
//! appended after `run_finished` by the process that still holds the
//! journal (as `reprise assess` does later).

use crate::event::{Event, Stamped};
use crate::exec::operator::CriterionAnswer;
use crate::i18n::Lang;
use crate::identity::Identity;
use crate::journal::Writer;

/// Where the assessments come from.
pub(super) enum Source {
    /// Nobody to ask and nothing given.
    None,
    /// A person at this terminal.
    Terminal,
    /// The answers file's `criteria:`.
    Answers(Vec<CriterionAnswer>),
}

/// Records the criteria's assessments; returns how many were recorded.
/// Nothing is asked when the runbook has no criteria.
pub(super) fn assess(
    source: Source,
    criteria: &[String],
    lang: Lang,
    by: &Identity,
    writer: &mut Writer,
) -> super::super::Result<usize> {
    if criteria.is_empty() {
        return Ok(0);
    }
    let given: Vec<CriterionAnswer> = match source {
        Source::None => return Ok(0),
        Source::Answers(given) => given,
        Source::Terminal => {
            let mut err = std::io::stderr().lock();
            let typed = crate::terminal::criteria::ask(
                criteria,
                lang,
                &mut std::io::stdin().lock(),
                &mut err,
            )
            .map_err(|e| {
                super::super::Error::said(crate::i18n::msg!("criteria-cannot-read", why = e))
            })?;
            typed
                .into_iter()
                .map(|a| CriterionAnswer {
                    criterion: a.criterion,
                    verdict: a.verdict,
                    comment: a.comment,
                })
                .collect()
        }
    };
    let fail = |e: crate::journal::Error| {
        super::super::Error::said(
            crate::i18n::msg!("criteria-cannot-record")
                .sub("why", crate::cli::verify::journal_said(&e)),
        )
    };
    for a in &given {
        writer
            .write(&Stamped {
                time: jiff::Timestamp::now(),
                event: Event::CriterionAssessed {
                    criterion: a.criterion,
                    verdict: a.verdict,
                    comment: a.comment.clone(),
                    by: by.name.clone(),
                    origin: by.origin.clone(),
                },
            })
            .map_err(fail)?;
    }
    writer.sync().map_err(fail)?;
    Ok(given.len())
}
