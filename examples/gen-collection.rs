//! Writes a synthetic collection for benchmarks:
//! `cargo run --release --example gen-collection -- DIR N [SEED]`.
//!
//! N articles in the text layout, 2–5 KB each, spread over year folders,
//! dated over 25 years, tagged from a vocabulary of 3,000 tags whose use
//! follows a Zipf-like curve (a few tags on many articles, most on few);
//! the text has typographic quotes („…“) and dashes (–). The same N and
//! SEED always give the same files.

use std::path::PathBuf;

const SYLLABLES: &[&str] = &[
    "ver", "wal", "tung", "stadt", "rat", "haus", "di", "gi", "tal", "netz", "bahn", "hof", "amt", "land", "kreis",
    "schul", "bau", "plan", "wer", "ke", "ener", "gie", "kli", "ma", "ver", "kehr", "bür", "ger", "ser", "vice", "da",
    "ten", "schutz", "ge", "mein", "de", "för", "de", "rung", "wirt", "schaft", "kul", "tur", "brü", "cke", "stra",
    "ße", "park", "platz",
];
const SMALL: &[&str] = &[
    "der", "die", "das", "und", "mit", "für", "auf", "im", "zum", "nach", "von", "ist", "wird", "soll", "hat", "nicht",
];
const KICKERS: &[&str] = &[
    "Berlin", "Köln", "München", "Kiel", "Leipzig", "Bonn", "Ulm", "Jena", "Essen", "Mainz", "Trier", "Lübeck",
    "Görlitz",
];

fn word(rng: &mut fastrand::Rng) -> String {
    let n = rng.usize(1..4);
    (0..n).map(|_| SYLLABLES[rng.usize(..SYLLABLES.len())]).collect()
}

fn sentence(rng: &mut fastrand::Rng) -> String {
    let n = rng.usize(6..16);
    let mut words: Vec<String> =
        (0..n).map(|i| if i % 3 == 1 { SMALL[rng.usize(..SMALL.len())].to_string() } else { word(rng) }).collect();
    if let Some(first) = words.first_mut() {
        let mut c = first.chars();
        if let Some(f) = c.next() {
            *first = f.to_uppercase().chain(c).collect();
        }
    }
    // Typographic quotes and dashes, as real German text has them (so that
    // the figures include their cost): a quoted word in one sentence of
    // four, a dash in one of six.
    if rng.usize(..4) == 0 {
        let at = rng.usize(1..words.len());
        words[at] = format!("„{}“", words[at]);
    }
    if rng.usize(..6) == 0 {
        let at = rng.usize(1..words.len());
        words.insert(at, "–".to_string());
    }
    words.join(" ") + "."
}

fn paragraph(rng: &mut fastrand::Rng, bytes: usize) -> String {
    let mut p = String::new();
    while p.len() < bytes {
        if !p.is_empty() {
            p.push(' ');
        }
        p.push_str(&sentence(rng));
    }
    p
}

/// A tag index drawn with probability about 1/rank (Zipf, s = 1).
fn zipf(rng: &mut fastrand::Rng, n: usize) -> usize {
    let h = (n as f64).ln() + 0.5772;
    let target = rng.f64() * h;
    ((target.exp() - 0.5).floor() as usize).clamp(1, n) - 1
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: gen-collection DIR N [SEED]");
        std::process::exit(2);
    }
    let dir = PathBuf::from(&args[1]);
    let n: usize = args[2].parse().expect("N must be a number");
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(2022);
    let mut rng = fastrand::Rng::with_seed(seed);
    let tags: Vec<String> = (0..3000).map(|i| format!("{}{}", capitalise(&word(&mut rng)), i)).collect();
    for i in 0..n {
        let year = 2000 + rng.usize(0..25);
        let folder = dir.join(year.to_string());
        std::fs::create_dir_all(&folder)?;
        let size = rng.usize(2000..=5000);
        let kicker = KICKERS[rng.usize(..KICKERS.len())];
        let title = capitalise(sentence(&mut rng).trim_end_matches('.'));
        let (d, m) = (rng.u32(1..29), rng.u32(1..13));
        let mut chosen: Vec<&str> = (0..rng.usize(2..7)).map(|_| tags[zipf(&mut rng, tags.len())].as_str()).collect();
        chosen.dedup();
        let trailer = format!("Stichwörter: {}\n\nQuelle: www.bench.example\n", chosen.join(", "));
        let mut text = format!("{kicker}\n\n{title}\n\n[{d}.{m}.{year}] {}\n\n", paragraph(&mut rng, 300));
        // Paragraphs until the file would reach its size; the last one is
        // cut at a word so that the whole file stays within 2–5 KB.
        while text.len() + trailer.len() < size {
            let room = size - text.len() - trailer.len();
            let len = rng.usize(300..900);
            let mut p = paragraph(&mut rng, len);
            if p.len() + 2 > room {
                let limit = room.saturating_sub(3);
                let cut = p.char_indices().rev().find(|&(i, c)| c == ' ' && i < limit).map_or(0, |(i, _)| i);
                p.truncate(cut);
                if p.is_empty() {
                    break;
                }
                p.push('.');
            }
            text.push_str(&p);
            text.push_str("\n\n");
        }
        text.push_str(&trailer);
        std::fs::write(folder.join(format!("a{i:07}.txt")), text)?;
    }
    Ok(())
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
