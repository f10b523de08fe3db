//! HTML to an article's paragraphs, keeping the structure a reader needs:
//! paragraphs, headings, list items, quotes, preformatted lines, tables as
//! aligned rows, images as markers, and links numbered in the text.
//!
//! It runs on html5ever's tokenizer, not on a document tree: every tag costs
//! the same whatever the nesting, so 100,000 nested elements or a
//! megabyte-long paragraph take linear time (a tree builder looks through
//! the open elements for most tags, which is quadratic in depth).

use super::is_web_link;
use crate::article::{Para, ParaKind};
use crate::sanitize::{clean_line, clean_text};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use std::cell::RefCell;
use std::collections::HashMap;
use url::Url;

/// The numbered list of an article's links, shared by its text and its
/// link list: the number shown in the text is the link's place here.
#[derive(Debug, Default)]
pub struct Links {
    list: Vec<String>,
    numbers: HashMap<String, u32>,
}

impl Links {
    /// A list whose first entry is the article's own address, which
    /// [`crate::Article::all_links`] puts first.
    pub fn starting_with(url: Option<&str>) -> Self {
        let mut links = Links::default();
        if let Some(u) = url {
            links.number(u.to_string());
        }
        links
    }

    /// The link's number (from 1), adding it when it is new.
    pub fn number(&mut self, link: String) -> u32 {
        if let Some(&n) = self.numbers.get(&link) {
            return n;
        }
        self.list.push(link.clone());
        let n = self.list.len() as u32;
        self.numbers.insert(link, n);
        n
    }

    /// How many links are numbered.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Forgets the links numbered after the first `n` (a text that was dropped).
    pub fn truncate(&mut self, n: usize) {
        for link in self.list.drain(n.min(self.list.len())..) {
            self.numbers.remove(&link);
        }
    }

    /// The links after the article's own address.
    pub fn into_rest(self, url: Option<&str>) -> Vec<String> {
        let skip = usize::from(url.is_some());
        self.list.into_iter().skip(skip).collect()
    }
}

/// Converts an HTML fragment. Relative links are resolved against `base`;
/// links that are not http(s) are dropped.
pub fn to_paras(html: &str, base: Option<&Url>, links: &mut Links) -> Vec<Para> {
    let state = Converter { base: base.cloned(), links: std::mem::take(links), ..Converter::default() };
    let tokenizer = Tokenizer::new(Sink(RefCell::new(state)), TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    let mut state = tokenizer.sink.0.into_inner();
    state.finish();
    *links = state.links;
    state.paras
}

/// A text field's paragraphs: HTML when it says so or looks so (RSS
/// descriptions rarely say), otherwise plain text whose blank lines (or,
/// without any, line breaks) separate paragraphs.
pub fn text_paras(text: &str, html: bool, base: Option<&Url>, links: &mut Links) -> Vec<Para> {
    if html || looks_like_html(text) {
        return to_paras(text, base, links);
    }
    let text = text.replace("\r\n", "\n");
    let separator = if text.contains("\n\n") { "\n\n" } else { "\n" };
    text.split(separator).map(decode_line).filter(|p| !p.is_empty()).map(Para::from).collect()
}

/// HTML meant for one line (a title): its text, with entities decoded.
pub fn to_line(html: &str) -> String {
    let mut links = Links::default();
    let paras = to_paras(html, None, &mut links);
    clean_line(&paras.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(" "))
}

/// Plain text that may still hold character references (`&amp;`, `&#8211;`),
/// as many feeds write titles: decoded and cleaned to one line.
pub fn decode_line(text: &str) -> String {
    if text.contains('&') { clean_line(&html_escape::decode_html_entities(text)) } else { clean_line(text) }
}

/// True when a text field looks like markup rather than plain text.
pub fn looks_like_html(text: &str) -> bool {
    let Some(at) = text.find('<') else { return false };
    let next = text[at + 1..].chars().next();
    next.is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!')
}

/// True when the summary says nothing the content does not: it is the
/// content's beginning, or found in it (a teaser cut with `…` included).
pub fn repeats(summary: &[Para], content: &[Para]) -> bool {
    let letters = |paras: &[Para]| -> String {
        let text = join(paras);
        let text = text.trim_end().trim_end_matches(['…', '.', ']', '[', ' ']);
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '[' {
                // Skip link numbers `[12]`, which differ with the link list.
                let rest: String = chars.clone().take_while(|d| *d != ']').collect();
                if !rest.is_empty() && rest.chars().all(|d| d.is_ascii_digit()) {
                    chars.nth(rest.len());
                    continue;
                }
            }
            if c.is_alphanumeric() {
                out.extend(c.to_lowercase());
            }
        }
        out
    };
    let s = letters(summary);
    !s.is_empty() && letters(content).contains(&s)
}

