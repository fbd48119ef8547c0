//! An entry's `details`: canonical JSON (keys sorted, no spaces), stored and hashed as text, so a
//! third party hashes exactly the bytes in the export.

use std::collections::BTreeMap;

use serde_json::Value;

/// What changed and why.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Details {
    changes: BTreeMap<String, (Value, Value)>,
    facts: BTreeMap<String, Value>,
}

impl Details {
    /// No details.
    pub fn new() -> Self {
        Self::default()
    }

    /// A field's value before and after; left out when they are equal.
    pub fn change(
        mut self,
        field: &str,
        before: impl Into<Value>,
        after: impl Into<Value>,
    ) -> Self {
        let (before, after) = (before.into(), after.into());
        if before != after {
            self.changes.insert(field.to_owned(), (before, after));
        }
        self
    }

    /// A field's value on creation.
    pub fn created(self, field: &str, value: impl Into<Value>) -> Self {
        self.change(field, Value::Null, value)
    }

    /// Any other fact (a reason, a count, a path).
    pub fn fact(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.facts.insert(name.to_owned(), value.into());
        self
    }

    /// Whether any field changed.
    pub fn has_changes(&self) -> bool {
        !self.changes.is_empty()
    }

    /// The canonical JSON text: `{"changes":{"field":{"after":…,"before":…}},"fact":…}`.
    pub fn to_canonical(&self) -> String {
        // A BTreeMap serialises in key order whatever serde_json's features; nested objects are
        // built in key order too, so the text is canonical either way.
        let mut root: BTreeMap<String, Value> = BTreeMap::new();
        if !self.changes.is_empty() {
            let changes: serde_json::Map<String, Value> = self
                .changes
                .iter()
                .map(|(field, (before, after))| {
                    let mut pair = serde_json::Map::new();
                    pair.insert("after".into(), after.clone());
                    pair.insert("before".into(), before.clone());
                    (field.clone(), Value::Object(pair))
                })
                .collect();
            root.insert("changes".into(), Value::Object(changes));
        }
        for (name, value) in &self.facts {
            root.insert(name.clone(), value.clone());
        }
        serde_json::to_string(&root).unwrap_or_else(|_| "{}".to_owned())
    }
}

/// One changed field, as history pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// The field.
    pub field: String,
    /// Before, as text ("" when absent).
    pub before: String,
    /// After, as text.
    pub after: String,
}

/// Reads the changes back out of stored details (for history pages).
pub fn changes_of(details: &str) -> Vec<FieldChange> {
    let text = |v: &Value| match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    serde_json::from_str::<Value>(details)
        .ok()
        .and_then(|v| v.get("changes").and_then(Value::as_object).cloned())
        .map(|changes| {
            changes
                .iter()
                .map(|(field, pair)| FieldChange {
                    field: field.clone(),
                    before: pair.get("before").map(text).unwrap_or_default(),
                    after: pair.get("after").map(text).unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The `reason` fact, if any.
pub fn reason_of(details: &str) -> Option<String> {
    serde_json::from_str::<Value>(details)
        .ok()?
        .get("reason")?
        .as_str()
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_and_drops_unchanged_fields() {
        let details = Details::new()
            .change("name_en", "Al-Qaim", "Al-Qaim crossing")
            .change("country", "IQ", "IQ")
            .fact("reason", "typo")
            .fact("active", true);
        assert_eq!(
            details.to_canonical(),
            r#"{"active":true,"changes":{"name_en":{"after":"Al-Qaim crossing","before":"Al-Qaim"}},"reason":"typo"}"#
        );
        let back = changes_of(&details.to_canonical());
        assert_eq!(
            back,
            [FieldChange {
                field: "name_en".into(),
                before: "Al-Qaim".into(),
                after: "Al-Qaim crossing".into()
            }]
        );
        assert_eq!(reason_of(&details.to_canonical()).as_deref(), Some("typo"));
        assert_eq!(Details::new().to_canonical(), "{}");
    }
}
