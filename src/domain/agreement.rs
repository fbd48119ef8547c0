//! Coordination agreements: the form, clauses, observations and the status lifecycle.
//! Pure: no database, no clock.

use chrono::NaiveDate;

use super::digits::ascii_digits;
use super::event::bounded_text;
use super::{FieldError, FieldErrors, collect, parse_date};

/// Where an agreement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgreementStatus {
    /// Being written; nothing may be returned under it.
    Draft,
    /// A supervisor asked to put it in force; another must confirm.
    PendingActivation,
    /// In force: returns may cite it.
    Active,
    /// Temporarily not in force.
    Suspended,
    /// Over; final.
    Concluded,
}

impl AgreementStatus {
    /// Whether compliance with its clauses can be observed: once it has been in force, not while
    /// a draft or awaiting its second supervisor.
    pub fn observable(self) -> bool {
        !matches!(self, Self::Draft | Self::PendingActivation)
    }

    /// Every status, in lifecycle order.
    pub const ALL: [AgreementStatus; 5] = [
        Self::Draft,
        Self::PendingActivation,
        Self::Active,
        Self::Suspended,
        Self::Concluded,
    ];

    /// The stable spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::PendingActivation => "pending_activation",
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Concluded => "concluded",
        }
    }

    /// The status with this spelling.
    pub fn from_str_opt(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw.trim())
    }

    /// Where a request for `target` leads from here: putting an agreement in force only asks
    /// for it (a second supervisor confirms); the other moves take effect at once. `None` when
    /// the move is not allowed.
    pub fn request(self, target: AgreementStatus) -> Option<AgreementStatus> {
        use AgreementStatus::*;
        match (self, target) {
            (Draft | Suspended, Active) => Some(PendingActivation),
            (PendingActivation, Draft) => Some(Draft),
            (Active, Suspended) => Some(Suspended),
            (Active | Suspended, Concluded) => Some(Concluded),
            _ => None,
        }
    }

    /// The statuses a request may name from here (for the form).
    pub fn targets(self) -> Vec<AgreementStatus> {
        Self::ALL
            .into_iter()
            .filter(|t| self.request(*t).is_some())
            .collect()
    }
}

/// The kinds of clause an agreement holds.
pub const CLAUSE_KINDS: [&str; 6] = [
    "no_reprisals",
    "amnesty",
    "safe_passage",
    "medical_care",
    "third_party_access",
    "other",
];

/// What an observation found about a clause.
pub const FINDINGS: [&str; 3] = ["complied", "alleged_breach", "confirmed_breach"];

/// Longest reference, title and parties.
const LINE_MAX: usize = 200;
/// Longest terms and clause text.
const TEXT_MAX: usize = 10_000;
/// Largest planned headcount.
const PLANNED_MAX: i32 = 1_000_000;

/// One typed clause.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Clause {
    /// One of [`CLAUSE_KINDS`].
    pub kind: String,
    /// Its wording.
    pub text: String,
}

/// The agreement form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgreementForm {
    /// Unique reference, e.g. `IQ-SY-2024-12`.
    pub reference: String,
    /// Title.
    pub title: String,
    /// Who agreed.
    pub parties: String,
    /// `YYYY-MM-DD`.
    pub signed_on: String,
    /// `YYYY-MM-DD`.
    pub effective_from: String,
    /// `YYYY-MM-DD`, optional.
    pub effective_to: String,
    /// Free text.
    pub terms: String,
    /// Optional number of people to be returned.
    pub planned_headcount: String,
    /// Covered post codes.
    pub post_codes: Vec<String>,
    /// Clauses; rows with empty text are ignored.
    pub clauses: Vec<Clause>,
}

