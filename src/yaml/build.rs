//! The tree built from the parser's events: collections on a stack,
//! anchors and aliases within the node budget, duplicate keys, tags,
//! syntax errors located with a hint.

use std::collections::HashMap;
use std::rc::Rc;

use serde_saphyr::granit_parser::{self, Event, Parser, ScalarStyle, StructureStyle};

use crate::diagnostic::Diagnostic;
use crate::runbook::Span;

use super::*;

/// A collection being built.
struct Frame {
    span: Span,
    anchor: usize,
    /// Nodes in this collection after expanding aliases (itself included).
    size: usize,
    /// Levels below this collection (0 when empty).
    height: usize,
    /// Written in flow style (`[...]`, `{...}`).
    flow: bool,
    kind: FrameKind,
}

enum FrameKind {
    Sequence(Vec<Rc<Node>>),
    Mapping {
        entries: Vec<Entry>,
        /// The key waiting for its value; `Some(None)` when the key was
        /// unusable (already reported) and its value is dropped.
        key: Option<Option<(String, Span)>>,
        /// Key → line of its first occurrence, built once the mapping is big
        /// enough for a linear scan to matter.
        index: Option<HashMap<String, u32>>,
    },
}

/// An anchored value: the node, its expanded size and its height.
#[derive(Clone)]
struct Anchored {
    node: Rc<Node>,
    size: usize,
    height: usize,
}

pub(super) struct Builder<'t> {
    text: &'t str,
    errors: Vec<Diagnostic>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    budget: usize,
    used: usize,
    root: Option<Rc<Node>>,
    documents: usize,
}

/// Why building stopped early (the error is already recorded).
struct Fatal;

/// Mappings with more keys than this index their keys in a hash map to find
/// duplicates; smaller ones (nearly all) scan.
const SCAN_LIMIT: usize = 16;

