//! Tag counts under the current query, for `blatt tags` and the tag pane.

use crate::collection::{Collection, TagId};
use crate::query::{Flags, Query, Term, filter};

/// How many of `matches` carry each tag, indexed by [`TagId`].
pub fn count_tags(collection: &Collection, matches: &[usize]) -> Vec<usize> {
    let mut counts = vec![0usize; collection.tags.len()];
    for &i in matches {
        for t in &collection.article_tags[i] {
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
    let mut counts = count_tags(collection, matches);
    for (pos, term) in query.terms.iter().enumerate() {
        let named = match term {
            Term::HasTag(t) | Term::LacksTag(t) => t,
            _ => continue,
        };
        let mut rest = query.clone();
        rest.terms.remove(pos);
        let rest_matches = filter(collection, &rest, flags);
        for name in named {
            if let Some(id) = collection.tags.find(name) {
                counts[id.0 as usize] = rest_matches.iter().filter(|&&i| carries(collection, i, id)).count();
            }
        }
    }
    counts
}

fn carries(collection: &Collection, index: usize, tag: TagId) -> bool {
    collection.article_tags[index].binary_search(&tag).is_ok()
}

/// `(tag, count)` pairs with a count above zero, most used first, then by name.
pub fn ranked(collection: &Collection, counts: &[usize]) -> Vec<(TagId, usize)> {
    let mut out: Vec<(TagId, usize)> =
        collection.tags.ids().map(|id| (id, counts[id.0 as usize])).filter(|(_, c)| *c > 0).collect();
    out.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| collection.tags.name(a.0).to_lowercase().cmp(&collection.tags.name(b.0).to_lowercase()))
    });
    out
}
