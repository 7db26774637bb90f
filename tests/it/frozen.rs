//! A coordinator's terminal that stops reading (Ctrl-S, an SSH session
//! frozen by the network, a window nobody reads) must not stop the drill:
//! commands are still recorded, an attached team still closes its step,
//! and the coordinator sees it all once the terminal reads again.

use std::fmt::Write as _;

use expectrl::Expect;

use crate::cell::Drill;
use crate::screen::Screen;

/// Sixty commands with long titles (what they print fills a terminal's
/// buffers many times over), then a team's manual step.
fn runbook() -> String {
    let mut rb = String::from("version: 1\nname: Frozen window\nsteps:\n");
    let long = "restore the volume and check it ".repeat(60);
    for i in 1..=60 {
        let _ = write!(
            rb,
            "  - id: c{i}\n    title: {i} {long}\n    run: \"true\"\n"
        );
    }
    rb.push_str("  - id: team-check\n    title: The team checks the service\n    needs: [");
    let all: Vec<String> = (1..=60).map(|i| format!("c{i}")).collect();
    rb.push_str(&all.join(", "));
    rb.push_str("]\n");
    rb
}

#[test]
fn a_coordinator_terminal_that_stops_reading_does_not_stop_the_drill() {
    let mut drill = Drill::start(&runbook(), &[]);
    // From here nobody reads the coordinator's terminal: its buffers fill
    // within the first commands' lines (about 2 KB each, 120 of them).
    let mut team = Screen::new(drill.attach("team", &[]));
    team.wait_for("`done 61`", 1);
    team.type_line("done 61");
    let finished = drill.finished("team-check");
    assert_eq!(finished.len(), 1, "the team's step is recorded");
    assert_eq!(finished[0]["by"], "team");
    crate::harness::eventually("`run_finished` in the journal", || {
        drill.journal().iter().any(|e| e["event"] == "run_finished")
    });
    // The terminal reads again: everything shown, in order, to the end.
    drill
        .coordinator
        .expect("team-check")
        .expect("the coordinator sees the team's step");
    drill
        .coordinator
        .expect(expectrl::Eof)
        .expect("the coordinator's reprise exits");
    drill.verified();
}
