//! Registration (seed 001 steps 1-4): the details checked against the
//! registry, the one-time code, the password.

use super::*;

/// [`Action::Register`]: the registry's answer first (whoever does not
/// know the citizen's data learns nothing about the account either), then
/// one decision that starts the registration, records the verified details
/// and sends the OTP to the phone given, which stays pending until that
/// code is verified.
pub(super) fn register<R: TryCryptoRng + ?Sized>(
    state: &Account,
    action: Action,
    ctx: &mut Context<'_, R>,
) -> Res {
    let Action::Register {
        id_number,
        phone,
        details: input_details,
        terms_accepted,
        terms_version,
    } = action
    else {
        return Err(out_of_order(state, CommandKind::Register));
    };
    let mut out = Out::default();
    if !terms_accepted {
        return Err(AccountError::TermsNotAccepted.into());
    }
    text_field(&terms_version, "terms_version", 64)?;
    if let DetailsInput::Qr { qr, .. } = &input_details
        && qr.id_number != id_number
    {
        return Err(AccountError::CardMismatch.into());
    }
    let (details, source) = input_details.details();
    text_field(&details.full_name, "full_name", 100)?;
    text_field(&details.permanent_residence, "permanent_residence", 300)?;
    if let Some(s) = &details.street_address {
        text_field(s, "street_address", 200)?;
    }
    match &ctx.registry {
        None => return Err(AccountError::RegistryUnavailable.into()),
        Some(RegistryAnswer::NotFound) => return Err(AccountError::NotInRegistry.into()),
        Some(RegistryAnswer::Mismatch(fields)) => {
            return Err(AccountError::RegistryMismatch(fields.clone()).into());
        }
        Some(RegistryAnswer::Match) => {}
    }
    if let Some(existing) = &state.id_number {
        if !registrable(state) {
            return Err(AccountError::AlreadyRegistered.into());
        }
        if *existing != id_number {
            return Err(AccountError::IdOrPhoneMismatch.into());
        }
    }
    guard_live_flow(state, ctx.now, ctx.policies, false)?;
    out.kinds.push(EventKind::RegistrationStarted {
        id_number,
        phone: phone.clone(),
        terms_version: Some(terms_version.trim().to_owned()),
    });
    out.kinds
        .push(EventKind::DetailsVerified { details, source });
    issue_otp_to(
        state,
        id_number.as_str(),
        phone,
        Purpose::Registration,
        ctx,
        &mut out,
    )?;
    Ok(out)
}

/// [`Action::ResendOtp`].
pub(super) fn resend_otp<R: TryCryptoRng + ?Sized>(
    state: &Account,
    ctx: &mut Context<'_, R>,
) -> Res {
    let mut out = Out::default();
    let (Some(flow), Some(ch)) = (&state.flow, &state.otp) else {
        return Err(out_of_order(state, CommandKind::ResendOtp));
    };
    if !flow.awaits_otp() {
        return Err(out_of_order(state, CommandKind::ResendOtp));
    }
    let phone = otp_phone(state).ok_or(AccountError::NoAccount)?;
    let mut ch = ch.clone();
    let mut log = state.send_log.clone();
    let code = ch
        .resend(
            &ctx.keys.otp_key,
            &ctx.policies.otp,
            &mut log,
            ctx.now,
            &mut *ctx.rng,
        )
        .map_err(AccountError::from_otp)?;
    out.effects.push(Effect::SendOtp {
        phone,
        purpose: ch.purpose(),
        code: SecretString::from(code.expose_secret()),
        expires_at: ch.expires_at(),
    });
    out.kinds.push(EventKind::OtpResent {
        challenge: ch,
        send_log: log,
    });
    Ok(out)
}

/// [`Action::VerifyOtp`].
pub(super) fn verify_otp<R: TryCryptoRng + ?Sized>(
    state: &Account,
    ctx: &mut Context<'_, R>,
    code: SecretString,
) -> Res {
    let mut out = Out::default();
    let (Some(flow), Some(ch)) = (&state.flow, &state.otp) else {
        return Err(out_of_order(state, CommandKind::VerifyOtp));
    };
    if !flow.awaits_otp() {
        return Err(out_of_order(state, CommandKind::VerifyOtp));
    }
    let subject = subject(state)?;
    let mut after = ch.clone();
    let purpose = ch.purpose();
    if let Err(e) = after.verify(
        &ctx.keys.otp_key,
        &subject,
        purpose,
        code.expose_secret(),
        &ctx.policies.otp,
        ctx.now,
    ) {
        let kinds = if after == *ch {
            Vec::new()
        } else {
            vec![EventKind::OtpRejected { challenge: after }]
        };
        return Err(Rej {
            error: AccountError::from_otp(e),
            kinds,
        });
    }
    let next = match flow {
        Flow::Registration { .. } => Some(Flow::Registration {
            step: RegistrationStep::Password,
        }),
        Flow::Activation { device, .. } => Some(Flow::Activation {
            step: if state.password.is_none() {
                ActivationStep::Password
            } else {
                ActivationStep::Passcode
            },
            device: device.clone(),
        }),
        Flow::PasswordReset { .. } => Some(Flow::PasswordReset {
            step: if state.questions.is_some() {
                ResetStep::Answers
            } else {
                ResetStep::NewPassword
            },
        }),
        Flow::DeviceChange { .. } => None,
    };
    out.kinds.push(EventKind::OtpVerified {
        challenge: after,
        next,
    });
    if let Flow::DeviceChange { device } = flow {
        if let Some(old) = &state.device {
            out.kinds.push(EventKind::DeviceUnbound {
                device: old.clone(),
            });
        }
        out.kinds.push(EventKind::DeviceBound {
            device: device.clone(),
        });
        out.notices.push(Notice::MovedToThisDevice);
    }
    Ok(out)
}

/// [`Action::SetPassword`].
pub(super) fn set_password<R: TryCryptoRng + ?Sized>(
    state: &Account,
    ctx: &mut Context<'_, R>,
    password: SecretString,
    confirmation: SecretString,
) -> Res {
    let mut out = Out::default();
    let which = match &state.flow {
        Some(
            f @ (Flow::Registration {
                step: RegistrationStep::Password,
            }
            | Flow::Activation {
                step: ActivationStep::Password,
                ..
            }
            | Flow::PasswordReset {
                step: ResetStep::NewPassword,
            }),
        ) => f.clone(),
        _ => return Err(out_of_order(state, CommandKind::SetPassword)),
    };
    ctx.policies
        .password
        .check_with_confirmation(
            password.expose_secret(),
            confirmation.expose_secret(),
            &personal_info(state),
        )
        .map_err(AccountError::from_credentials)?;
    let hash = hash(ctx, SecretKind::Password, &password)?;
    out.kinds.push(EventKind::PasswordSet { hash });
    match which {
        Flow::Registration { .. } => {
            out.kinds.push(EventKind::AppAccountCreated);
            out.notices.push(Notice::PasswordSetUp);
        }
        Flow::PasswordReset { .. } => {
            out.kinds.push(EventKind::PasswordResetCompleted);
            out.notices.push(Notice::PasswordSetUp);
        }
        _ => {}
    }
    Ok(out)
}
