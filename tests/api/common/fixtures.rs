//! Fixture builders: small, readable worlds for hand-computed expectations.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};
use entity::*;
use sea_orm::{ActiveModelTrait, DatabaseConnection, NotSet, Set};

/// Source ids and meeting numbers unique across every fixture of the test binary.
static NEXT_SOURCE: AtomicI64 = AtomicI64::new(1);

pub struct Fixture<'a> {
    pub db: &'a DatabaseConnection,
}

impl<'a> Fixture<'a> {
    pub fn new(db: &'a DatabaseConnection) -> Self {
        Self { db }
    }

    fn next(&self) -> i64 {
        NEXT_SOURCE.fetch_add(1, Ordering::Relaxed)
    }

    fn source(&self, prefix: &str) -> String {
        format!("{prefix}-{}", self.next())
    }

    pub async fn account(&self, name: &str, domain: &str, plan: &str) -> i64 {
        account::ActiveModel {
            id: NotSet,
            name: Set(name.into()),
            domain: Set(domain.into()),
            plan: Set(plan.into()),
            time_zone: Set("Europe/Paris".into()),
            billing_reports_enabled: Set(true),
            webinar_addon: Set(true),
            phone_plan: Set(None),
            cloud_storage_allowance_bytes: Set(1 << 40),
            created_at: Set(t("2025-01-01T00:00:00Z")),
            platform_id: Set(Some(self.source("acct"))),
        }
        .insert(self.db)
        .await
        .expect("account inserts")
        .id
    }

    pub async fn custom_role(
        &self,
        account_id: i64,
        name: &str,
        usage: bool,
        activity: bool,
        billing: bool,
    ) -> i64 {
        custom_role::ActiveModel {
            id: NotSet,
            account_id: Set(account_id),
            name: Set(name.into()),
            usage_reports: Set(usage),
            user_activity_reports: Set(activity),
            billing_reports: Set(billing),
        }
        .insert(self.db)
        .await
        .expect("role inserts")
        .id
    }

    pub async fn user(&self, account_id: i64, email: &str, role: &str) -> i64 {
        self.user_with_role(account_id, email, role, None).await
    }

    pub async fn user_with_role(
        &self,
        account_id: i64,
        email: &str,
        role: &str,
        custom_role_id: Option<i64>,
    ) -> i64 {
        let (first, last) = email.split_once('@').unwrap_or((email, ""));
        app_user::ActiveModel {
            id: NotSet,
            account_id: Set(account_id),
            source_id: Set(Some(self.source("u"))),
            email: Set(email.into()),
            first_name: Set(first.into()),
            last_name: Set(last.into()),
            role: Set(role.into()),
            custom_role_id: Set(custom_role_id),
            department_id: Set(None),
            user_type: Set("LICENSED".into()),
            created_at: Set(t("2025-01-01T00:00:00Z")),
            last_login_at: Set(None),
            last_client_version: Set(None),
            deactivated_at: Set(None),
        }
        .insert(self.db)
        .await
        .expect("user inserts")
        .id
    }

    pub async fn meeting(&self, account_id: i64, host_id: i64, kind: &str, topic: &str) -> i64 {
        let id = meeting::ActiveModel {
            id: NotSet,
            account_id: Set(account_id),
            source_id: Set(self.source("m")),
            host_id: Set(host_id),
            kind: Set(kind.into()),
            meeting_number: Set(80_000_000_000 + self.next()),
            topic: Set(topic.into()),
            meeting_type: Set("SCHEDULED".into()),
            scheduled_start: Set(None),
            planned_duration_minutes: Set(Some(60)),
            registration_required: Set(false),
            created_at: Set(t("2025-01-01T00:00:00Z")),
            deleted_at: Set(None),
        }
        .insert(self.db)
        .await
        .expect("meeting inserts")
        .id;
        settle(self.db).await;
        id
    }

    /// A session of `minutes` starting at `start`.
    pub async fn session(
        &self,
        account_id: i64,
        meeting_id: i64,
        start: &str,
        minutes: i64,
    ) -> i64 {
        let start = t(start);
        let id = meeting_session::ActiveModel {
            id: NotSet,
            account_id: Set(account_id),
            source_id: Set(self.source("s")),
            meeting_id: Set(meeting_id),
            start_time: Set(start),
            end_time: Set(Some(start + Duration::minutes(minutes))),
        }
        .insert(self.db)
        .await
        .expect("session inserts")
        .id;
        settle(self.db).await;
        id
    }

    /// A join row from `join` to `leave`.
    #[allow(clippy::too_many_arguments)]
    pub async fn join(
        &self,
        account_id: i64,
        meeting_id: i64,
        session_id: i64,
        user_id: Option<i64>,
        name: &str,
        email: Option<&str>,
        join: &str,
        leave: &str,
    ) -> i64 {
        let (join, leave) = (t(join), t(leave));
        let id = participant::ActiveModel {
            id: NotSet,
            account_id: Set(account_id),
            source_id: Set(self.source("p")),
            session_id: Set(session_id),
            meeting_id: Set(meeting_id),
            user_id: Set(user_id),
            registrant_id: Set(None),
            name: Set(name.into()),
            email: Set(email.map(Into::into)),
            join_time: Set(join),
            leave_time: Set(Some(leave)),
            duration_seconds: Set(Some((leave - join).num_seconds())),
            join_method: Set("COMPUTER".into()),
            role: Set("ATTENDEE".into()),
            device: Set(Some("Mac".into())),
            ip_address: Set(Some("192.0.2.10".into())),
            location: Set(Some("Paris, FR".into())),
            platform_user_id: Set(None),
            platform_registrant_id: Set(None),
        }
        .insert(self.db)
        .await
        .expect("participant inserts")
        .id;
        settle(self.db).await;
        id
    }
}

pub fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap_or_else(|_| panic!("bad time {s}"))
}

/// Runs raw SQL statements (fixture inserts with explicit ids). Times are written the way the
/// drivers bind them (`2026-11-03T10:00:00+00:00`), so SQLite compares them like bound values.
pub async fn exec(db: &DatabaseConnection, statements: &[String]) {
    use sea_orm::ConnectionTrait;
    for s in statements {
        db.execute_unprepared(s)
            .await
            .unwrap_or_else(|e| panic!("{e}: {s}"));
    }
    settle(db).await;
}

/// What every write path of the server does before it commits: recompute the aggregates of
/// the sessions a fixture's rows changed (`reports::aggregates::settle`).
pub async fn settle(db: &DatabaseConnection) {
    reports::aggregates::settle(db)
        .await
        .expect("the aggregates settle");
}
