//! Writes the statement in one language from the facts. Every sentence is one Fluent message
//! (`situation-*` in `locales/*/main.ftl`), so a translator changes words, order and plural
//! forms without touching code. Numbers, dates and data (names, references, clause texts) go in
//! as arguments; numbers come back as links to the page that produced them.
//!
//! How links survive Fluent: each number or piece of data is passed as one private-use
//! character standing for a slot (U+E000 + the slot's index). After formatting, the text is
//! split at those characters and each slot put back as a link or as data. Data therefore never
//! passes through the digit conversion of the reader's choice (a reference like
//! `IQ-SY/2024/RET-01` keeps its digits), and is never mistaken for markup.

use chrono::{Datelike, NaiveDate};

use super::facts::{AgreementFacts, CategoryFacts, Facts, Movement, PostFacts, Standing};
use crate::domain::event::Category;
use crate::i18n::{Arg, Lang, Tr};

/// A run of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// The message's own words.
    Text(String),
    /// Data from the record, shown as entered (isolated for direction in HTML).
    Data(String),
    /// A number, linked to the page that produced it.
    Link {
        /// The number as shown.
        text: String,
        /// Where it comes from.
        href: String,
    },
}

/// One sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence(pub Vec<Piece>);

impl Sentence {
    /// The sentence as plain text.
    pub fn plain(&self) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Piece::Text(t) | Piece::Data(t) => t.as_str(),
                Piece::Link { text, .. } => text.as_str(),
            })
            .collect()
    }
}

/// A heading and its sentences.
#[derive(Debug, Clone)]
pub struct Paragraph {
    /// The heading.
    pub heading: String,
    /// The sentences, in order.
    pub sentences: Vec<Sentence>,
}

/// The statement in one language.
#[derive(Debug, Clone)]
pub struct Statement {
    /// Its language.
    pub lang: Lang,
    /// "Situation as of …".
    pub title: String,
    /// What the figures are.
    pub lead: String,
    /// Per post, then agreements, then people.
    pub paragraphs: Vec<Paragraph>,
}

impl Statement {
    /// The statement as plain text: the title, the lead, each heading with its sentences as
    /// one paragraph, blank lines between.
    pub fn plain(&self) -> String {
        let mut out = format!("{}\n{}\n", self.title, self.lead);
        for p in &self.paragraphs {
            out.push('\n');
            out.push_str(&p.heading);
            out.push('\n');
            let sentences: Vec<String> = p.sentences.iter().map(Sentence::plain).collect();
            out.push_str(&sentences.join(" "));
            out.push('\n');
        }
        out
    }
}

/// A slot: what a private-use character stands for.
enum Slot {
    Data(String),
    Link(String, String),
}

/// Formats messages for one statement, collecting slots.
struct Writer {
    tr: Tr,
    slots: Vec<Slot>,
}

const FIRST_SLOT: u32 = 0xE000;
const LAST_SLOT: u32 = 0xF8FF;

impl Writer {
    fn slot(&mut self, slot: Slot) -> Arg {
        let index = self.slots.len() as u32;
        self.slots.push(slot);
        Arg::Text(
            char::from_u32(FIRST_SLOT + index.min(LAST_SLOT - FIRST_SLOT))
                .unwrap_or('\u{FFFD}')
                .to_string(),
        )
    }

    /// Data from the record.
    fn data(&mut self, text: &str) -> Arg {
        self.slot(Slot::Data(text.to_owned()))
    }

    /// A number in the reader's digits, linked to `href`.
    fn number(&mut self, n: i64, href: String) -> Arg {
        let text = self.tr.num(n);
        self.slot(Slot::Link(text, href))
    }

    fn text(&self, key: &str, args: &[(&str, Arg)]) -> Arg {
        Arg::Text(self.tr.ta(key, args))
    }

