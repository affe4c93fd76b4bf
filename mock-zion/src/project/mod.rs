//! A team's own Zion project: its data model, where it comes from, and the schema generated
//! from it.
//!
//! A data model comes three ways, all ending as the config's `tables` and `relations`:
//! - `[project] schema = "FILE"` naming Zion's table and relation metadata JSON
//!   ([`metadata`]),
//! - or naming a GraphQL introspection result of the team's live endpoint
//!   ([`introspection`]),
//! - or `[tables.*]` and `[[relations]]` written in the config itself.
//!
//! [`Model`] derives what the schema and the database need from them (system and media
//! columns, constraints, relation fields), and [`sdl`] writes Zion's table API for it.

pub mod functions;
pub mod introspection;
pub mod metadata;
pub mod model;
pub mod sdl;

use std::collections::BTreeMap;

pub use model::{Model, OpType, TableModel};

use crate::config::{RelationConfig, TableConfig};

/// The tables and relations read from a schema file.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// Tables by name, with their columns and unique constraints.
    pub tables: BTreeMap<String, TableConfig>,
    /// Foreign keys between them.
    pub relations: Vec<RelationConfig>,
}

/// Reads a schema file: Zion metadata JSON, or a GraphQL introspection result (an object
/// with `__schema`, or `data.__schema`).
///
/// # Errors
/// What is wrong, with the JSON path or line where it is.
///
/// ```
/// let imported = mock_zion::project::import(r#"{"tables": [
///   {"name": "plan", "columnMetadata": [{"name": "id", "type": "BIGINT"}, {"name": "title", "type": "TEXT"}]}
/// ]}"#).unwrap();
/// assert_eq!(imported.tables["plan"].columns["title"], mock_zion::config::ColumnType::String);
/// ```
pub fn import(text: &str) -> Result<Imported, String> {
    let probe: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let schema = probe
        .get("__schema")
        .or_else(|| probe.get("data").and_then(|d| d.get("__schema")));
    match schema {
        Some(schema) => introspection::parse(schema),
        None => metadata::parse(text),
    }
}
