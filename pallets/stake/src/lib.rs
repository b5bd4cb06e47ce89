//! # Stake
//!
//! Stake and delegation: the MDT behind each hotkey, owned by coldkeys in a share pool per
//! hotkey, and the take a hotkey's owner keeps of its dividends.
//!
//! ## Pallet API
//!
//! - [`Pallet::add_stake`], [`Pallet::remove_stake`], [`Pallet::move_stake`]: a coldkey
//!   stakes on a hotkey (its own, or a delegate's), takes stake back, or moves it.
//! - [`Pallet::decrease_take`], [`Pallet::increase_take`]: a hotkey's owner sets the share of
//!   its dividends it keeps before its nominators are paid.
//!
//! Other pallets read stake through [`luxtensor_primitives::traits::StakeInfo`]; emission
//! pays epochs into stake through [`luxtensor_primitives::traits::StakeRewards`]; a hotkey
//! swap moves its pool ([`luxtensor_primitives::traits::OnHotkeySwapped`]).
//!
//! ## Pools
//!
//! A coldkey owns shares of a hotkey's pool, and the pool's stake is what counts for the
//! hotkey in every subnet it is registered on. Rewards paid into the pool raise the value of
//! every share, so paying a validator's nominators never loops over them; what the hotkey
//! earns for its owner buys shares kept in the pool record itself, so an epoch pays each
//! hotkey with one write. Shares are kept by
//! the pool's id, not its hotkey, so a hotkey swap moves a pool, whatever its number of
//! stakers, in constant time.
//!
//! Staked MDT moves to this pallet's account ([`Config::PalletId`]) rather than being held on
//! the coldkey's: a hold has a fixed amount on one account, while pool rewards must grow the
//! stake of every nominator at once without touching their accounts. The account keeps an
//! existential deposit of its own so it never dies.
//!
//! ## Stake must stay to earn and to count
//!
//! Epochs fall on predictable blocks. So that stake added just before one and removed just
//! after earns nothing it did not wait for, and counts for nothing it did not hold:
//!
//! - A validator's dividends are released into its pool linearly over the tempo of the
//!   subnet that paid them ([`StakePool`]), evaluated lazily when the pool is read or
//!   changed. A staker's earnings from a pool are its share of what is released while it
//!   holds its shares: proportional to its stake times the blocks it stayed, whatever its
//!   timing against the epochs of the (possibly several, staggered) subnets paying the pool.
//! - [`StakeInfo::held_stake_of`] is the least stake a hotkey had over its last full holding
//!   period ([`Config::HoldingPeriod`]) and the current one: root membership and the root
//!   network's consensus weigh it, so stake held for a few blocks wins neither. (Subnet
//!   epochs weigh the lesser of a uid's stake at its previous epoch and now; pallet-weights
//!   keeps that record.)
//!
//! [`StakeInfo::held_stake_of`]: luxtensor_primitives::traits::StakeInfo::held_stake_of

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
pub use pool::{PoolId, Share, StakePool};
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
#[allow(clippy::expect_used, clippy::unwrap_used, clippy::arithmetic_side_effects)]
pub mod benchmarking;
mod impls;
pub mod migrations;
#[cfg(test)]
mod mock;
mod pool;
#[cfg(test)]
mod tests;
pub mod weights;

/// Which way a take may change.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TakeChange {
	Decrease,
	Increase,
}