pub fn join(paras: &[Para]) -> String {
    paras
        .iter()
        .filter(|p| !matches!(p.kind, ParaKind::Image { .. }))
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first running-text paragraph becomes the lead when it opens the text.
pub fn split_lead(mut paras: Vec<Para>) -> (Option<String>, Vec<Para>) {
    match paras.first() {
        Some(p) if p.kind == ParaKind::Text => (Some(paras.remove(0).text), paras),
        _ => (None, paras),
    }
}

/// How deep elements nest in `html` (end tags missing or not), found
/// with the tokenizer alone, in linear time.
pub fn max_depth(html: &str) -> usize {
    struct Depth(RefCell<(usize, usize)>);
    impl TokenSink for Depth {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            if let Token::TagToken(tag) = token {
                let mut d = self.0.borrow_mut();
                let void = VOID.contains(&&*tag.name) || tag.self_closing;
                match tag.kind {
                    TagKind::StartTag if !void => {
                        d.0 += 1;
                        d.1 = d.1.max(d.0);
                    }
                    TagKind::EndTag if !void => d.0 = d.0.saturating_sub(1),
                    _ => {}
                }
                return match &*tag.name {
                    "script" if tag.kind == TagKind::StartTag => TokenSinkResult::RawData(RawKind::ScriptData),
                    "style" if tag.kind == TagKind::StartTag => TokenSinkResult::RawData(RawKind::Rawtext),
                    _ => TokenSinkResult::Continue,
                };
            }
            TokenSinkResult::Continue
        }
    }
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "p", "li",
    ];
    let tokenizer = Tokenizer::new(Depth(RefCell::new((0, 0))), TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink.0.into_inner().1
}

/// Lists nested deeper than this are drawn at this depth.
const MAX_DEPTH: usize = 8;

/// Elements whose content is never shown.
const SKIPPED: &[&str] = &[
    "script", "style", "template", "svg", "math", "iframe", "object", "noscript", "select", "title", "head", "button",
];

/// Elements that end the paragraph before them and start a new one after.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "figure",
    "figcaption",
    "address",
    "dl",
    "dt",
    "dd",
    "details",
    "summary",
    "hr",
    "center",
    "form",
    "fieldset",
    "caption",
    "body",
    "html",
];

#[derive(Default)]
struct Converter {
    base: Option<Url>,
    links: Links,
    paras: Vec<Para>,
    /// The paragraph being gathered, white space already collapsed.
    text: String,
    heading: bool,
    quote: usize,
    /// Open lists: the next number for `<ol>`, `None` for `<ul>`.
    lists: Vec<Option<u32>>,
    /// Lists opened beyond the depth kept in `lists`.
    lists_beyond: usize,
    /// The kind of the next paragraph inside an open `<li>`.
    item: Option<ParaKind>,
    pre: usize,
    pre_text: String,
    /// The element whose content is skipped, and how deep inside it we are.
    skip: Option<(String, usize)>,
    /// Open `<a>`: the link and where its text started. It is numbered
    /// when it closes, and only if it had text (not for a linked image).
    anchors: Vec<Option<(String, usize)>>,
    table: Table,
}

#[derive(Default)]
struct Table {
    depth: usize,
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    in_cell: bool,
}

