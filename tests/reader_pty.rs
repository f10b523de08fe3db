//! The real `blatt` binary in a pseudo-terminal, driven by keys, read back
//! through a VT100 parser. No tmux, no display. HOME, the XDG directories and
//! the data directory point into a temporary directory.

#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROWS: u16 = 35;
const COLS: u16 = 120;
/// How long to wait for something that normally takes milliseconds.
const PATIENCE: Duration = Duration::from_secs(20);

struct Session {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Option<Box<dyn Write + Send>>,
    master: Option<Box<dyn portable_pty::MasterPty + Send>>,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    stop_reading: Arc<std::sync::atomic::AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl Session {
    /// Runs `program args` in a fresh pty with a private home.
    fn start(home: &Path, program: &str, args: &[&str]) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize { rows: ROWS, cols: COLS, pixel_width: 0, pixel_height: 0 })
            .expect("a pty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.cwd(root());
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_CACHE_HOME", home.join("cache"));
        cmd.env_remove("BLATT_CACHE_DIR");
        cmd.env("XDG_DATA_HOME", home.join("data"));
        cmd.env("BLATT_DATA_DIR", home.join("state"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("BROWSER", "true");
        cmd.env_remove("NO_COLOR");
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        // Non-blocking reads let the reader thread give up its copy of the
        // master when a test closes the terminal.
        let fd = pair.master.as_raw_fd().expect("a unix pty");
        // SAFETY: fcntl on a descriptor we own, changing only its flags.
        unsafe { libc::fcntl(fd, libc::F_SETFL, libc::fcntl(fd, libc::F_GETFL) | libc::O_NONBLOCK) };
        let parser = Arc::new(Mutex::new(vt100::Parser::new(ROWS, COLS, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let stop_reading = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (p, r, stop) = (Arc::clone(&parser), Arc::clone(&raw), Arc::clone(&stop_reading));
        let handle = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        p.lock().unwrap().process(&buf[..n]);
                        r.lock().unwrap().extend_from_slice(&buf[..n]);
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(5))
                    }
                    Err(_) => break,
                }
            }
        });
        Session {
            child,
            writer: Some(writer),
            master: Some(pair.master),
            parser,
            raw,
            stop_reading,
            reader: Some(handle),
        }
    }

    fn blatt(home: &Path, args: &[&str]) -> Session {
        Session::start(home, env!("CARGO_BIN_EXE_blatt"), args)
    }

    /// The reader on the sample collection, once its first screen is up.
    fn sample_data(home: &Path) -> Session {
        let s = Session::blatt(home, &["sample-data"]);
        s.wait_for_count("49 / 49");
        s
    }

    /// `q`, and a clean exit.
    fn quit(&mut self) {
        self.keys("q");
        assert_eq!(self.wait_exit(), 0);
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{text:?} never appeared; the screen:\n{}", self.screen());
    }

    /// Waits until the status line, the screen's last row, shows `count`
    /// (`"2 / 49"`: matches of articles). The progress line of a first load
    /// (`loading 2 / 2 files…`, on the first row) does not count: keys sent
    /// then go nowhere, as the list is not there yet.
    fn wait_for_count(&self, count: &str) {
        let start = Instant::now();
        let wanted = format!(" {count} ");
        while start.elapsed() < PATIENCE {
            let status = self.parser.lock().unwrap().screen().rows(0, COLS).last().unwrap_or_default();
            if status.contains(&wanted) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the status line never showed {wanted:?}; the screen:\n{}", self.screen());
    }

    /// Writes a long input in pieces, waiting while the terminal's buffer is full.
    fn send_all(&mut self, bytes: &str) {
        let writer = self.writer.as_mut().expect("terminal open");
        let mut rest = bytes.as_bytes();
        let start = Instant::now();
        while !rest.is_empty() && start.elapsed() < PATIENCE {
            match writer.write(rest) {
                Ok(n) => rest = &rest[n..],
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(5)),
                Err(e) => panic!("{e}"),
            }
        }
        writer.flush().unwrap();
    }

    fn keys(&mut self, bytes: &str) {
        let writer = self.writer.as_mut().expect("terminal open");
        writer.write_all(bytes.as_bytes()).unwrap();
        writer.flush().unwrap();
        // Let the reader draw before the next key, as a person would.
        std::thread::sleep(Duration::from_millis(80));
    }

    fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("blatt did not exit; the screen:\n{}", self.screen());
    }

    /// Closes every copy of the pty master, as a terminal window does.
    fn close_terminal(&mut self) {
        self.stop_reading.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(h) = self.reader.take() {
            h.join().unwrap();
        }
        drop(self.writer.take());
        drop(self.master.take());
    }

    fn raw_text(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }
}

