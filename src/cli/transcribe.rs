//! `reprise transcribe`: enter what was written on paper checklists into a
//! journal, from a YAML file or step by step at a terminal.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use fluent_templates::fluent_bundle::FluentValue;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use sha2::{Digest, Sha256};

use crate::diagnostic;
use crate::escape;
use crate::event::{Event, PlannedPhase, PlannedStep, Stamped};
use crate::exit;
use crate::i18n::{Lang, msg};
use crate::identity::Origin;
use crate::journal::{self, Writer};
use crate::paper::{self, Entry, sheet};
use crate::redact::Redactor;
use crate::runbook::Mode;
use crate::timeline::Timeline;
use crate::validate::{self, Rejected};

/// Enter what was written on paper checklists (`reprise plan --format
/// checklist`) into a journal: the times written by hand, the outcomes, the
/// initials and the reasons. Every record is marked `source: paper`, with
/// your OS account and the time of transcription.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  reprise transcribe runbooks/ransomware.yaml --from sheets.yaml
  reprise transcribe journals/ransomware-20261206T080000Z.jsonl --from sheets.yaml
  reprise transcribe runbooks/ransomware.yaml

Given a runbook, a new journal is started from the sheets; given the \
journal of a drill that ran in reprise until IT went down, the sheets \
continue it: steps it recorded stay as they are. Without --from, the \
steps are asked one by one at the terminal, in plan order. Times are \
written `14:05`, `14h05`, or in full (`2026-12-06 14:05`) for a drill over \
midnight. The sheet file's format is in docs/paper.md.

A sheet that contradicts itself or the journal (a step that ends before \
it starts, starts before a step it comes after has ended, or is earlier \
than what the journal holds) is refused with the place of each problem; \
nothing is written until the sheet is corrected.

Exit codes: 0 transcribed, 2 the sheet, runbook or journal has errors \
(nothing written).")]
pub struct Args {
    /// A runbook, to start a journal from the sheets, or a drill's journal
    /// (`.jsonl`) to continue.
    #[arg(value_name = "RUNBOOK|JOURNAL")]
    input: PathBuf,

    /// Read the sheets from this YAML file (see docs/paper.md) instead of
    /// asking at the terminal.
    #[arg(long, value_name = "FILE")]
    from: Option<PathBuf>,

    /// With a runbook: the journal to create (default
    /// `journals/<runbook>-<first paper time>.jsonl`).
    #[arg(long, value_name = "PATH")]
    journal: Option<PathBuf>,

    /// With a runbook: whether the sheets record a drill or the incident.
    #[arg(long, value_enum, default_value_t = ModeArg::Drill)]
    mode: ModeArg,

    /// With a runbook: who led the drill (default: the sheet file's
    /// `operator`, else your login).
    #[arg(long, value_name = "NAME")]
    operator: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ModeArg {
    Drill,
    Incident,
}

/// Where the records go.
enum Target {
    /// A journal to continue, locked and read.
    Existing(Writer),
    /// A journal to start: its first events (`run_started`, steps not
    /// applicable), timed once the sheets are read.
    New {
        base: Vec<Stamped>,
        runbook: PathBuf,
        redactor: Redactor,
    },
}

pub fn run(args: Args) -> super::Result {
    let zone = TimeZone::try_system();
    let (mut target, mut timeline) = open(&args)?;
    // The sheets' language: the runbook's `lang:` (recorded in the journal).
    let lang = Lang::for_runbook(
        timeline
            .header
            .as_ref()
            .and_then(|h| h.exercise.lang.as_deref()),
    );
    // Its errors too, from now on.
    super::words::speak(lang);
    let zone = zone.unwrap_or_else(|e| {
        warn(
            lang,
            lang.tr_args("transcribe-no-zone", &[("error", text(&e.to_string()))]),
        );
        TimeZone::UTC
    });
    let planned: Vec<PlannedStep> = timeline.steps.iter().map(|s| s.planned.clone()).collect();

    let (entries, sheet_operator) = match &args.from {
        Some(file) => {
            let text = std::fs::read_to_string(file).map_err(|e| {
                super::Error::said(msg!("cannot-read", path = file.display(), why = e))
            })?;
            let shown = file.display().to_string();
            match sheet::parse(&text, &shown, &planned, &zone, lang) {
                Ok(s) => (s.entries, s.operator),
                Err(problems) => return Ok(refuse(&problems, lang)),
            }
        }
        None => {
            if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
                return Err(super::Error::said(msg!("transcribe-no-terminal"))
                    .hint_said(msg!("transcribe-no-terminal-hint")));
            }
            (ask(&timeline, &zone, lang)?, None)
        }
    };
    if entries.is_empty() {
        return Err(super::Error::said(msg!("transcribe-no-step")));
    }

