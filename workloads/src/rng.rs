//! SplitMix64, the only source of pseudo-randomness in workloads.
//!
//! Written here rather than taken from `rand` so that generated models, matrices and training
//! schedules can never change with a dependency upgrade: results are compared by hash.

/// Sebastiano Vigna's SplitMix64 generator: 64-bit state, one output per `next_u64`.
#[derive(Clone, Debug)]
pub struct SplitMix64 {
	state: u64,
}

impl SplitMix64 {
	/// A generator whose first output is derived from `seed`.
	pub fn new(seed: u64) -> Self {
		Self { state: seed }
	}

	/// The next 64-bit output.
	pub fn next_u64(&mut self) -> u64 {
		self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.state;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}

	/// A value uniform in -128..=127: the low byte of the next output, as two's complement.
	pub fn next_i8(&mut self) -> i8 {
		self.next_u64() as u8 as i8
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn matches_reference_outputs() {
		// Reference values of Vigna's splitmix64.c for seed 1234567.
		let mut g = SplitMix64::new(1234567);
		let expected = [
			6457827717110365317u64,
			3203168211198807973,
			9817491932198370423,
			4593380528125082431,
			16408922859458223821,
		];
		for e in expected {
			assert_eq!(g.next_u64(), e);
		}
		assert_eq!(SplitMix64::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
	}

	#[test]
	fn i8_covers_the_full_range() {
		let mut g = SplitMix64::new(7);
		let v: Vec<i8> = (0..10_000).map(|_| g.next_i8()).collect();
		assert!(v.contains(&-128) && v.contains(&127));
	}
}
