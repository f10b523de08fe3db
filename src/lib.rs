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

pub use article::{Article, ArticleId};
pub use collection::{Collection, LoadOptions, Problem, TagId};
