//! What progenitor generated for each operation, read off its syntax tree:
//! the `Client` method, the builder, its setters with their types, and the
//! success and error body types.

use syn::{ImplItem, Item};

use crate::model::{Location, Spec};

/// The body types of one operation, as the generated `send()` returns them,
/// with paths relative to the generated crate's root (`types::Foo`).
#[derive(Debug, Clone)]
pub struct OperationTypes {
    /// The spec's `operationId`.
    pub operation_id: String,
    /// The id progenitor gives the hooks in `OperationInfo` (snake case).
    pub hook_id: String,
    /// The `Client` method that starts the operation's builder.
    pub method: String,
    /// The builder's name in the `builder` module.
    pub builder: String,
    /// The builder's setters, one per parameter.
    pub setters: Vec<Setter>,
    pub success: syn::Type,
    pub error: syn::Type,
    /// Whether the success statuses document different bodies: progenitor
    /// reads them as bytes and `success` is their generated enum.
    pub success_by_status: bool,
    /// The same for the error statuses.
    pub error_by_status: bool,
}

/// A builder method that sets one parameter.
#[derive(Debug, Clone)]
pub struct Setter {
    /// The method's name.
    pub method: String,
    /// The parameter's name in the spec.
    pub parameter: String,
    /// Where the parameter goes (`Body` for the request body's setter).
    pub location: Location,
    /// The Rust type the method converts its argument into.
    pub ty: syn::Type,
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

pub(super) fn mock_methods(file: &syn::File) -> Vec<MockMethod> {
    let mut methods = Vec::new();
    for item in &file.items {
        let Item::Mod(module) = item else { continue };
        for item in module.content.iter().flat_map(|(_, items)| items) {
            let Item::Impl(block) = item else { continue };
            let Some(owner) = last_segment(&block.self_ty) else {
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

/// Reads each operation's success and error body types off the `send()` of
/// its builder, the one place progenitor states them.
pub(super) fn operation_types(file: &syn::File) -> Result<Vec<OperationTypes>, String> {
    let mut client_methods = Vec::new(); // (builder struct, method)
    let mut sends = Vec::new(); // (builder struct, success, error)
    let mut setters: Vec<(String, Setter)> = Vec::new(); // (builder struct, setter)
    for item in &file.items {
        if let Item::Impl(block) = item
            && super::fixes::is_client_impl(block)
        {
            for item in &block.items {
                if let ImplItem::Fn(f) = item
                    && let syn::ReturnType::Type(_, ty) = &f.sig.output
                    && let Some(builder) = last_segment(ty)
                {
                    client_methods.push((builder, f.sig.ident.to_string()));
                }
            }
        }
    }
    for item in crate::type_index::module_items(file, "builder") {
        let Item::Impl(block) = item else { continue };
        let Some(builder) = last_segment(&block.self_ty) else {
            continue;
        };
        for item in &block.items {
            if let ImplItem::Fn(f) = item
                && let Some(ty) = setter_type(f)
            {
                let method = f.sig.ident.to_string();
                let setter = Setter {
                    method,
                    parameter: String::new(),
                    location: Location::Query,
                    ty,
                };
                setters.push((builder.clone(), setter));
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
            Ok(OperationTypes {
                hook_id: method.clone(),
                operation_id: String::new(),
                method,
                builder,
                setters,
                success,
                error,
                success_by_status: false,
                error_by_status: false,
            })
        })
        .collect()
}

/// progenitor names each operation by its `operationId` in snake case: the
/// spec's `operationId` of each generated operation is the one whose letters
/// and digits are the same (two such ids would have one name in Rust, which
/// progenitor refuses); so are its setters' parameters.
pub(super) fn name_operations_as_the_spec_does(spec: &Spec, operations: &mut [OperationTypes]) -> Result<(), String> {
    let ids: Vec<&String> = spec.operations.iter().map(|op| &op.id).collect();
    if ids.len() != operations.len() {
        return Err(format!(
            "progenitor generated {} operations for {} in the spec",
            operations.len(),
            ids.len()
        ));
    }
    let letters = |s: &str| {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    for operation in operations.iter_mut() {
        let matching: Vec<&String> = ids
            .iter()
            .copied()
            .filter(|id| letters(id) == letters(&operation.hook_id))
            .collect();
        let [id] = matching[..] else {
            return Err(format!(
                "progenitor's operation `{}` matches {} operationIds of the spec, not one",
                operation.hook_id,
                matching.len()
            ));
        };
        let spec_operation = spec
            .operation(id)
            .ok_or_else(|| format!("no operation `{id}` in the model"))?;
        for setter in &mut operation.setters {
            // progenitor's setters of the request body.
            if matches!(setter.method.as_str(), "body" | "body_map") && spec_operation.has_request_body {
                setter.parameter = "requestBody".into();
                setter.location = Location::Body;
                continue;
            }
            let parameter = spec_operation
                .parameters
                .iter()
                .find(|p| letters(&p.name) == letters(&setter.method))
                .ok_or_else(|| format!("`{}` of `{id}` matches no parameter of the spec", setter.method))?;
            setter.parameter = parameter.name.clone();
            setter.location = parameter.location;
        }
        operation.operation_id = id.clone();
    }
    Ok(())
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

/// The name of a type's path (`ListWorkspaces` of `builder::ListWorkspaces<'a>`).
pub(super) fn last_segment(ty: &syn::Type) -> Option<String> {
    crate::type_index::last_segment(ty).map(|(ident, _)| ident.to_string())
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
