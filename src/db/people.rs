//! People as stored: the row, its writes (through the audit [`Writer`], so only inside an
//! audited transaction), the name keys that make search an index look-up, and the readers the
//! register, the duplicate checks and the export need. Every reader of many people takes the
//! scope of the person asking.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::not;
use diesel::prelude::*;
use diesel::sql_types::Bool;

use super::DbConn;
use super::schema::{border_posts, people, person_distinct, person_name_keys, person_statements};
use crate::audit::Writer;
use crate::domain::ids::{PersonId, PostId, UserId};
use crate::domain::names::{self, Match, TokenKeys};
use crate::domain::person::{PersonFields, PersonStatus, Statement};
use crate::domain::policy::{PersonFacts, PostScope};

type Backend = <DbConn as diesel::Connection>::Backend;

/// A person as stored.
#[derive(Queryable, Selectable, Debug, Clone, PartialEq)]
#[diesel(table_name = people)]
pub struct PersonRow {
    /// Key.
    #[diesel(deserialize_as = i64)]
    pub id: PersonId,
    /// Their post.
    #[diesel(deserialize_as = i64)]
    pub post_id: PostId,
    /// `QAIM-P-2024-0001`.
    pub reference: String,
    /// Name in Arabic script.
    pub name_ar: String,
    /// Name in Latin script.
    pub name_latin: String,
    /// Father's name.
    pub father_name: String,
    /// Grandfather's name.
    pub grandfather_name: String,
    /// Family name.
    pub family_name: String,
    /// Mother's name.
    pub mother_name: String,
    /// Date of birth.
    pub birth_date: Option<NaiveDate>,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// Sex.
    pub sex: String,
    /// Rank.
    pub rank: String,
    /// Unit.
    pub unit: String,
    /// Service number.
    pub service_number: String,
    /// Document type.
    pub id_document_type: String,
    /// Document number.
    pub id_document_number: String,
    /// Nationality.
    pub nationality: String,
    /// Medical state.
    pub medical: String,
    /// Free text.
    pub vulnerabilities: String,
    /// The arrival they came with.
    pub inbound_event_id: Option<i64>,
    /// Free text.
    pub notes: String,
    /// Lifecycle status.
    pub status: String,
    /// Where a transferred person went.
    pub transferred_to: String,
    /// The record this one was merged into.
    pub merged_into: Option<i64>,
    /// Recorder.
    pub recorded_by: i64,
    /// UTC.
    pub recorded_at: NaiveDateTime,
    /// UTC.
    pub updated_at: NaiveDateTime,
    /// Optimistic-locking counter.
    pub version: i32,
}

impl PersonRow {
    /// The typed status (an unknown spelling cannot pass the table's CHECK).
    pub fn status(&self) -> PersonStatus {
        PersonStatus::from_str_opt(&self.status).unwrap_or(PersonStatus::Present)
    }

    /// What the access policy needs to know of them.
    pub fn facts(&self) -> PersonFacts {
        PersonFacts {
            post: self.post_id,
            merged: self.merged_into.is_some(),
        }
    }

    /// Their fields, as the form and the audit trail read them.
    pub fn fields(&self) -> PersonFields {
        PersonFields {
            name_ar: self.name_ar.clone(),
            name_latin: self.name_latin.clone(),
            father_name: self.father_name.clone(),
            grandfather_name: self.grandfather_name.clone(),
            family_name: self.family_name.clone(),
            mother_name: self.mother_name.clone(),
            birth_date: self.birth_date,
            birth_year: self.birth_year,
            sex: self.sex.clone(),
            rank: self.rank.clone(),
            unit: self.unit.clone(),
            service_number: self.service_number.clone(),
            id_document_type: self.id_document_type.clone(),
            id_document_number: self.id_document_number.clone(),
            nationality: self.nationality.clone(),
            medical: self.medical.clone(),
            vulnerabilities: self.vulnerabilities.clone(),
            inbound_event_id: self.inbound_event_id,
            notes: self.notes.clone(),
        }
    }

