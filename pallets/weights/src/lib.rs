//! # Weights
//!
//! Validators' weights over their subnet's neurons, and the Yuma consensus epoch that turns
//! them into incentive, dividends and an emission split.
//!
//! ## Pallet API
//!
//! - [`Pallet::set_weights`]: a validator sets its weights in the open (subnets with
//!   commit-reveal off).
//! - [`Pallet::commit_weights`] and [`Pallet::reveal_weights`]: a validator commits to a
//!   hash of its weights, then reveals them `commit_reveal_period` tempos later, so nobody
//!   can copy weights from the chain before they count.
//! - [`Pallet::force_epoch`]: root runs a subnet's epoch now (tests and operations).
//!
//! All three weight calls are fee-free; [`CheckWeights`] runs their checks when a
//! transaction enters the pool, so invalid or rate-limited ones never reach a block.
//!
//! The epoch scheduler calls [`luxtensor_primitives::traits::Epoch::run`]; registration
//! reads the results through [`luxtensor_primitives::traits::EpochResults`] and starts a
//! uid afresh through [`luxtensor_primitives::traits::OnNeuronRegistered`].
//!
//! ## Storage layout
//!
//! What extrinsics write is per uid (a weight row, its last update, its commits), so
//! setting weights touches one row. What the epoch writes is per subnet (one vector per
//! output, indexed by uid), so an epoch writes a handful of values, not n.

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

pub use extension::CheckWeights;
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
#[allow(clippy::expect_used, clippy::unwrap_used, clippy::arithmetic_side_effects)]
pub mod benchmarking;
pub mod compute;
mod extension;
mod impls;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
mod types;
pub mod weights;

