//! Weights for `pallet_registration`, from its benchmarks (`benchmarking.rs`).
//!
//! Until they are generated on reference hardware with `scripts/benchmark.sh`, these are the
//! storage accesses each call makes (ParityDB costs) plus a fixed computation allowance.

#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_registration`.
pub trait WeightInfo {
	/// `n`: neurons in the subnet (a full subnet scans them for a replacement).
	fn burned_register(n: u32) -> Weight;
	fn serve_axon() -> Weight;
	fn serve_prometheus() -> Weight;
	/// `s`: subnets, each visited for a registration of the hotkey.
	fn swap_hotkey(s: u32) -> Weight;
	/// `n`: neurons of the dissolved subnet.
	fn clear_subnet(n: u32) -> Weight;
}

/// Weights for `pallet_registration` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn burned_register(n: u32) -> Weight {
		Weight::from_parts(80_000_000, 6_000)
			.saturating_add(Weight::from_parts(2_000_000, 2_600).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(8))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes(10))
	}
	fn serve_axon() -> Weight {
		Weight::from_parts(25_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn serve_prometheus() -> Weight {
		Weight::from_parts(25_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(1))
	}
	fn swap_hotkey(s: u32) -> Weight {
		Weight::from_parts(60_000_000, 8_000)
			.saturating_add(Weight::from_parts(1_000_000, 2_600).saturating_mul(s.into()))
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(s.into())))
			.saturating_add(T::DbWeight::get().writes(3))
			.saturating_add(T::DbWeight::get().writes((3_u64).saturating_mul(s.into())))
	}
	fn clear_subnet(n: u32) -> Weight {
		Weight::from_parts(10_000_000, 2_000)
			.saturating_add(T::DbWeight::get().writes(2))
			.saturating_add(T::DbWeight::get().writes((5_u64).saturating_mul(n.into())))
	}
}

// For tests and backwards compatibility.
impl WeightInfo for () {
	fn burned_register(n: u32) -> Weight {
		Weight::from_parts(80_000_000, 6_000)
			.saturating_add(Weight::from_parts(2_000_000, 2_600).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(8))
			.saturating_add(RocksDbWeight::get().reads((2_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes(10))
	}
	fn serve_axon() -> Weight {
		Weight::from_parts(25_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn serve_prometheus() -> Weight {
		Weight::from_parts(25_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().writes(1))
	}
	fn swap_hotkey(s: u32) -> Weight {
		Weight::from_parts(60_000_000, 8_000)
			.saturating_add(Weight::from_parts(1_000_000, 2_600).saturating_mul(s.into()))
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(s.into())))
			.saturating_add(RocksDbWeight::get().writes(3))
			.saturating_add(RocksDbWeight::get().writes((3_u64).saturating_mul(s.into())))
	}
	fn clear_subnet(n: u32) -> Weight {
		Weight::from_parts(10_000_000, 2_000)
			.saturating_add(RocksDbWeight::get().writes(2))
			.saturating_add(RocksDbWeight::get().writes((5_u64).saturating_mul(n.into())))
	}
}
