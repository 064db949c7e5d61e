//! Every pass over progenitor's output, in one table each for the client
//! and the mock, in the order they run. Each pass is a named function that
//! returns how many sites it changed, and each says how many it must change
//! for a spec: one that changes fewer (progenitor's output no longer has
//! the shape it rewrites) stops `generate`, naming it. `cargo xtask
//! generate --verbose` prints each pass with its count.

use super::{
    builders, eq, exchange, fixes, newtypes, non_exhaustive, optional_derives, optional_text, plan::OperationPlan,
    requests, rustdoc, wire_names,
};
use crate::model::Spec;

/// What a pass is given beside progenitor's output: the spec and its plans.
pub struct Ctx<'a> {
    pub spec: &'a Spec,
    pub plans: &'a [OperationPlan],
}

/// How many sites a pass must change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// This many, no more, no fewer.
    Exactly(usize),
    /// At least this many (what it changes depends on typify's types).
    AtLeast(usize),
}

impl Expect {
    pub fn holds(self, count: usize) -> bool {
        match self {
            Self::Exactly(n) => count == n,
            Self::AtLeast(n) => count >= n,
        }
    }
}

impl std::fmt::Display for Expect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Exactly(n) => write!(f, "{n}"),
            Self::AtLeast(n) => write!(f, "at least {n}"),
        }
    }
}

/// One pass over progenitor's output.
pub struct Pass {
    pub name: &'static str,
    pub run: fn(&mut syn::File, &Ctx) -> Result<usize, String>,
    pub expect: fn(&Ctx) -> Expect,
}

/// A pass as it ran: its name, how many sites it changed, and how many it
/// had to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub name: &'static str,
    pub count: usize,
    pub expect: Expect,
}

impl Applied {
    /// Whether it changed as many sites as it had to.
    pub fn holds(&self) -> bool {
        self.expect.holds(self.count)
    }
}

/// Runs `passes` in order on `file`; the first whose count is not what it
/// expects stops the run, named.
pub fn run(passes: &[Pass], file: &mut syn::File, ctx: &Ctx) -> Result<Vec<Applied>, String> {
    let mut applied = Vec::with_capacity(passes.len());
    for pass in passes {
        let count = (pass.run)(file, ctx).map_err(|e| format!("the pass `{}` failed: {e}", pass.name))?;
        let expect = (pass.expect)(ctx);
        if !expect.holds(count) {
            return Err(format!(
                "the pass `{}` changed {count} site(s) of progenitor's output where the plan expects {expect}: \
                 progenitor's output no longer has the shape it rewrites",
                pass.name
            ));
        }
        applied.push(Applied {
            name: pass.name,
            count,
            expect,
        });
    }
    Ok(applied)
}

/// The passes over progenitor's tokens, before they are parsed (they need
/// no plan): the edition's reserved words as raw identifiers, and each
/// renamed property given back its name on the wire (in the client's types,
/// at least once each: in its `rename`; the mock's module has none).
pub fn run_on_tokens(
    tokens: proc_macro2::TokenStream,
    spec: &Spec,
    in_client: bool,
) -> Result<(proc_macro2::TokenStream, Vec<Applied>), String> {
    let (tokens, escaped) = crate::rust_names::escape_reserved_words(tokens);
    let (tokens, given_back) = wire_names::wire_names_given_back(tokens, &spec.renamed_properties);
    let applied = vec![
        Applied {
            name: "escape_reserved_words",
            count: escaped,
            expect: Expect::AtLeast(0),
        },
        Applied {
            name: "wire_names_given_back",
            count: given_back,
            expect: Expect::AtLeast(if in_client { spec.renamed_properties.len() } else { 0 }),
        },
    ];
    match applied.iter().find(|a| !a.holds()) {
        Some(failed) => Err(format!(
            "the pass `{}` changed {} site(s) of progenitor's output where the plan expects {}",
            failed.name, failed.count, failed.expect
        )),
        None => Ok((tokens, applied)),
    }
}

/// How many operations the spec has.
fn operations(ctx: &Ctx) -> usize {
    ctx.plans.len()
}

