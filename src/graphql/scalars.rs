//! The scalars of the contract: `Date` (yyyy-mm-dd), `Decimal` (money), `BigInt`. Keyset
//! cursors live below GraphQL (`reports::cursor`), so an export pages with the same ones.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;
pub use reports::cursor::{
    decode_cursor, decode_key_cursor, encode_cursor, encode_key_cursor, CursorKind, Keyset,
};

/// A calendar day, `yyyy-mm-dd`. Ranges take two of them, both inclusive, read in the account's
/// time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

/// A calendar day, `yyyy-mm-dd`. Ranges take two of them, both inclusive, read in the account's
/// time zone.
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| {
                    InputValueError::custom(format!("`{s}` is not a date of the form yyyy-mm-dd"))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

/// An exact decimal amount of money, as a string with four decimals (e.g. `"1234.5600"`):
/// amounts are kept as integer millionths of the currency unit and never pass through a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    /// Millionths of the currency unit.
    pub micros: i64,
}

impl Decimal {
    pub fn from_micros(micros: i64) -> Self {
        Self { micros }
    }

    /// Rounded half away from zero to four decimals, as the portal shows money.
    pub fn to_text(self) -> String {
        let sign = if self.micros < 0 { "-" } else { "" };
        let abs = i128::from(self.micros).abs();
        let ten_thousandths = (abs + 50) / 100;
        format!(
            "{sign}{}.{:04}",
            ten_thousandths / 10_000,
            ten_thousandths % 10_000
        )
    }
}

/// An exact decimal amount of money, as a string with four decimals (e.g. `"1234.5600"`).
/// Never a float: add amounts with a decimal library, not as numbers.
#[Scalar(name = "Decimal")]
impl ScalarType for Decimal {
    fn parse(value: Value) -> InputValueResult<Self> {
        let Value::String(s) = &value else {
            return Err(InputValueError::expected_type(value));
        };
        let bad = || InputValueError::custom(format!("`{s}` is not a decimal amount"));
        let (negative, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.as_str()),
        };
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty()
            || frac.len() > 6
            || !whole
                .chars()
                .chain(frac.chars())
                .all(|c| c.is_ascii_digit())
        {
            return Err(bad());
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let frac: i64 = format!("{frac:0<6}").parse().map_err(|_| bad())?;
        let micros = whole
            .checked_mul(1_000_000)
            .and_then(|w| w.checked_add(frac))
            .ok_or_else(bad)?;
        Ok(Decimal {
            micros: if negative { -micros } else { micros },
        })
    }

    fn to_value(&self) -> Value {
        Value::String(self.to_text())
    }
}

/// A count too large for GraphQL's 32-bit `Int` (bytes of storage), as a string of digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BigInt(pub i64);

/// A 64-bit integer (e.g. bytes of storage) as a string of digits, since GraphQL's `Int` is
/// 32-bit and JSON numbers lose precision past 2^53.
#[Scalar(name = "BigInt")]
impl ScalarType for BigInt {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => s
                .parse()
                .map(BigInt)
                .map_err(|_| InputValueError::custom(format!("`{s}` is not an integer"))),
            Value::Number(n) => n
                .as_i64()
                .map(BigInt)
                .ok_or_else(|| InputValueError::custom("not an integer")),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_exact_and_shown_with_four_decimals() {
        assert_eq!(Decimal::from_micros(1_234_560_000).to_text(), "1234.5600");
        assert_eq!(Decimal::from_micros(-1_500).to_text(), "-0.0015");
        assert_eq!(Decimal::from_micros(49).to_text(), "0.0000");
        assert_eq!(Decimal::from_micros(50).to_text(), "0.0001");
        let parsed = <Decimal as ScalarType>::parse(Value::String("12.345678".into())).unwrap();
        assert_eq!(parsed.micros, 12_345_678);
        assert!(<Decimal as ScalarType>::parse(Value::String("1e3".into())).is_err());
        assert!(<Decimal as ScalarType>::parse(Value::String(".5".into())).is_err());
    }
}
