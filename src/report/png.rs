//! The main charts as PNG images for slides (`report --png`): incidents per category and
//! per month, training completion per unit (each drawn from its chart specification in
//! [`crate::review::charts`], the same the workbook and the Word document draw), and the
//! risk matrix. Each chart is drawn into memory with `plotters`, encoded as PNG and
//! written atomically; a chart whose data is absent is skipped.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use ab_glyph::{Font, FontRef, ScaleFont};
use plotters_backend::{BackendColor, BackendCoord, DrawingErrorKind};

use crate::error::Error;
use crate::review::charts::{ChartId, ChartSpec, SeriesRole};
use crate::review::format::percent;
use crate::review::Review;

/// Image size in pixels: 16:9, sharp on a full-HD projector.
pub const WIDTH: u32 = 1600;
pub const HEIGHT: u32 = 900;

/// The file names written into the chart folder.
pub const CATEGORY_FILE: &str = "incidenter-per-kategori.png";
pub const MONTH_FILE: &str = "incidenter-per-manad.png";
pub const TRAINING_FILE: &str = "utbildning-per-enhet.png";
pub const RISK_FILE: &str = "riskmatris.png";

/// The bundled font (DejaVu Sans, see assets/fonts/LICENSE-DejaVu.txt): no system fonts
/// or font libraries are needed, and å, ä, ö always render.
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// Family name given to plotters; [`Canvas`] renders every text with the bundled font.
const FONT: &str = "sans-serif";

const THIS_YEAR: RGBColor = RGBColor(31, 78, 121);
const PREVIOUS_YEAR: RGBColor = RGBColor(150, 170, 190);
const TEXT: RGBColor = RGBColor(40, 40, 40);
const MUTED: RGBColor = RGBColor(110, 110, 110);
const GRID: RGBColor = RGBColor(225, 225, 225);
const TARGET: RGBColor = RGBColor(192, 0, 0);
const RISK_GREEN: RGBColor = RGBColor(112, 173, 71);
const RISK_YELLOW: RGBColor = RGBColor(255, 205, 70);
const RISK_RED: RGBColor = RGBColor(222, 70, 60);

const TITLE_SIZE: f64 = 44.0;
const SUBTITLE_SIZE: f64 = 26.0;
const LABEL_SIZE: f64 = 24.0;
const AXIS_TITLE_SIZE: f64 = 26.0;
/// Room above a chart for the title and the unit line.
const HEADER_HEIGHT: u32 = 120;

/// What `write_charts` did: the files written and, in Swedish, the charts skipped.
#[derive(Debug, Default)]
pub struct ChartsWritten {
    pub written: Vec<PathBuf>,
    pub skipped: Vec<String>,
}

