//! The second factor: enrolment, the sign-in's second step, codes used once, recovery codes,
//! the throttle, the administrators' reset, and who must have one.

use chrono::Duration;
use diesel::prelude::*;
use repatrack::auth::second_factor::{code_at, step_of};
use repatrack::db::schema::{audit_log, sessions, user_recovery_codes, user_totp};
use sha2::{Digest, Sha256};

use crate::helpers::*;

/// The enrolment page's secret, as typed into an app (the page groups it by four).
fn secret_on(html: &str) -> String {
    element_text(html, "id=\"secret\"")
        .unwrap()
        .replace(' ', "")
}

/// The recovery codes the page shows after enrolling.
fn recovery_codes_on(html: &str) -> Vec<String> {
    let list = &html[html.find("id=\"recovery-codes\"").unwrap()..];
    let list = &list[..list.find("</ol>").unwrap()];
    list.split("<code dir=\"ltr\">")
        .skip(1)
        .map(|c| c.split('<').next().unwrap().to_owned())
        .collect()
}

fn entries(app: &TestApp, action: &'static str) -> Vec<String> {
    app.query(|c| {
        audit_log::table
            .filter(audit_log::action.eq(action))
            .order(audit_log::seq)
            .select(audit_log::details)
            .load(c)
    })
}

fn factor_rows(app: &TestApp, user: i64) -> (i64, i64) {
    app.query(|c| {
        Ok((
            user_totp::table
                .filter(user_totp::user_id.eq(user))
                .count()
                .get_result(c)?,
            user_recovery_codes::table
                .filter(user_recovery_codes::user_id.eq(user))
                .count()
                .get_result(c)?,
        ))
    })
}

/// Posts the password; asserts the second step is asked for.
async fn password_step(client: &TestClient, username: &str) {
    let response = client
        .post_form("/login", &[("username", username), ("password", PASSWORD)])
        .await;
    assert_redirects_to(&response, "/login?next=%2F");
}

