//! The report in a real browser: headless Chromium (Debian's `chromium` package) opens it at
//! a phone's width and a desktop's, takes a screenshot of each, and the page neither
//! scrolls sideways nor reports console errors.
//!
//! It needs Chromium, so it is marked ignored: `cargo test` lists it as ignored (visible in
//! the summary line) instead of passing without running. Run it with
//! `cargo test --test it browser:: -- --ignored`; `.ci/run` installs Chromium and does.

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

/// What the page looked like at one width.
struct Rendering {
    /// The page's scroll width and its viewport's width, in CSS pixels.
    scroll_width: u64,
    client_width: u64,
    /// Elements (outside the scrolling table boxes) wider than the viewport.
    too_wide: Vec<String>,
    screenshot: image::RgbImage,
    /// Chromium's console lines that report errors.
    console_problems: Vec<String>,
}

/// Opens `report` in an iframe `width` CSS pixels wide (headless Chromium will not make a
/// window narrower than 500 pixels; an iframe is a true viewport of its own), measures
/// horizontal overflow with a script in the wrapper page (the report itself has none), and
/// takes a screenshot.
fn render(browser: &std::path::Path, report: &std::path::Path, width: u32) -> Rendering {
    let dir = report.parent().unwrap();
    let wrapper = dir.join(format!("wrapper-{width}.html"));
    std::fs::write(
        &wrapper,
        format!(
            r#"<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="{name}" style="width:{width}px;height:1600px;border:0"></iframe>
<script>
const f = document.getElementById('f');
f.addEventListener('load', () => {{
  const d = f.contentDocument.documentElement;
  const wide = [...f.contentDocument.querySelectorAll('body *')]
    .filter(e => !(e.parentElement && e.parentElement.closest('.scroll')))
    .filter(e => e.getBoundingClientRect().right > d.clientWidth + 1 || e.scrollWidth > e.clientWidth + 1 && !e.classList.contains('scroll'))
    .map(e => e.tagName + (e.id ? '#' + e.id : ''));
  document.body.setAttribute('data-overflow', JSON.stringify({{scroll: d.scrollWidth, client: d.clientWidth, wide}}));
}});
</script></body></html>"#,
            name = report.file_name().unwrap().to_string_lossy()
        ),
    )
    .unwrap();
    let run = |extra: &[String]| {
        Process::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--allow-file-access-from-files",
                "--virtual-time-budget=5000",
                "--enable-logging=stderr",
                "--v=0",
            ])
            .arg(format!("--window-size={},1600", width.max(500)))
            .args(extra)
            .arg(format!("file://{}", wrapper.display()))
            .output()
            .expect("chromium starts")
    };
    let dom = run(&["--dump-dom".to_string()]);
    let text = String::from_utf8_lossy(&dom.stdout);
    let attr = text
        .split("data-overflow=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| {
            panic!(
                "the wrapper measured nothing; chromium said:\n{}",
                String::from_utf8_lossy(&dom.stderr)
            )
        })
        .replace("&quot;", "\"");
    let measured: serde_json::Value = serde_json::from_str(&attr).unwrap();
    let shot = dir.join(format!("shot-{width}.png"));
    let output = run(&[format!("--screenshot={}", shot.display())]);
    let log = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&dom.stderr);
    Rendering {
        scroll_width: measured["scroll"].as_u64().unwrap(),
        client_width: measured["client"].as_u64().unwrap(),
        too_wide: measured["wide"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect(),
        screenshot: image::open(&shot)
            .unwrap_or_else(|e| panic!("no screenshot ({e}); chromium said:\n{log}"))
            .to_rgb8(),
        console_problems: log
            .lines()
            .filter(|l| {
                (l.contains("CONSOLE") && (l.contains("ERROR") || l.contains("Uncaught")))
                    || l.contains("Failed to load resource")
                    || l.contains("net::ERR_")
            })
            .map(str::to_string)
            .collect(),
    }
}

#[test]
#[ignore = "needs Chromium: cargo test --test it browser:: -- --ignored"]
fn report_fits_a_phone_and_a_desktop_without_console_errors() {
    let browser = find_browser().expect("no chromium on PATH (apt-get install chromium)");
    let dir = TempDir::new().unwrap();
    Command::cargo_bin("shopsim")
        .unwrap()
        .args(["run", "--trials", "100", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let report = dir.path().join("us_beauty_2026_routes/report.html");
    for width in [360, 1280] {
        let r = render(&browser, &report, width);
        assert!(
            r.console_problems.is_empty(),
            "{width}px: console errors:\n{}",
            r.console_problems.join("\n")
        );
        assert!(
            r.scroll_width <= r.client_width && r.too_wide.is_empty(),
            "{width}px: the page scrolls sideways ({} px of content in {} px): {:?}",
            r.scroll_width,
            r.client_width,
            r.too_wide
        );
        assert_eq!(r.screenshot.width(), width.max(500));
        let colours: HashSet<[u8; 3]> = r.screenshot.pixels().map(|p| p.0).collect();
        assert!(
            colours.len() > 50,
            "{width}px: the page looks blank ({} colours)",
            colours.len()
        );
    }
}
