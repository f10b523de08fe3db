//! The reader without a terminal: key events in, state and screen out.

use super::action::Action;
use super::app::{App, Effect, Msg, Overlay, SortMode};
use super::keymap::Keymap;
use super::layout::Pane;
use crate::LoadOptions;
use crate::collection::Collection;
use crate::query::{Counts, Evaluation, Outcome};
use crate::store::Marks;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;

/// Eight small articles with overlapping tags, written to a temporary folder.
pub(crate) fn collection() -> Collection {
    let dir = tempfile::tempdir().unwrap();
    write_articles(dir.path());
    Collection::load(&[dir.path().to_path_buf()], &LoadOptions::default())
}

/// Writes the eight articles of [`collection`] into `dir`.
fn write_articles(dir: &std::path::Path) {
    let articles = [
        (
            "a",
            "Kiel",
            "Fähre fährt digital",
            "1.3.2025",
            "Verkehr, Digitalisierung, Kiel",
            "Die Förde bekommt eine App. Die Förde ist schön.",
        ),
        ("b", "Bonn", "Portal für Anträge", "2.2.2025", "Verwaltung, Digitalisierung, Bonn", "Das Portal startet."),
        ("c", "Köln", "Brücke gesperrt", "3.1.2025", "Verkehr, Köln", "Die Brücke bleibt zu."),
        ("d", "東京", "防災アプリ update", "4.12.2024", "Smart City, Digitalisierung", "Eleven languages now."),
        ("e", "Ulm", "Hitzeplan beschlossen", "5.11.2024", "Klima, Politik", "Trinkbrunnen kommen."),
        ("f", "Kiel", "Radweg eröffnet", "6.10.2024", "Verkehr, Kiel, Politik", "Ein neuer Radweg an der Förde."),
        ("g", "Bonn", "Haushalt genehmigt", "7.9.2024", "Politik, Haushalt, Bonn", "Der Haushalt steht."),
        ("h", "Jena", "Bus fährt nachts", "8.8.2024", "Verkehr", "Nachtbus ab Montag."),
    ];
    for (name, kicker, title, date, tags, body) in articles {
        let long = if name == "a" { LONG } else { "" };
        let text = format!(
            "{kicker}\n\n{title}\n\n[{date}] {body}\n\nZweiter Absatz über {title}.{long}\n\n<https://example.org/{name}>\n<https://example.org/{name}/more>\n\nStichwörter: {tags}\n"
        );
        std::fs::write(dir.join(format!("{name}.txt")), text).unwrap();
    }
}

/// Enough text to scroll, with the word "Förde" far down.
const LONG: &str = "\n\nDie Verkehrsgesellschaft hat lange geplant. Die Fahrgäste warten.\n\nEin Absatz folgt dem anderen, damit der Text länger wird als das Fenster.\n\nNoch ein Absatz.\n\nUnd noch einer, der weiter geht.\n\nAm Ende steht wieder die Förde im Mittelpunkt.";

pub(crate) fn app() -> App {
    let mut app = App::new(Arc::new(collection()), Marks::default(), Keymap::default());
    app.update(Action::Resize(120, 35));
    app
}

/// Presses keys given as `j`, `ctrl-d`, `enter`, or several separated by spaces.
pub(crate) fn press(app: &mut App, keys: &str) {
    for k in keys.split(' ').filter(|k| !k.is_empty()) {
        let ev = key_event(k);
        if let Some(action) = app.action_for_key(&ev) {
            app.update(action);
        }
        run_effects(app);
    }
}

/// Filters as a user would: `/`, the old text cleared, `text`, Enter.
pub(crate) fn filter_by(app: &mut App, text: &str) {
    press(app, "/ ctrl-u");
    type_text(app, text);
    press(app, "enter");
}

/// Moves the tag pane's cursor to `row` with `j` and `k`.
fn select_tag(app: &mut App, row: usize) {
    while app.tags().selected < row {
        press(app, "j");
    }
    while app.tags().selected > row {
        press(app, "k");
    }
}

/// Types text into an open prompt, character by character.
pub(crate) fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        let ev = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        if let Some(action) = app.action_for_key(&ev) {
            app.update(action);
        }
        run_effects(app);
    }
}

fn key_event(k: &str) -> KeyEvent {
    let (mods, name) = match k.strip_prefix("ctrl-") {
        Some(rest) => (KeyModifiers::CONTROL, rest),
        None => (KeyModifiers::NONE, k),
    };
    let code = match name {
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "space" => KeyCode::Char(' '),
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        "backspace" => KeyCode::Backspace,
        c => KeyCode::Char(c.chars().next().unwrap()),
    };
    KeyEvent::new(code, mods)
}

/// Does what the runtime would do with searches and article reads:
/// synchronously, here. Other effects are dropped.
fn run_effects(app: &mut App) {
    let effects = app.take_effects();
    run_effects_for(app, effects);
}

/// [`run_effects`] for these effects.
fn run_effects_for(app: &mut App, effects: Vec<Effect>) {
    for effect in effects {
        if let Effect::ReadArticle(index) = effect {
            let article = app.collection().read_full(index).map(|a| Arc::new(a.into_owned()));
            let id = app.collection().articles[index].id.clone();
            app.update(Msg::ArticleRead { index, id, article });
        } else if let Effect::Search { generation, query, rank } = effect {
            let found = Evaluation::new(app.marks().state()).counts(Counts::Faceted).run(app.collection(), &query);
            let Outcome { mut matches, counts } = found.unwrap();
            if rank {
                crate::query::rank(app.collection(), &mut matches, &query);
            }
            app.update(Msg::SearchDone { generation, matches, counts, last: true, ranked: rank });
        } else if let Effect::Rank { generation, query, mut matches } = effect {
            crate::query::rank(app.collection(), &mut matches, &query);
            app.update(Msg::SearchDone { generation, matches, counts: vec![], last: true, ranked: true });
        }
    }
}

