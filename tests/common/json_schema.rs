//! A validator for the subset of JSON Schema (2020-12) that `schema/kpi.schema.json`
//! uses: `$ref` to `#/$defs/…`, `anyOf`, `oneOf`, `type`, `const`, `enum`,
//! `properties`, `required`, `additionalProperties` (true/false), `items`, `minimum`,
//! `maximum`, and the annotations. Any other keyword is an error, so the schema cannot
//! grow a rule this validator silently ignores.

use serde_json::Value;

const ANNOTATIONS: [&str; 5] = ["$schema", "$id", "title", "description", "$defs"];
const RULES: [&str; 12] = [
    "$ref",
    "anyOf",
    "oneOf",
    "type",
    "const",
    "enum",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minimum",
    "maximum",
];

/// The shipped schema.
pub fn kpi_schema() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/kpi.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every violation of `schema` by `doc`, each with its JSON pointer; empty when valid.
pub fn validate(schema: &Value, doc: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    check(schema, schema, doc, "", &mut errors);
    errors
}

fn type_matches(name: &str, v: &Value) -> bool {
    match name {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.as_i64().is_some() || v.as_u64().is_some(),
        other => panic!("unknown type {other} in the schema"),
    }
}

fn check(root: &Value, schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(rules) = schema.as_object() else {
        if schema == &Value::Bool(false) {
            errors.push(format!("{at}: not allowed"));
        }
        return;
    };
    for key in rules.keys() {
        assert!(
            ANNOTATIONS.contains(&key.as_str()) || RULES.contains(&key.as_str()),
            "the schema uses \"{key}\", which this validator does not check"
        );
    }
    if let Some(r) = rules.get("$ref").and_then(Value::as_str) {
        let target = r
            .strip_prefix('#')
            .and_then(|p| root.pointer(p))
            .unwrap_or_else(|| panic!("unresolved $ref {r}"));
        check(root, target, v, at, errors);
    }
    if let Some(options) = rules.get("anyOf").and_then(Value::as_array) {
        let fits = options
            .iter()
            .filter(|o| validate_at(root, o, v, at).is_empty())
            .count();
        if fits == 0 {
            let detail: Vec<String> = options
                .iter()
                .flat_map(|o| validate_at(root, o, v, at))
                .take(6)
                .collect();
            errors.push(format!(
                "{at}: matches none of anyOf ({})",
                detail.join("; ")
            ));
        }
    }
    if let Some(options) = rules.get("oneOf").and_then(Value::as_array) {
        let fits = options
            .iter()
            .filter(|o| validate_at(root, o, v, at).is_empty())
            .count();
        if fits != 1 {
            errors.push(format!("{at}: matches {fits} of oneOf, not exactly one"));
        }
    }
    if let Some(t) = rules.get("type") {
        let names: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => panic!("bad type in the schema"),
        };
        if !names.iter().any(|n| type_matches(n, v)) {
            errors.push(format!("{at}: {v} is not of type {names:?}"));
            return;
        }
    }
    if let Some(c) = rules.get("const") {
        if !numbers_equal(c, v) {
            errors.push(format!("{at}: {v} is not {c}"));
        }
    }
    if let Some(list) = rules.get("enum").and_then(Value::as_array) {
        if !list.iter().any(|c| numbers_equal(c, v)) {
            errors.push(format!("{at}: {v} is not one of {list:?}"));
        }
    }
    if let Some(n) = v.as_f64() {
        if let Some(min) = rules.get("minimum").and_then(Value::as_f64) {
            if n < min {
                errors.push(format!("{at}: {n} < minimum {min}"));
            }
        }
        if let Some(max) = rules.get("maximum").and_then(Value::as_f64) {
            if n > max {
                errors.push(format!("{at}: {n} > maximum {max}"));
            }
        }
    }
    if let Some(obj) = v.as_object() {
        let props = rules.get("properties").and_then(Value::as_object);
        for name in rules
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !obj.contains_key(name) {
                errors.push(format!("{at}: required \"{name}\" is missing"));
            }
        }
        for (name, value) in obj {
            let here = format!("{at}/{name}");
            match props.and_then(|p| p.get(name)) {
                Some(sub) => check(root, sub, value, &here, errors),
                None => match rules.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        errors.push(format!("{here}: property not in the schema"))
                    }
                    Some(sub @ Value::Object(_)) => check(root, sub, value, &here, errors),
                    _ => {}
                },
            }
        }
    }
    if let (Some(items), Some(array)) = (rules.get("items"), v.as_array()) {
        for (i, item) in array.iter().enumerate() {
            check(root, items, item, &format!("{at}/{i}"), errors);
        }
    }
}

fn validate_at(root: &Value, schema: &Value, v: &Value, at: &str) -> Vec<String> {
    let mut errors = Vec::new();
    check(root, schema, v, at, &mut errors);
    errors
}

/// JSON equality where 1 and 1.0 are the same number.
fn numbers_equal(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Panics, naming the violations, when `doc` does not follow the shipped schema.
pub fn assert_valid(doc: &Value, what: &str) {
    let errors = validate(&kpi_schema(), doc);
    assert!(
        errors.is_empty(),
        "{what} does not follow schema/kpi.schema.json:\n{}",
        errors.join("\n")
    );
}
