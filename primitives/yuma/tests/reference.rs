//! The sparse epoch against a dense, step-by-step transcription of yuma.md on random
//! subnets (they must agree bit for bit: both use the same rounding for each entry), and
//! the properties the design promises.

// The reference indexes matrices as the spec writes them: W[i][j].
#![allow(clippy::needless_range_loop)]

use luxtensor_yuma::{
	epoch,
	fixed::{self, Fixed},
	EpochInput, EpochOutput, SparseRow,
};
use proptest::prelude::*;

type Dense = Vec<Vec<Fixed>>;

/// yuma.md's 13 steps on dense n × n matrices, as literally as possible.
fn reference(input: &EpochInput) -> EpochOutput {
	let n = input.n as usize;
	let at = |v: &Vec<u64>, i: usize| v.get(i).copied().unwrap_or(0);
	let permit: Vec<bool> = (0..n).map(|i| input.validator_permit.get(i) == Some(&true)).collect();
	let last_update: Vec<u64> = (0..n).map(|i| at(&input.last_update, i)).collect();
	let registered: Vec<u64> = (0..n).map(|i| at(&input.block_at_registration, i)).collect();
	let stake: Vec<u64> = (0..n).map(|i| at(&input.stake, i)).collect();

	// 1
	let active: Vec<bool> =
		last_update.iter().map(|&u| u + input.activity_cutoff >= input.current_block).collect();
	// 2
	let total: u128 = stake.iter().map(|&s| s as u128).sum();
	let s: Vec<Fixed> = stake.iter().map(|&x| fixed::ratio(x as u128, total)).collect();
	// 3
	let mut order: Vec<usize> = (0..n).filter(|&i| stake[i] > 0).collect();
	order.sort_by(|&a, &b| stake[b].cmp(&stake[a]).then(a.cmp(&b)));
	let mut new_permit = vec![false; n];
	for &i in order.iter().take(input.max_allowed_validators as usize) {
		new_permit[i] = true;
	}
	// 4
	let sa: Vec<Fixed> = (0..n).map(|i| if active[i] && permit[i] { s[i] } else { 0 }).collect();
	let sa = fixed::normalize(&sa);
	// 5
	let mut w = dense(&input.weights, n, |v| v as u128);
	for i in 0..n {
		for j in 0..n {
			if !permit[i] || i == j || last_update[i] <= registered[j] {
				w[i][j] = 0;
			}
		}
		let row_sum = fixed::sum(w[i].iter().copied());
		for j in 0..n {
			w[i][j] = fixed::ratio(w[i][j], row_sum);
		}
	}
	// 6
	let threshold = fixed::ratio((65535 - input.kappa) as u128, 65535);
	let consensus: Vec<Fixed> = (0..n)
		.map(|j| {
			let mut votes: Vec<(Fixed, Fixed)> =
				(0..n).filter(|&i| sa[i] > 0).map(|i| (w[i][j], sa[i])).collect();
			votes.sort();
			let mut cumulative = 0;
			for &(weight, stake) in &votes {
				cumulative += stake;
				if cumulative > threshold {
					return weight;
				}
			}
			votes.iter().map(|v| v.0).max().unwrap_or(0)
		})
		.collect();
	// 7
	let wc: Dense = (0..n).map(|i| (0..n).map(|j| w[i][j].min(consensus[j])).collect()).collect();
	// 8
	let validator_trust: Vec<Fixed> = wc.iter().map(|row| fixed::sum(row.clone())).collect();
	// 9
	let weighted = |m: &Dense, j: usize| fixed::sum((0..n).map(|i| fixed::mul(sa[i], m[i][j])));
	let rank: Vec<Fixed> = (0..n).map(|j| weighted(&wc, j)).collect();
	let prerank: Vec<Fixed> = (0..n).map(|j| weighted(&w, j)).collect();
	let incentive = fixed::normalize(&rank);
	let trust: Vec<Fixed> = (0..n).map(|j| fixed::ratio(rank[j], prerank[j])).collect();
	// 10
	let mut b = dense(&input.bonds, n, fixed::from_u16);
	for row in b.iter_mut() {
		for j in 0..n {
			if registered[j] >= input.last_epoch_block {
				row[j] = 0;
			}
		}
	}
	normalize_columns(&mut b);
	let mut db: Dense =
		(0..n).map(|i| (0..n).map(|j| fixed::mul(wc[i][j], sa[i])).collect()).collect();
	normalize_columns(&mut db);
	let bma = input.bonds_moving_average.min(1_000_000) as u128;
	let alpha = fixed::ratio(1_000_000 - bma, 1_000_000);
	let keep = fixed::ratio(bma, 1_000_000);
	for i in 0..n {
		for j in 0..n {
			b[i][j] = fixed::mul(alpha, db[i][j]) + fixed::mul(keep, b[i][j]);
		}
	}
	normalize_columns(&mut b);
	// 11
	let dividends: Vec<Fixed> =
		(0..n).map(|i| fixed::sum((0..n).map(|j| fixed::mul(b[i][j], incentive[j])))).collect();
	let dividends = fixed::normalize(&dividends);
	for i in 0..n {
		if !new_permit[i] {
			b[i] = vec![0; n];
		}
	}
	let bonds: Vec<SparseRow> = (0..n)
		.map(|i| {
			(0..n)
				.filter_map(|j| {
					let max = (0..n).map(|k| b[k][j]).max().unwrap();
					if max == 0 {
						return None;
					}
					let scaled = (b[i][j] * 2 * 65535 + max) / (2 * max);
					(scaled > 0).then_some((j as u16, scaled as u16))
				})
				.collect()
		})
		.collect();
	// 12
	let earned: Vec<Fixed> = (0..n).map(|i| incentive[i] + dividends[i]).collect();
	let shares = if earned.iter().any(|&x| x > 0) {
		earned
	} else if sa.iter().any(|&x| x > 0) {
		sa.clone()
	} else {
		s.clone()
	};
	let share_total = fixed::sum(shares.clone());
	let (mut emission, mut unpaid) = (vec![0u64; n], input.emission);
	let mut incentive_emission = vec![0u64; n];
	if share_total > 0 {
		for i in 0..n {
			emission[i] = fixed::mul_div(input.emission as u128, shares[i], share_total) as u64;
			if incentive.iter().chain(&dividends).any(|&x| x > 0) {
				incentive_emission[i] =
					fixed::mul_div(input.emission as u128, incentive[i], share_total) as u64;
			}
		}
		let largest = (0..n).max_by(|&a, &b| shares[a].cmp(&shares[b]).then(b.cmp(&a))).unwrap();
		emission[largest] += input.emission - emission.iter().sum::<u64>();
		unpaid = 0;
	}
	// 13
	let u16s = |v: &[Fixed]| v.iter().map(|&x| fixed::to_u16(x)).collect::<Vec<u16>>();
	EpochOutput {
		active,
		rank: u16s(&rank),
		trust: u16s(&trust),
		consensus: u16s(&consensus),
		incentive: u16s(&incentive),
		dividends: u16s(&dividends),
		validator_trust: u16s(&validator_trust),
		validator_permit: new_permit,
		emission,
		incentive_emission,
		unpaid,
		bonds,
	}
}

