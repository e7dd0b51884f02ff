//! Relay connections over lists ordered by id, as ION's list queries are (`edges { node }`,
//! `pageInfo`, `first`/`after`, `totalCount`). The cursor is the last id seen.

use super::error::{ApiError, ApiResult};
use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{InputObject, OutputType, SimpleObject};

/// Without `first`, a page holds this many nodes: enough for every list an emulator holds.
pub const MAX_PAGE: i64 = 1000;

#[derive(SimpleObject)]
pub struct ConnectionTotals {
    /// How many nodes the whole list has, on every page.
    pub total_count: i64,
}

/// An exact-match filter, shaped as ION's list filters are (`{name: {eq: "admin"}}`).
#[derive(InputObject, Debug, Default)]
pub struct StringFilter {
    pub eq: Option<String>,
}

impl StringFilter {
    pub fn eq(filter: &Option<StringFilter>) -> Option<&str> {
        filter.as_ref().and_then(|f| f.eq.as_deref())
    }
}

pub type IdConnection<N> = Connection<i64, N, ConnectionTotals, EmptyFields>;

/// Where a page starts and how many rows to read (one more than asked, to see a next page).
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub after: i64,
    pub size: i64,
}

impl Page {
    pub fn parse(first: Option<i32>, after: Option<&str>) -> ApiResult<Self> {
        let size = match first {
            None => MAX_PAGE,
            Some(n) if (0..=MAX_PAGE).contains(&i64::from(n)) => i64::from(n),
            Some(_) => {
                return Err(ApiError::Invalid(format!(
                    "Invalid first: must be between 0 and {MAX_PAGE}"
                )));
            }
        };
        let after = match after {
            None => 0,
            Some(cursor) => cursor
                .parse()
                .map_err(|_| ApiError::Invalid(format!("Invalid cursor '{cursor}'")))?,
        };
        Ok(Self { after, size })
    }

    /// The `LIMIT` to read: one extra row tells whether a next page exists.
    pub fn limit(&self) -> i64 {
        self.size + 1
    }

    /// Builds the connection from up to `limit()` rows keyed by id.
    pub fn connection<N: OutputType>(&self, rows: Vec<(i64, N)>, total: i64) -> IdConnection<N> {
        let has_next = rows.len() as i64 > self.size;
        let mut connection = Connection::with_additional_fields(
            false,
            has_next,
            ConnectionTotals { total_count: total },
        );
        connection.edges.extend(
            rows.into_iter()
                .take(self.size as usize)
                .map(|(id, node)| Edge::new(id, node)),
        );
        connection
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_page_arguments_are_refused_with_a_message() {
        for (first, after, why) in [
            (Some(-1), None, "negative first"),
            (Some(1001), None, "first above the maximum"),
            (None, Some("abc"), "cursor that is not an id"),
        ] {
            let err = Page::parse(first, after).unwrap_err();
            assert!(matches!(err, ApiError::Invalid(_)), "{why}");
        }
    }

    #[test]
    fn no_arguments_read_the_largest_page_from_the_start() {
        let page = Page::parse(None, None).unwrap();
        assert_eq!((page.after, page.limit()), (0, MAX_PAGE + 1));
    }
}
