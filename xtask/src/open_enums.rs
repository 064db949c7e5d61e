//! Open enums: every named string enum of a spec becomes a `#[non_exhaustive]`
//! Rust enum with an `Unknown(String)` variant, so that a value a provider adds
//! later decodes (keeping the raw value) and serializes back unchanged.
//! typify's closed enum is replaced by this one (`with_replacement`).

use crate::runtime_paths::OPEN_ENUM;
use quote::{format_ident, quote};
use serde_json::Value;

/// A named string enum of a spec.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenEnum {
    /// The schema's name in `components.schemas`.
    pub schema: String,
    /// The Rust type's name.
    pub rust_name: String,
    pub description: String,
    /// The documented values, in spec order.
    pub values: Vec<String>,
}

/// The named string enums of a spec (as JSON).
pub fn open_enums(raw: &Value) -> Vec<OpenEnum> {
    let schemas = raw.pointer("/components/schemas").and_then(Value::as_object);
    schemas
        .into_iter()
        .flatten()
        .filter_map(|(name, schema)| {
            let values = schema.get("enum")?.as_array()?;
            if schema.get("type").and_then(Value::as_str) != Some("string") {
                return None;
            }
            Some(OpenEnum {
                schema: name.clone(),
                rust_name: crate::rust_names::type_name(name),
                description: schema
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .trim()
                    .to_owned(),
                values: values.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            })
        })
        .collect()
}

/// `single_user` gives `SingleUser`, `v1` gives `V1`, as typify names them.
pub fn pascal(text: &str) -> String {
    let name: String = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(crate::rust_names::capitalized)
        .collect();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else {
        name
    }
}

/// The variant of each value, and the catch-all's name.
fn variants(open: &OpenEnum) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (i, value) in open.values.iter().enumerate() {
        let mut name = pascal(value);
        // `self` gives `Self`, a keyword: `Self_`, as typify names it.
        if syn::parse_str::<syn::Ident>(&name).is_err() && !name.is_empty() {
            name += "_";
        }
        if name.is_empty() || name == "Unknown" || names.contains(&name) {
            name = format!("Value{i}");
        }
        names.push(name);
    }
    names
}

/// The enum and its impls, to stand in the `types` module.
pub fn items(open: &OpenEnum) -> Vec<syn::Item> {
    let name = format_ident!("{}", open.rust_name);
    let variants: Vec<syn::Ident> = variants(open).iter().map(|v| format_ident!("{v}")).collect();
    let values = &open.values;
    let docs: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    let description = if open.description.is_empty() {
        format!("The `{}` enum.", open.schema)
    } else {
        open.description.clone()
    };
    let open_doc = "Open: a value this client does not know decodes as `Unknown`, keeping the value, and serializes \
                    back unchanged; new variants may be added in minor versions.";
    let file: syn::File = syn::parse_quote! {
        #[doc = #description]
        #[doc = ""]
        #[doc = #open_doc]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #docs] #variants, )*
            /// A value this version of the client does not know, as received.
            Unknown(::std::string::String),
        }

        impl #name {
            /// Every value the spec documents.
            pub const KNOWN: &'static [&'static str] = &[#(#values),*];

            /// The value as it goes on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #values, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Whether the value is one the spec documents.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => Self::#variants, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    #( #values => Self::#variants, )*
                    _ => Self::Unknown(value),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            /// A documented value is read without copying the text; any other is kept as it came.
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                #OPEN_ENUM(deserializer)
            }
        }

        impl ::schemars::JsonSchema for #name {
            fn schema_name() -> ::std::string::String {
                ::std::stringify!(#name).to_owned()
            }
            fn json_schema(generator: &mut ::schemars::r#gen::SchemaGenerator) -> ::schemars::schema::Schema {
                <::std::string::String as ::schemars::JsonSchema>::json_schema(generator)
            }
        }
    };
    file.items
}

/// The enum's tokens for the tests registry: a known and an unknown value
/// round trip.
pub fn registry_entry(spec_id: &str, krate: &str, open: &OpenEnum) -> proc_macro2::TokenStream {
    let krate = format_ident!("{krate}");
    let name = format_ident!("{}", open.rust_name);
    let schema = &open.schema;
    quote! {
        crate::OpenEnum {
            provider: #spec_id,
            schema: #schema,
            decode: |json| {
                let value: #krate::types::#name = ::serde_json::from_str(json).map_err(|e| e.to_string())?;
                let back = ::serde_json::to_string(&value).map_err(|e| e.to_string())?;
                Ok((value.is_known(), format!("{value:?}"), back))
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_value_is_a_variant_of_its_own_that_rust_takes() {
        let open = OpenEnum {
            schema: "managementProvider".into(),
            rust_name: "ManagementProvider".into(),
            description: String::new(),
            values: ["self", "single_user", "1st", "", "Unknown", "single-user"]
                .map(String::from)
                .to_vec(),
        };
        assert_eq!(
            variants(&open),
            ["Self_", "SingleUser", "V1st", "Value3", "Value4", "Value5"]
        );
        let printed: Vec<String> = items(&open).iter().map(|item| quote!(#item).to_string()).collect();
        assert!(printed[0].contains("Self_ ,"), "{}", printed[0]);
    }
}
