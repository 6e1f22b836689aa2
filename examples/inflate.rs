//! Decompression alone: reads FILE as logleaks opens it (magic bytes, the same decoders and read
//! buffer) into a 1 MiB buffer that is thrown away, and prints the time taken. The floor under a
//! scan of a compressed log, to set beside `pigz -dc FILE > /dev/null`.
//!
//!     cargo run --release --example inflate -- FILE.gz

use std::io::Read;
use std::time::Instant;

fn main() -> std::io::Result<()> {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: inflate FILE");
        std::process::exit(2);
    };
    let start = Instant::now();
    let input = logleaks::input::InputFile {
        display: logleaks::input::DisplayPath::new(&path),
        source: logleaks::input::Source::File(path.into()),
        explicit: true,
        size: None,
    };
    let mut opened = logleaks::input::open(&input)?;
    let mut buf = vec![0u8; logleaks::input::DEFAULT_BLOCK_SIZE];
    let mut total = 0u64;
    loop {
        match opened.reader.read(&mut buf)? {
            0 => break,
            n => total += n as u64,
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} ({}): {total} bytes in {secs:.3} s, {:.0} MB/s",
        input.display,
        opened.compression.name(),
        total as f64 / 1e6 / secs
    );
    Ok(())
}
