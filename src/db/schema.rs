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
    }
}
