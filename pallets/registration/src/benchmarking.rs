//! Benchmarks of pallet-registration (v2), each in its worst case.

use super::*;
use luxtensor_primitives::{
	currency::MDT,
	subnets::{AxonInfo, NetUid, PrometheusInfo, SubnetHyperparameters, Uid, ROOT_NETUID},
	traits::OnSubnetDissolved,
	Balance,
};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::traits::{fungible::Mutate, Get},
	frame_system::RawOrigin,
};

/// Creates subnets and stake for the benchmarks: the runtime wires the pallets owning them.
pub trait BenchmarkHelper<AccountId, Signature> {
	/// A new key and its signature of `message`.
	fn signing_hotkey(message: &[u8]) -> (AccountId, Signature);
	/// A new subnet with these hyperparameters; returns its netuid.
	fn create_subnet(params: SubnetHyperparameters) -> NetUid;
	/// Lets the root network hold `members` members.
	fn set_root_capacity(members: u16);
	/// Stakes `stake` from `coldkey` on `hotkey`, which `coldkey` owns.
	fn set_stake(coldkey: &AccountId, hotkey: &AccountId, stake: Balance);
	/// Lets the stake set so far count as held (moves the clock past a holding period).
	fn hold_stake();
}

const IPV4: u128 = 0x0A00_0001;

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	T::Currency::set_balance(&who, Balance::from(u64::MAX));
	who
}

/// A subnet whose `n` uids are all taken by neurons registered at block 0, each serving an
/// axon and a Prometheus endpoint.
fn full_subnet<T: Config>(n: u16) -> NetUid {
	let params = SubnetHyperparameters {
		max_allowed_uids: n.max(1),
		max_allowed_validators: n.max(1),
		immunity_period: 0,
		serving_rate_limit: 0,
		..Default::default()
	};
	let netuid = T::BenchmarkHelper::create_subnet(params);
	let coldkey: T::AccountId = account("coldkey", 0, 0);
	for uid in 0..n {
		let hotkey: T::AccountId = account("neuron", uid.into(), 0);
		add_neuron::<T>(netuid, uid, &hotkey, &coldkey);
	}
	NeuronCount::<T>::insert(netuid, n);
	netuid
}

fn add_neuron<T: Config>(netuid: NetUid, uid: Uid, hotkey: &T::AccountId, coldkey: &T::AccountId) {
	HotkeyOwners::<T>::insert(hotkey, coldkey);
	Uids::<T>::insert(netuid, hotkey, uid);
	Hotkeys::<T>::insert(netuid, uid, hotkey);
	RegistrationBlocks::<T>::mutate(netuid, |blocks| {
		crate::types::set_registration_block::<T>(blocks, uid, 0)
	});
	let axon = AxonInfo { block: 0, version: 1, ip: IPV4, port: 8091, ip_type: 4, protocol: 0 };
	Axons::<T>::insert(netuid, uid, axon);
	let prometheus = PrometheusInfo { block: 0, version: 1, ip: IPV4, port: 9615, ip_type: 4 };
	PrometheusEndpoints::<T>::insert(netuid, uid, prometheus);
}

/// A fresh hotkey consenting to `coldkey`'s ownership, in the form that costs most to check
/// (wrapped in `<Bytes>` tags, so the raw message is checked first in vain).
fn signed_consent<T: Config>(coldkey: &T::AccountId) -> (T::AccountId, T::HotkeySignature) {
	let message = Pallet::<T>::ownership_message(coldkey);
	let wrapped = [b"<Bytes>".as_slice(), &message, b"</Bytes>"].concat();
	T::BenchmarkHelper::signing_hotkey(&wrapped)
}

