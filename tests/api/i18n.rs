//! English and Arabic: every text from the translation files, right-to-left in Arabic, the
//! language chosen by preference, switch or browser.

use std::collections::BTreeSet;

use diesel::prelude::*;
use repatrack::db::schema::users;
use repatrack::i18n::{Lang, message_ids};

use crate::helpers::*;

/// The words a person reads on a page: text between tags and the labelling attributes, with
/// entities decoded roughly.
fn visible_words(html: &str) -> Vec<String> {
    let mut text = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        text.push(' ');
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..start + end];
        for attribute in ["aria-label=\"", "title=\"", "placeholder=\"", "alt=\""] {
            if let Some(at) = tag.find(attribute) {
                let value = &tag[at + attribute.len()..];
                text.push_str(value.split('"').next().unwrap_or(""));
                text.push(' ');
            }
        }
        rest = &rest[start + end + 1..];
    }
    text.push_str(rest);
    let text = text
        .replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    text.split(|c: char| c.is_whitespace() || "()·:,.;«»↔‹›-،؛→".contains(c))
        .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
        // Hashes and keys are identifiers, not words.
        .filter(|w| !(w.len() >= 16 && w.chars().all(|c| c.is_ascii_hexdigit())))
        .map(str::to_owned)
        .collect()
}

/// Latin words an Arabic page may show because they are data or identifiers, not interface.
const DATA: &[&str] = &[
    "repatrack",
    "QAIM",
    "RABIA",
    "IQ",
    "SY",
    "ISO",
    "Asia/Baghdad",
    "UTC",
    "sara.ali",
    "sara",
    "ali",
    "admin",
    "system",
    // The file format's own name, used as is in Arabic too.
    "CSV",
    "officer",
    "Al-Qaim",
    "Al",
    "Qaim",
    "Rabia",
    "English",
    "post",
    "Albu",
    "Kamal",
    "Anbar",
    // The "P" of a person's reference, QAIM-P-2024-0001.
    "P",
    // The search hint's example: حسين finds Hussein.
    "Hussein",
    // The file formats and programs the import page names, as they are written in Arabic too.
    "Excel",
    "Windows",
    "xlsx",
    "UTF",
];

fn english_left_in(html: &str) -> BTreeSet<String> {
    visible_words(html)
        .into_iter()
        .filter(|w| !DATA.contains(&w.as_str()))
        .collect()
}

#[test]
fn every_message_the_domain_can_raise_is_translated_in_both_languages() {
    let mut keys = BTreeSet::new();
    // Only production code: unit tests use made-up keys.
    for (_, code) in production_sources() {
        if code.contains("FieldError::required(") {
            keys.insert("required".to_owned());
        }
        let mut rest = code.as_str();
        while let Some(at) = rest.find("FieldError::new(") {
            rest = &rest[at + 16..];
            let args: String = rest.chars().take(200).collect();
            // The key is the second argument; when it is a variable, the caller passes a
            // literal from a list the module declares (`ERROR_KEYS`), added below.
            if let Some(key) = args
                .split(',')
                .nth(1)
                .map(str::trim)
                .and_then(|k| k.strip_prefix('"'))
            {
                keys.insert(key.split('"').next().unwrap().to_owned());
            }
        }
    }
    keys.extend(
        repatrack::domain::event::ERROR_KEYS
            .iter()
            .chain(repatrack::domain::person::ERROR_KEYS)
            .map(|k| (*k).to_owned()),
    );
    assert!(keys.len() >= 15, "{keys:?}");
    for lang in Lang::ALL {
        let missing: Vec<_> = keys
            .iter()
            .filter(|k| !message_ids(lang).contains(&format!("error-{k}")))
            .collect();
        assert!(
            missing.is_empty(),
            "{lang:?} lacks error messages for {missing:?}"
        );
    }
    for key in ["required", "password-common", "post-unknown", "locked"] {
        assert!(keys.contains(key), "{key} not found by the scan: {keys:?}");
    }
}

