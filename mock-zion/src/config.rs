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
    /// Foreign keys between the tables (Zion's `RelationMetadata`).
    pub relations: Vec<RelationConfig>,
    /// The table bound as the project's "order table", and how its columns are used.
    pub order_table: OrderTableBinding,
    /// The table that holds accounts (the users a Bearer token stands for).
    pub account_table: AccountTableBinding,
    /// Accounts seeded at start and after every reset.
    pub accounts: Vec<AccountSeed>,
    /// Products a `create_order` call may name by `product_id`.
    pub products: Vec<Product>,
    /// Actionflow ids and what each one does: a built-in behaviour or the team's own.
    pub actionflows: BTreeMap<String, ActionflowSpec>,
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
    /// Whether the project takes payments: false when a team's data model has no order table
    /// and the config binds none (its order and account bindings are then not checked).
    #[serde(skip)]
    pub payments: bool,
}

/// Which sections a config file wrote itself (the rest keep their defaults).
struct Explicit {
    tables: bool,
    order_table: bool,
    account_table: bool,
    on_paid: bool,
    accounts: bool,
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
    /// The project's data model: Zion's table and relation metadata JSON, or a GraphQL
    /// introspection result of the live endpoint (relative to the config file). Its tables
    /// replace the default ones; `[tables.NAME]` then adds `owner`, `public` and `unique`.
    pub schema: Option<String>,
}

/// `[tables.NAME]`: one table's columns and who may read and write its rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableConfig {
    /// Column name → type. Every table has a `bigint` primary key `id`; `created_at` and
    /// `updated_at` (`timestamptz`) are added when missing, as Zion adds them to every table.
    /// Left empty when the table comes from `[project] schema` (the file gives the columns).
    #[serde(default)]
    pub columns: BTreeMap<String, ColumnType>,
    /// The column holding the owning account's id: a row is visible to, and writable by,
    /// only that account (Zion's row-level permission). `None` lets every logged-in caller
    /// read and write every row.
    #[serde(default)]
    pub owner: Option<String>,
    /// Whether the anonymous role (a request without a token) may read the table's rows.
    #[serde(default)]
    pub public: bool,
    /// Named unique constraints (for `on_conflict`), besides `<table>_pkey` and
    /// `<table>_id_key` on `id`, which every table has.
    #[serde(default)]
    pub unique: BTreeMap<String, Vec<String>>,
}

/// `[[relations]]`: a foreign key between two tables, as Zion's `RelationMetadata` says it.
///
/// `target_table.target_column` references `source_table.source_column` (usually `id`). The
/// source table's type gets a field `name_in_source` (a list for `ONE_TO_MANY`, one row for
/// `ONE_TO_ONE`) and the target table's type a field `name_in_target` (the one source row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RelationConfig {
    /// `ONE_TO_MANY` or `ONE_TO_ONE`.
    #[serde(rename = "type")]
    pub kind: RelationKind,
    /// The referenced table (the "one" side).
    pub source_table: String,
    /// Its referenced column, usually `id`.
    #[serde(default = "id_column")]
    pub source_column: String,
    /// The referencing table, which holds the foreign key.
    pub target_table: String,
    /// The foreign key column of the target table.
    pub target_column: String,
    /// The field on the source table's type.
    pub name_in_source: String,
    /// The field on the target table's type.
    pub name_in_target: String,
}

fn id_column() -> String {
    "id".into()
}

/// How many target rows one source row has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RelationKind {
    /// Any number.
    OneToMany,
    /// At most one (the target column is unique).
    OneToOne,
}

