//! Streams over paginated listings, of whole pages or of items, for the two
//! schemes the specs describe with `x-pagination`: a cursor read from each
//! page, or page numbers. The generated `pages()` and `stream()` of an
//! operation call these with the request the user built, so every other
//! parameter of the request is kept on every page.

use std::{collections::HashSet, future::Future, pin::Pin};

use futures_util::{Stream, StreamExt, stream};
use progenitor_client::ResponseValue;

use crate::{Error, recover::Recovered};

/// How a listing reads a page that does not decode as a whole, item by item
/// (`recover`); `None` when it cannot.
pub type Recover<P, E> = fn(&Error<E>) -> Option<Recovered<P, E>>;

/// A page read: the page, the errors of its odd items and, for a page read
/// item by item, how many items it held in all.
type PageRead<P, E> = (P, Vec<Error<E>>, Option<usize>);

/// A page as it came, or read item by item (`recover`) when it did not
/// decode; or the error that ends the listing.
#[allow(
    clippy::result_large_err,
    reason = "the error is the runtime's, as every call returns it"
)]
fn page_of<P, E>(
    result: Result<ResponseValue<P>, Error<E>>,
    recover: Recover<P, E>,
) -> Result<PageRead<P, E>, Error<E>> {
    match result {
        Ok(value) => Ok((value.into_inner(), Vec::new(), None)),
        Err(error) => match recover(&error) {
            Some(Recovered { page, errors, count }) => Ok((page, errors, Some(count))),
            None => Err(error),
        },
    }
}

/// A page, then an error for each of its items that did not decode.
fn with_item_errors<P, E>(page: P, errors: Vec<Error<E>>) -> Vec<Result<P, Error<E>>> {
    std::iter::once(Ok(page)).chain(errors.into_iter().map(Err)).collect()
}

/// The one page of a listing that is not paginated, read item by item if it
/// does not decode as a whole.
pub fn one_page<'a, P, E>(
    response: impl Future<Output = Result<ResponseValue<P>, Error<E>>> + Send + 'a,
    recover: Recover<P, E>,
) -> Pages<'a, P, E>
where
    P: Send + 'a,
    E: Send + 'a,
{
    Box::pin(
        stream::once(async move {
            match page_of(response.await, recover) {
                Ok((page, errors, _)) => with_item_errors(page, errors),
                Err(error) => vec![Err(error)],
            }
        })
        .flat_map(stream::iter),
    )
}

/// A stream of pages, or of the call's error (after which it ends).
pub type Pages<'a, P, E> = Pin<Box<dyn Stream<Item = Result<P, Error<E>>> + Send + 'a>>;

/// A stream of the items of every page, or of the call's error (after which
/// it ends).
pub type Items<'a, T, E> = Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send + 'a>>;

/// How a listing is walked (`pages_with`, `stream_with`).
///
/// ```
/// # use workspaces_sdk_runtime as workspaces_sdk_motion;
/// // Every provider crate re-exports these (here Motion's).
/// use workspaces_sdk_motion::Paging;
///
/// // Up to four pages in flight, 50 items to a page, at most 100 pages.
/// let paging = Paging { prefetch: 4, page_size: Some(50), max_pages: 100 };
/// // One page after the other, never a request past the last page.
/// let one_at_a_time = Paging { prefetch: 1, ..Paging::default() };
/// assert_eq!(Paging::default().prefetch, 6);
/// # let _ = (paging, one_at_a_time);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// The most pages in flight at once, for page-number listings (a cursor
    /// is known only once its page has come). A listing starts with one
    /// request and doubles the pages in flight after each full page, up to
    /// this: a listing of one page costs one request, and a long one is read
    /// this many pages at a time, with at most `prefetch - 1` requests past
    /// its last page. At least 1 (one page after the other); memory holds at
    /// most this many pages. A client's rate limit still decides when each
    /// request goes.
    pub prefetch: usize,
    /// The stream ends with an error after this many pages: a server that
    /// never ends does not make an endless loop.
    pub max_pages: usize,
    /// Items a page asks for, for page-number listings (`None`: the largest
    /// the spec allows, or the server's default if the spec sets none).
    pub page_size: Option<u64>,
}

