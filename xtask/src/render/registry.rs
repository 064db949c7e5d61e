//! The test crate's manifest and its registry of providers: the type of each
//! body, and calls of each generated client and mock.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{
    crate_ident, marker,
    mock::mock_crate_name,
    registry_calls::{first_call, mock_call, sample_calls, samples_of, test_client},
    spec_path,
};
use crate::runtime_paths::{CONFIG, PAGING};
use crate::{
    codegen::Generated,
    model::Spec,
    type_index::qualify,
    type_index::{Shape, shape},
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
workspaces-sdk = {{ path = \"../crates/workspaces-sdk\", features = [\"drift\"] }}
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
jsonschema = {{ version = \"0.59\", default-features = false }}
# The decoders fuzzed on stable Rust (`tests/fuzz.rs`).
proptest = {{ version = \"1.5\", default-features = false, features = [\"std\"] }}
# The benchmarks' hand-written structs read what the generated types read.
chrono.workspace = true
uuid.workspace = true
# What progenitor alone generates (`benches/sdk/progenitor_alone/`) calls it.
progenitor-client.workspace = true
# The benchmark's client and server threads, each pinned to a core of its own.
libc = \"0.2\"

# `cargo xtask bench` (`cargo bench -p workspaces-sdk-tests --bench sdk`):
# every benchmark against its baseline, as ratios in one run; under
# `cargo test`, a quick run that shows each works.
[[bench]]
name = \"sdk\"
path = \"benches/sdk/main.rs\"
harness = false
",
        marker = marker("#", "every spec in openapi/"),
    )
}

/// `tests/src/generated.rs`: for every provider, which Rust type decodes
/// the body of each documented status of each operation, and how to call its
/// first operation that needs no arguments.
pub fn tests_registry(
    specs: &[Spec],
    generated: &[Generated],
    mocks: &[crate::codegen::GeneratedMock],
) -> Result<String, crate::load::SpecError> {
    let entries = specs.iter().zip(generated).map(|(spec, g)| {
        let id = &spec.id;
        let first = first_call(g);
        let named = |prefix: &str| format_ident!("{prefix}_{id}");
        let some = |prefix: &str| {
            let f = named(prefix);
            quote!(Some(#f))
        };
        let paginated = first.filter(|op| op.paging.is_some());
        let takes_credential = !spec.auth.schemes.is_empty();
        let first_operation = match first {
            Some(op) => {
                let id = &op.id();
                quote!(Some(#id))
            }
            None => quote!(None),
        };
        let (call, mock) = match first {
            Some(_) => (some("call"), some("mock")),
            None => (quote!(None), quote!(None)),
        };
        let paginate = if paginated.is_some() {
            some("paginate")
        } else {
            quote!(None)
        };
        let parameters: Vec<&String> = first
            .map(|op| {
                samples_of(op)
                    .into_iter()
                    .map(|(setter, _)| &setter.parameter)
                    .collect()
            })
            .unwrap_or_default();
        let (crate_name, path) = (&spec.sdk.crate_name, spec_path(spec));
        let (decode, debug) = (named("decode"), named("debug"));
        quote! {
            Provider {
                id: #id, crate_name: #crate_name, spec: #path, takes_credential: #takes_credential, decode: #decode,
                first_operation: #first_operation, call: #call,
                parameters_set: &[#(#parameters),*], client_debug: #debug, mock: #mock, paginate: #paginate,
            }
        }
    });
    let open_enums = specs.iter().flat_map(|spec| {
        spec.open_enums
            .iter()
            .map(|open| crate::open_enums::registry_entry(&spec.id, &crate_ident(&spec.sdk.crate_name), open))
    });
    let per_provider = specs
        .iter()
        .zip(generated)
        .zip(mocks)
        .map(|((spec, g), mock)| provider_functions(spec, g, mock));
    let file = quote! {
        use crate::{Arguments, Call, Decoded, Provider};

        type MockCall = std::pin::Pin<Box<dyn std::future::Future<Output = Result<usize, String>> + Send>>;

        /// Every provider generated from `openapi/`, in file-name order.
        pub const PROVIDERS: &[Provider] = &[#(#entries),*];

        /// Every named string enum of every spec, as an open enum.
        pub const OPEN_ENUMS: &[crate::OpenEnum] = &[#(#open_enums)*];

        #(#per_provider)*
    };
    let code = super::rust(file, "openapi/".as_ref(), "the test registry")?;
    let mut out = marker("//", "every spec in openapi/");
    out += "//! For every provider, the Rust type of each operation's success and error bodies,\n";
    out += "//! and calls of the generated client for the tests on the wire.\n\n";
    out += &code;
    Ok(out)
}

/// A provider's functions in the registry: `decode_<id>`, `debug_<id>`, and
/// for its first operation without arguments `call_<id>`, `mock_<id>` and,
/// where it is paginated, `paginate_<id>`.
fn provider_functions(spec: &Spec, g: &Generated, mock: &crate::codegen::GeneratedMock) -> TokenStream {
    let id = &spec.id;
    let krate = format_ident!("{}", crate_ident(&spec.sdk.crate_name));
    let decode = format_ident!("decode_{id}");
    let debug = format_ident!("debug_{id}");
    let krate_ref = &krate;
    let arms = g.plans.iter().flat_map(|op| {
        documented_statuses(op).into_iter().map(move |(status, success)| {
            let krate = krate_ref;
            let split = op.splits.iter().find(|split| split.success == success);
            let call = match split {
                Some(split) => {
                    let name = format_ident!("{}", split.enum_name);
                    let code = representative_code(&status, &split.variants);
                    quote!(crate::decode_by_status::<::#krate::types::#name>(#code, body))
                }
                None => {
                    let ty = if success { &op.success } else { &op.error };
                    match (ty, shape(ty)) {
                        (syn::Type::Tuple(unit), _) if unit.elems.is_empty() => quote!(crate::decode_empty(body)),
                        (_, Shape::ByteStream) => quote!(crate::decode_raw(body)),
                        _ => {
                            let ty = qualify(ty, krate);
                            quote!(crate::decode_json::<#ty>(body))
                        }
                    }
                }
            };
            let operation_id = &op.id();
            quote!((#operation_id, #status) => Some(#call),)
        })
    });
    let debug_client = test_client(
        spec,
        &krate,
        quote!(base_url),
        quote!(credential),
        quote!(#CONFIG::default()),
    );
    let mut out = quote! {
        fn #decode(operation_id: &str, status: &str, body: &[u8]) -> Option<Result<Decoded, String>> {
            match (operation_id, status) {
                #(#arms)*
                _ => None,
            }
        }

        fn #debug(base_url: &str, credential: &str) -> Result<String, String> {
            #debug_client
                .map(|client| format!("{client:?}"))
                .map_err(|e| e.to_string())
        }
    };
    let Some(op) = first_call(g) else {
        return out;
    };
    let method = format_ident!("{}", op.method);
    let mock_fn = format_ident!("mock_{id}");
    out.extend(mock_call(spec, op, mock).unwrap_or_else(|| {
        quote! {
            fn #mock_fn(_: Vec<u8>, _: bool) -> MockCall {
                Box::pin(async { Err("the mock cannot express every parameter".to_owned()) })
            }
        }
    }));
    if op.paging.is_some() {
        let paginate = format_ident!("paginate_{id}");
        let paging_client = test_client(
            spec,
            &krate,
            quote!(&base_url),
            quote!("test-credential"),
            quote!(config),
        );
        let every = sample_calls(op, |setter| {
            op.paging.as_ref().is_none_or(|paging| !paging.sets(setter))
        });
        out.extend(quote! {
            fn #paginate(base_url: String, paging: #PAGING) -> crate::Paginated {
                Box::pin(async move {
                    use ::futures_util::StreamExt;
                    let config = #CONFIG::default().without_retries();
                    let client = #paging_client.map_err(crate::config_error)?;
                    let mut pages = client.#method()#(#every)*.pages_with(paging);
                    let mut seen = Vec::new();
                    while let Some(page) = pages.next().await {
                        match page {
                            Ok(page) => seen.push(::serde_json::to_value(&page).unwrap()),
                            Err(error) => return Ok((seen, Some(crate::call_error(error)))),
                        }
                    }
                    Ok((seen, None))
                })
            }
        });
    }
    let setters = sample_calls(op, |_| true);
    let every = if setters.is_empty() {
        quote!({})
    } else {
        quote!(request = request #(#setters)*,)
    };
    let bounded = op
        .setters
        .iter()
        .filter(|setter| setter.parameter().is_some_and(|p| p.bounds.is_some()))
        .filter_map(|setter| {
            let primitive = format_ident!("{}", crate::type_index::integer_primitive(&setter.ty)?);
            let (parameter, method) = (&setter.parameter, format_ident!("{}", setter.method));
            Some(quote!(Arguments::Bounded(#parameter, value) => request = request.#method(value as #primitive),))
        });
    let call = format_ident!("call_{id}");
    let call_client = test_client(spec, &krate, quote!(&base_url), quote!(credential), quote!(config));
    let operation_id = &op.id();
    out.extend(quote! {
        fn #call(base_url: String, credential: String, arguments: Arguments, config: #CONFIG) -> Call {
            Box::pin(async move {
                let client = #call_client.map_err(crate::config_error)?;
                #[allow(unused_mut)]
                let mut request = client.#method();
                match arguments {
                    Arguments::None => {}
                    Arguments::Repeated(times) => {
                        for _ in 1..times {
                            client.#method().send().await.map_err(crate::call_error)?;
                        }
                    }
                    Arguments::Every => #every
                    #(#bounded)*
                    Arguments::Bounded(parameter, _) => return Err(crate::CallError::unsupported(parameter)),
                }
                let response = request.send().await.map_err(crate::call_error)?;
                Ok((#operation_id, response.status().as_u16()))
            })
        }
    });
    out
}

/// Each documented status of an operation, and whether it is a success (a
/// `default` beside documented successes stands for the errors).
fn documented_statuses(op: &crate::codegen::OperationPlan) -> Vec<(String, bool)> {
    use crate::rewrite::statuses::StatusClass;
    op.statuses
        .iter()
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
