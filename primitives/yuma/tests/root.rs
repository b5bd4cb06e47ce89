//! The root network's consensus over subnets.

use luxtensor_yuma::{fixed, root_incentive};

const HALF: u16 = 32_767;

fn as_u16(values: Vec<u128>) -> Vec<u16> {
	values.into_iter().map(fixed::to_u16).collect()
}

#[test]
fn equal_weights_split_equally() {
	let weights = vec![vec![(0, 1), (1, 1)], vec![(0, 5), (1, 5)]];
	assert_eq!(as_u16(root_incentive(&[10, 30], &weights, 2, HALF)), vec![32_768, 32_768]);
}

#[test]
fn a_stake_majority_decides_and_a_minority_subnet_is_clipped_away() {
	// 3/4 of the stake weighs subnets 0 and 1; 1/4 puts everything on subnet 2.
	let weights = vec![vec![(0, 1), (1, 1)], vec![(2, 1)]];
	let incentive = as_u16(root_incentive(&[300, 100], &weights, 3, HALF));
	assert_eq!(incentive, vec![32_768, 32_768, 0]);
}

#[test]
fn an_outliers_overweight_is_clipped_to_consensus() {
	// Two of three equal members weigh subnets 0 and 1 alike; the third only subnet 1.
	let weights = vec![vec![(0, 1), (1, 1)], vec![(0, 1), (1, 1)], vec![(1, 1)]];
	let incentive = root_incentive(&[1, 1, 1], &weights, 2, HALF);
	let incentive = as_u16(incentive);
	// Consensus is 1/2 on both columns: the third member's extra half on subnet 1 is cut,
	// so ranks are 1/3 and 1/2: incentive 0.4 and 0.6.
	assert_eq!(incentive, vec![26_214, 39_321]);
}

#[test]
fn degenerate_roots_give_nothing_and_do_not_panic() {
	assert_eq!(root_incentive(&[], &[], 3, HALF), vec![0, 0, 0]);
	assert_eq!(root_incentive(&[0, 0], &[vec![(0, 1)], vec![(1, 1)]], 2, HALF), vec![0, 0]);
	assert_eq!(root_incentive(&[5], &[vec![(7, 1)]], 2, HALF), vec![0, 0], "unknown column");
	assert!(root_incentive(&[5], &[vec![(0, 1)]], 0, HALF).is_empty());
	// Repeated columns count once; missing rows are empty.
	assert_eq!(as_u16(root_incentive(&[5, 5], &[vec![(1, 1), (1, 9)]], 2, HALF)), vec![0, 65_535]);
}
