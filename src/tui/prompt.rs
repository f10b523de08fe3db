//! A one-line text editor with readline keys, and tag completion.

use crate::text::fold;

/// Text and a cursor (counted in characters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEditor {
    text: String,
    cursor: usize,
    /// Tab completion going round its candidates: them, the one shown, and
    /// the byte where it starts.
    cycle: Option<(Vec<String>, usize, usize)>,
}

impl LineEditor {
    pub fn new(text: &str) -> LineEditor {
        LineEditor { text: text.to_string(), cursor: text.chars().count(), cycle: None }
    }

    /// Puts `word` (quoted if it has spaces) at `start`, up to the cursor.
    fn put_completion(&mut self, start: usize, word: &str) {
        let replacement = if word.contains(char::is_whitespace) { format!("\"{word}\"") } else { word.to_string() };
        let end = self.byte(self.cursor);
        self.text.replace_range(start..end, &replacement);
        self.cursor = self.text[..start].chars().count() + replacement.chars().count();
    }

    /// Tab again right after a completion: the next candidate.
    fn next_candidate(&mut self) -> Option<Vec<String>> {
        let (candidates, shown, start) = self.cycle.take()?;
        let current = &candidates[shown];
        let end = self.byte(self.cursor);
        let typed = self.text.get(start..end)?;
        if typed != current.as_str() && typed != format!("\"{current}\"") {
            return None; // edited since: a fresh completion
        }
        let next = (shown + 1) % candidates.len();
        self.put_completion(start, &candidates[next].clone());
        self.cycle = Some((candidates.clone(), next, start));
        Some(candidates)
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    fn byte(&self, char_index: usize) -> usize {
        self.text.char_indices().nth(char_index).map(|(i, _)| i).unwrap_or(self.text.len())
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    pub fn set(&mut self, text: &str) {
        *self = LineEditor::new(text);
    }

    pub fn insert(&mut self, c: char) {
        if crate::sanitize::is_forbidden(c) || c == '\n' {
            return;
        }
        let at = self.byte(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            let at = self.byte(self.cursor);
            self.text.remove(at);
        }
    }

    pub fn delete(&mut self) {
        if self.cursor < self.len() {
            let at = self.byte(self.cursor);
            self.text.remove(at);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.len());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.len();
    }

    /// Ctrl-W: the word before the cursor, and the spaces after it.
    pub fn delete_word(&mut self) {
        let chars: Vec<char> = self.text.chars().collect();
        let mut start = self.cursor;
        while start > 0 && chars[start - 1].is_whitespace() {
            start -= 1;
        }
        while start > 0 && !chars[start - 1].is_whitespace() {
            start -= 1;
        }
        let (a, b) = (self.byte(start), self.byte(self.cursor));
        self.text.replace_range(a..b, "");
        self.cursor = start;
    }

    /// Ctrl-U: everything before the cursor.
    pub fn delete_to_start(&mut self) {
        let b = self.byte(self.cursor);
        self.text.replace_range(..b, "");
        self.cursor = 0;
    }

    /// Completes the tag name being typed after `+`, `-` or `|`. Returns the
    /// candidates when more than one tag fits (the common prefix is filled in).
    pub fn complete_tag<'a>(&mut self, tags: impl Iterator<Item = &'a str>) -> Vec<String> {
        if let Some(candidates) = self.next_candidate() {
            return candidates;
        }
        let before: String = self.text.chars().take(self.cursor).collect();
        let token_start = before.rfind(char::is_whitespace).map(|i| i + 1).unwrap_or(0);
        let token = &before[token_start..];
        if !token.starts_with(['+', '-']) {
            return vec![];
        }
        let part_start = token.rfind(['+', '-', '|']).map(|i| i + 1).unwrap_or(0);
        let prefix = token[part_start..].trim_start_matches('"');
        let key = fold(prefix);
        let mut hits: Vec<&str> = tags.filter(|t| fold(t).starts_with(&key)).collect();
        hits.sort_by_key(|t| fold(t));
        hits.dedup();
        let Some(first) = hits.first() else { return vec![] };
        let replacement = if hits.len() == 1 {
            if first.contains(char::is_whitespace) { format!("\"{first}\"") } else { first.to_string() }
        } else {
            let common = common_prefix(&hits);
            // A common part with a space would split the word: go round instead.
            if common.chars().count() <= prefix.chars().count() || common.contains(char::is_whitespace) {
                // Nothing more in common: Tab goes round the candidates.
                let all: Vec<String> = hits.iter().map(|s| s.to_string()).collect();
                let start = token_start + part_start;
                self.put_completion(start, &all[0]);
                self.cycle = Some((all.clone(), 0, start));
                return all;
            }
            common
        };
        let start_byte = token_start + part_start;
        let end_byte = self.byte(self.cursor);
        self.text.replace_range(start_byte..end_byte, &replacement);
        self.cursor = self.text[..start_byte].chars().count() + replacement.chars().count();
        if hits.len() > 1 { hits.iter().map(|s| s.to_string()).collect() } else { vec![] }
    }
}

/// The longest case-insensitive common prefix, in the first word's spelling.
fn common_prefix(words: &[&str]) -> String {
    let first: Vec<char> = words[0].chars().collect();
    let mut n = first.len();
    for w in &words[1..] {
        let same = first.iter().zip(w.chars()).take_while(|(a, b)| a.to_lowercase().eq(b.to_lowercase())).count();
        n = n.min(same);
    }
    first[..n].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readline_editing() {
        let mut e = LineEditor::new("+Köln digital");
        e.delete_word();
        assert_eq!(e.text(), "+Köln ");
        e.home();
        e.right();
        e.insert('x');
        assert_eq!(e.text(), "+xKöln ");
        e.end();
        e.left();
        e.backspace();
        assert_eq!(e.text(), "+xKöl ");
        e.delete();
        assert_eq!(e.text(), "+xKöl");
        e.left();
        e.delete_to_start();
        assert_eq!((e.text(), e.cursor()), ("l", 0));
    }

    #[test]
    fn completes_tags_after_plus_minus_and_bar() {
        let tags = ["Politik", "Polizei", "Thomas Bönig", "Verkehr"];
        let mut e = LineEditor::new("wort +pol");
        let cands = e.complete_tag(tags.iter().copied());
        assert_eq!(e.text(), "wort +Poli", "the common prefix is filled in");
        assert_eq!(cands, vec!["Politik", "Polizei"]);
        let mut e = LineEditor::new("+Verkehr|tho");
        assert!(e.complete_tag(tags.iter().copied()).is_empty());
        assert_eq!(e.text(), "+Verkehr|\"Thomas Bönig\"");
        let mut e = LineEditor::new("-ver");
        e.complete_tag(tags.iter().copied());
        assert_eq!(e.text(), "-Verkehr");
        let mut e = LineEditor::new("ver");
        e.complete_tag(tags.iter().copied());
        assert_eq!(e.text(), "ver", "plain words are not tags");
    }

    #[test]
    fn tab_again_goes_round_the_candidates() {
        let tags = ["Politik", "Polizei", "Thomas Bönig", "Thomas Mann"];
        let mut e = LineEditor::new("+Poli");
        let mut seen = vec![];
        for _ in 0..3 {
            e.complete_tag(tags.iter().copied());
            seen.push(e.text().to_string());
        }
        assert_eq!(seen, ["+Politik", "+Polizei", "+Politik"]);
        let mut e = LineEditor::new("-thomas");
        let _ = e.complete_tag(tags.iter().copied());
        assert_eq!(e.text(), "-\"Thomas Bönig\"", "a common part with a space is not filled in half");
        e.complete_tag(tags.iter().copied());
        assert_eq!(e.text(), "-\"Thomas Mann\"", "quoted candidates cycle too");
        e.insert('x');
        e.complete_tag(tags.iter().copied());
        assert!(e.text().contains('x'), "an edit ends the round: {}", e.text());
    }
}
