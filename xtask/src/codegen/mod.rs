//! Stages 7 to 9 (`pipeline.rs` runs them in order): progenitor, run
//! once on a vetted spec (`run`); the plan, what it generated read once
//! (`index`) and joined to the model (`plan`); and the passes over its
//! output, declared in one table (`passes`), each a named function that says
//! how many sites it changed. The other modules are the passes themselves.

pub mod builders;
mod eq;
mod exchange;
pub mod fixes;
pub mod index;
pub mod newtypes;
mod non_exhaustive;
pub mod optional_derives;
mod optional_text;
pub mod passes;
pub mod plan;
mod requests;
pub mod run;
pub mod rustdoc;
pub mod status_enums;
mod wire_names;

pub use index::MockMethod;
pub use passes::{Applied, Expect};
pub use plan::{OperationPlan, Paging, PagingStyle, Setter};
pub use run::Dependencies;

/// Rewrites the `dispatch()` of each builder (`mod builder`) that `read`
/// reads something from, its struct given; how many `rewrite` changed.
/// `rewrite` gets the function, what was read, and the generics of the
/// builder's `impl` block.
fn rewrite_each_dispatch<T>(
    file: &mut syn::File,
    read: impl Fn(&syn::ItemStruct) -> Option<T>,
    mut rewrite: impl FnMut(&mut syn::ImplItemFn, &T, &syn::Generics) -> bool,
) -> usize {
    let Some(items) = crate::type_index::module_items_mut(file, "builder") else {
        return 0;
    };
    let read: Vec<(String, T)> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(builder) => read(builder).map(|fact| (builder.ident.to_string(), fact)),
            _ => None,
        })
        .collect();
    let mut rewritten = 0;
    for item in items.iter_mut() {
        let syn::Item::Impl(block) = item else { continue };
        let Some((name, _)) = crate::type_index::last_segment(&block.self_ty) else {
            continue;
        };
        let Some((_, fact)) = read.iter().find(|(builder, _)| name == builder) else {
            continue;
        };
        for member in &mut block.items {
            if let syn::ImplItem::Fn(function) = member
                && function.sig.ident == "dispatch"
                && rewrite(function, fact, &block.generics)
            {
                rewritten += 1;
            }
        }
    }
    rewritten
}

/// progenitor's output for one spec.
pub struct Generated {
    pub file: syn::File,
    /// The plan of each operation, in the order progenitor generated them.
    pub plans: Vec<OperationPlan>,
    /// The crates its types need beside the ones every provider has.
    pub dependencies: Dependencies,
    /// Each pass over progenitor's output with how many sites it changed,
    /// the passes over its tokens first.
    pub passes: Vec<Applied>,
}

impl Generated {
    /// The plan of the listing the facade reads (`x-workspaces`), if any.
    pub fn listing(&self) -> Option<&OperationPlan> {
        self.plans.iter().find(|plan| plan.lists_workspaces)
    }

    /// The plans of the paginated operations.
    pub fn paginated(&self) -> impl Iterator<Item = &OperationPlan> {
        self.plans.iter().filter(|plan| plan.paging.is_some())
    }
}

/// progenitor's httpmock module for one spec.
pub struct GeneratedMock {
    pub file: syn::File,
    /// `(type, method, argument type)` of every `When` and `Then` method that
    /// takes a value, for example `("ListWorkspacesWhen", "ids", "Option<&'a Vec<String>>")`.
    pub methods: Vec<MockMethod>,
    /// Each pass over progenitor's output with how many sites it changed.
    pub passes: Vec<Applied>,
}
