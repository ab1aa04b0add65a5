//! How every native chart of the workbook looks, in one place: value axes from zero,
//! whole-number ticks for counts, data labels, this year in the strong colour and last
//! year in grey (listed first, as the bars are drawn), levels as shades of one colour.
//!
//! The review's main charts are drawn from their specifications
//! ([`crate::review::charts`]) by [`spec_chart`]: in the workbook over the data sheets'
//! tables, and in the Word document over the small data workbook [`data_workbook`]
//! embedded beside each chart.

use rust_xlsxwriter::{
    Chart, ChartAxis, ChartDataLabel, ChartFormat, ChartLegendPosition, ChartLine,
    ChartLineDashType, ChartSeries, ChartSolidFill, ChartType, DocProperties, ExcelDateTime,
    Format, Workbook, XlsxError,
};

use super::{ChartRange, RATE_FORMAT};
use crate::review::charts::{ChartKind, ChartSpec, SeriesRole};

pub(crate) use crate::review::charts::{LAST_YEAR, TARGET, THIS_YEAR};
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
    if let Some(step) = crate::review::charts::count_major_unit(max) {
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

/// Where a chart's data sit: the categories in one column and each series of the
/// specification in its own column, on rows `first_row..=last_row`; the series names on
/// `name_row` when the sheet has them in cells.
pub(crate) struct SpecCells<'a> {
    pub sheet: &'a str,
    pub first_row: u32,
    pub last_row: u32,
    pub category_col: u16,
    /// One column per series of the specification, in its order.
    pub series_cols: Vec<u16>,
    pub name_row: Option<u32>,
}

/// A dashed line of the target colour.
fn target_line() -> ChartFormat {
    let mut format = ChartFormat::new();
    format.set_line(
        ChartLine::new()
            .set_color(TARGET)
            .set_width(2.0)
            .set_dash_type(ChartLineDashType::Dash),
    );
    format
}

/// The chart a specification describes, over the cells that hold its data.
pub(crate) fn spec_chart(spec: &ChartSpec, cells: &SpecCells<'_>) -> Chart {
    let s = cells.sheet;
    let mut chart = Chart::new(match spec.kind {
        ChartKind::Bar => ChartType::Bar,
        ChartKind::Column => ChartType::Column,
        ChartKind::Line => ChartType::Line,
    });
    // A target over bars or columns is a line chart combined with them.
    let mut target: Option<Chart> = None;
    for (series, &col) in spec.series.iter().zip(&cells.series_cols) {
        let categories = (
            s,
            cells.first_row,
            cells.category_col,
            cells.last_row,
            cells.category_col,
        );
        let values = (s, cells.first_row, col, cells.last_row, col);
        let is_target = series.role == SeriesRole::Target;
        let on = if is_target && spec.kind != ChartKind::Line {
            target.get_or_insert_with(|| Chart::new(ChartType::Line))
        } else {
            &mut chart
        };
        let added = on
            .add_series()
            .set_categories(categories)
            .set_values(values);
        match cells.name_row {
            Some(r) => added.set_name((s, r, col)),
            None => added.set_name(series.name.as_str()),
        };
        if is_target {
            added.set_format(&mut target_line());
        } else if spec.kind == ChartKind::Line {
            added.set_format(&mut line(series.color, 2.25));
        } else {
            added.set_format(&mut fill(series.color));
        }
        if series.data_labels {
            let mut label = ChartDataLabel::new();
            label.show_value();
            if spec.axis.percent {
                label.set_num_format(RATE_FORMAT);
            }
            added.set_data_label(&label);
        }
    }
    if let Some(t) = &target {
        chart.combine(t);
    }
    chart.title().set_name(&spec.title);
    let axis = if spec.kind == ChartKind::Bar {
        // Horizontal bars: categories from the top down, values along the bottom.
        chart.y_axis().set_reverse();
        chart.x_axis()
    } else {
        chart.y_axis()
    };
    if spec.axis.percent {
        rate_axis(axis);
    } else {
        axis.set_min(0.0).set_num_format("0");
        if let Some(unit) = spec.axis.major_unit {
            axis.set_major_unit(unit);
        }
    }
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart
}

/// A small workbook holding a chart's data as Word keeps it beside a chart: sheet
/// "Blad1", the categories in column A, one column per series with its name in row 1.
/// With `with_chart` the chart itself is drawn on the sheet (its part is what the Word
/// document uses as the chart).
pub(crate) fn data_workbook(spec: &ChartSpec, with_chart: bool) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // Fast deflate: the parts are small XML, level 1 packs them nearly as tight as the
    // default level 6 at a fraction of the time (one workbook per unit in a batch).
    wb.set_zip_compression_level(1);
    // A fixed date: the same chart gives the same bytes.
    wb.set_properties(
        &DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    let percent = Format::new().set_num_format(RATE_FORMAT);
    let ws = wb.add_worksheet();
    ws.set_name("Blad1")?;
    ws.write_string(0, 0, &spec.category_title)?;
    for (i, c) in spec.categories.iter().enumerate() {
        ws.write_string(i as u32 + 1, 0, super::fitted(c))?;
    }
    for (j, series) in spec.series.iter().enumerate() {
        let col = j as u16 + 1;
        ws.write_string(0, col, super::fitted(&series.name))?;
        for (i, v) in series.values.iter().enumerate() {
            if let Some(v) = v {
                if spec.axis.percent {
                    ws.write_number_with_format(i as u32 + 1, col, *v, &percent)?;
                } else {
                    ws.write_number(i as u32 + 1, col, *v)?;
                }
            }
        }
    }
    ws.set_column_width(0, 28)?;
    if with_chart {
        let cells = SpecCells {
            sheet: "Blad1",
            first_row: 1,
            last_row: spec.categories.len().max(1) as u32,
            category_col: 0,
            series_cols: (1..=spec.series.len() as u16).collect(),
            name_row: Some(0),
        };
        let chart = spec_chart(spec, &cells);
        ws.insert_chart(cells.last_row + 2, 0, &chart)?;
    }
    wb.save_to_buffer()
}
