//! Writes the hostile test corpus kept in the repository:
//! `cargo run --example make-hostile -- tests/fixtures/hostile`.

#[path = "../tests/support/hostile.rs"]
#[allow(dead_code)] // the test-time half is used by the tests only
mod hostile;

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "tests/fixtures/hostile".into());
    std::fs::create_dir_all(&dir)?;
    hostile::write_static(std::path::Path::new(&dir))?;
    println!("wrote {} files to {dir}", hostile::static_files().len());
    Ok(())
}
