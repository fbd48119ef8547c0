//! People search at scale: fills a scratch SQLite database with N people (default 100,000) under
//! realistic Syrian and Iraqi names, then times `db::people::page` (the register's search)
//! against the naive scan a simple implementation would do, side by side in alternating rounds.
//!
//! ```sh
//! cargo run --release --bin bench_people -- --people 100000 [--rounds 7] [--repeat 5] [--keep]
//! ```
//!
//! Absolute times are noise on a shared machine; read the ratios. See BENCHMARKS.md.

// A benchmark's output is its report.
#![allow(clippy::print_stdout)]

use std::error::Error;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::connection::InstrumentationEvent;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};

use repatrack::audit::{self, Action, Actor, AuditError, Details, Entry};
use repatrack::clock::Clock;
use repatrack::config::DatabaseUrl;
use repatrack::db::people::{self as stored, Cursor, Filter, Listed, NewPerson};
use repatrack::db::{self, DbConn};
use repatrack::domain::ids::{PostId, UserId};
use repatrack::domain::names::{self, Match};
use repatrack::domain::person::{self, PersonForm, PersonStatus};
use repatrack::domain::policy::{PostScope, Principal};
use repatrack::domain::role::Role;

type Res<T> = Result<T, Box<dyn Error>>;

// ---------------------------------------------------------------------------------------------
// Names: (Arabic, Latin transliterations, the first the most usual). Listed most common first;
// a person's name is drawn with Zipf weights (1/rank), so محمد is about one first name in five
// and the last of the list one in three hundred.

const FIRST: &[(&str, &[&str])] = &[
    ("محمد", &["Mohammed", "Muhammad", "Mohamed", "Mohammad"]),
    ("أحمد", &["Ahmed", "Ahmad"]),
    ("علي", &["Ali"]),
    ("حسين", &["Hussein", "Husayn", "Hussain"]),
    ("عمر", &["Omar", "Umar"]),
    ("خالد", &["Khaled", "Khalid"]),
    ("حسن", &["Hassan", "Hasan"]),
    ("عبد الله", &["Abdullah", "Abd Allah", "Abdallah"]),
    ("يوسف", &["Yousef", "Yusuf", "Youssef"]),
    ("إبراهيم", &["Ibrahim"]),
    ("مصطفى", &["Mustafa", "Mostafa"]),
    ("محمود", &["Mahmoud", "Mahmood"]),
    (
        "عبد الرحمن",
        &["Abdul Rahman", "Abdulrahman", "Abd al-Rahman"],
    ),
    ("قاسم", &["Qasim", "Kasim", "Qassem"]),
    ("فاطمة", &["Fatima", "Fatma"]),
    ("كاظم", &["Kadhim", "Kazem"]),
    ("عثمان", &["Othman", "Uthman"]),
    ("سعيد", &["Said", "Saeed"]),
    ("جاسم", &["Jasim", "Jassim"]),
    ("زينب", &["Zainab", "Zaynab"]),
    ("حمزة", &["Hamza", "Hamzah"]),
    ("صلاح", &["Salah"]),
    ("وليد", &["Walid", "Waleed"]),
    ("طارق", &["Tariq", "Tarek"]),
    ("زياد", &["Ziad", "Ziyad"]),
    ("سامر", &["Samer"]),
    ("ماجد", &["Majid", "Maged"]),
    ("فاضل", &["Fadhil", "Fadel"]),
    ("رضا", &["Ridha", "Reda"]),
    ("جمال", &["Jamal", "Gamal"]),
    ("طه", &["Taha"]),
    ("داود", &["Dawood", "Dawud"]),
    ("عباس", &["Abbas"]),
    ("حيدر", &["Haidar", "Haider"]),
    ("مهدي", &["Mahdi", "Mehdi"]),
    ("مريم", &["Maryam", "Mariam"]),
    ("سلمان", &["Salman"]),
    ("ياسر", &["Yasser", "Yasir"]),
    ("فيصل", &["Faisal", "Faysal"]),
    ("نبيل", &["Nabil", "Nabeel"]),
    ("كريم", &["Karim", "Kareem"]),
    ("منير", &["Munir", "Mounir"]),
    ("رامي", &["Rami"]),
    ("بشار", &["Bashar"]),
    ("هيثم", &["Haitham", "Haytham"]),
    ("عماد", &["Imad", "Emad"]),
    ("مازن", &["Mazen", "Mazin"]),
    ("أنس", &["Anas"]),
    ("معاذ", &["Muadh", "Moaz"]),
    ("بلال", &["Bilal"]),
    ("عدنان", &["Adnan"]),
    ("غسان", &["Ghassan"]),
    ("نزار", &["Nizar"]),
    ("ثامر", &["Thamer", "Thamir"]),
    ("عادل", &["Adel", "Adil"]),
    ("رائد", &["Raed", "Raid"]),
    ("شاكر", &["Shakir", "Chaker"]),
    ("منذر", &["Munther", "Mundhir"]),
    ("سيف", &["Saif", "Sayf"]),
    ("مقداد", &["Miqdad", "Meqdad"]),
];

