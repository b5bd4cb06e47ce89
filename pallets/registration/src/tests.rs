//! Unit tests of pallet-registration on the mock runtime; each ends with the `try_state`
//! checks.

use crate::{
	mock::*, AllowLoopbackEndpoints, Axons, BurnPrices, CheckServing, Error, Event, HotkeyOwners,
	Hotkeys, NeuronCount, OwnedHotkeys, PrometheusEndpoints, RegistrationBlocks, Uids,
};
use codec::Encode;
use luxtensor_primitives::{
	subnets::{AxonInfo, NetUid, NeuronEpochInfo, PrometheusInfo, Uid, ROOT_NETUID},
	traits::{ColdkeySwapStatus, HotkeyOwnership, Neurons, OnSubnetDissolved},
	Balance,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		dispatch::{DispatchInfo, GetDispatchInfo, Pays},
	},
	sp_runtime::{
		testing::TestSignature,
		traits::{TransactionExtension, TxBaseImplication},
		transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
		DispatchResult, FixedPointNumber, FixedU128,
	},
};

const IPV4: u128 = 0x0A00_0001; // 10.0.0.1
const LOOPBACK_V4: u128 = 0x7F00_0001; // 127.0.0.1
const PORT: u16 = 8091;

fn register(coldkey: AccountId, hotkey: AccountId) -> Uid {
	register_in(NETUID, coldkey, hotkey)
}

/// Registers `hotkey`, claiming it for `coldkey` first if it has no owner yet.
fn register_in(netuid: NetUid, coldkey: AccountId, hotkey: AccountId) -> Uid {
	if hotkey != coldkey && HotkeyOwners::<Test>::get(hotkey).is_none() {
		claim(coldkey, hotkey);
	}
	assert_ok!(Registration::burned_register(
		RuntimeOrigin::signed(coldkey),
		netuid,
		hotkey,
		u128::MAX
	));
	Uids::<Test>::get(netuid, hotkey).expect("registered")
}

fn default_min_burn() -> Balance {
	luxtensor_primitives::subnets::SubnetHyperparameters::default().min_burn
}

fn serve_axon(
	hotkey: AccountId,
	ip: u128,
	port: u16,
	ip_type: u8,
) -> polkadot_sdk::frame_support::dispatch::DispatchResult {
	Registration::serve_axon(RuntimeOrigin::signed(hotkey), NETUID, 7, ip, port, ip_type, 1)
}

#[test]
fn registration_takes_the_next_uid_burns_the_price_and_claims_the_hotkey() {
	test(|| {
		let issuance = Balances::total_issuance();
		let price = Registration::registration_cost(NETUID).expect("open subnet");
		assert_eq!(price, default_min_burn());
		assert_eq!(register(ALICE, 100), 0);
		assert_eq!(register(BOB, 101), 1);
		assert_eq!(NeuronCount::<Test>::get(NETUID), 2);
		assert_eq!(Hotkeys::<Test>::get(NETUID, 1), Some(101));
		assert_eq!(RegistrationBlocks::<Test>::get(NETUID).into_inner(), vec![1, 1]);
		assert_eq!(HotkeyOwners::<Test>::get(100), Some(ALICE));
		assert_eq!(Balances::free_balance(ALICE), ENDOWMENT - price);
		let second_price = FixedU128::from_rational(126, 100).saturating_mul_int(price);
		assert_eq!(Balances::free_balance(BOB), ENDOWMENT - second_price);
		assert_eq!(Balances::total_issuance(), issuance - price - second_price);
		System::assert_last_event(
			Event::NeuronRegistered {
				netuid: NETUID,
				uid: 1,
				hotkey: 101,
				coldkey: BOB,
				burned: second_price,
			}
			.into(),
		);
	});
}

#[test]
fn price_rises_after_each_registration_and_halves_every_half_life() {
	test(|| {
		tune(NETUID, |p| {
			p.min_burn = 1;
			p.max_burn = 1_000 * MDT;
			p.burn_half_life = 100;
			p.burn_increase_mult = FixedU128::from_u32(2);
		});
		BurnPrices::<Test>::insert(NETUID, crate::BurnPrice { price: MDT, updated_at: 1 });
		assert_eq!(Registration::registration_cost(NETUID), Some(MDT));
		register(ALICE, 100);
		assert_eq!(Registration::registration_cost(NETUID), Some(2 * MDT));
		run_to_block(101);
		assert_eq!(Registration::registration_cost(NETUID), Some(MDT));
		run_to_block(151);
		let expected = 707_106_781; // 1 MDT / sqrt(2)
		let cost = Registration::registration_cost(NETUID).expect("cost");
		assert!(cost.abs_diff(expected) <= 1, "{cost}");
		// Registering pays the decayed price.
		register(BOB, 101);
		assert_eq!(Balances::free_balance(BOB), ENDOWMENT - cost);
	});
}