/// Stored rows as a dense matrix; the first of repeated uids counts, uids ≥ n are ignored.
fn dense(rows: &[SparseRow], n: usize, convert: impl Fn(u16) -> Fixed) -> Dense {
	let mut m = vec![vec![0; n]; n];
	for (i, row) in rows.iter().enumerate().take(n) {
		let mut seen = vec![false; n];
		for &(j, v) in row {
			let j = j as usize;
			if j < n && !seen[j] {
				seen[j] = true;
				m[i][j] = convert(v);
			}
		}
	}
	m
}

fn normalize_columns(m: &mut Dense) {
	let n = m.len();
	for j in 0..n {
		let total = fixed::sum((0..n).map(|i| m[i][j]));
		for row in m.iter_mut() {
			row[j] = fixed::ratio(row[j], total);
		}
	}
}

/// Random subnets: any stake (often zero), permits, activity, registrations, sparse rows with
/// zero values, repeated uids and uids out of range, any kappa and moving average.
fn subnet() -> impl Strategy<Value = EpochInput> {
	(1u16..24)
		.prop_flat_map(|n| {
			let len = n as usize;
			let row = prop::collection::vec(
				(0..n + 2, prop_oneof![Just(0u16), any::<u16>()]),
				0..len + 2,
			);
			(
				(Just(n), 900u64..1100, 0u64..300, 0u64..1000, any::<u64>()),
				(any::<u16>(), 0u64..1_100_000, 0u16..30),
				prop::collection::vec(prop_oneof![Just(0u64), 1u64..1000, any::<u64>()], len),
				prop::collection::vec(0u64..1100, len),
				prop::collection::vec(0u64..1100, len),
				prop::collection::vec(any::<bool>(), len),
				prop::collection::vec(row.clone(), len),
				prop::collection::vec(row, len),
			)
		})
		.prop_map(
			|(
				(n, current_block, activity_cutoff, last_epoch_block, emission),
				(kappa, bonds_moving_average, max_allowed_validators),
				stake,
				last_update,
				block_at_registration,
				validator_permit,
				weights,
				bonds,
			)| EpochInput {
				n,
				current_block,
				activity_cutoff,
				last_epoch_block,
				emission,
				kappa,
				bonds_moving_average,
				max_allowed_validators,
				stake,
				last_update,
				block_at_registration,
				validator_permit,
				weights,
				bonds,
			},
		)
}

