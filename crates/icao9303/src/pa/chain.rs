//! Building and checking the path from a signer's certificate to a CSCA of
//! the trust store: names and key identifiers, signatures, key usage and
//! basic constraints, link certificates, validity, CRLs.

use crate::pa::cert::{Certificate, names_match, rfc3339};
use crate::pa::hex;
use crate::pa::trust_store::TrustStore;
use crate::pa::verdict::Check;

/// The longest path followed through link certificates.
const MAX_DEPTH: usize = 5;

/// What the leaf certificate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A Document Signer (signs EF.SOD).
    DocumentSigner,
    /// A master list signer.
    MasterListSigner,
}

/// The three chain-related checks and the path found.
#[derive(Debug, Clone)]
pub(crate) struct ChainOutcome {
    pub(crate) chain: Check,
    pub(crate) validity: Check,
    pub(crate) revocation: Check,
    /// From the leaf's issuer up to the trust anchor.
    pub(crate) path: Vec<Certificate>,
}

/// Whether `issuer` may have issued `cert`: names, and key identifiers when
/// both are present.
fn may_issue(issuer: &Certificate, cert: &Certificate) -> bool {
    if !names_match(
        cert.issuer_der(),
        || cert.issuer_text().to_owned(),
        issuer.subject_der(),
        || issuer.subject_text().to_owned(),
    ) {
        return false;
    }
    match (
        cert.authority_key_identifier(),
        issuer.subject_key_identifier(),
    ) {
        (Some(aki), Some(ski)) => aki == ski,
        _ => true,
    }
}

/// Rules for a certificate that signs others: keyCertSign when key usage
/// is present, CA when basic constraints are.
fn check_ca(c: &Certificate) -> Result<(), String> {
    if let Some(oid) = c.unprocessed_critical_extension() {
        return Err(format!(
            "{} has a critical extension {oid} this verifier does not process",
            c.subject()
        ));
    }
    match c.key_usage() {
        Ok(Some(ku)) if !ku.key_cert_sign() => {
            return Err(format!("{} lacks the keyCertSign key usage", c.subject()));
        }
        Err(e) => return Err(format!("{}: {e}", c.subject())),
        _ => {}
    }
    match c.basic_constraints() {
        Ok(Some(bc)) if !bc.ca => Err(format!("{} is not a CA (basic constraints)", c.subject())),
        Err(e) => Err(format!("{}: {e}", c.subject())),
        _ => Ok(()),
    }
}

/// Rules for the signer itself; the error carries the verdict's code.
fn check_leaf(c: &Certificate) -> Result<(), (&'static str, String)> {
    if let Some(oid) = c.unprocessed_critical_extension() {
        return Err((
            "unknown-critical-extension",
            format!(
                "{} has a critical extension {oid} this verifier does not process",
                c.subject()
            ),
        ));
    }
    match c.key_usage() {
        Ok(Some(ku)) if !ku.digital_signature() => Err((
            "key-usage",
            format!("{} lacks the digitalSignature key usage", c.subject()),
        )),
        Err(e) => Err(("key-usage", format!("{}: {e}", c.subject()))),
        _ => Ok(()),
    }
}

/// Follows issuers from `cert` through the store; returns the path (the
/// issuer first) or the reasons each candidate was refused.
fn build(
    cert: &Certificate,
    store: &TrustStore,
    depth: usize,
    refusals: &mut Vec<String>,
) -> Option<Vec<Certificate>> {
    if depth >= MAX_DEPTH {
        refusals.push("path too long".to_owned());
        return None;
    }
    for candidate in store.certificates().iter().filter(|c| may_issue(c, cert)) {
        if candidate == cert {
            continue;
        }
        if let Err(e) = cert.check_signed_by(candidate) {
            refusals.push(format!(
                "{} (serial {}): {e}",
                candidate.subject(),
                candidate.serial_number()
            ));
            continue;
        }
        if let Err(e) = check_ca(candidate) {
            refusals.push(e);
            continue;
        }
        if candidate.is_self_issued() {
            // A root: its self-signature must hold too, unless it is a
            // self-issued link certificate signed by another key, which
            // is followed below.
            if candidate.is_self_signed() {
                return Some(vec![candidate.clone()]);
            }
        }
        // A link certificate (or an intermediate in the store): follow it
        // to its issuer when the store has one; trusted as it stands
        // otherwise (every certificate of the store is a CSCA).
        let has_issuer = store
            .certificates()
            .iter()
            .any(|c| c != candidate && may_issue(c, candidate));
        if !has_issuer {
            if candidate.is_self_issued() {
                refusals.push(format!(
                    "{} (serial {}): its self-signature does not verify and no other key issued it",
                    candidate.subject(),
                    candidate.serial_number()
                ));
                continue;
            }
            return Some(vec![candidate.clone()]);
        }
        let mut inner = Vec::new();
        if let Some(rest) = build(candidate, store, depth.saturating_add(1), &mut inner) {
            let mut path = vec![candidate.clone()];
            path.extend(rest);
            return Some(path);
        }
        refusals.push(format!(
            "link certificate {} (serial {}) does not chain: {}",
            candidate.subject(),
            candidate.serial_number(),
            inner.join("; ")
        ));
    }
    None
}

