//! Key bindings as data: a default table, overridable from `config.toml`,
//! looked up by context (prompt, overlay, focused pane, then global). The
//! help overlay is built from the same table.

use super::action::Action;
use crate::config::KeyList;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Context {
    /// Anywhere outside prompts and overlays.
    Global,
    /// The article list has focus.
    List,
    /// The tag pane has focus.
    Tags,
    /// The reading pane has focus.
    Reader,
    /// A text prompt is open (filter, tag search).
    Prompt,
    /// The help or problems overlay is open.
    Overlay,
    /// After `o` with several links: the link's number (any other key cancels).
    ChooseLink,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::List => "Article list",
            Context::Tags => "Tag pane",
            Context::Reader => "Reading pane",
            Context::Prompt => "Prompts",
            Context::Overlay => "Overlays",
            Context::ChooseLink => "Choosing a link",
        }
    }
}

/// The default bindings: context, keys, action.
const DEFAULTS: &[(Context, &str, Action)] = &[
    (Context::Global, "q ctrl-c", Action::Quit),
    (Context::Global, "?", Action::Help),
    (Context::Global, "!", Action::Problems),
    (Context::Global, "j down", Action::Down),
    (Context::Global, "k up", Action::Up),
    (Context::Global, "ctrl-d", Action::HalfPageDown),
    (Context::Global, "ctrl-u", Action::HalfPageUp),
    (Context::Global, "pagedown space", Action::PageDown),
    (Context::Global, "pageup", Action::PageUp),
    (Context::Global, "g home", Action::Top),
    (Context::Global, "G end", Action::Bottom),
    (Context::Global, "tab", Action::FocusNext),
    (Context::Global, "backtab", Action::FocusPrev),
    (Context::Global, "t", Action::FocusTags),
    (Context::Global, "h esc left", Action::Back),
    (Context::Global, "enter l right", Action::Open),
    (Context::Global, "J", Action::NextArticle),
    (Context::Global, "K", Action::PrevArticle),
    (Context::Global, "z", Action::Zoom),
    (Context::Global, "/", Action::Prompt),
    (Context::Global, "c", Action::ClearFilter),
    (Context::Global, "s", Action::CycleSort),
    (Context::Global, "R", Action::Reload),
    (Context::Global, "o", Action::OpenLink),
    (Context::Global, "b", Action::Bookmark),
    (Context::Global, "B", Action::BookmarksOnly),
    (Context::Global, "m", Action::ToggleRead),
    (Context::Global, "u", Action::UnreadOnly),
    (Context::Global, "y", Action::CopyLink),
    (Context::Global, "1", Action::View(1)),
    (Context::Global, "2", Action::View(2)),
    (Context::Global, "3", Action::View(3)),
    (Context::Global, "4", Action::View(4)),
    (Context::Global, "5", Action::View(5)),
    (Context::Global, "6", Action::View(6)),
    (Context::Global, "7", Action::View(7)),
    (Context::Global, "8", Action::View(8)),
    (Context::Global, "9", Action::View(9)),
    (Context::Global, "|", Action::PipeArticle),
    (Context::Global, "A", Action::MarkAllRead),
    (Context::Global, "U", Action::UndoMarkAll),
    (Context::List, "n", Action::NextUnread),
    (Context::Reader, "n", Action::NextHit),
    (Context::Reader, "N", Action::PrevHit),
    (Context::Tags, "space enter", Action::IncludeTag),
    (Context::Tags, "x -", Action::ExcludeTag),
    (Context::Tags, "c", Action::ClearTags),
    (Context::Tags, "s", Action::TagSort),
    (Context::Tags, "H", Action::HideEmptyTags),
    (Context::Tags, "f", Action::FindTag),
    (Context::Tags, "a", Action::AnyOf),
    (Context::Prompt, "enter", Action::Accept),
    (Context::Prompt, "esc ctrl-g", Action::Cancel),
    (Context::Prompt, "backspace", Action::Backspace),
    (Context::Prompt, "delete", Action::Delete),
    (Context::Prompt, "left ctrl-b", Action::Left),
    (Context::Prompt, "right ctrl-f", Action::Right),
    (Context::Prompt, "home ctrl-a", Action::Home),
    (Context::Prompt, "end ctrl-e", Action::End),
    (Context::Prompt, "ctrl-w", Action::DeleteWord),
    (Context::Prompt, "ctrl-u", Action::DeleteToStart),
    (Context::Prompt, "up", Action::HistoryPrev),
    (Context::Prompt, "down", Action::HistoryNext),
    (Context::Prompt, "tab", Action::Complete),
    (Context::Overlay, "esc q ?", Action::Cancel),
    (Context::Overlay, "j down", Action::Down),
    (Context::Overlay, "k up", Action::Up),
    (Context::Overlay, "pagedown space", Action::PageDown),
    (Context::Overlay, "pageup", Action::PageUp),
    (Context::Overlay, "g home", Action::Top),
    (Context::Overlay, "G end", Action::Bottom),
    (Context::ChooseLink, "1", Action::OpenLinkNumber(1)),
    (Context::ChooseLink, "2", Action::OpenLinkNumber(2)),
    (Context::ChooseLink, "3", Action::OpenLinkNumber(3)),
    (Context::ChooseLink, "4", Action::OpenLinkNumber(4)),
    (Context::ChooseLink, "5", Action::OpenLinkNumber(5)),
    (Context::ChooseLink, "6", Action::OpenLinkNumber(6)),
    (Context::ChooseLink, "7", Action::OpenLinkNumber(7)),
    (Context::ChooseLink, "8", Action::OpenLinkNumber(8)),
    (Context::ChooseLink, "9", Action::OpenLinkNumber(9)),
    (Context::ChooseLink, "o enter", Action::OpenLinkNumber(1)),
];

