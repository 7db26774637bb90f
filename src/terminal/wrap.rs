//! Lines printed above the live view, wrapped at the terminal's width
//! between words: a terminal left to itself cuts a long header or
//! question mid-word, and the live bars below miscount the rows it took.

/// `line` as rows of at most `width` columns (escape codes not counted),
/// broken at spaces; rows after the first are indented four columns more
/// than the line. A word longer than a row (a long path) starts a row of
/// its own and is left whole for the terminal to fold: a terminal copies a
/// folded word back whole, not one cut with an indentation inside.
pub fn wrap(line: &str, width: usize) -> Vec<String> {
    if console::measure_text_width(line) <= width || width < 8 {
        return vec![line.to_string()];
    }
    let body = line.trim_start_matches(' ');
    let lead = (line.len() - body.len()).min(width / 3);
    let indent = " ".repeat((lead + 4).min(width / 3));
    let mut rows = Vec::new();
    let mut row = " ".repeat(lead);
    let mut used = lead;
    let mut empty = true;
    for word in words(body, width - indent.len()) {
        let word = word.as_str();
        let w = console::measure_text_width(word);
        if !empty && used + 1 + w > width {
            let done = std::mem::replace(&mut row, indent.clone());
            rows.push(done.trim_end().to_string());
            used = indent.len();
            empty = true;
        }
        if !empty {
            row.push(' ');
            used += 1;
        }
        row.push_str(word);
        used += w;
        empty = false;
    }
    rows.push(row);
    rows
}

/// The words of `body`, a code span (`` `continue 4` ``, what to type)
/// kept as one word when it fits in `room` columns.
fn words(body: &str, room: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut span: Option<Vec<&str>> = None;
    for word in body.split(' ') {
        let ticks = word.matches('`').count() % 2 == 1;
        match &mut span {
            Some(parts) => {
                parts.push(word);
                if ticks {
                    let joined = parts.join(" ");
                    if console::measure_text_width(&joined) <= room {
                        out.push(joined);
                    } else {
                        out.extend(parts.iter().map(|p| p.to_string()));
                    }
                    span = None;
                }
            }
            None if ticks => span = Some(vec![word]),
            None => out.push(word.to_string()),
        }
    }
    // An unclosed span: its words as they are.
    out.extend(span.into_iter().flatten().map(str::to_string));
    out
}

/// `lines` wrapped at the width of this process's stderr terminal (one
/// column spare: a row that fills the last column makes some terminals
/// wrap early).
pub fn at_stderr(lines: &[String]) -> Vec<String> {
    let width = usize::from(super::frame::Size::of_stderr().cols.max(2)) - 1;
    lines.iter().flat_map(|l| wrap(l, width)).collect()
}

/// `text` wrapped at the width of this process's stderr when it is a
/// terminal, whole otherwise.
pub fn for_stderr(text: &str) -> String {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return text.to_string();
    }
    let width = usize::from(super::frame::Size::of_stderr().cols.max(2)) - 1;
    lines_at(text, width)
}

/// Each line of `text` wrapped at `width`, line ends kept.
fn lines_at(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        out.push_str(&wrap(body, width).join("\n"));
        out.push_str(end);
    }
    out
}

/// `lines` wrapped at the width of this process's stdout when it is a
/// terminal, whole otherwise (a pipe, a file).
pub fn at_stdout(text: &str) -> String {
    use std::io::IsTerminal;
    let term = console::Term::stdout();
    let width = match term.size_checked() {
        Some((_, cols)) if cols > 0 && std::io::stdout().is_terminal() => usize::from(cols) - 1,
        _ => return text.to_string(),
    };
    lines_at(text, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_header_is_broken_between_words() {
        let line = "☐ 08:00:00 #12 restore-lis — Restore the laboratory information system \
                    database from the offsite replica  [role: dba · est 45m]";
        let rows = wrap(line, 80);
        assert_eq!(
            rows,
            [
                "☐ 08:00:00 #12 restore-lis — Restore the laboratory information system database",
                "    from the offsite replica  [role: dba · est 45m]",
            ]
        );
        // Nothing lost, nothing cut.
        let joined = rows.join(" ").replace("     ", " ");
        assert_eq!(
            joined.split_whitespace().collect::<Vec<_>>(),
            line.split_whitespace().collect::<Vec<_>>()
        );
    }

    /// The headers a drill prints (the run's, the dry run's, a question's),
    /// as a terminal of `width` columns shows them.
    fn headers(width: usize) -> String {
        let lines = [
            "journal: journals/hopital-baie-stockage-20261207T021657Z.jsonl",
            "● 02:17:01 drill “Panne de la baie de stockage – hôpital Nord” started by \
             alice (20 steps, RTO 4h)",
            "Dry run of \"Panne de la baie de stockage – hôpital Nord\": nothing will be \
             executed and nothing asked.",
            "Commands receive these variables (in their environment, by name):",
            "  $GOVC_URL = https://vcenter.hopital-nord.local/sdk",
            "? 02:20:13 #12 bascule-vms-vitales-bulle — Démarrer les VM vitales dans la \
             bulle isolée waits for your go  [role: DSI – équipe virtualisation · est 1h]",
            "    → `go 12` (or `go bascule-vms-vitales-bulle`), `skip 12`",
        ];
        let mut out = String::new();
        for line in lines {
            for row in wrap(line, width) {
                // Wider only with a single word too long for any row.
                assert!(
                    console::measure_text_width(&row) <= width
                        || row.split_whitespace().count() == 1,
                    "{row:?}"
                );
                out.push_str(&row);
                out.push('\n');
            }
            // Every word kept whole, in order.
            let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
            assert_eq!(words(&wrap(line, width).join(" ")), words(line));
        }
        out
    }

    #[test]
    fn headers_break_between_words_at_80_and_40_columns() {
        insta::assert_snapshot!("headers-80", headers(80));
        insta::assert_snapshot!("headers-40", headers(40));
    }

    #[test]
    fn what_to_type_is_not_broken() {
        let line = "    → `retry 4` (or `retry etat-reseau`), `mark-done 4`, `skip 4`, \
                    `continue 4`, `abort 4`, `rollback 4`";
        let rows = wrap(line, 79);
        assert_eq!(
            rows,
            [
                "    → `retry 4` (or `retry etat-reseau`), `mark-done 4`, `skip 4`,",
                "        `continue 4`, `abort 4`, `rollback 4`",
            ]
        );
        // A span wider than a row is broken like other words; an unclosed
        // one loses nothing.
        for row in wrap("a `b c d e f g h i j` k", 10) {
            assert!(console::measure_text_width(&row) <= 10, "{row:?}");
        }
        assert_eq!(words("say `go on", 80), ["say", "`go", "on"]);
    }

    #[test]
    fn colours_do_not_count_and_indentation_is_kept() {
        let word = "\x1b[1mword\x1b[0m";
        let line = format!("    {}", [word; 20].join(" "));
        for row in wrap(&line, 40) {
            assert!(console::measure_text_width(&row) <= 40, "{row:?}");
            assert!(row.starts_with("    "), "{row:?}");
        }
        assert_eq!(wrap("short", 80), ["short"]);
    }
}
