//! Stages 5 to 7: progenitor, run once on a vetted spec; the plan, what it
//! generated read once (`index`) and joined to the model (`plan`); and the
//! passes over its output, declared in one table (`passes`), each a named
//! function that says how many sites it changed.

pub mod builders;
mod eq;
pub mod fixes;
pub mod index;
pub mod newtypes;
mod non_exhaustive;
pub mod optional_derives;
mod optional_text;
pub mod passes;
pub mod plan;
mod reads;
pub mod rustdoc;
pub mod status_enums;
mod wire_names;

use progenitor::{GenerationSettings, Generator};

pub use index::MockMethod;
pub use passes::{Applied, Expect};
pub use plan::{OperationPlan, Paging, PagingStyle, Setter};

use index::mock_methods;

use crate::{
    load::SpecError,
    model::Spec,
    progenitor_call::{settings_of, without_panicking},
};

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

/// The settings every generation of `spec` uses. Its named string enums are
/// replaced by open enums, found at `<types_path>::<Name>`.
fn settings(spec: &Spec, types_path: &str) -> GenerationSettings {
    settings_of(&spec.raw, types_path)
}

/// Generates the client module: progenitor, run once on the spec as the
/// generator reads it (a panic inside it, for a layout the probe missed,
/// becomes a [`SpecError`]); its output read and joined to the model into
/// one plan per operation; then every pass of [`passes::CLIENT`], in order,
/// each changing as many sites as the plan expects.
pub fn generate(spec: &Spec) -> Result<Generated, SpecError> {
    let error = |message: String| SpecError {
        file: spec.file.clone(),
        pointer: String::new(),
        message,
    };
    let (mut file, dependencies, token_passes) = catching_panics(spec, || module(spec))?.map_err(error)?;
    let plans = plan::plan(spec, index::read(&file).map_err(error)?).map_err(error)?;
    let ctx = passes::Ctx { spec, plans: &plans };
    let mut applied = token_passes;
    applied.extend(passes::run(passes::CLIENT, &mut file, &ctx).map_err(error)?);
    Ok(Generated {
        file,
        plans,
        dependencies,
        passes: applied,
    })
}

/// progenitor's module for a spec as the generator reads it (`raw`, and
/// progenitor's copy `openapi`), with its renamed properties given back
/// their names on the wire, and the open enums and the enums of statuses
/// with different bodies in its `types`.
fn module(spec: &Spec) -> Result<(syn::File, Dependencies, Vec<Applied>), String> {
    let raw = &spec.raw;
    let settings = settings_of(raw, "crate::types");
    let mut generator = Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&spec.openapi)
        .map_err(|e| format!("progenitor cannot generate a client: {e}"))?;
    let types = generator.get_type_space();
    let dependencies = Dependencies {
        chrono: types.uses_chrono(),
        uuid: types.uses_uuid(),
        regress: types.uses_regress(),
    };
    let (tokens, applied) = token_passes(tokens, spec, true)?;
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("progenitor produced code that does not parse: {e}"))?;
    Ok((file, dependencies, applied))
}

/// The passes over progenitor's tokens, before they are parsed: the
/// edition's reserved words as raw identifiers, and each renamed property
/// given back its name on the wire (at least once: in its `rename`).
fn token_passes(
    tokens: proc_macro2::TokenStream,
    spec: &Spec,
    renamed_types: bool,
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
            // In the client's types; the mock's module has none.
            expect: Expect::AtLeast(if renamed_types {
                spec.renamed_properties.len()
            } else {
                0
            }),
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

/// The crates a generated module needs beside those every provider crate
/// depends on, as typify answers for the types it generated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dependencies {
    pub chrono: bool,
    pub uuid: bool,
    pub regress: bool,
}

impl Dependencies {
    /// The crates that the paths of `file` name (`::chrono::DateTime`).
    pub fn named_in(file: &syn::File) -> Self {
        struct Names(Dependencies);
        impl<'ast> syn::visit::Visit<'ast> for Names {
            fn visit_path(&mut self, path: &'ast syn::Path) {
                match path.segments.first().map(|s| s.ident.to_string()).as_deref() {
                    Some("chrono") => self.0.chrono = true,
                    Some("uuid") => self.0.uuid = true,
                    Some("regress") => self.0.regress = true,
                    _ => {}
                }
                syn::visit::visit_path(self, path);
            }
        }
        let mut names = Names(Self::default());
        syn::visit::Visit::visit_file(&mut names, file);
        names.0
    }

    /// The crates, by name.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        [("chrono", self.chrono), ("uuid", self.uuid), ("regress", self.regress)]
            .into_iter()
            .filter_map(|(name, used)| used.then_some(name))
    }
}

/// Runs progenitor with its panics (for a layout the vetting step missed)
/// turned into a [`SpecError`] naming the file.
fn catching_panics<T>(spec: &Spec, run: impl FnOnce() -> T) -> Result<T, SpecError> {
    without_panicking(run).map_err(|message| SpecError {
        file: spec.file.clone(),
        pointer: String::new(),
        message: format!("progenitor failed on this spec (it panicked: {message})"),
    })
}

/// progenitor's typed httpmock helpers for a spec's client crate, with
/// array query parameters matched item by item (progenitor's own output calls
/// `to_string()` on the array, which does not compile).
pub fn generate_mock(spec: &Spec, plans: &[OperationPlan], crate_ident: &str) -> Result<GeneratedMock, SpecError> {
    let error = |message: String| SpecError {
        file: spec.file.clone(),
        pointer: String::new(),
        message,
    };
    let tokens = catching_panics(spec, || {
        Generator::new(&settings(spec, &format!("{crate_ident}::types"))).httpmock(&spec.mock_openapi, crate_ident)
    })?
    .map_err(|e| error(format!("progenitor cannot generate the mock: {e}")))?;
    let (tokens, mut applied) = token_passes(tokens, spec, false).map_err(error)?;
    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| error(format!("progenitor produced a mock that does not parse: {e}")))?;
    let ctx = passes::Ctx { spec, plans };
    applied.extend(passes::run(passes::MOCK, &mut file, &ctx).map_err(error)?);
    let methods = mock_methods(&file);
    Ok(GeneratedMock {
        file,
        methods,
        passes: applied,
    })
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
