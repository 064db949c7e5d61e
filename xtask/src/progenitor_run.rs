//! Running progenitor on a vetted spec, and fixing its output where the
//! generated glue takes over.

use std::{panic::AssertUnwindSafe, sync::Mutex};

use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::{ToTokens, quote};
use syn::{ImplItem, Item, visit_mut::VisitMut};

use crate::spec::{Spec, SpecError};

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
    /// The parameter's location: `query`, `header` or `path`.
    pub location: String,
    /// The Rust type the method converts its argument into.
    pub ty: syn::Type,
}

/// progenitor's output for one spec.
pub struct Generated {
    pub file: syn::File,
    pub operations: Vec<OperationTypes>,
    /// The crates its types need beside the ones every provider has.
    pub dependencies: Dependencies,
}

/// The settings every generation of `spec` uses. Its named string enums are
/// replaced by open enums, found at `<types_path>::<Name>`.
fn settings(spec: &Spec, types_path: &str) -> GenerationSettings {
    settings_of(&spec.raw, types_path)
}

fn settings_of(raw: &serde_json::Value, types_path: &str) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_derive("schemars::JsonSchema")
        .with_inner_type(quote!(workspaces_sdk_runtime::Context))
        .with_hooks(HooksMode::Expected)
        .with_map_type("::std::collections::BTreeMap");
    for open in crate::open_enums::open_enums_of(raw) {
        let impls = [progenitor::TypeImpl::Display, progenitor::TypeImpl::FromStr];
        settings.with_replacement(
            &open.rust_name,
            format!("{types_path}::{}", open.rust_name),
            impls.into_iter(),
        );
    }
    settings
}

/// The panic hook is process-wide: one generation at a time swaps it.
static PANIC_HOOK: Mutex<()> = Mutex::new(());

/// Generates the client module with progenitor. A panic inside progenitor
/// (for a layout the vetting step missed) becomes a [`SpecError`].
pub fn generate(spec: &Spec) -> Result<Generated, SpecError> {
    let error = |message: String| SpecError {
        file: spec.file.clone(),
        pointer: String::new(),
        message,
    };
    let (mut file, dependencies) =
        catching_panics(spec, || module(&spec.raw, &spec.openapi, &spec.splits))?.map_err(error)?;
    replace_constructor(&mut file);
    let mut operations = operation_types(&file).map_err(error)?;
    name_operations_as_the_spec_does(spec, &mut operations).map_err(error)?;
    for split in &spec.splits {
        let op = operations
            .iter_mut()
            .find(|op| op.operation_id == split.operation_id)
            .ok_or_else(|| error(format!("no generated operation `{}`", split.operation_id)))?;
        let name = syn::Ident::new(&split.enum_name, proc_macro2::Span::call_site());
        if split.success {
            op.success = syn::parse_quote!(types::#name);
            op.success_by_status = true;
        } else {
            op.error = syn::parse_quote!(types::#name);
            op.error_by_status = true;
        }
    }
    hand_send_to_the_glue(&mut file);
    document_setters(&mut file, spec, &operations);
    crate::document::document(&mut file);
    crate::document::one_doc_line_per_attribute(&mut file);
    Ok(Generated {
        file,
        operations,
        dependencies,
    })
}

/// progenitor's module for a spec as the generator reads it (`raw`, and
/// progenitor's copy `openapi`), with the open enums and the enums of
/// statuses with different bodies in its `types`.
pub fn module(
    raw: &serde_json::Value,
    openapi: &openapiv3::OpenAPI,
    splits: &[crate::responses::Split],
) -> Result<(syn::File, Dependencies), String> {
    let settings = settings_of(raw, "crate::types");
    let mut generator = Generator::new(&settings);
    let tokens = generator
        .generate_tokens(openapi)
        .map_err(|e| format!("progenitor cannot generate a client: {e}"))?;
    let types = generator.get_type_space();
    let dependencies = Dependencies {
        chrono: types.uses_chrono(),
        uuid: types.uses_uuid(),
        regress: types.uses_regress(),
    };
    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("progenitor produced code that does not parse: {e}"))?;
    add_open_enums(raw, &mut file);
    add_status_enums(splits, &mut file)?;
    Ok((file, dependencies))
}

/// The crates a generated module needs beside those every provider crate
/// depends on, as typify answers for the types it generated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dependencies {
    pub chrono: bool,
    pub uuid: bool,
    pub regress: bool,
}

