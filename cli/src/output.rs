//! Human output as aligned tables, machine output as JSON, and the formats both share.

use crate::context::Ctx;
use comfy_table::{presets::NOTHING, CellAlignment, Table};
use luxtensor_client::subxt::ext::scale_value::{Composite, Primitive, Value, ValueDef};
use serde_json::json;

/// Prints `value` as JSON with `--json`, else runs `human`.
pub fn print_json_or(ctx: &Ctx, value: &serde_json::Value, human: impl FnOnce()) {
	if ctx.json {
		println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
	} else {
		human();
	}
}

/// An aligned table: a header row, then rows; columns whose header is in `right` are
/// right-aligned (numbers).
pub fn table(header: &[&str], rows: Vec<Vec<String>>, right: &[&str]) -> String {
	let mut table = Table::new();
	table.load_preset(NOTHING).set_header(header.to_vec());
	for row in rows {
		table.add_row(row);
	}
	for (index, name) in header.iter().enumerate() {
		if right.contains(name) {
			if let Some(column) = table.column_mut(index) {
				column.set_cell_alignment(CellAlignment::Right);
			}
		}
	}
	table.to_string()
}

/// A u16 proportion of `u16::MAX` as a fraction with four decimals.
pub fn proportion(value: u16) -> String {
	format!("{:.4}", f64::from(value) / f64::from(u16::MAX))
}

/// A u16 proportion as a JSON number.
pub fn proportion_json(value: u16) -> serde_json::Value {
	let fraction = f64::from(value) / f64::from(u16::MAX);
	serde_json::json!((fraction * 1e6).round() / 1e6)
}

/// An SS58 address shortened for a table column (`5Grwva…utQY`).
pub fn short(address: &str) -> String {
	if address.len() <= 14 {
		return address.into();
	}
	format!("{}…{}", &address[..6], &address[address.len() - 4..])
}

/// A Perbill (parts per billion) as a percentage.
pub fn percent(perbill: u32) -> String {
	let text = format!("{:.4}", f64::from(perbill) / 1e7);
	let text = text.trim_end_matches('0').trim_end_matches('.');
	format!("{text}%")
}

/// A decoded value as JSON: named fields as objects, `Some(x)` as `x`, `None` as null,
/// unit variants as their name, 32-byte arrays as `0x` hex, numbers past u64 as strings.
pub fn value_json<T>(value: &Value<T>) -> serde_json::Value {
	match &value.value {
		ValueDef::Composite(composite) => composite_json(composite),
		ValueDef::Variant(variant) => match (variant.name.as_str(), &variant.values) {
			("None", values) if values.is_empty() => serde_json::Value::Null,
			("Some", Composite::Unnamed(values)) if values.len() == 1 => value_json(&values[0]),
			(name, values) if values.is_empty() => json!(name),
			(name, values) => json!({ name: composite_json(values) }),
		},
		ValueDef::Primitive(primitive) => match primitive {
			Primitive::Bool(flag) => json!(flag),
			Primitive::Char(c) => json!(c.to_string()),
			Primitive::String(text) => json!(text),
			Primitive::U128(n) => match u64::try_from(*n) {
				Ok(n) => json!(n),
				Err(_) => json!(n.to_string()),
			},
			Primitive::I128(n) => match i64::try_from(*n) {
				Ok(n) => json!(n),
				Err(_) => json!(n.to_string()),
			},
			Primitive::U256(bytes) | Primitive::I256(bytes) => {
				json!(format!("0x{}", hex::encode(bytes)))
			}
		},
		ValueDef::BitSequence(bits) => json!(bits.iter().map(|bit| bit as u8).collect::<Vec<_>>()),
	}
}

fn composite_json<T>(composite: &Composite<T>) -> serde_json::Value {
	match composite {
		Composite::Named(fields) => fields
			.iter()
			.map(|(name, value)| (name.clone(), value_json(value)))
			.collect::<serde_json::Map<_, _>>()
			.into(),
		Composite::Unnamed(values) => {
			let bytes: Option<Vec<u8>> = values
				.iter()
				.map(|value| match &value.value {
					ValueDef::Primitive(Primitive::U128(n)) => u8::try_from(*n).ok(),
					_ => None,
				})
				.collect();
			match bytes {
				Some(bytes) if bytes.len() == 32 => json!(format!("0x{}", hex::encode(bytes))),
				_ if values.len() == 1 => value_json(&values[0]),
				_ => json!(values.iter().map(value_json).collect::<Vec<_>>()),
			}
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn numbers_are_formatted_for_people() {
		assert_eq!(proportion(u16::MAX), "1.0000");
		assert_eq!(proportion(0), "0.0000");
		assert_eq!(proportion(32768), "0.5000");
		assert_eq!(proportion_json(u16::MAX), serde_json::json!(1.0));
		assert_eq!(percent(180_000_000), "18%");
		assert_eq!(percent(15_500_000), "1.55%");
		assert_eq!(short("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"), "5Grwva…utQY");
	}

	#[test]
	fn decoded_values_read_naturally_as_json() {
		let value = Value::named_composite([
			("netuid", Value::u128(3)),
			(
				"owner",
				Value::unnamed_composite([Value::unnamed_composite(
					(0..32).map(|_| Value::u128(7)),
				)]),
			),
			("cut", Value::variant("Some", Composite::Unnamed(vec![Value::u128(5)]))),
			("none", Value::variant("None", Composite::Unnamed(vec![]))),
			("kind", Value::variant("Inference", Composite::Unnamed(vec![]))),
			("big", Value::u128(u128::MAX)),
		]);
		assert_eq!(
			value_json(&value),
			json!({
				"netuid": 3,
				"owner": format!("0x{}", "07".repeat(32)),
				"cut": 5,
				"none": null,
				"kind": "Inference",
				"big": u128::MAX.to_string(),
			})
		);
	}

	#[test]
	fn tables_align_their_columns() {
		let text = table(
			&["UID", "HOTKEY", "STAKE"],
			vec![
				vec!["0".into(), "a".into(), "1.5".into()],
				vec!["10".into(), "bbbb".into(), "100".into()],
			],
			&["UID", "STAKE"],
		);
		let lines: Vec<&str> = text.lines().collect();
		assert_eq!(lines.len(), 3, "{text}");
		// Right-aligned numbers end in the same column.
		let end = |line: &str, cell: &str| line.find(cell).map(|at| at + cell.len());
		assert_eq!(end(lines[1], "1.5"), end(lines[2], "100"));
		assert_eq!(end(lines[1], "0"), end(lines[2], "10"));
	}
}
