//! Progress while reading a chip, on standard error: a bar per file on a
//! terminal, one plain line per file otherwise (logs, pipes, CI).

use std::io::{IsTerminal, Write};

use icao9303::lds::FileKind;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How progress is shown.
pub(crate) enum Progress {
    /// An indicatif bar per file.
    Bars {
        current: Option<(FileKind, ProgressBar)>,
        style: ProgressStyle,
    },
    /// `reading DG2: 15234 bytes` when a file is done.
    Plain {
        current: Option<(FileKind, usize, usize)>,
    },
    /// Nothing.
    Quiet,
}

impl Progress {
    /// Bars when standard error is a terminal, plain lines when not,
    /// nothing when `quiet`.
    pub(crate) fn new(quiet: bool) -> Progress {
        if quiet {
            return Progress::Quiet;
        }
        if std::io::stderr().is_terminal() {
            let style =
                ProgressStyle::with_template("{prefix:>8} [{bar:24}] {bytes:>9}/{total_bytes:<9}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> ");
            Progress::Bars {
                current: None,
                style,
            }
        } else {
            Progress::Plain { current: None }
        }
    }

    /// `done` of `total` bytes of `file` read.
    pub(crate) fn update(&mut self, file: FileKind, done: usize, total: usize) {
        match self {
            Progress::Bars { current, style } => {
                if current.as_ref().map(|(k, _)| *k) != Some(file) {
                    if let Some((_, bar)) = current.take() {
                        finish_bar(&bar);
                    }
                    let bar = ProgressBar::with_draw_target(
                        Some(total as u64),
                        ProgressDrawTarget::stderr(),
                    )
                    .with_style(style.clone())
                    .with_prefix(file.name());
                    *current = Some((file, bar));
                }
                if let Some((_, bar)) = current {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                }
            }
            Progress::Plain { current } => {
                if let Some((k, n, t)) = current.take()
                    && k != file
                {
                    plain_line(k, n, t);
                }
                *current = Some((file, done, total));
                if done >= total {
                    plain_line(file, done, total);
                    *current = None;
                }
            }
            Progress::Quiet => {}
        }
    }

    /// The last file is done (or the read stopped): close its bar or line.
    pub(crate) fn finish(&mut self) {
        match self {
            Progress::Bars { current, .. } => {
                if let Some((_, bar)) = current.take() {
                    finish_bar(&bar);
                }
            }
            Progress::Plain { current } => {
                if let Some((k, n, t)) = current.take() {
                    plain_line(k, n, t);
                }
            }
            Progress::Quiet => {}
        }
    }

    /// A status line that does not break the bars.
    #[cfg_attr(not(feature = "pcsc"), allow(dead_code))]
    pub(crate) fn say(&self, text: &str) {
        match self {
            Progress::Bars {
                current: Some((_, bar)),
                ..
            } => bar.suspend(|| eprint_line(text)),
            Progress::Quiet => {}
            _ => eprint_line(text),
        }
    }
}

/// Finishes a bar and moves below it: indicatif leaves the cursor at the
/// end of the bar's line, where the next bar would start.
fn finish_bar(bar: &ProgressBar) {
    // An incomplete bar stays where it stopped.
    if bar.length().is_some_and(|l| bar.position() < l) {
        bar.abandon();
    } else {
        bar.finish();
    }
    eprint_line("");
}

/// `read DG2: 15968 bytes`, or for a file not read to its end
/// `DG2: stopped at 4158 of 15968 bytes`.
fn plain_line(file: FileKind, bytes: usize, total: usize) {
    if bytes >= total {
        eprint_line(&format!("read {}: {bytes} bytes", file.name()));
    } else {
        eprint_line(&format!(
            "{}: stopped at {bytes} of {total} bytes",
            file.name()
        ));
    }
}

/// One line on standard error; a closed stderr is not an error.
fn eprint_line(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{text}");
}
