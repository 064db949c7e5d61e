//! The cost of one call: Motion's generated `send()` against a hand-written
//! reqwest GET decoded into hand-written structs, over loopback, one call at
//! a time and 64 in flight, with the heap allocations of each. The SDK does
//! more on every call (bounds, retries, rate limit, tracing, a bounded body):
//! what it costs is the ratio.

use std::{hint::black_box, sync::Arc, time::Duration};

use futures_util::StreamExt;
use workspaces_sdk_tests::{PROVIDERS, root};
use xtask::{load::response_examples, pipeline::read_spec};

use crate::{hand, measure, server, settings::Settings};

const TARGET_SPEED: f64 = 0.97;
const TARGET_ALLOCATIONS: f64 = 74.0;
const IN_FLIGHT: usize = 64;

pub fn run(settings: &Settings) {
    let body = Arc::new(example_page());
    let server = server::serve(Duration::ZERO, Arc::new(move |_| body.clone()));
    let runtime = measure::runtime();
    let client = workspaces_sdk_motion::Client::with_base_url(&server.base_url, "bench-key").expect("a client");
    // The call by hand as a production client makes it: the timeouts of the
    // SDK's default configuration, the URL built from the base URL, the key in
    // its header, the status checked, the JSON read into hand-written structs.
    let config = workspaces_sdk_motion::Config::default();
    let raw = workspaces_sdk_motion::reqwest::Client::builder()
        .connect_timeout(config.connect_timeout)
        .timeout(config.timeout)
        .build()
        .expect("a reqwest client");
    let base_url = server.base_url.as_str();

    let sdk = || async {
        let page = client
            .list_workspaces()
            .send()
            .await
            .expect("the SDK's call")
            .into_inner();
        black_box(page.workspaces.len())
    };
    let by_hand = || async {
        let response = raw
            .get(format!("{base_url}/workspaces"))
            .header("X-API-Key", "bench-key")
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .expect("the hand-written call");
        let page: hand::motion::Page = response.json().await.expect("the hand-written decoding");
        black_box(page.workspaces.len())
    };
    assert_eq!(
        runtime.block_on(sdk()),
        runtime.block_on(by_hand()),
        "both read the same page"
    );

    let calls = settings.sequential_calls;
    println!(
        "calls: Motion list_workspaces().send() vs a hand-written reqwest GET, loopback ({} rounds)",
        settings.rounds
    );
    let ratio = measure::ratio(
        settings.rounds,
        &mut || {
            runtime.block_on(async {
                for _ in 0..calls {
                    by_hand().await;
                }
            })
        },
        &mut || {
            runtime.block_on(async {
                for _ in 0..calls {
                    sdk().await;
                }
            })
        },
    )
    .inverse();
    measure::report(
        &format!("{calls} sequential calls, SDK speed / hand-written"),
        &ratio.to_string(),
        ratio.median >= TARGET_SPEED,
        &format!(">= {TARGET_SPEED:.2}x"),
    );

    let calls = settings.concurrent_calls;
    let ratio = measure::ratio(
        settings.rounds,
        &mut || {
            runtime.block_on(
                futures_util::stream::iter(0..calls)
                    .map(|_| by_hand())
                    .buffer_unordered(IN_FLIGHT)
                    .for_each(|_| async {}),
            )
        },
        &mut || {
            runtime.block_on(
                futures_util::stream::iter(0..calls)
                    .map(|_| sdk())
                    .buffer_unordered(IN_FLIGHT)
                    .for_each(|_| async {}),
            )
        },
    )
    .inverse();
    measure::report(
        &format!("{calls} calls, {IN_FLIGHT} in flight, SDK speed / hand-written"),
        &ratio.to_string(),
        ratio.median >= TARGET_SPEED,
        &format!(">= {TARGET_SPEED:.2}x"),
    );

    let sdk_allocations = allocations_a_call(&runtime, sdk);
    let hand_allocations = allocations_a_call(&runtime, by_hand);
    measure::report(
        "heap allocations a call, SDK vs hand-written",
        &format!("{sdk_allocations:.1} vs {hand_allocations:.1}"),
        sdk_allocations <= TARGET_ALLOCATIONS,
        &format!("<= {TARGET_ALLOCATIONS:.0} for the SDK"),
    );
}

/// The heap allocations of one call, on average over 200 in a row.
fn allocations_a_call<F: std::future::Future<Output = usize>>(
    runtime: &tokio::runtime::Runtime,
    call: impl Fn() -> F,
) -> f64 {
    const CALLS: u32 = 200;
    let total = measure::allocations(|| {
        runtime.block_on(async {
            for _ in 0..CALLS {
                call().await;
            }
        })
    });
    total as f64 / f64::from(CALLS)
}

/// Motion's example page of workspaces, as its spec gives it.
fn example_page() -> Vec<u8> {
    let provider = PROVIDERS.iter().find(|p| p.id == "motion").expect("Motion");
    let spec = read_spec(&root().join(provider.spec)).unwrap_or_else(|e| panic!("{e}"));
    let example = response_examples(&spec.raw)
        .into_iter()
        .find(|e| e.operation_id == spec.listing().unwrap().operation_id && e.status == "200")
        .expect("an example page");
    serde_json::to_vec(&example.value).expect("JSON")
}
