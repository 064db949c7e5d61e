//! Support for the spec-driven tests in `tests/tests/`: the registry of
//! generated providers (written by `cargo xtask generate`), decoding a body
//! into the generated type of its operation and status, and JSON comparison.

pub mod capture;
pub mod changes;
mod generated;
pub mod surface;
pub mod workspace;

use std::{fmt::Debug, future::Future, path::PathBuf, pin::Pin};

use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

pub use generated::{OPEN_ENUMS, PROVIDERS};

/// A named string enum of a spec, generated as an open enum.
#[derive(Debug)]
pub struct OpenEnum {
    /// The provider's id.
    pub provider: &'static str,
    /// The schema's name in the spec.
    pub schema: &'static str,
    /// Decodes a JSON value into the enum: whether it is a documented value,
    /// its `Debug`, and the JSON it serializes back to.
    pub decode: DecodeEnum,
}

/// Decodes a JSON value into an open enum: whether the value is documented,
/// its `Debug`, and the JSON it serializes back to.
pub type DecodeEnum = fn(&str) -> Result<(bool, String, String), String>;

/// The README's code blocks compile as doc tests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// One generated provider crate.
#[derive(Debug)]
pub struct Provider {
    /// The provider's id: its spec's file name without the extension.
    pub id: &'static str,
    /// The crate's name.
    pub crate_name: &'static str,
    /// The spec, relative to the workspace root.
    pub spec: &'static str,
    /// Whether its client takes a credential (its spec has `security`).
    pub takes_credential: bool,
    /// Decodes a body of an operation (by `operationId`) received with a
    /// documented status (as the spec writes it: `200`, `4XX`, `default`) into
    /// its generated type; `None` for an unknown operation or status.
    pub decode: Decode,
    /// The `operationId` of the operation `call` and `mock` send: the first
    /// that needs no arguments, one with a success example if any has.
    pub first_operation: Option<&'static str>,
    /// Builds a client for a base URL and credential and sends the first
    /// operation that needs no arguments, with the given arguments; `None` if
    /// every operation needs some.
    pub call: Option<CallFn>,
    /// The parameters that `Arguments::Every` sets, by their names in the spec.
    pub parameters_set: &'static [&'static str],
    /// Sends the first operation (with every parameter, or none) to the
    /// provider's typed mock, which expects every parameter and answers with
    /// the given body. Returns how often the mock matched, or, when it did not
    /// match and the call failed, 1000 plus the status the call got.
    pub mock: Option<MockCall>,
    /// Reads every page of the first operation (with every other parameter
    /// set) through the generated `pages_with`, from a base URL; `None` if the
    /// operation is not paginated.
    pub paginate: Option<fn(String, workspaces_sdk_runtime::Paging) -> Paginated>,
    /// A client's `Debug` output, or the error building it gave.
    pub client_debug: fn(&str, &str) -> Result<String, String>,
}

/// Builds a client for a base URL, credential and configuration, and sends
/// the first operation that needs no arguments, with the given arguments.
pub type CallFn = fn(String, String, Arguments, workspaces_sdk_runtime::Config) -> Call;

/// The pages a listing yielded, as JSON, and the error that ended it, if any.
pub type Paginated =
    Pin<Box<dyn Future<Output = Result<(Vec<serde_json::Value>, Option<CallError>), CallError>> + Send>>;

/// A call through a provider's typed mock (see [`Provider::mock`]).
pub type MockCall = fn(Vec<u8>, bool) -> Pin<Box<dyn Future<Output = Result<usize, String>> + Send>>;

/// Decodes a body of an operation (by `operationId`) received with a
/// documented status into its generated type.
pub type Decode = fn(&str, &str, &[u8]) -> Option<Result<Decoded, String>>;