#[test]
fn price_stays_within_min_and_max_burn() {
	test(|| {
		tune(NETUID, |p| {
			p.min_burn = MDT;
			p.max_burn = 2 * MDT;
			p.burn_increase_mult = FixedU128::from_u32(3);
		});
		register(ALICE, 100);
		assert_eq!(Registration::registration_cost(NETUID), Some(2 * MDT));
		run_to_block(100_000);
		assert_eq!(Registration::registration_cost(NETUID), Some(MDT));
	});
}

#[test]
fn a_hotkey_registers_in_many_subnets_once_each() {
	test(|| {
		set_subnet(2, Default::default());
		register_in(NETUID, ALICE, 100);
		register_in(2, ALICE, 100);
		assert_noop!(
			Registration::burned_register(RuntimeOrigin::signed(ALICE), NETUID, 100, u128::MAX)
				.map_err(|e| e.error),
			Error::<Test>::AlreadyRegistered
		);
	});
}

#[test]
fn a_published_hotkey_cannot_be_taken_without_its_signature() {
	test(|| {
		let signed = RuntimeOrigin::signed;
		// Bob saw Alice's hotkey 100 in her pending registration and tries to get it first.
		assert_noop!(
			Registration::burned_register(signed(BOB), NETUID, 100, u128::MAX).map_err(|e| e.error),
			Error::<Test>::HotkeyNotClaimed
		);
		assert_noop!(
			Registration::claim_hotkey(signed(BOB), 100, consent(100, ALICE)),
			Error::<Test>::InvalidHotkeySignature
		);
		assert_noop!(
			Registration::claim_hotkey(signed(BOB), 100, consent(101, BOB)),
			Error::<Test>::InvalidHotkeySignature
		);
		assert_noop!(
			<Registration as HotkeyOwnership<_>>::claim(&100, &BOB),
			Error::<Test>::HotkeyNotClaimed
		);
		// Alice's claim carries the hotkey's consent; from then on it is hers.
		assert_ok!(Registration::claim_hotkey(signed(ALICE), 100, consent(100, ALICE)));
		System::assert_last_event(Event::HotkeyClaimed { hotkey: 100, coldkey: ALICE }.into());
		register(ALICE, 100);
		set_subnet(2, Default::default());
		assert_noop!(
			Registration::burned_register(signed(BOB), 2, 100, u128::MAX).map_err(|e| e.error),
			Error::<Test>::HotkeyOwnedByAnotherColdkey
		);
		assert_noop!(
			Registration::claim_hotkey(signed(BOB), 100, consent(100, BOB)),
			Error::<Test>::HotkeyOwnedByAnotherColdkey
		);
		assert_noop!(
			Registration::claim_hotkey(signed(ALICE), 100, consent(100, ALICE)),
			Error::<Test>::HotkeyAlreadyClaimed
		);
		assert_noop!(
			<Registration as HotkeyOwnership<_>>::claim(&100, &BOB),
			Error::<Test>::HotkeyOwnedByAnotherColdkey
		);
		assert_ok!(<Registration as HotkeyOwnership<_>>::claim(&100, &ALICE));
		// A coldkey may be its own hotkey without a claim.
		assert_ok!(<Registration as HotkeyOwnership<_>>::claim(&BOB, &BOB));
		assert_eq!(<Registration as HotkeyOwnership<_>>::owner(&BOB), Some(BOB));
		// Browser wallets wrap what they sign in <Bytes> tags: accepted too.
		let message = Registration::ownership_message(&BOB);
		let wrapped = [b"<Bytes>".as_slice(), &message, b"</Bytes>"].concat();
		assert_ok!(Registration::claim_hotkey(signed(BOB), 300, TestSignature(300, wrapped)));
		assert_eq!(HotkeyOwners::<Test>::get(300), Some(BOB));
	});
}

#[test]
fn registration_errors_change_nothing() {
	test(|| {
		let signed = RuntimeOrigin::signed;
		claim(ALICE, 100);
		assert_noop!(
			Registration::burned_register(signed(ALICE), 9, 100, u128::MAX).map_err(|e| e.error),
			Error::<Test>::SubnetNotFound
		);
		// Refused by its checks, it is charged for them, not for scanning a full subnet.
		let refused = Registration::burned_register(signed(ALICE), 9, 100, u128::MAX);
		let charged = refused.unwrap_err().post_info.actual_weight;
		assert_eq!(charged, Some(<() as crate::WeightInfo>::burned_register(0)));
		assert!(
			charged.unwrap().ref_time()
				< crate::Call::<Test>::burned_register { netuid: 9, hotkey: 100, max_burn: 0 }
					.get_dispatch_info()
					.call_weight
					.ref_time()
		);
		assert_noop!(
			Registration::burned_register(signed(ALICE), ROOT_NETUID, 100, u128::MAX)
				.map_err(|e| e.error),
			Error::<Test>::CannotRegisterOnRootNetwork
		);
		assert_noop!(
			Registration::burned_register(signed(POOR), NETUID, POOR, u128::MAX)
				.map_err(|e| e.error),
			Error::<Test>::InsufficientBalance
		);
		// The price rose since the caller looked: it burns no more than it allowed.
		let price = Registration::registration_cost(NETUID).unwrap();
		assert_noop!(
			Registration::burned_register(signed(ALICE), NETUID, 100, price - 1)
				.map_err(|e| e.error),
			Error::<Test>::PriceAboveMax
		);
		tune(NETUID, |p| p.registration_allowed = false);
		assert_noop!(
			Registration::burned_register(signed(ALICE), NETUID, 100, u128::MAX)
				.map_err(|e| e.error),
			Error::<Test>::RegistrationDisabled
		);
	});
}

