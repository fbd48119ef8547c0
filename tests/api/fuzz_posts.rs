//! Property tests of every POST handler (issue 17, point 10): bodies generated with proptest —
//! valid, near-valid and hostile values, unknown and repeated fields, a missing CSRF token now
//! and then — sent over real HTTP to the real server, on both databases. After each route's
//! cases: no 5xx was answered and the audit chain verifies; at the end, no page shows a stored
//! hostile value unescaped (and some were stored, so the check is not empty).
//!
//! Cases per route: 1,000 (CI); `FUZZ_CASES=20000 cargo test fuzz_posts` for a longer run, and
//! `FUZZ_DEBUG=1` (with `--nocapture`) prints the answers' statuses after each route.
//! The route list comes from the routing table itself: a POST route added without fields here
//! fails `every_post_route_is_fuzzed`.

use diesel::prelude::*;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use repatrack::db::schema::{crossing_events, people};

use crate::helpers::*;

/// Every hostile value carries this; it must never reach a page as markup.
const MARK: &str = "<rt-x";

fn cases() -> usize {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000)
}

/// The fields each POST route reads (from its form), by route pattern.
fn fields_of(pattern: &str) -> Option<&'static [&'static str]> {
    const EVENT: &[&str] = &[
        "occurred_at",
        "direction",
        "category",
        "headcount",
        "officers",
        "wounded",
        "source",
        "reference",
        "notes",
        "agreement_id",
        "form_key",
        "version",
        "reason",
    ];
    const PERSON: &[&str] = &[
        "name_ar",
        "name_latin",
        "father_name",
        "grandfather_name",
        "family_name",
        "mother_name",
        "birth_date",
        "birth_year",
        "sex",
        "rank",
        "unit",
        "service_number",
        "id_document_type",
        "id_document_number",
        "nationality",
        "medical",
        "inbound_event_id",
        "notes",
        "form_key",
        "version",
        "confirm_not_duplicate",
    ];
    const AGREEMENT: &[&str] = &[
        "reference",
        "title",
        "parties",
        "signed_on",
        "effective_from",
        "effective_to",
        "terms",
        "planned_headcount",
        "post_codes",
        "clause_kind",
        "clause_text",
        "version",
    ];
    const POST: &[&str] = &[
        "code",
        "name_en",
        "name_ar",
        "country",
        "neighbour_country",
        "governorate",
        "counterpart_name",
        "timezone",
        "active",
        "version",
    ];
    const USER: &[&str] = &[
        "username",
        "display_name",
        "role",
        "all_posts",
        "posts",
        "password",
        "active",
        "version",
    ];
    Some(match pattern {
        "/login" => &["username", "password", "next", "resume_path", "resume_body"],
        "/logout" | "/login/cancel" | "/admin/users/{id}/two-factor" => &[],
        "/login/code" | "/account/two-factor" => &["code", "next"],
        "/language" => &["language"],
        "/posts" | "/posts/{code}" => POST,
        "/posts/{code}/events" | "/events/{id}" => EVENT,
        "/posts/{code}/people" | "/people/{id}" => PERSON,
        "/posts/{code}/people/import" | "/events/{id}/reconcile" => &["event_id", "file"],
        "/posts/{code}/days/{date}/close" => &["from", "to"],
        "/posts/{code}/days/{date}/reopen" => &["from", "to", "reason"],
        "/posts/{code}/days/close-up-to" => &["to"],
        "/queue/verify" => &["event", "back"],
        "/events/{id}/verify" => &["version"],
        "/events/{id}/void" => &["version", "reason"],
        "/events/{id}/manifest" | "/events/{id}/manifest/remove" => &["person_id", "version"],
        "/events/{id}/reconcile/resolve" => &["item", "note"],
        "/agreements" | "/agreements/{id}" => AGREEMENT,
        "/agreements/{id}/status" => &["status", "reason", "version"],
        "/agreements/{id}/confirm" => &["version"],
        "/agreements/{id}/observations" | "/people/{id}/followups" => {
            &["clause_id", "finding", "observed_on", "source", "text"]
        }
        "/people/distinct" => &["a", "b"],
        "/people/merges" | "/people/merges/{id}/confirm" => &[
            "kept",
            "merged",
            "a",
            "b",
            "name_ar",
            "name_latin",
            "birth_year",
            "rank",
        ],
        "/people/merges/{id}/withdraw" => &[],
        "/people/imports/{id}" => &["action", "col_0", "col_1", "col_2", "create_1", "create_2"],
        "/people/{id}/status" => &[
            "status",
            "reason",
            "stated_on",
            "heard_by",
            "how",
            "transferred_to",
            "version",
        ],
        "/admin/users" | "/admin/users/{id}" => USER,
        "/admin/users/{id}/password" => &["password", "version"],
        "/account/password" => &["current_password", "password"],
        "/account/preferences" => &["language", "digits"],
        _ => return None,
    })
}

