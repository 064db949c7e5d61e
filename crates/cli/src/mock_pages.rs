//! The mock server's pages: a listing's example cut into the page a request
//! asks for, in each style `x-pagination` describes, with what chains it to
//! the next page (a cursor, a link in the body or in a `Link` header) or
//! marks it as the last, and its `hasMore` and `total` where the spec has
//! them. Every page it writes is one its own spec allows.

use serde_json::{Value, json};

/// How a listing is split into pages (the spec's `x-pagination`).
pub(crate) struct MockPaging {
    pub style: MockStyle,
    /// The items in a response (a JSON pointer).
    pub items: &'static str,
    /// Where a page says whether more follow, if the spec says.
    pub has_more: Option<&'static str>,
    /// Where a page counts the listing's items, if the spec says.
    pub total: Option<&'static str>,
}

/// Each style's parameters (each style a spec may name, whether or not a
/// provider of this build uses it).
#[allow(dead_code)]
pub(crate) enum MockStyle {
    Cursor {
        parameter: &'static str,
        next_cursor: &'static str,
        /// Whether the cursor is an integer (else a string).
        integer: bool,
        /// What marks the last page: the member at this pointer (the cursor
        /// or an object holding it) set as the spec allows.
        end: (&'static str, PageEnd),
        /// Each object on the way to the cursor, outermost first, with a
        /// valid instance of it (JSON) for a page that lacks it.
        objects: &'static [(&'static str, &'static str)],
    },
    Page {
        page: &'static str,
        size: &'static str,
    },
    Offset {
        offset: &'static str,
        size: &'static str,
    },
    /// The next page's URL in the body, at `next_link`.
    NextLink {
        next_link: &'static str,
        end: (&'static str, PageEnd),
        objects: &'static [(&'static str, &'static str)],
    },
    /// The next page's URL in a `Link` header.
    LinkHeader,
}

/// How the last page of a chained listing says that none follows.
#[allow(
    dead_code,
    reason = "each mark a spec may call for, whether or not a provider of this build does"
)]
pub(crate) enum PageEnd {
    Null,
    Absent,
    Empty,
}

/// The query parameter the mock's own links carry the page number in.
const LINKED_PAGE: &str = "mock_page";

/// A page as the mock answers it: its body, and the `Link` header's next
/// target for a `link-header` listing that has more.
#[derive(Debug, PartialEq)]
pub(crate) struct Page {
    pub body: Value,
    pub link: Option<String>,
}

