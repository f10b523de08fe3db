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

    // ----- links ---------------------------------------------------------

    pub(super) fn links(&self) -> Vec<String> {
        self.selected_article()
            .map(|i| self.collection.articles[i].all_links().into_iter().map(str::to_string).collect())
            .unwrap_or_default()
    }

    pub(super) fn start_open_link(&mut self) {
        let links = self.links();
        match links.len() {
            0 if self.selected_article().is_none() => self.say("no article selected", true),
            0 => self.say("this article has no link", true),
            1 => self.open_link(1),
            n => {
                self.choosing_link = true;
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
