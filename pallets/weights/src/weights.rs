//! Weights for `pallet_weights`. Placeholder until `scripts/benchmark.sh pallet_weights`
//! generates this file from the pallet's benchmarks.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use polkadot_sdk::frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_weights`.
pub trait WeightInfo {
	fn set_weights(n: u32, ) -> Weight;
	fn commit_weights() -> Weight;
	fn reveal_weights(n: u32, ) -> Weight;
	fn epoch(n: u32, v: u32, w: u32, ) -> Weight;
	fn on_neuron_registered() -> Weight;
	fn on_subnet_dissolved(n: u32, ) -> Weight;
}

/// Weights for `pallet_weights` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn set_weights(n: u32, ) -> Weight {
		Weight::from_parts(40000000, 8000)
			.saturating_add(Weight::from_parts(20000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn commit_weights() -> Weight {
		Weight::from_parts(60000000, 0)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn reveal_weights(n: u32, ) -> Weight {
		Weight::from_parts(70000000, 0)
			.saturating_add(Weight::from_parts(40000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn epoch(n: u32, v: u32, w: u32, ) -> Weight {
		Weight::from_parts(1000000000, 0)
			.saturating_add(Weight::from_parts(100_000, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(100_000, 0).saturating_mul(v.into()))
			.saturating_add(Weight::from_parts(1_000, 0).saturating_mul(w.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn on_neuron_registered() -> Weight {
		Weight::from_parts(80000000, 0)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn on_subnet_dissolved(n: u32, ) -> Weight {
		Weight::from_parts(10000000, 0)
			.saturating_add(Weight::from_parts(100000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn set_weights(n: u32, ) -> Weight {
		Weight::from_parts(40000000, 8000)
			.saturating_add(Weight::from_parts(20000, 0).saturating_mul(n.into()))
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	fn commit_weights() -> Weight {
		Weight::from_parts(60000000, 0)
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	fn reveal_weights(n: u32, ) -> Weight {
		Weight::from_parts(70000000, 0)
			.saturating_add(Weight::from_parts(40000, 0).saturating_mul(n.into()))
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	fn epoch(n: u32, v: u32, w: u32, ) -> Weight {
		Weight::from_parts(1000000000, 0)
			.saturating_add(Weight::from_parts(100_000, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(100_000, 0).saturating_mul(v.into()))
			.saturating_add(Weight::from_parts(1_000, 0).saturating_mul(w.into()))
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	fn on_neuron_registered() -> Weight {
		Weight::from_parts(80000000, 0)
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	fn on_subnet_dissolved(n: u32, ) -> Weight {
		Weight::from_parts(10000000, 0)
			.saturating_add(Weight::from_parts(100000, 0).saturating_mul(n.into()))
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
}
