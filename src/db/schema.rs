//! The tables as diesel sees them, shared by both backends. Written by hand to match
//! `migrations/`; the migration parity tests catch a drift between the two trees, and any query
//! against a column missing here fails to compile.

diesel::table! {
    /// Border posts (DESIGN.md §3).
    border_posts (id) {
        /// Surrogate key.
        id -> BigInt,
        /// Unique upper-case code, e.g. `QAIM`.
        code -> Text,
        /// English name.
        name_en -> Text,
        /// Arabic name.
        name_ar -> Text,
        /// ISO 3166 alpha-2 code of the host country.
        country -> Text,
        /// ISO 3166 alpha-2 code of the country across the border.
        neighbour_country -> Text,
        /// Governorate or province.
        governorate -> Text,
        /// The post on the other side.
        counterpart_name -> Text,
        /// IANA time zone in which the post's times are entered and shown.
        timezone -> Text,
        /// Inactive posts are kept for history but take no new records.
        active -> Bool,
        /// UTC.
        created_at -> Timestamp,
        /// UTC.
        updated_at -> Timestamp,
        /// Optimistic-locking counter, from 1: bumped by every change made through the post form.
        version -> Integer,
    }
}

diesel::table! {
    /// Accounts (DESIGN.md §3, User).
    users (id) {
        /// Surrogate key.
        id -> BigInt,
        /// Lower-case sign-in name.
        username -> Text,
        /// Name shown in the interface and the audit trail.
        display_name -> Text,
        /// argon2id PHC string.
        password_hash -> Text,
        /// `admin`, `supervisor`, `officer` or `auditor`.
        role -> Text,
        /// Sees every post, not only assigned ones.
        all_posts -> Bool,
        /// Inactive accounts cannot sign in; their sessions are ended.
        active -> Bool,
        /// Interface language: `en` or `ar`.
        language -> Text,
        /// `western` or `arabic_indic` digits.
        digits -> Text,
        /// UTC.
        password_changed_at -> Timestamp,
        /// UTC.
        last_login_at -> Nullable<Timestamp>,
        /// UTC.
        created_at -> Timestamp,
        /// UTC.
        updated_at -> Timestamp,
        /// Optimistic-locking counter, from 1: bumped by every change an administrator makes
        /// (the account form and password resets).
        version -> Integer,
    }
}

diesel::table! {
    /// Which posts a user without `all_posts` may see.
    user_posts (user_id, post_id) {
        /// The user.
        user_id -> BigInt,
        /// The post.
        post_id -> BigInt,
    }
}

diesel::table! {
    /// Server-side sessions.
    sessions (id) {
        /// Surrogate key.
        id -> BigInt,
        /// SHA-256 (hex) of the cookie's token.
        token_hash -> Text,
        /// Whose session.
        user_id -> BigInt,
        /// The token every POST of this session must carry.
        csrf_token -> Text,
        /// UTC.
        created_at -> Timestamp,
        /// UTC; refreshed at most once a minute.
        last_seen_at -> Timestamp,
        /// Client address at sign-in.
        ip -> Text,
        /// Browser at sign-in.
        user_agent -> Text,
        /// UTC; set when the session ends for any reason.
        ended_at -> Nullable<Timestamp>,
        /// `logout`, `idle`, `expired`, `deactivated`, `role_changed`, `password_changed`.
        ended_reason -> Nullable<Text>,
        /// The one-line message after an action, shown once by the next page.
        notice -> Nullable<Text>,
        /// The password was right; the second factor is still asked for. Such a session
        /// reaches only the code step.
        second_factor_pending -> Bool,
        /// A TOTP secret (base32) shown for enrolment, waiting for its first code.
        enrolling_secret -> Nullable<Text>,
    }
}

diesel::table! {
    /// An account's second factor (TOTP, RFC 6238), once confirmed by a first code.
    user_totp (user_id) {
        /// Whose.
        user_id -> BigInt,
        /// The shared secret, base32. A secret: never exported.
        secret -> Text,
        /// UTC.
        enabled_at -> Timestamp,
        /// The last time step (Unix time / 30) accepted; no code of it or earlier is accepted.
        last_step -> Nullable<BigInt>,
    }
}

