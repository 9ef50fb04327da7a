//! Reading one file under secure messaging, with as few APDUs as the chip
//! allows: READ BINARY by short file identifier first (no SELECT), the
//! length learnt from the first bytes, the rest in the largest chunks the
//! link and the chip take (a `6700` or `6Cxx` steps the chunk down, a
//! shorter answer adopts its length), odd INS past offset 32767. A file
//! read in part by an earlier session goes on from its offset.

use rand_core::TryCryptoRng;

use super::channel::Outgoing;
use super::chunk::{ber_header, max_chunk, tlv_total_len};
use super::partial::Slot;
use super::session::{Answer, Ctx, Next, Phase, send};
use super::{ReaderErrorKind, auth, open};
use crate::Error;
use crate::apdu::{CommandApdu, StatusWord};
use crate::lds::FileKind;
use crate::transport::LinkInfo;

/// The next file to read, or Chip and Active Authentication once all are.
pub(super) fn next<R: TryCryptoRng + ?Sized>(ctx: &mut Ctx, rng: &mut R) -> Next {
    match ctx.next_file() {
        Some(kind) => read(ctx, kind, rng),
        None => auth::start(ctx, rng),
    }
}

/// Starts (or goes on with) reading `kind`.
pub(super) fn read<R: TryCryptoRng + ?Sized>(ctx: &mut Ctx, kind: FileKind, rng: &mut R) -> Next {
    ctx.slot = ctx.got.begin(kind);
    request(ctx, kind, rng)
}

/// The next command for `kind`: SELECT when it is not selected and no
/// short file identifier reaches the offset, else READ BINARY of the
/// bytes still missing, at most a chunk.
fn request<R: TryCryptoRng + ?Sized>(ctx: &mut Ctx, kind: FileKind, rng: &mut R) -> Next {
    let (offset, length) = match ctx.got.file(kind) {
        Some(f) => (f.offset(), f.length),
        None => (0, None),
    };
    let want = match length {
        Some(t) => t.saturating_sub(offset).min(ctx.chunk),
        None => ctx.chunk,
    };
    if want == 0 {
        return complete(ctx, kind, rng);
    }
    if ctx.current != Some(kind) && !ctx.sfi_reaches(offset) {
        if offset > 0 {
            // Resuming past what a short file identifier reaches: the
            // SELECT counts with the re-opening, not with the file, whose
            // counts stay those of an uninterrupted read.
            ctx.slot = Slot::Open;
        }
        return send(
            Phase::FileSelected(ExpectFileSelected { kind }),
            Outgoing::Protected(CommandApdu::select_file(kind.fid())),
        );
    }
    // Past 32767, odd INS: the answer wraps the bytes in a DO'53.
    let want = if offset > 0x7FFF {
        want.min(ctx.chunk.saturating_sub(4)).max(1)
    } else {
        want
    };
    let cmd = read_command(ctx, kind, offset, want)?;
    let next = ExpectFileData {
        kind,
        offset,
        want,
        odd: cmd.ins == 0xB1,
        by_sfi: cmd.p1 & 0x80 != 0 && cmd.ins == 0xB0,
    };
    send(Phase::FileData(next), Outgoing::Protected(cmd))
}

fn read_command(ctx: &Ctx, kind: FileKind, offset: usize, ne: usize) -> Result<CommandApdu, Error> {
    let ne32 = u32::try_from(ne).unwrap_or(u32::MAX);
    if ctx.current != Some(kind) && ctx.sfi_reaches(offset) {
        let p2 = u8::try_from(offset).unwrap_or(0);
        return CommandApdu::read_binary_sfi(kind.sfi(), p2, ne32);
    }
    match u16::try_from(offset) {
        Ok(o) if o <= 0x7FFF => CommandApdu::read_binary(o, ne32),
        _ => {
            let o = u32::try_from(offset).unwrap_or(u32::MAX);
            // DO'53 around the data: allow for its header.
            CommandApdu::read_binary_odd(o, ne32.saturating_add(ber_header(ne)))
        }
    }
}