/// Gives `coldkey` `count` more hotkeys of its own.
fn own_hotkeys<T: Config>(coldkey: &T::AccountId, count: u32) {
	for index in 0..count {
		let hotkey: T::AccountId = account("owned", index, 0);
		Pallet::<T>::add_owned_hotkey(&hotkey, coldkey).expect("room for the hotkeys");
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A full subnet of `n` neurons: every one is scanned and one replaced.
	#[benchmark]
	fn burned_register(n: Linear<1, 4096>) {
		let n = u16::try_from(n).unwrap_or(u16::MAX).min(T::MaxAllowedUids::get());
		let netuid = full_subnet::<T>(n);
		let coldkey = funded::<T>("registrant");
		let hotkey: T::AccountId = account("new-neuron", 0, 0);
		HotkeyOwners::<T>::insert(&hotkey, &coldkey);

		#[extrinsic_call]
		_(RawOrigin::Signed(coldkey), netuid, hotkey.clone(), u128::MAX);

		assert!(Uids::<T>::contains_key(netuid, &hotkey));
	}

	#[benchmark]
	fn serve_axon() {
		let netuid = full_subnet::<T>(1);
		let hotkey: T::AccountId = account("neuron", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(hotkey), netuid, 2, IPV4, 8092, 4, 1);

		assert_eq!(Axons::<T>::get(netuid, 0).map(|axon| axon.port), Some(8092));
	}

	#[benchmark]
	fn serve_prometheus() {
		let netuid = full_subnet::<T>(1);
		let hotkey: T::AccountId = account("neuron", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(hotkey), netuid, 2, IPV4, 9616, 4);

		assert_eq!(PrometheusEndpoints::<T>::get(netuid, 0).map(|p| p.port), Some(9616));
	}

	/// The hotkey is registered in `s` subnets.
	#[benchmark]
	fn swap_hotkey(s: Linear<1, { T::MaxSubnets::get() }>) {
		let coldkey = funded::<T>("coldkey");
		let hotkey: T::AccountId = account("hotkey", 0, 0);
		let mut last_netuid = 0;
		for _ in 0..s {
			last_netuid = T::BenchmarkHelper::create_subnet(SubnetHyperparameters::default());
			add_neuron::<T>(last_netuid, 0, &hotkey, &coldkey);
			NeuronCount::<T>::insert(last_netuid, 1);
		}
		own_hotkeys::<T>(&coldkey, T::MaxHotkeysPerColdkey::get().saturating_sub(2));
		let (new_hotkey, signature) = signed_consent::<T>(&coldkey);

		#[extrinsic_call]
		_(RawOrigin::Signed(coldkey), hotkey, new_hotkey.clone(), signature);

		assert_eq!(Uids::<T>::get(last_netuid, &new_hotkey), Some(0));
	}

	/// A claim signed the way browser wallets sign (the second message checked).
	#[benchmark]
	fn claim_hotkey() {
		let coldkey = funded::<T>("coldkey");
		own_hotkeys::<T>(&coldkey, T::MaxHotkeysPerColdkey::get().saturating_sub(1));
		let (hotkey, signature) = signed_consent::<T>(&coldkey);

		#[extrinsic_call]
		_(RawOrigin::Signed(coldkey.clone()), hotkey.clone(), signature);

		assert_eq!(HotkeyOwners::<T>::get(&hotkey), Some(coldkey));
	}

	#[benchmark]
	fn schedule_coldkey_swap() {
		let old = funded::<T>("old");
		let new: T::AccountId = account("new", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(old.clone()), new);

		assert!(ColdkeySwaps::<T>::contains_key(&old));
	}

	#[benchmark]
	fn cancel_coldkey_swap() {
		let old = funded::<T>("old");
		Pallet::<T>::do_schedule_coldkey_swap(old.clone(), account("new", 0, 0))
			.expect("the old coldkey can pay");

		#[extrinsic_call]
		_(RawOrigin::Signed(old.clone()));

		assert!(!ColdkeySwaps::<T>::contains_key(&old));
	}

	/// A due swap moving `h` hotkeys and the free balance to a new coldkey that has none
	/// (the hooks moving stake and subnets are weighed by their own benchmarks).
	#[benchmark]
	fn apply_coldkey_swap(h: Linear<0, { T::MaxHotkeysPerColdkey::get() }>) {
		let old = funded::<T>("old");
		own_hotkeys::<T>(&old, h);
		let new: T::AccountId = account("new", 0, 0);
		Pallet::<T>::do_schedule_coldkey_swap(old.clone(), new.clone())
			.expect("the old coldkey can pay");
		let due = T::ColdkeySwapDelay::get().saturating_add(1);
		polkadot_sdk::frame_system::Pallet::<T>::set_block_number(due.into());
		let caller = funded::<T>("caller");

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), old.clone());

		assert_eq!(OwnedHotkeys::<T>::decode_len(&new).unwrap_or(0), h as usize);
		assert!(!ColdkeySwaps::<T>::contains_key(&old));
	}

	/// Dissolving a subnet of `n` neurons, each with both endpoints.
	#[benchmark]
	fn clear_subnet(n: Linear<0, 4096>) {
		let n = u16::try_from(n).unwrap_or(u16::MAX).min(T::MaxAllowedUids::get());
		let netuid = full_subnet::<T>(n);

		#[block]
		{
			Pallet::<T>::on_subnet_dissolved(netuid);
		}

		assert_eq!(NeuronCount::<T>::get(netuid), 0);
	}

	/// A full root network of `n` members: every member's stake is read and the weakest
	/// replaced.
	#[benchmark]
	fn root_register(n: Linear<1, 256>) {
		let n = u16::try_from(n).unwrap_or(u16::MAX);
		T::BenchmarkHelper::set_root_capacity(n);
		let coldkey = funded::<T>("coldkey");
		for uid in 0..n {
			let member: T::AccountId = account("member", uid.into(), 0);
			add_neuron::<T>(ROOT_NETUID, uid, &member, &coldkey);
			// Each member's stake from its own staker: a coldkey stakes on at most so many.
			let staker: T::AccountId = account("staker", uid.into(), 0);
			T::BenchmarkHelper::set_stake(
				&staker,
				&member,
				Balance::from(uid).saturating_add(1) * MDT,
			);
		}
		NeuronCount::<T>::insert(ROOT_NETUID, n);
		let hotkey: T::AccountId = account("newcomer", 0, 0);
		HotkeyOwners::<T>::insert(&hotkey, &coldkey);
		T::BenchmarkHelper::set_stake(&coldkey, &hotkey, 1_000 * MDT);
		T::BenchmarkHelper::hold_stake();

		#[extrinsic_call]
		_(RawOrigin::Signed(coldkey), hotkey.clone());

		assert_eq!(Uids::<T>::get(ROOT_NETUID, &hotkey), Some(0));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
