//! Lowering of the top-level `hosts:` table and of a step's `host:` key.
//!
//! A child of [`parse`](super) so that it reports errors exactly like the
//! rest of the format (same helpers, same wording).

use std::path::PathBuf;

use super::{Lower, keys};
use crate::diagnostic::{Diagnostic, suggest};
use crate::hosts::{Host, is_safe_ssh_word, is_valid_host_name};
use crate::runbook::Located;
use crate::yaml::Node;

impl Lower<'_> {
    /// `hosts:`: name → `{address, user, port, identity_file, jump,
    /// known_hosts, max_parallel, max_sessions}`.
    pub(super) fn hosts(&mut self, node: &Node) -> Vec<Host> {
        let Some(entries) = node.mapping() else {
            self.wrong_type(node, "a mapping of host names to hosts");
            return Vec::new();
        };
        let mut hosts: Vec<Host> = Vec::with_capacity(entries.len());
        for entry in entries {
            if !is_valid_host_name(&entry.key) {
                self.error(
                    Diagnostic::error(
                        "invalid-host",
                        format!("`{}` is not a valid host name", entry.key),
                        Some(entry.key_span),
                    )
                    .with_label("invalid name")
                    .with_hint(
                        "host names use letters, digits, `.`, `_` and `-`, starting with a \
                         letter or digit",
                    ),
                );
            }
            let Some(fields) = self.fields(
                &entry.value,
                keys::HOST,
                "a host (a mapping with `address`)",
                &format!("in host `{}`", entry.key),
            ) else {
                continue;
            };
            let address = self.required_text(&fields, "address", &format!("host `{}`", entry.key));
            if let (Some(a), Some(n)) = (&address, fields.value("address")) {
                self.ssh_word(a, n, "address");
            }
            let user = self.optional_text(&fields, "user");
            if let (Some(u), Some(n)) = (&user, fields.value("user")) {
                self.ssh_word(u, n, "user");
            }
            let port = fields.value("port").and_then(|n| {
                let p = self.count(n)?;
                match u16::try_from(p) {
                    Ok(p) if p > 0 => Some(p),
                    _ => {
                        self.error(
                            Diagnostic::error(
                                "invalid-value",
                                format!("`{p}` is not a TCP port"),
                                Some(n.span),
                            )
                            .with_label("not a port")
                            .with_hint("a port is a number from 1 to 65535; SSH's is 22"),
                        );
                        None
                    }
                }
            });
            let identity_file = self
                .optional_text(&fields, "identity_file")
                .map(PathBuf::from);
            let jump = self.optional_text(&fields, "jump");
            if let (Some(j), Some(n)) = (&jump, fields.value("jump")) {
                self.ssh_word(j, n, "jump");
            }
            let known_hosts = self
                .optional_text(&fields, "known_hosts")
                .map(PathBuf::from);
            let max_parallel = fields.value("max_parallel").and_then(|n| {
                let m = self.count(n)?;
                if m == 0 {
                    self.error(
                        Diagnostic::error(
                            "invalid-value",
                            "`max_parallel: 0` would never run a step on this host",
                            Some(n.span),
                        )
                        .with_label("zero")
                        .with_hint("write at least 1, or remove the key for no limit"),
                    );
                    return None;
                }
                Some(m)
            });
            let max_sessions = fields.value("max_sessions").and_then(|n| {
                let m = self.count(n)?;
                if m == 0 {
                    self.error(
                        Diagnostic::error(
                            "invalid-value",
                            "`max_sessions: 0` would never run a command on this host",
                            Some(n.span),
                        )
                        .with_label("zero")
                        .with_hint(
                            "write the server's `MaxSessions` (10 unless its sshd_config \
                             says otherwise), or remove the key",
                        ),
                    );
                    return None;
                }
                Some(m)
            });
            // A host without a usable address is kept (the runbook is
            // invalid anyway), so that steps naming it get no second error.
            hosts.push(Host {
                name: Located::new(entry.key.clone(), entry.key_span),
                address: address.unwrap_or_default(),
                user,
                port,
                identity_file,
                jump,
                known_hosts,
                max_parallel,
                max_sessions,
            });
        }
        hosts
    }

    /// An address, user or jump spec that `ssh` must not read as an option.
    fn ssh_word(&mut self, value: &str, node: &Node, key: &str) {
        if let Some(c) = crate::hosts::shell_metacharacter(value) {
            self.error(
                Diagnostic::error(
                    "invalid-value",
                    format!("`{value}` is not a valid `{key}`: it holds `{c}`, which a shell would act on"),
                    Some(node.span),
                )
                .with_label(format!("shell metacharacter in `{key}`"))
                .with_hint(format!(
                    "ssh can hand `{key}` to a shell (a jump host becomes a proxy command): write \
                     only names, addresses, users and ports (`user@host:port`, jump hosts \
                     separated by `,`)"
                )),
            );
        } else if !is_safe_ssh_word(value) {
            self.error(
                Diagnostic::error(
                    "invalid-value",
                    format!("`{value}` is not a valid `{key}`"),
                    Some(node.span),
                )
                .with_label(format!("invalid `{key}`"))
                .with_hint(format!(
                    "write `{key}` without spaces and not starting with `-` (ssh would read \
                     it as an option)"
                )),
            );
        }
    }

    /// A `host:` value (a name or a list of names), each checked against
    /// the `hosts:` table.
    pub(super) fn host_refs(&mut self, node: &Node) -> Vec<Located<String>> {
        let hosts = std::mem::take(&mut self.hosts);
        let refs = self.check_host_refs(node, &hosts);
        self.hosts = hosts;
        refs
    }

    fn check_host_refs(&mut self, node: &Node, hosts: &[Host]) -> Vec<Located<String>> {
        let names = if node.sequence().is_some() {
            match self.text_list(node, "a host name or a list of host names") {
                Some(names) => names,
                None => return Vec::new(),
            }
        } else {
            match self.text(node) {
                Some(t) => vec![Located::new(t, node.span)],
                None => return Vec::new(),
            }
        };
        if names.is_empty() {
            self.error(
                Diagnostic::error("invalid-value", "`host` is an empty list", Some(node.span))
                    .with_label("empty")
                    .with_hint("name at least one host, or remove `host` to run locally"),
            );
        }
        let mut out: Vec<Located<String>> = Vec::with_capacity(names.len());
        for name in names {
            if out.iter().any(|n| n.value == name.value) {
                self.error(
                    Diagnostic::error(
                        "invalid-value",
                        format!("host `{}` is listed twice", name.value),
                        Some(name.span),
                    )
                    .with_label("listed again here")
                    .with_hint("each host runs the command once: remove the repeat"),
                );
                continue;
            }
            if !hosts.iter().any(|h| h.name.value == name.value) {
                let mut d = Diagnostic::error(
                    "unknown-host",
                    format!("unknown host `{}`", name.value),
                    Some(name.span),
                )
                .with_label("not in `hosts`");
                d = d.with_hint(
                    match suggest(&name.value, hosts.iter().map(|h| h.name.value.as_str())) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None if hosts.is_empty() => {
                            "define it under a top-level `hosts:` mapping, with its `address`"
                                .to_string()
                        }
                        None => format!(
                            "known hosts: {}",
                            super::list(
                                &hosts
                                    .iter()
                                    .map(|h| h.name.value.as_str())
                                    .collect::<Vec<_>>()
                            )
                        ),
                    },
                );
                self.error(d);
            }
            out.push(name);
        }
        out
    }
}
