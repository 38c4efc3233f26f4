//! The report in a real browser: headless Chromium (Debian's `chromium` package) opens it at
//! a phone's widths and a desktop's, measures its layout and takes a screenshot of each.
//! On a phone (360 and 390 px) the page never scrolls sideways, every variant's mean profit
//! is inside the screen (the verdict is a card per variant), every chart fits the screen
//! and is at least 300 px wide, and the title breaks between words only. On a desktop
//! (1024 and 1280 px) the verdict table shows every column without scrolling, the
//! parameter keys are not squeezed, and at 1280 px the page is shorter than
//! [`DESKTOP_HEIGHT_BOUND`]. No width reports a console error. An analysis's page (a
//! sweep of six option × world variants, a sensitivity, a fit) passes the same checks at
//! 390 and 1280 px: no sideways scroll, no cell out of its card, no card table scrolling
//! on a phone, every chart inside the screen (at least 300 px wide on a phone, 900 px on
//! a desktop).
//!
//! It needs Chromium, so it is marked ignored: `cargo test` lists it as ignored (visible in
//! the summary line) instead of passing without running. Run it with
//! `cargo test --test it browser:: -- --ignored`; `.ci/run` installs Chromium and does.
//! The screenshots stay in `target/tmp/report-screenshots/` to be looked at.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The built-in report's height at 1280 px must stay below this. Measured at 100 trials:
/// 8,500 px (the top with the answer and the warning about labels ~900, the verdict ~700,
/// eight charts 60em wide ~5,600, the comparisons ~700, events, the folded parameters and
/// how to reproduce ~500), against 24,900 px before the parameters were folded and grouped
/// (the review measured 19,500 with fewer parameters). The bound leaves 1,500 px for a
/// longer answer or another section; the charts are the bulk, kept at a size whose labels
/// read on a laptop (two columns only where each is at least 40em wide).
const DESKTOP_HEIGHT_BOUND: f64 = 10_000.0;

/// Widths in CSS pixels: two phones (360 px Android, 390 px iPhone), a small laptop, a desktop.
const PHONES: [u32; 2] = [360, 390];
const DESKTOPS: [u32; 2] = [1024, 1280];

fn find_browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser", "google-chrome"].map(|b| dir.join(b)))
        .find(|p| p.is_file())
}

/// What the page looked like at one width: the wrapper script's measurements, a
/// screenshot, and Chromium's console lines that report errors.
struct Rendering {
    measured: Value,
    screenshot: image::RgbImage,
    console_problems: Vec<String>,
}

impl Rendering {
    fn num(&self, key: &str) -> f64 {
        self.measured[key]
            .as_f64()
            .unwrap_or_else(|| panic!("no number `{key}` in {}", self.measured))
    }
    fn list(&self, key: &str) -> &Vec<Value> {
        self.measured[key]
            .as_array()
            .unwrap_or_else(|| panic!("no list `{key}` in {}", self.measured))
    }
}

