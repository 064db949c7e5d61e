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
//! - [`by_status`]: a class of statuses whose bodies differ, read by status;
//! - [`fall_back`]: what progenitor still cannot generate, set aside.

pub mod by_status;
pub mod document;
pub mod fall_back;
pub mod names;
pub mod openapi31;
pub mod responses;
pub mod schemas;
pub mod statuses;

/// One rewrite of a spec: where, and what was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    pub pointer: String,
    pub action: String,
}
