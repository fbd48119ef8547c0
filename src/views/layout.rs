//! What every page's frame (`templates/base.html`) needs: the translator, the navigation a user
//! may use, who is signed in, and the CSRF token for the header's forms.

use crate::auth::Identity;
use crate::domain::FieldError;
use crate::domain::figures::Figure;
use crate::domain::policy::Act;
use crate::domain::role::Role;
use crate::i18n::{Arg, Lang, Tr};
use crate::routes::static_files;

/// Which part of the application a page belongs to (highlights the navigation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `/`.
    Dashboard,
    /// `/posts…`.
    Posts,
    /// Crossing events.
    Events,
    /// Coordination agreements.
    Agreements,
    /// People.
    People,
    /// Reports.
    Reports,
    /// `/admin…`.
    Admin,
    /// `/audit…`.
    Audit,
    /// `/account`.
    Account,
    /// `/queue`.
    Queue,
    /// Pages outside the navigation.
    Other,
}

/// One navigation link.
#[derive(Debug, Clone)]
pub struct NavLink {
    /// Target.
    pub href: &'static str,
    /// Text.
    pub label: String,
    /// Whether the page shown belongs to it (`aria-current="page"`).
    pub current: bool,
    /// A count beside it (what waits on `/queue`), in the user's digits.
    pub count: Option<String>,
}

/// The signed-in user, as the header shows them.
#[derive(Debug, Clone)]
pub struct UserBar {
    /// Display name.
    pub display_name: String,
    /// Role, in words.
    pub role: String,
    /// "All posts" or the assigned codes.
    pub scope: String,
}

/// The role in words, in the page's language.
pub fn role_label(tr: &Tr, role: Role) -> String {
    tr.t(&format!("role-{}", role.as_str()))
}

/// Data for the shared layout.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Translates and formats for this page.
    pub tr: Tr,
    /// The stylesheet's URL, carrying its content hash so browsers may cache it for a year.
    pub stylesheet: String,
    /// Navigation links the user may follow.
    pub nav: Vec<NavLink>,
    /// Who is signed in, if anyone.
    pub user: Option<UserBar>,
    /// The CSRF token for every form of the page (masked afresh for each page); empty when there
    /// is none.
    pub csrf_token: String,
    /// The message the last action left, shown once at the top of this page.
    pub notice: Option<crate::auth::notice::Notice>,
}

impl Layout {
    /// The layout for an anonymous visitor.
    pub fn anonymous(tr: Tr) -> Self {
        Self {
            tr,
            stylesheet: static_files::versioned_url("css/app.css"),
            nav: Vec::new(),
            user: None,
            csrf_token: String::new(),
            notice: None,
        }
    }

    /// The layout for a signed-in user on a page of `section`.
    pub fn for_user(identity: &Identity, section: Section) -> Self {
        let tr = Tr {
            lang: identity.language,
            digits: identity.digits,
        };
        let link = |href, key: &str, this| NavLink {
            href,
            label: tr.t(key),
            current: section == this,
            count: None,
        };
        let mut nav = vec![
            link("/", "nav-dashboard", Section::Dashboard),
            link("/posts", "nav-posts", Section::Posts),
            link("/events", "nav-events", Section::Events),
            link("/agreements", "nav-agreements", Section::Agreements),
            link("/people", "nav-people", Section::People),
            link("/reports/headcount", "nav-reports", Section::Reports),
        ];
        if let Some(waiting) = identity.queue_count {
            let mut queue = link("/queue", "nav-queue", Section::Queue);
            // Nothing waiting: the link stays, without a count.
            queue.count = match waiting {
                0 => None,
                n if n > crate::services::queue::COUNT_CAP => {
                    Some(format!("{}+", tr.num(crate::services::queue::COUNT_CAP)))
                }
                n => Some(tr.num(n)),
            };
            nav.insert(1, queue);
        }
        if identity.may(Act::ReviewAudit) {
            nav.push(link("/audit", "nav-audit", Section::Audit));
        }
        if identity.may(Act::ManageUsers) {
            nav.push(link("/admin/users", "nav-admin", Section::Admin));
        }
        let scope = if identity.all_posts {
            tr.t("scope-all-posts")
        } else if identity.post_codes.is_empty() {
            tr.t("scope-no-posts")
        } else {
            identity.post_codes.join(", ")
        };
        // Until a required second factor is enrolled, no link would lead anywhere else.
        if identity.must_enrol {
            nav.clear();
        }
        Self {
            nav,
            user: Some(UserBar {
                display_name: identity.display_name.clone(),
                role: role_label(&tr, identity.role),
                scope,
            }),
            csrf_token: crate::auth::csrf::masked(&identity.csrf_token),
            notice: identity.notice.clone(),
            ..Self::anonymous(tr)
        }
    }

    /// With the anonymous CSRF token, so the language switch works before sign-in.
    pub fn with_csrf(mut self, token: &str) -> Self {
        self.csrf_token = crate::auth::csrf::masked(token);
        self
    }

