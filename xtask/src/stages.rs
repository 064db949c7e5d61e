//! The generator's stages, checked file by file: every source file belongs
//! to a stage, uses only files of its own stage or earlier ones, and no
//! file-level import circle exists here or in the command line's and the
//! runtime's sources (a module and its own children aside).

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

/// The generator's modules by stage, in the order a spec goes through them
/// (`pipeline.rs` runs them); a module path names its file and every file
/// under it that no longer entry names. Helpers that read no stage's output
/// come first, the commands last.
const STAGES: &[(&str, &[&str])] = &[
    (
        "helpers",
        &[
            "rust_names",
            "runtime_paths",
            "type_index",
            "open_enums",
            "samples",
            "progenitor_call",
            "releases",
            "overlay",
        ],
    ),
    ("load", &["load"]),
    ("rewrite", &["rewrite"]),
    ("vet", &["vet"]),
    ("view", &["rewrite::by_status"]),
    ("probe", &["probe"]),
    ("model", &["model"]),
    ("progenitor", &["codegen::run", "codegen::index"]),
    ("plan", &["codegen::plan"]),
    ("passes", &["codegen"]),
    ("emit", &["render", "files"]),
    (
        "commands",
        &["corpus", "docs", "tools", "release", "publish", "propose", "rehearsal"],
    ),
];

/// The files that run the stages in order, and so may use any of them.
const ORCHESTRATORS: &[&str] = &["", "main", "pipeline"];

/// The modules of the passes stage that emit may name: the plans and what
/// progenitor generated, never a pass.
const EMIT_READS_OF_CODEGEN: &[&str] = &["plan", "index", "run", "passes"];

type Module = Vec<String>;

fn module_of(text: &str) -> Module {
    text.split("::").filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// The stage (its position) of the longest entry of [`STAGES`] that is a
/// prefix of `path`.
fn stage(path: &[String]) -> Option<(usize, usize)> {
    STAGES
        .iter()
        .enumerate()
        .flat_map(|(i, (_, modules))| modules.iter().map(move |m| (i, module_of(m))))
        .filter(|(_, m)| path.starts_with(m))
        .map(|(i, m)| (i, m.len()))
        .max_by_key(|(_, len)| *len)
}

/// Every `.rs` file under `src`, by module path (`codegen/plan.rs` is
/// `[codegen, plan]`, `codegen/mod.rs` is `[codegen]`, `lib.rs` is `[]`).
fn files(src: &Path) -> BTreeMap<Module, PathBuf> {
    fn walk(dir: &Path, src: &Path, found: &mut BTreeMap<Module, PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, src, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(src).unwrap().with_extension("");
                let mut module: Module = relative.iter().map(|s| s.to_string_lossy().into_owned()).collect();
                if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
                    module.pop();
                }
                found.insert(module, path);
            }
        }
    }
    let mut found = BTreeMap::new();
    walk(src, src, &mut found);
    found
}

/// Every path of its own crate a file names, resolved to a path from the
/// crate's root: `crate::a::b`, `super::b` and `self::b`, and `b::c` where
/// `b` is a module the file declares; in `use` trees and in paths alike.
/// Test modules (`#[cfg(test)]`) are left out: a test may use anything.
fn uses(module: &[String], source: &str) -> Vec<Module> {
    use syn::visit::Visit;
    struct Uses<'m> {
        module: &'m [String],
        children: BTreeSet<String>,
        found: Vec<Module>,
    }
    impl Uses<'_> {
        fn resolve(&self, segments: &[String]) -> Option<Module> {
            let (first, rest) = segments.split_first()?;
            let mut base: Module = match first.as_str() {
                "crate" => Vec::new(),
                "self" => self.module.to_vec(),
                "super" => self.module[..self.module.len().saturating_sub(1)].to_vec(),
                child if self.children.contains(child) => {
                    let mut base = self.module.to_vec();
                    base.push(child.to_owned());
                    base
                }
                _ => return None,
            };
            let mut rest = rest;
            while let Some((next, tail)) = rest.split_first()
                && next == "super"
            {
                base.pop();
                rest = tail;
            }
            base.extend(rest.iter().cloned());
            Some(base)
        }
        fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
            match tree {
                syn::UseTree::Path(p) => {
                    prefix.push(p.ident.to_string());
                    self.use_tree(prefix, &p.tree);
                    prefix.pop();
                }
                syn::UseTree::Name(n) => self.leaf(prefix, &n.ident),
                syn::UseTree::Rename(r) => self.leaf(prefix, &r.ident),
                syn::UseTree::Glob(_) => self.found.extend(self.resolve(prefix)),
                syn::UseTree::Group(g) => g.items.iter().for_each(|t| self.use_tree(prefix, t)),
            }
        }
        fn leaf(&mut self, prefix: &[String], ident: &syn::Ident) {
            let mut path = prefix.to_vec();
            if ident != "self" {
                path.push(ident.to_string());
            }
            self.found.extend(self.resolve(&path));
        }
    }
    impl<'ast> Visit<'ast> for Uses<'_> {
        fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
            self.use_tree(&mut Vec::new(), &item.tree);
        }
        fn visit_path(&mut self, path: &'ast syn::Path) {
            if path.leading_colon.is_none() {
                let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
                if segments.len() > 1 {
                    self.found.extend(self.resolve(&segments));
                }
            }
            syn::visit::visit_path(self, path);
        }
        fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
            if !is_test(&item.attrs) {
                syn::visit::visit_item_mod(self, item);
            }
        }
        fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
            if !is_test(&item.attrs) {
                syn::visit::visit_item_fn(self, item);
            }
        }
    }
    fn is_test(attrs: &[syn::Attribute]) -> bool {
        attrs.iter().any(|a| {
            a.path().is_ident("cfg") && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "test")
                || a.path().is_ident("test")
        })
    }
    let file = syn::parse_file(source).expect("the sources parse");
    let children = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) if m.content.is_none() => Some(m.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut uses = Uses {
        module,
        children,
        found: Vec::new(),
    };
    uses.visit_file(&file);
    uses.found
}

