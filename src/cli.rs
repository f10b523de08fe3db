//! The scriptable commands: `list`, `tags`, `show`, `check`. Each returns
//! the process exit code; output goes to the given writers so tests can
//! read it.

use crate::collection::{Collection, LoadOptions, WordsDone};
use crate::formats::Content;
use crate::query::{self, Flags, Query};
use crate::render;
use crate::text::{fit, thousands, truncate, width};
use serde_json::{Value, json};
use std::io::Write;

/// Exit codes shared by every command.
pub mod exit {
    pub const OK: i32 = 0;
    pub const PROBLEMS: i32 = 1;
    pub const USAGE: i32 = 2;
}

/// Parses `-q` text, or prints its error (naming the column) and gives the exit code.
pub fn parse_query(text: Option<&str>, err: &mut dyn Write) -> Result<Query, i32> {
    match query::parse(text.unwrap_or("")) {
        Ok(q) => Ok(q),
        Err(e) => {
            let _ = writeln!(err, "blatt: bad query: {e}");
            Err(exit::USAGE)
        }
    }
}

/// How `list` and `tags`, which print no article text, load: without leads
/// and bodies. A query for words in them uses (and keeps up) the word index
/// beside the index on disk; without an index it loads the text.
pub fn options_for(query: &Query, base: &LoadOptions) -> LoadOptions {
    match (query.has_text_terms(), &base.cache) {
        (false, _) => without_text(base),
        (true, Some(_)) => LoadOptions { words: true, ..without_text(base) },
        (true, None) => LoadOptions { content: Content::Full, ..base.clone() },
    }
}

/// How `check` and `bookmarks` load: without leads and bodies.
pub fn without_text(base: &LoadOptions) -> LoadOptions {
    LoadOptions { content: Content::Metadata, headlines: false, ..base.clone() }
}

/// Prints what happened to the index, then every loading problem, one
/// `PATH[:LINE]: reason` a line.
pub fn report_problems(collection: &Collection, err: &mut dyn Write) {
    for note in &collection.notes {
        let _ = writeln!(err, "blatt: {}", crate::sanitize::clean_line(note));
    }
    for p in &collection.problems {
        let _ = writeln!(err, "{p}");
    }
}

/// `indexing: 1,234 / 5,678 files, about 3 s left`: the progress of a load.
pub fn progress_line(done: usize, total: usize, elapsed: std::time::Duration) -> String {
    let left = if done > 0 && total > done {
        let secs = elapsed.as_secs_f64() * (total - done) as f64 / done as f64;
        format!(", about {} s left", secs.ceil() as u64)
    } else {
        String::new()
    };
    format!("indexing: {} / {} files{left}", thousands(done), thousands(total))
}

/// `blatt index`: what the index holds and what changed; exit 1 when it
/// could not be written.
pub fn report_index(
    collection: &Collection,
    took: std::time::Duration,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    report_problems(collection, err);
    let Some((path, current)) = &collection.index_file else {
        let _ = writeln!(err, "blatt: index: no index was made");
        return exit::PROBLEMS;
    };
    let changes =
        collection.changes.unwrap_or(crate::collection::Changes { new: collection.files_read, ..Default::default() });
    let plural = |n: usize, one: &str, many: &str| format!("{} {}", thousands(n), if n == 1 { one } else { many });
    let _ = writeln!(
        out,
        "{}: {} ({} new, {} changed, {} removed, {} unchanged), {}, {} in {:.1} s",
        crate::sanitize::display_path(path),
        plural(collection.files_read, "file", "files"),
        thousands(changes.new),
        thousands(changes.changed),
        thousands(changes.removed),
        thousands(changes.unchanged),
        plural(collection.len(), "article", "articles"),
        plural(collection.problems.len(), "problem", "problems"),
        took.as_secs_f64()
    );
    let words = match collection.words_done {
        WordsDone::Nothing => None,
        WordsDone::Opened => Some("up to date".to_string()),
        WordsDone::Made => Some(format!("made anew from {}", plural(collection.files_read, "file", "files"))),
        WordsDone::Updated(n) => Some(format!("brought up to date, {} read again", plural(n, "file", "files"))),
    };
    if let Some(words) = words {
        let _ = writeln!(out, "word index: {words}");
    }
    if *current { exit::OK } else { exit::PROBLEMS }
}

