//! Declarative field guards. The name says the rule: `AnyOf` passes with at least one of its
//! privileges, `AllOf` needs every one; `ReportsPlan` refuses BASIC accounts. Guards check;
//! row rules (a member's own meetings) go into the SQL instead.

use async_graphql::{Context, Guard, Result};

use crate::{auth::Privilege, graphql::context::request};

/// The account's plan includes reports.
pub struct ReportsPlan;

impl Guard for ReportsPlan {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        Ok(request(ctx)?.viewer.require_reports_plan()?)
    }
}

/// The viewer holds at least one of these privileges (plan rule included).
pub struct AnyOf(pub &'static [Privilege]);

impl Guard for AnyOf {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        let viewer = &request(ctx)?.viewer;
        viewer.require_reports_plan()?;
        Ok(viewer.require_any_of(self.0)?)
    }
}

/// The viewer holds every one of these privileges (plan rule included).
pub struct AllOf(pub &'static [Privilege]);

impl Guard for AllOf {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        let viewer = &request(ctx)?.viewer;
        viewer.require_reports_plan()?;
        Ok(viewer.require_all_of(self.0)?)
    }
}