#[allow(clippy::expect_used)]
#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use luxtensor_primitives::{
		traits::{ColdkeySwapStatus, HotkeyOwnership},
		Balance, BlockNumber,
	};
	use polkadot_sdk::{
		frame_support::{pallet_prelude::*, traits::fungible::Mutate, PalletId},
		frame_system::pallet_prelude::*,
		sp_runtime::Perbill,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency staked.
		type Currency: Mutate<Self::AccountId, Balance = Balance>;

		/// Which coldkey owns each hotkey.
		type HotkeyOwnership: HotkeyOwnership<Self::AccountId>;

		/// Derives the account holding all stake.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Least stake added, removed or moved at once.
		#[pallet::constant]
		type MinStake: Get<Balance>;

		/// The take of a hotkey whose owner never set one, and the highest take there is.
		#[pallet::constant]
		type DefaultTake: Get<Perbill>;

		/// Blocks between two take increases of one hotkey.
		#[pallet::constant]
		type TakeIncreaseInterval: Get<BlockNumber>;

		/// Blocks between announcing a take increase and its taking effect: nominators see it
		/// coming and may leave first.
		#[pallet::constant]
		type TakeIncreaseDelay: Get<BlockNumber>;

		/// Blocks of a holding period: stake counts as held once it stayed through a whole
		/// one (so for between one and two periods).
		#[pallet::constant]
		type HoldingPeriod: Get<BlockNumber>;

		/// Which coldkeys have a swap scheduled: they cannot remove stake until it applies.
		type ColdkeySwaps: ColdkeySwapStatus<Self::AccountId>;

		/// Most hotkeys a coldkey may stake on by `add_stake` and `move_stake` (positions from
		/// before storage version 1, when rewards on the hotkeys it owned made positions too,
		/// may add as many again), so a coldkey swap moving them all stays within a block.
		#[pallet::constant]
		type MaxPositions: Get<u32>;

		/// Weights of this pallet's calls and hooks, from its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Each hotkey's stake pool: its id, its stake and dividends still to release, the
	/// shares its stakers own, and its holding record.
	#[pallet::storage]
	pub type Pools<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, StakePool>;

	/// The hotkey of each pool with share entries. Shares are kept by pool id rather than by
	/// hotkey so that a hotkey swap moves a pool, whatever its number of stakers, in constant
	/// time. A pool with only its owner's earned shares has no entry here.
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

	/// How many pools each coldkey has shares in (its entries in [`StakedPools`]).
	#[pallet::storage]
	pub type PositionCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// All stake, dividends not yet released included: what the stake account holds beyond
	/// its existential deposit.
	#[pallet::storage]
	pub type TotalStake<T: Config> = StorageValue<_, Balance, ValueQuery>;

	/// Each hotkey's take, where its owner set one; otherwise [`Config::DefaultTake`].
	#[pallet::storage]
	pub type Takes<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Perbill>;

	/// The block of each hotkey's last take increase announcement.
	#[pallet::storage]
	pub type LastTakeIncrease<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, BlockNumber>;

	/// Each announced take increase: the new take and the block from which it applies.
	#[pallet::storage]
	pub type PendingTakes<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, (Perbill, BlockNumber)>;

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
		/// A hotkey's take changed (a decrease, at once).
		TakeSet { hotkey: T::AccountId, take: Perbill },
		/// A hotkey's owner announced a take increase, which applies from block `applies_at`.
		TakeIncreaseAnnounced { hotkey: T::AccountId, take: Perbill, applies_at: BlockNumber },
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
		/// The hotkey's last take increase was announced less than `TakeIncreaseInterval`
		/// blocks ago.
		TakeIncreaseRateLimited,
		/// The coldkey has scheduled a swap: its stake stays until the swap moves it.
		ColdkeySwapPending,
		/// The coldkey already stakes on `MaxPositions` hotkeys.
		TooManyPositions,
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
		/// current value. At least `MinStake`; the caller's account must stay alive. The new
		/// stake shares in the pool's dividends as they are released from now on, and counts
		/// as held once it stayed through a whole holding period.
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
		/// is removed. Dividends not yet released stay in the pool for those who stay (for
		/// the hotkey's owner when nobody does).
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
		/// No MDT leaves the stake account. Amount rules as `remove_stake`. Moved stake is
		/// new stake for `to_hotkey`: it counts as held there only after a holding period.
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
		/// Allowed at any time; takes effect from the next epoch, and cancels an increase
		/// announced and not yet applied.
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
		/// Announced now, applied `TakeIncreaseDelay` blocks later (at least one tempo of any
		/// subnet), so nominators see it coming and may leave first. At most `DefaultTake`,
		/// and one announcement per `TakeIncreaseInterval` blocks.
		///
		/// ## Errors
		/// `NotHotkeyOwner`, `TakeNotHigher`, `TakeTooHigh`, `TakeIncreaseRateLimited`.
		///
		/// ## Events
		/// `TakeIncreaseAnnounced`.
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
		fn integrity_test() {
			assert!(
				T::DefaultTake::get() < Perbill::one(),
				"a take of 100% would leave nominators nothing"
			);
			assert!(T::MinStake::get() > 0, "a zero minimum stake lets dust fill storage");
			assert!(T::HoldingPeriod::get() > 0, "stake must be held for some blocks to count");
			assert!(
				T::TakeIncreaseInterval::get() >= T::TakeIncreaseDelay::get(),
				"an announced take increase applies before the next may be announced"
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