fn sum_u16(v: &[u16]) -> i64 {
	v.iter().map(|&x| x as i64).sum()
}

/// A proportion vector as u16 sums to 65535 up to rounding (±1/2 per entry), or is all zero.
fn assert_sums_to_one_or_zero(name: &str, v: &[u16]) {
	let total = sum_u16(v);
	let slack = v.len() as i64 / 2 + 1;
	assert!(total == 0 || (total - 65535).abs() <= slack, "{name} sums to {total}: {v:?}");
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(2000))]

	#[test]
	fn sparse_epoch_equals_dense_reference(input in subnet()) {
		prop_assert_eq!(epoch(&input), reference(&input));
	}

	#[test]
	fn epoch_invariants(input in subnet()) {
		let output = epoch(&input);
		let n = input.n as usize;
		for v in [&output.rank, &output.trust, &output.consensus, &output.incentive,
			&output.dividends, &output.validator_trust] {
			prop_assert_eq!(v.len(), n);
		}
		assert_sums_to_one_or_zero("incentive", &output.incentive);
		assert_sums_to_one_or_zero("dividends", &output.dividends);
		// Conservation: paid plus unpaid is the emission, exactly.
		let paid: u128 = output.emission.iter().map(|&x| x as u128).sum();
		prop_assert_eq!(paid + output.unpaid as u128, input.emission as u128);
		for (part, whole) in output.incentive_emission.iter().zip(&output.emission) {
			prop_assert!(part <= whole);
		}
		// Nobody to pay only when there is no stake at all.
		prop_assert_eq!(output.unpaid > 0, input.emission > 0 && input.stake.iter().all(|&s| s == 0));
		// Permits: at most max_allowed_validators, only to stake holders.
		prop_assert!(output.validator_permit.iter().filter(|&&p| p).count() <= input.max_allowed_validators as usize);
		for (permit, stake) in output.validator_permit.iter().zip(&input.stake) {
			prop_assert!(!permit || *stake > 0);
		}
		// Bond rows: sorted, in range, nonzero, only for new permit holders; each nonempty
		// column has a 65535.
		let mut column_has_max = vec![None; n];
		for (i, row) in output.bonds.iter().enumerate() {
			prop_assert!(row.is_empty() || output.validator_permit[i]);
			prop_assert!(row.windows(2).all(|w| w[0].0 < w[1].0));
			for &(j, v) in row {
				prop_assert!((j as usize) < n && v > 0);
				let seen = column_has_max[j as usize].get_or_insert(false);
				*seen |= v == 65535;
			}
		}
		prop_assert!(column_has_max.iter().all(|c| c.unwrap_or(true)));
	}
}

/// Validators 0..v weigh miners v..n; uids are all registered at block 0.
fn subnet_of(stake: &[u64], weights: Vec<SparseRow>, n: u16) -> EpochInput {
	let v = stake.len();
	let mut all_stake = stake.to_vec();
	all_stake.resize(n as usize, 0);
	let mut all_weights = weights;
	all_weights.resize(n as usize, Vec::new());
	EpochInput {
		n,
		current_block: 1000,
		activity_cutoff: 5000,
		last_epoch_block: 900,
		emission: 1_000_000_000,
		kappa: 32_767,
		bonds_moving_average: 900_000,
		max_allowed_validators: 64,
		stake: all_stake,
		last_update: (0..n as usize).map(|i| if i < v { 990 } else { 0 }).collect(),
		block_at_registration: vec![0; n as usize],
		validator_permit: (0..n as usize).map(|i| i < v).collect(),
		weights: all_weights,
		bonds: vec![Vec::new(); n as usize],
	}
}

