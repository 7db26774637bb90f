//! Where a remote step stands on each host, as the terminal says it in the
//! drill's language: the same [`fleet::groups`] as [`fleet::summary`] (the engine's
//! English words, kept for logs and the journal), with the palette's words.

use fluent_templates::fluent_bundle::FluentValue;

use crate::exec::fleet::{self, Failure, Groups, HostState};

use super::Palette;

/// `done on db1, db3; failed on db2: exit 1; not finished on db4`, in the
/// palette's language, why a host failed too.
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
                ("why", FluentValue::from(failure(why, p.lang))),
            ],
        ));
    }
    if !open.is_empty() {
        parts.push(p.say("hosts-not-finished", &[("hosts", list(&open))]));
    }
    parts.join(&p.tr("hosts-separator"))
}

/// Why a host failed, in `lang`: [`Failure::words`] in the drill's
/// language.
fn failure(why: &Failure, lang: crate::i18n::Lang) -> String {
    match why {
        Failure::Cause {
            cause,
            exit_code,
            signal,
        } => cause.say(lang, *exit_code, signal.as_deref()),
        Failure::Ended(ending) => crate::terminal::prompt::ending_words(ending, lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Ending, HostCause};
    use crate::exec::fleet::HostStatus;
    use crate::i18n::Lang;

    fn hosts() -> Vec<HostState> {
        let at = |host: &str, status: HostStatus| HostState {
            host: host.to_string(),
            status,
        };
        let exit1 = || HostStatus::Failed(Failure::of(HostCause::Exit, Some(1), None));
        vec![
            at("db1", HostStatus::Done),
            at("db2", exit1()),
            at("db3", HostStatus::Done),
            at("db4", HostStatus::NotFinished),
            at("db5", exit1()),
            at(
                "db6",
                HostStatus::Failed(Failure::of(HostCause::Unreachable, None, None)),
            ),
            at(
                "db7",
                HostStatus::Failed(Failure::Ended(Ending {
                    signal: Some("SIGTERM".into()),
                    timed_out: true,
                    ..Ending::default()
                })),
            ),
        ]
    }

    #[test]
    fn the_hosts_are_said_in_the_drills_language() {
        let en = summary(&hosts(), Palette::PLAIN);
        assert_eq!(en, fleet::summary(&hosts()));
        assert_eq!(
            en,
            "done on db1, db3; failed on db2, db5: exit 1; failed on db6: unreachable; \
             failed on db7: timed out; not finished on db4"
        );
        let fr = summary(&hosts(), Palette::new(false, Lang::Fr));
        assert_eq!(
            fr,
            "fait sur db1, db3\u{202f}; en échec sur db2, db5\u{a0}: code de sortie 1\u{202f}; \
             en échec sur db6\u{a0}: injoignable\u{202f}; en échec sur db7\u{a0}: délai \
             dépassé\u{202f}; pas terminé sur db4"
        );
        for english in [
            "done on",
            "not finished",
            "exit 1",
            "unreachable",
            "timed out",
        ] {
            assert!(!fr.contains(english), "{english:?} in {fr}");
        }
        assert_eq!(summary(&[], Palette::PLAIN), "");
    }
}