pub(crate) fn screen(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| super::ui::render(app, f)).unwrap();
    let buf = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut skip = 0;
        for x in 0..w {
            if skip > 0 {
                skip -= 1; // the cell behind a wide character
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            out.push_str(sym);
        }
        out.push('\n');
    }
    out
}

fn titles(app: &App) -> Vec<String> {
    app.matches().iter().map(|&i| app.collection().articles[i].title.clone()).collect()
}

fn selected_title(app: &App) -> String {
    app.selected_article().map(|i| app.collection().articles[i].title.clone()).unwrap_or_default()
}

#[test]
fn moving_in_the_list() {
    let mut app = app();
    assert_eq!(selected_title(&app), "Fähre fährt digital");
    press(&mut app, "j j");
    assert_eq!(app.selected(), 2);
    press(&mut app, "k");
    assert_eq!(app.selected(), 1);
    press(&mut app, "G");
    assert_eq!(app.selected(), 7);
    press(&mut app, "g");
    assert_eq!(app.selected(), 0);
    press(&mut app, "down end");
    assert_eq!(app.selected(), 7);
    press(&mut app, "home ctrl-d");
    assert!(app.selected() > 0);
    press(&mut app, "ctrl-u");
    assert_eq!(app.selected(), 0);
    press(&mut app, "pagedown");
    assert_eq!(app.selected(), 7, "a page is longer than eight rows");
    press(&mut app, "pageup");
    assert_eq!(app.selected(), 0);
}

#[test]
fn focus_keys() {
    let mut app = app();
    press(&mut app, "tab");
    assert_eq!(app.focus(), Pane::Reader);
    press(&mut app, "tab");
    assert_eq!(app.focus(), Pane::Tags);
    press(&mut app, "backtab");
    assert_eq!(app.focus(), Pane::Reader);
    press(&mut app, "h");
    assert_eq!(app.focus(), Pane::List);
    press(&mut app, "t");
    assert_eq!(app.focus(), Pane::Tags);
    press(&mut app, "esc");
    assert_eq!(app.focus(), Pane::List);
}

#[test]
fn reading_marks_read_and_j_k_move_between_articles() {
    let mut app = app();
    press(&mut app, "enter");
    assert_eq!(app.focus(), Pane::Reader);
    let first = app.collection().articles[app.selected_article().unwrap()].id.clone();
    assert!(app.marks().state().is_read(&first));
    assert!(app.reader().lines[0].text.contains("Fähre"));
    press(&mut app, "J");
    assert_eq!(selected_title(&app), "Portal für Anträge");
    assert!(app.reader().lines[0].text.contains("Portal"));
    press(&mut app, "K");
    assert_eq!(app.selected(), 0);
    press(&mut app, "m");
    assert!(!app.marks().state().is_read(&first), "m marks unread again");
    assert!(app.marks().has_pending(), "the change waits for the next save");
}

#[test]
fn reader_scrolls_and_zooms() {
    let mut app = app();
    app.update(Action::Resize(60, 15));
    press(&mut app, "enter");
    assert_eq!(app.focus(), Pane::Reader);
    press(&mut app, "j j");
    assert_eq!(app.reader().scroll, 2);
    press(&mut app, "G");
    assert!(app.reader().scroll > 2);
    press(&mut app, "g");
    assert_eq!(app.reader().scroll, 0);
    press(&mut app, "z");
    assert!(app.zoom());
    assert!(screen(&app, 60, 15).contains("z unzooms"));
    press(&mut app, "z");
    assert!(!app.zoom());
}

#[test]
fn tag_pane_includes_excludes_and_clears() {
    let mut app = app();
    press(&mut app, "t");
    let verkehr = app.tags().rows.iter().position(|&t| app.collection().tags.name(t) == "Verkehr").unwrap();
    select_tag(&mut app, verkehr);
    press(&mut app, "space");
    assert_eq!(app.query().to_string(), "+Verkehr");
    assert_eq!(app.matches().len(), 4);
    // Kiel: the faceted count is how many Verkehr articles carry it.
    let kiel = app.collection().tags.find("Kiel").unwrap();
    assert_eq!(app.counts()[kiel.0 as usize], 2);
    let row = app.tags().rows.iter().position(|&t| t == kiel).unwrap();
    select_tag(&mut app, row);
    press(&mut app, "x");
    assert_eq!(app.query().to_string(), "+Verkehr -Kiel");
    assert_eq!(titles(&app), vec!["Brücke gesperrt", "Bus fährt nachts"]);
    press(&mut app, "-");
    assert_eq!(app.query().to_string(), "+Verkehr");
    press(&mut app, "c");
    assert!(app.query().is_empty());
}

#[test]
fn any_of_switch_and_tag_sort_and_find() {
    let mut app = app();
    filter_by(&mut app, "+Klima +Haushalt");
    assert_eq!(app.matches().len(), 0);
    press(&mut app, "t a");
    assert_eq!(app.query().to_string(), "+Klima|Haushalt");
    assert_eq!(app.matches().len(), 2);
    press(&mut app, "s");
    assert!(app.tags().by_name);
    let names: Vec<&str> = app.tags().rows.iter().skip(2).map(|&t| app.collection().tags.name(t)).collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);
    press(&mut app, "f");
    type_text(&mut app, "ver");
    let shown: Vec<&str> = app.tags().rows.iter().map(|&t| app.collection().tags.name(t)).collect();
    assert_eq!(shown, vec!["Haushalt", "Klima", "Verkehr", "Verwaltung"], "tags in the filter stay listed, first");
    press(&mut app, "enter H");
    assert!(app.tags().hide_empty);
}

