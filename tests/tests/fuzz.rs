//! The decoders fuzzed, on stable Rust: every provider's response, sent by a
//! loopback server and read by the generated client's `send()`, is arbitrary
//! JSON, a mutation of the spec's example, or arbitrary bytes. A call never
//! panics and always ends as a value or one error (`InvalidBody`, or a
//! status error); and a value the client decoded goes back to JSON and
//! decodes again to the same value.
//!
//! Each property runs `WORKSPACES_FUZZ_CASES` cases per provider (64 by
//! default; `WORKSPACES_FUZZ_CASES=5000 cargo test -p workspaces-sdk-tests
//! --test fuzz -- --nocapture` for a longer run).

use std::sync::{
    Arc, Mutex,
    atomic::{AtomicUsize, Ordering},
};

use proptest::{
    prelude::*,
    test_runner::{Config as RunnerConfig, TestCaseError, TestRunner},
};
use serde_json::{Map, Value};
use workspaces_sdk_runtime::Config;
use workspaces_sdk_tests::{
    Arguments, Provider, callable_providers,
    capture::{Reply, serve_with},
    normalize, root, runtime, success_example,
};
use xtask::load::escape_pointer;

fn cases() -> u32 {
    std::env::var("WORKSPACES_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64)
}

/// Every property name the spec's schemas declare: the keys arbitrary
/// objects use, so that they reach the generated types' fields.
fn property_names(raw: &Value) -> Vec<String> {
    let mut names = Vec::new();
    let Ok(()) = xtask::rewrite::each_schema::<std::convert::Infallible>(&mut raw.clone(), &mut |_, schema| {
        if let Some(Value::Object(properties)) = schema.get("properties") {
            names.extend(properties.keys().cloned());
        }
        Ok(())
    });
    names.sort();
    names.dedup();
    names.push("unknown_field".into());
    names
}

/// Arbitrary JSON whose object keys are the spec's property names.
fn json(names: Vec<String>) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        any::<String>().prop_map(Value::String),
        prop::sample::select(vec![
            "",
            "2024-04-30T09:38:33.380Z",
            "d4add56e-c345-4ac9-b392-7a890a60559a",
            "team"
        ])
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(names.clone()), inner), 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().collect::<Map<String, Value>>())),
        ]
    })
}

/// The pointers of every value in `value`.
fn pointers(value: &Value, at: String, found: &mut Vec<String>) {
    match value {
        Value::Object(object) => object
            .iter()
            .for_each(|(k, v)| pointers(v, format!("{at}/{}", escape_pointer(k)), found)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| pointers(v, format!("{at}/{i}"), found)),
        _ => {}
    }
    found.push(at);
}

/// `example` changed at one place: a value replaced, removed, or a field
/// added beside it.
fn mutate(example: &Value, pointer: &str, how: usize, new: Value) -> Value {
    let mut changed = example.clone();
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", ""));
    match (how, changed.pointer_mut(parent)) {
        (0, _) | (_, None) => {
            if let Some(slot) = changed.pointer_mut(pointer) {
                *slot = new;
            }
        }
        (1, Some(Value::Object(object))) => {
            object.remove(&key.replace("~1", "/").replace("~0", "~"));
        }
        (1, Some(Value::Array(items))) => {
            if let Ok(i) = key.parse::<usize>() {
                items.remove(i);
            }
        }
        (_, Some(Value::Object(object))) => {
            object.insert("added_by_fuzz".into(), new);
        }
        (_, Some(Value::Array(items))) => items.push(new),
        (_, Some(slot)) => *slot = new,
    }
    changed
}

/// A provider's client, called against a loopback server answering each
/// request with the status and body last set.
struct Target {
    provider: &'static Provider,
    base_url: String,
    /// The server serves while its requests are listened to.
    _received: std::sync::mpsc::Receiver<workspaces_sdk_tests::capture::Captured>,
    reply: Arc<Mutex<(u16, Vec<u8>)>>,
    names: Vec<String>,
    example: Value,
}

impl Target {
    /// Each provider's target, its server started when it comes (a server
    /// stops 10 s after its last request).
    fn each() -> impl Iterator<Item = Self> {
        callable_providers().into_iter().map(|(provider, _)| {
            let reply = Arc::new(Mutex::new((200, Vec::new())));
            let answer = reply.clone();
            // Enough connections for every property's cases.
            let (base_url, received) = serve_with(cases() as usize * 4 + 16, move |_| {
                let (status, body) = answer.lock().unwrap().clone();
                Reply::new(status, &body)
            });
            let spec = xtask::pipeline::read_spec(&root().join(provider.spec)).unwrap();
            let example = success_example(&spec, provider.first_operation);
            let names = property_names(&spec.raw);
            Self {
                provider,
                base_url,
                _received: received,
                reply,
                names,
                example,
            }
        })
    }

