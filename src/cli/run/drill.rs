//! A drill prepared (variables, the answers file, who answers) and run:
//! the sinks, the engine's driver, the summary and the exit code.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::event::RunResult;
use crate::exec::driver::{self};
use crate::exec::operator::{Answers, AnswersOperator, Nobody, Yes};
use crate::exec::process::Spawner;
use crate::exec::{Config, Operator, RunInfo, Sink};
use crate::exit;
use crate::journal;
use crate::redact::Redactor;
use crate::runbook::Runbook;
use crate::terminal;
use crate::validate::{self, Checked};

use super::refuse::{refuse_scripted_approvals, refuse_unanswerable};
use super::{
    AbortReason, Answerer, Drill, Journal, Prepared, criteria, grace, interactive, jobs,
    prepare_log_dir, print_preview, unstarted,
};

impl Drill {
    /// The runbook's `notify:` targets and those of `--notify`.
    fn targets(&self, rb: &Runbook) -> crate::cli::Result<Vec<crate::notify::Target>> {
        let mut targets = rb.notify.clone();
        for (i, flag) in self.notify.iter().enumerate() {
            targets.push(
                crate::notify::from_flag(flag, rb.notify.len() + i + 1).map_err(|e| {
                    crate::cli::Error::invalid(e)
                        .hint_said(crate::i18n::msg!("see-file", path = "docs/alerts.md"))
                })?,
            );
        }
        Ok(targets)
    }

    /// Everything after argument parsing: variables, operator, checks
    /// before the start, sinks, the drill, the summary, the exit code.
    pub(crate) fn prepare_and_run(self, checked: &Checked, journal: Journal) -> crate::cli::Result {
        let prepared = self.prepare(checked)?;
        self.run_prepared(checked, prepared, journal)
    }

    /// Checks and resolves what the drill needs from the command line
    /// (variables, the answers file, who answers) without writing or
    /// stopping anything: `resume` calls it before it stops a leftover
    /// process or appends `run_resumed`, so that a mistyped `--var` or a
    /// bad `--answers` file changes nothing.
    pub(crate) fn prepare(&self, checked: &Checked) -> crate::cli::Result<Prepared> {
        let rb = &checked.runbook;
        // A bad --notify is refused before anything is written or stopped.
        self.targets(rb)?;
        let vars = self.resolve_vars(rb)?;
        let values: std::collections::HashMap<&str, &str> =
            vars.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let secrets: Vec<&str> = rb
            .vars
            .iter()
            .filter(|v| v.secret)
            .filter_map(|v| values.get(v.name.as_str()).copied())
            .collect();
        let redactor = Redactor::new(secrets);

        let answerer = if let Some(path) = &self.answers {
            let shown = path.display().to_string();
            // Read as a runbook is (size cap, directories, UTF-8):
            // `--answers /dev/zero` was read until memory ran out.
            let text = validate::read(path).map_err(|d| {
                crate::cli::Error::said(crate::i18n::msg!("answers-unusable", why = d.message))
            })?;
            let answers = Answers::parse(&text, rb).map_err(|errors| {
                let mut msg = String::new();
                for e in &errors {
                    msg.push_str(&e.render(&shown));
                    msg.push('\n');
                }
                eprint!("{msg}");
                crate::cli::Error::said(crate::i18n::msg!("answers-invalid", file = &shown))
                    .hint_said(crate::i18n::msg!("answers-invalid-hint"))
            })?;
            Answerer::Answers(answers, shown)
        } else if self.yes {
            Answerer::Yes
        } else if self.detached {
            Answerer::Attached
        } else if interactive() {
            Answerer::Terminal
        } else {
            Answerer::Nobody
        };
        if !self.dry_run {
            refuse_unanswerable(rb, self.mode, &self.presets, &answerer, "run")?;
            refuse_scripted_approvals(rb, self.mode, &answerer)?;
        }
        Ok(Prepared {
            vars,
            redactor,
            answerer,
        })
    }