    /// The name to show first: Arabic when there is one, else Latin.
    pub fn display_name(&self) -> &str {
        if self.name_ar.is_empty() {
            &self.name_latin
        } else {
            &self.name_ar
        }
    }
}

/// Everything needed to insert a person besides their fields.
pub struct NewPerson<'a> {
    /// Their post.
    pub post: PostId,
    /// `QAIM-P-2024-0001`.
    pub reference: String,
    /// Reference year.
    pub ref_year: i32,
    /// Reference number.
    pub ref_number: i32,
    /// The validated fields.
    pub fields: &'a PersonFields,
    /// Recorder.
    pub recorded_by: UserId,
    /// The form's key.
    pub form_key: &'a str,
}

/// Inserts a person, `present`, at version 1, with their name keys.
pub fn insert(w: &mut Writer<'_>, new: &NewPerson<'_>) -> QueryResult<PersonId> {
    let now = w.now();
    let f = new.fields;
    let id = diesel::insert_into(people::table)
        .values((
            people::post_id.eq(new.post.0),
            people::reference.eq(&new.reference),
            people::ref_year.eq(new.ref_year),
            people::ref_number.eq(new.ref_number),
            field_values(f),
            people::status.eq(PersonStatus::Present.as_str()),
            people::transferred_to.eq(""),
            people::recorded_by.eq(new.recorded_by.0),
            people::recorded_at.eq(now),
            people::updated_at.eq(now),
            people::version.eq(1),
            people::form_key.eq(new.form_key),
        ))
        .returning(people::id)
        .get_result::<i64>(w.conn())
        .map(PersonId)?;
    write_keys(w, id, f)?;
    Ok(id)
}

/// The columns a form sets, ready for an insert or an update.
#[allow(clippy::type_complexity)] // diesel's tuple of assignments, named by the function
fn field_values(
    f: &PersonFields,
) -> (
    (
        diesel::dsl::Eq<people::name_ar, String>,
        diesel::dsl::Eq<people::name_latin, String>,
        diesel::dsl::Eq<people::father_name, String>,
        diesel::dsl::Eq<people::grandfather_name, String>,
        diesel::dsl::Eq<people::family_name, String>,
        diesel::dsl::Eq<people::mother_name, String>,
        diesel::dsl::Eq<people::birth_date, Option<NaiveDate>>,
        diesel::dsl::Eq<people::birth_year, Option<i32>>,
        diesel::dsl::Eq<people::sex, String>,
        diesel::dsl::Eq<people::rank, String>,
    ),
    (
        diesel::dsl::Eq<people::unit, String>,
        diesel::dsl::Eq<people::service_number, String>,
        diesel::dsl::Eq<people::id_document_type, String>,
        diesel::dsl::Eq<people::id_document_number, String>,
        diesel::dsl::Eq<people::nationality, String>,
        diesel::dsl::Eq<people::medical, String>,
        diesel::dsl::Eq<people::vulnerabilities, String>,
        diesel::dsl::Eq<people::inbound_event_id, Option<i64>>,
        diesel::dsl::Eq<people::notes, String>,
    ),
) {
    (
        (
            people::name_ar.eq(f.name_ar.clone()),
            people::name_latin.eq(f.name_latin.clone()),
            people::father_name.eq(f.father_name.clone()),
            people::grandfather_name.eq(f.grandfather_name.clone()),
            people::family_name.eq(f.family_name.clone()),
            people::mother_name.eq(f.mother_name.clone()),
            people::birth_date.eq(f.birth_date),
            people::birth_year.eq(f.birth_year),
            people::sex.eq(f.sex.clone()),
            people::rank.eq(f.rank.clone()),
        ),
        (
            people::unit.eq(f.unit.clone()),
            people::service_number.eq(f.service_number.clone()),
            people::id_document_type.eq(f.id_document_type.clone()),
            people::id_document_number.eq(f.id_document_number.clone()),
            people::nationality.eq(f.nationality.clone()),
            people::medical.eq(f.medical.clone()),
            people::vulnerabilities.eq(f.vulnerabilities.clone()),
            people::inbound_event_id.eq(f.inbound_event_id),
            people::notes.eq(f.notes.clone()),
        ),
    )
}