/// The type of a column: Zion's column types (by their GraphQL scalar, or as Zion's metadata
/// names them, `TEXT`, `BIGINT`, …) and the plain GraphQL types older configs used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ColumnType {
    /// A 64-bit integer (`bigint`).
    #[serde(rename = "bigint", alias = "BIGINT")]
    Bigint,
    /// A 32-bit integer (Zion's `integer`).
    #[serde(alias = "INTEGER", alias = "integer")]
    Int,
    /// A double (plain GraphQL `Float`).
    Float,
    /// A double precision number (Zion's `float8`).
    #[serde(alias = "FLOAT8", alias = "float8")]
    Float8,
    /// An exact decimal (Zion's `decimal`).
    #[serde(alias = "DECIMAL", alias = "decimal")]
    Decimal,
    /// Text.
    #[serde(alias = "TEXT", alias = "text")]
    String,
    /// True or false.
    #[serde(alias = "BOOLEAN", alias = "boolean")]
    Boolean,
    /// Any JSON value (plain `Json`).
    Json,
    /// Any JSON value (Zion's `jsonb`).
    #[serde(rename = "jsonb", alias = "JSONB")]
    Jsonb,
    /// A point in time with its time zone.
    #[serde(rename = "timestamptz", alias = "TIMESTAMPTZ")]
    Timestamptz,
    /// A time of day with its time zone.
    #[serde(rename = "timetz", alias = "TIMETZ")]
    Timetz,
    /// A calendar date.
    #[serde(rename = "date", alias = "DATE")]
    Date,
    /// A GeoJSON point (Zion's `geo_point`).
    #[serde(rename = "geography", alias = "GEO_POINT", alias = "geo_point")]
    Geography,
    /// An image asset, stored as `<column>_id`.
    #[serde(rename = "FZ_Image", alias = "IMAGE", alias = "image")]
    Image,
    /// A file asset, stored as `<column>_id`.
    #[serde(rename = "FZ_File", alias = "FILE", alias = "file")]
    File,
    /// A video asset, stored as `<column>_id`.
    #[serde(rename = "FZ_Video", alias = "VIDEO", alias = "video")]
    Video,
}

impl ColumnType {
    /// The GraphQL type name of this column type.
    pub fn graphql_name(self) -> &'static str {
        match self {
            ColumnType::Bigint => "bigint",
            ColumnType::Int => "Int",
            ColumnType::Float => "Float",
            ColumnType::Float8 => "Float8",
            ColumnType::Decimal => "Decimal",
            ColumnType::String => "String",
            ColumnType::Boolean => "Boolean",
            ColumnType::Json => "Json",
            ColumnType::Jsonb => "jsonb",
            ColumnType::Timestamptz => "timestamptz",
            ColumnType::Timetz => "timetz",
            ColumnType::Date => "date",
            ColumnType::Geography => "geography",
            ColumnType::Image => "FZ_Image",
            ColumnType::File => "FZ_File",
            ColumnType::Video => "FZ_Video",
        }
    }

    /// Whether the column is a media asset (an object stored as `<column>_id`).
    pub fn is_media(self) -> bool {
        matches!(
            self,
            ColumnType::Image | ColumnType::File | ColumnType::Video
        )
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
    /// Logs in with `authenticateWithUsername` as this username …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// … and this password (also `authenticateWithEmail`'s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Logs in with `authenticateWithEmail` as this address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The WeChat user whose `wx.login` codes `loginWithWechatMiniApp` redeems for this account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub openid: Option<String>,
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

/// What an actionflow id does: `"create_order"` / `"query_order_status"`, or a table
/// describing the team's own actionflow ([`CustomActionflow`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ActionflowSpec {
    /// One of mock-zion's built-in behaviours.
    Builtin(ActionflowBehaviour),
    /// The team's own actionflow.
    Custom(Box<CustomActionflow>),
}

