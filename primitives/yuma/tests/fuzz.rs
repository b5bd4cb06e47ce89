//! Fuzzing of what takes outside input, on stable Rust (proptest in place of cargo-fuzz,
//! which needs nightly): the epoch on arbitrary inputs, where it promises never to panic,
//! and the simulator's JSON reader on arbitrary bytes and on mutated documents, where a bad
//! document must be refused with a message and a good one must run.
//!
//! The suite runs proptest's default number of cases; `scripts/fuzz.sh` runs many more
//! (`PROPTEST_CASES`).

use luxtensor_yuma::{
	epoch,
	simulator::{parse_input, run},
	EpochInput, SparseRow,
};
use proptest::prelude::*;
use serde_json::Value;

/// Numbers weighted towards the edges, where arithmetic breaks.
fn edgy_u64() -> impl Strategy<Value = u64> {
	prop_oneof![Just(0), Just(1), Just(u64::MAX), Just(u64::MAX - 1), 0..1_000u64, any::<u64>()]
}

fn edgy_u16() -> impl Strategy<Value = u16> {
	prop_oneof![Just(0), Just(1), Just(u16::MAX), any::<u16>()]
}

/// Rows with uids in and out of range, repeated, unsorted, and zero values.
fn rows(n: u16, len: usize) -> impl Strategy<Value = Vec<SparseRow>> {
	let entry = (0..=n.saturating_add(2), edgy_u16());
	prop::collection::vec(prop::collection::vec(entry, 0..6), 0..len)
}

/// Any input at all: per-uid vectors shorter or longer than `n`, extreme numbers.
fn arbitrary_input() -> impl Strategy<Value = EpochInput> {
	(0u16..40).prop_flat_map(|n| {
		let len = usize::from(n) + 3;
		let scalars =
			(edgy_u64(), edgy_u64(), edgy_u64(), edgy_u64(), edgy_u16(), edgy_u64(), edgy_u16());
		let vectors = (
			prop::collection::vec(edgy_u64(), 0..len),
			prop::collection::vec(edgy_u64(), 0..len),
			prop::collection::vec(edgy_u64(), 0..len),
			prop::collection::vec(any::<bool>(), 0..len),
			rows(n, len),
			rows(n, len),
		);
		(Just(n), scalars, vectors).prop_map(|(n, scalars, vectors)| {
			let (current_block, activity_cutoff, last_epoch_block, emission, kappa, bma, max_v) =
				scalars;
			let (stake, last_update, block_at_registration, validator_permit, weights, bonds) =
				vectors;
			EpochInput {
				n,
				current_block,
				activity_cutoff,
				last_epoch_block,
				emission,
				kappa,
				bonds_moving_average: bma,
				max_allowed_validators: max_v,
				stake,
				last_update,
				block_at_registration,
				validator_permit,
				weights,
				bonds,
			}
		})
	})
}

/// A JSON value of any shape, for replacing fields of a document.
fn any_json() -> impl Strategy<Value = Value> {
	let leaf = prop_oneof![
		Just(Value::Null),
		any::<bool>().prop_map(Value::from),
		any::<i64>().prop_map(Value::from),
		any::<u64>().prop_map(Value::from),
		any::<f64>().prop_map(Value::from),
		"[a-z0-9 ]{0,8}".prop_map(Value::from),
	];
	leaf.prop_recursive(3, 24, 4, |inner| {
		prop_oneof![
			prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
			prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
				.prop_map(|map| Value::Object(map.into_iter().collect())),
		]
	})
}

const EXAMPLE: &str = include_str!("../examples/input.json");

/// How a document is damaged: a field replaced, removed, or added; or an element of an
/// array field replaced.
#[derive(Clone, Debug)]
enum Mutation {
	Replace(usize, Value),
	Remove(usize),
	Add(String, Value),
	ReplaceElement(usize, usize, Value),
}

fn mutation() -> impl Strategy<Value = Mutation> {
	prop_oneof![
		(any::<usize>(), any_json()).prop_map(|(field, value)| Mutation::Replace(field, value)),
		any::<usize>().prop_map(Mutation::Remove),
		("[a-z_]{1,12}", any_json()).prop_map(|(name, value)| Mutation::Add(name, value)),
		(any::<usize>(), any::<usize>(), any_json())
			.prop_map(|(field, index, value)| Mutation::ReplaceElement(field, index, value)),
	]
}

fn mutate(document: &mut Value, mutation: Mutation) {
	let object = document.as_object_mut().expect("the example is an object");
	let names: Vec<String> = object.keys().cloned().collect();
	let name = |index: usize| names[index % names.len()].clone();
	match mutation {
		Mutation::Replace(field, value) => {
			object.insert(name(field), value);
		}
		Mutation::Remove(field) => {
			object.remove(&name(field));
		}
		Mutation::Add(field, value) => {
			object.insert(field, value);
		}
		Mutation::ReplaceElement(field, index, value) => {
			if let Some(Value::Array(items)) = object.get_mut(&name(field)) {
				if !items.is_empty() {
					let index = index % items.len();
					items[index] = value;
				}
			}
		}
	}
}

proptest! {
	#[test]
	fn the_epoch_never_panics_and_conserves_on_any_input(input in arbitrary_input()) {
		let output = epoch(&input);
		let n = usize::from(input.n);
		for v in [&output.rank, &output.trust, &output.consensus, &output.incentive,
			&output.dividends, &output.validator_trust] {
			prop_assert_eq!(v.len(), n);
		}
		prop_assert_eq!(output.emission.len(), n);
		prop_assert_eq!(output.validator_permit.len(), n);
		let paid: u128 = output.emission.iter().map(|&x| u128::from(x)).sum();
		prop_assert_eq!(paid + u128::from(output.unpaid), u128::from(input.emission));
		for row in &output.bonds {
			prop_assert!(row.windows(2).all(|w| w[0].0 < w[1].0));
			prop_assert!(row.iter().all(|&(uid, value)| usize::from(uid) < n && value > 0));
		}
	}

	#[test]
	fn the_simulator_refuses_arbitrary_bytes_with_a_message(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
		let text = String::from_utf8_lossy(&bytes);
		if let Err(error) = run(&text) {
			prop_assert!(!error.0.is_empty());
		}
	}

	#[test]
	fn the_simulator_refuses_or_runs_damaged_documents(mutations in prop::collection::vec(mutation(), 1..4)) {
		let mut document: Value = serde_json::from_str(EXAMPLE).expect("the example is JSON");
		for mutation in mutations {
			mutate(&mut document, mutation);
		}
		let text = document.to_string();
		match run(&text) {
			Ok(output) => {
				// What the reader takes, the epoch runs, and the output is JSON that
				// conserves the emission.
				let input = parse_input(&text).expect("run parsed it");
				let output: Value = serde_json::from_str(&output).expect("the output is JSON");
				let paid: u128 = output["emission"]
					.as_array()
					.expect("an emission array")
					.iter()
					.map(|x| u128::from(x.as_u64().expect("a number")))
					.sum();
				let unpaid = u128::from(output["unpaid"].as_u64().expect("a number"));
				prop_assert_eq!(paid + unpaid, u128::from(input.emission));
			},
			Err(error) => prop_assert!(!error.0.is_empty()),
		}
	}
}
