//! The frame every HTML page shopsim writes shares: the style sheet (one column that reads
//! from a phone's 390 px to a desktop, tables that turn into cards on a phone, charts in
//! a grid that open at full size), the page around a body, the figure of a chart, and the
//! typesetting of plain texts (the verdict's Markdown-style `code` spans become `<code>`).
//!
//! Everything here is built with maud, which escapes every interpolated text: a name from
//! a scenario file is shown as written, never read as HTML.

use base64::Engine;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::charts::{variant_colour, Rendered};

/// Widest viewport, in `em`, at which a `table.cards` is shown as one card per row (a
/// phone, a narrow window); wider, it is a table.
const CARDS_BELOW_EM: u32 = 58;

/// The page's style. A readable column with margins; wide tables scroll inside their box,
/// so the page itself never scrolls sideways. Long words wrap only where they would
/// overflow (`overflow-wrap: break-word`, never `anywhere`, which lets a table squeeze a
/// column to a few letters). `table.cards` rows become cards on narrow screens, labelled
/// from each cell's `data-label`. Charts sit in a grid (two columns where each is at
/// least 40em; a chart is at most 60em wide, so it fits a laptop's
/// screen whole) and open full size on a tap, by CSS `:target` alone (no script).
pub fn style() -> String {
    let cards = CARDS_BELOW_EM;
    format!(
        "*,*::before,*::after{{box-sizing:border-box}}\
body{{font-family:'DejaVu Sans',Verdana,sans-serif;margin:0 auto;padding:1em 1.25em 3em;max-width:96em;color:#222;line-height:1.45;-webkit-text-size-adjust:100%;text-size-adjust:100%}}\
h1{{font-size:clamp(1.3em,5.5vw,1.8em);margin:.4em 0 .5em;line-height:1.25}}\
h2{{margin-top:1.8em;border-bottom:1px solid #ccc}}h3{{margin:1.2em 0 .4em}}\
h1,h2,h3,p,li,td,th,summary{{overflow-wrap:break-word}}\
p,li,.answer,nav,details>p{{max-width:48em}}\
.answer{{background:#f4f7fb;border-left:4px solid #3465a4;padding:.8em 1.2em;margin:1.2em 0}}\
.answer .headline{{font-size:1.15em;font-weight:bold}}\
nav.toc{{font-size:.92em;color:#555}}nav.toc a{{margin-right:.9em;white-space:nowrap}}\
.scroll{{overflow-x:auto;max-width:100%}}\
table{{border-collapse:collapse;margin:1em 0;font-size:.92em}}\
th,td{{border:1px solid #ccc;padding:.3em .6em;text-align:right;vertical-align:top}}\
th{{background:#f2f2f2}}td.l,th.l{{text-align:left}}\
code{{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace,monospace;font-size:.9em;background:#f3f3f3;padding:0 .2em;border-radius:2px}}\
.nowrap{{white-space:nowrap}}\
.swatch{{display:inline-block;width:.9em;height:.9em;margin-right:.4em;vertical-align:middle}}\
.src{{color:#666;font-size:.8em}}.warn{{color:#a30}}.neg{{color:#b00}}.sub{{display:block;color:#555;font-size:.85em}}\
details{{margin:1em 0}}summary{{cursor:pointer;font-weight:bold;padding:.3em 0}}\
#verdict-table{{width:100%;font-size:.85em}}#verdict-table th{{font-size:.95em;font-weight:600}}#verdict-table th,#verdict-table td{{padding:.3em .4em}}\
#verdict-table td.profit,#verdict-table td.profit .sub{{white-space:nowrap}}\
@media (max-width:75em){{#verdict-table{{font-size:.8em}}#verdict-table td.profit .sub{{white-space:normal}}}}\
.params{{width:100%}}.params td.key{{min-width:15em}}.params .src{{overflow-wrap:anywhere}}.params td.key code{{background:none;padding:0}}\
.params td.unit{{min-width:5em}}.params tr.section th{{background:#fff;border:0;padding:1.2em 0 .2em;text-align:left}}\
.params tr.section h3{{margin:0}}\
.charts{{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,40em),1fr));gap:0 2em}}\
figure{{margin:1.2em 0;min-width:0;max-width:60em}}\
.chart{{display:block;position:relative}}\
.chart img,.chart svg{{display:block;width:100%;height:auto;border:1px solid #ddd}}\
.chart a.close{{display:none}}\
.chart:target{{position:fixed;top:0;left:0;right:0;bottom:0;z-index:10;margin:0;padding:2.6em .5em .5em;background:#fff;overflow:auto}}\
.chart:target img,.chart:target svg{{width:1280px;max-width:none;margin:0 auto}}\
.chart:target a.close{{display:block;position:fixed;top:.4em;right:.8em;font-weight:bold;background:#fff;padding:.2em .5em;border:1px solid #ccc}}\
figcaption{{color:#555;font-size:.95em}}\
@media (max-width:{cards}em){{\
body{{padding:.75em .9em 2em}}\
table.cards,table.cards tbody{{display:block;width:100%;border:0}}\
table.cards thead{{display:none}}\
table.cards tr{{display:grid;grid-template-columns:1fr 1fr;gap:.1em .8em;border:1px solid #ccc;border-radius:4px;margin:0 0 .8em;padding:.4em .6em}}\
table.cards td{{border:0;padding:.15em 0;text-align:left;min-width:0}}\
table.cards td[data-label]::before{{content:attr(data-label);display:block;color:#555;font-size:.82em;white-space:normal}}\
table.cards td.wide{{grid-column:1/-1}}\
table.cards tr.section{{border:0;padding:0;margin:1.2em 0 .2em}}table.cards tr.section th{{padding:0}}\
.params td.key,.params td.unit{{width:auto;min-width:0}}\
}}"
    )
}

