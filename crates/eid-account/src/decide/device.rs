//! Moving the identity to another device (seed 003): password, then the
//! one-time code sent to the registered phone.

use super::*;

/// [`Action::StartDeviceChange`].
pub(super) fn start_device_change<R: TryCryptoRng + ?Sized>(
    state: &Account,
    ctx: &mut Context<'_, R>,
    id_number: cccd::IdNumber,
    password: SecretString,
    device: DeviceId,
) -> Res {
    let mut out = Out::default();
    if !state.active {
        return Err(AccountError::NotActivated.into());
    }
    if state.id_number != Some(id_number) {
        return Err(AccountError::WrongCredentials.into());
    }
    out.kinds
        .extend(check_password(state, &password, Some(&device), ctx)?);
    if state.device.as_ref() == Some(&device) {
        return Err(AccountError::SameDevice.into());
    }
    out.kinds.push(EventKind::DeviceChangeStarted { device });
    issue_otp(state, Purpose::DeviceChange, ctx, &mut out)?;
    Ok(out)
}
