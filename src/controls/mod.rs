//! The emulator's own controls under `/mock` (INTERFACE section 6): every route below, each
//! behind the admin guard. JSON in and out; failures are [`error::ControlError`].

mod admin;
pub mod apps;
pub mod clock;
pub mod error;
pub mod events;
pub mod explain;
pub mod faults;
mod json;
pub mod keys;
mod mint;
pub mod realms;
pub mod reset;
pub mod revocations;
pub mod tokens;

use actix_web::middleware::from_fn;
use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/mock")
            .wrap(from_fn(admin::guard))
            .route("/clock", web::get().to(clock::read))
            .route("/clock", web::post().to(clock::set))
            .route("/tokens", web::post().to(tokens::mint))
            .route("/revocations", web::post().to(revocations::revoke))
            .route("/keys/rotate", web::post().to(keys::rotate))
            .route("/keys/retire", web::post().to(keys::retire))
            .route("/faults", web::post().to(faults::arm))
            .route("/faults", web::get().to(faults::list))
            .route("/faults", web::delete().to(faults::clear))
            .route("/faults/{id}", web::delete().to(faults::disarm))
            .route("/reset", web::post().to(reset::reset))
            .route("/events", web::get().to(events::list))
            .route("/events", web::delete().to(events::clear))
            .route("/explain", web::post().to(explain::explain))
            .route("/realms", web::get().to(realms::list))
            .route("/realms", web::post().to(realms::create))
            .route("/realms/{name}", web::patch().to(realms::update))
            .route("/realms/{name}", web::delete().to(realms::delete))
            .route("/apps/{client_id}", web::patch().to(apps::update)),
    );
}
