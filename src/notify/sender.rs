//! Running the alert commands: on threads of their own, never in the
//! drill's way.
//!
//! [`Notifier`] wraps the drill's operator: it sees every recorded event
//! (after the journal made it durable) and hands it to a worker thread
//! through a bounded queue — the engine never waits for it. The worker
//! applies the [`Rules`] and queues deliveries; two delivery threads run
//! each target's command with the alert in its environment and as JSON on
//! its standard input, in a process group of its own, killed at the
//! target's timeout, retried with back-off (1 s, 2 s, 4 s… at most 60 s).
//! Each attempt's outcome goes back to the engine as
//! [`Input::Notified`](crate::exec::Input), which records it.

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Command as Process, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration as StdDuration, Instant};

use jiff::Timestamp;

use super::rules::{Alert, Rules};
use super::{Kind, Target};
use crate::event::{NotificationAbout, Stamped};
use crate::exec::{Input, Interrupt, Notified, Operator, Question};
use crate::identity::Identity;
use crate::redact::Redactor;
use crate::runbook::{Command, StepIndex};

/// Events queued for the worker before new ones are dropped (and logged).
const EVENTS: usize = 4096;
/// Deliveries queued before new ones are dropped (and recorded failed).
const DELIVERIES: usize = 256;
/// How long `finish` waits for the last alerts (the end of the drill).
const FINISH_WAIT: StdDuration = StdDuration::from_secs(15);

/// What one alert says, as the command receives it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Message {
    /// `step_waiting`, `step_failed`… (`REPRISE_EVENT`).
    pub event: &'static str,
    /// The drill's name (`REPRISE_DRILL`).
    pub drill: String,
    /// The step's id (`REPRISE_STEP`).
    pub step: Option<String>,
    /// Its item number (`REPRISE_STEP_NUMBER`).
    pub number: Option<usize>,
    /// Its role (`REPRISE_ROLE`).
    pub role: Option<String>,
    /// The service (`REPRISE_SERVICE`), for `rto_at_risk` of one service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// One line for people (`REPRISE_TEXT`).
    pub text: String,
    /// When (`REPRISE_TIME`, RFC 3339).
    pub time: String,
    /// The target's name (`REPRISE_TARGET`).
    pub target: String,
}

/// How one attempt went.
pub fn deliver(target: &Target, message: &Message) -> Result<(), String> {
    let json = serde_json::to_string(message).expect("a message serializes");
    let mut cmd = match &target.command {
        Command::Shell(s) => {
            let mut c = Process::new("sh");
            c.arg("-c").arg(s);
            c
        }
        Command::Argv(v) => {
            let mut c = Process::new(&v[0]);
            c.args(&v[1..]);
            c
        }
    };
    cmd.env("REPRISE_EVENT", message.event)
        .env("REPRISE_DRILL", &message.drill)
        .env("REPRISE_STEP", message.step.as_deref().unwrap_or(""))
        .env(
            "REPRISE_STEP_NUMBER",
            message.number.map_or(String::new(), |n| n.to_string()),
        )
        .env("REPRISE_ROLE", message.role.as_deref().unwrap_or(""))
        .env("REPRISE_SERVICE", message.service.as_deref().unwrap_or(""))
        .env("REPRISE_TEXT", &message.text)
        .env("REPRISE_TIME", &message.time)
        .env("REPRISE_TARGET", &message.target)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0);
    let mut child = cmd.spawn().map_err(|e| format!("cannot start: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A command that does not read its input is fine.
        let _ = stdin.write_all(json.as_bytes());
    }
    let deadline = Instant::now() + StdDuration::from_secs(target.timeout.as_secs().max(1));
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(StdDuration::from_millis(20))
            }
            Ok(None) | Err(_) => {
                let pgid = nix::unistd::Pid::from_raw(child.id() as i32);
                let _ = nix::sys::signal::killpg(pgid, nix::sys::signal::Signal::SIGKILL);
                let _ = child.wait();
                return Err(format!("timed out after {}", target.timeout));
            }
        }
    };
    if status.success() {
        return Ok(());
    }
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.by_ref().take(4096).read_to_string(&mut err);
    }
    let last = err
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    Err(match status.code() {
        Some(c) if last.is_empty() => format!("exit {c}"),
        Some(c) => format!("exit {c}: {}", crate::escape::line(last)),
        None => "killed by a signal".to_string(),
    })
}

