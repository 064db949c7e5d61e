//! Every workspace of a listing, across all its pages, as normalized
//! [`Workspace`]s: the generated code hands each provider's pages here.

use std::{collections::HashSet, pin::Pin};

use futures_util::{Stream, StreamExt, stream};
use serde::Serialize;
use serde_json::Value;
use workspaces_sdk_runtime::{Pages, Paging};

use crate::{Provider, Workspace};

/// The error of a listing, whichever the provider: its documented error body
/// (if any) as JSON. It names the provider, the operation and the status.
pub type Error = workspaces_sdk_runtime::Error<Value>;

/// The pages of a listing, normalized, or the error that ended it.
pub type WorkspacePages<'a> = Pin<Box<dyn Stream<Item = Result<Vec<Workspace>, Error>> + Send + 'a>>;

/// Every workspace of a listing, page after page, or the error that ended it.
pub type Workspaces<'a> = Pin<Box<dyn Stream<Item = Result<Workspace, Error>> + Send + 'a>>;

/// A request that lists workspaces: each provider's listing builder (with any
/// filters set on it), and [`crate::Client`].
pub trait ListWorkspaces<'a>: Sized {
    /// The pages of the listing, walked as `paging` says (for listings that
    /// come in pages; others come as one page).
    fn workspace_pages_with(self, paging: Paging) -> WorkspacePages<'a>;

    /// The pages of the listing, one at a time.
    fn workspace_pages(self) -> WorkspacePages<'a> {
        self.workspace_pages_with(Paging::default())
    }

    /// Every workspace of every page, each once, one page in memory at a time.
    fn workspaces(self) -> Workspaces<'a> {
        self.workspaces_with(Paging::default())
    }

    /// [`ListWorkspaces::workspaces`], walked as `paging` says.
    fn workspaces_with(self, paging: Paging) -> Workspaces<'a> {
        workspaces_sdk_runtime::plumbing::items(self.workspace_pages_with(paging), |page| page)
    }
}

/// Normalizes each page's items (`items` takes them out of a page, `wrap`
/// normalizes one); a provider whose listing may repeat a workspace has each
/// id kept once. `wrap` is a function item or closure, not a pointer, so
/// that the read of each item inlines.
#[allow(
    clippy::result_large_err,
    reason = "the error is the runtime's, as every call returns it"
)]
pub(crate) fn normalized<'a, P, E, T, W>(
    provider: Provider,
    pages: Pages<'a, P, E>,
    items: fn(P) -> Vec<T>,
    wrap: W,
) -> WorkspacePages<'a>
where
    P: 'a,
    E: Serialize + 'a,
    T: 'a,
    W: Fn(T) -> Workspace + Send + 'a,
{
    let unique = provider.info().unique;
    let mut seen = HashSet::new();
    Box::pin(pages.map(move |page| {
        let page = page.map_err(json_body)?;
        let mut workspaces: Vec<Workspace> = items(page).into_iter().map(&wrap).collect();
        if unique {
            workspaces.retain(|workspace| seen.insert(workspace.id().into_owned()));
        }
        Ok(workspaces)
    }))
}

/// [`normalized`], item by item: each workspace is normalized as the stream
/// reaches it, with no page of normalized workspaces in between (but for a
/// listing that may repeat a workspace, whose pages are checked whole).
#[allow(
    clippy::result_large_err,
    reason = "the error is the runtime's, as every call returns it"
)]
pub(crate) fn normalized_items<'a, P, E, T, W>(
    provider: Provider,
    pages: Pages<'a, P, E>,
    items: fn(P) -> Vec<T>,
    wrap: W,
) -> Workspaces<'a>
where
    P: Send + 'a,
    E: Serialize + Send + 'a,
    T: Send + 'a,
    W: Fn(T) -> Workspace + Copy + Send + 'a,
{
    if provider.info().unique {
        return workspaces_sdk_runtime::plumbing::items(normalized(provider, pages, items, wrap), |page| page);
    }
    Box::pin(pages.flat_map(move |page| match page {
        Ok(page) => stream::iter(items(page).into_iter().map(move |item| Ok(wrap(item)))).left_stream(),
        Err(error) => stream::once(std::future::ready(Err(json_body(error)))).right_stream(),
    }))
}

/// A provider's error with its body as JSON, the one error type of every listing.
fn json_body<E: Serialize>(error: workspaces_sdk_runtime::Error<E>) -> Error {
    error.map_body(|body| serde_json::to_value(body).unwrap_or(Value::Null))
}