impl Dependencies {
    /// The crates that the paths of `file` name (`::chrono::DateTime`).
    pub fn named_in(file: &syn::File) -> Self {
        struct Names(Dependencies);
        impl<'ast> syn::visit::Visit<'ast> for Names {
            fn visit_path(&mut self, path: &'ast syn::Path) {
                match path.segments.first().map(|s| s.ident.to_string()).as_deref() {
                    Some("chrono") => self.0.chrono = true,
                    Some("uuid") => self.0.uuid = true,
                    Some("regress") => self.0.regress = true,
                    _ => {}
                }
                syn::visit::visit_path(self, path);
            }
        }
        let mut names = Names(Self::default());
        syn::visit::Visit::visit_file(&mut names, file);
        names.0
    }

    /// The crates, by name.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        [("chrono", self.chrono), ("uuid", self.uuid), ("regress", self.regress)]
            .into_iter()
            .filter_map(|(name, used)| used.then_some(name))
    }
}

/// [`module`], with a panic of progenitor turned into an error.
pub fn module_without_panicking(
    raw: &serde_json::Value,
    openapi: &openapiv3::OpenAPI,
    splits: &[crate::responses::Split],
) -> Result<syn::File, String> {
    without_panicking(|| module(raw, openapi, splits))
        .map_err(|panic| format!("panicked: {panic}"))?
        .map(|(file, _)| file)
}

/// progenitor alone on a spec file, as progenitor's own documentation sets
/// it up (builder interface): whether it generates, or why not.
pub fn progenitor_alone(raw: &serde_json::Value) -> Result<(), String> {
    let openapi: openapiv3::OpenAPI =
        serde_json::from_value(raw.clone()).map_err(|e| format!("not read as OpenAPI 3.0: {e}"))?;
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged);
    match without_panicking(|| Generator::new(&settings).generate_tokens(&openapi)) {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(panic_summary(&e.to_string())),
        Err(panic) => Err(format!("panicked: {panic}")),
    }
}

/// Runs progenitor with its panics (for a layout the vetting step missed)
/// turned into a [`SpecError`] naming the file.
fn catching_panics<T>(spec: &Spec, run: impl FnOnce() -> T) -> Result<T, SpecError> {
    without_panicking(run).map_err(|message| SpecError {
        file: spec.file.clone(),
        pointer: String::new(),
        message: format!("progenitor failed on this spec (it panicked: {message})"),
    })
}

/// Runs `run`; a panic becomes its message, summarized to one line.
fn without_panicking<T>(run: impl FnOnce() -> T) -> Result<T, String> {
    let _guard = PANIC_HOOK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(AssertUnwindSafe(run));
    std::panic::set_hook(previous);
    result.map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("no message");
        panic_summary(message)
    })
}