/// Fathers' names: the same names, most common first in another order (Ali, Hussein, Ahmed...).
const FATHER_ORDER: &[usize] = &[2, 3, 1, 0, 4, 6, 7, 5];

/// Family names, the Latin without its article (written Al-, al or El- at random).
const FAMILY: &[(&str, &[&str])] = &[
    ("الجبوري", &["Jubouri", "Juburi"]),
    ("الدليمي", &["Dulaimi", "Dulaymi"]),
    ("العبيدي", &["Obaidi", "Ubaidi"]),
    ("التميمي", &["Tamimi"]),
    ("الشمري", &["Shammari"]),
    ("الزبيدي", &["Zubaidi"]),
    ("العاني", &["Ani"]),
    ("الحلبي", &["Halabi"]),
    ("الكبيسي", &["Kubaisi"]),
    ("الحمصي", &["Homsi", "Himsi"]),
    ("الجنابي", &["Janabi"]),
    ("الشامي", &["Shami"]),
    ("الخطيب", &["Khatib"]),
    ("الموسوي", &["Musawi", "Moussawi"]),
    ("الربيعي", &["Rubaie", "Rubaiy"]),
    ("الراوي", &["Rawi"]),
    ("الساعدي", &["Saadi"]),
    ("الحسيني", &["Husseini", "Husaini"]),
    ("الكردي", &["Kurdi"]),
    ("العنزي", &["Anazi", "Enezi"]),
    ("البياتي", &["Bayati"]),
    ("الطائي", &["Taie", "Tai"]),
    ("الخزاعي", &["Khuzaie"]),
    ("الحديثي", &["Hadithi"]),
    ("النعيمي", &["Nuaimi", "Naimi"]),
    ("الزعبي", &["Zoubi", "Zuabi"]),
    ("الأتاسي", &["Atassi"]),
    ("القباني", &["Qabbani", "Kabbani"]),
    ("الدروبي", &["Droubi"]),
    ("الحكيم", &["Hakim"]),
    ("الحريري", &["Hariri"]),
    ("الفياض", &["Fayyad"]),
    ("الحمود", &["Hamoud"]),
    ("المصري", &["Masri"]),
    ("السيد", &["Sayed"]),
    ("العلي", &["Ali"]),
    ("الأحمد", &["Ahmad", "Ahmed"]),
    ("العمر", &["Omar"]),
    ("الخليل", &["Khalil"]),
    ("الشطري", &["Shatri"]),
];

const ARTICLES: &[&str] = &["Al-", "al ", "El-"];

/// A small deterministic generator (splitmix64): the same seed, the same people.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        // n is small; the modulo bias is negligible.
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A transliteration: the usual spelling half the time, else any.
    fn spelling<'a>(&mut self, variants: &[&'a str]) -> &'a str {
        if self.unit() < 0.5 {
            variants[0]
        } else {
            variants[self.below(variants.len())]
        }
    }
}

/// Cumulative Zipf weights (1/rank) over `n` items.
fn zipf(n: usize) -> Vec<f64> {
    let mut acc = 0.0;
    let mut cumulative: Vec<f64> = (1..=n)
        .map(|rank| {
            acc += 1.0 / rank as f64;
            acc
        })
        .collect();
    for c in &mut cumulative {
        *c /= acc;
    }
    cumulative
}

fn pick(rng: &mut Rng, cumulative: &[f64]) -> usize {
    let u = rng.unit();
    cumulative
        .partition_point(|&c| c <= u)
        .min(cumulative.len() - 1)
}

