//! Both migration trees give the same schema, and down-then-up works on both.

use std::collections::BTreeSet;
use std::path::Path;

use repatrack::db::introspect::{self, Column};
use repatrack::db::migrate;

use crate::helpers::*;

fn migration_names(backend: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.path().is_dir())
        .map(|entry| {
            let path = entry.path();
            assert!(
                path.join("up.sql").is_file(),
                "{} has no up.sql",
                path.display()
            );
            assert!(
                path.join("down.sql").is_file(),
                "{} has no down.sql",
                path.display()
            );
            entry.file_name().to_string_lossy().into_owned()
        })
        .collect()
}

#[test]
fn both_migration_trees_have_the_same_names() {
    let sqlite = migration_names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, migration_names("postgres"));
}

both_databases! {
    async fn down_then_up_gives_back_the_same_schema(app) {
        let mut conn = app.conn();
        let before = introspect::columns(&mut conn).unwrap();
        assert!(before.iter().any(|c| c.table == "border_posts" && c.column == "code"));
        let reverted = migrate::revert_all(&mut conn).unwrap();
        assert_eq!(reverted.len(), migration_names("sqlite").len());
        assert_eq!(introspect::columns(&mut conn).unwrap(), Vec::<Column>::new());
        let applied = migrate::run_pending(&mut conn).unwrap();
        assert_eq!(applied.len(), reverted.len());
        assert_eq!(introspect::columns(&mut conn).unwrap(), before);
    }
}

#[tokio::test]
async fn sqlite_and_postgres_have_the_same_tables_columns_types_and_nullability() {
    let Some(pg) = TestApp::spawn_postgres().await else {
        return;
    };
    let sqlite = TestApp::spawn(Backend::Sqlite).await;
    let on_sqlite = introspect::columns(&mut sqlite.conn()).unwrap();
    let on_postgres = introspect::columns(&mut pg.conn()).unwrap();
    assert!(!on_sqlite.is_empty());
    for (a, b) in on_sqlite.iter().zip(on_postgres.iter()) {
        assert_eq!(
            a, b,
            "first difference between the SQLite and PostgreSQL schemas"
        );
    }
    assert_eq!(on_sqlite.len(), on_postgres.len());
}
