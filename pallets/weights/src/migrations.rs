//! Storage migrations, one module per storage version. The runtime lists the ones to run
//! on its next upgrade; each runs once, when the pallet's on-chain version is the one it
//! starts from ([`VersionedMigration`]).
//!
//! Their `try-runtime` checks call each module's `snapshot` and `check`, which are always
//! built so that the pallet's tests run them too.

use crate::{set_last_update, Config, LastUpdateBlocks, LastUpdates, Pallet};
use alloc::{collections::BTreeMap, vec::Vec};
use codec::{Decode, Encode};
use luxtensor_primitives::{
	subnets::{NetUid, Uid},
	traits::Neurons,
	BlockNumber,
};
use polkadot_sdk::{
	frame_support::{
		ensure,
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	},
	frame_system,
	sp_runtime::TryRuntimeError,
};

/// v0 to v1: each neuron's last update, an entry per uid that the epoch read one by one,
/// becomes one value per subnet, [`LastUpdates`].
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

	/// The v0 storage items, by their v0 names.
	pub(crate) mod v0 {
		use crate::{Config, Pallet};
		use luxtensor_primitives::{
			subnets::{NetUid, Uid},
			BlockNumber,
		};
		use polkadot_sdk::frame_support::{
			pallet_prelude::ValueQuery, storage_alias, Twox64Concat,
		};

		/// The block of each neuron's last accepted weights (0: never).
		#[storage_alias]
		pub type LastUpdate<T: Config> = StorageDoubleMap<
			Pallet<T>,
			Twox64Concat,
			NetUid,
			Twox64Concat,
			Uid,
			BlockNumber,
			ValueQuery,
		>;
	}

	/// The migration without its version check: use [`MigrateToV1`].
	pub struct UncheckedMigrateToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut subnets: BTreeMap<NetUid, LastUpdateBlocks<T::MaxAllowedUids>> =
				BTreeMap::new();
			let mut entries: u64 = 0;
			for (netuid, uid, block) in v0::LastUpdate::<T>::drain() {
				entries = entries.saturating_add(1);
				set_last_update(subnets.entry(netuid).or_default(), uid, block);
			}
			let count = u64::try_from(subnets.len()).unwrap_or(u64::MAX);
			for (netuid, mut blocks) in subnets {
				// v0 removed a replaced uid's entry, so none lies beyond n; should one, it
				// goes, as it would with its uid.
				blocks.truncate(usize::from(T::Neurons::neuron_count(netuid)));
				LastUpdates::<T>::insert(netuid, blocks);
			}
			// Each entry read and removed; per subnet its neuron count read and one value.
			T::DbWeight::get()
				.reads_writes(entries.saturating_add(count), entries.saturating_add(count))
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

	/// The v0 last updates of uids below their subnet's n, before the migration
	/// (`pre_upgrade`).
	pub fn snapshot<T: Config>() -> Vec<u8> {
		let entries: Vec<(NetUid, Uid, BlockNumber)> = v0::LastUpdate::<T>::iter()
			.filter(|&(netuid, uid, _)| uid < T::Neurons::neuron_count(netuid))
			.collect();
		entries.encode()
	}

	/// After the migration (`post_upgrade`): the v0 map is gone, each subnet's value is no
	/// longer than its n, and every uid has the last update it had in `state`, a
	/// [`snapshot`] (the others: never).
	pub fn check<T: Config>(state: Vec<u8>) -> Result<(), TryRuntimeError> {
		let entries = <Vec<(NetUid, Uid, BlockNumber)>>::decode(&mut &state[..])
			.map_err(|_| "the v0 snapshot does not decode")?;
		ensure!(v0::LastUpdate::<T>::iter().next().is_none(), "LastUpdate is left");
		let mut set = 0usize;
		for (netuid, blocks) in LastUpdates::<T>::iter() {
			ensure!(
				blocks.len() <= usize::from(T::Neurons::neuron_count(netuid)),
				"last updates beyond n"
			);
			set = set.saturating_add(blocks.iter().filter(|&&block| block > 0).count());
		}
		for &(netuid, uid, block) in &entries {
			ensure!(Pallet::<T>::last_update(netuid, uid) == block, "a last update changed");
		}
		let nonzero = entries.iter().filter(|entry| entry.2 > 0).count();
		ensure!(set == nonzero, "a last update appeared");
		Ok(())
	}
}
