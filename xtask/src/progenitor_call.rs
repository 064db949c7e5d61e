//! Calling progenitor: the settings every generation uses, and a run with
//! its panics (for a layout nothing else caught) turned into errors. Used by
//! the fall-back rewrite, which asks progenitor what it can generate, and by
//! the progenitor stage.

use std::{panic::AssertUnwindSafe, sync::Mutex};

use crate::runtime_paths::CONTEXT;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::quote;

/// The settings every generation of a spec (as JSON) uses. Its named string
/// enums are replaced by open enums, found at `<types_path>::<Name>`.
pub fn settings_of(raw: &serde_json::Value, types_path: &str) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        .with_inner_type(quote!(#CONTEXT))
        .with_hooks(HooksMode::Expected)
        .with_map_type("::std::collections::BTreeMap");
    for open in crate::open_enums::open_enums(raw) {
        let impls = [progenitor::TypeImpl::Display, progenitor::TypeImpl::FromStr];
        settings.with_replacement(
            &open.rust_name,
            format!("{types_path}::{}", open.rust_name),
            impls.into_iter(),
        );
    }
    settings
}

/// The panic hook is process-wide: one generation at a time swaps it.
static PANIC_HOOK: Mutex<()> = Mutex::new(());

/// progenitor alone on a spec file, as progenitor's own documentation sets
/// it up (builder interface): whether it generates, or why not.
pub fn progenitor_alone(raw: &serde_json::Value) -> Result<(), String> {
    let openapi: openapiv3::OpenAPI =
        serde_json::from_value(raw.clone()).map_err(|e| format!("not read as OpenAPI 3.0: {e}"))?;
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged);
    match without_panicking(|| Generator::new(&settings).generate_tokens(&openapi)) {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(panic_summary(&e.to_string())),
        Err(panic) => Err(format!("panicked: {panic}")),
    }
}

/// progenitor alone's client for a spec, as its own documentation sets it
/// up (builder interface, default settings, no change to its output): what
/// a user gets without this project, for the benchmarks. The open-enum idiom
/// (`anyOf` of a string enum and any string), which progenitor alone cannot
/// read as one type, is read as a plain string.
pub fn progenitor_alone_code(raw: &serde_json::Value) -> Result<String, String> {
    let mut raw = raw.clone();
    if let Some(schemas) = raw
        .pointer_mut("/components/schemas")
        .and_then(serde_json::Value::as_object_mut)
    {
        for schema in schemas.values_mut() {
            if is_open_enum_idiom(schema) {
                let description = schema.get("description").cloned();
                *schema = serde_json::json!({"type": "string"});
                if let Some(description) = description {
                    schema["description"] = description;
                }
            }
        }
    }
    let openapi: openapiv3::OpenAPI =
        serde_json::from_value(raw).map_err(|e| format!("not read as OpenAPI 3.0: {e}"))?;
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged);
    match without_panicking(|| Generator::new(&settings).generate_tokens(&openapi)) {
        Ok(Ok(tokens)) => Ok(tokens.to_string()),
        Ok(Err(e)) => Err(panic_summary(&e.to_string())),
        Err(panic) => Err(format!("panicked: {panic}")),
    }
}

/// `anyOf: [{type: string, enum: [...]}, {type: string}]`.
fn is_open_enum_idiom(schema: &serde_json::Value) -> bool {
    let Some([first, second]) = schema
        .get("anyOf")
        .and_then(serde_json::Value::as_array)
        .map(Vec::as_slice)
    else {
        return false;
    };
    let string = |s: &serde_json::Value| s.get("type").and_then(serde_json::Value::as_str) == Some("string");
    let closed = |s: &serde_json::Value| string(s) && s.get("enum").is_some();
    let open = |s: &serde_json::Value| string(s) && s.get("enum").is_none();
    (closed(first) && open(second)) || (open(first) && closed(second))
}

thread_local! {
    /// Whether this thread runs inside [`without_panicking`] (which may be
    /// called again within: the hook is swapped once).
    static SILENCED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `run`; a panic becomes its message, summarized to one line.
pub fn without_panicking<T>(run: impl FnOnce() -> T) -> Result<T, String> {
    let result = match SILENCED.get() {
        true => std::panic::catch_unwind(AssertUnwindSafe(run)),
        false => {
            let _guard = PANIC_HOOK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(|_| {}));
            SILENCED.set(true);
            let result = std::panic::catch_unwind(AssertUnwindSafe(run));
            SILENCED.set(false);
            std::panic::set_hook(previous);
            result
        }
    };
    result.map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("no message");
        panic_summary(message)
    })
}

/// The first line of progenitor's message, without the debug dump of the
/// schema it failed on, and at most 100 characters.
pub fn panic_summary(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default();
    let line = line
        .find(" Object(")
        .or_else(|| line.find(" ["))
        .map_or(line, |end| &line[..end])
        .trim();
    let mut cut: String = line.chars().take(100).collect();
    if cut.len() < line.len() {
        cut += "...";
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_at_any_depth() {
        let inner = without_panicking(|| without_panicking(|| -> u8 { panic!("deep inside") }));
        assert_eq!(inner, Ok(Err("deep inside".to_owned())));
        let outer = without_panicking(|| {
            let _ = without_panicking(|| 1);
            panic!("after a call within")
        });
        assert_eq!(outer, Err::<(), _>("after a call within".to_owned()));
        assert_eq!(without_panicking(|| 7), Ok(7));
    }
}
