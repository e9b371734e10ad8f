//! `meeting-reports account add | set | list`.

use chrono::Utc;
use sea_orm::DatabaseConnection;

use crate::{
    config::AccountCommand,
    ingest::accounts::{
        add_account, list_accounts, set_account, AccountChanges, AccountSummary, NewAccount,
    },
};

pub async fn run(db: &DatabaseConnection, command: AccountCommand) -> Result<(), String> {
    let refused = |e: reports::Error| e.message();
    match command {
        AccountCommand::Add(args) => {
            let new = NewAccount {
                platform_id: args.platform_id,
                name: args.name,
                plan: args.plan,
                time_zone: args.time_zone,
                owner_email: args.owner_email,
                owner_name: args
                    .owner_name
                    .and_then(|n| Some((n.first()?.clone(), n.get(1)?.clone()))),
                billing_reports: args.billing_reports,
                webinar_addon: args.webinar_addon,
            };
            let account = add_account(db, &new, Utc::now()).await.map_err(refused)?;
            println!("created account {} ({})", account.name, describe(&account));
            println!(
                "its owner: {} (`meeting-reports token {}` prints a token)",
                new.owner_email.trim().to_lowercase(),
                new.owner_email.trim().to_lowercase()
            );
        }
        AccountCommand::Set(args) => {
            let changes = AccountChanges {
                name: args.name,
                plan: args.plan,
                time_zone: args.time_zone,
                billing_reports: args.billing_reports,
                webinar_addon: args.webinar_addon,
                phone_plan: args
                    .phone_plan
                    .map(|p| (!p.trim().eq_ignore_ascii_case("none")).then_some(p)),
                cloud_storage_allowance_bytes: args.cloud_storage_bytes,
            };
            let account = set_account(db, &args.platform_id, &changes)
                .await
                .map_err(refused)?;
            println!("updated account {} ({})", account.name, describe(&account));
        }
        AccountCommand::List => {
            let accounts = list_accounts(db).await.map_err(refused)?;
            println!(
                "{:<24} {:>5}  {:<28} {:<12} {:<22} {:<8} {:<8} {:>6}",
                "PLATFORM ID", "ID", "NAME", "PLAN", "TIME ZONE", "BILLING", "WEBINARS", "USERS"
            );
            for a in &accounts {
                println!(
                    "{:<24} {:>5}  {:<28} {:<12} {:<22} {:<8} {:<8} {:>6}",
                    a.platform_id.as_deref().unwrap_or("-"),
                    a.id,
                    a.name,
                    a.plan,
                    a.time_zone,
                    yes_no(a.billing_reports),
                    yes_no(a.webinar_addon),
                    a.users
                );
            }
        }
    }
    Ok(())
}

fn describe(a: &AccountSummary) -> String {
    format!(
        "platform id {}, {}, {}, billing reports {}, webinar add-on {}",
        a.platform_id.as_deref().unwrap_or("-"),
        a.plan,
        a.time_zone,
        yes_no(a.billing_reports),
        yes_no(a.webinar_addon)
    )
}

fn yes_no(on: bool) -> &'static str {
    if on {
        "yes"
    } else {
        "no"
    }
}
