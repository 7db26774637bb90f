//! The output a timeline keeps: bounded, so that a journal's length costs
//! `report` and `status` time, not memory.
//!
//! A journal holds up to 20 lines of up to 64 KiB for each failed step, and
//! 5 for each host of each attempt of a remote step; a step retried a
//! thousand times on ten hosts would keep all of them. A timeline keeps at
//! most [`STEP_LINES`] lines for the step and [`HOST_LINES`] per host for
//! its last [`ATTEMPTS_WITH_OUTPUT`] attempts, each line cut to
//! [`LINE_MAX`] bytes with what was cut said: what a person reads in a
//! report or a status view. The step logs beside the journal keep the full
//! output.

/// Lines kept of a step's `output_tail` (what the engine records at most).
pub const STEP_LINES: usize = 20;

/// Lines kept of one host's `output_tail` in one attempt.
pub const HOST_LINES: usize = 5;

/// Attempts of a step whose hosts' output is kept: the latest ones.
pub const ATTEMPTS_WITH_OUTPUT: usize = 3;

/// Bytes kept of one output line.
pub const LINE_MAX: usize = 512;

/// The last `max` lines of `lines`, each cut to [`LINE_MAX`] bytes (at a
/// character boundary) followed by how many bytes were cut.
pub fn bounded(lines: &[String], max: usize) -> Vec<String> {
    lines[lines.len().saturating_sub(max)..]
        .iter()
        .map(|line| cut(line))
        .collect()
}

fn cut(line: &str) -> String {
    if line.len() <= LINE_MAX {
        return line.to_string();
    }
    let mut end = LINE_MAX;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… [{} more bytes]", &line[..end], line.len() - end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_lines_each_cut_at_a_character() {
        let lines: Vec<String> = (0..30).map(|i| format!("line {i}")).collect();
        let kept = bounded(&lines, STEP_LINES);
        assert_eq!(kept.len(), STEP_LINES);
        assert_eq!(kept[0], "line 10");
        let long = format!("a{}", "é".repeat(LINE_MAX));
        let kept = bounded(std::slice::from_ref(&long), 1);
        assert!(kept[0].len() < LINE_MAX + 30, "{}", kept[0].len());
        assert!(long.starts_with(kept[0].split('…').next().unwrap()));
        assert!(kept[0].ends_with(&format!("[{} more bytes]", long.len() - LINE_MAX + 1)));
        assert_eq!(bounded(&["short".into()], 5), ["short"]);
    }
}
