//! The journal reader and everything built on a journal someone may hand
//! over: the chain check of `verify` and the three report formats.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use reprise::report::{self, Format, Report, Zone};
use reprise::timeline::Timeline;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.jsonl");
    let Ok(journal) = reprise::journal::read_bytes(path, data) else {
        return;
    };
    let _ = reprise::journal::verify(&journal);
    let events: Vec<_> = journal.events().cloned().collect();
    let timeline = Timeline::from_events(&events);
    let torn = journal.torn.as_ref().map(|t| t.line);
    if let Ok(report) = Report::build(&timeline, "fuzz.jsonl", torn, Zone::named("UTC").unwrap()) {
        for format in [Format::Markdown, Format::Html, Format::Json] {
            let _ = report::render(&report, format);
        }
    }
});
