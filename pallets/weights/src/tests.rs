//! Unit tests: every error of the weight calls, the commit-reveal timeline, epochs on graphs
//! of 1 to 4096 uids, the registration and dissolution hooks, and the pool extension.

use crate::{
	compute, mock::*, Bonds, CheckWeights, EntryCount, EntryCounts, EpochOutputs, Error, Event,
	LastEpochBlock, LastUpdates, WeightCommits, Weights as WeightRows,
};
use codec::Encode;
use luxtensor_primitives::{
	subnets::{SubnetHyperparameters, Uid},
	traits::{Epoch, EpochResults, NeuronPayout, Neurons, OnSubnetDissolved},
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok, dispatch::GetDispatchInfo, pallet_prelude::Pays,
		storage::with_transaction,
	},
	sp_core::H256,
	sp_runtime::{
		traits::{DispatchTransaction, TransactionExtension},
		transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
		DispatchError, DispatchResult, Perbill, TransactionOutcome,
	},
};

const VALIDATOR: AccountId = 100;
const OTHER_VALIDATOR: AccountId = 101;
const STRANGER: AccountId = 999;

fn params() -> SubnetHyperparameters {
	SubnetHyperparameters {
		commit_reveal_enabled: false,
		weights_rate_limit: 0,
		min_allowed_weights: 1,
		..Default::default()
	}
}

/// Subnet 1 with validators 100 (stake 3000) and 101 (stake 1000) holding permits after two
/// epochs, and `miners` miners (hotkeys 200..) without stake.
fn subnet_with(params: SubnetHyperparameters, miners: u16) {
	add_subnet(NETUID, params);
	for (hotkey, stake) in [(VALIDATOR, 3000), (OTHER_VALIDATOR, 1000)] {
		register(NETUID, hotkey, None);
		set_stake(hotkey, stake);
	}
	for miner in 0..miners {
		register(NETUID, 200 + AccountId::from(miner), None);
	}
	// Stake counts from the second epoch it is seen at.
	Weights::run(NETUID, 0);
	Weights::run(NETUID, 0);
	run_to_block(2);
}

fn set_weights(hotkey: AccountId, dests: Vec<Uid>, weights: Vec<u16>) -> DispatchResult {
	Weights::set_weights(RuntimeOrigin::signed(hotkey), NETUID, dests, weights, 0)
}

fn err(error: Error<Test>) -> DispatchResult {
	Err(error.into())
}

#[test]
fn set_weights_stores_the_row_max_upscaled_and_the_update_block() {
	test(|| {
		subnet_with(params(), 3);
		assert_ok!(set_weights(VALIDATOR, vec![4, 2, 3], vec![10, 40, 20]));
		assert_eq!(
			WeightRows::<Test>::get(NETUID, 0).into_inner(),
			vec![(2, 65535), (3, 32768), (4, 16384)]
		);
		assert_eq!(Weights::last_update(NETUID, 0), 2);
		assert_eq!(EntryCounts::<Test>::get(NETUID), EntryCount { weights: 3, bonds: 0 });
		System::assert_last_event(Event::WeightsSet { netuid: NETUID, uid: 0, entries: 3 }.into());
		// Zero weights are not stored; a new row replaces the old one.
		run_to_block(3);
		assert_ok!(set_weights(VALIDATOR, vec![2, 3], vec![0, 7]));
		assert_eq!(WeightRows::<Test>::get(NETUID, 0).into_inner(), vec![(3, 65535)]);
		assert_eq!(EntryCounts::<Test>::get(NETUID).weights, 1);
		// Full-scale values keep their scale.
		run_to_block(4);
		assert_ok!(set_weights(VALIDATOR, vec![2, 3, 4], vec![65535, 21845, 1]));
		assert_eq!(
			WeightRows::<Test>::get(NETUID, 0).into_inner(),
			vec![(2, 65535), (3, 21845), (4, 1)]
		);
	});
}

#[test]
fn weight_calls_are_fee_free() {
	test(|| {
		let call = RuntimeCall::Weights(crate::Call::set_weights {
			netuid: NETUID,
			dests: vec![],
			weights: vec![],
			version_key: 0,
		});
		assert_eq!(call.get_dispatch_info().pays_fee, Pays::No);
		let call = RuntimeCall::Weights(crate::Call::commit_weights {
			netuid: NETUID,
			commit_hash: H256::zero(),
		});
		assert_eq!(call.get_dispatch_info().pays_fee, Pays::No);
	});
}