#[test]
fn prompt_filters_as_you_type_and_esc_restores() {
    let mut app = app();
    press(&mut app, "/");
    type_text(&mut app, "+Kiel");
    assert_eq!(app.matches().len(), 2, "applied while typing");
    type_text(&mut app, " \"open");
    assert!(app.prompt().unwrap().error.as_ref().unwrap().contains("unclosed quote"));
    assert_eq!(app.matches().len(), 2, "the last good result stays");
    press(&mut app, "esc");
    assert!(app.prompt().is_none());
    assert!(app.query().is_empty(), "Esc restores the filter from before the prompt");
    press(&mut app, "/");
    type_text(&mut app, "förde");
    press(&mut app, "enter");
    assert_eq!(app.query().to_string(), "förde");
    assert_eq!(titles(&app), vec!["Fähre fährt digital", "Radweg eröffnet"]);
    assert_eq!(app.history(), vec!["förde".to_string()]);
}

#[test]
fn prompt_editing_history_and_completion() {
    let mut app = app();
    press(&mut app, "/");
    type_text(&mut app, "+Kiel");
    press(&mut app, "enter /");
    press(&mut app, "ctrl-u");
    type_text(&mut app, "+verw");
    press(&mut app, "tab");
    assert_eq!(app.prompt().unwrap().editor.text(), "+Verwaltung");
    press(&mut app, "ctrl-w");
    assert_eq!(app.prompt().unwrap().editor.text(), "");
    press(&mut app, "up");
    assert_eq!(app.prompt().unwrap().editor.text(), "+Kiel");
    press(&mut app, "left left backspace");
    assert_eq!(app.prompt().unwrap().editor.text(), "+Kel");
    press(&mut app, "home right right");
    type_text(&mut app, "x");
    assert_eq!(app.prompt().unwrap().editor.text(), "+Kxel");
    press(&mut app, "end down");
    assert_eq!(app.prompt().unwrap().editor.text(), "");
}

#[test]
fn search_hits_are_found_and_jumped_to() {
    let mut app = app();
    press(&mut app, "/");
    type_text(&mut app, "förde");
    press(&mut app, "enter enter");
    assert_eq!(app.focus(), Pane::Reader);
    assert!(!app.reader().hits.is_empty());
    assert_eq!(app.reader().scroll, 0);
    press(&mut app, "n");
    let first = app.reader().scroll;
    assert!(first > 0 && app.reader().hits.contains(&first), "n jumps to a hit line: {first}, {:?}", app.reader().hits);
    press(&mut app, "n");
    let second = app.reader().scroll;
    assert!(second > first, "the far hit: {second} after {first}");
    let n = app.reader().hits.len();
    let k = app.reader().hits.iter().position(|&h| h >= second).unwrap() + 1;
    assert_eq!(app.message().as_ref().unwrap().0, format!("hit {k} of {n}"));
    press(&mut app, "N");
    assert_eq!(app.reader().scroll, first);
    press(&mut app, "N");
    assert!(app.message().as_ref().unwrap().0.contains("no more hits above"));
}

#[test]
fn sort_cycle_and_selection_kept_when_filter_changes() {
    let mut app = app();
    press(&mut app, "j j");
    let title = selected_title(&app);
    press(&mut app, "s");
    assert_eq!(app.sort(), SortMode::Oldest);
    assert_eq!(selected_title(&app), title, "the selection follows its article");
    assert_eq!(titles(&app)[0], "Bus fährt nachts");
    press(&mut app, "s");
    assert_eq!(app.sort(), SortMode::Title);
    assert_eq!(titles(&app)[0], "Brücke gesperrt");
    let mut by_title = titles(&app);
    by_title.sort_by_key(|t| crate::text::sort_key(t));
    assert_eq!(titles(&app), by_title, "umlauts sort as their base letters: Brücke before Bus");
    press(&mut app, "s s s");
    assert_eq!(app.sort(), SortMode::Newest);
    filter_by(&mut app, "+Verkehr");
    assert_eq!(selected_title(&app), title, "still matches, still selected");
}

#[test]
fn relevance_puts_words_in_titles_first_then_kickers_and_tags() {
    // With the headlines, and without them (a collection with a word index
    // keeps none): the same order.
    let dir = tempfile::tempdir().unwrap();
    write_articles(dir.path());
    let bare = LoadOptions { content: crate::formats::Content::Metadata, headlines: false, ..LoadOptions::default() };
    let bare = Collection::load(&[dir.path().to_path_buf()], &bare);
    assert!(!bare.has_headlines());
    let without = App::new(Arc::new(bare), Marks::default(), Keymap::default());
    for mut app in [app(), without] {
        filter_by(&mut app, "i");
        press(&mut app, "s s s s");
        assert_eq!(app.sort(), SortMode::Relevance);
        assert_eq!(
            titles(&app),
            [
                // In the title (newest first among them) …
                "Fähre fährt digital",
                "Hitzeplan beschlossen",
                "Haushalt genehmigt",
                // … in the tags or the kicker …
                "Portal für Anträge",
                "防災アプリ update",
                "Radweg eröffnet",
                // … in the text only.
                "Brücke gesperrt",
                "Bus fährt nachts",
            ]
        );
    }
}

#[test]
fn relevance_over_many_matches_is_ranked_off_the_ui_thread() {
    let relevant = {
        let mut app = app();
        filter_by(&mut app, "i");
        press(&mut app, "s s s s");
        titles(&app)
    };
    // Every list counts as many here.
    let mut app = app().with_background_search_above(0);
    filter_by(&mut app, "i");
    let newest = titles(&app);
    press(&mut app, "s s s");
    app.update(Action::CycleSort);
    assert_eq!(app.sort(), SortMode::Relevance);
    let effects = app.take_effects();
    assert!(matches!(effects.as_slice(), [Effect::Rank { .. }]), "{effects:?}");
    assert_eq!(titles(&app), newest, "nothing is scored on the UI thread");
    assert!(app.searching().is_some());
    run_effects_for(&mut app, effects);
    assert_eq!(titles(&app), relevant);
    assert!(app.searching().is_none());
    assert!(screen(&app, 120, 35).lines().any(|l| l.contains("Verkehr") && !l.contains('…')), "counts kept");
    // A new search in this order asks for it, and its answer is kept as it comes.
    press(&mut app, "/ ctrl-u");
    app.update(Action::Insert('e'));
    let effects = app.take_effects();
    assert!(effects.iter().any(|e| matches!(e, Effect::Search { rank: true, .. })), "{effects:?}");
    let Some(Effect::Search { generation, .. }) = effects.last().cloned() else { panic!("{effects:?}") };
    app.update(Msg::SearchDone { generation, matches: vec![5, 0, 2], counts: vec![], last: true, ranked: true });
    assert_eq!(app.matches(), [5, 0, 2]);
}

