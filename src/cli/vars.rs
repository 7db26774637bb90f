//! Where runbook variables get their values from the command line: `--var`,
//! `--var-env`, `--var-file` and `REPRISE_VAR_<NAME>`, shared by `run` and
//! `resume`.
//!
//! A value given as `--var NAME=VALUE` is readable by every local user in
//! `/proc/PID/cmdline` for the whole drill, so secrets have three other
//! ways in that are not: the environment (`--var-env NAME`, or
//! `REPRISE_VAR_NAME` without any flag; a process's environment is readable
//! by its owner only), a file readable by its owner only (`--var-file
//! NAME=FILE`), and the hidden prompt for a required variable without a
//! value. A secret given with `--var` gets a warning.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::diagnostic::suggest;
use crate::i18n::Msg;
use crate::i18n::msg;
use crate::runbook::Runbook;

/// Prefix of the environment variables that give runbook variables their
/// values: `REPRISE_VAR_DB_PASSWORD` for `DB_PASSWORD`.
pub const ENV_PREFIX: &str = "REPRISE_VAR_";

/// Values of runbook variables given on the command line or in the
/// environment.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct VarArgs {
    /// Value of a runbook variable (repeatable). Visible to every local user
    /// while the drill runs: give secrets with --var-file, --var-env or
    /// REPRISE_VAR_NAME instead. Required variables without a value are
    /// asked at a hidden prompt when there is a terminal.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,

    /// Take variable NAME's value from the environment variable NAME
    /// (repeatable). Any REPRISE_VAR_NAME in the environment is taken
    /// without this flag.
    #[arg(long = "var-env", value_name = "NAME")]
    pub env: Vec<String>,

    /// Take variable NAME's value from FILE: its whole content, less one
    /// final line end, so a key of several lines works (repeatable). FILE
    /// must be readable and writable by its owner only (chmod 600).
    #[arg(long = "var-file", value_name = "NAME=FILE")]
    pub files: Vec<String>,
}

impl VarArgs {
    /// The values given, by name, lowest precedence first (a later one
    /// wins): `REPRISE_VAR_NAME`, `--var-env`, `--var-file`, `--var`.
    /// Checks every name against the runbook and every file's permissions;
    /// warns (on stderr) about a secret given with `--var`.
    pub fn given(&self, rb: &Runbook) -> super::Result<Vec<(String, String)>> {
        let known = |flag: &str, name: &str| -> super::Result<()> {
            if rb.vars.iter().any(|x| x.name.as_str() == name) {
                return Ok(());
            }
            let names = rb.vars.iter().map(|x| x.name.as_str());
            let e = super::Error::said(msg!("var-unknown", flag = flag, name = name));
            Err(match suggest(name, names) {
                Some(s) => e.hint_said(msg!("did-you-mean", id = s)),
                None => e,
            })
        };
        let mut given = Vec::new();
        for v in &rb.vars {
            let name = v.name.as_str();
            if let Ok(value) = std::env::var(format!("{ENV_PREFIX}{name}")) {
                given.push((name.to_string(), value));
            }
        }
        for name in &self.env {
            known("--var-env", name)?;
            let value = std::env::var(name).map_err(|_| {
                super::Error::said(msg!("var-env-missing", name = name))
                    .hint_said(msg!("var-env-missing-hint", name = name))
            })?;
            given.push((name.clone(), value));
        }
        for v in &self.files {
            let Some((name, file)) = v.split_once('=') else {
                return Err(super::Error::said(msg!("var-file-form", given = v)));
            };
            known("--var-file", name)?;
            given.push((name.to_string(), read_private(name, Path::new(file))?));
        }
        for v in &self.vars {
            let Some((name, value)) = v.split_once('=') else {
                return Err(super::Error::said(msg!("var-form", given = v)));
            };
            known("--var", name)?;
            if rb.vars.iter().any(|x| x.secret && x.name.as_str() == name) {
                super::words::warn(msg!(
                    "var-secret-on-command-line",
                    name = name,
                    prefix = ENV_PREFIX
                ));
            }
            given.push((name.to_string(), value.to_string()));
        }
        Ok(given)
    }
}

/// A `--var-file`: refused unless it is a regular file that only its owner
/// (this user, or root) can read or write, so that a secret kept in it is
/// not readable by others either.
fn read_private(name: &str, path: &Path) -> super::Result<String> {
    let shown = path.display();
    let refuse = |why: Msg| {
        super::Error::said(msg!("var-file-refused", name = name, file = shown).sub("why", why))
            .hint_said(msg!("var-file-refused-hint", file = shown))
    };
    let meta = std::fs::metadata(path).map_err(|e| refuse(msg!("var-file-unreadable", why = e)))?;
    if !meta.is_file() {
        return Err(refuse(msg!("var-file-not-regular")));
    }
    if meta.mode() & 0o077 != 0 {
        return Err(refuse(msg!(
            "var-file-open-mode",
            mode = format_args!("{:o}", meta.mode() & 0o777)
        )));
    }
    let me = nix::unistd::geteuid().as_raw();
    if meta.uid() != me && meta.uid() != 0 {
        return Err(refuse(msg!("var-file-not-yours", uid = meta.uid())));
    }
    let text =
        crate::validate::read(path).map_err(|d| refuse(msg!("as-written", text = d.message)))?;
    let value = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(&text);
    Ok(value.to_string())
}
