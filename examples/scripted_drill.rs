//! Run a real drill with a custom operator that answers from a script, and
//! consume the engine's event stream with a custom sink.
//!
//! ```text
//! cargo run --example scripted_drill                      # runbooks/demo.yaml
//! cargo run --example scripted_drill -- path/to/runbook.yaml
//! ```
//!
//! The operator is anything implementing [`exec::Operator`]: the engine asks
//! it questions (a manual step is open, a command waits for confirmation, a
//! step failed…) and it answers, from any thread, on the channel it was given
//! at the start. Here the answers come from [`SCRIPT`]; a question the script
//! does not cover aborts the drill with a reason, never a silent "yes".
//!
//! The sink is anything implementing [`exec::Sink`]: it sees every event in
//! order (the journal and the terminal view of `reprise run` are sinks too)
//! and every line of command output, secrets already masked.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::Sender;

use reprise::event::{Decision, Event, Outcome, Stamped};
use reprise::exec::{self, Input, Operator, OperatorInput, Question, Sink};
use reprise::exit;
use reprise::redact::Redactor;
use reprise::runbook::{Mode, StepIndex};
use reprise::validate;
use sha2::{Digest, Sha256};

/// What the scripted operator says when a step asks.
#[derive(Debug, Clone, Copy)]
enum Reply {
    /// Record a manual step done.
    Done,
    /// Record a manual step skipped, with this reason.
    Skip(&'static str),
    /// Run a `confirm: true` command.
    Run,
}

/// One line of the script.
#[derive(Debug, Clone, Copy)]
struct Line {
    step: &'static str,
    reply: Reply,
    /// An observation recorded just before the reply.
    note: Option<&'static str>,
    /// Hand over to this operator just after the reply.
    handover_to: Option<&'static str>,
}

/// The answers for `runbooks/demo.yaml`.
const SCRIPT: &[Line] = &[
    Line {
        step: "declare",
        reply: Reply::Done,
        note: Some("drill announced in #ops at the start of the shift"),
        handover_to: Some("night-shift"),
    },
    Line {
        step: "switch-traffic",
        reply: Reply::Run,
        note: None,
        handover_to: None,
    },
    Line {
        step: "user-check",
        reply: Reply::Done,
        note: Some("last invoice opens, its PDF downloads"),
        handover_to: None,
    },
    Line {
        step: "page-on-call",
        reply: Reply::Skip("not needed in a drill"),
        note: None,
        handover_to: None,
    },
    Line {
        step: "debrief",
        reply: Reply::Done,
        note: Some("the warm-up retry of start-service should be in the instructions"),
        handover_to: None,
    },
];

/// An operator that answers from [`SCRIPT`].
struct Scripted {
    /// Step ids by index, to look questions up in the script.
    ids: Vec<String>,
    script: HashMap<&'static str, Line>,
    answers: Option<Sender<Input>>,
    /// Who answers now (changes with handovers).
    by: String,
}

impl Scripted {
    fn new(ids: Vec<String>, operator: &str) -> Self {
        Scripted {
            ids,
            script: SCRIPT.iter().map(|line| (line.step, *line)).collect(),
            answers: None,
            by: operator.to_string(),
        }
    }

    fn send(&self, input: OperatorInput) {
        if let Some(tx) = &self.answers {
            // A closed channel means the drill is over: nothing to answer.
            let _ = tx.send(Input::Operator(input));
        }
    }

    fn abort(&self, reason: String) {
        self.send(OperatorInput::Abort {
            by: self.by.clone().into(),
            reason: Some(reason),
        });
    }
}

impl Operator for Scripted {
    fn start(&mut self, answers: Sender<Input>) {
        self.answers = Some(answers);
    }

    fn ask(&mut self, question: &Question) {
        let step = question.step();
        let id = self.ids[step.get()].clone();
        let line = self.script.get(id.as_str()).copied();
        let by = self.by.clone();
        match (question, line) {
            (Question::Manual { .. }, Some(line)) => {
                if let Some(text) = line.note {
                    self.send(OperatorInput::Note {
                        text: text.into(),
                        step: Some(step),
                        by: by.clone().into(),
                    });
                }
                let (outcome, reason) = match line.reply {
                    Reply::Done => (Outcome::Done, None),
                    Reply::Skip(reason) => (Outcome::Skipped, Some(reason.to_string())),
                    Reply::Run => {
                        return self.abort(format!("the script says `run` for manual step `{id}`"));
                    }
                };
                self.send(OperatorInput::Record {
                    step,
                    outcome,
                    reason,
                    by: by.clone().into(),
                    auto: false,
                });
                if let Some(to) = line.handover_to {
                    self.send(OperatorInput::Handover {
                        to: to.into(),
                        note: Some(format!("handed over after `{id}`")),
                        by: by.into(),
                    });
                }
            }
            (
                Question::Confirm { .. },
                Some(Line {
                    reply: Reply::Run, ..
                }),
            ) => self.send(OperatorInput::Decide {
                step,
                decision: Decision::Run,
                reason: None,
                by: by.into(),
                auto: false,
            }),
            (Question::Failed { exit, .. }, _) => self.abort(format!(
                "`{id}` failed (exit code {:?}) and the script does not say what to do",
                exit.ending.exit_code
            )),
            // Undoing a step is never scripted here: decline, with a reason.
            (Question::Rollback { .. }, _) => self.send(OperatorInput::Decide {
                step,
                decision: Decision::Skip,
                reason: Some("scripted drill: rollbacks are done by hand".into()),
                by: by.into(),
                auto: false,
            }),
            _ => self.abort(format!("the script has no answer for `{id}`")),
        }
    }

