//! `blatt`: command-line arguments → the reader or one CLI command.

use blatt::cli::{self, exit};
use blatt::collection::Collection;
use blatt::collection::front::Counted;
use blatt::config::Config;
use blatt::store::{State, StoreFile};
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// A keyboard-driven terminal reader for local news archives.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Files or directories to open in the reader (default: `collection` in the config).
    paths: Vec<PathBuf>,
    /// Read this config file instead of the default one.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Keep bookmarks and read state in DIR (default: $BLATT_DATA_DIR, else the user's data directory).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Keep the index of the collection in DIR (default: $BLATT_CACHE_DIR, else the user's cache directory).
    #[arg(long, global = true, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Use no index: read every file.
    #[arg(long, global = true, conflicts_with = "cache_dir")]
    no_cache: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// List matching articles, newest first.
    List {
        /// Files or directories to read (default: `collection` in the config).
        paths: Vec<PathBuf>,
        /// Filter with the query language, e.g. '+Politik -Sport @2022'.
        #[arg(short, long, allow_hyphen_values = true)]
        query: Option<String>,
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
        /// Print only the number of matching articles.
        #[arg(long, conflicts_with = "json")]
        count: bool,
    },
    /// Tags with the number of matching articles, most used first.
    Tags {
        /// Files or directories to read (default: `collection` in the config).
        paths: Vec<PathBuf>,
        /// Count only articles matching this query.
        #[arg(short, long, allow_hyphen_values = true)]
        query: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show one article as the reading pane does.
    Show {
        /// The article's id, or any unique prefix of it.
        id: String,
        /// Files or directories to read (default: `collection` in the config).
        paths: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
        /// Wrap the text at this many columns.
        #[arg(long, default_value_t = 80, value_parser = clap::value_parser!(u16).range(10..))]
        width: u16,
    },
    /// Build or bring up to date the index of the collection, and say what changed.
    Index {
        /// Files or directories to index (default: `collection` in the config).
        paths: Vec<PathBuf>,
    },
    /// Load everything and report problems; exit 1 if any file had one.
    Check {
        /// Files or directories to read (default: `collection` in the config).
        paths: Vec<PathBuf>,
    },
    /// Print the bookmarks, newest first.
    Bookmarks {
        /// Files or directories to read (default: `collection` in the config).
        paths: Vec<PathBuf>,
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
        /// Print a Markdown list.
        #[arg(long, conflicts_with = "json")]
        markdown: bool,
    },
}

fn main() {
    std::process::exit(run(Args::parse()));
}

fn run(args: Args) -> i32 {
    let (config, _, config_warnings) = match Config::load(args.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("blatt: config: {e}");
            return exit::USAGE;
        }
    };
    if args.command.is_some() {
        // The reader shows them in its status line instead.
        for w in &config_warnings {
            eprintln!("blatt: config: {w}");
        }
    }
    // An empty BLATT_DATA_DIR means the default, like an unset one. (Read
    // here, not by clap, which refuses an empty value.)
    let from_env = std::env::var_os("BLATT_DATA_DIR").filter(|v| !v.is_empty()).map(PathBuf::from);
    let data_dir = args.data_dir.clone().or(from_env).or_else(blatt::store::default_dir);
    let cache_dir = if args.no_cache {
        None
    } else {
        let from_env = std::env::var_os("BLATT_CACHE_DIR").filter(|v| !v.is_empty()).map(PathBuf::from);
        args.cache_dir.clone().or(from_env).or_else(blatt::cache::default_dir)
    };
    let given = match &args.command {
        None => &args.paths,
        Some(
            Command::List { paths, .. }
            | Command::Tags { paths, .. }
            | Command::Show { paths, .. }
            | Command::Check { paths }
            | Command::Index { paths }
            | Command::Bookmarks { paths, .. },
        ) => paths,
    };
    if let Some(Command::Bookmarks { json, markdown, .. }) = &args.command {
        // Bookmarks come from the state file; paths only tell which of the
        // bookmarked articles are still in the collection.
        let paths = if given.is_empty() { config.collection.clone() } else { given.clone() };
        return bookmarks(&paths, &config, data_dir.as_deref(), cache_dir, *json, *markdown);
    }
    // A path named on the command line that is not there is a mistake in
    // the command, not a problem of the collection.
    if let Some(missing) = given.iter().find(|p| std::fs::symlink_metadata(p).is_err()) {
        eprintln!("blatt: {}: no such file or directory", blatt::sanitize::display_path(missing));
        return exit::USAGE;
    }
    let paths = if given.is_empty() { config.collection.clone() } else { given.clone() };
    if paths.is_empty() {
        eprintln!(
            "blatt: no collection given.\n  Name files or folders: blatt PATH...\n  or list them in {}: collection = [\"~/news\"]",
            blatt::config::default_path().map(|p| p.display().to_string()).unwrap_or_else(|| "config.toml".into())
        );
        return exit::USAGE;
    }
    let options = blatt::LoadOptions { cache: cache_dir.clone(), ..config.load_options() };
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    let state = match data_dir.as_deref().map(StoreFile::load).transpose() {
        Ok(s) => s.unwrap_or_default(),
        Err(e) => {
            eprintln!("blatt: {e}; bookmarks and read marks are ignored");
            State::new()
        }
    };
    let flags = &state;
    match args.command {
        None => {
            drop(out);
            drop(err);
            let options = blatt::tui::Options { paths, config, data_dir, cache_dir, warnings: config_warnings };
            match blatt::tui::run(options) {
                Ok(code) => code,
                Err(e) => {
                    eprintln!("blatt: {e}");
                    exit::PROBLEMS
                }
            }
        }
        Some(Command::List { query, json, count, .. }) => {
            let q = match cli::parse_query(query.as_deref(), &mut err) {
                Ok(q) => q,
                Err(code) => return code,
            };
            let options = cli::options_for(&q, &options);
            let collection = if count {
                match Collection::count_or_load(&paths, &options, &q) {
                    // Told by the front page: nothing was loaded.
                    Counted::Front(front, n) => {
                        cli::report_problems(&front, &mut err);
                        cli::report_unknown_tags(&front, &q, &mut err);
                        let _ = writeln!(out, "{n}");
                        return exit_without_freeing(front, exit::OK);
                    }
                    Counted::Whole(collection) => collection,
                }
            } else {
                Collection::load(&paths, &options)
            };
            cli::report_problems(&collection, &mut err);
            cli::report_unknown_tags(&collection, &q, &mut err);
            let term_width = std::io::stdout().is_terminal().then(terminal_width).flatten();
            let code = cli::list(&collection, &q, flags, json, count, term_width, &mut out);
            exit_without_freeing(collection, code)
        }
        Some(Command::Tags { query, json, .. }) => {
            let q = match cli::parse_query(query.as_deref(), &mut err) {
                Ok(q) => q,
                Err(code) => return code,
            };
            let options = cli::options_for(&q, &options);
            let collection = if q.is_empty() {
                match Collection::count_or_load(&paths, &options, &q) {
                    // Every tag's count, from the front page: nothing was loaded.
                    Counted::Front(front, _) => {
                        cli::report_problems(&front, &mut err);
                        let counts = front.partial().map(|whole| whole.counts.clone()).unwrap_or_default();
                        let code = cli::print_tags(&front, &counts, json, &mut out);
                        return exit_without_freeing(front, code);
                    }
                    Counted::Whole(collection) => collection,
                }
            } else {
                Collection::load(&paths, &options)
            };
            cli::report_problems(&collection, &mut err);
            cli::report_unknown_tags(&collection, &q, &mut err);
            let code = cli::tags(&collection, &q, flags, json, &mut out);
            exit_without_freeing(collection, code)
        }
        Some(Command::Show { id, json, width, .. }) => {
            let collection = Collection::load(&paths, &cli::without_text(&options));
            cli::report_problems(&collection, &mut err);
            let code = cli::show(&collection, &id, flags, json, usize::from(width), &mut out, &mut err);
            exit_without_freeing(collection, code)
        }
        Some(Command::Bookmarks { .. }) => exit::USAGE,
        Some(Command::Index { .. }) => index(&paths, &options, &mut out, &mut err),
        Some(Command::Check { .. }) => {
            let collection = Collection::load(&paths, &cli::without_text(&options));
            cli::report_problems(&collection, &mut err);
            let code = cli::check(&collection, &mut out);
            exit_without_freeing(collection, code)
        }
    }
}

