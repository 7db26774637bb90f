//! The command line: argument types and the wiring of each command to the
//! library. Nothing in here computes anything a library user would need.

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::exit;
use crate::i18n::{Lang, Msg};

mod actions;
mod assess;
mod attach;
mod check;
mod compare;
mod completions;
mod forecast;
mod help;
mod integrity;
mod notify_test;
mod plan;
mod report;
mod resume;
mod run;
mod schema;
mod serve;
mod sign;
mod status;
mod transcribe;
mod vars;
pub(crate) mod verify;
pub mod words;

/// Runs disaster-recovery plans: validate a runbook, preview it, walk it as
/// a drill with timings, and report on it.
#[derive(Debug, Parser)]
#[command(name = "reprise", version, about, long_about = None)]
#[command(after_help = "\
Examples:
  reprise check runbooks/demo.yaml
  reprise plan runbooks/demo.yaml
  reprise run runbooks/demo.yaml
  reprise report journals/demo-20261129T080000Z.jsonl -o report.md
  reprise compare journals/ --format html -o drills.html

Exit codes: 0 success or recovered, 1 degraded, 2 invalid input or usage, 3 aborted.")]
pub struct Cli {
    /// More diagnostics on stderr (-v: debug, -vv: trace). RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Also write diagnostics as JSON lines to this file.
    #[arg(long, global = true, value_name = "PATH")]
    pub log_file: Option<std::path::PathBuf>,

    /// Only ASCII symbols (`[ ]`, `ok`, `x`, `->`) in what every command
    /// writes for people, for terminals and fonts without them. Also REPRISE_ASCII=1; automatic
    /// when the locale is not UTF-8 (LANG=C). On the Linux console
    /// (TERM=linux), symbols its fonts have.
    #[arg(long, global = true)]
    pub ascii: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Check(check::Args),
    Plan(plan::Args),
    Run(run::Args),
    Resume(resume::Args),
    Verify(verify::Args),
    Status(status::Args),
    Transcribe(transcribe::Args),
    Report(report::Args),
    Assess(assess::Args),
    Action(actions::AddArgs),
    Actions(actions::ListArgs),
    Sign(sign::Args),
    Attach(attach::Args),
    NotifyTest(notify_test::Args),
    Compare(compare::Args),
    Schema(schema::Args),
    Completions(completions::Args),
}

/// A command that could not do its job: what went wrong and what to do.
///
/// Made with [`Error::said`] (and [`Error::hint_said`]), the message is
/// reprise's own words, said on stderr in the command's language
/// ([`words::spoken`]: the drill's, else the environment's); `message` and
/// `hint` keep its English. Made with [`Error::invalid`], it is said as
/// written (English, or text from below).
#[derive(Debug)]
pub struct Error {
    /// Lowercase sentence fragment: what went wrong (in English).
    pub message: String,
    /// What to do about it (in English).
    pub hint: Option<String>,
    /// Exit code (see [`crate::exit`]).
    pub code: u8,
    /// `message` as a message to say in the command's language.
    pub said: Option<Box<Msg>>,
    /// `hint` as a message to say in the command's language.
    pub hint_said: Option<Box<Msg>>,
}

impl Error {
    /// Invalid input or usage (exit 2), said as written.
    pub fn invalid(message: impl std::fmt::Display) -> Self {
        Error {
            message: message.to_string(),
            hint: None,
            code: exit::INVALID,
            said: None,
            hint_said: None,
        }
    }

    /// Invalid input or usage (exit 2): reprise's message `msg`, said in
    /// the command's language.
    pub fn said(msg: Msg) -> Self {
        Error {
            message: msg.said_in(Lang::En),
            said: Some(Box::new(msg)),
            ..Error::invalid("")
        }
    }

