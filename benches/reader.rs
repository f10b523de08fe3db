//! The reader's frame times on a large collection, without a terminal:
//! `cargo bench --bench reader -- DIR` (DIR from the gen-collection example);
//! `--keys` after DIR stops after the keys' figures, before the searches.
//!
//! Each figure is one `App::update` plus a full render into a 120×35
//! `TestBackend`, which is what a key costs before the terminal is written.

use blatt::LoadOptions;
use blatt::collection::Collection;
use blatt::query::{Counts, Evaluation, NoFlags};
use blatt::store::Marks;
use blatt::tui::action::Action;
use blatt::tui::app::App;
use blatt::tui::keymap::Keymap;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    terminal.draw(|f| blatt::tui::ui::render(app, f)).expect("draw");
}

/// Runs `action` `n` times, each followed by a frame; returns each time.
fn times(
    terminal: &mut Terminal<TestBackend>,
    app: &mut App,
    n: usize,
    action: impl Fn(usize) -> Action,
) -> Vec<Duration> {
    (0..n)
        .map(|i| {
            let t = Instant::now();
            app.update(action(i));
            app.take_effects();
            draw(terminal, app);
            t.elapsed()
        })
        .collect()
}

/// (median, worst) of `times`.
fn summary(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    (times[times.len() / 2], times[times.len() - 1])
}

/// Runs `action` `n` times, each followed by a frame; returns (median, worst).
fn frames(
    terminal: &mut Terminal<TestBackend>,
    app: &mut App,
    n: usize,
    action: impl Fn(usize) -> Action,
) -> (Duration, Duration) {
    summary(times(terminal, app, n, action))
}

/// A key that turns something on and off, pressed `2 × n` times: the
/// figures of turning it on and of turning it off, each on its own (the
/// two cost different amounts).
fn toggles(terminal: &mut Terminal<TestBackend>, app: &mut App, n: usize, action: Action, on: &str, off: &str) {
    let all = times(terminal, app, 2 * n, |_| action.clone());
    let (ons, offs): (Vec<(usize, Duration)>, _) = all.into_iter().enumerate().partition(|(i, _)| i % 2 == 0);
    show(on, summary(ons.into_iter().map(|(_, t)| t).collect()));
    show(off, summary(offs.into_iter().map(|(_, t)| t).collect()));
}

fn show(label: &str, (median, worst): (Duration, Duration)) {
    println!("{label:44} median {:7.2} ms   worst {:7.2} ms", median.as_secs_f64() * 1e3, worst.as_secs_f64() * 1e3);
}

