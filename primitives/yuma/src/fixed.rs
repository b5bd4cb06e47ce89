//! Unsigned fixed point with 64 integer and 64 fractional bits (U64F64) in a `u128`.
//!
//! Every operation rounds down and saturates instead of overflowing, so the epoch never
//! panics and gives the same bits on every machine.

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
	// (ah·2^64 + al)(bh·2^64 + bl) / 2^64, exact, from four 64-bit products.
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
	if numerator < ONE {
		// numerator · 2^64 fits in a u128: one division.
		(numerator << 64).checked_div(denominator).unwrap_or(0)
	} else {
		mul_div(numerator, ONE, denominator)
	}
}

/// A u16 proportion `value / 65535` as a fixed-point number.
pub fn from_u16(value: u16) -> Fixed {
	ratio(value.into(), u16::MAX.into())
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
	let total = sum(values.iter().copied());
	values.iter().map(|&value| ratio(value, total)).collect()
}

#[cfg(test)]
mod tests {
	use super::*;

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
		for value in [0u16, 1, 2, 32767, 32768, 65534, 65535] {
			assert_eq!(to_u16(from_u16(value)), value);
		}
	}

	#[test]
	fn mul_div_uses_wide_intermediate() {
		assert_eq!(mul_div(u128::MAX, 2, 4), u128::MAX / 2);
		assert_eq!(mul_div(u128::MAX, u128::MAX, 1), u128::MAX);
		assert_eq!(mul_div(7, 3, 0), 0);
	}
}