/// `kind` was read whole.
fn complete<R: TryCryptoRng + ?Sized>(ctx: &mut Ctx, kind: FileKind, rng: &mut R) -> Next {
    ctx.got.set_complete(kind);
    if kind == FileKind::CardSecurity {
        auth::check_cam(ctx)?;
        return open::select_application(ctx);
    }
    next(ctx, rng)
}

/// The chip has no `kind` (`6A82`) or refuses it (`6982`): on to the next
/// (PACE-CAM cannot do without EF.CardSecurity).
fn absent<R: TryCryptoRng + ?Sized>(ctx: &mut Ctx, kind: FileKind, rng: &mut R) -> Next {
    ctx.got.set_absent(kind);
    if kind == FileKind::CardSecurity {
        return Err(ReaderErrorKind::ChipAuthenticationMapping {
            failure: super::CamFailure::NoCardSecurity,
        }
        .into());
    }
    next(ctx, rng)
}

/// Waits for the answer to SELECT of a file.
pub(super) struct ExpectFileSelected {
    kind: FileKind,
}

impl ExpectFileSelected {
    pub(super) fn on_answer<R: TryCryptoRng + ?Sized>(
        self,
        ctx: &mut Ctx,
        answer: Answer<'_>,
        rng: &mut R,
    ) -> Next {
        let rsp = ctx.chan.protected(answer?)?;
        match rsp.sw {
            StatusWord::SUCCESS => {
                ctx.current = Some(self.kind);
                ctx.slot = ctx.got.begin(self.kind);
                request(ctx, self.kind, rng)
            }
            StatusWord::FILE_NOT_FOUND | StatusWord::SECURITY_STATUS_NOT_SATISFIED => {
                absent(ctx, self.kind, rng)
            }
            sw => Err(Error::StatusWord {
                command: "SELECT",
                sw,
            }),
        }
    }
}

/// Waits for the answer to READ BINARY of `want` bytes at `offset`.
pub(super) struct ExpectFileData {
    kind: FileKind,
    offset: usize,
    want: usize,
    /// Odd INS: the data comes in a DO'53.
    odd: bool,
    /// By short file identifier: the file is selected once it answers.
    by_sfi: bool,
}

/// What a READ BINARY status word says to do.
enum Verdict {
    /// Data came: take it.
    Data,
    /// Ask again (a smaller chunk, or SELECT instead of a short file
    /// identifier).
    Again,
    /// The chip has no such file, or refuses it.
    Absent,
}

impl ExpectFileData {
    pub(super) fn on_answer<R: TryCryptoRng + ?Sized>(
        self,
        ctx: &mut Ctx,
        answer: Answer<'_>,
        rng: &mut R,
    ) -> Next {
        let sw = self.unwrap(ctx, answer?)?;
        match self.judge(ctx, sw)? {
            Verdict::Again => return request(ctx, self.kind, rng),
            Verdict::Absent => return absent(ctx, self.kind, rng),
            Verdict::Data => {}
        }
        if self.by_sfi {
            ctx.current = Some(self.kind);
        }
        let (done, total, got) = self.take_length(ctx)?;
        ctx.progress(self.kind, done, total);
        if done >= total {
            return complete(ctx, self.kind, rng);
        }
        if got < self.want {
            if sw == StatusWord::END_OF_FILE || got == 0 {
                return Err(ReaderErrorKind::Truncated {
                    file: self.kind.name(),
                    expected: total,
                    got: done,
                }
                .into());
            }
            // The chip sends less than asked: that is its chunk.
            if ctx.options.fixed_chunk.is_none() {
                ctx.chunk = got;
            }
        }
        request(ctx, self.kind, rng)
    }

