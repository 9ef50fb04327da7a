//! `chip read --trace FILE`: every command and response of the read as
//! JSON lines, for a support engineer looking at a card that misbehaves:
//!
//! ```text
//! {"apdu":1,"event":"command","plain":null,"read":1,"wire":"00B09C0000"}
//! {"apdu":1,"event":"response","plain":null,"read":1,"wire":"6A82"}
//! ```
//!
//! `read` counts the reads (with `--qr`, one per key tried), `apdu` the
//! commands of a read; `wire` is the bytes on the link in upper-case hex,
//! `plain` under secure messaging the unprotected command or response.
//! No key, MRZ key, CAN or PACE secret is in any APDU, so none is in the
//! trace; the holder's data groups are (the file is personal data: it is
//! created readable by its owner only).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use icao9303::reader::{ReadEvent, TracedApdu};

use crate::Failure;

/// The trace file being written.
pub(crate) struct Trace {
    out: BufWriter<File>,
    path: PathBuf,
    read: u32,
    apdu: u64,
    /// The first write that failed, reported at the end of the read.
    error: Option<std::io::Error>,
}

fn create(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

impl Trace {
    /// Creates (or empties) `path`.
    pub(crate) fn create(path: &Path) -> Result<Trace, Failure> {
        let file = create(path)
            .map_err(|e| Failure(format!("--trace: cannot create {}: {e}", path.display())))?;
        Ok(Trace {
            out: BufWriter::new(file),
            path: path.to_owned(),
            read: 0,
            apdu: 0,
            error: None,
        })
    }

    /// A new read begins (with `--qr`, the next key).
    pub(crate) fn begin_read(&mut self) {
        self.read = self.read.saturating_add(1);
        self.apdu = 0;
    }

    /// Writes a command or a response; other events are not traced.
    pub(crate) fn record(&mut self, event: &ReadEvent) {
        let (kind, apdu) = match event {
            ReadEvent::Command(a) => {
                self.apdu = self.apdu.saturating_add(1);
                ("command", a)
            }
            ReadEvent::Response(a) => ("response", a),
            _ => return,
        };
        if self.error.is_none()
            && let Err(e) = self.write_line(kind, apdu)
        {
            self.error = Some(e);
        }
    }

    fn write_line(&mut self, kind: &str, apdu: &TracedApdu) -> std::io::Result<()> {
        let line = serde_json::json!({
            "read": self.read,
            "apdu": self.apdu,
            "event": kind,
            "wire": hex::encode_upper(&apdu.wire),
            "plain": apdu.plain.as_ref().map(hex::encode_upper),
        });
        serde_json::to_writer(&mut self.out, &line)?;
        self.out.write_all(b"\n")
    }

    /// The read ended: everything written out, or why not.
    pub(crate) fn end_read(&mut self) -> Result<(), Failure> {
        let flushed = match self.error.take() {
            Some(e) => Err(e),
            None => self.out.flush(),
        };
        flushed.map_err(|e| {
            Failure(format!(
                "--trace: cannot write {}: {e}",
                self.path.display()
            ))
        })
    }
}
