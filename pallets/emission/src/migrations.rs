//! Storage migrations, one module per storage version. The runtime lists the ones to run
//! on its next upgrade; each runs once, when the pallet's on-chain version is the one it
//! starts from ([`VersionedMigration`]).
//!
//! Their `try-runtime` checks call each module's `snapshot` and `check`, which are always
//! built so that the pallet's tests run them too.

use crate::{Config, EmittingSubnets, Pallet, RootEpoch, RootEpochRecord, SubnetEmission};
use alloc::vec::Vec;
use codec::{Decode, Encode};
use luxtensor_primitives::{
	subnets::{NetUid, ROOT_NETUID},
	traits::{Epoch, SubnetsInfo},
	Balance, BlockNumber,
};
use polkadot_sdk::{
	frame_support::{
		ensure,
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
		BoundedVec,
	},
	frame_system,
	sp_runtime::TryRuntimeError,
};

/// v0 to v1: the root network's last epoch block and the shares it set, two values read every
/// block, become one record, [`RootEpoch`].
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

	/// The v0 shares: `(netuid, share)` in netuid order.
	type Shares<T> = BoundedVec<(NetUid, u64), <T as Config>::MaxSubnets>;

	/// The v0 storage items, by their v0 names.
	pub(crate) mod v0 {
		use super::Shares;
		use crate::{Config, Pallet};
		use luxtensor_primitives::BlockNumber;
		use polkadot_sdk::frame_support::{
			pallet_prelude::{OptionQuery, ValueQuery},
			storage_alias,
		};

		/// Each subnet's share from the last root epoch; empty before the first.
		#[storage_alias]
		pub type SubnetShares<T: Config> = StorageValue<Pallet<T>, Shares<T>, ValueQuery>;

		/// The block of the last root epoch.
		#[storage_alias]
		pub type LastRootEpochBlock<T: Config> = StorageValue<Pallet<T>, BlockNumber, OptionQuery>;
	}

	/// The migration without its version check: use [`MigrateToV1`].
	pub struct UncheckedMigrateToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let shares = v0::SubnetShares::<T>::take();
			let block = v0::LastRootEpochBlock::<T>::take();
			if let Some(record) = record_from::<T>(block, shares) {
				RootEpoch::<T>::put(record);
			}
			T::DbWeight::get().reads_writes(2, 3)
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

	/// The v1 record of a v0 state. Shares without a block cannot be written by v0 code;
	/// should a state hold them anyway, they are kept as from block 0, so the next block
	/// renews them.
	fn record_from<T: Config>(
		block: Option<BlockNumber>,
		shares: Shares<T>,
	) -> Option<RootEpochRecord<T::MaxSubnets>> {
		match block {
			Some(block) => Some(RootEpochRecord { block, shares }),
			None if !shares.is_empty() => Some(RootEpochRecord { block: 0, shares }),
			None => None,
		}
	}

	/// The v0 values, before the migration (`pre_upgrade`).
	pub fn snapshot<T: Config>() -> Vec<u8> {
		(v0::LastRootEpochBlock::<T>::get(), v0::SubnetShares::<T>::get()).encode()
	}

	/// After the migration (`post_upgrade`): the v0 items are gone and [`RootEpoch`] holds
	/// what they held in `state`, a [`snapshot`].
	pub fn check<T: Config>(state: Vec<u8>) -> Result<(), TryRuntimeError> {
		let (block, shares) = <(Option<BlockNumber>, Shares<T>)>::decode(&mut &state[..])
			.map_err(|_| "the v0 snapshot does not decode")?;
		ensure!(!v0::LastRootEpochBlock::<T>::exists(), "LastRootEpochBlock is left");
		ensure!(!v0::SubnetShares::<T>::exists(), "SubnetShares is left");
		ensure!(
			RootEpoch::<T>::get() == record_from::<T>(block, shares),
			"RootEpoch does not hold the v0 block and shares"
		);
		Ok(())
	}
}

