//! The epoch, step by step as numbered in yuma.md.
//!
//! The rules are described step by step in `docs/consensus.md` at the repository root.

use crate::{
	fixed::{self, Divisor, Fixed},
	sparse::{Matrix, Row},
	EpochInput, EpochOutput, SparseRow, Uid, MAX_BONDS_MOVING_AVERAGE,
};
use alloc::{vec, vec::Vec};
use core::cmp::Reverse;

/// Runs one epoch of Yuma consensus. Never panics: missing per-uid values count as zero or
/// false, row entries for uids ≥ n, repeated uids (the first counts) and zero values are
/// ignored, and a `bonds_moving_average` above 1,000,000 counts as 1,000,000.
pub fn epoch(input: &EpochInput) -> EpochOutput {
	let n = usize::from(input.n);
	let per_uid = |values: &[u64]| -> Vec<u64> {
		(0..n).map(|i| values.get(i).copied().unwrap_or(0)).collect()
	};
	let stake = per_uid(&input.stake);
	let last_update = per_uid(&input.last_update);
	let registered = per_uid(&input.block_at_registration);
	let permit: Vec<bool> =
		(0..n).map(|i| input.validator_permit.get(i).copied().unwrap_or(false)).collect();

	// 1. Active: weights set within the activity cutoff.
	let active: Vec<bool> = last_update
		.iter()
		.map(|&block| block.saturating_add(input.activity_cutoff) >= input.current_block)
		.collect();

	// 2. Stake, normalized.
	let total_stake = stake.iter().map(|&stake| u128::from(stake)).fold(0, u128::saturating_add);
	let stake_share: Vec<Fixed> =
		stake.iter().map(|&stake| fixed::ratio(stake.into(), total_stake)).collect();

	// 3. Permits for the next epoch; this one uses the stored ones.
	let new_permit = top_stakes(&stake, input.max_allowed_validators);

	// 4. Active stake: permitted and active validators only.
	let active_stake = fixed::normalize(
		&stake_share
			.iter()
			.zip(active.iter().zip(&permit))
			.map(|(&share, (&active, &permit))| if active && permit { share } else { 0 })
			.collect::<Vec<_>>(),
	);

	// 5. Weights: permitted rows, no self-weight, nothing on miners registered since the
	//    validator's last update; rows normalized.
	let mut weights = Matrix::from_stored(
		&input.weights,
		n,
		|i, j| {
			let j = usize::from(j);
			permit.get(i) == Some(&true) && i != j && last_update.get(i) > registered.get(j)
		},
		u128::from,
	);
	weights.normalize_rows();

	// 6. Consensus: the stake-weighted kappa-quantile of each column.
	let consensus = consensus(&weights, &active_stake, input.kappa);

	// 7-9. Clip to consensus; validator trust, rank, incentive and trust.
	let preranks = weights.column_sums(Some(&active_stake));
	weights.map_columns(|val, j| val.min(consensus.get(usize::from(j)).copied().unwrap_or(0)));
	let validator_trust = weights.row_sums();
	let ranks = weights.column_sums(Some(&active_stake));
	let incentive = fixed::normalize(&ranks);
	let trust: Vec<Fixed> =
		ranks.iter().zip(&preranks).map(|(&rank, &prerank)| fixed::ratio(rank, prerank)).collect();

	// 10. Bonds: an exponential moving average of the clipped, stake-scaled weights.
	let mut bonds = next_bonds(input, &registered, &weights, &active_stake, &ranks);

	// 11. Dividends from the bonds; then only new permit holders keep bond rows.
	let dividends = fixed::normalize(&bonds.mul_vec(&incentive));
	for (row, _) in bonds.rows.iter_mut().zip(&new_permit).filter(|(_, &permit)| !permit) {
		*row = Row::default();
	}
	let bond_rows = upscale_columns(&bonds);

	// 12. Emission split, paying out every token.
	let (emission, incentive_emission, unpaid) =
		split_emission(input.emission, &incentive, &dividends, &active_stake, &stake_share);

	// 13. Outputs.
	let to_u16 =
		|values: &[Fixed]| -> Vec<u16> { values.iter().map(|&x| fixed::to_u16(x)).collect() };
	EpochOutput {
		active,
		rank: to_u16(&ranks),
		trust: to_u16(&trust),
		consensus: to_u16(&consensus),
		incentive: to_u16(&incentive),
		dividends: to_u16(&dividends),
		validator_trust: to_u16(&validator_trust),
		validator_permit: new_permit,
		emission,
		incentive_emission,
		unpaid,
		bonds: bond_rows,
	}
}

