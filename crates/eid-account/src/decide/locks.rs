//! Locks (seed 001 "Khóa tài khoản"): by the holder, by an officer, by the
//! system after wrong passcodes; unlocking.

use super::*;
use crate::types::OfficerId;

/// [`Action::LockByHolder`].
pub(super) fn lock_by_holder<R: TryCryptoRng + ?Sized>(
    state: &Account,
    ctx: &mut Context<'_, R>,
    session: SessionId,
) -> Res {
    let mut out = Out::default();
    session_ok(state, session, ctx.now)?;
    out.kinds.push(EventKind::AccountLocked {
        by: Actor::Holder,
        reason: LockReason::HolderRequest,
    });
    Ok(out)
}

/// [`Action::UnlockByHolder`].
pub(super) fn unlock_by_holder<R: TryCryptoRng + ?Sized>(
    state: &Account,
    ctx: &mut Context<'_, R>,
    id_number: cccd::IdNumber,
    password: SecretString,
    answer: Option<(String, SecretString)>,
) -> Res {
    let mut out = Out::default();
    // The password first: whether and how the account is locked
    // is told only to whoever knows it.
    if state.id_number != Some(id_number) {
        spend_a_password_check(ctx, &password);
        return Err(AccountError::WrongCredentials.into());
    }
    out.kinds
        .extend(check_password(state, &password, None, ctx)?);
    let Some(lock) = &state.lock else {
        return Err(AccountError::NotLocked.into());
    };
    if !lock.reason.holder_may_unlock() {
        return Err(AccountError::UnlockNeedsOfficer.into());
    }
    if let Some(questions) = &state.questions {
        let ok = match &answer {
            Some((q, a)) => questions
                .verify(&ctx.keys.hasher, q, a.expose_secret())
                .map(|v| v.is_match())
                .unwrap_or(false),
            None => false,
        };
        if !ok {
            let failures = state.login.failures.saturating_add(1);
            let max = ctx.policies.lockout.max_failures.max(1);
            // Counted as a failed login (a rehash found above is dropped).
            return Err(login_failure(
                state,
                None,
                ctx,
                AccountError::WrongAnswers {
                    tries_left: max.saturating_sub(failures),
                },
            ));
        }
    }
    out.kinds
        .push(EventKind::AccountUnlocked { by: Actor::Holder });
    Ok(out)
}

/// [`Action::LockByOfficer`].
pub(super) fn lock_by_officer(state: &Account, officer: OfficerId, reason: LockReason) -> Res {
    let mut out = Out::default();
    if state.id_number.is_none() {
        return Err(AccountError::NoAccount.into());
    }
    out.kinds.push(EventKind::AccountLocked {
        by: Actor::Officer(officer),
        reason,
    });
    Ok(out)
}

/// [`Action::UnlockByOfficer`].
pub(super) fn unlock_by_officer(state: &Account, officer: OfficerId) -> Res {
    let mut out = Out::default();
    if state.lock.is_none() {
        return Err(AccountError::NotLocked.into());
    }
    out.kinds.push(EventKind::AccountUnlocked {
        by: Actor::Officer(officer),
    });
    Ok(out)
}
