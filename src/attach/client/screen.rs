//! Where the attaching terminal draws: the live region the drill drew for
//! it, under the scrolling lines, with the prompt (indicatif bars, keys
//! read one by one, resizes sent); or plain lines on a pipe.

use std::io::{BufRead, Write};
use std::os::fd::AsFd;
use std::sync::mpsc::Sender;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use nix::sys::termios::{self, LocalFlags, SetArg, Termios};

use super::super::view::{FrameMsg, WinSize};
use super::Msg;
use crate::terminal::Style;
use crate::terminal::editor::Editor;
use crate::terminal::frame::{Size, prompt_line};
use crate::terminal::lines::Palette;

/// A line the drill drew for this terminal, safe to print: its colours
/// (SGR sequences, `ESC [ … m`, which only change how text looks) are kept,
/// every other control character is shown escaped. Escaping the colours too
/// printed `\e[32m✔\e[0m` on every coloured terminal.
pub(super) fn coloured(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('\x1b') {
        out.push_str(&crate::escape::text(&rest[..i]));
        let tail = &rest[i..];
        let params = tail[1..].strip_prefix('[').map(|p| {
            p.bytes()
                .take_while(|b| b.is_ascii_digit() || *b == b';')
                .count()
        });
        match params {
            Some(n) if tail.as_bytes().get(2 + n) == Some(&b'm') => {
                out.push_str(&tail[..3 + n]);
                rest = &tail[3 + n..];
            }
            _ => {
                out.push_str(&crate::escape::text(&tail[..1]));
                rest = &tail[1..];
            }
        }
    }
    out.push_str(&crate::escape::text(rest));
    out
}

/// Where the client draws: the live region under scrolling lines, or
/// plain lines.
pub(super) struct Screen {
    pub(super) palette: Palette,
    live: Option<LiveBars>,
    pub(super) editor: Editor,
    /// The drill's last live region for this terminal.
    pub(super) frame: Option<FrameMsg>,
    /// The terminal's settings before the keys were taken one by one.
    saved: Option<Termios>,
}

struct LiveBars {
    mp: MultiProgress,
    rows: Vec<ProgressBar>,
    overall: ProgressBar,
    input: ProgressBar,
}

fn line_bar(mp: &MultiProgress) -> ProgressBar {
    let style =
        ProgressStyle::with_template("{msg}").unwrap_or_else(|_| ProgressStyle::default_spinner());
    mp.add(ProgressBar::new_spinner().with_style(style))
}

impl Screen {
    pub(super) fn new(style: Style) -> Screen {
        let live = (style == Style::Live).then(|| {
            let mp = MultiProgress::with_draw_target(ProgressDrawTarget::stderr_with_hz(20));
            let overall = line_bar(&mp);
            let input = line_bar(&mp);
            LiveBars {
                mp,
                rows: Vec::new(),
                overall,
                input,
            }
        });
        Screen {
            // Only its colours: the words come drawn by the drill.
            palette: Palette {
                color: style == Style::Live,
                ..Palette::PLAIN
            },
            live,
            editor: Editor::default(),
            frame: None,
            saved: None,
        }
    }

    /// The size the drill draws for (live only: plain clients get lines).
    pub(super) fn size(&self) -> Option<WinSize> {
        self.live.as_ref().map(|_| {
            let s = Size::of_stderr();
            WinSize {
                rows: s.rows,
                cols: s.cols,
            }
        })
    }

    pub(super) fn prompt(&self) -> String {
        self.frame
            .as_ref()
            .map_or_else(|| "reprise> ".to_string(), |f| f.prompt.clone())
    }

