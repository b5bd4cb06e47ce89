//! The hardware benchmark: a validator sends a [`Challenge`], times the provider's answer and
//! checks it cheaply.
//!
//! The answer is the wrapping sum of `rounds` seeded integer matrix products, so producing it
//! takes `rounds * dim^3` multiply-adds, while [`verify`] (Freivalds' check) takes only
//! `O(rounds * dim^2)`.

use crate::rng::SplitMix64;
use crate::workload::{matmul_accumulate, random_matrices};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The largest challenge matrix size a provider will run.
pub const MAX_DIM: u32 = 4096;
/// The most multiply-adds a provider will spend on one challenge, so a hostile validator cannot
/// make it compute for hours.
pub const MAX_MULTIPLY_ADDS: u64 = 1 << 40;

/// A benchmark challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Challenge {
	/// Round `r` uses matrices from `SplitMix64(seed + r)` (wrapping).
	pub seed: u64,
	/// Matrix size.
	pub dim: u32,
	/// Number of products to sum.
	pub rounds: u32,
}

impl Challenge {
	/// Whether the challenge is within the limits a provider accepts (dim 1..=4096, at least
	/// one round, at most [`MAX_MULTIPLY_ADDS`]).
	pub fn within_limits(&self) -> bool {
		(1..=MAX_DIM).contains(&self.dim)
			&& self.rounds >= 1
			&& multiply_adds(self) <= MAX_MULTIPLY_ADDS
	}
}

/// The answer: the element-wise wrapping sum over rounds of `A_r * B_r` (dim×dim, row-major),
/// where `A_r` then `B_r` are drawn from `SplitMix64(seed + r)` with entries in -128..=127.
/// Empty for a challenge outside [`Challenge::within_limits`].
pub fn run(ch: &Challenge, threads: usize) -> Vec<i32> {
	if !ch.within_limits() {
		return Vec::new();
	}
	let dim = ch.dim as usize;
	let mut sum = vec![0i32; dim * dim];
	for r in 0..ch.rounds {
		let (a, b) = random_matrices(ch.seed.wrapping_add(u64::from(r)), dim);
		matmul_accumulate(&a, &b, &mut sum, dim, threads);
	}
	sum
}

/// Freivalds' check of `answer` with two random vectors drawn from `SplitMix64(check_seed)`:
/// `answer·v == Σ_r A_r·(B_r·v)` in wrapping i32.
///
/// A wrong answer passes only if both vectors miss the error; an error confined to the top bit
/// of entries can survive one vector with probability 1/2 (arithmetic is modulo 2^32), any
/// other with at most about 1/128 — and a provider that skipped work cannot produce such a
/// near-miss.
pub fn verify(ch: &Challenge, answer: &[i32], check_seed: u64) -> bool {
	if !ch.within_limits() || answer.len() != (ch.dim as usize).pow(2) {
		return false;
	}
	let dim = ch.dim as usize;
	let mut rng = SplitMix64::new(check_seed);
	let vectors: [Vec<i32>; 2] =
		[(); 2].map(|_| (0..dim).map(|_| i32::from(rng.next_i8())).collect());
	let mut expected = [vec![0i32; dim], vec![0i32; dim]];
	for r in 0..ch.rounds {
		let (a, b) = random_matrices(ch.seed.wrapping_add(u64::from(r)), dim);
		for (v, acc) in vectors.iter().zip(expected.iter_mut()) {
			let bv = mat_vec(&b, v, dim);
			for (e, x) in acc.iter_mut().zip(mat_vec(&a, &bv, dim)) {
				*e = e.wrapping_add(x);
			}
		}
	}
	vectors.iter().zip(&expected).all(|(v, e)| mat_vec(answer, v, dim) == *e)
}

fn mat_vec(m: &[i32], v: &[i32], dim: usize) -> Vec<i32> {
	m.chunks_exact(dim)
		.map(|row| {
			row.iter().zip(v).fold(0i32, |acc, (&a, &b)| acc.wrapping_add(a.wrapping_mul(b)))
		})
		.collect()
}

/// The work of a challenge: `rounds * dim^3` multiply-adds.
pub fn multiply_adds(ch: &Challenge) -> u64 {
	u64::from(ch.rounds).saturating_mul(u64::from(ch.dim).pow(3))
}

/// Millions of multiply-adds per second, saturating at `u32::MAX`, at least 1 for nonzero work.
pub fn score(multiply_adds: u64, elapsed: Duration) -> u32 {
	if multiply_adds == 0 {
		return 0;
	}
	let nanos = elapsed.as_nanos();
	if nanos == 0 {
		return u32::MAX;
	}
	let mmacs = u128::from(multiply_adds) * 1000 / nanos;
	u32::try_from(mmacs).unwrap_or(u32::MAX).max(1)
}

