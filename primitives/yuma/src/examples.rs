//! Example subnets, for benchmarks and profiling.

use crate::{epoch, EpochInput};
use alloc::{vec, vec::Vec};

/// A full subnet in steady state: `n` uids, the first `validators` of them holding permits
/// and stake and weighing every other uid (each with its own pattern), and the bonds its
/// previous epoch left.
pub fn full_subnet(n: u16, validators: u16) -> EpochInput {
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
		stake: (0..n)
			.map(|uid| if is_validator(uid) { 1_000u64.saturating_add(uid.into()) } else { 0 })
			.collect(),
		last_update: (0..n).map(|uid| if is_validator(uid) { 9_990 } else { 0 }).collect(),
		block_at_registration: vec![0; n.into()],
		validator_permit: (0..n).map(is_validator).collect(),
		weights: (0..n)
			.map(|i| {
				if !is_validator(i) {
					return Vec::new();
				}
				(0..n)
					.filter(|&j| j != i)
					.map(|j| (j, ((i ^ j) % u16::MAX).saturating_add(1)))
					.collect()
			})
			.collect(),
		bonds: vec![Vec::new(); n.into()],
	};
	input.bonds = epoch(&input).bonds;
	input
}
