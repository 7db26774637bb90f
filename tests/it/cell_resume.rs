//! A step added during the drill (`add`) is still in the attached
//! terminals' view after the drill's process died and `reprise resume`
//! carried it on: its question's words, its number, answerable there.

use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use expectrl::Expect;

use crate::cell::Drill;

const TWO: &str = r#"version: 1
name: Improvised
steps:
  - id: detach-array
    title: Detach the failed array
  - id: restart-db
    title: Restart the database
    needs: [detach-array]
"#;

#[test]
fn a_step_added_before_a_resume_is_in_the_attached_terminals_view() {
    let mut drill = Drill::start(TWO, &[]);
    drill
        .coordinator
        .send_line(
            "add Restore vol7 from tape; after 1; before 2; role storage; reason vol7 is corrupted",
        )
        .unwrap();
    crate::harness::eventually("the added step in the journal", || {
        drill
            .journal()
            .iter()
            .any(|e| e["event"] == "step_added" && e["step"] == "added-3")
    });
    // The drill's process dies (power, OOM killer, kill -9).
    drill
        .coordinator
        .get_process_mut()
        .kill(expectrl::process::unix::Signal::SIGKILL)
        .unwrap();
    let _ = crate::harness::wait_exit(&mut drill.coordinator, Duration::from_secs(30));

    let mut resumed = crate::harness::Test::at(drill.dir.path())
        .args(["resume", "j.jsonl", "--operator", "coord2"])
        .env_remove("NO_COLOR")
        .pty();
    resumed.expect("reprise>").expect("the resumed prompt");
    let socket = drill.dir.path().join("j.jsonl.sock");
    let deadline = Instant::now() + Duration::from_secs(30);
    while UnixStream::connect(&socket).is_err() {
        assert!(
            Instant::now() < deadline,
            "the resumed drill does not listen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    drill.coordinator = resumed;
    drill.coordinator.send_line("done 1").unwrap();
    drill
        .coordinator
        .expect("`done 3`")
        .expect("the added step opens once step 1 is done");
    // A terminal attaching now gets the added step's question in words,
    // under its number (not "#3 is open: type `list`").
    let mut storage = drill.attach("stor", &["--role", "storage"]);
    storage
        .expect("— Restore vol7 from tape  [role: storage]")
        .expect("the added step's question");
    storage.expect("`done 3` (or `done added-3`)").unwrap();
    storage.send_line("done 3").unwrap();
    let recorded = drill.finished("added-3");
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert_eq!(recorded[0]["by"], "stor");
    drill
        .coordinator
        .expect("`done 2`")
        .expect("the dependent opens");
    drill.coordinator.send_line("done 2").unwrap();
    drill.coordinator.expect(expectrl::Eof).expect("the end");
    assert_eq!(drill.journal().last().unwrap()["result"], "recovered");
    drill.verified();
}