struct Sink(RefCell<Converter>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut c = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => return c.tag(&tag),
            Token::CharacterTokens(t) => c.characters(&t),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl Converter {
    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let start = tag.kind == TagKind::StartTag;
        if let Some((skipped, depth)) = &mut self.skip {
            if skipped == name {
                if start && !tag.self_closing {
                    *depth += 1;
                } else if !start {
                    *depth -= 1;
                    if *depth == 0 {
                        self.skip = None;
                    }
                }
            }
            return TokenSinkResult::Continue;
        }
        if start {
            if SKIPPED.contains(&name) {
                if !tag.self_closing {
                    self.skip = Some((name.to_string(), 1));
                }
                return match name {
                    "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                    "style" | "noscript" | "iframe" => TokenSinkResult::RawData(RawKind::Rawtext),
                    "title" => TokenSinkResult::RawData(RawKind::Rcdata),
                    _ => TokenSinkResult::Continue,
                };
            }
            self.open(name, tag);
            if tag.self_closing {
                self.close(name);
            }
        } else {
            self.close(name);
        }
        TokenSinkResult::Continue
    }

    fn open(&mut self, name: &str, tag: &Tag) {
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                self.heading = true;
            }
            "ul" | "ol" | "menu" => {
                self.flush();
                let first = attr(tag, "start").and_then(|s| s.trim().parse().ok()).unwrap_or(1);
                if self.lists.len() < MAX_DEPTH {
                    self.lists.push((name == "ol").then_some(first));
                } else {
                    self.lists_beyond += 1;
                }
            }
            "li" => {
                self.flush();
                let depth = self.lists.len().saturating_sub(1) as u8;
                let number = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let this = *n;
                        *n = n.saturating_add(1);
                        Some(this)
                    }
                    _ => None,
                };
                self.item = Some(ParaKind::Item { depth, number });
            }
            "blockquote" => {
                self.flush();
                self.quote += 1;
            }
            "pre" | "listing" | "xmp" | "plaintext" => {
                self.flush();
                self.pre += 1;
            }
            "table" => {
                if self.table.depth == 0 {
                    self.flush();
                }
                self.table.depth += 1;
            }
            "tr" if self.table.depth == 1 => self.end_row(),
            "td" | "th" if self.table.depth == 1 => {
                self.end_cell();
                self.table.in_cell = true;
            }
            "br" => self.line_break(),
            "img" => self.image(tag),
            "a" => {
                let link = attr(tag, "href").and_then(|h| self.resolve(h));
                self.anchors.push(link.map(|l| (l, self.text.len())));
            }
            _ if BLOCKS.contains(&name) => self.flush(),
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                self.heading = false;
            }
            "ul" | "ol" | "menu" => {
                self.flush();
                if self.lists_beyond > 0 {
                    self.lists_beyond -= 1;
                } else {
                    self.lists.pop();
                }
                self.item = None;
            }
            "li" => {
                self.flush();
                self.item = None;
            }
            "blockquote" => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
            }
            "pre" | "listing" | "xmp" | "plaintext" if self.pre > 0 => {
                self.pre -= 1;
                if self.pre == 0 {
                    self.end_pre();
                }
            }
            "td" | "th" if self.table.depth == 1 => self.end_cell(),
            "tr" if self.table.depth == 1 => self.end_row(),
            "table" if self.table.depth > 0 => {
                self.table.depth -= 1;
                if self.table.depth == 0 {
                    self.end_table();
                }
            }
            "a" => {
                if let Some(Some((link, from))) = self.anchors.pop()
                    && self.text.len() > from
                    && !self.text[from..].trim().is_empty()
                {
                    let n = self.links.number(link);
                    let space = self.text.ends_with(' ');
                    if space {
                        self.text.pop();
                    }
                    self.text.push_str(&format!("[{n}]"));
                    if space {
                        self.text.push(' ');
                    }
                }
            }
            _ if BLOCKS.contains(&name) => self.flush(),
            _ => {}
        }
    }

    fn characters(&mut self, t: &str) {
        if self.skip.is_some() {
            return;
        }
        if self.pre > 0 && self.table.depth == 0 {
            self.pre_text.push_str(t);
            return;
        }
        for c in t.chars() {
            if c.is_whitespace() {
                if !self.text.is_empty() && !self.text.ends_with(' ') {
                    self.text.push(' ');
                }
            } else {
                self.text.push(c);
            }
        }
    }

    fn line_break(&mut self) {
        if self.pre > 0 {
            self.pre_text.push('\n');
        } else {
            self.flush();
        }
    }

    fn image(&mut self, tag: &Tag) {
        let tiny = |a: &str| attr(tag, a).is_some_and(|v| matches!(v.trim(), "0" | "1" | "0px" | "1px"));
        if tiny("width") || tiny("height") {
            return; // a tracking pixel
        }
        let alt = clean_line(attr(tag, "alt").unwrap_or(""));
        let link = attr(tag, "src").and_then(|s| self.resolve(s)).map(|l| self.links.number(l));
        if link.is_none() && alt.is_empty() {
            return;
        }
        if self.table.depth > 0 || (alt.chars().count() <= 2 && !alt.is_empty()) {
            // In a cell, or an emoji drawn as an image: its text stays inline.
            self.characters(&alt);
            return;
        }
        self.flush();
        self.paras.push(Para::new(ParaKind::Image { link }, alt));
    }

    /// The text gathered so far, leaving none. Anchors still open go on in
    /// what is gathered next.
    fn take_text(&mut self) -> String {
        for (_, from) in self.anchors.iter_mut().flatten() {
            *from = 0;
        }
        std::mem::take(&mut self.text)
    }

    /// Ends the paragraph being gathered.
    fn flush(&mut self) {
        if self.table.depth > 0 {
            self.characters(" ");
            return;
        }
        let text = clean_line(&self.take_text());
        if text.is_empty() {
            return;
        }
        let kind = if self.heading {
            ParaKind::Heading
        } else if let Some(item) = self.item.take() {
            item
        } else if self.quote > 0 {
            ParaKind::Quote
        } else {
            ParaKind::Text
        };
        self.paras.push(Para::new(kind, text));
    }

    fn end_pre(&mut self) {
        let raw = std::mem::take(&mut self.pre_text);
        let text = clean_text(&raw);
        let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
        let first = lines.iter().position(|l| !l.is_empty());
        let last = lines.iter().rposition(|l| !l.is_empty());
        if let (Some(a), Some(b)) = (first, last) {
            self.flush();
            self.paras.push(Para::new(ParaKind::Pre, lines[a..=b].join("\n")));
        }
    }

    fn end_cell(&mut self) {
        if self.table.in_cell {
            self.table.in_cell = false;
            let cell = clean_line(&self.take_text());
            self.table.row.push(cell);
        }
    }

    fn end_row(&mut self) {
        self.end_cell();
        let row = std::mem::take(&mut self.table.row);
        if row.iter().any(|c| !c.is_empty()) {
            self.table.rows.push(row);
        }
    }

    fn end_table(&mut self) {
        self.end_row();
        let leftover = clean_line(&self.take_text());
        let rows = std::mem::take(&mut self.table.rows);
        if !leftover.is_empty() {
            self.paras.push(Para::from(leftover));
        }
        self.paras.extend(table_paras(&rows));
    }

    fn finish(&mut self) {
        if self.pre > 0 {
            self.pre = 0;
            self.end_pre();
        }
        if self.table.depth > 0 {
            self.table.depth = 0;
            self.end_table();
        }
        self.flush();
    }

    fn resolve(&self, href: &str) -> Option<String> {
        resolve(href, self.base.as_ref())
    }
}

