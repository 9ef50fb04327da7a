//! Password reset (seed 001 "Quên mật khẩu"): ID number and phone, the
//! one-time code, the two security answers, the new password.

use super::*;

/// [`Action::RequestPasswordReset`].
pub(super) fn request_password_reset<R: TryCryptoRng + ?Sized>(
    state: &Account,
    ctx: &mut Context<'_, R>,
    login: LoginName,
    phone: Phone,
) -> Res {
    let mut out = Out::default();
    if state.id_number.is_none() {
        return Err(AccountError::NoAccount.into());
    }
    if !login_matches(state, &login) || state.phone.as_ref() != Some(&phone) {
        return Err(AccountError::IdOrPhoneMismatch.into());
    }
    if state.password.is_none() {
        return Err(AccountError::NoPassword.into());
    }
    guard_live_flow(state, ctx.now, ctx.policies, false)?;
    out.kinds.push(EventKind::PasswordResetStarted);
    issue_otp(state, Purpose::PasswordReset, ctx, &mut out)?;
    Ok(out)
}

/// [`Action::AnswerSecurityQuestions`].
pub(super) fn answer_security_questions<R: TryCryptoRng + ?Sized>(
    state: &Account,
    ctx: &mut Context<'_, R>,
    answers: Vec<(String, SecretString)>,
) -> Res {
    let mut out = Out::default();
    if state.flow
        != Some(Flow::PasswordReset {
            step: ResetStep::Answers,
        })
    {
        return Err(out_of_order(state, CommandKind::AnswerSecurityQuestions));
    }
    let Some(questions) = &state.questions else {
        return Err(out_of_order(state, CommandKind::AnswerSecurityQuestions));
    };
    let mut all = answers.len() == 2;
    for qid in questions.question_ids() {
        let ok = match answers.iter().find(|(q, _)| q == qid) {
            Some((_, a)) => questions
                .verify(&ctx.keys.hasher, qid, a.expose_secret())
                .map_err(AccountError::from_credentials)?
                .is_match(),
            None => false,
        };
        all &= ok;
    }
    if all {
        out.kinds.push(EventKind::SecurityAnswersAccepted);
    } else {
        let failures = state.answer_failures.saturating_add(1);
        let max = ctx.policies.max_answer_failures.max(1);
        let mut kinds = vec![EventKind::SecurityAnswersRejected { failures }];
        if failures >= max {
            kinds.push(EventKind::PasswordResetAborted);
        }
        return Err(Rej {
            error: AccountError::WrongAnswers {
                tries_left: max.saturating_sub(failures),
            },
            kinds,
        });
    }
    Ok(out)
}
