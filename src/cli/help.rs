//! `--help` in the environment's language. The commands and their
//! arguments stay clap derive types; at start-up, [`localize`] walks the
//! command tree and puts in each help text the message of
//! `locales/<lang>/help.ftl` keyed by the command and the argument's id,
//! English from the English file, so that the two languages stay in step
//! (a message missing in one fails the both-languages test).
//!
//! Keys: `COMMAND-about`, `COMMAND-long-about`, `COMMAND-after`,
//! `COMMAND-arg-ID` and `COMMAND-arg-ID-long`, where COMMAND is `reprise`
//! for the top level and the subcommand's name otherwise. Clap's own words
//! (`Usage`, `Options`, `Print help`, its parse errors) stay English.

use clap::Command;

use crate::i18n::Lang;

/// What one help text is: the command's or an argument's, short or long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Text {
    About,
    LongAbout,
    After,
    Arg,
    ArgLong,
}

/// The message id of a help text.
fn key(command: &str, text: Text, arg: &str) -> String {
    match text {
        Text::About => format!("{command}-about"),
        Text::LongAbout => format!("{command}-long-about"),
        Text::After => format!("{command}-after"),
        Text::Arg => format!("{command}-arg-{arg}"),
        Text::ArgLong => format!("{command}-arg-{arg}-long"),
    }
}

/// Parses the command line. When it asks for help (`--help`, `-h`,
/// `reprise help run`), the help is made again in the environment's
/// language (no runbook is read yet): the message files are read only
/// then, not at every start.
pub fn parse<C: clap::Parser>() -> Result<C, clap::Error> {
    use clap::error::ErrorKind;
    match C::try_parse() {
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) =>
        {
            let lang = Lang::from_env().unwrap_or_default();
            localize(C::command(), lang)
                .try_get_matches()
                .and_then(|m| C::from_arg_matches(&m))
        }
        parsed => parsed,
    }
}

/// The help texts of `cmd` (and of its subcommands), said in `lang`.
pub fn localize(cmd: Command, lang: Lang) -> Command {
    localize_named(cmd, "reprise", lang)
}

fn localize_named(mut cmd: Command, name: &str, lang: Lang) -> Command {
    let say = |text: Text, arg: &str| lang.tr(&key(name, text, arg));
    if cmd.get_about().is_some() {
        cmd = cmd.about(say(Text::About, ""));
    }
    if cmd.get_long_about().is_some() {
        cmd = cmd.long_about(say(Text::LongAbout, ""));
    }
    if cmd.get_after_help().is_some() {
        cmd = cmd.after_help(say(Text::After, ""));
    }
    let args: Vec<(String, bool, bool)> = cmd
        .get_arguments()
        .map(|a| {
            (
                a.get_id().to_string(),
                a.get_help().is_some(),
                a.get_long_help().is_some(),
            )
        })
        .collect();
    for (id, short, long) in args {
        cmd = cmd.mut_arg(&id, |mut a| {
            if short {
                a = a.help(say(Text::Arg, &id));
            }
            if long {
                a = a.long_help(say(Text::ArgLong, &id));
            }
            a
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for sub in subs {
        cmd = cmd.mut_subcommand(&sub, |s| localize_named(s, &sub, lang));
    }
    cmd
}

/// Every help text of `cmd` as `(message id, text)`, in tree order: what
/// `locales/<lang>/help.ftl` must define.
#[cfg(test)]
fn texts(cmd: &Command) -> Vec<(String, String)> {
    fn walk(cmd: &Command, name: &str, out: &mut Vec<(String, String)>) {
        let mut put = |text: Text, arg: &str, value: Option<&clap::builder::StyledStr>| {
            if let Some(v) = value {
                out.push((key(name, text, arg), v.to_string()));
            }
        };
        put(Text::About, "", cmd.get_about());
        put(Text::LongAbout, "", cmd.get_long_about());
        put(Text::After, "", cmd.get_after_help());
        for a in cmd.get_arguments() {
            let id = a.get_id().to_string();
            put(Text::Arg, &id, a.get_help());
            put(Text::ArgLong, &id, a.get_long_help());
        }
        for s in cmd.get_subcommands() {
            walk(s, s.get_name(), out);
        }
    }
    let mut out = Vec::new();
    walk(cmd, "reprise", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn every_help_text_has_a_message_in_every_language() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        let texts = texts(&super::super::Cli::command());
        assert!(texts.len() > 100, "help texts found: {}", texts.len());
        for lang in Lang::ALL {
            let file =
                std::fs::read_to_string(dir.join(lang.code()).join("help.ftl")).expect("help.ftl");
            let missing: Vec<&str> = texts
                .iter()
                .map(|(k, _)| k.as_str())
                .filter(|k| !file.lines().any(|l| l.starts_with(&format!("{k} ="))))
                .collect();
            assert!(
                missing.is_empty(),
                "{}: no help for {missing:?}",
                lang.code()
            );
        }
    }

    #[test]
    fn english_help_is_the_derive_s_own_text() {
        // The doc comments and the English file say the same, so that the
        // code reads as its help does.
        let cmd = super::super::Cli::command();
        for (key, text) in texts(&cmd) {
            assert_eq!(Lang::En.tr(&key), text, "{key}");
        }
    }

    #[test]
    fn french_help_is_french() {
        let cmd = localize(super::super::Cli::command(), Lang::Fr);
        let run = cmd.find_subcommand("run").expect("run");
        let about = run.get_about().expect("about").to_string();
        assert!(about.starts_with("Dérouler un runbook"), "{about}");
    }
}