/// An absolute http(s) address for `href`, resolved against `base` when
/// it is relative; `None` for any other kind of address.
pub fn resolve(href: &str, base: Option<&Url>) -> Option<String> {
    let href = href.trim();
    let url = match Url::parse(href) {
        Ok(u) => u,
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(href).ok()?,
        Err(_) => return None,
    };
    let url = clean_line(url.as_str());
    is_web_link(&url).then_some(url)
}

fn attr<'t>(tag: &'t Tag, name: &str) -> Option<&'t str> {
    tag.attrs.iter().find(|a| &*a.name.local == name).map(|a| &*a.value)
}

/// Tables wider than this are shown one row per paragraph, cells separated
/// by ` | `, since aligned columns would not fit a reading pane.
const MAX_TABLE_WIDTH: usize = 88;

/// A table as aligned rows (one preformatted paragraph), or as one paragraph
/// per row when it is too wide for that.
fn table_paras(rows: &[Vec<String>]) -> Vec<Para> {
    if rows.is_empty() {
        return vec![];
    }
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(crate::text::width(cell));
        }
    }
    let total = widths.iter().sum::<usize>() + 2 * columns.saturating_sub(1);
    if total > MAX_TABLE_WIDTH {
        return rows.iter().map(|r| Para::from(r.join(" | "))).collect();
    }
    let lines: Vec<String> = rows
        .iter()
        .map(|row| {
            let cells: Vec<String> = row.iter().enumerate().map(|(i, c)| crate::text::fit(c, widths[i])).collect();
            cells.join("  ").trim_end().to_string()
        })
        .collect();
    vec![Para::new(ParaKind::Pre, lines.join("\n"))]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(html: &str) -> (Vec<Para>, Vec<String>) {
        let mut links = Links::default();
        let paras = to_paras(html, Url::parse("https://example.org/news/a.html").ok().as_ref(), &mut links);
        (paras, links.into_rest(None))
    }

    fn kinds(paras: &[Para]) -> Vec<ParaKind> {
        paras.iter().map(|p| p.kind).collect()
    }

    #[test]
    fn paragraphs_headings_and_links_numbered_in_the_text() {
        let (paras, links) = convert(
            "<h2>Neu</h2><p>Mehr zur <a href=\"/specials/infra/\">Infrastruktur</a> und \
             <a href='https://other.example/x'>hier</a>.</p><p>Wieder <a href=\"/specials/infra/\">Infra</a></p>",
        );
        assert_eq!(paras, ["Neu", "Mehr zur Infrastruktur[1] und hier[2].", "Wieder Infra[1]"]);
        assert_eq!(kinds(&paras)[0], ParaKind::Heading);
        assert_eq!(links, ["https://example.org/specials/infra/", "https://other.example/x"]);
    }

    #[test]
    fn numbers_count_from_the_article_address() {
        let mut links = Links::starting_with(Some("https://example.org/a"));
        let paras = to_paras("<a href=\"https://example.org/b\">B</a>", None, &mut links);
        assert_eq!(paras, ["B[2]"]);
        assert_eq!(links.into_rest(Some("https://example.org/a")), ["https://example.org/b"]);
    }

    #[test]
    fn lists_keep_bullets_numbers_and_depth() {
        let (paras, _) =
            convert("<p>Vorher</p><ul><li>eins</li><li>zwei<ol start=\"3\"><li>drei</li><li>vier</li></ol></li></ul>");
        assert_eq!(paras, ["Vorher", "eins", "zwei", "drei", "vier"]);
        assert_eq!(
            kinds(&paras)[1..],
            [
                ParaKind::Item { depth: 0, number: None },
                ParaKind::Item { depth: 0, number: None },
                ParaKind::Item { depth: 1, number: Some(3) },
                ParaKind::Item { depth: 1, number: Some(4) },
            ]
        );
    }

    #[test]
    fn pre_keeps_its_lines_and_quotes_are_marked() {
        let (paras, _) = convert(
            "<pre>\nfn main() {\n    println!(\"&lt;hi&gt;\");\n}\n</pre><blockquote><p>Zitat</p></blockquote>",
        );
        assert_eq!(paras[0], Para::new(ParaKind::Pre, "fn main() {\n    println!(\"<hi>\");\n}"));
        assert_eq!(paras[1], Para::new(ParaKind::Quote, "Zitat"));
    }

    #[test]
    fn tables_become_aligned_rows() {
        let (paras, _) =
            convert("<table><tr><th>Stadt</th><th>Einwohner</th></tr><tr><td>Kiel</td><td>247.000</td></tr></table>");
        assert_eq!(paras, [Para::new(ParaKind::Pre, "Stadt  Einwohner\nKiel   247.000")]);
    }

    #[test]
    fn images_are_markers_with_a_link_and_pixels_vanish() {
        let (paras, links) = convert(
            "<img src=\"/bild.jpg\" alt=\"Die Förde\"><p>Text</p><img src=\"https://t.example/p.gif\" width=\"1\" height=\"1\">",
        );
        assert_eq!(paras[0], Para::new(ParaKind::Image { link: Some(1) }, "Die Förde"));
        assert_eq!(paras[1], "Text");
        assert_eq!(links, ["https://example.org/bild.jpg"]);
    }

    #[test]
    fn scripts_styles_and_unsafe_links_leave_nothing() {
        let (paras, links) = convert(
            "<style>p{}</style><script>if (a<b) document.write('<p>x</p>')</script><p><a href=\"javascript:alert(1)\">klick</a></p>",
        );
        assert_eq!(paras, ["klick"]);
        assert!(links.is_empty());
    }

    #[test]
    fn a_link_open_across_table_cells_never_cuts_a_letter() {
        // The link opens 3 bytes into the first cell; the next cell's text is longer, with
        // a letter across that byte.
        let (paras, _) = convert("<table><tr><td>öa<a href=\"/x\">b</td><td>üüü</a></td></tr></table>");
        assert!(paras.iter().any(|p| p.text.contains("üüü[1]")), "{paras:?}");
    }

    #[test]
    fn titles_decode_entities() {
        assert_eq!(decode_line("Rechenzentrum &amp; Cloud"), "Rechenzentrum & Cloud");
        assert_eq!(decode_line("Blog &#8211; InfluxData"), "Blog – InfluxData");
        assert_eq!(to_line("<b>Fett</b> &amp; dünn"), "Fett & dünn");
        assert!(looks_like_html("a <p>b"));
        assert!(!looks_like_html("a < b"));
    }

    #[test]
    fn deep_nesting_is_linear() {
        let n = 100_000;
        let html =
            format!("{}Tief{}", "<div><ul><li><blockquote>".repeat(n), "</blockquote></li></ul></div>".repeat(n));
        let start = std::time::Instant::now();
        let (paras, _) = convert(&html);
        assert_eq!(paras.len(), 1);
        assert!(matches!(paras[0].kind, ParaKind::Item { depth: 7, .. }), "{:?}", paras[0].kind);
        assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    }
}
