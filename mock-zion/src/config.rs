//! The project config: which tables a Zion project has, which one is bound as its order
//! table, which accounts exist, and which actionflow ids do what.
//!
//! Every field has a default taken from the seed documents, so an empty file (or none at all)
//! gives the shapes the seeds' example code uses: an `order` table with `id`, `status`,
//! `amount` (fen), `pay_amount`, `goods_name`, `account_account` and the points column
//! `ud_jifenshuzhi_1f263d`; an `account` table with `can_use_ai`; the status texts `待支付`
//! and `已支付`; and the seeds' create-order actionflow id.
//!
//! # Example
//!
//! ```
//! use mock_zion::ProjectConfig;
//!
//! let config = ProjectConfig::from_toml_str(
//!     r#"
//!     [project]
//!     ex_id = "shop"
//!
//!     [[accounts]]
//!     id = 7
//!     token = "alice-token"
//!     "#,
//!     "zion-e2e.toml",
//! )
//! .unwrap();
//! assert_eq!(config.graphql_path(), "/zero/shop/api/graphql-v2");
//! assert_eq!(config.order_table.paid_status, "已支付");
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The actionflow id the seeds' example code calls to create an order.
pub const SEED_CREATE_ORDER_FLOW: &str = "0e4de7f6-2ef2-49ee-8b2f-2b16afc6767d";
/// The default id of the query-order-status actionflow (the seeds do not name one).
pub const DEFAULT_QUERY_STATUS_FLOW: &str = "query-order-status";

/// Sections of a shared `zion-e2e.toml` that belong to the test harness (zion-pay-e2e's
/// `[run]`, `[web_app]`, `[mini_program]`, `[zion]`). mock-zion reads past them, so a team keeps
/// one file for both tools.
pub const HARNESS_SECTIONS: &[&str] = &["run", "web_app", "mini_program", "zion"];

/// A whole project config, as read from a TOML file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProjectConfig {
    /// Where the project's API lives.
    pub project: ProjectSection,
    /// Every table of the project, by name. Replaces the default tables when given.
    pub tables: BTreeMap<String, TableConfig>,
    /// The table bound as the project's "order table", and how its columns are used.
    pub order_table: OrderTableBinding,
    /// The table that holds accounts (the users a Bearer token stands for).
    pub account_table: AccountTableBinding,
    /// Accounts seeded at start and after every reset.
    pub accounts: Vec<AccountSeed>,
    /// Products a `create_order` call may name by `product_id`.
    pub products: Vec<Product>,
    /// Actionflow ids and the built-in behaviour each one runs.
    pub actionflows: BTreeMap<String, ActionflowBehaviour>,
    /// How strictly GraphQL input is read.
    pub graphql: GraphqlSection,
    /// The Alipay merchant app and the apps whose forms the gateway accepts.
    pub alipay: AlipaySection,
    /// What a paid order does to its account.
    pub on_paid: OnPaid,
    /// The Mini Program and merchant WeChat Pay payments are made for.
    pub wechat: WechatSection,
    /// Limits on what the mock accepts.
    pub limits: Limits,
}

/// `[alipay]`: the merchant app Zion signs page-pay forms for, and other apps whose forms
/// the mock gateway accepts (any backend using Alipay's SDKs can use it as an offline
/// sandbox when its public key is listed here).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlipaySection {
    /// The app id of the project's Alipay app (its key pair is generated per run).
    pub app_id: String,
    /// The seller (partner) id returned to the merchant.
    pub seller_id: String,
    /// Further apps: forms signed by their private keys verify against these public keys.
    pub apps: Vec<AlipayApp>,
    /// How many times faster than Alipay's real schedule (4m, 10m, 10m, 1h, 2h, 6h, 15h)
    /// notifications to a merchant backend are retried; 1 is real time.
    pub notify_retry_speedup: f64,
}

/// `[[alipay.apps]]`: an app whose forms the gateway verifies with a given public key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlipayApp {
    /// The app id its forms carry.
    pub app_id: String,
    /// Its public key, PEM or the bare base64 body (as Alipay's console shows it).
    pub public_key: String,
}

impl Default for AlipaySection {
    fn default() -> Self {
        AlipaySection {
            app_id: "2021000000000001".into(),
            seller_id: "2088000000000001".into(),
            apps: Vec::new(),
            notify_retry_speedup: 1000.0,
        }
    }
}

/// `[wechat]`: the Mini Program and the WeChat Pay merchant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WechatSection {
    /// The Mini Program's app id (`appId` in the payment parameters).
    pub app_id: String,
    /// The merchant id.
    pub mch_id: String,
}

