//! Listings that follow the next page's URL as the server gives it: in the
//! page's body (`next-link`) or in its `Link` header (`link-header`, RFC
//! 8288). The URL is sent as given, its query replacing the request's,
//! with the request's headers and credential, and only to the origin of
//! the client's base URL.

use std::{collections::HashSet, future::Future};

use futures_util::{StreamExt, stream};
use progenitor_client::ResponseValue;
use reqwest::header::{HeaderMap, LINK};

use crate::{
    Error,
    paginate::{Pages, Paging, Recover, too_many_pages, with_item_errors},
    recover::Recovered,
};

tokio::task_local! {
    /// The URL the request of this task's call goes to, in place of the
    /// one its builder makes: the next page's, as the server gave it.
    static NEXT_URL: String;
}

/// Points `request` at the next page's URL when the call is one a link
/// listing follows (see [`by_link`]): `link` resolved against the
/// request's own URL, its query replacing the request's. A link to another
/// origin (scheme, host or port) than the request's is refused, so the
/// credential never leaves the origin it was given for.
pub(crate) fn follow_next_link(request: &mut reqwest::Request) -> Result<(), String> {
    let Ok(Some(url)) = NEXT_URL.try_with(|link| Some(request.url().join(link))) else {
        return Ok(());
    };
    let url = url.map_err(|e| format!("the next page's link is not a URL: {e}"))?;
    let (own, theirs) = (request.url().origin(), url.origin());
    if own != theirs {
        return Err(format!(
            "the next page's link is on another origin ({}) than the client's ({}): nothing was sent there",
            theirs.ascii_serialization(),
            own.ascii_serialization()
        ));
    }
    *request.url_mut() = url;
    Ok(())
}

/// The `rel="next"` target of a response's `Link` headers, if any.
pub fn link_header_next(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(split_links)
        .find(|(_, params)| {
            params.iter().any(|(name, value)| {
                name.eq_ignore_ascii_case("rel")
                    && value.split_ascii_whitespace().any(|r| r.eq_ignore_ascii_case("next"))
            })
        })
        .map(|(target, _)| target.to_owned())
}

/// The links of one `Link` header value: each `<target>` with its
/// parameters (`rel="next"`, quoted or not).
fn split_links(value: &str) -> Vec<(&str, Vec<(&str, &str)>)> {
    let mut links = Vec::new();
    let mut rest = value;
    while let Some(start) = rest.find('<') {
        let Some(end) = rest[start..].find('>') else { break };
        let target = &rest[start + 1..start + end];
        rest = &rest[start + end + 1..];
        // The parameters run to the next link (a comma outside quotes).
        let mut params_end = rest.len();
        let mut quoted = false;
        for (i, c) in rest.char_indices() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => {
                    params_end = i;
                    break;
                }
                _ => {}
            }
        }
        let params = rest[..params_end]
            .split(';')
            .filter_map(|param| param.split_once('='))
            .map(|(name, value)| (name.trim(), value.trim().trim_matches('"')))
            .collect();
        links.push((target.trim(), params));
        rest = &rest[params_end..];
    }
    links
}

/// What a link listing needs of its generated code.
pub struct ByLink<B, Fut, P, E> {
    /// Sends a request.
    pub send: fn(B) -> Fut,
    /// The next page's URL, from a page or its response's headers.
    pub next: fn(&P, Option<&HeaderMap>) -> Option<String>,
    /// Whether a page says it is the last (`Some(true)`) or not, from its
    /// `hasMore` or `total` and the items read so far, this page's included.
    pub last: fn(&P, u64) -> Option<bool>,
    /// How many items a page holds.
    pub len: fn(&P) -> usize,
    /// How a page that does not decode is read item by item.
    pub recover: Recover<P, E>,
}

