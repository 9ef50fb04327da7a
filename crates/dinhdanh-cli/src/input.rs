//! Reading a command's input: an argument, or standard input for `-` or none.

use std::io::Read;

use crate::Failure;

/// The bytes of `arg`, or of standard input when `arg` is `None` or `-`.
pub(crate) fn bytes_or_stdin(arg: Option<&str>) -> Result<Vec<u8>, Failure> {
    match arg {
        Some(a) if a != "-" => Ok(a.as_bytes().to_vec()),
        _ => {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf)?;
            Ok(buf)
        }
    }
}

/// Prints `value` as pretty JSON on standard output. A reader that went
/// away (`| head`) is not an error: `println!` would panic there.
pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)?;
    print_line(&text)
}

/// Writes one line on standard output, quietly stopping on a broken pipe.
pub(crate) fn print_line(text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
