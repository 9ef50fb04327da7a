//! The blocking reading flow over a [`Transport`].

use core::fmt;

use rand_core::CryptoRng;

use super::card_access::{check_card_access, no_card_access, pace_offer};
use super::chunk::{ber_header, max_chunk, tlv_total_len};
use super::{
    AccessControl, AccessMismatch, AuthOutcome, AuthProtocol, CamFailure, Credential, Document,
    FileCounts, LinkCounts, ReadStats, ReaderErrorKind, ReaderOptions,
};
use crate::Error;
use crate::apdu::{AID_LDS1, CommandApdu, ResponseApdu, StatusWord};
use crate::lds::{DataGroup, File, FileKind, SecurityInfo};
use crate::pace::{self, DomainParameters, PacePassword};
use crate::sm::{self, SecureMessaging};
use crate::transport::{self, LinkInfo, Transport, TransportError};

/// A transport wrapper that counts APDUs and bytes into the current slot.
struct Counting<'t, T: ?Sized> {
    inner: &'t mut T,
    counts: LinkCounts,
    exchanges: Vec<(u32, u32)>,
}

impl<T: Transport + ?Sized> Transport for Counting<'_, T> {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        let rsp = self.inner.transmit(apdu)?;
        self.counts.add(apdu.len(), rsp.len());
        let len32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.exchanges.push((len32(apdu.len()), len32(rsp.len())));
        Ok(rsp)
    }

    fn link_info(&self) -> LinkInfo {
        self.inner.link_info()
    }
}

impl<T: ?Sized> Counting<'_, T> {
    fn take(&mut self) -> LinkCounts {
        core::mem::take(&mut self.counts)
    }
}

/// The progress callback: `(file, bytes read so far, total length)`.
pub type Progress<'a> = dyn FnMut(FileKind, usize, usize) + 'a;

/// An open session: the secure messaging channel and the chunk size
/// learnt so far. Use [`Reader::open`], then [`Reader::read_document`]
/// (or [`Reader::read_file`] for single files).
pub struct Reader<'t, T: Transport + ?Sized> {
    link: Counting<'t, T>,
    sm: SecureMessaging,
    chunk: usize,
    options: ReaderOptions,
    access_control: AccessControl,
    card_access: Option<Vec<u8>>,
    sfi_ok: bool,
    current: Option<FileKind>,
    open_counts: LinkCounts,
    /// PACE-CAM: EF.CardSecurity, its read's counts, and the outcome.
    cam: Option<CamResult>,
}

/// What Chip Authentication Mapping left for the document.
struct CamResult {
    card_security: Vec<u8>,
    counts: FileCounts,
    outcome: AuthOutcome,
}

impl<T: Transport + ?Sized> fmt::Debug for Reader<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reader")
            .field("access_control", &self.access_control)
            .field("chunk", &self.chunk)
            .field("sm", &self.sm)
            .finish_non_exhaustive()
    }
}

