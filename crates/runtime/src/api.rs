//! The static description of a provider's API, emitted by the generator.

impl Api {
    /// The `operationId` of an operation progenitor names `hook_id`.
    pub fn operation_id(&self, hook_id: &str) -> Option<&'static str> {
        self.operations
            .iter()
            .find(|(hook, _)| *hook == hook_id)
            .map(|(_, id)| *id)
    }
}

/// What the generated client of one provider needs to know at run time that
/// progenitor does not carry: read by `cargo xtask generate` from the spec's
/// `info`, `securitySchemes` and header parameter defaults.
#[derive(Debug)]
pub struct Api {
    /// The provider's display name, for example `Motion`.
    pub provider: &'static str,
    /// The `User-Agent` every request carries: the crate's name and version.
    pub user_agent: &'static str,
    /// The security schemes the client's credentials go into, as the spec's
    /// chosen requirement names them (empty: the API takes none). The
    /// constructor's credential goes into the first; each other one takes its
    /// own from [`Config::credential`](crate::Config::credential).
    pub auth: &'static [Auth],
    /// The operations (`operationId`s) that take no credential (`security: []`).
    pub public_operations: &'static [&'static str],
    /// Each operation's name as progenitor gives it to the hooks (snake case),
    /// with its `operationId`: `("list_workspaces", "listWorkspaces")`.
    pub operations: &'static [(&'static str, &'static str)],
    /// Headers sent with an operation unless the caller set them.
    pub header_defaults: &'static [HeaderDefault],
    /// Numeric bounds of query parameters, checked before a request is sent.
    pub bounds: &'static [Bound],
}

/// A security scheme of the spec and where its credential goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Auth {
    /// The scheme's name in `components.securitySchemes`.
    pub scheme: &'static str,
    /// Where the credential goes on the wire.
    pub place: Place,
}

/// Where a credential goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A header whose value is a fixed prefix followed by the credential:
    /// an `apiKey` header (`x-api-key`, no prefix), or `Authorization` with
    /// `Bearer ` for `http` `bearer`, `oauth2` and `openIdConnect`.
    Header {
        /// The header's name, as the spec spells it.
        name: &'static str,
        /// What precedes the credential (`""`, `"Bearer "`).
        prefix: &'static str,
    },
    /// HTTP basic: `Authorization: Basic <base64 of user:password>`, the
    /// credential being `user:password` ([`Credential::basic`](crate::Credential::basic)).
    Basic,
    /// An `apiKey` query parameter of this name.
    Query(&'static str),
    /// An `apiKey` cookie of this name.
    Cookie(&'static str),
}

/// A header parameter's default value, applied when the caller did not set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderDefault {
    /// The `operationId` of the operation that takes the header.
    pub operation_id: &'static str,
    /// The header's name.
    pub header: &'static str,
    /// The default value.
    pub value: &'static str,
}

/// The bounds the spec sets on a numeric query parameter (`minimum`,
/// `maximum`), which progenitor does not enforce.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// The `operationId` of the operation.
    pub operation_id: &'static str,
    /// The query parameter.
    pub parameter: &'static str,
    /// The smallest value allowed, if any.
    pub minimum: Option<f64>,
    /// The largest value allowed, if any.
    pub maximum: Option<f64>,
}

impl Bound {
    /// Why `value` is out of bounds, or `None` if it is within them.
    pub fn violation(&self, value: f64) -> Option<String> {
        let too_small = self.minimum.is_some_and(|min| value < min);
        let too_large = self.maximum.is_some_and(|max| value > max);
        (too_small || too_large)
            .then(|| format!("parameter `{}` must be {}, got {value}", self.parameter, self.range()))
    }

    /// The allowed range in words: `between 1 and 100`, `at least 1`.
    pub fn range(&self) -> String {
        match (self.minimum, self.maximum) {
            (Some(min), Some(max)) => format!("between {min} and {max}"),
            (Some(min), None) => format!("at least {min}"),
            (None, Some(max)) => format!("at most {max}"),
            (None, None) => "a number".to_owned(),
        }
    }
}
