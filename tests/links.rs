//! Opening links with a stand-in opener that records its arguments: only
//! http(s) URLs reach it, each as exactly one argument, and no shell ever
//! interprets them.

#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::path::Path;
use std::time::{Duration, Instant};

fn stand_in(dir: &Path) -> (Vec<String>, std::path::PathBuf) {
    let log = dir.join("calls.log");
    let script = dir.join("opener.sh");
    let body = format!(
        "#!/bin/sh\nprintf 'argc=%s\\n' \"$#\" >> '{log}'\nfor a in \"$@\"; do printf 'arg=%s\\n' \"$a\" >> '{log}'; done\necho 'opener output that must not reach the screen'\necho 'and its errors' >&2\n",
        log = log.display()
    );
    std::fs::write(&script, body).unwrap();
    let status = std::process::Command::new("chmod").arg("+x").arg(&script).status().unwrap();
    assert!(status.success());
    (vec![script.to_string_lossy().into_owned()], log)
}

fn wait_for_lines(log: &Path, n: usize) -> Vec<String> {
    let start = Instant::now();
    loop {
        let lines: Vec<String> = std::fs::read_to_string(log).unwrap_or_default().lines().map(str::to_string).collect();
        if lines.len() >= n || start.elapsed() > Duration::from_secs(20) {
            return lines;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn only_http_urls_reach_the_opener_as_one_argument() {
    let dir = tempfile::tempdir().unwrap();
    let (opener, log) = stand_in(dir.path());
    let marker = dir.path().join("P");
    let accepted = [
        format!("https://x/$(touch${{IFS}}{})", marker.display()),
        format!("https://x/;touch${{IFS}}{}", marker.display()),
    ];
    let refused = [
        "https://x/$(touch /tmp/P)".to_string(), // has a space
        "`id`".to_string(),
        "a;b".to_string(),
        "https://x/a\nb".to_string(),
        "--help".to_string(),
        "file:///etc/passwd".to_string(),
        "javascript:alert(1)".to_string(),
        "http://exa mple.org".to_string(),
        "https://x/\x1b]0;t\x07".to_string(),
    ];
    for url in &refused {
        let err = blatt::links::open_with(&opener, url).expect_err(url);
        assert!(err.starts_with("not opened"), "{url:?}: {err}");
    }
    // One at a time: two openers running at once could mix their lines.
    for (k, url) in accepted.iter().enumerate() {
        blatt::links::open_with(&opener, url).unwrap();
        wait_for_lines(&log, 2 * (k + 1));
    }
    let lines = wait_for_lines(&log, 4);
    let calls: Vec<&[String]> = lines.chunks(2).collect();
    assert_eq!(calls.len(), 2, "{lines:?}");
    for (call, url) in calls.iter().zip(&accepted) {
        assert_eq!(call[0], "argc=1");
        let got = call[1].strip_prefix("arg=").unwrap();
        assert_eq!(url::Url::parse(got).unwrap(), url::Url::parse(url).unwrap());
    }
    std::thread::sleep(Duration::from_millis(200));
    assert!(!marker.exists(), "a shell ran something");
}

#[test]
fn percent_s_in_the_opener_is_replaced_by_the_url() {
    let dir = tempfile::tempdir().unwrap();
    let (mut opener, log) = stand_in(dir.path());
    opener.extend(["--new-tab".to_string(), "%s".to_string(), "--end".to_string()]);
    blatt::links::open_with(&opener, "https://example.org/a?b=1").unwrap();
    let lines = wait_for_lines(&log, 4);
    assert_eq!(lines, vec!["argc=3", "arg=--new-tab", "arg=https://example.org/a?b=1", "arg=--end"]);
}
