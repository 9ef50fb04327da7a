//! Level 2 (seeds 000, 002, 004): the appointment at the office and the
//! dossier the officer records there.

use super::*;

/// [`Action::BookAppointment`].
pub(super) fn book_appointment<R: TryCryptoRng + ?Sized>(
    state: &Account,
    ctx: &mut Context<'_, R>,
    session: SessionId,
    office: String,
    at: u64,
) -> Res {
    let mut out = Out::default();
    session_ok(state, session, ctx.now)?;
    if state.identified == Some(Level::Two) {
        return Err(AccountError::LevelAlreadyHeld.into());
    }
    if let Some(d) = &state.dossier
        && d.level == Level::Two
        && d.status == DossierStatus::Submitted
    {
        return Err(AccountError::DossierPending.into());
    }
    if at <= ctx.now {
        return Err(AccountError::AppointmentInPast.into());
    }
    text_field(&office, "office", 200)?;
    let id_number = state.id_number.ok_or(AccountError::NoAccount)?;
    out.effects.push(Effect::NotifyOfficers {
        id_number,
        notice: OfficerNotice::AppointmentBooked {
            office: office.clone(),
            at,
        },
    });
    out.kinds.push(EventKind::AppointmentBooked { office, at });
    Ok(out)
}

/// [`Action::CancelAppointment`].
pub(super) fn cancel_appointment<R: TryCryptoRng + ?Sized>(
    state: &Account,
    ctx: &mut Context<'_, R>,
    session: SessionId,
) -> Res {
    let mut out = Out::default();
    session_ok(state, session, ctx.now)?;
    if state.appointment.is_none() {
        return Err(AccountError::NoAppointment.into());
    }
    out.kinds.push(EventKind::AppointmentCancelled);
    Ok(out)
}

/// [`Action::RecordLevel2Dossier`]: the officer's record at the office.
/// The phone the officer took becomes the account's (the seeds' activation
/// phone is "the one registered with the police", 000 step 3; "SĐT khi làm
/// CCCD", 004), whatever phone an app account had.
pub(super) fn record_level2_dossier(state: &Account, action: Action) -> Res {
    let Action::RecordLevel2Dossier {
        officer,
        office,
        card,
        phone,
        documents,
    } = action
    else {
        return Err(out_of_order(state, CommandKind::RecordLevel2Dossier));
    };
    let mut out = Out::default();
    if state.identified == Some(Level::Two) {
        return Err(AccountError::LevelAlreadyHeld.into());
    }
    if let Some(d) = &state.dossier
        && d.level == Level::Two
        && d.status == DossierStatus::Submitted
    {
        return Err(AccountError::DossierPending.into());
    }
    if let Some(id) = &state.id_number
        && *id != card.id_number
    {
        return Err(AccountError::CardMismatch.into());
    }
    text_field(&office, "office", 200)?;
    text_field(&card.full_name, "full_name", 100)?;
    out.effects.push(Effect::NotifyOfficers {
        id_number: card.id_number,
        notice: OfficerNotice::DossierToReview { level: Level::Two },
    });
    out.kinds.push(EventKind::Level2DossierRecorded {
        officer,
        office: Some(office.trim().to_owned()),
        card,
        phone,
        documents,
    });
    Ok(out)
}