/// A body the route accepts (given the world's records), which cases then mutate: most reach
/// the route's deeper rules and its write, with a generated value or two in place.
fn valid_base(pattern: &str) -> &'static [(&'static str, &'static str)] {
    match pattern {
        "/posts/{code}/events" => &[
            ("occurred_at", "2024-12-11T09:00"),
            ("direction", "inbound"),
            ("category", "civilian"),
            ("headcount", "3"),
            ("officers", ""),
            ("wounded", ""),
            ("source", "Gate log"),
            ("reference", "INA-2024/117"),
            ("notes", "Family group"),
        ],
        "/events/{id}" => &[
            ("occurred_at", "2024-12-10T08:00"),
            ("direction", "inbound"),
            ("category", "military"),
            ("headcount", "40"),
            ("officers", ""),
            ("wounded", ""),
            ("source", "Gate log"),
            ("reference", "INA-2024/117"),
            ("notes", "Corrected"),
            ("version", "1"),
            ("reason", "Typo"),
        ],
        "/posts/{code}/people" => &[
            ("name_latin", "Omar Saleh"),
            ("name_ar", "عمر صالح"),
            ("birth_year", "1979"),
            ("notes", "Met at the gate"),
            ("confirm_not_duplicate", "1"),
        ],
        "/people/{id}" => &[
            ("name_latin", "Hussein Ali"),
            ("name_ar", "حسين علي"),
            ("birth_year", "1990"),
            ("notes", "Updated"),
            ("version", "1"),
            ("confirm_not_duplicate", "1"),
        ],
        "/agreements" | "/agreements/{id}" => &[
            ("reference", "IQ-SY/2024/RET-09"),
            ("title", "Return of civilians"),
            ("parties", "Iraq; Syria"),
            ("signed_on", "2024-12-18"),
            ("effective_from", "2024-12-18"),
            ("post_codes", "QAIM"),
            ("clause_kind", "no_reprisals"),
            ("clause_text", "No reprisals."),
            ("version", "1"),
        ],
        "/agreements/{id}/observations" | "/people/{id}/followups" => &[
            ("finding", "observed"),
            ("observed_on", "2024-12-20"),
            ("source", "ICRC visit"),
            ("text", "Seen at home"),
        ],
        "/events/{id}/void" => &[("reason", "Entered twice"), ("version", "1")],
        "/posts/{code}/days/{date}/reopen" => &[("reason", "Late entry")],
        "/people/{id}/status" => &[
            ("status", "declined"),
            ("reason", "Fears return"),
            ("stated_on", "2024-12-18"),
            ("heard_by", "Officer Sara"),
            ("how", "in_person"),
            ("version", "1"),
        ],
        "/admin/users" | "/admin/users/{id}" => &[
            ("username", "newcomer"),
            ("display_name", "New Comer"),
            ("role", "officer"),
            ("posts", "QAIM"),
            ("password", "amber river stone lantern"),
            ("active", "1"),
            ("version", "1"),
        ],
        "/posts" | "/posts/{code}" => &[
            ("code", "WALEED"),
            ("name_en", "Al-Walid"),
            ("name_ar", "الوليد"),
            ("country", "IQ"),
            ("neighbour_country", "SY"),
            ("governorate", "Anbar"),
            ("counterpart_name", "Al-Tanf"),
            ("timezone", "Asia/Baghdad"),
            ("active", "1"),
            ("version", "1"),
        ],
        _ => &[],
    }
}

/// Fields that take any text: where a stored hostile value would show on a page.
const FREE_TEXT: &[&str] = &[
    "notes",
    "reason",
    "text",
    "title",
    "display_name",
    "name_en",
];