    /// A message as a sentence, slots put back.
    fn sentence(&self, key: &str, args: &[(&str, Arg)]) -> Sentence {
        let text = self.tr.ta(key, args);
        let mut pieces = Vec::new();
        let mut run = String::new();
        for c in text.chars() {
            let code = c as u32;
            let slot = (FIRST_SLOT..=LAST_SLOT)
                .contains(&code)
                .then(|| self.slots.get((code - FIRST_SLOT) as usize))
                .flatten();
            match slot {
                None => run.push(c),
                Some(slot) => {
                    if !run.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut run)));
                    }
                    pieces.push(match slot {
                        Slot::Data(t) => Piece::Data(t.clone()),
                        Slot::Link(text, href) => Piece::Link {
                            text: text.clone(),
                            href: href.clone(),
                        },
                    });
                }
            }
        }
        if !run.is_empty() {
            pieces.push(Piece::Text(run));
        }
        Sentence(pieces)
    }

    /// A long date: `7 December 2024` / `7 كانون الأول 2024`, in the reader's digits.
    fn date(&self, day: NaiveDate) -> Arg {
        Arg::Text(self.tr.long_date(day))
    }

    /// "On 7 December 2024", "On 18 and 19 December 2024", "Between 7 and 9 December 2024", …
    fn when(&self, days: &[NaiveDate]) -> Arg {
        let (Some(first), Some(last)) = (days.first(), days.last()) else {
            return Arg::Text(String::new());
        };
        let span = if first == last {
            "day"
        } else if (first.year(), first.month()) == (last.year(), last.month()) {
            if days.len() == 2 { "pair" } else { "month" }
        } else if first.year() == last.year() {
            "year"
        } else {
            "years"
        };
        let month = |d: &NaiveDate| self.tr.t(&format!("month-long-{}", d.month()));
        self.text(
            "situation-when",
            &[
                ("span", Arg::Text(span.into())),
                ("from_day", Arg::Text(self.tr.year(first.day() as i32))),
                ("from_month", Arg::Text(month(first))),
                ("from_year", Arg::Text(self.tr.year(first.year()))),
                ("day", Arg::Text(self.tr.year(last.day() as i32))),
                ("month", Arg::Text(month(last))),
                ("year", Arg::Text(self.tr.year(last.year()))),
            ],
        )
    }
}

/// Where a figure of a post comes from: its headcount report over the days given.
fn report_href(code: &str, category: Category, from: NaiveDate, to: NaiveDate) -> String {
    format!(
        "/reports/headcount?post={code}&from={from}&to={to}&category={}",
        category.as_str()
    )
}

/// Writes the statement in `tr`'s language.
pub fn write(facts: &Facts, tr: Tr) -> Statement {
    let mut w = Writer {
        tr,
        slots: Vec::new(),
    };
    let as_of = w.date(facts.as_of);
    let mut paragraphs = Vec::new();
    for post in &facts.posts {
        paragraphs.push(post_paragraph(&mut w, post, facts.as_of));
    }
    let agreements: Vec<Sentence> = facts
        .agreements
        .iter()
        .flat_map(|a| agreement_sentences(&mut w, a, facts.as_of))
        .collect();
    if !agreements.is_empty() {
        paragraphs.push(Paragraph {
            heading: w.tr.t("situation-agreements"),
            sentences: agreements,
        });
    }
    if facts.declined > 0 {
        let href = match facts.posts.as_slice() {
            [one] => format!("/people?status=declines_return&post={}", one.post.code),
            _ => "/people?status=declines_return".to_owned(),
        };
        let n = w.number(facts.declined, href);
        let sentence = w.sentence(
            "situation-declined",
            &[("count", Arg::Count(facts.declined)), ("n", n)],
        );
        paragraphs.push(Paragraph {
            heading: w.tr.t("situation-people"),
            sentences: vec![sentence],
        });
    }
    Statement {
        lang: tr.lang,
        title: w.tr.ta("situation-heading", &[("date", as_of.clone())]),
        lead: w.tr.ta("situation-lead", &[("date", as_of)]),
        paragraphs,
    }
}

fn post_name(w: &Writer, post: &crate::db::posts::Post) -> String {
    match w.tr.lang {
        Lang::Ar if !post.name_ar.trim().is_empty() => post.name_ar.clone(),
        _ => post.name_en.clone(),
    }
}

/// "1,100 military personnel" / "1100 عسكري", the number linked.
fn people(w: &mut Writer, category: Category, n: i64, href: String) -> Arg {
    let shown = w.number(n, href);
    w.text(
        &format!("situation-people-{}", category.as_str()),
        &[("count", Arg::Count(n)), ("n", shown)],
    )
}

