//! Bookmarks, read marks and opening links.

use super::{App, Effect};
use std::sync::Arc;

impl App {
    // ----- marks ---------------------------------------------------------

    pub(super) fn toggle_bookmark(&mut self) {
        let Some(i) = self.selected_article() else { return };
        let collection = Arc::clone(&self.collection);
        let on = self.marks.toggle_bookmark(&collection.articles[i]);
        self.say(if on { "bookmark added" } else { "bookmark removed" }, false);
    }

    pub(super) fn toggle_read(&mut self) {
        let Some(i) = self.selected_article() else { return };
        let id = self.collection.articles[i].id.clone();
        let read = !self.marks.state().is_read(&id);
        self.marks.set_read(&id, read);
        self.say(if read { "marked read" } else { "marked unread" }, false);
    }

    /// `A`: every article shown is marked read; `U` takes it back.
    pub(super) fn mark_all_read(&mut self) {
        let collection = Arc::clone(&self.collection);
        let before: Vec<(crate::ArticleId, bool)> = self
            .matches
            .iter()
            .map(|&i| &collection.articles[i].id)
            .map(|id| (id.clone(), self.marks.state().is_read(id)))
            .collect();
        let newly = before.iter().filter(|(_, read)| !read).count();
        for (id, _) in &before {
            self.marks.set_read(id, true);
        }
        self.undo_mark_all = Some(before);
        let shown = crate::text::count(newly, "article", "articles");
        self.say(format!("{shown} marked read · U undoes"), false);
    }

    pub(super) fn undo_mark_all(&mut self) {
        let Some(before) = self.undo_mark_all.take() else {
            self.say("nothing to undo", false);
            return;
        };
        let unread = before.iter().filter(|(_, read)| !read).count();
        for (id, read) in before {
            self.marks.set_read(&id, read);
        }
        self.say(format!("{} unread again", crate::text::count(unread, "article", "articles")), false);
    }

    // ----- links ---------------------------------------------------------

    /// `y`: the article's link to the clipboard.
    pub(super) fn copy_link(&mut self) {
        match self.links().into_iter().next().map(|l| crate::links::check(&l)) {
            Some(Ok(url)) => {
                self.say(format!("copied {url}"), false);
                self.effects.push(Effect::Copy(url));
            }
            Some(Err(e)) => self.say(e, true),
            None if self.selected_article().is_none() => self.say("no article selected", true),
            None => self.say("this article has no link", true),
        }
    }

    /// `|`: asks for a command to pipe the article to.
    pub(super) fn start_pipe(&mut self) {
        if self.selected_article().is_none() {
            self.say("no article selected", true);
            return;
        }
        self.mode = super::Mode::Prompt(super::Prompt {
            kind: super::PromptKind::Pipe,
            editor: crate::tui::prompt::LineEditor::new(""),
            error: None,
            history_pos: None,
        });
    }

    /// The article as `blatt show` prints it, for a pipe.
    pub(super) fn article_text(&self) -> Option<String> {
        let a = self.article(self.selected_article()?)?;
        let lines: Vec<String> =
            crate::render::render(a, crate::render::MAX_MEASURE).into_iter().map(|l| l.text).collect();
        Some(lines.join("\n") + "\n")
    }

    pub(super) fn links(&self) -> Vec<String> {
        self.selected_article()
            .map(|i| {
                let a = self.article(i).unwrap_or(&self.collection.articles[i]);
                a.all_links().into_iter().map(str::to_string).collect()
            })
            .unwrap_or_default()
    }

    pub(super) fn start_open_link(&mut self) {
        let links = self.links();
        match links.len() {
            0 if self.selected_article().is_none() => self.say("no article selected", true),
            0 => self.say("this article has no link", true),
            1 => self.open_link(1),
            n => {
                self.mode = super::Mode::ChooseLink;
                let list: Vec<String> =
                    links.iter().take(9).enumerate().map(|(i, l)| format!("[{}] {}", i + 1, l)).collect();
                self.say(format!("open which link (1-{})? {}", n.min(9), list.join("  ")), false);
            }
        }
    }

    pub(super) fn open_link(&mut self, n: usize) {
        let links = self.links();
        let Some(url) = n.checked_sub(1).and_then(|i| links.get(i)) else {
            self.say(format!("no link [{n}]"), true);
            return;
        };
        match crate::links::check(url) {
            Ok(url) => {
                self.say(format!("opening {url}"), false);
                self.effects.push(Effect::OpenUrl(url));
            }
            Err(why) => self.say(why, true),
        }
    }
}
