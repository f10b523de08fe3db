//! Inputs built to cost a loader more than linear time or unbounded memory:
//! thousands of tags, deep nesting, megabyte paragraphs, entity floods,
//! millions of tiny articles, YAML alias bombs. Each is loaded on its own
//! within a time budget (generous, for debug builds on a busy machine; the
//! quadratic versions took seconds to minutes), and the largest within a
//! memory budget. The files are made at test time: they are too big for git.

#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use blatt::{Collection, LoadOptions};
use std::path::Path;
use std::time::{Duration, Instant};

const MIB: usize = 1024 * 1024;

/// (file name, contents, what must be true of the load).
fn hostile_files() -> Vec<(&'static str, Vec<u8>)> {
    let tags: Vec<String> = (0..100_000).map(|i| format!("\"Tag {i}\"")).collect();
    let repeated: Vec<String> = (0..8_000).map(|i| format!("\"TAG {}\", \"tag {}\"", i % 1_500, i % 1_500)).collect();
    let divs = format!("{}tief{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
    let paragraph = "Ein Satz mit einem <a href=\"/x\">Link</a> und Text. ".repeat(20_000); // 1 MB
    let item = |i: usize, body: &str| {
        format!(
            "<item><title>Meldung {i}</title><guid>g{i}</guid><content:encoded><![CDATA[{body}]]></content:encoded></item>"
        )
    };
    let rss = |items: String| {
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\
             <channel><title>T</title><link>https://h.example/</link>{items}</channel></rss>"
        )
        .into_bytes()
    };
    let many_items: String =
        (0..2_000).map(|i| item(i, &"<p>Absatz mit <b>Text</b> und <a href=\"/l\">Link</a>.</p>".repeat(40))).collect();
    let minimal = {
        let mut s = String::with_capacity(32 * MIB);
        s.push('[');
        while s.len() < 32 * MIB - 64 {
            s.push_str("{\"title\":\"a\"},");
        }
        s.push_str("{\"title\":\"z\"}]");
        s.into_bytes()
    };
    let laughs = "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n\
                  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n\
                  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n\
                  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n\
                  title: Lachen\n---\nText.\n";
    vec![
        ("tags-100000.json", format!("{{\"title\":\"Viele Tags\",\"tags\":[{}]}}", tags.join(",")).into_bytes()),
        (
            "tags-8000-repeated.json",
            format!("{{\"title\":\"Doppelt\",\"tags\":[{}]}}", repeated.join(",")).into_bytes(),
        ),
        ("deep-divs.rss", rss(item(1, &divs))),
        ("million-chars.rss", rss(item(1, &paragraph))),
        ("big-feed.rss", rss(many_items)),
        ("entities.rss", rss(item(1, &"&amp;amp;&lt;b&gt;&#8211;".repeat(100_000)))),
        ("minimal-32mib.json", minimal),
        ("deep-page.html", format!("<html><head><title>Tief</title></head><body>{divs}</body></html>").into_bytes()),
        (
            "deep-quotes.md",
            format!("# Zitate\n\n{}tief\n\n{}- Liste\n", ">".repeat(100_000), "  - ".repeat(20_000)).into_bytes(),
        ),
        ("alias-bomb.md", laughs.as_bytes().to_vec()),
        (
            "many-links.rss",
            rss(item(1, &(0..100_000).map(|i| format!("<a href=\"/l{i}\">{i}</a> ")).collect::<String>())),
        ),
    ]
}

/// Lead and body as one string.
fn text(a: &blatt::Article) -> String {
    a.details.lead.iter().cloned().chain(a.details.body.iter().map(|p| p.text.clone())).collect()
}

fn options() -> LoadOptions {
    LoadOptions { max_file_size: 33 * MIB as u64, ..LoadOptions::default() }
}

