//! Subnets and their neurons: creation locks, hyperparameters, registration and endpoints,
//! weights and the Yuma epoch.

#[cfg(feature = "runtime-benchmarks")]
use crate::AccountId;
use crate::{
	currency::{MDT, MILLI_MDT},
	Balances, Emission, Registration, Runtime, RuntimeHoldReason, Subnets, Weights,
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
	pub const MaxAllowedUids: u16 = 4096;
	pub const MinReplaceableNeurons: u16 = 10;
	pub const HotkeySwapCost: crate::Balance = MDT;
	/// Every subnet and the root network.
	pub const MaxSubnets: u32 = (SubnetLimit::get() as u32).saturating_add(1);
}

impl pallet_subnets::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type HotkeyOwnership = Registration;
	type Neurons = Registration;
	// Weights first: it sizes its cleanup by registration's neuron count.
	type OnSubnetDissolved = (Weights, Registration, Emission);
	type NetworkMinLockCost = NetworkMinLockCost;
	type LockReductionInterval = LockReductionInterval;
	type NetworkRateLimit = NetworkRateLimit;
	type SubnetLimit = SubnetLimit;
	type OwnerMinBurnFloor = OwnerMinBurnFloor;
	type OwnerMaxBurnCeiling = OwnerMaxBurnCeiling;
	type MaxSubnets = MaxSubnets;
	type WeightInfo = pallet_subnets::weights::SubstrateWeight<Runtime>;
}

impl pallet_registration::Config for Runtime {
	type Currency = Balances;
	type Subnets = Subnets;
	type EpochResults = Weights;
	type Stake = Emission;
	// Weights keeps per-uid data of every subnet, Subnets the root members' weights.
	type OnNeuronRegistered = (Weights, Subnets);
	type MaxAllowedUids = MaxAllowedUids;
	type MinReplaceableNeurons = MinReplaceableNeurons;
	type HotkeySwapCost = HotkeySwapCost;
	type MaxSubnets = MaxSubnets;
	type WeightInfo = pallet_registration::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkSubnets;
}

parameter_types! {
	pub const MaxAllowedUidsBound: u32 = MaxAllowedUids::get() as u32;
}

impl pallet_weights::Config for Runtime {
	type Subnets = Subnets;
	type Neurons = Registration;
	type Stake = Emission;
	type MaxAllowedUids = MaxAllowedUidsBound;
	type MaxUnrevealedCommits = ConstU32<10>;
	type MaxSaltLength = ConstU32<32>;
	type WeightInfo = pallet_weights::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkSubnets;
}

/// Creates subnets for pallet-registration's benchmarks through pallet-subnets.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkSubnets;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_registration::benchmarking::BenchmarkHelper for BenchmarkSubnets {
	fn create_subnet(
		params: luxtensor_primitives::subnets::SubnetHyperparameters,
	) -> luxtensor_primitives::subnets::NetUid {
		let owner = polkadot_sdk::frame_benchmarking::account("subnet-owner", 0, 0);
		Subnets::create_benchmark_subnet(owner, params)
	}
}

/// Subnets, neurons and stake for pallet-weights' benchmarks, through the pallets owning them.
#[cfg(feature = "runtime-benchmarks")]
impl pallet_weights::benchmarking::BenchmarkHelper<AccountId> for BenchmarkSubnets {
	fn create_subnet(
		params: luxtensor_primitives::subnets::SubnetHyperparameters,
	) -> luxtensor_primitives::subnets::NetUid {
		<Self as pallet_registration::benchmarking::BenchmarkHelper>::create_subnet(params)
	}

	fn register(netuid: luxtensor_primitives::subnets::NetUid, hotkey: &AccountId) {
		use polkadot_sdk::frame_support::traits::fungible::Mutate;
		let coldkey: AccountId = polkadot_sdk::frame_benchmarking::account("coldkey", 0, 0);
		Balances::set_balance(&coldkey, u64::MAX.into());
		let origin = crate::RuntimeOrigin::signed(coldkey);
		Registration::burned_register(origin, netuid, hotkey.clone())
			.expect("the benchmark subnet has room");
	}

	/// Stakes `stake` on `hotkey` from its owner, the benchmark coldkey.
	fn set_stake(hotkey: &AccountId, stake: crate::Balance) {
		use polkadot_sdk::frame_support::traits::fungible::Mutate;
		let coldkey: AccountId = polkadot_sdk::frame_benchmarking::account("coldkey", 0, 0);
		Balances::set_balance(&coldkey, u64::MAX.into());
		let origin = crate::RuntimeOrigin::signed(coldkey);
		Emission::add_stake(origin, hotkey.clone(), stake).expect("the coldkey can stake");
	}
}

/// Subnets and neurons for pallet-emission's benchmarks, through the pallets owning them.
#[cfg(feature = "runtime-benchmarks")]
impl pallet_emission::benchmarking::BenchmarkHelper<AccountId> for BenchmarkSubnets {
	fn create_subnet(
		params: luxtensor_primitives::subnets::SubnetHyperparameters,
	) -> luxtensor_primitives::subnets::NetUid {
		<Self as pallet_registration::benchmarking::BenchmarkHelper>::create_subnet(params)
	}

	fn register(netuid: luxtensor_primitives::subnets::NetUid, hotkey: &AccountId) {
		<Self as pallet_weights::benchmarking::BenchmarkHelper<AccountId>>::register(netuid, hotkey)
	}
}
