//! sea-orm entities of meeting-reports, one module per table of the
//! `m20261128_000001_create_reports_schema` migration. No GraphQL or serde derives: the API
//! wraps these in its own output types, so a new column cannot leak into it.
//!
//! Every table but `server_setting` carries `account_id` (the tenant scope); money is an exact
//! count of millionths of the currency unit (`*_micros`); times are UTC.
//!
//! No entity declares relations: the foreign keys are the migrations', and the reports join in
//! their SQL (`reports/`), so `Relation` enums are empty and no `Related` impl is kept.

pub mod account;
pub mod app_user;
pub mod billing_invoice;
pub mod billing_line;
pub mod custom_role;
pub mod department;
pub mod ingest_event;
pub mod meeting;
pub mod meeting_session;
pub mod operation_log;
pub mod participant;
pub mod phone_call;
pub mod poll;
pub mod poll_question;
pub mod poll_response;
pub mod qa_answer;
pub mod qa_question;
pub mod recording;
pub mod recording_file;
pub mod registrant;
pub mod remote_support_session;
pub mod server_setting;
pub mod sign_in_event;
pub mod storage_usage_daily;
pub mod telephone_call;

/// Each table's `Entity`, under its CamelCase name.
pub mod prelude {
    pub use super::account::Entity as Account;
    pub use super::app_user::Entity as AppUser;
    pub use super::billing_invoice::Entity as BillingInvoice;
    pub use super::billing_line::Entity as BillingLine;
    pub use super::custom_role::Entity as CustomRole;
    pub use super::department::Entity as Department;
    pub use super::ingest_event::Entity as IngestEvent;
    pub use super::meeting::Entity as Meeting;
    pub use super::meeting_session::Entity as MeetingSession;
    pub use super::operation_log::Entity as OperationLog;
    pub use super::participant::Entity as Participant;
    pub use super::phone_call::Entity as PhoneCall;
    pub use super::poll::Entity as Poll;
    pub use super::poll_question::Entity as PollQuestion;
    pub use super::poll_response::Entity as PollResponse;
    pub use super::qa_answer::Entity as QaAnswer;
    pub use super::qa_question::Entity as QaQuestion;
    pub use super::recording::Entity as Recording;
    pub use super::recording_file::Entity as RecordingFile;
    pub use super::registrant::Entity as Registrant;
    pub use super::remote_support_session::Entity as RemoteSupportSession;
    pub use super::server_setting::Entity as ServerSetting;
    pub use super::sign_in_event::Entity as SignInEvent;
    pub use super::storage_usage_daily::Entity as StorageUsageDaily;
    pub use super::telephone_call::Entity as TelephoneCall;
}
