//! The authorization matrix: every route in `routes::table` × every role × a post in and out of
//! scope, with the exact status each must answer. A route added to the table without a line in
//! `sample` below fails this test.

use repatrack::auth::Access;
use repatrack::routes::table::{RouteEntry, routes};

use crate::helpers::*;

/// How to call one route: a concrete path, the form to send, and the status a permitted user
/// with the post in scope gets.
struct Sample {
    path: String,
    form: Vec<(&'static str, &'static str)>,
    permitted: u16,
}

/// Which post a sample targets (only meaningful for `{code}` routes).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Scope {
    In,
    Out,
}

/// The records the `{id}` routes are walked with.
#[derive(Clone, Copy)]
struct Records {
    other_user: i64,
    event: i64,
    agreement: i64,
    person: i64,
    twin: i64,
    merge: i64,
    ret: i64,
    import: i64,
}

fn sample(route: &RouteEntry, scope: Scope, r: Records) -> Sample {
    let code = if scope == Scope::In { "QAIM" } else { "RABIA" };
    // Event routes take the officer's pending event at Qaim, agreement routes a draft covering
    // Qaim; other `{id}`s are an account.
    // People routes a person at Qaim (with a probable twin), merge routes a withdrawn proposal.
    let id = if route.path == "/events/{id}/handover"
        || route.path.starts_with("/events/{id}/reconcile")
    {
        r.ret
    } else if route.path.starts_with("/people/imports/") {
        r.import
    } else if route.path.starts_with("/events/") {
        r.event
    } else if route.path.starts_with("/agreements/") {
        r.agreement
    } else if route.path.starts_with("/people/merges/") {
        r.merge
    } else if route.path.starts_with("/people/") {
        r.person
    } else {
        r.other_user
    };
    let pattern_path = if route.path == "/people/merge" {
        format!("/people/merge?kept={}&merged={}", r.person, r.twin)
    } else {
        route.path.to_owned()
    };
    let path = pattern_path
        .replace("{code}", code)
        .replace("{id}", &id.to_string())
        // A day that has not begun: closing it is refused, so the walk changes nothing.
        .replace("{date}", "2099-01-01")
        .replace("{path:.*}", "css/app.css");
    let (method, pattern) = (route.method.as_str(), route.path);
    // An empty form is invalid everywhere, so a permitted POST re-shows its form (422) and
    // changes nothing, which keeps the walk side-effect free.
    let permitted = match (method, pattern) {
        ("GET", "/login") => 303, // signed-in users are sent on to the dashboard
        ("POST", "/login") => 401,
        ("POST", "/logout") => 303,
        // No sign-in waits for a code in this browser: back to the sign-in page.
        ("POST", "/login/code" | "/login/cancel") => 303,
        // No code typed: refused beside the field.
        ("POST", "/account/two-factor") => 422,
        // The account walked has no second factor: back to its page, nothing changed.
        ("POST", "/admin/users/{id}/two-factor") => 303,
        // The return walked was never reconciled: there is no file to give.
        ("GET", "/events/{id}/reconcile.csv") => 404,
        ("GET", _) => 200,
        ("POST", "/posts" | "/posts/{code}" | "/admin/users" | "/admin/users/{id}")
        | ("POST", "/admin/users/{id}/password" | "/account/password" | "/account/preferences")
        | ("POST", "/language") => 422,
        // Empty event forms are invalid; a missing version is a conflict with the stored one.
        ("POST", "/posts/{code}/events" | "/events/{id}") => 422,
        ("POST", "/posts/{code}/days/{date}/close" | "/posts/{code}/days/{date}/reopen") => 422,
        // No date: refused beside the field on the post's page.
        ("POST", "/posts/{code}/days/close-up-to") => 422,
        // Nothing ticked: back to the queue, with a message that nothing was.
        ("POST", "/queue/verify") => 303,
        ("POST", "/events/{id}/verify" | "/events/{id}/void") => 409,
        ("POST", "/agreements" | "/agreements/{id}" | "/agreements/{id}/observations") => 422,
        ("POST", "/agreements/{id}/status" | "/agreements/{id}/confirm") => 409,
        // Empty person and status forms are invalid.
        ("POST", "/posts/{code}/people" | "/people/{id}" | "/people/{id}/status") => 422,
        // No records named: there is nothing to compare or merge.
        ("POST", "/people/distinct" | "/people/merges") => 404,
        // No version: the list changed since (a conflict); no person named: nothing to remove.
        ("POST", "/events/{id}/manifest") => 409,
        ("POST", "/events/{id}/manifest/remove") => 404,
        // No file: the form comes back asking for one; no note: likewise.
        (
            "POST",
            "/posts/{code}/people/import"
            | "/events/{id}/reconcile"
            | "/events/{id}/reconcile/resolve"
            | "/people/{id}/followups",
        ) => 422,
        // Without `action=confirm`, the preview is shown again (nothing imported).
        ("POST", "/people/imports/{id}") => 200,
        // The proposal walked was withdrawn: it is decided, and nothing changes.
        ("POST", "/people/merges/{id}/confirm" | "/people/merges/{id}/withdraw") => 422,
        _ => panic!("no authorization-matrix sample for {method} {pattern}: add one"),
    };
    Sample {
        path,
        form: Vec::new(),
        permitted,
    }
}

