//! Arbitrary `/graphql` bodies: `parse_request` refuses what is not a GraphQL request (the 400
//! `errors[]`), and everything else runs through the real schema (depth and complexity limits
//! included) as the fixture org admin without panicking, answering `data` and/or `errors[]`.
#![no_main]

use ion_mock::graphql::parse_request;
use ion_mock_fuzz::harness;
use libfuzzer_sys::fuzz_target;

fn execute(request: async_graphql::Request) {
    let h = harness();
    let response =
        h.rt.block_on(h.schema.execute(request.data(h.admin.clone())));
    let body = serde_json::to_value(&response).expect("a response serializes");
    let has_errors = body["errors"].as_array().is_some_and(|e| !e.is_empty());
    assert!(
        has_errors || !body["data"].is_null(),
        "neither data nor errors: {body}"
    );
    if has_errors {
        assert!(body["errors"][0]["message"].is_string(), "{body}");
    }
}

fuzz_target!(|data: &[u8]| {
    match parse_request(data) {
        Ok(request) => execute(request),
        Err(message) => assert!(!message.is_empty()),
    }
    // The same bytes as the query text itself, which reaches the GraphQL parser far more often.
    if let Ok(query) = std::str::from_utf8(data) {
        execute(async_graphql::Request::new(query));
    }
});