/// One chart drawn into memory: its file name, PNG bytes and size in pixels.
#[derive(Debug, Clone)]
pub struct ChartImage {
    pub file: &'static str,
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The charts whose data exist, drawn at `scale` times [`WIDTH`] × [`HEIGHT`] (1 for
/// slides, 2 for print) with the same layout; and, in Swedish, the charts skipped. A
/// chart that cannot be drawn is an [`Error::Chart`] naming its file.
pub fn render_charts(report: &Review, scale: u32) -> Result<(Vec<ChartImage>, Vec<String>), Error> {
    let _ = face();
    type Draw = fn(&Review, &ChartSpec, &DrawingArea<Canvas<'_>, Shift>) -> DrawResult;
    let charts: [(&'static str, ChartId, &str, Draw); 3] = [
        (
            CATEGORY_FILE,
            ChartId::IncidentsByCategory,
            "inga incidenter i indata",
            draw_incidents_by_category,
        ),
        (
            MONTH_FILE,
            ChartId::IncidentsByMonth,
            "inga incidenter i indata",
            draw_incidents_by_month,
        ),
        (
            TRAINING_FILE,
            ChartId::TrainingByUnit,
            missing_training(report).unwrap_or("ingen enhet har en andel genomförda utbildningar"),
            draw_training,
        ),
    ];
    let scale = scale.clamp(1, 4);
    let mut images = Vec::new();
    let mut skipped = Vec::new();
    let error = |file: &str| {
        let file = PathBuf::from(file);
        move |message| Error::Chart {
            path: file,
            message,
        }
    };
    for (file, id, reason, draw) in charts {
        let Some(spec) = report.chart(id) else {
            skipped.push(format!("Hoppade över diagrammet {file}: {reason}."));
            continue;
        };
        let png = render(scale, |area| draw(report, spec, area)).map_err(error(file))?;
        images.push(ChartImage {
            file,
            png,
            width: WIDTH * scale,
            height: HEIGHT * scale,
        });
    }
    match missing_risks(report) {
        Some(reason) => skipped.push(format!("Hoppade över diagrammet {RISK_FILE}: {reason}.")),
        None => {
            let png =
                render(scale, |area| draw_risk_matrix(report, area)).map_err(error(RISK_FILE))?;
            images.push(ChartImage {
                file: RISK_FILE,
                png,
                width: WIDTH * scale,
                height: HEIGHT * scale,
            });
        }
    }
    Ok((images, skipped))
}

/// Writes the charts whose data exist into `dir` (created if needed).
pub fn write_charts(report: &Review, dir: &Path) -> Result<ChartsWritten, Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    let (images, skipped) = render_charts(report, 1).map_err(|e| match e {
        Error::Chart { path, message } => Error::Chart {
            path: dir.join(path),
            message,
        },
        other => other,
    })?;
    let mut result = ChartsWritten {
        written: Vec::new(),
        skipped,
    };
    for image in images {
        let path = dir.join(image.file);
        crate::report::write_atomically(&path, &image.png)?;
        result.written.push(path);
    }
    Ok(result)
}

type DrawResult = Result<(), String>;

fn missing_training(report: &Review) -> Option<&'static str> {
    let rows = &report.breakdowns.training_by_unit;
    if rows.is_empty() {
        Some("ingen personal eller utbildningsdata i indata")
    } else if rows.iter().all(|r| r.rate.is_none()) {
        Some("ingen enhet har en andel genomförda utbildningar")
    } else {
        None
    }
}

fn missing_risks(report: &Review) -> Option<&'static str> {
    let m = &report.breakdowns.risk_matrix;
    (m.is_empty() || m.iter().any(|row| row.len() != m.len()))
        .then_some("inget riskregister i indata")
}

/// Draws on a white in-memory bitmap `scale` times the chart size and encodes it as PNG;
/// the drawing code sees the chart size, the canvas scales.
fn render(
    scale: u32,
    draw: impl FnOnce(&DrawingArea<Canvas<'_>, Shift>) -> DrawResult,
) -> Result<Vec<u8>, String> {
    let (width, height) = (WIDTH * scale, HEIGHT * scale);
    let mut pixels = vec![255u8; (width * height * 3) as usize];
    {
        let root = Canvas(
            BitMapBackend::with_buffer(&mut pixels, (width, height)),
            scale as i32,
        )
        .into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        draw(&root)?;
        root.present().map_err(|e| e.to_string())?;
    }
    encode_png(&pixels, width, height)
}

fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // Flat-colour charts compress almost as well with the fast setting, at a fraction
    // of the time (the print-size charts of every unit's Word document).
    encoder.set_compression(png::Compression::Fast);
    encoder.set_source_srgb(png::SrgbRenderingIntent::Perceptual);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(rgb).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

fn font(size: f64) -> TextStyle<'static> {
    (FONT, size).into_font().color(&TEXT)
}

/// Title and, below it, the unit; returns the area under them.
fn header<'a>(
    root: &DrawingArea<Canvas<'a>, Shift>,
    title: &str,
    report: &Review,
) -> Result<DrawingArea<Canvas<'a>, Shift>, String> {
    let (head, body) = root.split_vertically(HEADER_HEIGHT);
    head.draw(&Text::new(title.to_string(), (40, 22), font(TITLE_SIZE)))
        .map_err(|e| e.to_string())?;
    head.draw(&Text::new(
        report.unit.clone(),
        (42, 76),
        font(SUBTITLE_SIZE).color(&MUTED),
    ))
    .map_err(|e| e.to_string())?;
    Ok(body)
}

