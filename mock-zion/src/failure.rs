//! A refusal the mock answers with: a GraphQL error with a machine-readable code.

/// Why a field (or a whole request) was refused. Becomes a GraphQL error whose
/// `extensions.code` is [`Failure::code`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Machine-readable class, e.g. `UNAUTHENTICATED`, `NOT_FOUND`, `BAD_USER_INPUT`.
    pub code: &'static str,
    /// What happened, what was expected, and how to fix it.
    pub message: String,
}

impl Failure {
    /// A failure of class `code`.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
        }
    }
}
