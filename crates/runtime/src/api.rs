//! The static description of a provider's API and of each of its
//! operations, emitted by the generator: what a call needs at run time that
//! progenitor does not carry. Each operation's [`Operation`] is a `static`
//! beside its `send()`, handed to the call, and read by the request without
//! a lookup by name.

use reqwest::header::{HeaderName, HeaderValue};

/// What the generated client of one provider needs to know at run time that
/// progenitor does not carry: read by `cargo xtask generate` from the spec's
/// `info` and `securitySchemes`.
#[derive(Debug)]
pub struct Api {
    provider: &'static str,
    user_agent: &'static str,
    auth: &'static [Auth],
    alternatives: &'static [Auth],
    token_urls: &'static [TokenUrl],
}

impl Api {
    /// The API of `provider` (its display name, for example `Motion`), whose
    /// requests carry `user_agent` (the crate's name and version), with
    /// credentials going into the security schemes `auth`, as the spec's
    /// chosen requirement names them (empty: the API takes none). The
    /// constructor's credential goes into the first; each other one takes
    /// its own from [`Config::credential`](crate::Config::credential).
    pub const fn new(provider: &'static str, user_agent: &'static str, auth: &'static [Auth]) -> Self {
        Self {
            provider,
            user_agent,
            auth,
            alternatives: &[],
            token_urls: &[],
        }
    }

    /// The API, whose OAuth2 schemes declare these token endpoints.
    #[must_use]
    pub const fn token_urls(mut self, token_urls: &'static [TokenUrl]) -> Self {
        self.token_urls = token_urls;
        self
    }

    /// The token endpoint of the first of `flows` the spec declares.
    pub(crate) fn token_url(&self, flows: &[Flow]) -> Option<&'static str> {
        flows
            .iter()
            .find_map(|flow| self.token_urls.iter().find(|token| token.flow == *flow))
            .map(|token| token.url)
    }

    /// The API, whose constructor's credential may go instead into one of
    /// `alternatives` (each a requirement of one scheme the spec offers
    /// beside the chosen one): the first whose kind the credential fits.
    #[must_use]
    pub const fn or(mut self, alternatives: &'static [Auth]) -> Self {
        self.alternatives = alternatives;
        self
    }

    /// The provider's display name.
    pub const fn provider(&self) -> &'static str {
        self.provider
    }

    /// The `User-Agent` every request carries.
    pub const fn user_agent(&self) -> &'static str {
        self.user_agent
    }

    /// The security schemes the client's credentials go into.
    pub const fn auth(&self) -> &'static [Auth] {
        self.auth
    }

    /// The schemes of one the constructor's credential may go into instead.
    pub const fn alternatives(&self) -> &'static [Auth] {
        self.alternatives
    }
}

/// One operation of a provider's API, as its call needs it: its
/// `operationId`, whether it takes a credential, the headers it sends unless
/// the caller set them, and the bounds of its numeric query parameters.
///
/// Built in a `static` by the generated code:
/// `Operation::new("listThings").bounds(&[Bound::new("limit").at_least(1.0)])`.
#[derive(Debug)]
pub struct Operation {
    id: &'static str,
    public: bool,
    header_defaults: &'static [HeaderDefault],
    bounds: &'static [Bound],
}

impl Operation {
    /// The operation `id` (its `operationId`), which takes the API's
    /// credentials, with no header default and no bound.
    pub const fn new(id: &'static str) -> Self {
        Self {
            id,
            public: false,
            header_defaults: &[],
            bounds: &[],
        }
    }

    /// The operation, taking no credential (`security: []`).
    #[must_use]
    pub const fn public(mut self) -> Self {
        self.public = true;
        self
    }

    /// The operation, sending `defaults` unless the caller set them.
    #[must_use]
    pub const fn header_defaults(mut self, defaults: &'static [HeaderDefault]) -> Self {
        self.header_defaults = defaults;
        self
    }

    /// The operation, checking `bounds` before a request is sent.
    #[must_use]
    pub const fn bounds(mut self, bounds: &'static [Bound]) -> Self {
        self.bounds = bounds;
        self
    }

