//! Everything the reader can be asked to do. Keys, mouse and background
//! events all become an [`Action`]; [`App::update`](super::app::App::update)
//! is the only place that changes state.

/// A user intent or an event, named in `config.toml` by [`Action::name`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Leave blatt (state is saved first).
    Quit,
    /// Show or hide the key help overlay.
    Help,
    /// Show the files that failed to load, with reasons.
    Problems,
    /// Move the selection or scroll up one line.
    Up,
    /// Move the selection or scroll down one line.
    Down,
    /// Up half a page.
    HalfPageUp,
    /// Down half a page.
    HalfPageDown,
    /// Up a whole page.
    PageUp,
    /// Down a whole page.
    PageDown,
    /// To the first row or the top of the article.
    Top,
    /// To the last row or the end of the article.
    Bottom,
    /// Focus the next pane.
    FocusNext,
    /// Focus the previous pane.
    FocusPrev,
    /// Jump to the tag pane.
    FocusTags,
    /// Back to the article list (from the reader or the tag pane).
    Back,
    /// Open the selected article in the reading pane.
    Open,
    /// Read the next article in the list.
    NextArticle,
    /// Read the previous article in the list.
    PrevArticle,
    /// Zoom the reading pane to the full screen and back.
    Zoom,
    /// Open the filter prompt (query language).
    Prompt,
    /// Clear the whole filter.
    ClearFilter,
    /// Cycle the list's sort order: newest, oldest, title, source, relevance.
    CycleSort,
    /// Reload the collection from disk, keeping selection and filter.
    Reload,
    /// Open the article's link in the browser (asks which one if several).
    OpenLink,
    /// Open link number N of the article.
    OpenLinkNumber(usize),
    /// Tag pane: toggle "must have" for the tag under the cursor.
    IncludeTag,
    /// Tag pane: toggle "must not have" for the tag under the cursor.
    ExcludeTag,
    /// Tag pane: clear every tag condition.
    ClearTags,
    /// Tag pane: sort tags by count or by name.
    TagSort,
    /// Tag pane: hide or show tags with no matches.
    HideEmptyTags,
    /// Tag pane: narrow the tag list by typing.
    FindTag,
    /// Must-have tags: all of them (AND) or any of them (OR).
    AnyOf,
    /// Reader: jump to the next search hit.
    NextHit,
    /// Reader: jump to the previous search hit.
    PrevHit,
    /// Toggle a bookmark on the selected article.
    Bookmark,
    /// Show only bookmarked articles (`is:bookmarked`), or all again.
    BookmarksOnly,
    /// Mark the selected article read or unread.
    ToggleRead,
    /// Show only unread articles (`is:unread`), or all again.
    UnreadOnly,
    /// List: jump to the next unread article.
    NextUnread,
    /// Apply saved view N from the config's `[views]`.
    View(usize),
    /// Copy the article's link to the clipboard (through the terminal, OSC 52).
    CopyLink,
    /// Pipe the article, as text, to a command typed at a prompt.
    PipeArticle,
    /// Mark every article shown in the list as read.
    MarkAllRead,
    /// Undo the last "mark everything shown as read".
    UndoMarkAll,
    /// Prompt: type a character.
    Insert(char),
    /// Prompt: many characters at once (a paste, a burst of typing), applied once.
    InsertText(String),
    /// Prompt: delete the character before the cursor.
    Backspace,
    /// Prompt: delete the character under the cursor.
    Delete,
    /// Prompt: cursor one character left.
    Left,
    /// Prompt: cursor one character right.
    Right,
    /// Prompt: cursor to the start.
    Home,
    /// Prompt: cursor to the end.
    End,
    /// Prompt: delete the word before the cursor.
    DeleteWord,
    /// Prompt: delete everything before the cursor.
    DeleteToStart,
    /// Prompt: the previous query from the history.
    HistoryPrev,
    /// Prompt: the next query from the history.
    HistoryNext,
    /// Prompt: complete the tag name after `+` or `-`.
    Complete,
    /// Prompt: keep what was typed.
    Accept,
    /// Prompt or overlay: close it and restore what was before.
    Cancel,
    /// Mouse: a click at column, row.
    Click(u16, u16),
    /// Mouse: the wheel turned over column, row (negative is up).
    Scroll(u16, u16, i8),
    /// The terminal now has this many columns and rows.
    Resize(u16, u16),
    /// Time passed with no input: do a step of background work (wrapping
    /// the rest of a long article).
    Tick,
}

