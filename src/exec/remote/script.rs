//! The script `sh -s` reads on the remote host: the variables, exported
//! with quoting that keeps them data, then the command in a process group
//! of its own that ends when the local `ssh` goes away.

use std::path::Path;

use super::REMOTE_MARGIN;
use crate::runbook::{Command, Duration};

/// `s` as one POSIX shell word, taken literally: single quotes, with each
/// `'` written `'\''`.
pub fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// True for names a POSIX shell can export.
fn exportable(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The script `sh -s` reads on the remote host: exports `vars` then `env`,
/// moves to `workdir` (relative to the remote login folder), runs `command`
/// in a process group of its own, ends that group when standard input ends
/// (the local `ssh` is gone) or when `timeout` plus [`REMOTE_MARGIN`] has
/// passed, and exits with the command's status.
///
/// Everything is inside one function called on the last line, so the shell
/// has read the whole script before the watcher starts reading what is left
/// of standard input.
pub fn script(
    vars: &[(String, String)],
    env: &[(String, String)],
    workdir: Option<&Path>,
    command: &Command,
    timeout: Option<Duration>,
) -> String {
    let mut s = String::from("reprise_main() {\n");
    for (name, value) in vars.iter().chain(env) {
        if exportable(name) {
            s.push_str(&format!("export {name}={}\n", quote(value)));
        }
    }
    if let Some(dir) = workdir {
        s.push_str(&format!(
            "cd -- {} || exit 126\n",
            quote(&dir.to_string_lossy())
        ));
    }
    let command = match command {
        Command::Shell(text) => format!("sh -c {}", quote(text)),
        Command::Argv(argv) => argv.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" "),
    };
    s.push_str(&format!(
        r#"exec 3<&0
if command -v setsid >/dev/null 2>&1; then
  reprise_group=1
  setsid {command} </dev/null 3<&- &
else
  reprise_group=
  {command} </dev/null 3<&- &
fi
reprise_pid=$!
reprise_kill() {{
  if [ -n "$reprise_group" ]; then kill -s "$1" -- "-$reprise_pid" 2>/dev/null; fi
  kill -s "$1" "$reprise_pid" 2>/dev/null
}}
reprise_end() {{
  reprise_kill TERM
  sleep 2
  reprise_kill KILL
}}
(
  trap 'kill "$reprise_cat" 2>/dev/null; exit 0' TERM
  cat <&3 >/dev/null &
  reprise_cat=$!
  wait "$reprise_cat"
  reprise_end
) </dev/null >/dev/null 2>&1 &
reprise_watchers=$!
"#
    ));
    if let Some(t) = timeout {
        s.push_str(&format!(
            r#"(
  trap 'kill "$reprise_sleep" 2>/dev/null; exit 0' TERM
  sleep {secs} &
  reprise_sleep=$!
  wait "$reprise_sleep"
  reprise_end
) </dev/null >/dev/null 2>&1 3<&- &
reprise_watchers="$reprise_watchers $!"
"#,
            secs = t.as_secs() + REMOTE_MARGIN
        ));
    }
    s.push_str(
        r#"exec 3<&-
wait "$reprise_pid" 2>/dev/null
reprise_status=$?
kill $reprise_watchers 2>/dev/null
if [ -n "$reprise_group" ]; then kill -s KILL -- "-$reprise_pid" 2>/dev/null; fi
exit "$reprise_status"
}
reprise_main
"#,
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// Runs a script the way the remote side does: on `sh -s`'s standard
    /// input, kept open until the output ends (closing it would stop the
    /// command, as a vanished ssh does).
    fn sh(script: &str) -> (String, Option<i32>) {
        use std::io::Write;
        let mut child = std::process::Command::new("sh")
            .arg("-s")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(script.as_bytes()).unwrap();
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        let status = child.wait().unwrap();
        drop(stdin);
        (out, status.code())
    }

    /// Whether a process is still alive (a zombie counts as gone), waiting
    /// boundedly for a kill to land.
    fn alive(pid: i32) -> bool {
        for _ in 0..100 {
            if !live(pid) {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        true
    }

    fn live(pid: i32) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| {
                !s.rsplit(')')
                    .next()
                    .unwrap_or("")
                    .trim_start()
                    .starts_with('Z')
            })
            .unwrap_or(false)
    }

    #[test]
    fn the_end_of_standard_input_ends_the_command_group() {
        use std::io::Write;
        let dir = std::env::temp_dir().join(format!("reprise-remote-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let pidfile = dir.join("pids");
        let mut child = std::process::Command::new("sh")
            .arg("-s")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(
                script(
                    &[("PIDS".into(), pidfile.display().to_string())],
                    &[],
                    None,
                    &Command::Shell(
                        "trap '' TERM; sleep 300 & echo $$ $! > \"$PIDS.tmp\"; \
                         mv \"$PIDS.tmp\" \"$PIDS\"; wait"
                            .into(),
                    ),
                    None,
                )
                .as_bytes(),
            )
            .unwrap();
        let mut pids = String::new();
        for _ in 0..100 {
            if let Ok(p) = std::fs::read_to_string(&pidfile) {
                pids = p;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let pids: Vec<i32> = pids
            .split_whitespace()
            .map(|p| p.parse().unwrap())
            .collect();
        assert_eq!(pids.len(), 2, "the command did not start");
        assert!(live(pids[0]) && live(pids[1]));
        // What a vanished ssh looks like from the remote side.
        drop(stdin);
        let status = child.wait().unwrap();
        assert!(!status.success());
        for pid in pids {
            assert!(!alive(pid), "{pid} survived the end of standard input");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn quoting_keeps_every_value_literal() {
        let nasty = r#"it's $(touch /tmp/reprise-pwned) `id` "x" \ ; $HOME"#;
        let vars = vec![("NASTY".to_string(), nasty.to_string())];
        let (out, code) = sh(&script(
            &vars,
            &[("lower_ok".into(), "y".into())],
            None,
            &Command::Shell(r#"printf '%s|%s\n' "$NASTY" "$lower_ok""#.into()),
            None,
        ));
        assert_eq!(out, format!("{nasty}|y\n"));
        assert_eq!(code, Some(0));
    }

    #[test]
    fn a_list_is_quoted_element_by_element_and_the_status_comes_back() {
        let (out, code) = sh(&script(
            &[],
            &[],
            None,
            &Command::Argv(vec![
                "sh".into(),
                "-c".into(),
                "echo \"$0\"; exit 7".into(),
                "$HOME; it's".into(),
            ]),
            None,
        ));
        assert_eq!(out, "$HOME; it's\n");
        assert_eq!(code, Some(7));
    }

    #[test]
    fn names_that_cannot_be_exported_are_left_out() {
        let s = script(
            &[("A;rm -rf /".into(), "x".into()), ("OK".into(), "1".into())],
            &[],
            None,
            &Command::Shell("true".into()),
            None,
        );
        assert!(!s.contains("rm -rf"), "{s}");
        assert!(s.contains("export OK='1'"), "{s}");
    }
}
