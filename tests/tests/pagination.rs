//! Every paginated operation (its spec's `x-pagination`), walked through the
//! generated `pages_with` against a loopback server that answers by the
//! request: all pages in order with every other filter kept on each page, the
//! end at the last page, and an error, not an endless loop, for a repeated
//! cursor or a listing longer than the maximum.

use std::sync::{Arc, Mutex};

use serde_json::Value;
use workspaces_sdk_runtime::Paging;
use workspaces_sdk_tests::{
    PROVIDERS, Provider,
    capture::{Captured, Reply, serve_with},
    root, runtime, success_example,
};
use xtask::{
    model::{CursorKind, Pagination, PaginationStyle, Spec},
    pipeline::read_spec,
};

/// The paginated providers, with their scheme and first success example.
fn paginated() -> Vec<(&'static Provider, Spec, Pagination, Value)> {
    let found: Vec<_> = PROVIDERS
        .iter()
        .filter(|p| p.paginate.is_some())
        .map(|p| {
            let spec = read_spec(&root().join(p.spec)).unwrap();
            let pagination = spec.paginations().next().expect("its x-pagination").clone();
            let example = success_example(&spec, Some(&pagination.operation_id));
            (p, spec, pagination, example)
        })
        .collect();
    assert!(found.len() >= 2, "Motion and Delay are paginated");
    found
}

/// The `n`-th cursor of a listing, as its pages carry it: `"c-<n>"`, or
/// `n` for an integer cursor.
fn cursor(pagination: &Pagination, n: usize) -> Value {
    match &pagination.style {
        PaginationStyle::Cursor { page, .. } if page.kind == CursorKind::Integer => Value::from(n),
        _ => Value::String(format!("c-{n}")),
    }
}

/// The `n`-th cursor as a request sends it in the query.
fn sent(pagination: &Pagination, n: usize) -> String {
    match cursor(pagination, n) {
        Value::String(text) => text,
        other => other.to_string(),
    }
}

/// The query parameter the test server's own links carry the page number in.
const LINKED_PAGE: &str = "test_page";

/// The page (from 1) a request asks for, as its style says: by its cursor
/// (the `n`-th cursor asks for page `n + 1`), page number, offset (pages of
/// `size`), or the page number of the test server's own link.
fn asked(pagination: &Pagination, request: &Captured, size: usize) -> usize {
    let number = |name: &str| request.query(name).first().map(|v| v.parse::<usize>().unwrap());
    match &pagination.style {
        PaginationStyle::Cursor { parameter, .. } => match request.query(parameter).first() {
            None => 1,
            Some(cursor) => cursor.trim_start_matches("c-").parse::<usize>().unwrap() + 1,
        },
        PaginationStyle::Page { page, .. } => number(page).unwrap_or(1),
        PaginationStyle::Offset { offset, .. } => number(offset).unwrap_or(0) / size.max(1) + 1,
        PaginationStyle::NextLink { .. } | PaginationStyle::LinkHeader => number(LINKED_PAGE).unwrap_or(1),
    }
}

/// The link to page `n` of the listing `request` asked for: its path and
/// query, the page number replaced.
fn link(request: &Captured, n: usize) -> String {
    let (path, query) = request.target.split_once('?').unwrap_or((&request.target, ""));
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with(&format!("{LINKED_PAGE}=")))
        .map(str::to_owned)
        .collect();
    pairs.push(format!("{LINKED_PAGE}={n}"));
    format!("{path}?{}", pairs.join("&"))
}

/// Makes the `k`-th item of a test different from every other: its `id`
/// changed (a number added to an integer; the tail of a UUID, or a suffix,
/// for a string), so that no two pages are the same.
fn distinct(item: &mut Value, k: usize) {
    match item.get_mut("id") {
        Some(Value::Number(n)) => *item.get_mut("id").unwrap() = Value::from(n.as_i64().unwrap_or(0) + k as i64),
        Some(Value::String(id)) if id.len() == 36 && id.matches('-').count() == 4 => {
            id.replace_range(28.., &format!("{k:08x}"));
        }
        Some(Value::String(id)) => id.push_str(&format!("-{k}")),
        _ => {}
    }
}

