//! The plan: one [`OperationPlan`] per operation, built once, right after
//! progenitor's output is read: the model's operation, what progenitor
//! generated for it (its `Client` method, builder, setters and body types),
//! each setter joined to its parameter, the classes of statuses read by
//! status, and its pagination with the setters the walk uses. This is the
//! one place where the spec's names meet progenitor's: every later pass and
//! renderer reads plans, and looks nothing up by an id or a spelling.

use crate::{
    model::{CursorPage, Location, Operation, PaginationStyle, Parameter, Spec},
    rewrite::{by_status::Split, statuses::Status},
};

use super::index::Read;

/// Everything the generator knows of one operation.
#[derive(Debug, Clone)]
pub struct OperationPlan {
    /// The operation as the model reads it: its id, parameters, pagination
    /// (as the spec writes it), examples.
    pub operation: Operation,
    /// The id progenitor gives the hooks in `OperationInfo` (snake case).
    pub hook_id: String,
    /// The `Client` method that starts the operation's builder.
    pub method: String,
    /// The builder's name in the `builder` module.
    pub builder: String,
    /// The builder's setters, each joined to its parameter.
    pub setters: Vec<Setter>,
    /// The success and error body types, as `send()` returns them, with
    /// paths relative to the generated crate's root (`types::Foo`).
    pub success: syn::Type,
    pub error: syn::Type,
    /// Whether the success statuses document different bodies: progenitor
    /// reads them as bytes and `success` is their generated enum.
    pub success_by_status: bool,
    /// The same for the error statuses.
    pub error_by_status: bool,
    /// What each documented status documents.
    pub statuses: Vec<Status>,
    /// The classes of its statuses read by status (successes, errors).
    pub splits: Vec<Split>,
    /// How its listing is walked, if it is paginated.
    pub paging: Option<Paging>,
    /// Whether it is the listing the facade reads (`x-workspaces`).
    pub lists_workspaces: bool,
    /// Whether the typed mock has it (the mock's fall-back may leave an
    /// operation out).
    pub in_mock: bool,
    /// Whether it takes no credential (`security: []`).
    pub public: bool,
}

impl OperationPlan {
    /// The spec's `operationId`.
    pub fn id(&self) -> &str {
        &self.operation.id
    }

    /// The setters of the parameters a caller sets: all but those the
    /// pagination walk sets itself.
    pub fn caller_setters(&self) -> impl Iterator<Item = &Setter> {
        self.setters
            .iter()
            .filter(|setter| self.paging.as_ref().is_none_or(|paging| !paging.sets(setter)))
    }
}

/// A builder method that sets one parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Setter {
    /// The method's name.
    pub method: String,
    /// The parameter's name in the spec (`requestBody` for the body).
    pub parameter: String,
    /// Where the parameter goes (`Body` for the request body's setter).
    pub location: Location,
    /// The Rust type the method converts its argument into.
    pub ty: syn::Type,
    /// The parameter as the model reads it (its schema, bounds,
    /// description), and its place among the operation's parameters; `None`
    /// for the request body's setter.
    pub declared: Option<(usize, Parameter)>,
}

impl Setter {
    /// The parameter's schema, `$ref`s followed, if it is a parameter.
    pub fn schema(&self) -> Option<&serde_json::Value> {
        self.declared.as_ref().and_then(|(_, p)| p.schema.as_ref())
    }

    /// The parameter as the model reads it, if it is one.
    pub fn parameter(&self) -> Option<&Parameter> {
        self.declared.as_ref().map(|(_, p)| p)
    }
}

/// How a paginated listing is walked: one value, which the listing's
/// streams, the command line's mock and filters, and the test registry read.
#[derive(Debug, Clone)]
pub struct Paging {
    /// The items in a page (a JSON pointer).
    pub items: String,
    pub style: PagingStyle,
    /// Where a page says whether more follow (a JSON pointer to a boolean).
    pub has_more: Option<String>,
    /// Where a page counts the listing's items (a JSON pointer to an integer).
    pub total: Option<String>,
}

