//! What progenitor and typify generated, read once from the syntax tree: the
//! structs of the `types` module by name, and the shape of a field's type
//! (`Option<T>`, `Vec<T>`, `String`, a timestamp, a generated type). Every
//! question about the generated code is answered here structurally, never by
//! searching printed Rust.

use std::collections::BTreeMap;

use syn::visit_mut::VisitMut;

/// The shape of a Rust type, as far as the generator needs to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape<'a> {
    /// `Option<T>`.
    Option(&'a syn::Type),
    /// `Vec<T>`.
    Vec(&'a syn::Type),
    /// `String`.
    String,
    /// `chrono::DateTime<_>`.
    DateTime,
    /// `serde_json::Value`.
    Json,
    /// `uuid::Uuid`.
    Uuid,
    /// A type of the generated `types` module, by its name.
    Generated(String),
    /// progenitor's `ByteStream`: a body read as bytes.
    ByteStream,
    /// Anything else (numbers, booleans, uuids, `()`).
    Other,
}

/// The name a type's path ends in (`ListWorkspaces` of
/// `builder::ListWorkspaces<'a>`), without its type arguments.
pub fn type_name(ty: &syn::Type) -> Option<String> {
    last_segment(ty).map(|(ident, _)| ident.to_string())
}

/// The last segment of a type's path and its type arguments
/// (`Result`, `[T, E]` for `::std::result::Result<T, E>`).
pub fn last_segment(ty: &syn::Type) -> Option<(&syn::Ident, Vec<&syn::Type>)> {
    let syn::Type::Path(path) = ty else { return None };
    let segment = path.path.segments.last()?;
    let arguments = match &segment.arguments {
        syn::PathArguments::AngleBracketed(arguments) => arguments
            .args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some((&segment.ident, arguments))
}

/// Whether a path is one the generated `types` module defines: `types::X`,
/// `crate::types::X`, or a bare `X` (as typify names its siblings).
fn generated_name(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(path) = ty else { return None };
    let names: Vec<String> = path.path.segments.iter().map(|s| s.ident.to_string()).collect();
    match names.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [name] | ["types", name] | ["crate", "types", name] if path.path.leading_colon.is_none() => {
            Some(name.to_owned())
        }
        _ => None,
    }
}

/// The shape of `ty`.
pub fn shape(ty: &syn::Type) -> Shape<'_> {
    let Some((ident, arguments)) = last_segment(ty) else {
        return Shape::Other;
    };
    match (ident.to_string().as_str(), arguments.as_slice()) {
        ("Option", [inner]) => Shape::Option(inner),
        ("Vec", [inner]) => Shape::Vec(inner),
        ("String", []) => Shape::String,
        ("DateTime", [_]) => Shape::DateTime,
        ("Value", []) if is_serde_json(ty) => Shape::Json,
        ("Uuid", []) if in_crate(ty, "uuid") => Shape::Uuid,
        ("ByteStream", []) => Shape::ByteStream,
        _ => match generated_name(ty) {
            Some(name) if !matches!(name.as_str(), "bool" | "i64" | "u64" | "f64" | "i32" | "u32" | "f32") => {
                Shape::Generated(name)
            }
            _ => Shape::Other,
        },
    }
}

/// The primitive integer a type is or wraps (`u64` for `NonZeroU64`).
pub fn integer_primitive(ty: &syn::Type) -> Option<&'static str> {
    let (ident, _) = last_segment(ty)?;
    let name = ident.to_string();
    let name = name
        .strip_prefix("NonZero")
        .map_or(name.clone(), str::to_ascii_lowercase);
    ["u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "usize", "isize"]
        .into_iter()
        .find(|primitive| name == *primitive)
}

fn is_serde_json(ty: &syn::Type) -> bool {
    in_crate(ty, "serde_json")
}

/// Whether a path names an item of the crate `krate` (`::krate::...`).
fn in_crate(ty: &syn::Type, krate: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.first().is_some_and(|s| s.ident == krate))
}

/// The field of a struct that holds the JSON property `name`: the one
/// renamed to it by `#[serde(rename = "...")]`, or else the one of that name.
pub fn field_for_property<'a>(fields: &'a syn::Fields, name: &str) -> Option<&'a syn::Field> {
    let renamed = |field: &syn::Field| serde_rename(&field.attrs);
    fields
        .iter()
        .find(|field| renamed(field).as_deref() == Some(name))
        .or_else(|| {
            fields
                .iter()
                .find(|field| renamed(field).is_none() && field.ident.as_ref().is_some_and(|i| i == name))
        })
}

/// The name a field or variant has in JSON by its `#[serde(rename = "...")]`.
pub fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                rename = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                // Any other `key = value`: its value is skipped.
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    rename
}

