//! Hashes the passwords of the built-in fixtures at build time, so an instance with the default
//! fixtures spends no Argon2 time (nor its memory) between process start and readiness.
//! Other fixture files are hashed at start, as usual.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, SaltString};
use std::fmt::Write;

fn main() {
    println!("cargo:rerun-if-changed=fixtures/default.toml");
    let text = std::fs::read_to_string("fixtures/default.toml").expect("fixtures/default.toml");
    let table: toml::Table = text.parse().expect("fixtures/default.toml is TOML");
    let mut out =
        String::from("/// (email, password, Argon2id hash) of the built-in fixture users.\n");
    out.push_str("pub const BUILT_IN_PASSWORD_HASHES: &[(&str, &str, &str)] = &[\n");
    for user in table
        .get("users")
        .and_then(|u| u.as_array())
        .into_iter()
        .flatten()
    {
        let field = |name: &str| user.get(name).and_then(|v| v.as_str()).unwrap_or_default();
        let (email, password) = (field("email"), field("password"));
        let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>()).expect("salt");
        let hash = Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .expect("argon2")
            .to_string();
        writeln!(out, "    ({email:?}, {password:?}, {hash:?}),").expect("write");
    }
    out.push_str("];\n");
    let path = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR"))
        .join("password_hashes.rs");
    std::fs::write(path, out).expect("write password_hashes.rs");
}
