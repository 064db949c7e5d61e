//! Decoding a 10,000-workspace response: each provider's generated types
//! against hand-written structs of the same fields, and against
//! `serde_json::Value`. Each payload is the provider's own example response
//! with its listed item repeated.

use std::hint::black_box;

use serde_json::Value;
use workspaces_sdk_tests::{PROVIDERS, root};
use xtask::{load::response_examples, pipeline::read_spec};

use crate::{hand, measure, settings::Settings};

const TARGET: f64 = 1.05;

/// One provider's decoders, each giving the number of workspaces read.
struct Case {
    provider: &'static str,
    /// The spec's example of a `200` of `listWorkspaces`, and which of its items to repeat.
    example: &'static str,
    item: usize,
    generated: fn(&[u8]) -> usize,
    hand_written: fn(&[u8]) -> usize,
}

const CASES: &[Case] = &[
    Case {
        provider: "asters",
        example: "workspaces",
        item: 0,
        generated: |b| {
            decoded::<workspaces_sdk_asters::types::WorkspacesEnvelope>(b)
                .data
                .all_workspaces
                .len()
        },
        hand_written: |b| decoded::<hand::asters::Envelope>(b).data.all_workspaces.len(),
    },
    Case {
        provider: "delay",
        example: "workspaces",
        item: 0,
        generated: |b| decoded::<Vec<workspaces_sdk_delay::types::Workspace>>(b).len(),
        hand_written: |b| decoded::<Vec<hand::delay::Workspace>>(b).len(),
    },
    Case {
        provider: "motion",
        example: "workspaces",
        item: 0,
        generated: |b| {
            decoded::<workspaces_sdk_motion::types::WorkspacePage>(b)
                .workspaces
                .len()
        },
        hand_written: |b| decoded::<hand::motion::Page>(b).workspaces.len(),
    },
    Case {
        provider: "seatable",
        example: "detail_true",
        item: 2,
        generated: |b| {
            decoded::<workspaces_sdk_seatable::types::WorkspaceList>(b)
                .workspace_list
                .len()
        },
        hand_written: |b| decoded::<hand::seatable::List>(b).workspace_list.len(),
    },
];

fn decoded<T: serde::de::DeserializeOwned>(body: &[u8]) -> T {
    serde_json::from_slice(black_box(body)).expect("the payload decodes")
}

pub fn run(settings: &Settings) {
    println!(
        "decode: {} workspaces a response, generated types vs hand-written structs ({} rounds)",
        settings.workspaces, settings.rounds
    );
    for case in CASES {
        assert!(
            PROVIDERS.iter().any(|p| p.id == case.provider),
            "no provider `{}`",
            case.provider
        );
        let body = payload(case, settings.workspaces);
        let check = |decode: fn(&[u8]) -> usize| assert_eq!(decode(&body), settings.workspaces, "{}", case.provider);
        check(case.generated);
        check(case.hand_written);
        let body = body.as_slice();
        let run = |decode: fn(&[u8]) -> usize| {
            move || {
                black_box(decode(body));
            }
        };
        let ratio = measure::ratio(settings.rounds, &mut run(case.hand_written), &mut run(case.generated));
        let value = measure::ratio(settings.rounds, &mut run(case.hand_written), &mut || {
            drop(black_box(decoded::<Value>(body)))
        });
        measure::report(
            &format!("{} generated / hand-written", case.provider),
            &ratio.to_string(),
            ratio.median <= TARGET,
            &format!("<= {TARGET:.2}x"),
        );
        println!("    serde_json::Value / hand-written: {value}");
    }
}

/// The provider's example response with `count` copies of its chosen item
/// where its listing's items are.
fn payload(case: &Case, count: usize) -> Vec<u8> {
    let provider = PROVIDERS.iter().find(|p| p.id == case.provider).expect("a provider");
    let spec = read_spec(&root().join(provider.spec)).unwrap_or_else(|e| panic!("{e}"));
    let mut example = response_examples(&spec.raw)
        .into_iter()
        .find(|e| e.operation_id == spec.listing().unwrap().operation_id && e.status == "200" && e.name == case.example)
        .unwrap_or_else(|| panic!("{}: no example `{}`", case.provider, case.example))
        .value;
    let items = example
        .pointer_mut(&spec.listing().unwrap().items)
        .and_then(Value::as_array_mut)
        .unwrap_or_else(|| panic!("{}: no items at {}", case.provider, spec.listing().unwrap().items));
    let item = items[case.item].clone();
    *items = vec![item; count];
    serde_json::to_vec(&example).expect("JSON")
}