/// Page `n` (from 1) built from the example for `request`: `count` items,
/// each made distinct, and what leads to page `n + 1` when `next` (a cursor,
/// a link in the body), or the mark of the last page, as the spec's schema
/// writes them; `hasMore` and `total` where the spec has them. A
/// `link-header` listing's link comes in the reply's `Link` header.
fn answer(pagination: &Pagination, example: &Value, request: &Captured, n: usize, count: usize, next: bool) -> Reply {
    let mut page = example.clone();
    let items = if pagination.items.is_empty() {
        &mut page
    } else {
        page.pointer_mut(&pagination.items).unwrap()
    };
    let first = items.as_array().unwrap()[0].clone();
    let made: Vec<Value> = (0..count)
        .map(|i| {
            let mut item = first.clone();
            distinct(&mut item, n * 1000 + i);
            item
        })
        .collect();
    *items = Value::Array(made);
    let mut header = None;
    match &pagination.style {
        PaginationStyle::Cursor {
            next_cursor,
            page: shape,
            ..
        } => shape.write(&mut page, next_cursor, next.then(|| cursor(pagination, n))),
        PaginationStyle::NextLink { next_link, page: shape } => {
            shape.write(&mut page, next_link, next.then(|| Value::String(link(request, n + 1))));
        }
        PaginationStyle::LinkHeader => header = next.then(|| format!("<{}>; rel=\"next\"", link(request, n + 1))),
        PaginationStyle::Page { .. } | PaginationStyle::Offset { .. } => {}
    }
    let set = |page: &mut Value, pointer: &str, value: Value| {
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        if let Some(object) = page.pointer_mut(parent).and_then(Value::as_object_mut) {
            object.insert(key.to_owned(), value);
        }
    };
    if let Some(pointer) = &pagination.has_more {
        set(&mut page, pointer, Value::Bool(next));
    }
    if let Some(pointer) = &pagination.total {
        // As many as these pages hold, if each before was as long, and more if another follows.
        set(&mut page, pointer, Value::from(n * count + usize::from(next)));
    }
    let body = serde_json::to_vec(&page).unwrap();
    match header {
        Some(link) => Reply::with_headers(200, &[("content-type", "application/json"), ("link", &link)], body),
        None => Reply::with_headers(200, &[("content-type", "application/json")], body),
    }
}

fn items(pagination: &Pagination, page: &Value) -> usize {
    let items = if pagination.items.is_empty() {
        page
    } else {
        page.pointer(&pagination.items).unwrap()
    };
    items.as_array().unwrap().len()
}

/// Walks the listing against a server whose `n`-th answer (from 0) is
/// `answer(n, request)`; returns the item count of each page, the error that
/// ended the listing, and the requests.
fn walk(
    provider: &Provider,
    pagination: &Pagination,
    paging: Paging,
    answer: impl Fn(usize, &Captured) -> Reply + Send + 'static,
) -> (Vec<usize>, Option<String>, Vec<Captured>) {
    let served = Arc::new(Mutex::new(0));
    let counter = served.clone();
    let (base, received) = serve_with(50, move |request| {
        let mut n = counter.lock().unwrap();
        let reply = answer(*n, request);
        *n += 1;
        reply
    });
    let (pages, error) = runtime().block_on((provider.paginate.unwrap())(base, paging)).unwrap();
    let counts = pages.iter().map(|p| items(pagination, p)).collect();
    (
        counts,
        error.map(|e| format!("{} ({})", e.message, e.kind)),
        received.try_iter().collect(),
    )
}

