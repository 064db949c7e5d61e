//! Each operation's `dispatch()` as the runtime's
//! [`exchange`](workspaces_sdk_runtime::plumbing::exchange) rather than an
//! `async fn`: progenitor's `dispatch()` builds its request, hands it to the
//! client's `pre` and `exec` hooks and reads the response by status, all in
//! one `async fn`, whose future keeps the builder, the request and the
//! sending side by side for the whole attempt (it is the largest part of a
//! call's future, copied whenever the call moves). Rewritten, the request
//! is built by a closure that runs at once (progenitor's statements as they
//! are, its `?` included), and the exchange holds the sending, then the
//! reading (progenitor's `match` on the status, as it is), one at a time.

use quote::ToTokens;
use syn::{ImplItemFn, Pat, Stmt};

use crate::runtime_paths::{BUILD, EXCHANGE};
use crate::type_index::last_segment;

/// What progenitor's `dispatch()` does between building its request and
/// reading its response, statement by statement after `let info = ...;`.
const SENDING: [&str; 4] = [
    "client.pre(&mut request, &info).await?;",
    "let result = client.exec(request, &info).await;",
    "client.post(&result, &info).await?;",
    "let response = result?;",
];

/// Rewrites every builder's `dispatch()`; how many it rewrote.
pub(super) fn dispatch_through_an_exchange(file: &mut syn::File) -> usize {
    let client = |builder: &syn::ItemStruct| {
        builder
            .fields
            .iter()
            .find(|f| f.ident.as_ref().is_some_and(|i| i == "client"))
            .map(|f| f.ty.clone())
    };
    super::rewrite_each_dispatch(file, client, |function, client, generics| {
        generics
            .lifetimes()
            .next()
            .is_some_and(|lifetime| rewrite(function, client, &lifetime.lifetime))
    })
}

/// `dispatch()` as an exchange, if it has progenitor's shape: an `async fn`
/// returning `Result<_, Error<_>>` whose statements end with `let info`,
/// [`SENDING`] and the reading of the response.
fn rewrite(function: &mut ImplItemFn, client: &syn::Type, lifetime: &syn::Lifetime) -> bool {
    let syn::ReturnType::Type(_, output) = &function.sig.output else {
        return false;
    };
    let error = match last_segment(output) {
        Some((result, arguments)) if result == "Result" && arguments.len() == 2 => arguments[1].clone(),
        _ => return false,
    };
    let stmts = &function.block.stmts;
    let Some(at) = stmts.iter().position(|stmt| {
        matches!(stmt, Stmt::Local(local) if matches!(&local.pat, Pat::Ident(binding) if binding.ident == "info"))
    }) else {
        return false;
    };
    let said = |stmt: &Stmt| stmt.to_token_stream().to_string().replace(' ', "");
    let sending = stmts.get(at + 1..at + 1 + SENDING.len()).unwrap_or_default();
    let matches = sending.len() == SENDING.len()
        && sending
            .iter()
            .zip(SENDING)
            .all(|(stmt, expected)| said(stmt) == expected.replace(' ', ""));
    let (Some(Stmt::Expr(reading, None)), true, true) = (
        stmts.get(at + 1 + SENDING.len()),
        matches,
        stmts.len() == at + 2 + SENDING.len(),
    ) else {
        return false;
    };
    if function.sig.asyncness.is_none() {
        return false;
    }
    let building = &stmts[..at];
    let (output, reading) = (output.clone(), reading.clone());
    function.sig.asyncness = None;
    function.attrs.push(syn::parse_quote!(#[inline(always)]));
    function.sig.output = syn::parse_quote!(-> impl ::std::future::Future<Output = #output> + #lifetime);
    function.block = syn::parse_quote!({
        let built = #BUILD(move || -> ::std::result::Result<(#client, ::reqwest::Request), #error> {
            #(#building)*
            Ok((client, request))
        });
        #EXCHANGE(built, |response| async move { #reading })
    });
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder(sending: &str) -> syn::File {
        syn::parse_str(&format!(
            r#"
            pub mod builder {{
                pub struct ListThings<'a> {{
                    pub(crate) client: ::std::borrow::Cow<'a, super::Client>,
                    cursor: Result<Option<String>, String>,
                }}
                impl<'a> ListThings<'a> {{
                    pub(crate) async fn dispatch(self) -> Result<ResponseValue<types::Page>, Error<types::Problem>> {{
                        let Self {{ client, cursor, .. }} = self;
                        let cursor = cursor.map_err(Error::InvalidRequest)?;
                        let url = client.baseurl.url(format_args!("/things"));
                        let mut request = ::reqwest::Request::new(::reqwest::Method::GET, url);
                        let info = OperationInfo {{ operation_id: "list_things" }};
                        {sending}
                        match response.status().as_u16() {{
                            200u16 => json_response(response).await,
                            _ => Err(Error::UnexpectedResponse(response)),
                        }}
                    }}
                }}
            }}"#
        ))
        .unwrap()
    }

    #[test]
    fn dispatch_builds_its_request_at_once_and_hands_it_to_an_exchange() {
        let mut file = builder(&SENDING.join("\n"));
        assert_eq!(dispatch_through_an_exchange(&mut file), 1);
        let code = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            code.contains(
                "#[inline(always)]pub(crate)fndispatch(self)->impl::std::future::Future<Output=Result<ResponseValue<types::Page>,\
                 Error<types::Problem>>>+'a"
            ),
            "no longer an `async fn`, its future lives as long as its client: {code}"
        );
        assert!(
            code.contains(
                "letbuilt=workspaces_sdk_runtime::plumbing::build(move||->::std::result::Result<(::std::borrow::Cow<'a,super::Client>,::reqwest::Request),\
                 Error<types::Problem>>{letSelf{client,cursor,..}=self;letcursor=cursor.map_err(Error::InvalidRequest)?;"
            ),
            "progenitor's statements build the request, `?` and all: {code}"
        );
        assert!(code.contains("Ok((client,request))});"), "{code}");
        assert!(
            code.contains(
                "workspaces_sdk_runtime::plumbing::exchange(built,|response|asyncmove{matchresponse.status().as_u16()"
            ),
            "the reading by status is progenitor's, after the exchange: {code}"
        );
        assert!(
            !code.contains("client.pre") && !code.contains("client.exec") && !code.contains("info"),
            "{code}"
        );
    }

    #[test]
    fn a_dispatch_of_another_shape_is_left_as_it_is_and_not_counted() {
        // A hook progenitor did not call before: the pass cannot know what
        // it does, so it leaves the function alone (and `generate` stops).
        let other = SENDING.join("\n").replace("client.post(&result, &info).await?;", "");
        for sending in [other.as_str(), ""] {
            let mut file = builder(sending);
            let before = file.to_token_stream().to_string();
            assert_eq!(dispatch_through_an_exchange(&mut file), 0);
            assert_eq!(file.to_token_stream().to_string(), before);
        }
    }
}