impl Default for WechatSection {
    fn default() -> Self {
        WechatSection {
            app_id: "wx1234567890abcdef".into(),
            mch_id: "1900000001".into(),
        }
    }
}

/// `[on_paid]`: what the payment notification does besides marking the order paid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OnPaid {
    /// Account columns set to these values (e.g. `can_use_ai = true`).
    pub account_set: Map<String, Value>,
    /// An integer account column credited with the order amount in fen (points).
    pub credit_column: Option<String>,
}

impl Default for OnPaid {
    fn default() -> Self {
        OnPaid {
            account_set: Map::from_iter([("can_use_ai".to_string(), Value::Bool(true))]),
            credit_column: Some("ud_jifenshuzhi_1f263d".into()),
        }
    }
}

/// `[graphql]`: how strictly GraphQL input is read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GraphqlSection {
    /// Accept numeric strings (`"42"`) for `Long`, `bigint` and `BigDecimal`, as graphql-java
    /// does. Off by default: a string where a number belongs is usually an app bug.
    pub numeric_strings: bool,
    /// Answer introspection queries (`__schema`, `__type`).
    pub introspection: bool,
}

impl Default for GraphqlSection {
    fn default() -> Self {
        GraphqlSection {
            numeric_strings: false,
            introspection: true,
        }
    }
}

/// `[project]`: identity and endpoint of the project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProjectSection {
    /// The project's external id, part of Zion's GraphQL path.
    pub ex_id: String,
    /// The GraphQL path; defaults to Zion's own shape `/zero/{ex_id}/api/graphql-v2`.
    pub graphql_path: Option<String>,
}

/// `[tables.NAME]`: one table's columns and who owns its rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableConfig {
    /// Column name → GraphQL type. Every table has a `bigint` primary key `id`.
    pub columns: BTreeMap<String, ColumnType>,
    /// The column holding the owning account's id: a row is visible only to that account
    /// (Zion's row-level permission). `None` makes every row visible to every caller.
    #[serde(default)]
    pub owner: Option<String>,
}

/// The GraphQL type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ColumnType {
    /// A 64-bit integer, Hasura's `bigint`.
    #[serde(rename = "bigint")]
    Bigint,
    /// A 32-bit integer.
    Int,
    /// A double.
    Float,
    /// Text.
    String,
    /// True or false.
    Boolean,
    /// Any JSON value.
    Json,
}

impl ColumnType {
    /// The GraphQL type name of this column type.
    pub fn graphql_name(self) -> &'static str {
        match self {
            ColumnType::Bigint => "bigint",
            ColumnType::Int => "Int",
            ColumnType::Float => "Float",
            ColumnType::String => "String",
            ColumnType::Boolean => "Boolean",
            ColumnType::Json => "Json",
        }
    }
}

/// `[order_table]`: the table bound as the project's order table, and its columns' roles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OrderTableBinding {
    /// The table's name.
    pub name: String,
    /// The order amount, in fen (an integer).
    pub amount_column: String,
    /// The status text column.
    pub status_column: String,
    /// What the order is for (the payment subject).
    pub subject_column: String,
    /// Set to the paid amount in yuan when the order is paid.
    pub pay_amount_column: String,
    /// Status text of a new order.
    pub unpaid_status: String,
    /// Status text once the provider's notification has landed.
    pub paid_status: String,
    /// Subject of an order created without one.
    pub default_subject: String,
}

/// `[account_table]`: the table that holds accounts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccountTableBinding {
    /// The table's name.
    pub name: String,
}

/// `[[accounts]]`: an account row, with the Bearer token that stands for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSeed {
    /// The account's id.
    pub id: i64,
    /// The Bearer token that authenticates as this account.
    pub token: String,
    /// Values of the account table's other columns; unset columns are null.
    #[serde(default)]
    pub values: Map<String, Value>,
}

/// `[[products]]`: something an order can be created for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// The product id a `create_order` call names.
    pub id: i64,
    /// Becomes the order's subject.
    pub name: String,
    /// Price in fen.
    pub price_fen: i64,
}

/// A built-in actionflow behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionflowBehaviour {
    /// Inserts an unpaid order owned by the caller; args `{amount}` (fen) or `{product_id}`,
    /// optional `goods_name`; returns `{order_id, amount, goods_name}`.
    CreateOrder,
    /// Reads an order of the caller; args `{order_id}`; returns `{status}`.
    QueryOrderStatus,
}

/// `[limits]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Largest request body accepted, in bytes; larger ones get HTTP 413.
    pub max_body_bytes: usize,
}

