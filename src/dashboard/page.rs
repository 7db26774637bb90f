//! What the wall screen shows, as HTML: a pure function of the journal's
//! report, the liveness of the engine and the time, so that the page, the
//! event stream and the tests all see the same thing.

use std::fmt::Write as _;

use jiff::Timestamp;

use crate::i18n::{Lang, Piece};
use crate::report::html::esc;
use crate::report::{Report, State, Status, StepReport, Verdict, duration_in, gantt};

/// Whether an engine is writing the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Engine {
    /// A live process holds the journal (its description).
    Running(String),
    /// Nobody holds it and the drill has no end: `reprise resume` carries on.
    Stopped,
    /// The drill is over.
    Finished,
}

/// The message `id` of `lang` as HTML: reprise's words escaped, each
/// argument put as given (already HTML: a time in `<strong>`, a command in
/// `<code>`), in the language's order.
fn say(lang: Lang, id: &str, args: &[(&'static str, String)]) -> String {
    let names: Vec<&'static str> = args.iter().map(|(n, _)| *n).collect();
    let mut o = String::new();
    for piece in lang.pieces(id, &names) {
        match piece {
            Piece::Said(text) => o.push_str(&esc(text)),
            Piece::Arg(i) => o.push_str(&args[i].1),
        }
    }
    o
}

/// How long a step has been at it (running or open), and its estimate.
fn clock(lang: Lang, s: &StepReport, now: Timestamp) -> String {
    let secs = |s| duration_in(lang, s);
    let since = match s.state {
        State::Running | State::AttemptFailed => s.began.as_ref(),
        State::Open => s.ready.as_ref(),
        _ => None,
    };
    let elapsed = since.map(|t| now.duration_since(t.at).as_secs().max(0) as u64);
    match (elapsed, s.estimate_seconds) {
        (Some(e), Some(est)) => format!("{} / {}", secs(e), secs(est)),
        (Some(e), None) => secs(e),
        (None, Some(est)) => say(lang, "dashboard-estimate", &[("time", secs(est))]),
        (None, None) => String::new(),
    }
}

fn late(s: &StepReport, now: Timestamp) -> bool {
    let since = match s.state {
        State::Running | State::AttemptFailed => s.began.as_ref(),
        State::Open => s.ready.as_ref(),
        _ => return s.overrun_seconds.is_some_and(|o| o > 0) && s.outcome.is_none(),
    };
    match (since, s.estimate_seconds) {
        (Some(t), Some(est)) => now.duration_since(t.at).as_secs() > est as i64,
        _ => false,
    }
}

/// A step's state: its key (`data-state`, the same in every language) and
/// its word in `lang`.
fn state_word(lang: Lang, s: &StepReport) -> (String, String) {
    let key = match s.state {
        State::Pending => "pending".into(),
        State::Open => "waiting".into(),
        State::Running => "running".into(),
        State::AttemptFailed => "attempt-failed".into(),
        State::Finished => s
            .outcome
            .map_or_else(|| "finished".into(), |o| o.to_string()),
    };
    let word = lang.tr(&format!("dashboard-state-{key}"));
    // The attribute keeps the English words the page always had.
    let key = match s.state {
        State::AttemptFailed => "failed attempt".into(),
        _ => key,
    };
    (key, word)
}

/// A hold of the drill (`hold` … `release`), from the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    /// When it began.
    pub since: Timestamp,
    /// Who held it.
    pub by: String,
    /// Why.
    pub reason: Option<String>,
    /// When it was released, and by whom (`None`: still held).
    pub released: Option<(Timestamp, String)>,
}

/// What the page shows besides the report: the holds, and when the
/// recovery should end from what is left of the plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Live {
    /// Every hold, in order.
    pub holds: Vec<Hold>,
    /// The forecast end of the recovery (a drill not over).
    pub forecast: Option<Timestamp>,
}

