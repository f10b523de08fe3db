//! The state store across processes: SIGKILL at random moments never leaves a
//! torn file or loses an acknowledged write, and two processes saving at once
//! keep each other's bookmarks.
//!
//! The writing child is this test binary itself, run again with
//! `--ignored --exact child_save_loop` and its instructions in the environment.

#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use blatt::store::{Marks, StoreFile};
use blatt::{Article, ArticleId};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn article(id: &str) -> Article {
    Article { id: ArticleId(id.into()), title: format!("Artikel {id}"), ..Article::default() }
}

/// Not a test of its own: the child process of the tests below. It bookmarks
/// `PREFIX-0`, `PREFIX-1`, … saving after each and printing the number of
/// every save that returned, until `COUNT` is reached.
#[test]
#[ignore]
fn child_save_loop() {
    let (Ok(dir), Ok(prefix)) = (std::env::var("BLATT_TEST_DIR"), std::env::var("BLATT_TEST_PREFIX")) else {
        return;
    };
    let count: usize = std::env::var("BLATT_TEST_COUNT").ok().and_then(|c| c.parse().ok()).unwrap_or(usize::MAX);
    let (mut file, state, _) = StoreFile::open(Path::new(&dir));
    let mut marks = Marks::new(state);
    for n in 0..count {
        let a = article(&format!("{prefix}-{n}"));
        if marks.state().bookmark(&a.id).is_none() {
            marks.toggle_bookmark(&a);
        }
        marks.set_read(&a.id, true);
        let merged = file.save(marks.pending()).expect("save");
        marks.saved(merged);
        println!("acked {n}");
    }
}

fn spawn_child(dir: &Path, prefix: &str, count: Option<usize>) -> Child {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["--ignored", "--exact", "child_save_loop", "--nocapture", "--test-threads=1"])
        .env("BLATT_TEST_DIR", dir)
        .env("BLATT_TEST_PREFIX", prefix)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(c) = count {
        cmd.env("BLATT_TEST_COUNT", c.to_string());
    }
    cmd.spawn().unwrap()
}

/// The highest save number the child reported as done.
fn acknowledged(child: &mut Child) -> Option<usize> {
    let out = child.stdout.take().unwrap();
    BufReader::new(out)
        .lines()
        .map_while(Result::ok)
        .filter_map(|l| l.strip_prefix("acked ").and_then(|n| n.trim().parse().ok()))
        .last()
}

#[test]
fn kill_9_at_random_moments_never_corrupts_or_loses_acknowledged_writes() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = fastrand::Rng::with_seed(9);
    let rounds = 40;
    for round in 0..rounds {
        let prefix = format!("r{round}");
        let mut child = spawn_child(dir.path(), &prefix, None);
        std::thread::sleep(Duration::from_millis(rng.u64(5..60)));
        child.kill().unwrap(); // SIGKILL
        let acked = acknowledged(&mut child);
        child.wait().unwrap();
        let state = StoreFile::load(dir.path()).unwrap_or_else(|e| panic!("round {round}: state unreadable: {e}"));
        if let Some(n) = acked {
            for k in 0..=n {
                let id = ArticleId::from(format!("{prefix}-{k}"));
                assert!(state.bookmark(&id).is_some(), "round {round}: acknowledged bookmark {k} lost");
                assert!(state.is_read(&id));
            }
        }
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("corrupt"))
            .collect();
        assert!(leftovers.is_empty(), "round {round}: {leftovers:?}");
    }
}

#[test]
fn two_processes_saving_at_once_keep_both_sets_of_bookmarks() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = spawn_child(dir.path(), "left", Some(40));
    let mut b = spawn_child(dir.path(), "right", Some(40));
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    let state = StoreFile::load(dir.path()).unwrap();
    for side in ["left", "right"] {
        for k in 0..40 {
            assert!(state.bookmark(&ArticleId::from(format!("{side}-{k}"))).is_some(), "{side}-{k} lost");
        }
    }
}
