//! `config.toml`: the collection's paths, loading limits, key bindings,
//! colours and mouse support. Every field is optional.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The parsed config file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Paths opened when none are given on the command line.
    #[serde(default)]
    pub collection: Vec<PathBuf>,
    /// Files larger than this many bytes are skipped with a message.
    pub max_file_size: Option<u64>,
    /// Mouse support in the reader (on unless set to false).
    pub mouse: Option<bool>,
    /// The program that opens links (`"w3m %u"`; `%u` is the link), instead
    /// of `$BROWSER` or the desktop's opener.
    pub browser: Option<String>,
    /// The browser runs in this terminal (w3m, lynx): the reader steps aside
    /// while it runs. Known text browsers are recognised without it.
    pub terminal: Option<bool>,
    /// Key overrides: action name → key or list of keys.
    #[serde(default)]
    pub keys: BTreeMap<String, KeyList>,
    /// Colour overrides: element name → colour name or `#rrggbb`.
    #[serde(default)]
    pub theme: BTreeMap<String, String>,
    /// Saved views: name → query (`Kommunal = "+Verwaltung -Sport @2024.."`),
    /// on the number keys in name order.
    #[serde(default)]
    pub views: BTreeMap<String, String>,
}

/// One key (`"j"`) or several (`["j", "down"]`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl KeyList {
    pub fn keys(&self) -> Vec<&str> {
        match self {
            KeyList::One(k) => vec![k.as_str()],
            KeyList::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// Why the config could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {source}")]
    Read { path: String, source: std::io::Error },
}

/// Where the config lives unless `--config` says otherwise.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "blatt").map(|d| d.config_dir().join("config.toml"))
}

impl Config {
    /// Loads `explicit` (which must exist) or the default file (which may not).
    /// Mistakes inside the file do not stop blatt: what can be used is used,
    /// and each mistake comes back as a warning with its line and column.
    pub fn load(explicit: Option<&Path>) -> Result<(Config, Option<PathBuf>, Vec<String>), ConfigError> {
        let (path, required) = match explicit {
            Some(p) => (p.to_path_buf(), true),
            None => match default_path() {
                Some(p) => (p, false),
                None => return Ok((Config::default(), None, vec![])),
            },
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
                return Ok((Config::default(), None, vec![]));
            }
            Err(source) => return Err(ConfigError::Read { path: crate::sanitize::display_path(&path), source }),
        };
        let (mut config, warnings) = parse(&text, &crate::sanitize::display_path(&path));
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        config.collection = config.collection.iter().map(|p| resolve(p, &base)).collect();
        Ok((config, Some(path), warnings))
    }

    pub fn load_options(&self) -> crate::LoadOptions {
        crate::LoadOptions {
            max_file_size: self.max_file_size.unwrap_or(crate::collection::DEFAULT_MAX_FILE_SIZE),
            ..crate::LoadOptions::default()
        }
    }
}

/// The config in `text`, and what was wrong with it (`FILE:LINE:COLUMN: …`).
/// A setting with a mistake is left out and the others are kept; a file
/// that is not TOML at all gives the defaults.
fn parse(text: &str, shown: &str) -> (Config, Vec<String>) {
    let first = match toml::from_str::<Config>(text) {
        Ok(c) => return (c, vec![]),
        Err(e) => e,
    };
    let at = |offset: usize| {
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("{shown}:{line}:{column}")
    };
    let message = |e: &toml::de::Error| crate::sanitize::clean_line(e.message());
    let Ok(table) = text.parse::<toml::Table>() else {
        let place = first.span().map(|s| at(s.start)).unwrap_or_else(|| shown.to_string());
        return (Config::default(), vec![format!("{place}: {}; the defaults are used", message(&first))]);
    };
    let mut config = Config::default();
    let mut warnings = vec![];
    for (key, value) in table {
        let mut one = toml::Table::new();
        one.insert(key.clone(), value);
        match one.try_into::<Config>() {
            Ok(part) => match key.as_str() {
                "collection" => config.collection = part.collection,
                "max_file_size" => config.max_file_size = part.max_file_size,
                "mouse" => config.mouse = part.mouse,
                "browser" => config.browser = part.browser,
                "terminal" => config.terminal = part.terminal,
                "views" => config.views = part.views,
                "keys" => config.keys = part.keys,
                _ => config.theme = part.theme,
            },
            Err(e) => {
                // The value's own position is lost with the table: the key's line is shown.
                let offset = key_offset(text, &key).unwrap_or(0);
                let key = crate::sanitize::clean_line(&key);
                warnings.push(format!("{}: {}; `{key}` is ignored", at(offset), message(&e)));
            }
        }
    }
    (config, warnings)
}

