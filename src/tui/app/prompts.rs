//! The text prompt: the filter in the query language, applied as it is
//! typed, with history and tag completion; and narrowing the tag pane.

use super::{App, Mode, Prompt, PromptKind};
use crate::query;
use crate::tui::action::Action;
use crate::tui::prompt::LineEditor;
use std::sync::Arc;

/// A query longer than this is no query a person types: a paste is cut here.
pub const MAX_PROMPT_CHARS: usize = 4_096;

impl App {
    // ----- prompts -------------------------------------------------------

    pub(super) fn open_filter_prompt(&mut self) {
        let text = self.query.to_string();
        let text = if text.is_empty() { text } else { format!("{text} ") };
        self.anchor = self.selected_article();
        self.mode = Mode::Prompt(Prompt {
            kind: PromptKind::Filter { before: self.query.clone() },
            editor: LineEditor::new(&text),
            error: None,
            history_pos: None,
        });
    }

    pub(super) fn update_prompt(&mut self, action: Action) {
        let mut prompt = match std::mem::take(&mut self.mode) {
            Mode::Prompt(p) => p,
            other => {
                self.mode = other;
                return;
            }
        };
        let mut changed = true;
        let mut cut = false;
        match action {
            Action::Insert(c) => prompt.editor.insert(c),
            Action::InsertText(text) => {
                let room = MAX_PROMPT_CHARS.saturating_sub(prompt.editor.text().chars().count());
                let clean = crate::sanitize::clean_text(&text).replace('\n', " ");
                clean.chars().take(room).for_each(|c| prompt.editor.insert(c));
                cut = clean.chars().count() > room;
            }
            Action::Backspace => prompt.editor.backspace(),
            Action::Delete => prompt.editor.delete(),
            Action::DeleteWord => prompt.editor.delete_word(),
            Action::DeleteToStart => prompt.editor.delete_to_start(),
            Action::Left => prompt.editor.left(),
            Action::Right => prompt.editor.right(),
            Action::Home => prompt.editor.home(),
            Action::End => prompt.editor.end(),
            Action::HistoryPrev | Action::HistoryNext => {
                changed = self.history_step(&mut prompt, action == Action::HistoryPrev);
            }
            Action::Complete => {
                let collection = Arc::clone(&self.collection);
                let names = collection.tags.ids().map(|id| collection.tags.name(id));
                let candidates = prompt.editor.complete_tag(names);
                if candidates.len() > 1 {
                    let shown: Vec<&str> = candidates.iter().take(8).map(String::as_str).collect();
                    let more = if candidates.len() > 8 { " …" } else { "" };
                    self.say(format!("{}{more}", shown.join("  ")), false);
                }
            }
            Action::Accept => {
                self.accept_prompt(prompt);
                return;
            }
            Action::Cancel => {
                match prompt.kind {
                    PromptKind::Filter { before } => self.apply_query(before),
                    PromptKind::FindTag { .. } => {
                        // Esc ends the narrowing (it would otherwise stay, nearly invisible).
                        self.tags.find.clear();
                        self.rebuild_tags();
                    }
                    PromptKind::Pipe => {}
                }
                return;
            }
            _ => changed = false,
        }
        if changed {
            self.live_update(&mut prompt);
        }
        if cut {
            self.say(format!("the prompt takes {MAX_PROMPT_CHARS} characters; the rest was left out"), true);
        }
        self.mode = Mode::Prompt(prompt);
    }

    /// Applies the prompt's text as it is typed.
    pub(super) fn live_update(&mut self, prompt: &mut Prompt) {
        match &prompt.kind {
            PromptKind::Filter { .. } => match query::parse(prompt.editor.text()) {
                Ok(q) => {
                    prompt.error = None;
                    if q != self.query {
                        self.apply_query(q);
                    }
                }
                Err(e) => prompt.error = Some(e.to_string()),
            },
            PromptKind::Pipe => {}
            PromptKind::FindTag { .. } => {
                self.tags.find = prompt.editor.text().to_string();
                self.tags.selected = 0;
                self.tags.offset = 0;
                self.rebuild_tags();
            }
        }
    }

    pub(super) fn accept_prompt(&mut self, prompt: Prompt) {
        if prompt.kind == PromptKind::Pipe {
            let command = prompt.editor.text().trim().to_string();
            match (command.is_empty(), self.article_text()) {
                (false, Some(text)) => self.effects.push(super::Effect::Pipe { command, text }),
                (false, None) if self.selected_article().is_some() => {
                    self.say("the article's text is still being read; try again", true);
                }
                _ => {}
            }
            return;
        }
        if let PromptKind::Filter { .. } = prompt.kind {
            if let Some(e) = &prompt.error {
                self.say(format!("query not applied: {e}"), true);
                self.mode = Mode::Prompt(prompt);
                return;
            }
            let text = self.query.to_string();
            if !text.is_empty() && self.history.last() != Some(&text) {
                self.history.push(text);
            }
            if self.query.has_text_terms() {
                self.say("n / N jump between hits in the reader", false);
            }
        }
    }

    pub(super) fn history_step(&mut self, prompt: &mut Prompt, back: bool) -> bool {
        if !matches!(prompt.kind, PromptKind::Filter { .. }) || self.history.is_empty() {
            return false;
        }
        let len = self.history.len();
        let pos = match (prompt.history_pos, back) {
            (None, true) => Some(len - 1),
            (None, false) => return false,
            (Some(p), true) => Some(p.saturating_sub(1)),
            (Some(p), false) if p + 1 < len => Some(p + 1),
            (Some(_), false) => None,
        };
        prompt.history_pos = pos;
        let text = pos.map(|p| self.history[p].clone()).unwrap_or_default();
        prompt.editor.set(&text);
        true
    }
}
