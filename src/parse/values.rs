//! Lowering single values, each error collected and located: text,
//! booleans, counts, durations, words from a fixed list, ids, commands, and
//! a mapping's fields against its known keys.

use super::{
    Command, Diagnostic, Duration, Entry, Fields, Located, Lower, Node, OnFailure, Span, Value,
    first_line, fix_id, is_valid_id, keys, list, list_of, suggest,
};

impl Lower<'_> {
    pub(super) fn error(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    pub(super) fn wrong_type(&mut self, node: &Node, expected: &str) {
        let span = self.one_line(node.span);
        let mut d = Diagnostic::error(
            "wrong-type",
            format!("expected {expected}, found {}", node.kind()),
            Some(span),
        )
        .with_label(format!("expected {expected}"));
        if node.is_null() {
            d = d.with_hint("write a value after the colon, or remove the key");
        }
        self.error(d);
    }

    pub(super) fn one_line(&self, span: Span) -> Span {
        first_line(self.text, span)
    }

    /// Matches a mapping's keys against `known`, reporting unknown keys.
    /// `what` is what a wrong type is reported as expected ("a step"),
    /// `place` where an unknown key is ("in step").
    pub(super) fn fields<'n>(
        &mut self,
        node: &'n Node,
        known: &'static [&'static str],
        what: &str,
        place: &str,
    ) -> Option<Fields<'n>> {
        let Some(entries) = node.mapping() else {
            self.wrong_type(node, what);
            return None;
        };
        let mut found = vec![None; known.len()];
        for entry in entries {
            match known.iter().position(|k| *k == entry.key) {
                Some(i) => found[i] = Some(entry),
                None => self.unknown_key(entry, known, place),
            }
        }
        Some(Fields {
            known,
            found,
            span: node.span,
        })
    }

    pub(super) fn unknown_key(
        &mut self,
        entry: &Entry,
        known: &'static [&'static str],
        place: &str,
    ) {
        let mut d = Diagnostic::error(
            "unknown-key",
            format!("unknown key `{}` {place}", entry.key),
            Some(entry.key_span),
        )
        .with_label("unknown key");
        let hint = if entry.key == "<<" {
            Some("YAML merge keys are not supported: write the keys out".to_string())
        } else if let Some(k) = suggest(&entry.key, known.iter().copied()) {
            Some(format!("did you mean `{k}`?"))
        } else {
            let other = [keys::STEP, keys::PHASE, keys::TOP]
                .into_iter()
                .find(|list| !std::ptr::eq(*list, known) && list.contains(&entry.key.as_str()));
            match other {
                Some(list) if std::ptr::eq(list, keys::STEP) => {
                    Some(format!("`{}` belongs on a step", entry.key))
                }
                Some(list) if std::ptr::eq(list, keys::PHASE) => {
                    Some(format!("`{}` belongs on a phase", entry.key))
                }
                Some(_) => Some(format!("`{}` belongs at the top level", entry.key)),
                None => Some(format!("known keys here: {}", list(known))),
            }
        };
        if let Some(hint) = hint {
            d = d.with_hint(hint);
        }
        self.error(d);
    }

    pub(super) fn missing(&mut self, fields: &Fields<'_>, key: &str, what: &str) {
        let span = self.one_line(fields.span);
        self.error(
            Diagnostic::error("missing-key", format!("{what} has no `{key}`"), Some(span))
                .with_label(format!("`{key}` missing here")),
        );
    }

    /// Text: any scalar but null.
    pub(super) fn text(&mut self, node: &Node) -> Option<String> {
        match &node.value {
            Value::Scalar(s) if !node.is_null() => Some(s.text.clone()),
            _ => {
                self.wrong_type(node, "text");
                None
            }
        }
    }

    pub(super) fn required_text(
        &mut self,
        fields: &Fields<'_>,
        key: &str,
        what: &str,
    ) -> Option<String> {
        match fields.value(key) {
            Some(node) => self.text(node),
            None => {
                self.missing(fields, key, what);
                None
            }
        }
    }

    pub(super) fn optional_text(&mut self, fields: &Fields<'_>, key: &str) -> Option<String> {
        fields.value(key).and_then(|node| self.text(node))
    }

    pub(super) fn boolean(&mut self, node: &Node) -> Option<bool> {
        match &node.value {
            Value::Scalar(s) if s.plain => match s.text.as_str() {
                "true" | "True" | "TRUE" => return Some(true),
                "false" | "False" | "FALSE" => return Some(false),
                _ => {}
            },
            _ => {}
        }
        let span = self.one_line(node.span);
        let mut d = Diagnostic::error(
            "wrong-type",
            format!("expected `true` or `false`, found {}", node.kind()),
            Some(span),
        )
        .with_label("expected `true` or `false`");
        if let Some(s) = node.scalar() {
            let lower = s.text.to_ascii_lowercase();
            let word = match lower.as_str() {
                "yes" | "on" | "y" | "true" => Some("true"),
                "no" | "off" | "n" | "false" => Some("false"),
                _ => None,
            };
            if let Some(word) = word {
                d = d.with_hint(if lower == word {
                    format!("write `{word}` without quotes")
                } else {
                    format!("write `{word}`: reprise reads only `true` and `false` as booleans")
                });
            }
        }
        self.error(d);
        None
    }

    pub(super) fn optional_bool(&mut self, fields: &Fields<'_>, key: &str) -> Option<bool> {
        fields.value(key).and_then(|n| self.boolean(n))
    }

    pub(super) fn count(&mut self, node: &Node) -> Option<u32> {
        if let Value::Scalar(s) = &node.value
            && s.plain
            && !s.text.is_empty()
            && s.text.bytes().all(|b| b.is_ascii_digit())
            && let Ok(n) = s.text.parse::<u32>()
        {
            return Some(n);
        }
        let span = self.one_line(node.span);
        let found = match node.scalar() {
            Some(s) if !node.is_null() => format!("`{}`", s.text),
            _ => node.kind().to_string(),
        };
        self.error(
            Diagnostic::error(
                "wrong-type",
                format!("expected a whole number, found {found}"),
                Some(span),
            )
            .with_label("expected a whole number like `2`"),
        );
        None
    }

    pub(super) fn duration(&mut self, node: &Node) -> Option<Located<Duration>> {
        let Some(s) = node.scalar().filter(|_| !node.is_null()) else {
            self.wrong_type(node, "a duration like `15m`");
            return None;
        };
        match s.text.parse::<Duration>() {
            Ok(d) => Some(Located::new(d, node.span)),
            Err(e) => {
                self.error(
                    Diagnostic::error("invalid-duration", e.to_string(), Some(node.span))
                        .with_label("not a duration")
                        .with_hint("units are `d`, `h`, `m` and `s`, largest first, e.g. `1h30m`"),
                );
                None
            }
        }
    }

    pub(super) fn optional_duration(
        &mut self,
        fields: &Fields<'_>,
        key: &str,
    ) -> Option<Located<Duration>> {
        fields.value(key).and_then(|n| self.duration(n))
    }

    /// A value from a fixed list of words (`on_failure`, `only`).
    pub(super) fn word<T: Copy>(
        &mut self,
        node: &Node,
        key: &str,
        choices: &[(&'static str, T)],
    ) -> Option<T> {
        let Some(s) = node.scalar().filter(|_| !node.is_null()) else {
            self.wrong_type(node, &format!("one of {}", list_of(choices)));
            return None;
        };
        if let Some((_, v)) = choices.iter().find(|(w, _)| *w == s.text) {
            return Some(*v);
        }
        let mut d = Diagnostic::error(
            "invalid-value",
            format!(
                "`{}` is not a valid `{key}`: expected one of {}",
                s.text,
                list_of(choices)
            ),
            Some(node.span),
        )
        .with_label(format!("unknown `{key}`"));
        if let Some(w) = suggest(&s.text, choices.iter().map(|(w, _)| *w)) {
            d = d.with_hint(format!("did you mean `{w}`?"));
        }
        self.error(d);
        None
    }

    pub(super) fn on_failure(&mut self, node: &Node) -> Option<OnFailure> {
        self.word(
            node,
            "on_failure",
            &[
                ("ask", OnFailure::Ask),
                ("abort", OnFailure::Abort),
                ("continue", OnFailure::Continue),
                ("rollback", OnFailure::Rollback),
            ],
        )
    }

    /// A list of scalars, as text with their spans.
    pub(super) fn text_list(
        &mut self,
        node: &Node,
        expected: &str,
    ) -> Option<Vec<Located<String>>> {
        let Some(items) = node.sequence() else {
            self.wrong_type(node, expected);
            if let Some(s) = node.scalar().filter(|_| !node.is_null())
                && let Some(e) = self.errors.last_mut()
            {
                e.hint = Some(format!("write a list: `[{}]`", s.text));
            }
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            if let Some(t) = self.text(item) {
                out.push(Located::new(t, item.span));
            }
        }
        Some(out)
    }

    /// An id: text matching the id pattern, unique in the runbook. Returns
    /// the id even when it breaks the pattern (so later checks can use it),
    /// but `None` when it is not text or is a duplicate.
    pub(super) fn id(&mut self, node: &Node) -> Option<Located<String>> {
        let text = self.text(node)?;
        if !is_valid_id(&text) {
            let mut d = Diagnostic::error(
                "invalid-id",
                format!("`{text}` is not a valid id"),
                Some(node.span),
            )
            .with_label("invalid id");
            let fixed = fix_id(&text);
            d = d.with_hint(if is_valid_id(&fixed) {
                format!(
                    "ids use lowercase letters, digits, `-` and `_`, starting with a letter or digit: try `{fixed}`"
                )
            } else {
                "ids use lowercase letters, digits, `-` and `_`, starting with a letter or digit"
                    .to_string()
            });
            self.error(d);
        }
        match self.ids.get(&text) {
            Some(&line) => {
                self.error(
                    Diagnostic::error(
                        "duplicate-id",
                        format!("duplicate id `{text}` (first used on line {line})"),
                        Some(node.span),
                    )
                    .with_label("used a second time here")
                    .with_hint("ids must be unique among all phases and steps"),
                );
                self.complete = false;
                None
            }
            None => {
                self.ids.insert(text.clone(), node.span.line);
                Some(Located::new(text, node.span))
            }
        }
    }

    pub(super) fn command(&mut self, node: &Node, what: &str) -> Option<Located<Command>> {
        match &node.value {
            Value::Scalar(s) if !node.is_null() => {
                if s.text.trim().is_empty() {
                    self.error(
                        Diagnostic::error(
                            "empty-command",
                            format!("`{what}` is an empty command"),
                            Some(node.span),
                        )
                        .with_label("empty")
                        .with_hint(format!("write the command, or remove `{what}`")),
                    );
                    return None;
                }
                Some(Located::new(Command::Shell(s.text.clone()), node.span))
            }
            Value::Sequence(items) => {
                if items.is_empty() {
                    self.error(
                        Diagnostic::error(
                            "empty-command",
                            format!("`{what}` is an empty list"),
                            Some(node.span),
                        )
                        .with_label("empty")
                        .with_hint(
                            "write the program and its arguments, like `[systemctl, stop, app]`",
                        ),
                    );
                    return None;
                }
                let mut argv = Vec::with_capacity(items.len());
                let mut ok = true;
                for item in items {
                    match self.text(item) {
                        Some(t) => argv.push(t),
                        None => ok = false,
                    }
                }
                ok.then(|| Located::new(Command::Argv(argv), node.span))
            }
            _ => {
                self.wrong_type(node, "a command");
                if let Some(d) = self.errors.last_mut() {
                    d.hint = Some(
                        "write a string (run with `sh -c`) or a list (a program and its arguments, \
                         run without a shell)"
                            .to_string(),
                    );
                }
                None
            }
        }
    }
}
