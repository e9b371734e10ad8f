//! The root query: one `MergedObject` part per domain.

mod account_usage;
mod activity;
mod billing;
mod cloud_recording;
mod meetings;
mod phone_system;
mod remote_support;
mod telephone;
mod upcoming;
mod usage;
mod users;
mod viewer;

use async_graphql::MergedObject;

/// Every report of the portal, as one graph.
#[derive(MergedObject, Default)]
pub struct Query(
    viewer::ViewerQuery,
    meetings::MeetingQuery,
    users::UserQuery,
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