    /// Its `operationId`.
    pub const fn id(&self) -> &'static str {
        self.id
    }

    /// Whether it takes no credential.
    pub(crate) const fn is_public(&self) -> bool {
        self.public
    }

    /// The headers it sends unless the caller set them.
    pub(crate) fn defaults(&self) -> &'static [HeaderDefault] {
        self.header_defaults
    }

    /// Why a request of this operation with the query `pairs` must not be
    /// sent: a numeric parameter outside its bounds, or not a number.
    pub(crate) fn violation<'a>(
        &self,
        mut pairs: impl Iterator<Item = (std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>)>,
    ) -> Option<String> {
        if self.bounds.is_empty() {
            return None;
        }
        pairs.find_map(|(name, value)| {
            let bound = self.bounds.iter().find(|b| b.parameter == name)?;
            match value.parse::<f64>() {
                Ok(number) => bound.violation(number),
                Err(_) => Some(format!(
                    "parameter `{name}` must be a number {}, got `{value}`",
                    bound.range()
                )),
            }
        })
    }

    /// The bound of the query parameter `parameter`, if it has one.
    pub(crate) fn bound(&self, parameter: &str) -> Option<&'static Bound> {
        self.bounds.iter().find(|b| b.parameter == parameter)
    }
}

/// A security scheme of the spec and where its credential goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Auth {
    /// The scheme's name in `components.securitySchemes`.
    pub scheme: &'static str,
    /// Where the credential goes on the wire.
    pub place: Place,
}

/// An OAuth2 flow of the spec's, and the endpoint its tokens come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenUrl {
    /// The flow.
    pub flow: Flow,
    /// Its `tokenUrl`.
    pub url: &'static str,
}

/// An OAuth2 flow that has a token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// `clientCredentials`.
    ClientCredentials,
    /// `authorizationCode` (its refresh tokens).
    AuthorizationCode,
    /// `password`.
    Password,
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

/// A header parameter's default value, sent when the caller did not set it.
/// Checked when the generated crate is compiled: a name that is not a
/// lowercase header name, or a value that is not visible ASCII, does not
/// build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderDefault {
    name: &'static str,
    value: &'static str,
}

impl HeaderDefault {
    /// The header `name` (in lowercase) with `value`.
    ///
    /// # Panics
    ///
    /// When `name` is not a lowercase header name or `value` not a header
    /// value: at compile time, in the `static` of the generated code.
    pub const fn new(name: &'static str, value: &'static str) -> Self {
        std::mem::forget(HeaderName::from_static(name));
        std::mem::forget(HeaderValue::from_static(value));
        Self { name, value }
    }

    /// The header as it goes on the wire (checked when it was made).
    pub(crate) fn header(&self) -> (HeaderName, HeaderValue) {
        (HeaderName::from_static(self.name), HeaderValue::from_static(self.value))
    }
}

/// The bounds the spec sets on a numeric query parameter (`minimum`,
/// `maximum`), which progenitor does not enforce.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    parameter: &'static str,
    minimum: Option<f64>,
    maximum: Option<f64>,
}

impl Bound {
    /// The query parameter `parameter`, unbounded so far.
    pub const fn new(parameter: &'static str) -> Self {
        Self {
            parameter,
            minimum: None,
            maximum: None,
        }
    }

    /// The bound, with `minimum` the smallest value allowed.
    #[must_use]
    pub const fn at_least(mut self, minimum: f64) -> Self {
        self.minimum = Some(minimum);
        self
    }

    /// The bound, with `maximum` the largest value allowed.
    #[must_use]
    pub const fn at_most(mut self, maximum: f64) -> Self {
        self.maximum = Some(maximum);
        self
    }

    /// Why `value` is out of bounds, or `None` if it is within them.
    pub(crate) fn violation(&self, value: f64) -> Option<String> {
        let too_small = self.minimum.is_some_and(|min| value < min);
        let too_large = self.maximum.is_some_and(|max| value > max);
        (too_small || too_large)
            .then(|| format!("parameter `{}` must be {}, got {value}", self.parameter, self.range()))
    }

    /// The allowed range in words: `between 1 and 100`, `at least 1`.
    pub(crate) fn range(&self) -> String {
        match (self.minimum, self.maximum) {
            (Some(min), Some(max)) => format!("between {min} and {max}"),
            (Some(min), None) => format!("at least {min}"),
            (None, Some(max)) => format!("at most {max}"),
            (None, None) => "a number".to_owned(),
        }
    }
}
