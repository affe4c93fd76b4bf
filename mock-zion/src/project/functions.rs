//! The functions a filter operand may call, per operand type: the part of Zion's function
//! catalogue that mock-zion evaluates (in SQL, see [`crate::db::operand`]). The schema
//! generator turns this list into the `*_op` input types, so a function mock-zion cannot
//! evaluate is refused by validation, by name, instead of answering wrongly.
//!
//! Source: Zion's database rules ("Function Fields"); argument names are theirs.

use super::model::OpType;

/// The type of one function argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    /// A single value operand (`t_bigint_op`).
    Op(OpType),
    /// An array operand (`t_text_array_op`).
    Array(OpType),
    /// A list of single value operands (`[t_text_op!]`, as `concat` takes).
    OpList(OpType),
    /// One of Zion's shared enums (`timestamp_unit_enum_op`).
    Enum(&'static str),
}

/// One function field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Function {
    /// The field name.
    pub name: &'static str,
    /// A single unnamed argument (`lower: t_text_op`) or named ones (`name`, type, required).
    pub args: Args,
}

/// A function's arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Args {
    /// The field's value is the one argument.
    One(Arg),
    /// The field's value is an input object with these fields.
    Named(&'static [(&'static str, Arg, bool)]),
}

use Arg::{Array, Enum, Op, OpList};
use OpType::*;

/// The functions of a single value operand of type `op`.
///
/// ```
/// use mock_zion::project::{functions::functions, OpType};
/// assert!(functions(OpType::Bigint).iter().any(|f| f.name == "extract_timestamptz"));
/// assert!(functions(OpType::Timestamptz).iter().any(|f| f.name == "adjust"));
/// ```
pub fn functions(op: OpType) -> Vec<Function> {
    let f = |name, args| Function { name, args };
    let mut list = match op {
        Text => vec![
            f("concat", Args::One(OpList(Text))),
            f("lower", Args::One(Op(Text))),
            f("upper", Args::One(Op(Text))),
            f(
                "substring",
                Args::Named(&[
                    ("source_text", Op(Text), true),
                    ("start_index", Op(Bigint), true),
                    ("end_index", Op(Bigint), true),
                ]),
            ),
            f(
                "left",
                Args::Named(&[
                    ("source_text", Op(Text), true),
                    ("length", Op(Bigint), true),
                ]),
            ),
            f(
                "right",
                Args::Named(&[
                    ("source_text", Op(Text), true),
                    ("length", Op(Bigint), true),
                ]),
            ),
            f(
                "join",
                Args::Named(&[("array", Array(Text), true), ("separator", Op(Text), true)]),
            ),
            f("cast_from_bigint", Args::One(Op(Bigint))),
            f("cast_from_decimal", Args::One(Op(Decimal))),
            f("cast_from_boolean", Args::One(Op(Boolean))),
            f("cast_from_timestamptz", Args::One(Op(Timestamptz))),
            f("cast_from_date", Args::One(Op(Date))),
            f("cast_from_jsonb", Args::One(Op(Jsonb))),
        ],
        Bigint => vec![
            f("string_len", Args::One(Op(Text))),
            f(
                "position",
                Args::Named(&[
                    ("source_text", Op(Text), true),
                    ("search_text", Op(Text), true),
                ]),
            ),
            f("round_up", Args::One(Op(Decimal))),
            f("round_down", Args::One(Op(Decimal))),
            f("cast_from_decimal", Args::One(Op(Decimal))),
            f(
                "extract_timestamptz",
                Args::Named(&[
                    ("time", Op(Timestamptz), true),
                    ("unit", Enum("timestamp_unit_enum_op"), true),
                ]),
            ),
            f(
                "extract_date",
                Args::Named(&[
                    ("time", Op(Date), true),
                    ("unit", Enum("date_unit_enum_op"), true),
                ]),
            ),
            f(
                "extract_timestamptz_duration",
                Args::Named(&[
                    ("start_time", Op(Timestamptz), true),
                    ("end_time", Op(Timestamptz), true),
                    ("unit", Enum("timestamp_unit_enum_op"), true),
                ]),
            ),
        ],
        Decimal => vec![f("cast_from_bigint", Args::One(Op(Bigint)))],
        Boolean => vec![f(
            "contains",
            Args::Named(&[
                ("source_text", Op(Text), true),
                ("search_text", Op(Text), true),
            ]),
        )],
        Timestamptz => vec![f(
            "adjust",
            Args::Named(&[
                ("timestamptz", Op(Timestamptz), true),
                ("increase", Op(Boolean), true),
                ("years", Op(Bigint), false),
                ("months", Op(Bigint), false),
                ("days", Op(Bigint), false),
                ("hours", Op(Bigint), false),
                ("minutes", Op(Bigint), false),
                ("seconds", Op(Bigint), false),
                ("milliseconds", Op(Bigint), false),
            ]),
        )],
        Date => vec![
            f(
                "adjust",
                Args::Named(&[
                    ("date", Op(Date), true),
                    ("increase", Op(Boolean), true),
                    ("years", Op(Bigint), false),
                    ("months", Op(Bigint), false),
                    ("days", Op(Bigint), false),
                ]),
            ),
            f("cast_from_timestamptz", Args::One(Op(Timestamptz))),
        ],
        Timetz => vec![f("cast_from_timestamptz", Args::One(Op(Timestamptz)))],
        Jsonb | GeoPoint => Vec::new(),
    };
    if matches!(op, Bigint | Decimal) {
        list.extend([
            f("add", Args::Named(&ARITH_ADD[op_index(op)])),
            f("subtract", Args::Named(&ARITH_SUB[op_index(op)])),
            f("multiply", Args::Named(&ARITH_ADD[op_index(op)])),
            f("divide", Args::Named(&ARITH_DIV[op_index(op)])),
            f("modulo", Args::Named(&ARITH_DIV[op_index(op)])),
            f("abs", Args::One(Op(op))),
        ]);
    }
    if matches!(op, Bigint | Decimal | Text | Boolean | Jsonb) {
        list.push(f(
            "json_extract_by_dot_notation_jsonpath",
            Args::Named(&[("json", Op(Jsonb), true), ("path", Op(Text), true)]),
        ));
    }
    if op != GeoPoint {
        list.extend([
            f("max", Args::Named(&PAIRS[op as usize])),
            f("min", Args::Named(&PAIRS[op as usize])),
            f("item", Args::Named(&ITEMS[op as usize])),
            f("first_item", Args::One(Array(op))),
            f("last_item", Args::One(Array(op))),
        ]);
    }
    list
}