#[test]
fn a_full_subnet_replaces_the_lowest_emission_neuron_past_immunity() {
	test(|| {
		tune(NETUID, |p| {
			p.max_allowed_uids = 12;
			p.max_allowed_validators = 12;
			p.immunity_period = 7;
		});
		for uid in 0..12u16 {
			run_to_block(1 + u32::from(uid));
			register(ALICE, 100 + u64::from(uid));
			set_emission(NETUID, uid, 50);
		}
		// At block 18 uids 0..=10 (registered at blocks 1..=11) are past immunity, uid 11 is not.
		run_to_block(17);
		set_emission(NETUID, 11, 0); // immune: not a candidate while 11 others are
		set_emission(NETUID, 4, 10);
		set_emission(NETUID, 7, 10); // tie with uid 4, registered later
		assert_ok!(serve_axon(104, IPV4, PORT, 4));
		run_to_block(18);
		assert_eq!(register(BOB, 999), 4);
		assert_eq!(Hotkeys::<Test>::get(NETUID, 4), Some(999));
		assert_eq!(Uids::<Test>::get(NETUID, 104), None);
		assert_eq!(Registration::registered_at(NETUID, 4), Some(18));
		assert_eq!(Axons::<Test>::get(NETUID, 4), None);
		assert_eq!(NeuronCount::<Test>::get(NETUID), 12);
		assert_eq!(registered_uids().last(), Some(&(NETUID, 4)));
		assert_eq!(registered_uids().len(), 13);
		assert!(System::events().iter().any(|record| record.event
			== Event::NeuronReplaced { netuid: NETUID, uid: 4, old_hotkey: 104 }.into()));
		// The old hotkey still belongs to Alice.
		assert_eq!(HotkeyOwners::<Test>::get(104), Some(ALICE));
	});
}

#[test]
fn immunity_keeps_at_least_ten_neurons_replaceable() {
	test(|| {
		tune(NETUID, |p| {
			p.max_allowed_uids = 12;
			p.max_allowed_validators = 12;
			p.immunity_period = 5;
		});
		for uid in 0..12u16 {
			run_to_block(1 + u32::from(uid));
			register(ALICE, 100 + u64::from(uid));
			set_emission(NETUID, uid, 50 + Balance::from(uid));
		}
		// At block 14 uids 9..=11 (blocks 10..=12) are immune: 9 candidates, so the oldest
		// immune neuron (uid 9) is a candidate too, and it earned least among them.
		run_to_block(14);
		set_emission(NETUID, 9, 1);
		set_emission(NETUID, 10, 0);
		assert_eq!(register(BOB, 999), 9);
	});
}

#[test]
fn a_small_full_subnet_replaces_its_oldest_neuron_when_all_earned_nothing() {
	test(|| {
		tune(NETUID, |p| {
			p.max_allowed_uids = 3;
			p.max_allowed_validators = 3;
		});
		for hotkey in 100..103 {
			register(ALICE, hotkey);
		}
		// Default immunity (4096 blocks) covers all three, but a 3-neuron subnet keeps all
		// replaceable: the oldest registration goes first, then the lowest uid.
		run_to_block(2);
		assert_eq!(register(BOB, 200), 0);
		run_to_block(3);
		assert_eq!(register(BOB, 201), 1);
		assert_eq!(NeuronCount::<Test>::get(NETUID), 3);
	});
}

#[test]
fn serve_axon_stores_the_endpoint_and_is_rate_limited() {
	test(|| {
		let uid = register(ALICE, 100);
		assert_ok!(serve_axon(100, IPV4, PORT, 4));
		let axon = AxonInfo { block: 1, version: 7, ip: IPV4, port: PORT, ip_type: 4, protocol: 1 };
		assert_eq!(Axons::<Test>::get(NETUID, uid), Some(axon));
		System::assert_last_event(Event::AxonServed { netuid: NETUID, uid, axon }.into());
		// Default serving_rate_limit: 50 blocks.
		run_to_block(50);
		assert_noop!(serve_axon(100, IPV4, PORT, 4), Error::<Test>::ServingRateLimited);
		run_to_block(51);
		assert_ok!(serve_axon(100, IPV4, PORT + 1, 4));
		let ipv6 = 0x2001_0db8_0000_0000_0000_0000_0000_0001;
		run_to_block(101);
		assert_ok!(serve_axon(100, ipv6, PORT, 6));
	});
}

