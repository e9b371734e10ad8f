//! Every table the portal's reports need, with the indexes the report queries use.
//!
//! Conventions: every table carries `account_id` (tenant scope goes into every `WHERE`), rows that
//! come from the platform keep their `source_id`, unique per account, so a re-ingested event is a
//! no-op (child rows the platform does not identify keep a NULL `source_id`); user emails are
//! unique across accounts, as a platform login is; times are UTC `timestamp with time zone`;
//! money is an exact integer count of millionths of the currency unit (`*_micros`), never a
//! float.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn col(name: &str) -> Alias {
    Alias::new(name)
}

/// A table with a big-integer surrogate key.
fn table(name: &str) -> TableCreateStatement {
    Table::create()
        .table(col(name))
        .if_not_exists()
        .col(big_pk_auto(col("id")))
        .take()
}

/// `account_id` with its foreign key; deleting an account deletes everything it owns.
fn account_scoped(name: &str) -> TableCreateStatement {
    let mut t = table(name);
    t.col(big_integer(col("account_id"))).foreign_key(&mut fk(
        name,
        "account_id",
        "account",
        ForeignKeyAction::Cascade,
    ));
    t
}

fn fk(
    from: &str,
    column: &str,
    to: &str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from}_{column}"))
        .from(col(from), col(column))
        .to(col(to), col("id"))
        .on_delete(on_delete)
        .take()
}

fn index(table: &str, name: &str, columns: &[&str], unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(format!("ix_{table}_{name}"))
        .table(col(table))
        .if_not_exists();
    for c in columns {
        i.col(col(c));
    }
    if unique {
        i.unique();
    }
    i.take()
}

