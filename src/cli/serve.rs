//! `reprise status JOURNAL --serve [ADDR]`: the wall screen's server.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use fluent_templates::fluent_bundle::FluentValue;

use crate::dashboard::{self, Config};
use crate::i18n::msg;

pub fn run(
    journal: &Path,
    addr: &str,
    token: Option<&str>,
    lang: Option<crate::i18n::Lang>,
) -> super::Result {
    let addr: SocketAddr = addr.parse().map_err(|_| {
        super::Error::said(msg!("serve-bad-address", addr = addr))
            .hint_said(msg!("serve-bad-address-hint"))
    })?;
    let token = token.map(|t| {
        if t.is_empty() {
            let mut bytes = [0u8; 16];
            // /dev/urandom: a token nobody can guess, without another crate.
            let _ = std::fs::File::open("/dev/urandom")
                .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes));
            hex::encode(bytes)
        } else {
            t.to_string()
        }
    });
    let shown = || FluentValue::from(journal.display().to_string());
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .map_err(|e| super::Error::said(msg!("serve-no-signal-handler", why = e)))?;
    }
    let config = Config {
        journal: journal.to_path_buf(),
        addr,
        token: token.clone(),
        lang,
    };
    // Said in the screen's language, known once the journal is read.
    let mut said_in = None;
    dashboard::serve(config, Arc::clone(&stop), |bound, lang| {
        said_in = Some(lang);
        if !addr.ip().is_loopback() && token.is_none() {
            let open = lang.tr_args(
                "serve-open",
                &[
                    ("journal", shown()),
                    ("addr", FluentValue::from(addr.to_string())),
                ],
            );
            super::show_err(&super::words::line(lang, "warning-line", &open));
        }
        let suffix = token
            .as_ref()
            .map_or(String::new(), |t| format!("/?token={t}"));
        println!(
            "{}",
            lang.tr_args(
                "serve-listening",
                &[
                    ("journal", shown()),
                    ("url", FluentValue::from(format!("http://{bound}{suffix}"))),
                ],
            )
        );
    })
    .map_err(|e| {
        let hint = msg!("serve-cannot-listen-hint");
        match e {
            dashboard::Error::Bind { addr, message } => {
                super::Error::said(msg!("serve-cannot-listen", addr = addr, why = message))
            }
            dashboard::Error::NotStarted(journal) => {
                super::Error::said(msg!("serve-not-a-journal", journal = journal))
            }
            other => super::Error::invalid(other),
        }
        .hint_said(hint)
    })?;
    let _ = stop.load(Ordering::Relaxed);
    eprintln!("{}", said_in.unwrap_or_default().tr("serve-stopped"));
    Ok(crate::exit::SUCCESS)
}
