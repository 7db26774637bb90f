//! A minimal line editor for the live view's prompt.
//!
//! With the live view, the terminal's own line editing is switched off (no
//! canonical mode, no echo) so that the line being typed can be drawn as
//! the last line under the bars and survive their redraws. This holds that
//! line: printable text, Backspace, Ctrl-U (erase the line), Ctrl-W (erase
//! a word), Enter; escape sequences (arrow keys…) are swallowed so they
//! cannot end up in a reason.

/// Where an escape sequence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Escape {
    #[default]
    None,
    /// After ESC.
    Start,
    /// After `ESC [` (CSI): parameters until a final byte.
    Csi,
    /// After `ESC O` (SS3): one more byte.
    Ss3,
}

/// The line being typed.
#[derive(Debug, Clone, Default)]
pub struct Editor {
    line: String,
    utf8: Vec<u8>,
    escape: Escape,
}

impl Editor {
    /// What has been typed so far.
    pub fn text(&self) -> &str {
        &self.line
    }

    /// Drops what has been typed (Ctrl-C).
    pub fn clear(&mut self) {
        self.line.clear();
        self.utf8.clear();
        self.escape = Escape::None;
    }

    /// Takes one byte from the terminal; returns the line when Enter ends it.
    pub fn feed(&mut self, byte: u8) -> Option<String> {
        match self.escape {
            Escape::Start => {
                self.escape = match byte {
                    b'[' => Escape::Csi,
                    b'O' => Escape::Ss3,
                    _ => Escape::None,
                };
                return None;
            }
            Escape::Csi => {
                if (0x40..=0x7e).contains(&byte) {
                    self.escape = Escape::None;
                }
                return None;
            }
            Escape::Ss3 => {
                self.escape = Escape::None;
                return None;
            }
            Escape::None => {}
        }
        match byte {
            b'\r' | b'\n' => {
                self.utf8.clear();
                return Some(std::mem::take(&mut self.line));
            }
            0x7f | 0x08 => {
                self.utf8.clear();
                self.line.pop();
            }
            // Ctrl-D on an empty line, as in a shell: leave.
            0x04 if self.line.is_empty() => return Some("detach".into()),
            0x15 => self.clear(),
            0x17 => {
                let kept = self.line.trim_end().len();
                self.line.truncate(kept);
                let start = self.line.rfind(char::is_whitespace).map_or(0, |i| i + 1);
                self.line.truncate(start);
            }
            0x1b => self.escape = Escape::Start,
            b'\t' => self.line.push(' '),
            0x00..=0x1f => {}
            _ => {
                self.utf8.push(byte);
                match std::str::from_utf8(&self.utf8) {
                    Ok(s) => {
                        self.line.push_str(s);
                        self.utf8.clear();
                    }
                    // An incomplete character: wait for its other bytes,
                    // unless it can no longer become valid.
                    Err(e) if e.error_len().is_some() || self.utf8.len() >= 4 => {
                        self.utf8.clear();
                    }
                    Err(_) => {}
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(editor: &mut Editor, bytes: &[u8]) -> Vec<String> {
        bytes.iter().filter_map(|b| editor.feed(*b)).collect()
    }

    #[test]
    fn typed_lines_with_corrections() {
        let mut e = Editor::default();
        assert_eq!(feed(&mut e, b"donx\x7fe 2\r"), vec!["done 2"]);
        assert_eq!(e.text(), "");
        assert_eq!(
            feed(&mut e, b"skip 3 wrong words\x17\x17right\n"),
            vec!["skip 3 right"]
        );
        assert_eq!(feed(&mut e, b"garbage\x15note ok\r"), vec!["note ok"]);
    }

    #[test]
    fn escape_sequences_and_controls_are_swallowed() {
        let mut e = Editor::default();
        assert_eq!(
            feed(&mut e, b"a\x1b[A\x1b[1;5Cb\x1bOPc\x04\x01\r"),
            vec!["abc"]
        );
    }

    #[test]
    fn multibyte_characters_arrive_whole() {
        let mut e = Editor::default();
        let text = "réseau coupé ✔";
        let mut bytes = text.as_bytes().to_vec();
        bytes.push(b'\r');
        assert_eq!(feed(&mut e, &bytes), vec![text]);
        // Backspace removes a whole character.
        assert_eq!(feed(&mut e, "é\x7fe\r".as_bytes()), vec!["e"]);
        // A stray continuation byte is dropped.
        assert_eq!(feed(&mut e, b"x\x80y\r"), vec!["xy"]);
    }
}
