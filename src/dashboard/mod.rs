//! `reprise status JOURNAL --serve`: a wall screen for the crisis room.
//!
//! A read-only page that follows the journal file (so it keeps working
//! across a coordinator crash and `resume`, and on another machine reading
//! a shared folder), served by a small synchronous HTTP server
//! (`tiny_http`). One follower thread re-reads the journal when it grows,
//! renders the live part of the page ([`page::body`]) and hands the new
//! version to every open event stream through a bounded queue per browser:
//! a browser that does not keep up is dropped (its `EventSource`
//! reconnects and gets the current version), so a slow screen never slows
//! anything else. No action can be taken from the page; the journal's text
//! is already masked, and everything is escaped.

pub mod page;

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::Timestamp;

use crate::i18n::Lang;
use crate::journal;
use crate::report::{Report, Zone};
use crate::timeline::Timeline;

/// How often the journal is looked at.
const POLL: Duration = Duration::from_millis(300);
/// Versions queued for one browser before it is dropped.
const QUEUE: usize = 4;
/// Event streams served at once; more get 503.
pub const MAX_STREAMS: usize = 256;
/// A comment line every so often keeps proxies from closing the stream.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// What to serve.
#[derive(Debug, Clone)]
pub struct Config {
    /// The journal followed.
    pub journal: PathBuf,
    /// Where to listen.
    pub addr: SocketAddr,
    /// A token every request must carry (`?token=…`), when set.
    pub token: Option<String>,
    /// The page's language (`--lang`); `None`: the drill's (the runbook's
    /// `lang:`, then the environment's), as `status` and the report.
    pub lang: Option<Lang>,
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {message}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        message: String,
    },
    /// The journal cannot be read.
    #[error(transparent)]
    Journal(#[from] journal::Error),
    /// The journal has no `run_started`.
    #[error("{0}: not a drill's journal (no `run_started`)")]
    NotStarted(String),
}

/// The current version of the live part, and the browsers following it.
struct Shared {
    body: Mutex<Arc<str>>,
    title: String,
    lang: Lang,
    streams: Mutex<Vec<SyncSender<Arc<str>>>>,
}

/// What [`render`] gives: the drill's name, the live part, its language.
pub struct Rendered {
    /// The drill's name (the page's title).
    pub title: String,
    /// The live part ([`page::body`]).
    pub body: String,
    /// The language it is in.
    pub lang: Lang,
}

/// Renders the live part from the journal as it is now, in `lang` (or
/// the drill's language).
pub fn render(path: &Path, lang: Option<Lang>) -> Result<Rendered, Error> {
    let j = journal::read(path)?;
    let timeline = Timeline::from_events(j.events());
    let now = Timestamp::now();
    let lang = lang.unwrap_or_else(|| {
        Lang::for_runbook(
            timeline
                .header
                .as_ref()
                .and_then(|h| h.exercise.lang.as_deref()),
        )
    });
    let mut report = Report::build(
        &timeline,
        &path.display().to_string(),
        j.torn.as_ref().map(|t| t.line),
        Zone::try_system().unwrap_or_else(|_| Zone::utc()),
    )
    .map_err(|_| Error::NotStarted(path.display().to_string()))?;
    report.lang = lang;
    let engine = if timeline.is_finished() {
        page::Engine::Finished
    } else {
        match journal::live_holder_of(path) {
            Some(who) if lang == Lang::En => page::Engine::Running(who.to_string()),
            Some(who) => page::Engine::Running(lang.tr_args(
                "status-holder",
                &[
                    ("pid", who.pid.to_string().into()),
                    ("host", who.host.clone().into()),
                    ("since", report.zone().long(who.since).into()),
                ],
            )),
            None => page::Engine::Stopped,
        }
    };
    let live = page::Live {
        holds: holds(j.events()),
        forecast: timeline.forecast_end(now),
    };
    let body = page::body(&report, &live, &engine, &path.display().to_string(), now);
    Ok(Rendered {
        title: report.run.name.clone(),
        body,
        lang,
    })
}

/// The holds recorded in the journal (`run_held` … `run_released`).
pub fn holds<'a>(events: impl IntoIterator<Item = &'a crate::event::Stamped>) -> Vec<page::Hold> {
    use crate::event::Event;
    let mut holds: Vec<page::Hold> = Vec::new();
    for e in events {
        match &e.event {
            Event::RunHeld { by, reason, .. } => holds.push(page::Hold {
                since: e.time,
                by: by.clone(),
                reason: reason.clone(),
                released: None,
            }),
            Event::RunReleased { by, .. } => {
                if let Some(h) = holds.last_mut().filter(|h| h.released.is_none()) {
                    h.released = Some((e.time, by.clone()));
                }
            }
            _ => {}
        }
    }
    holds
}

