//! `reprise action` and `reprise actions`: corrective actions after a
//! drill, and the open ones across drills.

use std::path::{Path, PathBuf};

use crate::dossier::{ActionReport, Dossier, actions, os_account};
use crate::event::{Event, Stamped};
use crate::journal::{self, Writer};
use crate::redact::Redactor;

/// Record a corrective action decided at the debrief: who, by when, what.
/// Appended to the journal (hash-chained); the report lists it and
/// `reprise actions` follows it across drills until it is closed.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  reprise action drill.jsonl labo 2027-01-15 \"script the SIL restore check\"

During the drill, type `action OWNER DUE TEXT` at the prompt instead.

Exit codes: 0 recorded, 2 invalid input, or the journal is damaged or in use.")]
pub struct AddArgs {
    /// The drill's journal.
    #[arg(value_name = "JOURNAL")]
    journal: PathBuf,
    /// Who must carry it out (a person or a team).
    #[arg(value_name = "OWNER")]
    owner: String,
    /// When it is due (YYYY-MM-DD).
    #[arg(value_name = "DUE")]
    due: String,
    /// What must be done.
    #[arg(value_name = "TEXT", required = true, trailing_var_arg = true)]
    text: Vec<String>,
    /// The step it is about.
    #[arg(long, value_name = "STEP")]
    step: Option<String>,
    /// The name recorded (default: your login).
    #[arg(long = "as", value_name = "NAME")]
    by: Option<String>,
}

/// List the open corrective actions of one or more drills, oldest first,
/// or close one.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  reprise actions journals/
  reprise actions journals/ --close 3f2a9c1e --reason \"restore check scripted (ticket 4411)\"

An action's id is the first 8 hex digits of the hash of the journal line \
that recorded it. Closings are recorded in `actions.jsonl` in the folder of \
the (first) journal, an append-only hash-chained file that `reprise verify` \
checks.

Exit codes: 0 listed or closed, 2 invalid input or a damaged file.")]
pub struct ListArgs {
    /// Journals, or folders of journals.
    #[arg(value_name = "JOURNAL|DIR", required = true)]
    paths: Vec<PathBuf>,
    /// Close this action.
    #[arg(long, value_name = "ID", requires = "reason")]
    close: Option<String>,
    /// What was done (with --close).
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,
    /// List closed actions too.
    #[arg(long)]
    all: bool,
}

/// Parses a due date.
pub fn due_date(text: &str) -> super::Result<jiff::civil::Date> {
    text.parse().map_err(|_| {
        super::Error::said(crate::i18n::msg!("action-not-a-date", text = text))
            .hint_said(crate::i18n::msg!("action-not-a-date-hint"))
    })
}

pub fn add(args: AddArgs) -> super::Result {
    super::words::speak_journal(&args.journal);
    let due = due_date(&args.due)?;
    let text = args.text.join(" ");
    if text.trim().is_empty() || args.owner.trim().is_empty() {
        return Err(super::Error::said(crate::i18n::msg!("action-empty")));
    }
    let (mut writer, journal) =
        Writer::append(&args.journal, Redactor::default()).map_err(super::verify::error)?;
    let step = match &args.step {
        None => None,
        Some(s) => {
            let known = journal.events().find_map(|e| match &e.event {
                Event::RunStarted { steps, .. } => Some(steps.iter().any(|p| p.id.as_str() == s)),
                _ => None,
            });
            if known != Some(true) {
                return Err(super::Error::said(crate::i18n::msg!(
                    "action-no-step",
                    step = s
                )));
            }
            Some(crate::runbook::StepId::new(s))
        }
    };
    let event = Event::ActionRecorded {
        owner: args.owner,
        due,
        text,
        by: args.by.unwrap_or_else(os_account),
        origin: crate::identity::Origin::this_process(),
        step,
    };
    writer
        .write(&Stamped {
            time: jiff::Timestamp::now(),
            event,
        })
        .map_err(super::verify::error)?;
    writer.sync().map_err(super::verify::error)?;
    drop(writer);
    let journal = journal::read(&args.journal).map_err(super::verify::error)?;
    let id = Dossier::from_journal(&journal)
        .actions
        .last()
        .map(|a| a.id.clone())
        .unwrap_or_default();
    super::print(&format!(
        "recorded action {id} in {}\n",
        args.journal.display()
    ))?;
    Ok(crate::exit::SUCCESS)
}

