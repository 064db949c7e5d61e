//! What a [`Provider`] is called, where its credential and server are, and
//! how it is named on a command line.

use crate::Provider;

/// What the generated code knows of a provider: its names, where its
/// credential is looked for, its default server, and how its workspaces read.
#[derive(Debug)]
pub(crate) struct ProviderInfo {
    pub id: &'static str,
    pub name: &'static str,
    pub credential_variable: &'static str,
    /// Every variable the credential may be read from, `credential_variable`
    /// first (`<ID>_BASIC_AUTH` beside `<ID>_TOKEN` where the spec offers both).
    pub credential_variables: &'static [&'static str],
    pub default_base_url: Option<&'static str>,
    /// Whether a listing may hold the same workspace twice (kept once).
    pub unique: bool,
    /// The provider's OpenAPI description as written, in JSON.
    pub openapi: &'static str,
}

impl Provider {
    /// The provider's id: its spec's file name, and its cargo feature and
    /// module here (`motion`).
    pub fn id(self) -> &'static str {
        self.info().id
    }

    /// The provider's display name (`Motion`).
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The environment variable [`crate::Credentials::from_env`] reads (`MOTION_API_KEY`).
    pub fn credential_variable(self) -> &'static str {
        self.info().credential_variable
    }

    /// Every environment variable [`crate::Credentials::from_env`] may read,
    /// [`Self::credential_variable`] first: where the spec offers HTTP basic
    /// beside a token scheme, `<ID>_BASIC_AUTH` (`user:password`) and
    /// `<ID>_TOKEN`, and the credential goes into the scheme of the one set.
    pub fn credential_variables(self) -> &'static [&'static str] {
        self.info().credential_variables
    }

    /// The OpenAPI description of the provider's API this build was
    /// generated from, as written, in JSON (what the
    /// `drift` checks read).
    pub fn openapi(self) -> &'static str {
        self.info().openapi
    }

    /// The server [`crate::Client::new`] talks to, if the provider has one.
    pub fn default_base_url(self) -> Option<&'static str> {
        self.info().default_base_url
    }
}

impl std::fmt::Display for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The text is not the id of a provider of this build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownProvider(pub String);

impl std::fmt::Display for UnknownProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let known: Vec<&str> = Provider::ALL.iter().map(|p| p.id()).collect();
        write!(f, "unknown provider `{}`: use one of {}", self.0, known.join(", "))
    }
}

impl std::error::Error for UnknownProvider {}

impl std::str::FromStr for Provider {
    type Err = UnknownProvider;

    /// A provider by id or name, in any case (`motion`, `SeaTable`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Provider::ALL
            .iter()
            .copied()
            .find(|p| p.id().eq_ignore_ascii_case(text) || p.name().eq_ignore_ascii_case(text))
            .ok_or_else(|| UnknownProvider(text.to_owned()))
    }
}

impl serde::Serialize for Provider {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}