/// A hint on stderr for each tag the query names that the collection lacks.
pub fn report_unknown_tags(collection: &Collection, q: &Query, err: &mut dyn Write) {
    for hint in collection.tags.unknown_in(q) {
        let _ = writeln!(err, "blatt: {}", crate::sanitize::clean_line(&hint));
    }
}

/// The `list --json` object of one article.
pub fn article_json(collection: &Collection, index: usize, flags: &dyn Flags) -> Value {
    let a = &collection.articles[index];
    json!({
        "id": a.id.0,
        "title": a.title,
        "kicker": a.kicker,
        "date": a.date_text(),
        "time": a.time.map(|t| t.to_rfc3339()),
        "tags": a.tags,
        "source": a.source,
        "author": a.details.author,
        "image_credit": a.details.image_credit,
        "links": a.details.links,
        "enclosures": a.details.enclosures.iter().map(|e| json!({"url": e.url, "type": e.mime, "length": e.length})).collect::<Vec<_>>(),
        "url": a.url,
        "path": a.path.to_string_lossy(),
        "bookmarked": flags.is_bookmarked(&a.id),
        "read": flags.is_read(&a.id),
    })
}

/// `blatt list`: matching articles as aligned lines, JSON, or a count.
pub fn list(
    collection: &Collection,
    q: &Query,
    flags: &dyn Flags,
    json_out: bool,
    count: bool,
    term_width: Option<usize>,
    out: &mut dyn Write,
) -> i32 {
    let matches = query::filter(collection, q, flags);
    if count {
        let _ = writeln!(out, "{}", matches.len());
        return exit::OK;
    }
    if json_out {
        let items: Vec<Value> = matches.iter().map(|&i| article_json(collection, i, flags)).collect();
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&items).unwrap_or_default());
        return exit::OK;
    }
    let kicker_cols =
        matches.iter().filter_map(|&i| collection.articles[i].kicker.as_deref()).map(width).max().unwrap_or(0).min(20);
    for &i in &matches {
        let a = &collection.articles[i];
        let date = a.date_text().unwrap_or_else(|| " ".repeat(10));
        let mut line = format!("{date}  {}", fit(a.kicker.as_deref().unwrap_or(""), kicker_cols));
        line.push_str("  ");
        line.push_str(&a.title);
        if !a.tags.is_empty() {
            line.push_str("  [");
            line.push_str(&a.tags.join(", "));
            line.push(']');
        }
        let line = match term_width {
            Some(w) => truncate(&line, w),
            None => line,
        };
        if writeln!(out, "{}", line.trim_end()).is_err() {
            break; // a closed pipe (`| head`) is not an error
        }
    }
    exit::OK
}

/// `blatt tags`: tags with the number of matching articles, most used first.
pub fn tags(collection: &Collection, q: &Query, flags: &dyn Flags, json_out: bool, out: &mut dyn Write) -> i32 {
    let counts =
        query::Evaluation::new(flags).counts(query::Counts::Plain).run(collection, q).unwrap_or_default().counts;
    print_tags(collection, &counts, json_out, out)
}

/// `blatt tags` with the counts known (by tag id): most used first.
pub fn print_tags(collection: &Collection, counts: &[usize], json_out: bool, out: &mut dyn Write) -> i32 {
    let ranked = query::ranked(collection, counts);
    if json_out {
        let items: Vec<Value> =
            ranked.iter().map(|(t, c)| json!({"tag": collection.tags.name(*t), "count": c})).collect();
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&items).unwrap_or_default());
    } else {
        let digits = ranked.first().map(|(_, c)| c.to_string().len()).unwrap_or(1);
        for (t, c) in ranked {
            if writeln!(out, "{c:>digits$}  {}", collection.tags.name(t)).is_err() {
                break;
            }
        }
    }
    exit::OK
}