fn post_paragraph(w: &mut Writer, facts: &PostFacts, as_of: NaiveDate) -> Paragraph {
    let post = &facts.post;
    let name = post_name(w, post);
    let here = w.tr.country(&post.country);
    let there = w.tr.country(&post.neighbour_country);
    let mut sentences = Vec::new();
    let mut entered_before = false;
    for c in &facts.categories {
        if let Some(s) = entered(w, post, &name, &here, c) {
            sentences.push(s);
            entered_before = true;
        }
    }
    for c in &facts.categories {
        if let Some(s) = returned(w, post, &name, &there, c, entered_before) {
            sentences.push(s);
        }
    }
    let crossed = facts
        .categories
        .iter()
        .any(|c| c.entered.people > 0 || c.returned.people > 0);
    let post_arg = w.data(&name);
    if crossed {
        sentences.push(remaining(w, facts, post_arg.clone(), &here, as_of));
    } else {
        let date = w.date(as_of);
        sentences.push(w.sentence(
            "situation-nothing",
            &[("post", post_arg.clone()), ("date", date)],
        ));
    }
    let (entries, pending_in, pending_out) = facts.pending;
    if entries > 0 {
        let href = format!("/events?post={}&status=pending", post.code);
        let n = w.number(entries, href.clone());
        let pending_in = w.number(pending_in, href.clone());
        let pending_out = w.number(pending_out, href);
        sentences.push(w.sentence(
            "situation-pending",
            &[
                ("count", Arg::Count(entries)),
                ("n", n),
                ("post", post_arg),
                ("in", pending_in),
                ("out", pending_out),
            ],
        ));
    }
    if let Some(day) = facts.closed_up_to {
        let date = w.date(day);
        sentences.push(w.sentence("situation-closed", &[("date", date)]));
    }
    let code = w.data(&post.code);
    let heading_name = w.data(&name);
    Paragraph {
        heading: w
            .sentence(
                "situation-post-heading",
                &[("post", heading_name), ("code", code)],
            )
            .plain(),
        sentences,
    }
}

fn entered(
    w: &mut Writer,
    post: &crate::db::posts::Post,
    name: &str,
    country_name: &str,
    c: &CategoryFacts,
) -> Option<Sentence> {
    let Movement { people: n, days } = &c.entered;
    let (first, last) = (*days.first()?, *days.last()?);
    let who = people(
        w,
        c.category,
        *n,
        report_href(&post.code, c.category, first, last),
    );
    let when = w.when(days);
    let post_arg = w.data(name);
    Some(w.sentence(
        "situation-entered",
        &[
            ("when", when),
            ("people", who),
            ("count", Arg::Count(*n)),
            ("country", Arg::Text(country_name.to_owned())),
            ("post", post_arg),
        ],
    ))
}

fn returned(
    w: &mut Writer,
    post: &crate::db::posts::Post,
    name: &str,
    country_name: &str,
    c: &CategoryFacts,
    same_crossing: bool,
) -> Option<Sentence> {
    let Movement { people: n, days } = &c.returned;
    let (first, last) = (*days.first()?, *days.last()?);
    let who = people(
        w,
        c.category,
        *n,
        report_href(&post.code, c.category, first, last),
    );
    let when = w.when(days);
    let through = if same_crossing {
        w.text("situation-same-crossing", &[])
    } else {
        w.data(name)
    };
    let under = match c.returned_under.as_slice() {
        [] => Arg::Text(String::new()),
        [(_, reference, assured)] => {
            let reference = w.data(reference);
            let key = if *assured {
                "situation-under-agreement-assured"
            } else {
                "situation-under-agreement"
            };
            w.text(key, &[("reference", reference)])
        }
        several => {
            let references: Vec<&str> = several.iter().map(|(_, r, _)| r.as_str()).collect();
            let references = w.data(&references.join(", "));
            w.text("situation-under-agreements", &[("references", references)])
        }
    };
    Some(w.sentence(
        "situation-returned",
        &[
            ("when", when),
            ("people", who),
            ("count", Arg::Count(*n)),
            ("country", Arg::Text(country_name.to_owned())),
            ("through", through),
            ("under", under),
        ],
    ))
}

