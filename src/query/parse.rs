//! Query text → [`Query`], with errors that name the column.

use super::{DateRange, Flag, PartialDate, Query, Term};

/// A malformed query; `column` counts characters from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct QueryError {
    pub column: usize,
    pub message: String,
}

fn err<T>(column: usize, message: impl Into<String>) -> Result<T, QueryError> {
    Err(QueryError { column, message: message.into() })
}

/// Parses query text.
pub fn parse(input: &str) -> Result<Query, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut p = Parser { chars, pos: 0 };
    let mut terms = Vec::new();
    loop {
        p.skip_space();
        if p.pos >= p.chars.len() {
            break;
        }
        terms.push(p.term()?);
    }
    Ok(Query { terms })
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn column(&self) -> usize {
        self.pos + 1
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn at_end_of_token(&self) -> bool {
        self.peek().is_none_or(char::is_whitespace)
    }

    fn rest_starts_with(&self, prefix: &str) -> bool {
        let mut i = self.pos;
        for c in prefix.chars() {
            match self.chars.get(i) {
                Some(x) if x.to_lowercase().eq(c.to_lowercase()) => i += 1,
                _ => return false,
            }
        }
        true
    }

    fn term(&mut self) -> Result<Term, QueryError> {
        let start = self.column();
        match self.peek() {
            Some('+') => {
                self.pos += 1;
                Ok(Term::HasTag(self.tag_list(start)?))
            }
            Some('-') => {
                self.pos += 1;
                Ok(Term::LacksTag(self.tag_list(start)?))
            }
            Some('@') => {
                self.pos += 1;
                Ok(Term::Date(self.date_range(start)?))
            }
            Some('"') => Ok(Term::Text(self.quoted()?)),
            _ if self.rest_starts_with("source:") => {
                self.pos += 7;
                Ok(Term::Source(self.value(start, "source:")?))
            }
            _ if self.rest_starts_with("kicker:") => {
                self.pos += 7;
                Ok(Term::Kicker(self.value(start, "kicker:")?))
            }
            _ if self.rest_starts_with("is:") => {
                self.pos += 3;
                let word = self.bare();
                match word.to_lowercase().as_str() {
                    "bookmarked" => Ok(Term::Is(Flag::Bookmarked)),
                    "read" => Ok(Term::Is(Flag::Read)),
                    "unread" => Ok(Term::Is(Flag::Unread)),
                    _ => err(start, format!("unknown is:{word} (use is:bookmarked, is:read or is:unread)")),
                }
            }
            _ => Ok(Term::Text(self.bare())),
        }
    }

    /// A bare word: everything up to white space.
    fn bare(&mut self) -> String {
        let start = self.pos;
        while !self.at_end_of_token() {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    /// A `"quoted string"`; `\"` and `\\` escape.
    fn quoted(&mut self) -> Result<String, QueryError> {
        let open = self.column();
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return err(open, "unclosed quote"),
                Some('"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some('\\') if matches!(self.chars.get(self.pos + 1), Some('"' | '\\')) => {
                    out.push(self.chars[self.pos + 1]);
                    self.pos += 2;
                }
                Some(c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// The value after `source:` or `kicker:`: quoted or bare, not empty.
    fn value(&mut self, start: usize, key: &str) -> Result<String, QueryError> {
        let v = if self.peek() == Some('"') { self.quoted()? } else { self.bare() };
        if v.trim().is_empty() {
            return err(start, format!("{key} needs a value"));
        }
        Ok(v)
    }

    /// `a|"b c"|d` after `+` or `-`.
    fn tag_list(&mut self, start: usize) -> Result<Vec<String>, QueryError> {
        let mut tags = Vec::new();
        loop {
            let column = self.column();
            let tag = if self.peek() == Some('"') {
                self.quoted()?
            } else {
                let s = self.pos;
                while !self.at_end_of_token() && self.peek() != Some('|') {
                    self.pos += 1;
                }
                self.chars[s..self.pos].iter().collect()
            };
            if tag.trim().is_empty() {
                return err(column, "expected a tag name");
            }
            tags.push(tag.trim().to_string());
            match self.peek() {
                Some('|') => self.pos += 1,
                None => break,
                Some(c) if c.is_whitespace() => break,
                Some(_) => return err(self.column(), "expected | or a space after the tag"),
            }
        }
        if tags.is_empty() {
            return err(start, "expected a tag name");
        }
        Ok(tags)
    }

    fn date_range(&mut self, start: usize) -> Result<DateRange, QueryError> {
        let text = self.bare();
        let (from, to, single) = match text.split_once("..") {
            Some((a, b)) => (a, b, false),
            None => (text.as_str(), text.as_str(), true),
        };
        if from.is_empty() && to.is_empty() {
            return err(start, "a date range needs at least one end (like @2021.. or @..2020)");
        }
        let from_date = if from.is_empty() { None } else { Some(partial_date(from, start + 1)?) };
        let to_column = start + 1 + from.chars().count() + 2;
        let to_date = if to.is_empty() {
            None
        } else if single {
            from_date
        } else {
            Some(partial_date(to, to_column)?)
        };
        if let (Some(a), Some(b)) = (from_date, to_date)
            && a.first_day() > b.last_day()
        {
            return err(start, format!("the range @{text} ends before it starts"));
        }
        Ok(DateRange { from: from_date, to: to_date, single })
    }
}

/// `2022`, `2022-02` or `2022-02-22`.
fn partial_date(s: &str, column: usize) -> Result<PartialDate, QueryError> {
    let bad = || err(column, format!("bad date {s:?} (use YYYY, YYYY-MM or YYYY-MM-DD)"));
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &&str| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit());
    if parts.len() > 3 || parts[0].len() != 4 || !parts.iter().all(digits) {
        return bad();
    }
    // Only ASCII digits, at most four: these parses cannot fail.
    let num = |p: &str| p.parse::<u32>().unwrap_or(0);
    let date = PartialDate {
        year: num(parts[0]) as i32,
        month: parts.get(1).map(|m| num(m)),
        day: parts.get(2).map(|d| num(d)),
    };
    let month = date.month;
    if month.is_some_and(|m| !(1..=12).contains(&m)) || date.first_day().is_none() || date.last_day().is_none() {
        return bad();
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(s: &str) -> Vec<Term> {
        parse(s).expect("parses").terms
    }

    #[test]
    fn tags_with_alternatives_quotes_and_negation() {
        assert_eq!(
            terms(r#"+Politik +"Thomas Bönig"|Bund -Sport"#),
            vec![
                Term::HasTag(vec!["Politik".into()]),
                Term::HasTag(vec!["Thomas Bönig".into(), "Bund".into()]),
                Term::LacksTag(vec!["Sport".into()]),
            ]
        );
    }

    #[test]
    fn date_forms() {
        let d = |y, m, d| Some(PartialDate { year: y, month: m, day: d });
        assert_eq!(
            terms("@2022"),
            vec![Term::Date(DateRange { from: d(2022, None, None), to: d(2022, None, None), single: true })]
        );
        assert_eq!(
            terms("@2021..2022-06"),
            vec![Term::Date(DateRange { from: d(2021, None, None), to: d(2022, Some(6), None), single: false })]
        );
        assert_eq!(
            terms("@..2020"),
            vec![Term::Date(DateRange { from: None, to: d(2020, None, None), single: false })]
        );
        assert_eq!(
            terms("@2023-02-28.."),
            vec![Term::Date(DateRange { from: d(2023, Some(2), Some(28)), to: None, single: false })]
        );
    }

    #[test]
    fn keys_words_and_phrases() {
        assert_eq!(
            terms(r#"source:heise Kicker:"Neue Welt" is:unread digital "smart city""#),
            vec![
                Term::Source("heise".into()),
                Term::Kicker("Neue Welt".into()),
                Term::Is(Flag::Unread),
                Term::Text("digital".into()),
                Term::Text("smart city".into()),
            ]
        );
    }

    #[test]
    fn errors_name_the_column() {
        assert_eq!(parse(r#"a "open"#).unwrap_err().column, 3);
        assert_eq!(parse("x @2022-13").unwrap_err().column, 4);
        assert_eq!(parse("@2021..20x").unwrap_err().column, 8);
        assert_eq!(parse("@2021-02-30").unwrap_err().column, 2);
        assert_eq!(parse("+").unwrap_err().column, 2);
        assert_eq!(parse("+a|").unwrap_err().column, 4);
        assert!(parse("is:maybe").unwrap_err().message.contains("is:maybe"));
        assert!(parse("@2023..2021").is_err());
    }
}
