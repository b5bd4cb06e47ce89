//! Stake wired into the runtime: a hotkey swap carries the hotkey's stake, stakers and take
//! with it, and the stake and metagraph runtime APIs show where stake is.

mod common;

use common::{account, claim_hotkey, consent, hotkey, preset_externalities, register_subnet};
use luxtensor_primitives::{
	apis::{runtime_decl_for_neurons_api::NeuronsApiV1, runtime_decl_for_stake_api::StakeApiV1},
	metagraph::{MetagraphField, UidRange},
	subnets::NetUid,
	PageRequest,
};
use luxtensor_runtime::{
	currency::MDT, AccountId, Balances, Registration, Runtime, RuntimeOrigin, Stake, Subnets,
	System,
};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_keyring::Sr25519Keyring,
};

const NETUID: NetUid = 1;

fn signed(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

#[test]
fn a_swapped_hotkey_keeps_its_stake_stakers_and_uid() {
	preset_externalities(DEV_RUNTIME_PRESET).execute_with(|| {
		let alice = account(Sr25519Keyring::Alice);
		let bob = account(Sr25519Keyring::Bob);
		System::set_block_number(1);
		assert_eq!(register_subnet(&alice, 99), NETUID);
		for seed in [1, 2] {
			claim_hotkey(&alice, seed);
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
			Runtime::selective_metagraph(NETUID, vec![MetagraphField::Stake], UidRange::ALL)
				.expect("subnet 1")
				.stake
				.expect("asked for")
		};
		assert_eq!(stake_column(), vec![1_250 * MDT, 0]);

		assert_ok!(Registration::swap_hotkey(
			signed(&alice),
			hotkey(1),
			hotkey(5),
			consent(5, &alice)
		));

		assert_eq!(stake_column(), vec![1_250 * MDT, 0], "uid 0 keeps its stake");
		let metagraph = Runtime::metagraph(NETUID, UidRange::ALL).expect("subnet 1");
		assert_eq!(metagraph.hotkeys, vec![hotkey(5), hotkey(2)]);
		// A page from uid 1: the header says where it is.
		let fields = vec![MetagraphField::Hotkeys, MetagraphField::Weights];
		let page = Runtime::selective_metagraph(NETUID, fields, UidRange { start: 1, limit: 9 })
			.expect("subnet 1");
		assert_eq!((page.header.first_uid, page.header.n), (1, 2));
		assert_eq!(page.hotkeys, Some(vec![hotkey(2)]));
		assert_eq!(page.weights.map(|rows| rows.len()), Some(1));
		assert!(Runtime::delegate(hotkey(1)).is_none(), "no stake is left on the old hotkey");
		let delegate = Runtime::delegate(hotkey(5)).expect("the new hotkey holds the stake");
		assert_eq!(delegate.owner, Some(alice.clone()));
		assert_eq!(delegate.total_stake, 1_250 * MDT);
		assert_eq!(delegate.registrations, vec![NETUID]);
		let mut nominators = Runtime::nominators(hotkey(5), PageRequest::first());
		nominators.sort_by_key(|(_, stake)| core::cmp::Reverse(*stake));
		assert_eq!(nominators, vec![(alice.clone(), 1_000 * MDT), (bob.clone(), 250 * MDT)]);

		// Bob's stake is now on the new hotkey, and he takes it back from there.
		let bobs = Runtime::stake_info_for_coldkey(bob.clone(), PageRequest::first());
		assert_eq!(bobs.len(), 1);
		assert_eq!((bobs[0].hotkey.clone(), bobs[0].stake), (hotkey(5), 250 * MDT));
		assert_ok!(Stake::remove_stake(signed(&bob), hotkey(5), 250 * MDT));
		assert!(Runtime::stake_info_for_coldkey(bob, PageRequest::first()).is_empty());
		let delegates: Vec<_> =
			Runtime::delegates(PageRequest::first()).into_iter().map(|d| d.hotkey).collect();
		assert_eq!(delegates, vec![hotkey(5)]);
	});
}

#[test]
fn a_coldkey_swap_moves_hotkeys_stake_subnets_and_balance_after_its_delay() {
	use luxtensor_primitives::traits::{HotkeyOwnership, SubnetsInfo};
	use polkadot_sdk::frame_support::traits::fungible::{Inspect, InspectHold};
	preset_externalities(DEV_RUNTIME_PRESET).execute_with(|| {
		let alice = account(Sr25519Keyring::Alice);
		let bob = account(Sr25519Keyring::Bob);
		let new = account(Sr25519Keyring::Ferdie);
		System::set_block_number(1);
		assert_eq!(register_subnet(&alice, 99), NETUID);
		claim_hotkey(&alice, 1);
		assert_ok!(Registration::burned_register(signed(&alice), NETUID, hotkey(1), u128::MAX));
		assert_ok!(Stake::add_stake(signed(&alice), hotkey(1), 1_000 * MDT));
		assert_ok!(Stake::add_stake(signed(&bob), hotkey(1), 250 * MDT));
		let lock = pallet_subnets::Networks::<Runtime>::get(NETUID).expect("subnet 1").lock;
		let lock_reason =
			luxtensor_runtime::RuntimeHoldReason::Subnets(pallet_subnets::HoldReason::SubnetLock);

		assert_ok!(Registration::schedule_coldkey_swap(signed(&alice), new.clone()));
		assert_noop!(
			Stake::remove_stake(signed(&alice), hotkey(1), MDT),
			pallet_stake::Error::<Runtime>::ColdkeySwapPending
		);
		let due = 1 + luxtensor_runtime::configs::ColdkeySwapDelay::get();
		System::set_block_number(due - 1);
		assert!(Registration::apply_coldkey_swap(signed(&bob), alice.clone()).is_err());
		System::set_block_number(due);
		let alice_free = <Balances as Inspect<_>>::reducible_balance(
			&alice,
			polkadot_sdk::frame_support::traits::tokens::Preservation::Preserve,
			polkadot_sdk::frame_support::traits::tokens::Fortitude::Polite,
		);
		let new_before = Balances::free_balance(&new);
		assert_ok!(Registration::apply_coldkey_swap(signed(&bob), alice.clone()));

		for seed in [1, 99] {
			assert_eq!(
				<Registration as HotkeyOwnership<_>>::owner(&hotkey(seed)),
				Some(new.clone())
			);
		}
		assert_eq!(<Subnets as SubnetsInfo<_>>::owner(NETUID), Some(new.clone()));
		assert_eq!(Balances::balance_on_hold(&lock_reason, &new), lock);
		assert_eq!(Balances::balance_on_hold(&lock_reason, &alice), 0);
		assert_eq!(Stake::stake_of_coldkey(&hotkey(1), &new), 1_000 * MDT);
		assert_eq!(Stake::stake_of_coldkey(&hotkey(1), &alice), 0);
		assert_eq!(Stake::stake_of_coldkey(&hotkey(1), &bob), 250 * MDT, "nominators stay");
		assert_eq!(Balances::free_balance(&new), new_before + alice_free);
		// The new coldkey now acts for what it received.
		assert_ok!(Stake::remove_stake(signed(&new), hotkey(1), 1_000 * MDT));
		pallet_stake::Pallet::<Runtime>::do_try_state().expect("stake invariants hold");
	});
}
