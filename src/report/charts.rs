//! SVG charts of the HTML report, drawn with plotters' SVG backend.
//!
//! Every function returns one `<svg>` element (with `width`, `height` and `viewBox`, so CSS
//! `max-width:100%; height:auto` scales it) ready to be inlined into a self-contained page:
//! no XML declaration, no URL but the SVG namespace, no script. Output is deterministic.
//! Plotters escapes text and attribute values itself, so labels are handed over unescaped.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One named line or bar series; `values[i]` belongs to x-category i (turn i+1 for line charts).
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// The name shown in the legend.
    pub name: String,
    /// One value per category (or turn).
    pub values: Vec<f64>,
}

/// A network node: an asset of the infrastructure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// The asset's name, drawn under the node.
    pub label: String,
    /// Its sector (energy, water, health...).
    pub sector: String,
    /// Its final status.
    pub status: NodeStatus,
}

/// The final status of an asset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeStatus {
    /// Working normally.
    Operational,
    /// Working with reduced service.
    Degraded,
    /// Not working.
    Down,
}

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type DrawResult = Result<(), DrawingAreaErrorKind<std::io::Error>>;

const FONT: &str = "sans-serif";
const WIDTH: u32 = 640;
const HEIGHT: u32 = 300;
/// Okabe–Ito colours (yellow left out: too pale on white).
const PALETTE: [RGBColor; 7] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x00, 0x00),
];
const DARK: RGBColor = RGBColor(0x33, 0x33, 0x33);

fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Rough width in pixels of `text` at 12px (plotters' naive font does not measure either).
fn text_width(text: &str) -> u32 {
    u32::try_from(text.chars().count())
        .unwrap_or(u32::MAX / 8)
        .saturating_mul(7)
}

/// A text style; plotters writes `size / 1.24` as the SVG font-size (15 gives about 12px).
fn style(size: u32, h: HPos, v: VPos) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font()).pos(Pos::new(h, v))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Values are kept within ±`LIMIT`: plotters loops or overflows on spans near `f64::MAX`.
const LIMIT: f64 = 1e15;

/// A drawable value: finite ones, kept within ±`LIMIT`; NaN and infinities are left out.
fn tame(v: f64) -> Option<f64> {
    v.is_finite().then(|| v.clamp(-LIMIT, LIMIT))
}

/// The smallest of 1, 2, 2.5, 5 × 10^k that is ≥ `v` (1 for anything not positive and finite).
fn nice_ceil(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    let steps = [1.0, 2.0, 2.5, 5.0, 10.0].into_iter().map(|s| s * p);
    steps
        .filter(|x| x.is_finite())
        .find(|&x| x >= v)
        .unwrap_or(v)
}

/// An axis from `min` to `max` rounded outwards; 0 is always in it.
fn axis(min: f64, max: f64) -> (f64, f64) {
    let lo = if min < 0.0 { -nice_ceil(-min) } else { 0.0 };
    (
        lo,
        if max > 0.0 || lo == 0.0 {
            nice_ceil(max)
        } else {
            0.0
        },
    )
}

/// A value as a reader writes it: whole numbers with thousands separators
/// (`250,000`, `-40`), others with one decimal (`0.5`).
fn format_value(v: f64) -> String {
    if v.fract() == 0.0 {
        let sign = if v < 0.0 { "-" } else { "" };
        format!("{sign}{}", crate::network::thousands(v.abs() as u64))
    } else {
        format!("{v:.1}")
    }
}

/// A small SVG with a title and one line of text, for empty data and drawing failures.
fn message_svg(title: &str, message: &str) -> String {
    let (t, m) = (escape(title), escape(message));
    format!(
        "<svg width=\"{WIDTH}\" height=\"60\" viewBox=\"0 0 {WIDTH} 60\" \
         xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{t}\">\n\
         <text x=\"10\" y=\"22\" font-family=\"{FONT}\" font-size=\"15\" font-weight=\"bold\">{t}</text>\n\
         <text x=\"10\" y=\"46\" font-family=\"{FONT}\" font-size=\"13\">{m}</text>\n</svg>\n"
    )
}

