//! Overlays: the key help (built from the keymap) and the loading problems.

use super::{centered, overlay};
use crate::sanitize::clean_line;
use crate::text::fit;
use crate::tui::app::App;
use ratatui::Frame;
use ratatui::text::{Line, Span};

pub fn render_help(app: &App, frame: &mut Frame, scroll: usize) {
    let area = centered(frame.area(), 72, frame.area().height.saturating_sub(2));
    let mut lines = vec![];
    for (title, rows) in app.keymap().help() {
        lines.push(Line::styled(title, app.theme().heading));
        for (keys, text) in rows {
            lines.push(Line::from(vec![Span::styled(fit(&keys, 22), app.theme().include), Span::raw(text)]));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled("Query language: +tag -tag +a|b @2022 @2021..2022-06 source:x kicker:x", app.theme().dim));
    lines.push(Line::styled("is:unread is:read is:bookmarked word \"a phrase\"", app.theme().dim));
    overlay(frame, area, "keys · Esc closes", lines, scroll, app.theme().border_focused);
}

pub fn render_problems(app: &App, frame: &mut Frame, scroll: usize) {
    let area = centered(frame.area(), frame.area().width.saturating_sub(4), frame.area().height.saturating_sub(2));
    let cols = area.width.saturating_sub(2).max(10) as usize;
    // Long paths and reasons wrap; every problem starts a new line.
    let mut lines: Vec<Line> = app
        .collection()
        .problems
        .iter()
        .flat_map(|p| crate::render::wrap_unhyphenated(&clean_line(&p.to_string()), cols))
        .map(Line::raw)
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled("Every file loaded cleanly.", app.theme().dim));
    }
    let title = format!("{} loading problems · Esc closes", app.collection().problems.len());
    overlay(frame, area, &title, lines, scroll, app.theme().border_focused);
}