/// Floor per declared CPU core, MMAC/s. The benchmark's i32 matrix products run at several
/// thousand MMAC/s per core here (6,600 on one idle core of the 2-core test machines), and
/// still above 800 per core with five busy processes per core; 250 leaves room for a loaded
/// honest machine while a machine claiming far more cores than it has falls short.
const CPU_FLOOR_PER_CORE: u32 = 250;

/// The score a machine with this declared hardware must at least reach: the floor of its
/// declared CPU cores. The benchmark, like the workloads, runs on the host's cores (there is
/// no GPU kernel yet), so the GPUs declared are not what it measures: a GPU claim is checked
/// by the validators' GPU backend once there is one, and meanwhile by the market (jobs that
/// need the GPU fail and are slashed).
pub fn min_expected_score(_gpu_model: &str, _gpu_count: u16, cpu_cores: u16) -> u32 {
	CPU_FLOOR_PER_CORE.saturating_mul(u32::from(cpu_cores))
}

/// The validator's verdict: a correct answer at or above the hardware's floor.
pub fn verdict(answer_ok: bool, measured: u32, floor: u32) -> bool {
	answer_ok && measured >= floor
}

#[cfg(test)]
mod tests {
	use super::*;

	fn naive(ch: &Challenge) -> Vec<i32> {
		let n = ch.dim as usize;
		let mut sum = vec![0i32; n * n];
		for r in 0..ch.rounds {
			let (a, b) = random_matrices(ch.seed.wrapping_add(u64::from(r)), n);
			for i in 0..n {
				for j in 0..n {
					let mut acc = 0i32;
					for k in 0..n {
						acc = acc.wrapping_add(a[i * n + k].wrapping_mul(b[k * n + j]));
					}
					sum[i * n + j] = sum[i * n + j].wrapping_add(acc);
				}
			}
		}
		sum
	}

	#[test]
	fn run_matches_naive_and_thread_count() {
		let ch = Challenge { seed: 42, dim: 40, rounds: 3 };
		let one = run(&ch, 1);
		assert_eq!(one, naive(&ch));
		assert_eq!(run(&ch, 4), one);
		assert_eq!(run(&ch, 3), one);
		assert_ne!(run(&Challenge { seed: 43, ..ch }, 1), one);
	}

	#[test]
	fn freivalds_accepts_correct_and_rejects_wrong() {
		let ch = Challenge { seed: 7, dim: 48, rounds: 2 };
		let answer = run(&ch, 2);
		for check_seed in 0..5 {
			assert!(verify(&ch, &answer, check_seed));
		}
		let mut flipped = answer.clone();
		flipped[100] ^= 1;
		assert!(!verify(&ch, &flipped, 1));
		let mut off_by_one_round = run(&Challenge { rounds: 1, ..ch }, 1);
		assert!(!verify(&ch, &off_by_one_round, 1));
		off_by_one_round.pop();
		assert!(!verify(&ch, &off_by_one_round, 1), "wrong length");
		let mut rng = SplitMix64::new(99);
		let random: Vec<i32> = (0..48 * 48).map(|_| rng.next_u64() as i32).collect();
		assert!(!verify(&ch, &random, 1));
		assert!(!verify(&Challenge { dim: 0, ..ch }, &[], 1));
	}

	#[test]
	fn limits() {
		assert!(run(&Challenge { seed: 0, dim: 5000, rounds: 1 }, 1).is_empty());
		assert!(run(&Challenge { seed: 0, dim: 4096, rounds: 100_000 }, 1).is_empty());
		assert!(run(&Challenge { seed: 0, dim: 2, rounds: 0 }, 1).is_empty());
		assert_eq!(multiply_adds(&Challenge { seed: 0, dim: 10, rounds: 3 }), 3000);
	}

	#[test]
	fn scores() {
		assert_eq!(score(2_000_000_000, Duration::from_secs(1)), 2000);
		assert_eq!(score(1_500_000, Duration::from_millis(500)), 3);
		assert_eq!(score(1, Duration::from_secs(10)), 1);
		assert_eq!(score(0, Duration::from_secs(1)), 0);
		assert_eq!(score(u64::MAX, Duration::from_nanos(1)), u32::MAX);
		assert_eq!(score(5, Duration::ZERO), u32::MAX);
	}

	#[test]
	fn floors() {
		assert_eq!(min_expected_score("CPU", 1, 16), 4_000);
		assert_eq!(min_expected_score("NVIDIA H200", 8, 64), 16_000);
		assert_eq!(min_expected_score("CPU", 1, 2), 500);
		assert!(verdict(true, 80, 80));
		assert!(!verdict(true, 79, 80));
		assert!(!verdict(false, 1000, 80));
	}
}