/// The names a person is searched by: their own in both scripts and their family name. (Father
/// and grandfather names are shown beside a match, but a search for "Ali" should not list every
/// son of an Ali.)
fn searchable(f: &PersonFields) -> Vec<&str> {
    vec![&f.name_ar, &f.name_latin, &f.family_name]
}

/// Key kinds besides the three of a name's words (0, 1, 2: [`Match`]'s order).
const SIGNATURE: i32 = 3;
const DOCUMENT: i32 = 4;
const SERVICE_NUMBER: i32 = 5;

/// The ids of people holding a key of `kind` equal to one of `keys` (a sub-select).
type WithKey = diesel::dsl::Select<
    diesel::dsl::Filter<
        diesel::dsl::Filter<person_name_keys::table, diesel::dsl::Eq<person_name_keys::kind, i32>>,
        diesel::dsl::EqAny<person_name_keys::name_key, Vec<String>>,
    >,
    person_name_keys::person_id,
>;

/// People with a key of `kind` equal to one of `keys`.
fn with_key(kind: i32, keys: Vec<String>) -> WithKey {
    person_name_keys::table
        .filter(person_name_keys::kind.eq(kind))
        .filter(person_name_keys::name_key.eq_any(keys))
        .select(person_name_keys::person_id)
}

/// Replaces a person's keys with those of `f`.
fn write_keys(w: &mut Writer<'_>, id: PersonId, f: &PersonFields) -> QueryResult<()> {
    diesel::delete(person_name_keys::table.filter(person_name_keys::person_id.eq(id.0)))
        .execute(w.conn())?;
    let mut rows: Vec<(i32, String)> = Vec::new();
    for name in searchable(f) {
        for t in names::tokens(name) {
            rows.push((0, t.exact));
            rows.push((1, t.folded));
            rows.push((2, t.cross));
        }
    }
    for name in [&f.name_ar, &f.name_latin] {
        rows.push((SIGNATURE, names::signature(name)));
    }
    rows.push((DOCUMENT, names::document_key(&f.id_document_number)));
    rows.push((SERVICE_NUMBER, names::document_key(&f.service_number)));
    rows.retain(|(_, key)| !key.is_empty());
    rows.sort();
    rows.dedup();
    // One statement per key: the multi-backend connection has no batch insert.
    for (kind, key) in rows {
        diesel::insert_into(person_name_keys::table)
            .values((
                person_name_keys::person_id.eq(id.0),
                person_name_keys::kind.eq(kind),
                person_name_keys::name_key.eq(key),
            ))
            .execute(w.conn())?;
    }
    Ok(())
}

/// Replaces a person's fields as changed `by` someone, bumps the version, and rewrites the name
/// keys.
pub fn update_fields(
    w: &mut Writer<'_>,
    id: PersonId,
    f: &PersonFields,
    version: i32,
) -> QueryResult<usize> {
    // Who changed it is the audit entry's actor.
    let now = w.now();
    let n = diesel::update(people::table.find(id.0))
        .set((
            field_values(f),
            people::updated_at.eq(now),
            people::version.eq(version + 1),
        ))
        .execute(w.conn())?;
    write_keys(w, id, f)?;
    Ok(n)
}

/// Sets a person's status (and, for a transfer, where to; the reason is in the audit entry).
pub fn set_status(
    w: &mut Writer<'_>,
    id: PersonId,
    status: PersonStatus,
    transferred_to: &str,
    version: i32,
) -> QueryResult<usize> {
    let now = w.now();
    diesel::update(people::table.find(id.0))
        .set((
            people::status.eq(status.as_str()),
            people::transferred_to.eq(transferred_to),
            people::updated_at.eq(now),
            people::version.eq(version + 1),
        ))
        .execute(w.conn())
}

/// Marks `id` merged into `kept`.
pub fn mark_merged(
    w: &mut Writer<'_>,
    id: PersonId,
    kept: PersonId,
    version: i32,
) -> QueryResult<usize> {
    let now = w.now();
    diesel::update(people::table.find(id.0))
        .set((
            people::merged_into.eq(Some(kept.0)),
            people::updated_at.eq(now),
            people::version.eq(version + 1),
        ))
        .execute(w.conn())
}