/// Draws with `draw` on a `w`×`h` SVG; a failure becomes a "Chart unavailable" SVG.
fn render(title: &str, (w, h): (u32, u32), draw: impl FnOnce(&Area) -> DrawResult) -> String {
    let mut buf = String::new();
    let result = {
        let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE)
            .and_then(|()| draw(&root))
            .and_then(|()| root.present())
    };
    match result {
        Err(e) => message_svg(title, &format!("Chart unavailable: {e}")),
        Ok(()) => buf.replacen(
            "<svg ",
            &format!("<svg role=\"img\" aria-label=\"{}\" ", escape(title)),
            1,
        ),
    }
}

/// A vertical legend of `series` in `area` (none for a single series); `line`: line or box markers.
fn legend(area: &Area, series: &[Series], line: bool) -> DrawResult {
    for (i, s) in series.iter().enumerate().filter(|_| series.len() > 1) {
        let (c, y) = (colour(i), 40 + 20 * i32::try_from(i).unwrap_or(0));
        if line {
            area.draw(&PathElement::new(vec![(8, y), (28, y)], c.stroke_width(3)))?;
        } else {
            area.draw(&Rectangle::new([(12, y - 6), (24, y + 6)], c.filled()))?;
        }
        let ts = style(15, HPos::Left, VPos::Center);
        area.draw(&Text::new(s.name.as_str(), (34, y), ts))?;
    }
    Ok(())
}

fn legend_width(series: &[Series]) -> u32 {
    let widest = series.iter().map(|s| text_width(&s.name)).max();
    if series.len() > 1 {
        widest.unwrap_or(0) + 50
    } else {
        0
    }
}

/// A line chart over turns 1..=values.len(): x axis "Turn", integer ticks; y axis labelled `y_label`;
/// `y_range` fixes the y axis (e.g. `Some((0.0, 1.0))` for service, `Some((0.0, 100.0))` for tension),
/// `None` = from 0 (or below, for negative values) to a rounded-up maximum (at least 1).
/// A legend when there is more than one series; a distinct colour per series (Okabe–Ito palette,
/// cycling by index). With zero turns, returns a small SVG saying "No turns were played.".
pub fn line_chart(
    title: &str,
    y_label: &str,
    series: &[Series],
    y_range: Option<(f64, f64)>,
) -> String {
    let turns = series.iter().map(|s| s.values.len()).max().unwrap_or(0);
    if turns == 0 {
        return message_svg(title, "No turns were played.");
    }
    let all = || {
        series
            .iter()
            .flat_map(|s| s.values.iter().copied().filter_map(tame))
    };
    let (lo, hi) = match y_range {
        Some((lo, hi)) if -LIMIT <= lo && lo < hi && hi <= LIMIT => (lo, hi),
        _ => axis(all().fold(0.0, f64::min), all().fold(1.0, f64::max)),
    };
    let legend_w = legend_width(series);
    let w = WIDTH.max(440 + legend_w);
    render(title, (w, HEIGHT), |root| {
        let (plot, side) = root.split_horizontally(w - legend_w);
        let last = turns as f64 + 0.5;
        let mut chart = ChartBuilder::on(&plot)
            .caption(title, (FONT, 20))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(78)
            .build_cartesian_2d(0.5..last, lo..hi)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .x_labels(turns.min(12))
            .x_label_formatter(&|x| {
                if x.fract() == 0.0 {
                    format_value(*x)
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|y| format_value(*y))
            .x_desc("Turn")
            .y_desc(y_label)
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 15))
            .draw()?;
        for (i, s) in series.iter().enumerate() {
            let points: Vec<(f64, f64)> = (1..)
                .map(f64::from)
                .zip(s.values.iter().copied())
                .filter_map(|(x, v)| tame(v).map(|v| (x, v.clamp(lo, hi))))
                .collect();
            chart.draw_series(LineSeries::new(
                points.iter().copied(),
                colour(i).stroke_width(2),
            ))?;
            chart.draw_series(
                points
                    .iter()
                    .map(|&p| Circle::new(p, 3, colour(i).filled())),
            )?;
        }
        legend(&side, series, true)
    })
}