    /// The drill itself, once [`Drill::prepare`] has passed.
    pub(crate) fn run_prepared(
        self,
        checked: &Checked,
        prepared: Prepared,
        journal: Journal,
    ) -> crate::cli::Result {
        let rb = &checked.runbook;
        let Prepared {
            vars,
            redactor,
            answerer,
        } = prepared;

        let config = Config {
            mode: self.mode,
            dry_run: self.dry_run,
            jobs: jobs(self.jobs, rb),
            operator: self.operator.clone(),
            presets: self.presets.clone(),
            info: RunInfo {
                runbook: self.runbook_arg.clone(),
                runbook_sha256: hex::encode(Sha256::digest(checked.source.text.as_bytes())),
                host: journal::hostname(),
                version: env!("CARGO_PKG_VERSION").to_string(),
            },
            resume: self.resume,
            access: crate::exec::access::Access::new(
                crate::roles::Membership::resolve(rb, &crate::roles::System),
                self.starter.clone(),
            ),
        };

        // A logs folder there already that cannot be used is refused
        // before the journal is created, when its name is known already.
        if !self.dry_run {
            let known = match &journal {
                Journal::Append(w) => Some(w.path().to_path_buf()),
                Journal::Create(path) => Some(path.clone()),
                Journal::Default(_) => None,
            };
            let dir = known.map(|path| journal::log_dir(&path));
            if let Some(dir) = dir.filter(|d| d.symlink_metadata().is_ok()) {
                prepare_log_dir(&dir)?;
            }
        }
        let mut writer = match journal {
            Journal::Append(mut w) => {
                // Opened before the variables were known: the secrets given
                // now (`--var`, the prompt) must be masked from here on.
                w.set_redactor(redactor.clone());
                w
            }
            Journal::Create(path) => journal::Writer::create(&path, redactor.clone())
                .map_err(|e| crate::cli::Error::said(crate::cli::verify::journal_said(&e)))?,
            Journal::Default(runbook) => {
                journal::create_default(&runbook, jiff::Timestamp::now(), redactor.clone())
                    .map_err(|e| crate::cli::Error::said(crate::cli::verify::journal_said(&e)))?
            }
        };
        let journal_path = writer.path().to_path_buf();
        let log_dir = journal::log_dir(&journal_path);
        // The drill's language: its terminals, summary and criteria.
        let lang = crate::i18n::Lang::for_runbook(rb.exercise.lang.as_deref());
        crate::cli::show_err(&crate::terminal::wrap::for_stderr(&format!(
            "{}\n",
            lang.tr_args(
                "summary-journal",
                &[("path", journal_path.display().to_string().into())]
            )
        )));

        let style = terminal::Style::detect();
        // Asked once the drill is over (`objectives.criteria`).
        let assessing = match &answerer {
            Answerer::Terminal => criteria::Source::Terminal,
            Answerer::Answers(a, _) => criteria::Source::Answers(a.criteria().to_vec()),
            _ => criteria::Source::None,
        };
        let (view, mut operator): (terminal::View, Box<dyn Operator>) = match answerer {
            Answerer::Terminal => {
                let (view, op) = terminal::terminal(rb, style, &self.operator);
                (view, Box::new(op))
            }
            Answerer::Answers(a, file) => (
                terminal::View::new(rb, style),
                Box::new(AnswersOperator::new(a, rb, &self.operator, &file)),
            ),
            Answerer::Yes => (
                terminal::View::new(rb, style),
                Box::new(Yes::new(rb, &self.operator)),
            ),
            Answerer::Nobody => (terminal::View::new(rb, style), Box::new(Nobody::new(rb))),
            Answerer::Attached => (
                terminal::View::new(rb, style),
                Box::new(crate::attach::Unattended),
            ),
        };
        let mut view = view.with_redactor(redactor.clone());
        let recorded = if self.resume {
            // The view (and the summary) must know the drill from its start.
            match journal::read(&journal_path) {
                Ok(recorded) => {
                    view.replay(recorded.events());
                    Some(recorded)
                }
                Err(e) => {
                    tracing::warn!("cannot read back {}: {e}", journal_path.display());
                    None
                }
            }
        } else {
            None
        };
        if !self.dry_run {
            // Other terminals attach through a socket beside the journal.
            match crate::attach::Attached::bind_for(rb, &journal_path, &self.access) {
                Ok(server) => {
                    let server = server
                        .with_redactor(redactor.clone())
                        .replay(recorded.iter().flat_map(|j| j.events()));
                    operator = Box::new(server.around(operator));
                }
                // Started to be attached to: without the socket nobody
                // could answer.
                Err(e) if self.detached => {
                    return Err(crate::cli::Error::said(crate::i18n::msg!(
                        "run-cannot-listen",
                        socket = crate::attach::socket_path(&journal_path).display(),
                        why = e
                    )));
                }
                Err(e) => crate::cli::words::warn(crate::i18n::msg!(
                    "run-no-attach",
                    socket = crate::attach::socket_path(&journal_path).display(),
                    why = e
                )),
            }
        }
        let targets = self.targets(rb)?;
        if !targets.is_empty() && !self.dry_run {
            operator = Box::new(crate::notify::sender::Notifier::new(
                operator,
                targets,
                redactor.clone(),
                recorded.iter().flat_map(|j| j.events()),
            ));
        }
        let mut abort = AbortReason::default();
        let outcome = if self.dry_run {
            let result = {
                // The simulated events are recorded, not shown: the preview
                // is printed instead.
                let mut sinks: [&mut dyn Sink; 2] = [&mut writer, &mut abort];
                driver::dry_run(
                    rb,
                    &checked.graph,
                    config,
                    jiff::Timestamp::now(),
                    &redactor,
                    &mut sinks,
                )
            };
            result.and_then(|(result, preview)| {
                print_preview(rb, &vars, &preview, lang)
                    .map_err(|e| driver::Error::Sink(std::io::Error::other(e.message)))?;
                Ok(result)
            })
        } else {
            if let Err(e) = prepare_log_dir(&log_dir) {
                // Refused before anything was recorded: no empty journal
                // left behind to block the next try.
                if !self.resume && writer.next_seq() == 0 {
                    let _ = writer.discard();
                }
                return Err(e);
            }
            let base_dir = checked
                .source
                .path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            let remote = crate::exec::remote::Session::for_runbook(rb, &base_dir)
                .map_err(crate::cli::Error::invalid)?
                .map(|s| s as std::sync::Arc<dyn crate::exec::process::Hosts>);
            let spawner = Spawner {
                base_dir,
                vars: vars.clone(),
                log_dir: log_dir.clone(),
                redactor: redactor.clone(),
                grace: grace(),
                remote,
            };
            // The journal first: an event it cannot record is shown nowhere.
            let mut sinks: [&mut dyn Sink; 3] = [&mut writer, &mut abort, &mut view];
            driver::run(
                rb,
                &checked.graph,
                config,
                &spawner,
                &mut sinks,
                operator.as_mut(),
            )
        };
        view.finish();
        if let Err(driver::Error::Sink(e)) = &outcome
            && !self.resume
            && writer.nothing_synced()
        {
            return Err(unstarted(writer, &log_dir, e));
        }
        let result = outcome.map_err(|e| {
            crate::cli::Error::invalid(&e)
                .hint_said(match &e {
                    driver::Error::Stopped(_) => {
                        crate::i18n::msg!(
                            "run-stopped-resume-hint",
                            journal = journal_path.display()
                        )
                    }
                    _ => crate::i18n::msg!("run-stopped-hint", journal = journal_path.display()),
                })
                .with_code(exit::ABORTED)
        })?;
        let mut err = std::io::stderr().lock();
        if self.dry_run {
            let result = lang.tr(&format!("summary-result-{result}"));
            let _ = writeln!(
                err,
                "{}\n{}",
                lang.tr_args("dry-run-result", &[("result", result.into())]),
                lang.tr_args(
                    "summary-journal",
                    &[("path", journal_path.display().to_string().into())]
                )
            );
        } else {
            let color = style == terminal::Style::Live;
            let _ = write!(
                err,
                "{}",
                terminal::glyphs::chosen().render(&redactor.redact(
                    &terminal::summary::summary_in(lang, &view.timeline(), &journal_path, color)
                ))
            );
        }
        if let (RunResult::Aborted, Some(reason)) = (result, &abort.reason) {
            let reason = crate::escape::text(&redactor.redact(reason)).into_owned();
            let _ = writeln!(
                err,
                "{}",
                lang.tr_args("run-aborted", &[("reason", reason.into())])
            );
        }
        drop(err);
        if !self.dry_run {
            // Whoever holds the terminal now (handovers included).
            let mut by = self.operator.clone();
            if let Some(h) = view.timeline().handovers.last() {
                by.name = h.to.clone();
            }
            let asked = matches!(assessing, criteria::Source::Terminal);
            let count = criteria::assess(assessing, &rb.exercise.criteria, lang, &by, &mut writer)?;
            if asked && !rb.exercise.criteria.is_empty() {
                eprintln!(
                    "{}",
                    lang.tr_args(
                        "assess-done",
                        &[
                            ("count", count.into()),
                            ("journal", journal_path.display().to_string().into()),
                        ],
                    )
                );
            }
        }
        Ok(match result {
            RunResult::Recovered => exit::SUCCESS,
            RunResult::Degraded => exit::DEGRADED,
            RunResult::Aborted => exit::ABORTED,
        })
    }