#[test]
fn set_weights_errors() {
	test(|| {
		subnet_with(params(), 3);
		let rejects = |hotkey, dests: Vec<Uid>, weights: Vec<u16>, error: Error<Test>| {
			assert_noop!(
				Weights::set_weights(RuntimeOrigin::signed(hotkey), NETUID, dests, weights, 0),
				error
			);
		};
		assert_noop!(
			Weights::set_weights(RuntimeOrigin::signed(VALIDATOR), 9, vec![2], vec![1], 0),
			Error::<Test>::SubnetNotFound
		);
		rejects(STRANGER, vec![2], vec![1], Error::<Test>::NotRegistered);
		rejects(VALIDATOR, vec![2, 3], vec![1], Error::<Test>::LengthMismatch);
		rejects(VALIDATOR, vec![2, 2], vec![1, 1], Error::<Test>::DuplicateUid);
		// A uid twice with different values (found by the runtime's randomized sequences: it
		// was stored as two entries).
		rejects(VALIDATOR, vec![3, 2, 3], vec![1, 1, 5], Error::<Test>::DuplicateUid);
		// Longer than the subnet (n = 5): refused before any sorting, in the pool too.
		rejects(VALIDATOR, vec![0; 6], vec![1; 6], Error::<Test>::TooManyWeights);
		rejects(VALIDATOR, vec![2, 5], vec![1, 1], Error::<Test>::UidOutOfRange);
		rejects(VALIDATOR, vec![2], vec![0], Error::<Test>::TooFewWeights);
		// A miner registered but without a permit.
		rejects(200, vec![3], vec![1], Error::<Test>::NoValidatorPermit);

		tune(NETUID, |p| p.min_allowed_weights = 2);
		rejects(VALIDATOR, vec![2, 3], vec![1, 0], Error::<Test>::TooFewWeights);
		tune(NETUID, |p| p.min_allowed_weights = 10); // more than n = 5: all of them will do
		assert_ok!(set_weights(VALIDATOR, vec![0, 1, 2, 3, 4], vec![1; 5]));
		tune(NETUID, |p| {
			p.min_allowed_weights = 1;
			p.max_weight_limit = u16::MAX / 2 + 1; // 0.5
			p.weights_rate_limit = 0;
		});
		rejects(OTHER_VALIDATOR, vec![2, 3], vec![2, 1], Error::<Test>::MaxWeightExceeded);
		assert_ok!(set_weights(OTHER_VALIDATOR, vec![2, 3], vec![1, 1]));
		tune(NETUID, |p| p.max_weight_limit = u16::MAX);

		tune(NETUID, |p| p.weights_version_key = 5);
		assert_noop!(
			Weights::set_weights(RuntimeOrigin::signed(VALIDATOR), NETUID, vec![2], vec![1], 4),
			Error::<Test>::OutdatedVersionKey
		);
		assert_ok!(Weights::set_weights(
			RuntimeOrigin::signed(VALIDATOR),
			NETUID,
			vec![2],
			vec![1],
			5
		));
		tune(NETUID, |p| p.weights_version_key = 0);

		tune(NETUID, |p| p.min_stake_to_set_weights = 2000);
		rejects(OTHER_VALIDATOR, vec![2], vec![1], Error::<Test>::StakeBelowMinimum);
		tune(NETUID, |p| p.min_stake_to_set_weights = 0);

		tune(NETUID, |p| p.weights_rate_limit = 10);
		rejects(VALIDATOR, vec![2], vec![1], Error::<Test>::WeightsRateLimited);
		run_to_block(12);
		assert_ok!(set_weights(VALIDATOR, vec![2], vec![1]));

		tune(NETUID, |p| p.commit_reveal_enabled = true);
		rejects(VALIDATOR, vec![2], vec![1], Error::<Test>::CommitRevealEnabled);
	});
}

fn commit(hotkey: AccountId, hash: H256) -> DispatchResult {
	Weights::commit_weights(RuntimeOrigin::signed(hotkey), NETUID, hash)
}

fn reveal(hotkey: AccountId, uids: &[Uid], values: &[u16], salt: &[u16]) -> DispatchResult {
	Weights::reveal_weights(
		RuntimeOrigin::signed(hotkey),
		NETUID,
		uids.to_vec(),
		values.to_vec(),
		salt.to_vec(),
		0,
	)
}