/// The measuring script, run by the wrapper page once the report has loaded in its
/// iframe. Boxes are CSS pixels relative to the report's viewport. It measures the page
/// as it opens (folded sections closed), then opens every `<details>` and measures again
/// what is inside them.
const MEASURE: &str = r#"
const f = document.getElementById('f');
f.addEventListener('load', () => {
  const doc = f.contentDocument, d = doc.documentElement, W = d.clientWidth;
  const box = e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, width: r.width, height: r.height}; };
  const label = e => e.tagName + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ').join('.') : '');
  // Elements wider than the viewport, outside the boxes that scroll on their own.
  const tooWide = () => [...doc.querySelectorAll('body *')]
    .filter(e => !(e.parentElement && e.parentElement.closest('.scroll')))
    .filter(e => e.getBoundingClientRect().right > W + 1 || e.scrollWidth > e.clientWidth + 1 && !e.classList.contains('scroll'))
    .map(label);
  // Runs of letters and digits a line break cuts in two.
  const broken = root => {
    const out = [];
    const walk = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n; (n = walk.nextNode());) {
      for (const m of n.data.matchAll(/[A-Za-z0-9]+/g)) {
        const r = doc.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
        if (r.getClientRects().length > 1) out.push(m[0]);
      }
    }
    return out;
  };
  // A run's report has a verdict table; an analysis page has none.
  const verdict = doc.getElementById('verdict-table');
  const verdictBox = verdict && (verdict.closest('.scroll') || verdict);
  const out = {
    client: W, scroll: d.scrollWidth, height: d.scrollHeight, tooWide: tooWide(),
    verdictScroll: verdictBox && verdictBox.scrollWidth, verdictClient: verdictBox && verdictBox.clientWidth,
    verdictBox: verdictBox && box(verdictBox),
    profits: verdict ? [...verdict.querySelectorAll('tbody tr')].map(tr => {
      const c = tr.querySelector('td.profit');
      return c ? Object.assign(box(c), {text: c.textContent.trim()}) : null;
    }) : [],
    // Tables shown as cards: does any scroll sideways inside its box?
    cardScroll: [...doc.querySelectorAll('table.cards')].map(t => {
      const b = t.closest('.scroll') || t;
      return {id: t.id || t.className, scroll: b.scrollWidth, client: b.clientWidth};
    }),
    charts: [...doc.querySelectorAll('figure .chart > a > img, figure .chart > a > svg')]
      .map(e => Object.assign(box(e), {id: e.closest('figure').id})),
    brokenTitle: broken(doc.querySelector('h1')),
  };
  doc.querySelectorAll('details').forEach(x => x.open = true);
  out.openScroll = d.scrollWidth;
  out.openTooWide = tooWide();
  // Cells of a table shown as cards that spill out of their card.
  out.cardOverflow = [...doc.querySelectorAll('table.cards td')]
    .filter(td => td.scrollWidth > td.clientWidth + 1 || td.getBoundingClientRect().right > td.closest('tr').getBoundingClientRect().right + 1)
    .map(td => td.closest('table').id + ': ' + (td.getAttribute('data-label') || td.textContent.trim().slice(0, 40)));
  out.keyWidths = [...doc.querySelectorAll('#parameter-table td.key')].map(e => box(e).width);
  out.brokenKeys = [...doc.querySelectorAll('#parameter-table td.key')].flatMap(broken);
  document.body.setAttribute('data-measured', JSON.stringify(out));
});
"#;

