//! Searching off the UI thread. One worker takes the newest query; a newer
//! one makes it give up on the old one at once. A query with words is
//! answered more than once: first with the hits in titles, kickers and tags
//! (fast; when there is no word index), then with the first matches as the
//! files read make them certain, then with all of them.

use crate::collection::Collection;
use crate::query::{Counts, Evaluation, Outcome, Query, TextScope};
use crate::store::State;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, RwLock};

/// An answer: the search's generation, the matches, the tag counts (none:
/// keep those shown), whether it is the last for that generation, and
/// whether the matches are in order of relevance.
#[derive(Debug)]
pub struct Answer {
    pub generation: u64,
    pub matches: Vec<usize>,
    pub counts: Vec<usize>,
    pub last: bool,
    pub ranked: bool,
}

struct Job {
    generation: u64,
    query: Query,
    flags: State,
    /// Answer in order of relevance.
    rank: bool,
    /// Only rank these matches of the query.
    matches: Option<Vec<usize>>,
}

/// The handle the runtime keeps.
pub struct Searcher {
    jobs: Sender<Job>,
    pub answers: Receiver<Answer>,
    newest: Arc<AtomicU64>,
    collection: Arc<RwLock<Arc<Collection>>>,
}

impl Searcher {
    pub fn start(collection: Arc<Collection>) -> Searcher {
        prepare(&collection);
        let (jobs, job_rx) = channel::<Job>();
        let (answer_tx, answers) = channel();
        let newest = Arc::new(AtomicU64::new(0));
        let shared = Arc::new(RwLock::new(collection));
        let (worker_newest, worker_collection) = (Arc::clone(&newest), Arc::clone(&shared));
        std::thread::spawn(move || {
            while let Ok(mut job) = job_rx.recv() {
                // Only the newest of the queued jobs is worth doing.
                while let Ok(next) = job_rx.try_recv() {
                    job = next;
                }
                let collection = worker_collection.read().map(|c| Arc::clone(&c)).unwrap_or_default();
                if !answer(&collection, job, &worker_newest, &answer_tx) {
                    break;
                }
            }
        });
        Searcher { jobs, answers, newest, collection: shared }
    }

    /// Starts searching `query`, its matches ranked by relevance when
    /// `rank`; any older search stops.
    pub fn search(&self, generation: u64, query: Query, flags: State, rank: bool) {
        self.newest.store(generation, Ordering::Relaxed);
        let _ = self.jobs.send(Job { generation, query, flags, rank, matches: None });
    }

    /// Starts putting `matches` of `query` in order of relevance; any older
    /// search stops.
    pub fn rank(&self, generation: u64, query: Query, matches: Vec<usize>) {
        self.newest.store(generation, Ordering::Relaxed);
        let _ = self.jobs.send(Job { generation, query, flags: State::new(), rank: true, matches: Some(matches) });
    }

    /// Searches go to this collection from now on.
    pub fn set_collection(&self, collection: Arc<Collection>) {
        prepare(&collection);
        if let Ok(mut c) = self.collection.write() {
            *c = collection;
        }
    }
}

/// Does `job` on `collection`, sending its answers; false when no one
/// listens any more.
fn answer(collection: &Collection, job: Job, newest: &AtomicU64, answers: &Sender<Answer>) -> bool {
    let Job { generation, query, flags, rank, matches } = job;
    let send = |mut matches: Vec<usize>, counts: Vec<usize>, last: bool| {
        if rank {
            crate::query::rank(collection, &mut matches, &query);
        }
        answers.send(Answer { generation, matches, counts, last, ranked: rank }).is_ok()
    };
    if let Some(mut matches) = matches {
        // Asked about the collection as it was: one loaded since may be smaller
        // (the answer is then stale, and ignored).
        matches.retain(|&i| i < collection.len());
        return send(matches, Vec::new(), true);
    }
    let stop = || newest.load(Ordering::Relaxed) != generation;
    // While files are read, the top of the list as it becomes certain.
    let early = |first: &[usize]| {
        send(first.to_vec(), Vec::new(), false);
    };
    let evaluation = Evaluation::new(&flags).counts(Counts::Faceted).until(&stop).early(&early);
    // Titles, kickers and tags first, while the text is searched; not with
    // a word index, which answers at once or narrows the files to read
    // enough for early answers.
    let first = (query.has_text_terms() && collection.words.is_none()).then_some(TextScope::Headlines);
    first.into_iter().chain([TextScope::Everything]).all(|scope| {
        match evaluation.scope(scope).run(collection, &query) {
            Some(Outcome { matches, counts }) => send(matches, counts, scope == TextScope::Everything),
            None => true, // stopped: a newer job waits
        }
    })
}

/// Makes the word index of `collection` and its title and source orders
/// ready on a thread of its own, so that neither the screen nor the first
/// word search or `s` waits for them.
fn prepare(collection: &Arc<Collection>) {
    let collection = Arc::clone(collection);
    std::thread::spawn(move || {
        collection.prepare_words();
        collection.orders();
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn words_are_answered_twice_headlines_first() {
        let searcher = Searcher::start(Arc::new(crate::tui::tests::collection()));
        searcher.search(1, crate::query::parse("förde").unwrap(), State::new(), false);
        let wait = Duration::from_secs(20);
        let first = searcher.answers.recv_timeout(wait).unwrap();
        assert_eq!((first.generation, first.matches.len(), first.last), (1, 0, false), "no headline has Förde");
        let all = searcher.answers.recv_timeout(wait).unwrap();
        assert_eq!((all.matches.len(), all.last), (2, true), "two bodies do");
        // Without words: one answer.
        searcher.search(2, crate::query::parse("+Kiel").unwrap(), State::new(), false);
        let kiel = searcher.answers.recv_timeout(wait).unwrap();
        assert_eq!((kiel.generation, kiel.matches.len(), kiel.last), (2, 2, true));
    }

    #[test]
    fn matches_are_ranked_by_relevance_when_asked() {
        let collection = Arc::new(crate::tui::tests::collection());
        let searcher = Searcher::start(Arc::clone(&collection));
        // In titles, kickers, tags and bodies: relevance is not the newest order.
        let query = crate::query::parse("i").unwrap();
        let wait = Duration::from_secs(20);
        let answers = |generation| {
            let mut got: Vec<Answer> = Vec::new();
            while got.last().is_none_or(|a| !a.last) {
                got.push(searcher.answers.recv_timeout(wait).unwrap());
            }
            assert!(got.iter().all(|a| a.generation == generation));
            got.pop().unwrap()
        };
        searcher.search(1, query.clone(), State::new(), false);
        let newest = answers(1);
        assert!(!newest.ranked && newest.matches.is_sorted(), "newest first: {:?}", newest.matches);
        searcher.search(2, query.clone(), State::new(), true);
        let ranked = answers(2);
        let mut by_hand = newest.matches.clone();
        crate::query::rank(&collection, &mut by_hand, &query);
        assert!(ranked.ranked);
        assert_eq!(ranked.matches, by_hand);
        assert_ne!(ranked.matches, newest.matches, "titles first");
        // Matches given are ranked alone: no counts, the last answer.
        searcher.rank(3, query, newest.matches.clone());
        let again = answers(3);
        assert_eq!((again.matches, again.counts.len(), again.ranked), (by_hand, 0, true));
    }
}