/// The raw form of one generated person: Arabic only (40%), Latin only (35%) or both (25%).
fn generate(rng: &mut Rng, first_w: &[f64], family_w: &[f64]) -> PersonForm {
    let first = FIRST[pick(rng, first_w)];
    let father_rank = pick(rng, first_w);
    let father = FIRST[FATHER_ORDER
        .get(father_rank)
        .copied()
        .unwrap_or(father_rank)];
    let family = FAMILY[pick(rng, family_w)];
    let script = rng.unit();
    let (arabic, latin) = (script < 0.65, script >= 0.40);
    let mut form = PersonForm {
        birth_year: (1960 + rng.below(46)).to_string(),
        sex: if first.0 == "فاطمة" || first.0 == "زينب" || first.0 == "مريم" {
            "female".into()
        } else {
            "male".into()
        },
        ..PersonForm::default()
    };
    if arabic {
        form.name_ar = format!("{} {} {}", first.0, father.0, family.0);
        form.father_name = father.0.to_owned();
        form.family_name = family.0.to_owned();
    }
    if latin {
        let article = ARTICLES[rng.below(ARTICLES.len())];
        let family_latin = format!("{article}{}", rng.spelling(family.1));
        let father_latin = rng.spelling(father.1);
        form.name_latin = format!(
            "{} {} {}",
            rng.spelling(first.1),
            father_latin,
            family_latin
        );
        if !arabic {
            form.father_name = father_latin.to_owned();
            form.family_name = family_latin;
        }
    }
    form
}

// ---------------------------------------------------------------------------------------------
// Setting up

struct Args {
    people: usize,
    rounds: usize,
    repeat: usize,
    keep: bool,
}

fn args() -> Res<Args> {
    let mut out = Args {
        people: 100_000,
        rounds: 7,
        repeat: 5,
        keep: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut number = |name: &str| -> Res<usize> {
            let v = it.next().ok_or_else(|| format!("{name} needs a number"))?;
            Ok(v.parse::<usize>()?)
        };
        match arg.as_str() {
            "--people" => out.people = number("--people")?,
            "--rounds" => out.rounds = number("--rounds")?.max(5),
            "--repeat" => out.repeat = number("--repeat")?.max(1),
            "--keep" => out.keep = true,
            other => {
                return Err(format!(
                    "unknown argument {other}; usage: bench_people [--people N] [--rounds R] \
                     [--repeat K] [--keep]"
                )
                .into());
            }
        }
    }
    Ok(out)
}

/// A fresh directory under the system's temp dir, removed when dropped (unless kept).
struct ScratchDir {
    path: PathBuf,
    keep: bool,
}

