//! The authorization endpoint (RFC 6749 section 4.1, OIDC Core section 3.1.2) and the login
//! page behind it.

mod endpoint;
mod error;
mod login;
mod request;
mod session;
mod throttle;

pub use endpoint::{CODE_LIFETIME, authorize};
pub use error::{AuthorizeError, redirect};
pub use login::sign_in;
pub use session::{SESSION_COOKIE, SESSION_MAX_AGE, expired_session_cookie};
pub use throttle::{LoginLimits, LoginThrottle};
