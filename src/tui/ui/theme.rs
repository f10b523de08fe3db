//! Colours and text styles. Overridable in `[theme]`; with `NO_COLOR` set,
//! only bold, italic, underline and reverse video are used.

use ratatui::style::{Color, Modifier, Style};
use std::collections::BTreeMap;

/// Every style the reader uses.
#[derive(Debug, Clone)]
pub struct Theme {
    pub border: Style,
    pub border_focused: Style,
    pub title: Style,
    pub meta: Style,
    pub lead: Style,
    pub body: Style,
    pub heading: Style,
    pub link: Style,
    pub tags: Style,
    pub dim: Style,
    pub selected: Style,
    pub unread: Style,
    pub bookmark: Style,
    pub hit: Style,
    pub status: Style,
    pub error: Style,
    pub include: Style,
    pub exclude: Style,
}

impl Theme {
    /// The default colours.
    pub fn colored() -> Theme {
        Theme {
            border: Style::new().fg(Color::DarkGray),
            border_focused: Style::new().fg(Color::Cyan),
            title: Style::new().add_modifier(Modifier::BOLD),
            meta: Style::new().fg(Color::Gray),
            lead: Style::new().add_modifier(Modifier::ITALIC),
            body: Style::new(),
            heading: Style::new().add_modifier(Modifier::BOLD),
            link: Style::new().fg(Color::Blue).add_modifier(Modifier::UNDERLINED),
            tags: Style::new().fg(Color::Magenta),
            dim: Style::new().fg(Color::DarkGray),
            selected: Style::new().bg(Color::Blue).fg(Color::White),
            unread: Style::new().add_modifier(Modifier::BOLD),
            bookmark: Style::new().fg(Color::Yellow),
            hit: Style::new().bg(Color::Yellow).fg(Color::Black),
            status: Style::new().bg(Color::DarkGray).fg(Color::White),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            include: Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
            exclude: Style::new().fg(Color::Red),
        }
    }

    /// Styles without colour, for `NO_COLOR`.
    pub fn monochrome() -> Theme {
        let plain = Style::new();
        Theme {
            border: plain,
            border_focused: Style::new().add_modifier(Modifier::BOLD),
            title: Style::new().add_modifier(Modifier::BOLD),
            meta: plain,
            lead: Style::new().add_modifier(Modifier::ITALIC),
            body: plain,
            heading: Style::new().add_modifier(Modifier::BOLD),
            link: Style::new().add_modifier(Modifier::UNDERLINED),
            tags: plain,
            dim: Style::new().add_modifier(Modifier::DIM),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            unread: Style::new().add_modifier(Modifier::BOLD),
            bookmark: plain,
            hit: Style::new().add_modifier(Modifier::REVERSED),
            status: Style::new().add_modifier(Modifier::REVERSED),
            error: Style::new().add_modifier(Modifier::BOLD),
            include: Style::new().add_modifier(Modifier::BOLD),
            exclude: Style::new().add_modifier(Modifier::DIM),
        }
    }

    /// The theme for this environment and config; returns problems to report.
    pub fn from_config(overrides: &BTreeMap<String, String>, no_color: bool) -> (Theme, Vec<String>) {
        if no_color {
            return (Theme::monochrome(), vec![]);
        }
        let mut theme = Theme::colored();
        let mut problems = Vec::new();
        for (name, value) in overrides {
            let Some(color) = parse_color(value) else {
                problems.push(format!("config [theme]: {name}: unknown colour {value:?}"));
                continue;
            };
            let slot = match name.as_str() {
                "accent" | "border_focused" => Some((&mut theme.border_focused, false)),
                "border" => Some((&mut theme.border, false)),
                "title" => Some((&mut theme.title, false)),
                "meta" => Some((&mut theme.meta, false)),
                "link" => Some((&mut theme.link, false)),
                "tags" => Some((&mut theme.tags, false)),
                "dim" => Some((&mut theme.dim, false)),
                "bookmark" => Some((&mut theme.bookmark, false)),
                "error" => Some((&mut theme.error, false)),
                "include" => Some((&mut theme.include, false)),
                "exclude" => Some((&mut theme.exclude, false)),
                "selected" => Some((&mut theme.selected, true)),
                "hit" => Some((&mut theme.hit, true)),
                "status" => Some((&mut theme.status, true)),
                _ => None,
            };
            match slot {
                Some((style, background)) => *style = if background { style.bg(color) } else { style.fg(color) },
                None => problems.push(format!("config [theme]: unknown element {name:?}")),
            }
        }
        (theme, problems)
    }
}

/// A colour name (`red`, `darkgray`, …), `#rrggbb` or an index `0`–`255`.
fn parse_color(s: &str) -> Option<Color> {
    s.parse::<Color>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_has_no_colours() {
        let (t, _) = Theme::from_config(&BTreeMap::new(), true);
        for s in [t.selected, t.hit, t.link, t.status, t.error] {
            assert_eq!((s.fg, s.bg), (None, None));
        }
    }

    #[test]
    fn overrides_and_bad_values() {
        let mut o = BTreeMap::new();
        o.insert("accent".to_string(), "#ff8800".to_string());
        o.insert("nope".to_string(), "red".to_string());
        o.insert("link".to_string(), "not-a-colour".to_string());
        let (t, problems) = Theme::from_config(&o, false);
        assert_eq!(t.border_focused.fg, Some(Color::Rgb(0xff, 0x88, 0x00)));
        assert_eq!(problems.len(), 2);
    }
}
