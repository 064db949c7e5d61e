//! Stage 2, rewrites: what real OpenAPI descriptions contain and progenitor
//! does not take, rewritten before progenitor sees the spec, each pass a
//! small function over the document. Every rewrite is reported (the JSON
//! pointer, what was done), so a maintainer sees how a description was read.
//!
//! - [`openapi31`]: an OpenAPI 3.1 document read in its 3.0 form;
//! - [`document`]: schema names that are one Rust name, path-level
//!   parameters, request bodies in several media types, missing operation ids;
//! - [`responses`]: a JSON response without a `schema`, read as any JSON value;
//! - [`schemas`]: the open-enum idiom (`anyOf` of an enum and any string),
//!   nullable unions;
//! - [`names`]: properties or parameters that would be one Rust name;
//! - [`statuses`]: what each status documents, read once;
//! - [`by_status`]: a class of statuses whose bodies differ, read by status
//!   (the view progenitor reads; the pipeline runs it after vetting).

pub mod by_status;
pub mod document;
pub mod names;
pub mod openapi31;
pub mod responses;
pub mod schemas;
pub mod statuses;

use serde_json::{Map, Value};

use crate::load::escape_pointer;

/// Runs every pass of this stage over a document, in order: 3.1 to 3.0,
/// the document's names and structure, responses, schemas, then property
/// names. Returns every rewrite and the properties renamed; an OpenAPI 3.1
/// construct with no 3.0 form is refused with its pointer and the rule.
pub fn rewrite(document: &mut Value) -> Result<(Vec<Rewrite>, Vec<names::RenamedProperty>), (String, String)> {
    let mut rewrites = openapi31::rewrite(document)?;
    rewrites.extend(document::rewrite(document));
    rewrites.extend(responses::rewrite(document));
    rewrites.extend(schemas::rewrite(document));
    let (renames, renamed_properties) = names::rewrite(document);
    rewrites.extend(renames);
    Ok((rewrites, renamed_properties))
}

/// Visits every schema of a document, each before those it holds (so that a
/// visit that changes a schema is followed into it as changed): the members
/// of `components/schemas`, every `schema` (of a parameter, header or media
/// type), and their `items`, `additionalProperties`, `not`, branches of
/// `allOf`/`anyOf`/`oneOf` and `properties`. Examples and extensions are
/// data, not schemas.
///
/// # Errors
///
/// The first error of `visit`, which ends the walk.
pub fn each_schema<E>(
    document: &mut Value,
    visit: &mut impl FnMut(&str, &mut Map<String, Value>) -> Result<(), E>,
) -> Result<(), E> {
    schemas_in_document(document, "", visit)
}

fn schemas_in_document<E>(
    value: &mut Value,
    pointer: &str,
    visit: &mut impl FnMut(&str, &mut Map<String, Value>) -> Result<(), E>,
) -> Result<(), E> {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let here = format!("{pointer}/{}", escape_pointer(key));
                if key == "example" || key == "examples" || key.starts_with("x-") {
                    continue;
                }
                if key == "schema" || pointer == "/components/schemas" {
                    schema_and_those_it_holds(child, &here, visit)?;
                } else {
                    schemas_in_document(child, &here, visit)?;
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                schemas_in_document(item, &format!("{pointer}/{i}"), visit)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn schema_and_those_it_holds<E>(
    value: &mut Value,
    pointer: &str,
    visit: &mut impl FnMut(&str, &mut Map<String, Value>) -> Result<(), E>,
) -> Result<(), E> {
    let Some(map) = value.as_object_mut() else {
        return Ok(());
    };
    visit(pointer, map)?;
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = map.get_mut(key) {
            schema_and_those_it_holds(child, &format!("{pointer}/{key}"), visit)?;
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = map.get_mut(key) {
            for (i, branch) in branches.iter_mut().enumerate() {
                schema_and_those_it_holds(branch, &format!("{pointer}/{key}/{i}"), visit)?;
            }
        }
    }
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            let here = format!("{pointer}/properties/{}", escape_pointer(name));
            schema_and_those_it_holds(property, &here, visit)?;
        }
    }
    Ok(())
}

/// One rewrite of a spec: where, and what was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    pub pointer: String,
    pub action: String,
}