/// Records a statement of a person's wish.
pub fn add_statement(
    w: &mut Writer<'_>,
    id: PersonId,
    wish: PersonStatus,
    s: &Statement,
    by: UserId,
) -> QueryResult<usize> {
    let now = w.now();
    diesel::insert_into(person_statements::table)
        .values((
            person_statements::person_id.eq(id.0),
            person_statements::wish.eq(wish.as_str()),
            person_statements::stated_on.eq(s.stated_on),
            person_statements::heard_by.eq(&s.heard_by),
            person_statements::how.eq(s.how.as_str()),
            person_statements::recorded_by.eq(by.0),
            person_statements::recorded_at.eq(now),
        ))
        .execute(w.conn())
}

/// A stored statement of a person's wish.
#[derive(Queryable, Debug, Clone, PartialEq)]
pub struct StatementRow {
    /// `wishes_to_return` / `declines_return`.
    pub wish: String,
    /// When they said it.
    pub stated_on: NaiveDate,
    /// Who heard it.
    pub heard_by: String,
    /// How.
    pub how: String,
    /// Who recorded it (user name).
    pub recorded_by: String,
    /// UTC.
    pub recorded_at: NaiveDateTime,
}

/// A person's statements, oldest first.
pub fn statements_of(conn: &mut DbConn, id: PersonId) -> QueryResult<Vec<StatementRow>> {
    use super::schema::users;
    person_statements::table
        .inner_join(users::table.on(users::id.eq(person_statements::recorded_by)))
        .filter(person_statements::person_id.eq(id.0))
        .order(person_statements::id)
        .select((
            person_statements::wish,
            person_statements::stated_on,
            person_statements::heard_by,
            person_statements::how,
            users::username,
            person_statements::recorded_at,
        ))
        .load(conn)
}

/// Takes the person's row lock for the rest of the transaction (PostgreSQL; SQLite's write
/// transaction already excludes other writers). 0 when there is no such person.
pub fn lock(w: &mut Writer<'_>, id: PersonId) -> QueryResult<usize> {
    super::row_lock::lock(w, super::row_lock::Locked::Person, id.0)
}

/// How many people the database holds at every post: for the operator's start-up warning
/// about an unencrypted file, never shown to a user (who sees only their scope).
pub fn count_all(conn: &mut DbConn) -> QueryResult<i64> {
    people::table.count().get_result(conn)
}

/// The person with `id`.
pub fn find(conn: &mut DbConn, id: PersonId) -> QueryResult<Option<PersonRow>> {
    people::table
        .find(id.0)
        .select(PersonRow::as_select())
        .first(conn)
        .optional()
}

/// The person a form with `form_key` created, if any: `(id, recorder)`.
pub fn find_by_form_key(
    conn: &mut DbConn,
    form_key: &str,
) -> QueryResult<Option<(PersonId, UserId)>> {
    people::table
        .filter(people::form_key.eq(form_key))
        .select((people::id, people::recorded_by))
        .first::<(i64, i64)>(conn)
        .optional()
        .map(|found| found.map(|(id, by)| (PersonId(id), UserId(by))))
}

/// The next reference number of a post's people in a year (call under the post's lock).
pub fn next_ref_number(conn: &mut DbConn, post: PostId, year: i32) -> QueryResult<i32> {
    let max: Option<i32> = people::table
        .filter(people::post_id.eq(post.0))
        .filter(people::ref_year.eq(year))
        .select(diesel::dsl::max(people::ref_number))
        .first(conn)?;
    Ok(max.unwrap_or(0) + 1)
}

/// A person as lists show them: names and status, never documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    /// Key.
    pub id: PersonId,
    /// `QAIM-P-2024-0001`.
    pub reference: String,
    /// Their post's code.
    pub post_code: String,
    /// Name in Arabic script.
    pub name_ar: String,
    /// Name in Latin script.
    pub name_latin: String,
    /// Father's name (to tell two of the same name apart).
    pub father_name: String,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// Status.
    pub status: String,
    /// How the search matched them (`None` in an unsearched list).
    pub matched: Option<Match>,
}

