//! A runbook's text as its diagnostics may quote it: the value of every
//! secret variable masked.
//!
//! A diagnostic shows the source line it points at; when that line (or the
//! line shown for a neighbour's mistake) holds `value: …` of a `secret:
//! true` variable, `check`, `plan`, `run` and `resume` would print the
//! secret on the terminal and into CI logs. Masking is done on a copy of
//! the text, byte for byte (`*` for every byte, line ends kept), so that
//! every span, line number and caret stays where it was.

use crate::diagnostic::Diagnostic;
use crate::redact::Redactor;
use crate::yaml::Node;

/// The masked copy of `text` and the secret values found in it, or `None`
/// when nothing needed masking. `root` is the YAML tree, when the YAML could
/// be read: the secret variables' `value:` nodes, and every other place
/// their text appears, are masked. Without it (a YAML syntax error), which
/// variables are secret is unknown: the rest of every line holding a
/// `value:` key is masked (and the lines of a block scalar after it).
pub fn masked(text: &str, root: Option<&Node>) -> Option<(String, Vec<String>)> {
    let mut bytes = text.as_bytes().to_vec();
    let mut values = Vec::new();
    match root {
        Some(root) => {
            for node in secret_values(root) {
                let start = node.span.offset.min(bytes.len());
                let mut end = (node.span.offset + node.span.len).min(bytes.len());
                // A block scalar's span runs on to the next key's indent.
                while end > start && bytes[end - 1].is_ascii_whitespace() {
                    end -= 1;
                }
                star(&mut bytes[start..end]);
                if let Some(s) = node.scalar() {
                    values.push(s.text.clone());
                }
            }
        }
        None => star_value_keys(text, &mut bytes),
    }
    // Elsewhere too: a command that holds the secret's text, an `env:`.
    for value in &values {
        let lines = value
            .split(['\n', '\r'])
            .map(str::trim)
            .filter(|l| l.chars().count() >= crate::redact::MIN_LINE || *l == value.trim());
        for needle in lines.filter(|l| !l.is_empty()) {
            let found: Vec<usize> = text.match_indices(needle).map(|(i, _)| i).collect();
            for i in found {
                star(&mut bytes[i..i + needle.len()]);
            }
        }
    }
    if bytes == text.as_bytes() {
        return None;
    }
    // Only ASCII `*` replaced whole characters (or whole values): still UTF-8.
    let masked = String::from_utf8(bytes).ok()?;
    Some((masked, values))
}

/// `diagnostics` with every secret value in their message, label and hint
/// masked (`***`): a wrong-type error, for one, quotes the value it found.
pub fn diagnostics(diagnostics: &mut [Diagnostic], values: &[String]) {
    let redactor = Redactor::new(values);
    if redactor.is_empty() {
        return;
    }
    for d in diagnostics {
        d.message = redactor.redact(&d.message).into_owned();
        if let Some(label) = &mut d.label {
            *label = redactor.redact(label).into_owned();
        }
        if let Some(hint) = &mut d.hint {
            *hint = redactor.redact(hint).into_owned();
        }
    }
}

/// Every byte but line ends becomes `*`.
fn star(bytes: &mut [u8]) {
    for b in bytes.iter_mut().filter(|b| !matches!(b, b'\n' | b'\r')) {
        *b = b'*';
    }
}

/// The `value` nodes of the `vars:` entries that say `secret:` (anything
/// but `false`: a misspelt flag is still meant as secret).
fn secret_values(root: &Node) -> Vec<&Node> {
    let Some(vars) = root
        .mapping()
        .and_then(|m| m.iter().find(|e| e.key == "vars"))
        .and_then(|e| e.value.mapping())
    else {
        return Vec::new();
    };
    vars.iter()
        .filter_map(|var| var.value.mapping())
        .filter(|fields| {
            fields.iter().any(|f| {
                f.key == "secret"
                    && !f
                        .value
                        .scalar()
                        .is_some_and(|s| matches!(s.text.as_str(), "false" | "False" | "FALSE"))
            })
        })
        .filter_map(|fields| fields.iter().find(|f| f.key == "value"))
        .map(|f| f.value.as_ref())
        .filter(|n| !n.is_null())
        .collect()
}

