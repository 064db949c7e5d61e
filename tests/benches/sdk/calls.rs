//! The cost of one call: Motion's generated `send()` against two baselines
//! over loopback, one call at a time and 64 in flight, with the heap
//! allocations of each:
//!
//! - progenitor alone's client for the same spec (`progenitor_alone/`,
//!   generated with no change to its output): what a user gets without this
//!   project;
//! - a hand-written client that does what a production client must: a
//!   `User-Agent`, `Accept: application/json`, the body read with a bound,
//!   one retry on 429 after its `Retry-After`.
//!
//! A bare reqwest GET decoded into hand-written structs is shown too, as
//! information: it does none of what the others do. The client's thread and
//! the server's are pinned to cores of their own (`pin`), so that runs
//! agree with each other.

use std::{hint::black_box, sync::Arc, time::Duration};

use futures_util::StreamExt;
use workspaces_sdk_motion::reqwest::{self, header};
use workspaces_sdk_tests::{PROVIDERS, root};
use xtask::{load::response_examples, pipeline::read_spec};

use crate::{hand, measure, pin, progenitor_alone, server, settings::Settings};

const TARGET_SPEED: f64 = 0.97;
const IN_FLIGHT: usize = 64;
/// Each round of calls split into this many shorter rounds.
const SPLIT: usize = 10;

pub fn run(settings: &Settings) {
    let body = Arc::new(example_page());
    let server = server::serve(Duration::ZERO, Arc::new(move |_| body.clone()));
    pin::client_thread();
    let runtime = measure::runtime();
    let client = workspaces_sdk_motion::Client::with_base_url(&server.base_url, "bench-key").expect("a client");
    // Every baseline with the timeouts of the SDK's default configuration.
    let config = workspaces_sdk_motion::Config::default();
    let http = || {
        reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
    };
    let mut key = header::HeaderMap::new();
    key.insert("x-api-key", header::HeaderValue::from_static("bench-key"));
    let alone = progenitor_alone::motion::Client::new_with_client(
        &server.base_url,
        http().default_headers(key).build().expect("a reqwest client"),
    );
    let raw = http().build().expect("a reqwest client");
    let url = format!("{}/workspaces", server.base_url);

    let sdk = || async {
        let page = client
            .list_workspaces()
            .send()
            .await
            .expect("the SDK's call")
            .into_inner();
        black_box(page.workspaces.len())
    };
    let progenitor = || async {
        let page = alone
            .list_workspaces()
            .send()
            .await
            .expect("progenitor's call")
            .into_inner();
        black_box(page.workspaces.len())
    };
    let hand_written = crate::motion_client::Client::new(&server.base_url, "bench-key").expect("a client");
    let production = || async {
        let page = hand_written.list_workspaces(None).await.expect("the production call");
        black_box(page.workspaces.len())
    };
    let bare = || async {
        let response = raw
            .get(&url)
            .header("X-API-Key", "bench-key")
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .expect("the bare call");
        let page: hand::motion::Page = response.json().await.expect("the bare decoding");
        black_box(page.workspaces.len())
    };
    let read = runtime.block_on(sdk());
    assert_eq!(runtime.block_on(progenitor()), read, "progenitor reads the same page");
    assert_eq!(
        runtime.block_on(production()),
        read,
        "the production client reads the same page"
    );
    assert_eq!(runtime.block_on(bare()), read, "the bare call reads the same page");

    println!(
        "calls: Motion list_workspaces().send() vs progenitor alone and a production hand-written client, loopback ({} rounds, {})",
        settings.rounds * SPLIT,
        pin::described()
    );
    let (sequential, concurrent) = (settings.sequential_calls / SPLIT, settings.concurrent_calls / SPLIT);
    let each = |name: &str, target: bool, ratios: (measure::Ratio, measure::Ratio)| {
        report(
            &format!("{sequential} sequential calls a round, SDK speed / {name}"),
            &ratios.0,
            target,
        );
        report(
            &format!("{concurrent} calls a round, {IN_FLIGHT} in flight, SDK speed / {name}"),
            &ratios.1,
            target,
        );
    };
    each("progenitor alone", true, against(&runtime, settings, &progenitor, &sdk));
    each(
        "the production hand-written client",
        true,
        against(&runtime, settings, &production, &sdk),
    );
    each(
        "a bare GET (information: no User-Agent, no bound, no retry)",
        false,
        against(&runtime, settings, &bare, &sdk),
    );

    let sdk_allocations = allocations_a_call(&runtime, sdk);
    let alone_allocations = allocations_a_call(&runtime, progenitor);
    let production_allocations = allocations_a_call(&runtime, production);
    measure::report(
        "heap allocations a call, SDK vs progenitor alone vs production hand-written",
        &format!("{sdk_allocations:.1} vs {alone_allocations:.1} vs {production_allocations:.1}"),
        sdk_allocations <= production_allocations,
        "<= the production hand-written client's for the SDK",
    );
}

/// The SDK's speed over `baseline`'s: one call at a time, and 64 in flight.
fn against<B: std::future::Future<Output = usize>, S: std::future::Future<Output = usize>>(
    runtime: &tokio::runtime::Runtime,
    settings: &Settings,
    baseline: &dyn Fn() -> B,
    sdk: &dyn Fn() -> S,
) -> (measure::Ratio, measure::Ratio) {
    // Short rounds, many of them, interleaved: a drift of the machine over
    // a second weighs on both sides alike.
    let (rounds, calls) = (settings.rounds * SPLIT, settings.sequential_calls / SPLIT);
    let sequential = measure::ratio(rounds, &mut || one_at_a_time(runtime, calls, baseline), &mut || {
        one_at_a_time(runtime, calls, sdk)
    })
    .inverse();
    let calls = settings.concurrent_calls / SPLIT;
    let concurrent = measure::ratio(rounds, &mut || in_flight(runtime, calls, baseline), &mut || {
        in_flight(runtime, calls, sdk)
    })
    .inverse();
    (sequential, concurrent)
}

fn one_at_a_time<F: std::future::Future<Output = usize>>(
    runtime: &tokio::runtime::Runtime,
    calls: usize,
    call: &dyn Fn() -> F,
) {
    runtime.block_on(async {
        for _ in 0..calls {
            call().await;
        }
    });
}

fn in_flight<F: std::future::Future<Output = usize>>(
    runtime: &tokio::runtime::Runtime,
    calls: usize,
    call: &dyn Fn() -> F,
) {
    runtime.block_on(
        futures_util::stream::iter(0..calls)
            .map(|_| call())
            .buffer_unordered(IN_FLIGHT)
            .for_each(|_| async {}),
    );
}

fn report(what: &str, ratio: &measure::Ratio, target: bool) {
    match target {
        true => measure::report(
            what,
            &ratio.to_string(),
            ratio.median >= TARGET_SPEED,
            &format!(">= {TARGET_SPEED:.2}x"),
        ),
        false => println!("  {what}: {ratio}"),
    }
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