fn remaining(
    w: &mut Writer,
    facts: &PostFacts,
    post_arg: Arg,
    country_name: &str,
    as_of: NaiveDate,
) -> Sentence {
    let date = w.date(as_of);
    let code = facts.post.code.clone();
    let present: Vec<(Category, i64)> = facts
        .categories
        .iter()
        .filter(|c| c.remaining > 0)
        .map(|c| (c.category, c.remaining))
        .collect();
    let total: i64 = present.iter().map(|(_, n)| n).sum();
    let phrases: Vec<Arg> = present
        .iter()
        .map(|(category, n)| {
            people(
                w,
                *category,
                *n,
                report_href(&code, *category, as_of, as_of),
            )
        })
        .collect();
    let who = match phrases.as_slice() {
        [] => {
            return w.sentence(
                "situation-remaining-none",
                &[
                    ("date", date),
                    ("post", post_arg),
                    ("country", Arg::Text(country_name.to_owned())),
                ],
            );
        }
        [one] => one.clone(),
        [first, second, ..] => w.text(
            "situation-and",
            &[("first", first.clone()), ("second", second.clone())],
        ),
    };
    w.sentence(
        "situation-remaining",
        &[
            ("date", date),
            ("people", who),
            ("count", Arg::Count(total)),
            ("post", post_arg),
            ("country", Arg::Text(country_name.to_owned())),
        ],
    )
}

fn agreement_sentences(w: &mut Writer, a: &AgreementFacts, as_of: NaiveDate) -> Vec<Sentence> {
    let agreement = &a.agreement;
    let href = format!("/agreements/{}", agreement.id);
    let reference = w.data(&agreement.reference);
    let title = w.data(&agreement.title);
    let parties = w.data(&agreement.parties);
    let from = w.date(agreement.effective_from);
    let mut out = Vec::new();
    let common = |extra: Vec<(&'static str, Arg)>| {
        let mut args = vec![
            ("reference", reference.clone()),
            ("title", title.clone()),
            ("parties", parties.clone()),
            ("from", from.clone()),
        ];
        args.extend(extra);
        args
    };
    out.push(match (a.standing, agreement.effective_to) {
        (Standing::InForce, None) => w.sentence("situation-agreement-in-force", &common(vec![])),
        (Standing::InForce, Some(to)) => {
            let to = w.date(to);
            w.sentence(
                "situation-agreement-in-force-until",
                &common(vec![("to", to)]),
            )
        }
        (Standing::Ended(to), _) => {
            let to = w.date(to);
            w.sentence("situation-agreement-ended", &common(vec![("to", to)]))
        }
        (Standing::Suspended(day), _) => {
            let day = w.date(day);
            w.sentence(
                "situation-agreement-suspended",
                &common(vec![("date", day)]),
            )
        }
        (Standing::Concluded(day), _) => {
            let day = w.date(day);
            w.sentence(
                "situation-agreement-concluded",
                &common(vec![("date", day)]),
            )
        }
    });
    for clause in &a.clauses {
        let kind = w.tr.t(&format!("clause-{}", clause.kind.replace('_', "-")));
        let text = w.data(clause.text.trim());
        out.push(w.sentence(
            "situation-clause",
            &[("kind", Arg::Text(kind)), ("text", text)],
        ));
    }
    let date = w.date(as_of);
    let returned = w.number(a.returned, href.clone());
    out.push(match agreement.planned_headcount {
        Some(planned) => {
            let planned = w.number(i64::from(planned), href.clone());
            w.sentence(
                "situation-agreement-progress",
                &[
                    ("date", date.clone()),
                    ("returned", returned),
                    ("count", Arg::Count(a.returned)),
                    ("planned", planned),
                ],
            )
        }
        None => w.sentence(
            "situation-agreement-returned",
            &[
                ("date", date.clone()),
                ("returned", returned),
                ("count", Arg::Count(a.returned)),
            ],
        ),
    });
    if a.observations.is_empty() {
        out.push(w.sentence("situation-findings-none", &[("date", date)]));
    }
    for o in &a.observations {
        let day = w.date(o.observed_on);
        let source = w.data(&o.source);
        let finding = w.tr.t(&format!("finding-{}", o.finding.replace('_', "-")));
        let text = w.data(o.text.trim());
        out.push(w.sentence(
            "situation-finding",
            &[
                ("date", day),
                ("source", source),
                ("finding", Arg::Text(finding)),
                ("text", text),
            ],
        ));
    }
    let m = a.monitoring;
    if m.returnees > 0 {
        let returnees = w.number(m.returnees, href.clone());
        let followed = w.number(m.followed_up, href.clone());
        let safe = w.number(m.last_safe, href);
        out.push(w.sentence(
            "situation-monitoring",
            &[
                ("returnees", returnees),
                ("count", Arg::Count(m.returnees)),
                ("followed", followed),
                ("safe", safe),
            ],
        ));
    }
    out
}