#[allow(clippy::expect_used)]
#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use luxtensor_primitives::{
		subnets::{NetUid, Uid},
		traits::{ComputeScores, Epoch, Neurons, StakeInfo, SubnetsInfo},
		Balance, BlockNumber,
	};
	use polkadot_sdk::{
		frame_support::pallet_prelude::*, frame_system::pallet_prelude::*, sp_core::H256,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The subnets and their hyperparameters.
		type Subnets: SubnetsInfo<Self::AccountId>;

		/// The neurons of each subnet.
		type Neurons: Neurons<Self::AccountId>;

		/// The stake behind each hotkey.
		type Stake: StakeInfo<Self::AccountId>;

		/// The verified compute work of compute subnets, which pays part of their miners'
		/// incentive.
		type ComputeScores: ComputeScores;

		/// Most uids any subnet may hold: bounds weight rows and output vectors.
		#[pallet::constant]
		type MaxAllowedUids: Get<u32>;

		/// Most unrevealed commits a neuron may hold.
		#[pallet::constant]
		type MaxUnrevealedCommits: Get<u32>;

		/// Longest salt a reveal may carry.
		#[pallet::constant]
		type MaxSaltLength: Get<u32>;

		/// Who may run an epoch out of schedule (root today; a governance origin once the
		/// chain has one).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Weights of this pallet's calls and of the epoch, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Creates subnets and neurons for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	/// Each neuron's weights: `(uid, weight)` by uid, zeros omitted, the largest 65535.
	#[pallet::storage]
	pub type Weights<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		NetUid,
		Twox64Concat,
		Uid,
		WeightRow<T::MaxAllowedUids>,
		ValueQuery,
	>;

	/// Each validator's bonds: `(uid, bond)` by uid, each column's largest 65535.
	#[pallet::storage]
	pub type Bonds<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		NetUid,
		Twox64Concat,
		Uid,
		WeightRow<T::MaxAllowedUids>,
		ValueQuery,
	>;

	/// Stored weight and bond entries per subnet, which the epoch's weight grows with.
	#[pallet::storage]
	pub type EntryCounts<T: Config> = StorageMap<_, Twox64Concat, NetUid, EntryCount, ValueQuery>;

	/// The block of each neuron's last accepted weights, by uid (0, or no entry past the end:
	/// never). One value per subnet, so that the epoch reads them all at once.
	#[pallet::storage]
	pub type LastUpdates<T: Config> =
		StorageMap<_, Twox64Concat, NetUid, LastUpdateBlocks<T::MaxAllowedUids>, ValueQuery>;

	/// Each neuron's unrevealed weight commits, oldest first.
	#[pallet::storage]
	pub type WeightCommits<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Twox64Concat, Uid, Commits<T>, ValueQuery>;

	/// The last epoch's outputs per subnet, one entry per uid (`0..n`).
	#[pallet::storage]
	pub type EpochOutputs<T: Config> =
		StorageMap<_, Twox64Concat, NetUid, SubnetOutputs<T::MaxAllowedUids>, ValueQuery>;

	/// The block of each subnet's last epoch.
	#[pallet::storage]
	pub type LastEpochBlock<T: Config> =
		StorageMap<_, Twox64Concat, NetUid, BlockNumber, OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A neuron's weights were set (directly or by a reveal) and count from now.
		WeightsSet { netuid: NetUid, uid: Uid, entries: u32 },
		/// A neuron committed to weights it will reveal later.
		WeightsCommitted { netuid: NetUid, uid: Uid, commit_hash: H256 },
		/// A subnet's epoch ran: `emission` was split, `unpaid` of it could not be paid.
		EpochRun { netuid: NetUid, emission: Balance, unpaid: Balance },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No subnet has this netuid.
		SubnetNotFound,
		/// The signing hotkey is not registered in this subnet.
		NotRegistered,
		/// The subnet uses commit-reveal: commit and reveal instead.
		CommitRevealEnabled,
		/// The subnet does not use commit-reveal: set weights directly.
		CommitRevealDisabled,
		/// `uids` and `values` have different lengths.
		LengthMismatch,
		/// A uid appears twice.
		DuplicateUid,
		/// A uid is not one of the subnet's (`>= n`).
		UidOutOfRange,
		/// Fewer nonzero weights than the subnet's `min_allowed_weights`.
		TooFewWeights,
		/// A normalized weight exceeds the subnet's `max_weight_limit`.
		MaxWeightExceeded,
		/// The version key is below the subnet's `weights_version_key`: update the validator.
		OutdatedVersionKey,
		/// The hotkey holds no validator permit.
		NoValidatorPermit,
		/// The hotkey's stake is below the subnet's `min_stake_to_set_weights`.
		StakeBelowMinimum,
		/// `weights_rate_limit` blocks have not passed since the last weights or commit.
		WeightsRateLimited,
		/// The neuron already holds `MaxUnrevealedCommits` unrevealed commits.
		TooManyUnrevealedCommits,
		/// No unrevealed commit matches the hash of this reveal.
		NoMatchingCommit,
		/// The commit's reveal window has not opened yet.
		RevealTooEarly,
		/// The commit's reveal window has passed.
		CommitExpired,
		/// The salt is longer than `MaxSaltLength`.
		SaltTooLong,
		/// More weights than the subnet has uids: some would repeat or be unknown.
		TooManyWeights,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Set this validator's weights over the subnet's neurons.
		///
		/// ## Dispatch Origin
		/// Signed by a hotkey registered in the subnet. Free of fees.
		///
		/// ## Details
		/// `dests` are uids, `weights` their relative weights (any scale; stored max-upscaled
		/// to u16). Requires commit-reveal off, a validator permit, the subnet's minimum stake,
		/// `version_key >= weights_version_key`, at least `min_allowed_weights` nonzero
		/// weights (or all neurons), no normalized weight above `max_weight_limit`, and
		/// `weights_rate_limit` blocks since the last weights.
		///
		/// ## Errors
		/// `SubnetNotFound`, `NotRegistered`, `CommitRevealEnabled`, `LengthMismatch`,
		/// `TooManyWeights`, `DuplicateUid`, `UidOutOfRange`, `TooFewWeights`,
		/// `MaxWeightExceeded`, `OutdatedVersionKey`, `NoValidatorPermit`, `StakeBelowMinimum`,
		/// `WeightsRateLimited`.
		///
		/// ## Events
		/// `WeightsSet`.
		#[pallet::call_index(0)]
		#[pallet::weight((
			T::WeightInfo::set_weights(dests.len().try_into().unwrap_or(u32::MAX)),
			DispatchClass::Normal,
			Pays::No
		))]
		pub fn set_weights(
			origin: OriginFor<T>,
			netuid: NetUid,
			dests: Vec<Uid>,
			weights: Vec<u16>,
			version_key: u64,
		) -> DispatchResult {
			let hotkey = ensure_signed(origin)?;
			let (uid, row) =
				Self::check_set_weights(netuid, &hotkey, &dests, &weights, version_key)?;
			Self::store_weights(netuid, uid, row);
			Ok(())
		}

		/// Commit to weights without showing them: `commit_hash` is
		/// `blake2_256(SCALE((hotkey, netuid, uids, values, salt, version_key)))`.
		///
		/// ## Dispatch Origin
		/// Signed by a hotkey registered in the subnet. Free of fees.
		///
		/// ## Details
		/// Reveal with `reveal_weights` during the tempo window `commit_reveal_period`
		/// windows after this one (window k: blocks `[k·tempo, (k+1)·tempo)`). Requires
		/// commit-reveal on, a validator permit, the minimum stake, fewer than
		/// `MaxUnrevealedCommits` live commits, and `weights_rate_limit` blocks since the
		/// last commit. Expired commits are dropped.
		///
		/// ## Errors
		/// `SubnetNotFound`, `NotRegistered`, `CommitRevealDisabled`, `NoValidatorPermit`,
		/// `StakeBelowMinimum`, `WeightsRateLimited`, `TooManyUnrevealedCommits`.
		///
		/// ## Events
		/// `WeightsCommitted`.
		#[pallet::call_index(1)]
		#[pallet::weight((T::WeightInfo::commit_weights(), DispatchClass::Normal, Pays::No))]
		pub fn commit_weights(
			origin: OriginFor<T>,
			netuid: NetUid,
			commit_hash: H256,
		) -> DispatchResult {
			let hotkey = ensure_signed(origin)?;
			let (uid, commits) = Self::check_commit(netuid, &hotkey)?;
			Self::store_commit(netuid, uid, hotkey, commits, commit_hash)
		}

		/// Reveal weights committed earlier; they count from now.
		///
		/// ## Dispatch Origin
		/// Signed by the hotkey that committed. Free of fees.
		///
		/// ## Details
		/// The hash of the arguments must match an unrevealed commit whose reveal window is
		/// now. The weights are checked as by `set_weights` (except its rate limit), and
		/// entries for neurons registered after the commit block are dropped, so nobody
		/// inherits weights by taking a uid.
		///
		/// ## Errors
		/// `SubnetNotFound`, `NotRegistered`, `CommitRevealDisabled`, `SaltTooLong`,
		/// `LengthMismatch`, `TooManyWeights` (both before hashing), `NoMatchingCommit`,
		/// `RevealTooEarly`, `CommitExpired`, and those of `set_weights`.
		///
		/// ## Events
		/// `WeightsSet`.
		#[pallet::call_index(2)]
		#[pallet::weight((
			T::WeightInfo::reveal_weights(uids.len().try_into().unwrap_or(u32::MAX)),
			DispatchClass::Normal,
			Pays::No
		))]
		pub fn reveal_weights(
			origin: OriginFor<T>,
			netuid: NetUid,
			uids: Vec<Uid>,
			values: Vec<u16>,
			salt: Vec<u16>,
			version_key: u64,
		) -> DispatchResult {
			let hotkey = ensure_signed(origin)?;
			let reveal = Self::check_reveal(netuid, &hotkey, &uids, &values, &salt, version_key)?;
			Self::apply_reveal(netuid, reveal);
			Ok(())
		}

		/// Run a subnet's epoch now, splitting a notional `emission`.
		///
		/// ## Dispatch Origin
		/// `AdminOrigin` (root or the subnet-admin track).
		///
		/// ## Details
		/// Stores the epoch's outputs (permits, incentive, dividends, bonds, emission split)
		/// as the scheduled epoch would, and its block as the subnet's last epoch, so the next
		/// scheduled one comes a tempo later. Nothing is minted or paid: paying is the
		/// emission pallet's job. For tests and for operators recovering a subnet.
		///
		/// ## Errors
		/// `SubnetNotFound`.
		///
		/// ## Events
		/// `EpochRun`.
		#[pallet::call_index(3)]
		#[pallet::weight((
			<Pallet<T> as Epoch<T::AccountId>>::weight(*netuid),
			DispatchClass::Operational,
		))]
		pub fn force_epoch(
			origin: OriginFor<T>,
			netuid: NetUid,
			emission: Balance,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(T::Subnets::exists(netuid), Error::<T>::SubnetNotFound);
			<Self as Epoch<T::AccountId>>::run(netuid, emission);
			Ok(())
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::MaxAllowedUids::get()
					>= u32::from(luxtensor_primitives::subnets::MAX_SUBNET_UIDS),
				"room for the largest subnet there can be"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}
