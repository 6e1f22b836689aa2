//! The modules of logleaks import each other in one direction only: a log line flows from
//! `input` through `logformat`, `decode`, `rules` and `detect` to `finding` and the output
//! writers, and no module imports one that (directly or through others) imports it back.
//!
//! The graph is read from the sources: every `crate::<module>` a file names outside its
//! `#[cfg(test)]` test module. The command-line layer (`app`, `cli`) and the fuzzing entry
//! points tie everything together and are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Modules that may name any other module: they sit above the flow.
const ABOVE_THE_FLOW: [&str; 3] = ["app", "cli", "fuzzing"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a source file belongs to, e.g. `scan` for `src/scan/segment.rs`.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap();
    let name = first.as_os_str().to_str().unwrap();
    name.trim_end_matches(".rs").to_string()
}

/// The modules named as `crate::<name>` in `text`.
fn named_modules(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            names.insert(name);
        }
    }
    names
}

/// Module → the modules it imports, from the sources below `src`.
fn import_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let module = module_of(src, &file);
        if matches!(module.as_str(), "main" | "lib") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        // Tests may reach anywhere; by convention their module is the file's last item.
        let code = text.split("#[cfg(test)]\nmod ").next().unwrap_or("");
        let imports = graph.entry(module.clone()).or_default();
        imports.extend(
            named_modules(code)
                .into_iter()
                .filter(|m| *m != module && !ABOVE_THE_FLOW.contains(&m.as_str())),
        );
    }
    for above in ABOVE_THE_FLOW {
        graph.remove(above);
    }
    graph
}

/// A cycle through `graph`, as the list of modules on it, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let graph = import_graph(&src());
    assert!(
        graph.contains_key("finding") && graph.contains_key("detect"),
        "the module graph was not read: {graph:?}"
    );
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import circle: {}", cycle.join(" → "));
    }
}

#[test]
fn findings_know_nothing_of_detection_and_summaries_nothing_of_reports() {
    let graph = import_graph(&src());
    assert!(
        !graph["finding"].contains("detect"),
        "src/finding.rs imports crate::detect"
    );
    assert!(
        !graph["summary"].contains("report"),
        "src/summary imports crate::report"
    );
    assert!(
        !graph["logformat"].contains("finding"),
        "src/logformat imports crate::finding"
    );
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("c".into());
    graph.entry("c".into()).or_default().insert("a".into());
    let cycle = find_cycle(&graph).expect("a → b → c → a is a cycle");
    assert_eq!(cycle, ["a", "b", "c", "a"]);
    graph.get_mut("c").unwrap().clear();
    assert_eq!(find_cycle(&graph), None);
}
