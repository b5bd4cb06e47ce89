//! Runs one Yuma epoch offline: `yuma-sim < input.json > output.json` (formats in yuma.md).

use std::{io::Read, process::ExitCode};

fn main() -> ExitCode {
	let mut input = String::new();
	if let Err(e) = std::io::stdin().read_to_string(&mut input) {
		eprintln!("yuma-sim: cannot read standard input: {e}");
		return ExitCode::FAILURE;
	}
	match luxtensor_yuma::simulator::run(&input) {
		Ok(output) => {
			println!("{output}");
			ExitCode::SUCCESS
		}
		Err(e) => {
			eprintln!("yuma-sim: invalid input: {e}");
			ExitCode::FAILURE
		}
	}
}
