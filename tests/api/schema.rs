/// The committed SDL is the contract with GraphQL clients; regenerate it deliberately with
/// `cargo run --example print_schema > schema.graphql`.
#[test]
fn the_committed_schema_matches_the_code() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"))
        .expect("schema.graphql is committed");
    assert_eq!(
        committed.trim(),
        ion_mock::graphql::sdl().trim(),
        "the GraphQL schema drifted from schema.graphql; regenerate it with \
         `cargo run --example print_schema > schema.graphql` and review the diff"
    );
}