/// `stty -g` before and after a command run in the pty.
struct SttySnapshots {
    before: PathBuf,
    after: PathBuf,
}

impl SttySnapshots {
    /// Starts `bash -c` with `command` (where `{blatt}` stands for the binary)
    /// between two snapshots of the terminal's modes.
    fn start(home: &Path, command: &str) -> (Session, SttySnapshots) {
        let snaps = SttySnapshots { before: home.join("stty-before"), after: home.join("stty-after") };
        let command = command.replace("{blatt}", env!("CARGO_BIN_EXE_blatt"));
        let script = format!("stty -g > {}; {command}; stty -g > {}", snaps.before.display(), snaps.after.display());
        (Session::start(home, "bash", &["-c", &script]), snaps)
    }

    fn assert_same(&self) {
        let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let (b, a) = (read(&self.before), read(&self.after));
        assert!(!b.trim().is_empty());
        assert_eq!(b, a, "stty -g differs after blatt");
    }
}

/// Asserts that the terminal is back in its normal state (once the last of
/// blatt's output has been read).
fn assert_restored(s: &Session) {
    let start = Instant::now();
    while start.elapsed() < PATIENCE && s.parser.lock().unwrap().screen().alternate_screen() {
        std::thread::sleep(Duration::from_millis(20));
    }
    let parser = s.parser.lock().unwrap();
    let screen = parser.screen();
    assert!(!screen.alternate_screen(), "still in the alternate screen");
    assert!(!screen.hide_cursor(), "the cursor is still hidden");
    assert_eq!(screen.mouse_protocol_mode(), vt100::MouseProtocolMode::None, "mouse reporting left on");
}

fn state_file(home: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(home.join("state/state.json")).expect("state.json written");
    serde_json::from_str(&text).unwrap()
}

fn bookmark_count(home: &Path) -> usize {
    state_file(home)["articles"].as_object().unwrap().values().filter(|e| e["bookmark"]["value"].is_object()).count()
}

#[test]
fn filter_by_tags_read_search_and_quit() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::blatt(home.path(), &["sample-data"]);
    s.wait_for("Articles · newest first");
    s.wait_for_count("49 / 49");
    // Two tags but not a third, through the prompt.
    s.keys("/");
    s.keys("+Digitalisierung +Verwaltung -Bonn\r");
    s.wait_for("+Digitalisierung +Verwaltung -Bonn");
    let screen = s.screen();
    assert!(screen.contains(" 7 / 49 "), "{screen}");
    assert!(!screen.contains("Bundesstadt zieht Bilanz"), "the Bonn article is excluded");
    // Read one.
    s.keys("\r");
    s.wait_for("J/K article");
    // Search a word and jump between hits.
    s.keys("/");
    s.keys("\x15förde\r");
    s.wait_for_count("2 / 49");
    s.keys("n");
    s.quit();
    assert_restored(&s);
}

#[test]
fn a_folder_added_while_reading_shows_its_files_and_their_tags() {
    let (home, files) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let dir = files.path().join("archiv");
    std::fs::create_dir_all(dir.join("2024")).unwrap();
    let article = |title: &str, tags: &str| format!("{title}\n\n[3.4.2024] Über {title}.\n\nTags: {tags}\n");
    std::fs::write(dir.join("2024/a.txt"), article("Hafenfest", "Kiel")).unwrap();
    let mut s = Session::blatt(home.path(), &[dir.to_str().unwrap()]);
    s.wait_for_count("1 / 1");
    // The watch is set up after the first screen.
    std::thread::sleep(Duration::from_millis(500));
    // A folder made, then filled: its files are found by the folder's event.
    std::fs::create_dir_all(dir.join("2025/küste")).unwrap();
    std::fs::write(dir.join("2025/küste/b.txt"), article("Deichschau", "Husum, Küste")).unwrap();
    std::fs::write(dir.join("2025/c.txt"), article("Wattwanderung", "Husum")).unwrap();
    s.wait_for_count("3 / 3");
    s.wait_for("2 new");
    // The list fits the pane: the new articles above the one selected show.
    let screen = s.screen();
    for shown in ["Deichschau", "Wattwanderung", "Hafenfest", "Husum            2", "Küste            1"] {
        assert!(screen.contains(shown), "{shown}: {screen}");
    }
    s.quit();
}

