use crate::helpers::spawn_app;
use serde_json::{Value, json};

#[tokio::test]
async fn health_answers_ok() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"status": "ok"}));
}
