//! The drill's side of attached terminals, without a drill: the operator
//! decorator driven by hand.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

use super::*;
use crate::exec::OperatorInput;

#[test]
fn what_a_client_sends_before_the_engine_starts_reaches_it_when_it_starts() {
    // `run --detach` returns once the socket listens, which is before the
    // engine has started: a team that attaches and types at once was
    // ignored (no `operator_attached`, its `hold` lost).
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.jsonl");
    let mut attached = Attached::bind(&crate::terminal::test_runbook(), &journal).unwrap();
    let mut s = UnixStream::connect(socket_path(&journal)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    writeln!(s, r#"{{"attach": 1, "as": "early"}}"#).unwrap();
    writeln!(s, r#"{{"line": "hold we stop tonight"}}"#).unwrap();
    let mut greeting = String::new();
    BufReader::new(s.try_clone().unwrap())
        .read_line(&mut greeting)
        .unwrap();
    assert!(
        greeting.contains("attached to the drill as early"),
        "{greeting}"
    );
    let until = Instant::now() + Duration::from_secs(10);
    while attached.shared.lock().unwrap().early.len() < 2 {
        assert!(Instant::now() < until, "the hold was not taken");
        std::thread::sleep(Duration::from_millis(5));
    }
    let (tx, rx) = channel();
    attached.start(tx);
    let next = || rx.recv_timeout(Duration::from_secs(5)).expect("an input");
    match next() {
        Input::Operator(OperatorInput::Attached { by, .. }) => assert_eq!(by.name, "early"),
        other => panic!("{other:?}"),
    }
    match next() {
        Input::Operator(OperatorInput::Hold { by, reason }) => {
            assert_eq!(by.name, "early");
            assert_eq!(reason.as_deref(), Some("we stop tonight"));
        }
        other => panic!("{other:?}"),
    }
    // Once started, inputs go straight to the engine.
    writeln!(s, r#"{{"line": "release"}}"#).unwrap();
    assert!(matches!(
        next(),
        Input::Operator(OperatorInput::Release { .. })
    ));
    assert!(attached.shared.lock().unwrap().early.is_empty());
}
