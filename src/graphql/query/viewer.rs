//! `viewer`: who am I.

use async_graphql::{Context, Object, Result};

use crate::graphql::{context::request, types::viewer::ViewerInfo};

#[derive(Default)]
pub struct ViewerQuery;

#[Object]
impl ViewerQuery {
    /// The signed-in user: role, privileges, account with plan and time zone. Any signed-in
    /// user, on any plan.
    async fn viewer(&self, ctx: &Context<'_>) -> Result<ViewerInfo> {
        request(ctx)?;
        Ok(ViewerInfo)
    }
}
