//! Who is asking.

use async_graphql::{Context, Object, Result, SimpleObject};

use crate::{
    auth::{Privilege, Role},
    graphql::{context::request, error::ApiError, loaders::UserId, types::account::Account},
};

pub struct ViewerInfo;

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
            role: rc.viewer.role,
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
        Ok(request(ctx)?.viewer.privileges.clone())
    }

    /// Whether the account's plan includes reports (every plan but BASIC).
    async fn reports_enabled(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(request(ctx)?.viewer.require_reports_plan().is_ok())
    }
}
