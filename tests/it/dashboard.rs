//! The wall screen (`reprise status JOURNAL --serve`): served from the
//! journal, live in a real browser, read-only, bounded.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::harness::Test;

const LIVE: &str = r#"version: 1
name: Live drill
objectives:
  rto: 1h
  services:
    lab: { rto: 30m }
vars:
  TOKEN: { value: "s3cr3t-wall-value", secret: true }
steps:
  - id: wait
    title: Wait for the go file
    run: "echo $TOKEN; while [ ! -e go ]; do sleep 0.05; done"
    timeout: 60s
    estimate: 5s
  - id: after
    title: After
    needs: [wait]
    run: "true"
    timeout: 5s
    estimate: 1s
    restores: lab
"#;

/// A server process, killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &Path, journal: &str, extra: &[&str]) -> Server {
    let args = [&["status", journal, "--serve", "127.0.0.1:0"], extra].concat();
    let (child, _, addr) = start(dir, &args, Stdio::null());
    Server { child, addr }
}

/// Starts `reprise ARGS` (a server) with its stderr to `stderr`; returns
/// it, its first stdout line and the address that line names.
fn start(dir: &Path, args: &[&str], stderr: Stdio) -> (Child, String, String) {
    let mut child = Test::at(dir)
        .args(args)
        .command()
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("start the server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("the address line");
    let addr = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .split('/')
        .next()
        .unwrap()
        .replace("0.0.0.0", "127.0.0.1");
    (child, line, addr)
}

/// One raw HTTP request; returns the status code and the body read.
fn get(addr: &str, method: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    let code = out
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (code, out)
}

fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    crate::harness::eventually(what, &mut ok);
}

/// A drill of [`LIVE`] running in the background, its first step waiting
/// for the file `go`.
fn live_drill() -> (Test, Child) {
    let t = Test::new().file("rb.yaml", LIVE);
    let child = Test::at(t.path())
        .args(["run", "rb.yaml", "--yes", "--journal", "j.jsonl"])
        .spawn();
    let journal = t.path().join("j.jsonl");
    wait_for("the first step to start", || {
        std::fs::read_to_string(&journal).is_ok_and(|j| j.contains("\"step_started\""))
    });
    (t, child)
}

