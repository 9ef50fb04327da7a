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

/// Prints `value` as pretty JSON on standard output.
pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)?;
    println!("{text}");
    Ok(())
}
