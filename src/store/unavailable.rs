//! Storage failures that are the machine's, not the request's: a full disk, a read-only
//! file, an I/O error or a database busy for too long. Every surface answers them with 503
//! and says which, rather than an opaque 500.

/// Why the database cannot serve a request just now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    /// SQLITE_FULL: the disk, or the database's `max_page_count`, is full.
    Full,
    /// SQLITE_READONLY: the file or its directory cannot be written.
    ReadOnly,
    /// SQLITE_IOERR or SQLITE_CANTOPEN: the operating system refused a read or write.
    Io,
    /// SQLITE_BUSY or SQLITE_LOCKED past the busy timeout, or no free connection in time.
    Busy,
}

// Primary SQLite result codes (https://sqlite.org/rescode.html); extended codes carry them in
// their low byte.
const SQLITE_BUSY: i64 = 5;
const SQLITE_LOCKED: i64 = 6;
const SQLITE_READONLY: i64 = 8;
const SQLITE_IOERR: i64 = 10;
const SQLITE_FULL: i64 = 13;
const SQLITE_CANTOPEN: i64 = 14;

impl Unavailable {
    pub fn of(err: &sqlx::Error) -> Option<Self> {
        match err {
            sqlx::Error::Database(db) => {
                let code: i64 = db.code()?.parse().ok()?;
                match code & 0xff {
                    SQLITE_FULL => Some(Unavailable::Full),
                    SQLITE_READONLY => Some(Unavailable::ReadOnly),
                    SQLITE_IOERR | SQLITE_CANTOPEN => Some(Unavailable::Io),
                    SQLITE_BUSY | SQLITE_LOCKED => Some(Unavailable::Busy),
                    _ => None,
                }
            }
            sqlx::Error::Io(_) => Some(Unavailable::Io),
            sqlx::Error::PoolTimedOut => Some(Unavailable::Busy),
            _ => None,
        }
    }

    /// The first storage failure in an error's cause chain.
    pub fn in_chain(err: &anyhow::Error) -> Option<Self> {
        err.chain()
            .filter_map(|cause| cause.downcast_ref::<sqlx::Error>())
            .find_map(Unavailable::of)
    }

    /// What is wrong, e.g. `the database is full (SQLITE_FULL)`.
    pub fn cause(self) -> &'static str {
        match self {
            Unavailable::Full => "the database is full (SQLITE_FULL)",
            Unavailable::ReadOnly => "the database is read-only (SQLITE_READONLY)",
            Unavailable::Io => "the database could not be read or written (SQLITE_IOERR)",
            Unavailable::Busy => "the database is busy (SQLITE_BUSY)",
        }
    }

    /// What the operator can do about it.
    pub fn remedy(self) -> &'static str {
        match self {
            Unavailable::Full => "Free disk space, then retry.",
            Unavailable::ReadOnly => {
                "Make the database file and its directory writable (and leave mode=ro out of \
                 the database URL), then retry."
            }
            Unavailable::Io => "Check the disk holding the database, then retry.",
            Unavailable::Busy => "Retry shortly.",
        }
    }

    /// What a client is told when its request hits this.
    pub fn message(self) -> String {
        format!(
            "Storage unavailable: {}, so the request was not completed. {}",
            self.cause(),
            self.remedy()
        )
    }
}

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}