#[test]
fn outlier_overweight_is_clipped_to_consensus() {
	// Three honest validators split evenly over miners 4 and 5; validator 3, with a small
	// stake, puts everything on miner 5.
	let honest = vec![(4, 65535), (5, 65535)];
	let input = subnet_of(
		&[300, 300, 300, 100],
		vec![honest.clone(), honest.clone(), honest, vec![(5, 65535)]],
		6,
	);
	let output = epoch(&input);
	// Consensus on miner 5 is the honest 0.5, so the outlier keeps only half its row.
	assert_eq!(output.consensus[5], 32768);
	assert_eq!(output.validator_trust[3], 32768);
	assert_eq!(output.validator_trust[0], 65535);
	// Miner 5's rank counts the outlier's weight only up to consensus: 0.9·0.5 + 0.1·0.5,
	// not 0.9·0.5 + 0.1·1.
	// (Down-rounded fixed point may land one u16 below.)
	assert!(output.rank[4].abs_diff(29491) <= 1, "{:?}", output.rank);
	assert!(output.rank[5].abs_diff(32768) <= 1, "{:?}", output.rank);
	assert_eq!(output.trust[4], 65535);
	assert!(output.trust[5] < 65535);
	// The outlier earns less per stake than an honest validator.
	assert!(output.emission[3] * 3 < output.emission[0]);
}

#[test]
fn incentive_follows_the_honest_majority() {
	// 60% of the stake ranks miners 5 > 6 > 7 > 8; a 40% cabal ranks them the other way.
	let honest = vec![(5, 40_000), (6, 30_000), (7, 20_000), (8, 10_000)];
	let cabal = vec![(5, 1), (6, 10_000), (7, 30_000), (8, 65_535)];
	let input = subnet_of(
		&[200, 200, 200, 200, 200],
		vec![honest.clone(), honest.clone(), honest, cabal.clone(), cabal],
		9,
	);
	let incentive = epoch(&input).incentive;
	assert!(incentive[5] > incentive[6], "{incentive:?}");
	assert!(incentive[6] > incentive[7], "{incentive:?}");
	assert!(incentive[7] > incentive[8], "{incentive:?}");
}

#[test]
fn degenerate_subnets_do_not_panic_and_conserve() {
	let empty = EpochInput { n: 0, emission: 7, ..Default::default() };
	let output = epoch(&empty);
	assert_eq!((output.emission.len(), output.unpaid), (0, 7));

	// n = 1: a lone validator with stake but nothing to weigh is paid by stake.
	let lone = subnet_of(&[5], vec![vec![(0, 65535)]], 1);
	let output = epoch(&lone);
	assert_eq!((output.emission.clone(), output.unpaid), (vec![1_000_000_000], 0));
	assert_eq!(output.validator_trust, vec![0]);

	// All weights zero: paid pro rata to active stake.
	let zero = subnet_of(&[300, 100], vec![vec![(2, 0)], vec![]], 3);
	let output = epoch(&zero);
	assert_eq!(output.emission, vec![750_000_000, 250_000_000, 0]);

	// Vectors shorter than n and a moving average out of range are tolerated.
	let short = EpochInput {
		n: 4,
		stake: vec![1],
		bonds_moving_average: u64::MAX,
		emission: u64::MAX,
		..Default::default()
	};
	let output = epoch(&short);
	assert_eq!(output.emission, vec![u64::MAX, 0, 0, 0]);
}

#[test]
fn new_miner_takes_the_bonds_of_this_epoch_whole() {
	// Miner 3 registered after the last epoch: validators' old bonds on it are dropped.
	let mut input = subnet_of(&[100, 100], vec![vec![(2, 1), (3, 1)], vec![(2, 1), (3, 1)]], 4);
	input.block_at_registration[3] = 950;
	input.bonds = vec![vec![(2, 65535), (3, 65535)], vec![(2, 100)], vec![], vec![]];
	let output = epoch(&input);
	assert_eq!(output.bonds[0], vec![(2, 65535), (3, 65535)]);
	assert_eq!(output.bonds[1][1], (3, 65535));
	assert!(output.bonds[1][0].1 < 65535 / 5);
}