/// The root network's consensus over subnets: each column's incentive, as in steps 2 and
/// 4-9 of the epoch with every member permitted and active and no bonds. `weights[i]` is
/// member i's row over columns `0..columns` (entries past that ignored). The result is
/// normalized, or all zero when no member with stake weighed anything.
pub fn root_incentive(
	stake: &[u64],
	weights: &[SparseRow],
	columns: u16,
	kappa: u16,
) -> Vec<Fixed> {
	let total_stake = stake.iter().map(|&stake| u128::from(stake)).fold(0, u128::saturating_add);
	let member_stake: Vec<Fixed> =
		stake.iter().map(|&stake| fixed::ratio(stake.into(), total_stake)).collect();
	let mut matrix =
		Matrix::from_stored_rect(weights, stake.len(), columns.into(), |_, _| true, u128::from);
	matrix.normalize_rows();
	let consensus = consensus(&matrix, &member_stake, kappa);
	matrix.map_columns(|val, j| val.min(consensus.get(usize::from(j)).copied().unwrap_or(0)));
	fixed::normalize(&matrix.column_sums(Some(&member_stake)))
}

/// The `k` largest nonzero stakes; the lower uid wins among equals.
fn top_stakes(stake: &[u64], k: u16) -> Vec<bool> {
	let mut order: Vec<(Reverse<u64>, usize)> = stake
		.iter()
		.enumerate()
		.filter(|(_, &stake)| stake > 0)
		.map(|(i, &stake)| (Reverse(stake), i))
		.collect();
	order.sort_unstable();
	let mut permit = vec![false; stake.len()];
	for (_, i) in order.into_iter().take(k.into()) {
		if let Some(permit) = permit.get_mut(i) {
			*permit = true;
		}
	}
	permit
}

/// For each column j, the first weight (ascending) at which the cumulative active stake of
/// the validators exceeds `1 - kappa`; validators with active stake that did not weigh j
/// count at weight 0. If no weight gets there (kappa = 0), the largest weight.
fn consensus(weights: &Matrix, active_stake: &[Fixed], kappa: u16) -> Vec<Fixed> {
	let threshold = fixed::ratio(u16::MAX.saturating_sub(kappa).into(), u16::MAX.into());
	let voting_stake = fixed::sum(active_stake.iter().copied());
	let n = weights.columns();

	// The voters' entries by column, (weight, voter's stake), in one buffer: column j's are
	// votes[starts[j]..starts[j + 1]].
	let voters = || {
		weights
			.rows
			.iter()
			.zip(active_stake)
			.filter(|(_, &stake)| stake > 0)
			.map(|(row, &stake)| (row, stake))
	};
	let mut starts = vec![0usize; n.saturating_add(1)];
	for (row, _) in voters() {
		for &j in &row.cols {
			if let Some(start) = starts.get_mut(usize::from(j).saturating_add(1)) {
				*start = start.saturating_add(1);
			}
		}
	}
	for j in 1..starts.len() {
		let previous = starts.get(j.saturating_sub(1)).copied().unwrap_or(0);
		if let Some(start) = starts.get_mut(j) {
			*start = start.saturating_add(previous);
		}
	}
	let mut votes: Vec<(Fixed, Fixed)> = vec![(0, 0); starts.last().copied().unwrap_or(0)];
	let mut next = starts.clone();
	for (row, stake) in voters() {
		for (j, weight) in row.entries() {
			if let Some(position) = next.get_mut(usize::from(j)) {
				if let Some(vote) = votes.get_mut(*position) {
					*vote = (weight, stake);
				}
				*position = position.saturating_add(1);
			}
		}
	}

	starts
		.windows(2)
		.map(|bounds| {
			let (start, end) = (bounds.first().copied().unwrap_or(0), bounds.last().copied());
			let Some(votes) = votes.get_mut(start..end.unwrap_or(0)) else { return 0 };
			votes.sort_unstable_by_key(|&(weight, _)| weight);
			let voted = fixed::sum(votes.iter().map(|&(_, stake)| stake));
			let mut cumulative = voting_stake.saturating_sub(voted);
			if cumulative > threshold {
				return 0;
			}
			for &(weight, stake) in votes.iter() {
				cumulative = cumulative.saturating_add(stake);
				if cumulative > threshold {
					return weight;
				}
			}
			votes.last().map_or(0, |&(weight, _)| weight)
		})
		.collect()
}

