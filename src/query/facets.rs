//! Tag counts under a query, for `blatt tags` and the tag pane.

use super::{Query, Term};
use crate::collection::{Collection, TagId};
use rayon::prelude::*;
use std::borrow::Cow;

/// How many of `matches` carry each tag, indexed by [`TagId`]: in parts on
/// every core when there are many (a tag of a third of a million articles
/// is toggled within a frame), then added up.
///
/// When most articles match (no filter, or only tags left out), those
/// that do not are counted instead, and taken from each tag's whole count.
pub(super) fn count_tags(collection: &Collection, matches: &[usize]) -> Vec<usize> {
    let all = collection.len();
    if matches.len() <= all / 2 {
        return count_in_parts(collection, matches, COUNT_PART);
    }
    // Matches come in collection order; any other is put in it first.
    let matches: Cow<[usize]> = if matches.is_sorted() {
        Cow::Borrowed(matches)
    } else {
        let mut sorted = matches.to_vec();
        sorted.sort_unstable();
        Cow::Owned(sorted)
    };
    let others = super::eval::gaps(&matches, all, all.saturating_sub(matches.len()));
    let mut counts: Vec<usize> = collection.tags.ids().map(|t| collection.articles_with(t).len()).collect();
    for (count, other) in counts.iter_mut().zip(count_in_parts(collection, &others, COUNT_PART)) {
        *count -= other;
    }
    counts
}

fn count_in_parts(collection: &Collection, matches: &[usize], part: usize) -> Vec<usize> {
    let tags = collection.tags.len();
    let count = |part: &[usize]| {
        let mut counts = vec![0usize; tags];
        for &i in part {
            for t in collection.tags_of(i) {
                counts[t.0 as usize] += 1;
            }
        }
        counts
    };
    if matches.len() <= part {
        return count(matches);
    }
    matches.par_chunks(part).map(count).reduce(
        || vec![0usize; tags],
        |mut all, part| {
            all.iter_mut().zip(part).for_each(|(a, p)| *a += p);
            all
        },
    )
}

/// Matches counted by one task in [`count_tags`].
const COUNT_PART: usize = 32 * 1024;

/// Faceted counts: for each tag, the number of articles that match the rest
/// of the query and carry the tag. A tag the query itself names is counted
/// with its own condition lifted, so `-Sport` shows how many it hides and
/// each member of `+a|b` how many it brings. `evaluate` finds the matches
/// of a query (`None`: stopped).
pub(super) fn faceted(
    collection: &Collection,
    query: &Query,
    matches: &[usize],
    evaluate: &dyn Fn(&Query) -> Option<Vec<usize>>,
) -> Option<Vec<usize>> {
    let mut counts = count_tags(collection, matches);
    for (pos, term) in query.terms.iter().enumerate() {
        let named = match term {
            Term::HasTag(t) | Term::LacksTag(t) => t,
            _ => continue,
        };
        let mut rest = query.clone();
        rest.terms.remove(pos);
        // Nothing else asked: every article counts (stand-ins for missing
        // bookmarks show only when asked for).
        let everything = rest.is_empty() && collection.missing == 0;
        // Only tags left out (`-b`): a tag's count is its articles less those
        // it shares with them, without listing the articles left (nearly all).
        let hidden = (!everything
            && collection.missing == 0
            && rest.terms.iter().all(|t| matches!(t, Term::LacksTag(_))))
        .then(|| {
            let ids: Vec<TagId> = rest
                .terms
                .iter()
                .flat_map(|t| match t {
                    Term::LacksTag(names) => names.as_slice(),
                    _ => &[],
                })
                .filter_map(|n| collection.tags.find(n))
                .collect();
            super::eval::with_any_of(collection, &ids)
        });
        // Only tags asked: their lists merged (or one of them as it is),
        // no article looked at; else the rest evaluated.
        let rest_matches = if everything || hidden.is_some() {
            Cow::Borrowed(&[][..])
        } else if let Some(found) = super::eval::by_tags_alone(collection, &rest) {
            found
        } else {
            Cow::Owned(evaluate(&rest)?.into_iter().map(|i| i as u32).collect())
        };
        for name in named {
            if let Some(id) = collection.tags.find(name) {
                let tagged = collection.articles_with(id);
                counts[id.0 as usize] = match &hidden {
                    _ if everything => tagged.len(),
                    Some(hidden) => tagged.len() - count_common(hidden, tagged),
                    None => count_common(&rest_matches, tagged),
                };
            }
        }
    }
    Some(counts)
}

/// How many items two ascending lists share, walking both once (without a
/// branch on which is ahead, as [`super::eval`]'s merge).
fn count_common(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        n += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    n
}

