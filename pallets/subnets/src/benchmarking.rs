//! Benchmarks of pallet-subnets (v2), each in its worst case.

use super::*;
use luxtensor_primitives::{
	subnets::{
		HyperparametersUpdate, NetUid, SubnetHyperparameters, SubnetIdentity,
		MAX_SUBNET_DESCRIPTION_LEN, MAX_SUBNET_LINK_LEN, MAX_SUBNET_NAME_LEN, ROOT_NETUID,
	},
	traits::{HotkeyOwnership, Neurons},
};
use polkadot_sdk::{
	frame_benchmarking::v2::*,
	frame_support::{
		traits::{fungible::Mutate, EnsureOrigin, Get},
		BoundedVec,
	},
	frame_system::RawOrigin,
	sp_runtime::{FixedU128, Perbill},
};

/// Makes root network members for the benchmarks: the runtime wires pallet-registration in.
pub trait BenchmarkHelper<AccountId> {
	/// Makes `hotkey` a member of the root network.
	fn add_root_member(hotkey: &AccountId);
}

fn funded_coldkey<T: Config>() -> T::AccountId {
	let coldkey: T::AccountId = account("coldkey", 0, 0);
	let lock = Pallet::<T>::network_lock_cost();
	T::Currency::set_balance(&coldkey, lock.saturating_mul(10).saturating_add(1_000_000_000));
	coldkey
}

fn filled<S: Get<u32>>(length: u32) -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(alloc::vec![b'x'; length as usize])
}

/// A subnet created by a funded coldkey.
fn subnet<T: Config>() -> (T::AccountId, luxtensor_primitives::subnets::NetUid) {
	let coldkey = funded_coldkey::<T>();
	let hotkey: T::AccountId = account("hotkey", 0, 0);
	T::HotkeyOwnership::set_owner(&hotkey, &coldkey);
	let netuid = Pallet::<T>::do_register_network(coldkey.clone(), hotkey, u128::MAX)
		.expect("the first subnet can be created");
	(coldkey, netuid)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Worst case: every netuid but the last is taken, so the search for a free one is longest.
	#[benchmark]
	fn register_network() {
		let limit = T::SubnetLimit::get();
		let owner: T::AccountId = account("owner", 0, 0);
		for netuid in 1..limit {
			Hyperparameters::<T>::insert(netuid, SubnetHyperparameters::default());
			Networks::<T>::insert(
				netuid,
				SubnetRecord {
					owner: owner.clone(),
					owner_hotkey: owner.clone(),
					lock: 0,
					registered_at: 0,
				},
			);
		}
		SubnetCount::<T>::put(limit.saturating_sub(1));
		let coldkey = funded_coldkey::<T>();

		let hotkey: T::AccountId = account("hotkey", 0, 0);
		T::HotkeyOwnership::set_owner(&hotkey, &coldkey);

		#[extrinsic_call]
		_(RawOrigin::Signed(coldkey), hotkey, u128::MAX);

		assert!(Networks::<T>::contains_key(limit));
	}

	/// Without the hooks of other pallets, which the call adds from their own benchmarks;
	/// `r` root members (up to the root network's default size) each weigh the subnet among
	/// the most subnets there can be.
	#[benchmark]
	fn dissolve_network(r: Linear<0, 64>) {
		let (coldkey, netuid) = subnet::<T>();
		let others = T::MaxSubnets::get().saturating_sub(2);
		let mut row: alloc::vec::Vec<(NetUid, u16)> =
			(0..others).map(|i| (u16::try_from(i).unwrap_or(0).saturating_add(1000), 1)).collect();
		row.push((netuid, 1));
		row.sort();
		for member in 0..r {
			let hotkey: T::AccountId = account("member", member, 0);
			T::BenchmarkHelper::add_root_member(&hotkey);
		}
		for uid in 0..T::Neurons::neuron_count(ROOT_NETUID) {
			RootWeights::<T>::insert(uid, BoundedVec::truncate_from(row.clone()));
		}
		SubnetIdentities::<T>::insert(
			netuid,
			SubnetIdentity {
				name: filled(MAX_SUBNET_NAME_LEN),
				repo: filled(MAX_SUBNET_LINK_LEN),
				contact: filled(MAX_SUBNET_LINK_LEN),
				url: filled(MAX_SUBNET_LINK_LEN),
				description: filled(MAX_SUBNET_DESCRIPTION_LEN),
			},
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(coldkey), netuid);

		assert!(!Hyperparameters::<T>::contains_key(netuid));
		assert!(RootWeights::<T>::iter_values().all(|row| row.iter().all(|(n, _)| *n != netuid)));
	}

	/// Every field set at once.
	#[benchmark]
	fn set_hyperparameters() -> Result<(), BenchmarkError> {
		let (_, netuid) = subnet::<T>();
		let update = HyperparametersUpdate {
			tempo: Some(100),
			max_allowed_uids: Some(4096),
			max_allowed_validators: Some(128),
			immunity_period: Some(100),
			activity_cutoff: Some(1_000),
			min_allowed_weights: Some(2),
			max_weight_limit: Some(1_000),
			weights_rate_limit: Some(10),
			weights_version_key: Some(1),
			commit_reveal_enabled: Some(false),
			commit_reveal_period: Some(2),
			kappa: Some(1_000),
			bonds_moving_average: Some(1_000),
			min_burn: Some(1_000),
			max_burn: Some(1_000_000),
			burn_half_life: Some(100),
			burn_increase_mult: Some(FixedU128::from_u32(2)),
			registration_allowed: Some(false),
			serving_rate_limit: Some(10),
			min_stake_to_set_weights: Some(1),
			owner_cut: Some(Perbill::from_percent(10)),
			compute_incentive_share: Some(Perbill::from_percent(25)),
		};

		let admin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(admin as T::RuntimeOrigin, netuid, update);

		assert_eq!(Hyperparameters::<T>::get(netuid).map(|p| p.tempo), Some(100));
		Ok(())
	}

	/// Every field at its longest.
	#[benchmark]
	fn set_subnet_identity() {
		let (coldkey, netuid) = subnet::<T>();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(coldkey),
			netuid,
			filled(MAX_SUBNET_NAME_LEN),
			filled(MAX_SUBNET_LINK_LEN),
			filled(MAX_SUBNET_LINK_LEN),
			filled(MAX_SUBNET_LINK_LEN),
			filled(MAX_SUBNET_DESCRIPTION_LEN),
		);

		assert!(SubnetIdentities::<T>::contains_key(netuid));
	}

	/// A root member weighs `k` subnets.
	#[benchmark]
	fn set_root_weights(k: Linear<1, 128>) {
		let member: T::AccountId = account("member", 0, 0);
		T::BenchmarkHelper::add_root_member(&member);
		let k = k.min(T::MaxSubnets::get().saturating_sub(1));
		let netuids: alloc::vec::Vec<NetUid> =
			(1..=k).map(|netuid| u16::try_from(netuid).unwrap_or(u16::MAX)).rev().collect();
		for &netuid in &netuids {
			if !Hyperparameters::<T>::contains_key(netuid) {
				Hyperparameters::<T>::insert(netuid, SubnetHyperparameters::default());
			}
		}
		let weights = alloc::vec![1; netuids.len()];

		#[extrinsic_call]
		_(RawOrigin::Signed(member), netuids, weights);

		assert_eq!(RootWeights::<T>::get(0).len() as u32, k);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