/// Values that pass (or nearly pass) some field's rules.
const VALID: &[&str] = &[
    "QAIM",
    "RABIA",
    "2024-12-18",
    "2024-12-18T08:00",
    "2024-12-19T23:59",
    "5",
    "1",
    "0",
    "40",
    "1,100",
    "inbound",
    "outbound",
    "military",
    "civilian",
    "officer",
    "supervisor",
    "auditor",
    "ar",
    "en",
    "western",
    "arabic_indic",
    "pending",
    "active",
    "suspended",
    "concluded",
    "declined",
    "wishes_to_return",
    "transferred",
    "1",
    "on",
    "confirm",
    "preview",
    "no_reprisals",
    "breach",
    "observed",
    "m",
    "f",
    "Hussein Ali",
    "حسين علي",
    "Asia/Baghdad",
    "IQ",
    "SY",
    "amber river stone lantern",
    "Handover at the gate",
    "IQ-SY/2024/RET-01",
];

/// Values a careless form or a tired officer might send.
const NEAR: &[&str] = &[
    "",
    " ",
    "2024-02-30",
    "2024-13-01",
    "2024-12-18T25:00",
    "0000-01-01",
    "-2024-01-01",
    "1949-12-31",
    "99999-12-31",
    "-1",
    "-2147483649",
    "2147483648",
    "99999999999999999999",
    "1e3",
    "0x10",
    " 5 ",
    "٥",
    "٠٠٧",
    "5.5",
    "NaN",
    "qaim",
    "QAIM ",
    "QA IM",
    "true",
    "yes",
    "null",
    "undefined",
    "[]",
    "{}",
];

/// Values an attacker sends; each carries the mark.
const HOSTILE: &[&str] = &[
    "<rt-x>",
    "\"><rt-x onerror=alert(1)>",
    "'><rt-x/>",
    "</td><rt-x>",
    "<rt-x>' OR '1'='1",
    "<rt-x>'; DROP TABLE users;--",
    "<rt-x>\u{0}",
    "<rt-x>\u{202e}evil",
    "=cmd|' /C calc'!A0<rt-x>",
    "<rt-x>../../etc/passwd",
    "<rt-x>{{7*7}}",
    "<rt-x>%00%0d%0a",
    "<rt-x>\r\nSet-Cookie: a=b",
    "<rt-x>مرحبا\u{200f}",
    "<rt-x>🙂\u{301}\u{301}",
];

/// One generated value: valid (half), near-valid (a quarter), hostile (a quarter), or long.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::sample::select(VALID).prop_map(str::to_owned),
        3 => proptest::sample::select(NEAR).prop_map(str::to_owned),
        3 => proptest::sample::select(HOSTILE).prop_map(str::to_owned),
        1 => (proptest::sample::select(HOSTILE), 1..40_usize).prop_map(|(h, n)| h.repeat(n)),
        1 => "[\\PC]{0,40}".prop_map(|s| format!("{MARK}{s}")),
        1 => (1..6000_usize).prop_map(|n| "و".repeat(n)),
    ]
}

/// One request: path parameters and the body's fields.
#[derive(Debug, Clone)]
struct Case {
    code: String,
    id: String,
    date: String,
    fields: Vec<(String, String)>,
    with_token: bool,
}

fn case(
    known: &'static [&'static str],
    base: &'static [(&'static str, &'static str)],
    ids: Vec<String>,
) -> impl Strategy<Value = Case> {
    let field = prop_oneof![
        8 => proptest::sample::select(if known.is_empty() { &["junk"][..] } else { known })
            .prop_map(str::to_owned),
        1 => "[a-z_]{1,12}",
        1 => proptest::sample::select(HOSTILE).prop_map(str::to_owned),
    ];
    let code = prop_oneof![
        8 => Just("QAIM".to_owned()),
        1 => Just("RABIA".to_owned()),
        1 => value().prop_map(|v| v.chars().take(30).collect()),
    ];
    let id = prop_oneof![
        8 => proptest::sample::select(ids),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => value().prop_map(|v| v.chars().take(30).collect()),
    ];
    let date = prop_oneof![
        4 => Just("2024-12-18".to_owned()),
        1 => proptest::sample::select(NEAR).prop_map(str::to_owned),
    ];
    (
        code,
        id,
        date,
        proptest::collection::vec((field, value()), 0..16),
        proptest::bool::weighted(0.95),
        proptest::bool::weighted(if base.is_empty() { 0.0 } else { 0.7 }),
        any::<u32>(),
        proptest::option::weighted(0.5, proptest::sample::select(HOSTILE)),
    )
        .prop_map(
            move |(code, id, date, generated, with_token, from_base, unique, hostile)| {
                let fields = if from_base {
                    // The valid body, a fresh form key (each case is a new form), a hostile value
                    // in its free text half the time, and one generated value in place of (or
                    // beside) one of its fields.
                    let mut fields: Vec<(String, String)> = base
                        .iter()
                        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                        .collect();
                    fields.push(("form_key".to_owned(), format!("fuzz-{unique}")));
                    if let Some(hostile) = hostile
                        && let Some(slot) = fields
                            .iter_mut()
                            .find(|(k, _)| FREE_TEXT.contains(&k.as_str()))
                    {
                        slot.1 = hostile.to_owned();
                    }
                    for (name, value) in generated.into_iter().take(1) {
                        match fields.iter_mut().find(|(k, _)| *k == name) {
                            Some(slot) => slot.1 = value,
                            None => fields.push((name, value)),
                        }
                    }
                    fields
                } else {
                    generated
                };
                Case {
                    code,
                    id,
                    date,
                    fields,
                    with_token,
                }
            },
        )
}

