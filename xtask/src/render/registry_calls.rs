//! The calls the test registry makes of a provider's first operation that
//! needs no arguments: through its typed mock, with every parameter at its
//! sample value, and which parameters those are; and the client each call
//! is made with, given the test credentials the spec's security takes.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{crate_ident, mock::mock_crate_name};
use crate::runtime_paths::CONFIG;
use crate::{
    codegen::{Generated, OperationPlan},
    model::{Place, Spec},
    type_index::qualify,
};

/// A call through the provider's typed mock: the mock expects every parameter
/// at its sample value (`When`) and answers with the given success body
/// (`Then`); the client sends every parameter. Returns the mock's hits.
pub(super) fn mock_call(spec: &Spec, op: &OperationPlan, mock: &crate::codegen::GeneratedMock) -> Option<TokenStream> {
    let krate = format_ident!("{}", crate_ident(&spec.sdk.crate_name));
    let (when, then) = (format!("{}When", op.builder), format!("{}Then", op.builder));
    let success = qualify(&op.success, &krate);
    let answers_with_the_success_body =
        |argument: &syn::Type| matches!(argument, syn::Type::Reference(r) if *r.elem == op.success);
    let answer = format_ident!(
        "{}",
        mock.methods
            .iter()
            .find(|m| m.owner == then && answers_with_the_success_body(&m.argument))?
            .method
    );
    let mut expect = Vec::new();
    // The parameters the call sets (those with a sample), each expected.
    let sampled: Vec<&str> = samples_of(op)
        .iter()
        .map(|(setter, _)| setter.parameter.as_str())
        .collect();
    for setter in op
        .setters
        .iter()
        .filter(|setter| sampled.contains(&setter.parameter.as_str()))
    {
        let sample = crate::samples::sample(&setter.parameter, setter.schema()?)?;
        let argument = &mock
            .methods
            .iter()
            .find(|m| m.owner == when && m.method == setter.method)?
            .argument;
        let argument = sample.mock_argument(argument, |ty| qualify(ty, &krate))?;
        let method = format_ident!("{}", setter.method);
        expect.push(quote!(.#method(#argument)));
    }
    let every = sample_calls(op, |_| true);
    let every_or_not = (!every.is_empty())
        .then(|| quote!(let request = if send_every_parameter { request #(#every)* } else { request };));
    let mock_fn = format_ident!("mock_{}", spec.id);
    let client = test_client(
        spec,
        &krate,
        quote!(&server.base_url()),
        quote!("test-credential"),
        quote!(#CONFIG::default()),
    );
    let mock_krate = format_ident!("{}", crate_ident(&mock_crate_name(spec)));
    let method = format_ident!("{}", op.method);
    Some(quote! {
        fn #mock_fn(example: Vec<u8>, send_every_parameter: bool) -> MockCall {
            Box::pin(async move {
                let server = ::httpmock::MockServer::start_async().await;
                let body: #success = ::serde_json::from_slice(&example).map_err(|e| e.to_string())?;
                let mock = #mock_krate::MockServerExt::#method(&server, |when, then| {
                    let _ = when #(#expect)*;
                    then.#answer(&body);
                });
                let client = #client.map_err(|e| e.to_string())?;
                let _ = send_every_parameter;
                let request = client.#method();
                #every_or_not
                let sent = request.send().await;
                let calls = mock.calls_async().await;
                match sent {
                    Ok(_) => Ok(calls),
                    Err(e) if calls == 0 => Ok(e.status().map_or(0, |s| 1000 + usize::from(s.as_u16()))),
                    Err(e) => Err(e.to_string()),
                }
            })
        }
    })
}

/// `.setter(sample)` for each setter of an operation that has a sample and
/// that `keep` keeps.
pub(super) fn sample_calls(op: &OperationPlan, keep: impl Fn(&crate::codegen::Setter) -> bool) -> Vec<TokenStream> {
    samples_of(op)
        .into_iter()
        .filter(|(setter, _)| keep(setter))
        .map(|(setter, argument)| {
            let setter = format_ident!("{}", setter.method);
            quote!(.#setter(#argument))
        })
        .collect()
}

/// Each setter of an operation that has a sample, with the Rust argument.
pub(crate) fn samples_of(op: &OperationPlan) -> Vec<(&crate::codegen::Setter, TokenStream)> {
    op.setters
        .iter()
        .filter_map(|setter| {
            let argument = crate::samples::sample(&setter.parameter, setter.schema()?)?.rust_argument(&setter.ty)?;
            Some((setter, argument))
        })
        .collect()
}

/// The first operation that can be sent without arguments.
pub(crate) fn first_call(generated: &Generated) -> Option<&OperationPlan> {
    let callable =
        |op: &&OperationPlan| !op.operation.has_request_body && op.operation.parameters.iter().all(|p| !p.required);
    // One with a JSON success example first: the tests answer with it.
    let has_example = |op: &&OperationPlan| {
        op.operation
            .examples
            .iter()
            .any(|e| crate::load::is_json(&e.media_type) && e.status.starts_with('2'))
    };
    let mut callable = generated.plans.iter().filter(callable);
    callable.clone().find(has_example).or_else(|| callable.next())
}

/// A client of a provider's crate for the tests, as its spec's security
/// takes credentials: none at all; `test-user:<credential>` for HTTP basic;
/// for each scheme past the first, `test-<scheme>` in the configuration.
pub(super) fn test_client(
    spec: &Spec,
    krate: &syn::Ident,
    base_url: TokenStream,
    credential: TokenStream,
    config: TokenStream,
) -> TokenStream {
    let Some((first, others)) = spec.auth.schemes.split_first() else {
        return quote!({
            let _ = #credential;
            #krate::Client::with_config(#base_url, #config)
        });
    };
    let credential = match first.place {
        Place::Basic => quote!(format!("test-user:{}", #credential)),
        _ => credential,
    };
    let others = others.iter().map(|scheme| {
        let name = &scheme.name;
        let value = match scheme.place {
            Place::Basic => format!("test-user:test-{name}"),
            _ => format!("test-{name}"),
        };
        quote!(.credential(#name, #value))
    });
    quote!(#krate::Client::with_config(#base_url, #credential, #config #(#others)*))
}
