//! Security questions: two questions chosen from a catalogue, each with an
//! answer; answers are case-sensitive (seed 003) unless configured
//! otherwise, and stored hashed.

use rand_core::TryCryptoRng;
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

use crate::{Error, Hasher, SecretKind, Verification};

/// One question of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Question {
    /// A stable identifier, stored with the answer.
    pub id: String,
    /// The question in Vietnamese.
    pub vi: String,
    /// The question in English.
    pub en: String,
}

/// The questions offered to the holder.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Catalogue {
    questions: Vec<Question>,
}

/// The built-in catalogue: (id, Vietnamese, English). Illustrative: the
/// seeds do not list VNeID's own questions.
const BUILT_IN: &[(&str, &str, &str)] = &[
    (
        "first_school",
        "Tên trường tiểu học đầu tiên của bạn là gì?",
        "What was the name of your first primary school?",
    ),
    (
        "childhood_friend",
        "Tên người bạn thân nhất thời thơ ấu của bạn là gì?",
        "What is the name of your best childhood friend?",
    ),
    (
        "first_pet",
        "Tên con vật nuôi đầu tiên của bạn là gì?",
        "What was the name of your first pet?",
    ),
    (
        "mother_hometown",
        "Quê của mẹ bạn ở đâu?",
        "Where is your mother's home town?",
    ),
    (
        "favourite_teacher",
        "Tên thầy/cô giáo bạn yêu quý nhất là gì?",
        "What is the name of your favourite teacher?",
    ),
    (
        "favourite_food",
        "Món ăn bạn yêu thích nhất là gì?",
        "What is your favourite food?",
    ),
    (
        "first_job",
        "Bạn làm công việc đầu tiên ở đâu?",
        "Where was your first job?",
    ),
    (
        "childhood_nickname",
        "Biệt danh thời thơ ấu của bạn là gì?",
        "What was your childhood nickname?",
    ),
];

impl Default for Catalogue {
    fn default() -> Self {
        Catalogue {
            questions: BUILT_IN
                .iter()
                .map(|(id, vi, en)| Question {
                    id: (*id).to_owned(),
                    vi: (*vi).to_owned(),
                    en: (*en).to_owned(),
                })
                .collect(),
        }
    }
}

impl Catalogue {
    /// A catalogue of your own: at least two questions, distinct non-empty ids.
    pub fn new(questions: Vec<Question>) -> Result<Self, Error> {
        let bad = |reason| Err(Error::InvalidConfig { reason });
        if questions.len() < 2 {
            return bad("a catalogue needs at least two questions");
        }
        for (i, q) in questions.iter().enumerate() {
            if q.id.is_empty() || q.vi.trim().is_empty() || q.en.trim().is_empty() {
                return bad("a question needs an id and both texts");
            }
            if questions.iter().skip(i + 1).any(|o| o.id == q.id) {
                return bad("question ids must be distinct");
            }
        }
        Ok(Catalogue { questions })
    }

    /// The questions.
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    /// The question with this id.
    pub fn get(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}

/// How answers are compared. `#[non_exhaustive]`, so that a rule can be
/// added: start from [`AnswerRules::default`] and use the `with_*` builders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct AnswerRules {
    /// Compare case-sensitively (the default, as the seeds say).
    pub case_sensitive: bool,
}

impl Default for AnswerRules {
    fn default() -> Self {
        AnswerRules {
            case_sensitive: true,
        }
    }
}

impl AnswerRules {
    /// Sets [`AnswerRules::case_sensitive`].
    #[must_use]
    pub const fn with_case_sensitive(mut self, case_sensitive: bool) -> Self {
        self.case_sensitive = case_sensitive;
        self
    }

