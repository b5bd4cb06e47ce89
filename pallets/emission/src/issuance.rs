//! The emission curve and how an amount is split by shares, exactly and without floats.

use alloc::vec::Vec;
use luxtensor_primitives::Balance;
use polkadot_sdk::sp_runtime::helpers_128bit::multiply_by_rational_with_rounding;
use polkadot_sdk::sp_runtime::Rounding;

/// The emission of a block when `issued` MDT exist or are owed: `base` until half of
/// `max_supply` is issued, then halved each time half of what remains is issued (10.5M,
/// 15.75M, 18.375M ... of 21M), and never more than what is left below `max_supply`.
pub fn block_emission(issued: Balance, base: Balance, max_supply: Balance) -> Balance {
	let mut emission = base;
	let mut threshold = max_supply / 2;
	// Each round halves the emission, so this ends within 128 rounds.
	while issued >= threshold && emission > 0 {
		emission /= 2;
		threshold = threshold.saturating_add(max_supply.saturating_sub(threshold) / 2);
		if threshold >= max_supply.saturating_sub(1) {
			// Nothing is left to halve towards: whatever remains below the cap is the last.
			break;
		}
	}
	emission.min(max_supply.saturating_sub(issued))
}

/// Splits `total` across keys in proportion to their shares, rounding down, then gives the
/// units lost to rounding one each to the first keys: the parts add up to `total` exactly.
/// With no shares at all (or all zero), it splits equally. No keys: nothing.
pub fn split<K: Copy>(total: Balance, shares: &[(K, u64)]) -> Vec<(K, Balance)> {
	let share_sum: u128 = shares.iter().map(|(_, share)| u128::from(*share)).sum();
	let count = shares.len() as u128;
	if count == 0 {
		return Vec::new();
	}
	let mut parts: Vec<(K, Balance)> = shares
		.iter()
		.map(|(key, share)| {
			let part = if share_sum == 0 {
				total.checked_div(count).unwrap_or(0)
			} else {
				multiply_by_rational_with_rounding(
					total,
					u128::from(*share),
					share_sum,
					Rounding::Down,
				)
				.unwrap_or(0)
			};
			(*key, part)
		})
		.collect();
	// Each part lost less than one unit to rounding, and only parts with a share lost any:
	// one pass over those hands the rest out.
	let mut left = total.saturating_sub(parts.iter().map(|(_, part)| *part).sum());
	for ((_, part), (_, share)) in parts.iter_mut().zip(shares) {
		if left == 0 {
			break;
		}
		if share_sum == 0 || *share > 0 {
			*part = part.saturating_add(1);
			left = left.saturating_sub(1);
		}
	}
	parts
}

#[cfg(test)]
mod tests {
	use super::*;
	use luxtensor_primitives::currency::{BLOCK_EMISSION, MAX_SUPPLY, MDT};

	fn emission_at(issued: Balance) -> Balance {
		block_emission(issued, BLOCK_EMISSION, MAX_SUPPLY)
	}

	#[test]
	fn emission_halves_at_each_threshold() {
		assert_eq!(emission_at(0), MDT / 2);
		assert_eq!(emission_at(10_500_000 * MDT - 1), MDT / 2);
		assert_eq!(emission_at(10_500_000 * MDT), MDT / 4);
		assert_eq!(emission_at(15_750_000 * MDT - 1), MDT / 4);
		assert_eq!(emission_at(15_750_000 * MDT), MDT / 8);
		assert_eq!(emission_at(18_375_000 * MDT), MDT / 16);
		assert_eq!(emission_at(19_687_500 * MDT), MDT / 32);
	}

	#[test]
	fn emission_never_passes_the_cap() {
		assert_eq!(emission_at(MAX_SUPPLY), 0);
		assert_eq!(emission_at(MAX_SUPPLY + 5), 0);
		for below in [1, 2, 3, 1_000, MDT] {
			let emission = emission_at(MAX_SUPPLY - below);
			assert!(emission <= below, "{below} below the cap emits {emission}");
		}
		// Every halving threshold up to the cap halves again, until nothing is left.
		let mut threshold = MAX_SUPPLY / 2;
		let mut expected = MDT / 2;
		while expected > 1 {
			expected /= 2;
			assert_eq!(emission_at(threshold), expected.min(MAX_SUPPLY - threshold));
			threshold += (MAX_SUPPLY - threshold) / 2;
		}
	}

	#[test]
	fn split_is_exact() {
		assert_eq!(split(10, &[(1u16, 0), (2, 0), (3, 0)]), vec![(1, 4), (2, 3), (3, 3)]);
		assert_eq!(split(10, &[(1u16, 1), (2, 1), (3, 2)]), vec![(1, 3), (2, 2), (3, 5)]);
		assert_eq!(split(7, &[(1u16, 0), (2, 5)]), vec![(1, 0), (2, 7)]);
		assert_eq!(split::<u16>(7, &[]), vec![]);
		let shares: Vec<(u16, u64)> = (0..100).map(|k| (k, u64::from(k) * 7 + 1)).collect();
		for total in [0, 1, 99, 12_345_678_901, MAX_SUPPLY] {
			let parts = split(total, &shares);
			assert_eq!(parts.iter().map(|(_, part)| part).sum::<Balance>(), total);
		}
	}
}