/// `(tag, count)` pairs with a count above zero, most used first, then by name.
pub fn ranked(collection: &Collection, counts: &[usize]) -> Vec<(TagId, usize)> {
    let mut out: Vec<(TagId, usize)> =
        collection.tags.ids().map(|id| (id, counts[id.0 as usize])).filter(|(_, c)| *c > 0).collect();
    out.sort_by(|a, b| {
        b.1.cmp(&a.1).then_with(|| collection.tags.name_place(a.0).cmp(&collection.tags.name_place(b.0)))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LoadOptions;
    use crate::query::{Counts, Evaluation, NoFlags, parse};

    fn collection() -> Collection {
        let dir = tempfile::tempdir().unwrap();
        let arts =
            [("a", "Politik, Bund"), ("b", "Politik, Land"), ("c", "Sport, Bund"), ("d", "Politik, Bund, Sport")];
        for (name, tags) in arts {
            std::fs::write(dir.path().join(format!("{name}.txt")), format!("{name}\n\n[1.1.2020] x\n\nTags: {tags}\n"))
                .unwrap();
        }
        Collection::load(&[dir.path().to_path_buf()], &LoadOptions::default())
    }

    fn count(c: &Collection, q: &str, tag: &str) -> usize {
        let q = parse(q).unwrap();
        let found = Evaluation::new(&NoFlags).counts(Counts::Faceted).run(c, &q).unwrap();
        found.counts[c.tags.find(tag).unwrap().0 as usize]
    }

    #[test]
    fn counts_in_parts_add_up_to_the_counts_in_one() {
        let c = collection();
        let all: Vec<usize> = (0..c.len()).collect();
        let whole = count_in_parts(&c, &all, usize::MAX);
        assert_eq!(whole[c.tags.find("Politik").unwrap().0 as usize], 3);
        for part in [1, 2, 3] {
            assert_eq!(count_in_parts(&c, &all, part), whole, "parts of {part}");
        }
        assert_eq!(count_in_parts(&c, &all[1..], 1)[c.tags.find("Politik").unwrap().0 as usize], 2);
    }

    #[test]
    fn counts_of_most_articles_are_the_whole_less_the_rest() {
        let c = collection();
        let all: Vec<usize> = (0..c.len()).collect();
        // All, all but one, more than half in any order, and fewer.
        let mut shuffled: Vec<usize> = all.iter().copied().filter(|i| i % 3 != 1).collect();
        shuffled.reverse();
        for matches in [all.clone(), all[1..].to_vec(), all[..all.len() - 1].to_vec(), shuffled, vec![0, 2]] {
            assert!(matches.len() <= c.len());
            assert_eq!(count_tags(&c, &matches), count_in_parts(&c, &matches, usize::MAX), "{matches:?}");
        }
    }

    #[test]
    fn counts_follow_the_rest_of_the_filter() {
        let c = collection();
        assert_eq!(count(&c, "", "Bund"), 3);
        assert_eq!(count(&c, "+Politik", "Bund"), 2, "Politik articles that also carry Bund");
        assert_eq!(count(&c, "+Politik", "Sport"), 1);
        assert_eq!(count(&c, "+Politik", "Politik"), 3);
        assert_eq!(count(&c, "+Politik -Sport", "Sport"), 1, "an excluded tag shows what it hides");
        // The rest only leaves tags out: counted without listing what is left.
        assert_eq!(count(&c, "+Politik -Sport", "Politik"), 2, "Politik without Sport");
        assert_eq!(count(&c, "-Sport -Land", "Sport"), 2, "Sport without Land");
        assert_eq!(count(&c, "-Sport|Land", "Land"), 1, "Land with Sport or Land lifted: all of it");
        assert_eq!(count(&c, "-Sport -Land|Bund", "Sport"), 0, "Sport without Land and Bund");
        assert_eq!(count(&c, "+Land|Sport", "Land"), 1);
        assert_eq!(count(&c, "+Land|Sport", "Bund"), 2);
    }

    #[test]
    fn evaluation_stops_when_told_and_counts_as_asked() {
        let c = collection();
        let faceted = Evaluation::new(&NoFlags).counts(Counts::Faceted);
        assert!(faceted.until(&|| true).run(&c, &parse("x").unwrap()).is_none());
        let found = faceted.run(&c, &parse("+Bund").unwrap()).unwrap();
        assert_eq!(found.matches.len(), 3);
        let plain = Evaluation::new(&NoFlags).counts(Counts::Plain).run(&c, &parse("+Politik -Sport").unwrap());
        let sport = c.tags.find("Sport").unwrap().0 as usize;
        assert_eq!((found.counts[sport], plain.unwrap().counts[sport]), (2, 0), "plain counts only what matches");
    }
}
