//! The status line: match count, the filter as query text, key hints or a
//! message; or the prompt while one is open.

use crate::text::{truncate, width};
use crate::tui::action::Action;
use crate::tui::app::{App, PromptKind};
use crate::tui::keymap::Context;
use crate::tui::layout::Pane;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    if let Some(prompt) = app.prompt() {
        render_prompt(app, frame, area, prompt);
        return;
    }
    let cols = area.width as usize;
    let count = match_count(app);
    let mut filter = if app.searching().is_some() {
        format!("{} · searching…", app.query())
    } else if app.query().is_empty() {
        "no filter".to_string()
    } else {
        app.query().to_string()
    };
    if app.loading() {
        filter.push_str(" · loading the list…");
    } else if app.checking() {
        filter.push_str(" · checking files…");
    } else if app.making_words() {
        filter.push_str(" · making the word index…");
    }
    if app.collection().missing > 0 {
        let missing = app.matches().iter().filter(|&&i| app.collection().articles[i].missing).count();
        if missing > 0 {
            filter.push_str(&format!(" · {missing} bookmarked not in the collection"));
        }
    }
    // Hints take what the filter leaves; a message may push the filter aside.
    let hint_room = cols.saturating_sub(width(&count) + 1 + width(&filter) + 2);
    let right = match &app.message() {
        Some((text, _)) => text.clone(),
        None => fitting_hints(app, hint_room),
    };
    let right_style = match app.message() {
        Some((_, true)) => app.theme().error,
        _ => app.theme().status,
    };
    let left_cols = width(&count) + 1;
    let right = truncate(&right, cols.saturating_sub(left_cols + 8).max(cols / 2));
    let filter_cols = cols.saturating_sub(left_cols + width(&right) + 2);
    let filter = truncate(&filter, filter_cols);
    let pad = cols.saturating_sub(left_cols + width(&filter) + width(&right) + 1);
    let line = Line::from(vec![
        Span::styled(count, app.theme().selected),
        Span::raw(" "),
        Span::raw(filter),
        Span::raw(" ".repeat(pad)),
        Span::styled(right, right_style),
        Span::raw(" "),
    ])
    .style(app.theme().status);
    frame.render_widget(line, area);
}

/// ` 12 / 49 `: the articles shown and those in the collection; ` 12… / 49 `
/// (at least 12) while a search runs, or while only the front page is
/// loaded under a filter.
fn match_count(app: &App) -> String {
    let present = app.collection().total() - app.collection().missing;
    let shown = if app.loading() && app.query().is_empty() {
        crate::text::thousands(present)
    } else if app.settled() {
        crate::text::thousands(app.matches().len())
    } else {
        format!("{}…", crate::text::thousands(app.matches().len()))
    };
    format!(" {shown} / {} ", crate::text::thousands(present))
}

/// As many whole hints as fit in `cols` columns: a hint is never cut.
fn fitting_hints(app: &App, cols: usize) -> String {
    let mut shown = String::new();
    for part in hints(app).split("  ") {
        let next = if shown.is_empty() { part.to_string() } else { format!("{shown}  {part}") };
        if width(&next) > cols {
            break;
        }
        shown = next;
    }
    shown
}

fn hints(app: &App) -> String {
    let key = |ctx: Context, a: Action| app.keymap().keys_for(ctx, &a).into_iter().next().unwrap_or_default();
    let g = Context::Global;
    let mut parts = vec![format!("{} help", key(g, Action::Help)), format!("{} filter", key(g, Action::Prompt))];
    match app.focus() {
        Pane::Tags => {
            parts.push(format!("{} must", key(Context::Tags, Action::IncludeTag)));
            parts.push(format!("{} not", key(Context::Tags, Action::ExcludeTag)));
            parts.push(format!("{} find", key(Context::Tags, Action::FindTag)));
        }
        Pane::List => {
            parts.push(format!("{} read", key(g, Action::Open)));
            parts.push(format!("{} tags", key(g, Action::FocusTags)));
        }
        Pane::Reader => {
            parts.push(format!("{}/{} article", key(g, Action::NextArticle), key(g, Action::PrevArticle)));
            parts.push(format!("{} link", key(g, Action::OpenLink)));
        }
    }
    parts.push(format!("{} quit", key(g, Action::Quit)));
    parts.join("  ")
}

fn render_prompt(app: &App, frame: &mut Frame, area: Rect, prompt: &crate::tui::app::Prompt) {
    let label = match prompt.kind {
        PromptKind::Filter { .. } => "/",
        PromptKind::FindTag { .. } => "find tag: ",
        PromptKind::Pipe => "pipe to: ",
    };
    let text = prompt.editor.text();
    let err = prompt.error.clone().unwrap_or_default();
    // The count stays in view while typing: it is what the typing changes.
    let count = if app.searching().is_some() { format!(" searching…{}", match_count(app)) } else { match_count(app) };
    let cols = (area.width as usize).saturating_sub(width(&count));
    let before_cursor: String = text.chars().take(prompt.editor.cursor()).collect();
    // Keep the cursor visible: drop text from the left when the line is too long.
    let room = cols.saturating_sub(width(label) + width(&err) + 3).max(4);
    let skip = width(&before_cursor).saturating_sub(room.saturating_sub(1));
    let shown: String = {
        let mut w = 0;
        text.chars()
            .skip_while(|c| {
                let cw = unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
                let skip_it = w < skip;
                w += cw;
                skip_it
            })
            .collect()
    };
    let shown = truncate(&shown, room);
    let mut spans = vec![Span::styled(label, app.theme().heading), Span::raw(shown.clone())];
    let used = width(label) + width(&shown);
    if !err.is_empty() {
        spans.push(Span::raw(" ".repeat(cols.saturating_sub(used + width(&err) + 1))));
        spans.push(Span::styled(err, app.theme().error));
    } else if let Some((msg, _)) = &app.message() {
        let msg = truncate(msg, cols.saturating_sub(used + 2));
        spans.push(Span::raw(" ".repeat(cols.saturating_sub(used + width(&msg) + 1))));
        spans.push(Span::styled(msg, app.theme().dim));
    }
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    spans.push(Span::raw(" ".repeat(cols.saturating_sub(used))));
    spans.push(Span::styled(count, app.theme().selected));
    frame.render_widget(Line::from(spans), area);
    let cursor_col = width(label) + width(&before_cursor) - skip.min(width(&before_cursor));
    frame
        .set_cursor_position(Position { x: area.x + (cursor_col as u16).min(area.width.saturating_sub(1)), y: area.y });
}