fn hash(hotkey: AccountId, uids: &[Uid], values: &[u16], salt: &[u16]) -> H256 {
	Weights::commit_hash(&hotkey, NETUID, uids, values, salt, 0)
}

/// Tempo 10: window k is blocks [10k, 10k + 10); reveals come one window after the commit.
fn commit_reveal_params() -> SubnetHyperparameters {
	SubnetHyperparameters {
		commit_reveal_enabled: true,
		commit_reveal_period: 1,
		tempo: 10,
		..params()
	}
}

#[test]
fn commit_reveal_timeline() {
	test(|| {
		subnet_with(commit_reveal_params(), 3);
		let (uids, values, salt) = ([2, 3], [3, 1], [9, 9, 9]);
		run_to_block(15);
		assert_ok!(commit(VALIDATOR, hash(VALIDATOR, &uids, &values, &salt)));
		// Still window 1: too early. The weights are not visible on chain.
		run_to_block(19);
		assert_eq!(reveal(VALIDATOR, &uids, &values, &salt), err(Error::RevealTooEarly));
		assert!(WeightRows::<Test>::get(NETUID, 0).is_empty());
		// Window 2: the reveal counts from now.
		run_to_block(20);
		assert_eq!(reveal(VALIDATOR, &uids, &values, &[9]), err(Error::NoMatchingCommit));
		assert_ok!(reveal(VALIDATOR, &uids, &values, &salt));
		assert_eq!(WeightRows::<Test>::get(NETUID, 0).into_inner(), vec![(2, 65535), (3, 21845)]);
		assert_eq!(Weights::last_update(NETUID, 0), 20);
		assert!(WeightCommits::<Test>::get(NETUID, 0).is_empty());
		// Revealed once only.
		assert_eq!(reveal(VALIDATOR, &uids, &values, &salt), err(Error::NoMatchingCommit));

		// A commit not revealed in its window expires, and is dropped at the next commit.
		assert_ok!(commit(VALIDATOR, hash(VALIDATOR, &[2], &[1], &[])));
		run_to_block(30);
		run_to_block(40);
		assert_eq!(reveal(VALIDATOR, &[2], &[1], &[]), err(Error::CommitExpired));
		assert_ok!(commit(VALIDATOR, hash(VALIDATOR, &[3], &[1], &[])));
		assert_eq!(WeightCommits::<Test>::get(NETUID, 0).len(), 1);
	});
}

#[test]
fn commits_carry_across_a_hotkey_swap_and_stay_bound_to_their_committer() {
	test(|| {
		subnet_with(commit_reveal_params(), 3);
		let (uids, values, salt) = ([2, 3], [3, 1], [9]);
		run_to_block(15);
		assert_ok!(commit(VALIDATOR, hash(VALIDATOR, &uids, &values, &salt)));
		// A copier commits the same hash: revealing the same weights never matches it.
		assert_ok!(commit(OTHER_VALIDATOR, hash(VALIDATOR, &uids, &values, &salt)));
		swap_hotkey(VALIDATOR, 102);
		run_to_block(20);
		assert_eq!(reveal(OTHER_VALIDATOR, &uids, &values, &salt), err(Error::NoMatchingCommit));
		assert_eq!(reveal(VALIDATOR, &uids, &values, &salt), err(Error::NotRegistered));
		assert_ok!(reveal(102, &uids, &values, &salt));
		assert_eq!(WeightRows::<Test>::get(NETUID, 0).into_inner(), vec![(2, 65535), (3, 21845)]);
		assert!(WeightCommits::<Test>::get(NETUID, 0).is_empty());
	});
}

