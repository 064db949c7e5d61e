//! One odd workspace never hides the rest of a listing: for every provider,
//! a page whose first workspace is not of the documented type still gives
//! every other workspace, and an error for the odd one with its index, its
//! JSON and the reason; a paginated listing goes on to its next page.

use futures_util::StreamExt;
use serde_json::{Value, json};
use workspaces_sdk::{Client, Credentials, ErrorKind, Provider};
use workspaces_sdk_tests::{
    PROVIDERS, as_last_page,
    capture::{Reply, serve_script},
    root, success_example,
};
use xtask::pipeline::read_spec;

/// A workspace no spec takes: it has none of the required fields.
fn odd() -> Value {
    json!({"odd": "no id, no name", "secret": "sk-odd-credential"})
}

/// The listing's documented example as its last page, with at least two
/// workspaces (its first one again, if it has only one), the first replaced
/// by an odd one: the body, and how many workspaces it holds.
fn with_an_odd_workspace(spec: &xtask::model::Spec) -> (Value, usize) {
    let listing = spec.listing().unwrap();
    let body = success_example(spec, Some(&listing.operation_id));
    let mut body = as_last_page(spec, &listing.operation_id, body);
    let items = body
        .pointer_mut(&listing.items)
        .and_then(Value::as_array_mut)
        .unwrap_or_else(|| panic!("{}: no items at `{}`", spec.id, listing.items));
    let first = items
        .first()
        .cloned()
        .unwrap_or_else(|| panic!("{}: the example lists no workspace", spec.id));
    if items.len() < 2 {
        items.push(first);
    }
    items[0] = odd();
    let count = items.len();
    (body, count)
}

/// Every result of a listing through the facade, as ids and item errors.
async fn every_result(provider: Provider, base_url: &str, credential: &str) -> (Vec<String>, Vec<(usize, String)>) {
    let client = Client::with_base_url(base_url, Credentials::new(provider, credential)).unwrap();
    let results: Vec<_> = client.workspaces().collect().await;
    let (mut ids, mut odd) = (Vec::new(), Vec::new());
    for result in results {
        match result {
            Ok(workspace) => ids.push(workspace.id().into_owned()),
            Err(error) => match error.kind() {
                ErrorKind::InvalidItem { index, item, reason } => {
                    assert!(
                        error.to_string().starts_with(&format!("{} ", provider.name())),
                        "{error}"
                    );
                    assert!(item.contains("no id, no name"), "{provider}: {item}");
                    assert!(!reason.is_empty(), "{provider}");
                    odd.push((*index, error.to_string()));
                }
                _ => panic!("{provider}: {error}"),
            },
        }
    }
    (ids, odd)
}

#[tokio::test]
async fn an_odd_workspace_is_an_error_of_its_own_and_the_others_are_listed() {
    for entry in PROVIDERS {
        // The providers the facade lists (those with `x-workspaces`).
        let Ok(provider) = entry.id.parse::<Provider>() else {
            continue;
        };
        let spec = read_spec(&root().join(entry.spec)).unwrap();
        let (body, count) = with_an_odd_workspace(&spec);
        let (base_url, _requests) = serve_script(vec![Reply::new(200, body.to_string().as_bytes())]);
        let (ids, odd) = every_result(provider, &base_url, "k").await;
        assert_eq!(odd.len(), 1, "{provider}: {odd:?}");
        assert_eq!(odd[0].0, 0, "{provider}: the odd one's index");
        assert!(
            odd[0].1.contains("item 0 of the page is not of the documented type"),
            "{provider}: {}",
            odd[0].1
        );
        let unique = spec.listing().unwrap().unique;
        assert!(
            !ids.is_empty() && (unique || ids.len() == count - 1),
            "{provider}: {} of {count} listed: {ids:?}",
            ids.len()
        );
    }
}

#[tokio::test]
async fn a_credential_in_an_odd_workspace_is_redacted() {
    let spec = read_spec(&root().join("openapi/motion.yaml")).unwrap();
    let (mut body, _) = with_an_odd_workspace(&spec);
    body["workspaces"][0]["secret"] = json!("sk-odd-credential");
    let (base_url, _requests) = serve_script(vec![Reply::new(200, body.to_string().as_bytes())]);
    let (_, odd) = every_result(Provider::Motion, &base_url, "sk-odd-credential").await;
    assert!(!odd[0].1.contains("sk-odd-credential"), "{}", odd[0].1);
    assert!(odd[0].1.contains("<redacted>"), "{}", odd[0].1);
}

#[tokio::test]
async fn a_paginated_listing_goes_on_past_a_page_with_an_odd_workspace() {
    // Motion by cursor: the odd page names the next one.
    let spec = read_spec(&root().join("openapi/motion.yaml")).unwrap();
    let (mut first, count) = with_an_odd_workspace(&spec);
    first["meta"] = json!({"nextCursor": "c-2", "pageSize": count});
    let second = json!({"meta": {}, "workspaces": [{"id": "w-last", "name": "Last", "type": "team", "labels": [], "statuses": []}]});
    let (base_url, requests) = serve_script(vec![
        Reply::new(200, first.to_string().as_bytes()),
        Reply::new(200, second.to_string().as_bytes()),
    ]);
    let (ids, odd) = every_result(Provider::Motion, &base_url, "k").await;
    assert_eq!((ids.len(), odd.len()), (count, 1), "{ids:?}");
    assert_eq!(ids.last().map(String::as_str), Some("w-last"));
    assert_eq!(requests.try_iter().nth(1).unwrap().query("cursor"), ["c-2"]);

    // Delay by page number: a full page with an odd workspace is not the last.
    let spec = read_spec(&root().join("openapi/delay.yaml")).unwrap();
    let (first, count) = with_an_odd_workspace(&spec);
    let (base_url, requests) = serve_script(vec![
        Reply::new(200, first.to_string().as_bytes()),
        Reply::new(200, b"[]"),
    ]);
    let client = workspaces_sdk::delay::Client::with_base_url(&base_url, "k").unwrap();
    let paging = workspaces_sdk::Paging {
        page_size: Some(count as u64),
        ..Default::default()
    };
    let results: Vec<_> = client.list_workspaces().stream_with(paging).collect().await;
    let good = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!((good, results.len()), (count - 1, count), "{results:?}");
    assert_eq!(
        requests.try_iter().count(),
        2,
        "the page after the odd one was asked for"
    );
}
