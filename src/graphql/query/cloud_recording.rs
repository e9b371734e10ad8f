//! `cloudRecordingUsage`: the Cloud Recording report.

use async_graphql::{Context, Object, Result};

use crate::{
    auth::Privilege,
    graphql::{
        context::{report_range, report_request},
        guards::AnyOf,
        scalars::Date,
        types::cloud_recording::CloudRecordingReport,
    },
};
use reports::cloud_recording::storage_allowance;

#[derive(Default)]
pub struct CloudRecordingQuery;

#[Object]
impl CloudRecordingQuery {
    /// The Cloud Recording report: cloud storage in use on each day of the range against the
    /// plan's allowance (bytes, as `BigInt`), and the recordings that started in the range
    /// with their meeting and files (type, size). Needs usage_reports.
    #[graphql(guard = "AnyOf(&[Privilege::UsageReports])")]
    async fn cloud_recording_usage(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day of the range (inclusive).")] from: Date,
        #[graphql(desc = "Last day of the range (inclusive), at most one month after `from`.")]
        to: Date,
    ) -> Result<CloudRecordingReport> {
        let rc = report_request(ctx)?;
        let range = report_range(ctx, &rc.viewer, from, to)?;
        let account_id = rc.viewer.account_id;
        Ok(CloudRecordingReport {
            account_id,
            range,
            allowance_bytes: storage_allowance(&rc.sql, account_id).await?,
        })
    }
}
