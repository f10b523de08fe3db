//! Publication dates as feeds and files write them, right and wrong:
//! RFC 3339 and RFC 2822 first, then the common mistakes (zone names such as
//! `CEST`, missing seconds, German month and day names, a space for the `T`).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

/// A date as read: the publisher's local day, and the full timestamp with
/// the publisher's offset where the text gives a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub date: NaiveDate,
    pub time: Option<DateTime<FixedOffset>>,
}

impl Stamp {
    fn at(time: DateTime<FixedOffset>) -> Self {
        Stamp { date: time.date_naive(), time: Some(time) }
    }
}

/// Reads a date, or `None` when no known form fits.
pub fn parse(raw: &str) -> Option<Stamp> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 80 {
        return None;
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(Stamp { date: d, time: None });
    }
    if let Some(t) = strict(s) {
        return Some(Stamp::at(t));
    }
    let mended = mend(s);
    strict(&mended).or_else(|| loose(&mended)).map(Stamp::at)
}

/// Reads a date, or says why not: `date "…" not understood; shown undated`.
pub fn read(raw: &str) -> Result<Stamp, String> {
    parse(raw).ok_or_else(|| format!("date {:?} not understood; shown undated", crate::sanitize::clean_line(raw)))
}

fn strict(s: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s).ok().or_else(|| DateTime::parse_from_rfc2822(s).ok())
}

/// Forms without seconds, with a space for `T`, or without any offset
/// (taken as UTC, which is what such feeds mostly mean).
fn loose(s: &str) -> Option<DateTime<FixedOffset>> {
    const ZONED: &[&str] = &[
        "%d %b %Y %H:%M %z",
        "%d %b %Y %H:%M:%S %z",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M%z",
        "%Y-%m-%d %H:%M %z",
    ];
    const LOCAL: &[&str] = &[
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%d %b %Y %H:%M:%S",
        "%d %b %Y %H:%M",
    ];
    let s = s.trim_end_matches('Z');
    for f in ZONED {
        if let Ok(t) = DateTime::parse_from_str(s, f) {
            return Some(t);
        }
    }
    for f in LOCAL {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return FixedOffset::east_opt(0)?.from_local_datetime(&t).single();
        }
    }
    // A date alone, in the RFC 2822 word form.
    NaiveDate::parse_from_str(s, "%d %b %Y").ok().and_then(|d| {
        let t = d.and_hms_opt(0, 0, 0)?;
        FixedOffset::east_opt(0)?.from_local_datetime(&t).single()
    })
}

/// Zone names and German words replaced by what RFC 2822 expects; a
/// leading day name dropped (it only repeats the date, and is often wrong).
fn mend(s: &str) -> String {
    let words: Vec<&str> = s.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        let bare = w.trim_end_matches('.');
        if i == 0 && is_day_name(bare) {
            continue;
        }
        if let Some(offset) = zone_offset(bare) {
            out.push(offset.to_string());
        } else if let Some(month) = month_name(bare) {
            out.push(month.to_string());
        } else {
            out.push(bare.to_string());
        }
    }
    // `1. März 2024` leaves the day as `1`; a lone `T` split is not expected.
    out.join(" ")
}

fn is_day_name(w: &str) -> bool {
    const DAYS: &[&str] = &[
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "mo",
        "di",
        "mi",
        "do",
        "fr",
        "sa",
        "so",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    DAYS.contains(&w.to_lowercase().as_str())
}

fn zone_offset(w: &str) -> Option<&'static str> {
    Some(match w.to_ascii_uppercase().as_str() {
        "UT" | "UTC" | "GMT" | "Z" | "WET" => "+0000",
        "CET" | "MEZ" | "BST" | "WEST" => "+0100",
        "CEST" | "MESZ" | "EET" => "+0200",
        "EEST" => "+0300",
        "EST" => "-0500",
        "EDT" | "AST" => "-0400",
        "CST" => "-0600",
        "CDT" => "-0500",
        "MST" => "-0700",
        "MDT" => "-0600",
        "PST" => "-0800",
        "PDT" => "-0700",
        _ => return None,
    })
}

fn month_name(w: &str) -> Option<&'static str> {
    const MONTHS: [(&[&str], &str); 12] = [
        (&["januar", "jänner", "jan"], "Jan"),
        (&["februar", "feber", "feb"], "Feb"),
        (&["märz", "maerz", "mär", "mrz"], "Mar"),
        (&["april", "apr"], "Apr"),
        (&["mai"], "May"),
        (&["juni", "jun"], "Jun"),
        (&["juli", "jul"], "Jul"),
        (&["august", "aug"], "Aug"),
        (&["september", "sept", "sep"], "Sep"),
        (&["oktober", "okt"], "Oct"),
        (&["november", "nov"], "Nov"),
        (&["dezember", "dez"], "Dec"),
    ];
    let lower = w.to_lowercase();
    MONTHS.iter().find(|(names, _)| names.contains(&lower.as_str())).map(|(_, m)| *m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(raw: &str) -> String {
        match parse(raw) {
            Some(Stamp { time: Some(t), .. }) => t.to_rfc3339(),
            Some(Stamp { date, time: None }) => date.to_string(),
            None => "-".into(),
        }
    }

    #[test]
    fn keeps_the_publishers_offset_and_local_day() {
        let s = parse("Mon, 01 Jan 2024 00:30:00 +0100").unwrap();
        assert_eq!(s.date, NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(), "not the UTC day, 31 December");
        assert_eq!(shown("Mon, 01 Jan 2024 00:30:00 +0100"), "2024-01-01T00:30:00+01:00");
        assert_eq!(shown("2003-12-13T08:29:29-04:00"), "2003-12-13T08:29:29-04:00");
        assert_eq!(shown("2024-02-29"), "2024-02-29");
    }

    #[test]
    fn common_wrong_forms() {
        assert_eq!(shown("Tue, 02 Jul 2024 14:05:00 CEST"), "2024-07-02T14:05:00+02:00");
        assert_eq!(shown("Tue, 02 Jul 2024 14:05 +0200"), "2024-07-02T14:05:00+02:00");
        assert_eq!(shown("Di, 02 Jul 2024 14:05:00 +0200"), "2024-07-02T14:05:00+02:00");
        assert_eq!(shown("Mi, 06 März 2024 09:00:00 MEZ"), "2024-03-06T09:00:00+01:00");
        assert_eq!(shown("06 Okt. 2024 09:00 +0200"), "2024-10-06T09:00:00+02:00");
        assert_eq!(shown("2024-03-06 09:00:00"), "2024-03-06T09:00:00+00:00");
        assert_eq!(shown("2024-03-06T09:00Z"), "2024-03-06T09:00:00+00:00");
        assert_eq!(shown("Wed, 6 Mar 2024 09:00:00 PST"), "2024-03-06T09:00:00-08:00");
    }

    #[test]
    fn nonsense_is_none() {
        for raw in ["", "gestern", "32 Jan 2024 10:00 +0100", "2024-13-01", &"9".repeat(200)] {
            assert_eq!(parse(raw), None, "{raw}");
        }
    }
}