/// `[actionflows."<id>"]`: a team's own actionflow, as one of: a JSON `answer`; an `error`;
/// an `insert` into a table from `values`; a `select` of a table's rows matching `filter`; an
/// `update` of those rows with `values`. Strings in `answer`, `values` and `filter` may use
/// `{{args.<path>}}` and `{{caller.id}}` (a string that is only a placeholder takes the value's
/// own type); `answer` may also use `{{result}}`, what the table operation gave.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomActionflow {
    /// The JSON it answers (for insert/select/update, instead of their result).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<Value>,
    /// Refuses every call with this message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Inserts a row into this table (answers the row).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insert: Option<String>,
    /// Reads this table's rows matching `filter` (answers the list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<String>,
    /// Updates this table's rows matching `filter` with `values` (answers `{affected_rows}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<String>,
    /// Column → value (template) for insert and update.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub values: Map<String, Value>,
    /// Column → value (template) the rows of select and update must equal.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub filter: Map<String, Value>,
    /// How long a run as an async task takes, in milliseconds (default 500).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
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
            schema: None,
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
                    ..TableConfig::default()
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
                    ..TableConfig::default()
                },
            ),
        ]);
        ProjectConfig {
            project: ProjectSection::default(),
            tables,
            relations: Vec::new(),
            order_table: OrderTableBinding::default(),
            account_table: AccountTableBinding::default(),
            accounts: vec![AccountSeed {
                id: 1,
                token: "zion-test-token".into(),
                values: Map::from_iter([
                    ("can_use_ai".to_string(), Value::Bool(false)),
                    ("ud_jifenshuzhi_1f263d".to_string(), Value::from(0)),
                ]),
                username: None,
                password: None,
                email: None,
                openid: None,
            }],
            products: Vec::new(),
            actionflows: BTreeMap::from([
                (
                    SEED_CREATE_ORDER_FLOW.to_string(),
                    ActionflowSpec::Builtin(ActionflowBehaviour::CreateOrder),
                ),
                (
                    DEFAULT_QUERY_STATUS_FLOW.to_string(),
                    ActionflowSpec::Builtin(ActionflowBehaviour::QueryOrderStatus),
                ),
            ]),
            graphql: GraphqlSection::default(),
            alipay: AlipaySection::default(),
            on_paid: OnPaid::default(),
            wechat: WechatSection::default(),
            limits: Limits::default(),
            payments: true,
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
        let given = |section: &str| {
            let key = toml::Spanned::new(0..0, std::borrow::Cow::Borrowed(section));
            root.get_ref().contains_key(&key)
        };
        let explicit = Explicit {
            tables: given("tables"),
            order_table: given("order_table"),
            account_table: given("account_table"),
            on_paid: given("on_paid"),
            accounts: given("accounts"),
        };
        for section in HARNESS_SECTIONS {
            // Keys compare by their text, not their span.
            let key = toml::Spanned::new(0..0, std::borrow::Cow::Borrowed(*section));
            root.get_mut().remove(&key);
        }
        // Deserializing the parsed table (not the text) keeps every value's span for errors.
        let mut config =
            ProjectConfig::deserialize(toml::de::Deserializer::from(root)).map_err(toml_error)?;
        if let Some(schema) = config.project.schema.clone() {
            let path = Path::new(origin)
                .parent()
                .unwrap_or(Path::new("."))
                .join(&schema);
            let schema_text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
                origin: origin.to_string(),
                line: find_key_line(text, "schema"),
                message: format!("[project] schema: cannot read `{}`: {e}", path.display()),
            })?;
            let imported = crate::project::import(&schema_text).map_err(|message| ConfigError {
                origin: path.display().to_string(),
                line: None,
                message,
            })?;
            config
                .adopt(imported, explicit.tables)
                .map_err(|(key, message)| ConfigError {
                    origin: origin.to_string(),
                    line: find_key_line(text, &key),
                    message,
                })?;
        }
        if config.tables != ProjectConfig::default().tables {
            config.fit_defaults(&explicit);
        }
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

    /// The path subscriptions are served at (on the instance's socket port): the GraphQL
    /// path with `graphql-v2` replaced by `graphql-subscription`, as Zion serves it.
    ///
    /// ```
    /// let config = mock_zion::ProjectConfig::default();
    /// assert!(config.subscription_path().ends_with("/api/graphql-subscription"));
    /// ```
    pub fn subscription_path(&self) -> String {
        let path = self.graphql_path();
        match path.strip_suffix("graphql-v2") {
            Some(base) => format!("{base}graphql-subscription"),
            None => format!("{}/graphql-subscription", path.trim_end_matches('/')),
        }
    }

    /// The actionflow id a scenario means by `name`: an id of `[actionflows]`, or a built-in
    /// behaviour's name (`create_order`, "create order", `query_order_status`) for the id
    /// that runs it.
    ///
    /// ```
    /// let config = mock_zion::ProjectConfig::default();
    /// assert_eq!(config.actionflow_named("create order").unwrap(), "0e4de7f6-2ef2-49ee-8b2f-2b16afc6767d");
    /// assert!(config.actionflow_named("send coupon").unwrap_err().contains("known ids"));
    /// ```
    ///
    /// # Errors
    /// No such id or behaviour; the message lists the known ids.
    pub fn actionflow_named(&self, name: &str) -> Result<String, String> {
        if self.actionflows.contains_key(name) {
            return Ok(name.to_string());
        }
        let behaviour = match name.trim().replace(' ', "_").to_lowercase().as_str() {
            "create_order" => Some(ActionflowBehaviour::CreateOrder),
            "query_order_status" => Some(ActionflowBehaviour::QueryOrderStatus),
            _ => None,
        };
        behaviour
            .and_then(|b| self.actionflow_for(b))
            .map(str::to_string)
            .ok_or_else(|| {
                let known: Vec<&str> = self.actionflows.keys().map(String::as_str).collect();
                format!(
                    "no actionflow \"{name}\" in this project: give an id of [actionflows] (known ids: {}) or create_order / query_order_status",
                    known.join(", ")
                )
            })
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
            .find(|(_, spec)| **spec == ActionflowSpec::Builtin(behaviour))
            .map(|(id, _)| id.as_str())
    }

    /// The config of the table bound as the order table.
    ///
    /// A project without its order table (a data model with no payments) gets an empty one,
    /// so payment mutations fail by the table's name rather than here.
    pub fn order_table_config(&self) -> &TableConfig {
        static NONE: std::sync::OnceLock<TableConfig> = std::sync::OnceLock::new();
        self.tables
            .get(&self.order_table.name)
            .unwrap_or_else(|| NONE.get_or_init(TableConfig::default))
    }

    /// Takes the tables and relations of a schema file; `[tables.NAME]` entries of the config
    /// add permissions and constraints to them (or, with columns, declare further tables).
    fn adopt(
        &mut self,
        imported: crate::project::Imported,
        merge: bool,
    ) -> Result<(), (String, String)> {
        let written = if merge {
            std::mem::take(&mut self.tables)
        } else {
            BTreeMap::new()
        };
        self.tables = imported.tables;
        for (name, extra) in written {
            match self.tables.get_mut(&name) {
                Some(table) => {
                    if !extra.columns.is_empty() {
                        return Err((name.clone(), format!("[tables.{name}]: the columns of `{name}` come from [project] schema; give only owner, public and unique here")));
                    }
                    table.owner = extra.owner;
                    table.public = extra.public;
                    table.unique.extend(extra.unique);
                }
                None => {
                    self.tables.insert(name, extra);
                }
            }
        }
        let written = std::mem::take(&mut self.relations);
        self.relations = imported.relations;
        self.relations.extend(written);
        Ok(())
    }

    /// Drops what the built-in defaults say about the seeds' tables (the points column, the
    /// AI membership flag) when a team's own tables replace them and the config did not
    /// write those sections itself.
    fn fit_defaults(&mut self, explicit: &Explicit) {
        let account_columns: Vec<String> = self
            .tables
            .get(&self.account_table.name)
            .map(|t| t.columns.keys().cloned().collect())
            .unwrap_or_default();
        let has = |c: &String| account_columns.contains(c);
        if !explicit.on_paid {
            self.on_paid.account_set.retain(|c, _| has(c));
            self.on_paid.credit_column = self.on_paid.credit_column.take().filter(has);
        }
        if !explicit.accounts {
            for account in &mut self.accounts {
                account.values.retain(|c, _| has(c));
            }
        }
        if !explicit.order_table && !self.tables.contains_key(&self.order_table.name) {
            self.payments = false;
        }
        if !explicit.account_table && !self.tables.contains_key(&self.account_table.name) {
            self.accounts.clear();
            self.payments = false;
        }
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
        self.check_relations()?;
        self.check_actionflows()?;
        if self.payments {
            self.check_order_table()?;
        }
        let account_cols = match self.tables.get(&self.account_table.name) {
            Some(table) => table,
            None if self.accounts.is_empty() && !self.payments => return self.check_alipay_apps(),
            None => {
                return Err((
                    "account_table".into(),
                    format!(
                        "[account_table] name `{}` is not a table; declare it under [tables.{}]",
                        self.account_table.name, self.account_table.name
                    ),
                ))
            }
        };
        if self.payments {
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
        }
        self.check_alipay_apps()?;
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

impl ProjectConfig {
    /// The order table's binding names a table and columns that exist.
    fn check_order_table(&self) -> Result<(), (String, String)> {
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
        Ok(())
    }

    /// Each custom actionflow does one thing, on a table and columns that exist.
    fn check_actionflows(&self) -> Result<(), (String, String)> {
        for (id, spec) in &self.actionflows {
            let ActionflowSpec::Custom(flow) = spec else {
                continue;
            };
            let operations: Vec<(&str, &String)> = [
                ("insert", &flow.insert),
                ("select", &flow.select),
                ("update", &flow.update),
            ]
            .into_iter()
            .filter_map(|(name, table)| table.as_ref().map(|t| (name, t)))
            .collect();
            let kinds = operations.len()
                + usize::from(flow.error.is_some())
                + usize::from(operations.is_empty() && flow.answer.is_some());
            if kinds != 1 {
                return Err((id.clone(), format!("actionflow \"{id}\": give exactly one of answer, error, insert, select or update")));
            }
            if let Some((operation, table)) = operations.first() {
                let Some(columns) = self.tables.get(*table).map(|t| &t.columns) else {
                    return Err((id.clone(), format!("actionflow \"{id}\": {operation} names table `{table}`, which is not in the project")));
                };
                for column in flow.values.keys().chain(flow.filter.keys()) {
                    if column != "id" && !columns.contains_key(column) {
                        return Err((
                            id.clone(),
                            format!("actionflow \"{id}\": `{column}` is not a column of `{table}`"),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// Every `[[alipay.apps]]` public key reads.
    fn check_alipay_apps(&self) -> Result<(), (String, String)> {
        for app in &self.alipay.apps {
            if let Err(e) = crate::alipay::keys::PublicKey::from_pem(&app.public_key) {
                return Err((
                    "public_key".into(),
                    format!("[[alipay.apps]] {}: public_key is {e}", app.app_id),
                ));
            }
        }
        Ok(())
    }

    fn check_relations(&self) -> Result<(), (String, String)> {
        let has_column = |table: &str, column: &str| {
            column == "id"
                || self
                    .tables
                    .get(table)
                    .is_some_and(|t| t.columns.contains_key(column))
        };
        for (name, table) in &self.tables {
            for (constraint, columns) in &table.unique {
                if let Some(c) = columns.iter().find(|c| !has_column(name, c)) {
                    return Err((constraint.clone(), format!("table `{name}`: constraint `{constraint}` names `{c}`, which is not one of its columns")));
                }
            }
        }
        for r in &self.relations {
            for (table, column, role) in [
                (&r.source_table, &r.source_column, "sourceColumn"),
                (&r.target_table, &r.target_column, "targetColumn"),
            ] {
                if !self.tables.contains_key(table) {
                    return Err((
                        r.name_in_source.clone(),
                        format!(
                            "relation `{}`/`{}`: table `{table}` is not in the project",
                            r.name_in_source, r.name_in_target
                        ),
                    ));
                }
                if !has_column(table, column) {
                    return Err((
                        r.name_in_source.clone(),
                        format!(
                            "relation `{}`/`{}`: {role} `{column}` is not a column of `{table}`",
                            r.name_in_source, r.name_in_target
                        ),
                    ));
                }
            }
            for (table, field) in [
                (&r.source_table, &r.name_in_source),
                (&r.target_table, &r.name_in_target),
            ] {
                if !is_graphql_name(field) || self.tables[table].columns.contains_key(field) {
                    return Err((field.clone(), format!("relation field `{table}.{field}` is not a valid GraphQL name or clashes with a column")));
                }
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
            .skip(1)
            .filter_map(|rest| rest.split("```").next())
            .find(|block| block.starts_with("[run]"))
            .expect("README.md has a ```toml block of zion-e2e.toml, starting with [run]");
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
    fn a_teams_tables_without_payments_still_check_the_accounts_values() {
        let text = "[tables.account]\ncolumns = { id = \"bigint\", name = \"String\" }\n\n[[accounts]]\nid = 1\ntoken = \"t\"\nvalues = { can_use_ai = false }\n";
        let e = err(text);
        assert_eq!(
            e,
            "zion-e2e.toml:7: account 1: `can_use_ai` is not a column of table `account`"
        );
        // Without an order table and without [order_table] the project has no payments, and
        // the seeds' defaults for the account ([on_paid]) are dropped rather than refused.
        let config = ProjectConfig::from_toml_str(
            &text.replace("can_use_ai = false", "name = \"Alice\""),
            "x",
        )
        .unwrap();
        assert!(!config.payments);
        assert!(config.on_paid.account_set.is_empty() && config.on_paid.credit_column.is_none());
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
