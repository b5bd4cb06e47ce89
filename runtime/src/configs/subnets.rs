//! Subnets and their neurons: creation locks, hyperparameters, registration and endpoints.

use crate::{
	currency::{MDT, MILLI_MDT},
	Balances, Registration, Runtime, RuntimeHoldReason, Subnets,
};
use polkadot_sdk::frame_support::parameter_types;

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
	type OnSubnetDissolved = Registration;
	type NetworkMinLockCost = NetworkMinLockCost;
	type LockReductionInterval = LockReductionInterval;
	type NetworkRateLimit = NetworkRateLimit;
	type SubnetLimit = SubnetLimit;
	type OwnerMinBurnFloor = OwnerMinBurnFloor;
	type OwnerMaxBurnCeiling = OwnerMaxBurnCeiling;
	type WeightInfo = pallet_subnets::weights::SubstrateWeight<Runtime>;
}

impl pallet_registration::Config for Runtime {
	type Currency = Balances;
	type Subnets = Subnets;
	// Epoch outputs and weight-clearing join with the weights pallet.
	type EpochResults = ();
	type OnNeuronReplaced = ();
	type MaxAllowedUids = MaxAllowedUids;
	type MinReplaceableNeurons = MinReplaceableNeurons;
	type HotkeySwapCost = HotkeySwapCost;
	type MaxSubnets = MaxSubnets;
	type WeightInfo = pallet_registration::weights::SubstrateWeight<Runtime>;
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