fn main() {
    huge_article();
    let Some(dir) = std::env::args().skip(1).find(|a| !a.starts_with('-')).map(PathBuf::from) else {
        eprintln!("for the large-collection figures: cargo bench --bench reader -- DIR [--keys]");
        return;
    };
    // As the reader loads: no leads and bodies, headlines for searching as
    // you type; through the index in $BLATT_CACHE_DIR when that is set.
    let options = LoadOptions {
        content: blatt::formats::Content::Metadata,
        headlines: true,
        cache: std::env::var_os("BLATT_CACHE_DIR").map(PathBuf::from),
        words: true,
        ..LoadOptions::default()
    };
    let collection = Arc::new(Collection::load(&[dir], &options));
    println!("{} articles, {} tags", collection.len(), collection.tags.len());
    let mut terminal = Terminal::new(TestBackend::new(120, 35)).expect("terminal");
    let t = Instant::now();
    let mut app = App::new(Arc::clone(&collection), Marks::default(), Keymap::default());
    app.update(Action::Resize(120, 35));
    draw(&mut terminal, &app);
    println!("{:44} {:7.2} ms", "first frame after loading", t.elapsed().as_secs_f64() * 1e3);

    // Made on a thread after loading, as the reader does.
    let t = Instant::now();
    collection.orders();
    println!("{:44} {:7.2} ms", "title and source orders (done after loading)", t.elapsed().as_secs_f64() * 1e3);
    let t = Instant::now();
    collection.prepare_words();
    println!("{:44} {:7.2} ms", "word search's set-up (done after loading)", t.elapsed().as_secs_f64() * 1e3);

    show("j (move down) ×200", frames(&mut terminal, &mut app, 200, |_| Action::Down));
    show(
        "G / g (jump to ends) ×20",
        frames(&mut terminal, &mut app, 20, |i| if i % 2 == 0 { Action::Bottom } else { Action::Top }),
    );
    app.update(Action::FocusTags);
    let (on, off) = ("tag toggle: +a, faceted recount ×10", "tag toggle: +a taken off again ×10");
    toggles(&mut terminal, &mut app, 10, Action::IncludeTag, on, off);
    // The tag most used left out (most articles stay), then a second tag
    // under the first (`+a`, then `-b` on the next row).
    let (on, off) = ("a tag left out: -a ×10", "-a taken off again ×10");
    toggles(&mut terminal, &mut app, 10, Action::ExcludeTag, on, off);
    app.update(Action::IncludeTag);
    app.update(Action::Down);
    let (on, off) = ("second tag: +a -b ×10", "second tag: back to +a ×10");
    toggles(&mut terminal, &mut app, 10, Action::ExcludeTag, on, off);
    app.update(Action::ClearTags);
    // Each order of the list under a word query, on the UI thread.
    app.update(Action::Back);
    app.update(Action::Prompt);
    "kultur".chars().for_each(|c| app.update(Action::Insert(c)));
    app.update(Action::Accept);
    if let Some(generation) = app.searching() {
        let query = blatt::query::parse("kultur").expect("query");
        let found = Evaluation::new(&NoFlags).counts(Counts::Faceted).run(&collection, &query).expect("done");
        let (matches, counts) = (found.matches, found.counts);
        app.update(blatt::tui::app::Msg::SearchDone { generation, matches, counts, last: true, ranked: false });
    }
    for _ in 0..5 {
        let time = frames(&mut terminal, &mut app, 1, |_| Action::CycleSort);
        show(&format!("s under `kultur`: {}", app.sort().label()), time);
        if let Some(generation) = app.searching() {
            // Ranked by the searcher, as the reader does with many matches.
            let (mut matches, t) = (app.matches().to_vec(), Instant::now());
            blatt::query::rank(&collection, &mut matches, &blatt::query::parse("kultur").expect("query"));
            println!("{:44} {:7.2} ms", "  ranked off the UI thread", t.elapsed().as_secs_f64() * 1e3);
            let ranked =
                blatt::tui::app::Msg::SearchDone { generation, matches, counts: vec![], last: true, ranked: true };
            let t = Instant::now();
            app.update(ranked);
            draw(&mut terminal, &app);
            println!("{:44} {:7.2} ms", "  the answer shown", t.elapsed().as_secs_f64() * 1e3);
        }
    }
    app.update(Action::ClearFilter);
    if std::env::args().any(|a| a == "--keys") {
        return; // only the keys' figures
    }
    app.update(Action::Prompt);
    let word = "kulturnetzbahn";
    show(
        "search keystroke (the search runs off the UI thread)",
        frames(&mut terminal, &mut app, word.len(), |i| Action::Insert(word.as_bytes()[i] as char)),
    );
    let query = blatt::query::parse("kultur").expect("query");
    let t = Instant::now();
    let quick = Evaluation::new(&NoFlags).counts(Counts::Faceted).scope(blatt::query::TextScope::Headlines);
    let first = quick.run(&collection, &query).expect("done");
    println!(
        "{:44} {:7.2} ms ({} matches, off the UI thread)",
        "first answer: titles, kickers, tags",
        t.elapsed().as_secs_f64() * 1e3,
        first.matches.len()
    );
    let through = if collection.words.is_some() { "through the word index" } else { "in the files" };
    for text in ["kultur", "häuser", "zzzqqq", "digitalisier", "\"soll wal\"", "\"stadt –\""] {
        let query = blatt::query::parse(text).expect("query");
        let t = Instant::now();
        // What the reader shows first: the top of the list, once certain.
        let first_at = std::sync::OnceLock::new();
        let early = |_: &[usize]| {
            first_at.get_or_init(|| t.elapsed());
        };
        let matches = Evaluation::new(&NoFlags).early(&early).run(&collection, &query).expect("done").matches;
        let found = t.elapsed();
        let first = first_at.get().copied().unwrap_or(found);
        let full = Evaluation::new(&NoFlags).counts(Counts::Faceted).run(&collection, &query).expect("done");
        println!(
            "{:44} first {:7.2} ms, all {:7.2} ms, with tag counts {:7.2} ms ({} matches, {through}, off the UI thread)",
            format!("full-text search: {text}"),
            first.as_secs_f64() * 1e3,
            found.as_secs_f64() * 1e3,
            t.elapsed().as_secs_f64() * 1e3,
            matches.len().max(full.matches.len())
        );
    }
    app.update(Action::Cancel);
    app.update(Action::Open);
    show("reader: scroll a line ×200", frames(&mut terminal, &mut app, 200, |_| Action::Down));
    show(
        "reader: next article (J, text read off the UI thread) ×100",
        frames(&mut terminal, &mut app, 100, |_| Action::NextArticle),
    );
}

/// A 5 MB article on one line: open it, jump to its end, page through it.
fn huge_article() {
    let dir = std::env::temp_dir().join(format!("blatt-bench-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let words: Vec<&str> = vec!["Verwaltung", "digital", "und", "Informationssicherheitsbeauftragte", "der", "Förde"];
    let line: String = (0..440_000).map(|i| words[i % words.len()]).collect::<Vec<_>>().join(" ");
    std::fs::write(dir.join("huge.txt"), format!("Riesig\n\n[4.4.2024] {line}\n")).expect("write");
    let collection = Arc::new(Collection::load(std::slice::from_ref(&dir), &LoadOptions::default()));
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "one article of {:.1} MB on one line",
        collection.articles[0].details.lead.as_ref().map_or(0, String::len) as f64 / 1e6
    );
    let mut terminal = Terminal::new(TestBackend::new(120, 35)).expect("terminal");
    let mut app = App::new(collection, Marks::default(), Keymap::default());
    app.update(Action::Resize(120, 35));
    show("open it (Enter)", frames(&mut terminal, &mut app, 1, |_| Action::Open));
    let mut worst = Duration::ZERO;
    let mut steps = 0;
    let t = Instant::now();
    app.update(Action::Bottom);
    while !app.reader().complete() || app.reader().want_bottom {
        let f = Instant::now();
        app.update(Action::Tick);
        draw(&mut terminal, &app);
        worst = worst.max(f.elapsed());
        steps += 1;
    }
    println!(
        "{:44} {:7.2} s in {steps} frames, worst frame {:.2} ms ({} lines)",
        "G: wrap all of it and show the end",
        t.elapsed().as_secs_f64(),
        worst.as_secs_f64() * 1e3,
        app.reader().lines.len()
    );
    show("page up through it ×200", frames(&mut terminal, &mut app, 200, |_| Action::PageUp));
}