/// The page's live part (everything inside `<main>`), in the report's
/// language (`r.lang`).
pub fn body(r: &Report, live: &Live, engine: &Engine, journal: &str, now: Timestamp) -> String {
    let lang = r.lang;
    let secs = |s| duration_in(lang, s);
    let strong = |x: String| format!("<strong>{x}</strong>");
    let clock_at = |t: Timestamp| esc(&r.zone().clock(t));
    let mut o = String::new();
    let steps: Vec<(usize, &StepReport)> = r.steps().enumerate().map(|(i, s)| (i + 1, s)).collect();
    let status = match engine {
        Engine::Running(who) => format!(
            "<span class=\"live\">{}</span> — {}",
            say(lang, "dashboard-running", &[]),
            esc(who)
        ),
        Engine::Stopped => format!(
            "<span class=\"stopped\">{}</span> — {}",
            say(lang, "dashboard-not-running", &[]),
            say(
                lang,
                "dashboard-resume-with",
                &[(
                    "command",
                    format!("<code>reprise resume {}</code>", esc(journal))
                )]
            )
        ),
        Engine::Finished => say(
            lang,
            "dashboard-finished",
            &[("headline", strong(esc(&r.headline())))],
        ),
    };
    // Which clock the times are on, as the report names it; English kept
    // the page it always had.
    let zone = match lang {
        Lang::En => String::new(),
        _ => format!(
            " · <span class=\"muted\" id=\"zone\">{}</span>",
            say(lang, "dashboard-times-in", &[("zone", esc(&r.zone().name))])
        ),
    };
    let _ = writeln!(
        o,
        "<header><h1>{}</h1><p class=\"status\" id=\"status\">{} · {status}{zone}</p>",
        esc(&r.run.name),
        esc(r.mode_text())
    );
    let rec = &r.recovery;
    let with_rto =
        |rto: u64, what: String| say(lang, "dashboard-rto", &[("rto", secs(rto)), ("what", what)]);
    let left = |t: u64| say(lang, "dashboard-left", &[("time", strong(secs(t)))]);
    let past = |t: u64| say(lang, "dashboard-past", &[("time", secs(t))]);
    let rto = match (rec.rto_seconds, rec.verdict) {
        (None, _) => say(lang, "dashboard-no-rto", &[]),
        (Some(rto), Verdict::Open) => with_rto(rto, left(rec.margin_seconds.unwrap_or(0))),
        (Some(rto), Verdict::Overdue) => with_rto(
            rto,
            format!(
                "<strong class=\"bad\">{}</strong>",
                past(rec.over_seconds.unwrap_or(0))
            ),
        ),
        (Some(rto), _) => with_rto(rto, esc(&r.verdict_text())),
    };
    let forecast = live.forecast.map_or(String::new(), |f| {
        let late = match rec.rto_seconds {
            Some(rto) => {
                let deadline = r.run.started.at + jiff::SignedDuration::from_secs(rto as i64);
                let past = f.duration_since(deadline).as_secs();
                if past > 0 {
                    format!(
                        " <strong class=\"bad\">{}</strong>",
                        say(
                            lang,
                            "dashboard-forecast-late",
                            &[("time", secs(past as u64))]
                        )
                    )
                } else {
                    format!(" {}", say(lang, "dashboard-forecast-within", &[]))
                }
            }
            None => String::new(),
        };
        format!(
            " · {}{late}",
            say(
                lang,
                "dashboard-forecast",
                &[(
                    "time",
                    format!("<span id=\"forecast\">{}</span>", clock_at(f))
                )]
            )
        )
    });
    let _ = writeln!(
        o,
        "<p class=\"rto\" id=\"rto\">{rto} · {}{forecast}</p>",
        say(
            lang,
            "dashboard-elapsed",
            &[("time", secs(r.run.elapsed_seconds))]
        )
    );
    if !r.services.is_empty() {
        o.push_str("<ul class=\"services\" id=\"services\">");
        for svc in &r.services {
            let (class, key, said) = match svc.verdict {
                Verdict::Open => ("", "open", left(svc.margin_seconds.unwrap_or(0))),
                Verdict::Overdue => (
                    "bad",
                    "overdue",
                    strong(past(svc.over_seconds.unwrap_or(0))),
                ),
                Verdict::Met => (
                    "good",
                    "met",
                    say(
                        lang,
                        "dashboard-service-met",
                        &[(
                            "time",
                            svc.restored_at
                                .as_ref()
                                .map_or(String::new(), |t| clock_at(t.at)),
                        )],
                    ),
                ),
                Verdict::Missed => (
                    "bad",
                    "missed",
                    say(
                        lang,
                        "dashboard-service-missed",
                        &[("time", secs(svc.over_seconds.unwrap_or(0)))],
                    ),
                ),
                Verdict::NotRecovered => (
                    "bad",
                    "not_restored",
                    say(lang, "dashboard-service-not-restored", &[]),
                ),
                Verdict::NoObjective => (
                    "",
                    "no_objective",
                    say(lang, &format!("dashboard-service-{}", svc.state), &[]),
                ),
            };
            let said = match svc.rto_seconds {
                Some(rto) => with_rto(rto, said),
                None => said,
            };
            let _ = write!(
                o,
                "<li class=\"{class}\" data-service=\"{}\" data-verdict=\"{}\"><strong>{}</strong> · {said}</li>",
                esc(&svc.name),
                key,
                esc(&svc.name)
            );
        }
        o.push_str("</ul>");
    }
    if let Some(h) = live.holds.last().filter(|h| h.released.is_none()) {
        let mut args = vec![("time", clock_at(h.since)), ("by", strong(esc(&h.by)))];
        if let Some(why) = &h.reason {
            args.push(("why", esc(why)));
        }
        args.push(("release", "<code>release</code>".to_string()));
        let id = match h.reason {
            Some(_) => "dashboard-held-why",
            None => "dashboard-held",
        };
        let _ = writeln!(
            o,
            "<p class=\"held\" id=\"held\">{}</p>",
            say(lang, id, &args)
        );
    }
    o.push_str("</header>\n");

    // What needs people now: running commands, open items by role, late.
    let _ = write!(
        o,
        "<section class=\"now\"><h2>{}</h2><ul id=\"running\">",
        say(lang, "dashboard-running-title", &[])
    );
    let mut any = false;
    for (n, s) in steps
        .iter()
        .filter(|(_, s)| matches!(s.state, State::Running | State::AttemptFailed))
    {
        any = true;
        let _ = write!(
            o,
            "<li class=\"{}\">#{n} <code>{}</code> {} <span class=\"clock\">{}</span></li>",
            if late(s, now) { "late" } else { "" },
            esc(s.id.as_str()),
            esc(&s.title),
            clock(lang, s, now)
        );
    }
    if !any {
        let _ = write!(
            o,
            "<li class=\"muted\">{}</li>",
            say(lang, "dashboard-nothing-running", &[])
        );
    }
    let _ = write!(
        o,
        "</ul><h2>{}</h2>",
        say(lang, "dashboard-waiting-title", &[])
    );
    let no_role = lang.said("dashboard-no-role");
    let mut roles: Vec<&str> = steps
        .iter()
        .filter(|(_, s)| s.state == State::Open)
        .map(|(_, s)| s.role.as_deref().unwrap_or(no_role))
        .collect();
    roles.sort_unstable();
    roles.dedup();
    if roles.is_empty() {
        let _ = write!(
            o,
            "<p class=\"muted\">{}</p>",
            say(lang, "dashboard-nobody-waited", &[])
        );
    }
    for role in roles {
        let _ = write!(o, "<h3>{}</h3><ul>", esc(role));
        for (n, s) in steps
            .iter()
            .filter(|(_, s)| s.state == State::Open && s.role.as_deref().unwrap_or(no_role) == role)
        {
            let _ = write!(
                o,
                "<li class=\"{}\">#{n} <code>{}</code> {} <span class=\"clock\">{}</span></li>",
                if late(s, now) { "late" } else { "" },
                esc(s.id.as_str()),
                esc(&s.title),
                clock(lang, s, now)
            );
        }
        o.push_str("</ul>");
    }
    o.push_str("</section>\n");

    // Every step, by phase.
    let _ = write!(
        o,
        "<section class=\"steps\"><h2>{}</h2>",
        say(lang, "dashboard-steps-title", &[])
    );
    let columns = ["step", "role", "state", "time"]
        .map(|c| format!("<th>{}</th>", say(lang, &format!("dashboard-col-{c}"), &[])))
        .concat();
    let mut n = 0;
    for phase in &r.phases {
        let _ = write!(
            o,
            "<h3>{}</h3><table><tr><th>#</th>{columns}</tr>",
            esc(&phase.title)
        );
        for s in &phase.steps {
            n += 1;
            let (key, word) = state_word(lang, s);
            let _ = write!(
                o,
                "<tr id=\"step-{n}\" data-step=\"{}\" data-state=\"{}\" class=\"{}\"><td>{n}</td><td><code>{}</code> {}</td><td>{}</td><td><span class=\"outcome {}\">{}</span></td><td class=\"num\">{}</td></tr>",
                esc(s.id.as_str()),
                esc(&key),
                if late(s, now) { "late" } else { "" },
                esc(s.id.as_str()),
                esc(&s.title),
                esc(s.role.as_deref().unwrap_or("")),
                gantt::class_of(s),
                esc(&word),
                match s.duration_seconds {
                    Some(d) if s.state == State::Finished => secs(d),
                    _ => clock(lang, s, now),
                }
            );
        }
        o.push_str("</table>");
    }
    o.push_str("</section>\n");

    let _ = write!(
        o,
        "<section class=\"chart\"><h2>{}</h2>",
        say(lang, "dashboard-timeline-title", &[])
    );
    o.push_str(&gantt::svg(r));
    o.push_str("</section>\n");

    // The latest notes, decisions and handovers.
    let _ = write!(
        o,
        "<section class=\"log\"><h2>{}</h2><ul id=\"log\">",
        say(lang, "dashboard-log-title", &[])
    );
    let with_why = |what: String, why: Option<&String>| match why {
        Some(why) => say(
            lang,
            "dashboard-with-why",
            &[("what", what), ("why", esc(why))],
        ),
        None => what,
    };
    let mut log: Vec<(Timestamp, String)> = r
        .notes
        .iter()
        .map(|nt| {
            (
                nt.time.at,
                say(
                    lang,
                    "dashboard-note",
                    &[
                        ("time", clock_at(nt.time.at)),
                        ("by", strong(esc(&nt.by))),
                        ("text", esc(&nt.text)),
                    ],
                ),
            )
        })
        .collect();
    for s in r.steps() {
        for d in &s.decisions {
            let decided = say(
                lang,
                "dashboard-decided",
                &[
                    ("time", clock_at(d.time.at)),
                    ("by", strong(esc(&d.by))),
                    (
                        "decision",
                        esc(crate::report::decision_text_in(lang, d.decision)),
                    ),
                    ("step", format!("<code>{}</code>", esc(s.id.as_str()))),
                ],
            );
            log.push((d.time.at, with_why(decided, d.reason.as_ref())));
        }
    }
    for h in &live.holds {
        let held = say(
            lang,
            "dashboard-log-held",
            &[("time", clock_at(h.since)), ("by", strong(esc(&h.by)))],
        );
        log.push((h.since, with_why(held, h.reason.as_ref())));
        if let Some((at, by)) = &h.released {
            log.push((
                *at,
                say(
                    lang,
                    "dashboard-log-released",
                    &[("time", clock_at(*at)), ("by", strong(esc(by)))],
                ),
            ));
        }
    }
    for h in &r.run.handovers {
        log.push((
            h.time.at,
            say(
                lang,
                "dashboard-handover",
                &[
                    ("time", clock_at(h.time.at)),
                    ("from", strong(esc(&h.from))),
                    ("to", strong(esc(&h.to))),
                ],
            ),
        ));
    }
    log.sort_by_key(|(t, _)| std::cmp::Reverse(*t));
    if log.is_empty() {
        let _ = write!(
            o,
            "<li class=\"muted\">{}</li>",
            say(lang, "dashboard-nothing-yet", &[])
        );
    }
    for (_, line) in log.into_iter().take(12) {
        let _ = write!(o, "<li>{line}</li>");
    }
    o.push_str("</ul></section>\n");
    if r.run.status == Status::Finished {
        let _ = write!(
            o,
            "<p class=\"muted\">{}</p>",
            say(
                lang,
                "dashboard-over",
                &[("command", "<code>reprise report</code>".to_string())]
            )
        );
    }
    o
}

