//! Building and signing the tokens of one `/mock/tokens` call: an access token, and the ID
//! and refresh tokens of the same grant (`sid`) when asked for.

use crate::domain::scope::Scopes;
use crate::state::AppState;
use crate::store::{self, realms::Realm};
use crate::tokens::claims::{AccessClaims, TYP_ID, TYP_REFRESH};
use crate::tokens::issue::{self, AccessTokenRequest, TokenSubject, new_jti};
use crate::tokens::keys::KeyAlgorithm;
use crate::tokens::variant::{Variant, VariantSigner};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

pub struct MintPlan<'a> {
    pub realm: &'a Realm,
    pub client_id: &'a str,
    pub subject: &'a TokenSubject,
    pub scope: &'a Scopes,
    /// Of the access and ID tokens.
    pub lifetime: i64,
    pub refresh_lifetime: i64,
    pub audience: Option<&'a str>,
    /// Added to (or, when `null`, removed from) the access token's claims, last, so they win.
    pub claims: &'a Map<String, Value>,
    pub variant: Option<Variant>,
    pub id_token: bool,
    pub refresh_token: bool,
}

pub struct MintedToken {
    pub token: String,
    pub jti: String,
}

pub struct Minted {
    pub access: MintedToken,
    pub id: Option<MintedToken>,
    pub refresh: Option<MintedToken>,
    pub sid: String,
}

pub async fn mint(state: &AppState, plan: &MintPlan<'_>) -> anyhow::Result<Minted> {
    let signer = VariantSigner::new(state, &plan.realm.name, plan.variant).await?;
    let now = state.clock.now();
    let sid = uuid::Uuid::new_v4().to_string();
    let base = issue::access_claims(
        state,
        &AccessTokenRequest {
            realm: plan.realm,
            client_id: plan.client_id,
            subject: plan.subject,
            scope: plan.scope,
            lifetime: plan.lifetime,
            sid: Some(sid.clone()),
        },
    );
    let mut access = object(serde_json::to_value(&base)?);
    if let Some(audience) = plan.audience {
        access.insert("aud".into(), json!(audience));
    }
    breakage(&mut access, plan, now);
    for (name, value) in plan.claims {
        match value {
            Value::Null => access.remove(name),
            other => access.insert(name.clone(), other.clone()),
        };
    }
    let access = sign(&signer, access)?;
    let id = match plan.id_token {
        true => {
            let mut claims = id_claims(state, &base, &access.token, &signer);
            breakage(&mut claims, plan, now);
            Some(sign(&signer, claims)?)
        }
        false => None,
    };
    let refresh = match plan.refresh_token {
        true => {
            let mut claims = refresh_claims(state, &base, now + plan.refresh_lifetime);
            breakage(&mut claims, plan, now);
            let minted = sign(&signer, claims)?;
            store::minted::record_refresh_token(
                &state.db,
                &store::minted::RefreshRow {
                    jti: &minted.jti,
                    grant_id: &sid,
                    realm: &plan.realm.name,
                    client_id: plan.client_id,
                    user_id: plan.subject.user.id,
                    scope: &base.scope,
                    issued_at: now,
                    expires_at: now + plan.refresh_lifetime,
                },
            )
            .await?;
            Some(minted)
        }
        false => None,
    };
    Ok(Minted {
        access,
        id,
        refresh,
        sid,
    })
}

/// What the variant breaks in the claims (the signature is broken when signing).
fn breakage(claims: &mut Map<String, Value>, plan: &MintPlan<'_>, now: i64) {
    if let Some(variant) = plan.variant {
        variant.apply_to_claims(claims, now);
    }
}

fn sign(signer: &VariantSigner, claims: Map<String, Value>) -> anyhow::Result<MintedToken> {
    let jti = claims
        .get("jti")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    Ok(MintedToken {
        token: signer.sign(&claims)?,
        jti,
    })
}

/// OIDC Core section 2, with Keycloak's `typ` and the grant's `sid`.
fn id_claims(
    state: &AppState,
    a: &AccessClaims,
    access_token: &str,
    signer: &VariantSigner,
) -> Map<String, Value> {
    let mut claims = json!({
        "iss": a.iss, "sub": a.sub, "aud": a.azp, "exp": a.exp, "iat": a.iat,
        "auth_time": a.iat, "jti": new_jti(state), "typ": TYP_ID, "azp": a.azp, "sid": a.sid,
        "email": a.email, "email_verified": true, "name": a.name,
        "preferred_username": a.preferred_username, "org_id": a.org_id,
        "org_domain": a.org_domain,
    });
    // OIDC Core 3.1.3.6: the left half of the SHA-256 of the access token, for RS256/ES256.
    if matches!(
        signer.algorithm(),
        KeyAlgorithm::Rs256 | KeyAlgorithm::Es256
    ) {
        let digest = Sha256::digest(access_token.as_bytes());
        claims["at_hash"] = json!(URL_SAFE_NO_PAD.encode(&digest[..16]));
    }
    object(claims)
}

/// Keycloak's refresh token: audience the issuer itself, bound to the grant by `sid`.
fn refresh_claims(state: &AppState, a: &AccessClaims, exp: i64) -> Map<String, Value> {
    object(json!({
        "iss": a.iss, "sub": a.sub, "aud": a.iss, "exp": exp, "iat": a.iat,
        "jti": new_jti(state), "typ": TYP_REFRESH, "azp": a.azp, "sid": a.sid,
        "scope": a.scope,
    }))
}

/// The map of a JSON object (claims always serialize to one).
fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}
