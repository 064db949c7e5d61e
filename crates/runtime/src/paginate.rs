//! Streams over paginated listings, of whole pages or of items, for the
//! styles the specs describe with `x-pagination`: a cursor read from each
//! page, page numbers or offsets (here), a link to the next page
//! (`links.rs`). The generated `pages()` and `stream()` of an operation
//! call these with the request the user built, so every other parameter of
//! the request is kept on every page.

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
pub(crate) fn with_item_errors<P, E>(page: P, errors: Vec<Error<E>>) -> Vec<Result<P, Error<E>>> {
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
    /// The most pages in flight at once, for page-number and offset
    /// listings (a cursor or a link is known only once its page has come). A listing starts with one
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
    /// Items a page asks for, for page-number and offset listings (`None`:
    /// the request's own, else the largest the spec allows, or the server's
    /// default if the spec sets none).
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

/// What a cursor listing needs of its generated code.
pub struct ByCursor<B, C, Fut, P, E> {
    /// The request with the cursor set.
    pub with_cursor: fn(B, C) -> B,
    /// Sends a request.
    pub send: fn(B) -> Fut,
    /// A page's next cursor, if it has one.
    pub next_cursor: fn(&P) -> Option<C>,
    /// Whether a page says it is the last (`Some(true)`) or not, from its
    /// `hasMore` or `total` and the items read so far, this page's included.
    pub last: fn(&P, u64) -> Option<bool>,
    /// How many items a page holds.
    pub len: fn(&P) -> usize,
    /// How a page that does not decode is read item by item.
    pub recover: Recover<P, E>,
}

/// The pages of a cursor listing: the first request as built, then the same
/// request with each page's next cursor (a string or an integer, `C`), until
/// a page has none or says it is the last. A cursor that comes back a
/// second time ends the stream with an error. A page that does not decode
/// is read item by item (`recover`), and the listing goes on from its cursor.
pub fn by_cursor<'a, B, C, Fut, P, E>(
    (provider, operation): (&'static str, &'static str),
    request: B,
    paging: Paging,
    listing: ByCursor<B, C, Fut, P, E>,
) -> Pages<'a, P, E>
where
    B: Clone + Send + 'a,
    C: Clone + Eq + std::hash::Hash + std::fmt::Display + Send + 'a,
    Fut: Future<Output = Result<ResponseValue<P>, Error<E>>> + Send + 'a,
    P: Send + 'a,
    E: Send + 'a,
{
    let ByCursor {
        with_cursor,
        send,
        next_cursor,
        last,
        len,
        recover,
    } = listing;
    enum Next<C> {
        Page(Option<C>),
        Repeated(C),
        Done,
    }
    let start = (Next::Page(None), HashSet::new(), 0_usize, 0_u64);
    let pages = stream::unfold(start, move |(next, mut seen, pages, items)| {
        let request = request.clone();
        async move {
            let fail = |message: String| Error::pagination(provider, operation, message);
            let cursor = match next {
                Next::Done => return None,
                Next::Repeated(cursor) => {
                    let error = fail(format!("the server returned the cursor `{cursor}` a second time"));
                    return Some((vec![Err(error)], (Next::Done, seen, pages, items)));
                }
                Next::Page(cursor) => cursor,
            };
            if pages >= paging.max_pages {
                let error = too_many_pages(provider, operation, paging.max_pages);
                return Some((vec![Err(error)], (Next::Done, seen, pages, items)));
            }
            let request = match cursor {
                Some(cursor) => with_cursor(request, cursor),
                None => request,
            };
            let (page, errors, _) = match page_of(send(request).await, recover) {
                Ok(page) => page,
                Err(error) => return Some((vec![Err(error)], (Next::Done, seen, pages, items))),
            };
            let items = items + len(&page) as u64;
            let next = match next_cursor(&page) {
                _ if last(&page, items) == Some(true) => Next::Done,
                None => Next::Done,
                Some(cursor) if !seen.insert(cursor.clone()) => Next::Repeated(cursor),
                Some(cursor) => Next::Page(Some(cursor)),
            };
            Some((with_item_errors(page, errors), (next, seen, pages + 1, items)))
        }
    });
    Box::pin(pages.flat_map(stream::iter))
}

