//! A seeded randomized ledger test: thousands of operations (create, back-dated create,
//! correction including a change of category, void, verify, close, reopen) across two posts,
//! called on the services directly. Before each operation an independent in-memory model
//! predicts whether the service must accept or refuse it (and why); after every operation every
//! stored ledger row (rows without movement included) and every day closure is compared with a
//! replay from the events read back from the database and with the model.
//!
//! `REPATRACK_LEDGER_SEED` (decimal or `0x` hex) replays one run; `REPATRACK_LEDGER_OPS` sets
//! the number of operations (5,000 by default).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta, Timelike};
use diesel::prelude::*;
use repatrack::audit::Actor;
use repatrack::db::DbConn;
use repatrack::db::schema::{crossing_events, day_closures, post_days};
use repatrack::domain::event::EventForm;
use repatrack::domain::ids::{EventId, UserId};
use repatrack::domain::policy::{Denied, Principal};
use repatrack::domain::role::Role;
use repatrack::services::events::{self as event_service, EventError};
use repatrack::services::{Refused, ScopedPost, days};

use crate::helpers::*;

const DEFAULT_SEED: u64 = 0x5EED_1ED6_E202_4121;
const DEFAULT_OPS: usize = 5_000;
/// Days before the first "today" that events may be dated on.
const WINDOW_DAYS: i64 = 24;
/// The clock moves on this much per operation (5,000 operations: about 42 hours, so new days
/// begin during the run).
const TICK_SECONDS: i64 = 30;
const POSTS: [&str; 2] = ["QAIM", "RABIA"];
const CATEGORIES: [&str; 2] = ["military", "civilian"];
const OFFICERS: [usize; 2] = [0, 1];
const SUPERVISORS: [usize; 3] = [2, 3, 4];

// ---------------------------------------------------------------------------------------------
// Deterministic PRNG (splitmix64).

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

fn env_number(name: &str) -> Option<u64> {
    let raw = std::env::var(name).ok()?;
    let raw = raw.trim().replace('_', "");
    let parsed = match raw.strip_prefix("0x").or_else(|| raw.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => raw.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name}={raw} is not a number")))
}

// ---------------------------------------------------------------------------------------------
// The model: events, touched ledger days and closures, kept independently of the service.

/// Asia/Baghdad has been UTC+3 all year since 2008; the model does its own arithmetic.
fn local_day(at: NaiveDateTime) -> NaiveDate {
    (at + TimeDelta::hours(3)).date()
}

fn local_text(at: NaiveDateTime) -> String {
    (at + TimeDelta::hours(3))
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// A minute of a post-local day: often one of a few full hours, so that arrivals and
/// departures meet at the same instant.
fn random_minute(rng: &mut Rng) -> i64 {
    if rng.chance(40) {
        rng.range(8, 11) * 60
    } else {
        rng.range(0, 1439)
    }
}

fn utc_of_local(day: NaiveDate, minute: i64) -> NaiveDateTime {
    day.and_hms_opt(0, 0, 0).unwrap() + TimeDelta::minutes(minute) - TimeDelta::hours(3)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Pending,
    Verified,
    Voided,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Verified => "verified",
            Self::Voided => "voided",
        }
    }
}

/// The parts of an event a correction may change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Fields {
    at: NaiveDateTime,
    cat: u8,
    inbound: bool,
    headcount: i32,
}

impl Fields {
    fn form(&self) -> EventForm {
        EventForm {
            occurred_at: local_text(self.at),
            direction: if self.inbound { "inbound" } else { "outbound" }.into(),
            category: CATEGORIES[self.cat as usize].into(),
            headcount: self.headcount.to_string(),
            source: "Gate log".into(),
            ..EventForm::default()
        }
    }
}

#[derive(Clone, Debug)]
struct Event {
    id: i64,
    post: usize,
    f: Fields,
    status: Status,
    recorded_by: usize,
    changed_by: usize,
    /// Who corrected it since it was last verified (none may verify it).
    changers: Vec<usize>,
    verified_by: Option<usize>,
    version: i32,
}

/// `(post id, category index, post-local day)`: one ledger row's key.
type Key = (i64, u8, NaiveDate);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Row {
    inbound: i64,
    outbound: i64,
    closing: i64,
    low: i64,
}

/// One non-void movement.
struct Mov {
    key: Key,
    at: NaiveDateTime,
    inbound: bool,
    headcount: i64,
}

/// Replays the movements, day by day per post and category, over the days in `keys` and every
/// day with a movement: the rows, and whether any balance went below zero. Arrivals count
/// before departures at the same instant.
fn replay(mut movs: Vec<Mov>, keys: &BTreeSet<Key>) -> (BTreeMap<Key, Row>, bool) {
    movs.sort_by_key(|m| (m.key, m.at, !m.inbound));
    let mut all = keys.clone();
    all.extend(movs.iter().map(|m| m.key));
    let mut rows = BTreeMap::new();
    let mut negative = false;
    let mut running = 0;
    let mut series = None;
    let mut next = 0;
    for key in all {
        if series != Some((key.0, key.1)) {
            series = Some((key.0, key.1));
            running = 0;
        }
        let mut row = Row {
            inbound: 0,
            outbound: 0,
            closing: running,
            low: running,
        };
        while next < movs.len() && movs[next].key == key {
            let m = &movs[next];
            if m.inbound {
                row.inbound += m.headcount;
                running += m.headcount;
            } else {
                row.outbound += m.headcount;
                running -= m.headcount;
            }
            negative |= running < 0;
            row.low = row.low.min(running);
            next += 1;
        }
        row.closing = running;
        rows.insert(key, row);
    }
    (rows, negative)
}

