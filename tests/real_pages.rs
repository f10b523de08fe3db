//! The five saved pages in `../shared/examples/html`, read as a reader view
//! would: the metadata against each page's `expected-metadata.json`, the
//! text against sentences picked by hand from the pages.

#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use blatt::article::ParaKind;
use blatt::formats::{Content, Format, parse_bytes};
use blatt::{Article, render};
use std::path::PathBuf;

fn page_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/examples/html").join(name);
    assert!(dir.exists(), "{} is missing: tests need ../shared beside the clone", dir.display());
    dir
}

fn page(name: &str) -> Article {
    let bytes = std::fs::read(page_dir(name).join("source.html")).unwrap();
    let parsed = parse_bytes(Format::Page, &bytes, Content::Full);
    assert!(parsed.problems.is_empty(), "{name}: {:?}", parsed.problems);
    parsed.articles.into_iter().next().unwrap()
}

fn expected(name: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(page_dir(name).join("expected-metadata.json")).unwrap()).unwrap()
}

fn text(a: &Article) -> String {
    render::render(a, 100).iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n")
}

const PAGES: [&str; 5] = ["bbc-1", "heise", "lemonde-1", "nytimes-1", "wordpress"];

#[test]
fn title_and_byline_match_the_reader_view_on_four_of_five() {
    let mut titles = 0;
    let mut bylines = 0;
    for name in PAGES {
        let (a, want) = (page(name), expected(name));
        titles += usize::from(want["title"].as_str() == Some(a.title.as_str()));
        bylines += usize::from(want["byline"].as_str() == a.details.author.as_deref());
        if let Some(site) = want["siteName"].as_str() {
            assert_eq!(a.source.as_deref(), Some(site), "{name}");
        }
        if let Some(lang) = want["lang"].as_str() {
            assert_eq!(a.details.lang.as_deref(), Some(lang), "{name}");
        }
        if let Some(published) = want["publishedTime"].as_str() {
            let time = chrono::DateTime::parse_from_rfc3339(published).unwrap();
            assert_eq!(a.time, Some(time), "{name}: the full time with its offset");
        }
    }
    assert_eq!(titles, 5, "titles");
    assert!(bylines >= 4, "bylines: {bylines} of 5");
}

#[test]
fn heise_text_links_and_tags() {
    let a = page("heise");
    assert_eq!(a.tag_names(), ["1Password", "Mac OS X", "Passwort", "Passwortmanager", "Sicherheit", "TOTP"]);
    let t = text(&a);
    assert!(t.contains("AgileBits hat Version 5.3 seines bekannten Passwortmanagers 1Password"), "{t}");
    assert!(t.contains("Eine Einführung in die Technik gibt ein kurzes Video["), "{t}");
    assert!(t.contains("1Password kostet aktuell knapp 50 Euro"), "{t}");
    // The page's navigation, comments and footer are not the article.
    assert!(!t.contains("Kommentare lesen") && !t.contains("Impressum"), "{t}");
    assert_eq!(t.matches("Das in der iOS-Version bereits enthaltene TOTP-Feature").count(), 1, "{t}");
}

#[test]
fn bbc_keeps_its_summary_as_the_lead() {
    let a = page("bbc-1");
    let excerpt = expected("bbc-1")["excerpt"].as_str().unwrap().to_string();
    assert_eq!(a.details.lead.as_deref(), Some(excerpt.as_str()));
    assert!(
        a.details.body[0].text.starts_with("President Barack Obama has admitted that his failure"),
        "{:?}",
        a.details.body[0]
    );
    assert_eq!(a.url.as_deref(), Some("http://www.bbc.com/news/world-us-canada-33646704"));
}

#[test]
fn nytimes_and_wordpress_show_images_as_markers_with_links() {
    for name in ["nytimes-1", "wordpress"] {
        let a = page(name);
        let links = a.all_links();
        let image = a.details.body.iter().find_map(|p| match p.kind {
            ParaKind::Image { link: Some(n) } => Some(n as usize),
            _ => None,
        });
        let n = image.unwrap_or_else(|| panic!("{name}: no image"));
        assert!(links[n - 1].starts_with("http"), "{name}: {links:?}");
        assert!(text(&a).contains(&format!("[image][{n}]")) || text(&a).contains(&format!("][{n}]")), "{name}");
    }
    let wp = text(&page("wordpress"));
    assert!(wp.contains("Stack Overflow published its analysis of 2017 hiring trends["), "{wp}");
}

#[test]
fn le_monde_in_french() {
    let a = page("lemonde-1");
    let t = text(&a);
    assert!(t.contains("Les députés ont, sans surprise, adopté à une large majorité (438 contre 86"), "{t}");
}
