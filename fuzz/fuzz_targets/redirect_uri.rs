//! Arbitrary registered and requested redirect URIs: matching is exact byte equality (a match
//! implies equality, and equality implies a match), and registration-time validation never
//! panics and only accepts what it documents.
#![no_main]

use arbitrary::Arbitrary;
use ion_mock::domain::redirect_uri::{UriType, matches_exactly, validate};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    registered: Vec<String>,
    requested: String,
    /// Ask for one of the registered URIs instead, so the matching case is exercised too.
    pick: Option<u8>,
}

fuzz_target!(|input: Input| {
    let requested = match input.pick {
        Some(i) if !input.registered.is_empty() => {
            input.registered[usize::from(i) % input.registered.len()].clone()
        }
        _ => input.requested,
    };
    let matched = matches_exactly(&requested, input.registered.iter().map(String::as_str));
    let equal = input
        .registered
        .iter()
        .any(|r| r.as_bytes() == requested.as_bytes());
    assert_eq!(matched, equal, "match must be byte equality: {requested:?}");
    for uri_type in [UriType::Callback, UriType::Origin, UriType::Logout] {
        let Ok(()) = validate(&requested, uri_type) else {
            continue;
        };
        assert!(!requested.is_empty() && requested.len() <= 2048);
        assert!(
            !requested
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
        );
        let parsed = url::Url::parse(&requested).expect("validated URIs parse");
        assert!(parsed.fragment().is_none());
        if uri_type == UriType::Origin {
            assert_eq!(parsed.origin().ascii_serialization(), requested);
        }
    }
});
