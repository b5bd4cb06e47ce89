//! Storage migrations, one module per storage version. The runtime lists the ones to run
//! on its next upgrade; each runs once, when the pallet's on-chain version is the one it
//! starts from ([`VersionedMigration`]).
//!
//! Their `try-runtime` checks call each module's `snapshot` and `check`, which are always
//! built so that the pallet's tests run them too.

use crate::{Config, Pallet, Pools, StakePool};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use polkadot_sdk::{
	frame_support::{
		ensure,
		migrations::VersionedMigration,
		storage::unhashed,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	},
	frame_system,
	sp_runtime::TryRuntimeError,
};

/// v0 to v1: a pool record keeps the shares its hotkey earned for its owner ([`StakePool`]'s
/// `owned`), so that an epoch pays each hotkey with one write. Every pool starts with none:
/// what owners earned before stays in their share entries.
pub mod v1 {
	use super::*;

	/// The migration to list in the runtime: runs when the on-chain version is 0, then sets 1.
	pub type MigrateToV1<T> = VersionedMigration<
		0,
		1,
		UncheckedMigrateToV1<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;

	/// The v0 records.
	pub(crate) mod v0 {
		use crate::PoolId;
		use codec::{Decode, Encode};
		use luxtensor_primitives::{Balance, BlockNumber};

		/// A v0 pool record: a v1 one without `owned`.
		#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, Debug)]
		pub struct StakePool {
			pub id: PoolId,
			pub stake: Balance,
			pub shares: u128,
			pub unreleased: Balance,
			pub release_end: BlockNumber,
			pub updated: BlockNumber,
			pub period: BlockNumber,
			pub period_low: Balance,
			pub previous_low: Balance,
		}
	}

	/// The v1 record of a v0 one.
	pub(crate) fn migrated(old: v0::StakePool) -> StakePool {
		let v0::StakePool {
			id,
			stake,
			shares,
			unreleased,
			release_end,
			updated,
			period,
			period_low,
			previous_low,
		} = old;
		StakePool {
			id,
			stake,
			shares,
			unreleased,
			release_end,
			updated,
			period,
			period_low,
			previous_low,
			owned: 0,
		}
	}

	/// The migration without its version check: use [`MigrateToV1`].
	pub struct UncheckedMigrateToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut pools: u64 = 0;
			Pools::<T>::translate_values::<v0::StakePool, _>(|old| {
				pools = pools.saturating_add(1);
				Some(migrated(old))
			});
			T::DbWeight::get().reads_writes(pools, pools)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
			Ok(snapshot::<T>())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
			check::<T>(state)
		}
	}

	/// The raw v0 records, before the migration (`pre_upgrade`).
	pub fn snapshot<T: Config>() -> Vec<u8> {
		let records: Vec<(Vec<u8>, Vec<u8>)> = Pools::<T>::iter_keys()
			.map(Pools::<T>::hashed_key_for)
			.map(|key| {
				let value = unhashed::get_raw(&key);
				(key, value.unwrap_or_default())
			})
			.collect();
		records.encode()
	}

	/// After the migration (`post_upgrade`): every pool of `state`, a [`snapshot`], is there
	/// with the same values and no owned shares, and there is no other.
	pub fn check<T: Config>(state: Vec<u8>) -> Result<(), TryRuntimeError> {
		let records = <Vec<(Vec<u8>, Vec<u8>)>>::decode(&mut &state[..])
			.map_err(|_| "the v0 snapshot does not decode")?;
		ensure!(Pools::<T>::iter_keys().count() == records.len(), "the number of pools changed");
		for (key, value) in records {
			let old = v0::StakePool::decode(&mut &value[..])
				.map_err(|_| "a v0 pool record does not decode")?;
			let new = unhashed::get::<StakePool>(&key)
				.ok_or("a pool record is gone or does not decode")?;
			ensure!(new == migrated(old), "a pool record changed");
		}
		Ok(())
	}
}
