//! The sample value the wire tests give each parameter, from its schema: the
//! generator turns it into a Rust argument, the tests into the bytes they
//! expect on the wire. Values are chosen to show the encoding: the last enum
//! value, a boolean unlike its default, a bound itself, two array items.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::type_index::{Shape, integer_primitive, shape};

/// A parameter's sample value.
#[derive(Debug, Clone, PartialEq)]
pub enum Sample {
    Text(String),
    Integer(i64),
    Boolean(bool),
    /// An RFC 3339 timestamp in UTC.
    DateTime(String),
    List(Vec<String>),
}

/// The timestamp every date-time sample uses (a leap day, to the second).
pub const DATE_TIME: &str = "2024-02-29T23:59:58Z";

/// The sample for a parameter named `name` with the (resolved) `schema`:
/// one the schema takes (its `pattern` and lengths too), or `None` where
/// none can be made up (a `pattern` and no example).
pub fn sample(name: &str, schema: &Value) -> Option<Sample> {
    let enumerated = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|values| values.last());
    let example = schema.get("example").or_else(|| schema.get("default"));
    let sample = match (
        schema.get("type").and_then(Value::as_str)?,
        schema.get("format").and_then(Value::as_str),
    ) {
        ("string", _) if enumerated.is_some() => enumerated.and_then(Value::as_str).map(|v| Sample::Text(v.to_owned())),
        ("string", Some("date-time")) => Some(Sample::DateTime(DATE_TIME.to_owned())),
        ("string", _) => match example.and_then(Value::as_str) {
            Some(example) => Some(Sample::Text(example.to_owned())),
            None => Some(Sample::Text(text_within_lengths(&format!("{name}-sample"), schema))),
        },
        ("integer", _) if enumerated.is_some() => enumerated.and_then(Value::as_i64).map(Sample::Integer),
        ("integer", _) => {
            let (minimum, maximum) = (
                schema.get("minimum").and_then(Value::as_i64),
                schema.get("maximum").and_then(Value::as_i64),
            );
            Some(Sample::Integer(maximum.or(minimum.map(|min| min + 1)).unwrap_or(7)))
        }
        ("boolean", _) => Some(Sample::Boolean(
            !schema.get("default").and_then(Value::as_bool).unwrap_or(false),
        )),
        ("array", _) => Some(Sample::List(vec![format!("{name}-1"), format!("{name}-2")])),
        _ => None,
    }?;
    takes(schema, &sample).then_some(sample)
}

/// `text`, cut or lengthened with `x` to the schema's `maxLength` and
/// `minLength`.
fn text_within_lengths(text: &str, schema: &Value) -> String {
    let length = |key: &str| schema.get(key).and_then(Value::as_u64).map(|n| n as usize);
    let mut text: String = text.chars().take(length("maxLength").unwrap_or(usize::MAX)).collect();
    while text.chars().count() < length("minLength").unwrap_or(0) {
        text.push('x');
    }
    text
}

/// Whether `schema` (its constraints; a `$ref` inside it is not followed)
/// takes the sample.
fn takes(schema: &Value, sample: &Sample) -> bool {
    let value = match sample {
        Sample::Text(text) | Sample::DateTime(text) => Value::String(text.clone()),
        Sample::Integer(n) => Value::from(*n),
        Sample::Boolean(b) => Value::Bool(*b),
        Sample::List(items) => Value::from(items.clone()),
    };
    let mut own = schema.clone();
    if let Some(object) = own.as_object_mut() {
        object.retain(|key, _| !matches!(key.as_str(), "$ref" | "items" | "nullable" | "example" | "default"));
    }
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&own)
        .is_ok_and(|validator| validator.is_valid(&value))
}

impl Sample {
    /// The values on the wire, one per repetition of the parameter.
    pub fn wire_values(&self) -> Vec<String> {
        match self {
            Sample::Text(s) | Sample::DateTime(s) => vec![s.clone()],
            Sample::Integer(n) => vec![n.to_string()],
            Sample::Boolean(b) => vec![b.to_string()],
            Sample::List(items) => items.clone(),
        }
    }

