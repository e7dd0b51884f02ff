//! Shared set-up for the fuzz targets: one in-memory emulator per process, built the way
//! `startup::Application::build` builds it (fixtures, keys), without a listener.

use actix_web::HttpResponse;
use actix_web::body::MessageBody;
use ion_mock::config::Settings;
use ion_mock::domain::permission::Permissions;
use ion_mock::fixtures::Fixtures;
use ion_mock::graphql::auth::Caller;
use ion_mock::graphql::{IonSchema, build_schema};
use ion_mock::state::AppState;
use ion_mock::store;
use ion_mock::tokens::keys::SigningKey;
use serde_json::Value;
use std::sync::{Arc, OnceLock};
use tokio::runtime::Runtime;

pub const REALM: &str = "api-keys";

pub struct Harness {
    pub rt: Runtime,
    pub state: Arc<AppState>,
    pub schema: IonSchema,
    /// `admin@acme.test` with every permission of the `admin` role.
    pub admin: Caller,
    /// The key that signs the default realm's tokens.
    pub signer: Arc<SigningKey>,
}

/// The process-wide harness, built on first use.
pub fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(build)
}

fn build() -> Harness {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let (state, admin) = rt.block_on(async {
        let settings = Settings::for_tests();
        let fixtures = Fixtures::load(None).expect("default fixtures");
        let state = AppState::open(&settings, fixtures, "http://127.0.0.1:8080".to_owned())
            .await
            .map(Arc::new)
            .expect("in-memory state");
        let user = store::users::by_email(&state.db, "admin@acme.test")
            .await
            .expect("query")
            .expect("fixture admin");
        let names = store::users::permission_names(&state.db, user.id)
            .await
            .expect("query");
        let admin = Caller {
            user,
            permissions: Permissions::from_names(names),
            realm: REALM.to_owned(),
            client_id: None,
        };
        (state, admin)
    });
    let signer = state.keys.signer(REALM).expect("realm key");
    let schema = build_schema(state.clone());
    Harness {
        rt,
        state,
        schema,
        admin,
        signer,
    }
}

/// The status and JSON body of a response built in-process.
pub fn json_of(res: HttpResponse) -> (u16, Value) {
    let status = res.status().as_u16();
    let bytes = res
        .into_body()
        .try_into_bytes()
        .unwrap_or_else(|_| panic!("a streaming body"));
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    (status, body)
}

/// RFC 6749 section 5.2: a 4xx with `{"error", "error_description"}` strings.
pub fn assert_oauth_error(status: u16, body: &Value) {
    assert!((400..500).contains(&status), "status {status}: {body}");
    assert!(body["error"].is_string(), "no error code: {body}");
    assert!(
        body["error_description"].is_string(),
        "no error_description: {body}"
    );
}
