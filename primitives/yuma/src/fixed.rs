//! Unsigned fixed point with 64 integer and 64 fractional bits (U64F64) in a `u128`.
//!
//! Every operation rounds down and saturates instead of overflowing, so the epoch never
//! panics and gives the same bits on every machine.
//!
//! The runtime runs in wasm32, which has no 128-bit multiply or divide: each `u128` product
//! or quotient is a call into software routines. The proportions the epoch works on are
//! mostly below 1.0 and its denominators mostly fit in 64 bits, so [`mul`] and [`ratio`]
//! take exact 64-bit paths for those ([`mul_wide`], [`div_wide`]: the schoolbook algorithms
//! on 32-bit halves, as in Hacker's Delight, chapters 8 and 9), and a row or column is
//! divided by its sum through that sum's reciprocal ([`Divisor`]). They give the same bits
//! as the 128-bit arithmetic; the tests check that against it.

use polkadot_sdk::sp_arithmetic::{helpers_128bit::multiply_by_rational_with_rounding, Rounding};

/// A U64F64 number: the value times 2^64.
pub type Fixed = u128;

/// 1.0.
pub const ONE: Fixed = 1 << 64;

/// `floor(a * b / c)` with a 256-bit intermediate; 0 when `c` is 0, saturating when the
/// result does not fit.
pub fn mul_div(a: u128, b: u128, c: u128) -> u128 {
	if c == 0 {
		return 0;
	}
	match a.checked_mul(b) {
		Some(product) => product.checked_div(c).unwrap_or(0),
		None => multiply_by_rational_with_rounding(a, b, c, Rounding::Down).unwrap_or(u128::MAX),
	}
}

/// `floor(a * b)`.
pub fn mul(a: Fixed, b: Fixed) -> Fixed {
	if let (Ok(a), Ok(b)) = (u64::try_from(a), u64::try_from(b)) {
		// Both below 1.0: the high half of one 64-bit product.
		return mul_wide(a, b) >> 64;
	}
	mul_by_parts(a, b)
}

/// [`mul`] for any operands: (ah·2^64 + al)(bh·2^64 + bl) / 2^64, exact, from four 64-bit
/// products.
fn mul_by_parts(a: Fixed, b: Fixed) -> Fixed {
	let (a_high, a_low) = (a >> 64, a & u128::from(u64::MAX));
	let (b_high, b_low) = (b >> 64, b & u128::from(u64::MAX));
	a_high
		.saturating_mul(b_high)
		.saturating_mul(ONE)
		.saturating_add(a_high.saturating_mul(b_low))
		.saturating_add(a_low.saturating_mul(b_high))
		.saturating_add(a_low.saturating_mul(b_low) >> 64)
}

/// `floor(numerator / denominator)` as a fixed-point number (0 when the denominator is 0).
pub fn ratio(numerator: u128, denominator: u128) -> Fixed {
	Divisor::new(denominator).ratio(numerator)
}

/// A denominator prepared for many divisions (normalizing a row or a column): with the
/// reciprocal of a 64-bit denominator, each 128-by-64-bit division step is two
/// multiplications instead of two divisions (Möller and Granlund, "Improved division by
/// invariant integers", 2011, algorithm 4). Gives the same bits as dividing.
#[derive(Clone, Copy, Debug)]
pub struct Divisor {
	denominator: u128,
	/// The denominator shifted until its top bit is set (when it fits in 64 bits).
	normalized: u64,
	shift: u32,
	/// floor((2^128 - 1) / normalized) - 2^64.
	reciprocal: u64,
}

impl Divisor {
	/// Prepares `denominator` (0 divides everything to 0).
	pub fn new(denominator: u128) -> Self {
		let (shift, normalized, reciprocal) = match u64::try_from(denominator) {
			Ok(denominator) if denominator > 0 => {
				let shift = denominator.leading_zeros();
				let normalized = denominator.wrapping_shl(shift);
				(shift, normalized, div_wide(!normalized, u64::MAX, normalized))
			}
			_ => (0, 0, 0),
		};
		Self { denominator, normalized, shift, reciprocal }
	}

	/// `ratio(numerator, denominator)`: `floor(numerator / denominator)` as a fixed-point
	/// number, 0 when the denominator is 0.
	pub fn ratio(&self, numerator: u128) -> Fixed {
		match u64::try_from(numerator) {
			Err(_) => mul_div(numerator, ONE, self.denominator),
			Ok(numerator) if self.normalized != 0 => self.div(u128::from(numerator) << 64),
			Ok(numerator) if self.denominator > u128::from(u64::MAX) => {
				ratio_by_wide(numerator, self.denominator).into()
			}
			Ok(_) => 0,
		}
	}