/// Whether the spec has an object schema of its own: typify generates a
/// struct and its builder for it.
fn has_objects(ctx: &Ctx) -> usize {
    let schemas = ctx
        .spec
        .raw
        .pointer("/components/schemas")
        .and_then(serde_json::Value::as_object);
    usize::from(
        schemas
            .into_iter()
            .flatten()
            .any(|(_, schema)| schema.get("properties").is_some()),
    )
}

/// Whether the spec has a type progenitor generates in its `types` module.
fn has_types(ctx: &Ctx) -> usize {
    usize::from(
        ctx.spec
            .openapi
            .components
            .as_ref()
            .is_some_and(|c| !c.schemas.is_empty())
            || ctx.plans.iter().any(|p| p.success_by_status || p.error_by_status),
    )
}

/// The passes over the client's module, in order.
pub const CLIENT: &[Pass] = &[
    Pass {
        name: "add_open_enums",
        run: |file, ctx| Ok(fixes::add_open_enums(&ctx.spec.open_enums, file)),
        expect: |ctx| Expect::Exactly(ctx.spec.open_enums.len()),
    },
    Pass {
        name: "add_status_enums",
        run: |file, ctx| fixes::add_status_enums(&ctx.spec.splits, file),
        expect: |ctx| Expect::Exactly(ctx.spec.splits.len()),
    },
    Pass {
        name: "replace_constructor",
        run: |file, _| Ok(fixes::replace_constructor(file)),
        expect: |_| Expect::Exactly(1),
    },
    Pass {
        name: "hand_send_to_the_glue",
        run: |file, _| Ok(fixes::hand_send_to_the_glue(file)),
        expect: |ctx| Expect::Exactly(operations(ctx)),
    },
    Pass {
        name: "keep_progenitor_s_plumbing_private",
        run: |file, _| Ok(fixes::keep_progenitor_s_plumbing_private(file)),
        expect: |_| Expect::Exactly(1),
    },
    Pass {
        name: "drop_the_api_version_header",
        run: |file, _| Ok(fixes::drop_the_api_version_header(file)),
        expect: |ctx| Expect::Exactly(operations(ctx)),
    },
    Pass {
        name: "read_responses_through_the_runtime",
        run: |file, _| Ok(requests::read_responses_through_the_runtime(file)),
        // Each operation's response read (and its header map, if it has one).
        expect: |ctx| Expect::AtLeast(operations(ctx)),
    },
    Pass {
        name: "build_requests_in_place",
        run: |file, _| Ok(requests::build_requests_in_place(file)),
        // Every operation without a request body (one with a body keeps
        // progenitor's builder).
        expect: |ctx| Expect::AtLeast(ctx.plans.iter().filter(|p| !p.operation.has_request_body).count()),
    },
    Pass {
        name: "build_urls_from_the_parsed_base_url",
        run: |file, _| Ok(requests::build_urls_from_the_parsed_base_url(file)),
        expect: |ctx| Expect::Exactly(operations(ctx)),
    },
    Pass {
        name: "document_setters",
        run: |file, ctx| Ok(builders::document_setters(file, ctx.plans)),
        expect: |ctx| Expect::Exactly(ctx.plans.iter().map(|p| p.setters.len()).sum()),
    },
    Pass {
        name: "setters_take_any_list",
        run: |file, _| Ok(builders::setters_take_any_list(file)),
        expect: |ctx| {
            let lists = ctx
                .plans
                .iter()
                .flat_map(|p| &p.setters)
                .filter(|s| matches!(crate::type_index::shape(&s.ty), crate::type_index::Shape::Vec(_)));
            Expect::Exactly(lists.count())
        },
    },
    Pass {
        name: "builders_take_call_options",
        run: |file, _| Ok(builders::builders_take_call_options(file)),
        expect: |ctx| Expect::Exactly(operations(ctx)),
    },
    Pass {
        name: "builders_can_own_their_client",
        run: |file, _| Ok(builders::builders_can_own_their_client(file)),
        expect: |ctx| Expect::Exactly(operations(ctx)),
    },
    Pass {
        name: "dispatch_through_an_exchange",
        run: |file, _| Ok(exchange::dispatch_through_an_exchange(file)),
        expect: |ctx| Expect::Exactly(operations(ctx)),
    },
    Pass {
        name: "paging_fields_readable",
        run: |file, ctx| Ok(builders::paging_fields_readable(file, &paging_fields(ctx.plans))),
        expect: |ctx| Expect::Exactly(paging_fields(ctx.plans).iter().map(|(_, fields)| fields.len()).sum()),
    },
    Pass {
        name: "json_schema_behind_a_feature",
        run: |file, _| Ok(optional_derives::json_schema_behind_a_feature(file)),
        expect: |ctx| Expect::AtLeast(has_types(ctx)),
    },
    Pass {
        name: "structs_are_non_exhaustive",
        run: |file, _| Ok(non_exhaustive::structs_are_non_exhaustive(file)),
        expect: |ctx| Expect::AtLeast(has_objects(ctx)),
    },
    Pass {
        name: "derive_eq_where_possible",
        run: |file, _| Ok(eq::derive_eq_where_possible(file)),
        expect: |_| Expect::AtLeast(0),
    },
    Pass {
        name: "string_newtypes_read_as_text",
        run: |file, _| Ok(newtypes::string_newtypes_read_as_text(file)),
        expect: |_| Expect::AtLeast(0),
    },
    Pass {
        name: "optional_text_setters_take_str",
        run: |file, _| Ok(optional_text::optional_text_setters_take_str(file)),
        expect: |_| Expect::AtLeast(0),
    },
    Pass {
        name: "builder_constructors_hidden",
        run: |file, _| Ok(rustdoc::builder_constructors_hidden(file)),
        expect: |ctx| Expect::Exactly(operations(ctx)),
    },
    Pass {
        name: "document",
        run: |file, _| Ok(rustdoc::document(file)),
        // typify leaves each type builder's setters bare.
        expect: |ctx| Expect::AtLeast(has_objects(ctx)),
    },
    Pass {
        name: "client_example",
        run: |file, ctx| Ok(rustdoc::client_example(file, ctx.spec, ctx.plans)),
        expect: |ctx| Expect::Exactly(usize::from(!ctx.plans.is_empty())),
    },
    Pass {
        name: "listings_point_to_their_streams",
        run: |file, ctx| Ok(rustdoc::listings_point_to_their_streams(file, &paginated(ctx.plans))),
        expect: |ctx| Expect::Exactly(paginated(ctx.plans).len()),
    },
    Pass {
        name: "one_doc_line_per_attribute",
        run: |file, _| Ok(rustdoc::one_doc_line_per_attribute(file)),
        expect: |_| Expect::AtLeast(0),
    },
];