/// A year-on-year chart's values per category: (this year, last year), counts.
struct YearRow {
    count: u32,
    previous: Option<u32>,
}

fn year_rows(spec: &ChartSpec) -> Vec<YearRow> {
    let values = |role| {
        spec.series(role)
            .map(|s| s.values.clone())
            .unwrap_or_default()
    };
    let this = values(SeriesRole::ThisYear);
    let previous = values(SeriesRole::PreviousYear);
    (0..spec.categories.len())
        .map(|i| YearRow {
            count: this.get(i).copied().flatten().unwrap_or(0.0).round() as u32,
            previous: previous.get(i).copied().flatten().map(|p| p.round() as u32),
        })
        .collect()
}

/// Shortens a label to at most `max` characters.
fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}

/// Width in pixels of the widest label, for sizing the label area.
fn label_width(labels: &[String], style: &TextStyle) -> u32 {
    labels
        .iter()
        .map(|l| text_box(l, style.font.get_size()).0)
        .max()
        .unwrap_or(0)
}

/// A rounded-up axis maximum with some room for value labels.
fn count_axis_max(max: u32) -> u32 {
    let m = max.max(1);
    m + (m / 8).max(1)
}

/// A linear axis whose ticks (and grid lines) are exactly the given points: band centres
/// for category labels, whole months, every ten percent.
struct Keyed {
    range: std::ops::Range<f64>,
    keys: Vec<f64>,
}

impl Keyed {
    fn new(range: std::ops::Range<f64>, keys: Vec<f64>) -> Keyed {
        Keyed { range, keys }
    }
}

impl Ranged for Keyed {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let span = self.range.end - self.range.start;
        if span == 0.0 {
            return limit.0;
        }
        let share = (v - self.range.start) / span;
        limit.0 + (share * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.keys.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.range.clone()
    }
}

/// Key points for a band axis: the centre of every band.
fn band_centres(n: usize) -> Vec<f64> {
    (0..n).map(|i| i as f64 + 0.5).collect()
}

/// Band index counted from the top for a y value (bands are drawn top to bottom).
fn band_from_top(y: f64, n: usize) -> Option<usize> {
    let b = y.floor();
    (b >= 0.0 && (b as usize) < n).then(|| n - 1 - b as usize)
}

