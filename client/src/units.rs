//! Amounts in MDT (9 decimals) as people write them, and in planck as the chain counts them.

/// Decimals of MDT.
pub const DECIMALS: u32 = 9;
/// Planck in one MDT.
pub const MDT: u128 = 10u128.pow(DECIMALS);

/// `"1.5"` MDT as planck. Refuses more than 9 decimals, signs, and overflow.
pub fn parse_mdt(text: &str) -> Result<u128, String> {
	let text = text.trim();
	let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
	let digits = |part: &str| part.chars().all(|c| c.is_ascii_digit());
	if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
		return Err(format!("'{text}' is not an amount of MDT (e.g. 1.5)"));
	}
	if fraction.len() > DECIMALS as usize {
		return Err(format!("'{text}' has more than {DECIMALS} decimals"));
	}
	let whole: u128 = if whole.is_empty() {
		0
	} else {
		whole.parse().map_err(|_| format!("'{text}' is too large"))?
	};
	let fraction: u128 = format!("{fraction:0<width$}", width = DECIMALS as usize)
		.parse()
		.map_err(|_| format!("'{text}' is not an amount of MDT"))?;
	whole
		.checked_mul(MDT)
		.and_then(|planck| planck.checked_add(fraction))
		.ok_or_else(|| format!("'{text}' is too large"))
}

/// Planck as MDT with its decimals, trailing zeros trimmed (`1500000000` → `"1.5"`).
pub fn format_mdt(planck: u128) -> String {
	let whole = planck / MDT;
	let fraction = planck % MDT;
	if fraction == 0 {
		return whole.to_string();
	}
	let fraction = format!("{fraction:0width$}", width = DECIMALS as usize);
	format!("{whole}.{}", fraction.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn amounts_round_trip_and_bad_ones_are_refused() {
		assert_eq!(parse_mdt("1.5"), Ok(1_500_000_000));
		assert_eq!(parse_mdt("0.000000001"), Ok(1));
		assert_eq!(parse_mdt("10"), Ok(10 * MDT));
		assert_eq!(parse_mdt(".25"), Ok(MDT / 4));
		assert_eq!(format_mdt(1_500_000_000), "1.5");
		assert_eq!(format_mdt(1), "0.000000001");
		assert_eq!(format_mdt(0), "0");
		for bad in ["", ".", "-1", "1.2.3", "1e9", "0.0000000001", "abc"] {
			assert!(parse_mdt(bad).is_err(), "{bad}");
		}
		assert!(parse_mdt(&u128::MAX.to_string()).is_err());
	}
}