#[test]
fn files_changed_while_closed_are_read_at_the_next_start() {
    let (home, files) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let dir = files.path().join("archiv");
    std::fs::create_dir_all(&dir).unwrap();
    let article = |title: &str, date: &str| format!("{title}\n\n[{date}] Über {title}.\n\nTags: Kiel\n");
    std::fs::write(dir.join("a.txt"), article("Hafenfest", "3.4.2024")).unwrap();
    std::fs::write(dir.join("b.txt"), article("Werftbesuch", "4.4.2024")).unwrap();
    let mut s = Session::blatt(home.path(), &[dir.to_str().unwrap()]);
    s.wait_for_count("2 / 2");
    s.quit();
    std::fs::write(dir.join("c.txt"), article("Kieler Woche", "5.4.2024")).unwrap();
    std::fs::remove_file(dir.join("a.txt")).unwrap();
    let mut s = Session::blatt(home.path(), &[dir.to_str().unwrap()]);
    s.wait_for("1 new · 1 removed");
    s.wait_for("Kieler Woche");
    assert!(!s.screen().contains("Hafenfest"), "{}", s.screen());
    s.quit();
}

#[test]
fn tag_pane_with_keys_only() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::sample_data(home.path());
    s.keys("t");
    s.keys("f");
    s.keys("verkehr\r");
    s.keys(" ");
    s.wait_for("+Verkehr");
    s.quit();
}

#[test]
fn terminal_modes_are_restored_exactly() {
    let home = tempfile::tempdir().unwrap();
    let (mut s, stty) = SttySnapshots::start(home.path(), "{blatt} sample-data");
    s.wait_for_count("49 / 49");
    s.keys("q");
    s.wait_exit();
    stty.assert_same();
}

#[test]
fn bookmark_survives_a_restart_and_is_exported() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::sample_data(home.path());
    s.keys("j");
    s.keys("b");
    s.wait_for("bookmark added");
    s.quit();
    let mut again = Session::sample_data(home.path());
    again.keys("B");
    again.wait_for("is:bookmarked");
    let screen = again.screen();
    assert!(screen.contains(" 1 / 49 "), "{screen}");
    assert!(screen.contains('★'), "the bookmark marker: {screen}");
    again.keys("q");
    again.wait_exit();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_blatt"))
        .args(["bookmarks", "--json"])
        .env("BLATT_DATA_DIR", home.path().join("state"))
        .env("HOME", home.path())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["title"], "Fährtickets gibt es künftig nur noch per App");
}

fn signal_saves_and_restores(signal: &str, code: u32) {
    let home = tempfile::tempdir().unwrap();
    let command = "{blatt} sample-data & pid=$!; echo \"pid=$pid\"; wait $pid; echo \"exit=$?\"";
    let (mut s, stty) = SttySnapshots::start(home.path(), command);
    s.wait_for_count("49 / 49");
    s.keys("b");
    s.wait_for("bookmark added");
    let pid: String = s.raw_text().split("pid=").nth(1).unwrap().chars().take_while(char::is_ascii_digit).collect();
    assert!(std::process::Command::new("kill").args([&format!("-{signal}"), &pid]).status().unwrap().success());
    s.wait_for(&format!("exit={code}"));
    s.wait_exit();
    assert_restored(&s);
    stty.assert_same();
    assert_eq!(bookmark_count(home.path()), 1, "the pending bookmark was saved on {signal}");
}

#[test]
fn sigterm_saves_and_exits_143() {
    signal_saves_and_restores("TERM", 143);
}

#[test]
fn sighup_saves_and_exits_129() {
    signal_saves_and_restores("HUP", 129);
}

#[test]
fn sigquit_usr1_and_alrm_save_and_restore_the_terminal() {
    signal_saves_and_restores("QUIT", 131);
    signal_saves_and_restores("USR1", 138);
    signal_saves_and_restores("ALRM", 142);
}