/// The items of a top-level module of progenitor's output (`types`, `builder`).
pub fn module_items<'a>(file: &'a syn::File, name: &str) -> &'a [syn::Item] {
    file.items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == name => module.content.as_ref().map(|(_, items)| &items[..]),
            _ => None,
        })
        .unwrap_or_default()
}

/// [`module_items`], to change them.
pub fn module_items_mut<'a>(file: &'a mut syn::File, name: &str) -> Option<&'a mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == name => module.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The structs of progenitor's `types` module, by name.
#[derive(Debug, Default)]
pub struct TypeIndex<'a> {
    structs: BTreeMap<String, &'a syn::ItemStruct>,
}

/// A JSON pointer walked through the generated types.
#[derive(Debug, Clone)]
pub struct FieldPath<'a> {
    /// The Rust fields, outermost first.
    pub fields: Vec<&'a syn::Ident>,
    /// The type of the last one (the start type for an empty pointer).
    pub ty: syn::Type,
}

/// The fields a JSON pointer goes through, some of them optional.
pub struct OptionalPath<'a> {
    /// The Rust fields, outermost first (`None`: a newtype's `.0`), each
    /// with whether it is an `Option`.
    pub fields: Vec<(Option<&'a syn::Ident>, bool)>,
    /// The type at the end.
    pub ty: syn::Type,
}

impl<'a> TypeIndex<'a> {
    /// Reads the `types` module of progenitor's output.
    pub fn new(file: &'a syn::File) -> Self {
        let structs = module_items(file, "types")
            .iter()
            .filter_map(|item| match item {
                syn::Item::Struct(s) => Some((s.ident.to_string(), s)),
                _ => None,
            })
            .collect();
        Self { structs }
    }

    /// The generated struct `ty` names, if it is one.
    pub fn structure(&self, ty: &syn::Type) -> Option<&'a syn::ItemStruct> {
        match shape(ty) {
            Shape::Generated(name) => self.structs.get(&name).copied(),
            _ => None,
        }
    }

    /// Walks `pointer` (`/meta/nextCursor`) from a value of type `start`
    /// through the generated structs. Every field but the last must be
    /// required (not an `Option`), so the path is a plain field access.
    pub fn walk(&self, start: &syn::Type, pointer: &str) -> Result<FieldPath<'a>, String> {
        let steps = self.steps(start, pointer, false)?;
        Ok(FieldPath {
            // Every step names a field: only `walk_optional` reads newtypes.
            fields: steps.fields.iter().filter_map(|(field, _)| *field).collect(),
            ty: steps.ty,
        })
    }

    /// Walks `pointer` as [`TypeIndex::walk`] does, through optional fields
    /// too (a `"next_page": null` on the last page): each field with
    /// whether it is an `Option`, and the type at the end without its
    /// `Option`.
    pub fn walk_optional(&self, start: &syn::Type, pointer: &str) -> Result<OptionalPath<'a>, String> {
        let mut steps = self.steps(start, pointer, true)?;
        if let Shape::Option(inner) = shape(&steps.ty) {
            steps.ty = inner.clone();
        }
        Ok(steps)
    }

    fn steps(&self, start: &syn::Type, pointer: &str, through_optional: bool) -> Result<OptionalPath<'a>, String> {
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(format!("`{pointer}` is not a JSON pointer"));
        }
        let segments: Vec<String> = pointer
            .split('/')
            .skip(1)
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect();
        let mut fields: Vec<(Option<&syn::Ident>, bool)> = Vec::new();
        let mut current = start.clone();
        for (i, segment) in segments.iter().enumerate() {
            if through_optional {
                // A nullable schema of its own is a newtype of an `Option`:
                // its inner value is read through `.0`.
                for _ in 0..4 {
                    let within = match shape(&current) {
                        Shape::Option(inner) => inner.clone(),
                        _ => current.clone(),
                    };
                    let newtype = self.structure(&within).and_then(|s| match &s.fields {
                        syn::Fields::Unnamed(inner) if inner.unnamed.len() == 1 => inner.unnamed.first(),
                        _ => None,
                    });
                    let Some(inner) = newtype else { break };
                    fields.push((None, matches!(shape(&inner.ty), Shape::Option(_))));
                    current = inner.ty.clone();
                }
            }
            let printed = || quote::ToTokens::to_token_stream(&current).to_string().replace(' ', "");
            let within = match shape(&current) {
                Shape::Option(inner) if through_optional => inner.clone(),
                _ => current.clone(),
            };
            let structure = self
                .structure(&within)
                .ok_or_else(|| format!("`{segment}`: `{}` is not an object", printed()))?;
            let field = field_for_property(&structure.fields, segment)
                .ok_or_else(|| format!("`{}` has no field `{segment}`", printed()))?;
            let ident = field
                .ident
                .as_ref()
                .ok_or_else(|| format!("`{}` is a tuple struct", printed()))?;
            fields.push((Some(ident), matches!(shape(&field.ty), Shape::Option(_))));
            current = field.ty.clone();
            if !through_optional && i + 1 < segments.len() && matches!(shape(&current), Shape::Option(_)) {
                return Err(format!(
                    "`{segment}` is optional: a pointer must pass through required fields"
                ));
            }
        }
        Ok(OptionalPath { fields, ty: current })
    }

    /// The JSON pointer of every list of `item` (a generated type's name) in
    /// a value of type `start`, through its object fields, optional or not:
    /// `""` where `start` is itself that list.
    pub fn lists_of(&self, start: &syn::Type, item: &str) -> Vec<String> {
        let mut found = Vec::new();
        self.find_lists(start, item, String::new(), &mut found, 0);
        found
    }

    fn find_lists(&self, ty: &syn::Type, item: &str, pointer: String, found: &mut Vec<String>, depth: usize) {
        if depth > 8 {
            return;
        }
        match shape(ty) {
            Shape::Option(inner) => self.find_lists(inner, item, pointer, found, depth),
            Shape::Vec(inner) if shape(inner) == Shape::Generated(item.to_owned()) => found.push(pointer),
            Shape::Generated(_) => {
                let Some(structure) = self.structure(ty) else { return };
                for field in &structure.fields {
                    let Some(ident) = &field.ident else { continue };
                    let name = serde_rename(&field.attrs)
                        .unwrap_or_else(|| ident.to_string().trim_start_matches("r#").to_owned());
                    let here = format!("{pointer}/{}", name.replace('~', "~0").replace('/', "~1"));
                    self.find_lists(&field.ty, item, here, found, depth + 1);
                }
            }
            _ => {}
        }
    }
}

