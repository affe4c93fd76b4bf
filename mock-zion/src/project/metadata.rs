//! Reads a team's data model from Zion's own metadata JSON: the `TableMetadata` and
//! `RelationMetadata` lists that Zion's editor and its MCP server (`get_project_schema`)
//! give, as Zion's database rules show them.
//!
//! The file is an object with the two lists — `{"tables": […], "relations": […]}`
//! (`tableMetadata` / `relationMetadata` are read too). Fields mock-zion does not use
//! (`displayName`, descriptions, …) are read past.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::Imported;
use crate::config::{ColumnType, RelationConfig, TableConfig};

#[derive(Deserialize)]
struct File {
    #[serde(alias = "tableMetadata", alias = "tableMetadataList")]
    tables: Vec<TableMetadata>,
    #[serde(default, alias = "relationMetadata", alias = "relationMetadataList")]
    relations: Vec<RelationConfigLoose>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TableMetadata {
    name: String,
    column_metadata: Vec<ColumnMetadata>,
    #[serde(default)]
    constraint_metadata: Vec<ConstraintMetadata>,
}

#[derive(Deserialize)]
struct ColumnMetadata {
    name: String,
    #[serde(rename = "type")]
    ty: ColumnType,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConstraintMetadata {
    name: String,
    #[serde(default)]
    composite_unique_columns: Vec<String>,
    #[serde(default)]
    primary_key_columns: Vec<String>,
}

/// `RelationMetadata` with the fields mock-zion does not use read past.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RelationConfigLoose {
    #[serde(rename = "type")]
    kind: crate::config::RelationKind,
    source_table: String,
    #[serde(default = "id")]
    source_column: String,
    target_table: String,
    target_column: String,
    name_in_source: String,
    name_in_target: String,
}

fn id() -> String {
    "id".into()
}

/// Parses Zion metadata JSON. Errors name the JSON path (`tables[0].columnMetadata[2].type`)
/// or the line and column of a syntax error.
pub(crate) fn parse(text: &str) -> Result<Imported, String> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let file: File = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            format!("not valid JSON: {inner}")
        } else {
            format!("at {path}: {inner}")
        }
    })?;
    let mut tables = BTreeMap::new();
    for (i, table) in file.tables.into_iter().enumerate() {
        let mut config = TableConfig::default();
        for column in table.column_metadata {
            config.columns.insert(column.name, column.ty);
        }
        for constraint in table.constraint_metadata {
            let columns = if constraint.primary_key_columns.is_empty() {
                constraint.composite_unique_columns
            } else {
                constraint.primary_key_columns
            };
            if columns.is_empty() {
                return Err(format!(
                    "at tables[{i}].constraintMetadata: constraint `{}` names no columns (compositeUniqueColumns or primaryKeyColumns)",
                    constraint.name
                ));
            }
            config.unique.insert(constraint.name, columns);
        }
        if tables.insert(table.name.clone(), config).is_some() {
            return Err(format!(
                "at tables[{i}]: table `{}` is listed twice",
                table.name
            ));
        }
    }
    let relations = file
        .relations
        .into_iter()
        .map(|r| RelationConfig {
            kind: r.kind,
            source_table: r.source_table,
            source_column: r.source_column,
            target_table: r.target_table,
            target_column: r.target_column,
            name_in_source: r.name_in_source,
            name_in_target: r.name_in_target,
        })
        .collect();
    Ok(Imported { tables, relations })
}
