//! Reconciling our manifest with the list the other side sent of whom they received.
//!
//! The two lists were typed by different offices: names in another script or spelling,
//! documents sometimes missing. Each pair is matched on the strongest evidence available, and
//! stronger evidence is assigned first across both whole lists, so a person matched by
//! document number is never taken earlier by a namesake. What is left on either side is what
//! the officer must look at: someone we sent whom they do not list, or someone they list whom
//! we did not send.

use std::collections::HashMap;

use crate::domain::names::{document_key, signature, tokens};

/// One person on either list, as far as reconciling needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// The caller's index for this person, returned in the [`Outcome`].
    pub key: usize,
    /// Name in Arabic script.
    pub name_ar: String,
    /// Name in Latin letters.
    pub name_latin: String,
    /// Father's name.
    pub father_name: String,
    /// Year of birth, when known.
    pub birth_year: Option<i32>,
    /// Identity document number.
    pub document: String,
    /// Military service number.
    pub service_number: String,
}

/// Why two entries were matched, strongest first (so `Document < ServiceNumber < ...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// The same identity document number.
    Document,
    /// The same service number.
    ServiceNumber,
    /// The same name (in either script) and birth years at most one apart.
    NameAndYear,
    /// The same name, where one side has no birth year.
    Name,
}

/// The result of a reconciliation, in the callers' keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// (our key, their key, why), in the order of our list.
    pub matched: Vec<(usize, usize, Reason)>,
    /// Our entries they do not list, in our order.
    pub ours_only: Vec<usize>,
    /// Their entries we did not list, in their order.
    pub theirs_only: Vec<usize>,
}

/// An entry's keys, computed once.
struct Keys {
    document: String,
    service: String,
    /// Full-name signatures of the Arabic and Latin names (empty ones left out).
    names: Vec<String>,
    year: Option<i32>,
    /// The cross-script key of the father's first name, "" when none.
    father: String,
}

impl Keys {
    fn of(entry: &Entry) -> Keys {
        let mut names: Vec<String> = [&entry.name_ar, &entry.name_latin]
            .into_iter()
            .map(|n| signature(n))
            .filter(|s| !s.is_empty())
            .collect();
        names.dedup();
        Keys {
            document: document_key(&entry.document),
            service: document_key(&entry.service_number),
            names,
            year: entry.birth_year,
            father: tokens(&entry.father_name)
                .into_iter()
                .next()
                .map(|t| t.cross)
                .unwrap_or_default(),
        }
    }

    /// Whether a name match between these two is contradicted by a number both have.
    fn numbers_differ(&self, other: &Keys) -> bool {
        let differ = |a: &str, b: &str| !a.is_empty() && !b.is_empty() && a != b;
        differ(&self.document, &other.document) || differ(&self.service, &other.service)
    }

    fn same_father(&self, other: &Keys) -> bool {
        !self.father.is_empty() && self.father == other.father
    }
}

/// Matches our entries with theirs, each at most once: by document number, then service
/// number, then name with birth years equal (then one apart), then name alone where one side
/// has no year. A name never matches when both sides have a document (or service) number and
/// the numbers differ: that is two namesakes. Among candidates of equal strength the same
/// father's first name wins, then the earliest in their list. Deterministic for given input.
pub fn reconcile(ours: &[Entry], theirs: &[Entry]) -> Outcome {
    let our_keys: Vec<Keys> = ours.iter().map(Keys::of).collect();
    let their_keys: Vec<Keys> = theirs.iter().map(Keys::of).collect();
    let mut pairing = Pairing {
        ours: vec![None; ours.len()],
        taken: vec![false; theirs.len()],
    };

    let by_document = index(&their_keys, |k| vec![k.document.clone()]);
    pairing.pass(&our_keys, &their_keys, Reason::Document, |o| {
        candidates(&by_document, [&o.document])
    });
    let by_service = index(&their_keys, |k| vec![k.service.clone()]);
    pairing.pass(&our_keys, &their_keys, Reason::ServiceNumber, |o| {
        candidates(&by_service, [&o.service])
    });

    let by_name = index(&their_keys, |k| k.names.clone());
    for apart in [0, 1] {
        pairing.pass(&our_keys, &their_keys, Reason::NameAndYear, |o| {
            candidates(&by_name, &o.names)
                .into_iter()
                .filter(|&t| {
                    let (Some(a), Some(b)) = (o.year, their_keys[t].year) else {
                        return false;
                    };
                    (a - b).abs() == apart && !o.numbers_differ(&their_keys[t])
                })
                .collect()
        });
    }
    pairing.pass(&our_keys, &their_keys, Reason::Name, |o| {
        candidates(&by_name, &o.names)
            .into_iter()
            .filter(|&t| {
                (o.year.is_none() || their_keys[t].year.is_none())
                    && !o.numbers_differ(&their_keys[t])
            })
            .collect()
    });

    let mut outcome = Outcome::default();
    for (o, pair) in pairing.ours.iter().enumerate() {
        match pair {
            Some((t, reason)) => outcome.matched.push((ours[o].key, theirs[*t].key, *reason)),
            None => outcome.ours_only.push(ours[o].key),
        }
    }
    for (t, taken) in pairing.taken.iter().enumerate() {
        if !taken {
            outcome.theirs_only.push(theirs[t].key);
        }
    }
    outcome
}

