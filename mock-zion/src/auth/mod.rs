//! Bearer tokens: which account a request acts for — fixed tokens from the config, and the
//! JWTs the log-in mutations issue ([`jwt`], [`login`]).
//!
//! Zion's payment mutations and actionflows need `Authorization: Bearer <token>`. A request
//! without the header acts anonymously (it sees no owned rows); a header that is present
//! but not a known, live token refuses the whole request, as a JWT-checking gateway does,
//! so an app with an expired login sees an error it can turn into "please log in".

pub mod jwt;
pub mod login;

use std::collections::{HashMap, HashSet};

use crate::failure::Failure;

/// The tokens of one mock instance.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    live: HashMap<String, i64>,
    expired: HashSet<String>,
    /// JWTs the log-in mutations issued, and their accounts.
    issued: Vec<(String, i64)>,
}

impl Tokens {
    /// Makes `token` stand for `account`.
    pub fn grant(&mut self, token: &str, account: i64) {
        self.expired.remove(token);
        self.live.insert(token.to_string(), account);
    }

    /// Makes `token` expired; returns whether it was live.
    pub fn expire(&mut self, token: &str) -> bool {
        let was_live = self.live.remove(token).is_some();
        self.expired.insert(token.to_string());
        was_live
    }

    /// Remembers a JWT a log-in issued, so [`Tokens::expire_account`] can expire it.
    pub fn record_issued(&mut self, token: &str, account: i64) {
        self.issued.push((token.to_string(), account));
    }

    /// Expires every token that acts for `account` (configured ones and issued JWTs): what
    /// the app holds then fails as an expired login. Returns how many there were.
    pub fn expire_account(&mut self, account: i64) -> usize {
        let mut tokens: Vec<String> = self
            .live
            .iter()
            .filter(|(_, a)| **a == account)
            .map(|(t, _)| t.clone())
            .collect();
        tokens.extend(
            self.issued
                .iter()
                .filter(|(_, a)| *a == account)
                .map(|(t, _)| t.clone()),
        );
        for token in &tokens {
            self.expire(token);
        }
        tokens.len()
    }

    /// The account an `Authorization` header value acts for: `Ok(None)` when there is no
    /// header.
    ///
    /// # Errors
    /// `UNAUTHENTICATED` for a header that is not `Bearer <token>`, an unknown token, or an
    /// expired one.
    pub fn authenticate(&self, header: Option<&str>) -> Result<Option<i64>, Failure> {
        let Some(header) = header else {
            return Ok(None);
        };
        let token = header
            .strip_prefix("Bearer ")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                Failure::new(
                    "UNAUTHENTICATED",
                    format!(
                        "the Authorization header must be \"Bearer <token>\", got \"{header}\""
                    ),
                )
            })?;
        if let Some(account) = self.live.get(token) {
            return Ok(Some(*account));
        }
        if jwt::looks_like_jwt(token) && !self.expired.contains(token) {
            // (An expired JWT falls through to the "has expired" refusal below.)
            return match jwt::verify(token) {
                Ok(account) => Ok(Some(account)),
                Err(jwt::Refusal::Expired) => Err(Failure::new(
                    "UNAUTHENTICATED",
                    "the Bearer token has expired: log in again to get a new one",
                )),
                Err(jwt::Refusal::Invalid) => Err(Failure::new(
                    "UNAUTHENTICATED",
                    "the Bearer token is not valid for this project (its signature does not verify): log in again to get a new one",
                )),
            };
        }
        let message = if self.expired.contains(token) {
            "the Bearer token has expired: log in again to get a new one"
        } else {
            "the Bearer token is not valid for this project: log in again to get a new one"
        };
        Err(Failure::new("UNAUTHENTICATED", message))
    }
}

/// The error for an operation that needs a logged-in caller but has none.
pub fn login_required(field: &str) -> Failure {
    Failure::new(
        "UNAUTHENTICATED",
        format!(
            "{field} needs a logged-in caller: send the header \"Authorization: Bearer <token>\""
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_token_acts_for_its_account() {
        let mut tokens = Tokens::default();
        tokens.grant("t1", 7);
        assert_eq!(tokens.authenticate(Some("Bearer t1")), Ok(Some(7)));
        assert_eq!(tokens.authenticate(None), Ok(None));
    }

    #[test]
    fn bad_headers_and_tokens_are_told_apart() {
        let mut tokens = Tokens::default();
        tokens.grant("t1", 7);
        tokens.expire("t1");
        let expired = tokens.authenticate(Some("Bearer t1")).unwrap_err();
        assert!(expired.message.contains("expired"), "{}", expired.message);
        let unknown = tokens.authenticate(Some("Bearer nope")).unwrap_err();
        assert!(unknown.message.contains("not valid"), "{}", unknown.message);
        let malformed = tokens.authenticate(Some("t1")).unwrap_err();
        assert!(
            malformed.message.contains("\"Bearer <token>\""),
            "{}",
            malformed.message
        );
    }
}