#[test]
fn bookmarks_and_unread_views() {
    let mut app = app();
    press(&mut app, "j b");
    assert!(app.message().as_ref().unwrap().0.contains("bookmark added"));
    press(&mut app, "B");
    assert_eq!(app.query().to_string(), "is:bookmarked");
    assert_eq!(titles(&app), vec!["Portal für Anträge"]);
    press(&mut app, "B");
    assert!(app.query().is_empty());
    press(&mut app, "g enter h u");
    assert_eq!(app.query().to_string(), "is:unread");
    assert_eq!(app.matches().len(), 7);
    press(&mut app, "u g");
    press(&mut app, "n");
    assert_eq!(app.selected(), 1, "n skips the read first article");
}

#[test]
fn opening_a_link_with_nothing_listed_says_so() {
    let mut app = app();
    press(&mut app, "/");
    type_text(&mut app, "+NoSuchTagAnywhere");
    press(&mut app, "enter o");
    assert!(app.matches().is_empty());
    assert_eq!(app.message().as_ref().unwrap().0, "no article selected");
}

#[test]
fn links_open_and_choice() {
    let mut app = app();
    press(&mut app, "o");
    assert!(app.choosing_link());
    press(&mut app, "2");
    assert_eq!(app.effects(), vec![]);
    assert!(app.message().as_ref().unwrap().0.contains("opening https://example.org/a/more"));
    press(&mut app, "o esc");
    assert!(!app.choosing_link());
}

#[test]
fn overlays_help_and_problems() {
    let mut app = app();
    press(&mut app, "?");
    assert_eq!(app.overlay(), Some((Overlay::Help, 0)));
    let s = screen(&app, 120, 35);
    assert!(s.contains("keys · Esc closes") && s.contains("bookmark on / off"), "{s}");
    press(&mut app, "j");
    assert_eq!(app.overlay(), Some((Overlay::Help, 1)));
    press(&mut app, "esc !");
    assert_eq!(app.overlay(), Some((Overlay::Problems, 0)));
    assert!(screen(&app, 120, 35).contains("Every file loaded cleanly"));
    press(&mut app, "q");
    assert!(app.overlay().is_none());
    assert!(!app.should_quit());
    press(&mut app, "q");
    assert!(app.should_quit());
}

#[test]
fn reload_asks_the_runtime() {
    let mut app = app();
    app.update(Action::Reload);
    assert_eq!(app.effects(), vec![Effect::Reload]);
    let fresh = Arc::new(collection());
    press(&mut app, "j j");
    let title = selected_title(&app);
    app.take_effects();
    app.update(Msg::Reloaded(fresh));
    assert_eq!(selected_title(&app), title);
}

#[test]
fn mouse_click_and_wheel() {
    let mut app = app();
    let list = super::layout::inner(app.panes().list.unwrap());
    app.update(Action::Click(list.x + 5, list.y + 3));
    assert_eq!(app.selected(), 3);
    let reader = app.panes().reader.unwrap();
    app.update(Action::Click(reader.x + 3, reader.y + 2));
    assert_eq!(app.focus(), Pane::Reader);
    app.update(Action::Scroll(list.x + 2, list.y + 1, 1));
    assert_eq!(app.selected(), 6);
    assert_eq!(app.focus(), Pane::Reader, "the wheel does not move the focus");
}

#[test]
fn wide_screen_shows_three_panes_and_the_status_line() {
    let app = app();
    let s = screen(&app, 120, 35);
    assert!(s.contains("Tags · all · count"), "{s}");
    assert!(s.contains("Articles · newest first"));
    assert!(s.contains(" Reader "));
    assert!(s.contains(" 8 / 8 "));
    let last = s.lines().last().unwrap();
    assert!(last.contains("? help"), "{last}");
}

#[test]
fn list_rows_keep_columns_with_wide_characters() {
    let app = app();
    let s = screen(&app, 120, 35);
    let rows: Vec<&str> = s.lines().filter(|l| l.contains("2024-") || l.contains("2025-")).collect();
    let col_of_title = |row: &str, title: &str| {
        let prefix = &row[..row.find(title).unwrap()];
        unicode_width::UnicodeWidthStr::width(prefix)
    };
    let tokyo = rows.iter().find(|r| r.contains("防災")).unwrap();
    let ulm = rows.iter().find(|r| r.contains("Hitzeplan")).unwrap();
    assert_eq!(col_of_title(tokyo, "防災"), col_of_title(ulm, "Hitzeplan"));
}

#[test]
fn every_size_renders_without_panicking() {
    let mut app = app();
    press(&mut app, "/");
    type_text(&mut app, "förde");
    for (w, h) in [(1, 1), (2, 2), (10, 3), (60, 15), (80, 24), (120, 35), (500, 60)] {
        app.update(Action::Resize(w, h));
        for pane in ["t", "h", "enter"] {
            press(&mut app, pane);
            let _ = screen(&app, w, h);
        }
    }
}

