//! [`Query`] → text that [`parse`](super::parse) reads back to the same query.

use super::{DateRange, Flag, PartialDate, Query, Term};
use std::fmt;

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, term) in self.terms.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{term}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::HasTag(tags) => write!(f, "+{}", tag_list(tags)),
            Term::LacksTag(tags) => write!(f, "-{}", tag_list(tags)),
            Term::Date(range) => write!(f, "@{range}"),
            Term::Source(s) => write!(f, "source:{}", value(s)),
            Term::Kicker(s) => write!(f, "kicker:{}", value(s)),
            Term::Is(flag) => write!(f, "is:{flag}"),
            Term::Text(s) => {
                let special = s.starts_with(['+', '-', '@', '"']) || has_key_prefix(s);
                if special || needs_quotes(s) { f.write_str(&quote(s)) } else { f.write_str(s) }
            }
        }
    }
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Flag::Bookmarked => "bookmarked",
            Flag::Read => "read",
            Flag::Unread => "unread",
        })
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.single
            && let Some(d) = self.from
        {
            return write!(f, "{d}");
        }
        if let Some(d) = self.from {
            write!(f, "{d}")?;
        }
        f.write_str("..")?;
        if let Some(d) = self.to {
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

fn has_key_prefix(s: &str) -> bool {
    let lower = s.to_lowercase();
    ["source:", "kicker:", "is:"].iter().any(|k| lower.starts_with(k))
}

fn needs_quotes(s: &str) -> bool {
    s.is_empty() || s.contains(|c: char| c.is_whitespace() || c == '"' || c == '|' || c == '\\')
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn value(s: &str) -> String {
    if needs_quotes(s) || s.starts_with('"') { quote(s) } else { s.to_string() }
}

fn tag_list(tags: &[String]) -> String {
    tags.iter()
        .map(|t| if needs_quotes(t) || t.starts_with('"') { quote(t) } else { t.clone() })
        .collect::<Vec<_>>()
        .join("|")
}

#[cfg(test)]
mod tests {
    use super::super::parse;

    #[test]
    fn prints_back_what_it_parsed() {
        for q in [
            r#"+Politik +"Thomas Bönig"|Bund -Sport"#,
            "@2021..2022-06 @..2020 @2023-02-28.. @2022",
            r#"source:"Der Bote" kicker:Kiel is:bookmarked is:unread is:read"#,
            r#"digital "smart city" "+not a tag" "source:word" "say \"hi\"""#,
        ] {
            let parsed = parse(q).unwrap();
            assert_eq!(parsed.to_string(), q);
            assert_eq!(parse(&parsed.to_string()).unwrap(), parsed);
        }
    }

    #[test]
    fn normalises_spacing_and_key_case() {
        assert_eq!(parse("  +a   SOURCE:x  ").unwrap().to_string(), "+a source:x");
    }
}