#[test]
fn serve_axon_rejects_bad_endpoints() {
	test(|| {
		register(ALICE, 100);
		assert_noop!(serve_axon(200, IPV4, PORT, 4), Error::<Test>::NotRegistered);
		assert_noop!(serve_axon(100, 0, PORT, 4), Error::<Test>::InvalidIp);
		assert_noop!(serve_axon(100, 0xFFFF_FFFF, PORT, 4), Error::<Test>::InvalidIp);
		assert_noop!(serve_axon(100, 1 << 40, PORT, 4), Error::<Test>::InvalidIp);
		assert_noop!(serve_axon(100, LOOPBACK_V4, PORT, 4), Error::<Test>::InvalidIp);
		assert_noop!(serve_axon(100, 0, PORT, 6), Error::<Test>::InvalidIp);
		assert_noop!(serve_axon(100, 1, PORT, 6), Error::<Test>::InvalidIp); // ::1
		assert_noop!(serve_axon(100, IPV4, PORT, 5), Error::<Test>::InvalidIpType);
		assert_noop!(serve_axon(100, IPV4, 0, 4), Error::<Test>::InvalidPort);
		assert_noop!(
			Registration::serve_axon(RuntimeOrigin::signed(100), 9, 7, IPV4, PORT, 4, 1),
			Error::<Test>::SubnetNotFound
		);
		// Development chains accept loopback.
		AllowLoopbackEndpoints::<Test>::put(true);
		assert_ok!(serve_axon(100, LOOPBACK_V4, PORT, 4));
	});
}

#[test]
fn serve_prometheus_stores_the_endpoint_with_its_own_rate_limit() {
	test(|| {
		let uid = register(ALICE, 100);
		assert_ok!(serve_axon(100, IPV4, PORT, 4));
		let serve = |port| {
			Registration::serve_prometheus(RuntimeOrigin::signed(100), NETUID, 3, IPV4, port, 4)
		};
		assert_ok!(serve(9615));
		let prometheus = PrometheusInfo { block: 1, version: 3, ip: IPV4, port: 9615, ip_type: 4 };
		assert_eq!(PrometheusEndpoints::<Test>::get(NETUID, uid), Some(prometheus));
		assert_noop!(serve(9616), Error::<Test>::ServingRateLimited);
		assert_noop!(
			Registration::serve_prometheus(RuntimeOrigin::signed(100), NETUID, 3, IPV4, 0, 4),
			Error::<Test>::InvalidPort
		);
	});
}

#[test]
fn serving_is_free_of_fees() {
	test(|| {
		let call = RuntimeCall::Registration(crate::Call::serve_axon {
			netuid: NETUID,
			version: 1,
			ip: IPV4,
			port: PORT,
			ip_type: 4,
			protocol: 0,
		});
		assert_eq!(call.get_dispatch_info().pays_fee, Pays::No);
	});
}

#[test]
fn check_serving_keeps_failing_updates_out_of_the_pool() {
	test(|| {
		register(ALICE, 100);
		let validate = |who: AccountId, call: RuntimeCall| {
			CheckServing::<Test>::new()
				.validate(
					RuntimeOrigin::signed(who),
					&call,
					&DispatchInfo::default(),
					0,
					(),
					&TxBaseImplication(()),
					TransactionSource::External,
				)
				.map(|(valid, _, _)| valid)
		};
		let axon = |port| {
			RuntimeCall::Registration(crate::Call::serve_axon {
				netuid: NETUID,
				version: 1,
				ip: IPV4,
				port,
				ip_type: 4,
				protocol: 0,
			})
		};
		let error_code = |error: Error<Test>| {
			TransactionValidityError::Invalid(InvalidTransaction::Custom(error.encode()[0]))
		};
		let valid = validate(100, axon(PORT)).expect("a registered hotkey may serve");
		assert_eq!(valid.provides.len(), 1, "one pending update per hotkey and subnet");
		assert_eq!(validate(200, axon(PORT)).unwrap_err(), error_code(Error::NotRegistered));
		assert_eq!(validate(100, axon(0)).unwrap_err(), error_code(Error::InvalidPort));
		assert_ok!(serve_axon(100, IPV4, PORT, 4));
		assert_eq!(validate(100, axon(PORT)).unwrap_err(), error_code(Error::ServingRateLimited));
		// Other calls pass through untouched.
		let transfer =
			RuntimeCall::System(polkadot_sdk::frame_system::Call::remark { remark: vec![] });
		assert_eq!(validate(200, transfer).expect("not a serving call").provides.len(), 0);
	});
}