#[test]
fn a_finished_drill_shows_the_reports_facts_read_only() {
    let t = Test::new().file("rb.yaml", LIVE).file("go", "").args([
        "run",
        "rb.yaml",
        "--yes",
        "--journal",
        "j.jsonl",
    ]);
    t.run().code(0);
    let server = serve(t.path(), "j.jsonl", &[]);
    let (code, page) = get(&server.addr, "GET", "/");
    assert_eq!(code, 200, "{page}");
    let report = t.clone_run(&["report", "j.jsonl", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert!(page.contains("Live drill"), "{page}");
    assert!(
        page.contains("finished: <strong>Recovered</strong>"),
        "{page}"
    );
    let margin = report["recovery"]["margin_seconds"].as_u64().unwrap();
    assert!(margin > 3500, "{margin}");
    assert!(page.contains("RTO 1h: met,"), "{page}");
    assert!(
        page.contains(r#"data-service="lab" data-verdict="met""#),
        "{page}"
    );
    assert!(
        page.contains(r#"id="step-1" data-step="wait" data-state="done""#),
        "{page}"
    );
    assert!(
        page.contains(r#"id="step-2" data-step="after" data-state="done""#),
        "{page}"
    );
    assert!(
        page.contains("<noscript><meta http-equiv=\"refresh\""),
        "works without JavaScript"
    );
    assert!(
        !page.contains("s3cr3t-wall-value"),
        "a secret reached the page"
    );
    for outside in ["src=\"http", "href=\"http", "@import", "url(http"] {
        assert!(
            !page.contains(outside),
            "nothing from the internet: {outside}"
        );
    }

    assert_eq!(get(&server.addr, "GET", "/etc/passwd").0, 404);
    assert_eq!(get(&server.addr, "GET", "/favicon.ico").0, 404);
    assert_eq!(get(&server.addr, "POST", "/").0, 405);
    assert_eq!(get(&server.addr, "DELETE", "/events").0, 405);
}

/// [`LIVE`] in French, run to its end (`j.jsonl`).
fn french_drill_run() -> Test {
    let runbook = LIVE.replace("name: Live drill\n", "name: Live drill\nlang: fr\n");
    let t = Test::new().file("rb.yaml", runbook).file("go", "").args([
        "run",
        "rb.yaml",
        "--yes",
        "--journal",
        "j.jsonl",
    ]);
    t.run().code(0);
    t
}

/// A `lang: fr` drill gets its wall screen in French; `--lang en` gives
/// the English one.
#[test]
fn a_french_drill_gets_a_french_wall_screen_and_lang_picks_another() {
    let t = french_drill_run();
    let server = serve(t.path(), "j.jsonl", &[]);
    let (code, page) = get(&server.addr, "GET", "/");
    assert_eq!(code, 200, "{page}");
    for french in [
        "<html lang=\"fr\">",
        "terminé\u{a0}: <strong>",
        "DMIA 1\u{a0}h\u{a0}: ",
        "<h2>Étapes</h2>",
        "<th>Étape</th>",
        ">faite<",
        "Dernières notes et décisions",
    ] {
        assert!(page.contains(french), "{french:?} not in:\n{page}");
    }
    assert!(
        page.contains(r#"id="step-1" data-step="wait" data-state="done""#),
        "{page}"
    );
    for english in [
        "finished:",
        "RTO 1h",
        "<h2>Steps</h2>",
        ">done<",
        "elapsed ",
    ] {
        assert!(!page.contains(english), "{english:?} left in:\n{page}");
    }
    drop(server);
    let server = serve(t.path(), "j.jsonl", &["--lang", "en"]);
    let (_, page) = get(&server.addr, "GET", "/");
    assert!(page.contains("<html lang=\"en\">"), "{page}");
    assert!(page.contains("finished: <strong>"), "{page}");
    assert!(page.contains("<h2>Steps</h2>"), "{page}");
}

#[test]
fn a_token_guards_every_path() {
    let t = Test::new().file("rb.yaml", LIVE).file("go", "").args([
        "run",
        "rb.yaml",
        "--yes",
        "--journal",
        "j.jsonl",
    ]);
    t.run().code(0);
    let server = serve(t.path(), "j.jsonl", &["--token", "letmein"]);
    assert_eq!(get(&server.addr, "GET", "/").0, 403);
    assert_eq!(get(&server.addr, "GET", "/?token=wrong").0, 403);
    let (code, page) = get(&server.addr, "GET", "/?token=letmein");
    assert_eq!(code, 200);
    assert!(
        page.contains("/events?token=letmein"),
        "the page's stream carries the token"
    );
}

/// Reads one `view` event from an open stream.
fn next_view(r: &mut BufReader<TcpStream>) -> String {
    let mut data = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).unwrap_or(0) == 0 {
            panic!("the stream ended");
        }
        if let Some(d) = line.strip_prefix("data: ") {
            data.push_str(d);
        } else if line == "\n" && !data.is_empty() {
            return data;
        }
    }
}

#[test]
fn fifty_screens_follow_a_live_drill_and_a_stopped_one_says_how_to_resume() {
    let (t, mut drill) = live_drill();
    let server = serve(t.path(), "j.jsonl", &[]);
    // Screens connect one after another, as browsers do; each gets the
    // current view at once.
    let mut streams: Vec<BufReader<TcpStream>> = Vec::new();
    for _ in 0..50 {
        let mut s = TcpStream::connect(&server.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        write!(s, "GET /events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut s = BufReader::new(s);
        let first = next_view(&mut s);
        assert!(
            first.contains(r#"data-step="wait" data-state="running""#),
            "{first}"
        );
        streams.push(s);
    }
    std::fs::write(t.path().join("go"), "").unwrap();
    for (i, s) in streams.iter_mut().enumerate() {
        let mut view = next_view(s);
        while !view.contains("finished: <strong>Recovered</strong>") {
            view = next_view(s);
        }
        assert!(
            view.contains(r#"data-step="after" data-state="done""#),
            "stream {i}: {view}"
        );
        assert!(!view.contains("s3cr3t-wall-value"));
    }
    assert!(drill.wait().unwrap().success());

    // An interrupted drill: the engine is gone, the page says what to do.
    let journal = std::fs::read_to_string(t.path().join("j.jsonl")).unwrap();
    let cut: Vec<&str> = journal.lines().collect();
    let keep = cut
        .iter()
        .position(|l| l.contains("\"step_started\""))
        .unwrap()
        + 1;
    std::fs::write(t.path().join("cut.jsonl"), cut[..keep].join("\n") + "\n").unwrap();
    let stopped = serve(t.path(), "cut.jsonl", &[]);
    let (_, page) = get(&stopped.addr, "GET", "/");
    assert!(
        page.contains("not running</span> — resume with <code>reprise resume cut.jsonl</code>"),
        "{page}"
    );
}

fn browser_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

#[test]
fn a_browser_sees_a_step_turn_from_running_to_done_without_reload() {
    let modules = browser_dir().join("node_modules/playwright-core");
    if !Path::new("/usr/bin/chromium").exists() || !modules.exists() {
        if std::env::var_os("CI").is_some() {
            panic!("chromium or tests/browser/node_modules missing on CI: `.ci/run` installs them");
        }
        eprintln!("skipped: needs /usr/bin/chromium and `npm ci --prefix tests/browser`");
        return;
    }
    let (t, mut drill) = live_drill();
    let server = serve(t.path(), "j.jsonl", &[]);
    let out = Command::new("node")
        .arg(browser_dir().join("dashboard.mjs"))
        .arg(format!("http://{}/", server.addr))
        .arg("1")
        .arg(t.path().join("go"))
        .output()
        .expect("node");
    let seen = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{seen}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(seen.trim()).unwrap();
    assert_eq!(v["before"], "running");
    assert_eq!(v["after"], "done");
    assert_eq!(v["reloaded"], false);
    assert!(v["updates"].as_u64().unwrap() >= 2, "{v}");
    let _ = drill.wait();
}

/// `reprise attach JOURNAL` typing `lines`, then detaching.
fn attach_and_type(dir: &Path, lines: &str) {
    let mut child = Test::at(dir)
        .args(["attach", "j.jsonl"])
        .command()
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{lines}\ndetach\n").as_bytes())
        .unwrap();
    wait_for("attach to detach", || child.try_wait().unwrap().is_some());
}

#[test]
fn a_hold_shows_on_the_wall_with_the_forecast_and_ctrl_c_stops_the_server() {
    let (t, mut drill) = live_drill();
    let server = serve(t.path(), "j.jsonl", &[]);
    let (_, page) = get(&server.addr, "GET", "/");
    assert!(
        page.contains("forecast end <span id=\"forecast\">"),
        "{page}"
    );
    assert!(page.contains("(within the RTO)"), "{page}");
    assert!(
        page.contains(
            r#"data-service="lab" data-verdict="open"><strong>lab</strong> · RTO 30m: <strong>"#
        ),
        "the service's own countdown: {page}"
    );
    assert!(!page.contains("id=\"held\""), "{page}");

    attach_and_type(t.path(), "hold night shift, back at 7:00");
    let journal = t.path().join("j.jsonl");
    wait_for("run_held", || {
        std::fs::read_to_string(&journal).is_ok_and(|j| j.contains("\"run_held\""))
    });
    let mut page = String::new();
    wait_for("the page to show the hold", || {
        page = get(&server.addr, "GET", "/").1;
        page.contains("id=\"held\"")
    });
    assert!(
        page.contains("held the drill: night shift, back at 7:00"),
        "the log says who and why: {page}"
    );
    assert!(page.contains("HELD since"), "{page}");

    attach_and_type(t.path(), "release");
    wait_for("the page to show the release", || {
        page = get(&server.addr, "GET", "/").1;
        page.contains("released the drill")
    });
    assert!(!page.contains("id=\"held\""), "released: {page}");
    std::fs::write(t.path().join("go"), "").unwrap();
    assert!(drill.wait().unwrap().success());

    // Ctrl-C: the server stops by itself, cleanly.
    let mut server = server;
    let pid = nix::unistd::Pid::from_raw(server.child.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).unwrap();
    let mut status = None;
    wait_for("the server to stop on Ctrl-C", || {
        status = server.child.try_wait().unwrap();
        status.is_some()
    });
    assert!(status.unwrap().success(), "{status:?}");
}

/// Starts the server with its stderr kept; returns it, its first stdout
/// line and its address.
fn serve_said(dir: &Path, args: &[&str]) -> (Child, String, String) {
    let args = [&["status", "j.jsonl", "--serve"], args].concat();
    start(dir, &args, Stdio::piped())
}

/// Stops the server with Ctrl-C and returns what it wrote on stderr.
fn stop_said(child: Child) -> String {
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stderr).unwrap()
}

/// The server of a French drill's wall screen says its start, its stop,
/// its warning and its HTTP errors in French; `--lang en` in English.
#[test]
fn the_wall_screen_server_speaks_the_drills_language() {
    let t = french_drill_run();

    let (child, line, addr) = serve_said(t.path(), &["127.0.0.1:0"]);
    assert!(
        line.starts_with("écran mural de j.jsonl sur http://127.0.0.1:")
            && line.ends_with(" (Ctrl-C l'arrête)\n"),
        "{line:?}"
    );
    let (code, reply) = get(&addr, "GET", "/nope");
    assert_eq!(code, 404, "{reply}");
    assert!(reply.contains("Content-Language: fr"), "{reply}");
    assert!(
        reply.ends_with("\r\n\r\nintrouvable\u{a0}: cette page n'a que / et /events\n"),
        "{reply}"
    );
    let (code, reply) = get(&addr, "POST", "/");
    assert_eq!(code, 405, "{reply}");
    assert!(
        reply.ends_with("lecture seule\u{a0}: GET uniquement\n"),
        "{reply}"
    );
    assert_eq!(stop_said(child), "arrêté\n");

    // Reachable from the network without a token: warned, in French.
    let (child, _, addr) = serve_said(t.path(), &["0.0.0.0:0"]);
    let (code, _) = get(&addr, "GET", "/");
    assert_eq!(code, 200);
    let err = stop_said(child);
    assert!(
        err.starts_with(
            "avertissement\u{a0}: j.jsonl est servi sur 0.0.0.0:0, joignable depuis le réseau \
             sans jeton\u{a0}: ajoutez --token"
        ),
        "{err}"
    );

    let (child, _, addr) = serve_said(t.path(), &["127.0.0.1:0", "--token", "sesame"]);
    let (code, reply) = get(&addr, "GET", "/");
    assert_eq!(code, 403, "{reply}");
    assert!(
        reply
            .ends_with("un jeton est nécessaire\u{a0}: utilisez l'adresse affichée au démarrage\n"),
        "{reply}"
    );
    for english in [
        "not found",
        "read-only",
        "token is needed",
        "serving",
        "stopped",
    ] {
        assert!(
            !reply.contains(english) && !line.contains(english),
            "{english}"
        );
    }
    stop_said(child);

    // The same server in English, as before.
    let (child, line, addr) = serve_said(t.path(), &["127.0.0.1:0", "--lang", "en"]);
    assert!(
        line.starts_with("serving j.jsonl at http://127.0.0.1:"),
        "{line:?}"
    );
    assert!(line.ends_with(" (Ctrl-C stops)\n"), "{line:?}");
    let (_, reply) = get(&addr, "GET", "/nope");
    assert!(
        reply.ends_with("\r\n\r\nnot found: this page has / and /events\n"),
        "{reply}"
    );
    assert!(reply.contains("Content-Language: en"), "{reply}");
    assert_eq!(stop_said(child), "stopped\n");
}
