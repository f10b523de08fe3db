//! Full-text search off the UI thread. One worker takes the newest query;
//! a newer one makes it give up on the old one at once.

use crate::collection::Collection;
use crate::query::{Counts, Evaluation, Outcome, Query};
use crate::store::State;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, RwLock};

/// A finished search: its generation, the matches and the tag counts.
pub type Answer = (u64, Vec<usize>, Vec<usize>);

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
                let evaluation = Evaluation::new(&job.flags).counts(Counts::Faceted).until(&stop);
                if let Some(Outcome { matches, counts }) = evaluation.run(&collection, &job.query)
                    && answer_tx.send((job.generation, matches, counts)).is_err()
                {
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
        if let Ok(mut c) = self.collection.write() {
            *c = collection;
        }
    }
}
