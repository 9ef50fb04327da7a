//! `docs/ACCOUNT-FLOWS.md` carries the state diagram rendered from the
//! code's transition table; this test fails when they differ.
//!
//! To regenerate after changing `eid_account::table`:
//! `EID_ACCOUNT_BLESS=1 cargo test -p eid-account --test suite diagram`, then
//! review and commit `docs/ACCOUNT-FLOWS.md`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;

use eid_account::table;

use crate::common::repo_path;

/// The document, or `None` when the crate is outside the repository.
fn doc_path() -> Option<PathBuf> {
    repo_path("docs/ACCOUNT-FLOWS.md")
}

fn begin(name: &str) -> String {
    format!(
        "<!-- BEGIN GENERATED {name}: EID_ACCOUNT_BLESS=1 cargo test -p eid-account --test suite diagram -->\n"
    )
}

fn end(name: &str) -> String {
    format!("<!-- END GENERATED {name} -->")
}

/// Replaces the text between the markers of `name`.
fn splice(doc: &str, name: &str, body: &str) -> Option<String> {
    let (b, e) = (begin(name), end(name));
    let start = doc.find(&b)? + b.len();
    let stop = start + doc[start..].find(&e)?;
    Some(format!("{}{}{}", &doc[..start], body, &doc[stop..]))
}

fn generated(doc: &str) -> Option<String> {
    let d = splice(
        doc,
        "mermaid",
        &format!("```mermaid\n{}```\n", table::mermaid()),
    )?;
    splice(&d, "self-loops", &table::self_loops_markdown())
}

#[test]
fn the_diagram_in_the_docs_matches_the_transition_table() {
    let Some(path) = doc_path() else {
        return;
    };
    let doc = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let want = generated(&doc).unwrap_or_else(|| {
        panic!(
            "{} lacks the markers {:?}...{:?} (and the same for self-loops)",
            path.display(),
            begin("mermaid"),
            end("mermaid")
        )
    });
    if std::env::var_os("EID_ACCOUNT_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    assert!(
        doc == want,
        "docs/ACCOUNT-FLOWS.md is out of date with eid_account::table::transitions().\n\
         Regenerate it with\n    EID_ACCOUNT_BLESS=1 cargo test -p eid-account --test suite diagram\n\
         then review and commit the file."
    );
}

#[test]
fn every_phase_appears_in_the_diagram_and_the_table_is_consistent() {
    let m = table::mermaid();
    for p in table::Phase::ALL {
        assert!(m.contains(p.name()), "{p:?} missing from the diagram");
    }
    let t = table::transitions();
    let mut sorted = t.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(t, sorted, "sorted, no duplicates");
    // The happy path is in the table.
    use table::{CommandKind as C, Phase as P};
    for (from, c, to) in [
        (P::Unregistered, C::Register, P::RegistrationOtp),
        (P::RegistrationOtp, C::VerifyOtp, P::RegistrationPassword),
        (P::RegistrationPassword, C::SetPassword, P::AppAccount),
        (P::AppAccount, C::SubmitLevel1Dossier, P::DossierSubmitted),
        (P::DossierSubmitted, C::ApproveDossier, P::Identified),
        (P::Identified, C::StartActivation, P::ActivationOtp),
        (P::ActivationOtp, C::VerifyOtp, P::ActivationPasscode),
        (
            P::ActivationPasscode,
            C::SetPasscode,
            P::ActivationQuestions,
        ),
        (P::ActivationQuestions, C::SetSecurityQuestions, P::Active),
    ] {
        assert!(table::allows(from, c, to), "{from:?} {c:?} {to:?}");
    }
    // No shortcut to Active.
    assert!(
        t.iter()
            .filter(|x| x.to == P::Active && x.from != P::Active)
            .all(|x| x.from == P::ActivationQuestions || x.from == P::Locked)
    );
}