/// A key with its modifiers, as bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    code: KeyCodeOrd,
    ctrl: bool,
    alt: bool,
}

/// `KeyCode` is not `Ord`; this is the subset blatt binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum KeyCodeOrd {
    Char(char),
    F(u8),
    Named(u8),
}

const NAMED_KEYS: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
];

impl Key {
    /// The key of a terminal event, if blatt can bind it.
    pub fn from_event(ev: &KeyEvent) -> Option<Key> {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let alt = ev.modifiers.contains(KeyModifiers::ALT);
        let code = match ev.code {
            KeyCode::Char(' ') => KeyCodeOrd::Char(' '),
            KeyCode::Char(c) if ctrl => KeyCodeOrd::Char(c.to_ascii_lowercase()),
            KeyCode::Char(c) => KeyCodeOrd::Char(c),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            other => KeyCodeOrd::Named(NAMED_KEYS.iter().position(|(_, k)| *k == other)? as u8),
        };
        Some(Key { code, ctrl, alt })
    }

    /// Parses `j`, `G`, `ctrl-d`, `alt-x`, `space`, `pagedown`, `f1`.
    pub fn parse(s: &str) -> Option<Key> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower.strip_prefix("ctrl-").or_else(|| lower.strip_prefix("c-")) {
                ctrl = true;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("alt-").or_else(|| lower.strip_prefix("m-")) {
                alt = true;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let lower = rest.to_ascii_lowercase();
        let code = if rest.chars().count() == 1 {
            let c = rest.chars().next()?;
            KeyCodeOrd::Char(if ctrl { c.to_ascii_lowercase() } else { c })
        } else if lower == "space" {
            KeyCodeOrd::Char(' ')
        } else if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
            KeyCodeOrd::F(n)
        } else {
            let alias = match lower.as_str() {
                "return" => "enter",
                "escape" => "esc",
                "pgup" => "pageup",
                "pgdn" => "pagedown",
                "del" => "delete",
                "shift-tab" => "backtab",
                other => other,
            };
            KeyCodeOrd::Named(NAMED_KEYS.iter().position(|(n, _)| *n == alias)? as u8)
        };
        Some(Key { code, ctrl, alt })
    }

    /// The key as the help overlay writes it.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCodeOrd::Char(' ') => "Space".to_string(),
            KeyCodeOrd::Char(c) => c.to_string(),
            KeyCodeOrd::F(n) => format!("F{n}"),
            KeyCodeOrd::Named(i) => {
                let name = NAMED_KEYS[i as usize].0;
                match name {
                    "up" => "↑".into(),
                    "down" => "↓".into(),
                    "left" => "←".into(),
                    "right" => "→".into(),
                    "pageup" => "PgUp".into(),
                    "pagedown" => "PgDn".into(),
                    "backtab" => "Shift-Tab".into(),
                    other => {
                        let mut c = other.chars();
                        c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
                    }
                }
            }
        };
        match (self.ctrl, self.alt) {
            (true, _) => format!("Ctrl-{base}"),
            (_, true) => format!("Alt-{base}"),
            _ => base,
        }
    }
}