/// Step 10: `B = alpha · dB + (1 - alpha) · B_old`, column-normalized, where `B_old` is the
/// stored bonds without columns of miners registered since the last epoch, column-normalized,
/// and `dB_ij = Wc_ij · Sa_i` column-normalized (its column sums are the ranks).
fn next_bonds(
	input: &EpochInput,
	registered: &[u64],
	clipped: &Matrix,
	active_stake: &[Fixed],
	ranks: &[Fixed],
) -> Matrix {
	let n = clipped.rows.len();
	let mut old = Matrix::from_stored(
		&input.bonds,
		n,
		|_, j| registered.get(usize::from(j)).is_some_and(|&block| block < input.last_epoch_block),
		fixed::from_u16,
	);
	old.normalize_columns();

	let moving_average = u128::from(input.bonds_moving_average.min(MAX_BONDS_MOVING_AVERAGE));
	let keep = fixed::ratio(moving_average, MAX_BONDS_MOVING_AVERAGE.into());
	let alpha = fixed::ratio(
		u128::from(MAX_BONDS_MOVING_AVERAGE).saturating_sub(moving_average),
		MAX_BONDS_MOVING_AVERAGE.into(),
	);

	let ranks: Vec<Divisor> = ranks.iter().copied().map(Divisor::new).collect();
	let delta = |i: usize, j: Uid, clipped_weight: Fixed| -> Fixed {
		let stake = active_stake.get(i).copied().unwrap_or(0);
		ranks.get(usize::from(j)).map_or(0, |rank| rank.ratio(fixed::mul(clipped_weight, stake)))
	};
	let mut rows = Vec::with_capacity(n);
	for (i, (old_row, clipped_row)) in old.rows.iter().zip(&clipped.rows).enumerate() {
		let mut merged = Row::default();
		let (mut old_entries, mut new_entries) =
			(old_row.entries().peekable(), clipped_row.entries().peekable());
		loop {
			let (j, bond, delta) = match (old_entries.peek().copied(), new_entries.peek().copied())
			{
				(None, None) => break,
				(Some((j, bond)), Some((k, _))) if j < k => {
					old_entries.next();
					(j, bond, 0)
				}
				(Some((j, bond)), None) => {
					old_entries.next();
					(j, bond, 0)
				}
				(Some((j, bond)), Some((k, weight))) if j == k => {
					old_entries.next();
					new_entries.next();
					(j, bond, delta(i, j, weight))
				}
				(_, Some((k, weight))) => {
					new_entries.next();
					(k, 0, delta(i, k, weight))
				}
			};
			let value = fixed::mul(alpha, delta).saturating_add(fixed::mul(keep, bond));
			if value > 0 {
				merged.cols.push(j);
				merged.vals.push(value);
			}
		}
		rows.push(merged);
	}
	drop(old);
	let mut next = Matrix::from_rows(rows, n);
	next.normalize_columns();
	next
}

/// Bond rows as stored: each column scaled so its largest entry is 65535 (rounded half up),
/// zero entries omitted.
fn upscale_columns(bonds: &Matrix) -> Vec<SparseRow> {
	let max = bonds.column_max();
	let halved: Vec<(Divisor, u128)> =
		max.iter().map(|&max| (Divisor::new(max), max / 2)).collect();
	bonds
		.rows
		.iter()
		.map(|row| {
			row.entries()
				.filter_map(|(j, bond)| {
					let (max, half) = halved.get(usize::from(j))?;
					// floor(bond · 65535 / max + 1/2) = floor((bond · 65535 + floor(max / 2)) /
					// max), as the numerator is even before halving; bond ≤ max ≤ a few units.
					let scaled = u64::try_from(bond).map_or_else(
						|_| bond.saturating_mul(u16::MAX.into()),
						|bond| fixed::mul_wide(bond, u16::MAX.into()),
					);
					let scaled = max.div(scaled.saturating_add(*half));
					let scaled = u16::try_from(scaled).unwrap_or(u16::MAX);
					(scaled > 0).then_some((j, scaled))
				})
				.collect()
		})
		.collect()
}

/// Step 12: each uid gets `emission · (I + D) / sum(I + D)` rounded down, the dust going to
/// the largest share (lowest uid on a tie). Without incentive or dividends the shares are
/// the active stake, else the stake; with no stake at all nothing is paid and the whole
/// emission is returned as unpaid. Returns each uid's amount, the part of it paid for
/// incentive (`floor(emission · I / sum(I + D))`), and the unpaid rest.
fn split_emission(
	emission: u64,
	incentive: &[Fixed],
	dividends: &[Fixed],
	active_stake: &[Fixed],
	stake: &[Fixed],
) -> (Vec<u64>, Vec<u64>, u64) {
	let earned: Vec<Fixed> =
		incentive.iter().zip(dividends).map(|(&i, &d)| i.saturating_add(d)).collect();
	let shares = [earned.as_slice(), active_stake, stake]
		.into_iter()
		.find(|shares| shares.iter().any(|&share| share > 0));
	let Some(shares) = shares else {
		return (vec![0; incentive.len()], vec![0; incentive.len()], emission);
	};
	let total = fixed::sum(shares.iter().copied());
	let portion = |share: Fixed| -> u64 {
		u64::try_from(fixed::mul_div(emission.into(), share, total)).unwrap_or(emission)
	};
	let mut paid: Vec<u64> = shares.iter().map(|&share| portion(share)).collect();
	let incentive_paid: Vec<u64> = if shares == earned.as_slice() {
		incentive.iter().map(|&share| portion(share)).collect()
	} else {
		vec![0; incentive.len()]
	};
	let dust = emission.saturating_sub(paid.iter().fold(0, |sum, &x| sum.saturating_add(x)));
	let largest =
		shares.iter().enumerate().max_by_key(|&(i, &share)| (share, Reverse(i))).map(|(i, _)| i);
	if let Some(amount) = largest.and_then(|i| paid.get_mut(i)) {
		*amount = amount.saturating_add(dust);
	}
	(paid, incentive_paid, 0)
}
