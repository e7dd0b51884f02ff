//! `POST /mock/tokens`: mint access, ID and refresh tokens for a user or a client, good or
//! deliberately bad, without going through a grant.

use super::error::{ControlError, ControlResult};
use super::json::{self, Body};
use super::mint::{self, MintPlan, MintedToken};
use super::realms::MAX_LIFETIME;
use crate::domain::scope::{EMAIL, OFFLINE_ACCESS, OPENID, PROFILE, Scopes};
use crate::events::{Event, EventKind};
use crate::fixtures::DEFAULT_REALM;
use crate::state::AppState;
use crate::store::{self, realms::Realm};
use crate::tokens::issue::TokenSubject;
use crate::tokens::variant::Variant;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// The `azp` of user tokens minted without a `client_id`.
pub const DEFAULT_MINT_CLIENT: &str = "ion-mock";

/// What to mint: the body of `POST /mock/tokens`, also used by `ion-mock token` and
/// `MockServer::mint`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MintRequest {
    /// Default: the client's realm, else `api-keys`.
    pub realm: Option<String>,
    /// The user's email.
    pub user: Option<String>,
    pub client_id: Option<String>,
    /// Space-delimited.
    pub scope: Option<String>,
    pub audience: Option<String>,
    /// Negative: already expired.
    pub lifetime_seconds: Option<i64>,
    pub claims: Option<Map<String, Value>>,
    pub variant: Option<Variant>,
    #[serde(default)]
    pub include: Vec<Include>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Include {
    IdToken,
    RefreshToken,
}

/// Whom the tokens are for, and the defaults that follow from it.
struct Target {
    realm: Realm,
    client_id: String,
    subject: TokenSubject,
    lifetime: i64,
    default_scope: Scopes,
}

pub async fn mint(state: web::Data<AppState>, body: Body) -> ControlResult<HttpResponse> {
    let req: MintRequest = json::parse(&body)?;
    Ok(HttpResponse::Ok().json(mint_tokens(&state, &req).await?))
}

/// Mints the tokens asked for and records them in the event log; the answer is the
/// `/mock/tokens` JSON (`access_token`, `token_type`, `expires_in`, `scope`, `jti`, `sid`,
/// and `id_token`/`refresh_token` when included).
pub async fn mint_tokens(state: &AppState, req: &MintRequest) -> ControlResult<Value> {
    let target = target(state, req).await?;
    let scope = match &req.scope {
        Some(raw) => Scopes::parse(raw).map_err(|e| ControlError::BadRequest(e.to_string()))?,
        None => target.default_scope.clone(),
    };
    let lifetime = req.lifetime_seconds.unwrap_or(target.lifetime);
    // unsigned_abs: i64::MIN has no positive twin, and `abs` would overflow on it.
    if lifetime.unsigned_abs() > MAX_LIFETIME.unsigned_abs() {
        return Err(ControlError::BadRequest(format!(
            "lifetime_seconds must be within {MAX_LIFETIME} seconds either way"
        )));
    }
    let client_id = target.client_id.as_str();
    let refresh_lifetime = req
        .lifetime_seconds
        .unwrap_or(target.realm.refresh_token_lifetime);
    let minted = mint::mint(
        state,
        &MintPlan {
            realm: &target.realm,
            client_id,
            subject: &target.subject,
            scope: &scope,
            lifetime,
            refresh_lifetime,
            audience: req.audience.as_deref(),
            claims: &req.claims.clone().unwrap_or_default(),
            variant: req.variant,
            id_token: req.include.contains(&Include::IdToken),
            refresh_token: req.include.contains(&Include::RefreshToken),
        },
    )
    .await?;
    let reason = match req.variant {
        Some(v) => format!("minted by /mock/tokens ({})", variant_name(v)),
        None => "minted by /mock/tokens".to_owned(),
    };
    let tokens = [
        Some(&minted.access),
        minted.id.as_ref(),
        minted.refresh.as_ref(),
    ];
    for token in tokens.into_iter().flatten() {
        record(state, &target, token, &reason);
    }
    let mut answer = json!({
        "access_token": minted.access.token,
        "token_type": "Bearer",
        "expires_in": lifetime,
        "scope": scope.to_string(),
        "jti": minted.access.jti,
        "sid": minted.sid,
    });
    if let Some(id) = minted.id {
        answer["id_token"] = json!(id.token);
    }
    if let Some(refresh) = minted.refresh {
        answer["refresh_token"] = json!(refresh.token);
        answer["refresh_expires_in"] = json!(refresh_lifetime);
    }
    Ok(answer)
}