	/// `floor(numerator / denominator)` (0 when the denominator is 0): for a 64-bit
	/// denominator, long division in 64-bit digits.
	pub fn div(&self, numerator: u128) -> u128 {
		if self.normalized == 0 {
			return numerator.checked_div(self.denominator).unwrap_or(0);
		}
		let (high, low) = split(numerator);
		let (whole, rest) =
			if high < self.normalized >> self.shift { (0, high) } else { self.step(0, high) };
		let (fraction, _) = self.step(rest, low);
		(u128::from(whole) << 64) | u128::from(fraction)
	}

	/// `(high · 2^64 + low) / denominator` and its remainder, for `high < denominator`.
	fn step(&self, high: u64, low: u64) -> (u64, u64) {
		// Scale the dividend as the denominator was scaled; high < denominator keeps it
		// within 128 bits.
		let (high, low) = match self.shift {
			0 => (high, low),
			shift => (
				high.wrapping_shl(shift) | low.wrapping_shr(64u32.wrapping_sub(shift)),
				low.wrapping_shl(shift),
			),
		};
		let estimate = mul_wide(self.reciprocal, high)
			.wrapping_add((u128::from(high.wrapping_add(1)) << 64) | u128::from(low));
		let (mut quotient, estimate_low) = split(estimate);
		let mut remainder = low.wrapping_sub(quotient.wrapping_mul(self.normalized));
		if remainder > estimate_low {
			quotient = quotient.wrapping_sub(1);
			remainder = remainder.wrapping_add(self.normalized);
		}
		if remainder >= self.normalized {
			quotient = quotient.wrapping_add(1);
			remainder = remainder.wrapping_sub(self.normalized);
		}
		(quotient, remainder.wrapping_shr(self.shift))
	}
}

/// `floor(numerator · 2^64 / denominator)` for a denominator of at least 2^64 (the quotient
/// fits in 64 bits): Knuth's algorithm D with a two-digit divisor and one quotient digit.
fn ratio_by_wide(numerator: u64, denominator: u128) -> u64 {
	// Normalize: shift the divisor until its top bit is set, the dividend with it.
	let shift = split(denominator).0.leading_zeros();
	let (divisor_high, divisor_low) = split(denominator.wrapping_shl(shift));
	let (dividend_high, dividend_mid) = split(u128::from(numerator).wrapping_shl(shift));
	// The estimate from the top digits is at most 2 too large; shift < 64 keeps
	// dividend_high < 2^63 <= divisor_high, as div_wide needs.
	let mut quotient = div_wide(dividend_high, dividend_mid, divisor_high);
	let mut rest = Some(u128::from(dividend_mid.wrapping_sub(quotient.wrapping_mul(divisor_high))));
	// While quotient · divisor > dividend, that is quotient · divisor_low > rest · 2^64.
	while let Some(remainder) = rest {
		if mul_wide(quotient, divisor_low) <= remainder << 64 {
			break;
		}
		quotient = quotient.saturating_sub(1);
		rest = remainder.checked_add(divisor_high.into()).filter(|r| r >> 64 == 0);
	}
	quotient
}

/// The high and low 64 bits.
fn split(value: u128) -> (u64, u64) {
	((value >> 64) as u64, value as u64)
}

/// The full 128-bit product of two 64-bit numbers.
pub fn mul_wide(a: u64, b: u64) -> u128 {
	#[cfg(target_arch = "wasm32")]
	return mul_wide_by_halves(a, b);
	#[cfg(not(target_arch = "wasm32"))]
	return u128::from(a).wrapping_mul(u128::from(b));
}

/// [`mul_wide`] from four 32 × 32-bit products.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn mul_wide_by_halves(a: u64, b: u64) -> u128 {
	const LOW: u64 = u32::MAX as u64;
	let (a_high, a_low, b_high, b_low) = (a >> 32, a & LOW, b >> 32, b & LOW);
	// Each product of 32-bit halves fits in 64 bits, and so do these sums of 32-bit parts.
	let low = a_low.wrapping_mul(b_low);
	let cross_1 = a_high.wrapping_mul(b_low);
	let cross_2 = a_low.wrapping_mul(b_high);
	let middle = (low >> 32).wrapping_add(cross_1 & LOW).wrapping_add(cross_2 & LOW);
	let high = a_high
		.wrapping_mul(b_high)
		.wrapping_add(cross_1 >> 32)
		.wrapping_add(cross_2 >> 32)
		.wrapping_add(middle >> 32);
	(u128::from(high) << 64) | u128::from((middle << 32) | (low & LOW))
}

