//! The tag pane: tags with faceted counts and their state in the filter.

use super::pane_block;
use crate::query::TagState;
use crate::text::{fit, width};
use crate::tui::app::App;
use crate::tui::layout::{Pane, inner};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let mode = if app.query.tags_any_of() { "any" } else { "all" };
    let order = if app.tags.by_name { "a-z" } else { "count" };
    let find = if app.tags.find.is_empty() { String::new() } else { format!(" /{}", app.tags.find) };
    let title = Line::from(format!(" Tags · {mode} · {order}{find} "));
    frame.render_widget(pane_block(app, Pane::Tags, title), area);
    let body = inner(area);
    if app.tags.rows.is_empty() {
        frame.render_widget(Line::styled("no tags", app.theme.dim), body);
        return;
    }
    let cols = body.width as usize;
    let visible = app.tags.rows.iter().enumerate().skip(app.tags.offset).take(body.height as usize);
    for (i, (row, &tag)) in visible.enumerate() {
        let name = app.collection.tags.name(tag);
        let count = app.counts.get(tag.0 as usize).copied().unwrap_or(0);
        let (mark, style) = match app.query.tag_state(name) {
            TagState::Included => ("[+]", app.theme.include),
            TagState::Excluded => ("[-]", app.theme.exclude),
            TagState::Neutral if count == 0 => ("[ ]", app.theme.dim),
            TagState::Neutral => ("[ ]", app.theme.body),
        };
        let number = count.to_string();
        let name_cols = cols.saturating_sub(4 + width(&number) + 1);
        let mut line = Line::from(vec![
            Span::styled(format!("{mark} "), style),
            Span::styled(fit(name, name_cols), style),
            Span::styled(format!(" {number}"), if count == 0 { app.theme.dim } else { app.theme.meta }),
        ]);
        if row == app.tags.selected && app.focus == Pane::Tags {
            line = line.style(app.theme.selected);
        }
        frame.render_widget(line, Rect { y: body.y + i as u16, height: 1, ..body });
    }
}