/// Where `key` is set (`key =` or `[key]`) in the file.
fn key_offset(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let sets = t.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with('='));
        let opens =
            t.strip_prefix('[').and_then(|r| r.strip_prefix(key)).is_some_and(|r| r.trim_start().starts_with(']'));
        if sets || opens {
            return Some(offset + line.len() - t.len());
        }
        offset += line.len();
    }
    None
}

/// `~/x` → home/x; relative paths are relative to the config file.
fn resolve(p: &Path, base: &Path) -> PathBuf {
    if let Ok(rest) = p.strip_prefix("~")
        && let Some(dirs) = directories::BaseDirs::new()
    {
        return dirs.home_dir().join(rest);
    }
    if p.is_relative() { base.join(p) } else { p.to_path_buf() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_all_sections_and_resolves_relative_paths() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "collection = [\"news\", \"/abs\"]\nmax_file_size = 10\nmouse = false\n[keys]\nquit = [\"q\", \"x\"]\nhelp = \"F1\"\n[theme]\naccent = \"#ff0000\"\n",
        )
        .unwrap();
        let (c, from, warnings) = Config::load(Some(&path)).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(from.as_deref(), Some(path.as_path()));
        assert_eq!(c.collection, vec![dir.path().join("news"), PathBuf::from("/abs")]);
        assert_eq!(c.load_options().max_file_size, 10);
        assert_eq!(c.keys["quit"].keys(), vec!["q", "x"]);
        assert_eq!(c.mouse, Some(false));
    }

    #[test]
    fn mistakes_name_file_line_and_column_and_the_rest_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, "mouse = false\n\nmax_file_size = \"big\"\n[keys]\nquit = \"x\"\n").unwrap();
        let (c, _, warnings) = Config::load(Some(&path)).unwrap();
        assert_eq!(c.mouse, Some(false), "the good settings are kept");
        assert_eq!(c.keys["quit"].keys(), ["x"]);
        assert_eq!(c.max_file_size, None);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("bad.toml:3:1: ") && warnings[0].contains("max_file_size"), "{warnings:?}");

        std::fs::write(&path, "mouse = false\ncollection = [\"a\"\n").unwrap();
        let (c, _, warnings) = Config::load(Some(&path)).unwrap();
        assert!(c.collection.is_empty());
        assert!(warnings[0].starts_with(&format!("{}:", crate::sanitize::display_path(&path))), "{warnings:?}");
        assert!(warnings[0].contains("defaults"), "{warnings:?}");
        assert!(Config::load(Some(&dir.path().join("missing.toml"))).is_err(), "a named file must exist");

        // A key is as untrusted as any text: its escape sequence never reaches a warning.
        std::fs::write(&path, "mouse = true\n\"\\u001b]0;pwn\\u0007\" = 1\n").unwrap();
        let (c, _, warnings) = Config::load(Some(&path)).unwrap();
        assert_eq!(c.mouse, Some(true));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(!warnings[0].contains('\u{1b}') && !warnings[0].contains('\u{7}'), "{warnings:?}");
    }
}
