//! Failed sign-ins at the login form, counted per user (email) and per client IP over a
//! sliding window on the emulator clock, in memory. Past a limit the form refuses that user,
//! or every user from that address, without checking the password, until the oldest failure
//! in the window is older than the window.
//!
//! The emulator clock, like every other expiry here: a test waits a lockout out with
//! `POST /mock/clock` rather than for minutes, and `POST /mock/reset` clears it.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};

/// How many failures within `window_ms` lock a user or an address out; 0: no limit.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimits {
    pub per_user: u32,
    pub per_ip: u32,
    pub window_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    User(String),
    Ip(IpAddr),
}

/// One sign-in attempt, counted as a failure from the moment it is admitted (so concurrent
/// guesses cannot slip past the limit) until it is forgiven.
#[derive(Debug)]
pub struct Attempt {
    user: Key,
    ip: Option<Key>,
    at_ms: i64,
}

#[derive(Debug)]
pub struct LoginThrottle {
    limits: LoginLimits,
    failures: Mutex<HashMap<Key, VecDeque<i64>>>,
}

/// Keys with no failure in the window are dropped once the table holds this many.
const PRUNE_ABOVE: usize = 10_000;

impl LoginThrottle {
    pub fn new(limits: LoginLimits) -> Self {
        Self {
            limits,
            failures: Mutex::default(),
        }
    }

    /// Admits an attempt, counted as a failure until forgiven; or the whole seconds until
    /// the user or the address may try again.
    pub fn admit(&self, user: &str, ip: Option<IpAddr>, now_ms: i64) -> Result<Attempt, i64> {
        let attempt = Attempt {
            user: Key::User(user.trim().to_lowercase()),
            ip: ip.map(Key::Ip),
            at_ms: now_ms,
        };
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        let horizon = now_ms - self.limits.window_ms;
        if failures.len() > PRUNE_ABOVE {
            failures.retain(|_, times| times.back().is_some_and(|t| *t > horizon));
        }
        let keys = [
            Some((&attempt.user, self.limits.per_user)),
            attempt.ip.as_ref().map(|ip| (ip, self.limits.per_ip)),
        ];
        let mut wait_ms = 0;
        for (key, limit) in keys.into_iter().flatten() {
            let times = failures.entry(key.clone()).or_default();
            while times.front().is_some_and(|t| *t <= horizon) {
                times.pop_front();
            }
            if limit > 0 && times.len() >= limit as usize {
                let oldest = times.front().copied().unwrap_or(now_ms);
                wait_ms = wait_ms.max(oldest + self.limits.window_ms - now_ms);
            }
        }
        if wait_ms > 0 {
            return Err((wait_ms + 999) / 1000);
        }
        for key in [Some(&attempt.user), attempt.ip.as_ref()]
            .into_iter()
            .flatten()
        {
            failures.entry(key.clone()).or_default().push_back(now_ms);
        }
        Ok(attempt)
    }

    /// The attempt was not a wrong guess after all. After a successful sign-in
    /// (`clear_user`), the user's earlier failures are forgiven too; the address's stay.
    pub fn forgive(&self, attempt: Attempt, clear_user: bool) {
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        if clear_user {
            failures.remove(&attempt.user);
        }
        for key in [Some(&attempt.user), attempt.ip.as_ref()]
            .into_iter()
            .flatten()
        {
            if let Some(times) = failures.get_mut(key)
                && let Some(at) = times.iter().rposition(|t| *t == attempt.at_ms)
            {
                times.remove(at);
            }
        }
    }

    /// Every count back to zero (`POST /mock/reset`).
    pub fn clear(&self) {
        self.failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle(per_user: u32, per_ip: u32) -> LoginThrottle {
        LoginThrottle::new(LoginLimits {
            per_user,
            per_ip,
            window_ms: 300_000,
        })
    }

    const IP: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));

    #[test]
    fn the_attempt_after_the_limit_waits_until_the_oldest_failure_leaves_the_window() {
        let t = throttle(3, 0);
        for at in [0, 1_000, 2_000] {
            t.admit("a@x", IP, at).unwrap();
        }
        assert_eq!(
            t.admit("A@x ", IP, 10_000).unwrap_err(),
            290,
            "emails compare folded"
        );
        assert!(
            t.admit("a@x", IP, 300_001).is_ok(),
            "the first failure left the window"
        );
    }

    #[test]
    fn a_forgiven_attempt_does_not_count_and_a_success_clears_the_user() {
        let t = throttle(2, 3);
        let first = t.admit("a@x", IP, 0).unwrap();
        t.forgive(first, false);
        t.admit("a@x", IP, 1).unwrap();
        let success = t.admit("a@x", IP, 2).unwrap();
        t.forgive(success, true);
        t.admit("a@x", IP, 3).unwrap();
        t.admit("b@x", IP, 4).unwrap();
        assert!(
            t.admit("c@x", IP, 5).is_err(),
            "the address keeps its 3 failures"
        );
    }

    #[test]
    fn a_zero_limit_never_locks_anyone_out() {
        let t = throttle(0, 0);
        assert!((0..100).all(|at| t.admit("a@x", IP, at).is_ok()));
    }
}