    /// Runbook variables with their values: the runbook's, overridden by
    /// `--var`, then required ones asked at a hidden prompt (at a terminal)
    /// or refused.
    fn resolve_vars(&self, rb: &Runbook) -> crate::cli::Result<Vec<(String, String)>> {
        // By name, the last given winning: one lookup per variable.
        let given: std::collections::HashMap<String, String> =
            self.vars.given(rb)?.into_iter().collect();
        let mut out = Vec::new();
        for var in &rb.vars {
            let name = var.name.as_str();
            let value = given.get(name).cloned().or_else(|| var.value.clone());
            let value = match value {
                Some(v) => v,
                None if !var.required || self.dry_run => continue,
                None if interactive() => {
                    let prompt = var.prompt.clone().unwrap_or_else(|| name.to_string());
                    let typed = dialoguer::Password::new()
                        .with_prompt(prompt)
                        .allow_empty_password(false)
                        .interact()
                        .map_err(|e| {
                            crate::cli::Error::said(crate::i18n::msg!(
                                "var-cannot-read",
                                name = name,
                                why = e
                            ))
                            .hint_said(crate::i18n::msg!("var-pass-hint", name = name))
                        })?;
                    let _ = console::Term::stderr().show_cursor();
                    typed
                }
                None => {
                    return Err(crate::cli::Error::said(crate::i18n::msg!(
                        "var-required",
                        name = name
                    ))
                    .hint_said(crate::i18n::msg!("var-pass-hint", name = name)));
                }
            };
            out.push((name.to_string(), value));
        }
        Ok(out)
    }
}
