//! Users (`user.*`) and their sign-ins (`user.signed_in|signed_out`).

use chrono::{DateTime, Utc};
use entity::{app_user, sign_in_event};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use serde_json::Value;

use super::participants::link_user;
use super::{
    ms_to_time, stored_events, text_field, time_field, Applied, Ctx, Refusal, USER_EVENTS,
};
use crate::ingest::webhooks::{as_i64, Envelope};

/// A user as the user.* events describe them; `None`: no event said.
#[derive(Debug, Default)]
struct UserState {
    email: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    user_type: Option<&'static str>,
    /// `Some(None)`: (re)created after any deactivation.
    deactivated_at: Option<Option<DateTime<Utc>>>,
    created_at: Option<DateTime<Utc>>,
    /// A `user.created` said when: it wins over the time a row was first made here.
    created_said: bool,
}

/// The platform's user `type`: 1 basic, 2 licensed, 3 on-premises (licensed); the rest basic.
fn user_type(object: &Value) -> Option<&'static str> {
    object.get("type").and_then(as_i64).map(|t| match t {
        2 | 3 => "LICENSED",
        _ => "BASIC",
    })
}

fn fold_user(events: &[Envelope]) -> UserState {
    let mut state = UserState::default();
    for envelope in events {
        let object = envelope.object();
        let at = ms_to_time(envelope.event_ts);
        if let Some(email) = text_field(object, "email") {
            state.email = Some(email.to_lowercase());
        }
        if let Some(first) = object.get("first_name").and_then(Value::as_str) {
            state.first_name = Some(first.to_owned());
        }
        if let Some(last) = object.get("last_name").and_then(Value::as_str) {
            state.last_name = Some(last.to_owned());
        }
        if let Some(t) = user_type(object) {
            state.user_type = Some(t);
        }
        match envelope.event.as_str() {
            "user.created" => {
                state.created_at.get_or_insert(at);
                state.created_said = true;
                state.deactivated_at = Some(None);
            }
            "user.deactivated" | "user.deleted" => state.deactivated_at = Some(Some(at)),
            _ => {}
        }
    }
    if state.created_at.is_none() {
        state.created_at = events.first().map(|e| ms_to_time(e.event_ts));
    }
    state
}

/// Derives the user `source_id` from its stored user.* events and writes it; creates the user
/// when absent. `email_hint` (e.g. a sign-in's email) is used only to create a user no user.*
/// event has described. Returns the row id.
pub(super) async fn refresh_user(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    source_id: &str,
    email_hint: Option<String>,
) -> Applied<i64> {
    let names: Vec<String> = USER_EVENTS.iter().map(|e| (*e).to_owned()).collect();
    let state = fold_user(&stored_events(db, ctx, source_id, &names).await?);
    let account_id = ctx.account.id;
    let mut existing = app_user::Entity::find()
        .filter(app_user::Column::AccountId.eq(account_id))
        .filter(app_user::Column::SourceId.eq(source_id))
        .one(db)
        .await?;
    // A user made here before the platform named them (the owner from `account add`) is the
    // same person as the platform user with that email in that account: adopt the row.
    if existing.is_none() {
        if let Some(email) = state.email.as_ref().or(email_hint.as_ref()) {
            existing = app_user::Entity::find()
                .filter(app_user::Column::AccountId.eq(account_id))
                .filter(app_user::Column::Email.eq(email.to_lowercase()))
                .filter(app_user::Column::SourceId.is_null())
                .one(db)
                .await?;
        }
    }
    if let Some(email) = &state.email {
        let taken = app_user::Entity::find()
            .filter(app_user::Column::Email.eq(email.as_str()))
            .one(db)
            .await?;
        if let Some(other) = taken.filter(|u| Some(u.id) != existing.as_ref().map(|e| e.id)) {
            return Err(Refusal(if other.account_id == account_id {
                format!(
                    "the email {email} belongs to another user of the account (id {})",
                    other.id
                )
            } else {
                format!("the email {email} belongs to a user of another account")
            }));
        }
    }
    match existing {
        Some(found) => {
            let newly_named = found.source_id.is_none();
            let mut active: app_user::ActiveModel = found.into();
            active.source_id = Set(Some(source_id.to_owned()));
            if let Some(email) = state.email {
                active.email = Set(email);
            }
            if let Some(first) = state.first_name {
                active.first_name = Set(first);
            }
            if let Some(last) = state.last_name {
                active.last_name = Set(last);
            }
            if let Some(t) = state.user_type {
                active.user_type = Set(t.to_owned());
            }
            if let Some(deactivated) = state.deactivated_at {
                active.deactivated_at = Set(deactivated);
            }
            // A row made before its user.created (a placeholder host, an adopted owner) takes
            // the platform's creation time once it is said, else the earliest known.
            match state.created_at {
                Some(created) if state.created_said => active.created_at = Set(created),
                Some(created) if created < *active.created_at.as_ref() => {
                    active.created_at = Set(created)
                }
                _ => {}
            }
            let id = active.update(db).await?.id;
            if newly_named {
                link_user(db, account_id, source_id, id).await?;
            }
            Ok(id)
        }
        None => {
            let email = match state.email {
                Some(email) => email,
                None => match email_hint.map(|e| e.to_lowercase()) {
                    Some(hint) if !email_taken(db, &hint).await? => hint,
                    _ => placeholder_email(account_id, source_id),
                },
            };
            let created = app_user::ActiveModel {
                account_id: Set(account_id),
                source_id: Set(Some(source_id.to_owned())),
                email: Set(email),
                first_name: Set(state.first_name.unwrap_or_default()),
                last_name: Set(state.last_name.unwrap_or_default()),
                role: Set("MEMBER".to_owned()),
                custom_role_id: Set(None),
                department_id: Set(None),
                user_type: Set(state.user_type.unwrap_or("BASIC").to_owned()),
                created_at: Set(state.created_at.unwrap_or(ctx.at)),
                last_login_at: Set(None),
                last_client_version: Set(None),
                deactivated_at: Set(state.deactivated_at.flatten()),
                ..Default::default()
            }
            .insert(db)
            .await?;
            link_user(db, account_id, source_id, created.id).await?;
            Ok(created.id)
        }
    }
}