/// Present at the end of `day`: the closing of the latest row on or before it.
fn closing_at(rows: &BTreeMap<Key, Row>, post: i64, cat: u8, day: NaiveDate) -> i64 {
    rows.range((post, cat, NaiveDate::MIN)..=(post, cat, day))
        .next_back()
        .map_or(0, |(_, r)| r.closing)
}

struct Model {
    post_ids: [i64; 2],
    user_ids: [i64; 5],
    events: Vec<Event>,
    /// Every ledger day a write has touched: rows are never deleted, even when every movement
    /// of the day has been voided or moved away.
    rows: BTreeSet<Key>,
    /// `(post index, day)` → recorded `[military, civilian]` closing.
    closures: BTreeMap<(usize, NaiveDate), [i64; 2]>,
}

impl Model {
    fn key(&self, post: usize, f: &Fields) -> Key {
        (self.post_ids[post], f.cat, local_day(f.at))
    }

    fn movs<'a>(&'a self, events: impl Iterator<Item = &'a Event>) -> Vec<Mov> {
        events
            .filter(|e| e.status != Status::Voided)
            .map(|e| Mov {
                key: self.key(e.post, &e.f),
                at: e.f.at,
                inbound: e.f.inbound,
                headcount: i64::from(e.f.headcount),
            })
            .collect()
    }

    fn ledger(&self) -> BTreeMap<Key, Row> {
        replay(self.movs(self.events.iter()), &self.rows).0
    }

    fn closed(&self, post: usize, day: NaiveDate) -> bool {
        self.closures.contains_key(&(post, day))
    }

    fn pending_on(&self, post: usize, day: NaiveDate) -> usize {
        self.events
            .iter()
            .filter(|e| e.post == post && e.status == Status::Pending && local_day(e.f.at) == day)
            .count()
    }

    /// The refusals of the ledger (invariant 1 and closed days' recorded balances) if the
    /// events became `candidate` (one event replaced or added) with `touched` days written.
    fn ledger_refusals(&self, candidate: &Event, touched: &[Key]) -> Vec<&'static str> {
        let others = self.events.iter().filter(|e| e.id != candidate.id);
        let mut movs = self.movs(others);
        movs.extend(self.movs(std::iter::once(candidate)));
        let mut keys = self.rows.clone();
        keys.extend(touched.iter().copied());
        let (rows, negative) = replay(movs, &keys);
        let mut refusals = Vec::new();
        if negative {
            refusals.push("balance-shortfall");
        }
        let shifted = self.closures.iter().any(|(&(post, day), recorded)| {
            (0..2u8).any(|cat| {
                closing_at(&rows, self.post_ids[post], cat, day) != recorded[cat as usize]
            })
        });
        if shifted {
            refusals.push("later-day-closed");
        }
        refusals
    }

    fn event_mut(&mut self, id: i64) -> &mut Event {
        self.events.iter_mut().find(|e| e.id == id).unwrap()
    }
}

// ---------------------------------------------------------------------------------------------
// Operations, predictions and answers.

#[derive(Clone, Debug)]
enum Op {
    Create {
        back_dated: bool,
        post: usize,
        f: Fields,
        by: usize,
    },
    Correct {
        event: i64,
        f: Fields,
        by: usize,
        reason: &'static str,
    },
    Void {
        event: i64,
        by: usize,
        reason: &'static str,
    },
    Verify {
        event: i64,
        by: usize,
    },
    Close {
        post: usize,
        day: NaiveDate,
        by: usize,
    },
    Reopen {
        post: usize,
        day: NaiveDate,
        by: usize,
        reason: &'static str,
    },
}

const KINDS: [&str; 8] = [
    "create",
    "create back-dated",
    "correct",
    "correct with category change",
    "void",
    "verify",
    "close",
    "reopen",
];