async fn call(client: &TestClient, route: &RouteEntry, sample: &Sample) -> reqwest::Response {
    match route.method.as_str() {
        "GET" => client.get(&sample.path).await,
        "POST" => client.post_form(&sample.path, &sample.form).await,
        other => panic!("the matrix does not know how to send {other}"),
    }
}

both_databases! {
    async fn every_route_answers_every_role_exactly_as_the_table_says(app) {
        app.create_post("QAIM");
        app.create_post("RABIA");
        let other_user = app.create_user("someone", "officer", &["QAIM"], false);
        let roles = ["admin", "supervisor", "officer", "auditor"];
        let clients: Vec<(&str, TestClient)> = {
            let mut clients = Vec::new();
            for role in roles {
                app.create_user(role, role, &["QAIM"], role == "admin");
                let client = app.new_client();
                assert_eq!(client.login(role, PASSWORD).await.status().as_u16(), 303);
                clients.push((role, client));
            }
            clients
        };
        // A pending event at Qaim recorded by the officer, who may therefore edit it.
        let officer = app.query(|c| repatrack::db::users::find_by_username(c, "officer")).unwrap();
        let post = app.query(|c| repatrack::db::posts::find_by_code(c, "QAIM")).unwrap();
        let fields = repatrack::domain::event::EventFields {
            occurred_at: test_start() - chrono::TimeDelta::days(1),
            direction: repatrack::domain::event::Direction::Inbound,
            category: repatrack::domain::event::Category::Military,
            headcount: 10,
            officers: None,
            wounded: None,
            source: "Gate log".into(),
            reference: String::new(),
            notes: String::new(),
            agreement: None,
        };
        let clerk = repatrack::domain::policy::Principal::user(repatrack::domain::ids::UserId(officer.id), repatrack::domain::role::Role::Officer, false, &[post.id]);
        let post = repatrack::db::scope::ScopedPost::admit(&clerk, post).unwrap();
        let event = repatrack::services::events::create(&mut app.conn(), &repatrack::audit::Actor::system(), &clerk, app.clock.now(), &post, &fields, &"a".repeat(32)).unwrap().0;
        let agreement = {
            let form = repatrack::domain::agreement::AgreementForm {
                reference: "IQ-SY-2024-12".into(),
                title: "Returns through Al-Qaim".into(),
                parties: "Iraq; Syria".into(),
                signed_on: "2024-12-18".into(),
                effective_from: "2024-12-18".into(),
                post_codes: vec!["QAIM".into()],
                ..Default::default()
            };
            let fields = form.parse().unwrap();
            // Drafted by a supervisor who is not among the clients below, so the supervisor
            // walking the table is neither its proposer nor its editor.
            app.create_user("founder", "supervisor", &["QAIM"], false);
            let supervisor = app.query(|c| repatrack::db::users::find_by_username(c, "founder")).unwrap();
            let chief = repatrack::domain::policy::Principal::user(repatrack::domain::ids::UserId(supervisor.id), repatrack::domain::role::Role::Supervisor, false, &[post.id]);
            repatrack::services::agreements::create(&mut app.conn(), &repatrack::audit::Actor::system(), &chief, app.clock.now(), &fields).unwrap().0
        };
        // Two records of one person at Qaim, and a merge of them proposed and withdrawn.
        let (person, twin, merge) = {
            let founder = app.query(|c| repatrack::db::users::find_by_username(c, "founder")).unwrap();
            let chief = repatrack::domain::policy::Principal::user(repatrack::domain::ids::UserId(founder.id), repatrack::domain::role::Role::Supervisor, false, &[post.id]);
            let form = repatrack::domain::person::PersonForm { name_latin: "Hussein Ali".into(), birth_year: "1990".into(), ..Default::default() };
            let fields = form.parse(test_start().date_naive()).unwrap();
            let actor = repatrack::audit::Actor::system();
            let person = repatrack::services::people::create(&mut app.conn(), &actor, &chief, app.clock.now(), &post, &fields, &"b".repeat(32), false).unwrap();
            let twin = repatrack::services::people::create(&mut app.conn(), &actor, &chief, app.clock.now(), &post, &fields, &"c".repeat(32), true).unwrap();
            let merge = repatrack::services::merges::propose(&mut app.conn(), &actor, &chief, app.clock.now(), (person, twin), &[]).unwrap();
            repatrack::services::merges::withdraw(&mut app.conn(), &actor, &chief, app.clock.now(), merge).unwrap();
            (person.0, twin.0, merge.0)
        };
        // A return of part of them, for the handover document.
        let ret = {
            let fields = repatrack::domain::event::EventFields {
                direction: repatrack::domain::event::Direction::Outbound,
                headcount: 4,
                occurred_at: test_start() - chrono::TimeDelta::hours(12),
                ..fields.clone()
            };
            repatrack::services::events::create(&mut app.conn(), &repatrack::audit::Actor::system(), &clerk, app.clock.now(), &post, &fields, &"d".repeat(32)).unwrap().0
        };
        // A list uploaded at Qaim, awaiting its preview.
        let import = {
            let founder = app.query(|c| repatrack::db::users::find_by_username(c, "founder")).unwrap();
            let chief = repatrack::domain::policy::Principal::user(repatrack::domain::ids::UserId(founder.id), repatrack::domain::role::Role::Supervisor, false, &[post.id]);
            repatrack::services::imports::upload(&mut app.conn(), &repatrack::audit::Actor::system(), &chief, app.clock.now(), &post, "list.csv", "name\nOmar Khaled\n".as_bytes(), None).unwrap()
        };
        let records = Records { other_user, event, agreement, person, twin, merge, ret, import };
        let anonymous = app.new_client();
        let mut checked = 0;
        for route in routes() {
            let scopes: &[Scope] = if route.path.contains("{code}") { &[Scope::In, Scope::Out] } else { &[Scope::In] };
            for &scope in scopes {
                let s = sample(&route, scope, records);
                // Anonymous.
                let response = call(&anonymous, &route, &s).await;
                let status = response.status().as_u16();
                match route.access {
                    Access::Public => {
                        let expected = match (route.method.as_str(), route.path) {
                            ("POST", "/login") => 401,
                            ("POST", "/login/code" | "/login/cancel") => 303,
                            ("POST", "/language") => 422,
                            _ => 200,
                        };
                        assert_eq!(status, expected, "anonymous {} {}", route.method, s.path);
                    }
                    _ => {
                        assert_eq!(status, 303, "anonymous {} {}", route.method, s.path);
                        let location = response.headers()["location"].to_str().unwrap();
                        assert!(location.starts_with("/login"), "anonymous {} {} → {location}", route.method, s.path);
                    }
                }
                checked += 1;
                // Each role.
                for (role, client) in &clients {
                    // Signing out ends the session: use a throw-away sign-in for that route.
                    let throwaway;
                    let client = if route.path == "/logout" {
                        throwaway = app.new_client();
                        assert_eq!(throwaway.login(role, PASSWORD).await.status().as_u16(), 303);
                        &throwaway
                    } else {
                        client
                    };
                    let status = call(client, &route, &s).await.status().as_u16();
                    let allowed = match route.access {
                        Access::Public | Access::SignedIn | Access::Enrolling => true,
                        Access::Roles(allowed) => allowed.iter().any(|r| r.as_str() == *role),
                    };
                    let in_scope = scope == Scope::In || *role == "admin";
                    let expected = if !allowed {
                        403
                    } else if route.path.contains("{code}") && !in_scope {
                        404
                    } else {
                        s.permitted
                    };
                    assert_eq!(status, expected, "{role} {} {} ({scope:?})", route.method, s.path);
                    checked += 1;
                }
            }
        }
        assert!(checked >= 5 * routes().len(), "walked {checked} cases");
    }

    async fn a_post_out_of_scope_is_indistinguishable_from_one_that_does_not_exist(app) {
        app.create_post("QAIM");
        app.create_post("RABIA");
        app.login_as("officer", &["QAIM"]).await;
        let out_of_scope = app.get("/posts/RABIA").await;
        let missing = app.get("/posts/NOPE").await;
        assert_eq!(out_of_scope.status().as_u16(), 404);
        assert_eq!(missing.status().as_u16(), 404);
        assert_eq!(without_tokens(&out_of_scope.text().await.unwrap()), without_tokens(&missing.text().await.unwrap()));
    }
}

#[test]
fn every_route_is_declared_once() {
    let mut seen = std::collections::HashSet::new();
    for route in routes() {
        assert!(
            seen.insert((route.method.to_string(), route.path)),
            "{} {} twice",
            route.method,
            route.path
        );
    }
}
