//! The runbook reader: YAML parsing, lowering, validation, the graph, and
//! everything `check` and `plan` print from it. Any panic is a bug: bad input
//! must end in diagnostics.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use reprise::plan::Plan;
use reprise::runbook::Mode;

fuzz_target!(|data: &[u8]| {
    // `validate::read` refuses non-UTF-8 before parsing; fuzz what it lets
    // through.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz.yaml");
    match reprise::validate::check_text(path, text) {
        Ok(checked) => {
            let _ = checked.render_warnings(false);
            for mode in [Mode::Drill, Mode::Incident] {
                let plan = Plan::new(&checked.runbook, &checked.graph, mode);
                let _ = plan.to_text();
                let _ = plan.to_json();
                let _ = plan.to_dot();
                let _ = plan.to_mermaid();
            }
        }
        Err(rejected) => {
            assert!(rejected.errors() > 0, "rejected without an error");
            let _ = rejected.render(path, true);
        }
    }
});