both_databases! {
    async fn every_arabic_page_shows_only_arabic_words_besides_data(app) {
        app.create_post("QAIM");
        app.create_post("RABIA");
        let admin = app.login_as("admin", &[]).await;
        let officer = app.create_user("sara.ali", "officer", &["QAIM"], false);
        app.query(|c| diesel::update(users::table).set((users::language.eq("ar"), users::display_name.eq("مدير"))).execute(c));
        app.query(|c| diesel::update(users::table.find(officer)).set(users::display_name.eq("سارة")).execute(c));
        // An event, recorded through the Arabic form with Arabic digits.
        let form = app.client.get_html("/posts/QAIM/events/new").await;
        let key = form.split("name=\"form_key\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let event_form = |headcount: &'static str, direction: &'static str, key: String| {
            let client = &app.client;
            async move {
                client.post_form("/posts/QAIM/events", &[
                    ("occurred_at", "٢٠٢٤-١٢-٠٧T١٠:٠٠"), ("direction", direction), ("category", "military"),
                    ("headcount", headcount), ("officers", ""), ("wounded", ""), ("source", "سجل البوابة"),
                    ("reference", ""), ("notes", "وصلوا مع أسلحتهم الخفيفة"), ("form_key", &key),
                ]).await
            }
        };
        let created = event_form("١٬١٠٠", "inbound", key).await;
        assert_eq!(created.status().as_u16(), 303);
        let event = created.headers()["location"].to_str().unwrap().to_owned();
        // Too many leaving: told in Arabic, with the day in Arabic month names.
        let refused = event_form("١٩٠٥", "outbound", "f".repeat(32)).await;
        assert_eq!(refused.status().as_u16(), 422);
        let html = refused.text().await.unwrap();
        assert!(html.contains("في 7 كانون الأول 2024 في QAIM، سيغادر 1,905 من العسكريين لكن الموجودين 1,100 فقط."), "{html}");
        assert!(english_left_in(&html).is_empty(), "{:?}", english_left_in(&html));
        // An agreement, with Arabic text, a clause and an observation.
        let created = app.client.post_form("/agreements", &[
            ("reference", "IQ-SY-2024-12"), ("title", "عودة العسكريين السوريين"), ("parties", "العراق؛ السلطات السورية المؤقتة"),
            ("signed_on", "2024-12-18"), ("effective_from", "2024-12-01"), ("effective_to", ""), ("terms", "لا ملاحقة ولا عقاب"),
            ("planned_headcount", "٢٠٠٠"), ("post_codes", "QAIM"), ("clause_kind", "no_reprisals"), ("clause_text", "لا انتقام من العائدين"),
        ]).await;
        assert_eq!(created.status().as_u16(), 303);
        let agreement = created.headers()["location"].to_str().unwrap().to_owned();
        // A person, registered through the Arabic form with Arabic digits.
        let form = app.client.get_html("/posts/QAIM/people/new").await;
        let key = form.split("name=\"form_key\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let registered = app.client.post_form("/posts/QAIM/people", &[
            ("form_key", key.as_str()), ("name_ar", "حسين علي الشطري"), ("birth_year", "١٩٩٠"), ("medical", "wounded"),
        ]).await;
        assert_eq!(registered.status().as_u16(), 303);
        let person = registered.headers()["location"].to_str().unwrap().to_owned();
        let pages = [
            "/reports/headcount?from=2024-12-01&to=2024-12-18".to_owned(),
            "/reports/totals?from=2024-11-27&to=2024-12-18".to_owned(), "/reports/totals?by=month".to_owned(),
            "/agreements".to_owned(), "/agreements/new".into(), agreement.clone(), format!("{agreement}/edit"), format!("{agreement}/history"),
            "/posts/QAIM/events/new".to_owned(), "/events".into(), event.clone(), format!("{event}/edit"), format!("{event}/history"),
            "/".to_owned(), "/posts".into(), "/posts/QAIM".into(), "/posts/new".into(), "/posts/QAIM/edit".into(),
            "/admin/users".into(), "/admin/users/new".into(), format!("/admin/users/{officer}"), format!("/admin/users/{admin}?saved=1"),
            "/account?saved=1".into(),
            "/posts/QAIM/history".into(),
            "/audit/verify".into(),
            "/people".into(), "/people?q=Hussein".into(), "/posts/QAIM/people/new".into(), person.clone(), format!("{person}/edit"),
            format!("{person}/history"), "/people/duplicates".into(),
            format!("{event}/manifest"), "/posts/QAIM/people/import".into(),
        ];
        for page in &pages {
            let html = app.client.get_html(page).await;
            assert!(html.starts_with("<!doctype html>\n<html lang=\"ar\" dir=\"rtl\">"), "{page}");
            let left = english_left_in(&html);
            assert!(left.is_empty(), "{page} shows untranslated words: {left:?}");
        }
        let missing = app.get("/no/such/page").await;
        assert_eq!(missing.status().as_u16(), 404);
        let html = missing.text().await.unwrap();
        assert!(html.contains("الصفحة غير موجودة"));
        assert!(english_left_in(&html).is_empty(), "{:?}", english_left_in(&html));
        let invalid = app.client.post_form("/posts", &[("code", "x"), ("country", "ZZ")]).await;
        assert_eq!(invalid.status().as_u16(), 422);
        let html = invalid.text().await.unwrap();
        assert!(html.contains("يرجى تصحيح 7 حقول"), "seven fields, Arabic plural few: {html}");
        assert!(english_left_in(&html).is_empty(), "{:?}", english_left_in(&html));
    }

    async fn the_browser_language_decides_before_sign_in(app) {
        let response = app.client.http.get(app.url("/login")).header("accept-language", "ar-IQ,ar;q=0.9,en;q=0.5").send().await.unwrap();
        let html = response.text().await.unwrap();
        assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"));
        assert!(html.contains("<h1>تسجيل الدخول</h1>"));
        assert!(english_left_in(&html).is_empty(), "{:?}", english_left_in(&html));
        let html = app.client.http.get(app.url("/login")).header("accept-language", "fr, en;q=0.8").send().await.unwrap().text().await.unwrap();
        assert!(html.contains("<html lang=\"en\" dir=\"ltr\">"));
    }

    async fn a_failed_sign_in_is_told_in_arabic(app) {
        app.create_user("sara", "officer", &[], false);
        let token = app.client.csrf_token().await;
        let body = serde_html_form::to_string([("csrf_token", token.as_str()), ("username", "sara"), ("password", "wrong wrong wrong wrong")]).unwrap();
        let response = app.client.http.post(app.url("/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept-language", "ar")
            .body(body)
            .send().await.unwrap();
        assert_eq!(response.status().as_u16(), 401);
        assert!(response.text().await.unwrap().contains("اسم المستخدم أو كلمة المرور غير صحيحة"));
    }

    async fn the_switch_changes_the_language_at_once_and_a_signed_in_choice_is_kept(app) {
        // Before sign-in: a cookie.
        let response = app.client.post_form("/language", &[("language", "ar")]).await;
        assert_redirects_to(&response, "/");
        assert!(app.client.get_html("/login").await.contains("<html lang=\"ar\" dir=\"rtl\">"));
        // Signed in: stored with the account, so it follows the user to another computer.
        let id = app.create_user("sara", "officer", &[], false);
        let laptop = app.new_client();
        laptop.login("sara", PASSWORD).await;
        assert!(laptop.get_html("/").await.contains("<html lang=\"en\""));
        let back = laptop.http.post(app.url("/language"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("referer", app.url("/posts?x=1"))
            .body(serde_html_form::to_string([("csrf_token", laptop.csrf_token().await.as_str()), ("language", "ar")]).unwrap())
            .send().await.unwrap();
        assert_redirects_to(&back, "/posts?x=1");
        assert!(laptop.get_html("/").await.contains("<html lang=\"ar\" dir=\"rtl\">"));
        let stored: String = app.query(|c| users::table.find(id).select(users::language).first(c));
        assert_eq!(stored, "ar");
        let phone = app.new_client();
        phone.login("sara", PASSWORD).await;
        assert!(phone.get_html("/").await.contains("لوحة المتابعة"));
    }

    async fn arabic_indic_digits_are_a_personal_setting(app) {
        app.create_user("sara", "officer", &[], false);
        app.client.login("sara", PASSWORD).await;
        let response = app.client.post_form("/account/preferences", &[("language", "ar"), ("digits", "arabic_indic")]).await;
        assert_redirects_to(&response, "/account?saved=1");
        let html = app.client.get_html("/account?saved=1").await;
        assert!(html.contains("تم حفظ تفضيلاتك."));
        // The session list shows 18 Dec 2024, 09:00 UTC in Arabic-Indic digits.
        assert!(html.contains("١٨ كانون الأول ٢٠٢٤، ٠٩:٠٠ (UTC)"), "{html}");
        let bad = app.client.post_form("/account/preferences", &[("language", "fr"), ("digits", "western")]).await;
        assert_eq!(bad.status().as_u16(), 422);
    }

    async fn codes_typed_with_arabic_digits_are_understood(app) {
        app.login_as("admin", &[]).await;
        let response = app.client.post_form("/posts", &[("code", "qaim-٢"), ("name_en", "Al-Qaim 2"), ("name_ar", "القائم ٢"),
            ("country", "IQ"), ("neighbour_country", "SY"), ("governorate", "الأنبار"), ("counterpart_name", "البوكمال"), ("timezone", "")]).await;
        assert_redirects_to(&response, "/posts/QAIM-2");
    }
}