#[test]
fn swap_hotkey_moves_every_registration_and_burns_the_fee() {
	test(|| {
		set_subnet(2, Default::default());
		register_in(NETUID, ALICE, 300);
		let uid = register_in(NETUID, ALICE, 100);
		let uid_2 = register_in(2, ALICE, 100);
		let before = Balances::free_balance(ALICE);
		let issuance = Balances::total_issuance();
		assert_noop!(
			Registration::swap_hotkey(RuntimeOrigin::signed(ALICE), 100, 101, consent(101, BOB)),
			Error::<Test>::InvalidHotkeySignature
		);
		assert_ok!(Registration::swap_hotkey(
			RuntimeOrigin::signed(ALICE),
			100,
			101,
			consent(101, ALICE)
		));
		assert_eq!(Uids::<Test>::get(NETUID, 101), Some(uid));
		assert_eq!(Uids::<Test>::get(2, 101), Some(uid_2));
		assert_eq!(Uids::<Test>::get(NETUID, 100), None);
		assert_eq!(Hotkeys::<Test>::get(2, uid_2), Some(101));
		assert_eq!(HotkeyOwners::<Test>::get(101), Some(ALICE));
		assert_eq!(HotkeyOwners::<Test>::get(100), Some(ALICE));
		assert_eq!(Balances::free_balance(ALICE), before - SWAP_COST);
		assert_eq!(Balances::total_issuance(), issuance - SWAP_COST);
		assert_eq!(swapped_hotkeys(), vec![(100, 101)], "stake is told to follow the hotkey");
		System::assert_last_event(
			Event::HotkeySwapped {
				coldkey: ALICE,
				old_hotkey: 100,
				new_hotkey: 101,
				fee: SWAP_COST,
			}
			.into(),
		);
	});
}

#[test]
fn swap_hotkey_errors_change_nothing() {
	test(|| {
		register(ALICE, 100);
		register(BOB, 200);
		let swap = |who, old, new| {
			Registration::swap_hotkey(RuntimeOrigin::signed(who), old, new, consent(new, who))
		};
		assert_noop!(swap(BOB, 100, 101), Error::<Test>::NotHotkeyOwner);
		assert_noop!(swap(ALICE, 100, 100), Error::<Test>::SameHotkey);
		assert_noop!(swap(ALICE, 100, 200), Error::<Test>::NewHotkeyAlreadyOwned);
		claim(POOR, 400);
		claim(POOR, 401);
		assert_noop!(swap(POOR, 400, 402), Error::<Test>::InsufficientBalance);
		assert!(swapped_hotkeys().is_empty());
	});
}

#[test]
fn dissolving_a_subnet_removes_its_neurons_but_not_hotkey_ownership() {
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		register(ALICE, 100);
		register(BOB, 200);
		assert_ok!(serve_axon(100, IPV4, PORT, 4));
	});
	// Entries of past blocks are in the database, where `limit` counts.
	ext.commit_all().expect("commits");
	ext.execute_with(|| {
		<Registration as OnSubnetDissolved>::on_subnet_dissolved(NETUID);
		remove_subnet(NETUID);
		// At once: no neurons, and no uid found for a hotkey.
		assert_eq!(NeuronCount::<Test>::get(NETUID), 0);
		assert_eq!(<Registration as Neurons<_>>::uid(NETUID, &100), None);
		assert!(BurnPrices::<Test>::get(NETUID).is_none());
		assert!(!RegistrationBlocks::<Test>::contains_key(NETUID));
		// Their entries go `limit` per map and block: one, then the other.
		assert_eq!(Uids::<Test>::iter_prefix(NETUID).count(), 2);
		let (weight, done) = <Registration as OnSubnetDissolved>::clear_subnet(NETUID, 1);
		assert!(!done && weight.ref_time() > 0);
		assert_eq!(Uids::<Test>::iter_prefix(NETUID).count(), 1);
	});
	ext.commit_all().expect("commits");
	ext.execute_with(|| {
		assert!(<Registration as OnSubnetDissolved>::clear_subnet(NETUID, 1).1);
		assert_eq!(Uids::<Test>::iter_prefix(NETUID).count(), 0);
		assert_eq!(Hotkeys::<Test>::iter_prefix(NETUID).count(), 0);
		assert_eq!(Axons::<Test>::iter_prefix(NETUID).count(), 0);
		assert_eq!(HotkeyOwners::<Test>::get(100), Some(ALICE));
		Registration::do_try_state().expect("invariants hold");
	});
}

