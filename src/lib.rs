//! blatt: a reader for local news archives.
//!
//! The library — loading (`formats`, `collection`), the query language
//! (`query`), rendering articles to lines (`render`) and the state
//! store (`store`) — knows nothing of the terminal. The command line (`cli`)
//! and the reader (`tui`) are thin clients of it; nothing outside `tui`
//! imports from it.

pub mod article;
pub mod cache;
pub mod cli;
pub mod collection;
pub mod config;
pub mod formats;
pub mod links;
pub mod query;
pub mod render;
pub mod sanitize;
pub mod store;
pub mod text;
pub mod tui;
pub mod words;

/// mimalloc for every allocation of blatt, its benchmarks and its tests.
/// A load at 1M allocates tens of millions of small blocks on two threads
/// and frees many of them again: glibc's allocator spent some 12 % of a
/// cold build in its own bookkeeping, grew each thread's heap a page at a
/// time and kept what a replaced collection freed until told to give it
/// back; mimalloc does none of that (a cold build 12-18 % faster, the
/// reader 90 MB lighter after files change while it runs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub use article::{Article, ArticleId};
pub use collection::{Collection, LoadOptions, Problem, TagId};