impl<'t, T: Transport + ?Sized> Reader<'t, T> {
    /// Opens the chip: EF.CardAccess probe, PACE or BAC (with PACE-CAM,
    /// EF.CardSecurity read and the chip checked against its key), the
    /// LDS1 application selected. Randomness from `rng`.
    pub fn open<R: CryptoRng + ?Sized>(
        transport: &'t mut T,
        credential: &Credential,
        options: ReaderOptions,
        rng: &mut R,
    ) -> Result<Reader<'t, T>, Error> {
        let mut link = Counting {
            inner: transport,
            counts: LinkCounts::default(),
            exchanges: Vec::new(),
        };
        let plain_chunk = max_chunk(&link.link_info(), None);
        // 1. EF.CardAccess, in the clear, by short file identifier.
        let card_access = if options.pace {
            probe_card_access(&mut link, plain_chunk)?
        } else {
            None
        };
        let offer = card_access.as_deref().and_then(pace_offer);
        // 2. PACE when offered.
        let mut pace_error = None;
        if let Some((protocol, parameters, used)) = offer {
            let password = match credential {
                Credential::Mrz(key) => PacePassword::mrz(key),
                Credential::Can(can) => PacePassword::can(can),
            };
            match pace::authenticate(&mut link, protocol, parameters, &password, rng) {
                Ok(outcome) => {
                    let access_control = AccessControl::Pace {
                        protocol,
                        parameters,
                        password: password.kind(),
                    };
                    let mut reader =
                        Reader::new(link, outcome.sm, options, access_control, card_access);
                    // CAM: EF.CardSecurity lives in the master file, where
                    // PACE left us: read it before selecting the application.
                    if let Some(cam) = &outcome.chip_authentication {
                        reader.chip_authentication_mapping(cam, parameters, used)?;
                    }
                    let rsp = reader.transmit(&CommandApdu::select_aid(&AID_LDS1))?;
                    if !rsp.sw.is_success() {
                        return Err(ReaderErrorKind::NoApplication { sw: rsp.sw }.into());
                    }
                    reader.current = None;
                    let select = reader.take_counts();
                    reader.open_counts.merge(&select);
                    return Ok(reader);
                }
                // A chip that fails CAM is refused, never read with BAC.
                Err(Error::Pace(crate::pace::PaceErrorKind::ChipAuthentication)) => {
                    return Err(ReaderErrorKind::ChipAuthenticationMapping {
                        failure: CamFailure::NoAuthenticationData,
                    }
                    .into());
                }
                Err(e) => pace_error = Some(e),
            }
        }
        // 3. BAC.
        let key = match credential {
            Credential::Mrz(key) => key,
            Credential::Can(_) => {
                return Err(match pace_error {
                    Some(e) => pace_refusal(e),
                    None => ReaderErrorKind::PaceUnavailable.into(),
                });
            }
        };
        let rsp = transport::exchange(&mut link, &CommandApdu::select_aid(&AID_LDS1))?;
        if !rsp.sw.is_success() {
            return Err(ReaderErrorKind::NoApplication { sw: rsp.sw }.into());
        }
        let sm = crate::bac::authenticate(&mut link, key, rng).map_err(|e| match e {
            Error::StatusWord { sw, .. } if sw == StatusWord::VERIFICATION_FAILED => {
                ReaderErrorKind::AccessDenied { method: "BAC" }.into()
            }
            other => other,
        })?;
        Ok(Reader::new(
            link,
            sm,
            options,
            AccessControl::Bac,
            card_access,
        ))
    }

    fn new(
        mut link: Counting<'t, T>,
        sm: SecureMessaging,
        options: ReaderOptions,
        access_control: AccessControl,
        card_access: Option<Vec<u8>>,
    ) -> Reader<'t, T> {
        let block = sm::block_len(sm.kind());
        let chunk = options
            .fixed_chunk
            .unwrap_or_else(|| max_chunk(&link.link_info(), Some(block)))
            .max(1);
        let open_counts = link.take();
        Reader {
            link,
            sm,
            chunk,
            sfi_ok: options.short_file_ids,
            options,
            access_control,
            card_access,
            current: None,
            open_counts,
            cam: None,
        }
    }

    /// PACE-CAM's check: reads EF.CardSecurity (in the master file),
    /// takes its ChipAuthenticationPublicKeyInfo on the PACE curve (the
    /// one whose key id is the curve's parameter ID when there are
    /// several) and checks `PK_Map,IC = CA_IC * PK_IC`; then checks that
    /// EF.CardAccess's SecurityInfos (`used`: the index of the PACEInfo
    /// PACE ran with) are all in EF.CardSecurity.
    fn chip_authentication_mapping(
        &mut self,
        cam: &pace::CamData,
        parameters: DomainParameters,
        used: usize,
    ) -> Result<(), Error> {
        let fail = |failure: CamFailure| -> Error {
            ReaderErrorKind::ChipAuthenticationMapping { failure }.into()
        };
        let bytes = self
            .read_file(FileKind::CardSecurity, &mut |_, _, _| {})?
            .ok_or_else(|| fail(CamFailure::NoCardSecurity))?;
        let counts = FileCounts {
            file: FileKind::CardSecurity.name(),
            size: bytes.len(),
            counts: self.take_counts(),
        };
        let card_security = crate::lds::CardSecurity::parse(&bytes)
            .map_err(|e| fail(CamFailure::CardSecurity(Box::new(e))))?;
        let keys: Vec<(Vec<u8>, Option<u64>)> = card_security
            .security_infos
            .infos
            .iter()
            .filter_map(|info| match info {
                SecurityInfo::ChipAuthenticationPublicKey {
                    protocol,
                    public_key,
                    key_id,
                } => crate::ca::usable_key(protocol, public_key)
                    .filter(|(p, _)| *p == parameters)
                    .map(|(_, key)| (key, *key_id)),
                _ => None,
            })
            .collect();
        let wanted = Some(u64::from(parameters.id()));
        let key = keys
            .iter()
            .find(|(_, id)| *id == wanted)
            .or_else(|| keys.first())
            .map(|(key, _)| key)
            .ok_or_else(|| fail(CamFailure::NoKey { parameters }))?;
        cam.verify(parameters, key)
            .map_err(|_| fail(CamFailure::KeyMismatch { parameters }))?;
        // EF.CardAccess came in the clear: EF.CardSecurity must repeat it.
        let card_access = self.card_access.as_deref().ok_or_else(|| {
            Error::from(ReaderErrorKind::CardAccessMismatch {
                mismatch: AccessMismatch::NoCardAccess,
            })
        })?;
        let signed = card_security
            .security_info_encodings()
            .map_err(|e| fail(CamFailure::CardSecurity(Box::new(e))))?;
        let checked = check_card_access(card_access, used, &signed)
            .map_err(|mismatch| Error::from(ReaderErrorKind::CardAccessMismatch { mismatch }))?;
        self.cam = Some(CamResult {
            card_security: bytes,
            counts,
            outcome: AuthOutcome::passed(
                AuthProtocol::PaceCam,
                format!("EF.CardSecurity's Chip Authentication key on {parameters:?}"),
                "PK_Map,IC = CA_IC * PK_IC",
                format!(
                    "PACE-CAM on {parameters:?}: the chip proved EF.CardSecurity's Chip Authentication key; EF.CardAccess's {checked} SecurityInfos are all in EF.CardSecurity"
                ),
            ),
        });
        Ok(())
    }

    /// The access control used.
    pub fn access_control(&self) -> AccessControl {
        self.access_control
    }

    /// The chunk of file bytes per READ BINARY, as learnt so far.
    pub fn chunk(&self) -> usize {
        self.chunk
    }

    /// The secure messaging session (for Chip and Active Authentication).
    pub fn secure_messaging(&mut self) -> &mut SecureMessaging {
        &mut self.sm
    }

    /// Replaces the secure messaging session (after Chip Authentication).
    pub fn replace_secure_messaging(&mut self, sm: SecureMessaging) {
        self.sm = sm;
        let block = sm::block_len(self.sm.kind());
        if self.options.fixed_chunk.is_none() {
            self.chunk = self
                .chunk
                .min(max_chunk(&self.link.link_info(), Some(block)));
        }
    }

    /// Sends one command under secure messaging; counted as
    /// authentication traffic by [`Reader::read_document`].
    pub fn transmit(&mut self, command: &CommandApdu) -> Result<ResponseApdu, Error> {
        self.sm.transmit(&mut self.link, command)
    }

    /// The counts since the last call (internal bookkeeping).
    fn take_counts(&mut self) -> LinkCounts {
        self.link.take()
    }

    fn read_command(&self, kind: FileKind, offset: usize, ne: usize) -> Result<CommandApdu, Error> {
        let ne32 = u32::try_from(ne).unwrap_or(u32::MAX);
        if offset == 0 && self.sfi_ok && self.current != Some(kind) {
            return CommandApdu::read_binary_sfi(kind.sfi(), 0, ne32);
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

    /// Reads one file of the LDS1 application; `Ok(None)` when the chip
    /// has no such file (`6A82`) or refuses it (`6982`).
    pub fn read_file(
        &mut self,
        kind: FileKind,
        progress: &mut Progress<'_>,
    ) -> Result<Option<Vec<u8>>, Error> {
        let mut data: Vec<u8> = Vec::new();
        let mut total: Option<usize> = None;
        loop {
            let want = match total {
                Some(t) => t.saturating_sub(data.len()).min(self.chunk),
                None => self.chunk,
            };
            if want == 0 {
                break;
            }
            if self.current != Some(kind) && !(data.is_empty() && self.sfi_ok) {
                let rsp = self
                    .sm
                    .transmit(&mut self.link, &CommandApdu::select_file(kind.fid()))?;
                match rsp.sw {
                    StatusWord::SUCCESS => self.current = Some(kind),
                    StatusWord::FILE_NOT_FOUND | StatusWord::SECURITY_STATUS_NOT_SATISFIED => {
                        return Ok(None);
                    }
                    _ => {
                        return Err(Error::StatusWord {
                            command: "SELECT",
                            sw: rsp.sw,
                        });
                    }
                }
            }
            let offset = data.len();
            // Past 32767, odd INS: the answer wraps the bytes in a DO'53.
            let want = if offset > 0x7FFF {
                want.min(self.chunk.saturating_sub(4)).max(1)
            } else {
                want
            };
            let cmd = self.read_command(kind, offset, want)?;
            let odd = cmd.ins == 0xB1;
            let by_sfi = cmd.p1 & 0x80 != 0 && cmd.ins == 0xB0;
            // The plain data goes straight into the file's buffer (even
            // INS); past 32767 it comes inside a DO'53 (odd INS).
            let sw = if odd {
                let rsp = self.sm.transmit(&mut self.link, &cmd)?;
                if rsp.sw.is_read_data() {
                    data.extend_from_slice(crate::apdu::read_binary_odd_data(&rsp.data)?);
                }
                rsp.sw
            } else {
                self.sm.transmit_into(&mut self.link, &cmd, &mut data)?
            };
            if !sw.is_read_data() {
                // Whatever came with a refusal is not file content.
                data.truncate(offset);
            }
            match sw {
                StatusWord::SUCCESS | StatusWord::END_OF_FILE => {}
                StatusWord::FILE_NOT_FOUND | StatusWord::SECURITY_STATUS_NOT_SATISFIED
                    if offset == 0 =>
                {
                    return Ok(None);
                }
                StatusWord::WRONG_LENGTH => {
                    self.step_down(sw)?;
                    continue;
                }
                _ if sw.exact_length().is_some() => {
                    let n = sw.exact_length().unwrap_or(0) as usize;
                    if n == 0 || n >= self.chunk {
                        self.step_down(sw)?;
                    } else {
                        self.chunk = n;
                    }
                    continue;
                }
                StatusWord::INCORRECT_P1_P2
                | StatusWord::WRONG_P1_P2
                | StatusWord::INS_NOT_SUPPORTED
                | StatusWord::FUNCTION_NOT_SUPPORTED
                | StatusWord::COMMAND_NOT_ALLOWED
                    if by_sfi =>
                {
                    // No short file identifiers: SELECT from now on.
                    self.sfi_ok = false;
                    continue;
                }
                _ => {
                    return Err(Error::StatusWord {
                        command: "READ BINARY",
                        sw,
                    });
                }
            }
            if by_sfi {
                self.current = Some(kind);
            }
            let got = data.len().saturating_sub(offset);
            if total.is_none() {
                total = tlv_total_len(&data);
                if total.is_none() && got < 4 {
                    return Err(ReaderErrorKind::Truncated {
                        file: kind.name(),
                        expected: 4,
                        got: data.len(),
                    }
                    .into());
                }
            }
            let t = total.unwrap_or(data.len());
            if data.len() > t {
                data.truncate(t);
            }
            progress(kind, data.len().min(t), t);
            if data.len() >= t {
                break;
            }
            if got < want {
                if sw == StatusWord::END_OF_FILE || got == 0 {
                    return Err(ReaderErrorKind::Truncated {
                        file: kind.name(),
                        expected: t,
                        got: data.len(),
                    }
                    .into());
                }
                // The chip sends less than asked: that is its chunk.
                if self.options.fixed_chunk.is_none() {
                    self.chunk = got;
                }
            }
        }
        Ok(Some(data))
    }

    fn step_down(&mut self, sw: StatusWord) -> Result<(), Error> {
        if self.chunk <= 1 {
            return Err(ReaderErrorKind::NoChunkSize { sw }.into());
        }
        let short = max_chunk(&LinkInfo::SHORT, Some(sm::block_len(self.sm.kind())));
        self.chunk = if self.chunk > short {
            (self.chunk / 2).max(short)
        } else {
            self.chunk.saturating_mul(3) / 4
        }
        .max(1);
        Ok(())
    }

    /// Reads EF.COM, EF.SOD and the data groups they list (or those of
    /// [`ReaderOptions::data_groups`]), reporting progress.
    pub fn read_document<R: CryptoRng + ?Sized>(
        mut self,
        rng: &mut R,
        progress: &mut Progress<'_>,
    ) -> Result<Document, Error> {
        let mut stats = ReadStats {
            open: self.open_counts,
            ..ReadStats::default()
        };
        let mut files: Vec<(FileKind, Vec<u8>)> = Vec::new();
        let mut refused = Vec::new();
        let mut listed: Vec<DataGroup> = Vec::new();
        let cam = self.cam.take();
        if let Some(cam) = &cam {
            stats.files.push(cam.counts.clone());
        }
        for kind in [FileKind::Com, FileKind::Sod] {
            let bytes = self.read_file(kind, progress)?;
            stats.files.push(FileCounts {
                file: kind.name(),
                size: bytes.as_ref().map_or(0, Vec::len),
                counts: self.take_counts(),
            });
            if let Some(b) = bytes {
                match File::parse(&b) {
                    Ok(File::Com(com)) => listed.extend(com.data_groups.iter().copied()),
                    Ok(File::Sod(sod)) => listed.extend(
                        sod.lds_security_object
                            .data_group_hashes
                            .iter()
                            .filter_map(|h| h.data_group),
                    ),
                    _ => {}
                }
                files.push((kind, b));
            }
        }
        listed.sort();
        listed.dedup();
        let wanted = match &self.options.data_groups {
            Some(list) => list.clone(),
            None => listed,
        };
        for dg in wanted {
            let kind = FileKind::Dg(dg);
            let bytes = self.read_file(kind, progress)?;
            stats.files.push(FileCounts {
                file: kind.name(),
                size: bytes.as_ref().map_or(0, Vec::len),
                counts: self.take_counts(),
            });
            match bytes {
                Some(b) => files.push((kind, b)),
                None => refused.push(dg),
            }
        }
        // PACE-CAM checked EF.CardAccess against EF.CardSecurity.
        let card_access_verified = cam.is_some();
        let (card_security, chip_authentication) = match cam {
            // PACE-CAM authenticated the chip: no Chip Authentication v1.
            Some(cam) => (Some(cam.card_security), Some(cam.outcome)),
            None if self.options.chip_authentication => {
                (None, self.run_chip_authentication(&files, rng))
            }
            None => (None, None),
        };
        let active_authentication = if self.options.active_authentication {
            self.run_active_authentication(&files, rng)
        } else {
            None
        };
        stats.authentication = self.take_counts();
        stats.total = stats.open;
        for f in &stats.files {
            stats.total.merge(&f.counts);
        }
        stats.total.merge(&stats.authentication);
        stats.chunk = self.chunk;
        stats.exchanges = core::mem::take(&mut self.link.exchanges);
        Ok(Document {
            access_control: self.access_control,
            card_access: self.card_access,
            card_security,
            files,
            refused,
            chip_authentication,
            card_access_verified,
            active_authentication,
            stats,
        })
    }

    fn run_chip_authentication<R: CryptoRng + ?Sized>(
        &mut self,
        files: &[(FileKind, Vec<u8>)],
        rng: &mut R,
    ) -> Option<AuthOutcome> {
        let (_, dg14) = files
            .iter()
            .find(|(k, _)| *k == FileKind::Dg(DataGroup::Dg14))?;
        let dg14 = crate::lds::Dg14::parse(dg14).ok()?;
        let plan = crate::ca::plan(&dg14).ok()?;
        Some(
            match crate::ca::authenticate(&mut self.link, &mut self.sm, &plan, rng) {
                Ok(sm) => {
                    self.replace_secure_messaging(sm);
                    // The chip proves its key when it answers under the new keys.
                    match self
                        .sm
                        .transmit(&mut self.link, &CommandApdu::select_aid(&AID_LDS1))
                    {
                        Ok(r) if r.sw.is_success() => AuthOutcome::passed(
                            AuthProtocol::ChipAuthentication,
                            format!("DG14's key on {:?}", plan.parameters),
                            "the chip answered under the new session keys",
                            format!(
                                "{} on {:?}, session switched to {:?}",
                                if plan.parameters.agreement() == crate::pace::KeyAgreement::Dh {
                                    "DH"
                                } else {
                                    "ECDH"
                                },
                                plan.parameters,
                                plan.cipher
                            ),
                        ),
                        Ok(r) => AuthOutcome::refused_after(AuthProtocol::ChipAuthentication, r.sw),
                        Err(e) => AuthOutcome::failed(AuthProtocol::ChipAuthentication, e),
                    }
                }
                Err(e) => AuthOutcome::failed(AuthProtocol::ChipAuthentication, e),
            },
        )
    }

    #[cfg(feature = "pa")]
    fn run_active_authentication<R: CryptoRng + ?Sized>(
        &mut self,
        files: &[(FileKind, Vec<u8>)],
        rng: &mut R,
    ) -> Option<AuthOutcome> {
        let find = |dg| {
            files
                .iter()
                .find(|(k, _)| *k == FileKind::Dg(dg))
                .map(|(_, b)| b.as_slice())
        };
        let dg15 = crate::lds::Dg15::parse(find(DataGroup::Dg15)?).ok()?;
        let dg14 = find(DataGroup::Dg14).and_then(|b| crate::lds::Dg14::parse(b).ok());
        Some(
            match crate::aa::authenticate(&mut self.link, &mut self.sm, &dg15, dg14.as_ref(), rng) {
                Ok(()) => AuthOutcome::passed(
                    AuthProtocol::ActiveAuthentication,
                    "DG15's key",
                    "the signature of the reader's challenge verifies",
                    "the chip signed the challenge with DG15's key",
                ),
                Err(e) => AuthOutcome::failed(AuthProtocol::ActiveAuthentication, e),
            },
        )
    }

    #[cfg(not(feature = "pa"))]
    fn run_active_authentication<R: CryptoRng + ?Sized>(
        &mut self,
        _files: &[(FileKind, Vec<u8>)],
        _rng: &mut R,
    ) -> Option<AuthOutcome> {
        None
    }
}

/// PACE's refusal of the password as the reader reports it.
fn pace_refusal(e: Error) -> Error {
    match e {
        Error::StatusWord { sw, .. } if sw == StatusWord::VERIFICATION_FAILED => {
            ReaderErrorKind::AccessDenied { method: "PACE" }.into()
        }
        Error::Pace(crate::pace::PaceErrorKind::BadToken) => {
            ReaderErrorKind::AccessDenied { method: "PACE" }.into()
        }
        other => other,
    }
}

/// Reads EF.CardAccess in the clear; `None` when the chip has none.
fn probe_card_access<T: Transport + ?Sized>(
    link: &mut T,
    chunk: usize,
) -> Result<Option<Vec<u8>>, Error> {
    let ne = |n: usize| u32::try_from(n).unwrap_or(256);
    let first = transport::exchange(
        link,
        &CommandApdu::read_binary_sfi(FileKind::CardAccess.sfi(), 0, ne(chunk))?,
    )?;
    if no_card_access(first.sw) {
        return Ok(None);
    }
    if !first.sw.is_read_data() {
        return Ok(None);
    }
    let mut data = first.data;
    let total = tlv_total_len(&data).unwrap_or(data.len());
    while data.len() < total {
        let offset = u16::try_from(data.len()).unwrap_or(u16::MAX);
        let want = total.saturating_sub(data.len()).min(chunk);
        let rsp = transport::exchange(link, &CommandApdu::read_binary(offset, ne(want))?)?;
        if !rsp.sw.is_read_data() || rsp.data.is_empty() {
            break;
        }
        data.extend_from_slice(&rsp.data);
    }
    data.truncate(total);
    Ok(Some(data))
}

/// Opens the chip and reads the whole document: [`Reader::open`] then
/// [`Reader::read_document`].
pub fn read_document<T, R>(
    transport: &mut T,
    credential: &Credential,
    options: ReaderOptions,
    rng: &mut R,
    progress: &mut Progress<'_>,
) -> Result<Document, Error>
where
    T: Transport + ?Sized,
    R: CryptoRng + ?Sized,
{
    Reader::open(transport, credential, options, rng)?.read_document(rng, progress)
}
