//! The reading pane: the article's rendered lines, styled, with search hits
//! highlighted and a position indicator.

use super::pane_block;
use crate::render::LineKind;
use crate::text::fold;
use crate::tui::app::App;
use crate::tui::layout::{Pane, inner};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let body = inner(area);
    let height = body.height as usize;
    let total = app.reader.lines.len();
    let shown_to = (app.reader.scroll + height).min(total);
    let position = if total == 0 {
        String::new()
    } else if !app.reader.complete() {
        format!(" {}-{}/{}+ … ", app.reader.scroll + 1, shown_to, total)
    } else if total <= height {
        " all ".to_string()
    } else {
        format!(" {}-{}/{} {}% ", app.reader.scroll + 1, shown_to, total, shown_to * 100 / total)
    };
    let hint = if app.zoom { " Reader · z unzooms " } else { " Reader " };
    let block = pane_block(app, Pane::Reader, Line::from(hint)).title_bottom(Line::from(position).right_aligned());
    frame.render_widget(block, area);
    if app.reader.lines.is_empty() {
        let text = if app.matches.is_empty() { "" } else { "select an article" };
        frame.render_widget(Line::styled(text, app.theme.dim), body);
        return;
    }
    let terms: Vec<String> = app.query.text_terms().iter().map(|t| fold(t)).collect();
    let text_area = Rect { x: body.x + 1, width: body.width.saturating_sub(1), ..body };
    for (i, line) in app.reader.lines.iter().skip(app.reader.scroll).take(height).enumerate() {
        let style = style_for(app, line.kind);
        let rendered = highlight(&line.text, &terms, style, app.theme.hit);
        frame.render_widget(rendered, Rect { y: text_area.y + i as u16, height: 1, ..text_area });
    }
}

fn style_for(app: &App, kind: LineKind) -> Style {
    let t = &app.theme;
    match kind {
        LineKind::Title => t.title,
        LineKind::Meta => t.meta,
        LineKind::Lead => t.lead,
        LineKind::Body | LineKind::Blank | LineKind::Item => t.body,
        LineKind::Quote | LineKind::Image => t.lead,
        LineKind::Pre => t.meta,
        LineKind::Heading => t.heading,
        LineKind::Link => t.link,
        LineKind::Tags => t.tags,
        LineKind::Credit => t.dim,
    }
}

/// Splits `text` into spans, marking case-insensitive occurrences of `terms`.
pub fn highlight(text: &str, terms: &[String], base: Style, hit: Style) -> Line<'static> {
    let ranges = hit_ranges(text, terms);
    if ranges.is_empty() {
        return Line::styled(text.to_string(), base);
    }
    let mut spans = Vec::new();
    let mut at = 0;
    for (start, end) in ranges {
        if start < at {
            continue;
        }
        spans.push(Span::styled(text[at..start].to_string(), base));
        spans.push(Span::styled(text[start..end].to_string(), hit));
        at = end;
    }
    spans.push(Span::styled(text[at..].to_string(), base));
    Line::from(spans)
}

/// Byte ranges of `text` where a folded term starts, compared char by char.
fn hit_ranges(text: &str, terms: &[String]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (start, _) in text.char_indices() {
        for term in terms.iter().filter(|t| !t.is_empty()) {
            let mut want = term.chars().peekable();
            let mut end = start;
            for (off, c) in text[start..].char_indices() {
                if want.peek().is_none() {
                    break;
                }
                let mut ok = true;
                for lc in c.to_lowercase() {
                    if want.next() != Some(lc) {
                        ok = false;
                        break;
                    }
                }
                if !ok {
                    break;
                }
                end = start + off + c.len_utf8();
            }
            if want.peek().is_none() && end > start {
                out.push((start, end));
                break;
            }
        }
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_case_insensitive_hits_with_umlauts() {
        let r = hit_ranges("Die Förde und die FÖRDE", &["förde".to_string()]);
        assert_eq!(r.len(), 2);
        assert_eq!(&"Die Förde und die FÖRDE"[r[1].0..r[1].1], "FÖRDE");
        let line = highlight("ab förde cd", &["förde".to_string()], Style::new(), Style::new().bold());
        assert_eq!(line.spans.len(), 3);
        assert_eq!(line.spans[1].content, "förde");
    }
}