impl Listed {
    /// The listed form of a stored person at the post with `post_code` (not from a search).
    pub fn of(row: &PersonRow, post_code: &str) -> Self {
        Self {
            id: row.id,
            reference: row.reference.clone(),
            post_code: post_code.to_owned(),
            name_ar: row.name_ar.clone(),
            name_latin: row.name_latin.clone(),
            father_name: row.father_name.clone(),
            birth_year: row.birth_year,
            status: row.status.clone(),
            matched: None,
        }
    }
}

/// Filters of `/people` and `/people.csv`, always within someone's posts.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    /// The posts of the person asking.
    pub scope: PostScope,
    /// One post.
    pub post: Option<PostId>,
    /// One status.
    pub status: Option<PersonStatus>,
    /// The words searched for, each under its three keys (empty: no search).
    pub words: Vec<TokenKeys>,
}

impl Filter {
    /// Every person of `scope`.
    pub fn within(scope: PostScope) -> Self {
        Self {
            scope,
            post: None,
            status: None,
            words: Vec::new(),
        }
    }
}

/// Keyset position: the last row shown, `(rank, id)` (rank 0 when unsearched).
pub type Cursor = (u8, i64);

fn key_of(t: &TokenKeys, rank: Match) -> String {
    match rank {
        Match::Exact => t.exact.clone(),
        Match::Folded => t.folded.clone(),
        Match::Cross => t.cross.clone(),
    }
}

fn kind_of(rank: Match) -> i32 {
    match rank {
        Match::Exact => 0,
        Match::Folded => 1,
        Match::Cross => 2,
    }
}

const RANKS: [Match; 3] = [Match::Exact, Match::Folded, Match::Cross];

fn rank_number(rank: Match) -> u8 {
    match rank {
        Match::Exact => 0,
        Match::Folded => 1,
        Match::Cross => 2,
    }
}

/// "Every word matches one of the person's name keys at `rank`": one index look-up per word.
fn every_word(
    words: &[TokenKeys],
    rank: Match,
) -> Box<dyn BoxableExpression<people::table, Backend, SqlType = Bool>> {
    let mut condition: Box<dyn BoxableExpression<people::table, Backend, SqlType = Bool>> =
        Box::new(diesel::dsl::sql::<Bool>("1 = 1"));
    for word in words {
        let ids = person_name_keys::table
            .filter(person_name_keys::kind.eq(kind_of(rank)))
            .filter(person_name_keys::name_key.eq(key_of(word, rank)))
            .select(person_name_keys::person_id);
        condition = Box::new(condition.and(people::id.eq_any(ids)));
    }
    condition
}

fn filtered<'a>(filter: &Filter) -> people::BoxedQuery<'a, Backend> {
    let mut query = people::table
        .filter(people::merged_into.is_null())
        .into_boxed();
    if let Some(scope) = filter.scope.posts() {
        query = query.filter(people::post_id.eq_any(scope.iter().map(|p| p.0).collect::<Vec<_>>()));
    }
    if let Some(post) = filter.post {
        query = query.filter(people::post_id.eq(post.0));
    }
    if let Some(status) = filter.status {
        query = query.filter(people::status.eq(status.as_str()));
    }
    query
}

type ListedColumns = (
    people::id,
    people::reference,
    people::post_id,
    people::name_ar,
    people::name_latin,
    people::father_name,
    people::birth_year,
    people::status,
);

const LISTED: ListedColumns = (
    people::id,
    people::reference,
    people::post_id,
    people::name_ar,
    people::name_latin,
    people::father_name,
    people::birth_year,
    people::status,
);

type ListedTuple = (
    i64,
    String,
    i64,
    String,
    String,
    String,
    Option<i32>,
    String,
);

fn listed(
    conn: &mut DbConn,
    rows: Vec<ListedTuple>,
    matched: Option<Match>,
) -> QueryResult<Vec<Listed>> {
    let codes = post_codes(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, reference, post, name_ar, name_latin, father_name, birth_year, status)| Listed {
                id: PersonId(id),
                reference,
                post_code: codes.get(&post).cloned().unwrap_or_default(),
                name_ar,
                name_latin,
                father_name,
                birth_year,
                status,
                matched,
            },
        )
        .collect())
}

