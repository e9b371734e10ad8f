//! Accounts without a seed: `meeting-reports account add | set | list`.
//!
//! An account is created with its owner, so `meeting-reports token OWNER_EMAIL` works at once.
//! The platform's account id (`platform_id`) is what its webhook events name the account by.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use entity::{account, app_user};
use reports::Error;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};

use crate::auth::Plan;

/// What `account add` is given.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub platform_id: String,
    pub name: String,
    pub plan: Plan,
    pub time_zone: Tz,
    pub owner_email: String,
    /// First and last name of the owner; from the email's local part when not given
    /// (`jane.doe@` -> Jane Doe).
    pub owner_name: Option<(String, String)>,
    pub billing_reports: bool,
    pub webinar_addon: bool,
}

/// What `account set` changes; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct AccountChanges {
    pub name: Option<String>,
    pub plan: Option<Plan>,
    pub time_zone: Option<Tz>,
    pub billing_reports: Option<bool>,
    pub webinar_addon: Option<bool>,
    /// The phone system plan; `Some(None)`: none (the Phone System report is then empty).
    pub phone_plan: Option<Option<String>>,
    /// The plan's cloud recording storage, in bytes (the Cloud Recording report's allowance).
    pub cloud_storage_allowance_bytes: Option<i64>,
}

/// An account as `account list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSummary {
    pub id: i64,
    pub platform_id: Option<String>,
    pub name: String,
    pub domain: String,
    pub plan: String,
    pub time_zone: String,
    pub billing_reports: bool,
    pub webinar_addon: bool,
    pub users: u64,
}

/// Creates the account and its owner in one transaction. The account's domain is the owner's
/// email domain. A platform id, domain or email already taken is refused, naming which.
pub async fn add_account(
    db: &DatabaseConnection,
    new: &NewAccount,
    now: DateTime<Utc>,
) -> Result<AccountSummary, Error> {
    let platform_id = non_empty(&new.platform_id, "the platform id")?;
    let name = non_empty(&new.name, "the account name")?;
    let email = new.owner_email.trim().to_lowercase();
    let (local, domain) = email
        .split_once('@')
        .filter(|(l, d)| !l.is_empty() && d.contains('.') && !d.contains('@'))
        .ok_or_else(|| {
            Error::bad_input(format!("`{}` is not an email address", new.owner_email))
        })?;
    let tx = db.begin().await?;
    if find_by_platform_id(&tx, platform_id).await?.is_some() {
        return Err(Error::bad_input(format!(
            "an account with platform id {platform_id} exists already: use `account set`"
        )));
    }
    if account::Entity::find()
        .filter(account::Column::Domain.eq(domain))
        .one(&tx)
        .await?
        .is_some()
    {
        return Err(Error::bad_input(format!(
            "an account with the domain {domain} exists already"
        )));
    }
    if app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.as_str()))
        .one(&tx)
        .await?
        .is_some()
    {
        return Err(Error::bad_input(format!(
            "a user with the email {email} exists already"
        )));
    }
    let created = account::ActiveModel {
        name: Set(name.to_owned()),
        domain: Set(domain.to_owned()),
        plan: Set(new.plan.as_str().to_owned()),
        time_zone: Set(new.time_zone.name().to_owned()),
        billing_reports_enabled: Set(new.billing_reports),
        webinar_addon: Set(new.webinar_addon),
        phone_plan: Set(None),
        cloud_storage_allowance_bytes: Set(0),
        created_at: Set(now),
        platform_id: Set(Some(platform_id.to_owned())),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let (first_name, last_name) = new
        .owner_name
        .clone()
        .unwrap_or_else(|| names_from_local_part(local));
    app_user::ActiveModel {
        account_id: Set(created.id),
        source_id: Set(None),
        email: Set(email.clone()),
        first_name: Set(first_name),
        last_name: Set(last_name),
        role: Set("OWNER".to_owned()),
        custom_role_id: Set(None),
        department_id: Set(None),
        user_type: Set("LICENSED".to_owned()),
        created_at: Set(now),
        last_login_at: Set(None),
        last_client_version: Set(None),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let summary = summary(&tx, created).await?;
    tx.commit().await?;
    Ok(summary)
}

/// Changes the settings of the account with this platform id.
pub async fn set_account(
    db: &DatabaseConnection,
    platform_id: &str,
    changes: &AccountChanges,
) -> Result<AccountSummary, Error> {
    let found = find_by_platform_id(db, platform_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("no account with platform id {platform_id}")))?;
    let mut active: account::ActiveModel = found.into();
    if let Some(name) = &changes.name {
        active.name = Set(non_empty(name, "the account name")?.to_owned());
    }
    if let Some(plan) = changes.plan {
        active.plan = Set(plan.as_str().to_owned());
    }
    if let Some(zone) = changes.time_zone {
        active.time_zone = Set(zone.name().to_owned());
    }
    if let Some(on) = changes.billing_reports {
        active.billing_reports_enabled = Set(on);
    }
    if let Some(on) = changes.webinar_addon {
        active.webinar_addon = Set(on);
    }
    if let Some(plan) = &changes.phone_plan {
        let plan = plan.as_deref().map(str::trim).filter(|p| !p.is_empty());
        active.phone_plan = Set(plan.map(str::to_owned));
    }
    if let Some(bytes) = changes.cloud_storage_allowance_bytes {
        if bytes < 0 {
            return Err(Error::bad_input(
                "the cloud storage allowance may not be negative",
            ));
        }
        active.cloud_storage_allowance_bytes = Set(bytes);
    }
    let updated = active.update(db).await?;
    summary(db, updated).await
}

/// Every account, by id.
pub async fn list_accounts(db: &DatabaseConnection) -> Result<Vec<AccountSummary>, Error> {
    let mut out = Vec::new();
    for found in account::Entity::find()
        .order_by_asc(account::Column::Id)
        .all(db)
        .await?
    {
        out.push(summary(db, found).await?);
    }
    Ok(out)
}

async fn find_by_platform_id(
    db: &impl ConnectionTrait,
    platform_id: &str,
) -> Result<Option<account::Model>, Error> {
    Ok(account::Entity::find()
        .filter(account::Column::PlatformId.eq(platform_id))
        .one(db)
        .await?)
}

async fn summary(
    db: &impl ConnectionTrait,
    model: account::Model,
) -> Result<AccountSummary, Error> {
    let users = app_user::Entity::find()
        .filter(app_user::Column::AccountId.eq(model.id))
        .count(db)
        .await?;
    Ok(AccountSummary {
        id: model.id,
        platform_id: model.platform_id,
        name: model.name,
        domain: model.domain,
        plan: model.plan,
        time_zone: model.time_zone,
        billing_reports: model.billing_reports_enabled,
        webinar_addon: model.webinar_addon,
        users,
    })
}

fn non_empty<'a>(value: &'a str, what: &str) -> Result<&'a str, Error> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::bad_input(format!("{what} may not be empty")));
    }
    Ok(value)
}

/// `jane.doe` -> ("Jane", "Doe"); `jdoe` -> ("Jdoe", "").
fn names_from_local_part(local: &str) -> (String, String) {
    let capitalised = |s: &str| {
        let mut chars = s.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    };
    match local.split_once(['.', '_', '-']) {
        Some((first, last)) => (capitalised(first), capitalised(last)),
        None => (capitalised(local), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_names_come_from_the_email_when_not_given() {
        assert_eq!(
            names_from_local_part("jane.doe"),
            ("Jane".to_owned(), "Doe".to_owned())
        );
        assert_eq!(
            names_from_local_part("jdoe"),
            ("Jdoe".to_owned(), String::new())
        );
    }
}