/// A page number, offset or size the request was given, as the walk
/// counts it (whatever integer type its parameter has).
pub fn as_u64<T: TryInto<u64>>(value: T) -> Option<u64> {
    value.try_into().ok()
}

/// How a positional listing counts where a page starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// Page numbers from 1: the next page is the next number.
    Pages,
    /// Offsets from 0: the next page starts past the items received.
    Offsets,
}

/// What a page-number or offset listing needs of its generated code.
pub struct ByPosition<B, Fut, P, E> {
    /// Page numbers or offsets.
    pub counting: Counting,
    /// The page number (or offset) and page size the request was given
    /// itself, if any.
    pub own: fn(&B) -> (Option<u64>, Option<u64>),
    /// The request with its page number (or offset) and page size set.
    pub with_position: fn(B, u64, Option<u64>) -> B,
    /// Sends a request.
    pub send: fn(B) -> Fut,
    /// How many items a page holds.
    pub len: fn(&P) -> usize,
    /// Whether a page says it is the last (`Some(true)`) or not, from its
    /// `hasMore` or `total` and the items read so far, this page's included.
    pub last: fn(&P, u64) -> Option<bool>,
    /// The page size when the paging sets none.
    pub default_page_size: Option<u64>,
    /// How a page that does not decode is read item by item.
    pub recover: Recover<P, E>,
}

