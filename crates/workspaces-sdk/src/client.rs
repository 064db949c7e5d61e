//! Building a [`Client`] for any provider from [`Credentials`].

use workspaces_sdk_runtime::{Config, ConfigError, Paging};

use crate::{Client, Credentials, ListWorkspaces, WorkspacePages, Workspaces};

impl Client {
    /// A client for the provider's default server.
    ///
    /// # Errors
    ///
    /// When the provider has no default server (Delay's API runs wherever it
    /// is deployed: use [`Client::with_base_url`]), or the credential cannot be
    /// sent in a header.
    pub fn new(credentials: Credentials) -> Result<Self, ConfigError> {
        Self::with_config(None, credentials, Config::default())
    }

    /// A client for the server at `base_url` (self-hosted, a proxy, a mock).
    ///
    /// # Errors
    ///
    /// When `base_url` is not an absolute http(s) URL, or the credential cannot
    /// be sent in a header.
    pub fn with_base_url(base_url: &str, credentials: Credentials) -> Result<Self, ConfigError> {
        Self::with_config(Some(base_url), credentials, Config::default())
    }

    /// A client for `base_url` (or the default server), with the retries,
    /// rate limit and timeouts of `config`.
    ///
    /// # Errors
    ///
    /// As for [`Client::new`] and [`Client::with_base_url`].
    pub fn with_config(base_url: Option<&str>, credentials: Credentials, config: Config) -> Result<Self, ConfigError> {
        let provider = credentials.provider();
        let base_url = match base_url.or(provider.default_base_url()) {
            Some(base_url) => base_url,
            None => {
                return Err(ConfigError::NoDefaultServer {
                    provider: provider.name(),
                });
            }
        };
        Self::connect(provider, base_url, credentials.credential().clone(), config)
    }

    /// Every workspace the credential can reach, across all pages, each once.
    ///
    /// The stream owns a clone of the client (a few shared handles): a
    /// function that owns or borrows a client can return it, and it can be
    /// spawned (`'static` and `Send`).
    pub fn workspaces(&self) -> Workspaces<'static> {
        self.list_items(Paging::default())
    }

    /// [`Client::workspaces`], page by page.
    pub fn workspace_pages(&self) -> WorkspacePages<'static> {
        self.list_pages(Paging::default())
    }
}

/// The listing's pages and workspaces own a clone of the client, whatever
/// `'a` is.
impl<'a> ListWorkspaces<'a> for &'a Client {
    fn workspace_pages_with(self, paging: Paging) -> WorkspacePages<'a> {
        self.list_pages(paging)
    }

    fn workspaces_with(self, paging: Paging) -> Workspaces<'a> {
        self.list_items(paging)
    }
}

/// An owned client lists as a borrowed one does.
impl ListWorkspaces<'static> for Client {
    fn workspace_pages_with(self, paging: Paging) -> WorkspacePages<'static> {
        self.list_pages(paging)
    }

    fn workspaces_with(self, paging: Paging) -> Workspaces<'static> {
        self.list_items(paging)
    }
}
