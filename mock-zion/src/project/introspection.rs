//! Reads a team's data model back from a GraphQL introspection result of its live Zion
//! endpoint (the standard introspection query's answer, as GraphiQL or
//! `get-graphql-schema` save it).
//!
//! A table is a type `T` with a root query field `T_by_pk`. Its columns are its scalar fields
//! (a media field `cover_image: FZ_Image` stands for the stored `cover_image_id`); its object
//! and list fields of other table types are relation ends. Introspection does not say which
//! column holds a foreign key, so mock-zion uses Zion's naming of foreign keys,
//! `<nameInTarget>_<sourceTable>` (`author_account`, `post_post`), to find the referencing
//! side; a relation it cannot place is an error that suggests the metadata JSON instead.
//! Unique constraints are read from `T_constraint`, their columns from Zion's constraint
//! names (`<table>_<columns>_key`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::Imported;
use crate::config::{ColumnType, RelationConfig, RelationKind, TableConfig};

/// A field's type with its wrappers taken off: the named type and whether it is a list.
fn named_type(ty: &Value) -> (Option<&str>, bool) {
    let mut ty = ty;
    let mut list = false;
    loop {
        match ty.get("kind").and_then(Value::as_str) {
            Some("NON_NULL") => {}
            Some("LIST") => list = true,
            _ => return (ty.get("name").and_then(Value::as_str), list),
        }
        ty = &ty["ofType"];
    }
}

fn column_type(scalar: &str) -> Option<ColumnType> {
    Some(match scalar {
        "bigint" | "Long" => ColumnType::Bigint,
        "Int" => ColumnType::Int,
        "Float" => ColumnType::Float,
        "Float8" | "float8" => ColumnType::Float8,
        "Decimal" | "numeric" | "BigDecimal" => ColumnType::Decimal,
        "String" => ColumnType::String,
        "Boolean" => ColumnType::Boolean,
        "Json" => ColumnType::Json,
        "jsonb" => ColumnType::Jsonb,
        "timestamptz" => ColumnType::Timestamptz,
        "timetz" => ColumnType::Timetz,
        "date" => ColumnType::Date,
        "geography" => ColumnType::Geography,
        "FZ_Image" => ColumnType::Image,
        "FZ_File" => ColumnType::File,
        "FZ_Video" => ColumnType::Video,
        _ => return None,
    })
}

struct Field<'a> {
    name: &'a str,
    ty: Option<&'a str>,
    list: bool,
}

