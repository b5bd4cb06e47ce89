
//! Weights for `pallet_compute`.
//!
//! PROVISIONAL: counted storage accesses with estimated execution times, until
//! `scripts/benchmark.sh pallet_compute` replaces this file with measured weights.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use polkadot_sdk::frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_compute`.
pub trait WeightInfo {
	fn set_compute_subnet() -> Weight;
	fn register_provider() -> Weight;
	fn update_provider() -> Weight;
	fn heartbeat() -> Weight;
	fn bond_more() -> Weight;
	fn unbond() -> Weight;
	fn withdraw_unbonded() -> Weight;
	fn deregister() -> Weight;
	fn attest_commit() -> Weight;
	fn attest_reveal() -> Weight;
	fn cancel_slash() -> Weight;
	fn register_model() -> Weight;
	fn update_model_metadata() -> Weight;
	fn deprecate_model() -> Weight;
	fn transfer_model() -> Weight;
	fn remove_model() -> Weight;
	fn on_initialize_idle() -> Weight;
	fn draw_attestors(v: u32, ) -> Weight;
	fn close_attestation(a: u32, ) -> Weight;
	fn expire_liveness() -> Weight;
	fn apply_slash(b: u32, ) -> Weight;
	fn on_subnet_dissolved() -> Weight;
	fn defer_deadlines(d: u32, ) -> Weight;
}

/// Weights for `pallet_compute` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn set_compute_subnet() -> Weight {
		Weight::from_parts(15_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn register_provider() -> Weight {
		Weight::from_parts(120_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn update_provider() -> Weight {
		Weight::from_parts(110_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(7_u64))
	}
	fn heartbeat() -> Weight {
		Weight::from_parts(45_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn bond_more() -> Weight {
		Weight::from_parts(60_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn unbond() -> Weight {
		Weight::from_parts(25_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn withdraw_unbonded() -> Weight {
		Weight::from_parts(70_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn deregister() -> Weight {
		Weight::from_parts(45_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn attest_commit() -> Weight {
		Weight::from_parts(30_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn attest_reveal() -> Weight {
		Weight::from_parts(45_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn cancel_slash() -> Weight {
		Weight::from_parts(35_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn register_model() -> Weight {
		Weight::from_parts(90_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn update_model_metadata() -> Weight {
		Weight::from_parts(60_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn deprecate_model() -> Weight {
		Weight::from_parts(25_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn transfer_model() -> Weight {
		Weight::from_parts(90_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn remove_model() -> Weight {
		Weight::from_parts(75_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn on_initialize_idle() -> Weight {
		Weight::from_parts(4_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(0_u64))
	}
	fn draw_attestors(v: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 4000)
			.saturating_add(Weight::from_parts(25_000_000, 2600).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64.saturating_mul(v.into())))
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn close_attestation(a: u32, ) -> Weight {
		Weight::from_parts(120_000_000, 4000)
			.saturating_add(Weight::from_parts(25_000_000, 2600).saturating_mul(a.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64.saturating_mul(a.into())))
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn expire_liveness() -> Weight {
		Weight::from_parts(35_000_000, 4000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn apply_slash(b: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4000)
			.saturating_add(Weight::from_parts(25_000_000, 2600).saturating_mul(b.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64.saturating_mul(b.into())))
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn on_subnet_dissolved() -> Weight {
		Weight::from_parts(10_000_000, 2500)
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn defer_deadlines(d: u32, ) -> Weight {
		Weight::from_parts(5_000_000, 3000)
			.saturating_add(Weight::from_parts(15_000_000, 5000).saturating_mul(d.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64.saturating_mul(d.into())))
			.saturating_add(T::DbWeight::get().writes(2_u64.saturating_mul(d.into())))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn set_compute_subnet() -> Weight {
		Weight::from_parts(15_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn register_provider() -> Weight {
		Weight::from_parts(120_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
	}
	fn update_provider() -> Weight {
		Weight::from_parts(110_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(6_u64))
			.saturating_add(ParityDbWeight::get().writes(7_u64))
	}
	fn heartbeat() -> Weight {
		Weight::from_parts(45_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	fn bond_more() -> Weight {
		Weight::from_parts(60_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn unbond() -> Weight {
		Weight::from_parts(25_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn withdraw_unbonded() -> Weight {
		Weight::from_parts(70_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	fn deregister() -> Weight {
		Weight::from_parts(45_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	fn attest_commit() -> Weight {
		Weight::from_parts(30_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn attest_reveal() -> Weight {
		Weight::from_parts(45_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn cancel_slash() -> Weight {
		Weight::from_parts(35_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn register_model() -> Weight {
		Weight::from_parts(90_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			.saturating_add(ParityDbWeight::get().writes(5_u64))
	}
	fn update_model_metadata() -> Weight {
		Weight::from_parts(60_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn deprecate_model() -> Weight {
		Weight::from_parts(25_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(2_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn transfer_model() -> Weight {
		Weight::from_parts(90_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			.saturating_add(ParityDbWeight::get().writes(5_u64))
	}
	fn remove_model() -> Weight {
		Weight::from_parts(75_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(5_u64))
	}
	fn on_initialize_idle() -> Weight {
		Weight::from_parts(4_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
			.saturating_add(ParityDbWeight::get().writes(0_u64))
	}
	fn draw_attestors(v: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 4000)
			.saturating_add(Weight::from_parts(25_000_000, 2600).saturating_mul(v.into()))
			.saturating_add(ParityDbWeight::get().reads(2_u64.saturating_mul(v.into())))
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn close_attestation(a: u32, ) -> Weight {
		Weight::from_parts(120_000_000, 4000)
			.saturating_add(Weight::from_parts(25_000_000, 2600).saturating_mul(a.into()))
			.saturating_add(ParityDbWeight::get().reads(2_u64.saturating_mul(a.into())))
			.saturating_add(ParityDbWeight::get().reads(8_u64))
			.saturating_add(ParityDbWeight::get().writes(8_u64))
	}
	fn expire_liveness() -> Weight {
		Weight::from_parts(35_000_000, 4000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(3_u64))
	}
	fn apply_slash(b: u32, ) -> Weight {
		Weight::from_parts(100_000_000, 4000)
			.saturating_add(Weight::from_parts(25_000_000, 2600).saturating_mul(b.into()))
			.saturating_add(ParityDbWeight::get().reads(2_u64.saturating_mul(b.into())))
			.saturating_add(ParityDbWeight::get().reads(4_u64))
			.saturating_add(ParityDbWeight::get().writes(4_u64))
	}
	fn on_subnet_dissolved() -> Weight {
		Weight::from_parts(10_000_000, 2500)
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
	fn defer_deadlines(d: u32, ) -> Weight {
		Weight::from_parts(5_000_000, 3000)
			.saturating_add(Weight::from_parts(15_000_000, 5000).saturating_mul(d.into()))
			.saturating_add(ParityDbWeight::get().reads(2_u64.saturating_mul(d.into())))
			.saturating_add(ParityDbWeight::get().writes(2_u64.saturating_mul(d.into())))
	}
}