/// A call of a generated client: the `operationId` sent and the status of its
/// success, or what the error said.
pub type Call = Pin<Box<dyn Future<Output = Result<(&'static str, u16), CallError>> + Send>>;

/// Which arguments a call sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arguments {
    /// None: every parameter is left out.
    None,
    /// Every parameter, to its sample value (`xtask::samples`).
    Every,
    /// One bounded integer parameter, to the given value.
    Bounded(&'static str, i64),
    /// None, with the call made this many times by one client.
    Repeated(u32),
}

/// The error of a call, as the tests look at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallError {
    /// The error's message.
    pub message: String,
    /// `InvalidRequest`, `Transport`, `Status`, `UnexpectedStatus`, `InvalidBody`, `Config`.
    pub kind: &'static str,
    pub status: Option<u16>,
    /// Response headers, lowercased names.
    pub headers: Vec<(String, String)>,
    /// The documented body as JSON, or the body as text.
    pub body: Option<String>,
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.kind)
    }
}

impl CallError {
    /// A parameter the generated call cannot set.
    pub fn unsupported(parameter: &str) -> Self {
        Self {
            message: format!("no bounded setter for `{parameter}`"),
            kind: "Unsupported",
            status: None,
            headers: vec![],
            body: None,
        }
    }
}

/// A client could not be built.
pub fn config_error(error: workspaces_sdk_runtime::ConfigError) -> CallError {
    CallError {
        message: error.to_string(),
        kind: "Config",
        status: None,
        headers: vec![],
        body: None,
    }
}

