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