/// What progenitor cannot generate, set aside so that the rest of the spec
/// generates: each schema of `components.schemas` that fails on its own
/// (progenitor panics on `not`, on an enum of mixed types, on an invalid
/// `type`; refuses a default that its schema does not allow) is read as any
/// JSON value, then each operation that still fails is left out. `view` is
/// the spec as progenitor reads it; `raw`, the spec as written. Returns one
/// report line per change.
pub fn fall_back(view: &mut serde_json::Value, raw: &mut serde_json::Value) -> Vec<crate::normalize::Normalization> {
    use serde_json::{Value, json};

    use crate::{normalize::Normalization, spec::escape_pointer};
    let settings = settings_of(raw, "crate::types");
    let fails = |spec: &Value| -> Option<String> {
        let openapi: openapiv3::OpenAPI = match serde_json::from_value(spec.clone()) {
            Ok(openapi) => openapi,
            Err(e) => return Some(e.to_string()),
        };
        match without_panicking(|| Generator::new(&settings).generate_tokens(&openapi)) {
            Ok(Ok(_)) => None,
            Ok(Err(e)) => Some(e.to_string()),
            Err(panic) => Some(panic),
        }
    };
    let mut done = Vec::new();
    if fails(view).is_none() {
        return done;
    }
    let names: Vec<String> = view
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    for name in &names {
        // The schema alone: every other schema is any JSON value, no operation.
        let mut alone = view.clone();
        alone["paths"] = json!({});
        if let Some(schemas) = alone.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
            for (other, schema) in schemas.iter_mut() {
                if other != name {
                    *schema = json!({});
                }
            }
        }
        if let Some(why) = fails(&alone) {
            let pointer = format!("/components/schemas/{}", escape_pointer(name));
            let description = view.pointer(&pointer).and_then(|s| s.get("description")).cloned();
            let mut any = json!({});
            if let Some(description) = description {
                any["description"] = description;
            }
            if let Some(slot) = view.pointer_mut(&pointer) {
                *slot = any;
            }
            done.push(Normalization {
                pointer,
                action: format!(
                    "progenitor cannot generate this schema ({}): it is read as any JSON value (`serde_json::Value`)",
                    panic_summary(&why)
                ),
            });
        }
    }
    if fails(view).is_none() {
        return done;
    }
    for (path, method, ..) in crate::spec::routes(&view.clone()) {
        let mut alone = view.clone();
        let item = alone["paths"][path].take();
        alone["paths"] = json!({ path: { method: item[method].clone() } });
        if let Some(why) = fails(&alone) {
            // The operation is gone for every other reader too.
            for spec in [&mut *view, &mut *raw] {
                if let Some(item) = spec["paths"][path].as_object_mut() {
                    item.remove(method);
                }
            }
            done.push(Normalization {
                pointer: format!("/paths/{}/{method}", escape_pointer(path)),
                action: format!(
                    "left the operation out: progenitor cannot generate it ({})",
                    panic_summary(&why)
                ),
            });
        }
    }
    done
}

/// The first line of progenitor's message, without the debug dump of the
/// schema it failed on, and at most 100 characters.
fn panic_summary(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default();
    let line = line
        .find(" Object(")
        .or_else(|| line.find(" ["))
        .map_or(line, |end| &line[..end])
        .trim();
    let mut cut: String = line.chars().take(100).collect();
    if cut.len() < line.len() {
        cut += "...";
    }
    cut
}

/// progenitor's typed httpmock helpers for a spec's client crate, with
/// array query parameters matched item by item (progenitor's own output calls
/// `to_string()` on the array, which does not compile).
pub fn generate_mock(spec: &Spec, crate_ident: &str) -> Result<GeneratedMock, SpecError> {
    let error = |message: String| SpecError {
        file: spec.file.clone(),
        pointer: String::new(),
        message,
    };
    let tokens = catching_panics(spec, || {
        Generator::new(&settings(spec, &format!("{crate_ident}::types"))).httpmock(&spec.openapi, crate_ident)
    })?
    .map_err(|e| error(format!("progenitor cannot generate the mock: {e}")))?;
    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| error(format!("progenitor produced a mock that does not parse: {e}")))?;
    match_array_query_parameters_item_by_item(&mut file);
    put_values_on_the_wire_as_the_client_does(&mut file);
    let methods = mock_methods(&file);
    crate::document::document(&mut file);
    crate::document::one_doc_line_per_attribute(&mut file);
    Ok(GeneratedMock { file, methods })
}