/// The path of `pattern` for this case (path segments percent-encoded as a browser would).
fn path_of(pattern: &str, case: &Case) -> String {
    let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    pattern
        .replace("{code}", &encode(&case.code))
        .replace("{id}", &encode(&case.id))
        .replace("{date}", &encode(&case.date))
}

/// The records the generated ids point at, so many cases reach past "not found".
async fn world(app: &TestApp) -> (TestClient, World, i64) {
    app.create_post("QAIM");
    app.create_post("RABIA");
    // The account the fuzzer changes (never its own: a new password would end its session).
    let victim = app.create_user("victim", "officer", &["QAIM"], false);
    app.create_user("second", "supervisor", &[], true);
    let admin = app.new_client();
    app.create_user("fuzzer", "admin", &[], true);
    assert_eq!(admin.login("fuzzer", PASSWORD).await.status().as_u16(), 303);
    let arrival = crate::events::record(
        &admin,
        "QAIM",
        "2024-12-10T08:00",
        "inbound",
        "military",
        "40",
    )
    .await;
    let agreement = crate::agreements::create_agreement(
        &admin,
        &crate::agreements::agreement_form(
            "IQ-SY/2024/RET-01",
            &["QAIM"],
            "2024-12-18",
            "2024-12-31",
        ),
    )
    .await;
    let arrival_id = arrival.to_string();
    let person = crate::people::registered(
        &admin,
        "QAIM",
        &[
            ("name_latin", "Hussein Ali"),
            ("name_ar", "حسين علي"),
            ("birth_year", "1990"),
            ("inbound_event_id", &arrival_id),
        ],
    )
    .await;
    let other = crate::people::registered(
        &admin,
        "QAIM",
        &[("name_latin", "Yusuf Karim"), ("birth_year", "1988")],
    )
    .await;
    let ids = World {
        events: vec![arrival.to_string()],
        agreements: vec![agreement.to_string()],
        people: vec![person.to_string(), other.to_string()],
        users: vec![victim.to_string()],
    };
    (admin, ids, victim)
}

/// The ids of the world's records, by kind.
struct World {
    events: Vec<String>,
    agreements: Vec<String>,
    people: Vec<String>,
    users: Vec<String>,
}

impl World {
    /// The ids a route's `{id}` should mostly be.
    fn ids_for(&self, pattern: &str) -> Vec<String> {
        let small = || vec!["1".to_owned(), "2".to_owned()];
        if pattern.starts_with("/events/") {
            self.events.clone()
        } else if pattern.starts_with("/agreements/") {
            self.agreements.clone()
        } else if pattern.starts_with("/people/merges/") || pattern.starts_with("/people/imports/")
        {
            small()
        } else if pattern.starts_with("/people/") {
            self.people.clone()
        } else if pattern.starts_with("/admin/users/") {
            self.users.clone()
        } else {
            small()
        }
    }
}