/// The journals named: files as given, folders' `*.jsonl` but the actions
/// file, in name order.
fn journals(paths: &[PathBuf]) -> super::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| {
                    super::Error::said(crate::i18n::msg!(
                        "cannot-read",
                        path = p.display(),
                        why = e
                    ))
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    f.extension().is_some_and(|x| x == "jsonl")
                        && f.file_name().is_some_and(|n| n != actions::FILE_NAME)
                })
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn folder(p: &Path) -> PathBuf {
    if p.is_dir() {
        p.to_path_buf()
    } else {
        p.parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    }
}

pub fn list(args: ListArgs) -> super::Result {
    if let Some(journal) = args.paths.iter().find(|p| p.is_file()) {
        super::words::speak_journal(journal);
    }
    let file = folder(&args.paths[0]).join(actions::FILE_NAME);
    let mut open: Vec<(String, ActionReport)> = Vec::new();
    for path in journals(&args.paths)? {
        let journal = journal::read(&path).map_err(super::verify::error)?;
        let name = journal
            .events()
            .find_map(|e| match &e.event {
                Event::RunStarted { name, .. } => {
                    Some(format!("{name}, {}", e.time.strftime("%Y-%m-%d")))
                }
                _ => None,
            })
            .unwrap_or_else(|| path.display().to_string());
        open.extend(
            Dossier::from_journal(&journal)
                .actions
                .into_iter()
                .map(|a| (name.clone(), a)),
        );
    }
    if let Some(id) = &args.close {
        let matching: Vec<_> = open
            .iter()
            .filter(|(_, a)| a.id.starts_with(id.as_str()))
            .collect();
        match matching.len() {
            0 => {
                return Err(
                    super::Error::said(crate::i18n::msg!("action-none", id = id))
                        .hint_said(crate::i18n::msg!("action-none-hint")),
                );
            }
            1 => {}
            _ => {
                return Err(
                    super::Error::said(crate::i18n::msg!("action-several", id = id))
                        .hint_said(crate::i18n::msg!("action-several-hint")),
                );
            }
        }
        let action = matching[0].1.id.clone();
        let closed = actions::read(&file).map_err(super::Error::invalid)?;
        if let Some(c) = closed.get(&action) {
            return Err(super::Error::said(crate::i18n::msg!(
                "action-closed-already",
                id = action,
                by = c.by,
                date = c.time.strftime("%Y-%m-%d")
            )));
        }
        let reason = args.reason.unwrap_or_default();
        actions::close(&file, &action, &reason, &os_account()).map_err(super::Error::invalid)?;
        super::print(&format!(
            "closed action {action} (recorded in {})\n",
            file.display()
        ))?;
        return Ok(crate::exit::SUCCESS);
    }
    let closed = actions::read(&file).map_err(super::Error::invalid)?;
    open.sort_by_key(|(_, a)| (a.recorded, a.due));
    let today = jiff::ZonedDateTime::now().date();
    let mut o = String::new();
    let mut shown = 0;
    for (drill, a) in &open {
        let closing = closed.get(&a.id);
        if closing.is_some() && !args.all {
            continue;
        }
        shown += 1;
        let state = match closing {
            Some(c) => format!("closed {}: {}", c.time.strftime("%Y-%m-%d"), c.reason),
            None if a.due < today => "OVERDUE".to_string(),
            None => "open".to_string(),
        };
        o.push_str(&format!(
            "{}  due {}  {:<8}  {}  — {} ({drill}) [{state}]\n",
            a.id,
            a.due,
            crate::escape::line(&a.owner),
            crate::escape::line(&a.text),
            crate::escape::line(&a.by),
        ));
    }
    if shown == 0 {
        o.push_str("no open corrective action\n");
    }
    super::print(&o)?;
    Ok(crate::exit::SUCCESS)
}