    /// Sends the first operation, answered with `status` and `body`: the
    /// outcome, checked to be a value or one documented kind of error.
    fn call(&self, status: u16, body: Vec<u8>) -> Result<Option<String>, TestCaseError> {
        *self.reply.lock().unwrap() = (status, body);
        let call = self.provider.call.unwrap();
        let outcome = runtime().block_on(call(
            self.base_url.clone(),
            "fuzz-credential".into(),
            Arguments::None,
            Config::default().without_retries(),
        ));
        match outcome {
            Ok((_, got)) => {
                prop_assert_eq!(got, status);
                Ok(None)
            }
            Err(error) => {
                let expected: &[&str] = match status {
                    200 => &["InvalidBody"],
                    _ => &["InvalidBody", "Status", "UnexpectedStatus"],
                };
                prop_assert!(
                    expected.contains(&error.kind) && !error.message.is_empty(),
                    "{} {status}: {} ({})",
                    self.provider.id,
                    error.message,
                    error.kind
                );
                Ok(Some(error.kind.to_owned()))
            }
        }
    }

    /// A body the client decoded decodes again, from its own JSON, to the same.
    fn round_trips(&self, body: &[u8]) -> Result<bool, TestCaseError> {
        let decode = self.provider.decode;
        let operation = self.provider.first_operation.unwrap();
        let Some(Ok(first)) = decode(operation, "200", body) else {
            return Ok(false);
        };
        let json = first.json.unwrap();
        let again = decode(operation, "200", &serde_json::to_vec(&json).unwrap())
            .unwrap()
            .map_err(|e| {
                TestCaseError::fail(format!(
                    "{}: its own JSON does not decode: {e}: {json}",
                    self.provider.id
                ))
            })?;
        prop_assert_eq!(
            normalize(&again.json.unwrap()),
            normalize(&json),
            "{}",
            self.provider.id
        );
        Ok(true)
    }
}

fn runner() -> TestRunner {
    TestRunner::new(RunnerConfig {
        cases: cases(),
        failure_persistence: None,
        ..RunnerConfig::default()
    })
}

#[test]
fn arbitrary_json_with_any_status_is_a_value_or_one_error() {
    let counted = AtomicUsize::new(0);
    for target in Target::each() {
        let statuses = prop::sample::select(vec![200u16, 200, 200, 400, 401, 404, 429, 500, 418]);
        runner()
            .run(&(statuses, json(target.names.clone())), |(status, body)| {
                counted.fetch_add(1, Ordering::Relaxed);
                target.call(status, serde_json::to_vec(&body).unwrap()).map(drop)
            })
            .unwrap_or_else(|e| panic!("{}: {e}", target.provider.id));
    }
    eprintln!("arbitrary JSON: {} calls", counted.into_inner());
}

#[test]
fn mutations_of_each_example_are_a_value_or_invalid_body_and_values_round_trip() {
    let (mut calls, mut decoded, mut round_trips) = (0, 0, 0);
    for target in Target::each() {
        let mut places = Vec::new();
        pointers(&target.example, String::new(), &mut places);
        let strategy = (prop::sample::select(places), 0..3usize, json(target.names.clone()));
        let results = Mutex::new((0, 0, 0));
        runner()
            .run(&strategy, |(pointer, how, new)| {
                let body = serde_json::to_vec(&mutate(&target.example, &pointer, how, new)).unwrap();
                let outcome = target.call(200, body.clone())?;
                let trips = target.round_trips(&body)?;
                // The client and the decoder agree on what decodes.
                prop_assert_eq!(outcome.is_none(), trips, "{} at {}", target.provider.id, pointer);
                let mut results = results.lock().unwrap();
                results.0 += 1;
                results.1 += usize::from(outcome.is_none());
                results.2 += usize::from(trips);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{}: {e}", target.provider.id));
        let (c, d, r) = results.into_inner().unwrap();
        // Some mutations (a field added, a nullable value nulled) still decode.
        assert!(d > 0, "{}: no mutation decoded in {c} cases", target.provider.id);
        (calls, decoded, round_trips) = (calls + c, decoded + d, round_trips + r);
    }
    eprintln!("mutated examples: {calls} calls, {decoded} decoded, {round_trips} round trips");
}

#[test]
fn arbitrary_bytes_and_cut_examples_are_invalid_body_never_a_panic() {
    let calls = AtomicUsize::new(0);
    for target in Target::each() {
        let example = serde_json::to_vec(&target.example).unwrap();
        let length = example.len();
        let strategy = prop_oneof![
            prop::collection::vec(any::<u8>(), 0..256),
            (0..length).prop_map(move |end| example[..end].to_vec()),
        ];
        runner()
            .run(&strategy, |body| {
                calls.fetch_add(1, Ordering::Relaxed);
                // Not JSON (or not whole): never a value.
                let outcome = target.call(200, body.clone())?;
                if serde_json::from_slice::<Value>(&body).is_err() {
                    prop_assert_eq!(outcome.as_deref(), Some("InvalidBody"));
                }
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{}: {e}", target.provider.id));
    }
    eprintln!("arbitrary bytes: {} calls", calls.into_inner());
}
