//! Article text written by strangers can never reach the terminal as
//! control: hostile strings in every field go through every pane at several
//! sizes; no cell holds a control, bidi or zero-width character, and the bytes
//! the crossterm backend writes hold no OSC, DCS or mode change.

#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use blatt::Collection;
use blatt::LoadOptions;
use blatt::sanitize::{clean_text, stray_characters};
use blatt::store::Marks;
use blatt::tui::action::Action;
use blatt::tui::app::App;
use blatt::tui::keymap::Keymap;
use proptest::prelude::*;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::sync::Arc;

/// Strings that try to take over a terminal.
const HOSTILE: &[&str] = &[
    "\x1b]52;c;cHduZWQ=\x07clipboard",                      // OSC 52 clipboard write
    "\x1b]0;owned title\x07title",                          // OSC 0 window title
    "\x1b]2;owned\x1b\\title2",                             // OSC 2, ST-terminated
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\", // OSC 8 hyperlink
    "\x1b[2J\x1b[H\x1b[31mclear and move",                  // CSI clear, home, colour
    "\x1b[?1049l\x1b[?25lmodes",                            // leave alt screen, hide cursor
    "\u{9b}31mC1 CSI",                                      // 8-bit CSI
    "\u{9d}0;c1 osc\u{9c}",                                 // 8-bit OSC
    "\x1bP1$r\x1b\\dcs",                                    // DCS
    "\x1b_apc\x1b\\",                                       // APC
    "bell\x07\x08backspace\rreturn\0nul",                   // C0 controls
    "\u{202e}reversed\u{202c} \u{2066}isolate\u{2069}",     // bidi override and isolate
    "zero\u{200b}width\u{200d}join\u{feff}bom\u{2060}",     // zero-width
    "\u{200e}lrm\u{200f}rlm\u{061c}alm",                    // marks
    "Z\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}\u{307}\u{308}\u{309}\u{30a}\u{30b}algo", // combining flood
    "日本語のニュース 東京都防災アプリ",                    // CJK
    "emoji 👩‍👩‍👧 🇩🇪 ✨",                                       // emoji with ZWJ and flags
    "tab\there",
];

fn hostile_json(dir: &std::path::Path) {
    let items: Vec<serde_json::Value> = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, h)| {
            serde_json::json!({
                "id": format!("h{i}"),
                "title": format!("Titel {h} {i}"),
                "kicker": h,
                "date": "2024-01-02",
                "lead": format!("Lead {h}"),
                "body": [h.repeat(3), format!("Absatz {h}")],
                "tags": [h, "Sicherheit"],
                "links": [format!("https://example.org/{i}"), "javascript:alert(1)"],
                "url": format!("https://example.org/{h}"),
                "source": h,
                "author": h,
                "image_credit": h,
            })
        })
        .collect();
    std::fs::write(dir.join("hostile.json"), serde_json::to_vec(&items).unwrap()).unwrap();
    let text = format!(
        "{k}\n\n{t}\n\n[1.2.2024] {l}\n\n{b}\n\nStichwörter: {k}, Test\n",
        k = HOSTILE[0],
        t = HOSTILE[4],
        l = HOSTILE[11],
        b = HOSTILE[14]
    );
    std::fs::write(dir.join("hostile.txt"), text).unwrap();
    // A file whose name holds an escape sequence, and which fails to load.
    std::fs::write(dir.join("bad\x1b[31mname\x1b]0;x\x07.json"), b"{ not json").unwrap();
}

fn app() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    hostile_json(dir.path());
    let collection = Collection::load(&[dir.path().to_path_buf()], &LoadOptions::default());
    assert_eq!(collection.len(), HOSTILE.len() + 1);
    assert_eq!(collection.problems.len(), 1);
    (App::new(Arc::new(collection), Marks::default(), Keymap::default()), dir)
}

/// The screens worth checking: each pane, zoom, overlays, a prompt.
fn states() -> Vec<Vec<Action>> {
    vec![
        vec![],
        vec![Action::Down, Action::Down, Action::Open],
        vec![Action::Open, Action::Zoom, Action::PageDown],
        vec![Action::FocusTags, Action::Down, Action::IncludeTag],
        vec![Action::Help],
        vec![Action::Problems],
        vec![Action::Prompt, Action::Insert('\u{202e}'), Action::Insert('x'), Action::Insert('\u{1b}')],
        vec![Action::Down, Action::OpenLink],
    ]
}

const SIZES: &[(u16, u16)] = &[(20, 5), (60, 15), (80, 24), (120, 35), (200, 50)];

