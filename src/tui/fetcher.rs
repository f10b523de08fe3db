//! Reading the article shown with its text, off the UI thread: the reader
//! keeps no bodies, so each article is read from its file when shown.

use crate::collection::Collection;
use crate::{Article, ArticleId};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

/// An article read, or why not: its index, its id (to drop answers about
/// an earlier collection), and the article.
pub type Answer = (usize, ArticleId, Result<Arc<Article>, String>);

/// A thread that reads articles; when asked for several at once (keys held
/// down), it reads only the newest.
pub struct Fetcher {
    jobs: Sender<(usize, Arc<Collection>)>,
    pub answers: Receiver<Answer>,
}

impl Fetcher {
    pub fn start() -> Fetcher {
        let (jobs, job_rx) = channel::<(usize, Arc<Collection>)>();
        let (answer_tx, answers) = channel();
        std::thread::spawn(move || {
            while let Ok(mut job) = job_rx.recv() {
                while let Ok(newer) = job_rx.try_recv() {
                    job = newer;
                }
                let (index, collection) = job;
                let Some(id) = collection.articles.get(index).map(|a| a.id.clone()) else { continue };
                let article = collection.read_full(index).map(|a| Arc::new(a.into_owned()));
                if answer_tx.send((index, id, article)).is_err() {
                    break;
                }
            }
        });
        Fetcher { jobs, answers }
    }

    /// Reads article `index` of `collection`.
    pub fn fetch(&self, index: usize, collection: Arc<Collection>) {
        let _ = self.jobs.send((index, collection));
    }
}
