//! End-to-end tests of the `reprise` binary. One test binary, one module per
//! area; `harness` runs the real binary in a temporary folder.

mod alerts;
mod attach;
mod attach_live;
mod cell;
mod cell_access;
mod check;
mod checklist;
mod crisis;
mod dashboard;
mod docs;
mod dossier;
mod evidence;
mod faults;
mod fixtures;
mod fleet;
mod harness;
mod history;
mod hostile;
mod journal;
mod logging;
mod plan;
mod pty;
mod reliability;
mod report;
mod resume;
mod roles;
mod run;
mod secrets;
mod sessions;
mod signals;
mod smoke;
mod ssh;
mod sshd;
mod terminal;
mod transcribe;
