//! reprise runs disaster-recovery plans (runbooks) and records the evidence.
//!
//! The data flows one way, one module per stage:
//!
//! ```text
//! YAML ─ yaml ─▶ tree ─ parse ─▶ runbook::Runbook ─ validate/graph ─▶ Graph
//!      ─ plan ─▶ Plan            (check, plan)
//!      ─ exec ─▶ event::Event ─▶ journal / terminal view / step logs
//!      ─ report ─▶ Markdown, HTML, JSON
//! ```
//!
//! `cli` wires these stages into the `reprise` binary and nothing else.

pub mod attach;
pub mod cli;
pub mod compare;
pub mod dashboard;
pub mod diagnostic;
pub mod dossier;
pub mod escape;
pub mod event;
pub mod exec;
pub mod exit;
pub mod fingerprint;
pub mod graph;
pub mod history;
pub mod hosts;
pub mod i18n;
pub mod identity;
pub mod journal;
pub mod logging;
pub mod notify;
pub mod outbox;
pub mod paper;
pub mod parse;
pub mod plan;
pub mod redact;
pub mod report;
pub mod roles;
pub mod runbook;
pub mod schedule;
pub mod schema;
pub mod terminal;
pub mod timeline;
pub mod validate;
pub mod yaml;