#[test]
fn commit_and_reveal_errors() {
	test(|| {
		subnet_with(commit_reveal_params(), 3);
		assert_eq!(commit(STRANGER, H256::zero()), err(Error::NotRegistered));
		assert_eq!(commit(200, H256::zero()), err(Error::NoValidatorPermit));
		assert_eq!(reveal(VALIDATOR, &[2], &[1], &[0; 33]), err(Error::SaltTooLong));
		// At most 10 unrevealed commits.
		for i in 0..10u8 {
			assert_ok!(commit(VALIDATOR, H256::repeat_byte(i)));
		}
		assert_eq!(commit(VALIDATOR, H256::repeat_byte(10)), err(Error::TooManyUnrevealedCommits));
		// The rate limit applies between commits.
		tune(NETUID, |p| p.weights_rate_limit = 5);
		assert_eq!(commit(OTHER_VALIDATOR, H256::zero()), Ok(()));
		assert_eq!(commit(OTHER_VALIDATOR, H256::repeat_byte(1)), err(Error::WeightsRateLimited));
		tune(NETUID, |p| p.commit_reveal_enabled = false);
		assert_eq!(commit(VALIDATOR, H256::zero()), err(Error::CommitRevealDisabled));
		assert_eq!(reveal(VALIDATOR, &[2], &[1], &[]), err(Error::CommitRevealDisabled));
	});
}

#[test]
fn reveal_checks_the_weights_and_masks_miners_registered_after_the_commit() {
	test(|| {
		subnet_with(commit_reveal_params(), 2);
		run_to_block(10);
		let bad = ([2, 2], [1, 1]);
		assert_ok!(commit(VALIDATOR, hash(VALIDATOR, &bad.0, &bad.1, &[])));
		let good = ([2, 3, 4], [1, 2, 4]);
		assert_ok!(commit(VALIDATOR, hash(VALIDATOR, &good.0, &good.1, &[])));
		// Uid 4 is taken after the commit: the committed weight on it must not count for it.
		run_to_block(12);
		register(NETUID, 300, None);
		run_to_block(20);
		assert_eq!(reveal(VALIDATOR, &bad.0, &bad.1, &[]), err(Error::DuplicateUid));
		assert_ok!(reveal(VALIDATOR, &good.0, &good.1, &[]));
		assert_eq!(WeightRows::<Test>::get(NETUID, 0).into_inner(), vec![(2, 32768), (3, 65535)]);
	});
}

/// Runs an epoch and checks what every epoch must: outputs of length n, payouts of the
/// whole emission, each to the uid's hotkey, counts matching rows.
fn run_epoch(emission: u128) -> Vec<u128> {
	let payouts = Weights::run(NETUID, emission);
	let n = MockNeurons::neuron_count(NETUID) as usize;
	assert!(EpochOutputs::<Test>::get(NETUID).has_length(n));
	let hotkeys: Vec<_> = payouts.payouts.iter().map(|p| p.hotkey).collect();
	let registered: Vec<_> = (0..n as u16).map(|uid| MockNeurons::hotkey(NETUID, uid)).collect();
	assert_eq!(hotkeys, registered);
	let paid: u128 = payouts.payouts.iter().map(|p| p.incentive + p.dividends).sum();
	assert_eq!(paid + payouts.unpaid, emission);
	let amounts: Vec<u128> = payouts.payouts.iter().map(|p| p.incentive + p.dividends).collect();
	assert_eq!(Weights::emissions(NETUID), amounts);
	amounts
}

#[test]
fn epoch_pays_miners_by_consensus_and_validators_by_bonds() {
	test(|| {
		subnet_with(params(), 3);
		// First epoch (in subnet_with): no weights, paid by stake; permits to the two stakers.
		let outputs = EpochOutputs::<Test>::get(NETUID);
		assert_eq!(outputs.validator_permit.to_vec(), vec![true, true, false, false, false]);
		assert_eq!(outputs.emission.to_vec(), vec![0; 5]);
		assert_eq!(LastEpochBlock::<Test>::get(NETUID), Some(1));

		assert_ok!(set_weights(VALIDATOR, vec![2, 3, 4], vec![3, 2, 1]));
		assert_ok!(set_weights(OTHER_VALIDATOR, vec![2, 3, 4], vec![1, 2, 3]));
		run_to_block(3);
		let paid = run_epoch(1_000_000);
		let outputs = EpochOutputs::<Test>::get(NETUID);
		// The 3:1 majority decides consensus: miner 2 earns most, miner 4 least.
		assert!(outputs.incentive[2] > outputs.incentive[3]);
		assert!(outputs.incentive[3] > outputs.incentive[4]);
		assert!(outputs.dividends[0] > outputs.dividends[1]);
		assert_eq!(outputs.consensus[2], 32768); // 3/6 of the majority's row
		assert!(paid.iter().all(|&amount| amount > 0));
		let payouts = Weights::run(NETUID, 1_000_000).payouts;
		assert_eq!(payouts[0].incentive, 0);
		assert_eq!(payouts[2].dividends, 0);
		assert!(!Bonds::<Test>::get(NETUID, 0).is_empty());
		assert!(Bonds::<Test>::get(NETUID, 2).is_empty());
		System::assert_last_event(
			Event::EpochRun { netuid: NETUID, emission: 1_000_000, unpaid: 0 }.into(),
		);
	});
}