fn draw_incidents_by_category(
    report: &Review,
    spec: &ChartSpec,
    root: &DrawingArea<Canvas<'_>, Shift>,
) -> DrawResult {
    let rows = year_rows(spec);
    let has_previous = spec.series(SeriesRole::PreviousYear).is_some();
    let body = header(root, &spec.caption, report)?;
    let n = rows.len();
    let labels: Vec<String> = spec.categories.iter().map(|c| shorten(c, 40)).collect();
    let label_style = font(LABEL_SIZE);
    let label_area = (label_width(&labels, &label_style) + 30).clamp(120, 620);
    let max = rows
        .iter()
        .map(|r| r.count.max(r.previous.unwrap_or(0)))
        .max()
        .unwrap_or(0);
    let mut chart = ChartBuilder::on(&body)
        .margin_top(20)
        .margin_left(30)
        .margin_right(60)
        .margin_bottom(20)
        .x_label_area_size(80)
        .y_label_area_size(label_area)
        .build_cartesian_2d(
            0u32..count_axis_max(max),
            Keyed::new(0.0..n as f64, band_centres(n)),
        )
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .label_style(label_style.clone())
        .axis_desc_style(font(AXIS_TITLE_SIZE))
        .x_desc("Antal incidenter")
        .x_labels(10)
        .x_label_formatter(&|v| v.to_string())
        .y_label_formatter(&|v| {
            band_from_top(*v, n)
                .map(|i| labels[i].clone())
                .unwrap_or_default()
        })
        .draw()
        .map_err(|e| e.to_string())?;

    // Bars: this year in the upper half of each band, the previous year below it.
    let band = |i: usize| (n - 1 - i) as f64;
    let value_style = font(LABEL_SIZE - 2.0).pos(Pos::new(HPos::Left, VPos::Center));
    let this_year = rows.iter().enumerate().map(|(i, r)| {
        Rectangle::new(
            [(0, band(i) + 0.5), (r.count, band(i) + 0.86)],
            THIS_YEAR.filled(),
        )
    });
    chart
        .draw_series(this_year)
        .map_err(|e| e.to_string())?
        .label(
            spec.series(SeriesRole::ThisYear)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
        )
        .legend(|(x, y)| Rectangle::new([(x, y - 9), (x + 24, y + 9)], THIS_YEAR.filled()));
    if has_previous {
        let previous = rows.iter().enumerate().map(|(i, r)| {
            Rectangle::new(
                [
                    (0, band(i) + 0.14),
                    (r.previous.unwrap_or(0), band(i) + 0.5),
                ],
                PREVIOUS_YEAR.filled(),
            )
        });
        chart
            .draw_series(previous)
            .map_err(|e| e.to_string())?
            .label(
                spec.series(SeriesRole::PreviousYear)
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
            )
            .legend(|(x, y)| Rectangle::new([(x, y - 9), (x + 24, y + 9)], PREVIOUS_YEAR.filled()));
    }
    let mut values = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        values.push((r.count, band(i) + 0.68));
        if let Some(p) = r.previous {
            values.push((p, band(i) + 0.32));
        }
    }
    chart
        .draw_series(values.into_iter().map(|(v, y)| {
            EmptyElement::at((v, y)) + Text::new(v.to_string(), (8, 0), value_style.clone())
        }))
        .map_err(|e| e.to_string())?;
    legend(&mut chart)
}

fn draw_incidents_by_month(
    report: &Review,
    spec: &ChartSpec,
    root: &DrawingArea<Canvas<'_>, Shift>,
) -> DrawResult {
    let rows = year_rows(spec);
    let has_previous = spec.series(SeriesRole::PreviousYear).is_some();
    let body = header(root, &spec.caption, report)?;
    let labels: Vec<String> = spec.categories.clone();
    let n = rows.len();
    let max = rows
        .iter()
        .map(|r| r.count.max(r.previous.unwrap_or(0)))
        .max()
        .unwrap_or(0);
    let mut chart = ChartBuilder::on(&body)
        .margin_top(20)
        .margin_left(30)
        .margin_right(60)
        .margin_bottom(20)
        .x_label_area_size(80)
        .y_label_area_size(110)
        .build_cartesian_2d(
            Keyed::new(-0.4..n as f64 - 0.6, (0..n).map(|i| i as f64).collect()),
            0u32..count_axis_max(max),
        )
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .label_style(font(LABEL_SIZE))
        .axis_desc_style(font(AXIS_TITLE_SIZE))
        .y_desc("Antal incidenter")
        .x_desc("Månad")
        .y_labels(10)
        .y_label_formatter(&|v| v.to_string())
        .x_label_formatter(&|v| {
            let i = v.round();
            if i >= 0.0 && (i as usize) < n {
                labels[i as usize].clone()
            } else {
                String::new()
            }
        })
        .draw()
        .map_err(|e| e.to_string())?;

    let this_year: Vec<(f64, u32)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (i as f64, r.count))
        .collect();
    let this_style = THIS_YEAR.stroke_width(5);
    chart
        .draw_series(LineSeries::new(this_year.clone(), this_style).point_size(7))
        .map_err(|e| e.to_string())?
        .label(
            spec.series(SeriesRole::ThisYear)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
        )
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 30, y)], this_style));
    if has_previous {
        let points: Vec<(f64, u32)> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (i as f64, r.previous.unwrap_or(0)))
            .collect();
        let style = PREVIOUS_YEAR.stroke_width(4);
        chart
            .draw_series(LineSeries::new(points, style).point_size(6))
            .map_err(|e| e.to_string())?
            .label(
                spec.series(SeriesRole::PreviousYear)
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
            )
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 30, y)], style));
        // This year again, on top of the previous year's line.
        chart
            .draw_series(LineSeries::new(this_year, this_style).point_size(7))
            .map_err(|e| e.to_string())?;
    }
    legend(&mut chart)
}

