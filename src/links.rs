//! Opening an article's link in the browser: only plain http(s) URLs, and
//! never through a shell. The browser's output never reaches the terminal.

use std::process::{Command, Stdio};

/// Checks that `raw` is an http or https URL that is safe to hand to a
/// browser; returns it as parsed, or the reason to refuse it.
pub fn check(raw: &str) -> Result<String, String> {
    let shown = crate::sanitize::clean_line(raw);
    if raw.chars().any(|c| c.is_control() || c.is_whitespace() || crate::sanitize::is_invisible_format(c)) {
        return Err(format!("not opened: the link has spaces or control characters: {shown}"));
    }
    let url = url::Url::parse(raw).map_err(|e| format!("not opened: not a valid URL ({e}): {shown}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("not opened: only http and https links are opened, not {}:", url.scheme()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("not opened: the link has no host: {shown}"));
    }
    Ok(url.to_string())
}

/// The program (and its arguments) that opens URLs: `configured` (the
/// config's `browser`), else `$BROWSER`, else the desktop's opener.
pub fn opener_from(configured: Option<&str>) -> Vec<String> {
    if let Some(words) = configured.map(|c| c.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        && !words.is_empty()
    {
        return words;
    }
    opener()
}

/// Browsers that draw in the terminal they are started from.
const TEXT_BROWSERS: &[&str] = &["w3m", "lynx", "links", "links2", "elinks", "browsh", "carbonyl"];

/// True when `opener` is a browser that needs the terminal.
pub fn is_text_browser(opener: &[String]) -> bool {
    opener
        .first()
        .and_then(|p| std::path::Path::new(p).file_name())
        .is_some_and(|n| TEXT_BROWSERS.iter().any(|b| n == *b))
}

/// Runs a browser that needs the terminal and waits for it: it gets this
/// terminal's input and output (the caller has given the terminal back).
pub fn open_in_terminal(opener: &[String], url: &str) -> Result<(), String> {
    let url = check(url)?;
    let (program, args) = command_for(opener, &url)?;
    let status = Command::new(&program).args(&args).status().map_err(|e| format!("could not start {program}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{program} ended with {status}")) }
}

/// Program and arguments for `url`: it replaces a `%u` or `%s` word, or comes last.
fn command_for(opener: &[String], url: &str) -> Result<(String, Vec<String>), String> {
    let mut words = opener.to_vec();
    if words.is_empty() {
        return Err("no program to open links with".into());
    }
    let program = words.remove(0);
    let mut args: Vec<String> = words;
    match args.iter().position(|a| a == "%s" || a == "%u") {
        Some(i) => args[i] = url.to_string(),
        None => args.push(url.to_string()),
    }
    Ok((program, args))
}

/// The program (and its arguments) that opens URLs: `$BROWSER` if set,
/// else the desktop's opener.
pub fn opener() -> Vec<String> {
    if let Ok(browser) = std::env::var("BROWSER") {
        // $BROWSER may list alternatives separated by ':'; take the first.
        let first = browser.split(':').next().unwrap_or("").trim().to_string();
        let words: Vec<String> = first.split_whitespace().map(str::to_string).collect();
        if !words.is_empty() {
            return words;
        }
    }
    if cfg!(target_os = "macos") { vec!["open".into()] } else { vec!["xdg-open".into()] }
}

/// Starts the opener with the URL as one argument (a `%s` word is replaced
/// by it), detached from the terminal. Does not wait for it.
pub fn open(url: &str) -> Result<(), String> {
    open_with(&opener(), url)
}

/// Like [`open`], with the opener given as program and arguments.
pub fn open_with(opener: &[String], url: &str) -> Result<(), String> {
    let url = check(url)?;
    let (program, args) = command_for(opener, &url)?;
    let mut child = Command::new(&program)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not start {program}: {e}"))?;
    // Reap the child when it ends, without blocking the reader.
    std::thread::spawn(move || child.wait());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_urls_pass() {
        assert_eq!(check("https://example.org/a?b=1").unwrap(), "https://example.org/a?b=1");
        assert!(check("https://x/$(id)").is_ok(), "odd but harmless when passed as one argument");
        for bad in [
            "https://x/$(touch /tmp/P)",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "--help",
            "`id`",
            "a;b",
            "https://x/\nb",
            "https://a b",
            "http://",
        ] {
            assert!(check(bad).is_err(), "{bad:?} must be refused");
        }
    }
}
