//! Using the identity (seed 001): a service confirmed with the passcode,
//! from the bound device only.

use super::*;
use crate::types::Service;

/// [`Action::ConfirmPasscode`].
pub(super) fn confirm_passcode<R: TryCryptoRng + ?Sized>(
    state: &Account,
    ctx: &mut Context<'_, R>,
    session: SessionId,
    service: Service,
    passcode: SecretString,
) -> Res {
    let mut out = Out::default();
    session_ok(state, session, ctx.now)?;
    let level = match state.identified {
        Some(l) if state.active => l,
        _ => return Err(AccountError::NotActivated.into()),
    };
    if service.min_level() > level {
        return Err(AccountError::ServiceNeedsLevel2.into());
    }
    // A passcode confirms a service only from the device the
    // identity is bound to: a session opened elsewhere (any
    // `X-Device-Id` can log in) cannot use the identity.
    let from = state.sessions.iter().find(|s| s.id == session);
    if from.map(|s| &s.device) != state.device.as_ref() {
        return Err(AccountError::NotBoundDevice.into());
    }
    let stored = state.passcode.as_ref().ok_or(AccountError::NotActivated)?;
    let v = ctx
        .keys
        .hasher
        .verify(SecretKind::Passcode, passcode.expose_secret(), &stored.0)
        .map_err(AccountError::from_credentials)?;
    if v.is_match() {
        out.kinds.push(EventKind::PasscodeConfirmed { service });
    } else {
        let failures = state.passcode_failures.saturating_add(1);
        let max = ctx.policies.max_passcode_failures.max(1);
        let mut kinds = vec![EventKind::PasscodeFailed { failures }];
        if failures >= max {
            kinds.push(EventKind::AccountLocked {
                by: Actor::System,
                reason: LockReason::TooManyWrongPasscodes,
            });
        }
        return Err(Rej {
            error: AccountError::WrongPasscode {
                tries_left: max.saturating_sub(failures),
            },
            kinds,
        });
    }
    Ok(out)
}