#[test]
fn neuron_views_and_the_neurons_interface() {
	test(|| {
		register(ALICE, 100);
		run_to_block(10);
		register(BOB, 200);
		assert_ok!(serve_axon(200, IPV4, PORT, 4));
		let neurons = Registration::neurons_lite(NETUID, 0..4096);
		assert_eq!(neurons.len(), 2);
		// A page of uids: from uid 1, or past the end.
		assert_eq!(Registration::neurons_lite(NETUID, 1..2), neurons[1..].to_vec());
		assert!(Registration::neurons_lite(NETUID, 2..10).is_empty());
		let bob = &neurons[1];
		assert_eq!((bob.uid, bob.hotkey, bob.coldkey, bob.registered_at), (1, 200, BOB, 10));
		assert!(bob.immune);
		assert_eq!(bob.epoch, NeuronEpochInfo::default());
		set_emission(NETUID, 1, 7);
		assert_eq!(Registration::neurons_lite(NETUID, 1..2)[0].epoch.emission, 7);
		assert_eq!(bob.axon.map(|axon| axon.port), Some(PORT));
		assert_eq!(Registration::neuron(NETUID, 0).map(|n| n.hotkey), Some(100));
		assert_eq!(Registration::neuron(NETUID, 2), None);
		assert!(Registration::neurons_lite(9, 0..4096).is_empty());
		// Past immunity (4096).
		run_to_block(5_011);
		let bob = Registration::neuron(NETUID, 1).expect("bob");
		assert!(!bob.immune);
		assert_eq!(bob.epoch.emission, 7);

		assert_eq!(<Registration as Neurons<_>>::neuron_count(NETUID), 2);
		assert_eq!(<Registration as Neurons<_>>::uid(NETUID, &200), Some(1));
		assert_eq!(<Registration as Neurons<_>>::hotkey(NETUID, 0), Some(100));
		assert_eq!(<Registration as Neurons<_>>::registered_at(NETUID, 1), Some(10));
		assert!(!<Registration as Neurons<_>>::is_immune(NETUID, 1));
		assert_eq!(Registration::registration_cost(ROOT_NETUID), None);
	});
}

#[test]
fn try_state_catches_a_broken_uid_map() {
	new_test_ext().execute_with(|| {
		register(ALICE, 100);
		assert_ok!(Registration::do_try_state());
		Uids::<Test>::insert(NETUID, 555, 0);
		assert!(Registration::do_try_state().is_err());
	});
}

#[test]
fn root_register_admits_owned_hotkeys_while_there_is_room() {
	test(|| {
		tune(ROOT_NETUID, |p| p.max_allowed_uids = 2);
		register(ALICE, 100);
		register(BOB, 200);
		let signed = RuntimeOrigin::signed;
		assert_noop!(
			Registration::root_register(signed(BOB), 100).map_err(|e| e.error),
			Error::<Test>::NotHotkeyOwner
		);
		assert_noop!(
			Registration::root_register(signed(ALICE), 300).map_err(|e| e.error),
			Error::<Test>::NotHotkeyOwner
		);
		let balance = Balances::free_balance(ALICE);
		assert_ok!(Registration::root_register(signed(ALICE), 100));
		assert_eq!(Balances::free_balance(ALICE), balance, "nothing is burned");
		assert_eq!(Uids::<Test>::get(ROOT_NETUID, 100), Some(0));
		assert_eq!(NeuronCount::<Test>::get(ROOT_NETUID), 1);
		assert_eq!(registered_uids().last(), Some(&(ROOT_NETUID, 0)));
		assert_noop!(
			Registration::root_register(signed(ALICE), 100).map_err(|e| e.error),
			Error::<Test>::AlreadyRegistered
		);
		// Room left: even without stake.
		assert_ok!(Registration::root_register(signed(BOB), 200));
		assert_eq!(Uids::<Test>::get(ROOT_NETUID, 200), Some(1));
	});
}

#[test]
fn a_full_root_network_admits_only_more_stake_than_its_weakest_member() {
	test(|| {
		tune(ROOT_NETUID, |p| p.max_allowed_uids = 3);
		for (hotkey, stake) in [(100, 50), (101, 10), (102, 10), (103, 10), (104, 11)] {
			register(ALICE, hotkey);
			set_stake(hotkey, stake);
		}
		for hotkey in [100, 101, 102] {
			assert_ok!(Registration::root_register(RuntimeOrigin::signed(ALICE), hotkey));
		}
		// Equal stake is not enough.
		assert_noop!(
			Registration::root_register(RuntimeOrigin::signed(ALICE), 103).map_err(|e| e.error),
			Error::<Test>::StakeTooLowForRoot
		);
		// More stake replaces the weakest member, the higher uid among equals.
		assert_ok!(Registration::root_register(RuntimeOrigin::signed(ALICE), 104));
		assert_eq!(Uids::<Test>::get(ROOT_NETUID, 104), Some(2));
		assert_eq!(Uids::<Test>::get(ROOT_NETUID, 102), None);
		assert_eq!(Hotkeys::<Test>::get(ROOT_NETUID, 2), Some(104));
		assert_eq!(NeuronCount::<Test>::get(ROOT_NETUID), 3);
		assert!(System::events().iter().any(|record| record.event
			== RuntimeEvent::Registration(Event::NeuronReplaced {
				netuid: ROOT_NETUID,
				uid: 2,
				old_hotkey: 102
			})));
		assert_eq!(registered_uids().last(), Some(&(ROOT_NETUID, 2)));
	});
}

