//! The warning `comment-in-command`: in an unquoted YAML value, ` #`
//! starts a comment, so `run: echo a #b` runs `echo a` and nothing warns.
//! A `#` with a single space before it, right after a command, most likely
//! belongs to the command; a comment written on purpose usually has two
//! spaces (yamllint's rule) and is left alone.

use crate::diagnostic::Diagnostic;
use crate::runbook::{Command, Located, Rollback, Runbook, Span};

/// One warning per command whose line goes on, after a single space, with
/// a `#` comment that YAML cut off.
pub fn cut_commands(runbook: &Runbook, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for step in &runbook.steps {
        let commands = step
            .run
            .iter()
            .map(|c| (c, "run"))
            .chain(match &step.rollback {
                Some(Rollback::Command(c)) => Some((c, "rollback")),
                _ => None,
            });
        for (command, key) in commands {
            let Some((at, comment)) = cut_comment(text, command) else {
                continue;
            };
            out.push(
                Diagnostic::warning(
                    "comment-in-command",
                    format!(
                        "the `{key}` command of step `{}` stops before `{}`: YAML reads an \
                         unquoted ` #` as the start of a comment",
                        step.id.value,
                        crate::escape::line(comment)
                    ),
                    Some(at),
                )
                .with_label("the command ends before this")
                .with_hint(
                    "if it belongs to the command, quote the whole command (`run: \"… #…\"`) \
                     or write it as a block (`run: |`); if it is a comment, put two spaces \
                     before the `#`",
                ),
            );
        }
    }
    out
}

/// Where the comment after a plain (unquoted) one-line shell command
/// starts, and its text, when a single space separates them.
fn cut_comment<'a>(text: &'a str, command: &Located<Command>) -> Option<(Span, &'a str)> {
    let Command::Shell(_) = &command.value else {
        return None;
    };
    let span = command.span;
    let value = text.get(span.offset..)?;
    // Quoted, block and flow values keep their `#`.
    if value.starts_with(['"', '\'', '|', '>', '[', '{']) {
        return None;
    }
    let end = span.offset + span.len;
    let rest = text.get(end..)?;
    let line = rest.split('\n').next().unwrap_or("");
    let comment = line.strip_prefix(' ').or_else(|| line.strip_prefix('\t'))?;
    if !comment.starts_with('#') {
        return None;
    }
    let before = &text[..end + 1];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..end + 1].chars().count() as u32 + 1;
    let line_no = text[..end].matches('\n').count() as u32 + 1;
    Some((
        Span {
            line: line_no,
            column,
            offset: end + 1,
            len: comment.len(),
        },
        comment.trim_end(),
    ))
}

#[cfg(test)]
mod tests {
    use crate::validate::check_text;

    fn warnings(yaml: &str) -> Vec<String> {
        let checked = check_text(std::path::Path::new("rb.yaml"), yaml)
            .unwrap_or_else(|r| panic!("{:?}", r.diagnostics));
        checked
            .diagnostics
            .iter()
            .filter(|d| d.code == "comment-in-command")
            .map(|d| {
                let s = d.span.unwrap();
                format!("{}:{} {}", s.line, s.column, d.message)
            })
            .collect()
    }

    const HEAD: &str = "version: 1\nname: n\ndefaults:\n  timeout: 1m\nsteps:\n";

    #[test]
    fn a_command_cut_by_a_comment_is_pointed_at() {
        let yaml = format!(
            "{HEAD}  - id: purge\n    title: Purge\n    run: rm -rf /srv/cache/*.tmp #keep the rest\n    rollback: restore-cache --from backup #latest\n"
        );
        assert_eq!(
            warnings(&yaml),
            [
                "8:34 the `run` command of step `purge` stops before `#keep the rest`: YAML reads an unquoted ` #` as the start of a comment",
                "9:43 the `rollback` command of step `purge` stops before `#latest`: YAML reads an unquoted ` #` as the start of a comment",
            ]
        );
    }

    #[test]
    fn quoted_blocks_and_real_comments_are_left_alone() {
        for run in [
            "\"echo a #b\"",
            "'echo a #b'",
            "|\n      echo a #b",
            "echo a  # a comment, two spaces before",
            "curl http://host/page#anchor",
            "echo done",
        ] {
            let yaml = format!("{HEAD}  - id: s\n    title: S\n    run: {run}\n");
            assert!(warnings(&yaml).is_empty(), "{run}: {:?}", warnings(&yaml));
        }
    }
}
