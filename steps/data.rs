//! Steps that put data in the scenario's mock Zion project.

use cucumber::gherkin::Step;
use cucumber::given;

use super::ShopWorld;

/// Adds rows to a table of the project; the data table's first row names the columns.
#[given(expr = "the {string} table has these rows:")]
#[given(expr = "{string} 表有这些行：")]
async fn table_has_rows(w: &mut ShopWorld, table: String, step: &Step) -> Result<(), String> {
    let result = insert_rows(w, &table, step);
    w.explain(result).await
}

fn insert_rows(w: &ShopWorld, table: &str, step: &Step) -> Result<(), String> {
    let Some(data) = &step.table else {
        return Err(format!(
            "the step gives no rows: put a data table under it, its first row naming the columns of `{table}`"
        ));
    };
    let config = w.zion.config();
    let declared = config.tables.get(table);
    let rows = crate::rows::rows_from_table(&data.rows, |column| {
        declared.and_then(|t| t.columns.get(column).copied())
    })
    .map_err(|e| format!("the rows for `{table}`: {e}"))?;
    for row in rows {
        w.zion
            .insert_row(table, row)
            .map_err(|e| format!("could not add a row to `{table}`: {e}"))?;
    }
    Ok(())
}

/// Adds accounts to the project: the columns `id`, then optionally `username` and
/// `password` (they log in with `authenticateWithUsername`), `token` (a Bearer token that
/// stands for them; `token-<id>` by default) and any column of the account table.
#[given(expr = "these accounts:")]
#[given(expr = "这些账户：")]
async fn these_accounts(w: &mut ShopWorld, step: &Step) -> Result<(), String> {
    let result = add_accounts(w, step);
    w.explain(result).await
}

fn add_accounts(w: &ShopWorld, step: &Step) -> Result<(), String> {
    let Some(data) = &step.table else {
        return Err("the step gives no accounts: put a data table under it (| id | username | password | … |)".into());
    };
    let config = w.zion.config();
    let declared = config.tables.get(&config.account_table.name);
    let rows = crate::rows::rows_from_table(&data.rows, |column| {
        declared.and_then(|t| t.columns.get(column).copied())
    })
    .map_err(|e| format!("the accounts: {e}"))?;
    for (i, mut row) in rows.into_iter().enumerate() {
        let text = |v: Option<serde_json::Value>| match v {
            Some(serde_json::Value::String(s)) => Some(s),
            Some(serde_json::Value::Null) | None => None,
            Some(other) => Some(other.to_string()),
        };
        let id = row
            .remove("id")
            .and_then(|v| v.as_i64())
            .ok_or_else(|| format!("account row {}: give its whole-number `id`", i + 1))?;
        let username = text(row.remove("username"));
        let password = text(row.remove("password"));
        let token = text(row.remove("token")).unwrap_or_else(|| format!("token-{id}"));
        w.zion
            .add_account(id, &token, row)
            .map_err(|e| format!("could not add account {id}: {e}"))?;
        if let (Some(username), Some(password)) = (username, password) {
            w.zion.set_password_login(id, &username, &password);
        }
    }
    Ok(())
}