/// A page's fingerprint: the hash of its JSON, written to the hasher as it
/// is serialized (nothing allocated).
fn fingerprint<P: serde::Serialize>(page: &P) -> u64 {
    use std::hash::Hasher;
    struct Writer(std::hash::DefaultHasher);
    impl std::io::Write for Writer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.write(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut writer = Writer(std::hash::DefaultHasher::new());
    let _ = serde_json::to_writer(&mut writer, page);
    writer.0.finish()
}

/// The pages of a page-number or offset listing: from the request's own
/// page number or offset (else 1, or 0), `prefetch` pages at a time. The
/// page size is the paging's, else the request's own, else the listing's
/// default.
///
/// The end: where a page says (`hasMore`, `total`), there; otherwise an
/// empty page, or for page numbers a page shorter than its size. For
/// offsets a short page may be a server's cap on its size: the next offset
/// is the previous one plus the items received, until an empty page.
///
/// A page identical to the one before it (a server that ignores the page
/// parameter) ends the stream with an error, not with the same items again.
/// A page that does not decode is read item by item (its items counted as
/// they came), and the listing goes on.
pub fn by_position<'a, B, Fut, P, E>(
    (provider, operation): (&'static str, &'static str),
    request: B,
    paging: Paging,
    listing: ByPosition<B, Fut, P, E>,
) -> Pages<'a, P, E>
where
    B: Clone + Send + 'a,
    Fut: Future<Output = Result<ResponseValue<P>, Error<E>>> + Send + 'a,
    P: serde::Serialize + Send + 'a,
    E: Send + 'a,
{
    let ByPosition {
        counting,
        own,
        with_position,
        send,
        len,
        last,
        default_page_size,
        recover,
    } = listing;
    let (own_position, own_size) = own(&request);
    let size = paging.page_size.or(own_size).or(default_page_size);
    let offsets = counting == Counting::Offsets;
    let first = match offsets {
        true => own_position.unwrap_or(0),
        false => own_position.unwrap_or(1).max(1),
    };
    // How far apart the pages in flight start: one page number, or a page
    // of items (unknown for offsets until a page has come, without a size).
    let stride = match offsets {
        true => size.unwrap_or(0),
        false => 1,
    };
    // Items before the first page, for `total`.
    let before = match offsets {
        true => first,
        false => (first - 1).saturating_mul(size.unwrap_or(0)),
    };
    let prefetch = paging.prefetch.max(1);
    let fetch = move |position: u64| {
        let request = with_position(request.clone(), position, size);
        async move { (position, send(request).await) }
    };
    struct Walk<F: Future> {
        next: u64,
        stride: u64,
        in_flight: stream::FuturesOrdered<F>,
        requested: usize,
        read: u32,
        items: u64,
        previous: Option<u64>,
        done: bool,
    }
    let start = Walk {
        next: first,
        stride,
        in_flight: stream::FuturesOrdered::new(),
        requested: 0,
        read: 0,
        items: before,
        previous: None,
        done: false,
    };
    let pages = stream::unfold(start, move |mut walk| {
        let fetch = fetch.clone();
        async move {
            if walk.done {
                return None;
            }
            // One page in flight at first, twice as many after each page
            // read, up to `prefetch` (one at a time while the stride is unknown).
            let window = match walk.stride {
                0 => 1,
                _ => prefetch.min(1_usize.checked_shl(walk.read).unwrap_or(usize::MAX)),
            };
            while walk.in_flight.len() < window && walk.requested < paging.max_pages {
                walk.in_flight.push_back(fetch(walk.next));
                walk.next += walk.stride.max(1);
                walk.requested += 1;
            }
            let fail = |walk: Walk<_>, error| Some((vec![Err(error)], Walk { done: true, ..walk }));
            let Some((position, result)) = walk.in_flight.next().await else {
                return fail(walk, too_many_pages(provider, operation, paging.max_pages));
            };
            walk.read = walk.read.saturating_add(1);
            let (page, errors, count) = match page_of(result, recover) {
                Ok(page) => page,
                Err(error) => {
                    walk.in_flight = stream::FuturesOrdered::new();
                    return fail(walk, error);
                }
            };
            // A recovered page counts its odd items too: a full page is not the last.
            let count = count.unwrap_or_else(|| len(&page)) as u64;
            let print = fingerprint(&page);
            if count > 0 && walk.previous == Some(print) {
                walk.in_flight = stream::FuturesOrdered::new();
                let message = "the server answered two requests for different pages with the same page: \
                               it does not read the paging parameters as the spec says";
                return fail(walk, Error::pagination(provider, operation, message.into()));
            }
            walk.previous = Some(print);
            walk.items = walk.items.saturating_add(count);
            if count == 0 && position != first {
                return None;
            }
            let last = match last(&page, walk.items) {
                Some(said) => said || count == 0,
                None if count == 0 => true,
                None if offsets => false,
                None => size.is_some_and(|size| count < size),
            };
            if offsets && !last && count < walk.stride.max(1) || offsets && walk.stride == 0 {
                // Fewer items than asked for (a cap on the page size, or the
                // last page): go on from past them, this many at a time.
                walk.in_flight = stream::FuturesOrdered::new();
                walk.next = position + count;
                walk.stride = count;
                walk.read = 0;
            }
            if last {
                walk.in_flight = stream::FuturesOrdered::new();
                walk.done = true;
            }
            Some((with_item_errors(page, errors), walk))
        }
    });
    Box::pin(pages.flat_map(stream::iter))
}

