//! `crates/cli/src/generated.rs`: what the command line's mock server answers
//! for each provider, read off its spec: every operation with a JSON success
//! example, how the credential comes, and how long listings are split.

use std::fmt::Write as _;

use super::marker;
use crate::spec::{self, PaginationStyle, Spec};

/// The mock server's table of every provider.
pub fn cli_mocks(specs: &[Spec]) -> String {
    let mut out = marker("//", "every spec in openapi/");
    out += "//! What the mock server answers for each provider, from the examples of its spec.\n\n\
            use crate::mock::{Mock, MockPaging, Route};\n\n\
            /// Each provider's mock, by provider id.\n\
            pub(crate) static MOCKS: &[Mock] = &[\n";
    for spec in specs {
        let examples = spec::response_examples(&spec.raw);
        let mut routes = String::new();
        for (path, method, id, _) in spec::routes(&spec.raw) {
            let Some(id) = id else { continue };
            let json = |status: &str| {
                examples
                    .iter()
                    .find(|e| e.operation_id == id && e.status == status && spec::is_json(&e.media_type))
                    .map(|e| format!("{:?}", e.value.to_string()))
            };
            let Some(success) = json("200") else { continue };
            let unauthorized = json("401").map_or("None".to_owned(), |body| format!("Some({body})"));
            let paging = match spec.pagination.iter().find(|p| p.operation_id == id) {
                None => "None".to_owned(),
                Some(p) => match &p.style {
                    PaginationStyle::Cursor { parameter, next_cursor } => format!(
                        "Some(MockPaging::Cursor {{ parameter: {parameter:?}, next_cursor: {next_cursor:?}, items: {:?} }})",
                        p.items
                    ),
                    PaginationStyle::Page { page, size, .. } => format!(
                        "Some(MockPaging::Page {{ page: {page:?}, size: {size:?}, items: {:?} }})",
                        p.items
                    ),
                },
            };
            writeln!(
                routes,
                "Route {{ method: {method:?}, path: {path:?}, success: {success}, unauthorized: {unauthorized}, paging: {paging} }},",
                method = method.to_uppercase(),
            )
            .unwrap();
        }
        writeln!(
            out,
            "Mock {{ provider: {id:?}, auth_header: {header:?}, auth_prefix: {prefix:?}, routes: &[{routes}] }},",
            id = spec.id,
            header = spec.auth.header,
            prefix = spec.auth.prefix,
        )
        .unwrap();
    }
    out += "];\n";
    out
}
