//! Dissolving a full 4096-uid subnet: its neurons', weights' and scores' entries are removed
//! over several blocks, each block's share within a small part of its weight, and its netuid
//! is not taken by a new subnet before they are gone.

mod common;

use common::{account, preset_externalities, register_subnet};
use luxtensor_primitives::{
	subnets::{AxonInfo, HyperparametersUpdate, NetUid},
	traits::SubnetsInfo,
};
use luxtensor_runtime::{
	configs::{NetworkRateLimit, RuntimeBlockWeights, SubnetClearLimit},
	AccountId, Runtime, RuntimeOrigin, Subnets, System,
};
use polkadot_sdk::{
	frame_support::{assert_ok, traits::Hooks, BoundedVec},
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_keyring::Sr25519Keyring,
	sp_runtime::Perbill,
};

const UIDS: u16 = 4_096;

fn neuron(uid: u16) -> AccountId {
	let mut bytes = [7u8; 32];
	bytes[..2].copy_from_slice(&uid.to_le_bytes());
	AccountId::new(bytes)
}

/// Leftover entries of `netuid` in the per-uid maps and vectors.
fn entries(netuid: NetUid) -> usize {
	usize::from(pallet_registration::RegistrationBlocks::<Runtime>::contains_key(netuid))
		+ usize::from(pallet_weights::LastUpdates::<Runtime>::contains_key(netuid))
		+ pallet_registration::Uids::<Runtime>::iter_prefix(netuid).count()
		+ pallet_registration::Hotkeys::<Runtime>::iter_prefix(netuid).count()
		+ pallet_registration::Axons::<Runtime>::iter_prefix(netuid).count()
		+ pallet_weights::Weights::<Runtime>::iter_prefix(netuid).count()
		+ pallet_compute::TempoScores::<Runtime>::iter_prefix(netuid).count()
}

#[test]
fn a_full_subnet_is_cleared_over_blocks_and_its_netuid_kept_until_then() {
	let mut ext = preset_externalities(DEV_RUNTIME_PRESET);
	let alice = account(Sr25519Keyring::Alice);
	// A subnet of 4096 neurons, each with an axon, a weight row of 64 entries and a score,
	// written as registrations and epochs would have (much faster than running them).
	let axon =
		AxonInfo { block: 1, version: 1, ip: 0x0a00_0001, port: 8091, ip_type: 4, protocol: 4 };
	let netuid = ext.execute_with(|| {
		System::set_block_number(1);
		let netuid = register_subnet(&alice, 99);
		let update = HyperparametersUpdate { max_allowed_uids: Some(UIDS), ..Default::default() };
		assert_ok!(Subnets::set_hyperparameters(RuntimeOrigin::root(), netuid, update));
		for uid in 0..UIDS {
			let hotkey = neuron(uid);
			pallet_registration::Uids::<Runtime>::insert(netuid, &hotkey, uid);
			pallet_registration::Hotkeys::<Runtime>::insert(netuid, uid, &hotkey);
			pallet_registration::Axons::<Runtime>::insert(netuid, uid, axon);
			let row: Vec<(u16, u16)> = (0..64).map(|j| ((uid + j) % UIDS, 1)).collect();
			pallet_weights::Weights::<Runtime>::insert(netuid, uid, BoundedVec::truncate_from(row));
			pallet_compute::TempoScores::<Runtime>::insert(netuid, uid, 1);
		}
		pallet_registration::NeuronCount::<Runtime>::insert(netuid, UIDS);
		let blocks = vec![1; UIDS.into()];
		let registered = BoundedVec::truncate_from(blocks.clone());
		pallet_registration::RegistrationBlocks::<Runtime>::insert(netuid, registered);
		pallet_weights::LastUpdates::<Runtime>::insert(netuid, BoundedVec::truncate_from(blocks));
		netuid
	});
	// Written in past blocks: in the database, as on a live chain.
	ext.commit_all().expect("commits");

	ext.execute_with(|| {
		assert_ok!(Subnets::dissolve_network(RuntimeOrigin::root(), netuid));
		assert!(!Subnets::exists(netuid));
		assert!(Subnets::is_clearing(netuid));
	});
	let budget = Perbill::from_percent(10) * RuntimeBlockWeights::get().max_block.ref_time();
	let mut blocks = 0u32;
	let mut heaviest = 0u64;
	loop {
		let clearing = ext.execute_with(|| {
			let next = System::block_number() + 1;
			System::set_block_number(next);
			let weight = Subnets::on_initialize(next);
			heaviest = heaviest.max(weight.ref_time());
			assert!(weight.ref_time() <= budget, "block {next}: {weight} over 10% of a block");
			if blocks == 3 {
				// Mid-way: a new subnet takes another netuid.
				System::set_block_number(next + NetworkRateLimit::get());
				let bob = account(Sr25519Keyring::Bob);
				let newest = register_subnet(&bob, 98);
				assert_ne!(newest, netuid, "the netuid being cleared is not reused");
			}
			Subnets::is_clearing(netuid)
		});
		ext.commit_all().expect("commits");
		blocks += 1;
		if !clearing {
			break;
		}
		assert!(blocks < 100, "the cleanup ends");
	}
	ext.execute_with(|| {
		assert_eq!(entries(netuid), 0, "nothing of the subnet is left");
		assert_eq!(pallet_registration::NeuronCount::<Runtime>::get(netuid), 0);
	});
	// One more block when the last share fills the limit exactly: only then is it seen done.
	let expected = u32::from(UIDS).div_ceil(SubnetClearLimit::get());
	assert!((expected..=expected + 1).contains(&blocks), "{blocks} blocks");
	// What the same cleanup weighs in one block, as dissolving did before.
	let at_once = {
		use pallet_compute::WeightInfo as _;
		use pallet_registration::WeightInfo as _;
		use pallet_weights::WeightInfo as _;
		let uids = u32::from(UIDS);
		pallet_registration::weights::SubstrateWeight::<Runtime>::clear_subnet(uids)
			.saturating_add(
				pallet_weights::weights::SubstrateWeight::<Runtime>::on_subnet_dissolved(uids),
			)
			.saturating_add(pallet_compute::weights::SubstrateWeight::<Runtime>::take_scores(uids))
	};
	let percent = |weight: u64| {
		weight as f64 * 100.0 / RuntimeBlockWeights::get().max_block.ref_time() as f64
	};
	assert!(at_once.ref_time() > budget, "at once, it would not fit the budget");
	println!(
		"4096 uids cleared in {blocks} blocks, the heaviest block's share {:.1}% of a block \
		 (all at once: {:.0}%)",
		percent(heaviest),
		percent(at_once.ref_time()),
	);
}
