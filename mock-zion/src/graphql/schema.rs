//! The schema a mock instance serves: the shared Zion SDL (`schema/zion.graphql`) plus Zion's
//! generated table API for every table of the project.
//!
//! Keeping the shared part as an SDL file means a team's real Zion schema can replace it
//! later without code changes.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use apollo_compiler::validation::Valid;
use apollo_compiler::Schema;

use crate::config::ProjectConfig;
use crate::project::Model;

/// The SDL every Zion project shares.
pub const ZION_SDL: &str = include_str!("../../schema/zion.graphql");

/// The full SDL for a project: [`ZION_SDL`] followed by Zion's table API for the project's
/// tables (see [`crate::project::sdl`]).
///
/// ```
/// let sdl = mock_zion::graphql::schema::project_sdl(&mock_zion::ProjectConfig::default());
/// assert!(sdl.contains("order_by_pk(id: bigint!): order"));
/// ```
pub fn project_sdl(config: &ProjectConfig) -> String {
    let mut sdl = String::from(ZION_SDL);
    sdl.push_str("\n# Generated from the project's data model.\n");
    sdl.push_str(&crate::project::sdl::tables_sdl(&Model::new(config)));
    sdl
}

type Built = (Arc<Model>, Result<Arc<Valid<Schema>>, String>);

/// Schemas already built in this process, by data model: every scenario of a run starts a
/// mock instance of the same project, and parsing a large schema takes far longer than
/// starting an instance should.
static BUILT: LazyLock<Mutex<HashMap<String, Built>>> = LazyLock::new(Default::default);

fn built(config: &ProjectConfig) -> Built {
    let key = serde_json::to_string(&(&config.tables, &config.relations)).unwrap_or_default();
    let mut cache = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry(key)
        .or_insert_with(|| {
            let schema = Schema::parse_and_validate(project_sdl(config), "zion.graphql")
                .map(Arc::new)
                .map_err(|e| e.errors.to_string());
            (Arc::new(Model::new(config)), schema)
        })
        .clone()
}

/// Parses and validates the project's schema, once per data model per process.
///
/// # Errors
/// The validation report, when the config's tables make an invalid schema (a table named
/// like a built-in type, say).
pub fn build(config: &ProjectConfig) -> Result<Arc<Valid<Schema>>, String> {
    built(config).1
}

/// The project's data model, shared by every instance serving the same tables.
pub fn model(config: &ProjectConfig) -> Arc<Model> {
    built(config).0
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
