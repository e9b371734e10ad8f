//! The root query: one `MergedObject` part per domain.

mod account_usage;
mod activity;
mod billing;
mod cloud_recording;
mod meeting;
mod phone_system;
mod remote_support;
mod telephone;
mod upcoming;
mod usage;
mod user;
mod viewer;

use async_graphql::MergedObject;

/// Every report of the portal, as one graph.
#[derive(MergedObject, Default)]
pub struct Query(
    viewer::ViewerQuery,
    meeting::MeetingQuery,
    user::UserQuery,
    usage::UsageQuery,
    activity::ActivityQuery,
    account_usage::AccountUsageQuery,
    upcoming::UpcomingQuery,
    remote_support::RemoteSupportQuery,
    billing::BillingQuery,
    telephone::TelephoneQuery,
    cloud_recording::CloudRecordingQuery,
    phone_system::PhoneSystemQuery,
);