/// Actions that can be bound to keys in `config.toml`, with their names and
/// the text the help overlay shows.
pub const NAMED: &[(&str, Action, &str)] = &[
    ("quit", Action::Quit, "quit"),
    ("help", Action::Help, "this help"),
    ("problems", Action::Problems, "files that failed to load"),
    ("up", Action::Up, "up"),
    ("down", Action::Down, "down"),
    ("half_page_up", Action::HalfPageUp, "half page up"),
    ("half_page_down", Action::HalfPageDown, "half page down"),
    ("page_up", Action::PageUp, "page up"),
    ("page_down", Action::PageDown, "page down"),
    ("top", Action::Top, "first / top"),
    ("bottom", Action::Bottom, "last / bottom"),
    ("focus_next", Action::FocusNext, "next pane"),
    ("focus_prev", Action::FocusPrev, "previous pane"),
    ("focus_tags", Action::FocusTags, "jump to tags"),
    ("back", Action::Back, "back to the list"),
    ("open", Action::Open, "read the selected article"),
    ("next_article", Action::NextArticle, "next article"),
    ("prev_article", Action::PrevArticle, "previous article"),
    ("zoom", Action::Zoom, "zoom the reader"),
    ("prompt", Action::Prompt, "filter prompt"),
    ("clear_filter", Action::ClearFilter, "clear the filter"),
    ("cycle_sort", Action::CycleSort, "sort: newest, oldest, title, source, relevance"),
    ("reload", Action::Reload, "reload from disk"),
    ("open_link", Action::OpenLink, "open link (then 1-9)"),
    ("include_tag", Action::IncludeTag, "must have tag [+]"),
    ("exclude_tag", Action::ExcludeTag, "must not have tag [-]"),
    ("clear_tags", Action::ClearTags, "clear tag conditions"),
    ("tag_sort", Action::TagSort, "sort tags by count / name"),
    ("hide_empty_tags", Action::HideEmptyTags, "hide / show tags with 0"),
    ("find_tag", Action::FindTag, "find a tag by typing"),
    ("any_of", Action::AnyOf, "must-have tags: all of / any of"),
    ("next_hit", Action::NextHit, "next search hit"),
    ("prev_hit", Action::PrevHit, "previous search hit"),
    ("bookmark", Action::Bookmark, "bookmark on / off"),
    ("bookmarks_only", Action::BookmarksOnly, "only bookmarks"),
    ("toggle_read", Action::ToggleRead, "mark read / unread"),
    ("unread_only", Action::UnreadOnly, "only unread"),
    ("next_unread", Action::NextUnread, "next unread"),
    ("copy_link", Action::CopyLink, "copy the link (terminal clipboard)"),
    ("pipe", Action::PipeArticle, "pipe the article to a command"),
    ("mark_all_read", Action::MarkAllRead, "mark everything shown as read"),
    ("undo_mark_all", Action::UndoMarkAll, "undo marking everything read"),
    ("accept", Action::Accept, "keep the filter"),
    ("cancel", Action::Cancel, "close / restore"),
    ("history_prev", Action::HistoryPrev, "earlier query"),
    ("history_next", Action::HistoryNext, "later query"),
    ("complete", Action::Complete, "complete a tag"),
    ("delete_word", Action::DeleteWord, "delete word"),
    ("delete_to_start", Action::DeleteToStart, "delete to start"),
];

impl Action {
    /// The config name of a bindable action.
    pub fn name(&self) -> Option<&'static str> {
        NAMED.iter().find(|(_, a, _)| a == self).map(|(n, _, _)| *n)
    }

    /// The bindable action with this config name.
    pub fn from_name(name: &str) -> Option<Action> {
        NAMED.iter().find(|(n, _, _)| *n == name).map(|(_, a, _)| a.clone())
    }

    /// What the help overlay says about this action.
    pub fn help(&self) -> &'static str {
        if let Some((_, _, h)) = NAMED.iter().find(|(_, a, _)| a == self) {
            return h;
        }
        match self {
            Action::Left => "cursor left",
            Action::Right => "cursor right",
            Action::Home => "cursor to the start",
            Action::End => "cursor to the end",
            Action::Backspace => "delete before the cursor",
            Action::Delete => "delete at the cursor",
            Action::OpenLinkNumber(_) => "open that link",
            Action::View(_) => "saved view 1-9 ([views] in the config)",
            _ => "",
        }
    }
}