/// The pages of a listing that links each page to the next: the first
/// request as built, then the same request sent to each page's next link
/// (`Context::prepare` puts it on the request, within the request's origin
/// only), until a page has none or says it is the last. A link that comes back a second time ends the stream with an
/// error, as does a link to another origin (nothing is sent there).
pub fn by_link<'a, B, Fut, P, E>(
    (provider, operation): (&'static str, &'static str),
    request: B,
    paging: Paging,
    listing: ByLink<B, Fut, P, E>,
) -> Pages<'a, P, E>
where
    B: Clone + Send + 'a,
    Fut: Future<Output = Result<ResponseValue<P>, Error<E>>> + Send + 'a,
    P: Send + 'a,
    E: Send + 'a,
{
    enum Next {
        First,
        Link(String),
        Repeated,
        Done,
    }
    let ByLink {
        send,
        next,
        last,
        len,
        recover,
    } = listing;
    let start = (Next::First, HashSet::new(), 0_usize, 0_u64);
    let pages = stream::unfold(start, move |(state, mut seen, pages, items)| {
        let request = request.clone();
        async move {
            let fail = |message: String| Error::pagination(provider, operation, message);
            let link = match state {
                Next::Done => return None,
                Next::Repeated => {
                    let error = fail("the server gave the same next page's link a second time".into());
                    return Some((vec![Err(error)], (Next::Done, seen, pages, items)));
                }
                Next::First => None,
                Next::Link(link) => Some(link),
            };
            if pages >= paging.max_pages {
                let error = too_many_pages(provider, operation, paging.max_pages);
                return Some((vec![Err(error)], (Next::Done, seen, pages, items)));
            }
            let result = match link {
                Some(link) => NEXT_URL.scope(link, async move { send(request).await }).await,
                None => send(request).await,
            };
            let (page, errors, following) = match result {
                Ok(value) => {
                    let following = next(&value, Some(value.headers()));
                    (value.into_inner(), Vec::new(), following)
                }
                Err(error) => match recover(&error) {
                    Some(Recovered { page, errors, .. }) => {
                        let following = next(&page, error.headers());
                        (page, errors, following)
                    }
                    None => return Some((vec![Err(error)], (Next::Done, seen, pages, items))),
                },
            };
            let items = items + len(&page) as u64;
            let state = match (last(&page, items), following) {
                (Some(true), _) | (_, None) => Next::Done,
                (_, Some(link)) if !seen.insert(link.clone()) => Next::Repeated,
                (_, Some(link)) => Next::Link(link),
            };
            Some((with_item_errors(page, errors), (state, seen, pages + 1, items)))
        }
    });
    Box::pin(pages.flat_map(stream::iter))
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    #[test]
    fn the_next_target_of_link_headers_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(
            LINK,
            HeaderValue::from_static(r#"<https://api.example.com/items?page=1>; rel="first", <https://api.example.com/items?page=3>; rel="next""#),
        );
        assert_eq!(
            link_header_next(&headers).as_deref(),
            Some("https://api.example.com/items?page=3")
        );
        let mut headers = HeaderMap::new();
        headers.append(
            LINK,
            HeaderValue::from_static(r#"</items?after=a,b>; title="x, y"; rel="prev""#),
        );
        headers.append(LINK, HeaderValue::from_static("</items?after=c>; rel=next"));
        assert_eq!(link_header_next(&headers).as_deref(), Some("/items?after=c"));
        let mut headers = HeaderMap::new();
        headers.append(LINK, HeaderValue::from_static(r#"</items?page=1>; rel="prev""#));
        assert_eq!(link_header_next(&headers), None);
        assert_eq!(link_header_next(&HeaderMap::new()), None);
    }

    #[tokio::test]
    async fn a_next_link_is_followed_only_within_the_request_s_origin() {
        let request = || {
            reqwest::Request::new(
                reqwest::Method::GET,
                "https://api.example.com/v1/items?limit=5".parse().unwrap(),
            )
        };
        let followed = |link: &'static str| async move {
            let mut request = request();
            NEXT_URL
                .scope(link.to_owned(), async move {
                    follow_next_link(&mut request).map(|()| request.url().to_string())
                })
                .await
        };
        assert_eq!(
            followed("https://api.example.com/v1/items?page=2").await.unwrap(),
            "https://api.example.com/v1/items?page=2"
        );
        assert_eq!(
            followed("/v1/items?cursor=abc").await.unwrap(),
            "https://api.example.com/v1/items?cursor=abc",
            "a relative link is resolved against the request's URL, its query replacing the request's"
        );
        let elsewhere = followed("https://evil.example/v1/items?page=2").await.unwrap_err();
        assert!(
            elsewhere.contains("https://evil.example") && elsewhere.contains("nothing was sent"),
            "{elsewhere}"
        );
        let downgraded = followed("http://api.example.com/v1/items?page=2").await.unwrap_err();
        assert!(downgraded.contains("http://api.example.com"), "{downgraded}");
        let mut outside = request();
        follow_next_link(&mut outside).unwrap();
        assert_eq!(
            outside.url().as_str(),
            "https://api.example.com/v1/items?limit=5",
            "outside a listing: as built"
        );
    }

    type Page = (Vec<u32>, Option<&'static str>);
    /// A server's chain of pages: the page a link (or none, the first) names.
    type Chain = fn(Option<&str>) -> Page;
    type Sent = std::future::Ready<Result<ResponseValue<Page>, Error<()>>>;

    /// The page a link names (the first without one), as a server would send it.
    fn pages(chain: Chain) -> impl Fn(()) -> Sent {
        move |()| {
            let link = NEXT_URL.try_with(Clone::clone).ok();
            std::future::ready(Ok(ResponseValue::new(
                chain(link.as_deref()),
                reqwest::StatusCode::OK,
                HeaderMap::new(),
            )))
        }
    }

    async fn listed(chain: Chain) -> Vec<Result<u32, String>> {
        thread_local! {
            static CHAIN: std::cell::Cell<Option<Chain>> = const { std::cell::Cell::new(None) };
        }
        CHAIN.set(Some(chain));
        fn send(request: ()) -> Sent {
            pages(CHAIN.get().unwrap())(request)
        }
        let listing = ByLink {
            send,
            next: |page: &Page, _| page.1.map(str::to_owned),
            last: |_, _| None,
            len: |page: &Page| page.0.len(),
            recover: |_| None,
        };
        let pages = by_link(("Example", "listThings"), (), Paging::default(), listing);
        crate::paginate::items(pages, |page| page.0)
            .map(|item| item.map_err(|e| e.to_string()))
            .collect()
            .await
    }

    #[tokio::test]
    async fn each_page_s_link_is_followed_until_a_page_has_none_and_a_repeated_link_ends_it() {
        let chained = listed(|link| match link {
            None => (vec![1, 2], Some("/items?page=2")),
            Some("/items?page=2") => (vec![3], Some("/items?page=3")),
            Some(_) => (vec![4], None),
        })
        .await;
        assert_eq!(chained, [Ok(1), Ok(2), Ok(3), Ok(4)]);
    }

    #[tokio::test]
    async fn a_link_given_a_second_time_ends_the_listing_with_an_error() {
        let looping = listed(|link| match link {
            None => (vec![1], Some("/items?page=2")),
            Some(_) => (vec![2], Some("/items?page=2")),
        })
        .await;
        assert_eq!(looping[..2], [Ok(1), Ok(2)]);
        assert!(
            looping[2].as_ref().unwrap_err().contains("a second time"),
            "{looping:?}"
        );
        assert_eq!(looping.len(), 3);
    }
}
