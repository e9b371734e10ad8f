//! Who is asking.

use async_graphql::{Context, Enum, Object, Result, SimpleObject};

use crate::graphql::{context::request, error::ApiError, loaders::UserId, types::account::Account};

pub struct ViewerInfo;

/// A report privilege. OWNER holds all three; ADMIN holds usage and billing reports (not user
/// activity, as in the portal); MEMBER holds none; a custom role adds the ones it grants.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::auth::Privilege")]
pub enum Privilege {
    /// Usage reports of every user of the account (meetings, webinars, daily, hosts, ...).
    UsageReports,
    /// The User Activity tab: operation logs and sign-in/sign-out.
    UserActivityReports,
    /// Billing reports and money fields (also needs billing reports enabled on the account).
    BillingReports,
}

/// A built-in account role.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::auth::Role")]
pub enum Role {
    /// The account owner: every report.
    Owner,
    /// An administrator: usage and billing reports of all users.
    Admin,
    /// A member: reports of the meetings and webinars they host, plus what a custom role grants.
    Member,
}

/// The viewer as a user, with their role.
#[derive(SimpleObject)]
pub struct ViewerUser {
    /// The user's id.
    pub id: async_graphql::ID,
    /// The user's email address.
    pub email: String,
    /// First and last name.
    pub name: String,
    /// The built-in role.
    pub role: Role,
    /// The name of the account's custom role the user holds, if any.
    pub custom_role: Option<String>,
}

/// The signed-in user, their role and what they may see.
#[Object]
impl ViewerInfo {
    /// The signed-in user.
    async fn user(&self, ctx: &Context<'_>) -> Result<ViewerUser> {
        let rc = request(ctx)?;
        let user = rc
            .loader
            .load_one(UserId(rc.viewer.user_id))
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        Ok(ViewerUser {
            id: async_graphql::ID(user.id.to_string()),
            email: user.email.clone(),
            name: format!("{} {}", user.first_name, user.last_name),
            role: rc.viewer.role.into(),
            custom_role: rc.viewer.custom_role.clone(),
        })
    }

    /// The user's account.
    async fn account(&self, ctx: &Context<'_>) -> Result<Account> {
        let rc = request(ctx)?;
        let account: Option<entity::account::Model> = rc
            .sql
            .one(
                "SELECT * FROM account WHERE id = ?",
                vec![rc.viewer.account_id.into()],
            )
            .await
            .map_err(ApiError::from)?;
        Ok(Account(account.ok_or(ApiError::Unauthenticated)?))
    }

    /// The report privileges the user holds (from the built-in role and any custom role).
    async fn privileges(&self, ctx: &Context<'_>) -> Result<Vec<Privilege>> {
        let privileges = &request(ctx)?.viewer.privileges;
        Ok(privileges.iter().map(|&p| p.into()).collect())
    }

    /// Whether the account's plan includes reports (every plan but BASIC).
    async fn reports_enabled(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(request(ctx)?.viewer.require_reports_plan().is_ok())
    }
}
