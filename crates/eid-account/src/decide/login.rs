//! Login and logout (seed 001, 003 §II.3): the same answer and Argon2 work
//! for an unknown ID number as for a wrong password.

use super::*;

/// [`Action::Login`].
pub(super) fn login<R: TryCryptoRng + ?Sized>(
    state: &Account,
    ctx: &mut Context<'_, R>,
    login: LoginName,
    password: SecretString,
    device: DeviceId,
) -> Res {
    let mut out = Out::default();
    // No account, another login name, no password yet: the same
    // answer as a wrong password, after the same Argon2 work, so
    // neither the answer nor its time tells what an ID number holds.
    if state.id_number.is_none() || !login_matches(state, &login) {
        spend_a_password_check(ctx, &password);
        return Err(AccountError::WrongCredentials.into());
    }
    out.kinds.extend(
        check_password(state, &password, Some(&device), ctx).map_err(|r| match r.error {
            AccountError::NoPassword => AccountError::WrongCredentials.into(),
            _ => r,
        })?,
    );
    let session = ctx.rng.try_next_u64().map_err(|_| AccountError::Rng)?;
    out.kinds.push(EventKind::LoggedIn {
        session: SessionId(session),
        device,
        expires_at: ctx.now.saturating_add(ctx.policies.session_secs),
    });
    Ok(out)
}

/// [`Action::Logout`].
pub(super) fn logout<R: TryCryptoRng + ?Sized>(
    state: &Account,
    ctx: &mut Context<'_, R>,
    session: SessionId,
) -> Res {
    let mut out = Out::default();
    session_ok(state, session, ctx.now)?;
    out.kinds.push(EventKind::LoggedOut { session });
    Ok(out)
}
