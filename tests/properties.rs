//! Property tests of the parsers on arbitrary input: they never panic, what
//! they keep is clean, and queries print back to themselves.

use blatt::article::ParaKind;
use blatt::formats::{Content, decode, feed, json, text};
use blatt::query::{self, DateRange, Flag, PartialDate, Query, Term};
use blatt::sanitize::stray_characters;
use proptest::prelude::*;

/// Any text, control characters and odd Unicode included.
fn any_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>(), 0..400).prop_map(|v| v.into_iter().collect())
}

/// Text made of the layout's own pieces, so that parsing goes deep.
fn layout_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\n\n".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("[1.2.2020] ".to_string()),
        Just("[31.2.2020] ".to_string()),
        Just("Stichwörter: a, b.".to_string()),
        Just("<https://x.example/a>".to_string()),
        Just("(ve)".to_string()),
        Just("-".to_string()),
        Just(". ".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("und".to_string()),
        "[0-9]{1,3}",
        Just("\x1b[31m".to_string()),
        // What cleaning removes or changes, alone on a line or within one,
        // and the C1 controls that start a sequence running over lines.
        Just("\u{200b}".to_string()),
        Just("\n\u{200b}\n".to_string()),
        Just("\t".to_string()),
        Just("\u{301}".to_string()),
        Just("\u{9d}".to_string()),
        Just("\u{85}".to_string()),
        Just("Stichwörter\u{200b}: c".to_string()),
        Just("\u{200b}[2.2.2021] ".to_string()),
        "[a-zäöü ]{0,20}",
        "[A-Z][a-z]{0,10}",
        any_text(),
    ];
    proptest::collection::vec(piece, 0..30).prop_map(|v| v.concat())
}

/// Markup made of the pieces HTML converters trip on: unclosed and stray
/// tags, lists, tables, pre, links (relative, hostile), images, entities.
fn html_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<p>".to_string()),
        Just("</p>".to_string()),
        Just("<ul><li>".to_string()),
        Just("<ol start=\"-3\"><li>".to_string()),
        Just("</li></ul>".to_string()),
        Just("</ol>".to_string()),
        Just("<table><tr><td>".to_string()),
        Just("</td><th>".to_string()),
        Just("</tr></table>".to_string()),
        Just("<pre>".to_string()),
        Just("</pre>".to_string()),
        Just("<blockquote>".to_string()),
        Just("</blockquote>".to_string()),
        Just("<h2>".to_string()),
        Just("</h2>".to_string()),
        Just("<a href=\"/rel\">".to_string()),
        Just("<a href=\"javascript:x\">".to_string()),
        Just("</a>".to_string()),
        Just("<img src=\"i.png\" alt=\"Bild\">".to_string()),
        Just("<br>".to_string()),
        Just("<script>".to_string()),
        Just("</script>".to_string()),
        Just("&amp;&#8211;&#x1b;&#0;&bogus;".to_string()),
        Just("\u{1f468}\u{200d}\u{1f469}".to_string()),
        "[a-zäöü ]{0,20}",
        any_text(),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn clean(s: &str) -> bool {
    stray_characters(s).is_empty()
}

fn article_is_clean(a: &blatt::Article) -> bool {
    let fields = [a.title.as_str()]
        .into_iter()
        .chain(a.kicker.as_deref())
        .chain(a.details.lead.as_deref())
        .chain(a.details.body.iter().filter(|p| p.kind != ParaKind::Pre).map(|p| p.text.as_str()))
        .chain(a.tags.iter().map(AsRef::as_ref));
    // Preformatted paragraphs keep their lines; nothing else holds a newline.
    let pre_clean = a.details.body.iter().filter(|p| p.kind == ParaKind::Pre).all(|p| clean(&p.text));
    !a.title.is_empty() && pre_clean && fields.into_iter().all(|f| clean(f) && !f.contains('\n'))
}

