//! Amounts: orders hold fen (integers); Alipay and WeChat Pay take yuan (decimals).
//!
//! Yuan are compared as decimals from the JSON text the app sent, never as floats, so
//! `9.9`, `9.90` and `9.900` all equal 990 fen while `990` (fen sent as yuan, the classic
//! bug) and `9.905` do not.

/// Exact fen of a decimal yuan text (`"9.9"` → 990); `None` when it is not a plain decimal
/// or has a fraction of a fen.
///
/// ```
/// use mock_zion::money::yuan_text_to_fen;
/// assert_eq!(yuan_text_to_fen("9.90"), Some(990));
/// assert_eq!(yuan_text_to_fen("0.01"), Some(1));
/// assert_eq!(yuan_text_to_fen("990"), Some(99_000));
/// assert_eq!(yuan_text_to_fen("9.905"), None);
/// assert_eq!(yuan_text_to_fen("1e2"), None);
/// ```
pub fn yuan_text_to_fen(text: &str) -> Option<i64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let negative = whole.starts_with('-');
    let whole = whole.strip_prefix('-').unwrap_or(whole);
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let significant = fraction.trim_end_matches('0');
    if significant.len() > 2 {
        return None;
    }
    let fen_part: i64 = format!("{significant:0<2}").parse().ok()?;
    let fen = whole
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(fen_part)?;
    Some(if negative { -fen } else { fen })
}

/// Fen as a yuan text with two decimals (`990` → `"9.90"`), as Alipay shows amounts.
///
/// ```
/// assert_eq!(mock_zion::money::fen_to_yuan_text(990), "9.90");
/// assert_eq!(mock_zion::money::fen_to_yuan_text(1), "0.01");
/// ```
pub fn fen_to_yuan_text(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", fen.abs() / 100, fen.abs() % 100)
}