/// Serves until `stop` is set (Ctrl-C). `ready` is called with the
/// address actually bound (port 0 picks one).
pub fn serve(
    config: Config,
    stop: Arc<AtomicBool>,
    ready: impl FnOnce(SocketAddr, Lang),
) -> Result<(), Error> {
    let Rendered { title, body, lang } = render(&config.journal, config.lang)?;
    let server = tiny_http::Server::http(config.addr).map_err(|e| Error::Bind {
        addr: config.addr,
        message: e.to_string(),
    })?;
    let bound = server.server_addr().to_ip().unwrap_or(config.addr);
    let shared = Arc::new(Shared {
        body: Mutex::new(Arc::from(body)),
        title,
        lang,
        streams: Mutex::new(Vec::new()),
    });
    ready(bound, lang);
    let follower = {
        let shared = Arc::clone(&shared);
        let stop = Arc::clone(&stop);
        let path = config.journal.clone();
        // The language chosen at start, so that the page never changes
        // language under the room's eyes.
        std::thread::spawn(move || follow(&path, lang, &shared, &stop))
    };
    while !stop.load(Ordering::Relaxed) {
        match server.recv_timeout(Duration::from_millis(200)) {
            Ok(Some(request)) => handle(request, &shared, config.token.as_deref(), &stop),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "dashboard: a request could not be read"),
        }
    }
    // Closing every queue ends every stream's thread.
    shared.streams.lock().expect("streams").clear();
    let _ = follower.join();
    Ok(())
}

/// Re-renders when the journal changes (and every few seconds anyway, for
/// the clocks), and hands the new version to every stream.
fn follow(path: &Path, lang: Lang, shared: &Shared, stop: &AtomicBool) {
    let mut size = std::fs::metadata(path).map(|m| m.len()).ok();
    let mut last = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(POLL);
        let now_size = std::fs::metadata(path).map(|m| m.len()).ok();
        if now_size == size && last.elapsed() < Duration::from_secs(5) {
            continue;
        }
        size = now_size;
        last = Instant::now();
        let body: Arc<str> = match render(path, Some(lang)) {
            Ok(r) => Arc::from(r.body),
            Err(e) => {
                tracing::warn!(error = %e, "dashboard: the journal cannot be read now");
                continue;
            }
        };
        *shared.body.lock().expect("body") = Arc::clone(&body);
        shared
            .streams
            .lock()
            .expect("streams")
            .retain(|s| match s.try_send(Arc::clone(&body)) {
                Ok(()) => true,
                // Full: that browser is behind; dropped, it reconnects.
                Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => false,
            });
    }
}

fn handle(
    request: tiny_http::Request,
    shared: &Arc<Shared>,
    token: Option<&str>,
    stop: &Arc<AtomicBool>,
) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
    // An error's text (`serve-*` in locales/*/serve.ftl) in the screen's
    // language.
    let reply = |request: tiny_http::Request, code: u16, id: &str| {
        let _ = request.respond(
            tiny_http::Response::from_string(format!("{}\n", shared.lang.tr(id)))
                .with_status_code(code)
                .with_header(header("Content-Type", "text/plain; charset=utf-8"))
                .with_header(header("Content-Language", shared.lang.code())),
        );
    };
    if !matches!(path, "/" | "/events") {
        return reply(request, 404, "serve-not-found");
    }
    if *request.method() != tiny_http::Method::Get && *request.method() != tiny_http::Method::Head {
        // Read-only by design.
        return reply(request, 405, "serve-read-only");
    }
    if let Some(token) = token
        && !query
            .split('&')
            .any(|kv| kv.strip_prefix("token=") == Some(token))
    {
        return reply(request, 403, "serve-token");
    }
    let suffix = token.map_or(String::new(), |t| format!("?token={t}"));
    match path {
        "/" => {
            let body = Arc::clone(&shared.body.lock().expect("body"));
            let html = page::page(
                shared.lang,
                &shared.title,
                &body,
                &format!("/events{suffix}"),
            );
            let _ = request.respond(
                tiny_http::Response::from_string(html)
                    .with_header(header("Content-Type", "text/html; charset=utf-8"))
                    .with_header(header("Cache-Control", "no-store"))
                    .with_header(header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src data:")),
            );
        }
        _ => {
            let (tx, rx) = sync_channel(QUEUE);
            {
                let mut streams = shared.streams.lock().expect("streams");
                if streams.len() >= MAX_STREAMS {
                    drop(streams);
                    return reply(request, 503, "serve-too-many");
                }
                streams.push(tx);
            }
            let first = Arc::clone(&shared.body.lock().expect("body"));
            let stop = Arc::clone(stop);
            std::thread::spawn(move || stream(request, first, rx, &stop));
        }
    }
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

/// One browser's event stream: the current version, then each new one.
fn stream(request: tiny_http::Request, first: Arc<str>, rx: Receiver<Arc<str>>, stop: &AtomicBool) {
    let mut w = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    if w.write_all(head.as_bytes()).is_err() || send(&mut w, &first).is_err() {
        return;
    }
    loop {
        match rx.recv_timeout(KEEPALIVE) {
            Ok(body) => {
                if send(&mut w, &body).is_err() {
                    return;
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                if stop.load(Ordering::Relaxed)
                    || w.write_all(b": keep-alive\n\n")
                        .and_then(|()| w.flush())
                        .is_err()
                {
                    return;
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        }
    }
}

fn send(w: &mut dyn Write, body: &str) -> std::io::Result<()> {
    let mut msg = String::with_capacity(body.len() + 64);
    msg.push_str("event: view\n");
    for line in body.lines() {
        msg.push_str("data: ");
        msg.push_str(line);
        msg.push('\n');
    }
    msg.push('\n');
    w.write_all(msg.as_bytes())?;
    w.flush()
}

#[cfg(test)]
mod tests;