fn term() -> impl Strategy<Value = Term> {
    let name = "[A-Za-zÄÖÜäöüß0-9][A-Za-zÄÖÜäöüß0-9 ()|\"-]{0,12}"
        .prop_map(|s| s.trim().to_string())
        .prop_filter("name", |s| !s.is_empty());
    let date = (1990i32..2030, proptest::option::of(1u32..13), proptest::option::of(1u32..29))
        .prop_map(|(year, month, day)| PartialDate { year, month, day: month.and(day) });
    prop_oneof![
        proptest::collection::vec(name.clone(), 1..3).prop_map(Term::HasTag),
        proptest::collection::vec(name.clone(), 1..3).prop_map(Term::LacksTag),
        date.clone().prop_map(|d| Term::Date(DateRange { from: Some(d), to: Some(d), single: true })),
        (proptest::option::of(date.clone()), proptest::option::of(date))
            .prop_filter("one end", |(a, b)| a.is_some() || b.is_some())
            .prop_filter("in order", |(a, b)| match (a, b) {
                (Some(a), Some(b)) => a.first_day() <= b.last_day(),
                _ => true,
            })
            .prop_map(|(from, to)| Term::Date(DateRange { from, to, single: false })),
        name.clone().prop_map(Term::Source),
        name.clone().prop_map(Term::Kicker),
        prop_oneof![Just(Flag::Bookmarked), Just(Flag::Read), Just(Flag::Unread)].prop_map(Term::Is),
        name.prop_map(Term::Text),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn text_layout_never_panics_and_keeps_clean_fields(input in prop_oneof![any_text(), layout_like()]) {
        if let Ok(a) = text::parse(&input) {
            prop_assert!(article_is_clean(&a), "{a:?}");
        }
    }

    /// Loading without text must not change any other field: the first and
    /// last paragraphs, which the date, a missing title and the author come
    /// from, are found without unwrapping the paragraphs between.
    #[test]
    fn metadata_only_parse_is_the_full_parse_without_text(input in prop_oneof![any_text(), layout_like()]) {
        let full = text::parse(&input).map(|mut a| {
            a.details.lead = None;
            a.details.body.clear();
            a
        });
        prop_assert_eq!(text::parse_as(&input, Content::Metadata), full);
    }

    #[test]
    fn json_loaders_never_panic(input in prop_oneof![any_text(), "[\\[\\]{}\",:a-z0-9 \\\\]{0,200}"]) {
        for a in json::parse_document(&input).articles.iter().chain(json::parse_lines(&input).articles.iter()) {
            prop_assert!(article_is_clean(a), "{a:?}");
        }
    }

    #[test]
    fn json_articles_from_any_field_values(title in any_text(), body in proptest::collection::vec(any_text(), 0..4), date in any_text(), tags in proptest::collection::vec(any_text(), 0..4)) {
        let doc = serde_json::json!({"title": title, "body": body, "date": date, "tags": tags, "kicker": title}).to_string();
        let parsed = json::parse_document(&doc);
        for a in &parsed.articles {
            prop_assert!(article_is_clean(a), "{a:?}");
        }
        prop_assert_eq!(parsed.articles.len() + usize::from(parsed.articles.is_empty()), 1);
    }

    #[test]
    fn html_becomes_clean_paragraphs_whose_link_numbers_exist(input in html_like()) {
        use blatt::formats::html;
        // Brackets in the page's own text would read as link numbers below;
        // only the ones the renderer writes are checked.
        let input = input.replace('[', "(");
        let base = url::Url::parse("https://base.example/a/").ok();
        let mut links = html::Links::starting_with(Some("https://base.example/a/self"));
        let paras = html::to_paras(&input, base.as_ref(), &mut links);
        let count = links.len();
        prop_assert!(links.into_rest(Some("https://base.example/a/self")).iter().all(|l| l.starts_with("https://")));
        for p in &paras {
            prop_assert!(clean(&p.text), "{:?}", p.text);
            prop_assert!(!p.text.is_empty());
            if let blatt::article::ParaKind::Image { link: Some(n) } = p.kind {
                prop_assert!((1..=count as u32).contains(&n));
            }
        }
        // Each `[n]` after link text names a numbered link.
        let text: String = paras.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(" ");
        for n in text.split('[').skip(1).filter_map(|s| s.split(']').next()?.parse::<usize>().ok()) {
            prop_assert!((1..=count).contains(&n), "[{n}] of {count} in {text:?}");
        }
    }

    #[test]
    fn markdown_and_pages_never_panic(input in prop_oneof![html_like(), any_text(), "(---\n|title: |# |> |- |```|\n|[a-z ]{0,10})*"]) {
        for format in [blatt::formats::Format::Markdown, blatt::formats::Format::Page] {
            let parsed = blatt::formats::parse_bytes(format, input.as_bytes(), Content::Full);
            for a in &parsed.articles {
                prop_assert!(article_is_clean(a));
            }
        }
    }

    #[test]
    fn decoding_any_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(s) = decode::decode(&bytes) {
            prop_assert!(!s.contains('\0'));
        }
    }

    #[test]
    fn feeds_from_any_bytes_never_panic(bytes in prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        "<\\?xml version=\"1.0\"\\?><rss version=\"2.0\"><channel><title>[a-z&;<>]{0,20}</title><item><title>[a-z<>&;/]{0,30}</title></item></channel></rss>".prop_map(String::into_bytes),
    ]) {
        for a in feed::parse(&bytes).articles {
            prop_assert!(article_is_clean(&a), "{a:?}");
        }
    }

    #[test]
    fn any_query_text_parses_or_errors_and_printing_is_stable(input in any_text()) {
        if let Ok(q) = query::parse(&input) {
            let printed = q.to_string();
            let again = query::parse(&printed).expect("printed queries parse");
            prop_assert_eq!(&again, &q, "{}", printed);
            prop_assert_eq!(again.to_string(), printed);
        }
    }

    #[test]
    fn built_queries_round_trip(terms in proptest::collection::vec(term(), 0..6)) {
        let q = Query { terms };
        let printed = q.to_string();
        let parsed = query::parse(&printed).map_err(|e| TestCaseError::fail(format!("{printed:?}: {e}")))?;
        prop_assert_eq!(parsed, q, "{}", printed);
    }
}
