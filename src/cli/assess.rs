//! `reprise assess`: records how far each success criterion was met.

use std::io::IsTerminal;
use std::path::PathBuf;

use serde::Deserialize;

use crate::dossier::{Dossier, os_account};
use crate::event::{Assessment, Event, Stamped};
use crate::journal::{self, Writer};
use crate::redact::Redactor;

/// Assess the exercise's success criteria (`objectives.criteria`): each
/// met, partly met or not met, with a comment. Appended to the journal,
/// hash-chained, after the drill; the report shows the latest assessment of
/// each criterion at its top.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  reprise assess drill.jsonl                       # asks for each criterion at a terminal
  reprise assess drill.jsonl 2 partly_met \"results in 2h40, not 2h\"
  reprise assess drill.jsonl --from assessment.yaml

An assessment file is a YAML list: `- {criterion: 1, verdict: met, comment: \"…\"}`. \
Verdicts: met, partly_met, not_met (French: atteint, partiellement_atteint, non_atteint).

Exit codes: 0 recorded, 2 invalid input, or the journal is damaged or in use.")]
pub struct Args {
    /// The drill's journal.
    #[arg(value_name = "JOURNAL")]
    journal: PathBuf,
    /// The criterion's number (as the report and `reprise plan` list them).
    #[arg(value_name = "N", requires = "verdict")]
    criterion: Option<u32>,
    /// met, partly_met or not_met.
    #[arg(value_name = "VERDICT")]
    verdict: Option<String>,
    /// Why.
    #[arg(value_name = "COMMENT", trailing_var_arg = true)]
    comment: Vec<String>,
    /// Read the assessments from a YAML file.
    #[arg(long, value_name = "FILE", conflicts_with = "criterion")]
    from: Option<PathBuf>,
    /// The name recorded as the assessor (default: your login).
    #[arg(long = "as", value_name = "NAME")]
    by: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    criterion: u32,
    verdict: String,
    #[serde(default)]
    comment: Option<String>,
}

pub fn run(args: Args) -> super::Result {
    super::words::speak_journal(&args.journal);
    let journal = journal::read(&args.journal).map_err(super::verify::error)?;
    journal::verify(&journal).map_err(super::verify::error)?;
    let dossier = Dossier::from_journal(&journal);
    let count = dossier.criteria.len() as u32;
    if count == 0 {
        return Err(super::Error::said(crate::i18n::msg!(
            "assess-no-criteria",
            journal = args.journal.display()
        ))
        .hint_said(crate::i18n::msg!("assess-no-criteria-hint")));
    }
    let entries = if let Some(file) = &args.from {
        let text = std::fs::read_to_string(file).map_err(|e| {
            super::Error::said(crate::i18n::msg!(
                "cannot-read",
                path = file.display(),
                why = e
            ))
        })?;
        serde_saphyr::from_str::<Vec<Entry>>(&text).map_err(|e| {
            super::Error::invalid(format!("{}: {e}", file.display()))
                .hint_said(crate::i18n::msg!("assess-file-hint"))
        })?
    } else if let (Some(criterion), Some(verdict)) = (args.criterion, &args.verdict) {
        let comment = (!args.comment.is_empty()).then(|| args.comment.join(" "));
        vec![Entry {
            criterion,
            verdict: verdict.clone(),
            comment,
        }]
    } else if std::io::stdin().is_terminal() {
        ask(&dossier)?
    } else {
        return Err(super::Error::said(crate::i18n::msg!("assess-none"))
            .hint_said(crate::i18n::msg!("assess-none-hint")));
    };
    // Every entry is checked before anything is written.
    let mut events = Vec::with_capacity(entries.len());
    let by = args.by.clone().unwrap_or_else(os_account);
    for e in &entries {
        if e.criterion == 0 || e.criterion > count {
            return Err(super::Error::said(crate::i18n::msg!(
                "assess-no-such-criterion",
                n = e.criterion,
                count = count
            ))
            .hint_said(crate::i18n::msg!(
                "assess-no-such-criterion-hint",
                count = count
            )));
        }
        let verdict: Assessment = e.verdict.parse().map_err(super::Error::invalid)?;
        events.push(Event::CriterionAssessed {
            criterion: e.criterion,
            verdict,
            comment: e.comment.clone().filter(|c| !c.trim().is_empty()),
            by: by.clone(),
            origin: crate::identity::Origin::this_process(),
        });
    }
    let (mut writer, _) =
        Writer::append(&args.journal, Redactor::default()).map_err(super::verify::error)?;
    for event in events {
        writer
            .write(&Stamped {
                time: jiff::Timestamp::now(),
                event,
            })
            .map_err(super::verify::error)?;
    }
    writer.sync().map_err(super::verify::error)?;
    super::print(&format!(
        "recorded {} assessment{} in {}\n",
        entries.len(),
        if entries.len() == 1 { "" } else { "s" },
        args.journal.display()
    ))?;
    Ok(crate::exit::SUCCESS)
}

/// Asks for each criterion at the terminal, in the drill's language; an
/// empty answer leaves it.
fn ask(d: &Dossier) -> super::Result<Vec<Entry>> {
    let criteria: Vec<String> = d.criteria.iter().map(|c| c.text.clone()).collect();
    let lang = crate::i18n::Lang::for_runbook(d.exercise.lang.as_deref());
    let typed = crate::terminal::criteria::ask(
        &criteria,
        lang,
        &mut std::io::stdin().lock(),
        &mut std::io::stdout().lock(),
    )
    .map_err(|e| super::Error::said(crate::i18n::msg!("assess-cannot-read-answer", why = e)))?;
    Ok(typed
        .into_iter()
        .map(|a| Entry {
            criterion: a.criterion,
            verdict: match a.verdict {
                Assessment::Met => "met",
                Assessment::PartlyMet => "partly_met",
                Assessment::NotMet => "not_met",
            }
            .to_string(),
            comment: a.comment,
        })
        .collect())
}