    /// `lang` attribute of `<html>`.
    pub fn lang(&self) -> &'static str {
        self.tr.lang.code()
    }

    /// `dir` attribute of `<html>`.
    pub fn dir(&self) -> &'static str {
        self.tr.lang.dir()
    }

    /// The languages the switch offers: code, own name, whether current.
    pub fn languages(&self) -> Vec<(&'static str, &'static str, bool)> {
        Lang::ALL
            .iter()
            .map(|l| (l.code(), l.native_name(), *l == self.tr.lang))
            .collect()
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    /// The message `key` with a count.
    pub fn n(&self, key: &str, count: impl std::borrow::Borrow<usize>) -> String {
        let count = *count.borrow();
        self.tr.n(key, i64::try_from(count).unwrap_or(i64::MAX))
    }

    /// "Audit seq N, head …" at a report's foot, in the page's language (Western digits: the
    /// reader compares it character by character with a receipt).
    pub fn audit_stamp(&self, stamp: &crate::audit::receipt::Stamp) -> String {
        self.tr.ta(
            "audit-stamp",
            &[
                ("seq", Arg::Text(stamp.seq.to_string())),
                ("head", Arg::Text(stamp.head.clone())),
            ],
        )
    }

    /// The message `key` with one text argument.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        self.tr.ta(key, &[(name, Arg::Text(value.to_owned()))])
    }

    /// A field's error message in the page's language (`error-KEY` in the translations; the
    /// domain's English text if a key were ever missing, which a test prevents).
    pub fn field_error(&self, error: &FieldError) -> String {
        let key = format!("error-{}", error.key);
        if !self.tr.has(&key) {
            return error.message.clone();
        }
        let args: Vec<(&str, Arg)> = error
            .args
            .iter()
            .map(|(n, v)| (*n, self.error_arg(n, v)))
            .collect();
        self.tr.ta(&key, &args)
    }

    /// An error's argument in the page's language: days as dates, categories as words, counts
    /// with separators and the user's digits; anything else as given.
    fn error_arg(&self, name: &str, value: &str) -> Arg {
        if name == "count"
            && let Ok(n) = value.parse::<i64>()
        {
            // A number, so the message can choose its plural form.
            return Arg::Count(n);
        }
        Arg::Text(match name {
            "status" => self
                .tr
                .t(&format!("agreement-status-{}", value.replace('_', "-"))),
            "day" | "from" | "to" => chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .map(|d| self.tr.date(d))
                .unwrap_or_else(|_| value.to_owned()),
            "category" => self.tr.t(&format!("category-plural-{value}")),
            "from_status" | "to_status" => self
                .tr
                .t(&format!("person-status-{}", value.replace('_', "-"))),
            "leaving" | "present" | "headcount" => value
                .parse::<i64>()
                .map(|n| self.tr.num(n))
                .unwrap_or_else(|_| value.to_owned()),
            _ => value.to_owned(),
        })
    }

    /// Whether an error refuses an action (closing a day, verifying) rather than a field of a
    /// form the page shows.
    pub fn is_action_error(&self, error: &FieldError) -> bool {
        matches!(error.field, "day" | "status")
    }

    /// The heading of a page's error summary: "Please correct these 2 fields", or, when only an
    /// action was refused, "This was not done".
    pub fn summary_title(&self, errors: &crate::domain::FieldErrors) -> String {
        if errors.iter().all(|e| self.is_action_error(e)) {
            self.t("action-refused")
        } else {
            self.n("fields-to-correct", errors.len())
        }
    }

    /// A summary line for a field's error: "Label: message" when the field has a label.
    pub fn summary_line(&self, error: &FieldError) -> String {
        let key = error.label.map_or_else(
            || format!("field-{}", error.field.replace('_', "-")),
            str::to_owned,
        );
        let message = self.field_error(error);
        if self.tr.has(&key) {
            format!("{}: {message}", self.tr.t(&key))
        } else {
            message
        }
    }

    /// A country named in the page's language from its ISO 3166 code ("Iraq", "العراق"); the
    /// code itself when it is not in the list.
    pub fn country(&self, code: &str) -> String {
        self.tr.country(code)
    }

    /// A number in the user's digits.
    pub fn num(&self, n: impl Count) -> String {
        self.tr.num(n.count())
    }

    /// What follows a figure's verified number when pending entries change it: "verified ·
    /// 1,200 including 200 pending" (or, for pending departures, "verified · 1,000 after 100
    /// pending departures"). Empty when every entry is verified.
    pub fn pending_note(&self, f: impl AsFigure) -> String {
        let f = f.as_figure();
        let key = match f.pending {
            0 => return String::new(),
            p if p > 0 => "figure-pending-note",
            _ => "figure-pending-note-out",
        };
        self.tr.ta(
            key,
            &[
                ("all", Arg::Text(self.num(f.all))),
                ("pending", Arg::Text(self.num(f.pending.abs()))),
            ],
        )
    }

    /// A table cell's short mark of pending entries: "+200 pending" or "−100 pending". Empty
    /// when every entry is verified.
    pub fn pending_mark(&self, f: impl AsFigure) -> String {
        let f = f.as_figure();
        let key = match f.pending {
            0 => return String::new(),
            p if p > 0 => "figure-pending-mark",
            _ => "figure-pending-mark-out",
        };
        self.t1(key, "pending", &self.num(f.pending.abs()))
    }
}

/// A whole number a template hands to [`Layout::num`], however many references deep askama's
/// loops and matches have put it.
pub trait Count {
    /// The number.
    fn count(&self) -> i64;
}

impl Count for i64 {
    fn count(&self) -> i64 {
        *self
    }
}

impl Count for i32 {
    fn count(&self) -> i64 {
        i64::from(*self)
    }
}

impl<T: Count + ?Sized> Count for &T {
    fn count(&self) -> i64 {
        (**self).count()
    }
}

/// A figure a template hands to [`Layout::pending_note`] or [`Layout::pending_mark`], however
/// many references deep askama's loops have put it.
pub trait AsFigure {
    /// The figure.
    fn as_figure(&self) -> Figure;
}

impl AsFigure for Figure {
    fn as_figure(&self) -> Figure {
        *self
    }
}

impl<T: AsFigure + ?Sized> AsFigure for &T {
    fn as_figure(&self) -> Figure {
        (**self).as_figure()
    }
}