diesel::table! {
    /// One-time recovery codes, stored as SHA-256.
    user_recovery_codes (id) {
        /// Surrogate key.
        id -> BigInt,
        /// Whose.
        user_id -> BigInt,
        /// SHA-256 (hex) of the normalised code.
        code_hash -> Text,
        /// UTC.
        created_at -> Timestamp,
        /// UTC; set when the code is used (it is then refused).
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Failed sign-in counters per user name and per client address.
    login_throttle (throttle_key) {
        /// `user:NAME` or `ip:ADDRESS`.
        throttle_key -> Text,
        /// Consecutive failures (user) or failures in the window (address).
        failures -> Integer,
        /// When the address window began.
        window_start -> Timestamp,
        /// No attempt is checked before this instant.
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(user_totp -> users (user_id));
diesel::joinable!(user_recovery_codes -> users (user_id));
diesel::joinable!(user_posts -> users (user_id));
diesel::joinable!(user_posts -> border_posts (post_id));

diesel::table! {
    /// The audit trail: one hash chain (DESIGN.md §5).
    audit_log (seq) {
        /// Position in the chain, gapless from 1.
        seq -> BigInt,
        /// UTC, microseconds.
        at -> Timestamp,
        /// The acting account, if any.
        actor_id -> Nullable<BigInt>,
        /// Who: a user name, `anonymous` or `system`.
        actor -> Text,
        /// A stable action code (`audit::Action`).
        action -> Text,
        /// What kind of record.
        entity -> Text,
        /// Which record.
        entity_id -> Text,
        /// The post's code, or empty.
        post -> Text,
        /// Client address, or empty.
        ip -> Text,
        /// Canonical JSON: changed fields before/after, reason, other facts.
        details -> Text,
        /// The previous entry's hash (64 zeros for the first).
        prev_hash -> Text,
        /// SHA-256(prev_hash ‖ canonical(entry)), hex.
        hash -> Text,
        /// The canonical encoding hashed: 1 (without `actor_id`) or 2 (with it).
        format -> Integer,
    }
}

diesel::table! {
    /// The chain's head, one row.
    audit_head (id) {
        /// Always 1.
        id -> BigInt,
        /// Last seq.
        seq -> BigInt,
        /// Last hash.
        hash -> Text,
    }
}

diesel::table! {
    /// Signed checkpoints of the head.
    audit_checkpoints (seq) {
        /// The head's seq when signed.
        seq -> BigInt,
        /// The head's hash.
        hash -> Text,
        /// UTC.
        at -> Timestamp,
        /// Ed25519 public key, hex.
        public_key -> Text,
        /// Ed25519 signature over the checkpoint's canonical bytes, hex.
        signature -> Text,
    }
}

diesel::table! {
    /// Crossing events (DESIGN.md §3, CrossingEvent).
    crossing_events (id) {
        /// Surrogate key.
        id -> BigInt,
        /// The post.
        post_id -> BigInt,
        /// Short reference read over the phone, e.g. `QAIM-2024-0042`.
        reference -> Text,
        /// Year part of the reference (post-local year of the first `occurred_at`).
        ref_year -> Integer,
        /// Number part of the reference, per post and year.
        ref_number -> Integer,
        /// When it happened, UTC.
        occurred_at -> Timestamp,
        /// The post-local day of `occurred_at`.
        local_day -> Date,
        /// `inbound` or `outbound`.
        direction -> Text,
        /// `military` or `civilian`.
        category -> Text,
        /// Number of people, at least 1.
        headcount -> Integer,
        /// Officers among them.
        officers -> Nullable<Integer>,
        /// Wounded among them.
        wounded -> Nullable<Integer>,
        /// Who reported it.
        source -> Text,
        /// Report or document number.
        source_reference -> Text,
        /// Free text.
        notes -> Text,
        /// `pending`, `verified` or `voided`.
        status -> Text,
        /// Why it was voided.
        void_reason -> Nullable<Text>,
        /// Recorder.
        recorded_by -> BigInt,
        /// UTC.
        recorded_at -> Timestamp,
        /// Verifier (never the recorder).
        verified_by -> Nullable<BigInt>,
        /// UTC.
        verified_at -> Nullable<Timestamp>,
        /// Who voided it.
        voided_by -> Nullable<BigInt>,
        /// UTC.
        voided_at -> Nullable<Timestamp>,
        /// UTC, last change.
        updated_at -> Timestamp,
        /// Optimistic-locking counter, from 1.
        version -> Integer,
        /// The server-issued key of the form that created it (double submits find it).
        form_key -> Text,
        /// The agreement a return was made under.
        agreement_id -> Nullable<BigInt>,
        /// Who last changed its fields (its recorder until corrected); never its verifier.
        changed_by -> Nullable<BigInt>,
        /// Who corrected it since it was last verified: user ids, comma-separated.
        changers -> Text,
    }
}

diesel::table! {
    /// Coordination agreements (DESIGN.md §3, Agreement).
    agreements (id) {
        /// Surrogate key.
        id -> BigInt,
        /// Unique reference.
        reference -> Text,
        /// Title.
        title -> Text,
        /// Who agreed.
        parties -> Text,
        /// Signed on.
        signed_on -> Date,
        /// First day in force.
        effective_from -> Date,
        /// Last day in force.
        effective_to -> Nullable<Date>,
        /// `draft`, `pending_activation`, `active`, `suspended`, `concluded`.
        status -> Text,
        /// Terms.
        terms -> Text,
        /// People to be returned.
        planned_headcount -> Nullable<Integer>,
        /// The supervisor who asked to put it in force (while pending).
        proposed_by -> Nullable<BigInt>,
        /// Creator.
        created_by -> BigInt,
        /// UTC.
        created_at -> Timestamp,
        /// UTC.
        updated_at -> Timestamp,
        /// Optimistic-locking counter.
        version -> Integer,
        /// Who last changed its fields, posts or clauses (its creator until then).
        edited_by -> Nullable<BigInt>,
        /// Who confirmed its latest activation (never its proposer or latest editor).
        confirmed_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    /// Posts an agreement covers.
    agreement_posts (agreement_id, post_id) {
        /// The agreement.
        agreement_id -> BigInt,
        /// The post.
        post_id -> BigInt,
    }
}

diesel::table! {
    /// Typed clauses of an agreement.
    agreement_clauses (id) {
        /// Surrogate key.
        id -> BigInt,
        /// The agreement.
        agreement_id -> BigInt,
        /// Order.
        position -> Integer,
        /// Kind.
        kind -> Text,
        /// Wording.
        text -> Text,
    }
}

diesel::table! {
    /// Compliance observations against a clause.
    agreement_observations (id) {
        /// Surrogate key.
        id -> BigInt,
        /// The agreement.
        agreement_id -> BigInt,
        /// The clause.
        clause_id -> BigInt,
        /// `complied`, `alleged_breach`, `confirmed_breach`.
        finding -> Text,
        /// When observed.
        observed_on -> Date,
        /// Who reported it.
        source -> Text,
        /// What was observed.
        text -> Text,
        /// Recorder.
        recorded_by -> BigInt,
        /// UTC.
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    /// The ledger: per post, category and day with events (DESIGN.md §3, PostDay).
    post_days (post_id, category, day) {
        /// The post.
        post_id -> BigInt,
        /// Post-local day.
        day -> Date,
        /// `military` or `civilian`.
        category -> Text,
        /// People in that day.
        inbound -> BigInt,
        /// People out that day.
        outbound -> BigInt,
        /// Present at the end of the day.
        closing -> BigInt,
        /// Lowest balance reached during the day, opening included.
        low -> BigInt,
    }
}

diesel::table! {
    /// Closed days of a post.
    day_closures (post_id, day) {
        /// The post.
        post_id -> BigInt,
        /// Post-local day.
        day -> Date,
        /// Supervisor who closed it.
        closed_by -> BigInt,
        /// UTC.
        closed_at -> Timestamp,
        /// Military present at the day's end when closed.
        military_closing -> BigInt,
        /// Civilians present at the day's end when closed.
        civilian_closing -> BigInt,
    }
}

diesel::table! {
    /// People who crossed (DESIGN.md §3, Person).
    people (id) {
        /// Surrogate key.
        id -> BigInt,
        /// The post they belong to.
        post_id -> BigInt,
        /// `QAIM-P-2024-0001`.
        reference -> Text,
        /// Reference year.
        ref_year -> Integer,
        /// Reference number within post and year.
        ref_number -> Integer,
        /// Name in Arabic script.
        name_ar -> Text,
        /// Name in Latin script.
        name_latin -> Text,
        /// Father's name.
        father_name -> Text,
        /// Grandfather's name.
        grandfather_name -> Text,
        /// Family name.
        family_name -> Text,
        /// Mother's name.
        mother_name -> Text,
        /// Date of birth, when known.
        birth_date -> Nullable<Date>,
        /// Year of birth (from the date, or alone).
        birth_year -> Nullable<Integer>,
        /// `male`, `female` or empty.
        sex -> Text,
        /// Military rank.
        rank -> Text,
        /// Unit.
        unit -> Text,
        /// Service number.
        service_number -> Text,
        /// `national_id`, `military_id`, `passport`, `other` or empty.
        id_document_type -> Text,
        /// Document number.
        id_document_number -> Text,
        /// ISO 3166 alpha-2 code or empty.
        nationality -> Text,
        /// `none`, `needs_care`, `wounded`, `evacuated`.
        medical -> Text,
        /// Free text.
        vulnerabilities -> Text,
        /// The arrival they came with.
        inbound_event_id -> Nullable<BigInt>,
        /// Free text.
        notes -> Text,
        /// Lifecycle status (invariant 6).
        status -> Text,
        /// The authority a transferred person went to.
        transferred_to -> Text,
        /// The record this one was merged into.
        merged_into -> Nullable<BigInt>,
        /// Recorder.
        recorded_by -> BigInt,
        /// UTC.
        recorded_at -> Timestamp,
        /// UTC.
        updated_at -> Timestamp,
        /// Optimistic-locking counter.
        version -> Integer,
        /// The form that created it.
        form_key -> Text,
    }
}

diesel::table! {
    /// Search keys of people's names.
    person_name_keys (kind, name_key, person_id) {
        /// The person.
        person_id -> BigInt,
        /// 0 exact, 1 folded, 2 cross-script, 3 signature, 4 document, 5 service number.
        kind -> Integer,
        /// The key.
        name_key -> Text,
    }
}

diesel::table! {
    /// Statements of a person's wish about returning.
    person_statements (id) {
        /// Surrogate key.
        id -> BigInt,
        /// The person.
        person_id -> BigInt,
        /// `wishes_to_return` or `declines_return`.
        wish -> Text,
        /// When they said it.
        stated_on -> Date,
        /// Who heard it.
        heard_by -> Text,
        /// `interview`, `written`, `third_party`.
        how -> Text,
        /// Who recorded it.
        recorded_by -> BigInt,
        /// UTC.
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    /// Pairs said not to be the same person.
    person_distinct (person_low, person_high) {
        /// Lower id.
        person_low -> BigInt,
        /// Higher id.
        person_high -> BigInt,
        /// Who said so.
        decided_by -> BigInt,
        /// UTC.
        decided_at -> Timestamp,
    }
}

diesel::table! {
    /// Merges of duplicate records, confirmed by a second supervisor.
    person_merges (id) {
        /// Surrogate key.
        id -> BigInt,
        /// The record kept.
        kept_id -> BigInt,
        /// The record merged into it.
        merged_id -> BigInt,
        /// JSON: field name to `kept` or `merged`.
        choices -> Text,
        /// `proposed`, `confirmed`, `withdrawn`.
        status -> Text,
        /// Who proposed it.
        proposed_by -> BigInt,
        /// UTC.
        proposed_at -> Timestamp,
        /// Who confirmed or withdrew it.
        decided_by -> Nullable<BigInt>,
        /// UTC.
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The named people of a return.
    return_manifest (event_id, person_id) {
        /// The return.
        event_id -> BigInt,
        /// The person.
        person_id -> BigInt,
        /// Order of addition (the handover list's numbering).
        position -> Integer,
        /// Their status when the return was verified.
        status_before -> Nullable<Text>,
        /// Who named them.
        added_by -> BigInt,
        /// UTC.
        added_at -> Timestamp,
    }
}

diesel::table! {
    /// What is heard of a person after their return.
    person_followups (id) {
        /// Surrogate key.
        id -> BigInt,
        /// The person.
        person_id -> BigInt,
        /// When it was observed.
        observed_on -> Date,
        /// `family`, `icrc`, `media`, `person`.
        source -> Text,
        /// `safe`, `no_news`, `alleged_reprisal`, `confirmed_reprisal`.
        finding -> Text,
        /// What was heard.
        text -> Text,
        /// The observation it also is against the agreement's no-reprisals clause.
        agreement_observation_id -> Nullable<BigInt>,
        /// Who recorded it.
        recorded_by -> BigInt,
        /// UTC.
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    /// Received lists of people, from upload to confirmation.
    people_imports (id) {
        /// Surrogate key.
        id -> BigInt,
        /// The post importing.
        post_id -> BigInt,
        /// The file's name as uploaded.
        file_name -> Text,
        /// SHA-256 of the file, hex.
        sha256 -> Text,
        /// The file.
        content -> Binary,
        /// The event whose list the rows join, if any.
        event_id -> Nullable<BigInt>,
        /// `preview`, `imported`.
        status -> Text,
        /// Who uploaded it.
        uploaded_by -> BigInt,
        /// UTC.
        uploaded_at -> Timestamp,
    }
}

diesel::table! {
    /// The column mapping remembered per post.
    import_mappings (post_id) {
        /// The post.
        post_id -> BigInt,
        /// The headers it was made for (JSON array).
        headers -> Text,
        /// The mapping (`import::mapping::to_stored`).
        mapping -> Text,
    }
}

diesel::table! {
    /// A return reconciled with the other side's list.
    reconciliations (id) {
        /// Surrogate key.
        id -> BigInt,
        /// The return.
        event_id -> BigInt,
        /// The file's name.
        file_name -> Text,
        /// SHA-256 of the file, hex.
        sha256 -> Text,
        /// The three lists (JSON).
        result -> Text,
        /// Who reconciled.
        created_by -> BigInt,
        /// UTC.
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Differences looked into.
    reconciliation_resolutions (reconciliation_id, item) {
        /// The reconciliation.
        reconciliation_id -> BigInt,
        /// `ours:REFERENCE` or `theirs:ROW`.
        item -> Text,
        /// What was found.
        note -> Text,
        /// Who.
        resolved_by -> BigInt,
        /// UTC.
        resolved_at -> Timestamp,
    }
}

diesel::joinable!(crossing_events -> border_posts (post_id));
diesel::joinable!(people -> border_posts (post_id));
diesel::joinable!(person_name_keys -> people (person_id));

diesel::joinable!(agreement_posts -> agreements (agreement_id));
diesel::joinable!(agreement_posts -> border_posts (post_id));

diesel::allow_tables_to_appear_in_same_query!(
    agreements,
    agreement_posts,
    agreement_clauses,
    agreement_observations,
    crossing_events,
    post_days,
    day_closures,
    border_posts,
    users,
    user_posts,
    sessions,
    user_totp,
    user_recovery_codes,
    login_throttle,
    audit_log,
    audit_head,
    audit_checkpoints,
    people,
    person_name_keys,
    person_statements,
    person_distinct,
    person_merges,
    return_manifest,
    person_followups,
    people_imports,
    import_mappings,
    reconciliations,
    reconciliation_resolutions,
);
