//! Level 1 (seed 001 steps 5-7): the dossier from the chip and the
//! portrait, and the officer's review (which also decides level-2 dossiers).

use super::*;
use crate::types::{CardData, OfficerId, PhotoRef, RejectionReason};

/// [`Action::SubmitLevel1Dossier`].
pub(super) fn submit_level1_dossier<R: TryCryptoRng + ?Sized>(
    state: &Account,
    ctx: &mut Context<'_, R>,
    session: SessionId,
    card: CardData,
    portrait: PhotoRef,
    email: Option<String>,
) -> Res {
    let mut out = Out::default();
    session_ok(state, session, ctx.now)?;
    if state.identified.is_some() {
        return Err(AccountError::LevelAlreadyHeld.into());
    }
    if matches!(
        state.dossier.as_ref().map(|d| &d.status),
        Some(DossierStatus::Submitted)
    ) {
        return Err(AccountError::DossierPending.into());
    }
    if !state.app_account {
        return Err(out_of_order(state, CommandKind::SubmitLevel1Dossier));
    }
    if Some(card.id_number) != state.id_number {
        return Err(AccountError::CardMismatch.into());
    }
    if let Some(d) = &state.details
        && (d.full_name != card.full_name
            || d.date_of_birth != card.date_of_birth
            || d.sex != card.sex)
    {
        return Err(AccountError::CardMismatch.into());
    }
    text_field(&portrait.0, "portrait", 512)?;
    if let Some(e) = &email
        && !email_ok(e)
    {
        return Err(AccountError::InvalidField("email").into());
    }
    let id_number = card.id_number;
    out.kinds.push(EventKind::Level1DossierSubmitted {
        card,
        portrait,
        email,
    });
    out.effects.push(Effect::NotifyOfficers {
        id_number,
        notice: OfficerNotice::DossierToReview { level: Level::One },
    });
    Ok(out)
}

/// [`Action::ApproveDossier`].
pub(super) fn approve_dossier(state: &Account, officer: OfficerId) -> Res {
    let mut out = Out::default();
    let Some(d) = &state.dossier else {
        return Err(AccountError::NoDossierPending.into());
    };
    if d.status != DossierStatus::Submitted {
        return Err(AccountError::NoDossierPending.into());
    }
    out.kinds.push(EventKind::DossierApproved {
        officer,
        level: d.level,
    });
    // A level-2 dossier's SMS goes to the phone the officer took (the
    // account's since the record, which only an officer changes).
    if !state.active
        && let Some(phone) = d.phone.as_ref().or(state.phone.as_ref())
    {
        out.effects.push(Effect::SendSms {
            phone: phone.clone(),
            kind: SmsKind::Approval,
            text: approval_sms(&d.card.full_name),
        });
    }
    Ok(out)
}

/// [`Action::RejectDossier`].
pub(super) fn reject_dossier(state: &Account, officer: OfficerId, reason: RejectionReason) -> Res {
    let mut out = Out::default();
    match state.dossier.as_ref().map(|d| &d.status) {
        Some(DossierStatus::Submitted) => {}
        _ => return Err(AccountError::NoDossierPending.into()),
    }
    out.kinds
        .push(EventKind::DossierNotAccepted { officer, reason });
    Ok(out)
}
