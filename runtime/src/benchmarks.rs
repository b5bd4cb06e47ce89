//! The pallets `benchmark pallet` measures; their weights feed `weights.rs` files.

polkadot_sdk::frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_utility, Utility]
	[pallet_proxy, Proxy]
	[pallet_multisig, Multisig]
	[pallet_sudo, Sudo]
	[pallet_staking, Staking]
	[pallet_bags_list, VoterList]
	[pallet_grandpa, Grandpa]
	[pallet_babe, Babe]
	[pallet_subnets, Subnets]
	[pallet_registration, Registration]
	[pallet_weights, Weights]
	[pallet_emission, Emission]
	[pallet_stake, Stake]
	[pallet_compute, Compute]
	[pallet_scheduler, Scheduler]
	[pallet_preimage, Preimage]
	[pallet_referenda, Referenda]
	[pallet_conviction_voting, ConvictionVoting]
	[pallet_whitelist, Whitelist]
	[pallet_collective, TechnicalCommittee]
	[pallet_treasury, Treasury]
	[pallet_identity, Identity]
);

impl polkadot_sdk::frame_system_benchmarking::Config for crate::Runtime {}