#[test]
fn epoch_without_stake_keeps_the_emission_unpaid() {
	test(|| {
		add_subnet(NETUID, params());
		register(NETUID, 200, None);
		assert_eq!(Weights::run(NETUID, 500).unpaid, 500);
		// An emission above u64 is carried over beyond what one epoch splits (the stake
		// counts from the second epoch that sees it).
		set_stake(200, 1);
		assert_eq!(Weights::run(NETUID, 500).unpaid, 500);
		let payouts = Weights::run(NETUID, u128::from(u64::MAX) + 7);
		assert_eq!(payouts.unpaid, 7);
		assert_eq!(payouts.payouts[0].dividends, u128::from(u64::MAX));
		assert_eq!(Weights::run(9, 5).unpaid, 5);
	});
}

#[test]
fn stake_added_just_before_an_epoch_wins_no_permit_and_no_weight() {
	test(|| {
		subnet_with(params(), 2);
		let permits = || EpochOutputs::<Test>::get(NETUID).validator_permit.to_vec();
		assert_eq!(permits(), vec![true, true, false, false]);
		// A miner borrows far more than the validators hold for the epoch's block ...
		tune(NETUID, |p| p.max_allowed_validators = 2);
		set_stake(200, 1_000_000);
		run_epoch(1000);
		assert_eq!(permits(), vec![true, true, false, false], "no permit for borrowed stake");
		// ... and without it at the previous epoch, it weighed nothing in this one.
		set_stake(200, 0);
		run_epoch(1000);
		assert_eq!(permits(), vec![true, true, false, false]);
		// Stake that stays through two epochs counts.
		set_stake(200, 1_000_000);
		run_epoch(1000);
		run_epoch(1000);
		assert_eq!(permits(), vec![true, false, true, false]);
		// A fall counts at once.
		set_stake(200, 0);
		run_epoch(1000);
		assert_eq!(permits(), vec![true, true, false, false]);
	});
}

#[test]
fn rows_of_validators_who_lose_their_permit_are_dropped() {
	test(|| {
		subnet_with(params(), 2);
		assert_ok!(set_weights(OTHER_VALIDATOR, vec![2, 3], vec![1, 1]));
		tune(NETUID, |p| p.max_allowed_validators = 1);
		run_epoch(1000);
		assert!(!EpochOutputs::<Test>::get(NETUID).validator_permit[1]);
		assert!(WeightRows::<Test>::get(NETUID, 1).is_empty());
		assert_eq!(EntryCounts::<Test>::get(NETUID).weights, 0);
	});
}

/// Subnets of n uids where 1 + n/16 validators (at most 256) weigh every other uid.
#[test]
fn epochs_on_graphs_of_1_10_256_and_4096_uids() {
	for n in [1u16, 10, 256, 4096] {
		test(|| {
			let validators = (1 + n / 16).min(256);
			let max_allowed_validators = validators;
			add_subnet(
				NETUID,
				SubnetHyperparameters { max_allowed_uids: n, max_allowed_validators, ..params() },
			);
			for uid in 0..n {
				register(NETUID, 1000 + AccountId::from(uid), None);
				if uid < validators {
					set_stake(1000 + AccountId::from(uid), 1000 + u128::from(uid));
				}
			}
			run_epoch(1_000_000_000);
			run_epoch(1_000_000_000);
			run_to_block(2);
			for uid in 0..validators {
				let dests: Vec<Uid> = (0..n).filter(|&j| j != uid).collect();
				let weights = dests.iter().map(|&j| 1 + (j % 7)).collect();
				if !dests.is_empty() {
					assert_ok!(set_weights(1000 + AccountId::from(uid), dests, weights));
				}
			}
			run_to_block(3);
			let paid = run_epoch(1_000_000_000);
			let outputs = EpochOutputs::<Test>::get(NETUID);
			let incentive: u32 = outputs.incentive.iter().map(|&x| u32::from(x)).sum();
			assert!(n == 1 || incentive.abs_diff(65535) <= u32::from(n) / 2 + 1, "n = {n}");
			assert_eq!(paid.iter().sum::<u128>(), 1_000_000_000);
			assert_eq!(
				EntryCounts::<Test>::get(NETUID).weights,
				u32::from(validators) * u32::from(n.saturating_sub(1))
			);
		});
	}
}