/// The page of `example` a request (`url` without its query, and `query`)
/// asks for: its items cut to the page, and what leads to the next one (a
/// cursor `page-2`, ..., or `2`, ... for an integer cursor; a link to `url`
/// with the request's query and the next page number) or the mark of the
/// last page.
pub(crate) fn page_of(
    mut example: Value,
    paging: &MockPaging,
    url: &str,
    query: &[(String, String)],
    default_size: usize,
) -> Result<Page, String> {
    let value = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let number = |name: &str, text: &str, least: usize| match text.parse::<usize>() {
        Ok(n) if n >= least => Ok(n),
        _ if least == 0 => Err(format!("`{name}` must be a non-negative integer, got `{text}`")),
        _ => Err(format!("`{name}` must be a positive integer, got `{text}`")),
    };
    let number_of = |name: &str, default, least| value(name).map_or(Ok(default), |text| number(name, text, least));
    // The items skipped, and the page's size.
    let (skip, size) = match &paging.style {
        MockStyle::Cursor { parameter, integer, .. } => {
            let page = match value(parameter) {
                None => 1,
                Some(cursor) => match integer {
                    true => Some(cursor),
                    false => cursor.strip_prefix("page-"),
                }
                .and_then(|n| number(parameter, n, 1).ok())
                .ok_or_else(|| format!("unknown cursor `{cursor}`"))?,
            };
            ((page - 1).saturating_mul(default_size.max(1)), default_size)
        }
        MockStyle::Page { page, size } => {
            let size = number_of(size, default_size, 1)?;
            ((number_of(page, 1, 1)? - 1).saturating_mul(size), size)
        }
        MockStyle::Offset { offset, size } => (number_of(offset, 0, 0)?, number_of(size, default_size, 1)?),
        MockStyle::NextLink { .. } | MockStyle::LinkHeader => (
            (number_of(LINKED_PAGE, 1, 1)? - 1).saturating_mul(default_size.max(1)),
            default_size,
        ),
    };
    let size = size.max(1);
    let list = example
        .pointer_mut(paging.items)
        .and_then(Value::as_array_mut)
        .ok_or("the example has no list of items where the spec says")?;
    let all = std::mem::take(list);
    let total = all.len();
    let more = total > skip.saturating_add(size);
    *list = all.into_iter().skip(skip).take(size).collect();
    let next_page = skip / size + 2;
    let link = || {
        let mut pairs = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in query.iter().filter(|(key, _)| key != LINKED_PAGE) {
            pairs.append_pair(key, value);
        }
        pairs.append_pair(LINKED_PAGE, &next_page.to_string());
        format!("{url}?{}", pairs.finish())
    };
    let mut header = None;
    match &paging.style {
        MockStyle::Cursor {
            next_cursor,
            integer,
            end,
            objects,
            ..
        } => {
            let next = match integer {
                true => json!(next_page),
                false => json!(format!("page-{next_page}")),
            };
            chain(&mut example, next_cursor, more.then_some(next), end, objects);
        }
        MockStyle::NextLink {
            next_link,
            end,
            objects,
        } => {
            chain(&mut example, next_link, more.then(|| json!(link())), end, objects);
        }
        MockStyle::LinkHeader => header = more.then(link),
        MockStyle::Page { .. } | MockStyle::Offset { .. } => {}
    }
    if let Some(pointer) = paging.has_more {
        set(&mut example, pointer, Some(json!(more)));
    }
    if let Some(pointer) = paging.total {
        set(&mut example, pointer, Some(json!(total)));
    }
    Ok(Page {
        body: example,
        link: header,
    })
}

/// Writes `next` at `pointer` (giving the objects on the way a valid
/// instance where the example lacks them), or, for `None`, the mark of the
/// last page.
fn chain(page: &mut Value, pointer: &str, next: Option<Value>, end: &(&str, PageEnd), objects: &[(&str, &str)]) {
    match next {
        Some(next) => {
            for (object, instance) in objects {
                if !page.pointer(object).is_some_and(Value::is_object) {
                    set(page, object, serde_json::from_str(instance).ok());
                }
            }
            set(page, pointer, Some(next));
        }
        None => match end.1 {
            PageEnd::Null => set(page, end.0, Some(Value::Null)),
            PageEnd::Absent => set(page, end.0, None),
            PageEnd::Empty => set(page, end.0, Some(json!(""))),
        },
    }
}