both_databases! {
    async fn enrolling_with_a_wrong_code_says_so_and_a_right_one_enables_it_with_ten_hashed_recovery_codes(app) {
        let sara = app.create_user("sara", "officer", &[], true);
        assert_redirects_to(&app.client.login("sara", PASSWORD).await, "/");
        let html = app.client.get_html("/account/two-factor").await;
        assert!(html.contains("<svg"), "the QR code is drawn on the server");
        assert!(!html.contains("<script"));
        let secret = secret_on(&html);
        assert_eq!(secret.len(), 32);
        assert_eq!(secret_on(&app.client.get_html("/account/two-factor").await), secret, "a reload keeps the secret");

        let step = step_of(app.clock.now().timestamp());
        let right = code_at(&secret, step).unwrap();
        let wrong = if right == "000000" { "111111" } else { "000000" };
        let refused = app.client.post_form("/account/two-factor", &[("code", wrong)]).await;
        assert_eq!(refused.status().as_u16(), 422);
        let html = refused.text().await.unwrap();
        assert_eq!(cell_text_opt(&html, "id=\"code-error\""), "This code is not right, or was used already. Type the code your app shows now.");
        assert_eq!(secret_on(&html), secret, "the same secret is offered again");
        assert_eq!(factor_rows(&app, sara), (0, 0));

        let enabled = app.client.post_form("/account/two-factor", &[("code", &right)]).await;
        assert_eq!(enabled.status().as_u16(), 200);
        let html = enabled.text().await.unwrap();
        let codes = recovery_codes_on(&html);
        assert_eq!(codes.len(), 10);
        assert_eq!(factor_rows(&app, sara), (1, 10));
        let stored: Vec<String> = app.query(|c| user_recovery_codes::table.filter(user_recovery_codes::user_id.eq(sara)).select(user_recovery_codes::code_hash).order(user_recovery_codes::id).load(c));
        for (code, hash) in codes.iter().zip(&stored) {
            assert!(!stored.iter().any(|h| h.contains(code.as_str()) || h.contains(&code.replace('-', ""))), "no plaintext recovery code is stored");
            assert_eq!(*hash, hex::encode(Sha256::digest(code.replace('-', "").as_bytes())));
        }
        let (kept, last): (String, Option<i64>) = app.query(|c| user_totp::table.find(sara).select((user_totp::secret, user_totp::last_step)).first(c));
        assert_eq!((kept, last), (secret.clone(), Some(step)));
        let pending: Option<String> = app.query(|c| sessions::table.filter(sessions::user_id.eq(sara)).select(sessions::enrolling_secret).first(c));
        assert_eq!(pending, None, "the session forgets the secret once enabled");
        assert_eq!(entries(&app, "account.two_factor_enable"), ["{\"method\":\"totp\",\"recovery_codes\":10}"]);
        let page = app.client.get_html("/account/two-factor").await;
        assert!(!page.contains(&secret[..8]), "the secret is never shown again");
        assert_eq!(cell_text_opt(&page, "id=\"codes-left\""), "10");
        // The sign-in now asks for the code, and the one that enabled it is not taken again.
        let browser = app.new_client();
        password_step(&browser, "sara").await;
        let again = browser.post_form("/login/code", &[("code", &right), ("next", "/")]).await;
        assert_eq!(again.status().as_u16(), 401);
        let next = code_at(&secret, step + 1).unwrap();
        assert_redirects_to(&browser.post_form("/login/code", &[("code", &next), ("next", "/")]).await, "/");
    }

    async fn an_admin_without_a_second_factor_reaches_only_the_enrolment_page(app) {
        app.create_post("QAIM");
        app.create_account("chief", "admin", &[], true);
        assert_redirects_to(&app.client.login("chief", PASSWORD).await, "/");
        for page in ["/", "/admin/users", "/audit", "/events.csv", "/audit.csv", "/people", "/posts/QAIM", "/account", "/admin/users/1"] {
            assert_redirects_to(&app.get(page).await, "/account/two-factor");
        }
        let refused = app.client.post_form("/account/preferences", &[("language", "ar"), ("digits", "western")]).await;
        assert_redirects_to(&refused, "/account/two-factor");
        let html = app.client.get_html("/account/two-factor").await;
        assert_eq!(cell_text_opt(&html, "id=\"two-factor-required\""), "Your role must have a second factor. Set it up now: no other page opens until it is done.");
        assert!(!html.contains("class=\"site-nav\""), "no navigation leads elsewhere");
        let code = code_at(&secret_on(&html), step_of(app.clock.now().timestamp())).unwrap();
        assert_eq!(app.client.post_form("/account/two-factor", &[("code", &code)]).await.status().as_u16(), 200);
        assert_eq!(app.get("/admin/users").await.status().as_u16(), 200);
        assert_eq!(app.get("/events.csv").await.status().as_u16(), 200);
    }

    async fn a_supervisor_is_sent_to_enrol_and_may_sign_out(app) {
        app.create_account("sami", "supervisor", &[], true);
        assert_redirects_to(&app.client.login("sami", PASSWORD).await, "/");
        assert_redirects_to(&app.get("/queue").await, "/account/two-factor");
        assert_redirects_to(&app.client.post_form("/logout", &[]).await, "/login");
        assert_redirects_to(&app.get("/account/two-factor").await, "/login?next=%2Faccount%2Ftwo-factor");
    }

    async fn a_sign_in_waiting_for_its_code_reaches_no_page(app) {
        let sara = app.create_user("sara", "officer", &[], true);
        app.enrol(repatrack::domain::ids::UserId(sara), "sara");
        password_step(&app.client, "sara").await;
        assert_redirects_to(&app.get("/").await, "/login");
        assert_redirects_to(&app.get("/events").await, "/login?next=%2Fevents");
        assert_redirects_to(&app.get("/account/two-factor").await, "/login?next=%2Faccount%2Ftwo-factor");
        assert_redirects_to(&app.get("/events.csv").await, "/login?next=%2Fevents.csv");
        let html = app.client.get_html("/login").await;
        assert!(html.contains("name=\"code\""), "the sign-in page asks for the code");
        assert!(!html.contains("name=\"password\""));
        assert_eq!(entries(&app, "auth.login").len(), 0, "not signed in yet");
        assert_eq!(entries(&app, "auth.second_factor_asked").len(), 1);
        let code = app.next_code("sara");
        assert_redirects_to(&app.client.post_form("/login/code", &[("code", &code), ("next", "/")]).await, "/");
        assert_eq!(app.get("/").await.status().as_u16(), 200);
        let pending: Vec<bool> = app.query(|c| sessions::table.select(sessions::second_factor_pending).load(c));
        assert_eq!(pending, [false]);
        let login = entries(&app, "auth.login");
        assert_eq!(login.len(), 1);
        assert!(login[0].contains("\"second_factor\":\"totp\""), "{}", login[0]);
        // Waiting too long ends the pending sign-in.
        let late = app.new_client();
        password_step(&late, "sara").await;
        app.clock.advance(Duration::minutes(10));
        assert!(late.get_html("/login").await.contains("name=\"password\""), "the pending sign-in ended");
    }

    async fn a_code_is_taken_once_and_a_recovery_code_once(app) {
        let chief = app.create_user("chief", "admin", &[], true);
        password_step(&app.client, "chief").await;
        let code = app.next_code("chief");
        assert_redirects_to(&app.client.post_form("/login/code", &[("code", &code), ("next", "/")]).await, "/");
        let other = app.new_client();
        password_step(&other, "chief").await;
        let replay = other.post_form("/login/code", &[("code", &code), ("next", "/")]).await;
        assert_eq!(replay.status().as_u16(), 401);
        assert!(replay.text().await.unwrap().contains("This code is not right, or was used already."));
        assert_redirects_to(&other.get("/").await, "/login");

        let recovery = app.factors.lock().unwrap()["chief"].recovery[0].clone();
        let typed = recovery.to_uppercase().replace('-', " ");
        assert_redirects_to(&other.post_form("/login/code", &[("code", &typed), ("next", "/")]).await, "/");
        let used: i64 = app.query(|c| user_recovery_codes::table.filter(user_recovery_codes::user_id.eq(chief)).filter(user_recovery_codes::used_at.is_not_null()).count().get_result(c));
        assert_eq!(used, 1);
        let login = entries(&app, "auth.login");
        assert!(login[1].contains("\"recovery_codes_left\":9") && login[1].contains("\"second_factor\":\"recovery_code\""), "{}", login[1]);
        let third = app.new_client();
        password_step(&third, "chief").await;
        assert_eq!(third.post_form("/login/code", &[("code", &recovery), ("next", "/")]).await.status().as_u16(), 401);
    }

    async fn wrong_codes_count_against_the_sign_in_throttle_like_wrong_passwords(app) {
        app.create_user("chief", "admin", &[], true);
        password_step(&app.client, "chief").await;
        let right = app.next_code("chief");
        let wrong = if right == "000000" { "111111" } else { "000000" };
        // The right password counts until the code is given: four wrong codes make five.
        for attempt in 0..4 {
            let response = app.client.post_form("/login/code", &[("code", wrong), ("next", "/")]).await;
            assert_eq!(response.status().as_u16(), 401, "attempt {attempt}");
        }
        let locked = app.client.post_form("/login/code", &[("code", &right), ("next", "/")]).await;
        assert_eq!(locked.status().as_u16(), 429);
        assert!(locked.text().await.unwrap().contains("Too many failed sign-ins for this user name. Wait 1 minute, then try again."));
        // The password form is locked for that name too: the password buys no fresh tries.
        let other = app.new_client();
        let response = other.post_form("/login", &[("username", "chief"), ("password", PASSWORD)]).await;
        assert_eq!(response.status().as_u16(), 429);
        let lockouts = entries(&app, "auth.lockout");
        assert_eq!(lockouts.len(), 1);
        assert!(lockouts[0].contains("\"step\":\"second_factor\""), "{}", lockouts[0]);
        app.clock.advance(Duration::seconds(61));
        let code = app.next_code("chief");
        assert_redirects_to(&app.client.post_form("/login/code", &[("code", &code), ("next", "/")]).await, "/");
    }

    async fn an_admin_resets_a_second_factor_audited_and_the_user_is_signed_out(app) {
        let chief = app.create_user("chief", "admin", &[], true);
        let sami = app.create_user("sami", "supervisor", &[], true);
        let phone = app.new_client();
        assert_redirects_to(&phone.login("sami", PASSWORD).await, "/");
        assert_redirects_to(&app.client.login("chief", PASSWORD).await, "/");
        let page = app.client.get_html(&format!("/admin/users/{sami}")).await;
        assert!(page.contains(&format!("action=\"/admin/users/{sami}/two-factor\"")));
        assert!(!app.client.get_html(&format!("/admin/users/{chief}")).await.contains("/two-factor\""), "not offered for one's own");
        let reset = app.client.post_form(&format!("/admin/users/{sami}/two-factor"), &[]).await;
        assert_redirects_to(&reset, &format!("/admin/users/{sami}?two_factor_reset=1"));
        assert_eq!(factor_rows(&app, sami), (0, 0));
        assert_eq!(entries(&app, "user.two_factor_reset"), ["{\"changes\":{\"two_factor\":{\"after\":\"none\",\"before\":\"totp\"}},\"sessions_ended\":1}"]);
        let ended: Vec<Option<String>> = app.query(|c| sessions::table.filter(sessions::user_id.eq(sami)).select(sessions::ended_reason).load(c));
        assert_eq!(ended, [Some("second_factor_reset".to_owned())]);
        assert_redirects_to(&phone.get("/").await, "/login");
        // Signing in again: no code is asked, but the supervisor must enrol before anything else.
        assert_redirects_to(&phone.login("sami", PASSWORD).await, "/");
        assert_redirects_to(&phone.get("/").await, "/account/two-factor");
        // One's own, by oneself: refused (and one's own page does not offer it).
        assert_eq!(app.client.post_form(&format!("/admin/users/{chief}/two-factor"), &[]).await.status().as_u16(), 403);
        assert_eq!(factor_rows(&app, chief).0, 1);
    }

    async fn only_administrators_reset_a_second_factor(app) {
        let sara = app.create_user("sara", "officer", &[], true);
        app.enrol(repatrack::domain::ids::UserId(sara), "sara");
        app.login_as("supervisor", &[]).await;
        assert_eq!(app.client.post_form(&format!("/admin/users/{sara}/two-factor"), &[]).await.status().as_u16(), 403);
        assert_eq!(factor_rows(&app, sara), (1, 10));
        assert_eq!(entries(&app, "user.two_factor_reset").len(), 0);
    }

    async fn an_officer_may_go_without_a_second_factor_or_set_one_up(app) {
        app.create_user("sara", "officer", &[], true);
        app.create_user("audra", "auditor", &[], true);
        assert_redirects_to(&app.client.login("sara", PASSWORD).await, "/");
        assert_eq!(app.get("/").await.status().as_u16(), 200);
        let account = app.client.get_html("/account").await;
        assert_eq!(cell_text_opt(&account, "id=\"two-factor-status\""), "No second factor is set up. Set up a second factor");
        let html = app.client.get_html("/account/two-factor").await;
        assert!(html.contains("class=\"site-nav\""), "an optional enrolment keeps the navigation");
        let auditor = app.new_client();
        assert_redirects_to(&auditor.login("audra", PASSWORD).await, "/");
        assert_eq!(auditor.get("/audit").await.status().as_u16(), 200);
    }

    async fn the_enrolment_page_is_in_arabic_right_to_left(app) {
        let chief = app.create_account("chief", "admin", &[], true);
        app.query(|c| diesel::update(repatrack::db::schema::users::table.find(chief)).set(repatrack::db::schema::users::language.eq("ar")).execute(c));
        app.client.login("chief", PASSWORD).await;
        let html = app.client.get_html("/account/two-factor").await;
        assert!(html.starts_with("<!doctype html>\n<html lang=\"ar\" dir=\"rtl\">"));
        assert!(html.contains("<h1>عامل التحقق الثاني</h1>"));
        assert!(html.contains("<svg"));
        password_step_ar(&app).await;
    }
}

/// The second step in Arabic for an enrolled Arabic-speaking user.
async fn password_step_ar(app: &TestApp) {
    let id = app.create_user("layla", "supervisor", &[], true);
    app.query(|c| {
        diesel::update(repatrack::db::schema::users::table.find(id))
            .set(repatrack::db::schema::users::language.eq("ar"))
            .execute(c)
    });
    let client = app.new_client();
    password_step(&client, "layla").await;
    let html = client.get_html("/login").await;
    assert!(html.starts_with("<!doctype html>\n<html lang=\"ar\" dir=\"rtl\">"));
    assert!(html.contains("الخطوة الثانية: الرمز"));
    let wrong = client
        .post_form("/login/code", &[("code", "12"), ("next", "/")])
        .await;
    assert_eq!(wrong.status().as_u16(), 401);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("هذا الرمز غير صحيح أو استُخدم من قبل.")
    );
}

/// The text of the element carrying `marker`.
fn cell_text_opt(html: &str, marker: &str) -> String {
    element_text(html, marker).unwrap_or_else(|| panic!("no {marker} in {html}"))
}