fn post_codes(conn: &mut DbConn) -> QueryResult<std::collections::HashMap<i64, String>> {
    Ok(border_posts::table
        .select((border_posts::id, border_posts::code))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

/// One page of people: unsearched, newest first; searched, exact matches first, then folded,
/// then cross-script, each by id. Strictly after `after`; `limit + 1` rows are asked for so the
/// caller knows whether another page follows.
pub fn page(
    conn: &mut DbConn,
    filter: &Filter,
    after: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<Listed>> {
    if filter.words.is_empty() {
        let mut query = filtered(filter);
        if let Some((_, id)) = after {
            query = query.filter(people::id.lt(id));
        }
        let rows = query
            .order(people::id.desc())
            .limit(limit + 1)
            .select(LISTED)
            .load::<ListedTuple>(conn)?;
        return listed(conn, rows, None);
    }
    let mut found = Vec::new();
    for (i, rank) in RANKS.into_iter().enumerate() {
        let wanted = limit + 1 - i64::try_from(found.len()).unwrap_or(i64::MAX);
        if wanted <= 0 {
            break;
        }
        let number = rank_number(rank);
        if after.is_some_and(|(r, _)| r > number) {
            continue;
        }
        let mut query = filtered(filter).filter(every_word(&filter.words, rank));
        if i > 0 {
            // Each rank's matches include the stricter ranks' (a folded key is a function of the
            // exact one, a cross key of the folded): shown once, at their strictest.
            query = query.filter(not(every_word(&filter.words, RANKS[i - 1])));
        }
        if let Some((r, id)) = after
            && r == number
        {
            query = query.filter(people::id.gt(id));
        }
        let rows = query
            .order(people::id)
            .limit(wanted)
            .select(LISTED)
            .load::<ListedTuple>(conn)?;
        found.extend(listed(conn, rows, Some(rank))?);
    }
    Ok(found)
}

/// The cursor after `row` in its list.
pub fn cursor_of(row: &Listed) -> Cursor {
    (row.matched.map_or(0, rank_number), row.id.0)
}

/// Why two records may be one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Likeness {
    /// The same document number or service number.
    Certain,
    /// The same name (folded, in either script) and birth years within one.
    Probable,
}

/// A possible duplicate of a person being saved.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The other record.
    pub person: Listed,
    /// How alike.
    pub likeness: Likeness,
    /// What matched: `document`, `service_number` or `name`.
    pub reason: &'static str,
}

/// Whether two birth years are close enough for a name match to be probable (an unknown year
/// does not rule it out).
pub fn years_close(a: Option<i32>, b: Option<i32>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1,
        _ => true,
    }
}