/// A config that could not be read or does not make sense, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ConfigError {
    /// The file (or source name) the config came from.
    pub origin: String,
    /// 1-based line of the problem, when it has one.
    pub line: Option<usize>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl ConfigError {
    /// A problem at byte `span.start` of `text` (read from `origin`), reported by its line.
    ///
    /// ```
    /// use mock_zion::config::ConfigError;
    /// let e = ConfigError::at("zion-e2e.toml", "[run]\nx = 1\n", Some(6..7), "unknown key".into());
    /// assert_eq!(e.to_string(), "zion-e2e.toml:2: unknown key");
    /// ```
    pub fn at(
        origin: &str,
        text: &str,
        span: Option<std::ops::Range<usize>>,
        message: String,
    ) -> Self {
        ConfigError {
            origin: origin.to_string(),
            line: span.map(|span| line_of(text, span.start)),
            message,
        }
    }
}

impl Default for ProjectSection {
    fn default() -> Self {
        ProjectSection {
            ex_id: "zion-project".into(),
            graphql_path: None,
        }
    }
}

impl Default for OrderTableBinding {
    fn default() -> Self {
        OrderTableBinding {
            name: "order".into(),
            amount_column: "amount".into(),
            status_column: "status".into(),
            subject_column: "goods_name".into(),
            pay_amount_column: "pay_amount".into(),
            unpaid_status: "待支付".into(),
            paid_status: "已支付".into(),
            default_subject: "积分充值".into(),
        }
    }
}

impl Default for AccountTableBinding {
    fn default() -> Self {
        AccountTableBinding {
            name: "account".into(),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 1 << 20,
        }
    }
}

impl Default for ProjectConfig {
    fn default() -> Self {
        use ColumnType::*;
        let columns = |cols: &[(&str, ColumnType)]| {
            cols.iter()
                .map(|(name, ty)| (name.to_string(), *ty))
                .collect()
        };
        let tables = BTreeMap::from([
            (
                "order".to_string(),
                TableConfig {
                    columns: columns(&[
                        ("id", Bigint),
                        ("status", String),
                        ("amount", Int),
                        ("pay_amount", Float),
                        ("goods_name", String),
                        ("account_account", Bigint),
                        ("ud_jifenshuzhi_1f263d", Int),
                    ]),
                    owner: Some("account_account".into()),
                },
            ),
            (
                "account".to_string(),
                TableConfig {
                    columns: columns(&[
                        ("id", Bigint),
                        ("can_use_ai", Boolean),
                        ("ud_jifenshuzhi_1f263d", Int),
                    ]),
                    owner: Some("id".into()),
                },
            ),
        ]);
        ProjectConfig {
            project: ProjectSection::default(),
            tables,
            order_table: OrderTableBinding::default(),
            account_table: AccountTableBinding::default(),
            accounts: vec![AccountSeed {
                id: 1,
                token: "zion-test-token".into(),
                values: Map::from_iter([
                    ("can_use_ai".to_string(), Value::Bool(false)),
                    ("ud_jifenshuzhi_1f263d".to_string(), Value::from(0)),
                ]),
            }],
            products: Vec::new(),
            actionflows: BTreeMap::from([
                (
                    SEED_CREATE_ORDER_FLOW.to_string(),
                    ActionflowBehaviour::CreateOrder,
                ),
                (
                    DEFAULT_QUERY_STATUS_FLOW.to_string(),
                    ActionflowBehaviour::QueryOrderStatus,
                ),
            ]),
            graphql: GraphqlSection::default(),
            alipay: AlipaySection::default(),
            on_paid: OnPaid::default(),
            wechat: WechatSection::default(),
            limits: Limits::default(),
        }
    }
}