impl ScratchDir {
    fn new(keep: bool) -> Res<Self> {
        let micros = Clock::system().now().timestamp_micros();
        let path = std::env::temp_dir().join(format!(
            "repatrack-bench-people-{}-{micros}",
            std::process::id()
        ));
        std::fs::create_dir(&path)?;
        Ok(Self { path, keep })
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        if self.keep {
            println!("kept {}", self.path.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// The post and the officer who records there (as the tests' `create_post`/`create_user`).
fn post_and_officer(conn: &mut DbConn) -> Res<(PostId, UserId)> {
    let actor = Actor::system();
    let form = repatrack::domain::post::PostForm {
        code: "QAIM".into(),
        name_en: "Al-Qaim".into(),
        name_ar: "القائم".into(),
        country: "IQ".into(),
        neighbour_country: "SY".into(),
        governorate: "Anbar".into(),
        counterpart_name: "Albu Kamal".into(),
        timezone: "Asia/Baghdad".into(),
    };
    let new_post = form.parse_new().map_err(|e| format!("post form: {e:?}"))?;
    let post =
        repatrack::services::border_posts::create(conn, &actor, Clock::system().now(), &new_post)
            .map_err(|e| format!("post: {e:?}"))?;
    let account = repatrack::domain::account::AccountForm {
        username: "officer".into(),
        display_name: "Bench officer".into(),
        role: "officer".into(),
        all_posts: false,
        post_codes: vec!["QAIM".into()],
    };
    let (fields, _) = account
        .parse(None)
        .map_err(|e| format!("account form: {e:?}"))?;
    let hash = repatrack::auth::password::hash_blocking("bench-people-password-1")
        .map_err(|e| format!("password: {e}"))?;
    let user =
        repatrack::services::accounts::create(conn, &actor, Clock::system().now(), &fields, &hash)
            .map_err(|e| format!("account: {e:?}"))?;
    Ok((post, user))
}

/// Fills `n` people, 1,000 per transaction: each person is `db::people::insert` (the row and
/// its name keys) plus its own `person.create` audit entry, the rows `services::people::create`
/// writes, without its per-person duplicate check and post lock.
fn fill(conn: &mut DbConn, post: PostId, user: UserId, n: usize) -> Res<Duration> {
    const BATCH: usize = 1_000;
    let actor = Actor::system();
    let today = Clock::system().now().date_naive();
    let year = 2026;
    let mut rng = Rng(2026);
    let first_w = zipf(FIRST.len());
    let family_w = zipf(FAMILY.len());
    let started = Instant::now();
    let mut done = 0;
    while done < n {
        let count = BATCH.min(n - done);
        let mut forms = Vec::with_capacity(count);
        for _ in 0..count {
            let form = generate(&mut rng, &first_w, &family_w);
            forms.push(
                form.parse(today)
                    .map_err(|e| format!("person form {form:?}: {e:?}"))?,
            );
        }
        let first_number = done + 1;
        audit::write_each(
            conn,
            &actor,
            Clock::system().now(),
            |w| -> Result<(), AuditError> {
                for (i, fields) in forms.iter().enumerate() {
                    let number = i32::try_from(first_number + i).unwrap_or(i32::MAX);
                    let reference = person::reference("QAIM", year, i64::from(number));
                    let form_key = format!("bench-{number}");
                    let id = stored::insert(
                        w,
                        &NewPerson {
                            post,
                            reference: reference.clone(),
                            ref_year: year,
                            ref_number: number,
                            fields,
                            recorded_by: user,
                            form_key: &form_key,
                        },
                    )?;
                    let mut details = Details::new()
                        .created("person_reference", reference)
                        .created("status", PersonStatus::Present.as_str());
                    for (field, value) in fields.values() {
                        details = if value.is_empty() {
                            details.created(field, serde_json::Value::Null)
                        } else {
                            details.created(field, value)
                        };
                    }
                    w.record(Entry {
                        action: Action::PersonCreate,
                        entity: "person",
                        entity_id: id.to_string(),
                        post: Some("QAIM".to_owned()),
                        details,
                    })?;
                }
                Ok(())
            },
        )?;
        done += count;
    }
    Ok(started.elapsed())
}

// ---------------------------------------------------------------------------------------------
// Measuring

/// One query of the table.
struct Query {
    label: &'static str,
    text: &'static str,
    /// Where the page starts (`None`: the first page).
    after: Option<Cursor>,
}

#[derive(QueryableByName, Debug)]
#[allow(dead_code)] // read so that the scan pays for the same columns as the search
struct NaiveRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    reference: String,
    #[diesel(sql_type = BigInt)]
    post_id: i64,
    #[diesel(sql_type = Text)]
    name_ar: String,
    #[diesel(sql_type = Text)]
    name_latin: String,
    #[diesel(sql_type = Text)]
    father_name: String,
    #[diesel(sql_type = Nullable<Integer>)]
    birth_year: Option<i32>,
    #[diesel(sql_type = Text)]
    status: String,
}

/// What a simple implementation would do: a substring scan of both name columns.
fn naive(conn: &mut DbConn, post: Option<PostId>, text: &str) -> QueryResult<Vec<NaiveRow>> {
    let pattern = format!("%{}%", text.to_lowercase());
    let scope = match post {
        Some(p) => format!("AND post_id = {} ", p.0),
        None => String::new(),
    };
    diesel::sql_query(format!(
        "SELECT id, reference, post_id, name_ar, name_latin, father_name, birth_year, status \
         FROM people WHERE merged_into IS NULL {scope}\
         AND (lower(name_latin) LIKE ? OR name_ar LIKE ?) ORDER BY id LIMIT 51"
    ))
    .bind::<Text, _>(&pattern)
    .bind::<Text, _>(&pattern)
    .load(conn)
}

fn search(conn: &mut DbConn, filter: &Filter, after: Option<Cursor>) -> QueryResult<Vec<Listed>> {
    stored::page(conn, filter, after, 50)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// Nearest-rank 95th percentile.
fn p95(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let rank = ((0.95 * n as f64).ceil() as usize).clamp(1, n);
    sorted[rank - 1]
}

/// The search's page, by rank: "51 = 51/0/0" (exact/folded/cross).
fn found(rows: &[Listed]) -> String {
    let count = |m: Match| rows.iter().filter(|r| r.matched == Some(m)).count();
    format!(
        "{} = {}/{}/{}",
        rows.len(),
        count(Match::Exact),
        count(Match::Folded),
        count(Match::Cross)
    )
}

/// How many people hold each word's key at each rank (the size of the index ranges read).
fn postings(conn: &mut DbConn, text: &str) -> QueryResult<String> {
    use repatrack::db::schema::person_name_keys as k;
    let mut parts = Vec::new();
    for t in names::tokens(text) {
        let mut counts = Vec::new();
        for (kind, key) in [(0, &t.exact), (1, &t.folded), (2, &t.cross)] {
            let n: i64 = k::table
                .filter(k::kind.eq(kind))
                .filter(k::name_key.eq(key))
                .count()
                .get_result(conn)?;
            counts.push(n.to_string());
        }
        parts.push(counts.join("/"));
    }
    Ok(parts.join(" + "))
}

struct Samples {
    search: Vec<f64>,
    naive: Vec<f64>,
    found: String,
    naive_found: usize,
}

fn main() -> Res<()> {
    let args = args()?;
    let dir = ScratchDir::new(args.keep)?;
    let url = DatabaseUrl::Sqlite(dir.path.join("people.db"));
    let mut conn = db::connect_one(&url, None)?;
    db::migrate::run_pending(&mut conn)?;
    let (post, user) = post_and_officer(&mut conn)?;

    let fill_time = fill(&mut conn, post, user, args.people)?;
    let keys: i64 = repatrack::db::schema::person_name_keys::table
        .count()
        .get_result(&mut conn)?;
    println!(
        "filled {} people ({} name keys, one audit entry each) in {:.1} s: {:.0} people/s",
        args.people,
        keys,
        fill_time.as_secs_f64(),
        args.people as f64 / fill_time.as_secs_f64()
    );

    let officer = Principal::user(user, Role::Officer, false, &[post]);
    let admin = Principal::operator();
    let scopes: [(&str, &PostScope, Option<PostId>); 2] = [
        ("officer", officer.scope(), Some(post)),
        ("all", admin.scope(), None),
    ];
    let queries = [
        Query {
            label: "common Latin",
            text: "Mohammed",
            after: None,
        },
        Query {
            label: "rare exact Arabic",
            text: "مقداد",
            after: None,
        },
        Query {
            label: "cross-script, 1st page",
            text: "Hussein",
            after: None,
        },
        Query {
            // The first page of the cross-script rank (cursor (2, 0)): the Arabic-only records.
            label: "cross-script, cross page",
            text: "Hussein",
            after: Some((2, 0)),
        },
        Query {
            label: "two words",
            text: "Hussein Ali",
            after: None,
        },
        Query {
            label: "no match",
            text: "Zebulon",
            after: None,
        },
    ];

    // Every (scope, query) pair: search and scan alternate inside each round, and the rounds go
    // over every pair in turn, so a busy moment of the machine hits both sides alike.
    let mut samples: Vec<Samples> = Vec::new();
    let mut filters = Vec::new();
    for (_, scope, _) in &scopes {
        for q in &queries {
            filters.push(Filter {
                scope: (*scope).clone(),
                post: None,
                status: None,
                words: names::tokens(q.text),
            });
            samples.push(Samples {
                search: Vec::new(),
                naive: Vec::new(),
                found: String::new(),
                naive_found: 0,
            });
        }
    }
    // Warm-up: one of each, and the counts.
    for (s, (_, _, post_only)) in scopes.iter().enumerate() {
        for (i, q) in queries.iter().enumerate() {
            let at = s * queries.len() + i;
            samples[at].found = found(&search(&mut conn, &filters[at], q.after)?);
            samples[at].naive_found = naive(&mut conn, *post_only, q.text)?.len();
        }
    }
    for round in 0..args.rounds {
        for (s, (_, _, post_only)) in scopes.iter().enumerate() {
            for (i, q) in queries.iter().enumerate() {
                let at = s * queries.len() + i;
                for k in 0..args.repeat {
                    // Alternate which side goes first.
                    let search_first = (round + k) % 2 == 0;
                    for side in 0..2 {
                        if (side == 0) == search_first {
                            let t = Instant::now();
                            let rows = search(&mut conn, &filters[at], q.after)?;
                            samples[at].search.push(ms(t.elapsed()));
                            std::hint::black_box(rows);
                        } else {
                            let t = Instant::now();
                            let rows = naive(&mut conn, *post_only, q.text)?;
                            samples[at].naive.push(ms(t.elapsed()));
                            std::hint::black_box(rows);
                        }
                    }
                }
            }
        }
    }

    println!(
        "db::people::page(.., 50) vs naive LIKE scan; {} rounds x {} alternating runs each, \
         median and p95 in ms",
        args.rounds, args.repeat
    );
    println!(
        "{:<7} {:<25} {:<12} {:>8} {:>8} {:>8} {:>8} {:>7}  {:<16} {:>5}  keys e/f/c",
        "scope", "query", "text", "search", "p95", "scan", "p95", "ratio", "found e/f/c", "scan"
    );
    for (s, (scope_label, _, _)) in scopes.iter().enumerate() {
        for (i, q) in queries.iter().enumerate() {
            let at = s * queries.len() + i;
            let sm = &mut samples[at];
            sm.search.sort_by(f64::total_cmp);
            sm.naive.sort_by(f64::total_cmp);
            let (sm_med, nv_med) = (median(&sm.search), median(&sm.naive));
            println!(
                "{:<7} {:<25} {:<12} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>7.3}  {:<16} {:>5}  {}",
                scope_label,
                q.label,
                q.text,
                sm_med,
                p95(&sm.search),
                nv_med,
                p95(&sm.naive),
                sm_med / nv_med,
                sm.found,
                sm.naive_found,
                postings(&mut conn, q.text)?
            );
        }
    }

    // The plan of the search's own statements, caught as diesel sends them.
    let sent: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(Vec::new()));
    let DbConn::Sqlite(inner) = &mut conn else {
        return Err("not SQLite".into());
    };
    let log = Arc::clone(&sent);
    inner.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event
            && let Ok(mut log) = log.lock()
        {
            log.push(query.to_string());
        }
    });
    // Two searches' statements as diesel sends them, and their plans under both scopes: two
    // words at the first rank, and one word at the cross-script rank (its key, and not the
    // folded rank's).
    for q in [&queries[4], &queries[3]] {
        for (scope_label, scope, _) in &scopes {
            let filter = Filter {
                scope: (*scope).clone(),
                post: None,
                status: None,
                words: names::tokens(q.text),
            };
            if let Ok(mut log) = sent.lock() {
                log.clear();
            }
            search(&mut conn, &filter, q.after)?;
            let statements: Vec<String> = sent
                .lock()
                .map_err(|_| "instrumentation log poisoned")?
                .iter()
                .filter(|sql| sql.contains("FROM `people`"))
                .cloned()
                .collect();
            for statement in &statements {
                let sql = statement
                    .split(" -- binds:")
                    .next()
                    .unwrap_or(statement.as_str());
                if *scope_label == "officer" {
                    println!("\n{statement}");
                }
                println!(
                    "EXPLAIN QUERY PLAN (scope {scope_label}, {}, \"{}\"):",
                    q.label, q.text
                );
                for line in plan(&mut conn, sql)? {
                    println!("  {line}");
                }
            }
        }
    }
    Ok(())
}

#[derive(QueryableByName)]
struct PlanRow {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Integer)]
    parent: i32,
    #[diesel(sql_type = Text)]
    detail: String,
}

/// `EXPLAIN QUERY PLAN` of `sql` (its parameters unbound: without ANALYZE statistics SQLite's
/// plan does not depend on their values), indented as the sqlite3 shell shows it.
fn plan(conn: &mut DbConn, sql: &str) -> QueryResult<Vec<String>> {
    let rows: Vec<PlanRow> =
        diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}")).load(&mut *conn)?;
    let mut depth: Vec<(i32, usize)> = Vec::new();
    let mut out = Vec::new();
    for row in rows {
        let level = depth
            .iter()
            .find(|(id, _)| *id == row.parent)
            .map_or(0, |(_, l)| l + 1);
        depth.push((row.id, level));
        out.push(format!("{}{}", "  ".repeat(level), row.detail));
    }
    Ok(out)
}