    let now = Timestamp::now()
        .round(jiff::Unit::Millisecond)
        .unwrap_or_else(|_| Timestamp::now());
    let origin = Origin {
        transcribed_at: Some(now),
        ..Origin::this_process()
    };
    // A new journal starts at the first time on the sheets.
    if let Target::New { base, .. } = &mut target {
        let first = entries
            .iter()
            .flat_map(|e| [e.start, e.end])
            .flatten()
            .min()
            .unwrap_or(now);
        for e in base.iter_mut() {
            e.time = first;
            if let Event::RunStarted {
                operator,
                origin: o,
                ..
            } = &mut e.event
            {
                if let Some(name) = args.operator.clone().or(sheet_operator.clone()) {
                    *operator = name;
                }
                *o = origin.clone();
            }
        }
        timeline = Timeline::from_events(base.iter());
    }
    let done = match paper::records(&timeline, &entries, &origin, lang) {
        Ok(t) => t,
        Err(problems) => return Ok(refuse(&problems, lang)),
    };
    for w in &done.warnings {
        warn(lang, w.clone());
    }

    let mut writer = match target {
        Target::Existing(w) => w,
        Target::New {
            base,
            runbook,
            redactor,
        } => {
            let mut w = match &args.journal {
                Some(path) => Writer::create(path, redactor),
                None => journal::create_default(&runbook, base[0].time, redactor),
            }
            .map_err(super::verify::error)?;
            for e in &base {
                w.write(e).map_err(super::verify::error)?;
            }
            w
        }
    };
    for e in &done.events {
        writer.write(e).map_err(super::verify::error)?;
    }
    writer.sync().map_err(super::verify::error)?;

    let steps = done
        .events
        .iter()
        .filter(|e| matches!(e.event, Event::StepFinished { .. }))
        .count();
    let mut summary = lang.tr_args(
        "transcribe-summary",
        &[
            ("steps", FluentValue::from(steps)),
            (
                "journal",
                FluentValue::from(writer.path().display().to_string()),
            ),
        ],
    );
    if !done.kept.is_empty() {
        summary.push_str(&lang.tr_args(
            "transcribe-kept",
            &[("count", FluentValue::from(done.kept.len()))],
        ));
    }
    if let Some(Event::RunFinished { result }) = done.events.last().map(|e| &e.event) {
        let result = lang.tr(&format!("summary-result-{result}"));
        summary.push_str(&lang.tr_args(
            "transcribe-finished",
            &[("result", FluentValue::from(result))],
        ));
    }
    super::print(&format!("{summary}\n"))?;
    Ok(exit::SUCCESS)
}

/// Prints every problem and says that nothing was written, in `lang`.
fn refuse(problems: &[paper::Problem], lang: Lang) -> u8 {
    let mut err = std::io::stderr().lock();
    for p in problems {
        let _ = write!(
            err,
            "{}",
            super::words::line(lang, "error-line", &p.said(lang))
        );
    }
    let _ = writeln!(
        err,
        "{}",
        lang.tr_args(
            "transcribe-refused",
            &[("count", FluentValue::from(problems.len()))]
        )
    );
    exit::INVALID
}

/// Prints a warning in `lang`.
fn warn(lang: Lang, what: String) {
    super::show_err(&super::words::line(lang, "warning-line", &what));
}

/// Text as a message's argument.
fn text(s: &str) -> FluentValue<'static> {
    FluentValue::from(s.to_string())
}

