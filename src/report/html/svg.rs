//! The report's charts as inline SVG: the incident timeline (one lane per secret, one mark per
//! column of time coloured by status class), a secret's uses over time (stacked bars), its
//! requests by client (bars) and its requests over time by client (a row of bars per client).
//!
//! Charts take prepared columns (see [`super::layout`]) and already escaped labels; colours come
//! from CSS classes (`k2xx`, …) so that the page's stylesheet picks them for light, dark and
//! print. Every chart carries a `<title>` and a `<desc>`; every mark a `<title>` with its counts.

use std::fmt::Write as _;

use super::layout::{leading_class, Axis};
use crate::summary::{hour_text, ClassCounts, StatusClass};

/// One lane of the timeline.
pub struct Lane {
    /// The lane's label, HTML-escaped.
    pub label: String,
    /// Uses per column of the axis.
    pub columns: Vec<ClassCounts>,
}

/// Width of the lane labels.
const LABEL_WIDTH: usize = 190;
/// Height of a lane.
const LANE_HEIGHT: usize = 16;
/// Height of the time axis above the lanes.
const AXIS_HEIGHT: usize = 22;
/// Width of the plotting area.
const PLOT_WIDTH: usize = 760;

/// The CSS class of a status class's colour.
pub fn class_css(class: StatusClass) -> &'static str {
    match class {
        StatusClass::Success => "k2xx",
        StatusClass::Redirect => "k3xx",
        StatusClass::ClientError => "k4xx",
        StatusClass::ServerError => "k5xx",
        StatusClass::None => "knone",
    }
}

/// `12 2xx, 3 4xx` for a mark's title.
pub fn counts_text(counts: &ClassCounts) -> String {
    let parts: Vec<String> = StatusClass::ALL
        .into_iter()
        .zip(counts)
        .filter(|(_, &n)| n > 0)
        .map(|(c, n)| format!("{n} {}", c.as_str()))
        .collect();
    parts.join(", ")
}

/// The label of the column starting at `hour`: the date and hour, without seconds.
pub fn column_label(hour: i64) -> String {
    let text = hour_text(hour);
    // `2025-11-27T10:00:00Z` → `2025-11-27 10:00Z`
    match (text.get(..10), text.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time}Z"),
        _ => text,
    }
}

/// Column width in pixels for `bins` columns.
fn cell_width(bins: usize) -> f64 {
    (PLOT_WIDTH as f64 / bins.max(1) as f64).max(2.0)
}

/// The opening of a chart: its `<svg>` tag, `<title>` and `<desc>`; `id` names the title and
/// description for `aria-labelledby`.
fn open_chart(
    class: &str,
    id: &str,
    title: &str,
    desc: &str,
    width: usize,
    height: usize,
) -> String {
    format!(
        r#"<svg class="chart {class}" role="img" aria-labelledby="{id}-t {id}-d" viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>"#
    )
}

/// Ticks along the top of a chart whose columns are `cell` wide from `x0`: about `labels`
/// labelled columns, each tick line reaching down to `height`.
fn write_ticks(svg: &mut String, axis: &Axis, x0: usize, cell: f64, labels: usize, height: usize) {
    let step = axis.bins.div_ceil(labels.max(1)).max(1);
    for i in (0..axis.bins).step_by(step) {
        let x = x0 as f64 + i as f64 * cell;
        let _ = write!(
            svg,
            r#"<line class="tick" x1="{x:.1}" y1="{y1}" x2="{x:.1}" y2="{height}"/><text class="axis" x="{x:.1}" y="12">{}</text>"#,
            column_label(axis.hour_of_bin(i)),
            y1 = AXIS_HEIGHT - 6,
        );
    }
}

