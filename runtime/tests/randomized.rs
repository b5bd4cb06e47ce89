//! Randomized call sequences against the whole runtime.
//!
//! Each sequence starts from the development preset's genesis, sets up a subnet with staked
//! validators and compute enabled, then runs seeded random steps: signed transactions of
//! every custom pallet's calls (plus balances, staking, utility, proxy and sudo) with
//! valid-ish and hostile arguments, and blocks going by. Blocks are built as the node
//! builds them (`on_initialize`, the timestamp inherent, the transactions through every
//! transaction extension, `on_idle` and `on_finalize`), and after every block each
//! pallet's storage invariants and the issuance (the sum of all balances) are checked, as
//! are the block's weight and that no call ends with a corruption error.
//!
//! A failure prints its seed and a shrunk sequence that still fails. The suite runs a few
//! sequences; `scripts/randomized.sh` runs many:
//! `LUXTENSOR_RANDOM_SEQUENCES`, `LUXTENSOR_RANDOM_STEPS` and `LUXTENSOR_RANDOM_SEED` set
//! how many, how long, and from which seed.

#[path = "randomized/chain.rs"]
mod chain;
mod common;
#[path = "randomized/generate.rs"]
mod generate;

use chain::{Chain, Keys, Stats, Step};
use generate::{setup, Generator};
use polkadot_sdk::{sp_genesis_builder::DEV_RUNTIME_PRESET, sp_runtime::Storage};
use std::panic::{catch_unwind, AssertUnwindSafe};

fn setting(name: &str, default: u64) -> u64 {
	match std::env::var(name) {
		Ok(value) => value.parse().unwrap_or_else(|_| panic!("{name}={value} is not a number")),
		Err(_) => default,
	}
}

/// Runs `step` on `chain`, turning a panic into an error.
fn run_step(chain: &mut Chain, keys: &Keys, step: &Step) -> Result<(), String> {
	catch_unwind(AssertUnwindSafe(|| chain.run(keys, step))).unwrap_or_else(|panic| {
		let message = panic
			.downcast_ref::<String>()
			.cloned()
			.or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
			.unwrap_or_default();
		Err(format!("panic: {message}"))
	})
}

/// A failed sequence: its steps up to the failing one, and what failed.
struct Failure {
	steps: Vec<Step>,
	error: String,
}

/// Generates and runs one sequence: the setup, `length` generated steps, and a last block
/// closed and checked.
fn generate_and_run(
	seed: u64,
	length: u64,
	genesis: &Storage,
	keys: &Keys,
) -> Result<Stats, Failure> {
	let mut chain = Chain::new(genesis);
	let mut generator = Generator::new(seed, keys);
	let setup = setup(keys);
	let total = setup.len() + length as usize + 1;
	let mut steps = Vec::with_capacity(total);
	for index in 0..total {
		let step = match setup.get(index) {
			Some(step) => step.clone(),
			None if index + 1 < total => generator.next(&mut chain),
			None => Step::Blocks(1),
		};
		let outcome = run_step(&mut chain, keys, &step);
		steps.push(step);
		if let Err(error) = outcome {
			return Err(Failure { steps, error });
		}
	}
	Ok(chain.stats)
}

/// Runs `steps` from genesis: the first error, if any, with the index of its step.
fn replay(steps: &[Step], genesis: &Storage, keys: &Keys) -> Option<(usize, String)> {
	let mut chain = Chain::new(genesis);
	let closing = [Step::Blocks(1)];
	let found = steps.iter().chain(&closing).enumerate().find_map(|(index, step)| {
		run_step(&mut chain, keys, step).err().map(|error| (index, error))
	});
	found
}

/// The kind of a failure, which shrinking keeps: the text before the first colon.
fn kind(error: &str) -> &str {
	error.split(':').next().unwrap_or(error)
}

