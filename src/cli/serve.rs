//! `reprise status JOURNAL --serve [ADDR]`: the wall screen's server.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

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
    if !addr.ip().is_loopback() && token.is_none() {
        eprintln!(
            "warning: serving {} on {addr}, reachable from the network without a token: \
             add --token, or put it behind the hospital's reverse proxy",
            journal.display()
        );
    }
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
    dashboard::serve(config, Arc::clone(&stop), |bound| {
        let suffix = token
            .as_ref()
            .map_or(String::new(), |t| format!("/?token={t}"));
        println!(
            "serving {} at http://{bound}{suffix} (Ctrl-C stops)",
            journal.display()
        );
    })
    .map_err(|e| super::Error::invalid(e).hint("choose another address with --serve ADDR"))?;
    let _ = stop.load(Ordering::Relaxed);
    eprintln!("stopped");
    Ok(crate::exit::SUCCESS)
}
