//! The test crate's manifest and its registry of providers: the type of each
//! body, and calls of each generated client and mock.

use std::fmt::Write as _;

use quote::ToTokens;

use super::{crate_ident, marker, mock::mock_crate_name, spec_path};
use crate::{
    model::Spec,
    progenitor::{Generated, OperationTypes, fixes::qualify},
};

/// `tests/Cargo.toml`: the spec-driven test crate depends on every provider.
pub fn tests_manifest(specs: &[Spec]) -> String {
    let providers: String = specs
        .iter()
        .map(|s| format!("{} = {{ path = \"../crates/providers/{}\" }}\n", s.sdk.crate_name, s.id))
        .collect();
    let mocks: String = specs
        .iter()
        .map(|s| format!("{} = {{ path = \"../crates/mocks/{}\" }}\n", mock_crate_name(s), s.id))
        .collect();
    format!(
        "{marker}\
[package]
name = \"workspaces-sdk-tests\"
description = \"Spec-driven tests over every generated provider crate.\"
version = \"0.0.0\"
edition.workspace = true
rust-version.workspace = true
license.workspace = true
publish = false

[dependencies]
xtask = {{ path = \"../xtask\" }}
workspaces-sdk = {{ path = \"../crates/workspaces-sdk\" }}
{providers}serde = {{ version = \"1.0.226\", features = [\"derive\"] }}
serde_json = \"1.0.150\"
chrono = {{ version = \"0.4.42\", default-features = false, features = [\"std\"] }}
syn = {{ version = \"2\", features = [\"full\", \"extra-traits\"] }}
quote = \"1\"
tokio = {{ version = \"1\", features = [\"rt\", \"macros\"] }}
workspaces-sdk-runtime = {{ path = \"../crates/runtime\" }}
httpmock = \"0.8\"
futures-util = {{ version = \"0.3.31\", default-features = false, features = [\"std\"] }}
tracing-subscriber = {{ version = \"0.3.20\", default-features = false, features = [\"fmt\", \"std\"] }}
tracing = \"0.1.41\"
reqwest = {{ version = \"0.13.4\", default-features = false }}
{mocks}
[dev-dependencies]
insta = \"1.43\"

# `cargo bench -p workspaces-sdk-tests --bench facade`: the facade's stream
# against the provider's own, as a ratio in one run.
[[bench]]
name = \"facade\"
harness = false
",
        marker = marker("#", "every spec in openapi/"),
    )
}

/// `tests/src/generated.rs`: for every provider, which Rust type decodes
/// the body of each documented status of each operation, and how to call its
/// first operation that needs no arguments.
pub fn tests_registry(specs: &[Spec], generated: &[Generated], mocks: &[crate::progenitor::GeneratedMock]) -> String {
    let mut out = marker("//", "every spec in openapi/");
    out += "//! For every provider, the Rust type of each operation's success and error bodies,\n";
    out += "//! and calls of the generated client for the tests on the wire.\n\n";
    out += "use crate::{Arguments, Call, Decoded, Provider};\n\n";
    out += "type MockCall = std::pin::Pin<Box<dyn std::future::Future<Output = Result<usize, String>> + Send>>;\n\n";
    out += "/// Every provider generated from `openapi/`, in file-name order.\npub const PROVIDERS: &[Provider] = &[\n";
    for (spec, g) in specs.iter().zip(generated) {
        let mock = if first_call(spec, g).is_some() {
            format!("Some(mock_{})", spec.id)
        } else {
            "None".to_owned()
        };
        let paginated =
            first_call(spec, g).filter(|op| spec.pagination.iter().any(|p| p.operation_id == op.operation_id));
        let paginate = if paginated.is_some() {
            format!("Some(paginate_{})", spec.id)
        } else {
            "None".to_owned()
        };
        let (call, parameters) = match first_call(spec, g) {
            Some(op) => (
                format!("Some(call_{})", spec.id),
                samples_of(spec, op)
                    .iter()
                    .map(|(setter, _)| format!("{:?}", setter.parameter))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            None => ("None".to_owned(), String::new()),
        };
        writeln!(
            out,
            "    Provider {{ id: {:?}, crate_name: {:?}, spec: {:?}, decode: decode_{id}, call: {call}, parameters_set: &[{parameters}], client_debug: debug_{id}, mock: {mock}, paginate: {paginate} }},",
            spec.id,
            spec.sdk.crate_name,
            spec_path(spec),
            id = spec.id,
        )
        .unwrap();
    }
    out += "];\n";
    out += "\n/// Every named string enum of every spec, as an open enum.\npub const OPEN_ENUMS: &[crate::OpenEnum] = &[\n";
    for spec in specs {
        for open in crate::open_enums::open_enums(&spec.raw) {
            out += &crate::open_enums::registry_entry(&spec.id, &crate_ident(&spec.sdk.crate_name), &open).to_string();
            out += "\n";
        }
    }
    out += "];\n";
    for ((spec, generated), mock) in specs.iter().zip(generated).zip(mocks) {
        let krate_name = crate_ident(&spec.sdk.crate_name);
        let krate = syn::Ident::new(&krate_name, proc_macro2::Span::call_site());
        write!(
            out,
            "\nfn decode_{}(operation_id: &str, status: &str, body: &[u8]) -> Option<Result<Decoded, String>> {{\n    match (operation_id, status) {{\n",
            spec.id
        )
        .unwrap();
        for op in &generated.operations {
            for (status, success) in documented_statuses(spec, &op.operation_id) {
                let split = spec
                    .splits
                    .iter()
                    .find(|split| split.operation_id == op.operation_id && split.success == success);
                let call = match split {
                    Some(split) => format!(
                        "crate::decode_by_status::<::{krate_name}::types::{}>({}, body)",
                        split.enum_name,
                        representative_code(&status, &split.variants)
                    ),
                    None => {
                        let ty = if success { &op.success } else { &op.error };
                        match (ty, crate::type_index::shape(ty)) {
                            (syn::Type::Tuple(unit), _) if unit.elems.is_empty() => {
                                "crate::decode_empty(body)".to_owned()
                            }
                            (_, crate::type_index::Shape::ByteStream) => "crate::decode_raw(body)".to_owned(),
                            _ => format!("crate::decode_json::<{}>(body)", qualify(ty, &krate).to_token_stream()),
                        }
                    }
                };
                writeln!(out, "        ({:?}, {status:?}) => Some({call}),", op.operation_id).unwrap();
            }
        }
        out += "        _ => None,\n    }\n}\n";
        write!(
            out,
            "\nfn debug_{id}(base_url: &str, credential: &str) -> Result<String, String> {{\n    \
             {krate_name}::Client::with_base_url(base_url, credential).map(|client| format!(\"{{client:?}}\")).map_err(|e| e.to_string())\n}}\n",
            id = spec.id,
        )
        .unwrap();
        if let Some(op) = first_call(spec, generated) {
            let mock_fn = mock_call(spec, op, mock).unwrap_or_else(|| {
                format!("\nfn mock_{}(_: Vec<u8>, _: bool) -> MockCall {{\n    Box::pin(async {{ Err(\"the mock cannot express every parameter\".to_owned()) }})\n}}\n", spec.id)
            });
            out += &mock_fn;
            if spec.pagination.iter().any(|p| p.operation_id == op.operation_id) {
                let every: String = samples_of(spec, op)
                    .iter()
                    .filter(|(setter, _)| !paging_parameter(spec, &op.operation_id, &setter.parameter))
                    .map(|(setter, argument)| format!(".{}({argument})", setter.method))
                    .collect();
                write!(
                    out,
                    "
fn paginate_{id}(base_url: String, paging: workspaces_sdk_runtime::Paging) -> crate::Paginated {{
    Box::pin(async move {{
        use ::futures_util::StreamExt;
        let config = workspaces_sdk_runtime::Config::default().without_retries();
        let client = {krate_name}::Client::with_config(&base_url, \"test-credential\", config).map_err(crate::config_error)?;
        let mut pages = client.{method}(){every}.pages_with(paging);
        let mut seen = Vec::new();
        while let Some(page) = pages.next().await {{
            match page {{
                Ok(page) => seen.push(::serde_json::to_value(&page).unwrap()),
                Err(error) => return Ok((seen, Some(crate::call_error(error)))),
            }}
        }}
        Ok((seen, None))
    }})
}}
",
                    id = spec.id,
                    method = op.method,
                )
                .unwrap();
            }
            let setters: String = samples_of(spec, op)
                .iter()
                .map(|(setter, argument)| format!(".{}({argument})", setter.method))
                .collect();
            let every = if setters.is_empty() {
                "{}".to_owned()
            } else {
                format!("request = request{setters},")
            };
            let bounded: String = op
                .setters
                .iter()
                .filter(|setter| {
                    spec.bounds
                        .iter()
                        .any(|b| b.operation_id == op.operation_id && b.parameter == setter.parameter)
                })
                .filter_map(|setter| {
                    let primitive = crate::type_index::integer_primitive(&setter.ty)?;
                    Some(format!(
                        "            Arguments::Bounded({:?}, value) => request = request.{}(value as {primitive}),\n",
                        setter.parameter, setter.method
                    ))
                })
                .collect();
            write!(
                out,
                "
fn call_{id}(base_url: String, credential: String, arguments: Arguments, config: workspaces_sdk_runtime::Config) -> Call {{
    Box::pin(async move {{
        let client = {krate_name}::Client::with_config(&base_url, credential, config).map_err(crate::config_error)?;
        #[allow(unused_mut)]
        let mut request = client.{method}();
        match arguments {{
            Arguments::None => {{}}
            Arguments::Repeated(times) => {{
                for _ in 1..times {{
                    client.{method}().send().await.map_err(crate::call_error)?;
                }}
            }}
            Arguments::Every => {every}
{bounded}            Arguments::Bounded(parameter, _) => return Err(crate::CallError::unsupported(parameter)),
        }}
        let response = request.send().await.map_err(crate::call_error)?;
        Ok(({operation:?}, response.status().as_u16()))
    }})
}}
",
                id = spec.id,
                method = op.method,
                operation = op.operation_id,
            )
            .unwrap();
        }
    }
    out
}

/// A call through the provider's typed mock: the mock expects every parameter
/// at its sample value (`When`) and answers with the given success body
/// (`Then`); the client sends every parameter. Returns the mock's hits.
pub(crate) fn mock_call(spec: &Spec, op: &OperationTypes, mock: &crate::progenitor::GeneratedMock) -> Option<String> {
    let krate = crate_ident(&spec.sdk.crate_name);
    let krate_ident = syn::Ident::new(&krate, proc_macro2::Span::call_site());
    let when = format!("{}When", op.builder);
    let then = format!("{}Then", op.builder);
    let success = qualify(&op.success, &krate_ident).to_token_stream().to_string();
    let answers_with_the_success_body =
        |argument: &syn::Type| matches!(argument, syn::Type::Reference(r) if *r.elem == op.success);
    let answer = &mock
        .methods
        .iter()
        .find(|m| m.owner == then && answers_with_the_success_body(&m.argument))?
        .method;
    let mut expect = String::new();
    for setter in &op.setters {
        let schema = crate::load::parameter_schema(&spec.raw, &op.operation_id, &setter.parameter)?;
        let sample = crate::samples::sample(&setter.parameter, schema)?;
        let argument = &mock
            .methods
            .iter()
            .find(|m| m.owner == when && m.method == setter.method)?
            .argument;
        let argument = qualify(argument, &krate_ident);
        expect += &format!(".{}({})", setter.method, sample.mock_argument(&argument)?);
    }
    let every: String = samples_of(spec, op)
        .iter()
        .map(|(setter, argument)| format!(".{}({argument})", setter.method))
        .collect();
    let every_or_not = if every.is_empty() {
        String::new()
    } else {
        format!("let request = if send_every_parameter {{ request{every} }} else {{ request }};")
    };
    Some(format!(
        "
fn mock_{id}(example: Vec<u8>, send_every_parameter: bool) -> MockCall {{
    Box::pin(async move {{
        let server = ::httpmock::MockServer::start_async().await;
        let body: {success} = ::serde_json::from_slice(&example).map_err(|e| e.to_string())?;
        let mock = {mock_krate}::MockServerExt::{method}(&server, |when, then| {{
            let _ = when{expect};
            then.{answer}(&body);
        }});
        let client = {krate}::Client::with_base_url(&server.base_url(), \"test-credential\").map_err(|e| e.to_string())?;
        let _ = send_every_parameter;
        let request = client.{method}();
        {every_or_not}
        let sent = request.send().await;
        let calls = mock.calls_async().await;
        match sent {{
            Ok(_) => Ok(calls),
            Err(e) if calls == 0 => Ok(e.status().map_or(0, |s| 1000 + usize::from(s.as_u16()))),
            Err(e) => Err(e.to_string()),
        }}
    }})
}}
",
        id = spec.id,
        mock_krate = crate_ident(&mock_crate_name(spec)),
        method = op.method,
    ))
}

/// Whether a parameter is one the paginator sets itself.
pub(crate) fn paging_parameter(spec: &Spec, operation_id: &str, parameter: &str) -> bool {
    use crate::model::PaginationStyle;
    spec.pagination
        .iter()
        .filter(|p| p.operation_id == operation_id)
        .any(|p| match &p.style {
            PaginationStyle::Cursor { parameter: cursor, .. } => cursor == parameter,
            PaginationStyle::Page { page, size, .. } => page == parameter || size == parameter,
        })
}

/// Each setter of an operation that has a sample, with the Rust argument.
pub(crate) fn samples_of<'a>(spec: &Spec, op: &'a OperationTypes) -> Vec<(&'a crate::progenitor::Setter, String)> {
    op.setters
        .iter()
        .filter_map(|setter| {
            let schema = crate::load::parameter_schema(&spec.raw, &op.operation_id, &setter.parameter)?;
            let argument = crate::samples::sample(&setter.parameter, schema)?.rust_argument(&setter.ty)?;
            Some((setter, argument))
        })
        .collect()
}

/// Each documented status of an operation, and whether it is a success (a
/// `default` beside documented successes stands for the errors).
fn documented_statuses(spec: &Spec, operation_id: &str) -> Vec<(String, bool)> {
    use crate::rewrite::statuses::StatusClass;
    spec.statuses
        .get(operation_id)
        .into_iter()
        .flatten()
        .filter(|s| s.class != StatusClass::Other)
        .map(|s| {
            (
                s.key.clone(),
                matches!(s.class, StatusClass::Success | StatusClass::Default),
            )
        })
        .collect()
}

/// A status code that `status` (`404`, `4XX`, `default`) stands for among
/// `variants`: itself, the range's first code, or a code no other variant has.
fn representative_code(status: &str, variants: &[crate::rewrite::by_status::Variant]) -> u16 {
    use crate::rewrite::statuses::StatusKey;
    match StatusKey::parse(status) {
        Some(StatusKey::Code(code)) => code,
        Some(StatusKey::Range(digit)) => u16::from(digit) * 100,
        _ => {
            let taken = |code: u16| {
                variants.iter().any(|v| {
                    let key = StatusKey::parse(&v.status);
                    key == Some(StatusKey::Code(code)) || key == Some(StatusKey::Range((code / 100) as u8))
                })
            };
            (200..600).rev().find(|code| !taken(*code)).unwrap_or(599)
        }
    }
}

/// The first operation that can be sent without arguments.
pub(crate) fn first_call<'a>(spec: &Spec, generated: &'a Generated) -> Option<&'a OperationTypes> {
    generated.operations.iter().find(|op| {
        crate::load::operations(&spec.raw).iter().any(|(_, id, operation)| {
            id.as_deref() == Some(op.operation_id.as_str())
                && operation.get("requestBody").is_none()
                && operation
                    .get("parameters")
                    .and_then(|p| p.as_array())
                    .into_iter()
                    .flatten()
                    .all(|parameter| {
                        let parameter = crate::load::resolve(&spec.raw, parameter).unwrap_or(parameter);
                        parameter.get("required").and_then(|r| r.as_bool()) != Some(true)
                    })
        })
    })
}
