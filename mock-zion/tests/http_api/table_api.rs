//! Zion's generated table API on a team's own data model: the blog project of Zion's
//! database rules (`tests/fixtures/blog`), its example operations, filters, relations,
//! aggregates, writes and row permissions, over real HTTP.

use mock_zion::{MockZion, ProjectConfig};
use serde_json::{json, Value};

use crate::support::gql;

const ALICE: &str = "alice-token";
const BOB: &str = "bob-token";

fn blog_config() -> ProjectConfig {
    ProjectConfig::from_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/blog/zion-e2e.toml"
    ))
    .unwrap()
}

async fn blog() -> MockZion {
    MockZion::start(blog_config()).await.unwrap()
}

/// Runs a query that must succeed; returns its `data`.
async fn data(zion: &MockZion, token: Option<&str>, query: &str, variables: Value) -> Value {
    let (_, body) = gql(zion, token, query, variables).await;
    assert!(body.get("errors").is_none(), "{query}\n→ {body}");
    body["data"].clone()
}

/// Runs a query that must fail; returns its first error's message and code.
async fn error(
    zion: &MockZion,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> (String, String) {
    let (_, body) = gql(zion, token, query, variables).await;
    let error = &body["errors"][0];
    assert!(error.is_object(), "expected an error: {query}\n→ {body}");
    (
        error["message"].as_str().unwrap_or_default().to_string(),
        error["extensions"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

fn row(value: Value) -> serde_json::Map<String, Value> {
    value.as_object().unwrap().clone()
}

/// Seeds posts with chosen creation times (system columns can be set through the Rust API).
fn seed_posts(zion: &MockZion) {
    let posts = [
        (1, "2024 Recap", "2024-12-20T10:00:00Z", 1800),
        (1, "Weekly notes", "2024-12-02T10:00:00Z", 2000),
        (1, "Summary of the summer", "2025-08-01T10:00:00Z", 1600),
        (2, "year-end SUMMARY", "2025-12-30T10:00:00Z", 900),
        (2, "Old recap", "2010-12-10T10:00:00Z", 3000),
    ];
    for (author, title, at, words) in posts {
        let id = zion
            .insert_row("post", row(json!({"title": title, "author_account": author, "created_at": at, "content": null})))
            .unwrap();
        zion.insert_row(
            "post_meta",
            row(json!({"post_post": id, "word_count": words, "seo_title": title})),
        )
        .unwrap();
    }
}

#[tokio::test]
async fn the_schema_from_metadata_equals_the_schema_from_introspection() {
    use mock_zion::graphql::schema::project_sdl;
    let from_metadata = project_sdl(&blog_config());

    // A saved introspection of a live endpoint (with fields mock-zion does not model).
    let config = ProjectConfig::from_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/blog/zion-e2e.introspection.toml"
    ))
    .unwrap();
    assert_eq!(project_sdl(&config), from_metadata, "saved introspection");

    // The full standard introspection query against the mock serving the metadata.
    let zion = blog().await;
    let answer = data(&zion, Some(ALICE), INTROSPECTION_QUERY, json!({})).await;
    let imported = mock_zion::project::import(&json!({"data": answer}).to_string()).unwrap();
    let mut config = blog_config();
    config.tables = imported.tables;
    config.tables.get_mut("post").unwrap().owner = Some("author_account".into());
    config.tables.get_mut("tag").unwrap().public = true;
    config.relations = imported.relations;
    assert_eq!(project_sdl(&config), from_metadata, "live introspection");
}

#[tokio::test]
async fn the_walkthrough_filter_of_zions_rules_finds_the_year_end_summaries() {
    let zion = blog().await;
    seed_posts(&zion);
    // Zion's own example, as its rules assemble it (the `increase` flag wrapped as a boolean
    // operand, as the rules' note on `adjust` requires).
    let filter = json!({"_and": [
        {"_or": [
            {"_ilike": {"text_operand": {"left_operand": {"column": "title"}, "right_operand": {"literal": "%Recap%"}}}},
            {"_ilike": {"text_operand": {"left_operand": {"column": "title"}, "right_operand": {"literal": "%Summary%"}}}}
        ]},
        {"_eq": {"bigint_operand": {
            "left_operand": {"extract_timestamptz": {"time": {"column": "created_at"}, "unit": "MONTH"}},
            "right_operand": {"literal": "12"}
        }}},
        {"_gte": {"timestamptz_operand": {
            "left_operand": {"column": "created_at"},
            "right_operand": {"adjust": {"timestamptz": {"nullary_func": "now"}, "increase": {"literal": false}, "years": {"literal": "10"}}}
        }}},
        {"meta": {"_gt": {"bigint_operand": {"left_operand": {"column": "word_count"}, "right_operand": {"literal": "1500"}}}}}
    ]});
    let query = "query($where: post_bool_exp) { post(where: $where, order_by: {created_at: asc}) { title meta { word_count } } }";
    let found = data(&zion, Some(ALICE), query, json!({"where": filter})).await;
    // Bob's "year-end SUMMARY" is his; "Old recap" is older than ten years; "Weekly notes"
    // is no recap; the summer summary is not December.
    assert_eq!(
        found,
        json!({"post": [{"title": "2024 Recap", "meta": {"word_count": 1800}}]})
    );
    let found = data(&zion, Some(BOB), query, json!({"where": filter})).await;
    assert_eq!(found["post"], json!([]), "Bob's summary has 900 words");
}

#[tokio::test]
async fn the_year_filter_extracts_the_year() {
    let zion = blog().await;
    seed_posts(&zion);
    let filter = json!({"_eq": {"bigint_operand": {
        "left_operand": {"extract_timestamptz": {"time": {"column": "created_at"}, "unit": "YEAR"}},
        "right_operand": {"literal": "2024"}
    }}});
    let found = data(
        &zion,
        Some(ALICE),
        "query($w: post_bool_exp) { post(where: $w, order_by: [{title: asc}]) { title } }",
        json!({"w": filter}),
    )
    .await;
    assert_eq!(
        found,
        json!({"post": [{"title": "2024 Recap"}, {"title": "Weekly notes"}]})
    );
}

#[tokio::test]
async fn a_hasura_style_filter_is_refused_with_zions_form() {
    let zion = blog().await;
    // As a literal: validation names the unknown field and shows Zion's form.
    let (message, code) = error(
        &zion,
        Some(ALICE),
        "{ post(where: {id: {_eq: 1}}) { id } }",
        json!({}),
    )
    .await;
    assert_eq!(code, "GRAPHQL_VALIDATION_FAILED");
    assert!(message.contains("post_bool_exp"), "{message}");
    assert!(message.contains("{_eq: {bigint_operand: {left_operand: {column: id}, right_operand: {literal: \"1\"}}}}"), "{message}");
    // Through a variable, as apps send filters.
    let (message, _) = error(
        &zion,
        Some(ALICE),
        "query($w: post_bool_exp) { post(where: $w) { id } }",
        json!({"w": {"title": {"_eq": "Hello"}}}),
    )
    .await;
    assert!(message.contains("{_eq: {text_operand: {left_operand: {column: title}, right_operand: {literal: \"Hello\"}}}}"), "{message}");
}

#[tokio::test]
async fn an_operand_with_two_keys_breaks_one_of() {
    let zion = blog().await;
    let filter = json!({"_eq": {"bigint_operand": {"left_operand": {"column": "id", "literal": "1"}, "right_operand": {"literal": "1"}}}});
    let (message, _) = error(
        &zion,
        Some(ALICE),
        "query($w: post_bool_exp) { post(where: $w) { id } }",
        json!({"w": filter}),
    )
    .await;
    assert!(
        message.contains("\"post_bigint_op\" must specify exactly one key"),
        "{message}"
    );
}

#[tokio::test]
async fn nested_inserts_relations_and_aggregates() {
    let zion = blog().await;
    let tags = data(
        &zion,
        Some(ALICE),
        r#"mutation { insert_tag(objects: [{name: "rust"}, {name: "sql"}, {name: "web"}]) { affected_rows returning { id name } } }"#,
        json!({}),
    )
    .await;
    assert_eq!(tags["insert_tag"]["affected_rows"], 3);
    let rust = tags["insert_tag"]["returning"][0]["id"].clone();
    let sql = tags["insert_tag"]["returning"][1]["id"].clone();
    let insert = r#"mutation($post: post_insert_input!) {
        insert_post_one(object: $post) { id title author_account author { name } meta { seo_title } post_tags { tag { name } } }
    }"#;
    let post = json!({"title": "Hello", "content": "…", "meta": {"data": {"seo_title": "Hi", "word_count": 120}},
                      "post_tags": {"data": [{"tag_tag": rust}, {"tag_tag": sql}]}});
    let inserted = data(&zion, Some(ALICE), insert, json!({"post": post})).await;
    let created = &inserted["insert_post_one"];
    // The owner column was filled with the caller's account.
    assert_eq!(created["author_account"], 1);
    assert_eq!(created["author"], json!({"name": "Alice"}));
    assert_eq!(created["meta"], json!({"seo_title": "Hi"}));
    assert_eq!(
        created["post_tags"],
        json!([{"tag": {"name": "rust"}}, {"tag": {"name": "sql"}}])
    );

    let aggregates = data(
        &zion,
        Some(ALICE),
        r#"{ tag(order_by: [{post_tags_aggregate: {count: desc}}, {name: asc}]) { name post_tags_aggregate { aggregate { count } } }
             post_tag_aggregate { aggregate { count(columns: [tag_tag], distinct: true) max { tag_tag } } } }"#,
        json!({}),
    )
    .await;
    assert_eq!(
        aggregates["tag"],
        json!([
            {"name": "rust", "post_tags_aggregate": {"aggregate": {"count": 1}}},
            {"name": "sql", "post_tags_aggregate": {"aggregate": {"count": 1}}},
            {"name": "web", "post_tags_aggregate": {"aggregate": {"count": 0}}}
        ])
    );
    assert_eq!(aggregates["post_tag_aggregate"]["aggregate"]["count"], 2);
    assert_eq!(
        aggregates["post_tag_aggregate"]["aggregate"]["max"]["tag_tag"],
        sql
    );
}