struct Delivery {
    alert: Alert,
    message: Message,
}

/// The operator decorator that sends alerts.
pub struct Notifier {
    inner: Box<dyn Operator>,
    targets: Arc<Vec<Target>>,
    rules: Option<Rules>,
    redactor: Redactor,
    /// Alerts owed from before a restart, sent first.
    owed: Vec<Alert>,
    events: Option<SyncSender<Stamped>>,
    worker: Option<JoinHandle<()>>,
    outstanding: Arc<Mutex<usize>>,
}

impl Notifier {
    /// Wraps `inner`; `recorded` are the events already in the journal
    /// (a resume): alerts they called for and whose delivery the journal
    /// does not settle are sent again, first; nothing else about them is.
    pub fn new<'a>(
        inner: Box<dyn Operator>,
        targets: Vec<Target>,
        redactor: Redactor,
        recorded: impl IntoIterator<Item = &'a Stamped>,
    ) -> Notifier {
        let mut rules = Rules::new(targets.clone());
        let owed = rules.replay(recorded);
        Notifier {
            inner,
            targets: Arc::new(targets),
            rules: Some(rules),
            owed,
            redactor,
            events: None,
            worker: None,
            outstanding: Arc::new(Mutex::new(0)),
        }
    }
}

fn message(rules_name: &str, target: &Target, alert: &Alert, redactor: &Redactor) -> Message {
    Message {
        event: alert.kind.name(),
        drill: redactor.redact(rules_name).into_owned(),
        step: alert.step.as_ref().map(|s| s.to_string()),
        number: alert.number,
        role: alert.role.clone(),
        service: alert.service.clone(),
        text: redactor.redact(&alert.text).into_owned(),
        time: alert.time.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        target: target.name.clone(),
    }
}

fn worker(
    mut rules: Rules,
    owed: Vec<Alert>,
    events: Receiver<Stamped>,
    targets: Arc<Vec<Target>>,
    redactor: Redactor,
    engine: Sender<Input>,
    outstanding: Arc<Mutex<usize>>,
) {
    let (tx, rx) = mpsc::sync_channel::<Delivery>(DELIVERIES);
    let rx = Arc::new(Mutex::new(rx));
    let mut deliverers = Vec::new();
    for _ in 0..2 {
        let rx = Arc::clone(&rx);
        let targets = Arc::clone(&targets);
        let engine = engine.clone();
        let outstanding = Arc::clone(&outstanding);
        deliverers.push(std::thread::spawn(move || {
            loop {
                let next = rx.lock().expect("deliveries").recv();
                let Ok(d) = next else { return };
                send_with_retries(&targets[d.alert.target], &d, &engine);
                *outstanding.lock().expect("count") -= 1;
            }
        }));
    }
    let queue = Queue {
        tx,
        targets: &targets,
        redactor: &redactor,
        engine: &engine,
        outstanding: &outstanding,
    };
    for mut alert in owed {
        alert.text.push_str(" (owed from before reprise restarted)");
        queue.push(alert, rules.name());
    }
    loop {
        let wait = rules
            .next_deadline()
            .map(|t| {
                let ms = t
                    .duration_since(Timestamp::now())
                    .as_millis()
                    .clamp(0, 1000);
                StdDuration::from_millis(ms as u64)
            })
            .unwrap_or(StdDuration::from_secs(1));
        let alerts = match events.recv_timeout(wait) {
            Ok(e) => rules.observe(&e),
            Err(RecvTimeoutError::Timeout) => rules.due(Timestamp::now()),
            Err(RecvTimeoutError::Disconnected) => break,
        };
        for alert in alerts {
            queue.push(alert, rules.name());
        }
    }
    drop(queue);
    for d in deliverers {
        let _ = d.join();
    }
}

/// Where decided alerts go: the delivery threads' bounded queue.
struct Queue<'a> {
    tx: SyncSender<Delivery>,
    targets: &'a [Target],
    redactor: &'a Redactor,
    engine: &'a Sender<Input>,
    outstanding: &'a Mutex<usize>,
}