    /// A Rust expression that a builder setter converting into `rust_type`
    /// accepts.
    pub fn rust_argument(&self, rust_type: &syn::Type) -> Option<TokenStream> {
        Some(match self {
            Sample::Text(s) => quote!(#s),
            Sample::DateTime(s) => quote!(#s.parse::<::chrono::DateTime<::chrono::Utc>>().unwrap()),
            Sample::Boolean(b) => quote!(#b),
            Sample::List(items) => quote!(vec![#(#items.to_owned()),*]),
            Sample::Integer(n) => match shape(rust_type) {
                // A generated type of integers (an enum of them) takes an `i64`.
                Shape::Generated(_) => integer(*n, "i64"),
                _ => integer(*n, integer_primitive(rust_type)?),
            },
        })
    }

    /// A Rust expression that a typed mock's `When` method taking
    /// `Into<argument_type>` accepts (`Option<&'a str>`, `Option<NonZeroU64>`, ...).
    /// `argument_type` is as the mock crate writes it (`types::Generation`);
    /// `qualify` names its types from outside that crate.
    pub fn mock_argument(
        &self,
        argument_type: &syn::Type,
        qualify: impl Fn(&syn::Type) -> syn::Type,
    ) -> Option<TokenStream> {
        let Shape::Option(inner) = shape(argument_type) else {
            return None;
        };
        let (reference, inner) = match inner {
            syn::Type::Reference(r) => (quote!(&), &*r.elem),
            other => (quote!(), other),
        };
        let written = qualify(inner);
        let is_str = matches!(inner, syn::Type::Path(p) if p.path.is_ident("str"));
        let non_zero = matches!(inner, syn::Type::Path(p)
            if p.path.segments.last().is_some_and(|s| s.ident.to_string().starts_with("NonZero")));
        Some(match self {
            Sample::Text(s) if is_str => quote!(#s),
            Sample::Text(s) | Sample::DateTime(s) => quote!(#reference #s.parse::<#written>().unwrap()),
            Sample::Boolean(b) => quote!(#b),
            Sample::List(items) => quote!(#reference vec![#(#items.to_owned()),*]),
            Sample::Integer(n) if non_zero => {
                let n = proc_macro2::Literal::i64_unsuffixed(*n);
                quote!(#written::new(#n).unwrap())
            }
            Sample::Integer(n) => match shape(inner) {
                // A generated type of integers (an enum of them) is made from an `i64`.
                Shape::Generated(_) => {
                    let n = integer(*n, "i64");
                    quote!(#reference <#written>::try_from(#n).unwrap())
                }
                _ => integer(*n, integer_primitive(inner)?),
            },
        })
    }
}

/// An integer literal of the given primitive type (`100u64`).
fn integer(n: i64, primitive: &str) -> TokenStream {
    let literal = syn::LitInt::new(&format!("{n}{primitive}"), proc_macro2::Span::call_site());
    quote!(#literal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_sample_is_one_its_schema_takes_or_none() {
        let code = json!({"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$", "maxLength": 8});
        assert_eq!(sample("code", &code), None, "no example: none can be made up");
        let mut documented = code.clone();
        documented["example"] = json!("LDG-1901");
        assert_eq!(sample("code", &documented), Some(Sample::Text("LDG-1901".into())));
        assert_eq!(
            sample("tag", &json!({"type": "string", "maxLength": 5})),
            Some(Sample::Text("tag-s".into()))
        );
        assert_eq!(
            sample("id", &json!({"type": "string", "minLength": 12})),
            Some(Sample::Text("id-samplexxx".into()))
        );
        assert_eq!(
            sample("gen", &json!({"type": "integer", "enum": [1, 2, 3]})),
            Some(Sample::Integer(3))
        );
    }

    #[test]
    fn samples_show_the_encoding() {
        assert_eq!(
            sample("order", &json!({"type": "string", "enum": ["asc", "desc"]})),
            Some(Sample::Text("desc".into()))
        );
        assert_eq!(
            sample("detail", &json!({"type": "boolean", "default": true})),
            Some(Sample::Boolean(false))
        );
        assert_eq!(
            sample("page", &json!({"type": "integer", "minimum": 1})),
            Some(Sample::Integer(2))
        );
        assert_eq!(
            sample("size", &json!({"type": "integer", "minimum": 1, "maximum": 100})),
            Some(Sample::Integer(100))
        );
        assert_eq!(Sample::List(vec!["a".into(), "b".into()]).wire_values(), ["a", "b"]);
        assert_eq!(
            Sample::Integer(100)
                .rust_argument(&syn::parse_quote!(::std::num::NonZeroU64))
                .map(|t| t.to_string()),
            Some("100u64".to_owned())
        );
        assert_eq!(
            Sample::Integer(3)
                .rust_argument(&syn::parse_quote!(types::Generation))
                .map(|t| t.to_string()),
            Some("3i64".to_owned()),
            "a generated type of integers takes an i64"
        );
        assert!(
            Sample::Integer(3)
                .rust_argument(&syn::parse_quote!(::std::string::String))
                .is_none()
        );
        // As the test registry names the mock crate's types: from outside it.
        let outside = |ty: &syn::Type| -> syn::Type {
            match ty {
                syn::Type::Path(p) if p.path.segments.first().is_some_and(|s| s.ident == "types") => {
                    syn::parse_quote!(::ledger::#ty)
                }
                other => other.clone(),
            }
        };
        let mock = |sample: Sample, ty: syn::Type| {
            sample
                .mock_argument(&ty, outside)
                .map(|t| t.to_string().replace(' ', ""))
        };
        assert_eq!(
            mock(Sample::Text("a".into()), syn::parse_quote!(Option<&'a str>)).as_deref(),
            Some("\"a\"")
        );
        assert_eq!(
            mock(Sample::Integer(5), syn::parse_quote!(Option<::std::num::NonZeroU64>)).as_deref(),
            Some("::std::num::NonZeroU64::new(5).unwrap()")
        );
        assert_eq!(
            mock(
                Sample::List(vec!["x".into()]),
                syn::parse_quote!(Option<&'a Vec<String>>)
            )
            .as_deref(),
            Some("&vec![\"x\".to_owned()]")
        );
        assert_eq!(
            mock(Sample::Integer(3), syn::parse_quote!(Option<types::Generation>)).as_deref(),
            Some("<::ledger::types::Generation>::try_from(3i64).unwrap()")
        );
        assert_eq!(
            mock(Sample::Integer(3), syn::parse_quote!(Option<&'a types::Generation>)).as_deref(),
            Some("&<::ledger::types::Generation>::try_from(3i64).unwrap()")
        );
        assert_eq!(
            mock(
                Sample::Text("LDG-1901".into()),
                syn::parse_quote!(Option<&'a types::BookCode>)
            )
            .as_deref(),
            Some("&\"LDG-1901\".parse::<::ledger::types::BookCode>().unwrap()")
        );
        assert_eq!(
            mock(Sample::Boolean(true), syn::parse_quote!(bool)),
            None,
            "not an Option"
        );
    }
}
