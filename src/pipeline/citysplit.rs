//! A city-wide file split by förvaltning as it is read: the city's incident log (or
//! roster) lies in the batch's root folder, and each förvaltning's rows wait, packed,
//! for their unit. Read whole, the log was held as cells while it was split (at city
//! scale 170 MB, on one thread before any unit could start); split as it streams in,
//! each row goes to its part at once ([`AdministrationRouter`], the same routing as for a
//! sheet read whole) and only the packed parts are kept. The xlsx and CSV readers show a
//! long sheet's first rows to [`CitySplitStream`]; a sheet that is not recognised, has
//! no förvaltning column, or needs every row at once (merged cells) is read whole and
//! split as before.

use crate::ingest::packed::Packer;
use crate::ingest::{Cell, RawSheet, Recogniser, RowHook, RowSink, StreamAbort, Streamed};
use crate::pipeline::load::{AdministrationRouter, Route};

/// The hook given to the readers for a city-wide file.
pub struct CitySplitStream<'c> {
    pub rec: &'c Recogniser,
}

/// What a streamed city-wide sheet gave: its parts, in the order their förvaltningar
/// first appear, and the data rows (1-based) with a blank förvaltning.
pub struct CityParts {
    pub parts: Vec<CityPart>,
    pub blank: Vec<u32>,
}

/// One förvaltning's rows: the header and the rows above it, then its data rows.
pub struct CityPart {
    /// The förvaltning as written in the file.
    pub administration: String,
    pub rows: Packer,
    /// The sheet rows (1-based) of the rows packed, in order.
    pub row_numbers: Vec<u32>,
}

impl RowHook for CitySplitStream<'_> {
    fn begin(&mut self, head: &RawSheet, _rows_hint: usize) -> Option<Box<dyn RowSink + '_>> {
        // As `split_city_file` recognises a sheet read whole.
        let map = self.rec.recognise(&head.rows).ok()?;
        let router = AdministrationRouter::new(&map)?;
        let header_rows = head.rows.get(..=map.header_index)?.to_vec();
        let header_numbers = (0..header_rows.len()).map(|i| head.excel_row(i)).collect();
        Some(Box::new(CitySplitSink {
            router,
            first_data_row: map.header_index + 1,
            header_rows,
            header_numbers,
            parts: Vec::new(),
            blank: Vec::new(),
            first_window: true,
        }))
    }
}

struct CitySplitSink {
    router: AdministrationRouter,
    first_data_row: usize,
    /// Copied into every part, as `load::part_sheet` does.
    header_rows: Vec<Vec<Cell>>,
    header_numbers: Vec<u32>,
    parts: Vec<CityPart>,
    blank: Vec<u32>,
    first_window: bool,
}