impl Queue<'_> {
    /// Hands one alert to the delivery threads, or records it dropped
    /// when too many wait.
    fn push(&self, alert: Alert, drill: &str) {
        let target = &self.targets[alert.target];
        let message = message(drill, target, &alert, self.redactor);
        *self.outstanding.lock().expect("count") += 1;
        if let Err(TrySendError::Full(d) | TrySendError::Disconnected(d)) =
            self.tx.try_send(Delivery { alert, message })
        {
            *self.outstanding.lock().expect("count") -= 1;
            tracing::warn!(target = %target.name, "too many alerts queued: one dropped");
            let _ = self.engine.send(Input::Notified(Notified {
                about: about(&d.alert, target),
                attempt: 0,
                error: Some("dropped: too many alerts queued".into()),
                last: true,
            }));
        }
    }
}

fn send_with_retries(target: &Target, d: &Delivery, engine: &Sender<Input>) {
    let mut backoff = StdDuration::from_secs(1);
    for attempt in 1..=target.retries + 1 {
        let result = deliver(target, &d.message);
        let last = result.is_ok() || attempt == target.retries + 1;
        if let Err(e) = &result {
            tracing::warn!(target = %target.name, attempt, error = %e, "alert not delivered");
        }
        // The engine records it; after the end of the drill nobody listens.
        let _ = engine.send(Input::Notified(Notified {
            about: about(&d.alert, target),
            attempt,
            error: result.err(),
            last,
        }));
        if last {
            return;
        }
        std::thread::sleep(backoff);
        backoff = (backoff * 2).min(StdDuration::from_secs(60));
    }
}

impl Operator for Notifier {
    fn start(&mut self, answers: Sender<Input>) {
        let (tx, rx) = mpsc::sync_channel(EVENTS);
        let rules = self.rules.take().expect("started once");
        let owed = std::mem::take(&mut self.owed);
        let targets = Arc::clone(&self.targets);
        let redactor = self.redactor.clone();
        let engine = answers.clone();
        let outstanding = Arc::clone(&self.outstanding);
        self.worker = Some(std::thread::spawn(move || {
            worker(rules, owed, rx, targets, redactor, engine, outstanding)
        }));
        self.events = Some(tx);
        self.inner.start(answers);
    }

    fn ask(&mut self, question: &Question) {
        self.inner.ask(question);
    }

    fn retract(&mut self, step: StepIndex) {
        self.inner.retract(step);
    }

    fn event(&mut self, event: &Stamped) {
        if let Some(tx) = &self.events
            && let Err(TrySendError::Full(_)) = tx.try_send(event.clone())
        {
            tracing::warn!("alerts fell behind: an event was not looked at");
        }
        self.inner.event(event);
    }

    fn refused(&mut self, step: StepIndex, by: &Identity, refusal: &crate::exec::Refusal) {
        self.inner.refused(step, by, refusal);
    }

    fn finish(&mut self) {
        self.inner.finish();
        // Let the last alerts (the end of the drill) go out, for a while.
        self.events = None;
        let deadline = Instant::now() + FINISH_WAIT;
        if let Some(w) = self.worker.take() {
            while !w.is_finished() && Instant::now() < deadline {
                std::thread::sleep(StdDuration::from_millis(20));
            }
            if w.is_finished() {
                let _ = w.join();
            } else {
                let left = *self.outstanding.lock().expect("count");
                eprintln!("warning: {left} alert(s) still being sent when reprise stopped");
            }
        }
    }

    fn interrupted(&mut self) -> Interrupt {
        self.inner.interrupted()
    }

    fn late_inputs(&self) -> bool {
        true
    }
}

/// `reprise notify-test`: one test message through each target; which
/// worked.
pub fn test_all(targets: &[Target], drill: &str) -> Vec<(String, Result<(), String>)> {
    targets
        .iter()
        .map(|t| {
            let alert = Alert {
                kind: Kind::Test,
                target: 0,
                step: None,
                number: None,
                role: None,
                service: None,
                text: format!("test message from reprise for “{drill}”: alerts reach you"),
                time: Timestamp::now(),
            };
            let m = message(drill, t, &alert, &Redactor::default());
            (t.name.clone(), deliver(t, &m))
        })
        .collect()
}

/// What `alert` to `target` is about, as its records say it.
fn about(alert: &Alert, target: &Target) -> NotificationAbout {
    NotificationAbout {
        kind: alert.kind.name().to_string(),
        target: target.name.clone(),
        step: alert.step.clone(),
        service: alert.service.clone(),
    }
}
