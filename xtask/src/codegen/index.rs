//! What progenitor generated for each operation, read off its syntax tree
//! as progenitor wrote it: the `Client` method, the builder, its setters
//! with their types, and the success and error body types. The plan
//! (`plan.rs`) joins them to the spec's operations.

use syn::{ImplItem, Item};

use crate::type_index::type_name;

/// What progenitor generated for one operation, named as progenitor names
/// it, with paths relative to the generated crate's root (`types::Foo`).
#[derive(Debug, Clone)]
pub struct Read {
    /// The id progenitor gives the hooks in `OperationInfo` (snake case).
    pub hook_id: String,
    /// The `Client` method that starts the operation's builder.
    pub method: String,
    /// The builder's name in the `builder` module.
    pub builder: String,
    /// The builder's setters: each method and the Rust type it converts its
    /// argument into.
    pub setters: Vec<(String, syn::Type)>,
    /// The body types `send()` returns.
    pub success: syn::Type,
    pub error: syn::Type,
}

/// A method of the mock's `When` or `Then` type that takes a value.
#[derive(Debug, Clone)]
pub struct MockMethod {
    /// The type it belongs to (`ListWorkspacesWhen`).
    pub owner: String,
    pub method: String,
    /// What it takes: `X` of `where T: Into<X>`, or its argument's type.
    pub argument: syn::Type,
}

pub fn mock_methods(file: &syn::File) -> Vec<MockMethod> {
    let mut methods = Vec::new();
    for item in &file.items {
        let Item::Mod(module) = item else { continue };
        for item in module.content.iter().flat_map(|(_, items)| items) {
            let Item::Impl(block) = item else { continue };
            let Some(owner) = type_name(&block.self_ty) else {
                continue;
            };
            for item in &block.items {
                let ImplItem::Fn(f) = item else { continue };
                let argument = match (bound_argument(f, None), f.sig.inputs.iter().nth(1)) {
                    (Some(bound), _) => bound,
                    (None, Some(syn::FnArg::Typed(typed))) => (*typed.ty).clone(),
                    _ => continue,
                };
                methods.push(MockMethod {
                    owner: owner.clone(),
                    method: f.sig.ident.to_string(),
                    argument,
                });
            }
        }
    }
    methods
}

/// Reads each operation off progenitor's output, its success and error
/// body types off the `send()` of its builder, the one place progenitor
/// states them.
pub fn read(file: &syn::File) -> Result<Vec<Read>, String> {
    let mut client_methods = Vec::new(); // (builder struct, method)
    let mut sends = Vec::new(); // (builder struct, success, error)
    let mut setters: Vec<(String, (String, syn::Type))> = Vec::new(); // (builder struct, setter)
    for item in &file.items {
        if let Item::Impl(block) = item
            && is_client_impl(block)
        {
            for item in &block.items {
                if let ImplItem::Fn(f) = item
                    && let syn::ReturnType::Type(_, ty) = &f.sig.output
                    && let Some(builder) = type_name(ty)
                {
                    client_methods.push((builder, f.sig.ident.to_string()));
                }
            }
        }
    }
    for item in crate::type_index::module_items(file, "builder") {
        let Item::Impl(block) = item else { continue };
        let Some(builder) = type_name(&block.self_ty) else {
            continue;
        };
        for item in &block.items {
            if let ImplItem::Fn(f) = item
                && let Some(ty) = setter_type(f)
            {
                setters.push((builder.clone(), (f.sig.ident.to_string(), ty)));
            }
            if let ImplItem::Fn(f) = item
                && f.sig.ident == "send"
            {
                let (success, error) = result_arguments(&f.sig.output)
                    .ok_or_else(|| format!("cannot read the return type of `{builder}::send`"))?;
                sends.push((builder.clone(), success, error));
            }
        }
    }
    sends
        .into_iter()
        .map(|(builder, success, error)| {
            let method = client_methods
                .iter()
                .find(|(b, _)| *b == builder)
                .map(|(_, method)| method.clone())
                .ok_or_else(|| format!("no `Client` method returns `builder::{builder}`"))?;
            let setters = setters
                .iter()
                .filter(|(b, _)| *b == builder)
                .map(|(_, s)| s.clone())
                .collect();
            // progenitor names the `Client` method and the `OperationInfo` id
            // its hooks see alike (the operationId in snake case).
            Ok(Read {
                hook_id: method.clone(),
                method,
                builder,
                setters,
                success,
                error,
            })
        })
        .collect()
}

/// `T` of a setter `fn name<V>(mut self, value: V) -> Self where V: TryInto<T>`.
pub(super) fn setter_type(f: &syn::ImplItemFn) -> Option<syn::Type> {
    bound_argument(f, Some("TryInto"))
}

/// The type argument of the first bound of a method's first `where`
/// predicate (`X` of `where V: Trait<X>`), if the trait is `expected` (any
/// trait, for `None`).
pub(super) fn bound_argument(f: &syn::ImplItemFn, expected: Option<&str>) -> Option<syn::Type> {
    let predicate = f.sig.generics.where_clause.as_ref()?.predicates.first()?;
    let syn::WherePredicate::Type(predicate) = predicate else {
        return None;
    };
    let syn::TypeParamBound::Trait(bound) = predicate.bounds.first()? else {
        return None;
    };
    let last = bound.path.segments.last()?;
    if expected.is_some_and(|name| last.ident != name) {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.first()? {
        syn::GenericArgument::Type(ty) => Some(ty.clone()),
        _ => None,
    }
}

/// Whether an `impl` block is progenitor's inherent `impl Client`.
pub(super) fn is_client_impl(block: &syn::ItemImpl) -> bool {
    block.trait_.is_none() && matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"))
}

/// Whether `block` implements a trait whose path ends in `trait_name`
/// (`impl ::std::ops::Deref for ..` implements `Deref`).
pub(super) fn implements(block: &syn::ItemImpl, trait_name: &str) -> bool {
    block
        .trait_
        .as_ref()
        .is_some_and(|(_, path, _)| path.segments.last().is_some_and(|s| s.ident == trait_name))
}

/// The paths a `#[derive(..)]` attribute lists; `None` for any other attribute.
pub(super) fn derive_list(attr: &syn::Attribute) -> Option<Vec<syn::Path>> {
    use syn::punctuated::Punctuated;
    if !attr.path().is_ident("derive") {
        return None;
    }
    let paths = attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated);
    paths.ok().map(|paths| paths.into_iter().collect())
}

/// `Result<ResponseValue<T>, Error<E>>` gives `(T, E)`.
fn result_arguments(output: &syn::ReturnType) -> Option<(syn::Type, syn::Type)> {
    use crate::type_index::last_segment;
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let (_, arguments) = last_segment(ty)?;
    let [ok, err] = arguments[..] else {
        return None;
    };
    let (_, ok) = last_segment(ok)?;
    let (_, err) = last_segment(err)?;
    let ([success], [error]) = (&ok[..], &err[..]) else {
        return None;
    };
    Some(((*success).clone(), (*error).clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_inherent_impl_of_client_is_the_client_s() {
        let client: syn::ItemImpl = syn::parse_quote!(impl Client {});
        let hooks: syn::ItemImpl = syn::parse_quote!(impl ClientHooks for Client {});
        let other: syn::ItemImpl = syn::parse_quote!(impl builder::Client {});
        assert!(is_client_impl(&client));
        assert!(!is_client_impl(&hooks));
        assert!(!is_client_impl(&other));
    }
}
