//! A compute subnet's miners are paid partly by verified compute work: the split of the
//! epoch's incentive between compute scores and Yuma's incentive.

use alloc::vec::Vec;
use core::cmp::Reverse;
use luxtensor_primitives::{subnets::Uid, Balance};
use polkadot_sdk::sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding, Perbill, Rounding,
};

/// `amount · part / whole`, rounded down; zero when `whole` is zero.
fn share_of(amount: u128, part: u128, whole: u128) -> u128 {
	multiply_by_rational_with_rounding(amount, part, whole, Rounding::Down).unwrap_or(0)
}

/// The scores by uid `0..n`: uids at or beyond `n` are dropped, a repeated uid counts once.
pub fn scores_by_uid(n: usize, scores: &[(Uid, Balance)]) -> Vec<Balance> {
	let mut by_uid = alloc::vec![0; n];
	for &(uid, score) in scores {
		if let Some(slot) = by_uid.get_mut(usize::from(uid)) {
			*slot = score;
		}
	}
	by_uid
}

/// Each score's share of all of them, out of 65535 (all zero without scores).
pub fn normalized(scores: &[Balance]) -> Vec<u16> {
	let total = scores.iter().fold(0u128, |sum, &score| sum.saturating_add(score));
	scores
		.iter()
		.map(|&score| {
			u16::try_from(share_of(u128::from(u16::MAX), score, total)).unwrap_or(u16::MAX)
		})
		.collect()
}

/// Pays part of the miners' incentive by compute score. The compute pool is `share` of the
/// incentive, but never more than the sum of the scores; each uid gets
/// `pool · score / sum(scores)`, so never more than its own score (what its work burned).
/// The rest goes by Yuma's incentive, rounded down, the dust to the largest Yuma share
/// (the lowest uid on a tie). Returns each uid's new incentive: they add up to the old ones
/// exactly.
pub fn split_incentive(incentive: &[u64], scores: &[Balance], share: Perbill) -> Vec<u64> {
	let total = incentive.iter().fold(0u128, |sum, &amount| sum.saturating_add(amount.into()));
	let scored = scores.iter().fold(0u128, |sum, &score| sum.saturating_add(score));
	let pool = share.mul_floor(total).min(scored);
	if pool == 0 {
		return incentive.to_vec();
	}
	let compute: Vec<u128> = (0..incentive.len())
		.map(|uid| share_of(pool, scores.get(uid).copied().unwrap_or(0), scored))
		.collect();
	let rest = total.saturating_sub(compute.iter().fold(0u128, |sum, &x| sum.saturating_add(x)));
	let mut paid: Vec<u128> = incentive
		.iter()
		.zip(&compute)
		.map(|(&yuma, &compute)| compute.saturating_add(share_of(rest, yuma.into(), total)))
		.collect();
	let dust = total.saturating_sub(paid.iter().fold(0u128, |sum, &x| sum.saturating_add(x)));
	let largest =
		incentive.iter().enumerate().max_by_key(|&(uid, &yuma)| (yuma, Reverse(uid))).map(|x| x.0);
	if let Some(amount) = largest.and_then(|uid| paid.get_mut(uid)) {
		*amount = amount.saturating_add(dust);
	}
	// Each part is at most the total, which came from u64 amounts adding up to one emission.
	paid.into_iter().map(|amount| u64::try_from(amount).unwrap_or(u64::MAX)).collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	fn sum(values: &[u64]) -> u128 {
		values.iter().map(|&x| u128::from(x)).sum()
	}

	#[test]
	fn without_scores_yuma_pays_everything() {
		let incentive = [10, 20, 30];
		assert_eq!(split_incentive(&incentive, &[0, 0, 0], Perbill::from_percent(50)), incentive);
		assert_eq!(split_incentive(&incentive, &[], Perbill::one()), incentive);
	}

	#[test]
	fn the_compute_part_is_a_share_of_the_incentive() {
		// 600 of incentive, half by compute: uid 2 did all the work, 1,000 of scores.
		let paid = split_incentive(&[100, 200, 300], &[0, 0, 1_000], Perbill::from_percent(50));
		assert_eq!(paid, [50, 100, 450]);
	}

	#[test]
	fn the_compute_part_is_capped_at_the_scores() {
		// Half of 600 would be 300, but the work only burned 60: 540 goes by Yuma.
		let paid = split_incentive(&[100, 200, 300], &[20, 40, 0], Perbill::from_percent(50));
		assert_eq!(paid, [20 + 90, 40 + 180, 270]);
	}

	#[test]
	fn scores_by_uid_drops_unknown_uids() {
		assert_eq!(scores_by_uid(3, &[(2, 5), (7, 9), (0, 1)]), [1, 0, 5]);
		assert_eq!(normalized(&[1, 0, 3]), [16_383, 0, 49_151]);
		assert_eq!(normalized(&[0, 0]), [0, 0]);
	}

	/// A small deterministic generator: the tests need no crate for it.
	fn next(state: &mut u64) -> u64 {
		*state ^= *state << 13;
		*state ^= *state >> 7;
		*state ^= *state << 17;
		*state
	}

	#[test]
	fn random_splits_conserve_the_incentive_and_never_pay_more_than_a_score() {
		let mut state = 0x1234_5678_9abc_def0;
		for _ in 0..2_000 {
			let n = (next(&mut state) % 64 + 1) as usize;
			let incentive: Vec<u64> =
				(0..n).map(|_| next(&mut state) % 1_000_000_000_000).collect();
			let scores: Vec<Balance> = (0..n)
				.map(|_| match next(&mut state) % 3 {
					0 => 0,
					_ => Balance::from(next(&mut state) % 1_000_000_000_000),
				})
				.collect();
			let share = Perbill::from_parts((next(&mut state) % 1_000_000_001) as u32);
			let paid = split_incentive(&incentive, &scores, share);
			assert_eq!(sum(&paid), sum(&incentive), "the incentive is conserved");
			let scored: u128 = scores.iter().sum();
			let pool = share.mul_floor(sum(&incentive)).min(scored);
			let rest = sum(&incentive) - pool;
			for uid in 0..n {
				// What a uid gets beyond its Yuma part of the rest is at most its score.
				let yuma = u128::from(incentive[uid]) * rest / sum(&incentive).max(1);
				let extra = u128::from(paid[uid]).saturating_sub(yuma);
				assert!(extra <= scores[uid] + 2 * n as u128, "uid {uid} paid beyond its score");
			}
		}
	}
}