    fn retract(&mut self, _step: StepIndex) {}

    fn event(&mut self, event: &Stamped) {
        // Records after a handover are made in the new operator's name.
        if let Event::Handover { to, .. } = &event.event {
            self.by = to.clone();
        }
    }
}

/// A sink that prints each event with its time since the start and counts
/// them by kind.
#[derive(Default)]
struct Printer {
    start: Option<jiff::Timestamp>,
    counts: BTreeMap<&'static str, usize>,
}

impl Sink for Printer {
    fn event(&mut self, stamped: &Stamped) -> std::io::Result<()> {
        let start = *self.start.get_or_insert(stamped.time);
        let elapsed = stamped.time.duration_since(start).as_secs_f64();
        *self.counts.entry(stamped.event.name()).or_default() += 1;
        let detail = match &stamped.event {
            Event::StepFinished {
                step,
                outcome,
                by,
                reason,
                ..
            } => format!(
                "{step} {outcome} by {by}{}",
                reason
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default()
            ),
            Event::AttemptFinished {
                step,
                attempt,
                ending,
            } => format!("{step} attempt {attempt} exit {:?}", ending.exit_code),
            Event::Note { text, by, .. } => format!("{by}: {text}"),
            Event::Handover { from, to, .. } => format!("{from} → {to}"),
            Event::AbortRequested { by, reason, .. } => {
                format!(
                    "by {by}: {}",
                    reason.as_deref().unwrap_or("no reason given")
                )
            }
            Event::RunFinished { result } => result.to_string(),
            other => other.step().map(|s| s.to_string()).unwrap_or_default(),
        };
        println!("{elapsed:>7.3}s  {:<17} {detail}", stamped.event.name());
        Ok(())
    }

    fn output(&mut self, _step: StepIndex, line: &str) -> std::io::Result<()> {
        println!("           | {line}");
        Ok(())
    }
}

fn main() -> ExitCode {
    let path = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks/demo.yaml"));
    let checked = match validate::load(&path) {
        Ok(checked) => checked,
        Err(rejected) => {
            let source = rejected.source.as_ref().map(|s| s.text.as_str());
            let shown = path.display().to_string();
            eprint!(
                "{}",
                reprise::diagnostic::render(&rejected.diagnostics, &shown, source, false)
            );
            return exit::code(exit::INVALID);
        }
    };
    let runbook = &checked.runbook;

    // Variables reach commands as environment variables; this example only
    // runs runbooks whose variables all have a value.
    let mut vars = Vec::new();
    for var in &runbook.vars {
        match &var.value {
            Some(value) => vars.push((var.name.value.clone(), value.clone())),
            None => {
                eprintln!(
                    "variable `{}` has no value: this example runs runbooks whose variables all have one",
                    var.name.value
                );
                return exit::code(exit::INVALID);
            }
        }
    }
    let logs = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("cannot create a folder for the step logs: {e}");
            return exit::code(exit::INVALID);
        }
    };
    let spawner = exec::process::Spawner {
        base_dir: path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        vars,
        log_dir: logs.path().to_path_buf(),
        redactor: Redactor::new(runbook.secret_values()),
        grace: std::time::Duration::from_secs(2),
        remote: None,
    };
    let config = exec::Config {
        mode: Mode::Drill,
        dry_run: false,
        jobs: 4,
        operator: "example".into(),
        presets: Vec::new(),
        info: exec::RunInfo {
            runbook: path.display().to_string(),
            runbook_sha256: hex::encode(Sha256::digest(checked.source.text.as_bytes())),
            host: "localhost".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        resume: false,
        access: Default::default(),
    };
    let ids = runbook
        .steps
        .iter()
        .map(|s| s.id.as_str().to_string())
        .collect();
    let mut operator = Scripted::new(ids, &config.operator.name);
    let mut printer = Printer::default();

    let result = exec::driver::run(
        runbook,
        &checked.graph,
        config,
        &spawner,
        &mut [&mut printer],
        &mut operator,
    );
    match result {
        Ok(result) => {
            println!("\nresult: {result}");
            for (name, count) in &printer.counts {
                println!("  {count:>3} × {name}");
            }
            exit::code(match result {
                reprise::event::RunResult::Recovered => exit::SUCCESS,
                reprise::event::RunResult::Degraded => exit::DEGRADED,
                reprise::event::RunResult::Aborted => exit::ABORTED,
            })
        }
        Err(e) => {
            eprintln!("the drill stopped: {e}");
            exit::code(exit::ABORTED)
        }
    }
}
