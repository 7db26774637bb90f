//! `report --format pdf`: the HTML report printed by a headless Chromium
//! found on the machine, with the report's own print stylesheet (A4, page
//! numbers, no row cut across pages).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Why no PDF was written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No Chromium on the machine.
    #[error("no headless browser to print the PDF: none of {0} was found on PATH")]
    NoBrowser(String),
    /// A temporary file could not be written.
    #[error("cannot prepare the page to print: {0}")]
    Io(#[from] std::io::Error),
    /// The browser failed or wrote nothing.
    #[error("{browser} did not print the PDF: {message}")]
    Failed {
        /// Which browser.
        browser: String,
        /// What went wrong.
        message: String,
    },
}

/// The browsers tried, in order (`REPRISE_CHROMIUM` first when set).
const BROWSERS: &[&str] = &["chromium", "chromium-browser", "google-chrome", "chrome"];

/// Finds a browser on PATH.
pub fn browser() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("REPRISE_CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| BROWSERS.iter().map(move |b| dir.join(b)))
        .find(|p| p.is_file())
}

/// Prints `html` to a PDF at `out`.
pub fn print(html: &str, out: &Path) -> Result<(), Error> {
    let browser = browser().ok_or_else(|| Error::NoBrowser(BROWSERS.join(", ")))?;
    let dir = tempfile::tempdir()?;
    let page = dir.path().join("report.html");
    std::fs::write(&page, html)?;
    let target = dir.path().join("report.pdf");
    let log = dir.path().join("browser.log");
    let mut child = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", target.display()))
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log)?)
        .spawn()
        .map_err(|e| Error::Failed {
            browser: browser.display().to_string(),
            message: e.to_string(),
        })?;
    // A browser that hangs must not hang reprise.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break s;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Error::Failed {
                browser: browser.display().to_string(),
                message: "no answer within 60 s".into(),
            });
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let written = std::fs::metadata(&target).map(|m| m.len()).unwrap_or(0);
    if !status.success() || written == 0 {
        let stderr = std::fs::read_to_string(&log).unwrap_or_default();
        return Err(Error::Failed {
            browser: browser.display().to_string(),
            message: format!("{status}; {}", stderr.lines().last().unwrap_or("no output")),
        });
    }
    std::fs::copy(&target, out).map(|_| ())?;
    Ok(())
}
