//! The article model: what every loader produces and everything else reads.

use chrono::NaiveDate;
use std::fmt;
use std::path::PathBuf;

/// A stable identifier: the source's own id where it has one, otherwise a hash
/// of the normalised title and date, so it survives renames and moves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct ArticleId(pub String);

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl ArticleId {
    /// Derives an id from what identifies an article's content.
    pub fn from_content(title: &str, date: Option<NaiveDate>) -> Self {
        let key = format!("{}\u{1f}{}", crate::text::fold(title), date.map(|d| d.to_string()).unwrap_or_default());
        ArticleId(format!("{:016x}", fnv1a(key.as_bytes())))
    }
}

/// FNV-1a, 64 bit: stable across runs, platforms and Rust versions (unlike
/// the standard library's hasher), which is all an id needs.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// One news article, with every field already sanitised and in NFC.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    pub id: ArticleId,
    pub title: String,
    pub kicker: Option<String>,
    pub date: Option<NaiveDate>,
    pub lead: Option<String>,
    pub body: Vec<String>,
    pub tags: Vec<String>,
    pub links: Vec<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub image_credit: Option<String>,
    pub lang: Option<String>,
    /// The file the article came from.
    pub path: PathBuf,
    /// A bookmark whose article is no longer in the collection: only its
    /// snapshot is known, and it shows only where bookmarks are asked for.
    pub missing: bool,
}

impl Article {
    /// The date as `YYYY-MM-DD`, the one form blatt shows and exports.
    pub fn date_text(&self) -> Option<String> {
        self.date.map(|d| d.format("%Y-%m-%d").to_string())
    }

    /// The link `o` opens: the article's url, else its first link.
    pub fn primary_link(&self) -> Option<&str> {
        self.url.as_deref().or_else(|| self.links.first().map(String::as_str))
    }

    /// Every link the article names, url first, without repeats.
    pub fn all_links(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for l in self.url.iter().chain(self.links.iter()) {
            if !out.contains(&l.as_str()) {
                out.push(l);
            }
        }
        out
    }
}