/// Opens `report` in an iframe `width` CSS pixels wide (headless Chromium will not make a
/// window narrower than 500 pixels; an iframe is a true viewport of its own), measures its
/// layout with a script in the wrapper page (the report itself has none), and takes a
/// screenshot into `shots`.
fn render(browser: &Path, report: &Path, width: u32, shots: &Path) -> Rendering {
    let dir = report.parent().unwrap();
    let wrapper = dir.join(format!("wrapper-{width}.html"));
    std::fs::write(
        &wrapper,
        format!(
            r#"<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="{name}" style="width:{width}px;height:1600px;border:0"></iframe>
<script>{MEASURE}</script></body></html>"#,
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
        .split("data-measured=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| {
            panic!(
                "the wrapper measured nothing; chromium said:\n{}",
                String::from_utf8_lossy(&dom.stderr)
            )
        })
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    let measured: Value = serde_json::from_str(&attr).unwrap();
    // Named after the page's folder: every page is a `report.html`.
    let stem = dir.file_name().unwrap().to_string_lossy();
    let shot = shots.join(format!("{stem}-{width}.png"));
    let output = run(&[format!("--screenshot={}", shot.display())]);
    let log = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&dom.stderr);
    Rendering {
        measured,
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

/// What holds at every width: no console error, no sideways scroll (folded sections
/// closed or open), a title broken between words only, parameter keys whole, a page that
/// is not blank.
fn check_every_width(width: u32, r: &Rendering) {
    assert!(
        r.console_problems.is_empty(),
        "{width}px: console errors:\n{}",
        r.console_problems.join("\n")
    );
    for (scroll, wide) in [("scroll", "tooWide"), ("openScroll", "openTooWide")] {
        assert!(
            r.num(scroll) <= r.num("client") && r.list(wide).is_empty(),
            "{width}px: the page scrolls sideways ({} px of content in {} px): {:?}",
            r.num(scroll),
            r.num("client"),
            r.list(wide)
        );
    }
    assert!(
        r.list("brokenTitle").is_empty(),
        "{width}px: the title breaks inside {:?}",
        r.list("brokenTitle")
    );
    assert!(
        r.list("brokenKeys").is_empty(),
        "{width}px: parameter keys break inside {:?}",
        r.list("brokenKeys")
    );
    assert_eq!(r.screenshot.width(), width.max(500));
    let colours: HashSet<[u8; 3]> = r.screenshot.pixels().map(|p| p.0).collect();
    assert!(
        colours.len() > 50,
        "{width}px: the page looks blank ({} colours)",
        colours.len()
    );
}

#[test]
#[ignore = "needs Chromium: cargo test --test it browser:: -- --ignored"]
fn report_reads_on_a_phone_and_a_desktop_without_console_errors() {
    let browser = find_browser().expect("no chromium on PATH (apt-get install chromium)");
    let dir = TempDir::new().unwrap();
    Command::cargo_bin("shopsim")
        .unwrap()
        .args(["run", "--trials", "100", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let report = dir.path().join("us_beauty_2026_routes/report.html");
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    const VARIANTS: usize = 4;
    const CHARTS: usize = 8;

    for width in PHONES {
        let r = render(&browser, &report, width, &shots);
        check_every_width(width, &r);
        let client = r.num("client");
        // A card holds its cells (folded sections open).
        assert!(
            r.list("cardOverflow").is_empty(),
            "{width}px: cells spill out of their card: {:?}",
            r.list("cardOverflow")
        );
        // Every variant's mean profit, with its interval, inside the screen.
        let profits = r.list("profits");
        assert_eq!(profits.len(), VARIANTS, "{width}px: {profits:?}");
        for p in profits {
            let edge = |key: &str, missing: f64| p[key].as_f64().unwrap_or(missing);
            let visible_right = client.min(r.measured["verdictBox"]["right"].as_f64().unwrap());
            assert!(
                edge("width", 0.0) > 0.0
                    && edge("left", -1.0) >= 0.0
                    && edge("right", f64::MAX) <= visible_right + 1.0,
                "{width}px: a mean profit is off the screen ({client} px): {p}"
            );
            assert!(
                p["text"].as_str().unwrap().contains('['),
                "{width}px: the profit's interval is missing: {p}"
            );
        }
        // Every chart fits the screen and is not a thumbnail.
        let charts = r.list("charts");
        assert_eq!(charts.len(), CHARTS, "{width}px");
        for c in charts {
            let (left, right, w) = (
                c["left"].as_f64().unwrap(),
                c["right"].as_f64().unwrap(),
                c["width"].as_f64().unwrap(),
            );
            assert!(
                left >= 0.0 && right <= client + 1.0 && w >= 300.0,
                "{width}px: chart {} is {w:.0} px wide at {left:.0}-{right:.0} in {client} px",
                c["id"]
            );
        }
        println!(
            "{width}px: page {:.0} px tall; mean profits at {:?}; charts {:.0} px wide",
            r.num("height"),
            profits
                .iter()
                .map(|p| format!(
                    "{:.0}-{:.0}",
                    p["left"].as_f64().unwrap(),
                    p["right"].as_f64().unwrap()
                ))
                .collect::<Vec<_>>(),
            charts[0]["width"].as_f64().unwrap()
        );
    }

    for width in DESKTOPS {
        let r = render(&browser, &report, width, &shots);
        check_every_width(width, &r);
        // The verdict table shows all its columns: its box does not scroll.
        assert!(
            r.num("verdictScroll") <= r.num("verdictClient") + 1.0,
            "{width}px: the verdict table scrolls ({} px in a {} px box)",
            r.num("verdictScroll"),
            r.num("verdictClient")
        );
        // Parameter keys keep a readable column (the review found five letters a line).
        let keys = r.list("keyWidths");
        assert_eq!(keys.len(), shopsim::params::COUNT, "{width}px");
        let narrowest = keys
            .iter()
            .filter_map(Value::as_f64)
            .fold(f64::MAX, f64::min);
        assert!(
            narrowest >= 200.0,
            "{width}px: a parameter key column is only {narrowest:.0} px wide"
        );
        println!(
            "{width}px: page {:.0} px tall; verdict table {:.0} px in {:.0} px; keys at least {narrowest:.0} px wide",
            r.num("height"),
            r.num("verdictScroll"),
            r.num("verdictClient")
        );
        if width == 1280 {
            // Charts at a size whose labels read on a laptop.
            for c in r.list("charts") {
                let w = c["width"].as_f64().unwrap();
                assert!(
                    w >= 900.0,
                    "1280px: chart {} is only {w:.0} px wide",
                    c["id"]
                );
            }
            assert!(
                r.num("height") < DESKTOP_HEIGHT_BOUND,
                "1280px: the page is {:.0} px tall (bound {DESKTOP_HEIGHT_BOUND})",
                r.num("height")
            );
        }
    }
    println!("screenshots in {}", shots.display());
}

/// Every chart of a page at `width` fits the screen and is at least `min` px wide.
fn check_charts(width: u32, r: &Rendering, count: usize, min: f64) {
    let client = r.num("client");
    let charts = r.list("charts");
    assert_eq!(charts.len(), count, "{width}px");
    for c in charts {
        let (left, right, w) = (
            c["left"].as_f64().unwrap(),
            c["right"].as_f64().unwrap(),
            c["width"].as_f64().unwrap(),
        );
        assert!(
            left >= 0.0 && right <= client + 1.0 && w >= min,
            "{width}px: chart {} is {w:.0} px wide at {left:.0}-{right:.0} in {client} px",
            c["id"]
        );
    }
}

#[test]
#[ignore = "needs Chromium: cargo test --test it browser:: -- --ignored"]
fn analysis_pages_read_on_a_phone_and_a_desktop_without_console_errors() {
    let browser = find_browser().expect("no chromium on PATH (apt-get install chromium)");
    let dir = TempDir::new().unwrap();
    let shopsim = |args: &[&str]| {
        Command::cargo_bin("shopsim")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(args)
            .arg("--out")
            .arg(dir.path())
            .assert()
            .success();
    };
    // The widest table: six option × world variants at every point of a sweep.
    shopsim(&[
        "sweep",
        "scenarios/us_tariff_shock.toml",
        "--range",
        "logistics.cost_per_order=0:6:3",
        "--trials",
        "100",
    ]);
    // The longest keys: a sensitivity's inputs and Sobol tables.
    shopsim(&[
        "sensitivity",
        "scenarios/small_seller.toml",
        "--trials",
        "100",
        "--sobol",
        "50",
    ]);
    // The most estimates: a fit of the synthetic shop's orders and returns.
    shopsim(&[
        "fit",
        "examples/synthetic-shop/orders.csv",
        "--returns",
        "examples/synthetic-shop/returns.csv",
        "--name",
        "synthetic_shop",
    ]);
    let pages = [
        ("us_tariff_shock-sweep", 2),
        ("small_seller-sensitivity", 4),
        ("synthetic_shop-fit", 4),
    ];
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for (folder, charts) in pages {
        let report = dir.path().join(folder).join("report.html");
        for width in [390, 1280] {
            let r = render(&browser, &report, width, &shots);
            check_every_width(width, &r);
            // No card spills its cells, and no table shown as cards scrolls on a phone.
            assert!(
                r.list("cardOverflow").is_empty(),
                "{folder} {width}px: cells spill out of their card: {:?}",
                r.list("cardOverflow")
            );
            if width == 390 {
                for t in r.list("cardScroll") {
                    assert!(
                        t["scroll"].as_f64().unwrap() <= t["client"].as_f64().unwrap() + 1.0,
                        "{folder} 390px: a card table scrolls sideways: {t}"
                    );
                }
            }
            check_charts(width, &r, charts, if width == 390 { 300.0 } else { 900.0 });
            println!(
                "{folder} {width}px: page {:.0} px tall; charts {:.0} px wide",
                r.num("height"),
                r.list("charts")[0]["width"].as_f64().unwrap()
            );
        }
    }
    println!("screenshots in {}", shots.display());
}
