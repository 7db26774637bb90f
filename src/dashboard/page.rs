//! What the wall screen shows, as HTML: a pure function of the journal's
//! report, the liveness of the engine and the time, so that the page, the
//! event stream and the tests all see the same thing.

use std::fmt::Write as _;

use jiff::Timestamp;

use crate::report::html::esc;
use crate::report::{Report, State, Status, StepReport, Verdict, gantt, human};

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

fn secs(s: u64) -> String {
    human(std::time::Duration::from_secs(s))
}

/// How long a step has been at it (running or open), and its estimate.
fn clock(s: &StepReport, now: Timestamp) -> String {
    let since = match s.state {
        State::Running | State::AttemptFailed => s.began.as_ref(),
        State::Open => s.ready.as_ref(),
        _ => None,
    };
    let elapsed = since.map(|t| now.duration_since(t.at).as_secs().max(0) as u64);
    match (elapsed, s.estimate_seconds) {
        (Some(e), Some(est)) => format!("{} / {}", secs(e), secs(est)),
        (Some(e), None) => secs(e),
        (None, Some(est)) => format!("est. {}", secs(est)),
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

fn state_word(s: &StepReport) -> String {
    match s.state {
        State::Pending => "pending".into(),
        State::Open => "waiting".into(),
        State::Running => "running".into(),
        State::AttemptFailed => "failed attempt".into(),
        State::Finished => s
            .outcome
            .map_or_else(|| "finished".into(), |o| o.to_string()),
    }
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

/// The page's live part (everything inside `<main>`).
pub fn body(r: &Report, live: &Live, engine: &Engine, journal: &str, now: Timestamp) -> String {
    let mut o = String::new();
    let steps: Vec<(usize, &StepReport)> = r.steps().enumerate().map(|(i, s)| (i + 1, s)).collect();
    let status = match engine {
        Engine::Running(who) => format!("<span class=\"live\">running</span> — {}", esc(who)),
        Engine::Stopped => format!(
            "<span class=\"stopped\">not running</span> — resume with <code>reprise resume {}</code>",
            esc(journal)
        ),
        Engine::Finished => format!("finished: <strong>{}</strong>", esc(&r.headline())),
    };
    let _ = writeln!(
        o,
        "<header><h1>{}</h1><p class=\"status\" id=\"status\">{} · {status}</p>",
        esc(&r.run.name),
        esc(r.mode_text())
    );
    let rec = &r.recovery;
    let rto = match (rec.rto_seconds, rec.verdict) {
        (None, _) => "no RTO in the plan".to_string(),
        (Some(rto), Verdict::Open) => format!(
            "RTO {}: <strong>{}</strong> left",
            secs(rto),
            secs(rec.margin_seconds.unwrap_or(0))
        ),
        (Some(rto), Verdict::Overdue) => format!(
            "RTO {}: <strong class=\"bad\">{} past</strong>",
            secs(rto),
            secs(rec.over_seconds.unwrap_or(0))
        ),
        (Some(rto), _) => format!("RTO {}: {}", secs(rto), esc(&r.verdict_text())),
    };
    let forecast = live.forecast.map_or(String::new(), |f| {
        let late = match rec.rto_seconds {
            Some(rto) => {
                let deadline = r.run.started.at + jiff::SignedDuration::from_secs(rto as i64);
                let past = f.duration_since(deadline).as_secs();
                if past > 0 {
                    format!(
                        " <strong class=\"bad\">{} past the RTO</strong>",
                        secs(past as u64)
                    )
                } else {
                    " (within the RTO)".to_string()
                }
            }
            None => String::new(),
        };
        format!(
            " · forecast end <span id=\"forecast\">{}</span>{late}",
            esc(&r.zone().clock(f))
        )
    });
    let _ = writeln!(
        o,
        "<p class=\"rto\" id=\"rto\">{rto} · elapsed {}{forecast}</p>",
        secs(r.run.elapsed_seconds)
    );
    if !r.services.is_empty() {
        o.push_str("<ul class=\"services\" id=\"services\">");
        for svc in &r.services {
            let rto = svc
                .rto_seconds
                .map_or(String::new(), |rto| format!("RTO {}: ", secs(rto)));
            let (class, key, said) = match svc.verdict {
                Verdict::Open => (
                    "",
                    "open",
                    format!(
                        "<strong>{}</strong> left",
                        secs(svc.margin_seconds.unwrap_or(0))
                    ),
                ),
                Verdict::Overdue => (
                    "bad",
                    "overdue",
                    format!(
                        "<strong>{} past</strong>",
                        secs(svc.over_seconds.unwrap_or(0))
                    ),
                ),
                Verdict::Met => (
                    "good",
                    "met",
                    format!(
                        "restored at {}, met",
                        svc.restored_at
                            .as_ref()
                            .map_or(String::new(), |t| esc(&r.zone().clock(t.at)))
                    ),
                ),
                Verdict::Missed => (
                    "bad",
                    "missed",
                    format!(
                        "restored, missed by {}",
                        secs(svc.over_seconds.unwrap_or(0))
                    ),
                ),
                Verdict::NotRecovered => ("bad", "not_restored", "not restored".to_string()),
                Verdict::NoObjective => ("", "no_objective", esc(svc.state)),
            };
            let _ = write!(
                o,
                "<li class=\"{class}\" data-service=\"{}\" data-verdict=\"{}\"><strong>{}</strong> · {rto}{said}</li>",
                esc(&svc.name),
                key,
                esc(&svc.name)
            );
        }
        o.push_str("</ul>");
    }
    if let Some(h) = live.holds.last().filter(|h| h.released.is_none()) {
        let _ = writeln!(
            o,
            "<p class=\"held\" id=\"held\">HELD since {} by <strong>{}</strong>{} — no new step starts until someone types <code>release</code></p>",
            esc(&r.zone().clock(h.since)),
            esc(&h.by),
            h.reason
                .as_ref()
                .map_or(String::new(), |why| format!(": {}", esc(why)))
        );
    }
    o.push_str("</header>\n");

    // What needs people now: running commands, open items by role, late.
    o.push_str("<section class=\"now\"><h2>Running</h2><ul id=\"running\">");
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
            clock(s, now)
        );
    }
    if !any {
        o.push_str("<li class=\"muted\">nothing running</li>");
    }
    o.push_str("</ul><h2>Waiting for people</h2>");
    let mut roles: Vec<&str> = steps
        .iter()
        .filter(|(_, s)| s.state == State::Open)
        .map(|(_, s)| s.role.as_deref().unwrap_or("(no role)"))
        .collect();
    roles.sort_unstable();
    roles.dedup();
    if roles.is_empty() {
        o.push_str("<p class=\"muted\">nobody is being waited for</p>");
    }
    for role in roles {
        let _ = write!(o, "<h3>{}</h3><ul>", esc(role));
        for (n, s) in steps.iter().filter(|(_, s)| {
            s.state == State::Open && s.role.as_deref().unwrap_or("(no role)") == role
        }) {
            let _ = write!(
                o,
                "<li class=\"{}\">#{n} <code>{}</code> {} <span class=\"clock\">{}</span></li>",
                if late(s, now) { "late" } else { "" },
                esc(s.id.as_str()),
                esc(&s.title),
                clock(s, now)
            );
        }
        o.push_str("</ul>");
    }
    o.push_str("</section>\n");

    // Every step, by phase.
    o.push_str("<section class=\"steps\"><h2>Steps</h2>");
    let mut n = 0;
    for phase in &r.phases {
        let _ = write!(
            o,
            "<h3>{}</h3><table><tr><th>#</th><th>Step</th><th>Role</th><th>State</th><th>Time</th></tr>",
            esc(&phase.title)
        );
        for s in &phase.steps {
            n += 1;
            let word = state_word(s);
            let _ = write!(
                o,
                "<tr id=\"step-{n}\" data-step=\"{}\" data-state=\"{}\" class=\"{}\"><td>{n}</td><td><code>{}</code> {}</td><td>{}</td><td><span class=\"outcome {}\">{}</span></td><td class=\"num\">{}</td></tr>",
                esc(s.id.as_str()),
                esc(&word),
                if late(s, now) { "late" } else { "" },
                esc(s.id.as_str()),
                esc(&s.title),
                esc(s.role.as_deref().unwrap_or("")),
                gantt::class_of(s),
                esc(&word),
                match s.duration_seconds {
                    Some(d) if s.state == State::Finished => secs(d),
                    _ => clock(s, now),
                }
            );
        }
        o.push_str("</table>");
    }
    o.push_str("</section>\n");

    o.push_str("<section class=\"chart\"><h2>Timeline</h2>");
    o.push_str(&gantt::svg(r));
    o.push_str("</section>\n");

    // The latest notes, decisions and handovers.
    o.push_str("<section class=\"log\"><h2>Latest notes and decisions</h2><ul id=\"log\">");
    let mut log: Vec<(Timestamp, String)> = r
        .notes
        .iter()
        .map(|nt| {
            (
                nt.time.at,
                format!(
                    "{} <strong>{}</strong>: {}",
                    esc(&r.zone().clock(nt.time.at)),
                    esc(&nt.by),
                    esc(&nt.text)
                ),
            )
        })
        .collect();
    for s in r.steps() {
        for d in &s.decisions {
            log.push((
                d.time.at,
                format!(
                    "{} <strong>{}</strong> decided {} on <code>{}</code>{}",
                    esc(&r.zone().clock(d.time.at)),
                    esc(&d.by),
                    esc(crate::report::decision_text(d.decision)),
                    esc(s.id.as_str()),
                    d.reason
                        .as_ref()
                        .map_or(String::new(), |r| format!(": {}", esc(r)))
                ),
            ));
        }
    }
    for h in &live.holds {
        log.push((
            h.since,
            format!(
                "{} <strong>{}</strong> held the drill{}",
                esc(&r.zone().clock(h.since)),
                esc(&h.by),
                h.reason
                    .as_ref()
                    .map_or(String::new(), |why| format!(": {}", esc(why)))
            ),
        ));
        if let Some((at, by)) = &h.released {
            log.push((
                *at,
                format!(
                    "{} <strong>{}</strong> released the drill",
                    esc(&r.zone().clock(*at)),
                    esc(by)
                ),
            ));
        }
    }
    for h in &r.run.handovers {
        log.push((
            h.time.at,
            format!(
                "{} handover from <strong>{}</strong> to <strong>{}</strong>",
                esc(&r.zone().clock(h.time.at)),
                esc(&h.from),
                esc(&h.to)
            ),
        ));
    }
    log.sort_by_key(|(t, _)| std::cmp::Reverse(*t));
    if log.is_empty() {
        o.push_str("<li class=\"muted\">nothing yet</li>");
    }
    for (_, line) in log.into_iter().take(12) {
        let _ = write!(o, "<li>{line}</li>");
    }
    o.push_str("</ul></section>\n");
    if r.run.status == Status::Finished {
        o.push_str("<p class=\"muted\">The drill is over: the report has the whole story (<code>reprise report</code>).</p>");
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
pub fn page(title: &str, body: &str, events_url: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{} — reprise</title>\n<noscript><meta http-equiv=\"refresh\" content=\"5\"></noscript>\n\
<style>{CSS}{}</style>\n</head>\n<body>\n<main id=\"live\">\n{body}</main>\n\
<script>\n(function () {{\n  var main = document.getElementById('live');\n  \
var source = new EventSource('{}');\n  \
source.addEventListener('view', function (e) {{ main.innerHTML = e.data; main.dataset.updates = (+(main.dataset.updates || 0) + 1); }});\n}})();\n</script>\n\
</body>\n</html>\n",
        esc(title),
        crate::report::html::GANTT_CSS,
        esc(events_url)
    )
}