async fn email_taken(db: &impl ConnectionTrait, email: &str) -> Applied<bool> {
    Ok(app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email))
        .one(db)
        .await?
        .is_some())
}

/// A placeholder user (a host or a signed-in user no user.* event has described yet) needs an
/// email, which is NOT NULL and unique: this one is unique per account and platform id, in the
/// reserved `.invalid` domain, and is replaced by the real one when the user's user.created or
/// user.updated arrives (the row is found again by its platform id).
fn placeholder_email(account_id: i64, source_id: &str) -> String {
    format!(
        "user-{account_id}-{}@placeholder.invalid",
        hex::encode(source_id.as_bytes())
    )
}

// ---- sign-ins -------------------------------------------------------------------------------

pub(super) async fn sign_in(
    db: &impl ConnectionTrait,
    ctx: &Ctx<'_>,
    envelope: &Envelope,
) -> Applied {
    let object = envelope.object();
    let user_source = text_field(object, "id")
        .ok_or_else(|| Refusal(format!("`{}` without payload.object.id", envelope.event)))?;
    let user_id = refresh_user(db, ctx, &user_source, text_field(object, "email")).await?;
    // The event's own identity: a retried delivery is the same sign-in. `sign_in_id`, when
    // present, is the sign-in's id in the instance it was exported from (`export-events`).
    let source_id = text_field(object, "sign_in_id").unwrap_or_else(|| envelope.identity());
    let exists = sign_in_event::Entity::find()
        .filter(sign_in_event::Column::AccountId.eq(ctx.account.id))
        .filter(sign_in_event::Column::SourceId.eq(source_id.as_str()))
        .one(db)
        .await?
        .is_some();
    if exists {
        return Ok(());
    }
    let occurred_at = time_field(object, "date_time").unwrap_or(ctx.at);
    let signing_in = envelope.event == "user.signed_in";
    let version = text_field(object, "version").unwrap_or_default();
    sign_in_event::ActiveModel {
        account_id: Set(ctx.account.id),
        source_id: Set(source_id),
        user_id: Set(user_id),
        occurred_at: Set(occurred_at),
        event_type: Set(if signing_in { "SIGN_IN" } else { "SIGN_OUT" }.to_owned()),
        // The platform's sign-in events carry no IP address: stored empty, unless the event
        // has one (its sign-in report does; `export-events` writes it).
        ip_address: Set(text_field(object, "ip_address").unwrap_or_default()),
        client_type: Set(text_field(object, "client_type").unwrap_or_default()),
        version: Set(version.clone()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if signing_in {
        // The latest sign-in wins whatever order they arrive in.
        if let Some(user) = app_user::Entity::find_by_id(user_id).one(db).await? {
            if user.last_login_at.is_none_or(|last| last < occurred_at) {
                let mut active: app_user::ActiveModel = user.into();
                active.last_login_at = Set(Some(occurred_at));
                if !version.is_empty() {
                    active.last_client_version = Set(Some(version));
                }
                active.update(db).await?;
            }
        }
    }
    Ok(())
}