    /// NFC, leading and trailing whitespace removed, inner runs of
    /// whitespace made one space, and lower case when not case-sensitive.
    fn normalise(&self, answer: &str) -> Zeroizing<String> {
        let nfc: Zeroizing<String> = Zeroizing::new(answer.nfc().collect());
        let mut out = Zeroizing::new(String::with_capacity(nfc.len()));
        for (i, word) in nfc.split_whitespace().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
        if self.case_sensitive {
            out
        } else {
            Zeroizing::new(out.to_lowercase())
        }
    }
}

/// One stored answer: the question's id and the Argon2id PHC string.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StoredAnswer {
    /// The question's id.
    pub question_id: String,
    /// The answer's hash (PHC string).
    pub hash: String,
}

/// The two questions and hashed answers of one holder, with the comparison
/// rules in force when they were set (so later configuration changes do not
/// lock anyone out).
///
/// ```
/// use eid_credentials::{AnswerRules, Catalogue, HashParams, Hasher, Pepper, SecurityQuestions};
/// let hasher = Hasher::new(HashParams::new(64, 1, 1))?
///     .with_pepper(Pepper::new(b"q1", &[9u8; 32])?);
/// let stored = SecurityQuestions::set_up(
///     &Catalogue::default(),
///     AnswerRules::default(),
///     &[("first_pet", "Mực"), ("favourite_food", "Phở bò")],
///     &hasher,
///     &mut getrandom::SysRng,
/// )?;
/// assert!(stored.verify(&hasher, "first_pet", "Mực")?.is_match());
/// assert!(!stored.verify(&hasher, "first_pet", "mực")?.is_match()); // case-sensitive
/// assert!(stored.verify(&hasher, "favourite_food", "  Phở   bò ")?.is_match());
/// # Ok::<(), eid_credentials::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SecurityQuestions {
    rules: AnswerRules,
    answers: Vec<StoredAnswer>,
}

impl SecurityQuestions {
    /// Sets up exactly two distinct questions from `catalogue`, each with a
    /// non-empty answer, hashed with `hasher` (which needs a pepper).
    pub fn set_up<R: TryCryptoRng + ?Sized>(
        catalogue: &Catalogue,
        rules: AnswerRules,
        choices: &[(&str, &str)],
        hasher: &Hasher,
        rng: &mut R,
    ) -> Result<Self, Error> {
        let [(q1, a1), (q2, a2)] = choices else {
            return Err(Error::WrongNumberOfQuestions(choices.len()));
        };
        if q1 == q2 {
            return Err(Error::SameQuestionTwice);
        }
        let mut answers = Vec::with_capacity(2);
        for (q, a) in [(q1, a1), (q2, a2)] {
            if catalogue.get(q).is_none() {
                return Err(Error::UnknownQuestion((*q).to_owned()));
            }
            let norm = rules.normalise(a);
            if norm.is_empty() {
                return Err(Error::EmptyAnswer((*q).to_owned()));
            }
            answers.push(StoredAnswer {
                question_id: (*q).to_owned(),
                hash: hasher.hash(SecretKind::Answer, &norm, rng)?,
            });
        }
        Ok(SecurityQuestions { rules, answers })
    }

    /// The ids of the two questions, to ask them again.
    pub fn question_ids(&self) -> impl Iterator<Item = &str> {
        self.answers.iter().map(|a| a.question_id.as_str())
    }

    /// The stored answers.
    pub fn answers(&self) -> &[StoredAnswer] {
        &self.answers
    }

    /// The comparison rules recorded at set-up.
    pub fn rules(&self) -> AnswerRules {
        self.rules
    }

    /// Checks the answer to one of the two questions.
    pub fn verify(
        &self,
        hasher: &Hasher,
        question_id: &str,
        answer: &str,
    ) -> Result<Verification, Error> {
        let stored = self
            .answers
            .iter()
            .find(|a| a.question_id == question_id)
            .ok_or_else(|| Error::UnknownQuestion(question_id.to_owned()))?;
        let norm = self.rules.normalise(answer);
        if norm.is_empty() {
            return Ok(Verification::Mismatch);
        }
        hasher.verify(SecretKind::Answer, &norm, &stored.hash)
    }
}
