//! Edits the tag pane makes to a [`Query`], so that the pane and the prompt
//! always show the same filter.

use super::{Query, Term};
use crate::text::fold;

/// Where a tag stands in a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagState {
    Neutral,
    /// The tag is among the must-have tags (`+tag`).
    Included,
    /// The tag is excluded (`-tag`).
    Excluded,
}

fn same(a: &str, b: &str) -> bool {
    fold(a) == fold(b)
}

impl Query {
    /// The tag's state in this query.
    pub fn tag_state(&self, tag: &str) -> TagState {
        for term in &self.terms {
            match term {
                Term::HasTag(t) if t.iter().any(|x| same(x, tag)) => return TagState::Included,
                Term::LacksTag(t) if t.iter().any(|x| same(x, tag)) => return TagState::Excluded,
                _ => {}
            }
        }
        TagState::Neutral
    }

    /// Removes the tag from every tag term, dropping terms left empty.
    pub fn remove_tag(&mut self, tag: &str) {
        for term in &mut self.terms {
            if let Term::HasTag(t) | Term::LacksTag(t) = term {
                t.retain(|x| !same(x, tag));
            }
        }
        self.terms.retain(|t| !matches!(t, Term::HasTag(v) | Term::LacksTag(v) if v.is_empty()));
    }

    /// Toggles `+tag`. With `any_of`, the tag joins the one `+a|b` group.
    pub fn toggle_include(&mut self, tag: &str, any_of: bool) {
        if self.tag_state(tag) == TagState::Included {
            self.remove_tag(tag);
            return;
        }
        self.remove_tag(tag);
        if any_of && let Some(Term::HasTag(group)) = self.terms.iter_mut().find(|t| matches!(t, Term::HasTag(_))) {
            group.push(tag.to_string());
            return;
        }
        self.terms.push(Term::HasTag(vec![tag.to_string()]));
    }

    /// Toggles `-tag`.
    pub fn toggle_exclude(&mut self, tag: &str) {
        let was = self.tag_state(tag);
        self.remove_tag(tag);
        if was != TagState::Excluded {
            self.terms.push(Term::LacksTag(vec![tag.to_string()]));
        }
    }

    /// Drops every tag condition, keeping the rest of the query.
    pub fn clear_tags(&mut self) {
        self.terms.retain(|t| !matches!(t, Term::HasTag(_) | Term::LacksTag(_)));
    }

    /// True when the must-have tags form one any-of group (`+a|b`).
    pub fn tags_any_of(&self) -> bool {
        self.terms.iter().any(|t| matches!(t, Term::HasTag(v) if v.len() > 1))
    }

    /// Rewrites the must-have tags as all-of (`+a +b`) or any-of (`+a|b`).
    pub fn set_tags_any_of(&mut self, any_of: bool) {
        let mut included: Vec<String> = Vec::new();
        let mut first_at = None;
        let mut i = 0;
        while i < self.terms.len() {
            if let Term::HasTag(v) = &self.terms[i] {
                included.extend(v.iter().cloned());
                first_at.get_or_insert(i);
                self.terms.remove(i);
            } else {
                i += 1;
            }
        }
        let Some(at) = first_at else { return };
        let new_terms: Vec<Term> = if any_of {
            vec![Term::HasTag(included)]
        } else {
            included.into_iter().map(|t| Term::HasTag(vec![t])).collect()
        };
        self.terms.splice(at..at, new_terms);
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    #[test]
    fn include_exclude_toggle_and_print() {
        let mut q = parse("wort").unwrap();
        q.toggle_include("Politik", false);
        q.toggle_include("Bund", false);
        assert_eq!(q.to_string(), "wort +Politik +Bund");
        q.toggle_exclude("bund");
        assert_eq!(q.to_string(), "wort +Politik -bund");
        assert_eq!(q.tag_state("BUND"), TagState::Excluded);
        q.toggle_exclude("Bund");
        q.toggle_include("politik", false);
        assert_eq!(q.to_string(), "wort");
    }

    #[test]
    fn any_of_groups_and_switches_back() {
        let mut q = parse("+a -c").unwrap();
        q.toggle_include("b", true);
        assert_eq!(q.to_string(), "+a|b -c");
        assert!(q.tags_any_of());
        q.set_tags_any_of(false);
        assert_eq!(q.to_string(), "+a +b -c");
        q.set_tags_any_of(true);
        assert_eq!(q.to_string(), "+a|b -c");
        q.clear_tags();
        assert!(q.is_empty());
    }
}