/// The page around `body`: doctype, viewport for phones, title and style.
pub fn page(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(style())) }
            }
            body { (body) }
        }
    }
    .into_string()
}

/// A plain text typeset for the page: each `` `span` `` becomes `<code>span</code>`, the
/// rest stays text (maud escapes both). `names` are the names the text may quote (variants,
/// a study): a name holding a backtick is matched whole, so its quote is one code span;
/// a backtick that opens no span is shown as it is.
pub fn typeset(text: &str, names: &[&str]) -> Markup {
    let mut by_length: Vec<&str> = names.iter().copied().filter(|n| !n.is_empty()).collect();
    by_length.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let mut parts: Vec<(bool, &str)> = Vec::new();
    let mut plain_from = 0;
    let mut at = 0;
    while let Some(offset) = text[at..].find('`') {
        let open = at + offset;
        let rest = &text[open + 1..];
        // A quoted name first (longest first), then the text up to the next backtick.
        let span_len = by_length
            .iter()
            .find(|n| {
                rest.strip_prefix(**n)
                    .is_some_and(|after| after.starts_with('`'))
            })
            .map(|n| n.len())
            .or_else(|| rest.find('`').filter(|&len| len > 0));
        match span_len {
            Some(len) => {
                parts.push((false, &text[plain_from..open]));
                parts.push((true, &rest[..len]));
                plain_from = open + 1 + len + 1;
                at = plain_from;
            }
            None => at = open + 1,
        }
    }
    parts.push((false, &text[plain_from..]));
    html! {
        @for (code, part) in parts {
            @if code { code { (part) } } @else { (part) }
        }
    }
}

/// A name (`us_beauty_2026_routes`) that may wrap after its `_`, `.`, `-` and `/`, and
/// nowhere else: a title on a phone breaks between words, not inside one.
pub fn breakable(name: &str) -> Markup {
    let mut pieces: Vec<&str> = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices() {
        if "_.-/".contains(c) {
            pieces.push(&name[start..i + 1]);
            start = i + 1;
        }
    }
    pieces.push(&name[start..]);
    html! {
        @for (i, piece) in pieces.iter().enumerate() {
            @if i > 0 { wbr; }
            (piece)
        }
    }
}

/// A coloured square: the variant's colour in the charts.
pub fn swatch(i: usize) -> Markup {
    let c = variant_colour(i);
    html! { span class="swatch" style={ "background:rgb(" (c.0) "," (c.1) "," (c.2) ")" } {} }
}

/// A chart inline, with `caption` under it: the SVG itself when it was drawn (sharp at any
/// zoom), else the PNG as a data URL. A tap or click opens it at its full 1280 px (the
/// box becomes the `:target`, a panel over the page that scrolls); "close" goes back.
pub fn chart_figure(chart: &Rendered, caption: &str) -> Markup {
    let full = format!("{}-full", chart.stem);
    html! {
        figure id=(chart.stem) {
            div class="chart" id=(full) {
                a href={ "#" (full) } title="Open at full size" {
                    @if let Some(svg) = &chart.svg {
                        // Our own plotters output (its texts escaped by plotters), without
                        // the XML prolog; its viewBox lets CSS size it.
                        (PreEscaped(&svg[svg.find("<svg").unwrap_or(0)..]))
                    } @else if let Some(png) = &chart.png {
                        img alt=(chart.title) width="1280" height="800"
                            src={ "data:image/png;base64," (base64::engine::general_purpose::STANDARD.encode(png)) };
                    }
                }
                a class="close" href={ "#" (chart.stem) } { "close ×" }
            }
            figcaption { b { (chart.title) "." } " " (caption) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typeset_str(text: &str, names: &[&str]) -> String {
        typeset(text, names).into_string()
    }

    #[test]
    fn backtick_spans_become_code_and_everything_is_escaped() {
        assert_eq!(
            typeset_str(
                "`managed` is most likely the best option: 5 < 6 & more",
                &[]
            ),
            "<code>managed</code> is most likely the best option: 5 &lt; 6 &amp; more"
        );
        assert_eq!(
            typeset_str("Against `a`, `b` makes more", &["a", "b"]),
            "Against <code>a</code>, <code>b</code> makes more"
        );
        // A name holding HTML and a backtick: escaped, and quoted as one span.
        let evil = "<script>alert(`x`)</script>";
        assert_eq!(
            typeset_str(&format!("`{evil}` is most likely the best"), &[evil]),
            "<code>&lt;script&gt;alert(`x`)&lt;/script&gt;</code> is most likely the best"
        );
        // Without the name, still escaped: no tag can come out of a text.
        let unknown = typeset_str(&format!("`{evil}` wins"), &[]);
        assert!(!unknown.contains("<script"), "{unknown}");
        // A lone or empty backtick pair stays as written.
        assert_eq!(typeset_str("a ` b", &[]), "a ` b");
        assert_eq!(typeset_str("``", &[]), "``");
        assert_eq!(typeset_str("", &[]), "");
        assert_eq!(typeset_str("`x` and `y", &[]), "<code>x</code> and `y");
    }

    #[test]
    fn names_wrap_between_their_words_only() {
        assert_eq!(
            breakable("us_beauty_2026_routes").into_string(),
            "us_<wbr>beauty_<wbr>2026_<wbr>routes"
        );
        assert_eq!(breakable("plain").into_string(), "plain");
        assert_eq!(breakable("<b>_x").into_string(), "&lt;b&gt;_<wbr>x");
    }
}
