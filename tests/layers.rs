//! The architecture, checked: the top-level modules of `src/` import each other one way
//! only (the order in `src/lib.rs`), and KPI ids are written as strings nowhere but in
//! the schema.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Bottom to top. A module may use modules on its own level or below, never above.
const LAYERS: &[&[&str]] = &[
    &["schema", "textnorm", "fasthash", "platform", "privacy"],
    &["error"],
    &["config", "catalogue"],
    &["ingest"],
    &["model"],
    &["kpi"],
    &["review"],
    &["report"],
    &["input_templates"],
    &["pipeline"],
    &["cli"],
    &["commands"],
    &["main", "lib"],
];

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

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

/// The top-level module a file of `src/` belongs to.
fn top_module(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// Code without comments and without the `#[cfg(test)]` module at the end of a file
/// (tests may reach anywhere).
fn code_of(text: &str) -> String {
    let body = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    body.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Top-level modules named after `crate::` in the code, including `crate::{a, b}`.
fn used_modules(code: &str) -> Vec<String> {
    let mut used = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(inner) = rest.strip_prefix('{') {
            let end = inner.find('}').unwrap_or(inner.len());
            for part in inner[..end].split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    used.push(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            used.push(name);
        }
    }
    used
}

#[test]
fn top_level_modules_import_one_way_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    let mut edges: BTreeMap<(String, String), usize> = BTreeMap::new();
    for file in &files {
        let module = top_module(&src, file);
        let Some(own) = rank(&module) else {
            violations.push(format!(
                "{}: modulen {module} saknas i LAYERS",
                file.display()
            ));
            continue;
        };
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        for used in used_modules(&code) {
            if used == module {
                continue;
            }
            *edges.entry((module.clone(), used.clone())).or_default() += 1;
            match rank(&used) {
                Some(r) if r <= own => {}
                Some(_) => violations.push(format!(
                    "{}: {module} använder {used}, som ligger i ett högre lager",
                    file.display()
                )),
                None => violations.push(format!(
                    "{}: {module} använder crate::{used}, som saknas i LAYERS",
                    file.display()
                )),
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
    // Same-level modules may not use each other both ways either.
    for (a, b) in edges.keys() {
        assert!(
            !edges.contains_key(&(b.clone(), a.clone())),
            "{a} och {b} använder varandra"
        );
    }
}

#[test]
fn kpi_ids_are_written_only_in_the_schema() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut prefixes: Vec<String> = genomgang::schema::KpiId::ALL
        .iter()
        .map(|id| format!("\"{}\"", id.as_str()))
        .collect();
    prefixes.push("\"incidents.category.".to_string());
    let mut found = Vec::new();
    for file in files.iter().filter(|f| !f.ends_with("schema.rs")) {
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        for (n, line) in code.lines().enumerate() {
            if prefixes.iter().any(|p| line.contains(p)) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "KPI-id som text utanför schema.rs:\n{}",
        found.join("\n")
    );
}
