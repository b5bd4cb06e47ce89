//! # Subnets
//!
//! Subnets of the ModernTensor network: who owns them, what creating one costs, and every
//! hyperparameter their consensus and registration read.
//!
//! ## Pallet API
//!
//! - [`Pallet::register_network`]: a coldkey creates the next free subnet, locking the
//!   current network lock cost from its balance.
//! - [`Pallet::dissolve_network`]: the owner (or root) removes a subnet with everything kept
//!   for it in other pallets, and gets the lock back.
//! - [`Pallet::set_hyperparameters`]: the owner or root changes some hyperparameters at once.
//! - [`Pallet::set_subnet_identity`]: the owner describes the subnet.
//!
//! Other pallets read subnets through [`luxtensor_primitives::traits::SubnetsInfo`].
//!
//! ## Overview
//!
//! Netuid 0 is the root network, created at genesis; it has no owner and only root changes
//! it. Other subnets are created by anyone able to lock the network lock cost: it starts at
//! [`Config::NetworkMinLockCost`], doubles with each creation and decays linearly back to the
//! minimum over [`Config::LockReductionInterval`] blocks. The lock is a hold on the owner's
//! balance ([`HoldReason::SubnetLock`]), released when the subnet is dissolved. One subnet may
//! be created every [`Config::NetworkRateLimit`] blocks, up to [`Config::SubnetLimit`].
//!
//! Each hyperparameter has bounds, and is settable by the subnet owner or only by root (see
//! `set_hyperparameters`). An update is checked whole: if any field is out of bounds or not
//! the caller's to set, the call fails with an error naming it and nothing changes.

#![cfg_attr(not(feature = "std"), no_std)]
// Runtime code must never panic; only FRAME's expansion of `pallet` (which uses `expect`)
// and the benchmarks are exempt.
#![cfg_attr(
	not(test),
	deny(
		clippy::arithmetic_side_effects,
		clippy::indexing_slicing,
		clippy::unwrap_used,
		clippy::expect_used
	)
)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
#[allow(clippy::expect_used, clippy::unwrap_used, clippy::arithmetic_side_effects)]
pub mod benchmarking;
mod impls;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
mod types;
pub mod weights;

pub use types::*;