impl Default for Paging {
    /// Up to 6 pages in flight, at most 10 000 pages, the largest pages allowed.
    fn default() -> Self {
        Self {
            prefetch: 6,
            max_pages: 10_000,
            page_size: None,
        }
    }
}

/// What a page-number listing needs of its generated code.
pub struct ByPageNumber<B, Fut, P, E> {
    /// The page number and page size the request was given itself, if any.
    pub own: fn(&B) -> (Option<u64>, Option<u64>),
    /// The request with its page number and page size set.
    pub with_page: fn(B, u64, Option<u64>) -> B,
    /// Sends a request.
    pub send: fn(B) -> Fut,
    /// How many items a page holds.
    pub len: fn(&P) -> usize,
    /// The page size when the paging sets none.
    pub default_page_size: Option<u64>,
    /// How a page that does not decode is read item by item.
    pub recover: Recover<P, E>,
}

/// The pages of a cursor listing: the first request as built, then the same
/// request with each page's next cursor (a string or an integer, `C`), until
/// a page has none. A cursor that comes back a second time ends the stream
/// with an error. A page that does not decode is read item by item
/// (`recover`), and the listing goes on from its cursor.
pub fn by_cursor<'a, B, C, Fut, P, E>(
    (provider, operation): (&'static str, &'static str),
    request: B,
    paging: Paging,
    with_cursor: fn(B, C) -> B,
    send: fn(B) -> Fut,
    next_cursor: fn(&P) -> Option<C>,
    recover: Recover<P, E>,
) -> Pages<'a, P, E>
where
    B: Clone + Send + 'a,
    C: Clone + Eq + std::hash::Hash + std::fmt::Display + Send + 'a,
    Fut: Future<Output = Result<ResponseValue<P>, Error<E>>> + Send + 'a,
    P: Send + 'a,
    E: Send + 'a,
{
    enum Next<C> {
        Page(Option<C>),
        Repeated(C),
        Done,
    }
    let start = (Next::Page(None), HashSet::new(), 0_usize);
    let pages = stream::unfold(start, move |(next, mut seen, pages)| {
        let request = request.clone();
        async move {
            let fail = |message: String| Error::pagination(provider, operation, message);
            let cursor = match next {
                Next::Done => return None,
                Next::Repeated(cursor) => {
                    let error = fail(format!("the server returned the cursor `{cursor}` a second time"));
                    return Some((vec![Err(error)], (Next::Done, seen, pages)));
                }
                Next::Page(cursor) => cursor,
            };
            if pages >= paging.max_pages {
                let error = too_many_pages(provider, operation, paging.max_pages);
                return Some((vec![Err(error)], (Next::Done, seen, pages)));
            }
            let request = match cursor {
                Some(cursor) => with_cursor(request, cursor),
                None => request,
            };
            let (page, errors, _) = match page_of(send(request).await, recover) {
                Ok(page) => page,
                Err(error) => return Some((vec![Err(error)], (Next::Done, seen, pages))),
            };
            let next = match next_cursor(&page) {
                None => Next::Done,
                Some(cursor) if !seen.insert(cursor.clone()) => Next::Repeated(cursor),
                Some(cursor) => Next::Page(Some(cursor)),
            };
            Some((with_item_errors(page, errors), (next, seen, pages + 1)))
        }
    });
    Box::pin(pages.flat_map(stream::iter))
}

/// A page number or size the request was given, as the walk counts it
/// (whatever integer type its parameter has).
pub fn as_u64<T: TryInto<u64>>(value: T) -> Option<u64> {
    value.try_into().ok()
}