/// The file a resolved path lands in: the longest module of `files` it
/// starts with.
fn file_of<'a>(files: &'a BTreeMap<Module, PathBuf>, path: &[String]) -> Option<&'a Module> {
    files.keys().filter(|m| path.starts_with(m)).max_by_key(|m| m.len())
}

/// The file-level import graph of the crate at `src`: an edge from each
/// file to each other file it names, a module and its own children aside.
fn graph(src: &Path) -> BTreeMap<Module, BTreeSet<Module>> {
    let files = files(src);
    let mut graph = BTreeMap::new();
    for (module, path) in &files {
        let source = std::fs::read_to_string(path).unwrap();
        let targets: BTreeSet<Module> = uses(module, &source)
            .iter()
            .filter_map(|used| file_of(&files, used))
            .filter(|target| !target.starts_with(module) && !module.starts_with(target))
            .cloned()
            .collect();
        graph.insert(module.clone(), targets);
    }
    graph
}

/// Every circle of `graph`, each as the files on it.
fn circles(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<String>> {
    fn visit(
        node: &Module,
        graph: &BTreeMap<Module, BTreeSet<Module>>,
        stack: &mut Vec<Module>,
        done: &mut BTreeSet<Module>,
        found: &mut Vec<Vec<String>>,
    ) {
        if let Some(at) = stack.iter().position(|m| m == node) {
            found.push(stack[at..].iter().map(|m| m.join("::")).collect());
            return;
        }
        if !done.insert(node.clone()) {
            return;
        }
        stack.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, stack, done, found);
        }
        stack.pop();
    }
    let mut found = Vec::new();
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, graph, &mut Vec::new(), &mut done, &mut found);
    }
    found
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

#[test]
fn every_file_uses_only_its_own_stage_or_earlier_ones() {
    let src = workspace().join("xtask/src");
    let files = files(&src);
    let mut wrong = Vec::new();
    for (module, path) in &files {
        let name = module.join("::");
        if ORCHESTRATORS.contains(&name.as_str()) || name == "stages" {
            continue;
        }
        let Some((own, _)) = stage(module) else {
            wrong.push(format!("{name} is in no stage: add it to STAGES"));
            continue;
        };
        let source = std::fs::read_to_string(path).unwrap();
        for used in uses(module, &source) {
            let used_name = used.join("::");
            match stage(&used) {
                Some((theirs, _)) if theirs > own => wrong.push(format!(
                    "{name} ({}) uses {used_name} ({})",
                    STAGES[own].0, STAGES[theirs].0
                )),
                _ => {}
            }
            if STAGES[own].0 == "emit"
                && let [first, second, ..] = &used[..]
                && first == "codegen"
                && files.contains_key(&vec![first.clone(), second.clone()])
                && !EMIT_READS_OF_CODEGEN.contains(&second.as_str())
            {
                wrong.push(format!("{name} (emit) uses the pass module {used_name}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn no_file_level_import_circle() {
    for crate_src in ["xtask/src", "crates/cli/src", "crates/runtime/src"] {
        let found = circles(&graph(&workspace().join(crate_src)));
        assert!(found.is_empty(), "import circles in {crate_src}: {found:?}");
    }
}

#[test]
fn paths_are_resolved_from_use_trees_paths_super_and_declared_children() {
    let module = module_of("codegen::plan");
    let source = "mod inner; use crate::{load::x, vet::{y, self}}; use super::index::Read; \
                  use inner::Thing; fn f() { crate::render::g(); other::h(); super::super::model::Spec::new(); } \
                  #[cfg(test)] mod tests { use crate::corpus::x; }";
    let found: Vec<String> = uses(&module, source).iter().map(|m| m.join("::")).collect();
    assert_eq!(
        found,
        [
            "load::x",
            "vet::y",
            "vet",
            "codegen::index::Read",
            "codegen::plan::inner::Thing",
            "render::g",
            "model::Spec::new"
        ]
    );
}

#[test]
fn a_circle_is_found_and_a_module_with_its_children_is_not_one() {
    let graph: BTreeMap<Module, BTreeSet<Module>> = [
        (module_of("a"), [module_of("b")].into()),
        (module_of("b"), [module_of("a")].into()),
        (module_of("c"), BTreeSet::new()),
    ]
    .into();
    assert_eq!(circles(&graph), [vec!["a".to_owned(), "b".to_owned()]]);
    assert_eq!(
        stage(&module_of("codegen::plan::OperationPlan")).map(|(i, _)| STAGES[i].0),
        Some("plan")
    );
    assert_eq!(
        stage(&module_of("codegen::fixes")).map(|(i, _)| STAGES[i].0),
        Some("passes")
    );
    assert_eq!(
        stage(&module_of("rewrite::by_status::Split")).map(|(i, _)| STAGES[i].0),
        Some("view")
    );
}