/// A grouped horizontal bar chart: one group per category (e.g. actor names, listed top to bottom,
/// with room for long names), one bar per series (e.g. "Raw" and "Weighted"), the value written at
/// the end of each bar. Values may be negative: a zero line is drawn and those bars go left.
/// A legend when there is more than one series.
pub fn bar_chart(title: &str, categories: &[String], series: &[Series]) -> String {
    if categories.is_empty() || series.is_empty() {
        return message_svg(title, "Nothing to chart.");
    }
    let value = |s: &Series, c: usize| s.values.get(c).copied().and_then(tame);
    let all = || {
        series
            .iter()
            .flat_map(|s| (0..categories.len()).filter_map(move |c| value(s, c)))
    };
    let (min, max) = (all().fold(0.0, f64::min), all().fold(0.0, f64::max));
    let (n, k) = (categories.len(), series.len());
    let label_w = categories
        .iter()
        .map(|c| text_width(c))
        .max()
        .unwrap_or(0)
        .max(40)
        + 16;
    let legend_w = legend_width(series);
    let w = WIDTH.max(label_w + 360 + legend_w);
    // Leave about 40px for the values written past the ends of the bars.
    let pad = (max - min) * 40.0 / f64::from(w - label_w - legend_w - 40);
    let (lo, hi) = axis(
        if min < 0.0 { min - pad } else { 0.0 },
        if max > 0.0 { max + pad } else { 0.0 },
    );
    let group_h = 10 + 16 * u32::try_from(k).unwrap_or(1);
    let h = HEIGHT.max(100 + group_h * u32::try_from(n).unwrap_or(1));
    render(title, (w, h), |root| {
        let (plot, side) = root.split_horizontally(w - legend_w);
        let mut chart = ChartBuilder::on(&plot)
            .caption(title, (FONT, 20))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(label_w)
            .build_cartesian_2d(lo..hi, 0.0..n as f64)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .y_labels(0)
            .x_labels(8)
            .x_label_formatter(&|v| format_value(*v))
            .label_style((FONT, 14))
            .draw()?;
        let bar_h = 0.8 / k as f64;
        for (j, s) in series.iter().enumerate() {
            let bars: Vec<(f64, f64, f64)> = (0..n)
                .filter_map(|c| value(s, c).map(|v| (v, (n - c) as f64 - 0.1 - bar_h * j as f64)))
                .map(|(v, top)| (v, top, top - bar_h))
                .collect();
            let rects = bars
                .iter()
                .map(|&(v, t, b)| Rectangle::new([(0.0, t), (v, b)], colour(j).filled()));
            chart.draw_series(rects)?;
            chart.draw_series(bars.iter().map(|&(v, t, b)| {
                let (h, dx) = if v < 0.0 {
                    (HPos::Right, -3)
                } else {
                    (HPos::Left, 3)
                };
                let ts = style(14, h, VPos::Center);
                EmptyElement::at((v, (t + b) / 2.0)) + Text::new(format_value(v), (dx, 0), ts)
            }))?;
        }
        let ts = style(15, HPos::Right, VPos::Center);
        for (c, name) in categories.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(lo, (n - c) as f64 - 0.5));
            root.draw(&Text::new(name.clone(), (x - 8, y), ts.clone()))?;
        }
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (0.0, n as f64)],
            DARK.stroke_width(2),
        )))?;
        legend(&side, series, false)
    })
}

const COL_W: i32 = 260;
const ROW_H: i32 = 112;
const RADIUS: i32 = 14;

