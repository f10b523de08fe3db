//! Drawing: `render(&App, frame)` reads the state and never changes it.

mod help;
mod list;
mod reader;
mod status;
mod tags;
pub mod theme;
mod views;

use super::app::{App, Overlay};
use super::layout::Pane;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

/// Draws the whole screen.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < 2 || area.height < 2 {
        return;
    }
    let panes = app.panes();
    if let Some(tabs) = panes.tabs {
        render_tabs(app, frame, tabs);
    }
    if app.collection().is_empty() {
        render_empty(app, frame, Rect { height: area.height.saturating_sub(1), ..area });
    } else {
        if let Some(r) = panes.views {
            views::render(app, frame, r);
        }
        if let Some(r) = panes.tags {
            tags::render(app, frame, r);
        }
        if let Some(r) = panes.list {
            list::render(app, frame, r);
        }
        if let Some(r) = panes.reader {
            reader::render(app, frame, r);
        }
    }
    status::render(app, frame, panes.status);
    match app.overlay() {
        Some((Overlay::Help, scroll)) => help::render_help(app, frame, scroll),
        Some((Overlay::Problems, scroll)) => help::render_problems(app, frame, scroll),
        None => {}
    }
}

/// A bordered block, highlighted when its pane has focus.
fn pane_block<'a>(app: &App, pane: Pane, title: Line<'a>) -> Block<'a> {
    let style = if app.focus() == pane { app.theme().border_focused } else { app.theme().border };
    Block::bordered().border_style(style).title_top(title)
}

fn render_tabs(app: &App, frame: &mut Frame, area: Rect) {
    let spans: Vec<Span> = super::layout::TABS
        .iter()
        .flat_map(|(pane, name)| {
            let style = if app.focus() == *pane { app.theme().selected } else { app.theme().dim };
            [Span::styled(format!(" {name} "), style), Span::raw(" ")]
        })
        .chain([Span::styled("Tab switches", app.theme().dim)])
        .collect();
    frame.render_widget(Line::from(spans), area);
}

fn render_empty(app: &App, frame: &mut Frame, area: Rect) {
    let failed = app.collection().problems.len();
    let mut lines = vec![Line::styled("No articles to show", app.theme().title), Line::raw("")];
    if app.collection().files_read == 0 && failed == 0 {
        lines.push(Line::raw(
            "blatt found no article files (.txt, .json, .jsonl, .xml, .rss, .atom) in the paths given.",
        ));
    } else {
        lines.push(Line::raw(format!(
            "{} file(s) were read and {failed} problem(s) found: press ! to see each file and the reason.",
            app.collection().files_read
        )));
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw("Start blatt with a file or folder:   blatt ~/news"));
    lines.push(Line::raw("or name folders in config.toml:      collection = [\"~/news\"]"));
    lines.push(Line::raw(""));
    lines.push(Line::styled("q quits · ? shows the keys", app.theme().dim));
    let block = Block::bordered().border_style(app.theme().border).title_top(" blatt ");
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}

/// A centred rectangle of at most `w` × `h` inside `area`.
fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let [row] = area.layout(&Layout::vertical([Constraint::Length(h.min(area.height))]).flex(Flex::Center));
    let [cell] = row.layout(&Layout::horizontal([Constraint::Length(w.min(area.width))]).flex(Flex::Center));
    cell
}

/// Clears `area` and draws a bordered overlay with `lines`, scrolled.
fn overlay(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line>, scroll: usize, style: Style) -> usize {
    let inner_h = area.height.saturating_sub(2) as usize;
    let max = lines.len().saturating_sub(inner_h);
    let scroll = scroll.min(max);
    frame.render_widget(Clear, area);
    let footer = if max > 0 { format!(" {}/{} ", scroll + 1, max + 1) } else { String::new() };
    let block = Block::bordered().border_style(style).title_top(format!(" {title} ")).title_bottom(footer);
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(inner_h).collect();
    frame.render_widget(Paragraph::new(visible).block(block), area);
    scroll
}