#[test]
fn narrow_screen_shows_one_pane_with_tabs() {
    let mut app = app();
    app.update(Action::Resize(60, 15));
    let s = screen(&app, 60, 15);
    assert!(s.lines().next().unwrap().contains("Articles"));
    assert!(!s.contains("Tags · all"));
    press(&mut app, "t");
    assert!(screen(&app, 60, 15).contains("Tags · all"));
}

#[test]
fn empty_collection_gets_a_friendly_screen() {
    let dir = tempfile::tempdir().unwrap();
    let c = Collection::load(&[dir.path().to_path_buf()], &LoadOptions::default());
    let mut app = App::new(Arc::new(c), Marks::default(), Keymap::default());
    app.update(Action::Resize(80, 24));
    let s = screen(&app, 80, 24);
    assert!(s.contains("No articles to show") && s.contains("blatt ~/news"), "{s}");
    press(&mut app, "j k enter t / x");
}

#[test]
fn missing_bookmarks_show_in_the_bookmark_view_and_come_back() {
    let full = collection();
    let gone = full.articles.iter().find(|a| a.title == "Brücke gesperrt").unwrap().clone();
    let mut marks = Marks::default();
    marks.toggle_bookmark(&gone);
    // The same collection without that article.
    let mut smaller = collection();
    smaller.retain(|a| a.id != gone.id);
    marks.state().add_stand_ins_to(&mut smaller);
    marks.state().add_stand_ins_to(&mut smaller);
    let mut app = App::new(Arc::new(smaller), marks, Keymap::default());
    app.update(Action::Resize(120, 35));
    assert_eq!(app.matches().len(), 7, "the stand-in is not in the normal list");
    press(&mut app, "B");
    assert_eq!(titles(&app), vec!["Brücke gesperrt"]);
    assert!(screen(&app, 120, 35).contains("Brücke gesperrt (missing)"));
    // The article returns: the bookmark is a normal one again.
    app.update(Msg::Reloaded(Arc::new(collection())));
    assert_eq!(titles(&app), vec!["Brücke gesperrt"]);
    assert!(!screen(&app, 120, 35).contains("(missing)"));
}

#[test]
fn word_search_shows_headline_hits_at_once_and_body_hits_later() {
    let mut app = app().with_background_search_above(0);
    press(&mut app, "/");
    for c in "radweg".chars() {
        app.update(Action::Insert(c));
    }
    // Nothing is searched on the UI thread: the list waits for the answers.
    assert_eq!(titles(&app).len(), 8);
    assert!(app.searching().is_some());
    assert!(screen(&app, 120, 35).contains("/radweg"));
    let search = app.effects().iter().rev().find_map(|e| match e {
        Effect::Search { generation, query, .. } => Some((*generation, query.clone())),
        _ => None,
    });
    let (generation, query) = search.expect("a background search was asked for");
    // The first answer: "Radweg" is in one title; the bodies are still being searched.
    let (flags, collection) = (app.marks().state().clone(), Arc::clone(app.collection()));
    let evaluation = Evaluation::new(&flags).counts(Counts::Faceted);
    let quick = evaluation.scope(crate::query::TextScope::Headlines).run(&collection, &query).unwrap();
    app.update(Msg::SearchDone {
        generation,
        matches: quick.matches,
        counts: quick.counts,
        last: false,
        ranked: false,
    });
    assert_eq!(titles(&app), vec!["Radweg eröffnet"]);
    assert!(app.searching().is_some());
    // An older answer arriving late is ignored.
    app.update(Msg::SearchDone {
        generation: generation - 1,
        matches: vec![],
        counts: vec![],
        last: true,
        ranked: false,
    });
    assert_eq!(titles(&app), vec!["Radweg eröffnet"]);
    let Outcome { matches, counts } = evaluation.run(&collection, &query).unwrap();
    app.update(Msg::SearchDone { generation, matches, counts, last: true, ranked: false });
    assert!(app.searching().is_none());
    assert_eq!(titles(&app), vec!["Radweg eröffnet"], "no body mentions a Radweg either");
    press(&mut app, "ctrl-u");
    for c in "förde".chars() {
        app.update(Action::Insert(c));
    }
    run_effects(&mut app);
    assert_eq!(titles(&app), vec!["Fähre fährt digital", "Radweg eröffnet"], "both bodies do");
}

#[test]
fn reading_position_is_remembered_per_article() {
    let mut app = app();
    app.update(Action::Resize(60, 15));
    press(&mut app, "enter j j j");
    assert_eq!(app.reader().scroll, 3);
    press(&mut app, "J");
    assert_eq!(app.reader().scroll, 0, "the next article starts at its top");
    press(&mut app, "K");
    assert_eq!(app.reader().scroll, 3, "back where reading stopped");
    let id = app.collection().articles[app.selected_article().unwrap()].id.clone();
    assert_eq!(app.marks().state().position(&id), 3, "and it is kept with the marks");
}

#[test]
fn clicking_a_tab_in_the_narrow_layout_opens_that_pane() {
    let mut app = app();
    app.update(Action::Resize(60, 15));
    let s = screen(&app, 60, 15);
    let tabs = s.lines().next().unwrap();
    let col = |label: &str| unicode_width::UnicodeWidthStr::width(&tabs[..tabs.find(label).unwrap()]) as u16;
    app.update(Action::Click(col("Reader") + 1, 0));
    assert_eq!(app.focus(), Pane::Reader);
    app.update(Action::Click(col("Tags") + 1, 0));
    assert_eq!(app.focus(), Pane::Tags);
    app.update(Action::Click(col("Articles") + 3, 0));
    assert_eq!(app.focus(), Pane::List);
}

#[test]
fn resizing_under_help_or_the_prompt_rewraps_the_reader() {
    for opener in ["?", "/"] {
        let mut app = app();
        press(&mut app, "enter");
        let wide = app.reader().width;
        press(&mut app, opener);
        app.update(Action::Resize(70, 24));
        press(&mut app, "esc");
        assert!(app.reader().width < wide, "{opener}: still wrapped at {} (was {wide})", app.reader().width);
        let lines_fit = app.reader().lines.iter().all(|l| crate::text::width(&l.text) <= app.reader().width);
        assert!(lines_fit, "{opener}");
    }
}

