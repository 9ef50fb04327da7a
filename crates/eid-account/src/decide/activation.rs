//! Activation (seed 003 §II.2): ID number, phone and device, the one-time
//! code, the password if none yet, the passcode, the security questions.

use super::*;

/// [`Action::StartActivation`].
pub(super) fn start_activation<R: TryCryptoRng + ?Sized>(
    state: &Account,
    ctx: &mut Context<'_, R>,
    id_number: cccd::IdNumber,
    phone: Phone,
    device: DeviceId,
) -> Res {
    let mut out = Out::default();
    if state.id_number.is_none() {
        return Err(AccountError::NoAccount.into());
    }
    if state.id_number != Some(id_number) || state.phone.as_ref() != Some(&phone) {
        return Err(AccountError::IdOrPhoneMismatch.into());
    }
    if state.identified.is_none() {
        return Err(AccountError::NotIdentified.into());
    }
    if state.active {
        return Err(AccountError::AlreadyActivated.into());
    }
    let restart = matches!(&state.flow, Some(Flow::Activation { device: d, .. }) if *d == device);
    guard_live_flow(state, ctx.now, ctx.policies, restart)?;
    let device_use = ctx.device_use.ok_or(AccountError::DeviceCheckUnavailable)?;
    out.notices.push(match device_use {
        DeviceUse::Free => Notice::ActivateOnThisDevice,
        DeviceUse::InUseByOtherAccounts => Notice::ActivateOnAnotherDevice,
    });
    out.kinds
        .push(EventKind::ActivationStarted { device, device_use });
    issue_otp(state, Purpose::Activation, ctx, &mut out)?;
    Ok(out)
}

/// [`Action::SetPasscode`].
pub(super) fn set_passcode<R: TryCryptoRng + ?Sized>(
    state: &Account,
    ctx: &mut Context<'_, R>,
    passcode: SecretString,
    confirmation: SecretString,
) -> Res {
    let mut out = Out::default();
    if !matches!(
        state.flow,
        Some(Flow::Activation {
            step: ActivationStep::Passcode,
            ..
        })
    ) {
        return Err(out_of_order(state, CommandKind::SetPasscode));
    }
    ctx.policies
        .passcode
        .check(passcode.expose_secret(), &personal_info(state))
        .map_err(AccountError::from_credentials)?;
    if passcode != confirmation {
        return Err(AccountError::PasscodeConfirmationMismatch.into());
    }
    let hash = hash(ctx, SecretKind::Passcode, &passcode)?;
    out.kinds.push(EventKind::PasscodeSet { hash });
    Ok(out)
}

/// [`Action::SetSecurityQuestions`].
pub(super) fn set_security_questions<R: TryCryptoRng + ?Sized>(
    state: &Account,
    ctx: &mut Context<'_, R>,
    answers: Vec<(String, SecretString)>,
) -> Res {
    let mut out = Out::default();
    let Some(Flow::Activation {
        step: ActivationStep::Questions,
        device,
    }) = &state.flow
    else {
        return Err(out_of_order(state, CommandKind::SetSecurityQuestions));
    };
    let level = state.identified.ok_or(AccountError::NotIdentified)?;
    let choices: Vec<(&str, &str)> = answers
        .iter()
        .map(|(q, a)| (q.as_str(), a.expose_secret()))
        .collect();
    let questions = SecurityQuestions::set_up(
        &ctx.policies.catalogue,
        ctx.policies.answer_rules,
        &choices,
        &ctx.keys.hasher,
        &mut *ctx.rng,
    )
    .map_err(AccountError::from_credentials)?;
    out.kinds
        .push(EventKind::SecurityQuestionsSet { questions });
    if let Some(old) = &state.device
        && old != device
    {
        out.kinds.push(EventKind::DeviceUnbound {
            device: old.clone(),
        });
    }
    out.kinds.push(EventKind::DeviceBound {
        device: device.clone(),
    });
    out.kinds.push(EventKind::Activated { level });
    out.notices.push(Notice::Activated);
    Ok(out)
}