/// Rewrites a type named relative to the generated crate's root
/// (`types::Foo`, `crate::types::Foo`, `ByteStream`) into a path under
/// `prefix` (`some_crate::module::types::Foo`).
pub fn qualify_with(ty: &syn::Type, prefix: &syn::Path) -> syn::Type {
    struct Qualify<'a>(&'a syn::Path);
    impl VisitMut for Qualify<'_> {
        fn visit_path_mut(&mut self, path: &mut syn::Path) {
            let first = |path: &syn::Path| path.segments.first().map(|s| s.ident.to_string());
            if path.leading_colon.is_none() && first(path).as_deref() == Some("crate") && path.segments.len() > 2 {
                path.segments = path.segments.iter().skip(1).cloned().collect();
            }
            if path.leading_colon.is_none() && matches!(first(path).as_deref(), Some("types" | "ByteStream")) {
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

/// [`qualify_with`] the crate `krate` (`::krate::types::Foo`).
pub fn qualify(ty: &syn::Type, krate: &syn::Ident) -> syn::Type {
    qualify_with(ty, &syn::parse_quote!(::#krate))
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn types_of_the_generated_crate_are_named_from_outside_it() {
        let krate: syn::Ident = syn::parse_quote!(workspaces_sdk_x);
        let cases = [
            ("types::Page", "::workspaces_sdk_x::types::Page"),
            ("crate::types::Kind", "::workspaces_sdk_x::types::Kind"),
            ("ByteStream", "::workspaces_sdk_x::ByteStream"),
            ("Vec<types::Item>", "Vec<::workspaces_sdk_x::types::Item>"),
            ("::std::string::String", "::std::string::String"),
        ];
        for (ty, expected) in cases {
            let ty: syn::Type = syn::parse_str(ty).unwrap();
            let qualified = qualify(&ty, &krate).to_token_stream().to_string().replace(' ', "");
            assert_eq!(qualified, expected);
        }
    }

    fn ty(text: &str) -> syn::Type {
        syn::parse_str(text).unwrap()
    }

    #[test]
    fn every_list_of_an_item_type_is_found_by_its_json_pointer() {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Envelope { pub data: Data, pub other: Vec<Other> }
                pub struct Data {
                    pub workspaces: Vec<Workspace>,
                    #[serde(rename = "collabWorkspace")]
                    pub collab_workspace: Option<Vec<Workspace>>,
                    pub owner: Option<Workspace>,
                }
                pub struct Workspace { pub id: String }
                pub struct Other { pub id: String }
            }
        };
        let index = TypeIndex::new(&file);
        assert_eq!(
            index.lists_of(&ty("types::Envelope"), "Workspace"),
            ["/data/workspaces", "/data/collabWorkspace"]
        );
        assert_eq!(index.lists_of(&ty("Vec<types::Workspace>"), "Workspace"), [""]);
        assert!(index.lists_of(&ty("types::Envelope"), "Missing").is_empty());
    }

    #[test]
    fn shapes_are_read_from_the_path_not_its_text() {
        assert!(matches!(
            shape(&ty("::std::option::Option<::std::string::String>")),
            Shape::Option(_)
        ));
        assert!(matches!(shape(&ty("Option<String>")), Shape::Option(_)));
        assert!(matches!(shape(&ty("::std::vec::Vec<types::Workspace>")), Shape::Vec(_)));
        assert_eq!(shape(&ty("::std::string::String")), Shape::String);
        assert_eq!(shape(&ty("::chrono::DateTime<::chrono::offset::Utc>")), Shape::DateTime);
        assert_eq!(shape(&ty("::serde_json::Value")), Shape::Json);
        assert_eq!(shape(&ty("ByteStream")), Shape::ByteStream);
        assert_eq!(
            shape(&ty("crate::types::WorkspaceType")),
            Shape::Generated("WorkspaceType".into())
        );
        assert_eq!(shape(&ty("types::Page")), Shape::Generated("Page".into()));
        assert_eq!(shape(&ty("Page")), Shape::Generated("Page".into()));
        assert_eq!(shape(&ty("i64")), Shape::Other);
        assert_eq!(shape(&ty("::uuid::Uuid")), Shape::Uuid);
        assert_eq!(shape(&ty("types::Uuid")), Shape::Generated("Uuid".into()));
    }

    #[test]
    fn integers_are_named_by_their_primitive() {
        assert_eq!(integer_primitive(&ty("i64")), Some("i64"));
        assert_eq!(integer_primitive(&ty("::std::num::NonZeroU64")), Some("u64"));
        assert_eq!(integer_primitive(&ty("u32")), Some("u32"));
        for not_an_integer in ["f64", "bool", "::std::string::String", "NonZeroThing", "types::U64"] {
            assert_eq!(integer_primitive(&ty(not_an_integer)), None, "{not_an_integer}");
        }
    }

    #[test]
    fn a_renamed_field_is_found_by_its_json_name_only() {
        let item: syn::ItemStruct = syn::parse_quote! {
            pub struct Workspace {
                #[serde(rename = "teamId", deserialize_with = "::std::option::Option::deserialize")]
                pub team_id: Option<String>,
                #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
                pub type_: Option<String>,
                #[serde(rename = "id")]
                pub name: String,
                pub id: String,
            }
        };
        let find = |name: &str| field_for_property(&item.fields, name).map(|f| f.ident.as_ref().unwrap().to_string());
        assert_eq!(find("teamId").as_deref(), Some("team_id"));
        assert_eq!(find("type").as_deref(), Some("type_"));
        // `id` is the JSON name of `name`; the Rust field `id` is renamed by nobody.
        assert_eq!(find("id").as_deref(), Some("name"));
        assert_eq!(find("team_id"), None, "a renamed field has no other JSON name");
        assert_eq!(find("missing"), None);
    }

    #[test]
    fn a_pointer_walks_through_required_fields_to_its_type() {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Page { pub meta: Meta, pub extra: Option<Meta>, pub items: Vec<Item> }
                pub struct Meta { #[serde(rename = "nextCursor")] pub next_cursor: Option<String> }
            }
        };
        let index = TypeIndex::new(&file);
        let path = index.walk(&ty("types::Page"), "/meta/nextCursor").unwrap();
        let names: Vec<String> = path.fields.iter().map(ToString::to_string).collect();
        assert_eq!(names, ["meta", "next_cursor"]);
        assert!(matches!(shape(&path.ty), Shape::Option(_)));
        assert!(index.walk(&ty("types::Page"), "").unwrap().fields.is_empty());
        let errors = [
            (index.walk(&ty("types::Page"), "/extra/nextCursor"), "optional"),
            (index.walk(&ty("types::Page"), "/nope"), "has no field `nope`"),
            (index.walk(&ty("types::Page"), "/items/0"), "is not an object"),
            (index.walk(&ty("types::Page"), "meta"), "not a JSON pointer"),
        ];
        for (result, expected) in errors {
            let message = result.unwrap_err();
            assert!(message.contains(expected), "{message}");
        }
        let through = index.walk_optional(&ty("types::Page"), "/extra/nextCursor").unwrap();
        let steps: Vec<(String, bool)> = through
            .fields
            .iter()
            .map(|(f, o)| (f.unwrap().to_string(), *o))
            .collect();
        assert_eq!(steps, [("extra".to_owned(), true), ("next_cursor".to_owned(), true)]);
        assert_eq!(shape(&through.ty), Shape::String);
    }
}