/// The walk of each style, with the setters it uses.
// One per paginated operation, made once at generation: size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum PagingStyle {
    /// Each page's next cursor, at `next_cursor` (a JSON pointer), sent by
    /// `cursor` on the next request; `page` says how a page carries it.
    Cursor {
        cursor: Setter,
        next_cursor: String,
        page: CursorPage,
    },
    /// Page numbers from 1 (or the request's own) sent by `page`, the size
    /// by `size`; a short or empty page is the last.
    Page {
        page: Setter,
        size: Setter,
        default_size: Option<u64>,
    },
    /// Offsets from 0 (or the request's own) sent by `offset`, the size by
    /// `size`; the next offset is past the items received, an empty page
    /// the last.
    Offset {
        offset: Setter,
        size: Setter,
        default_size: Option<u64>,
    },
    /// The same request sent to the URL at `next_link` (a JSON pointer) in
    /// each page; `page` says how a page carries it.
    NextLink { next_link: String, page: CursorPage },
    /// The same request sent to the `rel="next"` target of each response's
    /// `Link` header.
    LinkHeader,
}

impl PagingStyle {
    /// The setters of the position (page number or offset) and of the page
    /// size, for a positional walk.
    pub fn positional(&self) -> Option<(&Setter, &Setter)> {
        match self {
            Self::Page { page, size, .. } => Some((page, size)),
            Self::Offset { offset, size, .. } => Some((offset, size)),
            Self::Cursor { .. } | Self::NextLink { .. } | Self::LinkHeader => None,
        }
    }
}

impl Paging {
    /// The setters the walk uses.
    pub fn setters(&self) -> Vec<&Setter> {
        match &self.style {
            PagingStyle::Cursor { cursor, .. } => vec![cursor],
            style => style
                .positional()
                .map_or_else(Vec::new, |(position, size)| vec![position, size]),
        }
    }

    /// Whether the walk sets `setter` itself.
    pub fn sets(&self, setter: &Setter) -> bool {
        self.setters().contains(&setter)
    }
}

/// The plan of every operation of `spec`, from what was read off
/// progenitor's output (`read`), in the order progenitor generated them;
/// a join that fails is one error, naming the operation or setter.
pub fn plan(spec: &Spec, read: Vec<Read>) -> Result<Vec<OperationPlan>, String> {
    if read.len() != spec.operations.len() {
        return Err(format!(
            "progenitor generated {} operations for {} in the spec",
            read.len(),
            spec.operations.len()
        ));
    }
    let listing = spec.workspaces.as_ref().map(|l| l.operation_id.as_str());
    let in_mock: Vec<&str> = spec
        .mock_openapi
        .operations()
        .filter_map(|(_, _, operation)| operation.operation_id.as_deref())
        .collect();
    read.into_iter()
        .map(|read| {
            let operation = operation_of(spec, &read.hook_id)?;
            let setters = read
                .setters
                .into_iter()
                .map(|(method, ty)| setter_of(operation, method, ty))
                .collect::<Result<Vec<_>, _>>()?;
            let split = |success: bool| splits_of(&spec.splits, &operation.id, success);
            let (success, success_by_status) = match split(true) {
                Some(split) => (enum_type(split), true),
                None => (read.success, false),
            };
            let (error, error_by_status) = match split(false) {
                Some(split) => (enum_type(split), true),
                None => (read.error, false),
            };
            let paging = operation
                .pagination
                .as_ref()
                .map(|pagination| paging_of(pagination, &setters, &operation.id))
                .transpose()?;
            Ok(OperationPlan {
                statuses: spec.statuses.get(&operation.id).cloned().unwrap_or_default(),
                splits: spec
                    .splits
                    .iter()
                    .filter(|split| split.operation_id == operation.id)
                    .cloned()
                    .collect(),
                lists_workspaces: listing == Some(operation.id.as_str()),
                in_mock: in_mock.contains(&operation.id.as_str()),
                public: spec.auth.public_operations.contains(&operation.id),
                operation: operation.clone(),
                hook_id: read.hook_id,
                method: read.method,
                builder: read.builder,
                setters,
                success,
                error,
                success_by_status,
                error_by_status,
                paging,
            })
        })
        .collect()
}

/// The letters and digits of a name, in lower case: what progenitor's
/// snake-case names keep of the spec's.
fn letters(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The spec's operation progenitor named `hook_id` (the `operationId` in
/// snake case: the one whose letters and digits are the same; the rewrite
/// stage made every id its own in Rust).
fn operation_of<'a>(spec: &'a Spec, hook_id: &str) -> Result<&'a Operation, String> {
    let matching: Vec<&Operation> = spec
        .operations
        .iter()
        .filter(|op| letters(&op.id) == letters(hook_id))
        .collect();
    match matching[..] {
        [operation] => Ok(operation),
        _ => Err(format!(
            "progenitor's operation `{hook_id}` matches {} operationIds of the spec, not one",
            matching.len()
        )),
    }
}

