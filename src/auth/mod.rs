//! Bearer token -> [`Viewer`]: who is asking, in which account, with which privileges.
//!
//! The token only names the user; role, privileges and plan are read from the database on every
//! request (one statement), so a role change or a plan downgrade takes effect at once.

mod cache;
mod token;

pub use cache::ViewerCache;
pub use token::{issue_token, load_or_create_secret, parse_ttl, verify_token, Claims, JwtKeys};

use chrono_tz::Tz;
use sea_orm::{FromQueryResult, Value};

use crate::db::Sql;
use reports::Error;

/// A report privilege. OWNER holds all three; ADMIN holds usage and billing reports (not user
/// activity, as in the portal); MEMBER holds none; a custom role adds the ones it grants.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Privilege {
    /// Usage reports of every user of the account (meetings, webinars, daily, hosts, ...).
    UsageReports,
    /// The User Activity tab: operation logs and sign-in/sign-out.
    UserActivityReports,
    /// Billing reports and money fields (also needs billing reports enabled on the account).
    BillingReports,
}

/// A built-in account role.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// The account owner: every report.
    Owner,
    /// An administrator: usage and billing reports of all users.
    Admin,
    /// A member: reports of the meetings and webinars they host, plus what a custom role grants.
    Member,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "OWNER" => Some(Role::Owner),
            "ADMIN" => Some(Role::Admin),
            "MEMBER" => Some(Role::Member),
            _ => None,
        }
    }

    fn privileges(self) -> &'static [Privilege] {
        match self {
            Role::Owner => &[
                Privilege::UsageReports,
                Privilege::UserActivityReports,
                Privilege::BillingReports,
            ],
            Role::Admin => &[Privilege::UsageReports, Privilege::BillingReports],
            Role::Member => &[],
        }
    }
}

/// An account's plan. Reports need any plan but BASIC.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    /// The free plan: no reports.
    Basic,
    /// Pro.
    Pro,
    /// Business.
    Business,
    /// Enterprise.
    Enterprise,
    /// Education.
    Education,
    /// API.
    Api,
}

impl Plan {
    pub fn parse(s: &str) -> Option<Plan> {
        Some(match s {
            "BASIC" => Plan::Basic,
            "PRO" => Plan::Pro,
            "BUSINESS" => Plan::Business,
            "ENTERPRISE" => Plan::Enterprise,
            "EDUCATION" => Plan::Education,
            "API" => Plan::Api,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Basic => "BASIC",
            Plan::Pro => "PRO",
            Plan::Business => "BUSINESS",
            Plan::Enterprise => "ENTERPRISE",
            Plan::Education => "EDUCATION",
            Plan::Api => "API",
        }
    }
}

/// The signed-in user of a request.
#[derive(Clone, Debug)]
pub struct Viewer {
    pub user_id: i64,
    pub account_id: i64,
    pub role: Role,
    pub custom_role: Option<String>,
    /// Sorted, without duplicates.
    pub privileges: Vec<Privilege>,
    pub plan: Plan,
    pub time_zone: Tz,
    pub billing_reports_enabled: bool,
}

impl Viewer {
    pub fn has(&self, privilege: Privilege) -> bool {
        self.privileges.contains(&privilege)
    }

    /// Reports need a paid plan (DESIGN §4): BASIC accounts get `PLAN_NOT_SUPPORTED`.
    pub fn require_reports_plan(&self) -> Result<(), Error> {
        if self.plan == Plan::Basic {
            return Err(Error::PlanNotSupported(self.plan.as_str().to_owned()));
        }
        Ok(())
    }

    /// Passes when the viewer holds at least one of `privileges`.
    pub fn require_any_of(&self, privileges: &[Privilege]) -> Result<(), Error> {
        if privileges.iter().any(|p| self.has(*p)) {
            return Ok(());
        }
        Err(Error::forbidden(format!(
            "this needs one of the privileges: {}",
            names(privileges)
        )))
    }

    /// Passes when the viewer holds every one of `privileges`.
    pub fn require_all_of(&self, privileges: &[Privilege]) -> Result<(), Error> {
        let missing: Vec<Privilege> = privileges
            .iter()
            .copied()
            .filter(|p| !self.has(*p))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(Error::forbidden(format!(
            "this needs the privileges: {}",
            names(&missing)
        )))
    }

    /// The host-or-privilege rule of personal data on a meeting: its host sees it, and so does a
    /// holder of `privilege`.
    pub fn require_host_or(&self, host_id: i64, privilege: Privilege) -> Result<(), Error> {
        if self.user_id == host_id || self.has(privilege) {
            return Ok(());
        }
        Err(Error::forbidden(format!(
            "only the meeting's host or a holder of {} sees this",
            names(&[privilege])
        )))
    }

