//! One access policy and one post scope (issue 12): an authorization matrix that sends real
//! request bodies — event ids and agreement ids of other posts, post codes outside scope — as
//! six principals, two of them limited to one post; and one regression test per finding.

use diesel::prelude::*;
use repatrack::audit::Actor;
use repatrack::db::schema::{agreements, audit_log, crossing_events};
use repatrack::db::scope::ScopedPost;
use repatrack::domain::ids::{EventId, UserId};
use repatrack::domain::policy::Principal;
use repatrack::domain::role::Role;
use repatrack::services::{self, Refused};

use crate::events::{record, record_with_key};
use crate::helpers::*;

/// Who asks, in the order of every expectation row below.
const PRINCIPALS: [&str; 6] = ["admin", "chief", "qsup", "qoff", "roff", "qaud"];

/// Ids of the records the matrix aims at.
struct World {
    /// A pending arrival at Qaim recorded by `qoff`.
    qaim_arrival: i64,
    /// A pending arrival at Rabia recorded by `roff`.
    rabia_arrival: i64,
    /// In force, covering Qaim and Rabia; created and proposed by `chief`, confirmed by `deputy`.
    shared: i64,
    /// In force, covering Rabia only.
    rabia_only: i64,
    /// A draft covering Rabia only.
    rabia_draft: i64,
}

fn principal(app: &TestApp, username: &str) -> Principal {
    let user = app
        .query(|c| repatrack::db::users::find_by_username(c, username))
        .unwrap();
    let role = Role::parse(&user.role).unwrap();
    let posts = app.query(|c| repatrack::db::users::post_ids(c, UserId(user.id)));
    Principal::user(UserId(user.id), role, user.all_posts, &posts)
}

fn agreement_fields(
    reference: &str,
    posts: &[&str],
) -> repatrack::domain::agreement::AgreementFields {
    repatrack::domain::agreement::AgreementForm {
        reference: reference.into(),
        title: format!("Returns under {reference}"),
        parties: "Iraq; Syria".into(),
        signed_on: "2024-12-18".into(),
        effective_from: "2024-12-18".into(),
        planned_headcount: "1000".into(),
        post_codes: posts.iter().map(|p| (*p).to_owned()).collect(),
        clauses: vec![repatrack::domain::agreement::Clause {
            kind: "no_reprisals".into(),
            text: "No reprisals against returnees.".into(),
        }],
        ..Default::default()
    }
    .parse()
    .unwrap()
}

/// An agreement created (and, unless `draft`, put in force) by `chief` and `deputy`.
fn agreement(app: &TestApp, reference: &str, posts: &[&str], draft: bool) -> i64 {
    let (chief, deputy) = (principal(app, "chief"), principal(app, "deputy"));
    let actor = Actor::system();
    let now = app.clock.now();
    let id = services::agreements::create(
        &mut app.conn(),
        &actor,
        &chief,
        now,
        &agreement_fields(reference, posts),
    )
    .unwrap();
    if !draft {
        services::agreements::request_status(
            &mut app.conn(),
            &actor,
            &chief,
            now,
            id,
            1,
            "active",
            "signed",
        )
        .unwrap();
        services::agreements::confirm(&mut app.conn(), &actor, &deputy, now, id, 2).unwrap();
    }
    id.0
}