#[test]
fn a_stop_sent_from_outside_and_fg_bring_back_raw_mode() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::start(home.path(), "bash", &["--norc", "--noprofile", "-i"]);
    std::thread::sleep(Duration::from_millis(300));
    let blatt = env!("CARGO_BIN_EXE_blatt");
    s.keys(&format!("sh -c 'echo pid=$$; exec {blatt} sample-data'; echo done\r"));
    s.wait_for_count("49 / 49");
    // The last `pid=`: the first is the shell echoing the command.
    let pid: String = s.raw_text().rsplit("pid=").next().unwrap().chars().take_while(char::is_ascii_digit).collect();
    assert!(std::process::Command::new("kill").args(["-TSTP", &pid]).status().unwrap().success());
    let start = Instant::now();
    while start.elapsed() < PATIENCE && !s.raw_text().contains("Stopped") {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(s.raw_text().contains("Stopped"), "blatt did not stop:\n{}", s.screen());
    s.keys("fg\r");
    s.wait_for_count("49 / 49");
    // In raw mode a key acts at once; in cooked mode it would wait for Enter.
    s.keys("B");
    s.wait_for("is:bookmarked");
    s.keys("q");
    s.wait_for("done");
    s.keys("exit\r");
    s.wait_exit();
}

#[test]
fn a_lock_held_by_another_process_neither_blanks_nor_freezes_the_reader() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("state")).unwrap();
    let lock = std::fs::File::create(home.path().join("state/state.lock")).unwrap();
    lock.lock().unwrap();
    let mut s = Session::sample_data(home.path());
    s.keys("b");
    s.wait_for("bookmark added");
    s.wait_for("state locked by another process, retrying");
    // The reader answers while the save waits.
    s.keys("j");
    s.keys("B");
    s.wait_for("is:bookmarked");
    let start = Instant::now();
    s.quit();
    assert!(start.elapsed() < Duration::from_secs(10), "q took {:?}", start.elapsed());
}

#[test]
fn closing_the_terminal_ends_blatt() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::sample_data(home.path());
    s.keys("b");
    s.wait_for("bookmark added");
    s.close_terminal();
    let start = Instant::now();
    s.wait_exit();
    assert!(start.elapsed() < PATIENCE);
    assert_eq!(bookmark_count(home.path()), 1);
}

#[test]
fn suspend_and_resume_repaints() {
    let home = tempfile::tempdir().unwrap();
    let script = format!("{} sample-data; echo done", env!("CARGO_BIN_EXE_blatt"));
    // An interactive shell gives job control, so Ctrl-Z stops blatt and `fg` resumes it.
    let mut s = Session::start(home.path(), "bash", &["--norc", "--noprofile", "-i"]);
    std::thread::sleep(Duration::from_millis(300));
    s.keys(&format!("{script}\r"));
    s.wait_for_count("49 / 49");
    s.keys("\x1a");
    let start = Instant::now();
    while start.elapsed() < PATIENCE && !s.raw_text().contains("Stopped") {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(s.raw_text().contains("Stopped"), "blatt did not stop:\n{}", s.screen());
    s.keys("fg\r");
    s.wait_for_count("49 / 49");
    s.keys("q");
    s.wait_for("done");
    s.keys("exit\r");
    s.wait_exit();
}

#[test]
#[cfg_attr(not(debug_assertions), ignore = "the forced panic exists in debug builds only")]
fn a_panic_restores_the_terminal_once_and_keeps_the_saved_state() {
    let home = tempfile::tempdir().unwrap();
    let command = "BLATT_TEST_PANIC=1 {blatt} sample-data 2>/dev/null; echo \"exit=$?\"";
    let (mut s, stty) = SttySnapshots::start(home.path(), command);
    s.wait_for_count("49 / 49");
    s.keys("b");
    s.wait_for("bookmark added");
    // Wait for the save (at most a second after the change).
    let start = Instant::now();
    while start.elapsed() < PATIENCE && !home.path().join("state/state.json").exists() {
        std::thread::sleep(Duration::from_millis(20));
    }
    s.keys("\x1b[24~"); // F12
    s.wait_for("exit=101");
    s.wait_exit();
    assert_restored(&s);
    let raw = s.raw_text();
    assert_eq!(raw.matches("\x1b[?1049l").count(), 1, "the alternate screen is left exactly once");
    stty.assert_same();
    assert_eq!(bookmark_count(home.path()), 1, "the saved state is intact");
}

#[test]
fn a_full_disk_keeps_the_old_state_and_blatt_runs_on() {
    let home = tempfile::tempdir().unwrap();
    let state_dir = home.path().join("state");
    // A state file of a few kilobytes, written before the disk "fills up".
    let (mut file, state, _) = blatt::store::StoreFile::open(&state_dir);
    let mut marks = blatt::store::Marks::new(state);
    for i in 0..60 {
        let a = blatt::Article {
            id: blatt::ArticleId::from(format!("old-{i}")),
            title: format!("Alt {i}"),
            ..Default::default()
        };
        marks.toggle_bookmark(&a);
    }
    file.save(marks.pending()).unwrap();
    let before = std::fs::read(state_dir.join("state.json")).unwrap();
    assert!(before.len() > 4096);
    // Files may grow to one block at most; writing more fails with EFBIG.
    // No `trap '' XFSZ`: blatt itself must not die of the signal.
    let script = format!("ulimit -f 1; exec {} sample-data", env!("CARGO_BIN_EXE_blatt"));
    let mut s = Session::start(home.path(), "sh", &["-c", &script]);
    s.wait_for_count("49 / 49");
    s.keys("b");
    s.wait_for("not saved");
    s.keys("j");
    s.keys("B");
    s.wait_for("is:bookmarked");
    let screen = s.screen();
    assert!(screen.contains(" 61 / 49 ") && screen.contains("60 bookmarked not in the collection"), "{screen}");
    assert!(screen.contains("Alt 0 (missing)"), "{screen}");
    s.quit();
    assert_eq!(std::fs::read(state_dir.join("state.json")).unwrap(), before, "the old file is intact");
    let names: Vec<String> =
        std::fs::read_dir(&state_dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| n == "state.json" || n == "state.lock"), "{names:?}");
}

