//! Weights for `pallet_subnets`, from its benchmarks (`benchmarking.rs`).
//!
//! Until they are generated on reference hardware with `scripts/benchmark.sh`, these are the
//! storage accesses each call makes (ParityDB costs) plus a fixed computation allowance.

#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_subnets`.
pub trait WeightInfo {
	fn register_network() -> Weight;
	fn dissolve_network() -> Weight;
	fn set_hyperparameters() -> Weight;
	fn set_subnet_identity() -> Weight;
}

/// Weights for `pallet_subnets` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_network() -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(135))
			.saturating_add(T::DbWeight::get().writes(7))
	}
	fn dissolve_network() -> Weight {
		Weight::from_parts(50_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(6))
	}
	fn set_hyperparameters() -> Weight {
		Weight::from_parts(30_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(3))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn set_subnet_identity() -> Weight {
		Weight::from_parts(25_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(1))
			.saturating_add(T::DbWeight::get().writes(1))
	}
}

// For tests and backwards compatibility.
impl WeightInfo for () {
	fn register_network() -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(135))
			.saturating_add(RocksDbWeight::get().writes(7))
	}
	fn dissolve_network() -> Weight {
		Weight::from_parts(50_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(3))
			.saturating_add(RocksDbWeight::get().writes(6))
	}
	fn set_hyperparameters() -> Weight {
		Weight::from_parts(30_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(3))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn set_subnet_identity() -> Weight {
		Weight::from_parts(25_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(1))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
}
