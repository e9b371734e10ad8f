//! `meeting-reports export --as EMAIL --query FILE [--var name=value]... --format csv|ndjson
//! [-o FILE]`: a report written to a file by the same [`Export`] as `POST /export`, run as the
//! user named (their token's viewer: same role, same account, same guards).

use std::{
    io::{Read, Write},
    path::{Path, PathBuf},
};

use async_graphql::{Name, Request, Value, Variables};
use chrono::Utc;
use sea_orm::{DatabaseConnection, FromQueryResult};

use crate::{
    auth::{load_viewer, Claims, Viewer},
    config::{ExportArgs, ReportSettings},
    db::Sql,
    export::{Export, Format},
};

pub async fn run(
    db: &DatabaseConnection,
    settings: &ReportSettings,
    args: &ExportArgs,
) -> Result<(), String> {
    let started = std::time::Instant::now();
    let format = Format::parse(&args.format)
        .ok_or_else(|| format!("--format is csv or ndjson, not {}", args.format))?;
    let query = read_query(&args.query)?;
    let mut variables = Variables::default();
    for var in &args.vars {
        let (name, value) = parse_var(var)?;
        variables.insert(name, value);
    }
    let viewer = viewer(db, &args.as_user).await?;
    let mut request = Request::new(query).variables(variables);
    if let Some(name) = &args.operation_name {
        request = request.operation_name(name);
    }
    let schema = crate::build_schema(settings.clone());
    let mut export = Export::start(&schema, db, viewer, request, format)
        .await
        .map_err(|e| format!("the export was refused:\n{}", e.messages()))?;
    match &args.output {
        Some(path) => {
            // Written beside the file and renamed once complete: a failed export leaves no
            // file that looks whole.
            let partial = partial_path(Path::new(path));
            let file = std::fs::File::create(&partial)
                .map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
            let written = write_all(&mut export, std::io::BufWriter::new(file)).await;
            if let Err(e) = written {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
            std::fs::rename(&partial, path).map_err(|e| format!("cannot write {path}: {e}"))?;
        }
        None => {
            write_all(
                &mut export,
                std::io::BufWriter::new(std::io::stdout().lock()),
            )
            .await?
        }
    }
    eprintln!(
        "export: {} {} rows in {:.1} s",
        export.rows(),
        format.as_str(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn write_all(export: &mut Export, mut out: impl Write) -> Result<(), String> {
    loop {
        match export.next_chunk().await {
            Ok(Some(bytes)) => out
                .write_all(&bytes)
                .map_err(|e| format!("cannot write the export: {e}"))?,
            Ok(None) => break,
            Err(e) => {
                return Err(format!(
                    "the export failed after {} rows:\n{}",
                    export.rows(),
                    e.messages()
                ))
            }
        }
    }
    out.flush()
        .map_err(|e| format!("cannot write the export: {e}"))
}

fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

fn read_query(path: &str) -> Result<String, String> {
    let mut query = String::new();
    if path == "-" {
        std::io::stdin()
            .read_to_string(&mut query)
            .map_err(|e| format!("cannot read the query from standard input: {e}"))?;
    } else {
        query = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    }
    Ok(query)
}

/// `name=value`: the value as JSON when it reads as JSON, else the text itself.
fn parse_var(var: &str) -> Result<(Name, Value), String> {
    let (name, value) = var
        .split_once('=')
        .filter(|(name, _)| !name.trim().is_empty())
        .ok_or_else(|| format!("--var takes name=value, not `{var}`"))?;
    let value = match serde_json::from_str::<serde_json::Value>(value) {
        Ok(json) => Value::from_json(json).map_err(|e| format!("--var {name}: {e}"))?,
        Err(_) => Value::String(value.to_owned()),
    };
    Ok((Name::new(name.trim().trim_start_matches('$')), value))
}

/// The viewer a token of the user with this email would have.
async fn viewer(db: &DatabaseConnection, email: &str) -> Result<Viewer, String> {
    #[derive(FromQueryResult)]
    struct U {
        id: i64,
        account_id: i64,
    }
    let sql = Sql::new(db.clone());
    let user: Option<U> = sql
        .one(
            "SELECT id, account_id FROM app_user WHERE LOWER(email) = LOWER(?)",
            vec![sea_orm::Value::from(email)],
        )
        .await
        .map_err(|e| format!("cannot read the user: {e}"))?;
    let user = user.ok_or_else(|| format!("no user with email {email}"))?;
    let now = Utc::now().timestamp();
    let claims = Claims {
        sub: user.id.to_string(),
        acc: user.account_id,
        email: email.to_owned(),
        iat: now,
        exp: now,
    };
    load_viewer(&sql, &claims)
        .await
        .map_err(|e| e.message())?
        .ok_or_else(|| format!("no user with email {email}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_read_as_json_or_text() {
        assert_eq!(
            parse_var("first=50").unwrap(),
            (Name::new("first"), Value::from(50))
        );
        assert_eq!(
            parse_var("from=2026-11-01").unwrap(),
            (Name::new("from"), Value::from("2026-11-01"))
        );
        assert_eq!(
            parse_var("$hostId=\"12\"").unwrap(),
            (Name::new("hostId"), Value::from("12"))
        );
        assert!(parse_var("novalue").is_err());
        assert!(parse_var("=1").is_err());
    }
}