both_databases! {
    async fn every_post_handler_survives_generated_bodies(app) {
        let (admin, ids, _) = world(&app).await;
        let anonymous = app.new_client();
        let routes: Vec<&'static str> = repatrack::routes::table::routes()
            .into_iter()
            .filter(|r| r.method == actix_web::http::Method::POST)
            .map(|r| r.path)
            .collect();
        let n = cases();
        // A fixed seed per database: a failure names its case and happens again.
        let seed = if app.backend == Backend::Sqlite { [7; 32] } else { [11; 32] };
        let mut runner = TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
        let mut answered = std::collections::BTreeMap::<u16, usize>::new();
        for pattern in &routes {
            let known = fields_of(pattern).unwrap_or_else(|| panic!("no fields for POST {pattern}"));
            let strategy = case(known, valid_base(pattern), ids.ids_for(pattern));
            // Signing in and out are tried anonymously: the fuzzer keeps its session.
            let client = if matches!(*pattern, "/logout" | "/login" | "/login/code" | "/login/cancel") {
                &anonymous
            } else {
                &admin
            };
            for i in 0..n {
                let case = strategy.new_tree(&mut runner).unwrap().current();
                let mut case = case;
                // A new record's form key is issued by the server with the form.
                let form = match *pattern {
                    "/posts/{code}/people" => Some("/posts/QAIM/people/new"),
                    "/posts/{code}/events" => Some("/posts/QAIM/events/new"),
                    _ => None,
                };
                if let Some(form) = form
                    && let Some(slot) = case.fields.iter_mut().find(|(k, v)| k == "form_key" && v.starts_with("fuzz-"))
                {
                    let html = client.get_html(form).await;
                    slot.1 = html.split("name=\"form_key\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap().to_owned();
                }
                let path = path_of(pattern, &case);
                let mut body: Vec<(&str, &str)> = case.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let token = client.csrf_token().await;
                if case.with_token {
                    body.insert(0, ("csrf_token", &token));
                }
                let response = if known.contains(&"file") && i % 2 == 0 {
                    let content = case.fields.iter().map(|(k, v)| format!("{k},{v}\n")).collect::<String>();
                    let fields: Vec<(&str, &str)> = body.iter().filter(|(k, _)| *k != "csrf_token").copied().collect();
                    client.post_file(&path, &fields, ("list.csv", content.as_bytes())).await
                } else {
                    client.post_raw(&path, &body).await
                };
                let status = response.status().as_u16();
                let text = response.text().await.unwrap_or_default();
                assert!(status < 500, "POST {path} answered {status} for {case:?}: {text}");
                assert!(!text.contains("panicked") && !text.contains("stack backtrace"), "POST {path}: {text}");
                *answered.entry(status).or_default() += 1;
            }
            if std::env::var("FUZZ_DEBUG").is_ok() {
                eprintln!("{pattern}: {answered:?}");
            }
            let report = repatrack::audit::verify::verify(&mut app.conn()).unwrap();
            assert!(report.intact(), "after POST {pattern}: {}", report.summary());
        }
        eprintln!("{} routes × {n} cases on {:?}: {answered:?}", routes.len(), app.backend);

        // Hostile values were stored (so what follows checks something) …
        let stored_events: i64 = app.query(|c| crossing_events::table.filter(crossing_events::notes.like("%<rt-x%").or(crossing_events::source.like("%<rt-x%"))).count().get_result(c));
        let stored_people: i64 = app.query(|c| people::table.filter(people::name_latin.like("%<rt-x%").or(people::notes.like("%<rt-x%"))).count().get_result(c));
        assert!(stored_events + stored_people > 0, "no hostile value was ever stored: the generator never reached a write");
        // … and no page shows one as markup.
        let event_ids: Vec<i64> = app.query(|c| crossing_events::table.select(crossing_events::id).order(crossing_events::id.desc()).limit(100).load(c));
        let person_ids: Vec<i64> = app.query(|c| people::table.select(people::id).order(people::id.desc()).limit(100).load(c));
        let mut pages: Vec<String> = [
            "/", "/events", "/events?post=QAIM", "/people", "/agreements", "/posts", "/posts/QAIM",
            "/admin/users", "/audit", "/queue", "/people/duplicates", "/reports/headcount?post=QAIM",
        ]
        .iter()
        .map(|p| (*p).to_owned())
        .collect();
        pages.extend(event_ids.iter().map(|id| format!("/events/{id}")));
        pages.extend(person_ids.iter().map(|id| format!("/people/{id}")));
        pages.extend(person_ids.iter().map(|id| format!("/people/{id}/history")));
        for page in &pages {
            let response = admin.get(page).await;
            let status = response.status().as_u16();
            let html = response.text().await.unwrap();
            assert!(status < 500, "GET {page} answered {status}");
            assert!(!html.contains(MARK), "GET {page} shows a stored value unescaped");
        }
    }
}

#[test]
fn every_post_route_is_fuzzed() {
    let missing: Vec<&str> = repatrack::routes::table::routes()
        .into_iter()
        .filter(|r| r.method == actix_web::http::Method::POST)
        .map(|r| r.path)
        .filter(|p| fields_of(p).is_none())
        .collect();
    assert_eq!(
        missing,
        Vec::<&str>::new(),
        "add these routes' fields to fields_of"
    );
}