fn status_style(status: NodeStatus) -> (RGBColor, &'static str) {
    match status {
        NodeStatus::Operational => (RGBColor(0x00, 0x9E, 0x73), "operational"),
        NodeStatus::Degraded => (RGBColor(0xE6, 0x9F, 0x00), "degraded"),
        NodeStatus::Down => (RGBColor(0xD5, 0x5E, 0x00), "DOWN"),
    }
}

/// The column of every node: the length of the longest dependency chain leading to it, capped so
/// that a cycle ends after `nodes.len()` rounds. Edges with unknown indices and self-loops are ignored.
fn columns(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut depth = vec![0; n];
    for _ in 0..n {
        let mut changed = false;
        for &(from, to) in edges.iter().filter(|&&(f, t)| f < n && t < n && f != t) {
            if depth[to] < depth[from] + 1 && depth[from] + 1 < n {
                depth[to] = depth[from] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // Only a cycle can leave empty columns: close them up.
    let mut used = depth.clone();
    used.sort_unstable();
    used.dedup();
    depth
        .iter()
        .map(|d| used.binary_search(d).unwrap_or(0))
        .collect()
}

/// A node's label in at most two lines of about 28 characters, the second
/// cut short with an ellipsis if the label is longer.
fn label_lines(label: &str) -> Vec<String> {
    const WIDTH: usize = 28;
    let mut lines: Vec<String> = Vec::new();
    for word in label.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= WIDTH => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    if lines.len() > 2 {
        lines.truncate(2);
        let second = &mut lines[1];
        let kept: String = second.chars().take(WIDTH - 1).collect();
        *second = format!("{kept}…");
    }
    lines
}

/// An arrow between two node centres, trimmed to the circles: a quadratic curve whose control
/// point lies `bend` pixels to the left of the middle of the chord (straight when `bend` is 0).
fn arrow(area: &Area, from: (i32, i32), to: (i32, i32), bend: f64) -> DrawResult {
    let f = |(x, y): (i32, i32)| (f64::from(x), f64::from(y));
    let px = |(x, y): (f64, f64)| (x.round() as i32, y.round() as i32);
    let unit = |(ax, ay): (f64, f64), (bx, by): (f64, f64)| {
        let len = (bx - ax).hypot(by - ay).max(1.0);
        ((bx - ax) / len, (by - ay) / len)
    };
    let (p0, p2) = (f(from), f(to));
    let (ux, uy) = unit(p0, p2);
    let c = (
        (p0.0 + p2.0) / 2.0 + uy * bend,
        (p0.1 + p2.1) / 2.0 - ux * bend,
    );
    let r = f64::from(RADIUS + 3);
    let ((sx, sy), (ex, ey)) = (unit(p0, c), unit(c, p2));
    let (start, tip) = (
        (p0.0 + sx * r, p0.1 + sy * r),
        (p2.0 - ex * r, p2.1 - ey * r),
    );
    let end = (tip.0 - ex * 8.0, tip.1 - ey * 8.0);
    let steps = if bend == 0.0 { 1 } else { 16 };
    let bezier =
        |t: f64, a: f64, b: f64, e: f64| (1.0 - t) * ((1.0 - t) * a + 2.0 * t * b) + t * t * e;
    let path = (0..=steps).map(|i| {
        let t = f64::from(i) / f64::from(steps);
        px((
            bezier(t, start.0, c.0, end.0),
            bezier(t, start.1, c.1, end.1),
        ))
    });
    area.draw(&PathElement::new(
        path.collect::<Vec<_>>(),
        DARK.stroke_width(2),
    ))?;
    let side = |s: f64| px((tip.0 - ex * 10.0 - ey * s, tip.1 - ey * 10.0 + ex * s));
    area.draw(&Polygon::new(
        vec![px(tip), side(5.0), side(-5.0)],
        DARK.filled(),
    ))
}

/// The infrastructure network: `edges` are (from, to) indices into `nodes`, meaning "`to` depends on
/// `from`", drawn as an arrow from supplier to dependant. Layered layout: a node's column is the length
/// of the longest dependency chain leading to it (sources in column 0), nodes within a column ordered
/// by index. Nodes are coloured by status and the status is also written under each label, with a
/// legend, so the chart reads in black and white. The canvas grows with the columns and rows.
pub fn network(nodes: &[Node], edges: &[(usize, usize)]) -> String {
    use NodeStatus::{Degraded, Down, Operational};
    const TITLE: &str = "Infrastructure network";
    if nodes.is_empty() {
        return message_svg(TITLE, "No assets.");
    }
    let cols = columns(nodes.len(), edges);
    let mut rows = vec![0; nodes.len()];
    let mut per_col = vec![0; nodes.len()];
    for (i, &c) in cols.iter().enumerate() {
        rows[i] = per_col[c];
        per_col[c] += 1;
    }
    let to_i32 = |v: usize| i32::try_from(v).unwrap_or(i32::MAX / (2 * COL_W));
    let n_cols = to_i32(cols.iter().max().map_or(1, |c| c + 1));
    let n_rows = to_i32(per_col.iter().copied().max().unwrap_or(1));
    let w = (n_cols * COL_W + 40).max(580);
    let h = n_rows * ROW_H + 70;
    let centre = |i: usize| {
        (
            20 + to_i32(cols[i]) * COL_W + COL_W / 2,
            20 + to_i32(rows[i]) * ROW_H + RADIUS,
        )
    };
    let size = (
        u32::try_from(w).unwrap_or(WIDTH),
        u32::try_from(h).unwrap_or(HEIGHT),
    );
    render(TITLE, size, |root| {
        for &(from, to) in edges
            .iter()
            .filter(|&&(f, t)| f < nodes.len() && t < nodes.len() && f != t)
        {
            // Arrows between neighbouring columns are straight; others arc over the nodes between.
            let bend = if cols[to] == cols[from] + 1 {
                0.0
            } else {
                50.0
            };
            arrow(root, centre(from), centre(to), bend)?;
        }
        let label = style(15, HPos::Center, VPos::Top);
        let small = style(14, HPos::Center, VPos::Top).color(&RGBColor(0x44, 0x44, 0x44));
        for (i, node) in nodes.iter().enumerate() {
            let (x, y) = centre(i);
            let (c, word) = status_style(node.status);
            let sub = format!("{} · {word}", node.sector);
            let lines = label_lines(&node.label);
            let below = y + RADIUS + 5 + 17 * to_i32(lines.len());
            // A pale backing keeps the labels legible where arrows cross them
            // (about 0.55 em per character of a sans-serif font).
            let chars = lines
                .iter()
                .map(|l| l.chars().count())
                .chain([sub.chars().count()])
                .max()
                .unwrap_or(0);
            let half = to_i32(chars * 15 * 55 / 200).min(COL_W / 2 - 4);
            root.draw(&Rectangle::new(
                [(x - half, y + RADIUS + 3), (x + half, below + 17)],
                WHITE.mix(0.85).filled(),
            ))?;
            root.draw(&Circle::new((x, y), RADIUS, c.filled()))?;
            root.draw(&Circle::new((x, y), RADIUS, BLACK.stroke_width(1)))?;
            for (k, line) in lines.into_iter().enumerate() {
                root.draw(&Text::new(
                    line,
                    (x, y + RADIUS + 5 + 17 * to_i32(k)),
                    label.clone(),
                ))?;
            }
            root.draw(&Text::new(sub, (x, below), small.clone()))?;
        }
        let y = h - 22;
        let left = style(15, HPos::Left, VPos::Center);
        for (k, status) in [Operational, Degraded, Down].into_iter().enumerate() {
            let (c, word) = status_style(status);
            let x = 28 + 110 * to_i32(k);
            root.draw(&Circle::new((x, y), 7, c.filled()))?;
            root.draw(&Text::new(word, (x + 12, y), left.clone()))?;
        }
        root.draw(&Text::new("arrow: supplier → dependant", (358, y), left))?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(name: &str, values: &[f64]) -> Series {
        Series {
            name: name.into(),
            values: values.to_vec(),
        }
    }

    fn node(label: &str, status: NodeStatus) -> Node {
        Node {
            label: label.into(),
            sector: "energy".into(),
            status,
        }
    }

    /// Tags balance (`<a>`…`</a>`, `<b/>`), no stray `<`/`>` in text, every `&` starts an entity.
    fn well_formed(svg: &str) -> bool {
        let mut stack = Vec::new();
        let mut rest = svg;
        while let Some(i) = rest.find('<') {
            let Some(j) = rest[i..].find('>') else {
                return false;
            };
            let tag = &rest[i + 1..i + j];
            if rest[..i].contains('>') || tag.contains('<') {
                return false;
            }
            if let Some(name) = tag.strip_prefix('/') {
                if stack.pop() != Some(name) {
                    return false;
                }
            } else if !tag.ends_with('/') {
                stack.push(tag.split_whitespace().next().unwrap_or(""));
            }
            rest = &rest[i + j + 1..];
        }
        let entities = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"];
        let amps_ok = svg
            .match_indices('&')
            .all(|(i, _)| entities.iter().any(|e| svg[i..].starts_with(e)));
        stack.is_empty() && !rest.contains('>') && amps_ok
    }

    /// The checks every chart must pass; `texts` must appear (escaped as given).
    fn check(svg: &str, texts: &[&str]) {
        let t = svg.trim();
        assert!(t.starts_with("<svg") && t.ends_with("</svg>"), "{svg}");
        assert!(well_formed(svg), "{svg}");
        assert!(svg.contains("viewBox=\"0 0 "));
        for text in texts {
            assert!(svg.contains(text), "{text} missing");
        }
        let rest = svg.replace("http://www.w3.org/2000/svg", "");
        for bad in [
            "http:",
            "https:",
            "xlink",
            "<script",
            "<?xml",
            "<!DOCTYPE",
            "<&>",
        ] {
            assert!(!rest.contains(bad), "{bad} in {svg}");
        }
    }

    fn attr(tag: &str, name: &str) -> f64 {
        let key = format!(" {name}=\"");
        let start = tag.find(&key).unwrap() + key.len();
        tag[start..].split('"').next().unwrap().parse().unwrap()
    }

    /// The x of the `<text>` whose content is `content`.
    fn text_x(svg: &str, content: &str) -> f64 {
        let end = svg.find(&format!(">\n{content}\n</text>")).unwrap();
        attr(&svg[svg[..end].rfind("<text").unwrap()..end], "x")
    }

    fn sample_line() -> String {
        let series = [
            s("Harbour Power Company", &[1.0, 0.5, 0.75]),
            s("Water <&> Co", &[1.0, 0.2, 0.9]),
        ];
        line_chart("Service <&> level", "Service", &series, Some((0.0, 1.0)))
    }

    fn sample_bars() -> String {
        let cats = [
            "CERT-Meridia".to_string(),
            "Harbour Power Company".into(),
            "A <&> B".into(),
        ];
        bar_chart(
            "Scores",
            &cats,
            &[
                s("Raw", &[3.0, -2.0, 1.0]),
                s("Weighted", &[6.0, -4.0, 1.5]),
            ],
        )
    }

    fn sample_network() -> String {
        let nodes = [
            node("Grid", NodeStatus::Down),
            node("Waterworks <&>", NodeStatus::Degraded),
            node("Hospital", NodeStatus::Operational),
        ];
        network(&nodes, &[(0, 1), (1, 2), (0, 2)])
    }

    #[test]
    fn charts_contain_their_labels_escaped_and_no_url() {
        let line = sample_line();
        check(
            &line,
            &[
                "Service &lt;&amp;&gt; level",
                "Harbour Power Company",
                "Water &lt;&amp;&gt; Co",
            ],
        );
        check(
            &line,
            &[">\nTurn\n<", ">\nService\n<", "font-family=\"sans-serif\""],
        );
        check(
            &sample_bars(),
            &[
                "Scores",
                "CERT-Meridia",
                "Harbour Power Company",
                "A &lt;&amp;&gt; B",
            ],
        );
        check(&sample_bars(), &[">\nRaw\n<", ">\nWeighted\n<"]);
        check(
            &sample_network(),
            &[
                "Grid",
                "Waterworks &lt;&amp;&gt;",
                "Hospital",
                "DOWN",
                "degraded",
            ],
        );
        check(
            &message_svg("a\"b", "Chart unavailable: x<y"),
            &["a&quot;b", "x&lt;y"],
        );
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(sample_line(), sample_line());
        assert_eq!(sample_bars(), sample_bars());
        assert_eq!(sample_network(), sample_network());
    }

    #[test]
    fn negative_bars_go_left_of_the_zero_line() {
        let svg = sample_bars();
        let zero = svg
            .split('<')
            .find(|t| t.starts_with("polyline") && t.contains("#333333"))
            .unwrap();
        let zero_x = zero
            .split("points=\"")
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap();
        let zero_x: f64 = zero_x.parse().unwrap();
        let bars: Vec<(f64, f64)> = svg
            .split('<')
            .filter(|t| t.starts_with("rect ") && t.contains("fill=\"#0072B2\""))
            .map(|t| (attr(t, "x"), attr(t, "x") + attr(t, "width")))
            .collect();
        assert!(
            bars.iter().any(|&(_, right)| right <= zero_x),
            "{bars:?} {zero_x}"
        );
        assert!(
            bars.iter().any(|&(left, _)| left >= zero_x),
            "{bars:?} {zero_x}"
        );
    }

    #[test]
    fn zero_turns_say_so() {
        for series in [vec![], vec![s("Tension", &[])]] {
            let svg = line_chart("Tension", "Tension", &series, None);
            check(&svg, &["Tension", "No turns were played."]);
        }
    }

    #[test]
    fn network_columns_follow_the_longest_chain() {
        let svg = sample_network();
        let (a, b, c) = (
            text_x(&svg, "Grid"),
            text_x(&svg, "Waterworks &lt;&amp;&gt;"),
            text_x(&svg, "Hospital"),
        );
        assert!(a < b && b < c, "{a} {b} {c}");
        let nodes = [
            node("a", NodeStatus::Operational),
            node("b", NodeStatus::Down),
        ];
        check(
            &network(&nodes, &[(0, 1), (1, 0), (1, 1), (0, 7)]),
            &["a", "b"],
        );
        check(&network(&[], &[]), &["No assets."]);
    }

    #[test]
    fn odd_values_do_not_panic() {
        let odd = [f64::NAN, f64::INFINITY, f64::MAX, -f64::MAX, 0.0];
        check(&line_chart("t", "y", &[s("a", &odd)], None), &["t"]);
        check(
            &line_chart("t", "y", &[s("a", &odd)], Some((1.0, 0.0))),
            &["t"],
        );
        check(&line_chart("t", "y", &[s("a", &[-3.0])], None), &["t"]);
        let cats: Vec<String> = (0..5).map(|i| i.to_string()).collect();
        check(&bar_chart("t", &cats, &[s("a", &odd), s("b", &[])]), &["t"]);
        check(&bar_chart("t", &cats, &[s("a", &[0.0; 5])]), &["t"]);
    }

    #[test]
    fn long_labels_take_two_lines_and_an_ellipsis() {
        assert_eq!(label_lines("Eastern substation"), ["Eastern substation"]);
        assert_eq!(
            label_lines("Kellport General radiology (CT, MRI, X-ray)"),
            ["Kellport General radiology", "(CT, MRI, X-ray)"]
        );
        assert_eq!(
            label_lines(
                "Kellport General energy centre (power plant, generators, building management)"
            ),
            ["Kellport General energy", "centre (power plant,…"]
        );
    }
}