/// A validated agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementFields {
    /// Trimmed reference.
    pub reference: String,
    /// Title.
    pub title: String,
    /// Parties.
    pub parties: String,
    /// Signed on.
    pub signed_on: NaiveDate,
    /// First day in force.
    pub effective_from: NaiveDate,
    /// Last day in force, if any.
    pub effective_to: Option<NaiveDate>,
    /// Terms.
    pub terms: String,
    /// Planned headcount.
    pub planned_headcount: Option<i32>,
    /// Post codes (upper-case, unique, at least one); their existence is checked on saving.
    pub post_codes: Vec<String>,
    /// Clauses with text.
    pub clauses: Vec<Clause>,
}

fn required_date(raw: &str, field: &'static str) -> Result<NaiveDate, FieldError> {
    parse_date(raw, field)?.ok_or_else(|| FieldError::required(field))
}

/// The agreement's reference is labelled as such, not as an event's document reference.
pub const REFERENCE_LABEL: &str = "field-agreement-reference";

impl AgreementForm {
    /// Validates the whole form, reporting every problem at once.
    pub fn parse(&self) -> Result<AgreementFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let reference = collect(
            &mut errors,
            bounded_text(&self.reference, "reference", LINE_MAX, true)
                .map_err(|e| e.with_label(REFERENCE_LABEL)),
        );
        let title = collect(
            &mut errors,
            bounded_text(&self.title, "title", LINE_MAX, true),
        );
        let parties = collect(
            &mut errors,
            bounded_text(&self.parties, "parties", LINE_MAX, true),
        );
        let signed_on = collect(&mut errors, required_date(&self.signed_on, "signed_on"));
        let effective_from = collect(
            &mut errors,
            required_date(&self.effective_from, "effective_from"),
        );
        let effective_to = collect(&mut errors, parse_date(&self.effective_to, "effective_to"));
        if let (Some(from), Some(Some(to))) = (effective_from, effective_to)
            && to < from
        {
            errors.push(FieldError::new(
                "effective_to",
                "effective-to-before-from",
                "Cannot end before it takes effect.",
            ));
        }
        let terms = collect(
            &mut errors,
            bounded_text(&self.terms, "terms", TEXT_MAX, false),
        );
        let planned = ascii_digits(&self.planned_headcount)
            .trim()
            .replace([',', '٬'], "");
        let planned_headcount = if planned.is_empty() {
            Some(None)
        } else {
            match planned.parse::<i32>() {
                Ok(n) if (1..=PLANNED_MAX).contains(&n) => Some(Some(n)),
                _ => {
                    errors.push(
                        FieldError::new(
                            "planned_headcount",
                            "planned-invalid",
                            "Use a whole number from 1 to 1,000,000, or leave it empty.",
                        )
                        .with_arg("max", PLANNED_MAX.to_string()),
                    );
                    None
                }
            }
        };
        let mut post_codes: Vec<String> = self
            .post_codes
            .iter()
            .map(|c| ascii_digits(c).trim().to_uppercase())
            .filter(|c| !c.is_empty())
            .collect();
        post_codes.sort();
        post_codes.dedup();
        if post_codes.is_empty() {
            errors.push(FieldError::new(
                "post_codes",
                "posts-required",
                "Choose at least one border post.",
            ));
        }
        let mut clauses = Vec::new();
        for clause in &self.clauses {
            let text = clause.text.trim();
            if text.is_empty() {
                continue;
            }
            if !CLAUSE_KINDS.contains(&clause.kind.as_str()) {
                errors.push(FieldError::new(
                    "clauses",
                    "clause-kind-invalid",
                    "Choose the kind of each clause.",
                ));
                continue;
            }
            if text.chars().count() > TEXT_MAX {
                errors.push(
                    FieldError::new("clauses", "too-long", "At most 10000 characters.")
                        .with_arg("max", TEXT_MAX.to_string()),
                );
                continue;
            }
            clauses.push(Clause {
                kind: clause.kind.clone(),
                text: text.to_owned(),
            });
        }
        match (
            reference,
            title,
            parties,
            signed_on,
            effective_from,
            effective_to,
            terms,
            planned_headcount,
        ) {
            (
                Some(reference),
                Some(title),
                Some(parties),
                Some(signed_on),
                Some(effective_from),
                Some(effective_to),
                Some(terms),
                Some(planned_headcount),
            ) if errors.is_empty() => Ok(AgreementFields {
                reference,
                title,
                parties,
                signed_on,
                effective_from,
                effective_to,
                terms,
                planned_headcount,
                post_codes,
                clauses,
            }),
            _ => Err(errors),
        }
    }
}

