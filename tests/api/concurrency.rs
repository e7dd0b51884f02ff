//! Many clients racing for one single-use credential: exactly one wins, and the replays the
//! others amount to revoke what the winner got (INTERFACE section 3).

use crate::code_exchange::assert_oauth_error;
use crate::flow::{SPA, operator_tokens, refresh, spa_code, spa_exchange, userinfo};
use crate::helpers::{TestApp, spawn_app};
use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::Value;

const RACERS: usize = 32;

/// The one 200 of a race, after asserting every other attempt is `invalid_grant`.
fn the_one_winner(attempts: Vec<(StatusCode, Value)>, why: &str) -> Value {
    let (winners, losers): (Vec<_>, Vec<_>) = attempts
        .into_iter()
        .partition(|(s, _)| *s == StatusCode::OK);
    assert_eq!(winners.len(), 1, "{why}: exactly one succeeds: {winners:?}");
    assert_eq!(losers.len(), RACERS - 1, "{why}");
    for (status, body) in &losers {
        assert_oauth_error(*status, body, "invalid_grant", why);
    }
    winners.into_iter().next().map(|(_, body)| body).unwrap()
}

fn token<'a>(body: &'a Value, name: &str) -> &'a str {
    body[name]
        .as_str()
        .unwrap_or_else(|| panic!("no {name} in {body}"))
}

async fn assert_inactive(app: &TestApp, token: &str, why: &str) {
    let answer = app.introspect(token).await;
    assert_eq!(answer["active"], false, "{why}: {answer}");
}

#[tokio::test]
async fn thirty_two_concurrent_exchanges_of_one_code_let_one_succeed_and_revoke_its_tokens() {
    let app = spawn_app().await;
    let code = spa_code(&app, "operator@acme.test", "operator").await;

    let attempts = join_all((0..RACERS).map(|_| spa_exchange(&app, &code))).await;
    let won = the_one_winner(attempts, "exchanges of one code");

    // The 31 others were replays of a used code: every token issued from it is revoked,
    // including those issued while the replays were being refused.
    assert_inactive(
        &app,
        token(&won, "access_token"),
        "the winner's access token",
    )
    .await;
    assert_inactive(
        &app,
        token(&won, "refresh_token"),
        "the winner's refresh token",
    )
    .await;
    assert_eq!(
        userinfo(&app, token(&won, "access_token")).await.0,
        401,
        "userinfo refuses the winner's access token"
    );
    let (status, body) = refresh(&app, SPA, token(&won, "refresh_token")).await;
    assert_oauth_error(status, &body, "invalid_grant", "the winner's refresh token");
}

#[tokio::test]
async fn thirty_two_concurrent_refreshes_of_one_token_let_one_succeed_and_revoke_the_family() {
    let app = spawn_app().await;
    let first = operator_tokens(&app).await;
    let presented = token(&first, "refresh_token");

    let attempts = join_all((0..RACERS).map(|_| refresh(&app, SPA, presented))).await;
    let won = the_one_winner(attempts, "refreshes of one token");

    // The others reused a rotated token: its family is revoked, the winner's new tokens too.
    let (status, body) = refresh(&app, SPA, token(&won, "refresh_token")).await;
    assert_oauth_error(
        status,
        &body,
        "invalid_grant",
        "the winner's new refresh token",
    );
    assert_inactive(
        &app,
        token(&won, "access_token"),
        "the winner's access token",
    )
    .await;
    assert_inactive(
        &app,
        token(&first, "access_token"),
        "the family's first access token",
    )
    .await;
}
