//! Subnets and their neurons: creation locks, hyperparameters, registration and endpoints,
//! weights and the Yuma epoch.

use crate::{
	currency::{MDT, MILLI_MDT},
	Balances, Compute, Emission, Registration, Runtime, RuntimeHoldReason, Stake, Subnets, Weights,
};
use polkadot_sdk::frame_support::{parameter_types, traits::ConstU32};

parameter_types! {
	pub const NetworkMinLockCost: crate::Balance = 1_000 * MDT;
	/// Two weeks of 6 s blocks: the doubled lock cost is back at the minimum by then.
	pub const LockReductionInterval: crate::BlockNumber = 100_800;
	/// Twelve hours between two subnet creations.
	pub const NetworkRateLimit: crate::BlockNumber = 7_200;
	pub const SubnetLimit: u16 = 128;
	/// Subnet owners keep the registration price within [0.0005, 100] MDT; root may go past.
	pub const OwnerMinBurnFloor: crate::Balance = MILLI_MDT / 2;
	pub const OwnerMaxBurnCeiling: crate::Balance = 100 * MDT;
	pub const MaxAllowedUids: u16 = luxtensor_primitives::subnets::MAX_SUBNET_UIDS;
	pub const MinReplaceableNeurons: u16 = 10;
	pub const HotkeySwapCost: crate::Balance = MDT;
	/// A coldkey owns at most 256 hotkeys (and stakes on at most 256 by choice), so a coldkey
	/// swap moving them all takes a small part of a block.
	pub const MaxHotkeysPerColdkey: u32 = 256;
	/// Five days between scheduling a coldkey swap and its applying, for the owner of a
	/// stolen key to notice and cancel it.
	pub const ColdkeySwapDelay: crate::BlockNumber = 5 * crate::time::DAYS;
	pub const ColdkeySwapCost: crate::Balance = MDT;
	/// A dissolved subnet's uids cleared per block: 256 take about 7% of a block (the
	/// benchmarked weights of registration's, weights' and compute's cleanups), so a
	/// 4096-uid subnet is gone in 16 blocks.
	pub const SubnetClearLimit: u32 = 256;
	/// Every subnet and the root network.
	pub const MaxSubnets: u32 = (SubnetLimit::get() as u32).saturating_add(1);
}

impl pallet_subnets::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type HotkeyOwnership = Registration;
	type Neurons = Registration;
	type OnSubnetDissolved = (Weights, Registration, Emission, Compute);
	type OnSubnetScheduled = Emission;
	type SubnetClearLimit = SubnetClearLimit;
	type NetworkMinLockCost = NetworkMinLockCost;
	type LockReductionInterval = LockReductionInterval;
	type NetworkRateLimit = NetworkRateLimit;
	type SubnetLimit = SubnetLimit;
	type OwnerMinBurnFloor = OwnerMinBurnFloor;
	type OwnerMaxBurnCeiling = OwnerMaxBurnCeiling;
	type MaxSubnets = MaxSubnets;
	type AdminOrigin = crate::governance::AdminOrigin;
	type WeightInfo = pallet_subnets::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkSubnets;
}

impl pallet_registration::Config for Runtime {
	type HotkeySignature = crate::Signature;
	type Currency = Balances;
	type Subnets = Subnets;
	type EpochResults = Weights;
	type Stake = Stake;
	// Weights keeps per-uid data of every subnet, Subnets the root members' weights.
	type OnNeuronRegistered = (Weights, Subnets, Compute);
	// Stake follows the hotkey, and so does the owner cut of the subnets it receives it for.
	type OnHotkeySwapped = (Stake, Subnets);
	type MaxAllowedUids = MaxAllowedUids;
	type MinReplaceableNeurons = MinReplaceableNeurons;
	type HotkeySwapCost = HotkeySwapCost;
	type MaxSubnets = MaxSubnets;
	type MaxHotkeysPerColdkey = MaxHotkeysPerColdkey;
	type ColdkeySwapDelay = ColdkeySwapDelay;
	type ColdkeySwapCost = ColdkeySwapCost;
	// What is kept by coldkey follows a swap: stake positions, owned subnets and their locks.
	type OnColdkeySwapped = (Stake, Subnets);
	type WeightInfo = pallet_registration::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkSubnets;
}

