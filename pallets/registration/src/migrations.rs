//! Storage migrations, one module per storage version. The runtime lists the ones to run
//! on its next upgrade; each runs once, when the pallet's on-chain version is the one it
//! starts from ([`VersionedMigration`]).
//!
//! Their `try-runtime` checks call each module's `snapshot` and `check`, which are always
//! built so that the pallet's tests run them too.

use crate::{Config, NeuronCount, Pallet, RegistrationBlockList, RegistrationBlocks};
use alloc::vec::Vec;
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

/// v0 to v1: each neuron's registration block, an entry per uid that the epoch and the
/// choice of a neuron to replace read one by one, becomes one value per subnet,
/// [`RegistrationBlocks`].
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
			pallet_prelude::OptionQuery, storage_alias, Twox64Concat,
		};

		/// The block each uid's neuron registered.
		#[storage_alias]
		pub type RegisteredAt<T: Config> = StorageDoubleMap<
			Pallet<T>,
			Twox64Concat,
			NetUid,
			Twox64Concat,
			Uid,
			BlockNumber,
			OptionQuery,
		>;
	}

	/// The migration without its version check: use [`MigrateToV1`].
	pub struct UncheckedMigrateToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut reads: u64 = 0;
			let mut writes: u64 = 0;
			for (netuid, n) in NeuronCount::<T>::iter() {
				let blocks: Vec<BlockNumber> = (0..n)
					.map(|uid| v0::RegisteredAt::<T>::get(netuid, uid).unwrap_or(0))
					.collect();
				RegistrationBlocks::<T>::insert(
					netuid,
					RegistrationBlockList::<T>::truncate_from(blocks),
				);
				reads = reads.saturating_add(u64::from(n)).saturating_add(1);
				writes = writes.saturating_add(1);
			}
			// Every entry goes, those beyond n (which v0 never kept) included.
			let removed = v0::RegisteredAt::<T>::clear(u32::MAX, None).backend;
			T::DbWeight::get().reads_writes(reads, writes.saturating_add(removed.into()))
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

	/// The v0 registration blocks, before the migration (`pre_upgrade`).
	pub fn snapshot<T: Config>() -> Vec<u8> {
		let entries: Vec<(NetUid, Uid, BlockNumber)> = v0::RegisteredAt::<T>::iter().collect();
		entries.encode()
	}

	/// After the migration (`post_upgrade`): the v0 map is gone, every subnet with neurons
	/// has one block per uid, and each uid below n has the block it had in `state`, a
	/// [`snapshot`].
	pub fn check<T: Config>(state: Vec<u8>) -> Result<(), TryRuntimeError> {
		let entries = <Vec<(NetUid, Uid, BlockNumber)>>::decode(&mut &state[..])
			.map_err(|_| "the v0 snapshot does not decode")?;
		ensure!(v0::RegisteredAt::<T>::iter().next().is_none(), "RegisteredAt is left");
		for (netuid, n) in NeuronCount::<T>::iter() {
			ensure!(
				RegistrationBlocks::<T>::decode_len(netuid) == Some(usize::from(n)),
				"registration blocks are not one per uid"
			);
		}
		for (netuid, uid, block) in entries {
			if uid < NeuronCount::<T>::get(netuid) {
				ensure!(
					Pallet::<T>::registered_at(netuid, uid) == Some(block),
					"a registration block changed"
				);
			}
		}
		Ok(())
	}
}