/// Records in `scope` that may be the person `f` (other than `except`, the record being edited;
/// merged records aside, and pairs already said to be distinct).
pub fn candidates(
    conn: &mut DbConn,
    scope: &PostScope,
    f: &PersonFields,
    except: Option<PersonId>,
) -> QueryResult<Vec<Candidate>> {
    let base = |scope: &PostScope| {
        let mut q = filtered(&Filter::within(scope.clone()));
        if let Some(id) = except {
            q = q.filter(people::id.ne(id.0));
        }
        q
    };
    let mut out: Vec<Candidate> = Vec::new();
    let mut push =
        |conn: &mut DbConn, rows: Vec<ListedTuple>, likeness, reason| -> QueryResult<()> {
            for person in listed(conn, rows, None)? {
                if !out.iter().any(|c| c.person.id == person.id) {
                    out.push(Candidate {
                        person,
                        likeness,
                        reason,
                    });
                }
            }
            Ok(())
        };
    let document = names::document_key(&f.id_document_number);
    if !document.is_empty() {
        let rows = base(scope)
            .filter(people::id.eq_any(with_key(DOCUMENT, vec![document])))
            .select(LISTED)
            .limit(20)
            .load::<ListedTuple>(conn)?;
        push(conn, rows, Likeness::Certain, "document")?;
    }
    let service = names::document_key(&f.service_number);
    if !service.is_empty() {
        let rows = base(scope)
            .filter(people::id.eq_any(with_key(SERVICE_NUMBER, vec![service])))
            .select(LISTED)
            .limit(20)
            .load::<ListedTuple>(conn)?;
        push(conn, rows, Likeness::Certain, "service_number")?;
    }
    let signatures: Vec<String> = [&f.name_ar, &f.name_latin]
        .into_iter()
        .map(|n| names::signature(n))
        .filter(|s| !s.is_empty())
        .collect();
    if !signatures.is_empty() {
        let rows = base(scope)
            .filter(people::id.eq_any(with_key(SIGNATURE, signatures)))
            .select(LISTED)
            .limit(50)
            .load::<ListedTuple>(conn)?;
        let rows = rows
            .into_iter()
            .filter(|r| years_close(r.6, f.birth_year))
            .collect();
        push(conn, rows, Likeness::Probable, "name")?;
    }
    if let Some(id) = except {
        let distinct = distinct_from(conn, id)?;
        out.retain(|c| c.likeness == Likeness::Certain || !distinct.contains(&c.person.id));
    }
    Ok(out)
}

/// The people said not to be the same person as `id`.
pub fn distinct_from(conn: &mut DbConn, id: PersonId) -> QueryResult<Vec<PersonId>> {
    let low: Vec<i64> = person_distinct::table
        .filter(person_distinct::person_high.eq(id.0))
        .select(person_distinct::person_low)
        .load(conn)?;
    let high: Vec<i64> = person_distinct::table
        .filter(person_distinct::person_low.eq(id.0))
        .select(person_distinct::person_high)
        .load(conn)?;
    Ok(low.into_iter().chain(high).map(PersonId).collect())
}

/// Records that `a` and `b` are not the same person (once; saying it again changes nothing).
pub fn mark_distinct(
    w: &mut Writer<'_>,
    a: PersonId,
    b: PersonId,
    by: UserId,
) -> QueryResult<usize> {
    let (low, high) = if a.0 < b.0 { (a, b) } else { (b, a) };
    if low == high {
        return Ok(0);
    }
    let exists: bool = diesel::select(diesel::dsl::exists(
        person_distinct::table
            .filter(person_distinct::person_low.eq(low.0))
            .filter(person_distinct::person_high.eq(high.0)),
    ))
    .get_result(w.conn())?;
    if exists {
        return Ok(0);
    }
    let now = w.now();
    diesel::insert_into(person_distinct::table)
        .values((
            person_distinct::person_low.eq(low.0),
            person_distinct::person_high.eq(high.0),
            person_distinct::decided_by.eq(by.0),
            person_distinct::decided_at.eq(now),
        ))
        .execute(w.conn())
}