/// Shrinks a failing sequence by dropping ever smaller runs of steps while it still fails
/// the same way, then shortening the blocks that go by.
fn shrink(failure: &Failure, genesis: &Storage, keys: &Keys) -> (Vec<Step>, String) {
	let mut steps = failure.steps.clone();
	let mut error = failure.error.clone();
	let still_fails =
		|candidate: &[Step], error: &mut String| match replay(candidate, genesis, keys) {
			Some((_, found)) if kind(&found) == kind(&failure.error) => {
				*error = found;
				true
			}
			_ => false,
		};
	let mut chunk = steps.len().div_ceil(2);
	while chunk >= 1 {
		let mut start = 0;
		while start < steps.len() {
			let end = (start + chunk).min(steps.len());
			let mut candidate = steps[..start].to_vec();
			candidate.extend_from_slice(&steps[end..]);
			if still_fails(&candidate, &mut error) {
				steps = candidate;
			} else {
				start = end;
			}
		}
		chunk /= 2;
	}
	for index in 0..steps.len() {
		while let Step::Blocks(count) = steps[index] {
			if count <= 1 {
				break;
			}
			let mut candidate = steps.clone();
			candidate[index] = Step::Blocks(count / 2);
			if !still_fails(&candidate, &mut error) {
				break;
			}
			steps = candidate;
		}
	}
	(steps, error)
}

fn report(sequences: u64, stats: &Stats) {
	let total = |map: &std::collections::BTreeMap<String, u64>| map.values().sum::<u64>();
	println!(
		"{sequences} sequences: {} blocks, {} transactions: {} succeeded ({} distinct calls), \
		 {} failed in dispatch, {} refused by the extensions",
		stats.blocks,
		stats.calls,
		total(&stats.succeeded),
		stats.succeeded.len(),
		total(&stats.failed),
		total(&stats.refused),
	);
	let top = |title: &str, map: &std::collections::BTreeMap<String, u64>| {
		let mut entries: Vec<_> = map.iter().collect();
		entries.sort_by(|a, b| b.1.cmp(a.1));
		let listed: Vec<String> = entries.iter().map(|(k, v)| format!("{k} {v}")).collect();
		println!("{title}: {}", listed.join(", "));
	};
	top("succeeded", &stats.succeeded);
	top("failed", &stats.failed);
	top("refused", &stats.refused);
}

#[test]
fn randomized_call_sequences_keep_every_invariant() {
	let sequences = setting("LUXTENSOR_RANDOM_SEQUENCES", 40);
	let length = setting("LUXTENSOR_RANDOM_STEPS", 150);
	let seed = setting("LUXTENSOR_RANDOM_SEED", 0x4c75_7854);
	let genesis = common::preset_storage(DEV_RUNTIME_PRESET);
	let keys = Keys::new();
	let mut stats = Stats::default();
	for sequence in 0..sequences {
		let sequence_seed = seed.wrapping_add(sequence);
		match generate_and_run(sequence_seed, length, &genesis, &keys) {
			Ok(sequence_stats) => stats.merge(sequence_stats),
			Err(failure) => {
				let (minimal, error) = shrink(&failure, &genesis, &keys);
				let listed: Vec<String> = minimal
					.iter()
					.enumerate()
					.map(|(i, step)| format!("  {i}: {step:?}"))
					.collect();
				panic!(
					"sequence seed {sequence_seed} failed after {} steps: {}\n\
					 shrunk to {} steps, failing with: {error}\n{}\n\
					 rerun: LUXTENSOR_RANDOM_SEED={sequence_seed} LUXTENSOR_RANDOM_SEQUENCES=1 \
					 LUXTENSOR_RANDOM_STEPS={length}",
					failure.steps.len(),
					failure.error,
					minimal.len(),
					listed.join("\n"),
				);
			}
		}
	}
	report(sequences, &stats);
	// The generator reaches deep into the flows, not only into early refusals.
	for call in [
		"Registration.burned_register",
		"Weights.set_weights",
		"Stake.add_stake",
		"Compute.register_provider",
		"Compute.post_job",
	] {
		assert!(stats.succeeded.contains_key(call), "no {call} succeeded");
	}
}