/// The bindings in force.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<(Context, Key, Action)>,
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = DEFAULTS
            .iter()
            .flat_map(|(ctx, keys, action)| {
                keys.split(' ').filter_map(Key::parse).map(move |k| (*ctx, k, action.clone()))
            })
            .collect();
        Keymap { bindings }
    }
}

impl Keymap {
    /// The defaults with the `[keys]` section applied. Returns the problems
    /// (unknown action or key names) to show the user.
    pub fn with_overrides(overrides: &BTreeMap<String, KeyList>) -> (Keymap, Vec<String>) {
        let mut map = Keymap::default();
        let mut problems = Vec::new();
        // Which action each key was given to, to report a key given to two.
        let mut given: Vec<(Key, &str)> = Vec::new();
        for (name, keys) in overrides {
            let Some(action) = Action::from_name(name) else {
                problems.push(format!("config [keys]: unknown action {name:?}"));
                continue;
            };
            if keys.keys().is_empty() {
                problems.push(format!("config [keys]: {name} = [] leaves the action without a key; default kept"));
                continue;
            }
            for k in keys.keys() {
                let Some(key) = Key::parse(k) else { continue };
                if let Some((_, other)) = given.iter().find(|(g, _)| *g == key) {
                    problems.push(format!("config [keys]: {k:?} is given to both {other} and {name}; {name} has it"));
                }
                given.push((key, name));
            }
            let mut contexts: Vec<Context> =
                map.bindings.iter().filter(|(_, _, a)| *a == action).map(|(c, _, _)| *c).collect();
            contexts.dedup();
            if contexts.is_empty() {
                contexts.push(Context::Global);
            }
            let parsed: Vec<Key> = keys
                .keys()
                .into_iter()
                .filter_map(|k| {
                    let key = Key::parse(k);
                    if key.is_none() {
                        problems.push(format!("config [keys]: {name}: unknown key {k:?}"));
                    }
                    key
                })
                .collect();
            map.bindings.retain(|(_, _, a)| *a != action);
            for ctx in contexts {
                for key in &parsed {
                    // A rebound key leaves whatever it did before in this context.
                    map.bindings.retain(|(c, k, _)| !(*c == ctx && k == key));
                    map.bindings.push((ctx, *key, action.clone()));
                }
            }
        }
        (map, problems)
    }

    /// The action for a key, trying the contexts in order.
    pub fn lookup(&self, contexts: &[Context], key: Key) -> Option<Action> {
        contexts
            .iter()
            .find_map(|ctx| self.bindings.iter().find(|(c, k, _)| c == ctx && *k == key).map(|(_, _, a)| a.clone()))
    }

    /// The keys bound to an action in a context, for hints.
    pub fn keys_for(&self, context: Context, action: &Action) -> Vec<String> {
        self.bindings.iter().filter(|(c, _, a)| *c == context && a == action).map(|(_, k, _)| k.label()).collect()
    }

