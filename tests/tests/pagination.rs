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

/// A page built from the example: `count` copies of its first item, and,
/// for cursor listings, the `n`-th cursor, or the mark of the last page, as
/// the spec's schema writes them.
fn page(pagination: &Pagination, example: &Value, count: usize, next: Option<usize>) -> Vec<u8> {
    let mut page = example.clone();
    let items = if pagination.items.is_empty() {
        &mut page
    } else {
        page.pointer_mut(&pagination.items).unwrap()
    };
    let first = items.as_array().unwrap()[0].clone();
    *items = Value::Array(vec![first; count]);
    if let PaginationStyle::Cursor {
        next_cursor,
        page: shape,
        ..
    } = &pagination.style
    {
        shape.write(&mut page, next_cursor, next.map(|n| cursor(pagination, n)));
    }
    serde_json::to_vec(&page).unwrap()
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
    answer: impl Fn(usize, &Captured) -> Vec<u8> + Send + 'static,
) -> (Vec<usize>, Option<String>, Vec<Captured>) {
    let served = Arc::new(Mutex::new(0));
    let counter = served.clone();
    let (base, received) = serve_with(50, move |request| {
        let mut n = counter.lock().unwrap();
        let body = answer(*n, request);
        *n += 1;
        Reply::new(200, &body)
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
        let (counts, error, requests) = match &pagination.style {
            PaginationStyle::Cursor { .. } => walk(provider, &pagination, paging, move |n, _| {
                page(&p, &example, 2, (n < 2).then_some(n + 1))
            }),
            // Three full pages, then an empty one.
            PaginationStyle::Page { page: number, .. } => {
                let number = number.clone();
                walk(provider, &pagination, paging, move |_, request| {
                    let n: usize = request.query(&number)[0].parse().unwrap();
                    page(&p, &example, if n <= 3 { 2 } else { 0 }, None)
                })
            }
        };
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
            }
        }
        let expected_requests = match pagination.style {
            PaginationStyle::Cursor { .. } => 3,
            PaginationStyle::Page { .. } => 4,
        };
        assert_eq!(requests.len(), expected_requests, "{}", provider.id);
    }
}

fn is_paging(pagination: &Pagination, parameter: &str) -> bool {
    match &pagination.style {
        PaginationStyle::Cursor { parameter: cursor, .. } => cursor == parameter,
        PaginationStyle::Page { page, size, .. } => page == parameter || size == parameter,
    }
}

#[test]
fn a_short_page_is_the_last_and_prefetching_keeps_the_order() {
    for (provider, _, pagination, example) in paginated() {
        let PaginationStyle::Page { page: number, .. } = &pagination.style else {
            continue;
        };
        for prefetch in [1, 3, Paging::default().prefetch] {
            let (p, example, number) = (pagination.clone(), example.clone(), number.clone());
            let paging = Paging {
                page_size: Some(2),
                prefetch,
                ..Paging::default()
            };
            let (counts, error, requests) = walk(provider, &pagination, paging, move |_, request| {
                let n: usize = request.query(&number)[0].parse().unwrap();
                page(&p, &example, [2, 2, 1].get(n - 1).copied().unwrap_or(0), None)
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
        let PaginationStyle::Page { page: number, .. } = &pagination.style else {
            continue;
        };
        // One short page: the listing ends with its first request.
        let (p, one, n) = (pagination.clone(), example.clone(), number.clone());
        let paging = Paging {
            page_size: Some(2),
            ..Paging::default()
        };
        let (counts, error, requests) = walk(provider, &pagination, paging, move |_, request| {
            let at: usize = request.query(&n)[0].parse().unwrap();
            page(&p, &one, if at == 1 { 1 } else { 0 }, None)
        });
        assert_eq!((counts, error), (vec![1], None), "{}", provider.id);
        assert_eq!(requests.len(), 1, "{}: no request past a short first page", provider.id);

        // Twenty full pages and a short one: the pages in flight double after
        // each full page, up to the prefetch, never more past the last.
        let (p, n) = (pagination.clone(), number.clone());
        let (counts, error, requests) = walk(provider, &pagination, paging, move |_, request| {
            let at: usize = request.query(&n)[0].parse().unwrap();
            page(
                &p,
                &example,
                if at <= 20 {
                    2
                } else if at == 21 {
                    1
                } else {
                    0
                },
                None,
            )
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
        let (counts, error, requests) = walk(provider, &pagination, Paging::default(), move |_, _| {
            page(&p, &example, 1, Some(7))
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
        let (counts, error, requests) = walk(provider, &pagination, paging, move |n, _| {
            page(&p, &example, 1, Some(n + 1))
        });
        assert_eq!(counts, [1, 1, 1, 1], "{}", provider.id);
        let error = error.expect("an error");
        assert!(error.contains("stopped after 4 pages"), "{}: {error}", provider.id);
        assert!(requests.len() <= 5, "{}: {} requests", provider.id, requests.len());
    }
}
