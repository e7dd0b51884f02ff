-- Facts about the server that offline CLI commands need, e.g. the public URL its issuers use.
CREATE TABLE server_meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
