//! The operation log as rows, for the demo and the bench alike.

use super::{
    generator::dt,
    session::Tenant,
    table::{Dataset, OperationLog},
};

/// One operation-log entry by `operator` (a member's id and e-mail; `None`: an admin who has
/// left since, whose entries stay).
pub(crate) fn operation(
    rows: &mut Dataset,
    tenant: &Tenant,
    at: i64,
    operator: Option<(i64, &str)>,
    (category, action): (&'static str, &'static str),
    detail: String,
) {
    let (operator_id, operator_email) = match operator {
        Some((id, email)) => (Some(id), email.to_owned()),
        None => (None, format!("former.admin@{}", tenant.domain)),
    };
    let id = rows.operation_log.next_id();
    let source_id = tenant.ids.of("operation_log", id, at);
    rows.add(OperationLog {
        account_id: tenant.account_id,
        source_id,
        occurred_at: dt(at),
        operator_id,
        operator_email,
        category,
        action,
        detail,
    });
}
