//! The static description of a provider's API, emitted by the generator.

/// What the generated client of one provider needs to know at run time that
/// progenitor does not carry: read by `cargo xtask generate` from the spec's
/// `info`, `securitySchemes` and header parameter defaults.
#[derive(Debug)]
pub struct Api {
    /// The provider's display name, for example `Motion`.
    pub provider: &'static str,
    /// The `User-Agent` every request carries: the crate's name and version.
    pub user_agent: &'static str,
    /// How the credential goes on the wire.
    pub auth: Auth,
    /// Headers sent with an operation unless the caller set them.
    pub header_defaults: &'static [HeaderDefault],
    /// Whether the spec declares a header named `api-version`. If it does not,
    /// the `api-version` header that progenitor adds to every request is removed
    /// before the request is sent.
    pub declares_api_version_header: bool,
}

/// How the credential goes on the wire: one header whose value is a fixed
/// prefix followed by the credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Auth {
    /// The header's name, as the spec spells it (`x-api-key`, `Authorization`).
    pub header: &'static str,
    /// What precedes the credential in the header's value (`""`, `"Bearer "`).
    pub prefix: &'static str,
}

/// A header parameter's default value, applied when the caller did not set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderDefault {
    /// The operation that takes the header, named as progenitor names it in
    /// `OperationInfo::operation_id` (the snake-case form of its `operationId`).
    pub operation_id: &'static str,
    /// The header's name.
    pub header: &'static str,
    /// The default value.
    pub value: &'static str,
}