/// Verifies `leaf` up to a CSCA of `store` at `now`.
pub(crate) fn verify(
    leaf: &Certificate,
    role: Role,
    store: &TrustStore,
    now: der::DateTime,
) -> ChainOutcome {
    let mut refusals = Vec::new();
    let leaf_rule = check_leaf(leaf);
    let path = build(leaf, store, 0, &mut refusals);
    let what = match role {
        Role::DocumentSigner => "Document Signer",
        Role::MasterListSigner => "master list signer",
    };
    let chain = match (&path, leaf_rule) {
        (_, Err((code, e))) => Check::failed(code, e),
        (Some(p), Ok(())) => {
            // Serial numbers, not names: the names are text only when the
            // verdict is printed (`chain_certificates`).
            let serials: Vec<String> = p
                .iter()
                .map(|c| format!("serial {}", c.serial_number()))
                .collect();
            Check::passed(format!(
                "{what} (serial {}) is signed by {} (the trust anchor)",
                leaf.serial_number(),
                serials.join(", signed by ")
            ))
        }
        (None, Ok(())) if refusals.is_empty() => {
            let aki = leaf
                .authority_key_identifier()
                .map(|a| format!(", authority key identifier {}", hex(&a)))
                .unwrap_or_default();
            if store.is_empty() {
                Check::not_checked(
                    "unknown-csca",
                    format!(
                        "no CSCA supplied: cannot check the issuer {}{aki}",
                        leaf.issuer()
                    ),
                )
            } else {
                Check::not_checked(
                    "unknown-csca",
                    format!(
                        "no CSCA of the trust store ({} certificates) is the issuer {}{aki}",
                        store.len(),
                        leaf.issuer()
                    ),
                )
            }
        }
        (None, Ok(())) => Check::failed(
            "bad-certificate-signature",
            format!(
                "the {what} certificate does not verify with any matching CSCA: {}",
                refusals.join("; ")
            ),
        ),
    };
    let path = path.unwrap_or_default();
    let validity = validity(leaf, &path, now);
    let revocation = revocation(leaf, &path, store, now);
    ChainOutcome {
        chain,
        validity,
        revocation,
        path,
    }
}

fn validity(leaf: &Certificate, path: &[Certificate], now: der::DateTime) -> Check {
    let t = now.unix_duration().as_secs();
    let mut problems = Vec::new();
    for c in std::iter::once(leaf).chain(path.iter()) {
        let (a, b) = c.validity_secs();
        if t < a {
            problems.push(format!(
                "{} is not valid before {}",
                c.subject(),
                c.validity_text().0
            ));
        } else if t > b {
            problems.push(format!(
                "{} expired at {}",
                c.subject(),
                c.validity_text().1
            ));
        }
    }
    let at = rfc3339(now);
    if problems.is_empty() {
        Check::passed(format!(
            "{} certificate(s) valid at {at}",
            path.len().saturating_add(1)
        ))
    } else {
        let code = if problems.iter().any(|p| p.contains("expired")) {
            "expired"
        } else {
            "not-yet-valid"
        };
        Check::failed(code, format!("at {at}: {}", problems.join("; ")))
    }
}

fn revocation(
    leaf: &Certificate,
    path: &[Certificate],
    store: &TrustStore,
    now: der::DateTime,
) -> Check {
    if store.crls().is_empty() {
        return Check::not_checked("no-crl", "no CRL supplied");
    }
    let t = now.unix_duration().as_secs();
    // Each certificate but the anchor is checked against its issuer's CRLs.
    let subjects: Vec<&Certificate> = std::iter::once(leaf).chain(path.iter()).collect();
    let mut checked = Vec::new();
    let mut stale = Vec::new();
    for pair in subjects.windows(2) {
        let [cert, issuer] = pair else { continue };
        for crl in store.crls().iter().filter(|c| {
            names_match(
                &c.issuer_der(),
                || c.issuer(),
                issuer.subject_der(),
                || issuer.subject_text().to_owned(),
            )
        }) {
            // The CSCA may sign its CRL with another of its keys (after a
            // key rollover): any certificate of that name in the store
            // will do, the chain's own issuer first.
            let signers = std::iter::once(*issuer).chain(store.certificates().iter().filter(|c| {
                names_match(
                    c.subject_der(),
                    || c.subject_text().to_owned(),
                    &crl.issuer_der(),
                    || crl.issuer(),
                )
            }));
            let mut errors = Vec::new();
            let mut verified = false;
            for s in signers {
                match crl.check_signed_by(s) {
                    Ok(()) => {
                        verified = true;
                        break;
                    }
                    Err(e) => errors.push(e.to_string()),
                }
            }
            if !verified {
                return Check::failed(
                    "crl-bad-signature",
                    format!(
                        "the CRL of {} does not verify with any certificate of its issuer: {}",
                        crl.issuer(),
                        errors.join("; ")
                    ),
                );
            }
            if let Some(date) = crl.revocation_of(cert) {
                return Check::failed(
                    "revoked",
                    format!(
                        "{} (serial {}) was revoked on {} by the CRL of {}",
                        cert.subject(),
                        cert.serial_number(),
                        date,
                        crl.issuer()
                    ),
                );
            }
            if crl.next_update_secs().is_some_and(|n| n < t) {
                stale.push(crl.issuer());
            }
            checked.push(format!(
                "{} (serial {})",
                cert.subject(),
                cert.serial_number()
            ));
        }
    }
    if checked.is_empty() {
        if path.is_empty() {
            return Check::not_checked("no-crl", "chain not built: no issuer to match a CRL to");
        }
        return Check::not_checked("no-crl", "no CRL of the chain's issuers supplied");
    }
    if !stale.is_empty() {
        return Check::not_checked(
            "crl-stale",
            format!(
                "not revoked, but the CRL of {} is past its nextUpdate",
                stale.join(", ")
            ),
        );
    }
    Check::passed(format!("not revoked: {}", checked.join(", ")))
}

/// Checks that `cert` is signed by one of `roots` (for a master list
/// signer); the same rules as a Document Signer's chain.
pub(crate) fn verify_against(
    leaf: &Certificate,
    roots: &TrustStore,
    now: der::DateTime,
) -> ChainOutcome {
    verify(leaf, Role::MasterListSigner, roots, now)
}
