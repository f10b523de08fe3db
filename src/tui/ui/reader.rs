//! The reading pane: the article's rendered lines, styled, with search hits
//! highlighted and a position indicator.

use super::pane_block;
use crate::render::LineKind;
use crate::tui::app::App;
use crate::tui::layout::{Pane, inner};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let body = inner(area);
    let height = body.height as usize;
    let total = app.reader().lines.len();
    let shown_to = (app.reader().scroll + height).min(total);
    let position = if total == 0 {
        String::new()
    } else if !app.reader().complete() {
        format!(" {}-{}/{}+ … ", app.reader().scroll + 1, shown_to, total)
    } else if total <= height {
        " all ".to_string()
    } else {
        format!(" {}-{}/{} {}% ", app.reader().scroll + 1, shown_to, total, shown_to * 100 / total)
    };
    let hint = if app.zoom() { " Reader · z unzooms " } else { " Reader " };
    let block = pane_block(app, Pane::Reader, Line::from(hint)).title_bottom(Line::from(position).right_aligned());
    frame.render_widget(block, area);
    if app.reader().lines.is_empty() {
        let text = if app.matches().is_empty() { "" } else { "select an article" };
        frame.render_widget(Line::styled(text, app.theme().dim), body);
        return;
    }
    let text_area = Rect { x: body.x + 1, width: body.width.saturating_sub(1), ..body };
    for (i, line) in app.reader().lines.iter().skip(app.reader().scroll).take(height).enumerate() {
        let style = style_for(app, line.kind);
        let ranges = app.reader().hit_ranges.get(&(app.reader().scroll + i)).map(Vec::as_slice).unwrap_or(&[]);
        let rendered = highlight(&line.text, ranges, style, app.theme().hit);
        frame.render_widget(rendered, Rect { y: text_area.y + i as u16, height: 1, ..text_area });
    }
}

fn style_for(app: &App, kind: LineKind) -> Style {
    let t = &app.theme();
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

/// Splits `text` into spans, styling the hit ranges the reader view found.
pub fn highlight(text: &str, ranges: &[(usize, usize)], base: Style, hit: Style) -> Line<'static> {
    if ranges.is_empty() {
        return Line::styled(text.to_string(), base);
    }
    let mut spans = Vec::new();
    let mut at = 0;
    for &(start, end) in ranges {
        let (start, end) = (start.clamp(at, text.len()), end.min(text.len()));
        if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        spans.push(Span::styled(text[at..start].to_string(), base));
        spans.push(Span::styled(text[start..end].to_string(), hit));
        at = end;
    }
    spans.push(Span::styled(text[at..].to_string(), base));
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_exactly_the_ranges_given() {
        let line = highlight("ab förde cd förde", &[(3, 9), (13, 19)], Style::new(), Style::new().bold());
        let styled: Vec<&str> = line
            .spans
            .iter()
            .filter(|s| s.style.add_modifier.contains(ratatui::style::Modifier::BOLD))
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(styled, ["förde", "förde"]);
        assert_eq!(line.spans.iter().map(|s| s.content.as_ref()).collect::<String>(), "ab förde cd förde");
    }
}
