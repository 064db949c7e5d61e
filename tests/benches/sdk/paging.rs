//! Listings over a server that takes its time: Delay's page-number
//! `stream()` with default settings against a loop that asks for one page
//! after the other, and Motion's cursor `stream()` against the same loop by
//! cursor. Each listing has `PAGES` pages, the last one short.

use std::{sync::Arc, time::Duration};

use serde_json::{Value, json};
use workspaces_sdk_delay as delay;
use workspaces_sdk_motion as motion;

use crate::{measure, server, settings::Settings};

const PAGES: usize = 20;
const PAGE_SIZE: usize = 100;
const LAST_PAGE: usize = 50;
const TARGET_SPEEDUP: f64 = 3.5;

pub fn run(settings: &Settings) {
    let latency = Duration::from_millis(settings.latency_ms);
    let rounds = settings.rounds.min(11);
    let runtime = measure::runtime();
    let items = (PAGES - 1) * PAGE_SIZE + LAST_PAGE;
    println!(
        "paging: {PAGES} pages ({items} workspaces) with {} ms of server latency a request ({rounds} rounds)",
        settings.latency_ms
    );

    let server = server::serve(latency, Arc::new(delay_page));
    let client = delay::Client::with_base_url(&server.base_url, "bench-token").expect("a client");
    let stream = || async {
        measure::collect_all(client.list_workspaces().stream(), items, "the stream").await;
    };
    let one_by_one = || async {
        let mut read = 0;
        for page in 1.. {
            let request = client.list_workspaces().page(page as u64).page_size(PAGE_SIZE as u64);
            let got = request.send().await.expect("a page").into_inner().len();
            read += got;
            if got < PAGE_SIZE {
                break;
            }
        }
        assert_eq!(read, items);
    };
    let before = server.requests();
    runtime.block_on(stream());
    let wasted = (server.requests() - before).saturating_sub(PAGES);
    let speedup = measure::ratio(rounds, &mut || runtime.block_on(one_by_one()), &mut || {
        runtime.block_on(stream())
    })
    .inverse();
    let prefetch = delay::Paging::default().prefetch;
    measure::report(
        "Delay stream() (page numbers, default paging) speed / one page at a time",
        &speedup.to_string(),
        speedup.median >= TARGET_SPEEDUP,
        &format!(">= {TARGET_SPEEDUP:.1}x"),
    );
    measure::report(
        "requests past the last page",
        &wasted.to_string(),
        wasted < prefetch,
        &format!("< the prefetch of {prefetch}"),
    );

    let server = server::serve(latency, Arc::new(motion_page));
    let client = motion::Client::with_base_url(&server.base_url, "bench-key").expect("a client");
    let stream = || async {
        measure::collect_all(client.list_workspaces().stream(), items, "the stream").await;
    };
    let one_by_one = || async {
        let (mut read, mut cursor) = (0, None);
        loop {
            let request = client.list_workspaces();
            let request = match cursor.take() {
                Some(cursor) => request.cursor(cursor),
                None => request,
            };
            let page = request.send().await.expect("a page").into_inner();
            read += page.workspaces.len();
            match page.meta.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(read, items);
    };
    let ratio = measure::ratio(rounds, &mut || runtime.block_on(one_by_one()), &mut || {
        runtime.block_on(stream())
    })
    .inverse();
    println!("    Motion stream() (cursor: a page at a time by nature) speed / one page at a time: {ratio}");
}

/// How many items page `n` (from 1) has.
fn page_length(n: usize) -> usize {
    match n {
        0 => 0,
        n if n < PAGES => PAGE_SIZE,
        n if n == PAGES => LAST_PAGE,
        _ => 0,
    }
}

fn delay_page(target: &str) -> Arc<Vec<u8>> {
    let n: usize = server::query(target, "page").and_then(|n| n.parse().ok()).unwrap_or(1);
    // Each workspace of each page its own (a server that answers every page
    // alike ends the listing with an error).
    let items: Vec<Value> = (0..page_length(n))
        .map(|i| {
            json!({
                "id": format!("d4add56e-c345-4ac9-b392-{:012x}", n * 1000 + i),
                "identifier": "delay",
                "name": "Delay Technologies",
                "owner_id": "98d91cd7-860d-4869-937a-5af32eff2f4a",
                "workspace_type": "multi_user",
                "created_at": "2023-05-06T00:00:00Z",
                "updated_at": "2023-05-06T00:00:00Z",
            })
        })
        .collect();
    Arc::new(serde_json::to_vec(&items).expect("JSON"))
}

fn motion_page(target: &str) -> Arc<Vec<u8>> {
    let n: usize = server::query(target, "cursor")
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let item = json!({"id": "workspace_123", "name": "My Personal Workspace", "type": "individual", "labels": [], "statuses": []});
    let next = if n < PAGES {
        json!((n + 1).to_string())
    } else {
        Value::Null
    };
    let page = json!({"meta": {"pageSize": PAGE_SIZE, "nextCursor": next}, "workspaces": vec![item; page_length(n)]});
    Arc::new(serde_json::to_vec(&page).expect("JSON"))
}
