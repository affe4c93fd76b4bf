//! The data model a mock instance serves, derived once from the project config: each table's
//! physical columns (system and media columns included), its constraints, its relation
//! fields and who may read and write it. The schema generator ([`super::sdl`]) and the
//! database ([`crate::db`]) both read it, so the two cannot disagree.

use std::collections::BTreeMap;

use crate::config::{ColumnType, ProjectConfig, RelationKind};

/// Columns every Zion table has, set by the system and absent from every input type.
pub const SYSTEM_COLUMNS: [&str; 3] = ["id", "created_at", "updated_at"];

/// The nine value types of Zion's filter operands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OpType {
    /// Integers (`integer` and `bigint` columns).
    Bigint,
    /// Numbers (`float8` and `decimal` columns).
    Decimal,
    /// Text.
    Text,
    /// Booleans.
    Boolean,
    /// JSON values.
    Jsonb,
    /// GeoJSON points.
    GeoPoint,
    /// Timestamps with time zone.
    Timestamptz,
    /// Times of day with time zone.
    Timetz,
    /// Dates.
    Date,
}

impl OpType {
    /// All nine, in the order Zion's documentation lists operand wrappers.
    pub const ALL: [OpType; 9] = [
        OpType::Bigint,
        OpType::Decimal,
        OpType::Text,
        OpType::Boolean,
        OpType::Jsonb,
        OpType::GeoPoint,
        OpType::Timestamptz,
        OpType::Timetz,
        OpType::Date,
    ];

    /// The name used in operand wrappers (`bigint_operand`) and type names (`t_bigint_op`).
    pub fn name(self) -> &'static str {
        match self {
            OpType::Bigint => "bigint",
            OpType::Decimal => "decimal",
            OpType::Text => "text",
            OpType::Boolean => "boolean",
            OpType::Jsonb => "jsonb",
            OpType::GeoPoint => "geo_point",
            OpType::Timestamptz => "timestamptz",
            OpType::Timetz => "timetz",
            OpType::Date => "date",
        }
    }

    /// The scalar a `literal` of this type is written as.
    pub fn scalar(self) -> &'static str {
        match self {
            OpType::Bigint => "bigint",
            OpType::Decimal => "Decimal",
            OpType::Text => "String",
            OpType::Boolean => "Boolean",
            OpType::Jsonb => "jsonb",
            OpType::GeoPoint => "geography",
            OpType::Timestamptz => "timestamptz",
            OpType::Timetz => "timetz",
            OpType::Date => "date",
        }
    }

    /// The operand type with this name.
    pub fn from_name(name: &str) -> Option<OpType> {
        OpType::ALL.into_iter().find(|t| t.name() == name)
    }
}

impl ColumnType {
    /// The operand type a filter compares this column as (`integer` as `bigint`, `float8`
    /// as `decimal`, as Zion does); `None` for media columns, which filter by `<col>_id`.
    pub fn op_type(self) -> Option<OpType> {
        Some(match self {
            ColumnType::Bigint | ColumnType::Int => OpType::Bigint,
            ColumnType::Float | ColumnType::Float8 | ColumnType::Decimal => OpType::Decimal,
            ColumnType::String => OpType::Text,
            ColumnType::Boolean => OpType::Boolean,
            ColumnType::Json | ColumnType::Jsonb => OpType::Jsonb,
            ColumnType::Geography => OpType::GeoPoint,
            ColumnType::Timestamptz => OpType::Timestamptz,
            ColumnType::Timetz => OpType::Timetz,
            ColumnType::Date => OpType::Date,
            ColumnType::Image | ColumnType::File | ColumnType::Video => return None,
        })
    }

    /// Numeric columns: `avg`, `sum` and `_inc` apply.
    pub fn is_numeric(self) -> bool {
        matches!(self.op_type(), Some(OpType::Bigint | OpType::Decimal))
    }

    /// Comparable columns: `max` and `min` apply (numbers, times and text).
    pub fn is_comparable(self) -> bool {
        matches!(
            self.op_type(),
            Some(
                OpType::Bigint
                    | OpType::Decimal
                    | OpType::Text
                    | OpType::Timestamptz
                    | OpType::Timetz
                    | OpType::Date
            )
        )
    }
}

/// One stored column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Its name (a media column `cover_image` is stored as `cover_image_id`).
    pub name: String,
    /// Its type (`bigint` for a media id).
    pub ty: ColumnType,
}

/// A media field: `cover_image: FZ_Image` read from the stored `cover_image_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaField {
    /// The field name.
    pub name: String,
    /// `FZ_Image`, `FZ_File` or `FZ_Video`.
    pub ty: ColumnType,
    /// The stored id column.
    pub id_column: String,
}

