//! blatt: a reader for local news archives. This library knows nothing of
//! the terminal; the reader (`tui`) and the command line (`cli`) use it.

pub mod article;
pub mod cli;
pub mod collection;
pub mod config;
pub mod facets;
pub mod formats;
pub mod query;
pub mod render;
pub mod sanitize;
pub mod text;

pub use article::{Article, ArticleId};
pub use collection::{Collection, LoadOptions, Problem, TagId};
