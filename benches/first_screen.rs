//! The reader from start to first screen, as a user meets it: the release
//! binary in a pseudo-terminal (120×35), timed until the status line shows
//! the whole collection, then until the check of the files behind an index
//! is done; with the process's resident memory at both points.
//!
//! `cargo bench --bench first_screen -- DIR [RUNS]` (build the release
//! binary first: `cargo build --release`). The cache directory is a fresh
//! temporary one: the first run builds the index (cold), the others start
//! from it (warm). `--no-cache` compares a start that reads every file;
//! `--cache=CACHE` starts from an index already in CACHE (a cold build at a
//! million articles takes minutes).
//!
//! A start from the index shows its first screen from the front page, then
//! loads the rest of the index (`whole list`), then checks the files.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--bench")).collect();
    let no_cache = args.iter().any(|a| a == "--no-cache");
    let given_cache = args.iter().find_map(|a| a.strip_prefix("--cache=")).map(PathBuf::from);
    let args: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let Some(dir) = args.first().map(PathBuf::from) else {
        eprintln!("usage: cargo bench --bench first_screen -- DIR [RUNS] [--no-cache]");
        return;
    };
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(4);
    let binary = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/blatt");
    let home = std::env::temp_dir().join(format!("blatt-first-screen-{}", std::process::id()));
    std::fs::create_dir_all(&home).expect("temp home");
    for run in 0..runs {
        let kind = if no_cache {
            "no index"
        } else if run == 0 && given_cache.is_none() {
            "cold (builds the index)"
        } else {
            "warm"
        };
        let cache = given_cache.clone().unwrap_or_else(|| home.join("cache"));
        let m = measure(&binary, &dir, &home, &cache, no_cache);
        println!(
            "{kind:24} first screen {:6.3} s, {:5} MB   whole list {:6.2} s   files checked {:6.2} s, {:5} MB",
            m.first.as_secs_f64(),
            m.first_rss_mb,
            m.whole.as_secs_f64(),
            m.checked.as_secs_f64(),
            m.checked_rss_mb
        );
    }
    let _ = std::fs::remove_dir_all(&home);
}

struct Measured {
    first: Duration,
    first_rss_mb: u64,
    whole: Duration,
    checked: Duration,
    checked_rss_mb: u64,
}

fn measure(binary: &Path, dir: &Path, home: &Path, cache: &Path, no_cache: bool) -> Measured {
    let pair =
        native_pty_system().openpty(PtySize { rows: 35, cols: 120, pixel_width: 0, pixel_height: 0 }).expect("a pty");
    let mut cmd = CommandBuilder::new(binary);
    if no_cache {
        cmd.arg("--no-cache");
    }
    cmd.arg(dir);
    cmd.env("HOME", home);
    cmd.env("XDG_CONFIG_HOME", home.join("config"));
    cmd.env("XDG_DATA_HOME", home.join("data"));
    cmd.env("BLATT_CACHE_DIR", cache);
    cmd.env("BLATT_DATA_DIR", home.join("state"));
    cmd.env("TERM", "xterm-256color");
    let started = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).expect("spawn");
    let pid = child.process_id().unwrap_or(0);
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let mut writer = pair.master.take_writer().expect("writer");
    let parser = Arc::new(Mutex::new(vt100::Parser::new(35, 120, 0)));
    let p = Arc::clone(&parser);
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            p.lock().unwrap_or_else(|e| e.into_inner()).process(&buf[..n]);
        }
    });
    let screen = || parser.lock().unwrap_or_else(|e| e.into_inner()).screen().contents();
    let status = || screen().lines().last().unwrap_or_default().to_string();
    let shows_list = || {
        // ` 100000 / 100000 `: the whole collection counted in the status line.
        let s = status().replace(',', "");
        let words: Vec<&str> = s.split_whitespace().collect();
        words.len() > 2 && words[1] == "/" && words[0] == words[2] && words[0].parse::<u64>().is_ok_and(|n| n > 0)
    };
    let wait = |until: &dyn Fn() -> bool| {
        let limit = Instant::now() + Duration::from_secs(300);
        while !until() && Instant::now() < limit {
            std::thread::sleep(Duration::from_millis(2));
        }
    };
    wait(&shows_list);
    let first = started.elapsed();
    let first_rss_mb = rss_mb(pid);
    wait(&|| !status().contains("loading the list"));
    let whole = started.elapsed();
    wait(&|| !status().contains("checking files") && !status().contains("loading the list"));
    let checked = started.elapsed();
    let checked_rss_mb = rss_mb(pid);
    use std::io::Write;
    let _ = writer.write_all(b"q");
    let _ = writer.flush();
    let _ = child.wait();
    Measured { first, first_rss_mb, whole, checked, checked_rss_mb }
}

/// The resident memory of process `pid` in MB, from /proc (0 elsewhere).
fn rss_mb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}