    /// Reads the person: keys one by one (live), or lines; with resizes.
    pub(super) fn start_input(&mut self, tx: &Sender<Msg>) {
        let tx = tx.clone();
        if self.live.is_none() {
            std::thread::spawn(move || {
                for line in std::io::stdin().lock().lines() {
                    let Ok(line) = line else { break };
                    if tx.send(Msg::Line(line)).is_err() {
                        return;
                    }
                }
                let _ = tx.send(Msg::Leave);
            });
            return;
        }
        let stdin = std::io::stdin();
        if let Ok(saved) = termios::tcgetattr(stdin.as_fd()) {
            let mut raw = saved.clone();
            // Ctrl-C is a key here (leave), not a signal.
            raw.local_flags
                .remove(LocalFlags::ICANON | LocalFlags::ECHO | LocalFlags::ISIG);
            raw.control_chars[termios::SpecialCharacterIndices::VMIN as usize] = 1;
            raw.control_chars[termios::SpecialCharacterIndices::VTIME as usize] = 0;
            if termios::tcsetattr(stdin.as_fd(), SetArg::TCSANOW, &raw).is_ok() {
                self.saved = Some(saved);
                let _ = console::Term::stderr().hide_cursor();
            }
        }
        {
            let tx = tx.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 1024];
                loop {
                    match nix::unistd::read(std::io::stdin().as_fd(), &mut buf) {
                        Ok(0) => break,
                        Ok(n) => {
                            if tx.send(Msg::Keys(buf[..n].to_vec())).is_err() {
                                return;
                            }
                        }
                        Err(nix::errno::Errno::EINTR | nix::errno::Errno::EAGAIN) => {}
                        Err(_) => break,
                    }
                }
                let _ = tx.send(Msg::Leave);
            });
        }
        if let Ok(mut signals) =
            signal_hook::iterator::Signals::new([signal_hook::consts::SIGWINCH])
        {
            std::thread::spawn(move || {
                for _ in signals.forever() {
                    let s = Size::of_stderr();
                    let size = WinSize {
                        rows: s.rows,
                        cols: s.cols,
                    };
                    if tx.send(Msg::Resize(size)).is_err() {
                        return;
                    }
                }
            });
        }
    }

    /// Prints lines above the live region (or plainly).
    pub(super) fn say(&mut self, lines: &[String]) {
        if lines.is_empty() {
            return;
        }
        // The drill writes its symbols; this terminal shows what it can.
        let glyphs = crate::terminal::glyphs::chosen();
        let lines: Vec<String> = lines
            .iter()
            .map(|l| glyphs.render(l).into_owned())
            .collect();
        match &self.live {
            Some(bars) => {
                for l in &lines {
                    let _ = bars.mp.println(l);
                }
            }
            None => {
                let mut text = lines.join("\n");
                text.push('\n');
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
            }
        }
    }

    /// The drill is gone: its live region is stale.
    pub(super) fn lost(&mut self, lines: &[String]) {
        self.say(lines);
        self.frame = Some(FrameMsg {
            items: Vec::new(),
            overall: "drill not running: waiting for `reprise resume` (Ctrl-C to leave)".into(),
            prompt: "reprise> ".into(),
        });
        self.draw();
    }

    /// Redraws the live region and the prompt line.
    pub(super) fn draw(&mut self) {
        let Some(bars) = &mut self.live else {
            return;
        };
        let width = usize::from(Size::of_stderr().cols.max(20)) - 1;
        let (items, overall, prompt) = match &self.frame {
            Some(f) => (f.items.as_slice(), f.overall.as_str(), f.prompt.as_str()),
            None => (&[][..], "", "reprise> "),
        };
        while bars.rows.len() > items.len() {
            if let Some(bar) = bars.rows.pop() {
                bar.finish_and_clear();
                bars.mp.remove(&bar);
            }
        }
        while bars.rows.len() < items.len() {
            let style = ProgressStyle::with_template("{msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner());
            let bar = bars
                .mp
                .insert_before(&bars.overall, ProgressBar::new_spinner().with_style(style));
            bars.rows.push(bar);
        }
        let glyphs = crate::terminal::glyphs::chosen();
        for (bar, line) in bars.rows.iter().zip(items) {
            bar.set_message(glyphs.fit(line, width));
        }
        bars.overall.set_message(glyphs.fit(overall, width));
        bars.input.set_message(glyphs.fit(
            &prompt_line(prompt, self.editor.text(), width, self.palette),
            width,
        ));
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        if let Some(bars) = &self.live {
            for bar in &bars.rows {
                bar.finish_and_clear();
            }
            bars.overall.finish_and_clear();
            bars.input.finish_and_clear();
            let _ = bars.mp.clear();
        }
        if let Some(saved) = self.saved.take() {
            let _ = termios::tcsetattr(std::io::stdin().as_fd(), SetArg::TCSANOW, &saved);
            let _ = console::Term::stderr().show_cursor();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::coloured;

    #[test]
    fn colours_are_kept_and_other_controls_escaped() {
        assert_eq!(coloured("\x1b[32m✔\x1b[0m done"), "\x1b[32m✔\x1b[0m done");
        assert_eq!(
            coloured("\x1b[36m\x1b[1m#4\x1b[0m"),
            "\x1b[36m\x1b[1m#4\x1b[0m"
        );
        // Not a colour: shown, not obeyed.
        assert_eq!(coloured("a\x1b[2Kb"), "a\\e[2Kb");
        assert_eq!(coloured("t\x1b]0;title\x07"), "t\\e]0;title\\x07");
        assert_eq!(coloured("end\x1b"), "end\\e");
        assert_eq!(coloured("x\ry"), "x\\ry");
    }
}
