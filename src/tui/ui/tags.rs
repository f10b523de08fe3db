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
    let mode = if app.query().tags_any_of() || app.tags().any_of { "any" } else { "all" };
    let order = if app.tags().by_name { "a-z" } else { "count" };
    // While narrowing by name, that is what the title says (the pane is narrow).
    let title = if app.tags().find.is_empty() {
        Line::from(format!(" Tags · {mode} · {order} "))
    } else {
        Line::from(format!(" Tags · find \"{}\" ", app.tags().find))
    };
    let body = inner(area);
    let height = body.height as usize;
    let (above, below) = app.tags().hidden(height);
    let more = match (above, below) {
        (0, 0) => String::new(),
        (a, 0) => format!(" ↑{a} "),
        (0, b) => format!(" ↓{b} "),
        (a, b) => format!(" ↑{a} ↓{b} "),
    };
    let block = pane_block(app, Pane::Tags, title).title_bottom(Line::from(more).right_aligned());
    frame.render_widget(block, area);
    if app.tags().rows.is_empty() {
        frame.render_widget(Line::styled("no tags", app.theme().dim), body);
        return;
    }
    let cols = body.width as usize;
    for (i, row) in app.tags().visible(height).into_iter().enumerate() {
        let tag = app.tags().rows[row];
        let name = app.collection().tags.name(tag);
        let count = app.counts().get(tag.0 as usize).copied().unwrap_or(0);
        let (mark, style) = match app.query().tag_state(name) {
            TagState::Included => ("[+]", app.theme().include),
            TagState::Excluded => ("[-]", app.theme().exclude),
            TagState::Neutral if count == 0 => ("[ ]", app.theme().dim),
            TagState::Neutral => ("[ ]", app.theme().body),
        };
        let number = if app.settled() { count.to_string() } else { "…".to_string() };
        let name_cols = cols.saturating_sub(4 + width(&number) + 1);
        let count_style = if count == 0 { app.theme().dim } else { app.theme().meta };
        // The cursor row takes the selection colours whole: a red or green
        // tag on the selection's background would be hard to read.
        let selected = row == app.tags().selected && app.focus() == Pane::Tags;
        let (style, count_style) =
            if selected { (app.theme().selected, app.theme().selected) } else { (style, count_style) };
        let line = Line::from(vec![
            Span::styled(format!("{mark} "), style),
            Span::styled(fit(name, name_cols), style),
            Span::styled(format!(" {number}"), count_style),
        ])
        .style(if selected { app.theme().selected } else { ratatui::style::Style::new() });
        frame.render_widget(line, Rect { y: body.y + i as u16, height: 1, ..body });
    }
}
