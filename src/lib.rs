//! ion-mock: a local emulator of First Resonance ION's authorization server.
//!
//! The binary is a thin wrapper around [`startup::Application`]; tests and the in-process
//! [`MockServer`] use exactly the same startup.

pub mod api_keys;
pub mod cli;
pub mod clock;
pub mod config;
pub mod controls;
pub mod domain;
pub mod events;
pub mod faults;
pub mod fixtures;
pub mod graphql;
pub mod health;
pub mod mock_server;
pub mod oauth;
pub mod oauth_apps;
pub mod startup;
pub mod state;
pub mod store;
pub mod tls;
pub mod tokens;

mod body;

pub use config::Settings;
pub use mock_server::MockServer;
pub use startup::Application;