#[tokio::test]
async fn on_conflict_updates_or_does_nothing() {
    let zion = blog().await;
    let upsert = r#"mutation($name: String!, $update: [tag_update_column!]!) {
        insert_tag(objects: [{name: $name}], on_conflict: {constraint: tag_name_key, update_columns: $update}) { affected_rows returning { id name } }
    }"#;
    let first = data(
        &zion,
        Some(ALICE),
        upsert,
        json!({"name": "rust", "update": []}),
    )
    .await;
    assert_eq!(first["insert_tag"]["affected_rows"], 1);
    let again = data(
        &zion,
        Some(ALICE),
        upsert,
        json!({"name": "rust", "update": []}),
    )
    .await;
    assert_eq!(
        again["insert_tag"],
        json!({"affected_rows": 0, "returning": []})
    );
    let updated = data(
        &zion,
        Some(ALICE),
        upsert,
        json!({"name": "rust", "update": ["name"]}),
    )
    .await;
    assert_eq!(
        updated["insert_tag"]["returning"][0]["id"],
        first["insert_tag"]["returning"][0]["id"]
    );
    // Without on_conflict the constraint refuses the duplicate.
    let (message, code) = error(
        &zion,
        Some(ALICE),
        r#"mutation { insert_tag_one(object: {name: "rust"}) { id } }"#,
        json!({}),
    )
    .await;
    assert_eq!(code, "CONSTRAINT_VIOLATION");
    assert!(message.contains("tag.name"), "{message}");
    // The rules' own example: update the title and content when the primary key conflicts.
    let example = data(
        &zion,
        Some(ALICE),
        "mutation InsertPost($object: post_insert_input!) { insert_post(objects: [$object], on_conflict: {constraint: post_pkey, update_columns: [title, content]}) { returning { id } } }",
        json!({"object": {"title": "T", "content": "C"}}),
    )
    .await;
    assert_eq!(
        example["insert_post"]["returning"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn distinct_on_keeps_the_first_row_of_each_group() {
    let zion = blog().await;
    for (title, at) in [
        ("A", "2024-01-01T00:00:00Z"),
        ("A", "2024-03-01T00:00:00Z"),
        ("B", "2024-02-01T00:00:00Z"),
    ] {
        zion.insert_row(
            "post",
            row(json!({"title": title, "created_at": at, "author_account": 1})),
        )
        .unwrap();
    }
    let latest = data(
        &zion,
        Some(ALICE),
        "{ post(distinct_on: [title], order_by: [{title: asc}, {created_at: desc}]) { title created_at } }",
        json!({}),
    )
    .await;
    assert_eq!(
        latest["post"],
        json!([{"title": "A", "created_at": "2024-03-01T00:00:00.000Z"}, {"title": "B", "created_at": "2024-02-01T00:00:00.000Z"}])
    );
    let (message, _) = error(
        &zion,
        Some(ALICE),
        "{ post(distinct_on: [title], order_by: [{created_at: desc}]) { id } }",
        json!({}),
    )
    .await;
    assert!(
        message.contains("\"distinct_on\" columns must match initial \"order_by\" columns"),
        "{message}"
    );
}

#[tokio::test]
async fn nulls_follow_sql_three_valued_logic_and_order() {
    let zion = blog().await;
    for title in [Some("b"), None, Some("a")] {
        zion.insert_row("post", row(json!({"title": title, "author_account": 1})))
            .unwrap();
    }
    let q = |where_: Value, order: &str| {
        (
            format!("query($w: post_bool_exp) {{ post(where: $w, order_by: {{title: {order}}}) {{ title }} }}"),
            json!({"w": where_}),
        )
    };
    let titles = |v: &Value| {
        v["post"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["title"].clone())
            .collect::<Vec<_>>()
    };
    let neq = json!({"_neq": {"text_operand": {"left_operand": {"column": "title"}, "right_operand": {"literal": "a"}}}});
    let (query, vars) = q(neq, "asc");
    assert_eq!(
        titles(&data(&zion, Some(ALICE), &query, vars).await),
        [json!("b")],
        "NULL <> 'a' is not true"
    );
    let is_null = json!({"_is_null": {"text_operand": {"column": "title"}}});
    let (query, vars) = q(is_null, "asc");
    assert_eq!(
        titles(&data(&zion, Some(ALICE), &query, vars).await),
        [Value::Null]
    );
    for (order, expected) in [
        ("asc", json!(["a", "b", null])),
        ("desc", json!([null, "b", "a"])),
        ("asc_nulls_first", json!([null, "a", "b"])),
        ("desc_nulls_last", json!(["b", "a", null])),
    ] {
        let (query, vars) = q(json!({}), order);
        assert_eq!(
            json!(titles(&data(&zion, Some(ALICE), &query, vars).await)),
            expected,
            "{order}"
        );
    }
}

#[tokio::test]
async fn like_is_case_sensitive_and_ilike_is_not() {
    let zion = blog().await;
    seed_posts(&zion);
    let count = |op: &str| {
        format!(
            r#"{{ post_aggregate(where: {{{op}: {{left_operand: {{column: title}}, right_operand: {{literal: "%summary%"}}}}}}) {{ aggregate {{ count }} }} }}"#
        )
    };
    let like = data(&zion, Some(ALICE), &count("_like"), json!({})).await;
    let ilike = data(&zion, Some(ALICE), &count("_ilike"), json!({})).await;
    assert_eq!(like["post_aggregate"]["aggregate"]["count"], 0);
    assert_eq!(
        ilike["post_aggregate"]["aggregate"]["count"], 1,
        "Alice sees her own summer summary only"
    );
}

#[tokio::test]
async fn rows_belong_to_their_owner() {
    let zion = blog().await;
    seed_posts(&zion);
    let mine = data(
        &zion,
        Some(BOB),
        "{ post_aggregate { aggregate { count } } }",
        json!({}),
    )
    .await;
    assert_eq!(mine["post_aggregate"]["aggregate"]["count"], 2);
    // Another account's id as the owner is refused.
    let (message, code) = error(
        &zion,
        Some(BOB),
        r#"mutation { insert_post_one(object: {title: "x", author_account: 1}) { id } }"#,
        json!({}),
    )
    .await;
    assert_eq!(code, "PERMISSION_DENIED");
    assert!(message.contains("author_account"), "{message}");
    // Bob's update of everything touches only his rows.
    let touched = data(
        &zion,
        Some(BOB),
        r#"mutation { update_post(where: {}, _set: {content: "edited"}) { affected_rows } }"#,
        json!({}),
    )
    .await;
    assert_eq!(touched["update_post"]["affected_rows"], 2);
    let alices = zion
        .rows("post")
        .into_iter()
        .filter(|p| p["author_account"] == 1);
    assert!(alices.into_iter().all(|p| p["content"].is_null()));
    // The anonymous role reads public tables only and writes nothing.
    let tags = data(&zion, None, "{ tag { id } }", json!({})).await;
    assert_eq!(tags["tag"], json!([]));
    let (message, code) = error(&zion, None, "{ post { id } }", json!({})).await;
    assert_eq!(code, "PERMISSION_DENIED");
    assert!(
        message.contains("anonymous role may not read table `post`"),
        "{message}"
    );
    let (_, code) = error(
        &zion,
        None,
        r#"mutation { insert_tag_one(object: {name: "x"}) { id } }"#,
        json!({}),
    )
    .await;
    assert_eq!(code, "PERMISSION_DENIED");
}

#[tokio::test]
async fn updates_increment_and_deletes_need_a_filter() {
    let zion = blog().await;
    seed_posts(&zion);
    let meta_id = zion.rows("post_meta")[0]["id"].clone();
    let bumped = data(
        &zion,
        Some(ALICE),
        "mutation($id: bigint!) { update_post_meta_by_pk(pk_columns: {id: $id}, _inc: {word_count: 5}, _set: {seo_title: \"New\"}) { word_count seo_title } }",
        json!({"id": meta_id}),
    )
    .await;
    assert_eq!(
        bumped["update_post_meta_by_pk"],
        json!({"word_count": 1805, "seo_title": "New"})
    );
    // `where` is required on bulk deletes, as on the platform.
    let (message, _) = error(
        &zion,
        Some(ALICE),
        "mutation { delete_post_meta { affected_rows } }",
        json!({}),
    )
    .await;
    assert!(message.contains("where"), "{message}");
    let deleted = data(
        &zion,
        Some(ALICE),
        r#"mutation { delete_post_meta(where: {_lt: {bigint_operand: {left_operand: {column: word_count}, right_operand: {literal: "1000"}}}}) { affected_rows returning { seo_title } } }"#,
        json!({}),
    )
    .await;
    assert_eq!(
        deleted["delete_post_meta"],
        json!({"affected_rows": 1, "returning": [{"seo_title": "year-end SUMMARY"}]})
    );
    let gone = data(
        &zion,
        Some(ALICE),
        "mutation($id: bigint!) { delete_post_meta_by_pk(id: $id) { id } }",
        json!({"id": meta_id}),
    )
    .await;
    assert_eq!(gone["delete_post_meta_by_pk"]["id"], meta_id);
}

#[tokio::test]
async fn a_relation_filter_and_relation_order() {
    let zion = blog().await;
    seed_posts(&zion);
    let query = r#"{ account(where: {posts: {_gt: {bigint_operand: {left_operand: {extract_timestamptz: {time: {column: created_at}, unit: YEAR}}, right_operand: {literal: "2024"}}}}}, order_by: {name: desc}) { name posts(order_by: {title: asc}, limit: 1) { title } } }"#;
    let found = data(&zion, Some(ALICE), query, json!({})).await;
    // Alice reads her own posts only: her 2025 post makes her match; Bob's 2025 post is not
    // hers to see, so Bob does not match.
    assert_eq!(
        found["account"],
        json!([{"name": "Alice", "posts": [{"title": "2024 Recap"}]}])
    );
    let by_author = data(
        &zion,
        Some(ALICE),
        "{ post(order_by: [{author: {name: asc}}, {title: desc}], limit: 2) { title } }",
        json!({}),
    )
    .await;
    assert_eq!(
        by_author["post"],
        json!([{"title": "Weekly notes"}, {"title": "Summary of the summer"}])
    );
}

#[test]
fn a_bad_schema_file_is_named_with_where() {
    let dir = tempfile_dir();
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    write("zion-e2e.toml", "[project]\nschema = \"model.json\"\n");
    write(
        "model.json",
        r#"{"tables": [{"name": "plan", "columnMetadata": [{"name": "id", "type": "BIGINT"}, {"name": "price", "type": "MONEY"}]}]}"#,
    );
    let e = ProjectConfig::from_file(dir.join("zion-e2e.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("model.json: at tables[0].columnMetadata[1].type: unknown variant `MONEY`"),
        "{e}"
    );
    write("model.json", "{\"tables\": [\n  {\"name\": \"plan\",,}\n]}");
    let e = ProjectConfig::from_file(dir.join("zion-e2e.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("model.json: not valid JSON") && e.contains("line 2"),
        "{e}"
    );
    std::fs::remove_file(dir.join("model.json")).unwrap();
    let e = ProjectConfig::from_file(dir.join("zion-e2e.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("zion-e2e.toml:2: [project] schema: cannot read"),
        "{e}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mock-zion-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// graphql-js's `getIntrospectionQuery()`, as GraphiQL and schema download tools send it.
const INTROSPECTION_QUERY: &str = r#"query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}"#;

#[tokio::test]
async fn a_media_column_is_an_object_read_from_its_id() {
    let zion = blog().await;
    let inserted = data(
        &zion,
        Some(ALICE),
        r#"mutation { insert_post_one(object: {title: "With a cover", cover_image_id: 77}) { cover_image_id cover_image { id url external } } }"#,
        json!({}),
    )
    .await;
    let post = &inserted["insert_post_one"];
    assert_eq!(post["cover_image_id"], 77);
    assert_eq!(post["cover_image"]["id"], 77);
    assert_eq!(post["cover_image"]["external"], false);
    assert!(post["cover_image"]["url"]
        .as_str()
        .unwrap()
        .ends_with("/__mock/media/77"));
    // `cover_image` itself is no input: the id column is.
    let (message, _) = error(
        &zion,
        Some(ALICE),
        r#"mutation { insert_post_one(object: {cover_image: 1}) { id } }"#,
        json!({}),
    )
    .await;
    assert!(message.contains("cover_image"), "{message}");
}

#[tokio::test]
async fn system_columns_are_not_inputs() {
    let zion = blog().await;
    for input in [
        "id: 5",
        "created_at: \"2020-01-01T00:00:00Z\"",
        "updated_at: \"2020-01-01T00:00:00Z\"",
    ] {
        let query =
            format!("mutation {{ insert_tag_one(object: {{name: \"x\", {input}}}) {{ id }} }}");
        let (message, code) = error(&zion, Some(ALICE), &query, json!({})).await;
        assert_eq!(code, "GRAPHQL_VALIDATION_FAILED", "{input}");
        assert!(message.contains("tag_insert_input"), "{message}");
    }
}

#[tokio::test]
async fn relations_written_in_the_config_serve_like_imported_ones() {
    let config = ProjectConfig::from_toml_str(
        r#"
        [tables.plan]
        public = true
        columns = { id = "bigint", name = "String", price_fen = "Int" }

        [tables.feature]
        public = true
        columns = { id = "bigint", label = "String", plan_plan = "bigint" }

        [[relations]]
        type = "ONE_TO_MANY"
        sourceTable = "plan"
        targetTable = "feature"
        targetColumn = "plan_plan"
        nameInSource = "features"
        nameInTarget = "plan"
        "#,
        "zion-e2e.toml",
    )
    .unwrap();
    let zion = MockZion::start(config).await.unwrap();
    let plan = zion
        .insert_row("plan", row(json!({"name": "Pro", "price_fen": 2900})))
        .unwrap();
    for label in ["API", "Support"] {
        zion.insert_row("feature", row(json!({"label": label, "plan_plan": plan})))
            .unwrap();
    }
    // Anonymous: both tables are public.
    let plans = data(
        &zion,
        None,
        "{ plan { name features(order_by: {label: desc}) { label plan { name } } features_aggregate { aggregate { count } } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        plans["plan"],
        json!([{"name": "Pro", "features": [{"label": "Support", "plan": {"name": "Pro"}}, {"label": "API", "plan": {"name": "Pro"}}], "features_aggregate": {"aggregate": {"count": 2}}}])
    );
}

#[test]
fn a_relation_to_a_missing_column_is_named_at_its_line() {
    let e = ProjectConfig::from_toml_str(
        "[tables.plan]\ncolumns = { id = \"bigint\" }\n\n[[relations]]\ntype = \"ONE_TO_MANY\"\nsourceTable = \"plan\"\ntargetTable = \"plan\"\ntargetColumn = \"parent\"\nnameInSource = \"children\"\nnameInTarget = \"parent_plan\"\n",
        "zion-e2e.toml",
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        e,
        "zion-e2e.toml:9: relation `children`/`parent_plan`: targetColumn `parent` is not a column of `plan`"
    );
}