impl<'t> Builder<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        Builder {
            text,
            errors: Vec::new(),
            stack: Vec::new(),
            anchors: HashMap::new(),
            budget: node_budget(text.len()),
            used: 0,
            root: None,
            documents: 0,
        }
    }

    pub(super) fn run(mut self) -> Document {
        let mut options = granit_parser::Options::default();
        options.flow_nesting_limit = MAX_DEPTH;
        options.block_nesting_limit = MAX_DEPTH;
        let mut parser = Parser::new_from_str_with_options(self.text, options);
        let mut fatal = false;
        for event in &mut parser {
            let step = match event {
                Ok((event, s)) => self.event(event, &s),
                Err(e) => {
                    let m = *e.marker();
                    let at = span(self.text, &granit_parser::Span::new(m, m));
                    let info = e.info();
                    let (code, message) = if info.contains("nesting") || info.contains("recursion")
                    {
                        (
                            "yaml-depth",
                            format!("values are nested deeper than {MAX_DEPTH} levels"),
                        )
                    } else {
                        ("yaml-syntax", format!("invalid YAML: {info}"))
                    };
                    let mut d = match tab_near(self.text, at).filter(|_| info.contains("tab")) {
                        // The parser points at the value it was reading,
                        // maybe a line above: point at the tab itself.
                        Some(tab) => Diagnostic::error(
                            code,
                            "invalid YAML: a tab character where YAML allows only spaces",
                            Some(tab),
                        )
                        .with_label("tab")
                        .with_hint(
                            "indent with spaces, never tabs (also inside a `run: |` block); \
                             many editors can be set to insert spaces for the Tab key",
                        ),
                        None => Diagnostic::error(code, message, Some(Span { len: 1, ..at })),
                    };
                    if d.hint.is_none()
                        && let Some(hint) = self.syntax_hint(at, &info)
                    {
                        d = d.with_hint(hint);
                    }
                    self.errors.push(d);
                    Err(Fatal)
                }
            };
            if step.is_err() {
                fatal = true;
                break;
            }
        }
        if fatal {
            self.root = None;
        } else if self.root.is_none() {
            self.errors.push(
                Diagnostic::error("empty-file", "the file holds no YAML document", None)
                    .with_hint("a runbook starts with `version: 1` and `name: ...`"),
            );
        }
        Document {
            root: self.root,
            errors: self.errors,
        }
    }

    fn event(&mut self, event: Event<'_>, s: &granit_parser::Span) -> Result<(), Fatal> {
        let at = span(self.text, s);
        match event {
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    self.errors.push(
                        Diagnostic::error(
                            "yaml-multiple-documents",
                            "a second YAML document starts here",
                            Some(Span {
                                len: at.len.max(1),
                                ..at
                            }),
                        )
                        .with_label("second document")
                        .with_hint(
                            "a runbook file holds one document: remove this `---` and what \
                             follows, or move it to a file of its own",
                        ),
                    );
                    return Err(Fatal);
                }
            }
            Event::Alias(id) => {
                let Some(anchored) = self.anchors.get(&id).cloned() else {
                    self.errors.push(Diagnostic::error(
                        "yaml-syntax",
                        "invalid YAML: alias to an unknown anchor",
                        Some(at),
                    ));
                    return Err(Fatal);
                };
                self.spend(anchored.size, at)?;
                if self.stack.len() + anchored.height > MAX_DEPTH {
                    self.errors.push(Diagnostic::error(
                        "yaml-depth",
                        format!("values are nested deeper than {MAX_DEPTH} levels"),
                        Some(at),
                    ));
                    return Err(Fatal);
                }
                // The alias stands where it is written, but keeps the span of
                // the value it repeats (so errors point at the real text).
                self.push(anchored.node, anchored.size, anchored.height, at);
            }
            Event::Scalar(value, style, anchor, tag) => {
                if let Some(tag) = tag {
                    self.tag(&tag.original(), s, at);
                }
                if value.len() > MAX_SCALAR_BYTES {
                    self.errors.push(
                        Diagnostic::error(
                            "value-too-long",
                            format!(
                                "this value is {} bytes long; a value may be at most {} bytes",
                                value.len(),
                                MAX_SCALAR_BYTES
                            ),
                            Some(at),
                        )
                        .with_hint("keep long documents in their own files and refer to them"),
                    );
                    return Err(Fatal);
                }
                self.spend(1, at)?;
                let node = Rc::new(Node {
                    span: at,
                    value: Value::Scalar(Scalar {
                        text: value.into_owned(),
                        plain: style == ScalarStyle::Plain,
                    }),
                });
                if anchor != 0 {
                    self.anchors.insert(
                        anchor,
                        Anchored {
                            node: node.clone(),
                            size: 1,
                            height: 0,
                        },
                    );
                }
                self.push(node, 1, 0, at);
            }
            Event::SequenceStart(style, anchor, tag) => {
                if let Some(tag) = tag {
                    self.tag(&tag.original(), s, at);
                }
                self.spend(1, at)?;
                self.stack.push(Frame {
                    span: at,
                    anchor,
                    size: 1,
                    height: 0,
                    flow: style == StructureStyle::Flow,
                    kind: FrameKind::Sequence(Vec::new()),
                });
            }
            Event::MappingStart(style, anchor, tag) => {
                if let Some(tag) = tag {
                    self.tag(&tag.original(), s, at);
                }
                self.spend(1, at)?;
                self.stack.push(Frame {
                    span: at,
                    anchor,
                    size: 1,
                    height: 0,
                    flow: style == StructureStyle::Flow,
                    kind: FrameKind::Mapping {
                        entries: Vec::new(),
                        key: None,
                        index: None,
                    },
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                let value = match frame.kind {
                    FrameKind::Sequence(items) => Value::Sequence(items),
                    FrameKind::Mapping { entries, .. } => Value::Mapping(entries),
                };
                let node = Rc::new(Node {
                    span: cover(frame.span, at.offset + at.len),
                    value,
                });
                let height = frame.height + 1;
                if frame.anchor != 0 {
                    self.anchors.insert(
                        frame.anchor,
                        Anchored {
                            node: node.clone(),
                            size: frame.size,
                            height,
                        },
                    );
                }
                let site = node.span;
                self.push(node, frame.size, height, site);
            }
            _ => {}
        }
        Ok(())
    }

    /// A hint for a syntax error at `at`: the usual cause is a bracket
    /// left open on an earlier line, or a line indented wrongly.
    fn syntax_hint(&self, at: Span, info: &str) -> Option<String> {
        let open = self.stack.iter().rev().find(|f| f.flow);
        if let Some(frame) = open.filter(|f| f.span.line < at.line) {
            let (open, close) = match frame.kind {
                FrameKind::Sequence(_) => ('[', ']'),
                FrameKind::Mapping { .. } => ('{', '}'),
            };
            return Some(format!(
                "the `{open}` on line {}, column {} is not closed: add `{close}`",
                frame.span.line, frame.span.column
            ));
        }
        if info.contains("mapping values are not allowed") {
            return Some(
                "a `: ` inside a value starts a new key (and a ` #` a comment): quote the \
                 whole value ('…'), or write it as a block: `run: |` with the command on \
                 the next lines, indented"
                    .to_string(),
            );
        }
        let line_start = self.text[..at.offset.min(self.text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let item = self.text[line_start..]
            .trim_start_matches(' ')
            .starts_with("- ");
        if info.contains("expected '-' indicator") && item {
            return Some(
                "a list item at the wrong indentation: every `-` of one list starts in the \
                 same column, and the keys of an item line up after its `- `"
                    .to_string(),
            );
        }
        (info.contains("block") || info.contains("indent")).then(|| {
            "check the indentation: the keys of one mapping, and the `-` of one list, \
             must start in the same column"
                .to_string()
        })
    }

    /// Counts `n` more nodes against the budget.
    fn spend(&mut self, n: usize, at: Span) -> Result<(), Fatal> {
        self.used = self.used.saturating_add(n);
        if self.used > self.budget {
            self.errors.push(
                Diagnostic::error(
                    "yaml-too-large",
                    format!("the document expands to more than {} values", self.budget),
                    Some(at),
                )
                .with_label("limit reached here")
                .with_hint(
                    "aliases (`*name`) that repeat other aliases multiply the document; \
                     write the values out instead",
                ),
            );
            return Err(Fatal);
        }
        Ok(())
    }

    fn tag(&mut self, tag: &str, s: &granit_parser::Span, at: Span) {
        let at = s.tag_span().map(|t| span(self.text, &t)).unwrap_or(at);
        self.errors.push(
            Diagnostic::error(
                "yaml-tag",
                format!("YAML tags such as `{tag}` are not allowed in a runbook"),
                Some(Span {
                    len: at.len.max(1),
                    ..at
                }),
            )
            .with_label("tag")
            .with_hint("remove the tag; quote the value if it must be read as text"),
        );
    }

    /// Hands a finished node to the collection being built, or makes it the
    /// root. `site` is where it is written (for an alias, the alias).
    fn push(&mut self, node: Rc<Node>, size: usize, height: usize, site: Span) {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return;
        };
        frame.size = frame.size.saturating_add(size);
        frame.height = frame.height.max(height);
        match &mut frame.kind {
            FrameKind::Sequence(items) => items.push(node),
            FrameKind::Mapping {
                entries,
                key,
                index,
            } => match key.take() {
                None => {
                    let Value::Scalar(scalar) = &node.value else {
                        self.errors.push(
                            Diagnostic::error(
                                "yaml-key",
                                format!("a mapping key must be text, found {}", node.kind()),
                                Some(first_line(self.text, site)),
                            )
                            .with_label("not text")
                            .with_hint("write keys as plain words, like `title:`"),
                        );
                        *key = Some(None);
                        return;
                    };
                    let text = scalar.text.clone();
                    let first = if entries.len() < SCAN_LIMIT && index.is_none() {
                        entries
                            .iter()
                            .find(|e| e.key == text)
                            .map(|e| e.key_span.line)
                    } else {
                        let index = index.get_or_insert_with(|| {
                            let mut map = HashMap::with_capacity(entries.len() * 2);
                            for e in entries.iter() {
                                map.entry(e.key.clone()).or_insert(e.key_span.line);
                            }
                            map
                        });
                        index.get(&text).copied()
                    };
                    let key_span = site;
                    if let Some(line) = first {
                        self.errors.push(
                            Diagnostic::error(
                                "yaml-duplicate-key",
                                format!("duplicate key `{text}` (first written on line {line})"),
                                Some(key_span),
                            )
                            .with_label("written a second time here")
                            .with_hint(
                                "remove one of them: YAML forbids a key twice in one mapping",
                            ),
                        );
                        *key = Some(None);
                        return;
                    }
                    if let Some(index) = index {
                        index.insert(text.clone(), key_span.line);
                    }
                    *key = Some(Some((text, key_span)));
                }
                Some(None) => {}
                Some(Some((text, key_span))) => entries.push(Entry {
                    key: text,
                    key_span,
                    value: node,
                }),
            },
        }
    }
}
