//! Signing keys, claims, JWT encoding and verification.

pub mod claims;
pub mod id_token;
pub mod issue;
pub mod jwt;
pub mod keyring;
pub mod keys;
pub mod refresh;
pub mod revoke;
pub mod variant;
pub mod verify;
