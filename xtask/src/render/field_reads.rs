//! How the facade reads a normalized field (`x-workspaces`) off a provider's
//! generated item: an expression chosen by the field's type at generation
//! time, so that no item is serialized to read it. Text is borrowed from the
//! item where it holds it as text (`Cow::Borrowed`) and written only where
//! it does not (a uuid, a number).

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::type_index::{Shape, TypeIndex, shape};

/// How a normalized field is read off a value: a function of a reference
/// to it, or methods called on it; giving `T`, or `Option<T>` where the
/// value may be absent.
pub(super) struct Read {
    how: How,
    optional: bool,
}

enum How {
    /// `f(&value)`.
    Call(TokenStream),
    /// `value.method()...`.
    Methods(TokenStream),
}

impl Read {
    fn call(function: TokenStream, optional: bool) -> Self {
        Self {
            how: How::Call(function),
            optional,
        }
    }

    fn methods(methods: TokenStream, optional: bool) -> Self {
        Self {
            how: How::Methods(methods),
            optional,
        }
    }

    /// The read applied to `place`.
    fn of(&self, place: &TokenStream) -> TokenStream {
        match &self.how {
            How::Call(function) => quote!(#function(&#place)),
            How::Methods(methods) => quote!(#place #methods),
        }
    }

    /// The read of the value inside an `Option` at `place`: the `.as_ref()`,
    /// `.map()` or `.and_then()` that reads through it.
    fn through_option(self) -> Read {
        let adapter = match self.optional {
            true => quote!(and_then),
            false => quote!(map),
        };
        let read = match &self.how {
            How::Call(function) => quote!(#function),
            How::Methods(methods) => quote!(|value| value #methods),
        };
        Read::methods(quote!(.as_ref().#adapter(#read)), true)
    }
}

/// The first of several reads of `item` that gives a value;
/// `unwrap_or_default` for a field that is not optional in `Workspace`.
pub(super) fn first_present(reads: &[(TokenStream, Read)], required: bool) -> TokenStream {
    let optional = |(place, read): &(TokenStream, Read)| {
        let value = read.of(place);
        match read.optional {
            true => value,
            false => quote!(Some(#value)),
        }
    };
    let value = match reads {
        [] => quote!(None),
        [(place, only)] if required && !only.optional => return only.of(place),
        [first, rest @ ..] => {
            let (first, rest) = (optional(first), rest.iter().map(optional));
            quote!(#first #(.or_else(|| #rest))*)
        }
    };
    match required {
        true => quote!(#value.unwrap_or_default()),
        false => value,
    }
}

/// The text of a scalar of type `ty`, as it is in JSON: a `Cow<str>`.
pub(super) fn text_of(index: &TypeIndex<'_>, open_enums: &[String], ty: &syn::Type) -> Result<Read, String> {
    let cow = quote!(::std::borrow::Cow);
    Ok(match shape(ty) {
        Shape::Option(inner) if shape(inner) == Shape::String => {
            Read::methods(quote!(.as_deref().map(#cow::Borrowed)), true)
        }
        Shape::Option(inner) => text_of(index, open_enums, inner)?.through_option(),
        Shape::String => Read::call(quote!(#cow::Borrowed), false),
        Shape::DateTime => Read::methods(
            quote!(.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true).into()),
            false,
        ),
        Shape::Json => Read::call(quote!(crate::workspace::json_text), true),
        Shape::Uuid => Read::call(quote!(crate::workspace::uuid_text), false),
        Shape::Generated(name) if open_enums.contains(&name) || is_text_newtype(index, ty) => {
            Read::methods(quote!(.as_str().into()), false)
        }
        Shape::Vec(_) => return Err("is an array, not a scalar".into()),
        Shape::Generated(name)
            if index
                .structure(ty)
                .is_some_and(|s| matches!(s.fields, syn::Fields::Named(_))) =>
        {
            return Err(format!("is an object (`{name}`), not a scalar"));
        }
        Shape::ByteStream => return Err("is a byte stream, not a scalar".into()),
        // Numbers, booleans, closed enums and other newtypes of the spec
        // print as their JSON text.
        Shape::Generated(_) | Shape::Other => Read::methods(quote!(.to_string().into()), false),
    })
}

/// A generated newtype of a `String` (a string with a pattern or a length):
/// its text is borrowed through its `Deref` to `String`.
fn is_text_newtype(index: &TypeIndex<'_>, ty: &syn::Type) -> bool {
    index.structure(ty).is_some_and(|s| match &s.fields {
        syn::Fields::Unnamed(fields) => {
            fields.unnamed.len() == 1 && fields.unnamed.iter().all(|f| shape(&f.ty) == Shape::String)
        }
        _ => false,
    })
}

/// The timestamp, in UTC, of a value of type `ty`.
pub(super) fn time_of(ty: &syn::Type) -> Result<Read, String> {
    Ok(match shape(ty) {
        Shape::Option(inner) => time_of(inner)?.through_option(),
        Shape::DateTime => Read::methods(quote!(.with_timezone(&chrono::Utc)), false),
        Shape::String => Read::call(quote!(crate::workspace::time_of_text), true),
        Shape::Json => Read::call(quote!(crate::workspace::json_time), true),
        _ => {
            let printed = ty.to_token_stream().to_string().replace(' ', "");
            return Err(format!("is a `{printed}`, not a timestamp (a `date-time` or a string)"));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(field: &str, ty: &str) -> Result<String, String> {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Owner { pub name: String }
                pub struct WorkspaceId(String);
                pub struct Count(i64);
            }
        };
        let index = TypeIndex::new(&file);
        let open_enums = ["Kind".to_owned()];
        let ty: syn::Type = syn::parse_str(ty).unwrap();
        let read = match field {
            "createdAt" => time_of(&ty)?,
            _ => text_of(&index, &open_enums, &ty)?,
        };
        let reads = [(quote!(item.field), read)];
        Ok(first_present(&reads, matches!(field, "id" | "name"))
            .to_string()
            .replace(' ', ""))
    }

    #[test]
    fn each_type_is_read_as_its_json_text_without_serializing_the_item() {
        let cases = [
            (
                "id",
                "::std::string::String",
                "::std::borrow::Cow::Borrowed(&item.field)",
            ),
            ("id", "::uuid::Uuid", "crate::workspace::uuid_text(&item.field)"),
            ("id", "types::WorkspaceId", "item.field.as_str().into()"),
            ("id", "types::Count", "item.field.to_string().into()"),
            ("id", "i64", "item.field.to_string().into()"),
            (
                "name",
                "Option<String>",
                "item.field.as_deref().map(::std::borrow::Cow::Borrowed).unwrap_or_default()",
            ),
            ("kind", "types::Kind", "Some(item.field.as_str().into())"),
            (
                "kind",
                "Option<types::Kind>",
                "item.field.as_ref().map(|value|value.as_str().into())",
            ),
            (
                "owner",
                "Option<::uuid::Uuid>",
                "item.field.as_ref().map(crate::workspace::uuid_text)",
            ),
            (
                "owner",
                "::serde_json::Value",
                "crate::workspace::json_text(&item.field)",
            ),
            (
                "owner",
                "Option<::serde_json::Value>",
                "item.field.as_ref().and_then(crate::workspace::json_text)",
            ),
            (
                "createdAt",
                "::chrono::DateTime<::chrono::offset::Utc>",
                "Some(item.field.with_timezone(&chrono::Utc))",
            ),
            (
                "createdAt",
                "Option<String>",
                "item.field.as_ref().and_then(crate::workspace::time_of_text)",
            ),
            (
                "createdAt",
                "::serde_json::Value",
                "crate::workspace::json_time(&item.field)",
            ),
        ];
        for (field, ty, expected) in cases {
            assert_eq!(read(field, ty).as_deref(), Ok(expected), "{field}: {ty}");
        }
    }

    #[test]
    fn a_pointer_to_something_that_is_not_a_scalar_is_refused() {
        let cases = [
            ("owner", "types::Owner", "is an object (`Owner`), not a scalar"),
            ("owner", "Vec<String>", "is an array, not a scalar"),
            (
                "createdAt",
                "i64",
                "is a `i64`, not a timestamp (a `date-time` or a string)",
            ),
        ];
        for (field, ty, expected) in cases {
            assert_eq!(read(field, ty), Err(expected.to_owned()), "{field}: {ty}");
        }
    }

    #[test]
    fn several_pointers_read_the_first_present_one() {
        let reads = [
            (quote!(item.a), Read::methods(quote!(.as_deref()), true)),
            (quote!(item.b), Read::call(quote!(f), false)),
        ];
        let owner = first_present(&reads, false).to_string().replace(' ', "");
        assert_eq!(owner, "item.a.as_deref().or_else(||Some(f(&item.b)))");
        assert_eq!(
            first_present(&[], false).to_string(),
            "None",
            "a field the provider does not give"
        );
    }
}