/// Calls `check` with the app in every state of [`states`] at every size.
fn each_screen(mut check: impl FnMut(&App, &[Action], u16, u16)) {
    for actions in states() {
        let (mut app, _dir) = app();
        for &(w, h) in SIZES {
            app.update(Action::Resize(w, h));
            for a in &actions {
                app.update(a.clone());
            }
            check(&app, &actions, w, h);
        }
    }
}

#[test]
fn no_cell_ever_holds_a_control_or_bidi_character() {
    each_screen(|app, actions, w, h| {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| blatt::tui::ui::render(app, f)).unwrap();
        let buffer = terminal.backend().buffer();
        for cell in buffer.content() {
            // A zero-width joiner may only stand inside an emoji sequence (👨‍👩‍👧).
            let mut bad = stray_characters(cell.symbol());
            bad.extend(cell.symbol().chars().filter(|&c| c == '\n'));
            assert!(bad.is_empty(), "{actions:?} at {w}×{h}: cell holds {bad:?}");
        }
        // The escaped file name still names the file, without its escapes.
        if actions == [Action::Problems] && w >= 80 {
            let text: String = buffer.content().iter().map(|c| c.symbol()).collect();
            assert!(text.contains("badname.json"), "{text}");
        }
    });
}

/// Collects what the backend writes.
#[derive(Clone, Default)]
struct SharedBuf(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for SharedBuf {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Records what a terminal would act on.
#[derive(Default)]
struct Recorder {
    osc: usize,
    dcs: usize,
    modes: Vec<String>,
    escapes: Vec<u8>,
    controls: Vec<u8>,
    /// Every printed character, checked at the end.
    printed: String,
}

impl vte::Perform for Recorder {
    fn print(&mut self, c: char) {
        self.printed.push(c);
    }
    fn execute(&mut self, byte: u8) {
        if byte != b'\n' && byte != b'\r' {
            self.controls.push(byte);
        }
    }
    fn hook(&mut self, _: &vte::Params, _: &[u8], _: bool, _: char) {
        self.dcs += 1;
    }
    fn osc_dispatch(&mut self, _: &[&[u8]], _: bool) {
        self.osc += 1;
    }
    fn csi_dispatch(&mut self, params: &vte::Params, intermediates: &[u8], _: bool, action: char) {
        if action == 'h' || action == 'l' {
            let p: Vec<u16> = params.iter().flatten().copied().collect();
            self.modes.push(format!("{}{p:?}{action}", String::from_utf8_lossy(intermediates)));
        }
    }
    fn esc_dispatch(&mut self, _: &[u8], _: bool, byte: u8) {
        self.escapes.push(byte);
    }
}

#[test]
fn crossterm_output_has_no_osc_dcs_or_mode_changes() {
    each_screen(|app, actions, w, h| {
        let written = SharedBuf::default();
        let backend = CrosstermBackend::new(written.clone());
        let options = TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, w, h)) };
        let mut terminal = Terminal::with_options(backend, options).unwrap();
        terminal.draw(|f| blatt::tui::ui::render(app, f)).unwrap();
        let bytes = written.0.lock().unwrap().clone();
        let mut recorder = Recorder::default();
        vte::Parser::new().advance(&mut recorder, &bytes);
        assert_eq!((recorder.osc, recorder.dcs), (0, 0), "{actions:?} at {w}×{h}");
        // Drawing may show or hide the cursor (?25), nothing else.
        assert!(recorder.modes.iter().all(|m| m.starts_with("?[25]")), "{actions:?}: {:?}", recorder.modes);
        assert!(recorder.escapes.is_empty(), "{actions:?}: ESC sequences {:?}", recorder.escapes);
        assert!(recorder.controls.is_empty(), "{actions:?}: controls {:?}", recorder.controls);
        let stray = stray_characters(&recorder.printed);
        assert!(stray.is_empty(), "{actions:?}: printed {stray:?}");
    });
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn sanitiser_output_is_clean_and_stable(chars in proptest::collection::vec(any::<char>(), 0..200)) {
        let input: String = chars.into_iter().collect();
        let once = clean_text(&input);
        prop_assert!(stray_characters(&once).is_empty(), "{once:?}");
        prop_assert_eq!(clean_text(&once), once.clone());
    }

    #[test]
    fn sanitiser_handles_escape_heavy_input(input in "([\\x1b\\x07\\x9b\\x9c\\x9d\\[\\]0-9;a-zA-Z\\\\ \u{202e}\u{200b}\u{301}]){0,200}") {
        let once = clean_text(&input);
        prop_assert!(stray_characters(&once).is_empty(), "{once:?}");
        prop_assert_eq!(clean_text(&once), once.clone());
    }
}