/// What the model says must happen.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Expect {
    Accept,
    /// `Refused::Invalid` with one of these keys.
    Invalid(Vec<&'static str>),
    Forbidden(Denied),
    Unchanged,
    /// The form itself is refused (before any service is asked), with this key.
    Form(&'static str),
}

/// What did happen.
#[derive(Debug)]
enum Got {
    Accepted(Option<EventId>),
    Invalid(Vec<&'static str>),
    Forbidden(Denied),
    Unchanged,
    Form(Vec<&'static str>),
    Other(String),
}

impl Got {
    fn matches(&self, expect: &Expect) -> bool {
        match (self, expect) {
            (Got::Accepted(_), Expect::Accept) | (Got::Unchanged, Expect::Unchanged) => true,
            (Got::Invalid(keys), Expect::Invalid(allowed)) => {
                !keys.is_empty() && keys.iter().all(|k| allowed.contains(k))
            }
            (Got::Forbidden(d), Expect::Forbidden(e)) => d == e,
            (Got::Form(keys), Expect::Form(k)) => keys == &[*k],
            _ => false,
        }
    }
}

fn got_event(r: Result<EventId, EventError>) -> Got {
    match r {
        Ok(id) => Got::Accepted(Some(id)),
        Err(e) => got_error(e),
    }
}

fn got_unit(r: Result<(), EventError>) -> Got {
    match r {
        Ok(()) => Got::Accepted(None),
        Err(e) => got_error(e),
    }
}

fn got_error(e: EventError) -> Got {
    match e {
        EventError::Refused(Refused::Invalid(errors)) => {
            Got::Invalid(errors.iter().map(|e| e.key).collect())
        }
        EventError::Refused(Refused::Forbidden(d)) => Got::Forbidden(d),
        EventError::Unchanged => Got::Unchanged,
        other => Got::Other(format!("{other:?}")),
    }
}

#[derive(Default)]
struct Tally {
    attempted: usize,
    accepted: usize,
    refused: usize,
}

struct Run {
    seed: u64,
    ops: usize,
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "REPATRACK_LEDGER_SEED={:#x} REPATRACK_LEDGER_OPS={}",
            self.seed, self.ops
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Comparing the database with a replay of its own events and with the model.

type EventColumns = (
    i64,
    i64,
    NaiveDateTime,
    NaiveDate,
    String,
    String,
    i32,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    i32,
);

/// One stored event, as far as the ledger and four eyes are concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct StoredEvent {
    id: i64,
    post: i64,
    at: NaiveDateTime,
    day: NaiveDate,
    inbound: bool,
    cat: u8,
    headcount: i32,
    status: Status,
    recorded_by: i64,
    changed_by: Option<i64>,
    verified_by: Option<i64>,
    version: i32,
}

fn cat_index(cat: &str, ctx: &str) -> u8 {
    CATEGORIES
        .iter()
        .position(|c| *c == cat)
        .unwrap_or_else(|| panic!("{ctx}: unknown category {cat:?}")) as u8
}

fn stored_event(c: EventColumns, ctx: &str) -> StoredEvent {
    let (id, post, at, day, direction, cat, headcount, status, recorded_by, changed, verified, v) =
        c;
    let status = [Status::Pending, Status::Verified, Status::Voided]
        .into_iter()
        .find(|s| s.as_str() == status)
        .unwrap_or_else(|| panic!("{ctx}: event {id} has status {status:?}"));
    assert!(
        direction == "inbound" || direction == "outbound",
        "{ctx}: event {id} has direction {direction:?}"
    );
    StoredEvent {
        id,
        post,
        at,
        day,
        inbound: direction == "inbound",
        cat: cat_index(&cat, ctx),
        headcount,
        status,
        recorded_by,
        changed_by: changed,
        verified_by: verified,
        version: v,
    }
}

/// The events read back from the database. Every write of an event sets its `updated_at` to
/// the operation's `now` and bumps its `version`, and the clock moves on before every operation:
/// so after each step the rows written by it are read again, the count and the sum of versions
/// of all rows are compared with the copy (a change that bypassed `updated_at` would show
/// there), and every [`FULL_READ_EVERY`] steps and at the end all rows are read again.
#[derive(Default)]
struct StoredEvents(BTreeMap<i64, StoredEvent>);

const FULL_READ_EVERY: usize = 250;

impl StoredEvents {
    fn refresh(&mut self, conn: &mut DbConn, since: Option<NaiveDateTime>, ctx: &str) {
        let mut query = crossing_events::table.into_boxed();
        if let Some(since) = since {
            query = query.filter(crossing_events::updated_at.ge(since));
        } else {
            self.0.clear();
        }
        let rows: Vec<EventColumns> = query
            .order(crossing_events::id)
            .select((
                crossing_events::id,
                crossing_events::post_id,
                crossing_events::occurred_at,
                crossing_events::local_day,
                crossing_events::direction,
                crossing_events::category,
                crossing_events::headcount,
                crossing_events::status,
                crossing_events::recorded_by,
                crossing_events::changed_by,
                crossing_events::verified_by,
                crossing_events::version,
            ))
            .load(conn)
            .unwrap();
        for row in rows {
            let e = stored_event(row, ctx);
            self.0.insert(e.id, e);
        }
        let (count, versions): (i64, Option<i64>) = crossing_events::table
            .select((
                diesel::dsl::count_star(),
                diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>>(
                    "CAST(SUM(version) AS BIGINT)",
                ),
            ))
            .first(conn)
            .unwrap();
        let copy: i64 = self.0.values().map(|e| i64::from(e.version)).sum();
        assert_eq!(
            (count, versions.unwrap_or(0)),
            (self.0.len() as i64, copy),
            "{ctx}: events (count, sum of versions) changed beyond the rows written by this step"
        );
    }
}

/// Compares; returns how many stored rows have no movement.
fn check(conn: &mut DbConn, stored_events: &StoredEvents, model: &Model, ctx: &str) -> usize {
    let stored: Vec<(i64, NaiveDate, String, i64, i64, i64, i64)> = post_days::table
        .order((post_days::post_id, post_days::category, post_days::day))
        .select((
            post_days::post_id,
            post_days::day,
            post_days::category,
            post_days::inbound,
            post_days::outbound,
            post_days::closing,
            post_days::low,
        ))
        .load(conn)
        .unwrap();
    let closures: Vec<(i64, NaiveDate, i64, i64)> = day_closures::table
        .order((day_closures::post_id, day_closures::day))
        .select((
            day_closures::post_id,
            day_closures::day,
            day_closures::military_closing,
            day_closures::civilian_closing,
        ))
        .load(conn)
        .unwrap();

    // The events as stored are the model's events (its own local days included).
    let uid = |u: usize| model.user_ids[u];
    let events: Vec<&StoredEvent> = stored_events.0.values().collect();
    let same = events.len() == model.events.len()
        && events.iter().zip(&model.events).all(|(s, e)| {
            **s == StoredEvent {
                id: e.id,
                post: model.post_ids[e.post],
                at: e.f.at,
                day: local_day(e.f.at),
                inbound: e.f.inbound,
                cat: e.f.cat,
                headcount: e.f.headcount,
                status: e.status,
                recorded_by: uid(e.recorded_by),
                changed_by: Some(uid(e.changed_by)),
                verified_by: e.verified_by.map(uid),
                version: e.version,
            }
        });
    if !same {
        let differ: Vec<_> = events
            .iter()
            .zip(&model.events)
            .filter(|(s, e)| s.id != e.id || s.version != e.version || s.status != e.status)
            .take(3)
            .collect();
        panic!(
            "{ctx}: stored events differ from the model ({} stored, {} modelled); first \
             differences (stored, modelled): {differ:?}",
            events.len(),
            model.events.len()
        );
    }

    // Replay from the events read back (their stored local days and statuses).
    let stored_rows: BTreeMap<Key, Row> = stored
        .iter()
        .map(|(post, day, cat, inbound, outbound, closing, low)| {
            (
                (*post, cat_index(cat, ctx), *day),
                Row {
                    inbound: *inbound,
                    outbound: *outbound,
                    closing: *closing,
                    low: *low,
                },
            )
        })
        .collect();
    let stored_keys: BTreeSet<Key> = stored_rows.keys().copied().collect();
    let mut movs = Vec::new();
    for e in &events {
        let key = (e.post, e.cat, e.day);
        // Rows are never deleted: a voided event's day keeps its row.
        assert!(
            stored_keys.contains(&key),
            "{ctx}: no ledger row for {key:?}, where event {} ({:?}) lies",
            e.id,
            e.status
        );
        if e.status == Status::Pending {
            let post = model.post_ids.iter().position(|p| *p == e.post).unwrap();
            assert!(
                !model.closed(post, e.day),
                "{ctx}: pending event {} on closed day {} of post {}",
                e.id,
                e.day,
                e.post
            );
        }
        if e.status != Status::Voided {
            movs.push(Mov {
                key,
                at: e.at,
                inbound: e.inbound,
                headcount: i64::from(e.headcount),
            });
        }
    }
    let (replayed, negative) = replay(movs, &stored_keys);
    assert!(!negative, "{ctx}: the stored events overdraw a post");
    if replayed != stored_rows {
        let differ: Vec<_> = replayed
            .iter()
            .filter(|(k, r)| stored_rows.get(k) != Some(r))
            .take(5)
            .map(|(k, r)| (k, r, stored_rows.get(k)))
            .collect();
        panic!(
            "{ctx}: post_days differ from a replay of the stored events; (key, replayed, \
             stored): {differ:?}"
        );
    }

    // The model's touched days and its own replay.
    assert_eq!(
        stored_keys, model.rows,
        "{ctx}: the set of ledger rows differs from the model's"
    );
    assert_eq!(
        stored_rows,
        model.ledger(),
        "{ctx}: post_days differ from the model's replay"
    );

    // Closures: as the model recorded them, and true of the events.
    let modelled: Vec<(i64, NaiveDate, i64, i64)> = model
        .closures
        .iter()
        .map(|(&(post, day), c)| (model.post_ids[post], day, c[0], c[1]))
        .collect();
    assert_eq!(
        closures, modelled,
        "{ctx}: day closures differ from the model"
    );
    for (post, day, military, civilian) in &closures {
        assert_eq!(
            (
                closing_at(&replayed, *post, 0, *day),
                closing_at(&replayed, *post, 1, *day)
            ),
            (*military, *civilian),
            "{ctx}: closed day {day} of post {post} no longer matches its events"
        );
    }
    stored_rows
        .values()
        .filter(|r| r.inbound == 0 && r.outbound == 0)
        .count()
}

// ---------------------------------------------------------------------------------------------
// The run.

struct World {
    model: Model,
    principals: Vec<Principal>,
    posts: Vec<ScopedPost>,
    first_day: NaiveDate,
    form_keys: u64,
}

impl World {
    fn today(now: NaiveDateTime) -> NaiveDate {
        local_day(now)
    }

    fn random_day(&self, rng: &mut Rng, today: NaiveDate) -> NaiveDate {
        self.first_day + TimeDelta::days(rng.range(0, (today - self.first_day).num_days()))
    }

    fn random_fields(&self, rng: &mut Rng, at: NaiveDateTime) -> Fields {
        let inbound = rng.chance(52);
        Fields {
            at,
            cat: rng.below(2) as u8,
            inbound,
            headcount: if inbound {
                rng.range(1, 9) as i32
            } else {
                rng.range(1, 12) as i32
            },
        }
    }

    fn is_officer(by: usize) -> bool {
        OFFICERS.contains(&by)
    }

    /// Draws the next operation.
    fn draw(&self, rng: &mut Rng, now: NaiveDateTime) -> Op {
        let today = Self::today(now);
        let m = &self.model;
        let live: Vec<&Event> = m
            .events
            .iter()
            .filter(|e| e.status != Status::Voided)
            .collect();
        let any_event = |rng: &mut Rng| -> Option<&Event> {
            if !live.is_empty() && rng.chance(92) {
                Some(live[rng.below(live.len())])
            } else if !m.events.is_empty() {
                Some(&m.events[rng.below(m.events.len())])
            } else {
                None
            }
        };
        let roll = rng.below(100);
        let kind = match roll {
            0..=11 => 0,  // create now-ish
            12..=33 => 1, // back-dated create
            34..=53 => 2, // correct
            54..=61 => 3, // void
            62..=84 => 4, // verify
            // Close or reopen: reopening grows likelier as closed days pile up, so that about
            // ten are closed on average (every earlier day of a post is frozen, for changes to
            // its balance, by a later closed day).
            _ => {
                let closed = m.closures.len();
                if rng.below(closed + 16) < closed {
                    6
                } else {
                    5
                }
            }
        };
        let kind = if (2..=4).contains(&kind) && m.events.is_empty() {
            1
        } else {
            kind
        };
        let post = rng.below(2);
        match kind {
            0 | 1 => {
                let back_dated = kind == 1;
                let at = if back_dated {
                    utc_of_local(self.random_day(rng, today), random_minute(rng))
                } else {
                    let minute = (now
                        - TimeDelta::seconds(now.and_utc().timestamp().rem_euclid(60)))
                    .with_nanosecond(0)
                    .unwrap();
                    if rng.chance(12) {
                        minute + TimeDelta::minutes(rng.range(1, 25))
                    } else {
                        minute - TimeDelta::minutes(rng.range(0, 240))
                    }
                };
                let by = if rng.chance(70) {
                    rng.pick(&OFFICERS)
                } else {
                    rng.pick(&SUPERVISORS)
                };
                Op::Create {
                    back_dated,
                    post,
                    f: self.random_fields(rng, at),
                    by,
                }
            }
            2 => {
                let e = any_event(rng).unwrap();
                let mut f = e.f;
                let mut changed = false;
                if rng.chance(45) {
                    let day = if rng.chance(40) {
                        local_day(e.f.at)
                    } else {
                        self.random_day(rng, today)
                    };
                    f.at = utc_of_local(day, random_minute(rng));
                    changed = true;
                }
                if rng.chance(40) {
                    f.headcount = rng.range(1, 12) as i32;
                    changed = true;
                }
                if rng.chance(25) {
                    f.inbound = !f.inbound;
                    changed = true;
                }
                if rng.chance(30) {
                    f.cat = 1 - f.cat;
                    changed = true;
                }
                if !changed && rng.chance(90) {
                    f.cat = 1 - f.cat;
                }
                // The recorder (an officer) while pending, else a supervisor; now and then
                // someone the policy refuses.
                let by = if rng.chance(6) {
                    rng.pick(&OFFICERS)
                } else if e.status == Status::Pending
                    && Self::is_officer(e.recorded_by)
                    && rng.chance(50)
                {
                    e.recorded_by
                } else {
                    rng.pick(&SUPERVISORS)
                };
                let reason = if e.status == Status::Verified && rng.chance(95) {
                    "Recounted at the gate"
                } else if rng.chance(20) {
                    "Typo"
                } else {
                    ""
                };
                Op::Correct {
                    event: e.id,
                    f,
                    by,
                    reason,
                }
            }
            3 => {
                let e = any_event(rng).unwrap();
                Op::Void {
                    event: e.id,
                    by: if rng.chance(5) {
                        rng.pick(&OFFICERS)
                    } else {
                        rng.pick(&SUPERVISORS)
                    },
                    reason: if rng.chance(5) { "  " } else { "Entered twice" },
                }
            }
            4 => {
                let pending: Vec<&Event> = m
                    .events
                    .iter()
                    .filter(|e| e.status == Status::Pending)
                    .collect();
                let e = if !pending.is_empty() && rng.chance(85) {
                    pending[rng.below(pending.len())]
                } else {
                    any_event(rng).unwrap()
                };
                let allowed: Vec<usize> = SUPERVISORS
                    .into_iter()
                    .filter(|s| {
                        *s != e.recorded_by && *s != e.changed_by && !e.changers.contains(s)
                    })
                    .collect();
                let by = if rng.chance(7) || allowed.is_empty() {
                    rng.below(5)
                } else {
                    rng.pick(&allowed)
                };
                Op::Verify { event: e.id, by }
            }
            5 => {
                let by = if rng.chance(4) {
                    rng.pick(&OFFICERS)
                } else {
                    rng.pick(&SUPERVISORS)
                };
                let last = today + TimeDelta::days(1);
                // Days are mostly closed in order (the earliest open one of a post) and reopened
                // latest first, so a frontier moves back and forth and back-dated events land on
                // both sides of it; the rest are random, to meet pending and closed days.
                let closable: Vec<(usize, NaiveDate)> = self
                    .first_day
                    .iter_days()
                    .take_while(|d| *d <= last)
                    .map(|d| (post, d))
                    .filter(|&(p, d)| !m.closed(p, d) && m.pending_on(p, d) == 0)
                    .collect();
                let roll = rng.below(100);
                let (post, day) = if !closable.is_empty() && roll < 35 {
                    closable[0]
                } else if !closable.is_empty() && roll < 50 {
                    closable[rng.below(closable.len())]
                } else if roll < 80 && !m.events.is_empty() {
                    let e = &m.events[rng.below(m.events.len())];
                    (e.post, local_day(e.f.at))
                } else {
                    (
                        post,
                        self.first_day
                            + TimeDelta::days(rng.range(0, (last - self.first_day).num_days())),
                    )
                };
                Op::Close { post, day, by }
            }
            _ => {
                let by = if rng.chance(4) {
                    rng.pick(&OFFICERS)
                } else {
                    rng.pick(&SUPERVISORS)
                };
                let closed: Vec<(usize, NaiveDate)> = m.closures.keys().copied().collect();
                let latest = m.closures.keys().rfind(|(p, _)| *p == post).copied();
                let roll = rng.below(100);
                let (post, day) = match latest {
                    Some(latest) if roll < 45 => latest,
                    _ if !closed.is_empty() && roll < 85 => closed[rng.below(closed.len())],
                    _ => (post, self.random_day(rng, today)),
                };
                let reason = if rng.chance(5) { "" } else { "Late report" };
                Op::Reopen {
                    post,
                    day,
                    by,
                    reason,
                }
            }
        }
    }

    fn kind(&self, op: &Op) -> &'static str {
        match op {
            Op::Create { back_dated, .. } => {
                if *back_dated {
                    "create back-dated"
                } else {
                    "create"
                }
            }
            Op::Correct { event, f, .. } => {
                let e = self.model.events.iter().find(|e| e.id == *event).unwrap();
                if e.f.cat == f.cat {
                    "correct"
                } else {
                    "correct with category change"
                }
            }
            Op::Void { .. } => "void",
            Op::Verify { .. } => "verify",
            Op::Close { .. } => "close",
            Op::Reopen { .. } => "reopen",
        }
    }

    /// The model's prediction, with the exact order of the service's checks where two
    /// refusals of different kinds could both apply.
    fn predict(&self, op: &Op, now: NaiveDateTime) -> Expect {
        let m = &self.model;
        let future = |f: &Fields| f.at > now + TimeDelta::minutes(10);
        match op {
            Op::Create { post, f, .. } => {
                if future(f) {
                    return Expect::Form("time-in-future");
                }
                if m.closed(*post, local_day(f.at)) {
                    return Expect::Invalid(vec!["day-closed"]);
                }
                let candidate = Event {
                    id: -1,
                    post: *post,
                    f: *f,
                    status: Status::Pending,
                    recorded_by: 0,
                    changed_by: 0,
                    changers: Vec::new(),
                    verified_by: None,
                    version: 1,
                };
                let refusals = m.ledger_refusals(&candidate, &[m.key(*post, f)]);
                if refusals.is_empty() {
                    Expect::Accept
                } else {
                    Expect::Invalid(refusals)
                }
            }
            Op::Correct {
                event,
                f,
                by,
                reason,
            } => {
                let e = m.events.iter().find(|e| e.id == *event).unwrap();
                if future(f) {
                    return Expect::Form("time-in-future");
                }
                let officer = Self::is_officer(*by);
                match e.status {
                    Status::Voided => return Expect::Forbidden(Denied::Voided),
                    Status::Verified if officer => return Expect::Forbidden(Denied::Verified),
                    Status::Pending if officer && e.recorded_by != *by => {
                        return Expect::Forbidden(Denied::NotTheirs);
                    }
                    _ => {}
                }
                if e.status == Status::Verified && reason.trim().is_empty() {
                    return Expect::Invalid(vec!["reason-required"]);
                }
                if m.closed(e.post, local_day(e.f.at)) || m.closed(e.post, local_day(f.at)) {
                    return Expect::Invalid(vec!["day-closed"]);
                }
                if e.f == *f {
                    return Expect::Unchanged;
                }
                let candidate = Event { f: *f, ..e.clone() };
                let refusals =
                    m.ledger_refusals(&candidate, &[m.key(e.post, &e.f), m.key(e.post, f)]);
                if refusals.is_empty() {
                    Expect::Accept
                } else {
                    Expect::Invalid(refusals)
                }
            }
            Op::Void { event, by, reason } => {
                let e = m.events.iter().find(|e| e.id == *event).unwrap();
                if e.status == Status::Voided {
                    return Expect::Invalid(vec!["event-already-voided"]);
                }
                if Self::is_officer(*by) {
                    return Expect::Forbidden(Denied::Role);
                }
                if reason.trim().is_empty() {
                    return Expect::Invalid(vec!["required"]);
                }
                if m.closed(e.post, local_day(e.f.at)) {
                    return Expect::Invalid(vec!["day-closed"]);
                }
                let candidate = Event {
                    status: Status::Voided,
                    ..e.clone()
                };
                let refusals = m.ledger_refusals(&candidate, &[m.key(e.post, &e.f)]);
                if refusals.is_empty() {
                    Expect::Accept
                } else {
                    Expect::Invalid(refusals)
                }
            }
            Op::Verify { event, by } => {
                let e = m.events.iter().find(|e| e.id == *event).unwrap();
                if Self::is_officer(*by) {
                    return Expect::Forbidden(Denied::Role);
                }
                if e.recorded_by == *by {
                    return Expect::Forbidden(Denied::RecordedIt);
                }
                if e.changed_by == *by || e.changers.contains(by) {
                    return Expect::Forbidden(Denied::ChangedIt);
                }
                if e.status != Status::Pending {
                    return Expect::Invalid(vec!["event-not-pending"]);
                }
                if m.closed(e.post, local_day(e.f.at)) {
                    return Expect::Invalid(vec!["day-closed"]);
                }
                Expect::Accept
            }
            Op::Close { post, day, by } => {
                if Self::is_officer(*by) {
                    return Expect::Forbidden(Denied::Role);
                }
                if *day > Self::today(now) {
                    return Expect::Invalid(vec!["day-in-future"]);
                }
                if m.closed(*post, *day) {
                    return Expect::Invalid(vec!["day-already-closed"]);
                }
                if m.pending_on(*post, *day) > 0 {
                    return Expect::Invalid(vec!["day-has-pending"]);
                }
                Expect::Accept
            }
            Op::Reopen {
                post,
                day,
                by,
                reason,
            } => {
                if Self::is_officer(*by) {
                    return Expect::Forbidden(Denied::Role);
                }
                if reason.trim().is_empty() {
                    return Expect::Invalid(vec!["required"]);
                }
                if !m.closed(*post, *day) {
                    return Expect::Invalid(vec!["day-not-closed"]);
                }
                Expect::Accept
            }
        }
    }

    /// Asks the services.
    fn perform(&mut self, conn: &mut DbConn, actor: &Actor, op: &Op, now: NaiveDateTime) -> Got {
        let now = now.and_utc();
        let tz: chrono_tz::Tz = "Asia/Baghdad".parse().unwrap();
        let parse = |f: &Fields| {
            f.form()
                .parse(tz, now)
                .map_err(|errors| Got::Form(errors.iter().map(|e| e.key).collect()))
        };
        let version = |id: i64| {
            self.model
                .events
                .iter()
                .find(|e| e.id == id)
                .unwrap()
                .version
        };
        match op {
            Op::Create { post, f, by, .. } => match parse(f) {
                Err(got) => got,
                Ok(fields) => {
                    self.form_keys += 1;
                    got_event(event_service::create(
                        conn,
                        actor,
                        &self.principals[*by],
                        now,
                        &self.posts[*post],
                        &fields,
                        &format!("{:032x}", self.form_keys),
                    ))
                }
            },
            Op::Correct {
                event,
                f,
                by,
                reason,
            } => match parse(f) {
                Err(got) => got,
                Ok(fields) => got_event(event_service::update(
                    conn,
                    actor,
                    &self.principals[*by],
                    now,
                    EventId(*event),
                    version(*event),
                    &fields,
                    reason,
                )),
            },
            Op::Void { event, by, reason } => got_event(event_service::void(
                conn,
                actor,
                &self.principals[*by],
                now,
                EventId(*event),
                version(*event),
                reason,
            )),
            Op::Verify { event, by } => got_event(event_service::verify(
                conn,
                actor,
                &self.principals[*by],
                now,
                EventId(*event),
                version(*event),
            )),
            Op::Close { post, day, by } => got_unit(days::close(
                conn,
                actor,
                &self.principals[*by],
                now,
                &self.posts[*post],
                *day,
            )),
            Op::Reopen {
                post,
                day,
                by,
                reason,
            } => got_unit(days::reopen(
                conn,
                actor,
                &self.principals[*by],
                now,
                &self.posts[*post],
                *day,
                reason,
            )),
        }
    }

    /// Applies an accepted operation to the model.
    fn apply(&mut self, op: &Op, got: &Got) {
        let m = &mut self.model;
        match op {
            Op::Create { post, f, by, .. } => {
                let Got::Accepted(Some(id)) = got else {
                    unreachable!()
                };
                let key = m.key(*post, f);
                m.rows.insert(key);
                m.events.push(Event {
                    id: id.0,
                    post: *post,
                    f: *f,
                    status: Status::Pending,
                    recorded_by: *by,
                    changed_by: *by,
                    changers: Vec::new(),
                    verified_by: None,
                    version: 1,
                });
            }
            Op::Correct { event, f, by, .. } => {
                let e = m.events.iter().find(|e| e.id == *event).unwrap().clone();
                let (old, new) = (m.key(e.post, &e.f), m.key(e.post, f));
                m.rows.insert(old);
                m.rows.insert(new);
                let e = m.event_mut(*event);
                e.f = *f;
                e.status = Status::Pending;
                e.changed_by = *by;
                e.changers.push(*by);
                e.verified_by = None;
                e.version += 1;
            }
            Op::Void { event, .. } => {
                let e = m.event_mut(*event);
                e.status = Status::Voided;
                e.version += 1;
            }
            Op::Verify { event, by } => {
                let e = m.event_mut(*event);
                e.status = Status::Verified;
                e.verified_by = Some(*by);
                e.changers.clear();
                e.version += 1;
            }
            Op::Close { post, day, .. } => {
                let rows = m.ledger();
                let id = m.post_ids[*post];
                let closing = [
                    closing_at(&rows, id, 0, *day),
                    closing_at(&rows, id, 1, *day),
                ];
                m.closures.insert((*post, *day), closing);
            }
            Op::Reopen { post, day, .. } => {
                m.closures.remove(&(*post, *day));
            }
        }
    }
}

fn run_random(app: &TestApp) {
    let run = Run {
        seed: env_number("REPATRACK_LEDGER_SEED").unwrap_or(DEFAULT_SEED),
        ops: env_number("REPATRACK_LEDGER_OPS").map_or(DEFAULT_OPS, |n| n as usize),
    };
    eprintln!("ledger_random ({:?}): {run}", app.backend);
    let started = std::time::Instant::now();
    let mut rng = Rng(run.seed);

    for code in POSTS {
        app.create_post(code);
    }
    let mut user_ids = [0; 5];
    let names = ["officer1", "officer2", "chief1", "chief2", "chief3"];
    for (i, name) in names.iter().enumerate() {
        let role = if World::is_officer(i) {
            "officer"
        } else {
            "supervisor"
        };
        user_ids[i] = app.create_user(name, role, &POSTS, false);
    }
    let mut conn = app.conn();
    let conn: &mut DbConn = &mut conn;
    let lookup = Principal::user(UserId(user_ids[2]), Role::Supervisor, true, &[]);
    let posts: Vec<ScopedPost> = POSTS
        .iter()
        .map(|code| ScopedPost::by_code(conn, &lookup, code).unwrap().unwrap())
        .collect();
    let post_ids = [posts[0].id, posts[1].id];
    let principals = (0..5)
        .map(|i| {
            let role = if World::is_officer(i) {
                Role::Officer
            } else {
                Role::Supervisor
            };
            Principal::user(UserId(user_ids[i]), role, false, &post_ids)
        })
        .collect();
    let first_day = local_day(app.clock.now().naive_utc()) - TimeDelta::days(WINDOW_DAYS);
    let mut world = World {
        model: Model {
            post_ids: [post_ids[0].0, post_ids[1].0],
            user_ids,
            events: Vec::new(),
            rows: BTreeSet::new(),
            closures: BTreeMap::new(),
        },
        principals,
        posts,
        first_day,
        form_keys: 0,
    };
    let actor = Actor::system();
    let mut tallies: BTreeMap<&'static str, Tally> = BTreeMap::new();
    let mut refusals: BTreeMap<String, usize> = BTreeMap::new();

    let mut stored_events = StoredEvents::default();
    let mut closed_days = (0, 0);
    // The most rows without movement (all their events voided or moved away) at one step.
    let mut still_rows = 0;
    for step in 1..=run.ops {
        app.clock.advance(TimeDelta::seconds(TICK_SECONDS));
        let now = app.clock.now().naive_utc();
        let op = world.draw(&mut rng, now);
        let kind = world.kind(&op);
        let ctx = format!("{run}, step {step} of {}, {kind} {op:?}", run.ops);
        let expect = world.predict(&op, now);
        let got = world.perform(conn, &actor, &op, now);
        assert!(
            got.matches(&expect),
            "{ctx}: the model expected {expect:?}, the service answered {got:?}"
        );
        let tally = tallies.entry(kind).or_default();
        tally.attempted += 1;
        if expect == Expect::Accept {
            tally.accepted += 1;
            world.apply(&op, &got);
        } else {
            tally.refused += 1;
            *refusals.entry(format!("{expect:?}")).or_default() += 1;
        }
        let full = step % FULL_READ_EVERY == 0 || step == run.ops;
        stored_events.refresh(conn, (!full).then_some(now), &ctx);
        let still = check(conn, &stored_events, &world.model, &ctx);
        still_rows = still_rows.max(still);
        closed_days.0 += world.model.closures.len();
        closed_days.1 = closed_days.1.max(world.model.closures.len());
    }

    let elapsed = started.elapsed();
    let live = world
        .model
        .events
        .iter()
        .filter(|e| e.status != Status::Voided)
        .count();
    eprintln!(
        "ledger_random ({:?}): {run}: {} operations in {:.1} s; {} events ({live} not void), \
         {} ledger rows ({still_rows} at most without movement); closed days: {} at the end, \
         {:.1} on average, {} at most",
        app.backend,
        run.ops,
        elapsed.as_secs_f64(),
        world.model.events.len(),
        world.model.rows.len(),
        world.model.closures.len(),
        closed_days.0 as f64 / run.ops as f64,
        closed_days.1,
    );
    eprintln!(
        "  {:<30} {:>9} {:>9} {:>9}",
        "kind", "attempted", "accepted", "refused"
    );
    for kind in KINDS {
        let t = tallies
            .get(kind)
            .map_or((0, 0, 0), |t| (t.attempted, t.accepted, t.refused));
        eprintln!("  {kind:<30} {:>9} {:>9} {:>9}", t.0, t.1, t.2);
    }
    eprintln!("  refusals by kind:");
    for (why, n) in &refusals {
        eprintln!("    {n:>6}  {why}");
    }

    // The run must not silently become trivial.
    let few = (run.ops / 500).max(1);
    for kind in KINDS {
        let t = tallies
            .get(kind)
            .map_or((0, 0, 0), |t| (t.attempted, t.accepted, t.refused));
        assert!(
            t.0 >= few && t.1 >= few,
            "{run}: {kind} attempted {} and accepted {} times, fewer than {few}",
            t.0,
            t.1
        );
    }
    let refused: usize = tallies.values().map(|t| t.refused).sum();
    assert!(refused >= few, "{run}: only {refused} operations refused");
    if run.ops >= 1_000 {
        assert!(still_rows > 0, "{run}: never a ledger row without movement");
        for why in [
            "Invalid([\"balance-shortfall\"])",
            "Invalid([\"day-closed\"])",
            "Invalid([\"day-has-pending\"])",
        ] {
            assert!(
                refusals.contains_key(why),
                "{run}: no refusal {why} in the whole run"
            );
        }
    }
}

both_databases! {
    async fn seeded_random_ledger(app) {
        run_random(&app);
    }
}