#[test]
fn every_page_comes_in_order_with_the_filters_kept_and_the_listing_ends() {
    for (provider, _, pagination, example) in paginated() {
        // One page after the other, so that requests come in page order.
        let paging = Paging {
            page_size: Some(2),
            prefetch: 1,
            ..Paging::default()
        };
        let p = pagination.clone();
        // Three full pages, then (for positional listings) an empty one.
        let (counts, error, requests) = walk(provider, &pagination, paging, move |_, request| {
            let n = asked(&p, request, 2);
            answer(&p, &example, request, n, if n <= 3 { 2 } else { 0 }, n < 3)
        });
        assert_eq!(error, None, "{}", provider.id);
        assert_eq!(counts, [2, 2, 2], "{}: items per page", provider.id);
        for (i, request) in requests.iter().enumerate() {
            // Every other documented filter is on every page.
            for parameter in provider.parameters_set.iter().filter(|p| !is_paging(&pagination, p)) {
                assert!(
                    !request.query(parameter).is_empty() || !request.header(parameter).is_empty(),
                    "{}: page {} lost `{parameter}`",
                    provider.id,
                    i + 1
                );
            }
            match &pagination.style {
                PaginationStyle::Cursor { parameter, .. } => {
                    let expected: Vec<String> = (i > 0).then(|| sent(&pagination, i)).into_iter().collect();
                    assert_eq!(request.query(parameter), expected, "{}: request {}", provider.id, i + 1);
                }
                PaginationStyle::Page { page, size, .. } => {
                    assert_eq!(request.query(page), [(i + 1).to_string()], "{}", provider.id);
                    assert_eq!(request.query(size), ["2"], "{}", provider.id);
                }
                PaginationStyle::Offset { offset, size, .. } => {
                    assert_eq!(request.query(offset), [(i * 2).to_string()], "{}", provider.id);
                    assert_eq!(request.query(size), ["2"], "{}", provider.id);
                }
                PaginationStyle::NextLink { .. } | PaginationStyle::LinkHeader => {
                    let expected: Vec<String> = (i > 0).then(|| (i + 1).to_string()).into_iter().collect();
                    assert_eq!(
                        request.query(LINKED_PAGE),
                        expected,
                        "{}: request {}",
                        provider.id,
                        i + 1
                    );
                }
            }
        }
        // A positional listing without `hasMore` or `total` learns of its end from an empty page.
        let positional = matches!(
            pagination.style,
            PaginationStyle::Page { .. } | PaginationStyle::Offset { .. }
        );
        let told = pagination.has_more.is_some() || pagination.total.is_some();
        let expected_requests = if positional && !told { 4 } else { 3 };
        assert_eq!(requests.len(), expected_requests, "{}", provider.id);
    }
}

fn is_paging(pagination: &Pagination, parameter: &str) -> bool {
    pagination.parameters().contains(&parameter)
}

#[test]
fn a_short_page_is_the_last_and_prefetching_keeps_the_order() {
    for (provider, _, pagination, example) in paginated() {
        let PaginationStyle::Page { .. } = &pagination.style else {
            continue;
        };
        for prefetch in [1, 3, Paging::default().prefetch] {
            let (p, example) = (pagination.clone(), example.clone());
            let paging = Paging {
                page_size: Some(2),
                prefetch,
                ..Paging::default()
            };
            let (counts, error, requests) = walk(provider, &pagination, paging, move |_, request| {
                let n = asked(&p, request, 2);
                answer(
                    &p,
                    &example,
                    request,
                    n,
                    [2, 2, 1].get(n - 1).copied().unwrap_or(0),
                    n < 3,
                )
            });
            assert_eq!(error, None, "{} prefetch {prefetch}", provider.id);
            assert_eq!(counts, [2, 2, 1], "{} prefetch {prefetch}", provider.id);
            // Prefetching asks for at most `prefetch - 1` pages past the last.
            assert!(
                requests.len() >= 3 && requests.len() <= 2 + prefetch,
                "{}: {} requests",
                provider.id,
                requests.len()
            );
        }
    }
}