/// What a call's error says.
pub fn call_error<E: Serialize>(error: workspaces_sdk_runtime::Error<E>) -> CallError {
    use workspaces_sdk_runtime::ErrorKind;
    let message = error.to_string();
    let headers = error
        .headers()
        .map(|h| {
            h.iter()
                .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let status = error.status().map(|s| s.as_u16());
    let (kind, body) = match error.kind() {
        ErrorKind::InvalidRequest(_) => ("InvalidRequest", None),
        ErrorKind::Transport(_) => ("Transport", None),
        ErrorKind::Status(r) => ("Status", Some(workspaces_sdk_runtime::plumbing::body_text(&r.body))),
        ErrorKind::UnexpectedStatus(r) => ("UnexpectedStatus", Some(r.body.clone())),
        ErrorKind::InvalidBody { response, .. } => ("InvalidBody", Some(response.body.clone())),
        ErrorKind::Pagination(_) => ("Pagination", None),
        ErrorKind::BodyTooLarge { .. } => ("BodyTooLarge", None),
        ErrorKind::Redirect(_) => ("Redirect", None),
        _ => ("Other", None),
    };
    CallError {
        message,
        kind,
        status,
        headers,
        body,
    }
}

/// A body decoded into its generated type.
#[derive(Debug)]
pub struct Decoded {
    /// The value's `{:#?}`, for snapshots.
    pub debug: String,
    /// The value serialized back to JSON; `None` for a raw (non-JSON) body.
    pub json: Option<Value>,
}

/// One response example of a spec, decoded into the generated type of its
/// operation and status.
#[derive(Debug)]
pub struct DecodedExample {
    /// `<provider>__<operationId>__<status>__<example>`.
    pub name: String,
    /// Where it is, for messages: the spec, operation, status and example.
    pub place: String,
    /// The example as the spec writes it (a JSON value, or the text of a
    /// non-JSON one).
    pub example: Value,
    /// The body sent: the example as JSON, or its text.
    pub body: Vec<u8>,
    pub decoded: Decoded,
}

/// Every response example of `provider`'s spec, decoded; panics, naming
/// the example, on one that does not decode.
pub fn decoded_examples(provider: &Provider) -> Vec<DecodedExample> {
    let spec = xtask::pipeline::read_spec(&root().join(provider.spec)).unwrap_or_else(|e| panic!("{e}"));
    let mut decoded = Vec::new();
    for example in xtask::load::response_examples(&spec.raw) {
        let place = format!(
            "{} {} {} example `{}`",
            provider.spec, example.operation_id, example.status, example.name
        );
        let body = if xtask::load::is_json(&example.media_type) {
            serde_json::to_vec(&example.value).unwrap()
        } else {
            let text = example
                .value
                .as_str()
                .unwrap_or_else(|| panic!("{place}: a non-JSON example must be a string"));
            text.as_bytes().to_vec()
        };
        let value = (provider.decode)(&example.operation_id, &example.status, &body)
            .unwrap_or_else(|| panic!("{place}: no generated operation `{}`", example.operation_id))
            .unwrap_or_else(|e| panic!("{place}: does not decode: {e}"));
        decoded.push(DecodedExample {
            name: format!(
                "{}__{}__{}__{}",
                provider.id, example.operation_id, example.status, example.name
            ),
            place,
            example: example.value,
            body,
            decoded: value,
        });
    }
    decoded
}

/// A tokio runtime on the current thread, with I/O and time.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The first documented JSON success example of an operation (of any, for
/// `None`) in a spec; for a spec that documents none, a small valid instance
/// of the operation's first JSON success schema.
pub fn success_example(spec: &xtask::model::Spec, operation_id: Option<&str>) -> Value {
    let documented = xtask::load::response_examples(&spec.raw).into_iter().find(|e| {
        is_success(&e.status)
            && xtask::load::is_json(&e.media_type)
            && operation_id.is_none_or(|id| e.operation_id == id)
    });
    if let Some(example) = documented {
        return example.value;
    }
    let operations = xtask::load::operations(&spec.raw);
    let schema = operations
        .iter()
        .filter(|(_, id, _)| operation_id.is_none_or(|wanted| id.as_deref() == Some(wanted)))
        .find_map(|(_, _, operation)| {
            let responses = operation.get("responses")?.as_object()?;
            responses
                .iter()
                .filter(|(status, _)| is_success(status))
                .find_map(|(_, response)| {
                    let content = xtask::load::resolve(&spec.raw, response)?.get("content")?.as_object()?;
                    content
                        .iter()
                        .find(|(media_type, _)| xtask::load::is_json(media_type))
                        .and_then(|(_, body)| body.get("schema"))
                })
        });
    let schema = schema.unwrap_or_else(|| {
        panic!(
            "{}: {} has no JSON success response to answer with",
            spec.file.display(),
            operation_id.unwrap_or("no operation")
        )
    });
    xtask::model::instances::minimal(&spec.raw, schema)
}

/// A page of `operation_id`'s listing that is its last: for a listing by
/// cursor, `page` with the mark of the last page its spec allows (the
/// cursor, or an object holding it, `null` or left out); any other page as
/// it is.
pub fn as_last_page(spec: &xtask::model::Spec, operation_id: &str, mut page: Value) -> Value {
    if let Some(xtask::model::Pagination {
        style:
            xtask::model::PaginationStyle::Cursor {
                next_cursor,
                page: shape,
                ..
            },
        ..
    }) = spec.pagination(operation_id)
    {
        shape.write(&mut page, next_cursor, None);
    }
    page
}

/// Every provider the registry can call, with the success example of the
/// operation it calls as JSON bytes.
pub fn callable_providers() -> Vec<(&'static Provider, Vec<u8>)> {
    PROVIDERS
        .iter()
        .filter(|p| p.call.is_some())
        .map(|p| {
            let spec = xtask::pipeline::read_spec(&root().join(p.spec)).expect("the spec loads");
            let example = serde_json::to_vec(&success_example(&spec, p.first_operation)).expect("JSON");
            (p, example)
        })
        .collect()
}

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
        .to_owned()
}

/// Whether a status belongs to an operation's success type (2xx); every other
/// status (4xx, 5xx, `default`) decodes into its error type.
pub fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

/// Decodes a JSON body into `T` and serializes it back.
pub fn decode_json<T: DeserializeOwned + Serialize + Debug>(body: &[u8]) -> Result<Decoded, String> {
    let value: T = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let json = serde_json::to_value(&value).map_err(|e| e.to_string())?;
    Ok(Decoded {
        debug: format!("{value:#?}"),
        json: Some(json),
    })
}

/// Decodes a body received with `status` into the enum of a class of
/// statuses whose bodies differ, and serializes it back.
pub fn decode_by_status<T: workspaces_sdk_runtime::plumbing::ByStatus + Serialize + Debug>(
    status: u16,
    body: &[u8],
) -> Result<Decoded, String> {
    let status = reqwest::StatusCode::from_u16(status).map_err(|e| e.to_string())?;
    let value = T::from_status(status, body)?;
    let json = serde_json::to_value(&value).map_err(|e| e.to_string())?;
    Ok(Decoded {
        debug: format!("{value:#?}"),
        json: Some(json),
    })
}

/// A body the spec types as raw bytes: kept as text.
pub fn decode_raw(body: &[u8]) -> Result<Decoded, String> {
    let text = std::str::from_utf8(body).map_err(|e| e.to_string())?;
    Ok(Decoded {
        debug: text.to_owned(),
        json: None,
    })
}

/// A status the spec documents without a body.
pub fn decode_empty(body: &[u8]) -> Result<Decoded, String> {
    if body.is_empty() {
        Ok(Decoded {
            debug: "()".into(),
            json: None,
        })
    } else {
        Err("expected no body".into())
    }
}

/// JSON as a client sees it: object keys whose value is `null` or `[]` are
/// dropped (an absent optional field), and every RFC 3339 timestamp becomes
/// the same instant in UTC (a timestamp's offset is not part of its value).
pub fn normalize(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
                .map(|(k, v)| (k.clone(), normalize(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalize).collect()),
        Value::String(s) => match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(time) => Value::String(time.with_timezone(&chrono::Utc).to_rfc3339()),
            Err(_) => value.clone(),
        },
        other => other.clone(),
    }
}

