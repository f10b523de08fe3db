//! The real feeds in `../shared/examples/feeds`, read as a careful reader
//! would want them. The expected texts are written by hand from the feeds'
//! sources, not copied from what blatt prints.

use blatt::article::{Enclosure, ParaKind};
use blatt::render::{self, LineKind};
use blatt::{Article, Collection, LoadOptions};
use std::path::PathBuf;

fn feed(name: &str) -> Vec<Article> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/examples/feeds").join(name);
    assert!(path.exists(), "{} is missing: tests need ../shared beside the clone", path.display());
    let c = Collection::load(&[path], &LoadOptions::default());
    assert!(c.problems.is_empty(), "{name}: {:?}", c.problems);
    c.articles.iter().map(|a| Article::clone(a)).collect()
}

/// The article as `blatt show` prints it at 100 columns.
fn shown(a: &Article) -> String {
    render::render(a, 100).iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n")
}

fn time(a: &Article) -> String {
    a.time.map(|t| t.to_rfc3339()).unwrap_or_default()
}

#[test]
fn golem_rss_1_0_in_latin1() {
    let a = &feed("rss_1.0_iso8859.xml")[0];
    assert_eq!(a.title, "Digitalministerium: Neue Glasfaserförderung mit Schnellkasse");
    assert_eq!(a.source.as_deref(), Some("Golem.de"));
    assert_eq!(a.details.author.as_deref(), Some("Achim Sawall"), "dc:creator");
    assert_eq!(time(a), "2023-01-25T19:03:02+01:00");
    // The teaser in the description repeats the content: shown once.
    assert_eq!(a.details.lead, None);
    assert_eq!(a.details.body.len(), 2);
    assert_eq!(a.details.body[0].kind, ParaKind::Image { link: Some(2) });
    assert_eq!(
        a.details.body[1].text,
        "Ab April soll es wieder Förderung für den Ausbau von Glasfaser geben. Das \
         Bundesdigitalministerium will es diesmal besser machen. (Infrastruktur[3], Glasfaser[4])"
    );
    let all = a.all_links();
    assert_eq!(all[1], "https://www.golem.de/2301/171451-364223-364219_rc.jpg");
    assert_eq!(all[2], "https://www.golem.de/specials/infrastruktur/");
    assert_eq!(all[3], "https://www.golem.de/specials/glasfaser/");
    assert!(all.iter().all(|l| !l.contains("cpx.php")), "the tracking pixel is no image: {all:?}");
    let text = shown(a);
    assert_eq!(text.matches("Ab April").count(), 1, "{text}");
    assert!(text.contains("[Bild][2]"), "{text}");
    assert!(!text.contains("<a") && !text.contains("href"), "{text}");
}

#[test]
fn atom_with_xhtml_content_and_an_enclosure() {
    let a = &feed("atom_example_1.xml")[0];
    assert_eq!(a.title, "Atom draft-07 snapshot");
    assert_eq!(a.source.as_deref(), Some("dive into mark"));
    assert_eq!(a.details.author.as_deref(), Some("Mark Pilgrim"));
    assert_eq!(time(a), "2003-12-13T08:29:29-04:00", "published, with its offset");
    assert_eq!(a.url.as_deref(), Some("http://example.org/2005/04/02/atom"));
    let text: Vec<&str> =
        a.details.lead.iter().map(String::as_str).chain(a.details.body.iter().map(|p| p.text.as_str())).collect();
    assert_eq!(text, ["[Update: The Atom draft is finished.]"]);
    assert_eq!(
        a.details.enclosures,
        [Enclosure {
            url: "http://example.org/audio/ph34r_my_podcast.mp3".into(),
            mime: Some("audio/mpeg".into()),
            length: Some(1337)
        }]
    );
    assert!(shown(a).contains("[2] http://example.org/audio/ph34r_my_podcast.mp3 (audio/mpeg, 1 kB)"));
}

#[test]
fn json_feed_1_1_entities_paragraphs_and_authors() {
    let items = feed("jsonfeed_elastic_1.1.json");
    let titles: Vec<&str> = items.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "InfluxDB vs. Graphite for Time Series Data & Metrics Benchmark",
            "InfluxDB vs. Elasticsearch for Time Series Data & Metrics Benchmark",
            "Fake item"
        ]
    );
    assert!(items.iter().all(|a| a.source.as_deref() == Some("Blog – InfluxData")), "entity in the feed name");
    // 1.1 `authors` replaces 1.0 `author`; the feed's authors stand in for an item's.
    assert_eq!(items[0].details.author.as_deref(), Some("Chris Churilo, Fake Author 1"));
    assert_eq!(items[2].details.author.as_deref(), Some("Fake Author 3, Fake Author 4"));
    assert_eq!(time(&items[0]), "2019-05-31T12:17:58-07:00");
    assert_eq!(items[0].tag_names(), ["InfluxDB", "Community", "Elasticsearch", "Time Series Database"]);
    assert!(
        items[0].details.lead.as_deref().unwrap().starts_with("This blog post has been updated on September 10, 2020")
    );
}

#[test]
fn bbc_podcast_with_its_audio() {
    let a = &feed("rss_2.0_bbc.xml")[0];
    assert_eq!(a.title, "Marcus Aurelius");
    assert_eq!(a.source.as_deref(), Some("In Our Time"));
    assert_eq!(a.details.lead.as_deref(), Some("Melvyn Bragg and guests discuss..."));
    assert_eq!(time(a), "2021-02-25T10:15:00+00:00");
    assert_eq!(a.details.enclosures.len(), 1);
    assert_eq!(a.details.enclosures[0].length, Some(50_496_000));
    assert!(a.details.enclosures[0].url.ends_with("/vpid/p097wt5b.mp3"));
    let lines = render::render(a, 200);
    let enclosure = lines.iter().find(|l| l.kind == LineKind::Link && l.text.contains("p097wt5b.mp3")).unwrap();
    assert!(enclosure.text.ends_with("(audio/mpeg, 50.5 MB)"), "{}", enclosure.text);
}

#[test]
fn spiegel_podcast_text_once_with_its_link_and_audio() {
    let a = &feed("rss_2.0_spiegel.xml")[0];
    assert_eq!(
        a.title,
        "07.02. – die Wochenvorschau: Lockdown-Verlängerung, Kriegsverbrecher vor Gericht, Super Bowl, Karneval"
    );
    assert_eq!(a.details.lead.as_deref(), Some("Die wichtigsten Nachrichten aus der SPIEGEL-Redaktion."));
    assert_eq!(a.details.body, ["See omnystudio.com/listener[2] for privacy information."]);
    assert_eq!(a.all_links()[1], "https://omnystudio.com/listener");
    assert_eq!(a.details.enclosures.len(), 1, "the audio file, not the player page: {:?}", a.details.enclosures);
    assert!(a.details.enclosures[0].url.contains("/audio.mp3?"));
    assert_eq!(a.details.enclosures[0].length, Some(2_519_606));
    assert_eq!(shown(a).matches("privacy information").count(), 1);
}