parameter_types! {
	pub const MaxAllowedUidsBound: u32 = MaxAllowedUids::get() as u32;
}

impl pallet_weights::Config for Runtime {
	type AdminOrigin = crate::governance::AdminOrigin;
	type Subnets = Subnets;
	type Neurons = Registration;
	type Stake = Stake;
	type ComputeScores = Compute;
	type MaxAllowedUids = MaxAllowedUidsBound;
	type MaxUnrevealedCommits = ConstU32<10>;
	type MaxSaltLength = ConstU32<32>;
	type WeightInfo = pallet_weights::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkSubnets;
}

#[cfg(feature = "runtime-benchmarks")]
pub use benchmark_helpers::BenchmarkSubnets;

/// Subnets, neurons, root members and stake for the LuxTensor pallets' benchmarks, made
/// through the calls of the pallets owning them.
#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helpers {
	use crate::{
		AccountId, Balance, Balances, Registration, Runtime, RuntimeOrigin, Signature, Stake,
		Subnets, Weights,
	};
	use alloc::vec::Vec;
	use luxtensor_primitives::subnets::{
		HyperparametersUpdate, NetUid, SubnetHyperparameters, ROOT_NETUID,
	};
	use luxtensor_primitives::traits::HotkeyOwnership;
	use polkadot_sdk::{frame_benchmarking::account, frame_support::traits::fungible::Mutate};

	pub struct BenchmarkSubnets;

	/// The coldkey owning every hotkey the helpers register, with all the MDT it needs.
	fn coldkey() -> AccountId {
		let coldkey: AccountId = account("coldkey", 0, 0);
		Balances::set_balance(&coldkey, u64::MAX.into());
		coldkey
	}

	fn create_subnet(params: SubnetHyperparameters) -> NetUid {
		Subnets::create_benchmark_subnet(account("subnet-owner", 0, 0), params)
	}

	/// `coldkey` owns `hotkey` (benchmarks skip the hotkey's signature).
	fn own(hotkey: &AccountId, coldkey: &AccountId) {
		if pallet_registration::HotkeyOwners::<Runtime>::get(hotkey).is_none() {
			<Registration as HotkeyOwnership<AccountId>>::set_owner(hotkey, coldkey);
		}
	}

	fn register(netuid: NetUid, hotkey: &AccountId) {
		own(hotkey, &coldkey());
		Registration::burned_register(
			RuntimeOrigin::signed(coldkey()),
			netuid,
			hotkey.clone(),
			u128::MAX,
		)
		.expect("the benchmark subnet has room");
	}

	fn stake(coldkey: &AccountId, hotkey: &AccountId, stake: Balance) {
		Balances::set_balance(coldkey, u64::MAX.into());
		Stake::add_stake(RuntimeOrigin::signed(coldkey.clone()), hotkey.clone(), stake)
			.expect("the coldkey can stake");
	}

	/// Moves the clock two holding periods on, so the stake set so far counts as held.
	fn hold_stake() {
		let period = crate::configs::StakeHoldingPeriod::get();
		let now = polkadot_sdk::frame_system::Pallet::<Runtime>::block_number();
		polkadot_sdk::frame_system::Pallet::<Runtime>::set_block_number(
			now.saturating_add(period.saturating_mul(2)),
		);
	}

	fn add_root_member(hotkey: &AccountId) {
		if pallet_registration::HotkeyOwners::<crate::Runtime>::get(hotkey).is_none() {
			register(create_subnet(SubnetHyperparameters::default()), hotkey);
		}
		Registration::root_register(RuntimeOrigin::signed(coldkey()), hotkey.clone())
			.expect("the root network has room");
	}

	impl pallet_registration::benchmarking::BenchmarkHelper<AccountId, Signature> for BenchmarkSubnets {
		fn signing_hotkey(message: &[u8]) -> (AccountId, Signature) {
			use polkadot_sdk::{sp_core::crypto::KeyTypeId, sp_io::crypto};
			let key_type = KeyTypeId(*b"lxhk");
			let public = crypto::sr25519_generate(key_type, None);
			let signature =
				crypto::sr25519_sign(key_type, &public, message).expect("the key was just made");
			(public.into(), signature.into())
		}

		fn create_subnet(params: SubnetHyperparameters) -> NetUid {
			create_subnet(params)
		}

		fn set_root_capacity(members: u16) {
			let update = HyperparametersUpdate {
				max_allowed_uids: Some(members),
				max_allowed_validators: Some(members),
				..Default::default()
			};
			Subnets::set_hyperparameters(RuntimeOrigin::root(), ROOT_NETUID, update)
				.expect("root sets the root network's size");
		}

		fn set_stake(coldkey: &AccountId, hotkey: &AccountId, amount: Balance) {
			stake(coldkey, hotkey, amount)
		}

		fn hold_stake() {
			hold_stake()
		}
	}

	impl pallet_subnets::benchmarking::BenchmarkHelper<AccountId> for BenchmarkSubnets {
		fn add_root_member(hotkey: &AccountId) {
			add_root_member(hotkey)
		}
	}

	impl pallet_weights::benchmarking::BenchmarkHelper<AccountId> for BenchmarkSubnets {
		fn create_subnet(params: SubnetHyperparameters) -> NetUid {
			create_subnet(params)
		}

		fn register(netuid: NetUid, hotkey: &AccountId) {
			register(netuid, hotkey)
		}

		fn set_stake(hotkey: &AccountId, amount: Balance) {
			stake(&coldkey(), hotkey, amount)
		}
	}

	impl pallet_emission::benchmarking::BenchmarkHelper<AccountId> for BenchmarkSubnets {
		fn create_subnet(params: SubnetHyperparameters) -> NetUid {
			create_subnet(params)
		}

		fn register(netuid: NetUid, hotkey: &AccountId) {
			register(netuid, hotkey)
		}

		fn add_root_member(hotkey: &AccountId) {
			add_root_member(hotkey)
		}

		fn set_root_weights(hotkey: &AccountId, weights: Vec<(NetUid, u16)>) {
			let (netuids, values) = weights.into_iter().unzip();
			Subnets::set_root_weights(RuntimeOrigin::signed(hotkey.clone()), netuids, values)
				.expect("a root member sets its weights");
		}

		fn add_stake(coldkey: &AccountId, hotkey: &AccountId, amount: Balance) {
			stake(coldkey, hotkey, amount)
		}

		fn hold_stake() {
			hold_stake()
		}
	}

	impl pallet_compute::benchmarking::BenchmarkHelper<AccountId> for BenchmarkSubnets {
		/// Room for the most validators there can be, and the provider.
		fn create_subnet() -> NetUid {
			create_subnet(SubnetHyperparameters {
				max_allowed_uids: 1024,
				max_allowed_validators: 256,
				..Default::default()
			})
		}

		fn register_neuron(netuid: NetUid, hotkey: &AccountId, coldkey: &AccountId) {
			Balances::set_balance(coldkey, u64::MAX.into());
			own(hotkey, coldkey);
			Registration::burned_register(
				RuntimeOrigin::signed(coldkey.clone()),
				netuid,
				hotkey.clone(),
				u128::MAX,
			)
			.expect("the benchmark subnet has room");
		}

		/// Registered and staked, then two epochs hand out the permits by stake.
		fn add_validators(netuid: NetUid, validators: &[AccountId]) {
			for (rank, hotkey) in validators.iter().enumerate() {
				register(netuid, hotkey);
				stake(&coldkey(), hotkey, (rank as Balance + 1) * crate::currency::MDT);
			}
			// Stake counts from the second epoch that sees it.
			for _ in 0..2 {
				Weights::force_epoch(RuntimeOrigin::root(), netuid, 0)
					.expect("root runs the epoch");
			}
		}
	}
}
