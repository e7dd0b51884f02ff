//! ion-mock: a local emulator of First Resonance ION's authorization server.
//!
//! The binary is a thin wrapper around [`startup::Application`]; tests and the in-process
//! server use exactly the same startup.

pub mod api_keys;
pub mod clock;
pub mod config;
pub mod controls;
pub mod domain;
pub mod events;
pub mod faults;
pub mod fixtures;
pub mod graphql;
pub mod health;
pub mod oauth;
pub mod startup;
pub mod state;
pub mod store;
pub mod tokens;

mod body;

pub use config::Settings;
pub use startup::Application;
