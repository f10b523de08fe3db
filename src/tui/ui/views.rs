//! The saved views from the config, above the tags: number key, name, count.

use super::pane_block;
use crate::text::{fit, width};
use crate::tui::app::App;
use crate::tui::layout::{Pane, inner};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let block = pane_block(app, Pane::Tags, Line::from(" Views "));
    frame.render_widget(block.border_style(app.theme().border), area);
    let body = inner(area);
    let cols = body.width as usize;
    for (i, (name, query, count)) in app.views().iter().take(body.height as usize).enumerate() {
        let number = if app.loading() { "…".to_string() } else { count.to_string() };
        let active = query == app.query();
        let style = if active { app.theme().include } else { app.theme().body };
        let name_cols = cols.saturating_sub(2 + width(&number) + 1);
        let key = if i < 9 { format!("{} ", i + 1) } else { "  ".to_string() };
        let line = Line::from(vec![
            Span::styled(key, app.theme().dim),
            Span::styled(fit(name, name_cols), style),
            Span::styled(format!(" {number}"), app.theme().meta),
        ]);
        frame.render_widget(line, Rect { y: body.y + i as u16, height: 1, ..body });
    }
}