#[test]
fn a_new_neuron_starts_afresh() {
	test(|| {
		subnet_with(params(), 2);
		assert_ok!(set_weights(OTHER_VALIDATOR, vec![2, 3], vec![1, 1]));
		run_to_block(3);
		run_epoch(1000);
		let commit = crate::WeightCommit { hash: H256::zero(), block: 3, hotkey: OTHER_VALIDATOR };
		WeightCommits::<Test>::insert(
			NETUID,
			1,
			polkadot_sdk::frame_support::BoundedVec::truncate_from(vec![commit]),
		);
		assert!(Weights::emissions(NETUID)[1] > 0);
		assert_eq!(Weights::last_update(NETUID, 1), 2);
		register(NETUID, 400, Some(1));
		assert!(WeightRows::<Test>::get(NETUID, 1).is_empty());
		assert!(Bonds::<Test>::get(NETUID, 1).is_empty());
		assert_eq!(Weights::last_update(NETUID, 1), 0);
		assert!(WeightCommits::<Test>::get(NETUID, 1).is_empty());
		let neuron = Weights::neuron_epochs(NETUID)[1];
		assert_eq!((neuron.emission, neuron.validator_permit, neuron.incentive), (0, false, 0));
		// Appending extends the outputs.
		register(NETUID, 401, None);
		assert_eq!(EpochOutputs::<Test>::get(NETUID).len(), 5);
	});
}

#[test]
fn dissolving_a_subnet_removes_everything() {
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		subnet_with(params(), 2);
		assert_ok!(set_weights(VALIDATOR, vec![2, 3], vec![1, 1]));
		run_epoch(1000);
		assert_ok!(set_weights(VALIDATOR, vec![2, 3], vec![1, 2]));
		assert_ok!(set_weights(OTHER_VALIDATOR, vec![2, 3], vec![1, 1]));
	});
	// Rows of past blocks are in the database, where `limit` counts.
	ext.commit_all().expect("commits");
	ext.execute_with(|| {
		Weights::on_subnet_dissolved(NETUID);
		assert!(!EpochOutputs::<Test>::contains_key(NETUID), "at once");
		assert!(!EntryCounts::<Test>::contains_key(NETUID));
		assert_eq!(LastEpochBlock::<Test>::get(NETUID), None);
		assert!(!LastUpdates::<Test>::contains_key(NETUID));
		// The rows go `limit` per map and block.
		assert!(!Weights::clear_subnet(NETUID, 1).1);
	});
	ext.commit_all().expect("commits");
	ext.execute_with(|| {
		assert!(Weights::clear_subnet(NETUID, u32::MAX).1);
		assert_eq!(WeightRows::<Test>::iter_prefix(NETUID).count(), 0);
		assert_eq!(Bonds::<Test>::iter_prefix(NETUID).count(), 0);
		// As pallet-subnets and pallet-registration forget it too.
		remove_subnet(NETUID);
		Weights::do_try_state().expect("storage invariants hold");
	});
}

#[test]
fn force_epoch_is_root_only() {
	test(|| {
		subnet_with(params(), 1);
		assert_noop!(
			Weights::force_epoch(RuntimeOrigin::signed(VALIDATOR), NETUID, 5),
			polkadot_sdk::sp_runtime::DispatchError::BadOrigin
		);
		assert_noop!(
			Weights::force_epoch(RuntimeOrigin::root(), 9, 5),
			Error::<Test>::SubnetNotFound
		);
		assert_ok!(Weights::force_epoch(RuntimeOrigin::root(), NETUID, 5));
		System::assert_last_event(
			Event::EpochRun { netuid: NETUID, emission: 5, unpaid: 0 }.into(),
		);
	});
}

