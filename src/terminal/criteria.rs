//! The exercise's success criteria (`objectives.criteria`), assessed at the
//! terminal once the drill is over: each met, partly met or not met, with
//! a comment. Used by `reprise run` after the summary and by
//! `reprise assess` at a terminal.

use std::io::{BufRead, Write};

use crate::event::Assessment;
use crate::i18n::Lang;

/// One criterion's assessment as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessed {
    /// 1-based number in `objectives.criteria`.
    pub criterion: u32,
    /// How far it was met.
    pub verdict: Assessment,
    /// Why, if anything was typed.
    pub comment: Option<String>,
}

/// Reads a verdict as typed: a word (`met`, `partly_met`, `atteint`…) or
/// its first letter (`m`/`a`, `p`, `n`).
pub fn parse_verdict(typed: &str) -> Result<Assessment, String> {
    match typed.trim().to_lowercase().as_str() {
        "m" | "a" | "y" | "o" | "oui" | "yes" => Ok(Assessment::Met),
        "p" | "partiellement" => Ok(Assessment::PartlyMet),
        "n" | "no" | "non" => Ok(Assessment::NotMet),
        other => other.parse(),
    }
}

/// The verdict in `lang`'s words.
pub fn verdict_text(lang: Lang, v: Assessment) -> String {
    lang.tr(match v {
        Assessment::Met => "verdict-met",
        Assessment::PartlyMet => "verdict-partly_met",
        Assessment::NotMet => "verdict-not_met",
    })
}

/// Asks for each criterion in turn; an empty answer leaves it, the end of
/// input leaves the rest. A word that is not a verdict is asked again.
/// Criterion texts are shown escaped (they come from the runbook).
pub fn ask(
    criteria: &[String],
    lang: Lang,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> std::io::Result<Vec<Assessed>> {
    let mut read = |prompt: &str, out: &mut dyn Write| -> std::io::Result<Option<String>> {
        write!(out, "{prompt} ")?;
        out.flush()?;
        let mut line = String::new();
        Ok(match input.read_line(&mut line)? {
            0 => None,
            _ => Some(line.trim().to_string()),
        })
    };
    writeln!(out, "\n{}", lang.tr("assess-intro"))?;
    let mut assessed = Vec::new();
    for (i, text) in criteria.iter().enumerate() {
        writeln!(out, "\n{}. {}", i + 1, crate::escape::line(text))?;
        let verdict = loop {
            let Some(answer) = read(&lang.tr("assess-question"), out)? else {
                writeln!(out)?;
                return Ok(assessed);
            };
            if answer.is_empty() {
                break None;
            }
            match parse_verdict(&answer) {
                Ok(v) => break Some(v),
                Err(e) => writeln!(out, "  {}", crate::escape::line(&e))?,
            }
        };
        let Some(verdict) = verdict else {
            writeln!(out, "{}", lang.tr("assess-left"))?;
            continue;
        };
        let comment = read(&lang.tr("assess-comment"), out)?.filter(|c| !c.is_empty());
        writeln!(
            out,
            "{}",
            lang.tr_args(
                "assess-recorded",
                &[("verdict", verdict_text(lang, verdict).into())]
            )
        )?;
        assessed.push(Assessed {
            criterion: i as u32 + 1,
            verdict,
            comment,
        });
    }
    Ok(assessed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_criterion_is_asked_and_empty_answers_leave_it() {
        let criteria = ["A".to_string(), "B".to_string(), "C".to_string()];
        let mut input = std::io::Cursor::new("maybe\np\nslow lab\n\nn\n");
        let mut out = Vec::new();
        let got = ask(&criteria, Lang::En, &mut input, &mut out).unwrap();
        assert_eq!(
            got,
            [
                Assessed {
                    criterion: 1,
                    verdict: Assessment::PartlyMet,
                    comment: Some("slow lab".into())
                },
                Assessed {
                    criterion: 3,
                    verdict: Assessment::NotMet,
                    comment: None
                }
            ]
        );
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("`maybe` is not an assessment"), "{out}");
        assert!(out.contains("left unassessed"), "{out}");
    }

    #[test]
    fn french_words_and_letters_are_verdicts() {
        assert_eq!(parse_verdict("a"), Ok(Assessment::Met));
        assert_eq!(parse_verdict("non atteint"), Ok(Assessment::NotMet));
        assert_eq!(parse_verdict("Partiellement"), Ok(Assessment::PartlyMet));
        assert!(parse_verdict("bof").is_err());
    }
}
