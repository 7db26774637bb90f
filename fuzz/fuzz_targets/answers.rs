//! The `--answers` file reader, against a fixed runbook whose step ids the
//! seeds use.

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use reprise::exec::operator::Answers;
use reprise::runbook::Runbook;

/// Steps of every kind, so that ids in the input can match.
const RUNBOOK: &str = "\
version: 1
name: Answers fuzzing
steps:
  - {id: stop-app, title: Stop the application}
  - {id: check-db, title: Check the database, run: 'true', timeout: 1m, confirm: true}
  - {id: switch-dns, title: Switch DNS, run: [echo, dns], timeout: 1m, on_failure: ask}
  - {id: start-app, title: Start the application, needs: [switch-dns]}
";

fn runbook() -> &'static Runbook {
    static RB: OnceLock<Runbook> = OnceLock::new();
    RB.get_or_init(|| {
        reprise::validate::check_text(Path::new("answers.yaml"), RUNBOOK)
            .expect("the fuzzing runbook is valid")
            .runbook
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(errors) = Answers::parse(text, runbook()) {
        assert!(!errors.is_empty(), "rejected without an error");
        for e in errors {
            let _ = e.render("answers.yaml");
        }
    }
});