#[allow(clippy::expect_used)]
#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use luxtensor_primitives::{
		subnets::{
			HyperparametersUpdate, NetUid, SubnetDescription, SubnetHyperparameters,
			SubnetIdentity, SubnetLink, SubnetName, Uid,
		},
		traits::{HotkeyOwnership, Neurons, OnSubnetDissolved, OnSubnetScheduled},
		Balance, BlockNumber,
	};
	use polkadot_sdk::{
		frame_support::{
			pallet_prelude::*,
			traits::fungible::{Mutate, MutateHold},
		},
		frame_system::pallet_prelude::*,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency subnet locks are held in.
		type Currency: Mutate<Self::AccountId, Balance = Balance>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The runtime's hold reasons, which include this pallet's.
		type RuntimeHoldReason: From<HoldReason>;

		/// Hotkey ownership: a subnet's owner hotkey must belong to its owner.
		type HotkeyOwnership: HotkeyOwnership<Self::AccountId>;

		/// The neurons of subnets: a subnet never shrinks below the neurons it holds.
		type Neurons: Neurons<Self::AccountId>;

		/// Told when a subnet is dissolved, to remove its neurons, weights and pending emission.
		type OnSubnetDissolved: OnSubnetDissolved;

		/// Told when a subnet is registered or its tempo is set: the epoch schedule follows.
		type OnSubnetScheduled: OnSubnetScheduled;

		/// Entries of each per-uid map a dissolved subnet's cleanup removes per block: it
		/// runs in `on_initialize`, so this bounds its share of a block.
		#[pallet::constant]
		type SubnetClearLimit: Get<u32>;

		/// Lowest network lock cost; the cost decays back to it.
		#[pallet::constant]
		type NetworkMinLockCost: Get<Balance>;

		/// Blocks over which the doubled lock cost decays back to the minimum.
		#[pallet::constant]
		type LockReductionInterval: Get<BlockNumber>;

		/// Blocks between two subnet creations, by anyone.
		#[pallet::constant]
		type NetworkRateLimit: Get<BlockNumber>;

		/// Most subnets, the root network not counted.
		#[pallet::constant]
		type SubnetLimit: Get<u16>;

		/// Lowest `min_burn` a subnet owner may set; root may set any.
		#[pallet::constant]
		type OwnerMinBurnFloor: Get<Balance>;

		/// Highest `max_burn` a subnet owner may set; root may set any.
		#[pallet::constant]
		type OwnerMaxBurnCeiling: Get<Balance>;

		/// Most subnets there can be, the root network included: bounds a root weight row.
		#[pallet::constant]
		type MaxSubnets: Get<u32>;

		/// Who may change any hyperparameter and dissolve any subnet (root today; a
		/// governance origin once the chain has one).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Makes root network members for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The lock of a subnet owned by the account, released when the subnet is dissolved.
		#[codec(index = 0)]
		SubnetLock,
	}

	/// The hyperparameters of every existing subnet, root network included: a subnet exists
	/// exactly when it has an entry here.
	#[pallet::storage]
	pub type Hyperparameters<T: Config> =
		StorageMap<_, Twox64Concat, NetUid, SubnetHyperparameters, OptionQuery>;

	/// Owner, owner hotkey, lock and creation block of every subnet but the root network.
	#[pallet::storage]
	pub type Networks<T: Config> =
		StorageMap<_, Twox64Concat, NetUid, SubnetRecord<T::AccountId>, OptionQuery>;

	/// Number of subnets, the root network not counted.
	#[pallet::storage]
	pub type SubnetCount<T: Config> = StorageValue<_, u16, ValueQuery>;

	/// How each subnet presents itself, as set by its owner.
	#[pallet::storage]
	pub type SubnetIdentities<T: Config> =
		StorageMap<_, Twox64Concat, NetUid, SubnetIdentity, OptionQuery>;

	/// The lock of the last subnet created and the block it was created; the lock cost
	/// doubles from it and decays with the blocks since.
	#[pallet::storage]
	pub type LastNetworkLock<T: Config> = StorageValue<_, NetworkLock, OptionQuery>;

	/// Each root network member's weights over subnets, by root uid: `(netuid, weight)`
	/// pairs in netuid order. Root consensus over them splits emission across subnets.
	#[pallet::storage]
	pub type RootWeights<T: Config> =
		StorageMap<_, Twox64Concat, Uid, BoundedVec<(NetUid, u16), T::MaxSubnets>, ValueQuery>;

	/// Dissolved subnets whose per-uid entries other pallets are still removing, a block's
	/// share at a time; their netuids are not reused before.
	#[pallet::storage]
	pub type ClearingSubnets<T: Config> = StorageMap<_, Twox64Concat, NetUid, (), OptionQuery>;

	#[pallet::genesis_config]
	#[derive(polkadot_sdk::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	/// Creates the root network (netuid 0) with [`Pallet::root_defaults`].
	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Hyperparameters::<T>::insert(
				luxtensor_primitives::subnets::ROOT_NETUID,
				Pallet::<T>::root_defaults(),
			);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A subnet was created, locking `lock` from its owner.
		NetworkRegistered {
			netuid: NetUid,
			owner: T::AccountId,
			owner_hotkey: T::AccountId,
			lock: Balance,
		},
		/// A subnet was dissolved: `lock` returned to its owner, `forfeited` burned. Its
		/// neurons and weights are removed over the next blocks (`SubnetCleared`).
		NetworkDissolved { netuid: NetUid, owner: T::AccountId, lock: Balance, forfeited: Balance },
		/// Everything kept for a dissolved subnet is gone: its netuid may be registered again.
		SubnetCleared { netuid: NetUid },
		/// A subnet's hyperparameters changed; these are all of them now.
		HyperparametersSet { netuid: NetUid, hyperparameters: SubnetHyperparameters },
		/// A subnet's identity was set.
		SubnetIdentitySet { netuid: NetUid },
		/// A root network member set its weights over `subnets` subnets.
		RootWeightsSet { uid: Uid, hotkey: T::AccountId, subnets: u32 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No subnet has this netuid.
		SubnetNotFound,
		/// All [`Config::SubnetLimit`] subnets exist.
		SubnetLimitReached,
		/// A subnet was created less than [`Config::NetworkRateLimit`] blocks ago.
		NetworkRateLimited,
		/// The caller's balance cannot cover the network lock cost.
		InsufficientBalanceForLock,
		/// The owner hotkey belongs to another coldkey.
		HotkeyOwnedByAnotherColdkey,
		/// The root network cannot be dissolved.
		CannotDissolveRootNetwork,
		/// Only the subnet's owner (or root) may do this.
		NotSubnetOwner,
		/// The update sets a field only root may set (or lowers `max_allowed_uids` below what
		/// the owner may), or changes the root network.
		RequiresRoot,
		/// The update changes nothing.
		EmptyUpdate,
		/// `tempo` must be within 10..=50,400.
		TempoOutOfBounds,
		/// `max_allowed_uids` must be within 1..=4096 and at least the subnet's neuron count.
		MaxAllowedUidsOutOfBounds,
		/// `max_allowed_validators` must be within 1..=max_allowed_uids and at most 256.
		MaxAllowedValidatorsOutOfBounds,
		/// `immunity_period` must be at most 72,000.
		ImmunityPeriodOutOfBounds,
		/// `activity_cutoff` must be within tempo..=100,000.
		ActivityCutoffOutOfBounds,
		/// `min_allowed_weights` must be at most max_allowed_uids.
		MinAllowedWeightsOutOfBounds,
		/// `max_weight_limit` must be at least 1.
		MaxWeightLimitOutOfBounds,
		/// `weights_rate_limit` must be at most 7200.
		WeightsRateLimitOutOfBounds,
		/// `commit_reveal_period` must be within 1..=100 tempos.
		CommitRevealPeriodOutOfBounds,
		/// `bonds_moving_average` must be at most 999,999.
		BondsMovingAverageOutOfBounds,
		/// `min_burn` must be below max_burn, and for the owner at least the floor.
		MinBurnOutOfBounds,
		/// `max_burn` must be above min_burn, and for the owner at most the ceiling.
		MaxBurnOutOfBounds,
		/// `burn_half_life` must be within 1..=36,000.
		BurnHalfLifeOutOfBounds,
		/// `burn_increase_mult` must be within 1..=3.
		BurnIncreaseMultOutOfBounds,
		/// `serving_rate_limit` must be at most 7200.
		ServingRateLimitOutOfBounds,
		/// `owner_cut` must be at most 50%.
		OwnerCutOutOfBounds,
		/// Only a member of the root network (see `registration.rootRegister`) sets root
		/// weights.
		NotRootMember,
		/// `netuids` and `weights` have different lengths.
		RootWeightsLengthMismatch,
		/// A netuid appears twice.
		DuplicateNetuid,
		/// The root network itself cannot be weighed.
		CannotWeighRootNetwork,
		/// More weights than there can be subnets.
		TooManyRootWeights,
		/// The network lock cost is above the most the caller would lock.
		LockAboveMax,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create a subnet owned by the caller, with `hotkey` as its owner hotkey, locking at
		/// most `max_lock`.
		///
		/// ## Dispatch Origin
		/// Signed by the coldkey that will own the subnet.
		///
		/// ## Details
		/// Takes the lowest free netuid and the default hyperparameters, and holds the current
		/// network lock cost (see the `subnetsApi.networkLockCost` runtime API) from the caller
		/// until the subnet is dissolved; each creation doubles it, so `max_lock` keeps one
		/// placed just before this from raising what it locks. `hotkey` becomes the caller's
		/// if no one owns it yet.
		///
		/// ## Errors
		/// `SubnetLimitReached`, `NetworkRateLimited`, `LockAboveMax`,
		/// `InsufficientBalanceForLock`, `HotkeyOwnedByAnotherColdkey`.
		///
		/// ## Events
		/// `NetworkRegistered`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_network())]
		pub fn register_network(
			origin: OriginFor<T>,
			hotkey: T::AccountId,
			max_lock: Balance,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::do_register_network(coldkey, hotkey, max_lock).map(|_| ())
		}

		/// Remove a subnet, everything other pallets keep for it (neurons, weights, pending
		/// emission, its emission share) and the root members' weights on it, and return its
		/// lock to the owner. A subnet registered later at the same netuid inherits nothing.
		///
		/// The subnet ends at once; its neurons' and weights' entries are removed over the
		/// next blocks, `SubnetClearLimit` per map and block, and its netuid is not reused
		/// until `SubnetCleared`.
		///
		/// An owner dissolving its subnet within `LockReductionInterval` blocks of creating it
		/// forfeits (burns) part of the lock: half at first, falling linearly to none, as the
		/// raise its creation put on the next lock decays. Root dissolving forfeits nothing.
		///
		/// ## Dispatch Origin
		/// Signed by the subnet's owner, or `AdminOrigin` (root or the subnet-admin track).
		///
		/// ## Errors
		/// `SubnetNotFound`, `CannotDissolveRootNetwork`, `NotSubnetOwner`.
		///
		/// ## Events
		/// `NetworkDissolved`.
		#[pallet::call_index(1)]
		#[pallet::weight(
			T::WeightInfo::dissolve_network(Pallet::<T>::root_weight_rows())
				.saturating_add(T::OnSubnetDissolved::weight(*netuid))
		)]
		pub fn dissolve_network(
			origin: OriginFor<T>,
			netuid: NetUid,
		) -> DispatchResultWithPostInfo {
			let caller = Self::admin_or_signed(origin)?;
			let rows = Self::root_weight_rows();
			let hooks_weight = Self::do_dissolve_network(netuid, caller.as_ref())?;
			// The hooks are counted on top of the benchmark, as declared: it runs the runtime's
			// own, and another runtime may wire heavier ones.
			let used = T::WeightInfo::dissolve_network(rows).saturating_add(hooks_weight);
			Ok(Some(used).into())
		}

		/// Change some hyperparameters of a subnet: the fields of `update` that are set.
		///
		/// ## Dispatch Origin
		/// `AdminOrigin` (root or the subnet-admin track) for any field; the subnet's owner for
		/// `immunity_period`, `activity_cutoff`, `min_allowed_weights`, `max_weight_limit`,
		/// `weights_rate_limit`, `weights_version_key`, `commit_reveal_enabled`,
		/// `commit_reveal_period`, `bonds_moving_average`, `min_burn`/`max_burn` (within the
		/// owner floor and ceiling), `burn_half_life`, `burn_increase_mult`,
		/// `registration_allowed`, `serving_rate_limit`, and to lower `max_allowed_uids`. Only
		/// `AdminOrigin` changes the root network.
		///
		/// ## Details
		/// Bounds: tempo 10..=50,400; max_allowed_uids 1..=4096 and at least the neuron count;
		/// max_allowed_validators 1..=max_allowed_uids, ..=256; immunity_period ..=72,000;
		/// activity_cutoff tempo..=100,000; min_allowed_weights ..=max_allowed_uids;
		/// max_weight_limit 1..; weights_rate_limit 1..=7200; commit_reveal_period 1..=100;
		/// bonds_moving_average ..=999,999; min_burn < max_burn; burn_half_life 1..=36,000;
		/// burn_increase_mult 1..=3; serving_rate_limit 1..=7200; owner_cut ..=50%;
		/// compute_incentive_share any. The update applies whole or not at all.
		///
		/// ## Errors
		/// `SubnetNotFound`, `NotSubnetOwner`, `RequiresRoot`, `EmptyUpdate`, and the
		/// `<Field>OutOfBounds` error of the first field out of bounds.
		///
		/// ## Events
		/// `HyperparametersSet` with all the subnet's hyperparameters.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_hyperparameters())]
		pub fn set_hyperparameters(
			origin: OriginFor<T>,
			netuid: NetUid,
			update: HyperparametersUpdate,
		) -> DispatchResult {
			let caller = Self::admin_or_signed(origin)?;
			Self::do_set_hyperparameters(netuid, caller.as_ref(), update)
		}

		/// Set how a subnet presents itself (UTF-8 expected).
		///
		/// ## Dispatch Origin
		/// Signed by the subnet's owner.
		///
		/// ## Details
		/// `name` up to 64 bytes, `repo`, `contact` and `url` up to 256, `description` up to
		/// 1024.
		///
		/// ## Errors
		/// `SubnetNotFound`, `NotSubnetOwner`.
		///
		/// ## Events
		/// `SubnetIdentitySet`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_subnet_identity())]
		pub fn set_subnet_identity(
			origin: OriginFor<T>,
			netuid: NetUid,
			name: SubnetName,
			repo: SubnetLink,
			contact: SubnetLink,
			url: SubnetLink,
			description: SubnetDescription,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::ensure_owner(netuid, &coldkey)?;
			SubnetIdentities::<T>::insert(
				netuid,
				SubnetIdentity { name, repo, contact, url, description },
			);
			Self::deposit_event(Event::SubnetIdentitySet { netuid });
			Ok(())
		}

		/// Set this root member's weights over subnets, which decide their emission shares.
		///
		/// ## Dispatch Origin
		/// Signed by a hotkey that is a member of the root network.
		///
		/// ## Details
		/// `weights[k]` is the weight of `netuids[k]`; only proportions matter. Every root
		/// tempo, the stake-weighted consensus of the members' weights (Yuma, without bonds)
		/// becomes each subnet's share of the subnets' emission. The row replaces the
		/// member's previous one; an empty row withdraws it.
		///
		/// ## Errors
		/// `NotRootMember`, `RootWeightsLengthMismatch`, `TooManyRootWeights`,
		/// `DuplicateNetuid`, `CannotWeighRootNetwork`, `SubnetNotFound`.
		///
		/// ## Events
		/// `RootWeightsSet`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_root_weights(
			u32::try_from(netuids.len()).unwrap_or(u32::MAX).min(T::MaxSubnets::get())
		))]
		pub fn set_root_weights(
			origin: OriginFor<T>,
			netuids: Vec<NetUid>,
			weights: Vec<u16>,
		) -> DispatchResult {
			let hotkey = ensure_signed(origin)?;
			Self::do_set_root_weights(hotkey, netuids, weights)
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Removes a share of a dissolved subnet's per-uid entries.
		fn on_initialize(_: BlockNumberFor<T>) -> Weight {
			Self::clear_dissolved_subnet()
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}
