//! Weights and epochs wired into the runtime: registration sees the epoch's results and
//! starts a replaced uid afresh in pallet-weights, dissolving a subnet clears its weights,
//! and the largest epoch and its payout fit in the block's epoch budget.

mod common;

use common::{account, claim_hotkey, hotkey, preset_externalities, register_subnet};
use luxtensor_primitives::{
	subnets::{HyperparametersUpdate, NetUid},
	traits::{Epoch, EpochResults},
};
use luxtensor_runtime::{
	currency::MDT, Emission, Registration, Runtime, RuntimeCall, RuntimeOrigin, Stake, Subnets,
	System, Weights,
};
use polkadot_sdk::{
	frame_support::{
		assert_ok,
		dispatch::{DispatchClass, GetDispatchInfo},
		traits::Hooks,
	},
	frame_system,
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_keyring::Sr25519Keyring,
};

const NETUID: NetUid = 1;

/// Subnet 1 with 3 uids, commit-reveal off: validators 0 and 1 (stake 1000 and 3000 MDT,
/// permits after a first epoch) and miner 2.
fn subnet() {
	let alice = account(Sr25519Keyring::Alice);
	System::set_block_number(1);
	assert_eq!(register_subnet(&alice, 99), NETUID);
	let update = HyperparametersUpdate {
		max_allowed_uids: Some(3),
		max_allowed_validators: Some(3),
		commit_reveal_enabled: Some(false),
		weights_rate_limit: Some(1),
		immunity_period: Some(0),
		..Default::default()
	};
	assert_ok!(Subnets::set_hyperparameters(RuntimeOrigin::root(), NETUID, update));
	for (seed, stake) in [(1, 1_000 * MDT), (2, 3_000 * MDT), (3, 0)] {
		claim_hotkey(&alice, seed);
		assert_ok!(Registration::burned_register(
			RuntimeOrigin::signed(alice.clone()),
			NETUID,
			hotkey(seed),
			u128::MAX
		));
		if stake > 0 {
			assert_ok!(Stake::add_stake(RuntimeOrigin::signed(alice.clone()), hotkey(seed), stake));
		}
	}
	// Stake counts from the second epoch that sees it: two give the staked hotkeys permits.
	Weights::run(NETUID, 0);
	Weights::run(NETUID, 0);
	System::set_block_number(2);
}

#[test]
fn registration_sees_epoch_results_and_replaces_the_lowest_earner() {
	preset_externalities(DEV_RUNTIME_PRESET).execute_with(|| {
		subnet();
		for validator in [1, 2] {
			assert_ok!(Weights::set_weights(
				RuntimeOrigin::signed(hotkey(validator)),
				NETUID,
				vec![2],
				vec![1],
				0
			));
		}
		System::set_block_number(3);
		let payouts = Weights::run(NETUID, 1_000_000);
		assert_eq!(payouts.unpaid, 0);
		let emissions = Weights::emissions(NETUID);
		assert_eq!(emissions.iter().sum::<u128>(), 1_000_000);
		let miner = Registration::neuron(NETUID, 2).expect("miner");
		assert_eq!(miner.epoch.incentive, u16::MAX);
		assert_eq!(miner.epoch.emission, emissions[2]);
		assert!(Registration::neuron(NETUID, 0).expect("validator").epoch.validator_permit);

		// The subnet is full: validator 0 earned least and is replaced, its row cleared.
		let lowest = (0..3).min_by_key(|&uid| (emissions[uid], uid)).expect("three uids");
		assert_eq!(lowest, 0);
		System::set_block_number(4);
		let alice = account(Sr25519Keyring::Alice);
		claim_hotkey(&alice, 4);
		assert_ok!(Registration::burned_register(
			RuntimeOrigin::signed(alice),
			NETUID,
			hotkey(4),
			u128::MAX
		));
		assert!(pallet_weights::Weights::<Runtime>::get(NETUID, 0).is_empty());
		let fresh = Registration::neuron(NETUID, 0).expect("new neuron");
		assert_eq!(
			(fresh.hotkey, fresh.epoch.emission, fresh.epoch.validator_permit),
			(hotkey(4), 0, false)
		);
	});
}

#[test]
fn dissolving_a_subnet_clears_its_weights() {
	preset_externalities(DEV_RUNTIME_PRESET).execute_with(|| {
		subnet();
		assert_ok!(Weights::set_weights(
			RuntimeOrigin::signed(hotkey(2)),
			NETUID,
			vec![2],
			vec![1],
			0
		));
		Weights::run(NETUID, 1_000);
		// Small whatever the subnet's size: the rows go in the next blocks.
		let call = RuntimeCall::Subnets(pallet_subnets::Call::dissolve_network { netuid: NETUID });
		let declared = call.get_dispatch_info().call_weight;
		let normal = <Runtime as frame_system::Config>::BlockWeights::get();
		let max = normal.get(DispatchClass::Normal).max_extrinsic.expect("a normal-class limit");
		assert!(declared.all_lte(max), "{declared:?} exceeds {max:?}");
		assert_ok!(Subnets::dissolve_network(RuntimeOrigin::root(), NETUID));
		assert!(!pallet_weights::EpochOutputs::<Runtime>::contains_key(NETUID));
		Subnets::on_initialize(System::block_number() + 1);
		assert_eq!(pallet_weights::Weights::<Runtime>::iter_prefix(NETUID).count(), 0);
		assert_eq!(pallet_weights::Bonds::<Runtime>::iter_prefix(NETUID).count(), 0);
	});
}

#[test]
fn the_largest_epoch_and_its_payout_fit_in_the_epoch_budget() {
	preset_externalities(DEV_RUNTIME_PRESET).execute_with(|| {
		let alice = account(Sr25519Keyring::Alice);
		System::set_block_number(1);
		assert_eq!(register_subnet(&alice, 99), NETUID);
		let update = HyperparametersUpdate {
			max_allowed_uids: Some(4096),
			max_allowed_validators: Some(256),
			..Default::default()
		};
		assert_ok!(Subnets::set_hyperparameters(RuntimeOrigin::root(), NETUID, update));
		// The epoch's weight goes by the subnet's counters: 4096 uids, 256 validators each
		// weighing every other uid (registering them all is the benchmarks' job).
		pallet_registration::NeuronCount::<Runtime>::insert(NETUID, 4096);
		let entries = 256 * 4095;
		pallet_weights::EntryCounts::<Runtime>::insert(
			NETUID,
			pallet_weights::EntryCount { weights: entries, bonds: entries },
		);
		let epoch = Emission::epoch_weight(NETUID);
		let budget = <Runtime as pallet_emission::Config>::EpochWeightBudget::get();
		assert!(epoch.all_lte(budget), "epoch {epoch:?} exceeds the budget {budget:?}");
	});
}