/// Two posts, seven people, two arrivals, three agreements and returns under them:
/// Qaim returns 100 and Rabia 50 under the shared agreement, Rabia 30 under its own.
async fn world(app: &TestApp) -> (World, Vec<(&'static str, TestClient)>) {
    app.create_post("QAIM");
    app.create_post("RABIA");
    for (name, role, posts, all) in [
        ("admin", "admin", &[][..], true),
        ("chief", "supervisor", &[][..], true),
        ("deputy", "supervisor", &[][..], true),
        ("qsup", "supervisor", &["QAIM"][..], false),
        ("qoff", "officer", &["QAIM"][..], false),
        ("roff", "officer", &["RABIA"][..], false),
        ("qaud", "auditor", &["QAIM"][..], false),
    ] {
        app.create_user(name, role, posts, all);
    }
    let mut clients = Vec::new();
    for name in PRINCIPALS {
        let client = app.new_client();
        assert_eq!(
            client.login(name, PASSWORD).await.status().as_u16(),
            303,
            "{name} signs in"
        );
        clients.push((name, client));
    }
    let client = |name: &str| &clients.iter().find(|(n, _)| *n == name).unwrap().1;
    let qaim_arrival = record(
        client("qoff"),
        "QAIM",
        "2024-12-07T10:00",
        "inbound",
        "military",
        "1100",
    )
    .await;
    let rabia_arrival = record(
        client("roff"),
        "RABIA",
        "2024-12-07T10:00",
        "inbound",
        "military",
        "200",
    )
    .await;
    let shared = agreement(app, "IQ-SY/2024/RET-01", &["QAIM", "RABIA"], false);
    let rabia_only = agreement(app, "IQ-SY/2024/RAB-02", &["RABIA"], false);
    let rabia_draft = agreement(app, "IQ-SY/2024/RAB-03", &["RABIA"], true);
    for (who, post, headcount, cited) in [
        ("qoff", "QAIM", "100", shared),
        ("roff", "RABIA", "50", shared),
        ("roff", "RABIA", "30", rabia_only),
    ] {
        let form_key = format!(
            "{:032x}",
            77_000 + cited * 1000 + headcount.parse::<i64>().unwrap()
        );
        let response = send(
            client(who),
            &format!("/posts/{post}/events"),
            &return_form(headcount, &cited.to_string(), &form_key),
        )
        .await;
        assert_eq!(response.status().as_u16(), 303, "{who}'s return at {post}");
    }
    let world = World {
        qaim_arrival,
        rabia_arrival,
        shared,
        rabia_only,
        rabia_draft,
    };
    (world, clients)
}

/// A return of military personnel on 18 Dec 2024 citing `agreement`.
fn return_form(headcount: &str, agreement: &str, form_key: &str) -> Vec<(&'static str, String)> {
    owned(vec![
        ("occurred_at", "2024-12-18T10:00"),
        ("direction", "outbound"),
        ("category", "military"),
        ("headcount", headcount),
        ("officers", ""),
        ("wounded", ""),
        ("source", "Handover record"),
        ("reference", "RET-1"),
        ("notes", ""),
        ("agreement_id", agreement),
        ("form_key", form_key),
    ])
}

/// POSTs `body` (with the CSRF token) as `client`.
async fn send(
    client: &TestClient,
    path: &str,
    body: &[(&'static str, String)],
) -> reqwest::Response {
    let borrowed: Vec<(&str, &str)> = body.iter().map(|(k, v)| (*k, v.as_str())).collect();
    client.post_form(path, &borrowed).await
}

/// A complete correction of an arrival, based on a version that never existed.
fn stale_correction() -> Vec<(&'static str, &'static str)> {
    vec![
        ("occurred_at", "2024-12-07T10:00"),
        ("direction", "inbound"),
        ("category", "military"),
        ("headcount", "1000"),
        ("officers", ""),
        ("wounded", ""),
        ("source", "Gate log"),
        ("reference", ""),
        ("notes", ""),
        ("agreement_id", ""),
        ("version", "99"),
        ("reason", "recount"),
    ]
}

fn agreement_form_body(
    reference: String,
    posts: &[&'static str],
    version: &str,
) -> Vec<(&'static str, String)> {
    let mut body = vec![
        ("reference", reference),
        ("title", "Returns".to_owned()),
        ("parties", "Iraq; Syria".to_owned()),
        ("signed_on", "2024-12-18".to_owned()),
        ("effective_from", "2024-12-18".to_owned()),
        ("effective_to", String::new()),
        ("terms", String::new()),
        ("planned_headcount", String::new()),
        ("clause_kind", "no_reprisals".to_owned()),
        ("clause_text", "No reprisals against returnees.".to_owned()),
        ("version", version.to_owned()),
    ];
    for post in posts {
        body.push(("post_codes", (*post).to_owned()));
    }
    body
}

/// One request of the matrix and the status each principal of [`PRINCIPALS`] must get.
struct Case {
    what: &'static str,
    method: &'static str,
    path: String,
    body: Vec<(&'static str, String)>,
    expected: [u16; 6],
}

fn owned(body: Vec<(&'static str, &str)>) -> Vec<(&'static str, String)> {
    body.into_iter().map(|(k, v)| (k, v.to_owned())).collect()
}

fn cases(w: &World, principal: &str) -> Vec<Case> {
    let get = |what, path: String, expected| Case {
        what,
        method: "GET",
        path,
        body: Vec::new(),
        expected,
    };
    let post = |what, path: String, body, expected| Case {
        what,
        method: "POST",
        path,
        body,
        expected,
    };
    let key = format!(
        "{:032x}",
        990_000 + PRINCIPALS.iter().position(|p| *p == principal).unwrap()
    );
    let (r, q) = (w.rabia_arrival, w.qaim_arrival);
    let mut invalid_arrival = stale_correction();
    invalid_arrival.retain(|(k, _)| !matches!(*k, "version" | "reason"));
    invalid_arrival.iter_mut().for_each(|(k, v)| {
        if *k == "headcount" {
            *v = "0"
        }
    });
    let mut invalid_arrival = owned(invalid_arrival);
    invalid_arrival.push(("form_key", key.clone()));
    //                                                                 admin chief qsup qoff roff qaud
    vec![
        get(
            "another post's event",
            format!("/events/{r}"),
            [200, 200, 404, 404, 200, 404],
        ),
        get(
            "another post's event's form",
            format!("/events/{r}/edit"),
            [200, 200, 404, 404, 200, 403],
        ),
        post(
            "correcting another post's event",
            format!("/events/{r}"),
            owned(stale_correction()),
            [409, 409, 404, 404, 409, 403],
        ),
        post(
            "correcting another officer's event",
            format!("/events/{q}"),
            owned(stale_correction()),
            [409, 409, 409, 409, 404, 403],
        ),
        post(
            "verifying another post's event",
            format!("/events/{r}/verify"),
            owned(vec![("version", "99")]),
            [409, 409, 404, 403, 403, 403],
        ),
        post(
            "voiding another post's event",
            format!("/events/{r}/void"),
            owned(vec![("version", "99"), ("reason", "x")]),
            [409, 409, 404, 403, 403, 403],
        ),
        post(
            "recording at another post",
            "/posts/RABIA/events".into(),
            invalid_arrival,
            [422, 422, 404, 404, 422, 403],
        ),
        post(
            "citing an agreement of another post",
            "/posts/QAIM/events".into(),
            return_form("1", &w.rabia_only.to_string(), &key),
            [422, 422, 422, 422, 404, 403],
        ),
        post(
            "closing another post's day",
            "/posts/RABIA/days/2024-12-07/close".into(),
            Vec::new(),
            [422, 422, 404, 403, 403, 403],
        ),
        get(
            "another post",
            "/posts/RABIA".into(),
            [200, 200, 404, 404, 200, 404],
        ),
        get(
            "another post's history",
            "/posts/RABIA/history".into(),
            [200, 200, 404, 403, 403, 404],
        ),
        get(
            "an agreement of another post",
            format!("/agreements/{}", w.rabia_only),
            [200, 200, 404, 404, 200, 404],
        ),
        get(
            "a draft of another post",
            format!("/agreements/{}", w.rabia_draft),
            [200, 200, 404, 404, 200, 404],
        ),
        get(
            "an agreement of another post's history",
            format!("/agreements/{}/history", w.rabia_only),
            [200, 200, 404, 403, 403, 404],
        ),
        get(
            "a shared agreement",
            format!("/agreements/{}", w.shared),
            [200, 200, 200, 200, 200, 200],
        ),
        get(
            "a shared agreement's form",
            format!("/agreements/{}/edit", w.shared),
            [200, 200, 403, 403, 403, 403],
        ),
        post(
            "creating an agreement for another post",
            "/agreements".into(),
            agreement_form_body(format!("NEW-{principal}"), &["RABIA"], ""),
            [303, 303, 422, 403, 403, 403],
        ),
        post(
            "dropping another post from a shared agreement",
            format!("/agreements/{}", w.shared),
            agreement_form_body("IQ-SY/2024/RET-01".into(), &["QAIM"], "99"),
            [409, 409, 403, 403, 403, 403],
        ),
        post(
            "suspending a shared agreement",
            format!("/agreements/{}/status", w.shared),
            owned(vec![
                ("status", "suspended"),
                ("reason", "reports"),
                ("version", "99"),
            ]),
            [409, 409, 403, 403, 403, 403],
        ),
        post(
            "suspending another post's agreement",
            format!("/agreements/{}/status", w.rabia_only),
            owned(vec![
                ("status", "suspended"),
                ("reason", "reports"),
                ("version", "99"),
            ]),
            [409, 409, 404, 403, 403, 403],
        ),
        post(
            "asking to activate another post's draft",
            format!("/agreements/{}/status", w.rabia_draft),
            owned(vec![
                ("status", "active"),
                ("reason", "signed"),
                ("version", "99"),
            ]),
            [409, 409, 404, 403, 403, 403],
        ),
        // The chief created and proposed it: not the second pair of eyes.
        post(
            "confirming a shared agreement",
            format!("/agreements/{}/confirm", w.shared),
            owned(vec![("version", "99")]),
            [409, 403, 403, 403, 403, 403],
        ),
        post(
            "observing a shared agreement",
            format!("/agreements/{}/observations", w.shared),
            owned(vec![
                ("clause_id", ""),
                ("finding", "nonsense"),
                ("observed_on", ""),
                ("source", ""),
                ("text", ""),
            ]),
            [422, 422, 403, 403, 403, 403],
        ),
        get("the agreements export", "/agreements.csv".into(), [200; 6]),
        get(
            "another post's events list",
            "/events?post=RABIA".into(),
            [200; 6],
        ),
    ]
}

both_databases! {
    async fn every_principal_gets_exactly_its_answer_for_real_bodies_aimed_at_other_posts(app) {
        let (w, clients) = world(&app).await;
        let before: i64 = app.query(|c| crossing_events::table.count().get_result(c));
        let mut checked = 0;
        for (i, (name, client)) in clients.iter().enumerate() {
            for case in cases(&w, name) {
                let response = match case.method {
                    "GET" => client.get(&case.path).await,
                    _ => send(client, &case.path, &case.body).await,
                };
                let status = response.status().as_u16();
                assert_eq!(status, case.expected[i], "{name}: {} ({} {})", case.what, case.method, case.path);
                checked += 1;
            }
        }
        let per_principal = cases(&w, "admin").len();
        assert_eq!(checked, per_principal * PRINCIPALS.len());
        eprintln!("authorization matrix with bodies: {per_principal} requests × {} principals = {checked} cases", PRINCIPALS.len());
        // Nothing was recorded, corrected or voided by the walk; only the two permitted
        // agreement creations happened.
        let after: i64 = app.query(|c| crossing_events::table.count().get_result(c));
        assert_eq!(after, before);
        let created: Vec<String> = app.query(|c| agreements::table.filter(agreements::reference.like("NEW-%")).order(agreements::reference).select(agreements::reference).load(c));
        assert_eq!(created, ["NEW-admin", "NEW-chief"]);
    }

    async fn finding_1_an_agreement_id_outside_scope_reveals_nothing_about_it(app) {
        let (w, clients) = world(&app).await;
        let qoff = &clients.iter().find(|(n, _)| *n == "qoff").unwrap().1;
        let answer = |agreement: String, n: u32| async move {
            let key = format!("{:032x}", 880_000 + n);
            let response = send(qoff, "/posts/QAIM/events", &return_form("1", &agreement, &key)).await;
            assert_eq!(response.status().as_u16(), 422);
            response.text().await.unwrap()
        };
        let draft = answer(w.rabia_draft.to_string(), 1).await;
        let rabia = answer(w.rabia_only.to_string(), 2).await;
        let missing = answer("999999".into(), 3).await;
        for (page, reference) in [(&draft, "IQ-SY/2024/RAB-03"), (&rabia, "IQ-SY/2024/RAB-02")] {
            assert!(!page.contains(reference), "the reference of an agreement out of scope is not shown");
            assert!(!page.contains("Returns under IQ-SY/2024/RAB"), "nor its title");
            assert!(page.contains("Choose one of the listed agreements."));
        }
        let message = |page: &str| page.split("id=\"agreement_id-error\"").nth(1).unwrap().split("</").next().unwrap().to_owned();
        assert_eq!(message(&draft), message(&missing), "out of scope answers like an agreement that does not exist");
        assert_eq!(message(&rabia), message(&missing));
        // The select offers only what covers Qaim and is in force.
        assert!(missing.contains("IQ-SY/2024/RET-01"));
        assert!(!missing.contains("IQ-SY/2024/RAB-02"));
    }

    async fn finding_2_another_posts_figures_are_never_shown(app) {
        let (w, clients) = world(&app).await;
        let qoff = &clients.iter().find(|(n, _)| *n == "qoff").unwrap().1;
        let chief = &clients.iter().find(|(n, _)| *n == "chief").unwrap().1;
        // The chief sees both posts: 150 returned, per post 100 and 50.
        let page = chief.get_html(&format!("/agreements/{}", w.shared)).await;
        assert_eq!(cell_text(&page, "id=\"returned\""), "0 verified · 150 including 150 pending");
        let per_post = page.split("id=\"per-post\"").nth(1).unwrap().split("</table>").next().unwrap().to_owned();
        assert!(text_of_html(&per_post).contains("RABIA 0 verified · 50 including 50 pending"), "{per_post}");
        assert!(page.contains("id=\"remaining\""));
        // Qaim's officer: Qaim's 100, said to be at their posts; no Rabia row; no remaining
        // against the agreement-wide plan.
        let page = qoff.get_html(&format!("/agreements/{}", w.shared)).await;
        assert!(page.contains("Returned at your posts"));
        assert_eq!(cell_text(&page, "id=\"returned\""), "0 verified · 100 including 100 pending");
        let per_post = page.split("id=\"per-post\"").nth(1).unwrap().split("</table>").next().unwrap().to_owned();
        assert!(per_post.contains(">QAIM<"));
        assert!(!per_post.contains("RABIA"), "{per_post}");
        assert!(!text_of_html(&per_post).contains("50"), "{per_post}");
        assert!(!page.contains("id=\"remaining\""));
        // The list and the export: Qaim's figure only.
        let list = qoff.get_html("/agreements").await;
        assert!(!list.contains("RAB-02"), "an agreement of Rabia only is not listed");
        let row = list.split("Returns under IQ-SY/2024/RET-01").nth(1).unwrap().split("</tr>").next().unwrap().to_owned();
        assert!(text_of_html(&row).contains("0 verified · 100 including 100 pending at your posts"), "{row}");
        assert!(!row.contains("150") && !row.contains("<progress"), "{row}");
        let chief_list = chief.get_html("/agreements").await;
        let row = chief_list.split("Returns under IQ-SY/2024/RET-01").nth(1).unwrap().split("</tr>").next().unwrap().to_owned();
        assert!(text_of_html(&row).contains("0 verified · 150 including 150 pending / 1,000"), "{row}");
        assert!(row.contains("<progress value=\"0\" max=\"1000\">"), "{row}");
        let response = qoff.get("/agreements.csv").await;
        assert_eq!(response.status().as_u16(), 200);
        let (header, rows) = parse_csv(&response.bytes().await.unwrap());
        let returned = header.iter().position(|h| h == "returned").unwrap();
        let reference = header.iter().position(|h| h == "reference").unwrap();
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!((rows[0][reference].as_str(), rows[0][returned].as_str()), ("IQ-SY/2024/RET-01", "100"));
        let posts = header.iter().position(|h| h == "posts").unwrap();
        assert_eq!(rows[0][posts], "QAIM", "Rabia's code is not told");
        let returned_pending = header.iter().position(|h| h == "returned_pending").unwrap();
        assert_eq!(rows[0][returned_pending], "100", "at Qaim, all 100 await verification");
        let response = chief.get("/agreements.csv").await;
        let (_, rows) = parse_csv(&response.bytes().await.unwrap());
        let shared_row = rows.iter().find(|r| r[reference] == "IQ-SY/2024/RET-01").unwrap();
        assert_eq!(shared_row[returned], "150");
    }

    async fn finding_3_a_scoped_supervisor_changes_no_agreement_beyond_their_posts(app) {
        let (w, clients) = world(&app).await;
        let qsup = &clients.iter().find(|(n, _)| *n == "qsup").unwrap().1;
        let body = |posts: &[&'static str], reference: &str| agreement_form_body(reference.into(), posts, "");
        // A code outside scope is answered exactly like an unknown code.
        let rabia = send(qsup, "/agreements", &body(&["RABIA"], "X-1")).await;
        let nope = send(qsup, "/agreements", &body(&["NOPE"], "X-1")).await;
        assert_eq!((rabia.status().as_u16(), nope.status().as_u16()), (422, 422));
        let (rabia, nope) = (rabia.text().await.unwrap(), nope.text().await.unwrap());
        assert!(rabia.contains("There is no border post with code RABIA."));
        assert_eq!(without_tokens(&rabia.replace("RABIA", "NOPE")), without_tokens(&nope), "the same page but for the code typed");
        let both = send(qsup, "/agreements", &body(&["QAIM", "RABIA"], "X-2")).await;
        assert_eq!(both.status().as_u16(), 422);
        // Nothing about the shared agreement changes: not its posts, not its status.
        let version: i32 = app.query(|c| agreements::table.find(w.shared).select(agreements::version).first(c));
        let version = version.to_string();
        let drop_rabia = agreement_form_body("IQ-SY/2024/RET-01".into(), &["QAIM"], &version);
        assert_eq!(send(qsup, &format!("/agreements/{}", w.shared), &drop_rabia).await.status().as_u16(), 403);
        for status in ["suspended", "concluded"] {
            let response = qsup.post_form(&format!("/agreements/{}/status", w.shared), &[("status", status), ("reason", "reports"), ("version", &version)]).await;
            assert_eq!(response.status().as_u16(), 403, "{status}");
        }
        let (status, now): (String, i32) = app.query(|c| agreements::table.find(w.shared).select((agreements::status, agreements::version)).first(c));
        assert_eq!((status.as_str(), now.to_string()), ("active", version.clone()));
        let page = qsup.get_html(&format!("/agreements/{}", w.shared)).await;
        assert!(page.contains("id=\"agreement-blocked\""), "the page says why no action is offered");
        assert!(!page.contains("action=\"/agreements/") || !page.contains("/status\""), "no status form");
        // The same supervisor manages an agreement of Qaim alone.
        let created = send(qsup, "/agreements", &body(&["QAIM"], "QAIM-ONLY")).await;
        assert_eq!(created.status().as_u16(), 303);
        assert_eq!(app.query(|c| audit_log::table.filter(audit_log::action.eq("agreement.create")).count().get_result::<i64>(c)), 4);
    }

    async fn finding_4_a_supervisor_never_verifies_a_figure_they_set(app) {
        let (w, clients) = world(&app).await;
        let client = |name: &str| &clients.iter().find(|(n, _)| *n == name).unwrap().1;
        let version = |id: i64| -> String { app.query(|c| crossing_events::table.find(id).select(crossing_events::version).first::<i32>(c)).to_string() };
        let correction = |headcount: &'static str, version: String, reason: &'static str| {
            let mut body = owned(stale_correction());
            for (k, v) in body.iter_mut() {
                match *k {
                    "headcount" => *v = headcount.to_owned(),
                    "version" => v.clone_from(&version),
                    "reason" => *v = reason.to_owned(),
                    _ => {}
                }
            }
            body
        };
        let send = |who: &'static str, path: String, body: Vec<(&'static str, String)>| async move {
            send(client(who), &path, &body).await.status().as_u16()
        };
        let at = |version: String| vec![("version", version)];
        let q = w.qaim_arrival;
        // The supervisor corrects the officer's pending figure (no reason is needed while
        // pending) and then tries to verify it: refused, nothing written.
        assert_eq!(send("qsup", format!("/events/{q}"), correction("1000", version(q), "")).await, 303);
        assert_eq!(send("qsup", format!("/events/{q}/verify"), at(version(q))).await, 403);
        let (status, changed_by): (String, Option<i64>) = app.query(|c| crossing_events::table.find(q).select((crossing_events::status, crossing_events::changed_by)).first(c));
        let qsup_id = app.query(|c| repatrack::db::users::find_by_username(c, "qsup")).unwrap().id;
        assert_eq!((status.as_str(), changed_by), ("pending", Some(qsup_id)));
        // Another supervisor verifies it.
        assert_eq!(send("chief", format!("/events/{q}/verify"), at(version(q))).await, 303);
        // A supervisor's correction of a verified event returns it to pending, and the one who
        // corrected it cannot verify it; the verified values stay in its history.
        assert_eq!(send("chief", format!("/events/{q}"), correction("990", version(q), "recount")).await, 303);
        let status: String = app.query(|c| crossing_events::table.find(q).select(crossing_events::status).first(c));
        assert_eq!(status, "pending");
        assert_eq!(send("chief", format!("/events/{q}/verify"), at(version(q))).await, 403);
        let details: String = app.query(|c| audit_log::table.filter(audit_log::action.eq("event.update")).order(audit_log::seq.desc()).select(audit_log::details).first(c));
        assert!(details.contains(r#""headcount":{"after":990,"before":1000}"#), "{details}");
        assert!(details.contains(r#""status":{"after":"pending","before":"verified"}"#), "{details}");
        assert!(details.contains(r#""verified_by":{"after":null,"before":"chief"}"#), "{details}");
        assert_eq!(send("admin", format!("/events/{q}/verify"), at(version(q))).await, 303);
        // Nor once someone else edits after them: a supervisor sets a figure on a fresh event,
        // its officer then only changes a note; the supervisor is still not its second pair of eyes.
        let fresh = record(client("qoff"), "QAIM", "2024-12-09T10:00", "inbound", "military", "10").await;
        assert_eq!(send("qsup", format!("/events/{fresh}"), correction("1000", version(fresh), "")).await, 303);
        let mut note = correction("1000", version(fresh), "");
        note.iter_mut().for_each(|(k, v)| if *k == "notes" { *v = "seen at the gate".into() });
        assert_eq!(send("qoff", format!("/events/{fresh}"), note).await, 303);
        assert_eq!(send("qsup", format!("/events/{fresh}/verify"), at(version(fresh))).await, 403);
        assert_eq!(send("chief", format!("/events/{fresh}/verify"), at(version(fresh))).await, 303);
        // The database holds the rule too: a verifier who made the latest change is refused.
        let chief_id = app.query(|c| repatrack::db::users::find_by_username(c, "chief")).unwrap().id;
        let refused = diesel::update(crossing_events::table.find(q))
            .set(crossing_events::verified_by.eq(Some(chief_id)))
            .execute(&mut app.conn());
        assert!(refused.is_err(), "verified_by = changed_by is refused by the database");
        let verifier: Option<i64> = app.query(|c| crossing_events::table.find(q).select(crossing_events::verified_by).first(c));
        assert_ne!(verifier, Some(chief_id));
    }

    async fn finding_4_an_agreement_is_confirmed_by_neither_its_proposer_nor_its_latest_editor(app) {
        app.create_post("QAIM");
        for name in ["chief", "deputy", "third"] {
            app.create_user(name, "supervisor", &[], true);
        }
        let (chief, deputy, third) = (principal(&app, "chief"), principal(&app, "deputy"), principal(&app, "third"));
        let (actor, now) = (Actor::system(), app.clock.now());
        let id = services::agreements::create(&mut app.conn(), &actor, &chief, now, &agreement_fields("A-1", &["QAIM"])).unwrap();
        // The deputy edits the terms, then asks for activation: neither may confirm.
        let mut edited = agreement_fields("A-1", &["QAIM"]);
        edited.terms = "Returns by day only.".into();
        services::agreements::update(&mut app.conn(), &actor, &deputy, now, id, 1, &edited).unwrap();
        services::agreements::request_status(&mut app.conn(), &actor, &chief, now, id, 2, "active", "signed").unwrap();
        for who in [&chief, &deputy] {
            let refused = services::agreements::confirm(&mut app.conn(), &actor, who, now, id, 3);
            assert!(matches!(refused, Err(services::agreements::AgreementError::Refused(Refused::Forbidden(_)))), "{refused:?}");
        }
        services::agreements::confirm(&mut app.conn(), &actor, &third, now, id, 3).unwrap();
        let (status, confirmed_by): (String, Option<i64>) = app.query(|c| agreements::table.find(id.0).select((agreements::status, agreements::confirmed_by)).first(c));
        assert_eq!((status.as_str(), confirmed_by), ("active", third.user.map(|u| u.0)));
        // The database refuses a confirmation by the latest editor even without the service.
        services::agreements::request_status(&mut app.conn(), &actor, &deputy, now, id, 4, "suspended", "reports").unwrap();
        services::agreements::request_status(&mut app.conn(), &actor, &chief, now, id, 5, "active", "resolved").unwrap();
        let refused = diesel::update(agreements::table.find(id.0))
            .set((agreements::status.eq("active"), agreements::confirmed_by.eq(deputy.user.map(|u| u.0))))
            .execute(&mut app.conn());
        assert!(refused.is_err(), "the database refuses the latest editor as confirmer");
    }

    async fn finding_7_event_services_take_the_post_from_the_event(app) {
        let (w, _) = world(&app).await;
        let qsup = principal(&app, "qsup");
        let (actor, now) = (Actor::system(), app.clock.now());
        let version: i32 = app.query(|c| crossing_events::table.find(w.rabia_arrival).select(crossing_events::version).first(c));
        // A supervisor of Qaim cannot reach Rabia's event, whatever post they name elsewhere.
        let refused = services::events::verify(&mut app.conn(), &actor, &qsup, now, EventId(w.rabia_arrival), version);
        assert!(matches!(refused, Err(services::events::EventError::Refused(Refused::NotFound))), "{refused:?}");
        let refused = services::events::void(&mut app.conn(), &actor, &qsup, now, EventId(w.rabia_arrival), version, "x");
        assert!(matches!(refused, Err(services::events::EventError::Refused(Refused::NotFound))), "{refused:?}");
        // A post outside scope cannot even be had as a ScopedPost.
        assert!(app.query(|c| ScopedPost::by_code(c, &qsup, "RABIA")).is_none());
        assert!(app.query(|c| ScopedPost::by_code(c, &qsup, "QAIM")).is_some());
        let status: String = app.query(|c| crossing_events::table.find(w.rabia_arrival).select(crossing_events::status).first(c));
        assert_eq!(status, "pending");
    }
}

/// Finding 6: with the server's default isolation at REPEATABLE READ or SERIALIZABLE, twenty
/// simultaneous returns of 100 from 1,050 present still give exactly ten 303s and ten 422s, and
/// never a 500: writes set READ COMMITTED themselves and retry a serialization failure.
async fn parallel_returns_under(isolation: &'static str) {
    let setup: &'static str = Box::leak(
        format!("ALTER DATABASE {{db}} SET default_transaction_isolation TO '{isolation}'")
            .into_boxed_str(),
    );
    let Some(app) = TestApp::spawn_postgres_with(setup).await else {
        return;
    };
    let default: String = app.query(|c| {
        diesel::sql_query("SELECT current_setting('default_transaction_isolation') AS value")
            .get_result::<Setting>(c)
            .map(|s| s.value)
    });
    assert_eq!(default, isolation, "the server's default was changed");
    let inside: String = repatrack::db::write_tx(&mut app.conn(), |c| {
        diesel::sql_query("SELECT current_setting('transaction_isolation') AS value")
            .get_result::<Setting>(c)
            .map(|s| s.value)
    })
    .unwrap();
    assert_eq!(
        inside, "read committed",
        "a write transaction sets its own level"
    );
    app.create_post("QAIM");
    app.login_as("officer", &["QAIM"]).await;
    record(
        &app.client,
        "QAIM",
        "2024-12-07T10:00",
        "inbound",
        "military",
        "1050",
    )
    .await;
    let mut submissions = Vec::new();
    for n in 0..20u32 {
        let client = app.new_client();
        client.login("officer", PASSWORD).await;
        submissions.push(async move {
            let key = format!("{:032x}", 70_000 + n);
            record_with_key(
                &client,
                "QAIM",
                "2024-12-18T11:00",
                "outbound",
                "military",
                "100",
                &key,
            )
            .await
            .status()
            .as_u16()
        });
    }
    let statuses = futures_util::future::join_all(submissions).await;
    let created = statuses.iter().filter(|s| **s == 303).count();
    let refused = statuses.iter().filter(|s| **s == 422).count();
    assert_eq!((created, refused), (10, 10), "{isolation}: {statuses:?}");
    let audited: i64 = app.query(|c| {
        audit_log::table
            .filter(audit_log::action.eq("event.create"))
            .count()
            .get_result(c)
    });
    assert_eq!(audited, 11);
}

#[derive(diesel::QueryableByName)]
struct Setting {
    #[diesel(sql_type = diesel::sql_types::Text)]
    value: String,
}

#[tokio::test]
async fn parallel_returns_hold_when_postgres_defaults_to_repeatable_read() {
    parallel_returns_under("repeatable read").await;
}

#[tokio::test]
async fn parallel_returns_hold_when_postgres_defaults_to_serializable() {
    parallel_returns_under("serializable").await;
}

/// A serialization failure is retried, a bounded number of times, on both databases' code path.
#[test]
fn a_serialization_failure_is_retried_a_bounded_number_of_times() {
    use diesel::result::{DatabaseErrorKind, Error};
    let (_dir, url) = sqlite_database();
    let mut conn = repatrack::db::connect_one(&url, None).unwrap();
    let serialization = || {
        Error::DatabaseError(
            DatabaseErrorKind::SerializationFailure,
            Box::new("could not serialize access".to_owned()),
        )
    };
    let mut attempts = 0;
    let outcome: Result<u32, Error> = repatrack::db::write_tx(&mut conn, |_| {
        attempts += 1;
        if attempts < 3 {
            Err(serialization())
        } else {
            Ok(attempts)
        }
    });
    assert_eq!(outcome.unwrap(), 3);
    let mut attempts = 0;
    let outcome: Result<(), Error> = repatrack::db::write_tx(&mut conn, |_| {
        attempts += 1;
        Err(serialization())
    });
    assert!(outcome.is_err());
    assert_eq!(attempts, repatrack::db::WRITE_ATTEMPTS);
    let deadlock = Error::DatabaseError(
        DatabaseErrorKind::Unknown,
        Box::new("deadlock detected".to_owned()),
    );
    assert!(repatrack::db::TxError::retryable(&deadlock));
    let mut attempts = 0;
    let outcome: Result<(), Error> = repatrack::db::write_tx(&mut conn, |_| {
        attempts += 1;
        Err(Error::NotFound)
    });
    assert!(outcome.is_err());
    assert_eq!(attempts, 1, "any other failure is not retried");
}
