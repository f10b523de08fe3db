//! Saving bookmarks and read marks on a thread of its own: a lock held by
//! another process, a slow disk or a huge state file never holds up a
//! frame. The reader hands over a copy of what is pending; the thread
//! merges it with the file and writes; the result comes back to `tick`.

use super::app::{App, Msg};
use crate::store::{State, StoreError, StoreFile};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

/// Changes are saved at most this often (and always on exit).
const SAVE_EVERY: Duration = Duration::from_secs(1);

type Outcome = (State, Result<State, String>);

pub struct Saver {
    to_worker: Option<Sender<State>>,
    results: Receiver<Outcome>,
    in_flight: bool,
    last_try: Option<Instant>,
    failing: bool,
}

impl Saver {
    /// Starts the saving thread for `store`; `None` keeps marks in memory.
    pub fn start(store: Option<StoreFile>) -> Saver {
        let (to_worker, jobs) = channel::<State>();
        let (done, results) = channel();
        let writable = store.as_ref().is_some_and(|s| !s.is_read_only());
        if let Some(mut store) = store.filter(|_| writable) {
            std::thread::spawn(move || {
                for pending in jobs {
                    let result = store.save(&pending).map_err(|e| match e {
                        StoreError::Locked(_) => "state locked by another process, retrying".to_string(),
                        e => format!("not saved (kept in memory, will retry): {e}"),
                    });
                    if done.send((pending, result)).is_err() {
                        break;
                    }
                }
            });
        }
        Saver { to_worker: writable.then_some(to_worker), results, in_flight: false, last_try: None, failing: false }
    }

    /// True while a save is on its way.
    pub fn busy(&self) -> bool {
        self.in_flight
    }

    /// Takes a finished save's result, and starts the next save when one is due.
    pub fn tick(&mut self, app: &mut App) {
        while let Ok(outcome) = self.results.try_recv() {
            self.finished(app, outcome);
        }
        let Some(worker) = &self.to_worker else { return };
        if self.in_flight || !app.marks().has_pending() {
            return;
        }
        let pause = if self.failing { SAVE_EVERY * 5 } else { SAVE_EVERY };
        if self.last_try.is_some_and(|t| t.elapsed() < pause) {
            return;
        }
        self.last_try = Some(Instant::now());
        self.in_flight = worker.send(app.marks().pending().clone()).is_ok();
    }

    fn finished(&mut self, app: &mut App, (sent, result): Outcome) {
        self.in_flight = false;
        self.failing = result.is_err();
        app.update(Msg::Saved { sent, result });
    }

    /// On exit: waits up to `wait` for the save on its way and for one last
    /// save of what is still pending. Returns true when nothing is left unsaved.
    pub fn finish(mut self, app: &mut App, wait: Duration) -> bool {
        let deadline = Instant::now() + wait;
        let mut sent_last = false;
        loop {
            if !self.in_flight {
                if !app.marks().has_pending() || self.to_worker.is_none() {
                    return !app.marks().has_pending();
                }
                if sent_last {
                    return false; // the last try failed
                }
                self.last_try = None;
                self.failing = false;
                self.tick(app);
                sent_last = true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.results.recv_timeout(left) {
                Ok(outcome) => self.finished(app, outcome),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return false,
            }
        }
    }
}
