//! # Emission
//!
//! Mints MDT and pays it to the network: block emission on a halving curve, its split across
//! subnets, each subnet's epoch schedule, and stake (the currency of every payout).
//!
//! ## Pallet API
//!
//! - [`Pallet::add_stake`], [`Pallet::remove_stake`], [`Pallet::move_stake`]: a coldkey
//!   stakes on a hotkey (its own, or a delegate's), takes stake back, or moves it.
//! - [`Pallet::decrease_take`], [`Pallet::increase_take`]: a hotkey's owner sets the share of
//!   its dividends it keeps before its nominators are paid.
//!
//! Other pallets read stake through [`luxtensor_primitives::traits::StakeInfo`]; NPoS staking
//! collects its era payout with [`Pallet::take_npos_payout`].
//!
//! ## Each block
//!
//! 1. The block's emission is [`Config::BlockEmission`], halved each time the MDT issued
//!    (total issuance plus what is accrued but not yet minted) crosses half of what remains
//!    below [`Config::MaxSupply`]: 10.5M, 15.75M, 18.375M ... MDT, and never past the cap.
//! 2. [`Config::NposShare`] of it accrues to the NPoS validators' era payout; the rest is
//!    split across subnets (all but the root network) by [`SubnetShares`], or equally while
//!    there are none, and added to each subnet's pending emission. Every root tempo the
//!    root network's epoch renews the shares: Yuma's stake-weighted consensus (without
//!    bonds) over the weights its members set on subnets.
//! 3. Every subnet whose tempo has passed since its last epoch has its epoch, oldest deferred
//!    first, as long as [`Config::EpochWeightBudget`] allows; the others are deferred to the
//!    next block ([`Event::EpochDeferred`]). An epoch drains the subnet's pending emission,
//!    pays the owner's cut, runs Yuma ([`luxtensor_primitives::traits::Epoch`]) on the rest
//!    and pays what it decided (see below). What nobody could be paid stays pending.
//!
//! Emission is minted only when paid, so issuance grows with payouts and the accrued rest
//! counts towards the halving and the cap.
//!
//! ## Stake
//!
//! Stake is held per (hotkey, coldkey) in a share pool per hotkey: a coldkey owns shares of
//! the hotkey's pool, and the pool's stake is what counts for the hotkey in every subnet it
//! is registered on. Rewards paid into the pool raise the value of every share, so paying a
//! validator's nominators never loops over them. Shares are kept by the pool's id, not its
//! hotkey, so when registration swaps a hotkey the pool (stake, stakers and take) follows
//! it in constant time ([`OnHotkeySwapped`]).
//!
//! Staked MDT moves to this pallet's account ([`Config::PalletId`]) rather than being held on
//! the coldkey's: a hold has a fixed amount on one account, while pool rewards must grow the
//! stake of every nominator at once without touching their accounts. The account keeps an
//! existential deposit of its own so it never dies.
//!
//! At an epoch the owner's cut is staked on the subnet's owner hotkey for the owner, a
//! miner's incentive is staked on its hotkey for its coldkey, and a validator's dividends
//! pay its take as stake for the hotkey's owner and grow its pool with the rest.

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
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
#[allow(clippy::expect_used, clippy::unwrap_used, clippy::arithmetic_side_effects)]
pub mod benchmarking;
mod impls;
pub mod issuance;
#[cfg(test)]
mod mock;
mod stake;
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
		subnets::NetUid,
		traits::{Epoch, HotkeyOwnership, Neurons, RootWeights, SubnetsInfo},
		Balance, BlockNumber,
	};
	use polkadot_sdk::{
		frame_support::{pallet_prelude::*, traits::fungible::Mutate, PalletId},
		frame_system::pallet_prelude::*,
		sp_runtime::Perbill,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency emission is minted in and stake is paid in.
		type Currency: Mutate<Self::AccountId, Balance = Balance>;

		/// The subnets, their hyperparameters and owners.
		type Subnets: SubnetsInfo<Self::AccountId>;

		/// The neurons of each subnet.
		type Neurons: Neurons<Self::AccountId>;

		/// Which coldkey owns each hotkey.
		type HotkeyOwnership: HotkeyOwnership<Self::AccountId>;

		/// Runs a subnet's Yuma epoch and says what each uid earned.
		type Epoch: Epoch;

		/// The root network members' weights over subnets.
		type RootWeights: RootWeights;

		/// Derives the account holding all stake.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Emission of one block before any halving.
		#[pallet::constant]
		type BlockEmission: Get<Balance>;

		/// The most MDT that will ever exist.
		#[pallet::constant]
		type MaxSupply: Get<Balance>;

		/// Share of each block's emission that accrues to the NPoS validators' era payout.
		#[pallet::constant]
		type NposShare: Get<Perbill>;

		/// Least stake added, removed or moved at once.
		#[pallet::constant]
		type MinStake: Get<Balance>;

		/// The take of a hotkey whose owner never set one, and the highest take there is.
		#[pallet::constant]
		type DefaultTake: Get<Perbill>;

		/// Blocks between two take increases of one hotkey.
		#[pallet::constant]
		type TakeIncreaseInterval: Get<BlockNumber>;

		/// Most weight a block spends on epochs; due epochs past it wait for the next block.
		#[pallet::constant]
		type EpochWeightBudget: Get<Weight>;

		/// Most subnets there can be, the root network included.
		#[pallet::constant]
		type MaxSubnets: Get<u32>;

		/// Weights of this pallet's calls and block work, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Creates subnets and neurons for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	/// Emission accrued by each subnet since its last epoch, not yet minted.
	#[pallet::storage]
	pub type PendingEmission<T: Config> = StorageMap<_, Twox64Concat, NetUid, Balance, ValueQuery>;

	/// The block of each subnet's last epoch (or of the block emission first saw it).
	#[pallet::storage]
	pub type LastEpochBlock<T: Config> =
		StorageMap<_, Twox64Concat, NetUid, BlockNumber, OptionQuery>;

	/// Subnets whose due epoch did not fit in the last block's budget; they run first.
	#[pallet::storage]
	pub type DeferredEpochs<T: Config> =
		StorageValue<_, BoundedVec<NetUid, T::MaxSubnets>, ValueQuery>;

	/// Each subnet's share of the subnets' emission, from the last root epoch: `(netuid,
	/// share)` in netuid order, shares out of 2^32. Empty: equal shares.
	#[pallet::storage]
	pub type SubnetShares<T: Config> =
		StorageValue<_, BoundedVec<(NetUid, u64), T::MaxSubnets>, ValueQuery>;

	/// The block of the root network's last epoch.
	#[pallet::storage]
	pub type LastRootEpochBlock<T: Config> = StorageValue<_, BlockNumber, OptionQuery>;

	/// Emission accrued for the NPoS validators since the last era payout, not yet minted.
	#[pallet::storage]
	pub type NposPayoutAccrued<T: Config> = StorageValue<_, Balance, ValueQuery>;

	/// Each hotkey's stake pool: its id, the stake it counts and the shares its stakers own.
	#[pallet::storage]
	pub type Pools<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, StakePool>;

	/// The hotkey of each pool. Shares are kept by pool id rather than by hotkey so that a
	/// hotkey swap moves a pool, whatever its number of stakers, in constant time.
	#[pallet::storage]
	pub type PoolHotkeys<T: Config> = StorageMap<_, Twox64Concat, PoolId, T::AccountId>;

	/// The id the next new pool gets; ids are never reused.
	#[pallet::storage]
	pub type NextPoolId<T: Config> = StorageValue<_, PoolId, ValueQuery>;

	/// The shares each coldkey owns in each pool, by pool id then coldkey.
	#[pallet::storage]
	pub type Shares<T: Config> =
		StorageDoubleMap<_, Twox64Concat, PoolId, Blake2_128Concat, T::AccountId, Share>;

	/// The pools each coldkey has shares in (an index of [`Shares`] by coldkey).
	#[pallet::storage]
	pub type StakedPools<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, PoolId, ()>;

	/// All stake: the sum of every pool's stake, held by this pallet's account.
	#[pallet::storage]
	pub type TotalStake<T: Config> = StorageValue<_, Balance, ValueQuery>;

	/// Each hotkey's take, where its owner set one; otherwise [`Config::DefaultTake`].
	#[pallet::storage]
	pub type Takes<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Perbill>;

	/// The block of each hotkey's last take increase.
	#[pallet::storage]
	pub type LastTakeIncrease<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, BlockNumber>;

	#[pallet::genesis_config]
	#[derive(polkadot_sdk::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		/// Gives the stake account its own existential deposit.
		fn build(&self) {
			Pallet::<T>::endow_stake_account();
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `coldkey` staked `amount` on `hotkey`.
		StakeAdded { coldkey: T::AccountId, hotkey: T::AccountId, amount: Balance },
		/// `coldkey` took `amount` of its stake on `hotkey` back.
		StakeRemoved { coldkey: T::AccountId, hotkey: T::AccountId, amount: Balance },
		/// `coldkey` moved `amount` of stake from one hotkey to another.
		StakeMoved {
			coldkey: T::AccountId,
			from_hotkey: T::AccountId,
			to_hotkey: T::AccountId,
			amount: Balance,
		},
		/// A hotkey's take changed.
		TakeSet { hotkey: T::AccountId, take: Perbill },
		/// A subnet's epoch paid: `drained` pending emission went to the owner's cut,
		/// incentive and dividends; `carried` could not be paid and stays pending.
		EpochPaid {
			netuid: NetUid,
			drained: Balance,
			owner_cut: Balance,
			incentive: Balance,
			dividends: Balance,
			carried: Balance,
		},
		/// A due epoch did not fit in this block's epoch budget: it runs first next block.
		EpochDeferred { netuid: NetUid },
		/// The root network's epoch set the subnets' emission shares (out of 2^32); none
		/// means equal shares.
		SubnetSharesSet { shares: Vec<(NetUid, u64)> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// Less than the minimum stake per operation (and not all of the stake).
		AmountBelowMinimum,
		/// The hotkey has never registered, so nobody owns it.
		HotkeyNotRegistered,
		/// The coldkey cannot pay this and keep its account alive.
		InsufficientBalance,
		/// The coldkey has less stake than this on the hotkey.
		InsufficientStake,
		/// Moving stake needs two different hotkeys.
		SameHotkey,
		/// Only the coldkey owning the hotkey may do this.
		NotHotkeyOwner,
		/// A decrease must set a lower take.
		TakeNotLower,
		/// An increase must set a higher take.
		TakeNotHigher,
		/// The take exceeds the highest take there is.
		TakeTooHigh,
		/// The hotkey's take was raised less than `TakeIncreaseInterval` blocks ago.
		TakeIncreaseRateLimited,
		/// Too much stake to account for (never reached below the supply cap).
		Overflow,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Stake `amount` of the caller's MDT on `hotkey`.
		///
		/// ## Dispatch Origin
		/// Signed by the staking coldkey: the hotkey's owner, or any nominator.
		///
		/// ## Details
		/// The MDT moves to the stake account and buys shares of the hotkey's pool at their
		/// current value. At least `MinStake`; the caller's account must stay alive.
		///
		/// ## Errors
		/// `AmountBelowMinimum`, `HotkeyNotRegistered`, `InsufficientBalance`.
		///
		/// ## Events
		/// `StakeAdded`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_stake())]
		pub fn add_stake(
			origin: OriginFor<T>,
			hotkey: T::AccountId,
			amount: Balance,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::do_add_stake(coldkey, hotkey, amount)
		}

		/// Take `amount` of the caller's stake on `hotkey` back to its free balance.
		///
		/// ## Dispatch Origin
		/// Signed by the staking coldkey.
		///
		/// ## Details
		/// At least `MinStake`, or all of it; if less than `MinStake` would remain, all of it
		/// is removed.
		///
		/// ## Errors
		/// `AmountBelowMinimum`, `InsufficientStake`.
		///
		/// ## Events
		/// `StakeRemoved`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_stake())]
		pub fn remove_stake(
			origin: OriginFor<T>,
			hotkey: T::AccountId,
			amount: Balance,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::do_remove_stake(coldkey, hotkey, amount)
		}

		/// Move `amount` of the caller's stake from `from_hotkey` to `to_hotkey`.
		///
		/// ## Dispatch Origin
		/// Signed by the staking coldkey.
		///
		/// ## Details
		/// No MDT leaves the stake account. Amount rules as `remove_stake`.
		///
		/// ## Errors
		/// `SameHotkey`, `HotkeyNotRegistered`, `AmountBelowMinimum`, `InsufficientStake`.
		///
		/// ## Events
		/// `StakeMoved`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::move_stake())]
		pub fn move_stake(
			origin: OriginFor<T>,
			from_hotkey: T::AccountId,
			to_hotkey: T::AccountId,
			amount: Balance,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::do_move_stake(coldkey, from_hotkey, to_hotkey, amount)
		}

		/// Lower the share of `hotkey`'s dividends its owner keeps.
		///
		/// ## Dispatch Origin
		/// Signed by the coldkey owning `hotkey`.
		///
		/// ## Details
		/// Allowed at any time; takes effect from the next epoch.
		///
		/// ## Errors
		/// `NotHotkeyOwner`, `TakeNotLower`.
		///
		/// ## Events
		/// `TakeSet`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::decrease_take())]
		pub fn decrease_take(
			origin: OriginFor<T>,
			hotkey: T::AccountId,
			take: Perbill,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::do_set_take(coldkey, hotkey, take, TakeChange::Decrease)
		}

		/// Raise the share of `hotkey`'s dividends its owner keeps.
		///
		/// ## Dispatch Origin
		/// Signed by the coldkey owning `hotkey`.
		///
		/// ## Details
		/// At most `DefaultTake`, and once per `TakeIncreaseInterval` blocks, so nominators
		/// have time to leave a delegate that raises its take.
		///
		/// ## Errors
		/// `NotHotkeyOwner`, `TakeNotHigher`, `TakeTooHigh`, `TakeIncreaseRateLimited`.
		///
		/// ## Events
		/// `TakeSet`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::increase_take())]
		pub fn increase_take(
			origin: OriginFor<T>,
			hotkey: T::AccountId,
			take: Perbill,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::do_set_take(coldkey, hotkey, take, TakeChange::Increase)
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Mints nothing yet: accrues the block's emission, then runs the epochs due.
		fn on_initialize(_: BlockNumberFor<T>) -> Weight {
			Self::on_block()
		}

		fn integrity_test() {
			assert!(
				T::DefaultTake::get() < Perbill::one(),
				"a take of 100% would leave nominators nothing"
			);
			assert!(T::MinStake::get() > 0, "a zero minimum stake lets dust fill storage");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}
