//! What the handlers of a request on one account do before their command,
//! written once: the body parsed, the ID number it names checked, the rate
//! limits of the request's kind taken on the client address and that ID
//! number (and, for a guess at a secret, the ID number's daily cap), and
//! the command executed with refusals that name no field to a caller who
//! has not proved who they are.

use std::net::IpAddr;

use axum::body::Bytes;
use cccd::IdNumber;
use eid_account::{Account, Action, Decision, DeviceUse, Phone, RegistryAnswer};
use serde::de::DeserializeOwned;

use super::AppState;
use super::error::ApiError;
use super::handlers::{id_number, parse};
use super::limits::ip_key;

/// A request body that names the account it is about.
pub(crate) trait NamesAccount {
    /// The ID number as sent.
    fn id_number(&self) -> &str;
}

/// Parses `body` and checks the ID number it names.
pub(crate) fn named<B: DeserializeOwned + NamesAccount>(
    body: &Bytes,
) -> Result<(B, IdNumber), ApiError> {
    let b: B = parse(body)?;
    let id = id_number(b.id_number())?;
    Ok((b, id))
}

/// The rate limits of a request, by what it does.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Limit<'a> {
    /// It sends an OTP: per address, per phone when it gives one, per ID
    /// number (in that order).
    OtpSend {
        /// The phone the OTP goes to, when the body names it.
        phone: Option<&'a Phone>,
    },
    /// It starts an activation.
    Activation,
    /// It guesses an OTP.
    OtpCheck,
    /// It guesses the password.
    Password,
    /// It guesses the password and sends an OTP (a device change).
    PasswordThenOtp,
    /// It guesses the passcode.
    Passcode,
    /// It guesses the security answers.
    Answers,
}

impl AppState {
    /// Takes the limits of `limit` for a request from `ip` on `id`.
    pub(crate) async fn limit_request(
        &self,
        ip: IpAddr,
        id: &IdNumber,
        limit: Limit<'_>,
    ) -> Result<(), ApiError> {
        let l = self.limits;
        match limit {
            Limit::OtpSend { phone } => {
                self.limit(format!("otp_send_ip:{}", ip_key(ip)), l.otp_sends)
                    .await?;
                if let Some(phone) = phone {
                    self.limit(format!("otp_send_phone:{}", phone.as_str()), l.otp_sends)
                        .await?;
                }
                self.limit(format!("otp_send_id:{}", id.as_str()), l.otp_sends)
                    .await
            }
            Limit::Activation => {
                self.limit_ip_and_id("activation", ip, id, l.activations)
                    .await
            }
            Limit::OtpCheck => self.limit_guess("otp_check", ip, id, l.otp_checks).await,
            Limit::Password => self.limit_guess("login", ip, id, l.logins).await,
            Limit::PasswordThenOtp => {
                self.limit_guess("login", ip, id, l.logins).await?;
                self.limit(format!("otp_send_id:{}", id.as_str()), l.otp_sends)
                    .await
            }
            Limit::Passcode => self.limit_guess("passcode", ip, id, l.logins).await,
            Limit::Answers => self.limit_guess("answers", ip, id, l.logins).await,
        }
    }

    /// [`AppState::execute`] for a caller who has not proved who they are:
    /// a refusal is answered as [`ApiError::for_unauthenticated`] words it.
    pub(crate) async fn execute_public(
        &self,
        id: &IdNumber,
        action: Action,
        registry: Option<RegistryAnswer>,
        device_use: Option<DeviceUse>,
    ) -> Result<(Account, Decision), ApiError> {
        self.execute(id, action, registry, device_use)
            .await
            .map_err(ApiError::for_unauthenticated)
    }
}

/// Implements [`NamesAccount`] for bodies with an `id_number` field (used
/// in the handlers' files, next to them).
macro_rules! names_account {
    ($($body:ty),* $(,)?) => {
        $(impl super::prologue::NamesAccount for $body {
            fn id_number(&self) -> &str {
                &self.id_number
            }
        })*
    };
}
pub(crate) use names_account;