const CSS: &str = r#"
:root { --done:#2e7d32; --failed:#c62828; --skipped:#ef8f00; --aborted:#6d4c41;
  --na:#9e9e9e; --open:#1565c0; --ink:#1b1b1b; --muted:#5f6368; --line:#d0d4d9; }
body { font-family: system-ui, sans-serif; margin: 0; padding: 16px 24px; background: #101418; color: #e8eaed; font-size: 18px; }
h1 { font-size: 30px; margin: 0; } h2 { font-size: 20px; margin: 18px 0 6px; color: #9aa0a6; text-transform: uppercase; letter-spacing: .05em; }
h3 { font-size: 17px; margin: 8px 0 4px; } code { font-family: ui-monospace, monospace; }
.status, .rto { font-size: 22px; margin: 4px 0; } .live { color: #81c995; } .stopped, .bad { color: #f28b82; }
.now { display: block; } ul { margin: 0; padding-left: 20px; } li.late, tr.late td { color: #fdd663; }
table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid #3c4043; padding: 3px 8px; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } .muted { color: #9aa0a6; }
.outcome { padding: 0 6px; border-radius: 3px; } .outcome.done { background: #2e7d32; } .outcome.failed { background: #c62828; }
.outcome.skipped { background: #ef8f00; } .outcome.aborted { background: #6d4c41; } .outcome.open { background: #1565c0; }
.services { list-style: none; padding: 0; margin: 4px 0; font-size: 20px; } .services li { display: inline-block; margin-right: 24px; } .good { color: #81c995; }
.held { font-size: 24px; margin: 6px 0; padding: 6px 12px; background: #5c2b00; color: #fdd663; border-radius: 4px; }
.chart svg { background: #fff; max-width: 100%; height: auto; }
"#;

/// The whole page: the live part, a script that swaps it in as the server
/// sends new versions, and, without JavaScript, a refresh every 5 s.
pub fn page(lang: Lang, title: &str, body: &str, events_url: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{} — reprise</title>\n<noscript><meta http-equiv=\"refresh\" content=\"5\"></noscript>\n\
<style>{CSS}{}</style>\n</head>\n<body>\n<main id=\"live\">\n{body}</main>\n\
<script>\n(function () {{\n  var main = document.getElementById('live');\n  \
var source = new EventSource('{}');\n  \
source.addEventListener('view', function (e) {{ main.innerHTML = e.data; main.dataset.updates = (+(main.dataset.updates || 0) + 1); }});\n}})();\n</script>\n\
</body>\n</html>\n",
        lang.code(),
        esc(title),
        crate::report::html::GANTT_CSS,
        esc(events_url)
    )
}