fn validate(hotkey: AccountId, call: crate::Call<Test>) -> Result<(), TransactionValidityError> {
	let call = RuntimeCall::Weights(call);
	let info = call.get_dispatch_info();
	CheckWeights::<Test>::new()
		.validate_only(
			RuntimeOrigin::signed(hotkey),
			&call,
			&info,
			0,
			TransactionSource::External,
			0,
		)
		.map(|_| ())
}

fn custom(error: Error<Test>) -> TransactionValidityError {
	InvalidTransaction::Custom(error.encode()[0]).into()
}

#[test]
fn the_pool_refuses_what_the_calls_would_refuse() {
	test(|| {
		subnet_with(params(), 2);
		let set = |dests: Vec<Uid>| crate::Call::set_weights {
			netuid: NETUID,
			dests,
			weights: vec![1, 1],
			version_key: 0,
		};
		assert_eq!(validate(VALIDATOR, set(vec![2, 3])), Ok(()));
		let call = RuntimeCall::Weights(set(vec![2, 3]));
		let (valid, ..) = CheckWeights::<Test>::new()
			.validate_only(
				RuntimeOrigin::signed(VALIDATOR),
				&call,
				&call.get_dispatch_info(),
				0,
				TransactionSource::External,
				0,
			)
			.expect("valid");
		assert_eq!(
			valid.priority,
			luxtensor_primitives::DUTY_PRIORITY,
			"ahead of fee-paying calls"
		);
		assert_eq!(validate(VALIDATOR, set(vec![2, 2])), Err(custom(Error::DuplicateUid)));
		assert_eq!(validate(200, set(vec![2, 3])), Err(custom(Error::NoValidatorPermit)));
		assert_eq!(validate(STRANGER, set(vec![2, 3])), Err(custom(Error::NotRegistered)));
		tune(NETUID, |p| p.weights_rate_limit = 100);
		assert_ok!(set_weights(VALIDATOR, vec![2, 3], vec![1, 1]));
		assert_eq!(validate(VALIDATOR, set(vec![2, 3])), Err(custom(Error::WeightsRateLimited)));
		let commit = crate::Call::commit_weights { netuid: NETUID, commit_hash: H256::zero() };
		assert_eq!(validate(VALIDATOR, commit.clone()), Err(custom(Error::CommitRevealDisabled)));
		tune(NETUID, |p| p.commit_reveal_enabled = true);
		assert_eq!(validate(OTHER_VALIDATOR, commit), Ok(()));
		let reveal = crate::Call::reveal_weights {
			netuid: NETUID,
			uids: vec![2],
			values: vec![1],
			salt: vec![],
			version_key: 0,
		};
		assert_eq!(validate(OTHER_VALIDATOR, reveal), Err(custom(Error::NoMatchingCommit)));
		// Other calls and unsigned origins pass through.
		let info = RuntimeCall::System(polkadot_sdk::frame_system::Call::remark { remark: vec![] });
		let dispatch = info.get_dispatch_info();
		assert!(CheckWeights::<Test>::new()
			.validate_only(
				RuntimeOrigin::signed(STRANGER),
				&info,
				&dispatch,
				0,
				TransactionSource::External,
				0
			)
			.is_ok());
		let _ = TransactionExtension::<RuntimeCall>::weight(&CheckWeights::<Test>::new(), &info);
	});
}

/// Subnet 1 after weights from both validators: miner 2 earns most, miner 4 least.
fn subnet_with_weights() {
	subnet_with(params(), 3);
	assert_ok!(set_weights(VALIDATOR, vec![2, 3, 4], vec![3, 2, 1]));
	assert_ok!(set_weights(OTHER_VALIDATOR, vec![2, 3, 4], vec![1, 2, 3]));
	run_to_block(3);
}

/// What an epoch of `emission` pays now, storage left as it was.
fn payouts_of_an_epoch(emission: u128) -> Vec<NeuronPayout<AccountId>> {
	with_transaction(|| {
		let payouts = Weights::run(NETUID, emission).payouts;
		TransactionOutcome::Rollback(Ok::<_, DispatchError>(payouts))
	})
	.unwrap()
}