/// A setter joined to its parameter: the request body's (`body`,
/// `body_map`), or the parameter progenitor named `method`.
fn setter_of(operation: &Operation, method: String, ty: syn::Type) -> Result<Setter, String> {
    if matches!(method.as_str(), "body" | "body_map") && operation.has_request_body {
        return Ok(Setter {
            method,
            parameter: "requestBody".into(),
            location: Location::Body,
            ty,
            declared: None,
        });
    }
    let (position, parameter) = operation
        .parameters
        .iter()
        .enumerate()
        .find(|(_, p)| letters(&p.name) == letters(&method))
        .ok_or_else(|| format!("`{method}` of `{}` matches no parameter of the spec", operation.id))?;
    Ok(Setter {
        method,
        parameter: parameter.name.clone(),
        location: parameter.location,
        ty,
        declared: Some((position, parameter.clone())),
    })
}

/// The class of statuses of `operation` read by status, if its successes
/// (or errors) are one.
fn splits_of<'a>(splits: &'a [Split], operation: &str, success: bool) -> Option<&'a Split> {
    splits
        .iter()
        .find(|split| split.operation_id == operation && split.success == success)
}

/// The generated enum of a class of statuses.
fn enum_type(split: &Split) -> syn::Type {
    let name = syn::Ident::new(&split.enum_name, proc_macro2::Span::call_site());
    syn::parse_quote!(types::#name)
}

/// An operation's pagination with the setters its walk uses.
fn paging_of(pagination: &crate::model::Pagination, setters: &[Setter], operation: &str) -> Result<Paging, String> {
    let setter = |parameter: &str| {
        setters
            .iter()
            .find(|s| s.parameter == parameter)
            .cloned()
            .ok_or_else(|| format!("x-pagination of `{operation}`: no builder method sets `{parameter}`"))
    };
    let style = match &pagination.style {
        PaginationStyle::Cursor {
            parameter,
            next_cursor,
            page,
        } => PagingStyle::Cursor {
            cursor: setter(parameter)?,
            next_cursor: next_cursor.clone(),
            page: page.clone(),
        },
        PaginationStyle::Page {
            page,
            size,
            default_size,
        } => PagingStyle::Page {
            page: setter(page)?,
            size: setter(size)?,
            default_size: *default_size,
        },
        PaginationStyle::Offset {
            offset,
            size,
            default_size,
        } => PagingStyle::Offset {
            offset: setter(offset)?,
            size: setter(size)?,
            default_size: *default_size,
        },
        PaginationStyle::NextLink { next_link, page } => PagingStyle::NextLink {
            next_link: next_link.clone(),
            page: page.clone(),
        },
        PaginationStyle::LinkHeader => PagingStyle::LinkHeader,
    };
    Ok(Paging {
        items: pagination.items.clone(),
        style,
        has_more: pagination.has_more.clone(),
        total: pagination.total.clone(),
    })
}

/// The quickstart shown on a provider crate's `Client`, its crate root and
/// its README: the credential from the environment, a client, the first
/// operation.
pub fn quickstart(spec: &Spec, first: &OperationPlan) -> String {
    let krate = crate::rust_names::crate_ident(&spec.sdk.crate_name);
    let (read, argument) = match spec.credential_variable() {
        Some(variable) => (
            format!("let credential = std::env::var(\"{variable}\")?;\n"),
            "credential",
        ),
        None => (String::new(), ""),
    };
    let constructor = match &spec.default_server {
        Some(_) => format!("let client = {krate}::Client::new({argument})?;"),
        None => {
            let comma = if argument.is_empty() { "" } else { ", " };
            format!(
                "let client = {krate}::Client::with_base_url(\"https://{}.example.com\"{comma}{argument})?;",
                spec.id
            )
        }
    };
    format!(
        "# async fn quickstart() -> Result<(), Box<dyn std::error::Error>> {{\n\
         {read}\
         {constructor}\n\
         let response = client.{}().send().await?;\n\
         println!(\"{{:#?}}\", response.into_inner());\n\
         # Ok(())\n\
         # }}\n",
        first.method,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_joined_by_their_letters_and_digits() {
        assert_eq!(letters("listWorkspaces"), letters("list_workspaces"));
        assert_eq!(letters("X-API-Version"), letters("x_api_version"));
        assert_ne!(letters("page"), letters("page_size"));
    }
}
