//! The `yuma-sim` simulator's JSON formats (yuma.md): input checked field by field, so a
//! malformed file is refused with a message naming what is wrong.

use crate::{epoch, EpochInput, SparseRow, MAX_BONDS_MOVING_AVERAGE};
use std::{collections::BTreeSet, fmt, string::String};

/// Why an input was refused; the message names the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError(pub String);

impl fmt::Display for InputError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(&self.0)
	}
}

impl std::error::Error for InputError {}

/// Parses and checks an input JSON document.
pub fn parse_input(json: &str) -> Result<EpochInput, InputError> {
	let mut deserializer = serde_json::Deserializer::from_str(json);
	let input: EpochInput = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
		let path = e.path().to_string();
		if path == "." {
			InputError(e.inner().to_string())
		} else {
			InputError(std::format!("{path}: {}", e.inner()))
		}
	})?;
	deserializer.end().map_err(|e| InputError(std::format!("after the input object: {e}")))?;
	check(&input)?;
	Ok(input)
}

/// Runs the epoch on an input JSON document and returns the output JSON document.
pub fn run(json: &str) -> Result<String, InputError> {
	let input = parse_input(json)?;
	serde_json::to_string(&epoch(&input)).map_err(|e| InputError(e.to_string()))
}

/// What serde cannot check: lengths, uids and the moving average's range.
fn check(input: &EpochInput) -> Result<(), InputError> {
	let n = usize::from(input.n);
	let lengths = [
		("stake", input.stake.len()),
		("last_update", input.last_update.len()),
		("block_at_registration", input.block_at_registration.len()),
		("validator_permit", input.validator_permit.len()),
		("weights", input.weights.len()),
		("bonds", input.bonds.len()),
	];
	for (field, len) in lengths {
		if len != n {
			return Err(InputError(std::format!("{field}: expected n = {n} entries, found {len}")));
		}
	}
	if input.bonds_moving_average > MAX_BONDS_MOVING_AVERAGE {
		return Err(InputError(std::format!(
			"bonds_moving_average: {} is above {MAX_BONDS_MOVING_AVERAGE}",
			input.bonds_moving_average
		)));
	}
	check_rows("weights", &input.weights, n)?;
	check_rows("bonds", &input.bonds, n)
}

fn check_rows(field: &str, rows: &[SparseRow], n: usize) -> Result<(), InputError> {
	for (i, row) in rows.iter().enumerate() {
		let mut seen = BTreeSet::new();
		for &(uid, _) in row {
			if usize::from(uid) >= n {
				return Err(InputError(std::format!(
					"{field}[{i}]: uid {uid} is out of range (n = {n})"
				)));
			}
			if !seen.insert(uid) {
				return Err(InputError(std::format!("{field}[{i}]: uid {uid} appears twice")));
			}
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	const EXAMPLE: &str = include_str!("../examples/input.json");

	fn with(field: &str, value: &str) -> String {
		let mut json: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
		json[field] = serde_json::from_str(value).unwrap();
		json.to_string()
	}

	fn error(json: &str) -> String {
		parse_input(json).unwrap_err().0
	}

	#[test]
	fn example_runs() {
		let output: serde_json::Value = serde_json::from_str(&run(EXAMPLE).unwrap()).unwrap();
		let emission: u64 =
			output["emission"].as_array().unwrap().iter().map(|x| x.as_u64().unwrap()).sum();
		assert_eq!(emission + output["unpaid"].as_u64().unwrap(), 1_000_000_000);
	}

	#[test]
	fn malformed_input_names_the_field() {
		let mut unknown: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
		unknown["tempo"] = 1.into();
		assert!(error(&unknown.to_string()).contains("unknown field `tempo`"));

		let mut missing: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
		missing.as_object_mut().unwrap().remove("kappa");
		assert!(error(&missing.to_string()).contains("missing field `kappa`"));

		assert_eq!(error(&with("stake", "[1, 2]")), "stake: expected n = 3 entries, found 2");
		assert!(error(&with("kappa", "65536")).starts_with("kappa: invalid value"));
		assert!(error(&with("weights", "[[[2, 70000]], [], []]")).starts_with("weights[0][0][1]:"));
		assert_eq!(
			error(&with("weights", "[[[3, 1]], [], []]")),
			"weights[0]: uid 3 is out of range (n = 3)"
		);
		assert_eq!(
			error(&with("bonds", "[[], [[2, 1], [2, 5]], []]")),
			"bonds[1]: uid 2 appears twice"
		);
		assert_eq!(
			error(&with("bonds_moving_average", "1000001")),
			"bonds_moving_average: 1000001 is above 1000000"
		);
		assert!(error("[]").contains("expected struct EpochInput"));
		assert!(error(&format!("{EXAMPLE} {{}}")).starts_with("after the input object"));
	}
}
