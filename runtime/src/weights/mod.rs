//! This runtime's weights for the polkadot-sdk pallets of its governance and treasury,
//! measured with its own benchmarks (`scripts/benchmark.sh governance`, on the reference
//! machine) rather than the pallets' `SubstrateWeight`, measured on another runtime.

pub mod pallet_collective;
pub mod pallet_conviction_voting;
pub mod pallet_identity;
pub mod pallet_preimage;
pub mod pallet_referenda;
pub mod pallet_scheduler;
pub mod pallet_treasury;
pub mod pallet_whitelist;
