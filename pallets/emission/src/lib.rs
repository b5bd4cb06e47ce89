//! # Emission
//!
//! Mints MDT and pays it to the network: block emission on a halving curve, its split across
//! subnets, each subnet's epoch schedule, and the epochs' payouts into stake.
//!
//! ## Pallet API
//!
//! No calls: everything happens in `on_initialize`. NPoS staking collects its era payout with
//! [`Pallet::take_npos_payout`]; stake itself belongs to pallet-stake, which emission pays
//! through [`luxtensor_primitives::traits::StakeRewards`].
//!
//! ## Each block
//!
//! 1. The block's emission is [`Config::BlockEmission`], halved each time the MDT issued
//!    (total issuance plus what is accrued but not yet minted) crosses half of what remains
//!    below [`Config::MaxSupply`]: 10.5M, 15.75M, 18.375M ... MDT, and never past the cap.
//! 2. [`Config::NposShare`] of it accrues to the NPoS validators' era payout; the rest is
//!    split across subnets (all but the root network) by the shares in [`RootEpoch`], or
//!    equally while there are none, and added to each subnet's pending emission. Every root
//!    tempo the root network's epoch renews the shares: Yuma's stake-weighted consensus
//!    (without bonds) over the weights its members set on subnets.
//! 3. Every subnet whose tempo has passed since its last epoch (before the first, since the
//!    subnet's creation; a forced epoch counts, as
//!    [`luxtensor_primitives::traits::Epoch::last_epoch_block`] records it) has its epoch,
//!    oldest deferred first, as long as
//!    [`Config::EpochWeightBudget`] allows; the others are deferred to the next block
//!    ([`Event::EpochDeferred`]). An epoch drains the subnet's pending emission,
//!    pays the owner's cut, runs Yuma ([`luxtensor_primitives::traits::Epoch`]) on the rest
//!    and pays what it decided (see below). What nobody could be paid stays pending.
//!
//! Each subnet's pending emission and schedule live in one value, [`EmittingSubnets`]: a
//! block with no epoch due reads and writes it once, not once per subnet. pallet-subnets
//! tells it of new subnets and tempo changes
//! ([`luxtensor_primitives::traits::OnSubnetScheduled`]).
//!
//! Emission is minted only when paid, so issuance grows with payouts; the accrued rest and
//! the era payouts NPoS stakers have not claimed yet count towards the halving and the cap.
//!
//! ## Payouts
//!
//! An epoch's payments are booked in one go once its MDT is minted into the stake account:
//! the owner's cut is staked on the subnet's owner hotkey, each miner's incentive on its
//! hotkey for its coldkey, each validator's take for its hotkey's owner, and the rest of its
//! dividends go into its pool, released to its stakers linearly over the subnet's tempo (so
//! stake added just before an epoch and removed just after earns next to nothing).
//! The root network's consensus weighs each member's held stake
//! ([`luxtensor_primitives::traits::StakeInfo::held_stake_of`]).

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
pub mod issuance;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
mod types;
pub mod weights;

pub use types::{RootEpochRecord, SubnetEmission};

#[allow(clippy::expect_used)]
#[polkadot_sdk::frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use luxtensor_primitives::{
		subnets::NetUid,
		traits::{Epoch, Neurons, RootWeights, StakeInfo, StakeRewards, SubnetsInfo},
		Balance,
	};
	use polkadot_sdk::{
		frame_support::{pallet_prelude::*, traits::fungible::Mutate},
		frame_system::pallet_prelude::*,
		sp_runtime::Perbill,
	};

	/// The in-code storage version; [`crate::migrations`] brings older states to it.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency emission is minted in.
		type Currency: Mutate<Self::AccountId, Balance = Balance>;

		/// Stake: what hotkeys weigh, and where epochs pay.
		type Stake: StakeInfo<Self::AccountId> + StakeRewards<Self::AccountId>;

		/// The subnets, their hyperparameters and owners.
		type Subnets: SubnetsInfo<Self::AccountId>;

		/// The neurons of each subnet.
		type Neurons: Neurons<Self::AccountId>;

		/// Runs a subnet's Yuma epoch and says what each uid earned.
		type Epoch: Epoch<Self::AccountId>;

		/// The root network members' weights over subnets.
		type RootWeights: RootWeights;

		/// Emission of one block before any halving.
		#[pallet::constant]
		type BlockEmission: Get<Balance>;

		/// The most MDT that will ever exist.
		#[pallet::constant]
		type MaxSupply: Get<Balance>;

		/// Share of each block's emission that accrues to the NPoS validators' era payout.
		#[pallet::constant]
		type NposShare: Get<Perbill>;

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

	/// Every subnet that earns emission (all but the root network), in netuid order: the
	/// emission it accrued since its last epoch, not yet minted, and its epoch schedule. One
	/// value, so a block's work reads and writes it once however many subnets there are.
	#[pallet::storage]
	pub type EmittingSubnets<T: Config> =
		StorageValue<_, BoundedVec<SubnetEmission, T::MaxSubnets>, ValueQuery>;

	/// Subnets whose due epoch did not fit in the last block's budget; they run first.
	#[pallet::storage]
	pub type DeferredEpochs<T: Config> =
		StorageValue<_, BoundedVec<NetUid, T::MaxSubnets>, ValueQuery>;

	/// The root network's last epoch: its block and the subnets' emission shares it set.
	/// None until the first root epoch (equal shares).
	#[pallet::storage]
	pub type RootEpoch<T: Config> = StorageValue<_, RootEpochRecord<T::MaxSubnets>, OptionQuery>;

	/// Emission accrued for the NPoS validators since the last era payout, not yet minted.
	#[pallet::storage]
	pub type NposPayoutAccrued<T: Config> = StorageValue<_, Balance, ValueQuery>;

	/// Era payouts handed to NPoS staking and not yet minted by its payout calls: they count
	/// towards the halving and the cap like issued tokens. Rewards that expire unclaimed stay
	/// counted (they were emitted; no one can mint them again).
	#[pallet::storage]
	pub type NposPayoutOwed<T: Config> = StorageValue<_, Balance, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
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

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Mints nothing yet: accrues the block's emission, then runs the epochs due.
		fn on_initialize(_: BlockNumberFor<T>) -> Weight {
			Self::on_block()
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(
			_: BlockNumberFor<T>,
		) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}