/// `floor((high · 2^64 + low) / divisor)` for `high < divisor`, so that the quotient fits
/// in 64 bits (`u64::MAX` otherwise).
pub fn div_wide(high: u64, low: u64, divisor: u64) -> u64 {
	if high >= divisor {
		return u64::MAX;
	}
	#[cfg(target_arch = "wasm32")]
	return div_wide_by_halves(high, low, divisor);
	#[cfg(not(target_arch = "wasm32"))]
	return ((u128::from(high) << 64) | u128::from(low))
		.checked_div(divisor.into())
		.map_or(u64::MAX, |quotient| quotient as u64);
}

/// [`div_wide`] by two 64/32-bit divisions on 32-bit digits (Hacker's Delight's `divlu`),
/// for `high < divisor`.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn div_wide_by_halves(high: u64, low: u64, divisor: u64) -> u64 {
	const BASE: u64 = 1 << 32;
	// Normalize so the divisor's top bit is set; high < divisor keeps the shifted-out bits
	// of `high` zero.
	let shift = divisor.leading_zeros();
	let divisor = divisor.wrapping_shl(shift);
	let (divisor_high, divisor_low) = (divisor >> 32, divisor & (BASE - 1));
	let top = match shift {
		0 => high,
		_ => high.wrapping_shl(shift) | low.wrapping_shr(64u32.wrapping_sub(shift)),
	};
	let low = low.wrapping_shl(shift);
	let (low_high, low_low) = (low >> 32, low & (BASE - 1));

	// One 32-bit quotient digit of `dividend · 2^32 + next / divisor`, where dividend <
	// divisor: estimated from the divisor's top half, then corrected (at most twice).
	let digit = |dividend: u64, next: u64| -> u64 {
		let mut digit = dividend.checked_div(divisor_high).unwrap_or(0);
		let mut remainder = dividend.wrapping_sub(digit.wrapping_mul(divisor_high));
		while digit >= BASE
			|| digit.wrapping_mul(divisor_low) > (remainder << 32).wrapping_add(next)
		{
			digit = digit.wrapping_sub(1);
			remainder = remainder.wrapping_add(divisor_high);
			if remainder >= BASE {
				break;
			}
		}
		digit
	};
	let quotient_high = digit(top, low_high);
	let middle =
		(top << 32).wrapping_add(low_high).wrapping_sub(quotient_high.wrapping_mul(divisor));
	let quotient_low = digit(middle, low_low);
	(quotient_high << 32) | quotient_low
}

/// A u16 proportion `value / 65535` as a fixed-point number.
pub fn from_u16(value: u16) -> Fixed {
	// floor(v · 2^64 / 65535) without a division: 2^64 - 1 = 65535 · QUOTIENT, so it is
	// v · QUOTIENT + floor(v / 65535).
	const QUOTIENT: u64 = u64::MAX / u16::MAX as u64;
	mul_wide(value.into(), QUOTIENT).saturating_add(u128::from(value == u16::MAX))
}

/// A proportion as u16 (`floor(x · 65535 + 1/2)`), at most 65535.
pub fn to_u16(x: Fixed) -> u16 {
	let scaled = x.saturating_mul(u16::MAX.into()).saturating_add(ONE >> 1) >> 64;
	u16::try_from(scaled).unwrap_or(u16::MAX)
}

/// The sum of `values` (saturating).
pub fn sum(values: impl IntoIterator<Item = Fixed>) -> Fixed {
	values.into_iter().fold(0, Fixed::saturating_add)
}

