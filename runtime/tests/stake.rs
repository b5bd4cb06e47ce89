//! Stake wired into the runtime: a hotkey swap carries the hotkey's stake, stakers and take
//! with it, and the stake and metagraph runtime APIs show where stake is.

mod common;

use common::{account, preset_externalities};
use luxtensor_primitives::{
	apis::{runtime_decl_for_neurons_api::NeuronsApiV1, runtime_decl_for_stake_api::StakeApiV1},
	metagraph::MetagraphField,
	subnets::NetUid,
};
use luxtensor_runtime::{
	currency::MDT, AccountId, Registration, Runtime, RuntimeOrigin, Stake, Subnets, System,
};
use polkadot_sdk::{
	frame_support::assert_ok, sp_genesis_builder::DEV_RUNTIME_PRESET, sp_keyring::Sr25519Keyring,
	sp_runtime::AccountId32,
};

const NETUID: NetUid = 1;

fn hotkey(seed: u8) -> AccountId {
	AccountId32::new([seed; 32])
}

fn signed(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

#[test]
fn a_swapped_hotkey_keeps_its_stake_stakers_and_uid() {
	preset_externalities(DEV_RUNTIME_PRESET).execute_with(|| {
		let alice = account(Sr25519Keyring::Alice);
		let bob = account(Sr25519Keyring::Bob);
		System::set_block_number(1);
		assert_ok!(Subnets::register_network(signed(&alice), hotkey(99), u128::MAX));
		for seed in [1, 2] {
			assert_ok!(Registration::burned_register(
				signed(&alice),
				NETUID,
				hotkey(seed),
				u128::MAX
			));
		}
		assert_ok!(Stake::add_stake(signed(&alice), hotkey(1), 1_000 * MDT));
		assert_ok!(Stake::add_stake(signed(&bob), hotkey(1), 250 * MDT));

		let stake_column = || {
			Runtime::selective_metagraph(NETUID, vec![MetagraphField::Stake])
				.expect("subnet 1")
				.stake
				.expect("asked for")
		};
		assert_eq!(stake_column(), vec![1_250 * MDT, 0]);

		assert_ok!(Registration::swap_hotkey(signed(&alice), hotkey(1), hotkey(5)));

		assert_eq!(stake_column(), vec![1_250 * MDT, 0], "uid 0 keeps its stake");
		let metagraph = Runtime::metagraph(NETUID).expect("subnet 1");
		assert_eq!(metagraph.hotkeys, vec![hotkey(5), hotkey(2)]);
		assert!(Runtime::delegate(hotkey(1)).is_none(), "no stake is left on the old hotkey");
		let delegate = Runtime::delegate(hotkey(5)).expect("the new hotkey holds the stake");
		assert_eq!(delegate.owner, Some(alice.clone()));
		assert_eq!(delegate.total_stake, 1_250 * MDT);
		assert_eq!(delegate.registrations, vec![NETUID]);
		let nominators: Vec<_> = delegate.nominators.iter().map(|(who, _)| who.clone()).collect();
		assert_eq!(nominators, vec![alice.clone(), bob.clone()]);

		// Bob's stake is now on the new hotkey, and he takes it back from there.
		let bobs = Runtime::stake_info_for_coldkey(bob.clone());
		assert_eq!(bobs.len(), 1);
		assert_eq!((bobs[0].hotkey.clone(), bobs[0].stake), (hotkey(5), 250 * MDT));
		assert_ok!(Stake::remove_stake(signed(&bob), hotkey(5), 250 * MDT));
		assert!(Runtime::stake_info_for_coldkey(bob).is_empty());
		let delegates: Vec<_> = Runtime::delegates().into_iter().map(|d| d.hotkey).collect();
		assert_eq!(delegates, vec![hotkey(5)]);
	});
}