/// Opens the journal to continue, or prepares a new one from the runbook.
fn open(args: &Args) -> super::Result<(Target, Timeline)> {
    let path = &args.input;
    let head = read_head(path)?;
    if head.trim_start().starts_with('{') {
        // Its errors in the drill's language from now on.
        super::words::speak_journal(path);
        if args.journal.is_some() || args.operator.is_some() {
            return Err(super::Error::said(msg!("transcribe-journal-options"))
                .hint_said(msg!("transcribe-journal-options-hint")));
        }
        let (writer, journal) =
            Writer::append(path, Redactor::default()).map_err(super::verify::error)?;
        let timeline = Timeline::from_events(journal.events());
        if timeline.header.is_none() {
            return Err(super::Error::said(msg!(
                "transcribe-not-a-journal",
                path = path.display()
            )));
        }
        if let Some((_, result)) = timeline.result {
            return Err(super::Error::said(msg!(
                "transcribe-drill-ended",
                path = path.display(),
                result = super::words::spoken().tr(&format!("summary-result-{result}"))
            ))
            .hint_said(msg!("transcribe-drill-ended-hint")));
        }
        return Ok((Target::Existing(writer), timeline));
    }
    let shown = path.display().to_string();
    let checked = match validate::load(path) {
        Ok(c) => c,
        Err(Rejected {
            source,
            diagnostics,
        }) => {
            let text = diagnostic::render(
                &diagnostics,
                &shown,
                source.as_ref().map(validate::Source::for_diagnostics),
                diagnostic::stderr_color(),
            );
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
            return Err(
                super::Error::said(msg!("transcribe-runbook-errors", runbook = shown))
                    .hint_said(msg!("transcribe-runbook-errors-hint", runbook = shown)),
            );
        }
    };
    let rb = &checked.runbook;
    // Its errors in the drill's language from now on.
    super::words::speak_runbook(rb.exercise.lang.as_deref());
    let mode = match args.mode {
        ModeArg::Drill => Mode::Drill,
        ModeArg::Incident => Mode::Incident,
    };
    let operator = Origin::this_process().account.unwrap_or_default();
    let started = Stamped {
        time: Timestamp::UNIX_EPOCH,
        event: Event::RunStarted {
            runbook: shown.clone(),
            runbook_sha256: hex::encode(Sha256::digest(checked.source.text.as_bytes())),
            name: rb.name.clone(),
            mode,
            dry_run: false,
            operator,
            origin: Origin::default(),
            host: journal::hostname(),
            reprise_version: env!("CARGO_PKG_VERSION").to_string(),
            rto: rb.objectives.rto.map(|d| d.value),
            rpo: rb.objectives.rpo.map(|d| d.value),
            services: crate::exec::engine::planned_services(rb),
            phases: rb
                .phases
                .iter()
                .map(|p| PlannedPhase {
                    id: p.id.value.clone(),
                    title: p.title.clone(),
                })
                .collect(),
            steps: crate::exec::engine::planned_steps(rb, &checked.graph, mode),
            // As a live drill records it, for the dossier.
            exercise: (!rb.exercise.is_empty()).then(|| {
                Box::new(crate::event::ExerciseInfo {
                    scenario: rb.exercise.scenario.clone(),
                    scope: rb.exercise.scope.clone(),
                    criteria: rb.exercise.criteria.clone(),
                    lang: rb.exercise.lang.clone(),
                })
            }),
        },
    };
    let mut timeline = Timeline::from_events([&started]);
    let mut base = vec![started];
    base.extend(paper::not_applicable(
        &timeline,
        mode,
        Timestamp::UNIX_EPOCH,
    ));
    timeline = Timeline::from_events(base.iter());
    let redactor = Redactor::new(rb.secret_values());
    Ok((
        Target::New {
            base,
            runbook: path.clone(),
            redactor,
        },
        timeline,
    ))
}

/// The first bytes of a file, to tell a journal (JSON lines) from a
/// runbook (YAML).
fn read_head(path: &Path) -> super::Result<String> {
    use std::io::Read;
    let mut buf = [0u8; 256];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut buf))
        .map_err(|e| {
            super::Error::said(msg!("cannot-read", path = path.display(), why = e))
                .hint_said(msg!("transcribe-cannot-read-hint"))
        })?;
    Ok(String::from_utf8_lossy(&buf[..n]).into_owned())
}

// ---- at a terminal ---------------------------------------------------------

