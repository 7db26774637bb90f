//! Where a remote step stands on each host, as the terminal says it in the
//! drill's language: the same [`fleet::groups`] as [`fleet::summary`] (the engine's
//! English words, kept for logs and the journal), with the palette's words.

use fluent_templates::fluent_bundle::FluentValue;

use crate::exec::fleet::{self, Groups, HostState};

use super::Palette;

/// `done on db1, db3; failed on db2: exit 1; not finished on db4`, in the
/// palette's language. Why a host failed is the engine's wording.
pub fn summary(hosts: &[HostState], p: Palette) -> String {
    let Groups { done, failed, open } = fleet::groups(hosts);
    let list = |names: &[&str]| FluentValue::from(names.join(", "));
    let mut parts = Vec::new();
    if !done.is_empty() {
        parts.push(p.say("hosts-done", &[("hosts", list(&done))]));
    }
    for (why, names) in failed {
        parts.push(p.say(
            "hosts-failed",
            &[
                ("hosts", list(&names)),
                ("why", FluentValue::from(why.to_string())),
            ],
        ));
    }
    if !open.is_empty() {
        parts.push(p.say("hosts-not-finished", &[("hosts", list(&open))]));
    }
    parts.join(&p.tr("hosts-separator"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::fleet::HostStatus;
    use crate::i18n::Lang;

    fn hosts() -> Vec<HostState> {
        let at = |host: &str, status: HostStatus| HostState {
            host: host.to_string(),
            status,
        };
        vec![
            at("db1", HostStatus::Done),
            at("db2", HostStatus::Failed("exit 1".into())),
            at("db3", HostStatus::Done),
            at("db4", HostStatus::NotFinished),
            at("db5", HostStatus::Failed("exit 1".into())),
        ]
    }

    #[test]
    fn the_hosts_are_said_in_the_drills_language() {
        let en = summary(&hosts(), Palette::PLAIN);
        assert_eq!(en, fleet::summary(&hosts()));
        assert_eq!(
            en,
            "done on db1, db3; failed on db2, db5: exit 1; not finished on db4"
        );
        let fr = summary(&hosts(), Palette::new(false, Lang::Fr));
        assert_eq!(
            fr,
            "fait sur db1, db3\u{202f}; en échec sur db2, db5\u{a0}: exit 1\u{202f}; \
             pas terminé sur db4"
        );
        assert!(
            !fr.contains("done on") && !fr.contains("not finished"),
            "{fr}"
        );
        assert_eq!(summary(&[], Palette::PLAIN), "");
    }
}
