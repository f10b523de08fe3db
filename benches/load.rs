//! Loading and filtering figures for the README:
//! `cargo bench --bench load -- DIR` (make DIR with the gen-collection example);
//! with `--keep` after DIR, only the cost of reading every file and keeping it;
//! with `--baseline`, only the baseline (as at 1M, where the rest takes long);
//! with `--words`, the baseline, reading every file with its text, and making
//! a word index of the articles already in memory (what the word index costs
//! beyond reading and parsing).
//!
//! Measures, with a warm page cache: the baseline (reading every file with one
//! thread per core, nothing else), `Collection::load` without the articles'
//! text (as `list` and `tags` load) and with it, a tag query, a
//! full-text query and faceted tag counts; and the process's peak memory.

use blatt::collection::Source;
use blatt::formats::Content;
use blatt::query::{Counts, Evaluation, NoFlags, Query, filter, parse, ranked};
use blatt::words::WordWriter;
use blatt::{Article, Collection, LoadOptions};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn files(dir: &PathBuf) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::MAX;
    let mut last = None;
    for _ in 0..runs {
        drop(last.take()); // one result alive at a time, for the memory figure
        let t = Instant::now();
        let out = f();
        best = best.min(t.elapsed().as_secs_f64());
        last = Some(out);
    }
    (best, last.expect("runs > 0"))
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Reading and parsing every file with its text, then the word index made
/// from the articles in memory, file by file on every core as a build does:
/// folding, splitting, and tantivy, without a file read.
fn words_alone(dir: &Path, baseline: f64) {
    let t = Instant::now();
    let c = Collection::load(&[dir.to_path_buf()], &LoadOptions::default());
    let read = t.elapsed().as_secs_f64();
    println!("read and parse every file with its text   {read:7.3} s ({:.1}× the baseline)", read / baseline);
    let mut by_file: HashMap<&Path, Vec<Article>> = HashMap::new();
    for a in &c.articles {
        by_file.entry(a.path.as_path()).or_default().push(Article::clone(a));
    }
    let files: Vec<(&Path, Vec<Article>)> = by_file.into_iter().collect();
    let parent = std::env::temp_dir().join(format!("blatt-bench-words-{}", std::process::id()));
    let folder = parent.join("words"); // its lock goes beside it
    let t = Instant::now();
    let (writer, _) = WordWriter::open(&folder, None).expect("a word index in the temporary folder");
    files.par_iter().for_each(|(path, articles)| writer.add_file(path, 0, articles).expect("words added"));
    writer.commit("bench").expect("committed");
    let made = t.elapsed().as_secs_f64();
    println!(
        "word index of the articles in memory      {made:7.3} s ({:.1}× the baseline; {} articles)",
        made / baseline,
        c.len()
    );
    let _ = std::fs::remove_dir_all(&parent);
}

fn main() {
    let Some(dir) = std::env::args().skip(1).find(|a| !a.starts_with('-')).map(PathBuf::from) else {
        eprintln!(
            "usage: cargo bench --bench load -- DIR   (DIR from: cargo run --release --example gen-collection -- DIR N)"
        );
        return;
    };
    let list = files(&dir);
    let bytes: u64 = list.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum();
    println!("{} files, {:.1} MB on disk", list.len(), bytes as f64 / 1e6);
    if std::env::args().any(|a| a == "--keep") {
        // Alone in its process, in fresh memory: reading every file and
        // keeping its bytes, the least a loader that holds the text must do.
        let t = Instant::now();
        let kept: Vec<Vec<u8>> = list.par_iter().map(|p| std::fs::read(p).unwrap_or_default()).collect();
        println!("read every file and keep it               {:7.3} s", t.elapsed().as_secs_f64());
        drop(kept);
        return;
    }
    let read_all =
        |list: &[PathBuf]| list.par_iter().map(|p| std::fs::read(p).map(|b| b.len()).unwrap_or(0)).sum::<usize>();
    let (baseline, read) = best_of(3, || read_all(&list));
    println!("baseline: read every file in parallel     {:7.3} s ({read} bytes)", baseline);
    if std::env::args().any(|a| a == "--baseline") {
        return;
    }
    if std::env::args().any(|a| a == "--words") {
        words_alone(&dir, baseline);
        return;
    }
    let (t, _) = best_of(3, || read_all(&files(&dir)));
    println!("  the same with listing the folders first {:7.3} s", t);
    let metadata = LoadOptions { content: Content::Metadata, ..LoadOptions::default() };
    let (t, c) = best_of(3, || Collection::load(std::slice::from_ref(&dir), &metadata));
    println!("Collection::load without text (list/tags) {:7.3} s ({:.1}× the baseline)", t, t / baseline);
    drop(c);
    // The index on disk, in a fresh cache directory: built once, then used.
    let cache = std::env::temp_dir().join(format!("blatt-bench-cache-{}", std::process::id()));
    let indexed = LoadOptions { cache: Some(cache.clone()), headlines: true, ..metadata.clone() };
    let paths = std::slice::from_ref(&dir);
    let t = Instant::now();
    drop(Collection::load(paths, &indexed));
    println!("build the index (reader's load)           {:7.3} s", t.elapsed().as_secs_f64());
    let (t, c) = best_of(3, || Collection::load_from(paths, &indexed, Source::IndexOnly, &|_, _| {}));
    println!("from the index alone (first screen)       {:7.3} s ({} articles)", t, c.len());
    let query = parse("kultur").expect("valid query");
    let (t, m) = best_of(3, || filter(&c, &query, &NoFlags));
    println!("word looked for in the files (the reader) {:7.3} s ({} matches)", t, m.len());
    drop(c);
    let (t, c) = best_of(3, || Collection::load(paths, &indexed));
    println!("walk, stat, unchanged from the index      {:7.3} s ({:.1}× the baseline)", t, t / baseline);
    drop(c);
    let _ = std::fs::remove_dir_all(&cache);
    let (t, c) = best_of(3, || Collection::load(std::slice::from_ref(&dir), &LoadOptions::default()));
    println!(
        "Collection::load (the reader, show)       {:7.3} s ({} articles, {} tags; {:.1}× the baseline)",
        t,
        c.len(),
        c.tags.len(),
        t / baseline
    );
    let all = Evaluation::new(&NoFlags).counts(Counts::Plain).run(&c, &Query::default()).expect("never stopped");
    let top = ranked(&c, &all.counts);
    let tag = top.first().map(|(t, _)| c.tags.name(*t).to_string()).unwrap_or_default();
    let second = top.get(1).map(|(t, _)| c.tags.name(*t).to_string()).unwrap_or_default();
    for q in [format!("+{tag}"), format!("+{tag} -{second} @2010..2020"), "kultur".into(), "\"netz bahn\"".into()] {
        let query = parse(&q).expect("valid query");
        let (t, m) = best_of(5, || filter(&c, &query, &NoFlags));
        println!("filter {:34} {:7.4} s ({} matches)", q, t, m.len());
    }
    let query = parse(&format!("+{tag}")).expect("valid query");
    let (t, _) = best_of(5, || Evaluation::new(&NoFlags).counts(Counts::Faceted).run(&c, &query));
    println!("filter and faceted counts under +{tag:14} {:7.4} s", t);
    if let Some(mb) = peak_rss_mb() {
        println!("peak memory (VmHWM)                       {mb:7.1} MB");
    }
}
