-- The whole contract's data model, so later features fill tables in rather than migrate shapes.

CREATE TABLE orgs (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL,
    domain  TEXT NOT NULL UNIQUE
);

CREATE TABLE roles (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE
);

CREATE TABLE role_permissions (
    role_id     INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    permission  TEXT NOT NULL,
    PRIMARY KEY (role_id, permission)
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    subject        TEXT NOT NULL UNIQUE,
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    active         INTEGER NOT NULL DEFAULT 1,
    created_at     INTEGER NOT NULL
);

CREATE TABLE user_roles (
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role_id  INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, role_id)
);

CREATE TABLE realms (
    name                     TEXT PRIMARY KEY,
    algorithm                TEXT NOT NULL DEFAULT 'RS256',
    audience                 TEXT NOT NULL DEFAULT 'account',
    user_token_lifetime      INTEGER NOT NULL DEFAULT 3600,
    client_token_lifetime    INTEGER NOT NULL DEFAULT 300,
    refresh_token_lifetime   INTEGER NOT NULL DEFAULT 86400,
    throwaway                INTEGER NOT NULL DEFAULT 0,
    created_at               INTEGER NOT NULL
);

CREATE TABLE signing_keys (
    kid          TEXT PRIMARY KEY,
    realm        TEXT NOT NULL REFERENCES realms(name) ON DELETE CASCADE,
    algorithm    TEXT NOT NULL,
    private_der  BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    retired_at   INTEGER
);
CREATE INDEX signing_keys_realm ON signing_keys(realm);

-- OAuth apps and API keys are both OAuth clients of a realm (as in Keycloak); `kind` tells them apart.
CREATE TABLE clients (
    id                     INTEGER PRIMARY KEY,
    client_id              TEXT NOT NULL UNIQUE,
    realm                  TEXT NOT NULL REFERENCES realms(name) ON DELETE CASCADE,
    org_id                 INTEGER NOT NULL REFERENCES orgs(id),
    kind                   TEXT NOT NULL CHECK (kind IN ('oauth_app', 'api_key')),
    name                   TEXT NOT NULL,
    app_type               TEXT NOT NULL,
    secret_hash            TEXT,
    user_id                INTEGER REFERENCES users(id),
    enabled                INTEGER NOT NULL DEFAULT 1,
    etag                   TEXT NOT NULL,
    access_token_lifetime  INTEGER,
    created_at             INTEGER NOT NULL,
    deleted_at             INTEGER
);
CREATE INDEX clients_org ON clients(org_id, kind);

-- An API key's permissions, frozen when it was created.
CREATE TABLE client_permissions (
    client_pk   INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    permission  TEXT NOT NULL,
    PRIMARY KEY (client_pk, permission)
);

CREATE TABLE redirect_uris (
    id         INTEGER PRIMARY KEY,
    client_pk  INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    uri        TEXT NOT NULL,
    uri_type   TEXT NOT NULL CHECK (uri_type IN ('callback', 'origin', 'logout')),
    UNIQUE (client_pk, uri_type, uri)
);

CREATE TABLE sessions (
    id_hash     TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    realm       TEXT NOT NULL,
    auth_time   INTEGER NOT NULL,
    ended_at    INTEGER
);

CREATE TABLE authorization_codes (
    code_hash              TEXT PRIMARY KEY,
    client_id              TEXT NOT NULL,
    realm                  TEXT NOT NULL,
    user_id                INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    redirect_uri           TEXT NOT NULL,
    scope                  TEXT NOT NULL,
    nonce                  TEXT,
    code_challenge         TEXT,
    code_challenge_method  TEXT,
    session_id             TEXT,
    auth_time              INTEGER NOT NULL,
    grant_id               TEXT NOT NULL,
    expires_at             INTEGER NOT NULL,
    used_at                INTEGER
);

CREATE TABLE refresh_tokens (
    jti         TEXT PRIMARY KEY,
    family_id   TEXT NOT NULL,
    grant_id    TEXT NOT NULL,
    realm       TEXT NOT NULL,
    client_id   TEXT NOT NULL,
    user_id     INTEGER REFERENCES users(id) ON DELETE CASCADE,
    scope       TEXT NOT NULL,
    issued_at   INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);

-- Revocation by token id: one indexed lookup per verification.
CREATE TABLE revoked_tokens (
    jti         TEXT PRIMARY KEY,
    revoked_at  INTEGER NOT NULL
);

-- Revocation by subject: every token of that scope issued before `before_ms` (emulator clock,
-- milliseconds, read from the token's UUIDv7 `jti`) is revoked.
CREATE TABLE revocation_rules (
    scope      TEXT NOT NULL CHECK (scope IN ('user', 'client', 'realm', 'grant', 'family', 'all')),
    subject    TEXT NOT NULL,
    before_ms  INTEGER NOT NULL,
    PRIMARY KEY (scope, subject)
);
