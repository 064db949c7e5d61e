//! The facade's normalized stream against the provider's own stream, over
//! loopback: Delay, `settings.workspaces` items in pages of 100.

use std::sync::Arc;

use serde_json::json;
use workspaces_sdk::{ListWorkspaces, delay};

use crate::{measure, server, settings::Settings};

const PAGE_SIZE: usize = 100;
const TARGET: f64 = 1.10;

pub fn run(settings: &Settings) {
    let pages = settings.workspaces.div_ceil(PAGE_SIZE);
    let bodies: Arc<Vec<Arc<Vec<u8>>>> = Arc::new((0..=pages).map(|n| Arc::new(page_body(n, pages))).collect());
    let server = server::serve(std::time::Duration::ZERO, {
        let bodies = bodies.clone();
        Arc::new(move |target: &str| {
            let n: usize = server::query(target, "page").and_then(|n| n.parse().ok()).unwrap_or(1);
            bodies.get(n).unwrap_or(&bodies[0]).clone()
        })
    });
    let runtime = measure::runtime();
    let client = delay::Client::with_base_url(&server.base_url, "bench-token").expect("a client");
    let items = pages * PAGE_SIZE;
    let provider = || async {
        measure::collect_all(client.list_workspaces().stream(), items, "the provider's stream").await;
    };
    let facade = || async {
        measure::collect_all(client.list_workspaces().workspaces(), items, "the facade's stream").await;
    };
    println!(
        "facade: workspaces() vs Delay's stream(), {items} items in {pages} pages ({} rounds)",
        settings.rounds
    );
    let ratio = measure::ratio(settings.rounds, &mut || runtime.block_on(provider()), &mut || {
        runtime.block_on(facade())
    });
    measure::report(
        "facade time / provider time",
        &ratio.to_string(),
        ratio.median <= TARGET,
        &format!("<= {TARGET:.2}x"),
    );
}

/// Page `n` of `pages` as JSON (page 0: the empty page past the end).
fn page_body(n: usize, pages: usize) -> Vec<u8> {
    if n == 0 || n > pages {
        return b"[]".to_vec();
    }
    let items: Vec<serde_json::Value> = (0..PAGE_SIZE)
        .map(|i| {
            let k = (n - 1) * PAGE_SIZE + i;
            json!({
                "id": format!("00000000-0000-4000-8000-{k:012}"),
                "identifier": format!("ws-{k}"),
                "name": format!("Workspace {k}"),
                "domain_name": "example.com",
                "owner_id": "11111111-2222-4333-8444-555555555555",
                "created_by": "11111111-2222-4333-8444-555555555555",
                "updated_by": "11111111-2222-4333-8444-555555555555",
                "created_at": "2024-02-29T23:59:58Z",
                "updated_at": "2024-03-01T10:00:00Z",
                "workspace_type": if k.is_multiple_of(2) { "single_user" } else { "multi_user" },
            })
        })
        .collect();
    serde_json::to_vec(&items).expect("JSON")
}