#[test]
fn a_root_seat_cannot_be_taken_with_stake_held_for_a_few_blocks() {
	test(|| {
		tune(ROOT_NETUID, |p| p.max_allowed_uids = 2);
		for (hotkey, stake) in [(100, 50), (101, 10), (102, 5)] {
			register(ALICE, hotkey);
			set_stake(hotkey, stake);
		}
		for hotkey in [100, 101] {
			assert_ok!(Registration::root_register(RuntimeOrigin::signed(ALICE), hotkey));
		}
		// Borrowed stake far above the weakest member's counts for nothing until held.
		add_unheld_stake(102, 1_000);
		assert_noop!(
			Registration::root_register(RuntimeOrigin::signed(ALICE), 102).map_err(|e| e.error),
			Error::<Test>::StakeTooLowForRoot
		);
		// Nor does a member's own borrowed stake protect its seat.
		add_unheld_stake(101, 1_000);
		set_stake(102, 11);
		assert_ok!(Registration::root_register(RuntimeOrigin::signed(ALICE), 102));
		assert_eq!(Uids::<Test>::get(ROOT_NETUID, 101), None);
	});
}

// ---- coldkey swaps ----

const NEW_COLDKEY: AccountId = 40;

fn schedule(old: AccountId, new: AccountId) -> DispatchResult {
	Registration::schedule_coldkey_swap(RuntimeOrigin::signed(old), new)
}

fn apply(old: AccountId) -> DispatchResult {
	Registration::apply_coldkey_swap(RuntimeOrigin::signed(BOB), old)
		.map(|_| ())
		.map_err(|e| e.error)
}

#[test]
fn a_coldkey_swap_applies_after_its_delay_and_moves_hotkeys_and_balance() {
	test(|| {
		register(ALICE, 100);
		claim(ALICE, 101);
		let issuance = Balances::total_issuance();
		assert_ok!(schedule(ALICE, NEW_COLDKEY));
		let applies_at = 1 + COLDKEY_SWAP_DELAY;
		System::assert_last_event(
			Event::ColdkeySwapScheduled {
				old: ALICE,
				new: NEW_COLDKEY,
				applies_at,
				fee: SWAP_COST,
			}
			.into(),
		);
		assert_eq!(Balances::total_issuance(), issuance - SWAP_COST, "the fee is burned");
		assert!(<Registration as ColdkeySwapStatus<_>>::is_swap_pending(&ALICE));
		// One block early: not yet, whoever asks.
		run_to_block(applies_at - 1);
		assert_noop!(apply(ALICE), Error::<Test>::ColdkeySwapNotDue);
		run_to_block(applies_at);
		let balance = Balances::free_balance(ALICE) - 500;
		assert_ok!(apply(ALICE));
		System::assert_last_event(
			Event::ColdkeySwapped { old: ALICE, new: NEW_COLDKEY, hotkeys: 2, balance }.into(),
		);
		assert_eq!(HotkeyOwners::<Test>::get(100), Some(NEW_COLDKEY));
		assert_eq!(HotkeyOwners::<Test>::get(101), Some(NEW_COLDKEY));
		assert_eq!(OwnedHotkeys::<Test>::get(NEW_COLDKEY).into_inner(), vec![100, 101]);
		assert!(OwnedHotkeys::<Test>::get(ALICE).is_empty());
		assert_eq!(Balances::free_balance(NEW_COLDKEY), balance);
		assert_eq!(Balances::free_balance(ALICE), 500, "the old account stays alive");
		assert_eq!(swapped_coldkeys(), vec![(ALICE, NEW_COLDKEY)], "stake and subnets follow");
		assert!(!<Registration as ColdkeySwapStatus<_>>::is_swap_pending(&ALICE));
		// Applied once: the new coldkey acts for the hotkeys, the old one no longer does.
		assert_noop!(apply(ALICE), Error::<Test>::NoColdkeySwap);
		assert_ok!(Registration::swap_hotkey(
			RuntimeOrigin::signed(NEW_COLDKEY),
			100,
			102,
			consent(102, NEW_COLDKEY)
		));
	});
}

