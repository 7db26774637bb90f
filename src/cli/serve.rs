//! `reprise status JOURNAL --serve [ADDR]`: the wall screen's server.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use fluent_templates::fluent_bundle::FluentValue;

use crate::dashboard::{self, Config};

pub fn run(
    journal: &Path,
    addr: &str,
    token: Option<&str>,
    lang: Option<crate::i18n::Lang>,
) -> super::Result {
    let addr: SocketAddr = addr.parse().map_err(|_| {
        super::Error::invalid(format!("`{addr}` is not an address to listen on"))
            .hint("write it as IP:PORT, e.g. 127.0.0.1:8080 or 0.0.0.0:8080")
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
        signal_hook::flag::register(signal, Arc::clone(&stop)).map_err(|e| {
            super::Error::invalid(format!("cannot install the Ctrl-C handler: {e}"))
        })?;
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
    .map_err(|e| super::Error::invalid(e).hint("choose another address with --serve ADDR"))?;
    let _ = stop.load(Ordering::Relaxed);
    eprintln!("{}", said_in.unwrap_or_default().tr("serve-stopped"));
    Ok(crate::exit::SUCCESS)
}
