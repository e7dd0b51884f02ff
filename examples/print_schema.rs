//! Prints the GraphQL schema (SDL) that `schema.graphql` must match.
fn main() {
    print!("{}", ion_mock::graphql::sdl());
}