#[test]
fn a_scheduled_coldkey_swap_can_be_cancelled_and_not_doubled() {
	test(|| {
		register(ALICE, 100);
		assert_noop!(schedule(ALICE, ALICE), Error::<Test>::SameColdkey);
		assert_noop!(schedule(POOR, NEW_COLDKEY), Error::<Test>::InsufficientBalance);
		assert_ok!(schedule(ALICE, NEW_COLDKEY));
		// A thief holding the key cannot redirect the swap, nor start a second one.
		assert_noop!(schedule(ALICE, 66), Error::<Test>::ColdkeySwapPending);
		assert_noop!(
			Registration::cancel_coldkey_swap(RuntimeOrigin::signed(BOB)),
			Error::<Test>::NoColdkeySwap
		);
		assert_ok!(Registration::cancel_coldkey_swap(RuntimeOrigin::signed(ALICE)));
		System::assert_last_event(
			Event::ColdkeySwapCancelled { old: ALICE, new: NEW_COLDKEY }.into(),
		);
		run_to_block(1 + COLDKEY_SWAP_DELAY);
		assert_noop!(apply(ALICE), Error::<Test>::NoColdkeySwap);
		assert_eq!(HotkeyOwners::<Test>::get(100), Some(ALICE));
		// Cancelled, a new one may be scheduled; its delay starts again.
		assert_ok!(schedule(ALICE, NEW_COLDKEY));
		assert_noop!(apply(ALICE), Error::<Test>::ColdkeySwapNotDue);
	});
}

#[test]
fn a_coldkey_swap_is_all_or_nothing() {
	test(|| {
		register(ALICE, 100);
		claim(BOB, 200);
		assert_ok!(schedule(ALICE, BOB));
		run_to_block(1 + COLDKEY_SWAP_DELAY);
		// Stake or a subnet lock that cannot move stops the swap; nothing moved.
		FailColdkeySwaps::set(true);
		let alice = Balances::free_balance(ALICE);
		assert_noop!(apply(ALICE), "the stake cannot move");
		FailColdkeySwaps::set(false);
		// Too many hotkeys together: the swap stays scheduled.
		MaxHotkeysPerColdkey::set(1);
		assert_noop!(apply(ALICE), Error::<Test>::TooManyHotkeys);
		MaxHotkeysPerColdkey::set(64);
		assert_eq!(Balances::free_balance(ALICE), alice);
		assert_ok!(apply(ALICE));
		assert_eq!(OwnedHotkeys::<Test>::get(BOB).into_inner(), vec![200, 100]);
	});
}

#[test]
fn a_coldkey_owns_at_most_max_hotkeys() {
	test(|| {
		MaxHotkeysPerColdkey::set(2);
		register(ALICE, 100);
		claim(ALICE, 101);
		assert_noop!(
			Registration::claim_hotkey(RuntimeOrigin::signed(ALICE), 102, consent(102, ALICE)),
			Error::<Test>::TooManyHotkeys
		);
		assert_noop!(
			Registration::swap_hotkey(RuntimeOrigin::signed(ALICE), 100, 102, consent(102, ALICE)),
			Error::<Test>::TooManyHotkeys
		);
		// Registering hotkeys it owns needs no room.
		assert_ok!(Registration::burned_register(
			RuntimeOrigin::signed(ALICE),
			NETUID,
			101,
			u128::MAX
		));
	});
}

#[test]
fn migration_to_v1_gathers_each_subnets_registration_blocks_once() {
	use crate::migrations::v1::{check, snapshot, v0, MigrateToV1};
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	test(|| {
		register(ALICE, 100);
		run_to_block(5);
		register(BOB, 101);
		// A v0 state: an entry per uid.
		RegistrationBlocks::<Test>::remove(NETUID);
		v0::RegisteredAt::<Test>::insert(NETUID, 0, 1);
		v0::RegisteredAt::<Test>::insert(NETUID, 1, 5);
		StorageVersion::new(0).put::<Registration>();
		let before = snapshot::<Test>();

		MigrateToV1::<Test>::on_runtime_upgrade();

		assert_eq!(
			Registration::on_chain_storage_version(),
			Registration::in_code_storage_version()
		);
		assert_eq!(RegistrationBlocks::<Test>::get(NETUID).into_inner(), vec![1, 5]);
		assert_eq!(v0::RegisteredAt::<Test>::iter().count(), 0);
		assert_ok!(check::<Test>(before.clone()));
		let views = Registration::neurons_lite(NETUID, 0..2);
		assert_eq!(views.iter().map(|n| n.registered_at).collect::<Vec<_>>(), vec![1, 5]);

		// At version 1 it does nothing: a v0 entry written now stays, and the check sees it.
		v0::RegisteredAt::<Test>::insert(NETUID, 0, 9);
		MigrateToV1::<Test>::on_runtime_upgrade();
		assert_eq!(RegistrationBlocks::<Test>::get(NETUID).into_inner(), vec![1, 5]);
		assert!(check::<Test>(before).is_err());
		v0::RegisteredAt::<Test>::remove(NETUID, 0);
	});
}