/// The incident timeline: `id` names its title and description for `aria-labelledby`.
pub fn timeline(id: &str, title: &str, desc: &str, axis: &Axis, lanes: &[Lane]) -> String {
    let cell = cell_width(axis.bins);
    let width = LABEL_WIDTH + (cell * axis.bins as f64).ceil() as usize + 10;
    let height = AXIS_HEIGHT + LANE_HEIGHT * lanes.len().max(1) + 4;
    let mut svg = open_chart("timeline", id, title, desc, width, height);
    svg.reserve(lanes.len() * axis.bins * 40);
    write_ticks(&mut svg, axis, LABEL_WIDTH, cell, 6, height);
    for (row, lane) in lanes.iter().enumerate() {
        let y = AXIS_HEIGHT + row * LANE_HEIGHT;
        let _ = write!(
            svg,
            r#"<text class="lane" x="{x}" y="{ty}" text-anchor="end">{label}</text><line class="lanerule" x1="{LABEL_WIDTH}" y1="{ly}" x2="{width}" y2="{ly}"/>"#,
            x = LABEL_WIDTH - 6,
            ty = y + LANE_HEIGHT - 4,
            label = lane.label,
            ly = y + LANE_HEIGHT,
        );
        let peak = lane
            .columns
            .iter()
            .map(|c| c.iter().sum::<u64>())
            .max()
            .unwrap_or(0)
            .max(1);
        for (i, counts) in lane.columns.iter().enumerate() {
            let Some(class) = leading_class(counts) else {
                continue;
            };
            let total: u64 = counts.iter().sum();
            // Darker for busier columns, never fainter than 40 %.
            let opacity = 0.4 + 0.6 * ((total as f64).ln_1p() / (peak as f64).ln_1p());
            let _ = write!(
                svg,
                r#"<rect class="mark {css}" x="{x:.1}" y="{y}" width="{w:.1}" height="{h}" fill-opacity="{opacity:.2}"><title>{label}: {when}: {counts}</title></rect>"#,
                css = class_css(class),
                x = LABEL_WIDTH as f64 + i as f64 * cell,
                y = y + 2,
                w = (cell - 0.5).max(1.0),
                h = LANE_HEIGHT - 4,
                label = lane.label,
                when = column_label(axis.hour_of_bin(i)),
                counts = counts_text(counts),
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// A secret's uses per column, as bars stacked by status class.
pub fn uses_over_time(
    id: &str,
    title: &str,
    desc: &str,
    axis: &Axis,
    columns: &[ClassCounts],
) -> String {
    const HEIGHT: usize = 90;
    const LEFT: usize = 40;
    let cell = cell_width(axis.bins).min(24.0);
    // Wide enough for a tick label past the last bar.
    let width = LEFT + (cell * axis.bins as f64).ceil() as usize + 110;
    let total_height = AXIS_HEIGHT + HEIGHT + 4;
    let peak = columns
        .iter()
        .map(|c| c.iter().sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut svg = open_chart("uses", id, title, desc, width, total_height);
    svg.reserve(columns.len() * 120);
    let _ = write!(
        svg,
        r#"<text class="axis" x="0" y="{ty}">{peak}</text><text class="axis" x="0" y="{by}">0</text>"#,
        ty = AXIS_HEIGHT + 10,
        by = AXIS_HEIGHT + HEIGHT,
    );
    write_ticks(&mut svg, axis, LEFT, cell, 4, total_height);
    for (i, counts) in columns.iter().enumerate() {
        let total: u64 = counts.iter().sum();
        if total == 0 {
            continue;
        }
        let x = LEFT as f64 + i as f64 * cell;
        let mut top = (AXIS_HEIGHT + HEIGHT) as f64;
        let _ = write!(
            svg,
            r#"<g class="mark"><title>{}: {}</title>"#,
            column_label(axis.hour_of_bin(i)),
            counts_text(counts)
        );
        for (class, &n) in StatusClass::ALL.into_iter().zip(counts) {
            if n == 0 {
                continue;
            }
            let h = (n as f64 / peak as f64 * HEIGHT as f64).max(1.0);
            top -= h;
            let _ = write!(
                svg,
                r#"<rect class="{}" x="{x:.1}" y="{top:.1}" width="{w:.1}" height="{h:.1}"/>"#,
                class_css(class),
                w = (cell - 1.0).max(1.0),
            );
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars, one per labelled count (a secret's requests by client), longest first as
/// given; labels are HTML-escaped already.
pub fn bars(id: &str, title: &str, desc: &str, rows: &[(String, u64)]) -> String {
    const LEFT: usize = 170;
    const BAR: usize = 300;
    const ROW: usize = 16;
    let height = ROW * rows.len().max(1) + 4;
    let width = LEFT + BAR + 70;
    let peak = rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let mut svg = open_chart("bars", id, title, desc, width, height);
    svg.reserve(rows.len() * 200);
    for (i, (label, n)) in rows.iter().enumerate() {
        let y = i * ROW + 2;
        let w = (*n as f64 / peak as f64 * BAR as f64).max(1.0);
        let _ = write!(
            svg,
            r#"<text class="lane" x="{lx}" y="{ty}" text-anchor="end">{label}</text><rect class="mark kbar" x="{LEFT}" y="{y}" width="{w:.1}" height="{h}"><title>{label}: {n}</title></rect><text class="axis" x="{nx:.1}" y="{ty}">{n}</text>"#,
            lx = LEFT - 6,
            ty = y + ROW - 5,
            h = ROW - 4,
            nx = LEFT as f64 + w + 4.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One row of [`client_rows`]: an HTML-escaped label, the CSS class of its bars, and its uses
/// per column of the axis.
pub struct ClientRow {
    /// The client (or `other clients`), HTML-escaped.
    pub label: String,
    /// `kclient` for a client, `kother` for the others together.
    pub css: &'static str,
    /// Uses per column of the axis.
    pub columns: Vec<u64>,
}

/// A secret's requests over time by client: small multiples, one row of bars per client on a
/// shared time axis and a shared scale, the row's total at its end.
pub fn client_rows(id: &str, title: &str, desc: &str, axis: &Axis, rows: &[ClientRow]) -> String {
    const LEFT: usize = 170;
    const ROW: usize = 22;
    const BAR: f64 = 17.0;
    let cell = cell_width(axis.bins).min(24.0);
    let plot = (cell * axis.bins as f64).ceil() as usize;
    // Room for the totals, and for a tick label past the last bar.
    let width = LEFT + plot + 110;
    let height = AXIS_HEIGHT + ROW * rows.len().max(1) + 4;
    let peak = rows
        .iter()
        .flat_map(|r| r.columns.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut svg = open_chart("clients-time", id, title, desc, width, height);
    svg.reserve(rows.len() * axis.bins * 110);
    write_ticks(&mut svg, axis, LEFT, cell, 4, height);
    for (row, r) in rows.iter().enumerate() {
        let base = AXIS_HEIGHT + (row + 1) * ROW;
        let total = r.columns.iter().fold(0u64, |a, b| a.saturating_add(*b));
        let _ = write!(
            svg,
            r#"<text class="lane" x="{lx}" y="{ty}" text-anchor="end">{label}</text><line class="lanerule" x1="{LEFT}" y1="{base}" x2="{rx}" y2="{base}"/><text class="axis" x="{tx}" y="{ty}">{total}</text>"#,
            lx = LEFT - 6,
            ty = base - 5,
            label = r.label,
            rx = LEFT + plot,
            tx = LEFT + plot + 6,
        );
        for (i, &n) in r.columns.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let h = (n as f64 / peak as f64 * BAR).max(1.0);
            let _ = write!(
                svg,
                r#"<rect class="mark {css}" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}"><title>{label}: {when}: {n}</title></rect>"#,
                css = r.css,
                x = LEFT as f64 + i as f64 * cell,
                y = base as f64 - h,
                w = (cell - 1.0).max(1.0),
                label = r.label,
                when = column_label(axis.hour_of_bin(i)),
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three hourly columns from 2025-02-18T10:00Z.
    const THREE_HOURS: Axis = Axis {
        start: 483_298,
        width: 1,
        bins: 3,
    };

    #[test]
    fn the_timeline_has_a_mark_per_used_column_with_its_counts() {
        let axis = THREE_HOURS;
        let lanes = [
            Lane {
                label: "ghp_…6789".into(),
                columns: vec![[1, 0, 0, 0, 0], [0; 5], [0, 2, 3, 0, 0]],
            },
            Lane {
                label: "…x".into(),
                columns: vec![[0; 5], [0, 0, 0, 0, 7], [0; 5]],
            },
        ];
        let svg = timeline("tl", "Timeline", "Uses of 2 secrets", &axis, &lanes);
        assert_eq!(svg.matches("<rect class=\"mark").count(), 3, "{svg}");
        assert!(svg.contains(r#"<rect class="mark k2xx""#));
        // A column with redirects and refusals is coloured as redirected.
        assert!(svg.contains(r#"<rect class="mark k3xx""#));
        assert!(svg.contains(r#"<rect class="mark knone""#));
        assert!(svg.contains("2 3xx, 3 4xx"), "{svg}");
        assert!(svg.contains(r#"aria-labelledby="tl-t tl-d""#));
        assert!(svg.contains(r#"<title id="tl-t">Timeline</title>"#));
        assert!(svg.contains("2025-02-18 10:00Z"), "{svg}");
    }

    #[test]
    fn client_bars_are_as_long_as_their_share_of_the_largest() {
        let svg = bars(
            "c",
            "Requests by client",
            "d",
            &[("203.0.113.9".into(), 4), ("198.51.100.4".into(), 1)],
        );
        assert_eq!(svg.matches("<rect class=\"mark kbar\"").count(), 2);
        assert!(svg.contains(r#"width="300.0""#), "{svg}");
        assert!(svg.contains(r#"width="75.0""#), "{svg}");
        assert!(svg.contains("<title>198.51.100.4: 1</title>"), "{svg}");
    }

    #[test]
    fn client_rows_share_one_scale_and_mark_every_used_column() {
        let axis = THREE_HOURS;
        let rows = [
            ClientRow {
                label: "203.0.113.9".into(),
                css: "kclient",
                columns: vec![4, 0, 2],
            },
            ClientRow {
                label: "other clients (3)".into(),
                css: "kother",
                columns: vec![0, 1, 0],
            },
        ];
        let svg = client_rows("ct", "By client", "d", &axis, &rows);
        assert_eq!(svg.matches("<rect class=\"mark ").count(), 3, "{svg}");
        // The busiest column is the full 17 pixels; half of it 8.5; a quarter 4.25.
        assert!(
            svg.contains(r#"<rect class="mark kclient" x="170.0" y="27.0" width="23.0" height="17.0"><title>203.0.113.9: 2025-02-18 10:00Z: 4</title>"#),
            "{svg}"
        );
        assert!(
            svg.contains(r#"x="218.0" y="35.5" width="23.0" height="8.5""#),
            "{svg}"
        );
        assert!(
            svg.contains(r#"<rect class="mark kother" x="194.0" y="61.8""#),
            "{svg}"
        );
        assert!(
            svg.contains("other clients (3): 2025-02-18 11:00Z: 1"),
            "{svg}"
        );
        // Each row ends with its total.
        assert!(
            svg.contains(r#"<text class="axis" x="248" y="39">6</text>"#),
            "{svg}"
        );
        assert!(svg.contains(r#"aria-labelledby="ct-t ct-d""#));
    }

    #[test]
    fn bars_stack_to_the_column_total() {
        let axis = Axis {
            start: 0,
            width: 24,
            bins: 2,
        };
        let svg = uses_over_time("u", "Uses", "d", &axis, &[[2, 0, 2, 0, 0], [0; 5]]);
        assert_eq!(svg.matches("<g class=\"mark\">").count(), 1);
        // Two halves of the 90-pixel plot.
        assert!(
            svg.contains(r#"class="k2xx" x="40.0" y="67.0" width="23.0" height="45.0""#),
            "{svg}"
        );
        assert!(
            svg.contains(r#"class="k4xx" x="40.0" y="22.0" width="23.0" height="45.0""#),
            "{svg}"
        );
        assert!(svg.contains("1970-01-01 00:00Z: 2 2xx, 2 4xx"), "{svg}");
    }
}