#[test]
fn each_hostile_file_loads_within_its_budget() {
    let dir = tempfile::tempdir().unwrap();
    let mut total = Duration::ZERO;
    for (name, bytes) in hostile_files() {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let start = Instant::now();
        let c = Collection::load(&[path], &options());
        let took = start.elapsed();
        total += took;
        assert!(took < Duration::from_secs(10), "{name}: {took:?}");
        assert!(!c.articles.is_empty() || !c.problems.is_empty(), "{name}: neither loaded nor reported");
        let a = c.articles.first();
        match name {
            "tags-100000.json" => assert_eq!(a.unwrap().tags.len(), blatt::formats::MAX_TAGS),
            "tags-8000-repeated.json" => assert_eq!(a.unwrap().tags.len(), 1_500),
            "deep-divs.rss" | "deep-page.html" => {
                assert!(c.articles.iter().any(|a| text(a).contains("tief")), "{name}")
            }
            "million-chars.rss" => assert!(text(a.unwrap()).len() > 700_000, "the text without its markup"),
            "big-feed.rss" => assert_eq!(c.len(), 2_000),
            "minimal-32mib.json" => {
                assert_eq!(c.len(), 1, "all share one title and date: one id, the rest duplicates");
                assert!(c.problems.iter().any(|p| p.reason.contains("not loaded")), "{:?}", &c.problems[..3]);
            }
            "alias-bomb.md" => assert!(c.len() + c.problems.len() >= 1),
            "many-links.rss" => {
                // Shown too: the link list of 100,000 distinct links is built in linear time.
                let start = Instant::now();
                let lines = blatt::render::render(a.unwrap(), 80);
                assert!(start.elapsed() < Duration::from_secs(10), "shown in {:?}", start.elapsed());
                assert!(lines.iter().any(|l| l.text.starts_with("[100000] ")), "every link listed");
            }
            _ => {}
        }
        eprintln!("{name}: {} bytes, {took:?}", bytes.len());
    }
    assert!(total < Duration::from_secs(40), "all together: {total:?}");
}

/// Peak memory of `blatt list --count FILE` in a child process.
#[cfg(target_os = "linux")]
#[allow(clippy::zombie_processes)] // reaped by wait4, which also gives its peak memory
fn peak_kib(file: &Path, home: &Path) -> i64 {
    let config = home.join("config.toml");
    std::fs::write(&config, format!("max_file_size = {}\n", 33 * MIB)).unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_blatt"))
        .args(["list", "--count", "--config"])
        .arg(&config)
        .arg(file)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env_remove("BLATT_CACHE_DIR")
        .env("BLATT_DATA_DIR", home.join("state"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child's pid, with valid pointers.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32);
    usage.ru_maxrss
}

#[cfg(target_os = "linux")]
#[test]
fn a_32_mib_file_takes_at_most_about_ten_times_its_size() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in hostile_files().into_iter().filter(|(n, _)| *n == "minimal-32mib.json" || *n == "big-feed.rss")
    {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let peak = peak_kib(&path, dir.path()) as usize * 1024;
        assert!(peak < 10 * bytes.len().max(16 * MIB), "{name}: {} MiB for {} MiB", peak / MIB, bytes.len() / MIB);
        eprintln!("{name}: peak {} MiB for {} bytes", peak / MIB, bytes.len());
    }
}

#[test]
fn an_update_with_a_folder_of_thousands_of_broken_files_stays_linear() {
    // Problems put in place one by one, each before all the others, are
    // quadratic in their number.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("archiv");
    for folder in ["vorher", "dazu"] {
        std::fs::create_dir_all(root.join(folder)).unwrap();
    }
    let broken = |folder: &str, n: usize| {
        for i in 0..n {
            std::fs::write(root.join(folder).join(format!("{i:05}.json")), "{").unwrap();
        }
    };
    broken("vorher", 5_000);
    std::fs::write(root.join("vorher/gut.json"), r#"{"title":"Gut","date":"2024-01-01"}"#).unwrap();
    let roots = [root.clone()];
    let c = Collection::load(&roots, &options());
    assert_eq!(c.problems.len(), 5_000);
    broken("dazu", 5_000);
    let start = Instant::now();
    let (fresh, _) = c.updated(&roots, &[root.join("dazu")], &options(), &|_| None).unwrap();
    let took = start.elapsed();
    assert!(took < Duration::from_secs(10), "{took:?}");
    let whole = Collection::load(&roots, &options());
    assert_eq!(fresh.problems, whole.problems, "in walk order");
    assert_eq!(fresh.len(), 1);
}
