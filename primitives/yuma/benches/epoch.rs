//! The epoch on full subnets: n uids, `validators` of them holding permits and weighing every
//! other uid, with the bonds a previous epoch left. `cargo bench -p luxtensor-yuma`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use luxtensor_yuma::{epoch, EpochInput};
use std::hint::black_box;

/// A subnet in steady state: its previous epoch already ran, so bonds are full.
fn full_subnet(n: u16, validators: u16) -> EpochInput {
	let uids = 0..n;
	let is_validator = |uid: u16| uid < validators;
	let mut input = EpochInput {
		n,
		current_block: 10_000,
		activity_cutoff: 5_000,
		last_epoch_block: 9_640,
		emission: 180_000_000_000,
		kappa: 32_767,
		bonds_moving_average: 900_000,
		max_allowed_validators: validators,
		stake: uids
			.clone()
			.map(|uid| if is_validator(uid) { 1_000 + u64::from(uid) } else { 0 })
			.collect(),
		last_update: uids.clone().map(|uid| if is_validator(uid) { 9_990 } else { 0 }).collect(),
		block_at_registration: vec![0; n.into()],
		validator_permit: uids.clone().map(is_validator).collect(),
		weights: uids
			.clone()
			.map(|i| {
				if !is_validator(i) {
					return Vec::new();
				}
				// Every validator weighs every other uid, with its own pattern.
				(0..n).filter(|&j| j != i).map(|j| (j, (1 + (i ^ j) % 65_535).max(1))).collect()
			})
			.collect(),
		bonds: vec![Vec::new(); n.into()],
	};
	input.bonds = epoch(&input).bonds;
	input
}

fn bench_epoch(c: &mut Criterion) {
	let mut group = c.benchmark_group("epoch");
	group.sample_size(10);
	for n in [256u16, 1024, 4096] {
		for validators in [64u16, 256] {
			let input = full_subnet(n, validators);
			group.bench_with_input(
				BenchmarkId::new(format!("{validators} validators"), n),
				&input,
				|b, input| b.iter(|| epoch(black_box(input))),
			);
		}
	}
	group.finish();
}

criterion_group!(benches, bench_epoch);
criterion_main!(benches);