/// Reads the `__schema` object of an introspection result.
pub(crate) fn parse(schema: &Value) -> Result<Imported, String> {
    let types: BTreeMap<&str, &Value> = schema["types"]
        .as_array()
        .ok_or("__schema.types is not a list: is this an introspection result?")?
        .iter()
        .filter_map(|t| Some((t.get("name")?.as_str()?, t)))
        .collect();
    let query = schema["queryType"]["name"].as_str().unwrap_or("Query");
    let root = types
        .get(query)
        .ok_or_else(|| format!("__schema has no query type `{query}`"))?;
    fn fields(ty: &Value) -> Vec<Field<'_>> {
        ty["fields"]
            .as_array()
            .map(|fields| {
                fields
                    .iter()
                    .filter_map(|f| {
                        let (ty, list) = named_type(&f["type"]);
                        Some(Field {
                            name: f["name"].as_str()?,
                            ty,
                            list,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
    let table_names: BTreeSet<&str> = fields(root)
        .iter()
        .filter_map(|f| {
            let table = f.name.strip_suffix("_by_pk")?;
            (f.ty == Some(table) && types.contains_key(table)).then_some(table)
        })
        .collect();
    if table_names.is_empty() {
        return Err(format!(
            "__schema: the query type `{query}` has no `<table>_by_pk` field, so no Zion table was found"
        ));
    }
    let mut tables = BTreeMap::new();
    // (table, field, related table, is list)
    let mut ends: Vec<(&str, &str, &str, bool)> = Vec::new();
    for &table in &table_names {
        let mut config = TableConfig::default();
        let fields = fields(types[table]);
        let media: BTreeSet<String> = fields
            .iter()
            .filter(|f| f.ty.and_then(column_type).is_some_and(ColumnType::is_media))
            .map(|f| format!("{}_id", f.name))
            .collect();
        for field in &fields {
            let Some(ty) = field.ty else { continue };
            if table_names.contains(ty) {
                ends.push((table, field.name, ty, field.list));
            } else if let Some(column) = column_type(ty) {
                if !field.list && !media.contains(field.name) {
                    config.columns.insert(field.name.to_string(), column);
                }
            }
        }
        if let Some(constraints) = types
            .get(format!("{table}_constraint").as_str())
            .and_then(|e| e["enumValues"].as_array())
        {
            for value in constraints.iter().filter_map(|v| v["name"].as_str()) {
                let columns = constraint_columns(table, value, &config)?;
                config.unique.insert(value.to_string(), columns);
            }
        }
        tables.insert(table.to_string(), config);
    }
    let relations = pair_relations(&tables, &ends)?;
    Ok(Imported { tables, relations })
}

/// The columns of a constraint, from Zion's naming: `<table>_pkey`, `<table>_id_key`,
/// `<table>_<col>[_<col>…]_key`.
fn constraint_columns(
    table: &str,
    name: &str,
    config: &TableConfig,
) -> Result<Vec<String>, String> {
    if name == format!("{table}_pkey") {
        return Ok(vec!["id".into()]);
    }
    let inner = name
        .strip_prefix(&format!("{table}_"))
        .and_then(|n| n.strip_suffix("_key"));
    let known = |c: &str| c == "id" || config.columns.contains_key(c);
    if let Some(inner) = inner {
        if known(inner) {
            return Ok(vec![inner.to_string()]);
        }
        // Several columns joined by `_`: split where every part is a column.
        if let Some(columns) = split_columns(inner, &known) {
            return Ok(columns);
        }
    }
    Err(format!(
        "__schema: cannot tell the columns of constraint `{name}` of table `{table}` from its name; give the data model as Zion metadata JSON instead (constraintMetadata names them)"
    ))
}

fn split_columns(text: &str, known: &dyn Fn(&str) -> bool) -> Option<Vec<String>> {
    if known(text) {
        return Some(vec![text.to_string()]);
    }
    for (i, _) in text.match_indices('_') {
        let (head, tail) = (&text[..i], &text[i + 1..]);
        if known(head) {
            if let Some(mut rest) = split_columns(tail, known) {
                rest.insert(0, head.to_string());
                return Some(rest);
            }
        }
    }
    None
}

/// Pairs relation ends into relations. A to-one field `g` on `U` of table type `T` whose
/// foreign key column `<g>_<T>` is a column of `U` is the referencing end; its referenced end
/// is the one field of `T` of type `U` that is not itself a referencing end.
fn pair_relations(
    tables: &BTreeMap<String, TableConfig>,
    ends: &[(&str, &str, &str, bool)],
) -> Result<Vec<RelationConfig>, String> {
    let is_referencing = |(table, field, other, list): &(&str, &str, &str, bool)| {
        !list
            && tables[*table]
                .columns
                .contains_key(&format!("{field}_{other}"))
    };
    let mut used: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut relations = Vec::new();
    for end in ends.iter().filter(|e| is_referencing(e)) {
        let (target, name_in_target, source, _) = *end;
        let candidates: Vec<&(&str, &str, &str, bool)> = ends
            .iter()
            .filter(|e| e.0 == source && e.2 == target && !is_referencing(e))
            .filter(|e| !used.contains(&(e.0, e.1)))
            .collect();
        let [source_end] = candidates.as_slice() else {
            return Err(format!(
                "__schema: relation `{target}.{name_in_target}` → `{source}`: {} fields of `{source}` could be its other end; give the data model as Zion metadata JSON instead (relationMetadata names both ends)",
                candidates.len()
            ));
        };
        used.insert((source_end.0, source_end.1));
        relations.push(RelationConfig {
            kind: if source_end.3 {
                RelationKind::OneToMany
            } else {
                RelationKind::OneToOne
            },
            source_table: source.to_string(),
            source_column: "id".into(),
            target_table: target.to_string(),
            target_column: format!("{name_in_target}_{source}"),
            name_in_source: source_end.1.to_string(),
            name_in_target: name_in_target.to_string(),
        });
    }
    if let Some(lost) = ends
        .iter()
        .find(|e| !is_referencing(e) && !used.contains(&(e.0, e.1)))
    {
        return Err(format!(
            "__schema: field `{}.{}` leads to table `{}`, but no column of either table looks like its foreign key (`<field>_<table>`); give the data model as Zion metadata JSON instead",
            lost.0, lost.1, lost.2
        ));
    }
    relations.sort_by(|a, b| {
        (&a.source_table, &a.name_in_source).cmp(&(&b.source_table, &b.name_in_source))
    });
    Ok(relations)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(name: &str, fields: &[(&str, &str, &str)]) -> Value {
        let fields: Vec<Value> = fields
            .iter()
            .map(|(field, kind, ty)| {
                let named = json!({"kind": kind, "name": ty, "ofType": null});
                let ty = if *kind == "LIST" {
                    json!({"kind": "LIST", "name": null, "ofType": {"kind": "OBJECT", "name": ty, "ofType": null}})
                } else {
                    named
                };
                json!({"name": field, "type": ty})
            })
            .collect();
        json!({"kind": "OBJECT", "name": name, "fields": fields})
    }

    fn schema(types: Vec<Value>, tables: &[&str]) -> Value {
        let query: Vec<(String, &str, &str)> = tables
            .iter()
            .map(|t| (format!("{t}_by_pk"), "OBJECT", *t))
            .collect();
        let query: Vec<(&str, &str, &str)> =
            query.iter().map(|(a, b, c)| (a.as_str(), *b, *c)).collect();
        let mut types = types;
        types.push(object("Query", &query));
        json!({"queryType": {"name": "Query"}, "types": types})
    }

    #[test]
    fn a_foreign_key_is_found_by_zions_naming() {
        let imported = parse(&schema(
            vec![
                object(
                    "account",
                    &[("id", "SCALAR", "bigint"), ("posts", "LIST", "post")],
                ),
                object(
                    "post",
                    &[
                        ("id", "SCALAR", "bigint"),
                        ("author_account", "SCALAR", "bigint"),
                        ("author", "OBJECT", "account"),
                    ],
                ),
            ],
            &["account", "post"],
        ))
        .unwrap();
        assert_eq!(
            imported.relations,
            vec![RelationConfig {
                kind: RelationKind::OneToMany,
                source_table: "account".into(),
                source_column: "id".into(),
                target_table: "post".into(),
                target_column: "author_account".into(),
                name_in_source: "posts".into(),
                name_in_target: "author".into(),
            }]
        );
    }

    #[test]
    fn two_relations_between_the_same_tables_are_ambiguous() {
        let e = parse(&schema(
            vec![
                object(
                    "account",
                    &[
                        ("id", "SCALAR", "bigint"),
                        ("posts", "LIST", "post"),
                        ("reviewed", "LIST", "post"),
                    ],
                ),
                object(
                    "post",
                    &[
                        ("id", "SCALAR", "bigint"),
                        ("author_account", "SCALAR", "bigint"),
                        ("author", "OBJECT", "account"),
                    ],
                ),
            ],
            &["account", "post"],
        ))
        .unwrap_err();
        assert!(
            e.contains("2 fields of `account` could be its other end"),
            "{e}"
        );
        assert!(e.contains("metadata JSON"), "{e}");
    }

    #[test]
    fn a_result_without_tables_is_named() {
        let e = parse(&schema(vec![], &[])).unwrap_err();
        assert!(e.contains("no `<table>_by_pk` field"), "{e}");
    }
}
