//! The SDK's benchmarks, each against its baseline in the same run, printed
//! as ratios with the target each must meet:
//!
//! - decode: a 10,000-workspace response per provider, generated types vs
//!   hand-written structs of the same fields (and vs `serde_json::Value`);
//! - calls: Motion's `send()` vs progenitor alone's client and a production
//!   hand-written client, one at a time and 64 in flight, with heap
//!   allocations a call;
//! - paging: page-number and cursor listings over a server with latency, vs
//!   one page at a time;
//! - facade: the facade's normalized stream vs the provider's own;
//! - build: a clean build of a provider crate with its slimmest features vs
//!   a hand-written client with the same TLS.
//!
//! `cargo xtask bench [--quick] [-- <arguments>]`; `cargo test --bench sdk`
//! runs the quick mode, which shows each benchmark works and times nothing
//! worth comparing.

mod build;
mod calls;
mod decode;
mod facade;
mod hand;
mod measure;
// Shared with the build benchmark's hand-written crate.
#[path = "../build/motion_client.rs"]
mod motion_client;
#[path = "../build/motion_types.rs"]
mod motion_types;
mod paging;
mod pin;
mod progenitor_alone;
mod server;
mod settings;

/// A benchmark: it prints its ratios and the targets they meet or miss.
type Section = fn(&settings::Settings);

#[global_allocator]
static ALLOCATOR: measure::Counting = measure::Counting;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let settings = match settings::Settings::from_args(&args) {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("{message}\n{}", settings::USAGE);
            return std::process::ExitCode::from(2);
        }
    };
    if settings.quick {
        println!(
            "quick run: few rounds, small sizes, maybe a debug build; the figures show each benchmark works, not how fast it is"
        );
    }
    let sections: [(&str, Section); 5] = [
        ("decode", decode::run),
        ("calls", calls::run),
        ("paging", paging::run),
        ("facade", facade::run),
        ("build", build::run),
    ];
    for (name, run) in sections {
        if settings.runs(name) {
            run(&settings);
        }
    }
    std::process::ExitCode::SUCCESS
}