fn draw_training(
    report: &Review,
    spec: &ChartSpec,
    root: &DrawingArea<Canvas<'_>, Shift>,
) -> DrawResult {
    let rates: Vec<Option<f64>> = spec
        .series(SeriesRole::ThisYear)
        .map(|s| s.values.clone())
        .unwrap_or_default();
    // Headcount and completions for the labels, by the same units in the same order.
    let units = &report.breakdowns.training_by_unit;
    let body = header(root, &spec.caption, report)?;
    let n = rates.len();
    let size = if n > 16 { LABEL_SIZE - 6.0 } else { LABEL_SIZE };
    let labels: Vec<String> = spec.categories.iter().map(|c| shorten(c, 40)).collect();
    let label_style = font(size);
    let label_area = (label_width(&labels, &label_style) + 30).clamp(120, 620);
    let target = spec.target();
    let mut chart = ChartBuilder::on(&body)
        .margin_top(if target.is_some() { 50 } else { 20 })
        .margin_left(30)
        .margin_right(60)
        .margin_bottom(20)
        .x_label_area_size(80)
        .y_label_area_size(label_area)
        .build_cartesian_2d(
            Keyed::new(0.0..100.0, (0..=10).map(|i| f64::from(i) * 10.0).collect()),
            Keyed::new(0.0..n as f64, band_centres(n)),
        )
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .label_style(label_style)
        .axis_desc_style(font(AXIS_TITLE_SIZE))
        .x_desc("Andel medarbetare som genomfört alla obligatoriska utbildningar")
        .x_label_formatter(&|v| format!("{} %", v.round() as i64))
        .y_label_formatter(&|v| {
            band_from_top(*v, n)
                .map(|i| labels[i].clone())
                .unwrap_or_default()
        })
        .draw()
        .map_err(|e| e.to_string())?;

    let band = |i: usize| (n - 1 - i) as f64;
    chart
        .draw_series(rates.iter().enumerate().filter_map(|(i, r)| {
            let rate = (*r)?;
            Some(Rectangle::new(
                [(0.0, band(i) + 0.18), (rate * 100.0, band(i) + 0.82)],
                THIS_YEAR.filled(),
            ))
        }))
        .map_err(|e| e.to_string())?;
    // Value labels: inside a long bar (white), after a short one (dark).
    let value_size = size - 2.0;
    chart
        .draw_series(rates.iter().enumerate().map(|(i, r)| {
            let y = band(i) + 0.5;
            let (x, text, inside) = match r {
                Some(rate) => (
                    rate * 100.0,
                    match units.get(i) {
                        Some(u) => {
                            format!(
                                "{} ({} av {})",
                                percent(*rate),
                                u.completed_all,
                                u.headcount
                            )
                        }
                        None => percent(*rate),
                    },
                    *rate >= 0.75,
                ),
                None => (0.0, "ingen personal".to_string(), false),
            };
            let (dx, style) = if inside {
                (
                    -10,
                    font(value_size)
                        .color(&WHITE)
                        .pos(Pos::new(HPos::Right, VPos::Center)),
                )
            } else {
                (10, font(value_size).pos(Pos::new(HPos::Left, VPos::Center)))
            };
            EmptyElement::at((x, y)) + Text::new(text, (dx, 0), style)
        }))
        .map_err(|e| e.to_string())?;
    if let Some(t) = target {
        let x = (t * 100.0).clamp(0.0, 100.0);
        chart
            .draw_series(DashedLineSeries::new(
                vec![(x, 0.0), (x, n as f64)],
                14,
                8,
                TARGET.stroke_width(4),
            ))
            .map_err(|e| e.to_string())?;
        let label = font(value_size)
            .color(&TARGET)
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((x, n as f64))
                    + Text::new(format!("Mål {}", percent(t)), (0, -6), label),
            ))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn draw_risk_matrix(report: &Review, root: &DrawingArea<Canvas<'_>, Shift>) -> DrawResult {
    let matrix = &report.breakdowns.risk_matrix;
    let scale = matrix.len();
    let total: u32 = matrix.iter().flatten().sum();
    let title = format!(
        "Riskmatris {}: antal risker per sannolikhet och konsekvens",
        report.year
    );
    let body = header(root, &title, report)?;
    let err = |e: DrawingAreaErrorKind<_>| e.to_string();
    let threshold = report.context.high_risk_threshold;

    // Grid geometry in pixels of `body` (1600 × 780).
    let (_, body_h) = body.dim_in_pixel();
    let grid = body_h as i32 - 150;
    let cell = grid / scale as i32;
    let grid = cell * scale as i32;
    let left = 250;
    let top = 20;

    for (l, row) in matrix.iter().enumerate() {
        for (c, &count) in row.iter().enumerate() {
            let likelihood = l + 1;
            let consequence = c + 1;
            let level = (likelihood * consequence) as f64;
            let colour = if level >= threshold {
                RISK_RED
            } else if level >= threshold / 2.0 {
                RISK_YELLOW
            } else {
                RISK_GREEN
            };
            let x0 = left + c as i32 * cell;
            let y0 = top + (scale - likelihood) as i32 * cell;
            body.draw(&Rectangle::new(
                [(x0, y0), (x0 + cell, y0 + cell)],
                colour.filled(),
            ))
            .map_err(err)?;
            body.draw(&Rectangle::new(
                [(x0, y0), (x0 + cell, y0 + cell)],
                WHITE.stroke_width(3),
            ))
            .map_err(err)?;
            let size = (cell as f64 * 0.4).min(64.0);
            let style = font(size)
                .color(if count == 0 { &MUTED } else { &BLACK })
                .pos(Pos::new(HPos::Center, VPos::Center));
            body.draw(&Text::new(
                count.to_string(),
                (x0 + cell / 2, y0 + cell / 2),
                style,
            ))
            .map_err(err)?;
        }
    }

    // Scale numbers and axis titles.
    let number = font(LABEL_SIZE + 4.0).pos(Pos::new(HPos::Center, VPos::Center));
    for i in 0..scale {
        let y = top + (scale - 1 - i) as i32 * cell + cell / 2;
        body.draw(&Text::new(
            (i + 1).to_string(),
            (left - 30, y),
            number.clone(),
        ))
        .map_err(err)?;
        let x = left + i as i32 * cell + cell / 2;
        body.draw(&Text::new(
            (i + 1).to_string(),
            (x, top + grid + 30),
            number.clone(),
        ))
        .map_err(err)?;
    }
    let axis = font(AXIS_TITLE_SIZE + 2.0);
    body.draw(&Text::new(
        "Konsekvens",
        (left + grid / 2, top + grid + 80),
        axis.clone().pos(Pos::new(HPos::Center, VPos::Center)),
    ))
    .map_err(err)?;
    body.draw(&Text::new(
        "Sannolikhet",
        (left - 80, top + grid / 2),
        axis.transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Center)),
    ))
    .map_err(err)?;

    // Key, to the right of the grid.
    let kx = left + grid + 80;
    let mut ky = top + 20;
    let key = font(LABEL_SIZE);
    let number_text = |x: f64| {
        if x.fract() == 0.0 {
            format!("{}", x as i64)
        } else {
            format!("{x:.1}").replace('.', ",")
        }
    };
    body.draw(&Text::new(
        "Risknivå = sannolikhet × konsekvens",
        (kx, ky),
        key.clone(),
    ))
    .map_err(err)?;
    ky += 60;
    let entries = [
        (
            RISK_RED,
            format!("Hög: {} eller mer", number_text(threshold)),
        ),
        (
            RISK_YELLOW,
            format!(
                "Medel: {} till under {}",
                number_text(threshold / 2.0),
                number_text(threshold)
            ),
        ),
        (
            RISK_GREEN,
            format!("Låg: under {}", number_text(threshold / 2.0)),
        ),
    ];
    for (colour, text) in entries {
        body.draw(&Rectangle::new(
            [(kx, ky), (kx + 40, ky + 40)],
            colour.filled(),
        ))
        .map_err(err)?;
        body.draw(&Text::new(
            text,
            (kx + 60, ky + 20),
            key.clone().pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(err)?;
        ky += 60;
    }
    ky += 20;
    let total_text = match total {
        1 => "Totalt 1 risk".to_string(),
        n => format!("Totalt {n} risker"),
    };
    body.draw(&Text::new(total_text, (kx, ky), key))
        .map_err(err)?;
    Ok(())
}

fn legend<'a, X, Y>(chart: &mut ChartContext<'a, Canvas<'a>, Cartesian2d<X, Y>>) -> DrawResult
where
    X: Ranged,
    Y: Ranged,
{
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .margin(20)
        .legend_area_size(40)
        .label_font(font(LABEL_SIZE))
        .background_style(WHITE.mix(0.9))
        .border_style(MUTED)
        .draw()
        .map_err(|e| e.to_string())
}

/// The bundled font, parsed once.
fn face() -> &'static FontRef<'static> {
    static FACE: OnceLock<FontRef<'static>> = OnceLock::new();
    FACE.get_or_init(|| FontRef::try_from_slice(FONT_BYTES).expect("the bundled font is valid"))
}

/// Width and height in pixels of `text` at `size` (the height from ascent to descent).
fn text_box(text: &str, size: f64) -> (u32, u32) {
    let font = face().as_scaled(size as f32);
    let mut width = 0.0f32;
    let mut previous = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = previous {
            width += font.kern(p, id);
        }
        width += font.h_advance(id);
        previous = Some(id);
    }
    (
        width.ceil() as u32,
        (font.ascent() - font.descent()).ceil() as u32,
    )
}

