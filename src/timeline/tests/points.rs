//! Restore points recorded by the hosts of a remote step.

use super::*;

fn host_point(min: i64, id: &str, host: &str, point_min: i64) -> Stamped {
    ev(
        min,
        0,
        Event::RestorePoint {
            step: StepId::new(id),
            point: at(point_min, 0),
            written: format!("T{point_min}"),
            by: "reprise".into(),
            origin: Default::default(),
            source: Source::Command,
            host: Some(host.into()),
        },
    )
}

/// Each host of a remote step records its restore point: the step's is
/// the oldest, whatever order the hosts ended in, and every host's is kept.
#[test]
fn a_remote_steps_restore_point_is_its_oldest_hosts() {
    for order in [
        ["db1", "db2", "db3"],
        ["db3", "db2", "db1"],
        ["db2", "db3", "db1"],
    ] {
        let point = |h: &str| match h {
            "db1" => -30,
            "db2" => -90,
            _ => -60,
        };
        let mut events = vec![
            started(vec![step("restore", StepKind::Command, Some(5), &[])], None),
            ready(0, 0, "restore"),
            start(0, 0, "restore", 1),
        ];
        for (i, h) in order.iter().enumerate() {
            events.push(host_point(i as i64 + 1, "restore", h, point(h)));
        }
        events.push(finish(5, 0, "restore", Outcome::Done, Source::Command));
        let t = Timeline::from_events(&events);
        let s = t.step("restore").unwrap();
        let r = s.restore_point.as_ref().unwrap();
        assert_eq!(r.host.as_deref(), Some("db2"), "{order:?}");
        assert_eq!(r.point, at(-90, 0));
        let hosts: Vec<&str> = s
            .host_restore_points
            .iter()
            .map(|r| r.host.as_deref().unwrap())
            .collect();
        assert_eq!(hosts, order);
    }
}
