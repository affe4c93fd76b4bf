//! The schema a mock instance serves: the shared Zion SDL (`schema/zion.graphql`) plus a
//! type and a `<table>_by_pk(id: bigint!)` query field for every configured table.
//!
//! Keeping the shared part as an SDL file means a team's real Zion schema can replace it
//! later without code changes.

use apollo_compiler::validation::Valid;
use apollo_compiler::Schema;

use crate::config::ProjectConfig;

/// The SDL every Zion project shares.
pub const ZION_SDL: &str = include_str!("../../schema/zion.graphql");

/// The full SDL for a project: [`ZION_SDL`] followed by the project's tables.
///
/// ```
/// let sdl = mock_zion::graphql::schema::project_sdl(&mock_zion::ProjectConfig::default());
/// assert!(sdl.contains("order_by_pk(id: bigint!): order"));
/// ```
pub fn project_sdl(config: &ProjectConfig) -> String {
    let mut sdl = String::from(ZION_SDL);
    sdl.push_str("\n# Generated from the project config's tables.\n");
    for (name, table) in &config.tables {
        sdl.push_str(&format!("\n\"A row of table `{name}`.\"\ntype {name} {{\n"));
        for (column, ty) in &table.columns {
            let bang = if column == "id" { "!" } else { "" };
            sdl.push_str(&format!("  {column}: {}{bang}\n", ty.graphql_name()));
        }
        sdl.push_str("}\n");
    }
    sdl.push_str("\ntype Query {\n");
    for name in config.tables.keys() {
        sdl.push_str(&format!(
            "  \"Reads one `{name}` row by primary key; null when it does not exist or is not the caller's.\"\n  {name}_by_pk(id: bigint!): {name}\n"
        ));
    }
    sdl.push_str("}\n");
    sdl
}

/// Parses and validates the project's schema.
///
/// # Errors
/// The validation report, when the config's tables make an invalid schema (a table named
/// like a built-in type, say).
pub fn build(config: &ProjectConfig) -> Result<Valid<Schema>, String> {
    Schema::parse_and_validate(project_sdl(config), "zion.graphql")
        .map_err(|e| e.errors.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_schema_is_valid_and_has_the_seed_fields() {
        let schema = build(&ProjectConfig::default()).unwrap();
        let mutation = schema.get_object("Mutation").unwrap();
        for field in [
            "fz_invoke_action_flow",
            "alipayTrade",
            "createWechatPayment",
        ] {
            assert!(mutation.fields.contains_key(field), "{field}");
        }
        let query = schema.get_object("Query").unwrap();
        assert!(query.fields.contains_key("order_by_pk"));
        assert!(query.fields.contains_key("account_by_pk"));
    }

    #[test]
    fn a_table_named_like_a_shared_type_is_reported() {
        let mut config = ProjectConfig::default();
        let table = config.tables["order"].clone();
        config.tables.insert("SignResult".into(), table);
        let e = build(&config).unwrap_err();
        assert!(e.contains("SignResult"), "{e}");
    }
}