async fn target(state: &AppState, req: &MintRequest) -> ControlResult<Target> {
    let client = match &req.client_id {
        Some(id) => Some(
            store::clients::by_client_id(&state.db, id)
                .await?
                .ok_or_else(|| ControlError::NotFound(format!("No client '{id}'")))?,
        ),
        None => None,
    };
    let realm_name = match (&req.realm, &client) {
        (Some(realm), Some(c)) if *realm != c.realm => {
            return Err(ControlError::BadRequest(format!(
                "Client '{}' belongs to realm '{}', not '{realm}'",
                c.client_id, c.realm
            )));
        }
        (Some(realm), _) => realm.clone(),
        (None, Some(c)) => c.realm.clone(),
        (None, None) => DEFAULT_REALM.to_owned(),
    };
    let realm = store::realms::by_name(&state.db, &realm_name)
        .await?
        .ok_or_else(|| ControlError::NotFound(format!("No realm '{realm_name}'")))?;
    let user = match (&req.user, &client) {
        (Some(email), _) => store::users::by_email(&state.db, email)
            .await?
            .ok_or_else(|| ControlError::NotFound(format!("No user '{email}'")))?,
        (None, Some(c)) => match c.user_id {
            Some(id) => store::users::by_id(&state.db, id).await?,
            None => None,
        }
        .ok_or_else(|| {
            ControlError::BadRequest(format!(
                "Client '{}' acts for no user: give \"user\" too",
                c.client_id
            ))
        })?,
        (None, None) => {
            return Err(ControlError::BadRequest(
                "Give \"user\" (an email), \"client_id\", or both".into(),
            ));
        }
    };
    let roles = store::users::role_names(&state.db, user.id).await?;
    // A user token by default, a client-credentials style one when only the client is named.
    let for_user = req.user.is_some();
    let mut default_scope = if for_user {
        vec![OPENID, PROFILE, EMAIL]
    } else {
        vec![PROFILE, EMAIL]
    };
    if req.include.contains(&Include::RefreshToken) {
        default_scope.push(OFFLINE_ACCESS);
    }
    let client_id = client
        .as_ref()
        .map_or(DEFAULT_MINT_CLIENT, |c| c.client_id.as_str())
        .to_owned();
    let allowed = store::settings::allowed_scopes(&state.db, &realm.name, &client_id).await?;
    let realm_lifetime = if for_user {
        realm.user_token_lifetime
    } else {
        realm.client_token_lifetime
    };
    Ok(Target {
        lifetime: client
            .as_ref()
            .and_then(|c| c.access_token_lifetime)
            .unwrap_or(realm_lifetime),
        default_scope: Scopes::from_static(&default_scope).intersect(&allowed),
        realm,
        client_id,
        subject: TokenSubject { user, roles },
    })
}

fn record(state: &AppState, target: &Target, token: &MintedToken, reason: &str) {
    state.events.record(Event {
        at: state.clock.now(),
        kind: EventKind::Issued,
        realm: Some(target.realm.name.clone()),
        client_id: Some(target.client_id.clone()),
        user: Some(target.subject.user.email.clone()),
        jti: Some(token.jti.clone()),
        reason: Some(reason.to_owned()),
    });
}

fn variant_name(v: Variant) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
