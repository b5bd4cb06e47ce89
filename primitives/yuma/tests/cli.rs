//! The `yuma-sim` binary: JSON in, JSON out, a named error and a non-zero exit otherwise.

use std::{
	io::Write,
	process::{Command, Output, Stdio},
};

fn simulate(input: &str) -> Output {
	let mut child = Command::new(env!("CARGO_BIN_EXE_yuma-sim"))
		.stdin(Stdio::piped())
		.stdout(Stdio::piped())
		.stderr(Stdio::piped())
		.spawn()
		.unwrap();
	child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
	child.wait_with_output().unwrap()
}

#[test]
fn example_input_gives_the_documented_output_format() {
	let output = simulate(include_str!("../examples/input.json"));
	assert!(output.status.success());
	let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
	let fields: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
	let mut expected = vec![
		"active",
		"bonds",
		"consensus",
		"dividends",
		"emission",
		"incentive",
		"rank",
		"trust",
		"unpaid",
		"validator_permit",
		"validator_trust",
	];
	expected.sort();
	assert_eq!(fields, expected);
	// Validator 0 holds twice validator 1's stake; miner 2 gets everyone's weight.
	assert_eq!(json["incentive"], serde_json::json!([0, 0, 65535]));
	assert_eq!(json["dividends"], serde_json::json!([43690, 21845, 0]));
	assert_eq!(json["emission"], serde_json::json!([333333333, 166666666, 500000001]));
	assert_eq!(json["bonds"], serde_json::json!([[[2, 65535]], [[2, 32768]], []]));
}

#[test]
fn malformed_input_exits_non_zero_naming_the_field() {
	let output = simulate(r#"{"n": 2, "current_block": "soon"}"#);
	assert!(!output.status.success());
	assert!(output.stdout.is_empty());
	let stderr = String::from_utf8(output.stderr).unwrap();
	assert!(stderr.starts_with("yuma-sim: invalid input: current_block: invalid type"), "{stderr}");
}