fn tables() -> Vec<TableCreateStatement> {
    let mut out = Vec::new();

    // Server-wide settings, e.g. the generated JWT secret when JWT_SECRET is not set.
    out.push(
        Table::create()
            .table(col("server_setting"))
            .if_not_exists()
            .col(string(col("name")).primary_key())
            .col(text(col("value")))
            .take(),
    );

    let mut t = table("account");
    t.col(string(col("name")))
        .col(string_uniq(col("domain")))
        // BASIC | PRO | BUSINESS | ENTERPRISE | EDUCATION | API
        .col(string(col("plan")))
        // IANA zone: report days are cut in it.
        .col(string(col("time_zone")))
        .col(boolean(col("billing_reports_enabled")).default(false))
        .col(boolean(col("webinar_addon")).default(false))
        // NULL: the account has no phone-system plan.
        .col(string_null(col("phone_plan")))
        .col(big_integer(col("cloud_storage_allowance_bytes")).default(0))
        .col(timestamp_with_time_zone(col("created_at")));
    out.push(t);

    let mut t = account_scoped("department");
    t.col(string(col("name")));
    out.push(t);

    // Account-scoped custom roles; the built-in OWNER/ADMIN/MEMBER live in app_user.role.
    let mut t = account_scoped("custom_role");
    t.col(string(col("name")))
        .col(boolean(col("usage_reports")).default(false))
        .col(boolean(col("user_activity_reports")).default(false))
        .col(boolean(col("billing_reports")).default(false));
    out.push(t);

    let mut t = account_scoped("app_user");
    t.col(string_null(col("source_id")))
        .col(string_uniq(col("email")))
        .col(string(col("first_name")))
        .col(string(col("last_name")))
        // OWNER | ADMIN | MEMBER; custom_role_id adds privileges on top.
        .col(string(col("role")))
        .col(big_integer_null(col("custom_role_id")))
        .col(big_integer_null(col("department_id")))
        // BASIC | LICENSED
        .col(string(col("user_type")))
        .col(timestamp_with_time_zone(col("created_at")))
        .col(timestamp_with_time_zone_null(col("last_login_at")))
        .col(string_null(col("last_client_version")))
        .foreign_key(&mut fk(
            "app_user",
            "custom_role_id",
            "custom_role",
            ForeignKeyAction::SetNull,
        ))
        .foreign_key(&mut fk(
            "app_user",
            "department_id",
            "department",
            ForeignKeyAction::SetNull,
        ));
    out.push(t);

    let mut t = account_scoped("meeting");
    t.col(string(col("source_id")))
        .col(big_integer(col("host_id")))
        // MEETING | WEBINAR
        .col(string(col("kind")))
        .col(big_integer(col("meeting_number")))
        .col(string(col("topic")))
        // INSTANT | SCHEDULED | RECURRING_FIXED | RECURRING_NO_FIXED_TIME
        .col(string(col("meeting_type")))
        .col(timestamp_with_time_zone_null(col("scheduled_start")))
        .col(integer_null(col("planned_duration_minutes")))
        .col(boolean(col("registration_required")).default(false))
        .col(timestamp_with_time_zone(col("created_at")))
        .col(timestamp_with_time_zone_null(col("deleted_at")))
        .foreign_key(&mut fk(
            "meeting",
            "host_id",
            "app_user",
            ForeignKeyAction::Cascade,
        ));
    out.push(t);

    let mut t = account_scoped("meeting_session");
    t.col(string(col("source_id")))
        .col(big_integer(col("meeting_id")))
        .col(timestamp_with_time_zone(col("start_time")))
        .col(timestamp_with_time_zone_null(col("end_time")))
        .foreign_key(&mut fk(
            "meeting_session",
            "meeting_id",
            "meeting",
            ForeignKeyAction::Cascade,
        ));
    out.push(t);

    let mut t = account_scoped("registrant");
    t.col(string(col("source_id")))
        .col(big_integer(col("meeting_id")))
        .col(string(col("email")))
        .col(string(col("first_name")))
        .col(string(col("last_name")))
        // APPROVED | PENDING | DENIED
        .col(string(col("status")))
        .col(timestamp_with_time_zone(col("registered_at")))
        // JSON array of {"question": .., "answer": ..}
        .col(text(col("custom_answers")).default("[]"))
        .foreign_key(&mut fk(
            "registrant",
            "meeting_id",
            "meeting",
            ForeignKeyAction::Cascade,
        ));
    out.push(t);

    let mut t = account_scoped("participant");
    t.col(string(col("source_id")))
        .col(big_integer(col("session_id")))
        // Denormalised from the session: per-meeting pages and totals without a join.
        .col(big_integer(col("meeting_id")))
        .col(big_integer_null(col("user_id")))
        .col(big_integer_null(col("registrant_id")))
        .col(string(col("name")))
        .col(string_null(col("email")))
        .col(timestamp_with_time_zone(col("join_time")))
        .col(timestamp_with_time_zone(col("leave_time")))
        .col(big_integer(col("duration_seconds")))
        // COMPUTER | PHONE | ROOM
        .col(string(col("join_method")))
        // HOST | PANELIST | ATTENDEE
        .col(string(col("role")))
        .col(string_null(col("device")))
        .col(string_null(col("ip_address")))
        .col(string_null(col("location")))
        .foreign_key(&mut fk(
            "participant",
            "session_id",
            "meeting_session",
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk(
            "participant",
            "meeting_id",
            "meeting",
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk(
            "participant",
            "user_id",
            "app_user",
            ForeignKeyAction::SetNull,
        ))
        .foreign_key(&mut fk(
            "participant",
            "registrant_id",
            "registrant",
            ForeignKeyAction::SetNull,
        ));
    out.push(t);

    let mut t = account_scoped("poll");
    t.col(string(col("source_id")))
        .col(big_integer(col("meeting_id")))
        .col(string(col("title")))
        .col(boolean(col("anonymous")).default(false))
        .col(timestamp_with_time_zone_null(col("launched_at")))
        .foreign_key(&mut fk(
            "poll",
            "meeting_id",
            "meeting",
            ForeignKeyAction::Cascade,
        ));
    out.push(t);

    let mut t = account_scoped("poll_question");
    // The platform's id when it has one: NULL for rows it does not identify.
    t.col(string_null(col("source_id")));
    t.col(big_integer(col("poll_id")))
        .col(integer(col("position")))
        .col(string(col("text")))
        // SINGLE_CHOICE | MULTIPLE_CHOICE | SHORT_ANSWER
        .col(string(col("question_type")))
        .foreign_key(&mut fk(
            "poll_question",
            "poll_id",
            "poll",
            ForeignKeyAction::Cascade,
        ));
    out.push(t);

    let mut t = account_scoped("poll_response");
    // The platform's id when it has one: NULL for rows it does not identify.
    t.col(string_null(col("source_id")));
    t.col(big_integer(col("question_id")))
        .col(big_integer_null(col("participant_id")))
        .col(string(col("respondent_name")))
        .col(string_null(col("respondent_email")))
        .col(text(col("answer")))
        .col(timestamp_with_time_zone(col("answered_at")))
        .foreign_key(&mut fk(
            "poll_response",
            "question_id",
            "poll_question",
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk(
            "poll_response",
            "participant_id",
            "participant",
            ForeignKeyAction::SetNull,
        ));
    out.push(t);

    let mut t = account_scoped("qa_question");
    t.col(string(col("source_id")))
        .col(big_integer(col("meeting_id")))
        .col(string(col("asker_name")))
        .col(string_null(col("asker_email")))
        .col(boolean(col("anonymous")).default(false))
        .col(text(col("question")))
        .col(timestamp_with_time_zone(col("asked_at")))
        // OPEN | ANSWERED | DISMISSED
        .col(string(col("status")))
        .foreign_key(&mut fk(
            "qa_question",
            "meeting_id",
            "meeting",
            ForeignKeyAction::Cascade,
        ));
    out.push(t);

    let mut t = account_scoped("qa_answer");
    // The platform's id when it has one: NULL for rows it does not identify.
    t.col(string_null(col("source_id")));
    t.col(big_integer(col("question_id")))
        .col(string(col("answerer_name")))
        .col(text(col("content")))
        .col(timestamp_with_time_zone(col("answered_at")))
        // TEXT | LIVE
        .col(string(col("kind")))
        .foreign_key(&mut fk(
            "qa_answer",
            "question_id",
            "qa_question",
            ForeignKeyAction::Cascade,
        ));
    out.push(t);

    let mut t = account_scoped("telephone_call");
    t.col(string(col("source_id")))
        .col(big_integer(col("session_id")))
        .col(big_integer(col("meeting_id")))
        .col(big_integer_null(col("participant_id")))
        // TOLL_FREE | TOLL | CALL_OUT | SIP
        .col(string(col("call_type")))
        .col(string(col("caller_number")))
        .col(string(col("called_number")))
        .col(string(col("country")))
        .col(timestamp_with_time_zone(col("start_time")))
        .col(timestamp_with_time_zone(col("end_time")))
        .col(big_integer(col("duration_seconds")))
        .col(big_integer(col("rate_per_minute_micros")))
        .col(big_integer(col("total_cost_micros")))
        .col(string(col("currency")))
        .foreign_key(&mut fk(
            "telephone_call",
            "session_id",
            "meeting_session",
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk(
            "telephone_call",
            "meeting_id",
            "meeting",
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk(
            "telephone_call",
            "participant_id",
            "participant",
            ForeignKeyAction::SetNull,
        ));
    out.push(t);

    let mut t = account_scoped("recording");
    t.col(string(col("source_id")))
        .col(big_integer(col("meeting_id")))
        .col(big_integer(col("session_id")))
        .col(timestamp_with_time_zone(col("start_time")))
        .col(timestamp_with_time_zone(col("end_time")))
        .col(big_integer(col("total_size_bytes")))
        .foreign_key(&mut fk(
            "recording",
            "meeting_id",
            "meeting",
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk(
            "recording",
            "session_id",
            "meeting_session",
            ForeignKeyAction::Cascade,
        ));
    out.push(t);

    let mut t = account_scoped("recording_file");
    // The platform's id when it has one: NULL for rows it does not identify.
    t.col(string_null(col("source_id")));
    t.col(big_integer(col("recording_id")))
        // MP4 | M4A | TRANSCRIPT | CHAT | TIMELINE | CC
        .col(string(col("file_type")))
        .col(big_integer(col("size_bytes")))
        .col(timestamp_with_time_zone(col("recording_start")))
        .col(timestamp_with_time_zone(col("recording_end")))
        .foreign_key(&mut fk(
            "recording_file",
            "recording_id",
            "recording",
            ForeignKeyAction::Cascade,
        ));
    out.push(t);

    // Cloud storage in use at the end of each day (account zone), as the platform reports it.
    let mut t = account_scoped("storage_usage_daily");
    t.col(date(col("day"))).col(big_integer(col("usage_bytes")));
    out.push(t);

    let mut t = account_scoped("phone_call");
    t.col(string(col("source_id")))
        .col(big_integer_null(col("user_id")))
        // INBOUND | OUTBOUND
        .col(string(col("direction")))
        .col(string(col("caller_number")))
        .col(string_null(col("caller_name")))
        .col(string(col("callee_number")))
        .col(string_null(col("callee_name")))
        .col(timestamp_with_time_zone(col("start_time")))
        .col(big_integer(col("duration_seconds")))
        // ANSWERED | MISSED | VOICEMAIL | REJECTED | BUSY
        .col(string(col("result")))
        .col(big_integer(col("charge_micros")))
        .col(string(col("currency")))
        .foreign_key(&mut fk(
            "phone_call",
            "user_id",
            "app_user",
            ForeignKeyAction::SetNull,
        ));
    out.push(t);

    let mut t = account_scoped("remote_support_session");
    t.col(string(col("source_id")))
        .col(big_integer(col("meeting_id")))
        .col(big_integer_null(col("supporter_id")))
        .col(string(col("supportee_name")))
        .col(string_null(col("supportee_email")))
        .col(timestamp_with_time_zone(col("requested_at")))
        .col(timestamp_with_time_zone(col("started_at")))
        .col(timestamp_with_time_zone(col("ended_at")))
        .foreign_key(&mut fk(
            "remote_support_session",
            "meeting_id",
            "meeting",
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk(
            "remote_support_session",
            "supporter_id",
            "app_user",
            ForeignKeyAction::SetNull,
        ));
    out.push(t);

    let mut t = account_scoped("billing_invoice");
    t.col(string(col("source_id")))
        .col(string(col("invoice_number")))
        .col(date(col("period_start")))
        .col(date(col("period_end")))
        .col(timestamp_with_time_zone(col("issued_at")))
        .col(string(col("currency")))
        .col(big_integer(col("amount_micros")))
        .col(big_integer(col("tax_micros")));
    out.push(t);

    let mut t = account_scoped("billing_line");
    // The platform's id when it has one: NULL for rows it does not identify.
    t.col(string_null(col("source_id")));
    t.col(big_integer(col("invoice_id")))
        .col(big_integer_null(col("department_id")))
        .col(string(col("description")))
        .col(integer(col("licenses")))
        .col(big_integer(col("amount_micros")))
        .col(big_integer(col("tax_micros")))
        .foreign_key(&mut fk(
            "billing_line",
            "invoice_id",
            "billing_invoice",
            ForeignKeyAction::Cascade,
        ))
        .foreign_key(&mut fk(
            "billing_line",
            "department_id",
            "department",
            ForeignKeyAction::SetNull,
        ));
    out.push(t);

    let mut t = account_scoped("operation_log");
    t.col(string(col("source_id")))
        .col(timestamp_with_time_zone(col("occurred_at")))
        .col(big_integer_null(col("operator_id")))
        .col(string(col("operator_email")))
        // USER | USER_SETTINGS | ACCOUNT | BILLING | RECORDING | ROLE | WEBINAR | MEETING | ...
        .col(string(col("category")))
        .col(string(col("action")))
        .col(text(col("detail")))
        .foreign_key(&mut fk(
            "operation_log",
            "operator_id",
            "app_user",
            ForeignKeyAction::SetNull,
        ));
    out.push(t);

    let mut t = account_scoped("sign_in_event");
    t.col(string(col("source_id")))
        .col(big_integer(col("user_id")))
        .col(timestamp_with_time_zone(col("occurred_at")))
        // SIGN_IN | SIGN_OUT
        .col(string(col("event_type")))
        .col(string(col("ip_address")))
        .col(string(col("client_type")))
        .col(string(col("version")))
        .foreign_key(&mut fk(
            "sign_in_event",
            "user_id",
            "app_user",
            ForeignKeyAction::Cascade,
        ));
    out.push(t);

    out
}

fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        index("department", "account_name", &["account_id", "name"], true),
        index("custom_role", "account_name", &["account_id", "name"], true),
        index(
            "app_user",
            "account_created",
            &["account_id", "created_at"],
            false,
        ),
        index(
            "app_user",
            "account_source",
            &["account_id", "source_id"],
            true,
        ),
        index(
            "meeting",
            "account_source",
            &["account_id", "source_id"],
            true,
        ),
        index(
            "meeting",
            "account_host",
            &["account_id", "host_id", "kind"],
            false,
        ),
        index(
            "meeting",
            "account_scheduled",
            &["account_id", "scheduled_start"],
            false,
        ),
        index(
            "meeting_session",
            "account_source",
            &["account_id", "source_id"],
            true,
        ),
        index(
            "meeting_session",
            "account_start",
            &["account_id", "start_time", "meeting_id"],
            false,
        ),
        index(
            "meeting_session",
            "meeting_start",
            &["meeting_id", "start_time"],
            false,
        ),
        index(
            "registrant",
            "account_source",
            &["account_id", "source_id"],
            true,
        ),
        index(
            "registrant",
            "meeting_registered",
            &["meeting_id", "registered_at"],
            false,
        ),
        index(
            "registrant",
            "meeting_email",
            &["meeting_id", "email"],
            false,
        ),
        index(
            "participant",
            "account_source",
            &["account_id", "source_id"],
            true,
        ),
        index(
            "participant",
            "meeting_join",
            &["meeting_id", "join_time"],
            false,
        ),
        index(
            "participant",
            "session_join",
            &["session_id", "join_time"],
            false,
        ),
        index(
            "participant",
            "account_join",
            &["account_id", "join_time"],
            false,
        ),
        index("participant", "registrant", &["registrant_id"], false),
        index("poll", "account_source", &["account_id", "source_id"], true),
        index("poll", "meeting", &["meeting_id"], false),
        index(
            "poll_question",
            "poll_position",
            &["poll_id", "position"],
            false,
        ),
        index(
            "poll_response",
            "question_answered",
            &["question_id", "answered_at"],
            false,
        ),
        index(
            "qa_question",
            "account_source",
            &["account_id", "source_id"],
            true,
        ),
        index(
            "qa_question",
            "meeting_asked",
            &["meeting_id", "asked_at"],
            false,
        ),
        index(
            "qa_answer",
            "question_answered",
            &["question_id", "answered_at"],
            false,
        ),
        index(
            "telephone_call",
            "account_source",
            &["account_id", "source_id"],
            true,
        ),
        index(
            "telephone_call",
            "account_start",
            &["account_id", "start_time"],
            false,
        ),
        index("telephone_call", "session", &["session_id"], false),
        index(
            "recording",
            "account_source",
            &["account_id", "source_id"],
            true,
        ),
        index(
            "recording",
            "account_start",
            &["account_id", "start_time"],
            false,
        ),
        index("recording", "meeting", &["meeting_id"], false),
        index("recording_file", "recording", &["recording_id"], false),
        index(
            "storage_usage_daily",
            "account_day",
            &["account_id", "day"],
            true,
        ),
        index(
            "phone_call",
            "account_source",
            &["account_id", "source_id"],
            true,
        ),
        index(
            "phone_call",
            "account_start",
            &["account_id", "start_time"],
            false,
        ),
        index(
            "remote_support_session",
            "account_source",
            &["account_id", "source_id"],
            true,
        ),
        index(
            "remote_support_session",
            "account_requested",
            &["account_id", "requested_at"],
            false,
        ),
        index(
            "billing_invoice",
            "account_source",
            &["account_id", "source_id"],
            true,
        ),
        index(
            "billing_invoice",
            "account_period",
            &["account_id", "period_start"],
            false,
        ),
        index("billing_line", "invoice", &["invoice_id"], false),
        index(
            "operation_log",
            "account_source",
            &["account_id", "source_id"],
            true,
        ),
        index(
            "operation_log",
            "account_time",
            &["account_id", "occurred_at", "id"],
            false,
        ),
        index(
            "sign_in_event",
            "account_source",
            &["account_id", "source_id"],
            true,
        ),
        index(
            "sign_in_event",
            "account_time",
            &["account_id", "occurred_at", "id"],
            false,
        ),
        index(
            "sign_in_event",
            "user_time",
            &["user_id", "occurred_at"],
            false,
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in tables() {
            manager.create_table(t).await?;
        }
        for i in indexes() {
            manager.create_index(i).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in tables().into_iter().rev() {
            let name = t
                .get_table_name()
                .cloned()
                .ok_or_else(|| DbErr::Migration("table without a name".into()))?;
            manager
                .drop_table(Table::drop().table(name).if_exists().take())
                .await?;
        }
        Ok(())
    }
}