/// Without a YAML tree: after every `value:` key, the rest of its line up
/// to a `,` or `}` of a flow mapping (or a block scalar's lines).
fn star_value_keys(text: &str, bytes: &mut [u8]) {
    let mut offset = 0;
    let mut block: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let blank = line.trim().is_empty();
        match block {
            Some(key_indent) if blank || indent > key_indent => {
                star(&mut bytes[offset..offset + line.len()]);
                offset += line.len();
                continue;
            }
            _ => block = None,
        }
        for (i, _) in line.match_indices("value") {
            let before = line[..i].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-') {
                continue;
            }
            let rest = &line[i + "value".len()..];
            let Some(after) = rest.trim_start().strip_prefix(':') else {
                continue;
            };
            let start = i + "value".len() + (rest.len() - after.len());
            let end = start + after.find([',', '}', '\n']).unwrap_or(after.len());
            star(&mut bytes[offset + start..offset + end]);
            if after.trim_start().starts_with(['|', '>']) {
                block = Some(indent);
            }
        }
        offset += line.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mask(text: &str) -> String {
        let doc = crate::yaml::parse(text);
        masked(text, doc.root.as_deref())
            .map(|(m, _)| m)
            .unwrap_or_else(|| text.to_string())
    }

    #[test]
    fn a_secret_value_is_masked_in_place_and_everywhere_else() {
        let text = "vars:\n  TOKEN: {value: hunter2-xyz, secret: true}\n  HOST: db1\nsteps:\n  - {id: a, title: A, run: curl -u hunter2-xyz db1}\n";
        let m = mask(text);
        assert_eq!(m.len(), text.len());
        assert!(!m.contains("hunter2"), "{m}");
        assert!(
            m.contains("HOST: db1") && m.contains("curl -u *********** db1"),
            "{m}"
        );
    }

    #[test]
    fn a_multi_line_secret_keeps_its_line_ends() {
        let text = "vars:\n  KEY:\n    secret: true\n    value: |\n      -----BEGIN KEY-----\n      abcdefghijkl\n      -----END KEY-----\n    prompt: Key\nsteps: []\n";
        let m = mask(text);
        assert_eq!(m.lines().count(), text.lines().count());
        assert!(!m.contains("abcdefghijkl") && !m.contains("BEGIN"), "{m}");
        assert!(m.contains("\n    prompt: Key\n"), "{m}");
        assert!(m.ends_with("\nsteps: []\n"), "{m}");
    }

    #[test]
    fn a_variable_that_is_not_secret_is_left_alone() {
        let text = "vars:\n  A: {value: plain-value, secret: false}\n  B: other\n";
        assert_eq!(mask(text), text);
    }

    #[test]
    fn without_a_tree_every_value_key_is_masked() {
        let text = "vars:\n  T: {value: s3cr3t-value, secret: true}\n  K:\n    value: |\n      line-one-secret\n    secret: true\n  bad: [\n";
        let doc = crate::yaml::parse(text);
        assert!(doc.root.is_none(), "the YAML must be broken for this test");
        let (m, _) = masked(text, None).unwrap();
        assert_eq!(m.len(), text.len());
        assert!(!m.contains("s3cr3t") && !m.contains("line-one"), "{m}");
        assert!(
            m.contains("secret: true}") && m.contains("    secret: true\n"),
            "{m}"
        );
    }

    #[test]
    fn messages_labels_and_hints_are_masked() {
        let mut d = vec![
            Diagnostic::error("wrong-type", "found `hunter2-xyz`", None)
                .with_label("`hunter2-xyz` here")
                .with_hint("not hunter2-xyz"),
        ];
        diagnostics(&mut d, &["hunter2-xyz".to_string()]);
        assert_eq!(d[0].message, "found `***`");
        assert_eq!(d[0].label.as_deref(), Some("`***` here"));
        assert_eq!(d[0].hint.as_deref(), Some("not ***"));
    }
}