#[test]
fn a_long_burst_of_input_is_read_to_its_end_before_the_next_key() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::sample_data(home.path());
    // More than crossterm reads at once (1,024 bytes), then a key that must act.
    s.keys(&format!("{}?", "j".repeat(3000)));
    s.wait_for("keys · Esc closes");
    s.keys("\x1b");
    s.quit();
}

#[test]
fn y_copies_the_link_through_the_terminal() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::sample_data(home.path());
    assert!(!s.raw_text().contains("\x1b]52;"), "no clipboard writes unasked");
    s.keys("y");
    s.wait_for("copied https://www.stadtbote.example/stuttgart/amt");
    // OSC 52 with the link in base64 (python3 -c "import base64; …").
    assert!(
        s.raw_text().contains("\x1b]52;c;aHR0cHM6Ly93d3cuc3RhZHRib3RlLmV4YW1wbGUvc3R1dHRnYXJ0L2FtdA=="),
        "no OSC 52"
    );
    s.quit();
}

#[test]
fn a_text_browser_and_a_pipe_get_the_terminal_and_the_reader_comes_back() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("browser-saw");
    let script = home.path().join("textbrowser");
    std::fs::write(&script, format!("#!/bin/sh\ntty > {out}\necho \"$1\" >> {out}\n", out = out.display())).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let config = home.path().join("config/blatt");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), format!("browser = \"{} %u\"\nterminal = true\n", script.display()))
        .unwrap();
    let mut s = Session::sample_data(home.path());
    s.keys("o"); // one link: opened at once
    let start = Instant::now();
    while start.elapsed() < PATIENCE && std::fs::read_to_string(&out).map_or(true, |t| t.lines().count() < 2) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let saw = std::fs::read_to_string(&out).unwrap();
    assert!(saw.starts_with("/dev/"), "the browser had the terminal: {saw}");
    assert!(saw.contains("https://www.stadtbote.example/stuttgart/amt"), "{saw}");
    s.wait_for_count("49 / 49");

    let piped = home.path().join("piped.txt");
    s.keys("|");
    s.wait_for("pipe to:");
    s.keys(&format!("cat > {}\r", piped.display()));
    s.wait_for("Enter returns to blatt");
    s.keys("\r");
    s.wait_for_count("49 / 49");
    let text = std::fs::read_to_string(&piped).unwrap();
    assert!(text.starts_with("Neue Amtsleitung für Digitalisierung\n"), "{text}");
    s.keys("B");
    s.wait_for("is:bookmarked"); // keys reach the reader again
    s.quit();
}