/// Their positions by each non-empty key, in their order.
fn index(keys: &[Keys], of: impl Fn(&Keys) -> Vec<String>) -> HashMap<String, Vec<usize>> {
    let mut map: HashMap<String, Vec<usize>> = HashMap::new();
    for (t, k) in keys.iter().enumerate() {
        for key in of(k) {
            if !key.is_empty() {
                map.entry(key).or_default().push(t);
            }
        }
    }
    map
}

/// Their positions listed under any of these keys (possibly repeated; the pick is a minimum).
fn candidates<'a>(
    index: &HashMap<String, Vec<usize>>,
    keys: impl IntoIterator<Item = &'a String>,
) -> Vec<usize> {
    keys.into_iter()
        .filter_map(|k| index.get(k))
        .flatten()
        .copied()
        .collect()
}

/// The pairs made so far.
struct Pairing {
    /// For each of ours, their position and why.
    ours: Vec<Option<(usize, Reason)>>,
    /// Whether each of theirs is matched.
    taken: Vec<bool>,
}

impl Pairing {
    /// One pass at one strength: each of ours still unmatched, in order, takes its best
    /// untaken candidate (same father first, then earliest).
    fn pass(
        &mut self,
        our_keys: &[Keys],
        their_keys: &[Keys],
        reason: Reason,
        mut candidates: impl FnMut(&Keys) -> Vec<usize>,
    ) {
        for (o, keys) in our_keys.iter().enumerate() {
            if self.ours[o].is_some() {
                continue;
            }
            let best = candidates(keys)
                .into_iter()
                .filter(|&t| !self.taken[t])
                .min_by_key(|&t| (!keys.same_father(&their_keys[t]), t));
            if let Some(t) = best {
                self.ours[o] = Some((t, reason));
                self.taken[t] = true;
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn person(key: usize, name: &str, father: &str, year: Option<i32>) -> Entry {
        let arabic = name.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
        Entry {
            key,
            name_ar: if arabic {
                name.to_owned()
            } else {
                String::new()
            },
            name_latin: if arabic {
                String::new()
            } else {
                name.to_owned()
            },
            father_name: father.to_owned(),
            birth_year: year,
            ..Entry::default()
        }
    }

    #[test]
    fn names_match_across_scripts_and_spellings() {
        let ours = vec![
            person(10, "حسين علي الشطري", "علي", Some(1998)),
            person(11, "Abdul Rahman Kareem", "", None),
        ];
        let theirs = vec![
            person(20, "Abdulrahman Karim", "", Some(1990)),
            person(21, "Hussein Ali Al-Shatri", "Ali", Some(1997)),
        ];
        let outcome = reconcile(&ours, &theirs);
        assert_eq!(
            outcome.matched,
            vec![(10, 21, Reason::NameAndYear), (11, 20, Reason::Name)]
        );
        assert!(outcome.ours_only.is_empty() && outcome.theirs_only.is_empty());
    }

    #[test]
    fn a_document_match_is_not_stolen_by_an_earlier_name_match() {
        let mut first = person(0, "Ali Hasan", "", Some(1990));
        first.document = "A-123".to_owned();
        let mut second = person(1, "Ali Hasan", "", Some(1990));
        second.document = "B 456".to_owned();
        let mut theirs = person(7, "علي حسن", "", Some(1990));
        theirs.document = "b456".to_owned();
        let outcome = reconcile(&[first, second], &[theirs]);
        assert_eq!(outcome.matched, vec![(1, 7, Reason::Document)]);
        assert_eq!(outcome.ours_only, vec![0]);
    }

    #[test]
    fn service_numbers_match_and_differing_numbers_block_a_name_match() {
        let mut ours = person(0, "Ali Hasan", "", Some(1990));
        ours.service_number = "١٢٣٤٥".to_owned();
        let mut other = person(1, "Ali Hasan", "", Some(1990));
        other.document = "X1".to_owned();
        let mut theirs_a = person(5, "Someone Else", "", None);
        theirs_a.service_number = "12345".to_owned();
        let mut theirs_b = person(6, "Ali Hasan", "", Some(1990));
        theirs_b.document = "Y2".to_owned();
        let outcome = reconcile(&[ours, other], &[theirs_a, theirs_b]);
        assert_eq!(outcome.matched, vec![(0, 5, Reason::ServiceNumber)]);
        assert_eq!((outcome.ours_only, outcome.theirs_only), (vec![1], vec![6]));
    }

    #[test]
    fn one_missing_and_one_extra_person_are_reported() {
        let ours = vec![
            person(0, "Omar Saleh", "", Some(1985)),
            person(1, "Zaid Mahmoud", "", Some(2001)),
        ];
        let theirs = vec![
            person(0, "عمر صالح", "", Some(1985)),
            person(1, "Khalid Nouri", "", Some(1979)),
        ];
        let outcome = reconcile(&ours, &theirs);
        assert_eq!(outcome.matched, vec![(0, 0, Reason::NameAndYear)]);
        assert_eq!(outcome.ours_only, vec![1]);
        assert_eq!(outcome.theirs_only, vec![1]);
    }

    #[test]
    fn namesakes_are_told_apart_by_birth_year_and_father() {
        let ours = vec![
            person(0, "Ali Hasan", "Kadhim", Some(1991)),
            person(1, "Ali Hasan", "Jasim", Some(1990)),
            person(2, "Ali Hasan", "Kazem", Some(1975)),
        ];
        let theirs = vec![
            person(0, "Ali Hasan", "Jassim", Some(1990)),
            person(1, "Ali Hasan", "Kadhim", Some(1991)),
            person(2, "Ali Hasan", "Jasim", Some(1975)),
            person(3, "Ali Hasan", "Kadhem", Some(1975)),
        ];
        let outcome = reconcile(&ours, &theirs);
        assert_eq!(
            outcome.matched,
            vec![
                (0, 1, Reason::NameAndYear),
                (1, 0, Reason::NameAndYear),
                (2, 3, Reason::NameAndYear),
            ]
        );
        assert_eq!(outcome.theirs_only, vec![2]);
    }

    #[test]
    fn years_two_apart_do_not_match_and_a_missing_year_allows_a_name_match() {
        let ours = vec![
            person(0, "Ali Hasan", "", Some(1990)),
            person(1, "Omar Saleh", "", Some(1990)),
        ];
        let theirs = vec![
            person(0, "Ali Hasan", "", Some(1992)),
            person(1, "Omar Saleh", "", None),
        ];
        let outcome = reconcile(&ours, &theirs);
        assert_eq!(outcome.matched, vec![(1, 1, Reason::Name)]);
        assert_eq!((outcome.ours_only, outcome.theirs_only), (vec![0], vec![0]));
    }

    #[test]
    fn output_is_deterministic_and_fast_for_a_thousand_each() {
        let names = [
            "Ali", "Hasan", "Omar", "Zaid", "Khalid", "Saleh", "Jasim", "Kadhim",
        ];
        let make = |offset: usize| -> Vec<Entry> {
            (0..1000)
                .map(|i| {
                    let name = format!(
                        "{} {} {}",
                        names[i % 8],
                        names[(i / 8) % 8],
                        names[(i / 64 + offset) % 8]
                    );
                    let mut e = person(i, &name, names[(i / 3) % 8], Some(1970 + (i % 30) as i32));
                    if i % 5 == 0 {
                        e.document = format!("D{i}");
                    }
                    e
                })
                .collect()
        };
        let (ours, theirs) = (make(0), make(0).into_iter().rev().collect::<Vec<_>>());
        let started = std::time::Instant::now();
        let first = reconcile(&ours, &theirs);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(first, reconcile(&ours, &theirs));
        assert_eq!(first.matched.len(), 1000);
        let by_document = first
            .matched
            .iter()
            .filter(|m| m.2 == Reason::Document)
            .count();
        assert_eq!(by_document, 200);
        assert!(first.matched.iter().all(|&(o, t, _)| {
            let (a, b) = (&ours[o], &theirs[999 - t]);
            signature(&a.name_latin) == signature(&b.name_latin) && a.birth_year == b.birth_year
        }));
    }
}