/// v1 to v2: each subnet's pending emission, a map read and written for every subnet every
/// block, and its schedule, read from its hyperparameters and last epoch every block, become
/// one value, [`EmittingSubnets`].
pub mod v2 {
	use super::*;

	/// The migration to list in the runtime: runs when the on-chain version is 1, then sets 2.
	pub type MigrateToV2<T> = VersionedMigration<
		1,
		2,
		UncheckedMigrateToV2<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;

	/// The v1 storage items, by their v1 names.
	pub(crate) mod v1 {
		use crate::{Config, Pallet};
		use luxtensor_primitives::{subnets::NetUid, Balance};
		use polkadot_sdk::frame_support::{
			pallet_prelude::ValueQuery, storage_alias, Twox64Concat,
		};

		/// Emission accrued by each subnet since its last epoch, not yet minted.
		#[storage_alias]
		pub type PendingEmission<T: Config> =
			StorageMap<Pallet<T>, Twox64Concat, NetUid, Balance, ValueQuery>;
	}

	/// The migration without its version check: use [`MigrateToV2`].
	pub struct UncheckedMigrateToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for UncheckedMigrateToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let netuids = T::Subnets::netuids();
			let mut subnets = Vec::with_capacity(netuids.len());
			for &netuid in netuids.iter().filter(|&&netuid| netuid != ROOT_NETUID) {
				let Some(params) = T::Subnets::hyperparameters(netuid) else { continue };
				// As v1 scheduled: a tempo from the last epoch, the first from the creation.
				let last_epoch = T::Epoch::last_epoch_block(netuid)
					.or_else(|| T::Subnets::registered_at(netuid))
					.unwrap_or_else(Pallet::<T>::now);
				let pending = v1::PendingEmission::<T>::take(netuid);
				subnets.push(SubnetEmission { netuid, pending, last_epoch, tempo: params.tempo });
			}
			// v1 kept pending emission only for existing subnets; anything else is dropped.
			let _ = v1::PendingEmission::<T>::clear(u32::MAX, None);
			EmittingSubnets::<T>::put(BoundedVec::truncate_from(subnets));
			let count = u64::try_from(netuids.len()).unwrap_or(u64::MAX);
			// Per subnet: hyperparameters, last epoch, registration and pending read, pending
			// removed; the netuids' keys; the new value.
			T::DbWeight::get()
				.reads_writes(count.saturating_mul(5).saturating_add(1), count.saturating_add(1))
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

	/// The v1 pending emission of every subnet, before the migration (`pre_upgrade`).
	pub fn snapshot<T: Config>() -> Vec<u8> {
		let pending: Vec<(NetUid, Balance)> = v1::PendingEmission::<T>::iter().collect();
		pending.encode()
	}

	/// After the migration (`post_upgrade`): the v1 map is gone, every subnet but the root
	/// network has a record in netuid order with its tempo, and holds the pending emission it
	/// had in `state`, a [`snapshot`].
	pub fn check<T: Config>(state: Vec<u8>) -> Result<(), TryRuntimeError> {
		let pending = <Vec<(NetUid, Balance)>>::decode(&mut &state[..])
			.map_err(|_| "the v1 snapshot does not decode")?;
		ensure!(v1::PendingEmission::<T>::iter().next().is_none(), "PendingEmission is left");
		let subnets = EmittingSubnets::<T>::get();
		let earning = T::Subnets::netuids().into_iter().filter(|&netuid| netuid != ROOT_NETUID);
		ensure!(
			subnets.iter().map(|subnet| subnet.netuid).eq(earning),
			"EmittingSubnets is not every subnet but the root network, in netuid order"
		);
		for subnet in subnets.iter() {
			let before =
				pending.iter().find(|(netuid, _)| *netuid == subnet.netuid).map_or(0, |p| p.1);
			ensure!(subnet.pending == before, "a subnet's pending emission changed");
			ensure!(
				T::Subnets::hyperparameters(subnet.netuid).map(|params| params.tempo)
					== Some(subnet.tempo),
				"a subnet's tempo is not its hyperparameter"
			);
		}
		Ok(())
	}
}
