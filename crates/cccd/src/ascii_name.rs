//! Names without diacritics, as the approval SMS writes them:
//! `Nguyễn Văn An` becomes `NGUYEN VAN AN`.
//!
//! Every Vietnamese letter decomposes (Unicode NFD) into a Latin base letter
//! and combining marks (tone marks, breve, circumflex, horn), except `Đ`/`đ`,
//! which map to `D`. Marks are dropped, letters upper-cased and runs of white
//! space folded into one space.

#[allow(unused_imports)]
use crate::prelude::*;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The name in upper-case ASCII without diacritics, white space folded.
///
/// Letters outside Vietnamese that have no decomposition to ASCII are kept
/// (upper-cased) rather than dropped, so no part of a name disappears.
pub fn ascii_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_space = false;
    for c in name.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            'đ' | 'Đ' => out.push('D'),
            c => out.extend(c.to_uppercase()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every Vietnamese vowel with every tone mark (none, huyền, sắc, hỏi,
    /// ngã, nặng), lower and upper case, typed as precomposed text, with
    /// the letter it must become.
    const VOWELS: [(&str, char); 24] = [
        ("aàáảãạ", 'A'),
        ("ăằắẳẵặ", 'A'),
        ("âầấẩẫậ", 'A'),
        ("eèéẻẽẹ", 'E'),
        ("êềếểễệ", 'E'),
        ("iìíỉĩị", 'I'),
        ("oòóỏõọ", 'O'),
        ("ôồốổỗộ", 'O'),
        ("ơờớởỡợ", 'O'),
        ("uùúủũụ", 'U'),
        ("ưừứửữự", 'U'),
        ("yỳýỷỹỵ", 'Y'),
        ("AÀÁẢÃẠ", 'A'),
        ("ĂẰẮẲẴẶ", 'A'),
        ("ÂẦẤẨẪẬ", 'A'),
        ("EÈÉẺẼẸ", 'E'),
        ("ÊỀẾỂỄỆ", 'E'),
        ("IÌÍỈĨỊ", 'I'),
        ("OÒÓỎÕỌ", 'O'),
        ("ÔỒỐỔỖỘ", 'O'),
        ("ƠỜỚỞỠỢ", 'O'),
        ("UÙÚỦŨỤ", 'U'),
        ("ƯỪỨỬỮỰ", 'U'),
        ("YỲÝỶỸỴ", 'Y'),
    ];

    #[test]
    fn every_vowel_with_every_tone() {
        let mut count = 0;
        for (letters, base) in VOWELS {
            assert_eq!(letters.chars().count(), 6, "{letters}");
            for c in letters.chars() {
                assert_eq!(ascii_name(&c.to_string()), base.to_string(), "{c}");
                // Decomposed input gives the same.
                let nfd: String = c.to_string().nfd().collect();
                assert_eq!(ascii_name(&nfd), base.to_string(), "{c} (NFD)");
                count += 1;
            }
        }
        assert_eq!(count, 144);
    }

    #[test]
    fn d_with_stroke_and_the_consonants() {
        assert_eq!(ascii_name("đĐ"), "DD");
        assert_eq!(ascii_name("bcdghklmnpqrstvx"), "BCDGHKLMNPQRSTVX");
    }

    #[test]
    fn names_as_the_approval_sms_writes_them() {
        assert_eq!(ascii_name("Nguyễn Văn An"), "NGUYEN VAN AN");
        assert_eq!(ascii_name("  Đặng   Thị\tMỹ Hạnh "), "DANG THI MY HANH");
        assert_eq!(ascii_name("Trương Quốc Hưng"), "TRUONG QUOC HUNG");
        assert_eq!(ascii_name("Lê Thị Ngọc Ánh"), "LE THI NGOC ANH");
        assert_eq!(ascii_name(""), "");
    }

    proptest! {
        #[test]
        fn output_of_vietnamese_text_is_upper_ascii(s in "[a-zA-ZàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđĐ ]{0,40}") {
            let out = ascii_name(&s);
            prop_assert!(out.bytes().all(|b| b.is_ascii_uppercase() || b == b' '), "{}", out);
            prop_assert!(!out.starts_with(' ') && !out.ends_with(' ') && !out.contains("  "));
            // Idempotent.
            prop_assert_eq!(ascii_name(&out), out.clone());
        }
    }
}
