//! What tables and columns a database holds, in one backend-neutral shape, so tests can prove
//! the two migration trees build the same schema.

use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use super::DbConn;

/// One column of one table, with its type reduced to a backend-neutral class.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Column {
    /// Table name.
    pub table: String,
    /// Column name.
    pub column: String,
    /// `bigint`, `integer`, `text`, `boolean`, `timestamp`, `date` or the raw type if unknown.
    pub class: String,
    /// Whether NULL is allowed.
    pub nullable: bool,
}

#[derive(QueryableByName)]
struct RawColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
    #[diesel(sql_type = Bool)]
    primary_key: bool,
}

/// Every column of every application table (diesel's bookkeeping table excluded), sorted.
pub fn columns(conn: &mut DbConn) -> QueryResult<Vec<Column>> {
    // The catalogue differs per backend: SQLite exposes it through pragma functions,
    // PostgreSQL through information_schema.
    let sql = match conn {
        DbConn::Sqlite(_) => {
            "SELECT m.name AS table_name, p.name AS column_name, upper(p.type) AS data_type,
                    (p.\"notnull\" = 0 AND p.pk = 0) AS nullable, (p.pk = 1 AND NOT EXISTS (SELECT 1 FROM pragma_table_info(m.name) q WHERE q.pk > 1))
                        AS primary_key
             FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
               AND m.name <> '__diesel_schema_migrations'"
        }
        DbConn::Postgres(_) => {
            "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name,
                    c.data_type::text AS data_type, (c.is_nullable = 'YES') AS nullable,
                    FALSE AS primary_key
             FROM information_schema.columns c
             WHERE c.table_schema = current_schema()
               AND c.table_name <> '__diesel_schema_migrations'"
        }
    };
    let mut out: Vec<Column> = diesel::sql_query(sql)
        .load::<RawColumn>(conn)?
        .into_iter()
        .map(|raw| Column {
            class: classify(&raw.data_type, raw.primary_key),
            table: raw.table_name,
            column: raw.column_name,
            nullable: raw.nullable,
        })
        .collect();
    out.sort();
    Ok(out)
}

/// Maps both backends' type names onto one vocabulary. SQLite's `INTEGER PRIMARY KEY` (a key of
/// one column; `primary_key` is false for a column of a composite key) is the 64-bit rowid, the
/// twin of PostgreSQL's `bigint` identity.
fn classify(data_type: &str, primary_key: bool) -> String {
    match data_type.to_ascii_lowercase().as_str() {
        "integer" if primary_key => "bigint",
        "bigint" => "bigint",
        "integer" | "int" => "integer",
        "text" => "text",
        "boolean" => "boolean",
        "timestamp" | "timestamp without time zone" => "timestamp",
        "date" => "date",
        "blob" | "bytea" => "binary",
        other => return other.to_owned(),
    }
    .to_owned()
}
