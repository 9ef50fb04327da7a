//! Staff: officers (dossiers, level 2, locks) and reporters (the
//! personal-data report), by the SHA-256 of their bearer token; and the
//! `--officers-file` format: one per line, `ID:TOKEN` (an officer) or
//! `ID:TOKEN:ROLES` with ROLES `officer`, `reporter` or `officer+reporter`;
//! `#` starts a comment.

use std::collections::HashMap;
use std::path::Path;

use super::token_hash;

/// A staff token's holder and roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Staff {
    /// The officer's or reporter's id.
    pub(crate) id: String,
    /// May review dossiers, record level 2, lock and unlock accounts.
    pub(crate) officer: bool,
    /// May read the personal-data report.
    pub(crate) reporter: bool,
}

/// (id, token) pairs.
pub(crate) type Pairs = Vec<(String, String)>;

/// The staff table by token hash: a token in both lists has both roles.
pub(crate) fn table(officers: &Pairs, reporters: &Pairs) -> HashMap<String, Staff> {
    let mut staff = HashMap::<String, Staff>::new();
    for (list, officer) in [(officers, true), (reporters, false)] {
        for (id, token) in list {
            let s = staff.entry(token_hash(token)).or_insert_with(|| Staff {
                id: id.clone(),
                officer: false,
                reporter: false,
            });
            if officer {
                s.officer = true;
            } else {
                s.reporter = true;
            }
        }
    }
    staff
}

/// `ID:TOKEN`, with a token of 16 characters or more and no colon.
pub(crate) fn id_token(flag: &str, s: &str) -> Result<(String, String), String> {
    match s.trim().split_once(':') {
        Some((id, token)) if !id.is_empty() && token.len() >= 16 && !token.contains(':') => {
            Ok((id.to_owned(), token.to_owned()))
        }
        _ => Err(format!(
            "{flag}: ID:TOKEN with a token of 16 characters or more (no colon)"
        )),
    }
}

/// The officers and reporters of an officers file's text.
pub(crate) fn parse(text: &str) -> Result<(Pairs, Pairs), String> {
    let (mut officers, mut reporters) = (Vec::new(), Vec::new());
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let flag = format!("--officers-file line {}", n + 1);
        let (pair, roles) = match line.split(':').collect::<Vec<_>>().as_slice() {
            [id, token] => (id_token(&flag, &format!("{id}:{token}"))?, "officer"),
            [id, token, roles] => (id_token(&flag, &format!("{id}:{token}"))?, *roles),
            _ => return Err(format!("{flag}: ID:TOKEN or ID:TOKEN:ROLES")),
        };
        for role in roles.split('+') {
            match role.trim() {
                "officer" => officers.push(pair.clone()),
                "reporter" => reporters.push(pair.clone()),
                other => return Err(format!("{flag}: unknown role {other:?}")),
            }
        }
    }
    Ok((officers, reporters))
}

/// [`parse`] of the file at `path`, with a warning when others may read
/// it.
pub(crate) fn read_file(path: &Path) -> Result<(Pairs, Pairs), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("--officers-file {}: {e}", path.display()))?;
    #[cfg(unix)]
    if let Ok(m) = std::fs::metadata(path) {
        use std::os::unix::fs::PermissionsExt;
        if m.permissions().mode() & 0o077 != 0 {
            tracing::warn!(path = %path.display(), "the officers file is readable by others: chmod 600 it");
        }
    }
    parse(&text)
}