#[test]
fn a_compute_subnet_pays_part_of_the_incentive_by_verified_work() {
	test(|| {
		subnet_with_weights();
		let yuma = payouts_of_an_epoch(1_000_000);
		let yuma_incentive: Vec<u64> = yuma.iter().map(|p| p.incentive as u64).collect();
		let total: u128 = yuma.iter().map(|p| p.incentive).sum();
		// Miner 4 (uid 4), last by Yuma, did most of the verified work.
		set_compute_scores(NETUID, vec![(4, 300_000), (3, 100_000), (9, 5)]);
		let payouts = Weights::run(NETUID, 1_000_000).payouts;
		let paid = Weights::emissions(NETUID);
		let scores = [0, 0, 0, 100_000, 300_000];
		let expected =
			compute::split_incentive(&yuma_incentive, &scores, Perbill::from_percent(50));
		for uid in 0..5 {
			assert_eq!(payouts[uid].incentive, expected[uid] as u128, "uid {uid}");
			assert_eq!(payouts[uid].dividends, yuma[uid].dividends, "dividends stay Yuma's");
			assert_eq!(paid[uid], payouts[uid].incentive + payouts[uid].dividends);
		}
		// Half the incentive went by work, 3:1; the other half by Yuma.
		let compute_part = total / 2;
		assert_eq!(payouts[4].incentive, yuma[4].incentive / 2 + compute_part * 3 / 4);
		let outputs = EpochOutputs::<Test>::get(NETUID);
		assert_eq!(outputs.compute_score.to_vec(), vec![0, 0, 0, 16_383, 49_151]);
		assert_eq!(MockNeurons::neuron_count(NETUID), 5);
		// The scores were taken: the next tempo starts from zero, and pays by Yuma again.
		set_compute_scores(NETUID, Vec::new());
		run_epoch(1_000_000);
		assert_eq!(EpochOutputs::<Test>::get(NETUID).compute_score.to_vec(), vec![0; 5]);
	});
}

#[test]
fn self_dealt_work_earns_back_at_most_its_burned_fees_for_any_share() {
	test(|| {
		subnet_with_weights();
		let yuma = payouts_of_an_epoch(1_000_000);
		// Miner 4 paid itself for fake jobs: their fees burned 1,000, its score at most that.
		let burned = 1_000;
		for percent in (0..=100).step_by(10) {
			let mut params = params();
			params.compute_incentive_share = Perbill::from_percent(percent);
			add_subnet(NETUID, params);
			set_compute_scores(NETUID, vec![(4, burned)]);
			let payouts = payouts_of_an_epoch(1_000_000);
			let earned_back = payouts[4].incentive.saturating_sub(yuma[4].incentive);
			assert!(earned_back <= burned, "share {percent}%: earned {earned_back}");
			let total: u128 = payouts.iter().map(|p| p.incentive + p.dividends).sum();
			assert_eq!(total, 1_000_000);
		}
	});
}

#[test]
fn migration_to_v1_gathers_each_subnets_last_updates_once() {
	use crate::migrations::v1::{check, snapshot, v0, MigrateToV1};
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	test(|| {
		subnet_with(params(), 1);
		// A v0 state: uid 0 updated at 1, the miner (uid 2) at 2, uid 1 never.
		LastUpdates::<Test>::remove(NETUID);
		v0::LastUpdate::<Test>::insert(NETUID, 0, 1);
		v0::LastUpdate::<Test>::insert(NETUID, 2, 2);
		StorageVersion::new(0).put::<Weights>();
		let before = snapshot::<Test>();

		MigrateToV1::<Test>::on_runtime_upgrade();

		assert_eq!(Weights::on_chain_storage_version(), Weights::in_code_storage_version());
		assert_eq!(LastUpdates::<Test>::get(NETUID).into_inner(), vec![1, 0, 2]);
		assert_eq!(v0::LastUpdate::<Test>::iter().count(), 0);
		assert_ok!(check::<Test>(before.clone()));

		// The migrated blocks rate-limit as before: uid 0 waits until block 1 + 5.
		WeightRows::<Test>::remove(NETUID, 0);
		tune(NETUID, |p| p.weights_rate_limit = 5);
		assert_noop!(set_weights(VALIDATOR, vec![2], vec![1]), Error::<Test>::WeightsRateLimited);
		run_to_block(6);
		assert_ok!(set_weights(VALIDATOR, vec![2], vec![1]));

		// At version 1 it does nothing; the check sees the update since.
		MigrateToV1::<Test>::on_runtime_upgrade();
		assert_eq!(LastUpdates::<Test>::get(NETUID).into_inner(), vec![6, 0, 2]);
		assert!(check::<Test>(before).is_err());
	});
}