/// The error that ends a listing longer than [`Paging::max_pages`].
pub(crate) fn too_many_pages<E>(provider: &'static str, operation: &'static str, max_pages: usize) -> Error<E> {
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
    use std::sync::{Arc, Mutex};

    use super::*;

    /// Every request sent: its position and size.
    type Log = Arc<Mutex<Vec<(u64, Option<u64>)>>>;

    /// A request of a positional listing: its position and size, and the
    /// log of every request sent.
    #[derive(Clone)]
    struct Request {
        position: Option<u64>,
        size: Option<u64>,
        log: Log,
        server: fn(u64, Option<u64>) -> Vec<u32>,
    }

    type Sent = std::future::Ready<Result<ResponseValue<Vec<u32>>, Error<()>>>;

    fn send(request: Request) -> Sent {
        let position = request.position.unwrap_or(0);
        request.log.lock().unwrap().push((position, request.size));
        let page = (request.server)(position, request.size);
        std::future::ready(Ok(ResponseValue::new(
            page,
            reqwest::StatusCode::OK,
            Default::default(),
        )))
    }

    fn listing(
        counting: Counting,
        last: fn(&Vec<u32>, u64) -> Option<bool>,
    ) -> ByPosition<Request, Sent, Vec<u32>, ()> {
        ByPosition {
            counting,
            own: |_| (None, None),
            with_position: |request, position, size| Request {
                position: Some(position),
                size,
                ..request
            },
            send,
            len: Vec::len,
            last,
            default_page_size: None,
            recover: |_| None,
        }
    }

    async fn walk(
        counting: Counting,
        server: fn(u64, Option<u64>) -> Vec<u32>,
        paging: Paging,
        last: fn(&Vec<u32>, u64) -> Option<bool>,
    ) -> (Vec<Result<u32, String>>, Vec<(u64, Option<u64>)>) {
        let log = Arc::new(Mutex::new(Vec::new()));
        let request = Request {
            position: None,
            size: None,
            log: log.clone(),
            server,
        };
        let pages = by_position(("Example", "listThings"), request, paging, listing(counting, last));
        let all: Vec<_> = items(pages, |page| page)
            .map(|item| item.map_err(|e| e.to_string()))
            .collect()
            .await;
        let sent = log.lock().unwrap().clone();
        (all, sent)
    }

    /// Seven items, served from an offset, at most three at a time.
    fn capped_at_three(offset: u64, size: Option<u64>) -> Vec<u32> {
        (1..=7)
            .skip(offset as usize)
            .take(size.unwrap_or(3).min(3) as usize)
            .collect()
    }

    #[tokio::test]
    async fn offsets_go_on_past_a_server_s_cap_on_the_page_size_and_end_on_an_empty_page() {
        let paging = Paging {
            prefetch: 1,
            page_size: Some(5),
            ..Paging::default()
        };
        let (all, sent) = walk(Counting::Offsets, capped_at_three, paging, |_, _| None).await;
        assert_eq!(all, (1..=7).map(Ok).collect::<Vec<_>>());
        assert_eq!(sent, [(0, Some(5)), (3, Some(5)), (6, Some(5)), (7, Some(5))]);
    }

    #[tokio::test]
    async fn a_total_ends_an_offset_listing_without_a_request_past_it() {
        let paging = Paging {
            prefetch: 1,
            page_size: Some(5),
            ..Paging::default()
        };
        let (all, sent) = walk(Counting::Offsets, capped_at_three, paging, |_, seen| Some(seen >= 7)).await;
        assert_eq!(all, (1..=7).map(Ok).collect::<Vec<_>>());
        assert_eq!(sent, [(0, Some(5)), (3, Some(5)), (6, Some(5))]);
    }

    #[tokio::test]
    async fn a_server_that_ignores_the_page_number_ends_the_listing_with_an_error() {
        let (all, sent) = walk(Counting::Pages, |_, _| vec![1, 2, 3], Paging::default(), |_, _| None).await;
        assert_eq!(all[..3], [Ok(1), Ok(2), Ok(3)], "the first page once");
        assert_eq!(all.len(), 4, "{all:?}");
        assert!(all[3].as_ref().unwrap_err().contains("the same page"), "{all:?}");
        assert!(sent.len() <= 2 + Paging::default().prefetch, "{sent:?}");
    }

    #[tokio::test]
    async fn has_more_decides_the_end_of_a_page_number_listing_not_a_short_page() {
        // Pages of two where three were asked for; the third page says it is the last.
        let server = |page: u64, _: Option<u64>| match page {
            1 => vec![1, 2],
            2 => vec![3, 4],
            3 => vec![5],
            _ => Vec::new(),
        };
        let paging = Paging {
            prefetch: 1,
            page_size: Some(3),
            ..Paging::default()
        };
        let (all, sent) = walk(Counting::Pages, server, paging, |page, _| Some(page.contains(&5))).await;
        assert_eq!(all, (1..=5).map(Ok).collect::<Vec<_>>());
        assert_eq!(sent.len(), 3, "{sent:?}");
    }

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