/// Whether `day` lies in the window `from..=to` (open-ended without `to`).
pub fn in_window(day: NaiveDate, from: NaiveDate, to: Option<NaiveDate>) -> bool {
    day >= from && to.is_none_or(|to| day <= to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> AgreementForm {
        AgreementForm {
            reference: " IQ-SY-2024-12 ".into(),
            title: "Return of Syrian military personnel through Al-Qaim".into(),
            parties: "Iraq; Syrian interim authorities".into(),
            signed_on: "2024-12-18".into(),
            effective_from: "٢٠٢٤-١٢-١٨".into(),
            effective_to: "".into(),
            terms: "No harassment or punishment on return.".into(),
            planned_headcount: "2,000".into(),
            post_codes: vec!["qaim".into(), "QAIM".into()],
            clauses: vec![
                Clause {
                    kind: "no_reprisals".into(),
                    text: "Returning personnel face no reprisals.".into(),
                },
                Clause {
                    kind: "other".into(),
                    text: "  ".into(),
                },
            ],
        }
    }

    #[test]
    fn a_good_form_parses_and_tidies() {
        let f = form().parse().expect("valid");
        assert_eq!(f.reference, "IQ-SY-2024-12");
        assert_eq!(
            f.effective_from,
            NaiveDate::from_ymd_opt(2024, 12, 18).expect("date")
        );
        assert_eq!(f.effective_to, None);
        assert_eq!(f.planned_headcount, Some(2000));
        assert_eq!(f.post_codes, vec!["QAIM".to_owned()]);
        assert_eq!(f.clauses.len(), 1, "empty clause rows are ignored");
    }

    #[test]
    fn every_mistake_is_reported_at_once() {
        let mut f = form();
        f.title = "".into();
        f.effective_to = "2024-12-01".into();
        f.planned_headcount = "0".into();
        f.post_codes.clear();
        f.clauses[0].kind = "bribe".into();
        let errors = f.parse().expect_err("invalid");
        let keys: Vec<&str> = errors.iter().map(|e| e.key).collect();
        assert_eq!(
            keys,
            vec![
                "required",
                "effective-to-before-from",
                "planned-invalid",
                "posts-required",
                "clause-kind-invalid"
            ]
        );
    }

    #[test]
    fn the_lifecycle_needs_a_request_to_go_into_force() {
        use AgreementStatus::*;
        assert_eq!(Draft.request(Active), Some(PendingActivation));
        assert_eq!(Suspended.request(Active), Some(PendingActivation));
        assert_eq!(Active.request(Suspended), Some(Suspended));
        assert_eq!(Active.request(Concluded), Some(Concluded));
        assert_eq!(PendingActivation.request(Draft), Some(Draft));
        assert_eq!(Draft.request(Concluded), None);
        assert_eq!(Concluded.request(Active), None);
        assert_eq!(
            PendingActivation.request(Active),
            None,
            "only a confirmation activates"
        );
        assert_eq!(Active.targets(), vec![Suspended, Concluded]);
        for s in AgreementStatus::ALL {
            assert_eq!(AgreementStatus::from_str_opt(s.as_str()), Some(s));
        }
    }

    #[test]
    fn the_window_is_inclusive_and_may_be_open() {
        let d = |day| NaiveDate::from_ymd_opt(2024, 12, day).expect("date");
        assert!(in_window(d(18), d(18), None));
        assert!(in_window(d(31), d(18), Some(d(31))));
        assert!(!in_window(d(17), d(18), None));
        assert!(!in_window(d(31), d(18), Some(d(30))));
    }
}