/// Puts on `request` of the operation `operation_id` the credentials the
/// registry's clients send (`credential` for the first scheme, `test-<scheme>`
/// for the others, `test-user:` before a basic one), where the spec's
/// security puts them, through the runtime every client uses.
pub fn authenticate(spec: &xtask::model::Spec, request: &mut reqwest::Request, credential: &str, operation_id: &str) {
    use workspaces_sdk_runtime::{
        Config,
        plumbing::{Api, Auth, Context, Operation, Place},
    };
    use xtask::model::Place as Declared;
    let leak = |text: &str| -> &'static str { Box::leak(text.to_owned().into_boxed_str()) };
    let value = |place: &Declared, secret: String| match place {
        Declared::Basic => format!("test-user:{secret}"),
        _ => secret,
    };
    let auth: Vec<Auth> = spec
        .auth
        .schemes
        .iter()
        .map(|scheme| Auth {
            scheme: leak(&scheme.name),
            place: match &scheme.place {
                Declared::Header { name, prefix } => Place::Header {
                    name: leak(name),
                    prefix: leak(prefix),
                },
                Declared::Basic => Place::Basic,
                Declared::Query(name) => Place::Query(leak(name)),
                Declared::Cookie(name) => Place::Cookie(leak(name)),
            },
        })
        .collect();
    let api: &'static Api = Box::leak(Box::new(Api::new(
        leak(&spec.sdk.provider),
        "workspaces-sdk-tests",
        Box::leak(auth.into_boxed_slice()),
    )));
    let mut config = Config::default();
    for scheme in spec.auth.schemes.iter().skip(1) {
        config = config.credential(&scheme.name, value(&scheme.place, format!("test-{}", scheme.name)));
    }
    let first = spec
        .auth
        .schemes
        .first()
        .map(|s| value(&s.place, credential.to_owned()).into());
    let context = Context::new(api, first, &config).expect("the test credentials are valid");
    let operation = match spec.auth.public_operations.iter().any(|id| id == operation_id) {
        true => Operation::new(leak(operation_id)).public(),
        false => Operation::new(leak(operation_id)),
    };
    context
        .prepare_as(request, &operation)
        .expect("the credentials go on the request");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn normalize_drops_only_absent_like_fields_and_aligns_timestamps() {
        let a = json!({"a": null, "b": [], "c": [1], "d": "2019-12-28T01:56:08+08:00", "e": {"f": null}});
        let b = json!({"c": [1], "d": "2019-12-27T17:56:08Z", "e": {}});
        assert_eq!(normalize(&a), normalize(&b));
        assert_ne!(normalize(&json!({"c": [1]})), normalize(&json!({"c": [2]})));
        assert_ne!(
            normalize(&json!({"d": "2019-12-28T01:56:08+08:00"})),
            normalize(&json!({"d": "2019-12-28T01:56:08Z"}))
        );
    }
}