/// Sets (or, for `None`, removes) the member at `pointer` of `page`, whose
/// parent is an object.
fn set(page: &mut Value, pointer: &str, value: Option<Value>) {
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    let key = key.replace("~1", "/").replace("~0", "~");
    if let Some(object) = page.pointer_mut(parent).and_then(Value::as_object_mut) {
        match value {
            Some(value) => object.insert(key, value),
            None => object.remove(&key),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    const fn paging(style: MockStyle, items: &'static str) -> MockPaging {
        MockPaging {
            style,
            items,
            has_more: None,
            total: None,
        }
    }

    const CURSOR: MockPaging = paging(
        MockStyle::Cursor {
            parameter: "cursor",
            next_cursor: "/meta/next",
            integer: false,
            end: ("/meta/next", PageEnd::Absent),
            objects: &[("/meta", r#"{"next": ""}"#)],
        },
        "/items",
    );
    const PAGE: MockPaging = paging(
        MockStyle::Page {
            page: "page",
            size: "size",
        },
        "",
    );

    fn body(page: Result<Page, String>) -> Value {
        page.unwrap().body
    }

    #[test]
    fn a_cursor_listing_is_cut_into_pages_chained_by_cursor() {
        let example = json!({"meta": {"next": "stale"}, "items": [1, 2, 3]});
        let first = body(page_of(example.clone(), &CURSOR, "/", &[], 2));
        assert_eq!(first, json!({"meta": {"next": "page-2"}, "items": [1, 2]}));
        let last = body(page_of(
            example.clone(),
            &CURSOR,
            "/",
            &query(&[("cursor", "page-2")]),
            2,
        ));
        assert_eq!(last, json!({"meta": {}, "items": [3]}));
        let error = page_of(example, &CURSOR, "/", &query(&[("cursor", "nope")]), 2).unwrap_err();
        assert_eq!(error, "unknown cursor `nope`");
    }

    #[test]
    fn a_cursor_under_a_nullable_object_is_an_integer_of_its_own_and_ends_with_null() {
        const OFFSET: MockPaging = paging(
            MockStyle::Cursor {
                parameter: "offset",
                next_cursor: "/next_page/offset",
                integer: true,
                end: ("/next_page", PageEnd::Null),
                objects: &[("/next_page", r#"{"offset": 0, "uri": "https://example.com/"}"#)],
            },
            "/data",
        );
        let example = json!({"data": [1, 2, 3], "next_page": null});
        let first = body(page_of(example.clone(), &OFFSET, "/", &[], 2));
        assert_eq!(
            first,
            json!({"data": [1, 2], "next_page": {"offset": 2, "uri": "https://example.com/"}})
        );
        let last = body(page_of(example, &OFFSET, "/", &query(&[("offset", "2")]), 2));
        assert_eq!(last, json!({"data": [3], "next_page": null}));
    }

    #[test]
    fn a_page_listing_honours_the_requested_page_and_size() {
        let example = json!([1, 2, 3, 4, 5]);
        assert_eq!(body(page_of(example.clone(), &PAGE, "/", &[], 2)), json!([1, 2]));
        let third = query(&[("page", "3"), ("size", "2")]);
        assert_eq!(body(page_of(example.clone(), &PAGE, "/", &third, 9)), json!([5]));
        let past = query(&[("page", "9"), ("size", "2")]);
        assert_eq!(body(page_of(example.clone(), &PAGE, "/", &past, 9)), json!([]));
        let error = page_of(example, &PAGE, "/", &query(&[("page", "0")]), 2).unwrap_err();
        assert_eq!(error, "`page` must be a positive integer, got `0`");
    }

    #[test]
    fn an_offset_listing_starts_at_the_offset_asked_and_counts_its_total() {
        const OFFSETS: MockPaging = MockPaging {
            style: MockStyle::Offset {
                offset: "offset",
                size: "limit",
            },
            items: "/data",
            has_more: Some("/has_more"),
            total: Some("/total"),
        };
        let example = json!({"data": [1, 2, 3, 4, 5], "has_more": false, "total": 0});
        let middle = query(&[("offset", "1"), ("limit", "3")]);
        assert_eq!(
            body(page_of(example.clone(), &OFFSETS, "/", &middle, 9)),
            json!({"data": [2, 3, 4], "has_more": true, "total": 5})
        );
        let end = query(&[("offset", "4"), ("limit", "3")]);
        assert_eq!(
            body(page_of(example, &OFFSETS, "/", &end, 9)),
            json!({"data": [5], "has_more": false, "total": 5})
        );
    }

    #[test]
    fn link_listings_link_each_page_to_the_next_keeping_the_request_s_query() {
        const NEXT: MockPaging = paging(
            MockStyle::NextLink {
                next_link: "/next",
                end: ("/next", PageEnd::Null),
                objects: &[],
            },
            "/items",
        );
        const HEADER: MockPaging = paging(MockStyle::LinkHeader, "/items");
        let example = json!({"items": [1, 2, 3], "next": null});
        let filtered = query(&[("owner", "a b")]);
        let first = page_of(example.clone(), &NEXT, "/v1/items", &filtered, 2).unwrap();
        assert_eq!(
            first.body,
            json!({"items": [1, 2], "next": "/v1/items?owner=a+b&mock_page=2"})
        );
        let second = query(&[("owner", "a b"), ("mock_page", "2")]);
        let last = page_of(example.clone(), &NEXT, "/v1/items", &second, 2).unwrap();
        assert_eq!(last.body, json!({"items": [3], "next": null}));

        let first = page_of(example.clone(), &HEADER, "/v1/items", &filtered, 2).unwrap();
        assert_eq!(first.link.as_deref(), Some("/v1/items?owner=a+b&mock_page=2"));
        assert_eq!(page_of(example, &HEADER, "/v1/items", &second, 2).unwrap().link, None);
    }
}