/// `blatt bookmarks`: from the state file, marking those not in the collection.
fn bookmarks(
    paths: &[PathBuf],
    config: &Config,
    data_dir: Option<&std::path::Path>,
    cache: Option<PathBuf>,
    json: bool,
    markdown: bool,
) -> i32 {
    let Some(dir) = data_dir else {
        eprintln!("blatt: no data directory; give one with --data-dir");
        return exit::USAGE;
    };
    let state = match StoreFile::load(dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("blatt: {e}");
            return exit::PROBLEMS;
        }
    };
    let options = cli::without_text(&blatt::LoadOptions { cache, ..config.load_options() });
    let collection = if paths.is_empty() { None } else { Some(Collection::load(paths, &options)) };
    let format = if json {
        cli::BookmarkFormat::Json
    } else if markdown {
        cli::BookmarkFormat::Markdown
    } else {
        cli::BookmarkFormat::Text
    };
    let code = cli::bookmarks(&state, collection.as_ref(), format, &mut std::io::stdout().lock());
    if let Some(c) = collection {
        std::mem::forget(c);
    }
    code
}

/// `blatt index`: builds or updates the index, with a progress line on a
/// terminal, and says what it found.
fn index(paths: &[PathBuf], options: &blatt::LoadOptions, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    if options.cache.is_none() {
        let _ =
            writeln!(err, "blatt: index: no cache directory (--no-cache, or none known); give one with --cache-dir");
        return exit::USAGE;
    }
    let started = std::time::Instant::now();
    let show = std::io::stderr().is_terminal();
    let last = std::sync::Mutex::new(std::time::Instant::now());
    let progress = |done: usize, total: usize| {
        let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
        if show && last.elapsed() > std::time::Duration::from_millis(100) {
            *last = std::time::Instant::now();
            eprint!("\r{}", cli::progress_line(done, total, started.elapsed()));
        }
    };
    let options = blatt::LoadOptions { words: true, ..cli::without_text(options) };
    let collection = Collection::load_with_progress(paths, &options, &progress);
    if show {
        eprint!("\r\x1b[K");
    }
    let code = cli::report_index(&collection, started.elapsed(), out, err);
    exit_without_freeing(collection, code)
}

/// The process ends right after a command: freeing a large collection
/// article by article would only delay the exit, so leave it to the OS.
fn exit_without_freeing(collection: Collection, code: i32) -> i32 {
    std::mem::forget(collection);
    code
}

fn terminal_width() -> Option<usize> {
    ratatui::crossterm::terminal::size().ok().map(|(w, _)| usize::from(w))
}
