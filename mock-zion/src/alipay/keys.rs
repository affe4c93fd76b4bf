//! The RSA key pairs of a run: the merchant's (app) key that signs page-pay requests and
//! WeChat `paySign`s, and the mock Alipay's own key that signs returns and notifications.
//!
//! Generated once per process, on first use, never written to disk: nothing secret is ever
//! committed, and every run's signatures are fresh. The public halves are served as PEM
//! under `/__mock/keys/` so anyone can verify what the mock signs.

use std::sync::OnceLock;

use base64::Engine as _;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{EncodePublicKey, LineEnding};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::Sha256;

/// One RSA key pair, used for SHA256withRSA ("RSA2").
#[derive(Debug, Clone)]
pub struct KeyPair {
    private: RsaPrivateKey,
}

/// The key pairs of this run.
#[derive(Debug)]
pub struct RunKeys {
    /// The merchant's app key (signs what the merchant backend, i.e. Zion, sends).
    pub merchant: KeyPair,
    /// The mock Alipay platform's key (signs returns and notifications).
    pub alipay: KeyPair,
}

/// The run's keys, generated on first call, side by side (0.1–0.4 s each with optimised
/// dependencies).
pub fn run_keys() -> &'static RunKeys {
    static KEYS: OnceLock<RunKeys> = OnceLock::new();
    KEYS.get_or_init(|| {
        std::thread::scope(|scope| {
            let merchant = scope.spawn(KeyPair::generate);
            let alipay = KeyPair::generate();
            RunKeys {
                merchant: merchant
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                alipay,
            }
        })
    })
}

impl KeyPair {
    /// A fresh 2048-bit pair.
    pub fn generate() -> Self {
        let private = RsaPrivateKey::new(&mut rand::thread_rng(), 2048)
            .expect("2048-bit RSA key generation does not fail with the OS RNG");
        KeyPair { private }
    }

    /// SHA256withRSA over `content`, base64 — Alipay's `sign` for `sign_type=RSA2`, and
    /// WeChat Pay API v3's `paySign`.
    pub fn sign(&self, content: &str) -> String {
        let key = SigningKey::<Sha256>::new(self.private.clone());
        let signature: Signature = key.sign(content.as_bytes());
        base64::engine::general_purpose::STANDARD.encode(signature.to_bytes())
    }

    /// The public half.
    pub fn public(&self) -> PublicKey {
        PublicKey(RsaPublicKey::from(&self.private))
    }
}

/// A public key that verifies RSA2 signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey(RsaPublicKey);

impl PublicKey {
    /// Reads a PEM public key (`-----BEGIN PUBLIC KEY-----`, as Alipay's console gives it)
    /// or the bare base64 body of one.
    ///
    /// # Errors
    /// A message saying why the text is not a public key.
    pub fn from_pem(text: &str) -> Result<Self, String> {
        use rsa::pkcs8::DecodePublicKey;
        let text = text.trim();
        let pem = if text.starts_with("-----BEGIN") {
            text.to_string()
        } else {
            // PEM wants 64-character lines; consoles show the body as one line.
            let body: String = text.split_whitespace().collect();
            let lines: Vec<&str> = body
                .as_bytes()
                .chunks(64)
                .map(|chunk| std::str::from_utf8(chunk).unwrap_or_default())
                .collect();
            format!(
                "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----",
                lines.join("\n")
            )
        };
        RsaPublicKey::from_public_key_pem(&pem)
            .map(PublicKey)
            .map_err(|e| format!("not an RSA public key in PEM (SubjectPublicKeyInfo) form: {e}"))
    }

    /// The key as PEM.
    pub fn to_pem(&self) -> String {
        self.0
            .to_public_key_pem(LineEnding::LF)
            .expect("an RSA public key always encodes")
    }

    /// Whether `signature` (base64) is a SHA256withRSA signature of `content` by this key.
    pub fn verify(&self, content: &str, signature: &str) -> bool {
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(signature.trim()) else {
            return false;
        };
        let Ok(signature) = Signature::try_from(bytes.as_slice()) else {
            return false;
        };
        VerifyingKey::<Sha256>::new(self.0.clone())
            .verify(content.as_bytes(), &signature)
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_content_and_key() {
        let keys = run_keys();
        let signature = keys.merchant.sign("a=1&b=2");
        assert!(keys.merchant.public().verify("a=1&b=2", &signature));
        assert!(!keys.merchant.public().verify("a=1&b=3", &signature));
        assert!(!keys.alipay.public().verify("a=1&b=2", &signature));
        assert!(!keys.merchant.public().verify("a=1&b=2", "not base64!"));
    }

    #[test]
    fn public_keys_round_trip_through_pem_with_or_without_armour() {
        let public = run_keys().alipay.public();
        let pem = public.to_pem();
        assert_eq!(PublicKey::from_pem(&pem).unwrap(), public);
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        assert_eq!(PublicKey::from_pem(&body).unwrap(), public);
        assert!(PublicKey::from_pem("hello").is_err());
    }
}