/// `values` divided by their sum; all zero stays all zero.
pub fn normalize(values: &[Fixed]) -> alloc::vec::Vec<Fixed> {
	let total = Divisor::new(sum(values.iter().copied()));
	values.iter().map(|&value| total.ratio(value)).collect()
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	#[test]
	fn mul_is_exact_floor() {
		assert_eq!(mul(ONE, ONE), ONE);
		assert_eq!(mul(ONE / 2, ONE / 2), ONE / 4);
		assert_eq!(mul(3 * ONE, ONE / 3), ONE - 1);
		assert_eq!(mul(u128::MAX, u128::MAX), u128::MAX);
		assert_eq!(mul(1, 1), 0);
	}

	#[test]
	fn ratio_rounds_down_and_handles_zero() {
		assert_eq!(ratio(1, 3), ONE / 3);
		assert_eq!(ratio(5, 0), 0);
		assert_eq!(ratio(ONE, 2 * ONE), ONE / 2);
		assert_eq!(ratio(u64::MAX.into(), u64::MAX.into()), ONE);
	}

	#[test]
	fn u16_conversion_rounds_half_up() {
		assert_eq!(to_u16(ONE), 65535);
		assert_eq!(to_u16(2 * ONE), 65535);
		assert_eq!(to_u16(0), 0);
		// 0.5 · 65535 = 32767.5 rounds up.
		assert_eq!(to_u16(ONE / 2), 32768);
		for value in 0..=u16::MAX {
			assert_eq!(from_u16(value), ratio_by_u128(value.into(), u16::MAX.into()));
			assert_eq!(to_u16(from_u16(value)), value);
		}
	}

	/// The 128-bit results the 64-bit paths must reproduce.
	fn ratio_by_u128(numerator: u128, denominator: u128) -> u128 {
		if numerator < ONE {
			(numerator << 64).checked_div(denominator).unwrap_or(0)
		} else {
			mul_div(numerator, ONE, denominator)
		}
	}

	/// Values with every bit length, edges included.
	fn any_u128() -> impl Strategy<Value = u128> {
		prop_oneof![
			(0u32..128, any::<u128>()).prop_map(|(bits, x)| x >> bits),
			prop::sample::select(vec![0, 1, 2, ONE - 1, ONE, ONE + 1, u128::MAX, 1 << 127]),
		]
	}

	fn any_u64() -> impl Strategy<Value = u64> {
		prop_oneof![
			(0u32..64, any::<u64>()).prop_map(|(bits, x)| x >> bits),
			prop::sample::select(vec![0, 1, 2, 1 << 31, 1 << 32, (1 << 32) + 1, 1 << 63, u64::MAX]),
		]
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(20_000))]

		#[test]
		fn halves_equal_128_bit_arithmetic(a in any_u64(), b in any_u64(), c in any_u64()) {
			prop_assert_eq!(mul_wide_by_halves(a, b), u128::from(a) * u128::from(b));
			if c > 0 {
				let (high, low) = (a % c, b);
				let expected = ((u128::from(high) << 64) | u128::from(low)) / u128::from(c);
				prop_assert_eq!(u128::from(div_wide_by_halves(high, low, c)), expected);
			}
		}

		#[test]
		fn fast_paths_equal_128_bit_arithmetic(a in any_u128(), b in any_u128()) {
			prop_assert_eq!(ratio(a, b), ratio_by_u128(a, b));
			prop_assert_eq!(mul(a, b), mul_by_parts(a, b));
			let divisor = Divisor::new((b as u64).into());
			prop_assert_eq!(divisor.div(a), a.checked_div(u128::from(b as u64)).unwrap_or(0));
		}

		#[test]
		fn divisor_equals_dividing(a in any_u128(), b in any_u128()) {
			let divisor = Divisor::new(b);
			prop_assert_eq!(divisor.ratio(a), ratio_by_u128(a, b));
			prop_assert_eq!(divisor.div(a), a.checked_div(b).unwrap_or(0));
			let divisor = Divisor::new((b as u64).into());
			prop_assert_eq!(divisor.div(a), a.checked_div(u128::from(b as u64)).unwrap_or(0));
		}

		#[test]
		fn proportions_of_sums_are_exact(a in 1u128..=ONE, k in 1u128..4096, extra in any::<u64>()) {
			// Column normalization: a share of a sum of up to 4096 proportions.
			let total = a.saturating_mul(k).saturating_add(u128::from(extra));
			prop_assert_eq!(ratio(a, total), ratio_by_u128(a, total));
		}
	}

	#[test]
	fn mul_div_uses_wide_intermediate() {
		assert_eq!(mul_div(u128::MAX, 2, 4), u128::MAX / 2);
		assert_eq!(mul_div(u128::MAX, u128::MAX, 1), u128::MAX);
		assert_eq!(mul_div(7, 3, 0), 0);
	}
}