    /// Checks the answer and appends its plain data to the file (even INS:
    /// decrypted straight into the file's buffer); whatever came with a
    /// refusal is not file content.
    fn unwrap(&self, ctx: &mut Ctx, wire: &[u8]) -> Result<StatusWord, Error> {
        let Ctx { chan, got, .. } = ctx;
        let Some(file) = got.file_mut(self.kind) else {
            return Err(ReaderErrorKind::SessionState {
                expected: "a file being read",
            }
            .into());
        };
        let sw = if self.odd {
            let rsp = chan.protected(wire)?;
            if rsp.sw.is_read_data() {
                file.data
                    .extend_from_slice(crate::apdu::read_binary_odd_data(&rsp.data)?);
            }
            rsp.sw
        } else {
            chan.protected_into(wire, &mut file.data)?
        };
        if !sw.is_read_data() {
            file.data.truncate(self.offset);
        }
        Ok(sw)
    }

    fn judge(&self, ctx: &mut Ctx, sw: StatusWord) -> Result<Verdict, Error> {
        match sw {
            StatusWord::SUCCESS | StatusWord::END_OF_FILE => Ok(Verdict::Data),
            StatusWord::FILE_NOT_FOUND | StatusWord::SECURITY_STATUS_NOT_SATISFIED
                if self.offset == 0 =>
            {
                Ok(Verdict::Absent)
            }
            StatusWord::WRONG_LENGTH => step_down(ctx, sw).map(|()| Verdict::Again),
            _ if sw.exact_length().is_some() => {
                let n = sw.exact_length().unwrap_or(0) as usize;
                if n == 0 || n >= ctx.chunk {
                    step_down(ctx, sw)?;
                } else {
                    ctx.chunk = n;
                }
                Ok(Verdict::Again)
            }
            StatusWord::INCORRECT_P1_P2
            | StatusWord::WRONG_P1_P2
            | StatusWord::INS_NOT_SUPPORTED
            | StatusWord::FUNCTION_NOT_SUPPORTED
            | StatusWord::COMMAND_NOT_ALLOWED
                if self.by_sfi =>
            {
                // No short file identifiers: SELECT from now on.
                ctx.got.sfi_refused = true;
                Ok(Verdict::Again)
            }
            _ => Err(Error::StatusWord {
                command: "READ BINARY",
                sw,
            }),
        }
    }

    /// Learns the file's length from its first bytes (when they hold its
    /// header) and cuts what came past it: `(bytes read, length, bytes
    /// this answer gave)`.
    fn take_length(&self, ctx: &mut Ctx) -> Result<(usize, usize, usize), Error> {
        let kind = self.kind;
        let Some(file) = ctx.got.file_mut(kind) else {
            return Err(ReaderErrorKind::SessionState {
                expected: "a file being read",
            }
            .into());
        };
        let got = file.data.len().saturating_sub(self.offset);
        if file.length.is_none() {
            file.length = tlv_total_len(&file.data);
            if file.length.is_none() && got < 4 {
                return Err(ReaderErrorKind::Truncated {
                    file: kind.name(),
                    expected: 4,
                    got: file.data.len(),
                }
                .into());
            }
        }
        let total = file.length.unwrap_or(file.data.len());
        file.data.truncate(total);
        Ok((file.data.len(), total, got))
    }
}

/// A `6700` or `6Cxx` asking for less: halve the chunk down to the largest
/// short one, then by quarters.
fn step_down(ctx: &mut Ctx, sw: StatusWord) -> Result<(), Error> {
    if ctx.chunk <= 1 {
        return Err(ReaderErrorKind::NoChunkSize { sw }.into());
    }
    let short = max_chunk(&LinkInfo::SHORT, ctx.chan.block());
    ctx.chunk = if ctx.chunk > short {
        (ctx.chunk / 2).max(short)
    } else {
        ctx.chunk.saturating_mul(3) / 4
    }
    .max(1);
    Ok(())
}
