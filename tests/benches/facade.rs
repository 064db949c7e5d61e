//! The facade's normalized stream against the provider's own stream, over
//! loopback: Delay, 10,000 workspaces in 100 pages, release build.
//!
//! `cargo bench -p workspaces-sdk-tests --bench facade [-- --rounds N]`
//!
//! Both sides read the same pages from the same keep-alive server in
//! interleaved rounds; the result is the median of the per-round ratios
//! (facade time / provider time), with the target it must meet.

use std::{
    io::{BufRead, BufReader, Write},
    net::{TcpListener, TcpStream},
    thread,
    time::{Duration, Instant},
};

use futures_util::TryStreamExt;
use workspaces_sdk::{ListWorkspaces, delay};

const PAGES: usize = 100;
const PAGE_SIZE: usize = 100;
const TARGET: f64 = 1.10;

fn main() {
    let rounds = std::env::args()
        .skip_while(|a| a != "--rounds")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(41usize);
    let base_url = serve_pages();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let client = delay::Client::with_base_url(&base_url, "bench-token").expect("a client");

    let provider = || async {
        let items: Vec<_> = client
            .list_workspaces()
            .stream()
            .try_collect()
            .await
            .expect("the provider's stream");
        items.len()
    };
    let facade = || async {
        let items: Vec<_> = client
            .list_workspaces()
            .workspaces()
            .try_collect()
            .await
            .expect("the facade's stream");
        items.len()
    };
    let time = |run: &dyn Fn() -> usize| {
        let start = Instant::now();
        let count = run();
        assert_eq!(count, PAGES * PAGE_SIZE, "every workspace of every page");
        start.elapsed()
    };
    let provider = || runtime.block_on(provider());
    let facade = || runtime.block_on(facade());
    for _ in 0..3 {
        time(&provider);
        time(&facade);
    }
    let mut ratios = Vec::new();
    let (mut provider_times, mut facade_times) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        // Alternate which side goes first, so neither always meets a warm cache.
        let (p, f) = if round.is_multiple_of(2) {
            let p = time(&provider);
            (p, time(&facade))
        } else {
            let f = time(&facade);
            (time(&provider), f)
        };
        ratios.push(f.as_secs_f64() / p.as_secs_f64());
        provider_times.push(p);
        facade_times.push(f);
    }
    let ratio = median(&mut ratios);
    let (low, high) = (ratios[ratios.len() / 4], ratios[ratios.len() * 3 / 4]);
    let per_item = |times: &mut Vec<Duration>| {
        times.sort();
        times[times.len() / 2].as_secs_f64() * 1e6 / (PAGES * PAGE_SIZE) as f64
    };
    println!(
        "facade workspaces() vs delay stream(), {} items in {PAGES} pages, {rounds} rounds",
        PAGES * PAGE_SIZE
    );
    println!(
        "  item sizes: {} bytes (delay::types::Workspace), {} bytes (workspaces_sdk::Workspace)",
        std::mem::size_of::<delay::types::Workspace>(),
        std::mem::size_of::<workspaces_sdk::Workspace>()
    );
    println!(
        "  provider stream(): {:.2} µs per item (median)",
        per_item(&mut provider_times)
    );
    println!(
        "  facade workspaces(): {:.2} µs per item (median)",
        per_item(&mut facade_times)
    );
    let verdict = if ratio <= TARGET { "meets" } else { "MISSES" };
    println!(
        "  ratio: {ratio:.3}x (median of rounds; quartiles {low:.3}x to {high:.3}x) {verdict} the target of <= {TARGET:.2}x"
    );
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// A keep-alive HTTP/1.1 server on loopback answering Delay's listing: page
/// `n` (1-based) holds `PAGE_SIZE` workspaces for `n <= PAGES`, then none.
fn serve_pages() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let base_url = format!("http://{}", listener.local_addr().expect("its address"));
    let pages: Vec<Vec<u8>> = (0..=PAGES).map(page_body).collect();
    let pages = std::sync::Arc::new(pages);
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let pages = pages.clone();
            thread::spawn(move || answer(stream, &pages));
        }
    });
    base_url
}

fn answer(stream: TcpStream, pages: &[Vec<u8>]) {
    // One write a response, sent at once: no wait on a delayed ACK.
    let _ = stream.set_nodelay(true);
    let mut writer = stream.try_clone().expect("the stream");
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            if header.trim().is_empty() {
                break;
            }
        }
        let page: usize = request_line
            .split(['?', '&', ' '])
            .find_map(|part| part.strip_prefix("page="))
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        let body = pages.get(page).map_or(&pages[0], |body| body);
        let mut response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        response.extend_from_slice(body);
        if writer.write_all(&response).is_err() {
            return;
        }
    }
}

/// Page `n` as JSON (page 0: the empty page past the end).
fn page_body(n: usize) -> Vec<u8> {
    if n == 0 {
        return b"[]".to_vec();
    }
    let items: Vec<serde_json::Value> = (0..PAGE_SIZE)
        .map(|i| {
            let k = (n - 1) * PAGE_SIZE + i;
            serde_json::json!({
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