impl RowSink for CitySplitSink {
    fn take(&mut self, window: &RawSheet) -> Result<(), StreamAbort> {
        // The first window is the head: its data rows start under the header.
        let first = if std::mem::take(&mut self.first_window) {
            self.first_data_row
        } else {
            0
        };
        for (i, row) in window.rows.iter().enumerate().skip(first) {
            let number = window.excel_row(i);
            let part = match self.router.route(row) {
                Route::Part(part) => part,
                Route::NewPart(administration) => {
                    let mut rows = Packer::default();
                    for head in &self.header_rows {
                        rows.push_row(head);
                    }
                    self.parts.push(CityPart {
                        administration,
                        rows,
                        row_numbers: self.header_numbers.clone(),
                    });
                    self.parts.len() - 1
                }
                Route::Blank => {
                    self.blank.push(number);
                    continue;
                }
                Route::Empty => continue,
            };
            // Parts are created in order: the index is always there.
            if let Some(part) = self.parts.get_mut(part) {
                part.rows.push_row(row);
                part.row_numbers.push(number);
            }
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<Streamed, StreamAbort> {
        Ok(Streamed::new(Box::new(CityParts {
            parts: self.parts,
            blank: self.blank,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Limits};
    use crate::ingest::packed::PackedSheet;
    use crate::pipeline::load::{part_sheet, split_by_administration};

    /// A city-wide incident log under a title, long enough to stream: förvaltningar
    /// written in several ways, rows without one, empty rows, Swedish and odd texts.
    fn city_log(rows: usize) -> Vec<Vec<String>> {
        let header = [
            "Ärendenummer",
            "Registreringsdatum",
            "Händelsedatum",
            "Kategori",
            "Personuppgiftsincident",
            "Förvaltning",
            "Enhet",
        ];
        let units = [
            "Södermalm",
            "södermalm ",
            "SÖDERMALM",
            "Hägersten-Älvsjö",
            "Hägersten\u{2010}Älvsjö",
            "Enskede-Årsta-Vantör",
            "Östermalm\u{a0}",
            "Överförmyndarförvaltningen",
        ];
        let categories = [
            "Nätfiske",
            "Felskickad e-post",
            "Förlorad enhet",
            "Obehörig åtkomst",
        ];
        let mut out = vec![
            vec!["Informationssäkerhetsärenden – Stockholms stad (fiktiv)".to_string()],
            vec![],
            header.iter().map(|h| h.to_string()).collect(),
        ];
        for n in 0..rows {
            if n % 97 == 13 {
                out.push(vec![]);
                continue;
            }
            let unit = if n % 211 == 5 {
                ""
            } else {
                units[(n * 7 + n / 50) % units.len()]
            };
            out.push(vec![
                format!("IA-2025-{n:06}"),
                format!("2025-{:02}-{:02}", n % 12 + 1, n % 28 + 1),
                format!("2025-{:02}-{:02}", n % 12 + 1, n % 27 + 1),
                categories[n % categories.len()].to_string(),
                if n % 3 == 0 { "Ja" } else { "Nej" }.to_string(),
                unit.to_string(),
                format!("Enhet {} – hemtjänst", n % 17),
            ]);
        }
        out
    }

    fn csv_of(rows: &[Vec<String>]) -> Vec<u8> {
        let mut text = String::new();
        for row in rows {
            text.push_str(&row.join(";"));
            text.push('\n');
        }
        text.into_bytes()
    }

    fn xlsx_of(rows: &[Vec<String>]) -> Vec<u8> {
        xlsx_with(rows, &[])
    }

    /// With merged ranges (first row, first column, last row, last column), each holding
    /// its first cell's value.
    fn xlsx_with(rows: &[Vec<String>], merges: &[(u32, u16, u32, u16)]) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let merged = |r: u32, c: u16| {
            merges
                .iter()
                .any(|m| (m.0..=m.2).contains(&r) && (m.1..=m.3).contains(&c))
        };
        for m in merges {
            let value = rows[m.0 as usize]
                .get(m.1 as usize)
                .cloned()
                .unwrap_or_default();
            sheet
                .merge_range(m.0, m.1, m.2, m.3, &value, &rust_xlsxwriter::Format::new())
                .expect("a merged range");
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                if !value.is_empty() && !merged(r as u32, c as u16) {
                    sheet
                        .write_string(r as u32, c as u16, value)
                        .expect("a cell");
                }
            }
        }
        book.save_to_buffer().expect("a workbook")
    }

    /// Whether the sheets were split as they streamed in.
    fn streams(bytes: Vec<u8>, ext: &str, limits: &Limits, rec: &Recogniser) -> bool {
        let mut hook = CitySplitStream { rec };
        let read =
            crate::ingest::read_bytes_with(bytes, ext, limits, Some(&mut hook)).expect("readable");
        read.sheets.iter().all(|s| s.streamed.is_some())
    }

    /// Each part as `split_city_file` gives it from the sheet read whole.
    fn split_whole(bytes: Vec<u8>, ext: &str, limits: &Limits, rec: &Recogniser) -> Vec<String> {
        let read = crate::ingest::read_bytes(bytes, ext, limits).expect("readable");
        let mut out = Vec::new();
        for sheet in read.sheets {
            assert!(sheet.streamed.is_none());
            let map = rec.recognise(&sheet.rows).expect("recognised");
            let (parts, blank) = split_by_administration(&sheet, &map).expect("a split");
            out.push(format!("blank {blank:?}"));
            let mut rows = sheet.rows.clone();
            for part in parts {
                let cut = part_sheet(&sheet, &mut rows, map.header_index, &part);
                let unpacked = PackedSheet::pack(cut).unpack();
                out.push(format!("{} {unpacked:?}", part.administration));
            }
        }
        out
    }

    /// Each part as `split_city_file` gives it from the sheet split as it streams in
    /// (or, when the sheet was read again whole, split as before).
    fn split_streamed(bytes: Vec<u8>, ext: &str, limits: &Limits, rec: &Recogniser) -> Vec<String> {
        let mut hook = CitySplitStream { rec };
        let read = crate::ingest::read_bytes_with(bytes.clone(), ext, limits, Some(&mut hook))
            .expect("readable");
        let mut out = Vec::new();
        for mut sheet in read.sheets {
            let Some(split) = sheet.streamed.take().and_then(|s| s.take::<CityParts>()) else {
                // Read again whole: split as `split_city_file` splits such a sheet.
                return split_whole(bytes, ext, limits, rec);
            };
            assert!(sheet.rows.len() < 600, "the rows were not held");
            out.push(format!("blank {:?}", split.blank));
            for part in split.parts {
                let facts = crate::pipeline::load::part_facts(&sheet, part.row_numbers);
                let unpacked = part.rows.finish(facts).unpack();
                out.push(format!("{} {unpacked:?}", part.administration));
            }
        }
        out
    }

    /// The default recogniser, and limits that stream a sheet after 300 rows.
    fn streaming_setup() -> (Limits, Recogniser) {
        let cfg = Config::default_config();
        let limits = Limits {
            stream_after_rows: 300,
            ..cfg.limits.clone()
        };
        (limits, Recogniser::new(&cfg))
    }

    #[test]
    fn parts_split_as_read_are_the_parts_of_the_whole_sheet() {
        let (limits, rec) = streaming_setup();
        let log = city_log(5_000);
        for (bytes, ext) in [(csv_of(&log), "csv"), (xlsx_of(&log), "xlsx")] {
            assert!(streams(bytes.clone(), ext, &limits, &rec), "{ext}");
            let whole = split_whole(bytes.clone(), ext, &limits, &rec);
            let streamed = split_streamed(bytes, ext, &limits, &rec);
            // Four förvaltningar (Södermalm written three ways is one), rows without one.
            assert_eq!(whole.len(), 1 + 5, "{ext}");
            assert!(
                whole[0].starts_with("blank [") && whole[0].len() > 12,
                "{ext}"
            );
            assert_eq!(whole, streamed, "{ext}");
        }
    }

    /// Merged ranges are only told at the sheet's end. A title merged across the columns
    /// spreads nothing: the sheet still streams. A range down the förvaltning column
    /// spreads its value over rows already passed: the sheet is read again whole and
    /// split as before. Both give the parts of the sheet read whole.
    #[test]
    fn merged_ranges_give_the_parts_of_the_whole_sheet() {
        let (limits, rec) = streaming_setup();
        let log = city_log(2_000);
        let title = xlsx_with(&log, &[(0, 0, 0, 6)]);
        assert!(streams(title.clone(), "xlsx", &limits, &rec));
        let whole = split_whole(title.clone(), "xlsx", &limits, &rec);
        assert_eq!(whole.len(), 1 + 5);
        assert_eq!(whole, split_streamed(title, "xlsx", &limits, &rec));

        let down = xlsx_with(&log, &[(0, 0, 0, 6), (1500, 5, 1504, 5)]);
        assert!(!streams(down.clone(), "xlsx", &limits, &rec));
        let whole_down = split_whole(down.clone(), "xlsx", &limits, &rec);
        assert_ne!(whole_down, whole, "the range spread its förvaltning");
        assert_eq!(whole_down, split_streamed(down, "xlsx", &limits, &rec));
    }
}