fn op_index(op: OpType) -> usize {
    usize::from(op == Decimal)
}

const ARITH_ADD: [[(&str, Arg, bool); 2]; 2] = [
    [("value0", Op(Bigint), true), ("value1", Op(Bigint), true)],
    [("value0", Op(Decimal), true), ("value1", Op(Decimal), true)],
];
const ARITH_SUB: [[(&str, Arg, bool); 2]; 2] = [
    [
        ("minuend", Op(Bigint), true),
        ("subtrahend", Op(Bigint), true),
    ],
    [
        ("minuend", Op(Decimal), true),
        ("subtrahend", Op(Decimal), true),
    ],
];
const ARITH_DIV: [[(&str, Arg, bool); 2]; 2] = [
    [
        ("dividend", Op(Bigint), true),
        ("divisor", Op(Bigint), true),
    ],
    [
        ("dividend", Op(Decimal), true),
        ("divisor", Op(Decimal), true),
    ],
];

const fn pair(op: OpType) -> [(&'static str, Arg, bool); 2] {
    [("value0", Op(op), true), ("value1", Op(op), true)]
}
const fn item(op: OpType) -> [(&'static str, Arg, bool); 2] {
    [("array", Array(op), true), ("index", Op(Bigint), true)]
}
const PAIRS: [[(&str, Arg, bool); 2]; 9] = [
    pair(Bigint),
    pair(Decimal),
    pair(Text),
    pair(Boolean),
    pair(Jsonb),
    pair(GeoPoint),
    pair(Timestamptz),
    pair(Timetz),
    pair(Date),
];
const ITEMS: [[(&str, Arg, bool); 2]; 9] = [
    item(Bigint),
    item(Decimal),
    item(Text),
    item(Boolean),
    item(Jsonb),
    item(GeoPoint),
    item(Timestamptz),
    item(Timetz),
    item(Date),
];

/// The functions of an array operand of type `op`: `slice` for all, `split` for text.
pub fn array_functions(op: OpType) -> Vec<Function> {
    let mut list = vec![Function {
        name: "slice",
        args: Args::Named(&SLICES[op as usize]),
    }];
    if op == Text {
        list.push(Function {
            name: "split",
            args: Args::Named(&[
                ("source_text", Op(Text), true),
                ("delimiter", Op(Text), true),
            ]),
        });
    }
    list
}

const fn slice(op: OpType) -> [(&'static str, Arg, bool); 3] {
    [
        ("array", Array(op), true),
        ("start_index", Op(Bigint), true),
        ("length", Op(Bigint), true),
    ]
}
const SLICES: [[(&str, Arg, bool); 3]; 9] = [
    slice(Bigint),
    slice(Decimal),
    slice(Text),
    slice(Boolean),
    slice(Jsonb),
    slice(GeoPoint),
    slice(Timestamptz),
    slice(Timetz),
    slice(Date),
];

/// Zion's shared enums that function arguments use, with their values.
pub const ENUMS: &[(&str, &[&str])] = &[
    ("date_unit_enum_op", &["YEAR", "MONTH", "DAY"]),
    (
        "timestamp_unit_enum_op",
        &[
            "YEAR",
            "MONTH",
            "DAY",
            "HOUR",
            "MINUTE",
            "SECOND",
            "MILLISECOND",
        ],
    ),
];
