//! The demo data set (`seed demo`): the same rows for the same `(now, seed)`, on SQLite and on
//! PostgreSQL alike.

use chrono::{DateTime, NaiveDate, Utc};
use meeting_reports::seed::seed_demo;
use sea_orm::{ConnectionTrait, DatabaseConnection, QueryResult, Statement};
use sha2::{Digest, Sha256};

use crate::common::{now, TestApp};

/// The SHA-256 of every row of the demo data as of the tests' `now` with seed 42. A change to
/// the generator that changes any demo row changes it: then the tests that read the demo data
/// say whether the change is wanted, and this value is recorded anew.
const DEMO_ROWS: &str = "f957884aedcc84d519dbea45aed0af11767c1f52941dbbe7b00ba589f9bde1b1";

/// One cell as text that does not depend on the database: integers and booleans as numbers,
/// times in RFC 3339, text as it is.
fn cell(row: &QueryResult, i: usize) -> String {
    fn show<T: ToString>(v: Option<T>) -> String {
        v.map_or_else(|| "NULL".to_owned(), |v| v.to_string())
    }
    if let Ok(v) = row.try_get_by_index::<Option<i64>>(i) {
        return show(v);
    }
    if let Ok(v) = row.try_get_by_index::<Option<i32>>(i) {
        return show(v);
    }
    if let Ok(v) = row.try_get_by_index::<Option<bool>>(i) {
        return show(v.map(i64::from));
    }
    if let Ok(v) = row.try_get_by_index::<Option<DateTime<Utc>>>(i) {
        return show(v.map(|t| t.to_rfc3339()));
    }
    if let Ok(v) = row.try_get_by_index::<Option<NaiveDate>>(i) {
        return show(v);
    }
    match row.try_get_by_index::<Option<String>>(i) {
        Ok(v) => show(v),
        Err(e) => panic!("column {i}: {e}"),
    }
}

/// The SHA-256 of every row of `tables`, in id order, and the rows per table.
async fn fingerprint(db: &DatabaseConnection, tables: &[&str]) -> (String, Vec<usize>) {
    let mut hash = Sha256::new();
    let mut counts = Vec::new();
    for table in tables {
        let sql = format!("SELECT * FROM \"{table}\" ORDER BY id");
        let rows = db
            .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .expect("rows");
        hash.update(table.as_bytes());
        for row in &rows {
            for i in 0..row.column_names().len() {
                hash.update(b"\x1f");
                hash.update(cell(row, i).as_bytes());
            }
            hash.update(b"\x1e");
        }
        counts.push(rows.len());
    }
    (hex::encode(hash.finalize()), counts)
}

#[tokio::test]
async fn demo_rows_are_the_recorded_ones() {
    let app = TestApp::new().await;
    let summary = seed_demo(&app.db, now(), 42)
        .await
        .expect("demo data loads");
    let tables: Vec<&str> = summary.rows_per_table.iter().map(|(t, _)| *t).collect();
    let (hash, counts) = fingerprint(&app.db, &tables).await;
    let stored: Vec<usize> = summary
        .rows_per_table
        .iter()
        .map(|(_, n)| *n as usize)
        .collect();
    assert_eq!(counts, stored, "rows stored per table");
    assert_eq!(hash, DEMO_ROWS, "the demo's rows changed");
}