#[test]
fn by_default_a_one_page_listing_costs_one_request_and_a_long_one_goes_faster() {
    for (provider, _, pagination, example) in paginated() {
        let PaginationStyle::Page { .. } = &pagination.style else {
            continue;
        };
        // One short page: the listing ends with its first request.
        let (p, one) = (pagination.clone(), example.clone());
        let paging = Paging {
            page_size: Some(2),
            ..Paging::default()
        };
        let (counts, error, requests) = walk(provider, &pagination, paging, move |_, request| {
            let at = asked(&p, request, 2);
            answer(&p, &one, request, at, if at == 1 { 1 } else { 0 }, false)
        });
        assert_eq!((counts, error), (vec![1], None), "{}", provider.id);
        assert_eq!(requests.len(), 1, "{}: no request past a short first page", provider.id);

        // Twenty full pages and a short one: the pages in flight double after
        // each full page, up to the prefetch, never more past the last.
        let p = pagination.clone();
        let (counts, error, requests) = walk(provider, &pagination, paging, move |_, request| {
            let at = asked(&p, request, 2);
            let count = if at <= 20 {
                2
            } else if at == 21 {
                1
            } else {
                0
            };
            answer(&p, &example, request, at, count, at < 21)
        });
        assert_eq!(error, None, "{}", provider.id);
        assert_eq!(counts.len(), 21, "{}", provider.id);
        let past_the_end = requests.len() - 21;
        assert!(
            past_the_end < paging.prefetch,
            "{}: {past_the_end} requests past the last page",
            provider.id
        );
    }
}

#[test]
fn a_repeated_cursor_is_an_error_not_an_endless_loop() {
    for (provider, spec, pagination, example) in paginated() {
        let PaginationStyle::Cursor { .. } = &pagination.style else {
            continue;
        };
        let p = pagination.clone();
        // Page 7 every time: its cursor, 7, again and again.
        let (counts, error, requests) = walk(provider, &pagination, Paging::default(), move |_, request| {
            answer(&p, &example, request, 7, 1, true)
        });
        assert_eq!(counts, [1, 1], "{}", provider.id);
        let error = error.expect("an error");
        let expected = format!(
            "{} {}: the listing stopped: the server returned the cursor `{}` a second time (Pagination)",
            spec.sdk.provider,
            pagination.operation_id,
            sent(&pagination, 7)
        );
        assert_eq!(error, expected, "{}", provider.id);
        assert_eq!(requests.len(), 2, "{}", provider.id);
    }
}

#[test]
fn a_listing_that_never_ends_stops_at_the_maximum() {
    for (provider, _, pagination, example) in paginated() {
        let p = pagination.clone();
        let paging = Paging {
            max_pages: 4,
            page_size: Some(1),
            ..Paging::default()
        };
        let (counts, error, requests) = walk(provider, &pagination, paging, move |_, request| {
            answer(&p, &example, request, asked(&p, request, 1), 1, true)
        });
        assert_eq!(counts, [1, 1, 1, 1], "{}", provider.id);
        let error = error.expect("an error");
        assert!(error.contains("stopped after 4 pages"), "{}: {error}", provider.id);
        assert!(requests.len() <= 5, "{}: {} requests", provider.id, requests.len());
    }
}

#[test]
fn a_server_that_ignores_the_paging_parameters_ends_the_listing_with_an_error() {
    for (provider, _, pagination, example) in paginated() {
        let p = pagination.clone();
        let paging = Paging {
            page_size: Some(2),
            ..Paging::default()
        };
        // The first page, whatever is asked: the same items, the same cursor or link.
        let (counts, error, requests) = walk(provider, &pagination, paging, move |_, request| {
            answer(&p, &example, request, 1, 2, true)
        });
        assert!(
            counts.len() <= 2,
            "{}: {} pages of the same items",
            provider.id,
            counts.len()
        );
        let error = error.unwrap_or_else(|| panic!("{}: no error", provider.id));
        assert!(
            error.contains("a second time") || error.contains("the same page"),
            "{}: {error}",
            provider.id
        );
        assert!(
            requests.len() <= 2 + paging.prefetch,
            "{}: {} requests",
            provider.id,
            requests.len()
        );
    }
}
