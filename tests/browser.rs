//! The report in a real browser: headless Chromium (Debian's `chromium` package) opens it,
//! takes a screenshot and reports no console errors.
//!
//! It needs Chromium, so it is marked ignored: `cargo test` lists it as ignored (visible in
//! the summary line) instead of passing without running. Run it with
//! `cargo test --test browser -- --ignored`; `.ci/run` installs Chromium and does.

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::Command as Process;

use assert_cmd::Command;
use tempfile::TempDir;

fn find_browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser", "google-chrome"].map(|b| dir.join(b)))
        .find(|p| p.is_file())
}

#[test]
#[ignore = "needs Chromium: cargo test --test browser -- --ignored"]
fn report_renders_in_headless_chromium_without_console_errors() {
    let browser = find_browser().expect("no chromium on PATH (apt-get install chromium)");
    let dir = TempDir::new().unwrap();
    Command::cargo_bin("shopsim")
        .unwrap()
        .args(["run", "--trials", "100", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let report = dir.path().join("us_beauty_black_friday/report.html");
    let shot = dir.path().join("shot.png");
    let output = Process::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=1280,2400",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", report.display()))
        .output()
        .expect("chromium starts");
    let log = String::from_utf8_lossy(&output.stderr);
    let console_problems: Vec<&str> = log
        .lines()
        .filter(|l| {
            (l.contains("CONSOLE") && (l.contains("ERROR") || l.contains("Uncaught")))
                || l.contains("Failed to load resource")
                || l.contains("net::ERR_")
        })
        .collect();
    assert!(
        console_problems.is_empty(),
        "console errors:\n{}",
        console_problems.join("\n")
    );
    let img = image::open(&shot)
        .unwrap_or_else(|e| panic!("no screenshot ({e}); chromium said:\n{log}"))
        .to_rgb8();
    assert_eq!(img.width(), 1280);
    let colours: HashSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    assert!(
        colours.len() > 50,
        "the page looks blank ({} colours)",
        colours.len()
    );
}