impl ProjectConfig {
    /// Reads and checks a config file.
    ///
    /// # Errors
    /// A [`ConfigError`] naming the file, the line and the problem when the file cannot be
    /// read, is not TOML, has an unknown key or a bad value, or names a table or column that
    /// does not exist.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            origin: path.display().to_string(),
            line: None,
            message: format!("cannot read the config file: {e}"),
        })?;
        Self::from_toml_str(&text, &path.display().to_string())
    }

    /// Parses and checks a config held in a string; `origin` names it in errors.
    ///
    /// # Errors
    /// As [`ProjectConfig::from_file`].
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Self, ConfigError> {
        let toml_error =
            |e: toml::de::Error| ConfigError::at(origin, text, e.span(), e.message().trim().into());
        let mut root = toml::de::DeTable::parse(text).map_err(toml_error)?;
        for section in HARNESS_SECTIONS {
            // Keys compare by their text, not their span.
            let key = toml::Spanned::new(0..0, std::borrow::Cow::Borrowed(*section));
            root.get_mut().remove(&key);
        }
        // Deserializing the parsed table (not the text) keeps every value's span for errors.
        let config =
            ProjectConfig::deserialize(toml::de::Deserializer::from(root)).map_err(toml_error)?;
        config.check().map_err(|(key, message)| ConfigError {
            origin: origin.to_string(),
            line: find_key_line(text, &key),
            message,
        })?;
        Ok(config)
    }

    /// The path the GraphQL endpoint is served at.
    pub fn graphql_path(&self) -> String {
        match &self.project.graphql_path {
            Some(path) => path.clone(),
            None => format!("/zero/{}/api/graphql-v2", self.project.ex_id),
        }
    }

    /// The first actionflow id (in key order) that runs `behaviour`, e.g. the id an app calls
    /// to create an order.
    ///
    /// ```
    /// use mock_zion::config::{ActionflowBehaviour, ProjectConfig, DEFAULT_QUERY_STATUS_FLOW};
    ///
    /// let config = ProjectConfig::default();
    /// assert_eq!(
    ///     config.actionflow_for(ActionflowBehaviour::QueryOrderStatus),
    ///     Some(DEFAULT_QUERY_STATUS_FLOW)
    /// );
    /// ```
    pub fn actionflow_for(&self, behaviour: ActionflowBehaviour) -> Option<&str> {
        self.actionflows
            .iter()
            .find(|(_, b)| **b == behaviour)
            .map(|(id, _)| id.as_str())
    }

    /// The config of the table bound as the order table.
    pub fn order_table_config(&self) -> &TableConfig {
        &self.tables[&self.order_table.name]
    }

    /// Cross-checks what serde cannot: that every name refers to something that exists.
    /// On error returns the TOML key to locate and the message.
    fn check(&self) -> Result<(), (String, String)> {
        let speedup = self.alipay.notify_retry_speedup;
        if !(speedup.is_finite() && speedup >= 1.0) {
            return Err((
                "notify_retry_speedup".into(),
                format!("[alipay] notify_retry_speedup must be a number ≥ 1 (1 = Alipay's real schedule), not {speedup}"),
            ));
        }
        for (name, table) in &self.tables {
            if !is_graphql_name(name) {
                return Err((name.clone(), format!("table name `{name}` is not a valid GraphQL name (letters, digits, `_`; not starting with a digit)")));
            }
            if table.columns.get("id") != Some(&ColumnType::Bigint) {
                return Err((
                    name.clone(),
                    format!("table `{name}` needs a primary key column `id = \"bigint\"`"),
                ));
            }
            if let Some(column) = table.columns.keys().find(|c| !is_graphql_name(c)) {
                return Err((
                    column.clone(),
                    format!("column `{column}` of table `{name}` is not a valid GraphQL name"),
                ));
            }
            if let Some(owner) = &table.owner {
                if !table.columns.contains_key(owner) {
                    return Err((
                        "owner".into(),
                        format!("table `{name}`: owner column `{owner}` is not one of its columns"),
                    ));
                }
            }
        }
        let order = &self.order_table;
        let Some(order_cols) = self.tables.get(&order.name) else {
            return Err((
                "order_table".into(),
                format!(
                    "[order_table] name `{}` is not a table; declare it under [tables.{}]",
                    order.name, order.name
                ),
            ));
        };
        for (key, column) in [
            ("amount_column", &order.amount_column),
            ("status_column", &order.status_column),
            ("subject_column", &order.subject_column),
            ("pay_amount_column", &order.pay_amount_column),
        ] {
            if !order_cols.columns.contains_key(column) {
                return Err((
                    key.into(),
                    format!(
                        "[order_table] {key} `{column}` is not a column of table `{}`",
                        order.name
                    ),
                ));
            }
        }
        if order_cols.owner.is_none() {
            return Err((
                "order_table".into(),
                format!(
                    "table `{}` is the order table, so it needs `owner = \"<account id column>\"`",
                    order.name
                ),
            ));
        }
        let Some(account_cols) = self.tables.get(&self.account_table.name) else {
            return Err((
                "account_table".into(),
                format!(
                    "[account_table] name `{}` is not a table; declare it under [tables.{}]",
                    self.account_table.name, self.account_table.name
                ),
            ));
        };
        for column in self
            .on_paid
            .account_set
            .keys()
            .chain(self.on_paid.credit_column.iter())
        {
            if !account_cols.columns.contains_key(column) {
                return Err((
                    column.clone(),
                    format!(
                        "[on_paid] `{column}` is not a column of table `{}`",
                        self.account_table.name
                    ),
                ));
            }
        }
        for app in &self.alipay.apps {
            if let Err(e) = crate::alipay::keys::PublicKey::from_pem(&app.public_key) {
                return Err((
                    "public_key".into(),
                    format!("[[alipay.apps]] {}: public_key is {e}", app.app_id),
                ));
            }
        }
        let mut tokens = std::collections::HashSet::new();
        for account in &self.accounts {
            if !tokens.insert(&account.token) {
                return Err((
                    "token".into(),
                    format!(
                        "two accounts share the token `{}`; each account needs its own",
                        account.token
                    ),
                ));
            }
            if let Some(column) = account
                .values
                .keys()
                .find(|c| !account_cols.columns.contains_key(*c))
            {
                return Err((
                    column.clone(),
                    format!(
                        "account {}: `{column}` is not a column of table `{}`",
                        account.id, self.account_table.name
                    ),
                ));
            }
        }
        Ok(())
    }
}