/// The bitmap backend with its own text rendering: plotters' built-in ab_glyph renderer
/// (0.3.7) drops each glyph's side bearing, so letters are spaced unevenly, and it draws
/// text about a quarter of its size too high. Everything else is the bitmap backend's.
/// The second field is the scale: the drawing code sees `WIDTH` × `HEIGHT`, and every
/// coordinate, line width and text size is multiplied on the way to the bitmap.
pub struct Canvas<'a>(BitMapBackend<'a>, i32);

impl Canvas<'_> {
    fn at(&self, (x, y): BackendCoord) -> BackendCoord {
        (x * self.1, y * self.1)
    }
}

/// A line or fill style with its stroke width multiplied by the canvas scale.
struct Scaled<'s, S>(&'s S, u32);

impl<S: plotters_backend::BackendStyle> plotters_backend::BackendStyle for Scaled<'_, S> {
    fn color(&self) -> BackendColor {
        self.0.color()
    }
    fn stroke_width(&self) -> u32 {
        self.0.stroke_width() * self.1
    }
}

type CanvasError<'a> = DrawingErrorKind<<BitMapBackend<'a> as DrawingBackend>::ErrorType>;

impl<'a> DrawingBackend for Canvas<'a> {
    type ErrorType = <BitMapBackend<'a> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        let (w, h) = self.0.get_size();
        (w / self.1 as u32, h / self.1 as u32)
    }

    fn ensure_prepared(&mut self) -> Result<(), CanvasError<'a>> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), CanvasError<'a>> {
        self.0.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), CanvasError<'a>> {
        let (x, y) = self.at(point);
        for dy in 0..self.1 {
            for dx in 0..self.1 {
                self.0.draw_pixel((x + dx, y + dy), color)?;
            }
        }
        Ok(())
    }

    fn draw_line<S: plotters_backend::BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), CanvasError<'a>> {
        let (from, to) = (self.at(from), self.at(to));
        self.0.draw_line(from, to, &Scaled(style, self.1 as u32))
    }

    fn draw_rect<S: plotters_backend::BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), CanvasError<'a>> {
        let s = self.1;
        let upper_left = self.at(upper_left);
        let bottom_right = (bottom_right.0 * s + s - 1, bottom_right.1 * s + s - 1);
        self.0
            .draw_rect(upper_left, bottom_right, &Scaled(style, s as u32), fill)
    }

    fn draw_path<S: plotters_backend::BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), CanvasError<'a>> {
        let s = self.1;
        let path: Vec<BackendCoord> = path.into_iter().map(|(x, y)| (x * s, y * s)).collect();
        self.0.draw_path(path, &Scaled(style, s as u32))
    }

    fn draw_circle<S: plotters_backend::BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), CanvasError<'a>> {
        let center = self.at(center);
        let s = self.1 as u32;
        self.0
            .draw_circle(center, radius * s, &Scaled(style, s), fill)
    }

    fn fill_polygon<S: plotters_backend::BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), CanvasError<'a>> {
        let s = self.1;
        let vert: Vec<BackendCoord> = vert.into_iter().map(|(x, y)| (x * s, y * s)).collect();
        self.0.fill_polygon(vert, &Scaled(style, s as u32))
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), CanvasError<'a>> {
        // Only used for embedded bitmaps, which the charts do not draw; placed unscaled.
        let pos = self.at(pos);
        self.0.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<S: plotters_backend::BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), CanvasError<'a>> {
        Ok(text_box(text, style.size()))
    }

    fn draw_text<S: plotters_backend::BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), CanvasError<'a>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let size = style.size() * f64::from(self.1);
        let pos = self.at(pos);
        let (width, height) = text_box(text, size);
        let (width, height) = (width as f32, height as f32);
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        let dy = match anchor.v_pos {
            VPos::Top => 0.0,
            VPos::Center => -height / 2.0,
            VPos::Bottom => -height,
        };
        let transform = style.transform();
        let font = face().as_scaled(size as f32);
        let mut caret = 0.0f32;
        let mut previous = None;
        let mut pixels = Vec::new();
        for c in text.chars() {
            let id = font.glyph_id(c);
            if let Some(p) = previous {
                caret += font.kern(p, id);
            }
            previous = Some(id);
            let glyph = id.with_scale_and_position(
                font.scale(),
                ab_glyph::point(caret + dx, font.ascent() + dy),
            );
            caret += font.h_advance(id);
            if let Some(outline) = face().outline_glyph(glyph) {
                let bounds = outline.px_bounds();
                outline.draw(|x, y, coverage| {
                    if coverage > 0.0 {
                        pixels.push((
                            bounds.min.x as i32 + x as i32,
                            bounds.min.y as i32 + y as i32,
                            coverage,
                        ));
                    }
                });
            }
        }
        for (x, y, coverage) in pixels {
            let (x, y) = transform.transform(x, y);
            self.0.draw_pixel(
                (pos.0 + x, pos.1 + y),
                BackendColor {
                    alpha: color.alpha * f64::from(coverage.min(1.0)),
                    rgb: color.rgb,
                },
            )?;
        }
        Ok(())
    }
}