/// The passes over the mock's module, in order.
pub const MOCK: &[Pass] = &[
    Pass {
        name: "match_array_query_parameters_item_by_item",
        run: |file, _| Ok(fixes::match_array_query_parameters_item_by_item(file)),
        expect: |ctx| {
            let in_mock = in_the_mock(ctx);
            let lists = in_mock.iter().flat_map(|p| &p.setters).filter(|s| {
                s.location == crate::model::Location::Query
                    && matches!(crate::type_index::shape(&s.ty), crate::type_index::Shape::Vec(_))
            });
            Expect::Exactly(lists.count())
        },
    },
    Pass {
        name: "put_values_on_the_wire_as_the_client_does",
        run: |file, _| Ok(fixes::put_values_on_the_wire_as_the_client_does(file)),
        // progenitor's mock matches each query value by its text.
        expect: |ctx| {
            let values = in_the_mock(ctx)
                .into_iter()
                .flat_map(|p| &p.setters)
                .filter(|s| s.location == crate::model::Location::Query);
            Expect::AtLeast(values.count().min(1))
        },
    },
    Pass {
        name: "mock_bodies_by_reference",
        run: |file, _| Ok(fixes::mock_bodies_by_reference(file)),
        expect: |_| Expect::AtLeast(0),
    },
    Pass {
        name: "document",
        run: |file, _| Ok(rustdoc::document(file)),
        // progenitor leaves each operation's `When` and `Then` bare.
        expect: |ctx| Expect::AtLeast(usize::from(!in_the_mock(ctx).is_empty())),
    },
    Pass {
        name: "one_doc_line_per_attribute",
        run: |file, _| Ok(rustdoc::one_doc_line_per_attribute(file)),
        expect: |_| Expect::AtLeast(0),
    },
];

