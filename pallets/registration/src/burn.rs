//! The registration price's decay, in fixed point: `price · 2^(−blocks / half_life)`.
//!
//! Evaluated when the price is read rather than written every block: the result equals
//! multiplying by `2^(−1/half_life)` once per block, without a per-block hook.

use luxtensor_primitives::{Balance, BlockNumber};
use polkadot_sdk::sp_runtime::{
	traits::{CheckedDiv, One, Zero},
	FixedPointNumber, FixedU128, Saturating,
};

/// ln 2 with FixedU128's 18 decimals.
const LN_2: FixedU128 = FixedU128::from_inner(693_147_180_559_945_309);

/// Terms of the exponential series: for x < ln 2 the 25th term is below 10^-25.
const EXP_TERMS: u32 = 25;

/// `e^x` for `0 <= x < 1`, by its Taylor series.
fn exp_below_one(x: FixedU128) -> FixedU128 {
	let mut sum = FixedU128::one();
	let mut term = FixedU128::one();
	for k in 1..=EXP_TERMS {
		term = term
			.saturating_mul(x)
			.checked_div(&FixedU128::saturating_from_integer(k))
			.unwrap_or_default();
		if term.is_zero() {
			break;
		}
		sum = sum.saturating_add(term);
	}
	sum
}

/// `value · 2^(−elapsed / half_life)`, rounded down; `value` itself for a zero half-life.
pub fn decay(value: Balance, elapsed: BlockNumber, half_life: BlockNumber) -> Balance {
	let (Some(halvings), Some(remainder)) =
		(elapsed.checked_div(half_life), elapsed.checked_rem(half_life))
	else {
		return value;
	};
	let halved = value.checked_shr(halvings).unwrap_or(0);
	if remainder == 0 {
		return halved;
	}
	// 2^(−r/h) = 1 / e^(ln 2 · r/h), with ln 2 · r/h < ln 2 < 1.
	let exponent = LN_2.saturating_mul(FixedU128::saturating_from_rational(remainder, half_life));
	let growth = exp_below_one(exponent);
	let factor = FixedU128::one().checked_div(&growth).unwrap_or_default();
	factor.saturating_mul_int(halved)
}

#[cfg(test)]
mod tests {
	use super::*;

	const MDT: Balance = 1_000_000_000;

	#[test]
	fn whole_half_lives_halve_exactly() {
		assert_eq!(decay(100 * MDT, 360, 360), 50 * MDT);
		assert_eq!(decay(100 * MDT, 720, 360), 25 * MDT);
		assert_eq!(decay(100 * MDT, 0, 360), 100 * MDT);
		assert_eq!(decay(100 * MDT, 360 * 200, 360), 0);
		assert_eq!(decay(100 * MDT, 5, 0), 100 * MDT);
	}

	#[test]
	fn half_a_half_life_divides_by_root_two() {
		// 100 / sqrt(2) = 70.710678118...
		let value = decay(100 * MDT, 180, 360);
		assert!(value.abs_diff(70_710_678_118) <= 1, "{value}");
	}

	#[test]
	fn equals_decaying_block_by_block() {
		// Multiplying by 2^(-1/h) once per block, with a float as the reference.
		let half_life = 360u32;
		let mut reference = 100.0 * MDT as f64;
		let per_block = 2f64.powf(-1.0 / f64::from(half_life));
		for blocks in 1..=1_000u32 {
			reference *= per_block;
			let value = decay(100 * MDT, blocks, half_life) as f64;
			assert!(
				(value - reference).abs() / reference < 1e-9,
				"block {blocks}: {value} vs {reference}"
			);
		}
	}

	#[test]
	fn never_grows_and_never_panics() {
		for (value, elapsed, half_life) in [
			(Balance::MAX, 1, 1),
			(Balance::MAX, 1, u32::MAX),
			(1, u32::MAX, 1),
			(Balance::MAX, u32::MAX, 7),
		] {
			assert!(decay(value, elapsed, half_life) <= value);
		}
	}
}