/// A relation as one table's type sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationField {
    /// The field name (`nameInSource` or `nameInTarget`).
    pub name: String,
    /// The related table.
    pub table: String,
    /// `true` for a list of related rows (the source side of `ONE_TO_MANY`).
    pub many: bool,
    /// This table's column that the join compares.
    pub local_column: String,
    /// The related table's column that the join compares.
    pub remote_column: String,
    /// Whether this is the referenced (source) side, where related rows can be inserted
    /// nested in this table's insert input.
    pub source_side: bool,
}

/// A named unique constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    /// Its name, as `on_conflict.constraint` gives it.
    pub name: String,
    /// Its columns.
    pub columns: Vec<String>,
}

/// One table of the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableModel {
    /// The table's name.
    pub name: String,
    /// Stored columns in name order (`id`, `created_at`, `updated_at` among them).
    pub columns: Vec<Column>,
    /// Media fields.
    pub media: Vec<MediaField>,
    /// Relation fields in name order.
    pub relations: Vec<RelationField>,
    /// Unique constraints in name order (`<t>_pkey` and `<t>_id_key` among them).
    pub constraints: Vec<Constraint>,
    /// The owner column, if rows belong to accounts.
    pub owner: Option<String>,
    /// Whether the anonymous role may read it.
    pub public: bool,
}

impl TableModel {
    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The relation field called `name`.
    pub fn relation(&self, name: &str) -> Option<&RelationField> {
        self.relations.iter().find(|r| r.name == name)
    }

    /// Columns an insert or update may set: all but the system columns.
    pub fn mutable_columns(&self) -> impl Iterator<Item = &Column> {
        self.columns
            .iter()
            .filter(|c| !SYSTEM_COLUMNS.contains(&c.name.as_str()))
    }
}

/// Every table of a project.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Model {
    /// Tables by name.
    pub tables: BTreeMap<String, TableModel>,
}

impl Model {
    /// The model of `config`'s tables and relations (which the config check has validated).
    ///
    /// ```
    /// let model = mock_zion::project::Model::new(&mock_zion::ProjectConfig::default());
    /// let order = &model.tables["order"];
    /// assert!(order.column("created_at").is_some());
    /// assert_eq!(order.constraints[0].name, "order_id_key");
    /// ```
    pub fn new(config: &ProjectConfig) -> Model {
        let mut tables = BTreeMap::new();
        for (name, table) in &config.tables {
            let mut columns: BTreeMap<String, ColumnType> = BTreeMap::new();
            let mut media = Vec::new();
            for (column, ty) in &table.columns {
                if ty.is_media() {
                    let id_column = format!("{column}_id");
                    media.push(MediaField {
                        name: column.clone(),
                        ty: *ty,
                        id_column: id_column.clone(),
                    });
                    columns.insert(id_column, ColumnType::Bigint);
                } else {
                    columns.insert(column.clone(), *ty);
                }
            }
            columns.insert("id".into(), ColumnType::Bigint);
            for system in ["created_at", "updated_at"] {
                columns
                    .entry(system.into())
                    .or_insert(ColumnType::Timestamptz);
            }
            let mut constraints: BTreeMap<String, Vec<String>> = table.unique.clone();
            constraints.insert(format!("{name}_pkey"), vec!["id".into()]);
            constraints.insert(format!("{name}_id_key"), vec!["id".into()]);
            tables.insert(
                name.clone(),
                TableModel {
                    name: name.clone(),
                    columns: columns
                        .into_iter()
                        .map(|(name, ty)| Column { name, ty })
                        .collect(),
                    media,
                    relations: Vec::new(),
                    constraints: constraints
                        .into_iter()
                        .map(|(name, columns)| Constraint { name, columns })
                        .collect(),
                    owner: table.owner.clone(),
                    public: table.public,
                },
            );
        }
        for relation in &config.relations {
            let many = relation.kind == RelationKind::OneToMany;
            if let Some(source) = tables.get_mut(&relation.source_table) {
                source.relations.push(RelationField {
                    name: relation.name_in_source.clone(),
                    table: relation.target_table.clone(),
                    many,
                    local_column: relation.source_column.clone(),
                    remote_column: relation.target_column.clone(),
                    source_side: true,
                });
            }
            if let Some(target) = tables.get_mut(&relation.target_table) {
                target.relations.push(RelationField {
                    name: relation.name_in_target.clone(),
                    table: relation.source_table.clone(),
                    many: false,
                    local_column: relation.target_column.clone(),
                    remote_column: relation.source_column.clone(),
                    source_side: false,
                });
            }
        }
        for table in tables.values_mut() {
            table.relations.sort_by(|a, b| a.name.cmp(&b.name));
        }
        Model { tables }
    }

    /// The table called `name`.
    pub fn table(&self, name: &str) -> Option<&TableModel> {
        self.tables.get(name)
    }
}
