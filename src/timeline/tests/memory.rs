//! The output a timeline keeps is bounded per step.

use super::*;

/// Issue 17, item 11: `report` needed about 8× the journal in memory. The
/// output a timeline keeps is bounded per step, whatever the number of
/// output records: here 100,000 host ends of 5 long lines each (a remote
/// step retried 20,000 times on 5 hosts) and a failed end of 20 such lines.
#[test]
fn the_output_kept_is_bounded_by_the_steps_not_the_records() {
    let mut s = step("remote", StepKind::Command, Some(1), &[]);
    s.hosts = (0..5).map(|h| format!("h{h}")).collect();
    let mut t = Timeline::from_events([&started(vec![s], None)]);
    let long = |n: u32| format!("{n} {}", "x".repeat(600));
    for attempt in 1..=20_000u32 {
        t.apply(&ev(
            1,
            0,
            Event::StepStarted {
                step: StepId::new("remote"),
                attempt,
                pid: None,
            },
        ));
        for h in 0..5 {
            t.apply(&ev(
                1,
                1,
                Event::HostFinished {
                    step: StepId::new("remote"),
                    attempt,
                    host: format!("h{h}"),
                    ending: crate::event::Ending::exited(1),
                    cause: None,
                    output_tail: (0..5).map(long).collect(),
                },
            ));
        }
        t.apply(&ev(
            1,
            2,
            Event::AttemptFinished {
                step: StepId::new("remote"),
                attempt,
                ending: crate::event::Ending::exited(1),
            },
        ));
    }
    t.apply(&ev(
        2,
        0,
        Event::StepFinished {
            step: StepId::new("remote"),
            outcome: Outcome::Failed,
            exit_code: Some(1),
            reason: None,
            by: "reprise".into(),
            origin: Default::default(),
            source: Source::Command,
            attempts: 20_000,
            output_tail: (0..40).map(long).collect(),
        },
    ));
    let r = t.step("remote").unwrap();
    assert_eq!(r.attempts.len(), 20_000);
    let host_lines: Vec<&String> = r
        .attempts
        .iter()
        .flat_map(|a| a.hosts.iter().flat_map(|h| h.output_tail.iter()))
        .collect();
    // Five hosts of the last three attempts, five lines each.
    assert_eq!(host_lines.len(), 3 * 5 * 5);
    assert_eq!(r.output_tail.len(), 20);
    let bytes: usize = host_lines
        .into_iter()
        .chain(&r.output_tail)
        .map(String::len)
        .sum();
    assert!(bytes <= (75 + 20) * 600, "{bytes} bytes of output kept");
    // The last lines are the ones kept, cut and saying so.
    assert!(r.output_tail[19].starts_with("39 xxx"));
    assert!(r.output_tail[19].ends_with(" more bytes]"));
    let last = r.attempts.last().unwrap();
    assert_eq!(last.hosts.len(), 5);
    assert!(last.hosts[4].output_tail[4].starts_with("4 xxx"));
}
