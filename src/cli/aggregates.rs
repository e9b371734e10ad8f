//! `meeting-reports aggregates rebuild | verify [--account DOMAIN|PLATFORM_ID]`.

use entity::account;
use reports::aggregates::{rebuild, verify};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter};

use crate::config::AggregatesCommand;

pub async fn run(db: &DatabaseConnection, command: AggregatesCommand) -> Result<(), String> {
    let failed = |e: sea_orm::DbErr| format!("the database refused it: {e}");
    match command {
        AggregatesCommand::Rebuild(args) => {
            let account = find(db, args.account.as_deref()).await?;
            let done = rebuild(db, account).await.map_err(failed)?;
            println!(
                "rebuilt: {} session(s), {} usage bucket(s), {} attendee(s), {} registrant(s), \
                 {} webinar(s)",
                done.sessions, done.buckets, done.attendees, done.registrants, done.webinars
            );
            Ok(())
        }
        AggregatesCommand::Verify(args) => {
            let account = find(db, args.account.as_deref()).await?;
            let found = verify(db, account).await.map_err(failed)?;
            if found.is_empty() {
                println!("aggregates verified: no difference");
                return Ok(());
            }
            Err(format!(
                "the aggregates differ from the raw rows: {} session row(s), {} usage bucket(s), \
                 {} attendee row(s), {} registrant row(s), {} webinar row(s), {} change(s) never \
                 settled; sessions {:?}; run `meeting-reports aggregates rebuild`",
                found.sessions,
                found.buckets,
                found.attendees,
                found.registrants,
                found.webinars,
                found.unsettled,
                found.examples
            ))
        }
    }
}

/// The account's row id, by domain or platform id; `None` for every account.
async fn find(db: &DatabaseConnection, key: Option<&str>) -> Result<Option<i64>, String> {
    let Some(key) = key else {
        return Ok(None);
    };
    account::Entity::find()
        .filter(
            Condition::any()
                .add(account::Column::Domain.eq(key))
                .add(account::Column::PlatformId.eq(key)),
        )
        .one(db)
        .await
        .map_err(|e| format!("cannot read the accounts: {e}"))?
        .map(|a| Some(a.id))
        .ok_or_else(|| format!("no account has the domain or platform id `{key}`"))
}