#[test]
fn page_keys_in_help_move_a_page() {
    let mut app = app();
    app.update(Action::Resize(120, 20));
    press(&mut app, "?");
    press(&mut app, "pagedown");
    assert_eq!(app.overlay().map(|(_, s)| s), Some(16));
}

#[test]
fn active_tags_stay_in_view_and_the_pane_says_what_is_hidden() {
    let mut app = app();
    app.update(Action::Resize(120, 10));
    press(&mut app, "t j j j j j j j j j");
    press(&mut app, "/");
    type_text(&mut app, "+Verkehr");
    press(&mut app, "enter");
    let shown = screen(&app, 120, 10);
    assert!(shown.contains("[+] Verkehr"), "{shown}");
    assert!(shown.contains('↑') || shown.contains('↓'), "the pane says more rows lie above or below: {shown}");
}

#[test]
fn find_tag_is_plain_to_see_and_esc_or_c_end_it() {
    let mut app = app();
    press(&mut app, "t f");
    type_text(&mut app, "ver");
    press(&mut app, "enter");
    assert_eq!(app.tags().find, "ver");
    assert!(screen(&app, 120, 35).contains("find \"ver\""));
    press(&mut app, "esc");
    assert_eq!(app.tags().find, "", "Esc in the tag pane ends the narrowing");
    press(&mut app, "f");
    type_text(&mut app, "k");
    press(&mut app, "enter f");
    type_text(&mut app, "bo");
    press(&mut app, "enter");
    assert_eq!(app.tags().find, "bo", "f starts a new search, it does not append");
    press(&mut app, "c");
    assert_eq!(app.tags().find, "");
    press(&mut app, "f");
    type_text(&mut app, "x");
    press(&mut app, "esc");
    assert_eq!(app.tags().find, "", "Esc in the find prompt clears it");
}

#[test]
fn any_of_chosen_before_any_tag_applies_to_the_next_ones() {
    let mut app = app();
    press(&mut app, "t a");
    assert!(app.message().as_ref().unwrap().0.contains("any of"));
    press(&mut app, "space j space");
    let q = app.query().to_string();
    assert!(q.starts_with('+') && q.contains('|') && !q.contains(" +"), "one any-of group: {q}");
}

#[test]
fn the_count_stays_in_view_while_typing() {
    let mut app = app();
    press(&mut app, "/");
    type_text(&mut app, "+Kiel");
    let shown = screen(&app, 120, 35);
    let status = shown.lines().last().unwrap();
    assert!(status.contains("2 / 8"), "{status}");
}

#[test]
fn an_unknown_tag_gets_a_hint() {
    let mut app = app();
    press(&mut app, "/");
    type_text(&mut app, "+Kie");
    assert_eq!(app.message().as_ref().unwrap().0, "no tag \"Kie\" — did you mean Kiel?");
    type_text(&mut app, "l");
    assert!(app.message().is_none(), "{:?}", app.message());
}

#[test]
fn narrow_status_lines_drop_whole_hints() {
    let mut app = app();
    for w in [40, 60, 80] {
        app.update(Action::Resize(w, 15));
        let status = screen(&app, w, 15).lines().last().unwrap().to_string();
        assert!(status.contains("no filter") && !status.contains('…'), "{w}: {status:?}");
    }
}

#[test]
fn a_reload_that_finds_no_articles_says_so() {
    let mut app = app();
    let mut marks = Marks::default();
    marks.toggle_bookmark(&crate::Article {
        id: crate::ArticleId("gone".into()),
        title: "Weg".into(),
        ..Default::default()
    });
    let mut empty = Collection::default();
    marks.state().add_stand_ins_to(&mut empty);
    app.update(Msg::Reloaded(Arc::new(empty)));
    assert_eq!(app.message().as_ref().unwrap().0, "reloaded: 0 articles, 0 problems");
}

#[test]
fn mark_everything_shown_read_and_undo() {
    let mut app = app();
    press(&mut app, "enter"); // reading the first marks it read
    press(&mut app, "h");
    press(&mut app, "/");
    type_text(&mut app, "+Kiel");
    press(&mut app, "enter A");
    let kiel: Vec<usize> = app.matches().to_vec();
    assert_eq!(kiel.len(), 2);
    assert!(kiel.iter().all(|&i| app.marks().state().is_read(&app.collection().articles[i].id)));
    assert_eq!(app.message().as_ref().unwrap().0, "1 article marked read · U undoes");
    press(&mut app, "U");
    let read: Vec<bool> = kiel.iter().map(|&i| app.marks().state().is_read(&app.collection().articles[i].id)).collect();
    assert_eq!(read.iter().filter(|r| **r).count(), 1, "the one read before stays read: {read:?}");
    press(&mut app, "U");
    assert_eq!(app.message().as_ref().unwrap().0, "nothing to undo");
}

