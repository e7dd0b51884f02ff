//! The ION GraphQL API at `/graphql`.

pub mod api_keys;
pub mod auth;
pub mod error;
pub mod oauth_apps;
pub mod paging;
pub mod roles;
pub mod user_admin;
pub mod users;

use crate::body::{BodyError, read_limited};
use crate::state::AppState;
use crate::store::Unavailable;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::{EmptySubscription, MergedObject, Schema};
use auth::AuthFailure;
use serde_json::json;
use std::sync::Arc;

pub const GRAPHQL_BODY_LIMIT: usize = 256 * 1024;
const MAX_DEPTH: usize = 16;
const MAX_COMPLEXITY: usize = 1000;
const CONSOLE: &str = include_str!("../../static/console.html");

#[derive(MergedObject, Default)]
pub struct Query(
    users::UserQuery,
    oauth_apps::OauthAppQuery,
    api_keys::ApiKeyQuery,
    user_admin::UserAdminQuery,
    roles::RoleQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    oauth_apps::OauthAppMutation,
    api_keys::ApiKeyMutation,
    user_admin::UserAdminMutation,
    roles::RoleMutation,
);

pub type IonSchema = Schema<Query, Mutation, EmptySubscription>;

pub fn build_schema(state: Arc<AppState>) -> IonSchema {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .data(state)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .finish()
}

/// The schema in SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .finish()
        .sdl()
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/graphql", web::post().to(execute))
        .route("/graphql", web::get().to(console));
}

fn errors(status: StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({"errors": [{"message": message}]}))
}

/// The auth layer runs before GraphQL: failures there are HTTP errors, not `errors[]` at 200.
async fn execute(
    state: web::Data<AppState>,
    schema: web::Data<IonSchema>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let body = match read_limited(&req, payload, GRAPHQL_BODY_LIMIT).await {
        Ok(body) => body,
        Err(BodyError::TooLarge(limit)) => {
            return errors(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!("Request body is larger than {limit} bytes"),
            );
        }
        Err(BodyError::Unreadable) => {
            return errors(StatusCode::BAD_REQUEST, "Request body could not be read");
        }
    };
    let caller = match auth::authenticate(&state, &req).await {
        Ok(caller) => caller,
        Err(AuthFailure::Unexpected(e)) => {
            if let Some(u) = Unavailable::in_chain(&e) {
                tracing::error!(cause = ?u, "storage unavailable authenticating a GraphQL request");
                return errors(StatusCode::SERVICE_UNAVAILABLE, &u.message());
            }
            tracing::error!(error = ?e, "unexpected error authenticating a GraphQL request");
            return errors(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error");
        }
        Err(failure) => {
            let reason = failure.to_string();
            let token = auth::token_from_header(&req);
            state.events.rejected(state.clock.now(), token, &reason);
            return errors(StatusCode::UNAUTHORIZED, &reason);
        }
    };
    let request = match parse_request(&body) {
        Ok(request) => request,
        Err(message) => return errors(StatusCode::BAD_REQUEST, &message),
    };
    let response = schema.execute(request.data(caller)).await;
    let status = if response.errors.iter().any(is_storage_failure) {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    HttpResponse::build(status).json(response)
}

/// A storage failure is the server's, not the operation's: HTTP 503 rather than 200, so
/// clients that retry on 5xx do, and none mistakes it for a refusal.
fn is_storage_failure(e: &async_graphql::ServerError) -> bool {
    e.extensions
        .as_ref()
        .and_then(|ext| ext.get("code"))
        .is_some_and(|code| *code == async_graphql::Value::from(error::STORAGE_UNAVAILABLE))
}

/// A GraphQL-over-HTTP body: a JSON object with a `query` string. `Err` is the message of
/// the 400 `errors[]` answer. Public for the fuzz targets.
pub fn parse_request(body: &[u8]) -> Result<async_graphql::Request, String> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("Request body is not valid JSON: {e}"))?;
    if !value.get("query").is_some_and(serde_json::Value::is_string) {
        return Err("Request body must be a JSON object with a \"query\" string".to_owned());
    }
    serde_json::from_value(value).map_err(|e| format!("Invalid GraphQL request: {e}"))
}

/// A small console of our own: GraphiQL would load its scripts from a CDN.
async fn console() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(CONSOLE)
}
