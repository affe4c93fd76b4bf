//! The JWTs mock-zion's log-in mutations issue: RS256, signed with a key generated once per
//! run (never written anywhere), with the account id as `sub` and an expiry, so an app holds
//! the same kind of token Zion gives it and a tampered or expired one is refused.

use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use serde::{Deserialize, Serialize};

/// How long an issued token lives.
pub const LIFETIME_SECS: u64 = 7 * 24 * 3600;

/// The issuer claim of every token.
pub const ISSUER: &str = "mock-zion";

struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    public_pem: String,
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let private = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048)
            .expect("2048-bit RSA key generation does not fail with the OS RNG");
        let private_pem = private
            .to_pkcs8_pem(LineEnding::LF)
            .expect("an RSA key encodes as PKCS#8");
        let public_pem = rsa::RsaPublicKey::from(&private)
            .to_public_key_pem(LineEnding::LF)
            .expect("an RSA public key encodes as SPKI");
        Keys {
            encoding: EncodingKey::from_rsa_pem(private_pem.as_bytes())
                .expect("jsonwebtoken reads the PKCS#8 PEM it was given"),
            decoding: DecodingKey::from_rsa_pem(public_pem.as_bytes())
                .expect("jsonwebtoken reads the SPKI PEM it was given"),
            public_pem,
        }
    })
}

/// The claims of a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The account id, as text.
    pub sub: String,
    /// Issued at (seconds since the epoch).
    pub iat: u64,
    /// Expires at (seconds since the epoch).
    pub exp: u64,
    /// [`ISSUER`].
    pub iss: String,
    /// A random id: two log-ins in the same second get different tokens, so expiring one
    /// login never expires the next.
    #[serde(default)]
    pub jti: String,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// A token for `account`, valid for `lifetime_secs` from now.
///
/// ```
/// let token = mock_zion::auth::jwt::issue(7, 60);
/// assert_eq!(mock_zion::auth::jwt::verify(&token), Ok(7));
/// assert_ne!(token, mock_zion::auth::jwt::issue(7, 60), "each log-in its own token");
/// ```
pub fn issue(account: i64, lifetime_secs: u64) -> String {
    let iat = now();
    let claims = Claims {
        sub: account.to_string(),
        iat,
        exp: iat + lifetime_secs,
        iss: ISSUER.into(),
        jti: {
            use rand::Rng;
            format!("{:032x}", rand::thread_rng().gen::<u128>())
        },
    };
    jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &keys().encoding)
        .expect("RS256 signing with a valid key does not fail")
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Its `exp` has passed.
    Expired,
    /// It is not a token this run signed (tampered, another key, malformed).
    Invalid,
}

/// The account a token stands for.
///
/// # Errors
/// [`Refusal::Expired`] or [`Refusal::Invalid`].
pub fn verify(token: &str) -> Result<i64, Refusal> {
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[ISSUER]);
    validation.leeway = 0;
    match jsonwebtoken::decode::<Claims>(token, &keys().decoding, &validation) {
        Ok(data) => data.claims.sub.parse().map_err(|_| Refusal::Invalid),
        Err(e) if matches!(e.kind(), jsonwebtoken::errors::ErrorKind::ExpiredSignature) => {
            Err(Refusal::Expired)
        }
        Err(_) => Err(Refusal::Invalid),
    }
}

/// Whether `token` looks like a JWT (three base64url parts), as opposed to a fixed token from
/// the config.
pub fn looks_like_jwt(token: &str) -> bool {
    token.split('.').count() == 3 && token.starts_with("eyJ")
}

/// The public key that verifies this run's tokens (PEM), for a backend of the team's own.
pub fn public_pem() -> &'static str {
    &keys().public_pem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tampered_token_is_invalid_and_an_old_one_expired() {
        let token = issue(7, 60);
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = jsonwebtoken::encode(
            &Header::new(Algorithm::RS256),
            &Claims {
                sub: "8".into(),
                iat: now(),
                exp: now() + 60,
                iss: ISSUER.into(),
                jti: String::new(),
            },
            &keys().encoding,
        )
        .unwrap();
        let forged_payload = forged.split('.').nth(1).unwrap().to_string();
        parts[1] = &forged_payload;
        assert_eq!(
            verify(&parts.join(".")),
            Err(Refusal::Invalid),
            "payload swapped"
        );
        let expired = jsonwebtoken::encode(
            &Header::new(Algorithm::RS256),
            &Claims {
                sub: "7".into(),
                iat: now() - 120,
                exp: now() - 60,
                iss: ISSUER.into(),
                jti: String::new(),
            },
            &keys().encoding,
        )
        .unwrap();
        assert_eq!(verify(&expired), Err(Refusal::Expired));
        assert_eq!(verify("eyJ.not.jwt"), Err(Refusal::Invalid));
    }
}