/// progenitor's httpmock module for one spec.
pub struct GeneratedMock {
    pub file: syn::File,
    /// `(type, method, argument type)` of every `When` and `Then` method that
    /// takes a value, for example `("ListWorkspacesWhen", "ids", "Option<&'a Vec<String>>")`.
    pub methods: Vec<(String, String, String)>,
}

fn mock_methods(file: &syn::File) -> Vec<(String, String, String)> {
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
                let argument = match (setter_like_type(f), f.sig.inputs.iter().nth(1)) {
                    (Some(bound), _) => bound,
                    (None, Some(syn::FnArg::Typed(typed))) => typed.ty.to_token_stream().to_string().replace(' ', ""),
                    _ => continue,
                };
                methods.push((owner.clone(), f.sig.ident.to_string(), argument));
            }
        }
    }
    methods
}

/// `X` of `fn name<T>(self, value: T) -> Self where T: Into<X>`.
fn setter_like_type(f: &syn::ImplItemFn) -> Option<String> {
    bound_argument(f, None).map(|ty| ty.to_token_stream().to_string().replace(' ', ""))
}

/// progenitor's mock matches a parameter against its `Display` text, which
/// for a timestamp is not what the client sends (`2024-02-29 23:59:58 UTC`
/// against `2024-02-29T23:59:58Z`): the mock renders values as serde does.
fn put_values_on_the_wire_as_the_client_does(file: &mut syn::File) {
    struct Fix;
    impl VisitMut for Fix {
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            if let syn::Expr::MethodCall(call) = expr
                && call.method == "to_string"
                && call.args.is_empty()
                && matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("value") || p.path.is_ident("item"))
            {
                let receiver = &call.receiver;
                *expr = syn::parse_quote!(super::wire_value(&#receiver));
                return;
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
    }
    Fix.visit_file_mut(file);
    file.items.push(syn::parse_quote! {
        /// A parameter's value as the client puts it on the wire: as serde writes it.
        #[allow(dead_code)]
        fn wire_value<T: ::serde::Serialize + ::std::fmt::Display + ?Sized>(value: &T) -> String {
            match ::serde_json::to_value(value) {
                Ok(::serde_json::Value::String(text)) => text,
                _ => value.to_string(),
            }
        }
    });
}

fn match_array_query_parameters_item_by_item(file: &mut syn::File) {
    struct Fix;
    impl VisitMut for Fix {
        fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
            let bound = f.sig.generics.where_clause.to_token_stream().to_string();
            let body = f.block.to_token_stream().to_string();
            if bound.contains("Vec <") && body.contains("query_param") {
                let literal = f
                    .block
                    .stmts
                    .iter()
                    .find_map(|stmt| first_string_literal(stmt.to_token_stream()));
                if let Some(name) = literal {
                    f.block = syn::parse_quote!({
                        if let Some(value) = value.into() {
                            Self(value.iter().fold(self.0, |when, item| when.query_param(#name, item.to_string())))
                        } else {
                            Self(self.0.query_param_missing(#name))
                        }
                    });
                }
            }
            syn::visit_mut::visit_impl_item_fn_mut(self, f);
        }
    }
    Fix.visit_file_mut(file);
}

fn first_string_literal(tokens: proc_macro2::TokenStream) -> Option<String> {
    tokens.into_iter().find_map(|tree| match tree {
        proc_macro2::TokenTree::Literal(literal) => match syn::parse_str::<syn::LitStr>(&literal.to_string()) {
            Ok(s) => Some(s.value()),
            Err(_) => None,
        },
        proc_macro2::TokenTree::Group(group) => first_string_literal(group.stream()),
        _ => None,
    })
}

/// The open enums stand in the `types` module, where typify's closed ones were.
fn add_open_enums(raw: &serde_json::Value, file: &mut syn::File) {
    for item in &mut file.items {
        if let Item::Mod(module) = item
            && module.ident == "types"
            && let Some((_, items)) = &mut module.content
        {
            for open in crate::open_enums::open_enums_of(raw) {
                items.extend(crate::open_enums::items(&open));
            }
        }
    }
}

/// The enum of each class of statuses whose bodies differ stands in the
/// `types` module, beside the types of its variants.
fn add_status_enums(splits: &[crate::responses::Split], file: &mut syn::File) -> Result<(), String> {
    for item in &mut file.items {
        if let Item::Mod(module) = item
            && module.ident == "types"
            && let Some((_, items)) = &mut module.content
        {
            let names: Vec<String> = items
                .iter()
                .filter_map(|item| match item {
                    Item::Struct(s) => Some(s.ident.to_string()),
                    Item::Enum(e) => Some(e.ident.to_string()),
                    Item::Type(t) => Some(t.ident.to_string()),
                    _ => None,
                })
                .collect();
            for split in splits {
                items.extend(crate::status_enums::items(split, &names)?);
            }
        }
    }
    Ok(())
}

/// progenitor's `Client::new(baseurl, inner)` unwraps a fallible builder and
/// takes no credential: the generated glue defines `Client::new(credential)`
/// instead. `new_with_client` stays, for the glue's use only.
fn replace_constructor(file: &mut syn::File) {
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() || block.self_ty.to_token_stream().to_string() != "Client" {
            continue;
        }
        block
            .items
            .retain(|item| !matches!(item, ImplItem::Fn(f) if f.sig.ident == "new"));
        for item in &mut block.items {
            if let ImplItem::Fn(f) = item
                && f.sig.ident == "new_with_client"
            {
                f.vis = syn::parse_quote!(pub(crate));
            }
        }
    }
}

/// Each builder's `send()` becomes `pub(crate) dispatch()`, and its `client`
/// field `pub(crate)`: the glue defines `send()`, which returns the runtime's
/// error (provider, operation, status and body) instead of progenitor's.
fn hand_send_to_the_glue(file: &mut syn::File) {
    for item in &mut file.items {
        let Item::Mod(module) = item else { continue };
        if module.ident != "builder" {
            continue;
        }
        for item in module.content.iter_mut().flat_map(|(_, items)| items) {
            match item {
                Item::Struct(builder) => {
                    for field in builder.fields.iter_mut() {
                        if field.ident.as_ref().is_some_and(|i| i == "client") {
                            field.vis = syn::parse_quote!(pub(crate));
                        }
                    }
                }
                Item::Impl(block) => {
                    for item in &mut block.items {
                        if let ImplItem::Fn(f) = item
                            && f.sig.ident == "send"
                        {
                            f.sig.ident = syn::Ident::new("dispatch", f.sig.ident.span());
                            f.vis = syn::parse_quote!(pub(crate));
                            f.attrs.retain(|a| !a.path().is_ident("doc"));
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// A setter's rustdoc is its parameter's description in the spec.
fn document_setters(file: &mut syn::File, spec: &Spec, operations: &[OperationTypes]) {
    for item in &mut file.items {
        let Item::Mod(module) = item else { continue };
        if module.ident != "builder" {
            continue;
        }
        for item in module.content.iter_mut().flat_map(|(_, items)| items) {
            let Item::Impl(block) = item else { continue };
            let Some(builder) = last_segment(&block.self_ty) else {
                continue;
            };
            let Some(operation) = operations.iter().find(|op| op.builder == builder) else {
                continue;
            };
            let parameters = crate::spec::parameters(&spec.raw, &operation.operation_id);
            for item in &mut block.items {
                let ImplItem::Fn(f) = item else { continue };
                let Some(setter) = operation.setters.iter().find(|s| f.sig.ident == s.method) else {
                    continue;
                };
                let description = parameters
                    .iter()
                    .find(|(name, ..)| *name == setter.parameter)
                    .map(|(_, _, description)| description.trim().to_owned())
                    .unwrap_or_default();
                let doc = match setter.location.as_str() {
                    "body" => "Sets the request body.".to_owned(),
                    location => format!("Sets the {location} parameter `{}`. {description}", setter.parameter),
                };
                let doc = doc.trim_end();
                f.attrs.retain(|a| !a.path().is_ident("doc"));
                f.attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
            }
        }
    }
}

/// Reads each operation's success and error body types off the `send()` of
/// its builder, the one place progenitor states them.
fn operation_types(file: &syn::File) -> Result<Vec<OperationTypes>, String> {
    let mut client_methods = Vec::new(); // (builder struct, method)
    let mut sends = Vec::new(); // (builder struct, operation id, success, error)
    let mut setters: Vec<(String, Setter)> = Vec::new(); // (builder struct, setter)
    for item in &file.items {
        match item {
            Item::Impl(block) if block.trait_.is_none() && block.self_ty.to_token_stream().to_string() == "Client" => {
                for item in &block.items {
                    if let ImplItem::Fn(f) = item
                        && let syn::ReturnType::Type(_, ty) = &f.sig.output
                        && let Some(builder) = last_segment(ty)
                    {
                        client_methods.push((builder, f.sig.ident.to_string()));
                    }
                }
            }
            Item::Mod(module) if module.ident == "builder" => {
                for item in module.content.iter().flat_map(|(_, items)| items) {
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
                                location: String::new(),
                                ty,
                            };
                            setters.push((builder.clone(), setter));
                        }
                        if let ImplItem::Fn(f) = item
                            && f.sig.ident == "send"
                        {
                            let (success, error) = result_arguments(&f.sig.output)
                                .ok_or_else(|| format!("cannot read the return type of `{builder}::send`"))?;
                            let id = operation_id_in(&f.block)
                                .ok_or_else(|| format!("cannot find the operationId in `{builder}::send`"))?;
                            sends.push((builder.clone(), id, success, error));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    sends
        .into_iter()
        .map(|(builder, operation_id, success, error)| {
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
            Ok(OperationTypes {
                hook_id: operation_id.clone(),
                operation_id,
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

/// progenitor emits operations in spec order (paths, then methods in the order
/// `spec::operations` walks them) and names them in snake case; the spec's
/// `operationId` is restored from that order, and checked against the name.
fn name_operations_as_the_spec_does(spec: &Spec, operations: &mut [OperationTypes]) -> Result<(), String> {
    let ids: Vec<String> = crate::spec::operations(&spec.raw)
        .into_iter()
        .filter_map(|(_, id, _)| id)
        .collect();
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
    for (operation, id) in operations.iter_mut().zip(ids) {
        if letters(&id) != letters(&operation.hook_id) {
            return Err(format!(
                "cannot match progenitor's operation `{}` with operationId `{id}`",
                operation.hook_id
            ));
        }
        let parameters = crate::spec::parameters(&spec.raw, &id);
        for setter in &mut operation.setters {
            // progenitor's setters of the request body.
            if matches!(setter.method.as_str(), "body" | "body_map") && has_request_body(spec, &id) {
                setter.parameter = "requestBody".into();
                setter.location = "body".into();
                continue;
            }
            let (name, location, _) = parameters
                .iter()
                .find(|(name, ..)| letters(name) == letters(&setter.method))
                .ok_or_else(|| format!("`{}` of `{id}` matches no parameter of the spec", setter.method))?;
            setter.parameter = name.clone();
            setter.location = location.clone();
        }
        operation.operation_id = id;
    }
    Ok(())
}

fn has_request_body(spec: &Spec, operation_id: &str) -> bool {
    crate::spec::operations(&spec.raw)
        .into_iter()
        .any(|(_, id, op)| id.as_deref() == Some(operation_id) && op.get("requestBody").is_some())
}

/// `T` of a setter `fn name<V>(mut self, value: V) -> Self where V: TryInto<T>`.
fn setter_type(f: &syn::ImplItemFn) -> Option<syn::Type> {
    bound_argument(f, Some("TryInto"))
}

/// The type argument of the first bound of a method's first `where`
/// predicate (`X` of `where V: Trait<X>`), if the trait is `expected` (any
/// trait, for `None`).
fn bound_argument(f: &syn::ImplItemFn, expected: Option<&str>) -> Option<syn::Type> {
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

fn last_segment(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// `Result<ResponseValue<T>, Error<E>>` gives `(T, E)`.
fn result_arguments(output: &syn::ReturnType) -> Option<(syn::Type, syn::Type)> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let [ok, err] = generic_arguments(ty)?[..] else {
        return None;
    };
    let [success] = generic_arguments(ok)?[..] else {
        return None;
    };
    let [error] = generic_arguments(err)?[..] else {
        return None;
    };
    Some((success.clone(), error.clone()))
}

fn generic_arguments(ty: &syn::Type) -> Option<Vec<&syn::Type>> {
    let syn::Type::Path(path) = ty else { return None };
    let syn::PathArguments::AngleBracketed(arguments) = &path.path.segments.last()?.arguments else {
        return None;
    };
    Some(
        arguments
            .args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
    )
}

fn operation_id_in(block: &syn::Block) -> Option<String> {
    #[derive(Default)]
    struct Finder(Option<String>);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_field_value(&mut self, field: &'ast syn::FieldValue) {
            if let syn::Member::Named(name) = &field.member
                && name == "operation_id"
                && let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s), ..
                }) = &field.expr
            {
                self.0 = Some(s.value());
            }
            syn::visit::visit_field_value(self, field);
        }
    }
    let mut finder = Finder::default();
    syn::visit::Visit::visit_block(&mut finder, block);
    finder.0
}

/// Rewrites a type named relative to the generated crate's root
/// (`types::Foo`, `crate::types::Foo`) into a path under `prefix`
/// (`some_crate::module::types::Foo`).
pub fn qualify_with(ty: &syn::Type, prefix: &syn::Path) -> syn::Type {
    struct Qualify<'a>(&'a syn::Path);
    impl VisitMut for Qualify<'_> {
        fn visit_path_mut(&mut self, path: &mut syn::Path) {
            let first = |path: &syn::Path| path.segments.first().map(|s| s.ident.to_string());
            if path.leading_colon.is_none() && first(path).as_deref() == Some("crate") && path.segments.len() > 2 {
                path.segments = path.segments.iter().skip(1).cloned().collect();
            }
            if path.leading_colon.is_none() && first(path).as_deref() == Some("types") {
                let rest = std::mem::take(&mut path.segments);
                path.segments = self.0.segments.clone();
                path.segments.extend(rest);
                path.leading_colon = self.0.leading_colon;
            }
            syn::visit_mut::visit_path_mut(self, path);
        }
    }
    let mut ty = ty.clone();
    Qualify(prefix).visit_type_mut(&mut ty);
    ty
}

/// Rewrites a type named relative to the generated crate's root
/// (`types::Foo`, `ByteStream`) into a path from outside it (`krate::types::Foo`).
pub fn qualify(ty: &syn::Type, krate: &syn::Ident) -> syn::Type {
    struct Qualify<'a>(&'a syn::Ident);
    impl VisitMut for Qualify<'_> {
        fn visit_path_mut(&mut self, path: &mut syn::Path) {
            if path.leading_colon.is_none()
                && path
                    .segments
                    .first()
                    .is_some_and(|s| s.ident == "types" || s.ident == "ByteStream")
            {
                path.segments.insert(0, syn::PathSegment::from(self.0.clone()));
                path.leading_colon = Some(Default::default());
            }
            syn::visit_mut::visit_path_mut(self, path);
        }
    }
    let mut ty = ty.clone();
    Qualify(krate).visit_type_mut(&mut ty);
    ty
}