#[test]
fn copy_and_pipe_hand_their_work_to_the_loop() {
    let mut app = app();
    app.update(Action::CopyLink);
    assert_eq!(app.effects(), vec![Effect::Copy("https://example.org/a".into())]);
    app.take_effects();
    press(&mut app, "|");
    type_text(&mut app, "wc -l");
    app.update(Action::Accept);
    match app.effects() {
        [Effect::Pipe { command, text }] => {
            assert_eq!(command, "wc -l");
            assert!(text.starts_with("Fähre fährt digital\n"), "{text}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn saved_views_on_number_keys_with_counts() {
    let mut app = app();
    let kiel = crate::query::parse("+Kiel").unwrap();
    let bonn_politik = crate::query::parse("+Bonn +Politik").unwrap();
    app.set_views(vec![("Kiel".into(), kiel.clone()), ("Bonner Politik".into(), bonn_politik)]);
    let shown = screen(&app, 120, 35);
    assert!(shown.contains(" Views "), "{shown}");
    assert!(shown.lines().any(|l| l.contains("1 Kiel") && l.contains(" 2")), "{shown}");
    assert!(shown.lines().any(|l| l.contains("2 Bonner Politik") && l.contains(" 1")), "{shown}");
    press(&mut app, "1");
    assert_eq!(app.query(), &kiel);
    assert_eq!(app.matches().len(), 2);
    assert_eq!(app.message().as_ref().unwrap().0, "view Kiel: 2 articles");
    press(&mut app, "3");
    assert!(app.message().as_ref().unwrap().0.starts_with("no view 3"));
}

#[test]
fn inserted_text_is_applied_once_and_capped() {
    let mut app = app();
    press(&mut app, "/");
    app.update(Action::InsertText("+Kiel\u{1b}[2J".into()));
    assert_eq!(app.prompt().unwrap().editor.text(), "+Kiel", "cleaned like any text");
    assert_eq!(app.matches().len(), 2);
    app.update(Action::InsertText(" x".repeat(5_000)));
    assert_eq!(app.prompt().unwrap().editor.text().chars().count(), 4_096);
    assert!(app.message().as_ref().is_some_and(|m| m.0.contains("4096 characters")), "{:?}", app.message());
}

#[test]
fn without_bodies_in_memory_the_shown_article_is_read_from_its_file() {
    let dir = tempfile::tempdir().unwrap();
    write_articles(dir.path());
    let options = LoadOptions { content: crate::formats::Content::Metadata, headlines: true, ..LoadOptions::default() };
    let lean = Collection::load(&[dir.path().to_path_buf()], &options);
    let mut app = App::new(Arc::new(lean), Marks::default(), Keymap::default());
    app.update(Action::Resize(120, 35));
    // Until the text is read, the pane shows the headline.
    let asked: Vec<Effect> = app.take_effects();
    assert_eq!(asked, vec![Effect::ReadArticle(app.selected_article().unwrap())]);
    assert!(!screen(&app, 120, 35).contains("Zweiter Absatz"));
    // An answer about another article (an earlier collection) is dropped.
    let stale = crate::Article::with_text("Fremd", None, &["Fremder Text."]);
    let index = app.selected_article().unwrap();
    app.update(Msg::ArticleRead { index, id: stale.id.clone(), article: Ok(Arc::new(stale)) });
    assert!(!screen(&app, 120, 35).contains("Fremder Text"));
    run_effects_for(&mut app, asked);
    assert!(screen(&app, 120, 35).contains("Zweiter Absatz über Fähre fährt digital"), "{}", screen(&app, 120, 35));
    press(&mut app, "j");
    assert!(screen(&app, 120, 35).contains("Das Portal startet."));
    // Words only in a body are looked for in the files, off the UI thread.
    press(&mut app, "/");
    "trinkbrunnen".chars().for_each(|c| app.update(Action::Insert(c)));
    assert!(app.searching().is_some(), "never on the UI thread, however small the collection");
    press(&mut app, "enter");
    assert_eq!(titles(&app), vec!["Hitzeplan beschlossen"]);
    // The pipe gets the whole text.
    press(&mut app, "|");
    type_text(&mut app, "cat");
    app.update(Action::Accept);
    let piped = app.effects().iter().find_map(|e| match e {
        Effect::Pipe { text, .. } => Some(text.clone()),
        _ => None,
    });
    assert!(piped.unwrap().contains("Trinkbrunnen kommen."));
}

#[test]
fn a_refresh_keeps_the_text_of_the_article_read() {
    let dir = tempfile::tempdir().unwrap();
    write_articles(dir.path());
    let options = LoadOptions { content: crate::formats::Content::Metadata, headlines: true, ..LoadOptions::default() };
    let load = || Arc::new(Collection::load(&[dir.path().to_path_buf()], &options));
    let mut app = App::new(load(), Marks::default(), Keymap::default());
    app.update(Action::Resize(120, 35));
    run_effects(&mut app);
    press(&mut app, "j j");
    assert!(screen(&app, 120, 35).contains("Die Brücke bleibt zu."));
    std::fs::remove_file(dir.path().join("a.txt")).unwrap();
    app.update(Msg::Refreshed(load()));
    assert_eq!(selected_title(&app), "Brücke gesperrt");
    assert!(screen(&app, 120, 35).contains("Die Brücke bleibt zu."), "{}", screen(&app, 120, 35));
    // An answer for another article, asked for on the way, changes nothing.
    run_effects(&mut app);
    assert!(screen(&app, 120, 35).contains("Die Brücke bleibt zu."), "{}", screen(&app, 120, 35));
    assert_eq!(selected_title(&app), "Brücke gesperrt");
}

#[test]
fn a_first_screen_from_the_front_page_works_until_the_whole_collection_takes_its_place() {
    use crate::collection::front::FRONT_ARTICLES;
    let (files, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let many = FRONT_ARTICLES + 100;
    // Newest first: article 0 is the newest; the last hundred carry "Spät".
    let items: Vec<String> = (0..many)
        .map(|i| {
            let tags = if i >= FRONT_ARTICLES { r#""Kiel", "Spät""# } else { r#""Kiel""# };
            let (month, day) = (12 - (i / 28) % 12, 28 - i % 28);
            let year = 2024 - i / (28 * 12);
            format!(
                r#"{{"id": "n{i}", "title": "Meldung {i}", "date": "{year}-{month:02}-{day:02}", "tags": [{tags}]}}"#
            )
        })
        .collect();
    std::fs::write(files.path().join("viele.json"), format!("{{\"articles\": [{}]}}", items.join(","))).unwrap();
    let options = indexed(cache.path());
    let paths = [files.path().to_path_buf()];
    let whole = Arc::new(Collection::load(&paths, &options));
    let front = Collection::front_page(&paths, &options).unwrap();
    let mut app = App::new(Arc::new(front), Marks::default(), Keymap::default());
    app.update(Action::Resize(120, 35));
    let shown = screen(&app, 120, 35);
    let status = shown.lines().last().unwrap().to_string();
    assert!(status.contains(" 1,100 / 1,100 ") && status.contains("loading the list"), "{status}");
    assert!(shown.contains("Meldung 0") && shown.contains("Spät"), "{shown}");
    assert!(shown.lines().any(|l| l.contains("Spät") && l.contains(" 100")), "the whole's count: {shown}");
    press(&mut app, "j j");
    assert_eq!(selected_title(&app), "Meldung 2");
    // What needs every article waits for them.
    press(&mut app, "s");
    assert_eq!(app.sort(), SortMode::Newest);
    assert!(app.message().is_some_and(|(m, _)| m.contains("still loading")));
    press(&mut app, "G");
    assert_eq!(selected_title(&app), "Meldung 2");
    // Saved views are not counted on the front page alone.
    app.set_views(vec![("Späte".into(), crate::query::parse("+Spät").unwrap())]);
    assert!(screen(&app, 120, 35).lines().any(|l| l.contains("Späte") && l.contains('…')));
    press(&mut app, "1");
    assert_eq!(app.message().map(|(m, _)| m.as_str()), Some("view Späte"));
    // A filter shows the first of its matches, and says it knows no more.
    filter_by(&mut app, "+Spät");
    assert!(titles(&app).is_empty());
    filter_by(&mut app, "+Kiel");
    assert_eq!(app.matches().len(), FRONT_ARTICLES);
    let shown = screen(&app, 120, 35);
    assert!(shown.lines().last().unwrap().contains(" 1,000… / 1,100 "), "{shown}");
    assert!(!shown.lines().any(|l| l.contains("Spät") && l.contains(" 100")), "no count yet: {shown}");
    press(&mut app, "j j j");
    // The whole collection: the selection stays, counts are known.
    app.update(Msg::Loaded(Arc::clone(&whole)));
    assert!(!app.loading());
    assert_eq!(selected_title(&app), "Meldung 3");
    assert_eq!(app.matches().len(), many);
    let status = screen(&app, 120, 35).lines().last().unwrap().to_string();
    assert!(status.contains(" 1,100 / 1,100 ") && !status.contains("loading"), "{status}");
    press(&mut app, "G");
    assert_eq!(selected_title(&app), format!("Meldung {}", many - 1));
    assert!(screen(&app, 120, 35).lines().any(|l| l.contains("Späte") && l.contains(" 100")));
}

#[test]
fn an_early_answer_shows_the_first_matches_and_keeps_the_tag_rows() {
    let mut app = app().with_background_search_above(0);
    let rows_before = app.tags().rows.clone();
    // A word search goes off the UI thread; its effects are not run here.
    app.update(Action::Prompt);
    "förde".chars().for_each(|c| app.update(Action::Insert(c)));
    let Some(Effect::Search { generation, .. }) =
        app.take_effects().into_iter().rfind(|e| matches!(e, Effect::Search { .. }))
    else {
        panic!("a word is searched in the background")
    };
    app.update(Msg::SearchDone { generation, matches: vec![0], counts: vec![], last: false, ranked: false });
    assert_eq!(titles(&app), ["Fähre fährt digital"]);
    assert_eq!(app.tags().rows, rows_before, "the rows stay as they were");
    let shown = screen(&app, 120, 35);
    assert!(shown.lines().last().unwrap().contains(" 1… / 8 "), "{shown}");
    assert!(shown.lines().any(|l| l.contains("Verkehr") && l.contains('…')), "{shown}");
    app.update(Msg::SearchDone {
        generation,
        matches: vec![0, 5],
        counts: vec![1; app.collection().tags.len()],
        last: true,
        ranked: false,
    });
    let shown = screen(&app, 120, 35);
    assert!(shown.lines().last().unwrap().contains(" 2 / 8 "), "{shown}");
    assert!(!shown.lines().any(|l| l.contains("Verkehr") && l.contains('…')), "{shown}");
}

/// Load options as the reader's, with the index in `cache`.
fn indexed(cache: &std::path::Path) -> LoadOptions {
    LoadOptions {
        content: crate::formats::Content::Metadata,
        cache: Some(cache.to_path_buf()),
        headlines: true,
        ..LoadOptions::default()
    }
}

/// The front page fits the index's header, but the index behind it is
/// damaged: the rest of the list comes from the files, the index is
/// rebuilt, and the status line says so.
#[test]
fn a_damaged_index_behind_its_front_page_is_rebuilt_and_said() {
    use crate::collection::Source;
    let (files, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write_articles(files.path());
    let options = indexed(cache.path());
    let paths = [files.path().to_path_buf()];
    let first = Collection::load_from(&paths, &options, Source::Walk, &|_, _| {});
    let index = first.index_file.clone().unwrap().0;
    let mut bytes = std::fs::read(&index).unwrap();
    *bytes.last_mut().unwrap() ^= 0x55;
    std::fs::write(&index, bytes).unwrap();
    let front = Collection::front_page(&paths, &options).expect("the front page fits the header");
    let mut app = App::new(Arc::new(front), Marks::default(), Keymap::default());
    app.update(Action::Resize(120, 35));
    let rest = Collection::load_from(&paths, &options, Source::IndexOnly, &|_, _| {});
    app.update(Msg::Loaded(Arc::new(rest)));
    assert_eq!(app.matches().len(), first.len());
    let said = app.message().map(|(m, warn)| (m.clone(), *warn));
    assert!(
        said.as_ref().is_some_and(|(m, warn)| m.contains("damaged") && m.contains("rebuilding") && *warn),
        "{said:?}"
    );
}