fn is_graphql_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

fn line_of(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].matches('\n').count() + 1
}

/// The line where `key` first appears as a TOML key (bare, quoted, or as a table header part).
fn find_key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            !line.starts_with('#')
                && (line.starts_with(key)
                    || line.contains(&format!("\"{key}\""))
                    || line.contains(&format!(".{key}"))
                    || line.contains(&format!("{{ {key}"))
                    || line.contains(&format!(", {key}")))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        ProjectConfig::from_toml_str(text, "zion-e2e.toml")
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn empty_config_gives_the_seed_shapes() {
        let config = ProjectConfig::from_toml_str("", "x.toml").unwrap();
        assert_eq!(config, ProjectConfig::default());
        assert_eq!(config.graphql_path(), "/zero/zion-project/api/graphql-v2");
        assert!(config.tables["order"]
            .columns
            .contains_key("ud_jifenshuzhi_1f263d"));
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let e = err("[project]\nex_id = \"a\"\nexid = \"b\"\n");
        assert!(
            e.starts_with("zion-e2e.toml:3: unknown field `exid`"),
            "{e}"
        );
    }

    #[test]
    fn the_harness_sections_of_a_shared_file_are_read_past_and_lines_still_count() {
        let text =
            "[web_app]\ndir = \"app\"\n\n[run]\nconcurrency = 2\n\n[project]\nexid = \"b\"\n";
        assert!(err(text).starts_with("zion-e2e.toml:8: unknown field `exid`"));
        let config = ProjectConfig::from_toml_str(&text.replace("exid", "ex_id"), "x").unwrap();
        assert_eq!(config.project.ex_id, "b");
    }

    #[test]
    fn bad_column_type_lists_the_valid_ones() {
        let e = err("[tables.account]\ncolumns = { id = \"bigint\", name = \"varchar\" }\n");
        assert!(
            e.starts_with("zion-e2e.toml:2: unknown variant `varchar`"),
            "{e}"
        );
        assert!(e.contains("bigint"), "{e}");
    }

    #[test]
    fn not_toml_is_a_syntax_error_with_its_line() {
        let e = err("[project]\nex_id = \n");
        assert!(e.starts_with("zion-e2e.toml:2:"), "{e}");
    }

    #[test]
    fn binding_to_a_missing_column_is_named() {
        let e = err("[order_table]\namount_column = \"total\"\n");
        assert_eq!(
            e,
            "zion-e2e.toml:2: [order_table] amount_column `total` is not a column of table `order`"
        );
    }

    #[test]
    fn account_value_for_an_unknown_column_is_named() {
        let e = err("[[accounts]]\nid = 1\ntoken = \"t\"\nvalues = { vip = true }\n");
        assert_eq!(
            e,
            "zion-e2e.toml:4: account 1: `vip` is not a column of table `account`"
        );
    }

    #[test]
    fn the_readme_config_example_is_valid_and_equals_the_defaults_it_documents() {
        let readme = include_str!("../../README.md");
        let example = readme
            .split("```toml\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("README.md has a ```toml block");
        let config = ProjectConfig::from_toml_str(example, "README.md").unwrap();
        let mut expected = ProjectConfig::default();
        expected.products.push(Product {
            id: 1,
            name: "AI 会员".into(),
            price_fen: 990,
        });
        assert_eq!(config, expected);
    }

    #[test]
    fn missing_file_is_named() {
        let e = ProjectConfig::from_file("/nonexistent/zion-e2e.toml")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("/nonexistent/zion-e2e.toml: cannot read the config file"),
            "{e}"
        );
    }
}