/// The pages of a page-number listing: pages 1, 2, 3, ... of the request as
/// built (from its own page number, if it has one), `prefetch` at a time,
/// until a page holds fewer items than its size (or none). The page size is
/// the paging's, else the request's own, else the listing's default. A page
/// that does not decode is read item by item (its items counted as they
/// came), and the listing goes on.
pub fn by_page_number<'a, B, Fut, P, E>(
    (provider, operation): (&'static str, &'static str),
    request: B,
    paging: Paging,
    listing: ByPageNumber<B, Fut, P, E>,
) -> Pages<'a, P, E>
where
    B: Clone + Send + 'a,
    Fut: Future<Output = Result<ResponseValue<P>, Error<E>>> + Send + 'a,
    P: Send + 'a,
    E: Send + 'a,
{
    let (own_page, own_size) = (listing.own)(&request);
    let size = paging.page_size.or(own_size).or(listing.default_page_size);
    let first = own_page.unwrap_or(1).max(1);
    let (with_page, send, len, recover) = (listing.with_page, listing.send, listing.len, listing.recover);
    let prefetch = paging.prefetch.max(1);
    let max_pages = (paging.max_pages as u64).saturating_add(first - 1);
    let fetch = move |number: u64| {
        let request = with_page(request.clone(), number, size);
        async move { (number, send(request).await) }
    };
    // The pages in flight, in order: one at first, twice as many after each
    // page read, up to `prefetch`; none is asked for past the last page but
    // those already in flight when it comes (`prefetch - 1` at most).
    let start = (first, stream::FuturesOrdered::new(), false);
    let pages = stream::unfold(start, move |(mut next, mut in_flight, done)| {
        let fetch = fetch.clone();
        async move {
            if done {
                return None;
            }
            let read = u32::try_from(next - first - in_flight.len() as u64).unwrap_or(u32::MAX);
            let window = prefetch.min(1_usize.checked_shl(read).unwrap_or(usize::MAX));
            while in_flight.len() < window && next <= max_pages {
                in_flight.push_back(fetch(next));
                next += 1;
            }
            let Some((number, result)) = in_flight.next().await else {
                let error = too_many_pages(provider, operation, paging.max_pages);
                return Some((vec![Err(error)], (next, in_flight, true)));
            };
            let (page, errors, count) = match page_of(result, recover) {
                Ok(page) => page,
                Err(error) => return Some((vec![Err(error)], (next, stream::FuturesOrdered::new(), true))),
            };
            // A recovered page counts its odd items too: a full page is not the last.
            let count = count.unwrap_or_else(|| len(&page)) as u64;
            let last = count == 0 || size.is_some_and(|size| count < size);
            if count == 0 && number > first {
                return None;
            }
            let in_flight = if last { stream::FuturesOrdered::new() } else { in_flight };
            Some((with_item_errors(page, errors), (next, in_flight, last)))
        }
    });
    Box::pin(pages.flat_map(stream::iter))
}

/// The error that ends a listing longer than [`Paging::max_pages`].
fn too_many_pages<E>(provider: &'static str, operation: &'static str, max_pages: usize) -> Error<E> {
    let message = format!("stopped after {max_pages} pages, the most this listing may take");
    Error::pagination(provider, operation, message)
}

/// The items of every page, one page in memory at a time.
pub fn items<'a, P, T, E>(pages: Pages<'a, P, E>, items: fn(P) -> Vec<T>) -> Items<'a, T, E>
where
    P: Send + 'a,
    T: Send + 'a,
    E: Send + 'a,
{
    Box::pin(pages.flat_map(move |page| match page {
        Ok(page) => stream::iter(items(page).into_iter().map(Ok)).left_stream(),
        Err(error) => stream::once(std::future::ready(Err(error))).right_stream(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn items_flatten_the_pages_in_order_and_end_with_the_error() {
        let pages: Pages<'static, Vec<u32>, ()> = Box::pin(stream::iter(vec![
            Ok(vec![1, 2]),
            Ok(vec![]),
            Ok(vec![3]),
            Err(Error::pagination("Example", "listThings", "stopped".into())),
        ]));
        let all: Vec<_> = items(pages, |page| page).collect().await;
        assert_eq!(all.len(), 4);
        assert_eq!(
            all[..3].iter().map(|r| *r.as_ref().unwrap()).collect::<Vec<_>>(),
            [1, 2, 3]
        );
        assert_eq!(
            all[3].as_ref().unwrap_err().to_string(),
            "Example listThings: the listing stopped: stopped"
        );
    }
}
