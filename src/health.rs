use actix_web::{HttpResponse, get};
use serde_json::json;

#[get("/health")]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}
