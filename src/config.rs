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
    /// Key overrides: action name → key or list of keys.
    #[serde(default)]
    pub keys: BTreeMap<String, KeyList>,
    /// Colour overrides: element name → colour name or `#rrggbb`.
    #[serde(default)]
    pub theme: BTreeMap<String, String>,
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
    #[error("{path}: {message}")]
    Parse { path: String, message: String },
}

/// Where the config lives unless `--config` says otherwise.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "blatt").map(|d| d.config_dir().join("config.toml"))
}

impl Config {
    /// Loads `explicit` (which must exist) or the default file (which may not).
    pub fn load(explicit: Option<&Path>) -> Result<(Config, Option<PathBuf>), ConfigError> {
        let (path, required) = match explicit {
            Some(p) => (p.to_path_buf(), true),
            None => match default_path() {
                Some(p) => (p, false),
                None => return Ok((Config::default(), None)),
            },
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => return Ok((Config::default(), None)),
            Err(source) => return Err(ConfigError::Read { path: crate::sanitize::display_path(&path), source }),
        };
        let mut config: Config = toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: crate::sanitize::display_path(&path),
            message: e.message().to_string(),
        })?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        config.collection = config.collection.iter().map(|p| resolve(p, &base)).collect();
        Ok((config, Some(path)))
    }

    pub fn load_options(&self) -> crate::LoadOptions {
        crate::LoadOptions {
            max_file_size: self.max_file_size.unwrap_or(crate::collection::DEFAULT_MAX_FILE_SIZE),
            ..crate::LoadOptions::default()
        }
    }
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
        let (c, from) = Config::load(Some(&path)).unwrap();
        assert_eq!(from.as_deref(), Some(path.as_path()));
        assert_eq!(c.collection, vec![dir.path().join("news"), PathBuf::from("/abs")]);
        assert_eq!(c.load_options().max_file_size, 10);
        assert_eq!(c.keys["quit"].keys(), vec!["q", "x"]);
        assert_eq!(c.mouse, Some(false));
    }

    #[test]
    fn errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, "collection = 3").unwrap();
        let e = Config::load(Some(&path)).unwrap_err().to_string();
        assert!(e.contains("bad.toml"), "{e}");
        assert!(Config::load(Some(&dir.path().join("missing.toml"))).is_err());
    }
}
