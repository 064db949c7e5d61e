//! Stage 5, progenitor: run once on a vetted spec, what it generated read
//! once into a typed index (`index`), and its output fixed where the
//! generated glue takes over, each fix a `syn` visitor (`fixes`).

pub mod builders;
mod eq;
pub mod fixes;
pub mod index;
pub mod newtypes;
mod non_exhaustive;
pub mod optional_derives;
mod optional_text;
mod reads;
pub mod rustdoc;
pub mod status_enums;
mod wire_names;

use progenitor::{GenerationSettings, Generator};

pub use index::{MockMethod, OperationTypes, Setter};

use fixes::{
    add_open_enums, add_status_enums, drop_the_api_version_header, hand_send_to_the_glue,
    keep_progenitor_s_plumbing_private, match_array_query_parameters_item_by_item, mock_bodies_by_reference,
    put_values_on_the_wire_as_the_client_does, replace_constructor,
};
use index::{mock_methods, name_operations_as_the_spec_does, operation_types};

use crate::{
    load::SpecError,
    model::Spec,
    progenitor_call::{settings_of, without_panicking},
};

/// progenitor's output for one spec.
pub struct Generated {
    pub file: syn::File,
    pub operations: Vec<OperationTypes>,
    /// The crates its types need beside the ones every provider has.
    pub dependencies: Dependencies,
}

/// The settings every generation of `spec` uses. Its named string enums are
/// replaced by open enums, found at `<types_path>::<Name>`.
fn settings(spec: &Spec, types_path: &str) -> GenerationSettings {
    settings_of(&spec.raw, types_path)
}

/// Generates the client module with progenitor. A panic inside progenitor
/// (for a layout the vetting step missed) becomes a [`SpecError`].
pub fn generate(spec: &Spec) -> Result<Generated, SpecError> {
    let error = |message: String| SpecError {
        file: spec.file.clone(),
        pointer: String::new(),
        message,
    };
    let (mut file, dependencies) = catching_panics(spec, || module(spec))?.map_err(error)?;
    replace_constructor(&mut file);
    let mut operations = operation_types(&file).map_err(error)?;
    name_operations_as_the_spec_does(spec, &mut operations).map_err(error)?;
    for split in &spec.splits {
        let op = operations
            .iter_mut()
            .find(|op| op.operation_id == split.operation_id)
            .ok_or_else(|| error(format!("no generated operation `{}`", split.operation_id)))?;
        let name = syn::Ident::new(&split.enum_name, proc_macro2::Span::call_site());
        if split.success {
            op.success = syn::parse_quote!(types::#name);
            op.success_by_status = true;
        } else {
            op.error = syn::parse_quote!(types::#name);
            op.error_by_status = true;
        }
    }
    hand_send_to_the_glue(&mut file);
    keep_progenitor_s_plumbing_private(&mut file);
    drop_the_api_version_header(&mut file);
    reads::read_responses_through_the_runtime(&mut file);
    reads::build_requests_in_place(&mut file);
    reads::build_urls_from_the_parsed_base_url(&mut file);
    builders::document_setters(&mut file, spec, &operations);
    builders::setters_take_any_list(&mut file);
    builders::builders_take_call_options(&mut file);
    builders::builders_can_own_their_client(&mut file);
    let paging_fields = paging_fields(spec, &operations);
    let opened = builders::paging_fields_readable(&mut file, &paging_fields);
    let expected: usize = paging_fields.iter().map(|(_, fields)| fields.len()).sum();
    if opened != expected {
        return Err(error(format!(
            "the page and size fields of the page-number listings: {opened} found of {expected}"
        )));
    }
    optional_derives::json_schema_behind_a_feature(&mut file);
    non_exhaustive::structs_are_non_exhaustive(&mut file);
    eq::derive_eq_where_possible(&mut file);
    newtypes::string_newtypes_read_as_text(&mut file);
    optional_text::optional_text_setters_take_str(&mut file);
    crate::progenitor::rustdoc::builder_constructors_hidden(&mut file);
    crate::progenitor::rustdoc::document(&mut file);
    crate::progenitor::rustdoc::client_example(&mut file, spec, &operations);
    let paginated: Vec<(&str, &str)> = operations
        .iter()
        .filter(|op| spec.pagination(&op.operation_id).is_some())
        .map(|op| (op.method.as_str(), op.builder.as_str()))
        .collect();
    crate::progenitor::rustdoc::listings_point_to_their_streams(&mut file, &paginated);
    crate::progenitor::rustdoc::one_doc_line_per_attribute(&mut file);
    Ok(Generated {
        file,
        operations,
        dependencies,
    })
}

/// The builder of each page-number listing, with the fields of its page
/// number and page size (named as their setters).
fn paging_fields(spec: &Spec, operations: &[OperationTypes]) -> Vec<(String, Vec<String>)> {
    spec.paginations()
        .filter_map(|pagination| {
            let crate::model::PaginationStyle::Page { page, size, .. } = &pagination.style else {
                return None;
            };
            let op = operations
                .iter()
                .find(|op| op.operation_id == pagination.operation_id)?;
            let field = |parameter: &str| {
                op.setters
                    .iter()
                    .find(|s| s.parameter == parameter)
                    .map(|s| s.method.clone())
            };
            Some((op.builder.clone(), [field(page)?, field(size)?].to_vec()))
        })
        .collect()
}

/// progenitor's module for a spec as the generator reads it (`raw`, and
/// progenitor's copy `openapi`), with its renamed properties given back
/// their names on the wire, and the open enums and the enums of statuses
/// with different bodies in its `types`.
fn module(spec: &Spec) -> Result<(syn::File, Dependencies), String> {
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
    let (tokens, _) = crate::rust_names::escape_reserved_words(tokens);
    let (tokens, _) = wire_names::wire_names_given_back(tokens, &spec.renamed_properties);
    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("progenitor produced code that does not parse: {e}"))?;
    add_open_enums(raw, &mut file);
    add_status_enums(&spec.splits, &mut file)?;
    Ok((file, dependencies))
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
pub fn generate_mock(spec: &Spec, crate_ident: &str) -> Result<GeneratedMock, SpecError> {
    let error = |message: String| SpecError {
        file: spec.file.clone(),
        pointer: String::new(),
        message,
    };
    let tokens = catching_panics(spec, || {
        Generator::new(&settings(spec, &format!("{crate_ident}::types"))).httpmock(&spec.mock_openapi, crate_ident)
    })?
    .map_err(|e| error(format!("progenitor cannot generate the mock: {e}")))?;
    let (tokens, _) = crate::rust_names::escape_reserved_words(tokens);
    let (tokens, _) = wire_names::wire_names_given_back(tokens, &spec.renamed_properties);
    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| error(format!("progenitor produced a mock that does not parse: {e}")))?;
    match_array_query_parameters_item_by_item(&mut file);
    put_values_on_the_wire_as_the_client_does(&mut file);
    mock_bodies_by_reference(&mut file);
    let methods = mock_methods(&file);
    crate::progenitor::rustdoc::document(&mut file);
    crate::progenitor::rustdoc::one_doc_line_per_attribute(&mut file);
    Ok(GeneratedMock { file, methods })
}

/// progenitor's httpmock module for one spec.
pub struct GeneratedMock {
    pub file: syn::File,
    /// `(type, method, argument type)` of every `When` and `Then` method that
    /// takes a value, for example `("ListWorkspacesWhen", "ids", "Option<&'a Vec<String>>")`.
    pub methods: Vec<MockMethod>,
}