/// The builder of each page-number or offset listing, with the fields of
/// its position and page size (named as their setters).
fn paging_fields(plans: &[OperationPlan]) -> Vec<(String, Vec<String>)> {
    plans
        .iter()
        .filter_map(|plan| {
            let (position, size) = plan.paging.as_ref()?.style.positional()?;
            Some((plan.builder.clone(), vec![position.method.clone(), size.method.clone()]))
        })
        .collect()
}

/// Each paginated operation's `Client` method and builder.
fn paginated(plans: &[OperationPlan]) -> Vec<(&str, &str)> {
    plans
        .iter()
        .filter(|plan| plan.paging.is_some())
        .map(|plan| (plan.method.as_str(), plan.builder.as_str()))
        .collect()
}

/// The plans of the operations the mock has.
fn in_the_mock<'a>(ctx: &Ctx<'a>) -> Vec<&'a OperationPlan> {
    ctx.plans.iter().filter(|plan| plan.in_mock).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The passes ARCHITECTURE.md lists, by table, in order.
    fn documented() -> Vec<(String, Vec<String>)> {
        let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../ARCHITECTURE.md")).unwrap();
        let list = doc
            .split("<!-- passes -->")
            .nth(1)
            .unwrap()
            .split("<!-- /passes -->")
            .next()
            .unwrap();
        list.split("\n- ")
            .filter(|entry| !entry.trim().is_empty())
            .map(|entry| {
                let (table, names) = entry.split_once(':').unwrap();
                let names = names.split('`').skip(1).step_by(2).map(str::to_owned).collect();
                (table.trim_start_matches("- ").trim().to_owned(), names)
            })
            .collect()
    }

    #[test]
    fn the_architecture_document_lists_every_pass_in_order() {
        let names = |passes: &[Pass]| passes.iter().map(|p| p.name.to_owned()).collect::<Vec<_>>();
        let spec = crate::model::tests_support::minimal_spec();
        let (_, tokens) = run_on_tokens(proc_macro2::TokenStream::new(), &spec, true).unwrap();
        let tokens: Vec<String> = tokens.iter().map(|a| a.name.to_owned()).collect();
        assert_eq!(
            documented(),
            [
                ("tokens (client and mock)".to_owned(), tokens),
                ("client".to_owned(), names(CLIENT)),
                ("mock".to_owned(), names(MOCK)),
            ]
        );
    }

    #[test]
    fn a_pass_that_finds_fewer_sites_than_the_plan_expects_stops_the_run_named() {
        const PASSES: &[Pass] = &[
            Pass {
                name: "renames_send",
                run: |file, _| Ok(fixes::hand_send_to_the_glue(file)),
                expect: |_| Expect::Exactly(1),
            },
            Pass {
                name: "anything",
                run: |_, _| Ok(3),
                expect: |_| Expect::AtLeast(0),
            },
        ];
        let spec = crate::model::tests_support::minimal_spec();
        let ctx = Ctx {
            spec: &spec,
            plans: &[],
        };
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> ListThings<'a> {
                    pub async fn send(self) {}
                }
            }
        };
        let applied = run(PASSES, &mut file, &ctx).unwrap();
        assert_eq!(
            applied.iter().map(|a| (a.name, a.count)).collect::<Vec<_>>(),
            [("renames_send", 1), ("anything", 3)]
        );
        // Run again: `send` is `dispatch` now, the shape is gone.
        let error = run(PASSES, &mut file, &ctx).unwrap_err();
        assert!(
            error.starts_with(
                "the pass `renames_send` changed 0 site(s) of progenitor's output where the plan expects 1"
            ),
            "{error}"
        );
    }
}
