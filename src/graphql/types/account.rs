//! The viewer's account.

use async_graphql::{Enum, Object, ID};

pub struct Account(pub entity::account::Model);

/// An account's plan. Reports need any plan but BASIC.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::auth::Plan")]
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

/// An account (a tenant): its plan decides which reports exist, its zone cuts report days.
#[Object]
impl Account {
    /// The account's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The account's name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The account's email domain.
    async fn domain(&self) -> &str {
        &self.0.domain
    }

    /// The plan. BASIC accounts get no reports.
    async fn plan(&self) -> Option<Plan> {
        crate::auth::Plan::parse(&self.0.plan).map(Plan::from)
    }

    /// The IANA time zone report days are cut in, e.g. `Europe/Paris`.
    async fn time_zone(&self) -> &str {
        &self.0.time_zone
    }

    /// Whether support has enabled billing reports for the account.
    async fn billing_reports_enabled(&self) -> bool {
        self.0.billing_reports_enabled
    }

    /// Whether the account has the webinar add-on.
    async fn webinar_addon(&self) -> bool {
        self.0.webinar_addon
    }
}