/// Asks for every step not yet recorded, in plan order; each entry is
/// checked at once against the journal and the entries before it.
fn ask(timeline: &Timeline, zone: &TimeZone, lang: Lang) -> super::Result<Vec<Entry>> {
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut read = |prompt: &str| -> super::Result<Option<String>> {
        let mut out = std::io::stdout().lock();
        let _ = write!(out, "{prompt}");
        let _ = out.flush();
        match lines.next() {
            Some(Ok(l)) => Ok(Some(l.trim().to_string())),
            Some(Err(e)) => Err(super::Error::said(msg!(
                "transcribe-cannot-read-terminal",
                why = e
            ))),
            None => Ok(None),
        }
    };
    let end_of_input = || {
        super::Error::said(msg!("transcribe-input-ended"))
            .hint_said(msg!("transcribe-input-ended-hint"))
    };
    let today = Timestamp::now().to_zoned_datetime(zone.clone()).date();
    let date: Date = loop {
        let answer = read(&format!(
            "{} ",
            lang.tr_args(
                "transcribe-date-prompt",
                &[("today", text(&today.to_string()))]
            )
        ))?
        .ok_or_else(end_of_input)?;
        if answer.is_empty() {
            break today;
        }
        match sheet::parse_date(&answer, lang) {
            Ok(d) => break d,
            Err(m) => println!("  {m}"),
        }
    };
    let origin = Origin::default();
    let mut entries: Vec<Entry> = Vec::new();
    println!("{}", lang.tr("transcribe-explain"));
    // A question: its words in `lang` and a space to type after.
    let question = |id: &str| format!("  {} ", lang.tr(id));
    for i in paper::plan_order(timeline) {
        let rec = &timeline.steps[i];
        if rec.outcome().is_some() {
            continue;
        }
        let p = &rec.planned;
        let after: Vec<String> = p
            .needs
            .iter()
            .filter_map(|n| timeline.steps.iter().position(|s| s.id() == n))
            .map(|j| (j + 1).to_string())
            .collect();
        let role = p.role.as_ref().map_or(String::new(), |r| {
            lang.tr_args("transcribe-step-role", &[("role", text(&escape::line(r)))])
        });
        let after = if after.is_empty() {
            String::new()
        } else {
            lang.tr_args(
                "transcribe-step-after",
                &[("steps", text(&after.join(", ")))],
            )
        };
        println!(
            "\n{}",
            lang.tr_args(
                "transcribe-step",
                &[
                    ("number", text(&(i + 1).to_string())),
                    ("title", text(&escape::line(&p.title))),
                    ("id", text(p.id.as_str())),
                    ("role", text(&role)),
                    ("after", text(&after)),
                ],
            )
        );
        'step: loop {
            let outcome = loop {
                let a = read(&question("transcribe-outcome"))?.ok_or_else(end_of_input)?;
                if a.is_empty() {
                    break None;
                }
                match sheet::parse_outcome(&a, lang) {
                    Ok(o) => break Some(o),
                    Err(m) => println!("  {m}"),
                }
            };
            let Some(outcome) = outcome else {
                break 'step;
            };
            let mut time = |what: &str| -> super::Result<Option<Timestamp>> {
                loop {
                    let a = read(&question(what))?.ok_or_else(end_of_input)?;
                    if a.is_empty() {
                        return Ok(None);
                    }
                    match sheet::parse_time(&a, Some(date), zone, lang) {
                        Ok(t) => return Ok(Some(t)),
                        Err(m) => println!("  {m}"),
                    }
                }
            };
            let start = time("transcribe-start")?;
            let end = time("transcribe-end")?;
            // The restore-point box, printed for these steps (docs/paper.md).
            let mut restore_point = None;
            if outcome == crate::event::Outcome::Done
                && crate::runbook::Record::paper_box(&p.records, p.kind, !p.restores.is_empty())
            {
                loop {
                    let a =
                        read(&question("transcribe-restore-point"))?.ok_or_else(end_of_input)?;
                    if a.is_empty() {
                        break;
                    }
                    match sheet::parse_time(&a, Some(date), zone, lang) {
                        Ok(t) => {
                            restore_point = Some((t, sheet::written_point(&a, t, zone)));
                            break;
                        }
                        Err(m) => println!("  {m}"),
                    }
                }
            }
            let initials = read(&question("transcribe-initials"))?.ok_or_else(end_of_input)?;
            let reason = read(&question("transcribe-reason"))?.ok_or_else(end_of_input)?;
            let entry = Entry {
                step: p.id.clone(),
                start,
                end,
                outcome,
                initials: if initials.is_empty() {
                    "?".into()
                } else {
                    initials
                },
                restore_point,
                reason: (!reason.is_empty()).then_some(reason),
                place: lang.tr_args("paper-place", &[("number", text(&(i + 1).to_string()))]),
            };
            let mut trial = entries.clone();
            trial.push(entry.clone());
            match paper::records(timeline, &trial, &origin, lang) {
                Ok(_) => {
                    entries.push(entry);
                    break 'step;
                }
                Err(problems) => {
                    for p in problems {
                        println!("  {}", escape::text(&p.said(lang)));
                    }
                    println!("  {}", lang.tr("transcribe-again"));
                }
            }
        }
    }
    Ok(entries)
}