#[test]
fn the_prompt_history_outlives_the_session() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::sample_data(home.path());
    s.keys("/");
    s.keys("+Kiel\r");
    s.wait_for_count("2 / 49");
    s.quit();
    let mut again = Session::sample_data(home.path());
    again.keys("/");
    again.keys("\x1b[A"); // up: the earlier query
    again.wait_for("/+Kiel");
    again.keys("\x1b");
    again.quit();
}

#[test]
fn a_huge_paste_into_the_prompt_costs_a_few_frames_not_minutes() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::sample_data(home.path());
    s.keys("/");
    let start = Instant::now();
    s.send_all(&"kiel ".repeat(20_000)); // 100 KB in one burst
    s.wait_for("/ kiel kiel kiel");
    s.wait_for_count("2 / 49"); // applied once, with the count in view
    s.keys("\x1b");
    s.wait_for_count("49 / 49");
    s.quit();
    assert!(start.elapsed() < Duration::from_secs(15), "{:?}", start.elapsed());
}

/// The second start comes from the index; the files are checked behind
/// it, and a file added in between is said and shown, with the selection
/// and the text of the article read kept.
#[test]
fn a_start_from_the_index_shows_what_changed_since() {
    let home = tempfile::tempdir().unwrap();
    let news = home.path().join("news");
    std::fs::create_dir(&news).unwrap();
    for (name, title) in [("a.txt", "Hafen wird ausgebaut"), ("b.txt", "Brücke wird saniert")] {
        std::fs::write(news.join(name), format!("{title}\n\n[2.5.2024] Der Text über {title}.\n\nTags: Kiel\n"))
            .unwrap();
    }
    let dir = news.to_str().unwrap();
    let mut first = Session::blatt(home.path(), &[dir]);
    first.wait_for_count("2 / 2");
    first.keys("\r");
    first.wait_for("Der Text über Brücke wird saniert.");
    first.quit();
    assert!(home.path().join("cache/blatt").read_dir().unwrap().count() > 0, "the index is in the cache directory");
    std::fs::write(news.join("c.txt"), "Neue Fähre\n\n[1.5.2024] Eine neue Fähre fährt.\n\nTags: Kiel, Fähre\n")
        .unwrap();
    let mut second = Session::blatt(home.path(), &[dir]);
    second.wait_for("1 new");
    second.wait_for_count("3 / 3");
    second.keys("\r");
    second.wait_for("Der Text über Brücke wird saniert.");
    second.keys("JJ");
    second.wait_for("Eine neue Fähre fährt.");
    second.quit();
}

/// Files added and removed while the reader runs show up by themselves,
/// the selection staying on its article.
#[test]
fn files_added_and_removed_while_reading_show_up() {
    let home = tempfile::tempdir().unwrap();
    let news = home.path().join("news");
    std::fs::create_dir(&news).unwrap();
    // Written beside and renamed into place, as a download or a sync does,
    // so that the reader never meets a half-written file (which it would
    // report, and then count again as changed).
    let write = |name: &str, title: &str, date: &str| {
        let part = news.join(format!(".{name}.part"));
        std::fs::write(&part, format!("{title}\n\n[{date}] Über {title}.\n\nTags: Kiel\n")).unwrap();
        std::fs::rename(part, news.join(name)).unwrap();
    };
    write("a.txt", "Alte Meldung", "1.1.2020");
    write("b.txt", "Mittlere Meldung", "1.1.2021");
    let mut s = Session::blatt(home.path(), &[news.to_str().unwrap()]);
    s.wait_for_count("2 / 2");
    s.keys("j");
    s.wait_for("Über Alte Meldung.");
    write("c.txt", "Neueste Meldung", "1.1.2024");
    s.wait_for("1 new");
    s.wait_for_count("3 / 3");
    assert!(s.screen().contains("Über Alte Meldung."), "still on the article read: {}", s.screen());
    std::fs::remove_file(news.join("b.txt")).unwrap();
    s.wait_for("1 removed");
    s.wait_for_count("2 / 2");
    assert!(s.screen().contains("Über Alte Meldung."), "{}", s.screen());
    s.quit();
}
