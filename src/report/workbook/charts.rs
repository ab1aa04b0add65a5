//! How every native chart of the workbook looks, in one place: value axes from zero,
//! whole-number ticks for counts, data labels, this year in the strong colour and last
//! year in grey (listed first, as the bars are drawn), levels as shades of one colour.

use rust_xlsxwriter::{
    Chart, ChartAxis, ChartDataLabel, ChartFormat, ChartLine, ChartLineDashType, ChartSeries,
    ChartSolidFill,
};

use super::{ChartRange, DARK_BLUE, RATE_FORMAT};

/// This year: the strong colour of the workbook.
pub(crate) const THIS_YEAR: u32 = DARK_BLUE;
/// Last year: grey, so it reads as background and not as "bad".
pub(crate) const LAST_YEAR: u32 = 0xA6A6A6;
/// The target line.
pub(crate) const TARGET: u32 = 0xC00000;
/// Shades of one blue, light to dark, for ordered levels (KLASSA 0–4).
pub(crate) const LEVEL_SHADES: [u32; 5] = [0xDEEBF7, 0x9DC3E6, 0x5B9BD5, 0x2E75B6, 0x1F4E79];

/// A solid fill of one colour (bars, columns, pie slices).
pub(crate) fn fill(color: u32) -> ChartFormat {
    let mut f = ChartFormat::new();
    f.set_solid_fill(ChartSolidFill::new().set_color(color));
    f
}

/// A line of one colour (line charts).
pub(crate) fn line(color: u32, width: f64) -> ChartFormat {
    let mut f = ChartFormat::new();
    f.set_line(ChartLine::new().set_color(color).set_width(width));
    f
}

/// A value axis for counts: from zero, ticks on whole numbers.
pub(crate) fn count_axis(axis: &mut ChartAxis, max: f64) {
    axis.set_min(0.0).set_num_format("0");
    let step = match max {
        m if m <= 8.0 => 1.0,
        m if m <= 16.0 => 2.0,
        m if m <= 40.0 => 5.0,
        m if m <= 80.0 => 10.0,
        _ => 0.0,
    };
    if step > 0.0 {
        axis.set_major_unit(step);
    }
}

/// A value axis for shares: 0–100 %.
pub(crate) fn rate_axis(axis: &mut ChartAxis) {
    axis.set_min(0.0)
        .set_max(1.0)
        .set_major_unit(0.2)
        .set_num_format(RATE_FORMAT);
}

/// Shows each bar's value.
pub(crate) fn label_values(series: &mut ChartSeries) {
    series.set_data_label(ChartDataLabel::new().show_value());
}

/// Last year's series (grey, when the data has it) and then this year's (strong), from
/// a table whose column 0 holds the categories, column `first` this year and the next
/// column last year. Bars get their values as labels; `as_lines` draws lines instead.
pub(crate) fn year_series(
    chart: &mut Chart,
    src: &ChartRange,
    first: u16,
    year: i32,
    previous: &str,
    as_lines: bool,
) {
    let s = src.sheet.as_str();
    let mut add = |name: &str, col: u16, color: u32, labels: bool| {
        let series = chart
            .add_series()
            .set_name(name)
            .set_categories((s, src.first_row, 0, src.last_row, 0))
            .set_values((s, src.first_row, col, src.last_row, col));
        if as_lines {
            series.set_format(&mut line(color, 2.25));
        } else {
            series.set_format(&mut fill(color));
            if labels {
                label_values(series);
            }
        }
    };
    if src.has_previous {
        add(previous, first + 1, LAST_YEAR, false);
    }
    add(&year.to_string(), first, THIS_YEAR, true);
}

/// A dashed target line series over the same categories, from a column holding the
/// target on every row.
pub(crate) fn target_series(chart: &mut Chart, src: &ChartRange, col: u16, name: &str) {
    let s = src.sheet.as_str();
    let mut format = ChartFormat::new();
    format.set_line(
        ChartLine::new()
            .set_color(TARGET)
            .set_width(2.0)
            .set_dash_type(ChartLineDashType::Dash),
    );
    chart
        .add_series()
        .set_name(name)
        .set_categories((s, src.first_row, 0, src.last_row, 0))
        .set_values((s, src.first_row, col, src.last_row, col))
        .set_format(&mut format);
}