/// Probable duplicate pairs in `scope` (lower id first): the same name signature, birth years
/// within one, neither merged, not said to be distinct. At most `limit` pairs.
pub fn probable_pairs(
    conn: &mut DbConn,
    scope: &PostScope,
    limit: usize,
) -> QueryResult<Vec<(Listed, Listed)>> {
    let (a, b) = diesel::alias!(person_name_keys as a, person_name_keys as b);
    let mut query = a
        .inner_join(
            b.on(b
                .field(person_name_keys::kind)
                .eq(a.field(person_name_keys::kind))
                .and(
                    b.field(person_name_keys::name_key)
                        .eq(a.field(person_name_keys::name_key)),
                )
                .and(
                    b.field(person_name_keys::person_id)
                        .gt(a.field(person_name_keys::person_id)),
                )),
        )
        .filter(a.field(person_name_keys::kind).eq(SIGNATURE))
        .select((
            a.field(person_name_keys::person_id),
            b.field(person_name_keys::person_id),
        ))
        .distinct()
        .order((
            a.field(person_name_keys::person_id),
            b.field(person_name_keys::person_id),
        ))
        .into_boxed();
    // Both people in scope: a pair across a post one cannot see is not shown half.
    if let Some(posts) = scope.posts() {
        let ids: Vec<i64> = posts.iter().map(|p| p.0).collect();
        let in_scope = people::table
            .filter(people::post_id.eq_any(ids))
            .select(people::id);
        query = query.filter(a.field(person_name_keys::person_id).eq_any(in_scope));
    }
    let pairs: Vec<(i64, i64)> = query.limit(4 * limit as i64 + 100).load(conn)?;
    let ids: Vec<i64> = pairs.iter().flat_map(|(x, y)| [*x, *y]).collect();
    let rows = filtered(&Filter::within(scope.clone()))
        .filter(people::id.eq_any(&ids))
        .select(LISTED)
        .load::<ListedTuple>(conn)?;
    let by_id: std::collections::HashMap<i64, Listed> = listed(conn, rows, None)?
        .into_iter()
        .map(|l| (l.id.0, l))
        .collect();
    let distinct: std::collections::HashSet<(i64, i64)> = person_distinct::table
        .filter(person_distinct::person_low.eq_any(&ids))
        .select((person_distinct::person_low, person_distinct::person_high))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    Ok(pairs
        .into_iter()
        .filter(|pair| !distinct.contains(pair))
        .filter_map(|(x, y)| Some((by_id.get(&x)?.clone(), by_id.get(&y)?.clone())))
        .filter(|(x, y)| years_close(x.birth_year, y.birth_year))
        .take(limit)
        .collect())
}

/// Every person `filter` selects, oldest first, in batches of `batch` (for the export).
pub fn read_batches(
    conn: &mut DbConn,
    filter: &Filter,
    batch: i64,
    mut each: impl FnMut(&mut DbConn, Vec<PersonRow>) -> QueryResult<bool>,
) -> QueryResult<()> {
    let mut after = 0_i64;
    loop {
        let mut query = filtered(filter).filter(people::id.gt(after));
        if !filter.words.is_empty() {
            // The export of a search holds what the search finds, at any rank.
            query = query.filter(every_word(&filter.words, Match::Cross));
        }
        let rows: Vec<PersonRow> = query
            .order(people::id)
            .limit(batch)
            .select(PersonRow::as_select())
            .load(conn)?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = last.id.0;
        let full = i64::try_from(rows.len()).unwrap_or(0) == batch;
        if !each(conn, rows)? || !full {
            return Ok(());
        }
    }
}

/// The keys that identify a whole record, for matching many rows at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WholeKey {
    /// A name's signature (`names::signature`).
    Signature,
    /// A folded document number.
    Document,
    /// A folded service number.
    ServiceNumber,
}

/// The people in `scope` (not merged) holding a key of `kind` among `keys`, as `(key, person)`:
/// a list of thousands of rows is matched in a few queries, not one per row.
pub fn holding(
    conn: &mut DbConn,
    scope: &PostScope,
    kind: WholeKey,
    keys: &[String],
) -> QueryResult<Vec<(String, Listed)>> {
    let kind = match kind {
        WholeKey::Signature => SIGNATURE,
        WholeKey::Document => DOCUMENT,
        WholeKey::ServiceNumber => SERVICE_NUMBER,
    };
    let mut out = Vec::new();
    for chunk in keys.chunks(500) {
        let pairs: Vec<(i64, String)> = person_name_keys::table
            .filter(person_name_keys::kind.eq(kind))
            .filter(person_name_keys::name_key.eq_any(chunk))
            .select((person_name_keys::person_id, person_name_keys::name_key))
            .load(conn)?;
        let ids: Vec<i64> = pairs.iter().map(|(id, _)| *id).collect();
        let rows = filtered(&Filter::within(scope.clone()))
            .filter(people::id.eq_any(&ids))
            .select(LISTED)
            .load::<ListedTuple>(conn)?;
        let found: std::collections::HashMap<i64, Listed> = listed(conn, rows, None)?
            .into_iter()
            .map(|l| (l.id.0, l))
            .collect();
        for (id, key) in pairs {
            if let Some(person) = found.get(&id) {
                out.push((key, person.clone()));
            }
        }
    }
    Ok(out)
}
