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

/// An answer: the search's generation, the matches, the tag counts, and
/// whether it is the last for that generation.
pub type Answer = (u64, Vec<usize>, Vec<usize>, bool);

struct Job {
    generation: u64,
    query: Query,
    flags: State,
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
                let stop = || worker_newest.load(Ordering::Relaxed) != job.generation;
                // While files are read, the top of the list as it becomes certain.
                let early = |first: &[usize]| {
                    let _ = answer_tx.send((job.generation, first.to_vec(), Vec::new(), false));
                };
                let evaluation = Evaluation::new(&job.flags).counts(Counts::Faceted).until(&stop).early(&early);
                // Titles, kickers and tags first, while the text is searched;
                // not with a word index, which answers at once or narrows
                // the files to read enough for early answers.
                let first = (job.query.has_text_terms() && collection.words.is_none()).then_some(TextScope::Headlines);
                let passes = first.into_iter().chain([TextScope::Everything]);
                let sent = passes.map(|scope| (scope, evaluation.scope(scope).run(&collection, &job.query))).all(
                    |(scope, found)| match found {
                        Some(Outcome { matches, counts }) => {
                            let last = scope == TextScope::Everything;
                            answer_tx.send((job.generation, matches, counts, last)).is_ok()
                        }
                        None => true, // stopped: a newer job waits
                    },
                );
                if !sent {
                    break;
                }
            }
        });
        Searcher { jobs, answers, newest, collection: shared }
    }

    /// Starts searching `query`; any older search stops.
    pub fn search(&self, generation: u64, query: Query, flags: State) {
        self.newest.store(generation, Ordering::Relaxed);
        let _ = self.jobs.send(Job { generation, query, flags });
    }

    /// Searches go to this collection from now on.
    pub fn set_collection(&self, collection: Arc<Collection>) {
        prepare(&collection);
        if let Ok(mut c) = self.collection.write() {
            *c = collection;
        }
    }
}

/// Makes the word index of `collection` and its title and source orders
/// ready on a thread of its own, so that neither the screen nor the first
/// word search or `s` waits for them.
fn prepare(collection: &Arc<Collection>) {
    let collection = Arc::clone(collection);
    std::thread::spawn(move || {
        collection.prepare_words();
        collection.orders();
        // The keys the orders were sorted by are freed: give them back.
        super::runtime::give_back_freed_memory();
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn words_are_answered_twice_headlines_first() {
        let searcher = Searcher::start(Arc::new(crate::tui::tests::collection()));
        searcher.search(1, crate::query::parse("förde").unwrap(), State::new());
        let wait = Duration::from_secs(20);
        let (generation, first, _, last) = searcher.answers.recv_timeout(wait).unwrap();
        assert_eq!((generation, first.len(), last), (1, 0, false), "no title, kicker or tag has Förde");
        let (_, all, _, last) = searcher.answers.recv_timeout(wait).unwrap();
        assert_eq!((all.len(), last), (2, true), "two bodies do");
        // Without words: one answer.
        searcher.search(2, crate::query::parse("+Kiel").unwrap(), State::new());
        let (generation, kiel, _, last) = searcher.answers.recv_timeout(wait).unwrap();
        assert_eq!((generation, kiel.len(), last), (2, 2, true));
    }
}