/// `blatt show ID`: one article as the reading pane shows it, or as JSON.
pub fn show(
    collection: &Collection,
    id: &str,
    flags: &dyn Flags,
    json_out: bool,
    text_width: usize,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let index = match collection.find_by_id_prefix(id) {
        Ok(i) => i,
        Err(e) => {
            let _ = writeln!(err, "blatt: {e}");
            return exit::PROBLEMS;
        }
    };
    // Found through the index; its text is read from its file.
    let a = match collection.read_full(index) {
        Ok(a) => a,
        Err(e) => {
            let _ = writeln!(err, "blatt: {}", crate::sanitize::clean_line(&e));
            return exit::PROBLEMS;
        }
    };
    if json_out {
        let mut obj = article_json(collection, index, flags);
        obj["lead"] = json!(a.details.lead);
        obj["body"] = json!(a.details.body.iter().map(|p| &p.text).collect::<Vec<_>>());
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&obj).unwrap_or_default());
    } else {
        for line in render::render(&a, text_width) {
            let _ = writeln!(out, "{}", line.text);
        }
    }
    exit::OK
}

/// `blatt check`: a summary; exit 0 only when every file loaded cleanly.
pub fn check(collection: &Collection, out: &mut dyn Write) -> i32 {
    let files_with_problems: std::collections::HashSet<_> = collection.problems.iter().map(|p| &p.path).collect();
    use crate::text::count;
    let _ = writeln!(
        out,
        "{} from {}; {} in {}",
        count(collection.len(), "article", "articles"),
        count(collection.files_read, "file", "files"),
        count(collection.problems.len(), "problem", "problems"),
        count(files_with_problems.len(), "file", "files")
    );
    if collection.problems.is_empty() { exit::OK } else { exit::PROBLEMS }
}

/// How `blatt bookmarks` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookmarkFormat {
    Text,
    Json,
    Markdown,
}

/// `blatt bookmarks`: every bookmark, newest first. With a collection, those
/// whose article is no longer in it are marked missing.
pub fn bookmarks(
    state: &crate::store::State,
    collection: Option<&Collection>,
    format: BookmarkFormat,
    out: &mut dyn Write,
) -> i32 {
    let present: Option<std::collections::HashSet<&crate::ArticleId>> =
        collection.map(|c| c.articles.iter().map(|a| &a.id).collect());
    let when = |at: u64| {
        chrono::DateTime::from_timestamp_millis(at as i64)
            .map(|d| d.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    };
    let rows = state.bookmarks();
    match format {
        BookmarkFormat::Json => {
            let items: Vec<Value> = rows
                .iter()
                .map(|(id, s, at)| {
                    json!({
                        "id": crate::sanitize::clean_line(&id.0), "title": s.title, "date": s.date, "source": s.source, "url": s.url,
                        "path": s.path, "bookmarked_at": when(*at),
                        "missing": present.as_ref().map(|p| !p.contains(id)),
                    })
                })
                .collect();
            let _ = writeln!(out, "{}", serde_json::to_string_pretty(&items).unwrap_or_default());
        }
        BookmarkFormat::Markdown => {
            for (id, s, at) in &rows {
                let title = match &s.url {
                    Some(u) => format!("[{}]({u})", s.title.replace(['[', ']'], "")),
                    None => s.title.clone(),
                };
                let extra: Vec<String> = [s.date.clone(), s.source.clone()].into_iter().flatten().collect();
                let missing = if present.as_ref().is_some_and(|p| !p.contains(id)) { " (missing)" } else { "" };
                let _ = writeln!(out, "- {title} — {}{missing} (bookmarked {})", extra.join(", "), when(*at));
            }
        }
        BookmarkFormat::Text => {
            for (id, s, at) in &rows {
                let missing = if present.as_ref().is_some_and(|p| !p.contains(id)) { "  [missing]" } else { "" };
                let date = s.date.clone().unwrap_or_else(|| " ".repeat(10));
                let _ = writeln!(
                    out,
                    "{date}  {}  {}{missing}\n            {}  bookmarked {}",
                    s.title,
                    s.source.as_deref().unwrap_or(""),
                    s.url.as_deref().or(s.path.as_deref()).unwrap_or(""),
                    when(*at)
                );
            }
        }
    }
    exit::OK
}