    /// Adds a hint, said as written.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self.hint_said = None;
        self
    }

    /// Adds a hint: reprise's message `msg`, said in the command's
    /// language.
    pub fn hint_said(mut self, msg: Msg) -> Self {
        self.hint = Some(msg.said_in(Lang::En));
        self.hint_said = Some(Box::new(msg));
        self
    }

    /// With the exit code `code` (see [`crate::exit`]) instead of 2.
    pub fn with_code(mut self, code: u8) -> Self {
        self.code = code;
        self
    }

    /// The error as stderr shows it, `error: …` and `hint: …` lines in
    /// `lang`; quoted paths, runbook and journal text escaped.
    pub fn render(&self, lang: Lang) -> String {
        let message = self.said.as_ref().map(|m| m.said_in(lang));
        let mut text = words::line(
            lang,
            "error-line",
            message.as_deref().unwrap_or(&self.message),
        );
        let hint = self.hint_said.as_ref().map(|m| m.said_in(lang));
        if let Some(hint) = hint.as_deref().or(self.hint.as_deref()) {
            text.push_str(&words::line(lang, "hint-line", hint));
        }
        text
    }
}

/// What a command returns: an exit code from [`crate::exit`].
pub type Result<T = u8> = std::result::Result<T, Error>;

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match help::parse::<Cli>() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return exit::code(match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    exit::SUCCESS
                }
                _ => exit::INVALID,
            });
        }
    };
    if let Err(e) = crate::logging::init(cli.verbose, cli.log_file.as_deref()) {
        show_err(&words::line(words::spoken(), "error-line", &e.to_string()));
        return exit::code(exit::INVALID);
    }
    tracing::debug!(version = env!("CARGO_PKG_VERSION"), "reprise started");
    crate::terminal::glyphs::choose(crate::terminal::glyphs::Glyphs::detect(cli.ascii));
    let outcome = match cli.command {
        Command::Check(a) => check::run(a),
        Command::Plan(a) => plan::run(a),
        Command::Run(a) => run::run(a, &cli.verbose, cli.log_file.as_deref()),
        Command::Resume(a) => resume::run(a, &cli.verbose, cli.log_file.as_deref()),
        Command::Verify(a) => verify::run(a),
        Command::Status(a) => status::run(a),
        Command::Transcribe(a) => transcribe::run(a),
        Command::Report(a) => report::run(a),
        Command::Assess(a) => assess::run(a),
        Command::Action(a) => actions::add(a),
        Command::Actions(a) => actions::list(a),
        Command::Sign(a) => sign::run(a),
        Command::Attach(a) => attach::run(a),
        Command::NotifyTest(a) => notify_test::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Schema(a) => schema::run(a),
        Command::Completions(a) => completions::run(a),
    };
    // Log lines queued for a slow terminal come out before the last words.
    crate::outbox::drain();
    match outcome {
        Ok(code) => exit::code(code),
        Err(e) => {
            show_err(&e.render(words::spoken()));
            exit::code(e.code)
        }
    }
}

/// A `--lang` given (`report`, `status`, `plan --format checklist`,
/// `compare`):
/// `None` when it was not, an error naming the languages there are when
/// reprise does not speak it.
pub fn lang_arg(code: Option<&str>) -> Result<Option<crate::i18n::Lang>> {
    code.map(|code| {
        crate::i18n::Lang::parse(code).ok_or_else(|| {
            Error::said(crate::i18n::msg!("lang-unknown", code = code))
                .hint_said(crate::i18n::msg!("lang-unknown-hint"))
        })
    })
    .transpose()
}

/// [`print`] for text meant for people (not JSON, HTML or DOT): with the
/// symbols this terminal can show, as [`crate::terminal::glyphs::chosen`]
/// decides once for the whole process (`--ascii`, `REPRISE_ASCII`, the
/// locale, `TERM=linux`).
pub fn show(text: &str) -> Result<()> {
    print(&crate::terminal::glyphs::chosen().render(text))
}

/// Text for people on stderr (diagnostics, errors), with the symbols this
/// terminal can show; a closed stderr is nothing to report.
pub fn show_err(text: &str) {
    let text = crate::terminal::glyphs::chosen().render(text);
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// Writes to stdout, treating a closed pipe (`reprise plan big.yaml | head`)
/// as success rather than an error.
pub fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::said(crate::i18n::msg!(
            "cannot-write-stdout",
            why = e
        ))),
    }
}