    /// Help sections: context title, then (keys, description) rows.
    pub fn help(&self) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
        let contexts = [
            Context::Global,
            Context::List,
            Context::Reader,
            Context::Tags,
            Context::Prompt,
            Context::Overlay,
            Context::ChooseLink,
        ];
        contexts
            .iter()
            .map(|ctx| {
                let mut rows: Vec<(String, &'static str)> = Vec::new();
                let mut seen: Vec<&Action> = Vec::new();
                for (c, _, action) in &self.bindings {
                    // The nine views, and the nine link numbers, are one row each.
                    let later_view = matches!(action, Action::View(n) | Action::OpenLinkNumber(n) if *n > 1);
                    if c != ctx || seen.contains(&action) || later_view {
                        continue;
                    }
                    if *action == Action::View(1) {
                        seen.push(action);
                        rows.push(("1 … 9".to_string(), action.help()));
                        continue;
                    }
                    if *action == Action::OpenLinkNumber(1) {
                        seen.push(action);
                        rows.push(("1 … 9".to_string(), "open that link (o, Enter: the first)"));
                        continue;
                    }
                    seen.push(action);
                    rows.push((self.keys_for(*ctx, action).join(" "), action.help()));
                }
                (ctx.title(), rows)
            })
            .filter(|(_, rows)| !rows.is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> Key {
        Key::from_event(&KeyEvent::new(code, mods)).unwrap()
    }

    #[test]
    fn parses_what_events_produce() {
        assert_eq!(Key::parse("j"), Some(key(KeyCode::Char('j'), KeyModifiers::NONE)));
        assert_eq!(Key::parse("G"), Some(key(KeyCode::Char('G'), KeyModifiers::SHIFT)));
        assert_eq!(Key::parse("ctrl-d"), Some(key(KeyCode::Char('d'), KeyModifiers::CONTROL)));
        assert_eq!(Key::parse("space"), Some(key(KeyCode::Char(' '), KeyModifiers::NONE)));
        assert_eq!(Key::parse("PgDn"), Some(key(KeyCode::PageDown, KeyModifiers::NONE)));
        assert_eq!(Key::parse("backtab"), Some(key(KeyCode::BackTab, KeyModifiers::SHIFT)));
        assert_eq!(Key::parse("nonsense"), None);
    }

    #[test]
    fn focused_context_wins_over_global() {
        let map = Keymap::default();
        let n = Key::parse("n").unwrap();
        assert_eq!(map.lookup(&[Context::Reader, Context::Global], n), Some(Action::NextHit));
        assert_eq!(map.lookup(&[Context::List, Context::Global], n), Some(Action::NextUnread));
        let c = Key::parse("c").unwrap();
        assert_eq!(map.lookup(&[Context::Tags, Context::Global], c), Some(Action::ClearTags));
        assert_eq!(map.lookup(&[Context::List, Context::Global], c), Some(Action::ClearFilter));
    }

    #[test]
    fn overrides_replace_keys_and_report_mistakes() {
        let mut o = BTreeMap::new();
        o.insert("quit".to_string(), KeyList::Many(vec!["x".into(), "ctrl-q".into()]));
        o.insert("frobnicate".to_string(), KeyList::One("y".into()));
        o.insert("help".to_string(), KeyList::One("hyper-h".into()));
        let (map, problems) = Keymap::with_overrides(&o);
        assert_eq!(problems.len(), 2, "{problems:?}");
        let g = [Context::Global];
        assert_eq!(map.lookup(&g, Key::parse("x").unwrap()), Some(Action::Quit));
        assert_eq!(map.lookup(&g, Key::parse("ctrl-q").unwrap()), Some(Action::Quit));
        assert_eq!(map.lookup(&g, Key::parse("q").unwrap()), None);
    }

    #[test]
    fn a_key_given_twice_and_an_empty_list_are_reported() {
        let mut o = BTreeMap::new();
        o.insert("quit".to_string(), KeyList::Many(vec![]));
        o.insert("bookmark".to_string(), KeyList::One("x".into()));
        o.insert("zoom".to_string(), KeyList::One("X".into()));
        o.insert("help".to_string(), KeyList::One("x".into()));
        let (map, problems) = Keymap::with_overrides(&o);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("quit = []")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("both bookmark and help")), "{problems:?}");
        assert_eq!(map.lookup(&[Context::Global], Key::parse("q").unwrap()), Some(Action::Quit), "quit keeps q");
    }

    #[test]
    fn every_help_row_says_what_it_does() {
        for (title, rows) in Keymap::default().help() {
            for (keys, text) in rows {
                assert!(!text.is_empty(), "{title}: {keys} has no description");
            }
        }
    }

    #[test]
    fn help_lists_every_default_action_with_its_keys() {
        let map = Keymap::default();
        let help = map.help();
        let all: Vec<&(String, &str)> = help.iter().flat_map(|(_, rows)| rows).collect();
        for (_, action, text) in crate::tui::action::NAMED {
            if DEFAULTS.iter().any(|(_, _, a)| a == action) {
                assert!(all.iter().any(|(_, t)| t == text), "help misses {text}");
            }
        }
        let global = &help.iter().find(|(t, _)| *t == "Everywhere").unwrap().1;
        assert!(global.iter().any(|(k, t)| k == "q Ctrl-c" && *t == "quit"), "{global:?}");
    }
}
