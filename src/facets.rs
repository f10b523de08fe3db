//! Tag counts under the current query, for `blatt tags` and the tag pane.

use crate::collection::{Collection, TagId};
use crate::query::{Flags, Query, Term, TextScope, filter_scoped};
use crate::text::sort_key;

/// How many of `matches` carry each tag, indexed by [`TagId`].
pub fn count_tags(collection: &Collection, matches: &[usize]) -> Vec<usize> {
    let mut counts = vec![0usize; collection.tags.len()];
    for &i in matches {
        for t in collection.tags_of(i) {
            counts[t.0 as usize] += 1;
        }
    }
    counts
}

/// Faceted counts: for each tag, the number of articles that match the rest
/// of the query and carry the tag. A tag the query itself names is counted
/// with its own condition lifted, so `-Sport` shows how many it hides and
/// each member of `+a|b` how many it brings.
pub fn facet_counts(collection: &Collection, query: &Query, matches: &[usize], flags: &dyn Flags) -> Vec<usize> {
    facet_counts_until(collection, query, matches, flags, TextScope::Everything, &|| false).unwrap_or_default()
}

/// The matches of a query and their faceted tag counts, or `None` when
/// `stop` said to give up.
pub fn evaluate(
    collection: &Collection,
    query: &Query,
    flags: &dyn Flags,
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<(Vec<usize>, Vec<usize>)> {
    evaluate_scoped(collection, query, flags, TextScope::Everything, stop)
}

/// [`evaluate`] with words looked for only within `scope`.
pub fn evaluate_scoped(
    collection: &Collection,
    query: &Query,
    flags: &dyn Flags,
    scope: TextScope,
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<(Vec<usize>, Vec<usize>)> {
    let matches = filter_scoped(collection, query, flags, scope, stop)?;
    let counts = facet_counts_until(collection, query, &matches, flags, scope, stop)?;
    Some((matches, counts))
}

fn facet_counts_until(
    collection: &Collection,
    query: &Query,
    matches: &[usize],
    flags: &dyn Flags,
    scope: TextScope,
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<usize>> {
    let mut counts = count_tags(collection, matches);
    for (pos, term) in query.terms.iter().enumerate() {
        let named = match term {
            Term::HasTag(t) | Term::LacksTag(t) => t,
            _ => continue,
        };
        let mut rest = query.clone();
        rest.terms.remove(pos);
        let rest_matches = filter_scoped(collection, &rest, flags, scope, stop)?;
        for name in named {
            if let Some(id) = collection.tags.find(name) {
                counts[id.0 as usize] = rest_matches.iter().filter(|&&i| carries(collection, i, id)).count();
            }
        }
    }
    Some(counts)
}

fn carries(collection: &Collection, index: usize, tag: TagId) -> bool {
    collection.has_tag(index, tag)
}

/// `(tag, count)` pairs with a count above zero, most used first, then by name.
pub fn ranked(collection: &Collection, counts: &[usize]) -> Vec<(TagId, usize)> {
    let mut out: Vec<(TagId, usize)> =
        collection.tags.ids().map(|id| (id, counts[id.0 as usize])).filter(|(_, c)| *c > 0).collect();
    out.sort_by(|a, b| {
        b.1.cmp(&a.1).then_with(|| sort_key(collection.tags.name(a.0)).cmp(&sort_key(collection.tags.name(b.0))))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LoadOptions;
    use crate::query::{NoFlags, filter, parse};

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
        let m = filter(c, &q, &NoFlags);
        facet_counts(c, &q, &m, &NoFlags)[c.tags.find(tag).unwrap().0 as usize]
    }

    #[test]
    fn counts_follow_the_rest_of_the_filter() {
        let c = collection();
        assert_eq!(count(&c, "", "Bund"), 3);
        assert_eq!(count(&c, "+Politik", "Bund"), 2, "Politik articles that also carry Bund");
        assert_eq!(count(&c, "+Politik", "Sport"), 1);
        assert_eq!(count(&c, "+Politik", "Politik"), 3);
        assert_eq!(count(&c, "+Politik -Sport", "Sport"), 1, "an excluded tag shows what it hides");
        assert_eq!(count(&c, "+Land|Sport", "Land"), 1);
        assert_eq!(count(&c, "+Land|Sport", "Bund"), 2);
    }

    #[test]
    fn evaluate_stops_when_told() {
        let c = collection();
        assert!(evaluate(&c, &parse("x").unwrap(), &NoFlags, &|| true).is_none());
        let (m, _) = evaluate(&c, &parse("+Bund").unwrap(), &NoFlags, &|| false).unwrap();
        assert_eq!(m.len(), 3);
    }
}