    /// The row scope of usage, meeting and webinar reports: the whole account for holders of
    /// usage_reports, else only what the viewer hosts. `host_id` narrows it to one host; asking
    /// for another host than oneself needs usage_reports.
    pub fn host_scope(&self, host_id: Option<i64>) -> Result<Option<i64>, Error> {
        if self.has(Privilege::UsageReports) {
            return Ok(host_id);
        }
        match host_id {
            Some(h) if h != self.user_id => Err(Error::forbidden(
                "reports of another host need the usage_reports privilege",
            )),
            _ => Ok(Some(self.user_id)),
        }
    }
}

fn names(privileges: &[Privilege]) -> String {
    privileges
        .iter()
        .map(|p| match p {
            Privilege::UsageReports => "usage_reports",
            Privilege::UserActivityReports => "user_activity_reports",
            Privilege::BillingReports => "billing_reports",
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(FromQueryResult)]
struct ViewerRow {
    user_id: i64,
    account_id: i64,
    role: String,
    custom_role: Option<String>,
    cr_usage: Option<bool>,
    cr_activity: Option<bool>,
    cr_billing: Option<bool>,
    plan: String,
    time_zone: String,
    billing_reports_enabled: bool,
}

/// Reads the viewer named by verified token claims; `None` when the user no longer exists.
pub async fn load_viewer(sql: &Sql, claims: &Claims) -> Result<Option<Viewer>, Error> {
    let user_id: i64 = claims.sub.parse().map_err(|_| Error::Unauthenticated)?;
    let row: Option<ViewerRow> = sql
        .one(
            "SELECT u.id AS user_id, u.account_id, u.role, r.name AS custom_role, \
             r.usage_reports AS cr_usage, r.user_activity_reports AS cr_activity, \
             r.billing_reports AS cr_billing, a.plan, a.time_zone, a.billing_reports_enabled \
             FROM app_user u JOIN account a ON a.id = u.account_id \
             LEFT JOIN custom_role r ON r.id = u.custom_role_id AND r.account_id = u.account_id \
             WHERE u.id = ? AND u.account_id = ?",
            vec![Value::from(user_id), Value::from(claims.acc)],
        )
        .await?;
    let Some(row) = row else { return Ok(None) };
    let role = Role::parse(&row.role).ok_or_else(|| {
        tracing::error!(user_id = row.user_id, role = %row.role, "unknown role in database");
        Error::Internal
    })?;
    let plan = Plan::parse(&row.plan).ok_or_else(|| {
        tracing::error!(account_id = row.account_id, plan = %row.plan, "unknown plan in database");
        Error::Internal
    })?;
    let time_zone: Tz = row.time_zone.parse().map_err(|_| {
        tracing::error!(account_id = row.account_id, zone = %row.time_zone, "unknown time zone");
        Error::Internal
    })?;
    let mut privileges: Vec<Privilege> = role.privileges().to_vec();
    for (granted, p) in [
        (row.cr_usage, Privilege::UsageReports),
        (row.cr_activity, Privilege::UserActivityReports),
        (row.cr_billing, Privilege::BillingReports),
    ] {
        if granted == Some(true) {
            privileges.push(p);
        }
    }
    privileges.sort();
    privileges.dedup();
    Ok(Some(Viewer {
        user_id: row.user_id,
        account_id: row.account_id,
        role,
        custom_role: row.custom_role,
        privileges,
        plan,
        time_zone,
        billing_reports_enabled: row.billing_reports_enabled,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(role: Role, extra: &[Privilege]) -> Viewer {
        let mut privileges = role.privileges().to_vec();
        privileges.extend_from_slice(extra);
        privileges.sort();
        privileges.dedup();
        Viewer {
            user_id: 7,
            account_id: 1,
            role,
            custom_role: None,
            privileges,
            plan: Plan::Business,
            time_zone: chrono_tz::Europe::Paris,
            billing_reports_enabled: true,
        }
    }

    #[test]
    fn built_in_admin_lacks_user_activity_reports_but_owner_has_it() {
        assert!(viewer(Role::Admin, &[])
            .require_any_of(&[Privilege::UserActivityReports])
            .is_err());
        assert!(viewer(Role::Owner, &[])
            .require_any_of(&[Privilege::UserActivityReports])
            .is_ok());
        assert!(viewer(Role::Member, &[Privilege::UserActivityReports])
            .require_any_of(&[Privilege::UserActivityReports])
            .is_ok());
    }

    #[test]
    fn all_of_names_what_is_missing() {
        let err = viewer(Role::Member, &[Privilege::UsageReports])
            .require_all_of(&[Privilege::UsageReports, Privilege::BillingReports])
            .unwrap_err();
        assert_eq!(err.code(), "FORBIDDEN");
        assert!(err.message().contains("billing_reports"));
        assert!(!err.message().contains("usage_reports"));
    }

    #[test]
    fn host_or_privilege_gates_personal_data() {
        let member = viewer(Role::Member, &[]);
        assert!(member.require_host_or(7, Privilege::UsageReports).is_ok());
        assert!(member.require_host_or(8, Privilege::UsageReports).is_err());
        let analyst = viewer(Role::Member, &[Privilege::UsageReports]);
        assert!(analyst.require_host_or(8, Privilege::UsageReports).is_ok());
    }

    #[test]
    fn members_are_scoped_to_themselves() {
        let member = viewer(Role::Member, &[]);
        assert_eq!(member.host_scope(None), Ok(Some(7)));
        assert_eq!(member.host_scope(Some(7)), Ok(Some(7)));
        assert_eq!(member.host_scope(Some(8)).unwrap_err().code(), "FORBIDDEN");
        let admin = viewer(Role::Admin, &[]);
        assert_eq!(admin.host_scope(None), Ok(None));
        assert_eq!(admin.host_scope(Some(8)), Ok(Some(8)));
    }

    #[test]
    fn basic_plan_gets_plan_not_supported() {
        let mut v = viewer(Role::Owner, &[]);
        v.plan = Plan::Basic;
        assert_eq!(
            v.require_reports_plan().unwrap_err().code(),
            "PLAN_NOT_SUPPORTED"
        );
    }
}
