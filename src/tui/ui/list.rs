//! The article list: one row per article, only the visible rows built.

use super::pane_block;
use crate::text::{fit, truncate, width};
use crate::tui::app::App;
use crate::tui::layout::{Pane, inner};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let title = Line::from(format!(" Articles · {} ", app.sort().label()));
    frame.render_widget(pane_block(app, Pane::List, title), area);
    let body = inner(area);
    if app.matches().is_empty() {
        let text = if app.searching().is_some() { "searching…" } else { "nothing matches the filter (c clears it)" };
        frame.render_widget(Line::styled(truncate(text, body.width as usize), app.theme().dim), body);
        return;
    }
    let rows = app.matches().iter().enumerate().skip(app.list_offset()).take(body.height as usize);
    for (i, (row, &index)) in rows.enumerate() {
        let line = row_line(app, index, body.width as usize, row == app.selected());
        let rect = Rect { y: body.y + i as u16, height: 1, ..body };
        frame.render_widget(line, rect);
    }
}

/// One row: read and bookmark markers, date, kicker, title, then tags if room.
fn row_line(app: &App, index: usize, cols: usize, selected: bool) -> Line<'static> {
    let article = &app.collection().articles[index];
    let read = app.marks().state().is_read(&article.id);
    let marked = app.marks().state().bookmark(&article.id).is_some();
    let theme = &app.theme();
    let mut spans = vec![
        Span::styled(if read { " " } else { "•" }, theme.unread),
        Span::styled(if marked { "★" } else { " " }, theme.bookmark),
        Span::raw(" "),
    ];
    let date = article.date_text().unwrap_or_else(|| " ".repeat(10));
    let mut used = 3;
    if cols >= 40 {
        spans.push(Span::styled(format!("{date} "), theme.meta));
        used += 11;
    }
    let kicker_cols = if cols >= 70 { 14 } else { 0 };
    if kicker_cols > 0 {
        spans.push(Span::styled(format!("{} ", fit(article.kicker.as_deref().unwrap_or(""), kicker_cols)), theme.meta));
        used += kicker_cols + 1;
    }
    let room = cols.saturating_sub(used);
    let shown = if article.missing { format!("{} (missing)", article.title) } else { article.title.clone() };
    let title = truncate(&shown, room);
    let title_style = if read { theme.body } else { theme.unread };
    let rest = room.saturating_sub(width(&title));
    spans.push(Span::styled(title, title_style));
    if rest > 6 && !article.tags.is_empty() {
        spans.push(Span::styled(truncate(&format!("  {}", article.tags.join(", ")), rest), theme.tags));
    }
    let line = Line::from(spans);
    if selected { line.style(theme.selected) } else { line }
}
