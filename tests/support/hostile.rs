//! The hostile corpus: files that are broken, mis-encoded, huge or built to
//! attack a reader. `write_static` writes the ones kept in the repository
//! (`cargo run --example make-hostile -- tests/fixtures/hostile`);
//! `write_special` adds, at test time, what git cannot hold or should not:
//! a FIFO, a symlink loop, a file name with an escape sequence, and the
//! multi-megabyte files.

use std::path::Path;

/// (file name, contents) of the files kept in the repository.
pub fn static_files() -> Vec<(&'static str, Vec<u8>)> {
    let mut deep = "[".repeat(100_000).into_bytes();
    deep.extend("]".repeat(100_000).bytes());
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "Weimar\r\n\r\nKulturticket kommt\r\n\r\n[7.7.2022] Ein Ticket für alle.\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    vec![
        ("invalid-utf8.txt", b"Titel kaputt\n\n[1.1.2020] Ein Text mit \xff\xfe\xc3 kaputten Bytes.\n".to_vec()),
        ("cp1252-quotes.txt", b"Suhl\n\n\x84Gr\xfcne Welle\x93 f\xfcr Busse\n\n[3.3.2021] Vorrang \x96 sagt die Stadt.\n".to_vec()),
        ("utf16-bom.txt", utf16),
        ("nul-bytes.txt", b"Titel\0\0\0\n\n[1.1.2020] binary\0data\n".to_vec()),
        ("lone-cr.txt", b"Gera\r\rLone CR Titel\r\r[2.2.2022] Zeilen nur mit CR.\r".to_vec()),
        ("empty.txt", Vec::new()),
        ("deep.json", deep),
        ("duplicate-keys.json", br#"{"id": "dup-key", "title": "Erster", "title": "Zweiter", "tags": ["a"], "tags": ["b"]}"#.to_vec()),
        (
            "duplicate-ids.jsonl",
            b"{\"id\": \"same\", \"title\": \"Eins\"}\n{\"id\": \"same\", \"title\": \"Zwei\"}\n".to_vec(),
        ),
        ("one-bad-element.json", br#"[{"title": "Gut A"}, {"title": 42}, {"title": "Gut C"}]"#.to_vec()),
        (
            "entity-bomb.xml",
            br#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><rss version="2.0"><channel><title>&lol3;</title><item><title>&lol3;</title></item></channel></rss>"#
                .to_vec(),
        ),
        (
            "javascript-link.rss",
            br#"<?xml version="1.0"?><rss version="2.0"><channel><title>Evil</title><item><title>Klick mich</title><link>javascript:alert(1)</link><description>&lt;a href="javascript:alert(2)"&gt;hier&lt;/a&gt; und &lt;a href="https://example.org/ok"&gt;da&lt;/a&gt;</description></item></channel></rss>"#
                .to_vec(),
        ),
        ("good.txt", "Kiel\n\nEine gute Datei\n\n[1.3.2025] Sie lädt wie immer.\n\nStichwörter: Test\n".as_bytes().to_vec()),
    ]
}

/// Writes the static corpus into `dir`.
pub fn write_static(dir: &Path) -> std::io::Result<()> {
    for (name, bytes) in static_files() {
        std::fs::write(dir.join(name), bytes)?;
    }
    Ok(())
}

/// The files made at test time. `limit` is the size limit the test loads
/// with: `over-limit.txt` is just above it.
pub fn write_special(dir: &Path, limit: u64) -> std::io::Result<()> {
    let words = "Wort ".repeat(1_000_000); // 5 MB
    std::fs::write(dir.join("huge-one-line.txt"), &words)?;
    std::fs::write(dir.join("huge-article.txt"), format!("Riesig\n\n[4.4.2024] {words}\n"))?;
    std::fs::write(dir.join("over-limit.txt"), vec![b'x'; limit as usize + 1])?;
    std::fs::write(dir.join("esc\x1b[31mname\x1b]0;pwn\x07.json"), b"{ broken")?;
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir, dir.join("loop"))?;
        let fifo = dir.join("fifo.txt");
        let status = std::process::Command::new("mkfifo").arg(&fifo).status()?;
        assert!(status.success(), "mkfifo failed");
    }
    Ok(())
}
