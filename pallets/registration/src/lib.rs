//! # Registration
//!
//! Neurons of ModernTensor subnets: who holds each uid, which coldkey owns each hotkey, what
//! a registration costs, and where neurons serve.
//!
//! ## Pallet API
//!
//! - [`Pallet::burned_register`]: a coldkey registers a hotkey in a subnet, burning the
//!   subnet's current registration price.
//! - [`Pallet::serve_axon`] and [`Pallet::serve_prometheus`]: a registered hotkey announces
//!   its endpoints. Fee-free; [`CheckServing`] keeps invalid or rate-limited ones out of the
//!   transaction pool and out of blocks.
//! - [`Pallet::swap_hotkey`]: a coldkey moves every registration of its hotkey to a new one.
//!
//! Other pallets read neurons through [`luxtensor_primitives::traits::Neurons`] and hotkey
//! ownership through [`luxtensor_primitives::traits::HotkeyOwnership`].
//!
//! ## Overview
//!
//! A subnet's neurons hold uids `0..n`. A registration takes uid `n` while the subnet has
//! fewer than `max_allowed_uids` neurons; in a full subnet it replaces the neuron with the
//! lowest emission among those past their immunity period (ties: the older registration,
//! then the lower uid). Immunity never shields everyone: when fewer than
//! [`Config::MinReplaceableNeurons`] neurons are past immunity, the oldest immune ones are
//! candidates too, so a burst of registrations cannot lock a subnet. The replaced neuron's
//! endpoints are cleared here and its weights, bonds and epoch outputs through
//! [`Config::OnNeuronRegistered`].
//!
//! The registration price decays every block by `2^(−1/burn_half_life)`, is multiplied by
//! `burn_increase_mult` after each registration, and stays within `[min_burn, max_burn]`;
//! it is burned, lowering total issuance. A hotkey belongs to the first coldkey that uses it,
//! forever.

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

pub use extension::CheckServing;
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
#[allow(clippy::expect_used, clippy::unwrap_used, clippy::arithmetic_side_effects)]
pub mod benchmarking;
pub mod burn;
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
	use luxtensor_primitives::{
		subnets::{AxonInfo, IpType, NetUid, PrometheusInfo, Uid, ROOT_NETUID},
		traits::{
			EpochResults, OnColdkeySwapped, OnHotkeySwapped, OnNeuronRegistered, StakeInfo,
			SubnetsInfo,
		},
		Balance, BlockNumber,
	};
	use polkadot_sdk::{
		frame_support::{
			dispatch::WithPostDispatchInfo, pallet_prelude::*, traits::fungible::Mutate,
		},
		frame_system::pallet_prelude::*,
		sp_runtime::traits::{IdentifyAccount, Verify},
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// What a hotkey signs to let a coldkey own it (the runtime's `MultiSignature`), so
		/// nobody can take a hotkey that someone else published before registering it.
		type HotkeySignature: Parameter
			+ Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>>;

		/// The currency registration prices and hotkey swap fees are burned from.
		type Currency: Mutate<Self::AccountId, Balance = Balance>;

		/// The subnets neurons register in, and their hyperparameters.
		type Subnets: SubnetsInfo<Self::AccountId>;

		/// Last epoch's results per neuron: emission for replacement, the rest for views.
		type EpochResults: EpochResults;

		/// The stake behind each hotkey, which decides root network membership.
		type Stake: StakeInfo<Self::AccountId>;

		/// Told after every registration, so the uid's weights, bonds and epoch outputs
		/// start afresh.
		type OnNeuronRegistered: OnNeuronRegistered;

		/// Told after a hotkey swap, so what is kept by hotkey elsewhere (its stake and
		/// take) follows it to the new hotkey.
		type OnHotkeySwapped: OnHotkeySwapped<Self::AccountId>;

		/// Most neurons any subnet may hold (the upper bound of `max_allowed_uids`).
		#[pallet::constant]
		type MaxAllowedUids: Get<u16>;

		/// Neurons a full subnet always has as replacement candidates, immune or not.
		#[pallet::constant]
		type MinReplaceableNeurons: Get<u16>;

		/// Burned from the coldkey by `swap_hotkey`.
		#[pallet::constant]
		type HotkeySwapCost: Get<Balance>;

		/// Most subnets there can be, the root network included: `swap_hotkey` visits each.
		#[pallet::constant]
		type MaxSubnets: Get<u32>;

		/// Most hotkeys one coldkey may own, so a coldkey swap moving them fits in a block.
		#[pallet::constant]
		type MaxHotkeysPerColdkey: Get<u32>;

		/// Blocks between scheduling a coldkey swap and its applying: the time the old key
		/// has to notice and cancel a swap it did not make.
		#[pallet::constant]
		type ColdkeySwapDelay: Get<BlockNumber>;

		/// Burned from the coldkey by `schedule_coldkey_swap`.
		#[pallet::constant]
		type ColdkeySwapCost: Get<Balance>;

		/// Told when a coldkey swap applies: what other pallets keep by coldkey (stake
		/// positions, subnet ownership) follows it.
		type OnColdkeySwapped: OnColdkeySwapped<Self::AccountId>;

		/// Weights of this pallet's calls, from its benchmarks.
		type WeightInfo: WeightInfo;

		/// Creates subnets for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::benchmarking::BenchmarkHelper<
			Self::AccountId,
			Self::HotkeySignature,
		>;
	}

	/// Number of neurons in each subnet: their uids are `0..n`.
	#[pallet::storage]
	pub type NeuronCount<T: Config> = StorageMap<_, Twox64Concat, NetUid, u16, ValueQuery>;

	/// The uid of each hotkey registered in a subnet.
	#[pallet::storage]
	pub type Uids<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Blake2_128Concat, T::AccountId, Uid, OptionQuery>;

	/// The hotkey holding each uid of a subnet.
	#[pallet::storage]
	pub type Hotkeys<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Twox64Concat, Uid, T::AccountId, OptionQuery>;

	/// The block each uid's neuron registered, by uid (`0..n`). One value per subnet, so
	/// that the epoch and the choice of a neuron to replace read them all at once.
	#[pallet::storage]
	pub type RegistrationBlocks<T: Config> =
		StorageMap<_, Twox64Concat, NetUid, RegistrationBlockList<T>, ValueQuery>;

	/// The coldkey owning each hotkey: set at its first registration (or claim), changed
	/// only by a coldkey swap.
	#[pallet::storage]
	pub type HotkeyOwners<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, T::AccountId, OptionQuery>;

	/// The hotkeys each coldkey owns: [`HotkeyOwners`] by coldkey.
	#[pallet::storage]
	pub type OwnedHotkeys<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<T::AccountId, T::MaxHotkeysPerColdkey>,
		ValueQuery,
	>;

	/// Each scheduled coldkey swap, by the coldkey swapping out.
	#[pallet::storage]
	pub type ColdkeySwaps<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ColdkeySwap<T::AccountId>, OptionQuery>;

	/// The axon each uid serves.
	#[pallet::storage]
	pub type Axons<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Twox64Concat, Uid, AxonInfo, OptionQuery>;

	/// The Prometheus endpoint each uid exports.
	#[pallet::storage]
	pub type PrometheusEndpoints<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Twox64Concat, Uid, PrometheusInfo, OptionQuery>;

	/// Each subnet's registration price as of a block; it decays from there.
	#[pallet::storage]
	pub type BurnPrices<T: Config> = StorageMap<_, Twox64Concat, NetUid, BurnPrice, OptionQuery>;

	/// Whether endpoints may be loopback addresses: only on development chains.
	#[pallet::storage]
	pub type AllowLoopbackEndpoints<T: Config> = StorageValue<_, bool, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(polkadot_sdk::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Accept loopback endpoints (development chains, where every neuron is local).
		pub allow_loopback_endpoints: bool,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			AllowLoopbackEndpoints::<T>::put(self.allow_loopback_endpoints);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A hotkey registered in a subnet at `uid`, burning `burned` from its coldkey.
		NeuronRegistered {
			netuid: NetUid,
			uid: Uid,
			hotkey: T::AccountId,
			coldkey: T::AccountId,
			burned: Balance,
		},
		/// The registration at `uid` replaced the neuron of `old_hotkey`.
		NeuronReplaced { netuid: NetUid, uid: Uid, old_hotkey: T::AccountId },
		/// A neuron announced its axon.
		AxonServed { netuid: NetUid, uid: Uid, axon: AxonInfo },
		/// A neuron announced its Prometheus endpoint.
		PrometheusServed { netuid: NetUid, uid: Uid, prometheus: PrometheusInfo },
		/// `coldkey` owns `hotkey` from now on, with the hotkey's signed consent.
		HotkeyClaimed { hotkey: T::AccountId, coldkey: T::AccountId },
		/// `old` scheduled a swap to `new` that may apply from block `applies_at`; `fee` was
		/// burned.
		ColdkeySwapScheduled {
			old: T::AccountId,
			new: T::AccountId,
			applies_at: BlockNumber,
			fee: Balance,
		},
		/// `old` cancelled its swap to `new`.
		ColdkeySwapCancelled { old: T::AccountId, new: T::AccountId },
		/// `old`'s hotkeys, stake, subnets and `balance` of free MDT are `new`'s now.
		ColdkeySwapped { old: T::AccountId, new: T::AccountId, hotkeys: u32, balance: Balance },
		/// Every registration of `old_hotkey` moved to `new_hotkey`, for `fee` burned.
		HotkeySwapped {
			coldkey: T::AccountId,
			old_hotkey: T::AccountId,
			new_hotkey: T::AccountId,
			fee: Balance,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No subnet has this netuid.
		SubnetNotFound,
		/// The root network admits members by stake (`root_register`), not by burn.
		CannotRegisterOnRootNetwork,
		/// The subnet's owner has closed registration.
		RegistrationDisabled,
		/// The hotkey is already registered in this subnet.
		AlreadyRegistered,
		/// The hotkey belongs to another coldkey.
		HotkeyOwnedByAnotherColdkey,
		/// The coldkey cannot pay the price (or fee) and keep its account alive.
		InsufficientBalance,
		/// The subnet is full and no neuron can be replaced.
		NoNeuronToReplace,
		/// The hotkey is not registered in this subnet.
		NotRegistered,
		/// `serving_rate_limit` blocks have not passed since the last update.
		ServingRateLimited,
		/// The IP is unspecified, a loopback on a non-development chain, or not of `ip_type`.
		InvalidIp,
		/// `ip_type` must be 4 or 6.
		InvalidIpType,
		/// Port 0 cannot be served.
		InvalidPort,
		/// The caller does not own this hotkey.
		NotHotkeyOwner,
		/// The new hotkey is the old one.
		SameHotkey,
		/// The new hotkey is already owned.
		NewHotkeyAlreadyOwned,
		/// The root network is full and the hotkey's held stake is not above its lowest
		/// member's.
		StakeTooLowForRoot,
		/// The registration price is above the most the caller would burn.
		PriceAboveMax,
		/// The hotkey has no owner yet and is not the caller: claim it first with
		/// `claim_hotkey`, which carries the hotkey's signature.
		HotkeyNotClaimed,
		/// The signature is not the hotkey's over the ownership message of the caller.
		InvalidHotkeySignature,
		/// The caller already owns this hotkey.
		HotkeyAlreadyClaimed,
		/// The coldkey owns `MaxHotkeysPerColdkey` hotkeys already (after a coldkey swap: the
		/// two coldkeys' hotkeys together would be more).
		TooManyHotkeys,
		/// The coldkey has a swap scheduled already.
		ColdkeySwapPending,
		/// The coldkey has no swap scheduled.
		NoColdkeySwap,
		/// The swap's delay has not passed yet.
		ColdkeySwapNotDue,
		/// A coldkey cannot swap to itself.
		SameColdkey,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register `hotkey` in a subnet, burning the subnet's current registration price, if
		/// it is at most `max_burn`.
		///
		/// ## Dispatch Origin
		/// Signed by the coldkey that owns (or will own) `hotkey`.
		///
		/// ## Details
		/// The price is what the `subnetsApi.registrationCost` runtime API returns now; it
		/// rises with each registration, so `max_burn` keeps registrations placed just before
		/// this one from raising what it burns. The hotkey takes uid `n`, or replaces a neuron
		/// if the subnet is full (see the pallet docs). The first registration of a hotkey
		/// makes the caller its owner: a hotkey other than the caller must have been
		/// claimed with `claim_hotkey` first (the two batch together).
		///
		/// ## Errors
		/// `SubnetNotFound`, `CannotRegisterOnRootNetwork`, `RegistrationDisabled`,
		/// `AlreadyRegistered`, `HotkeyOwnedByAnotherColdkey`, `HotkeyNotClaimed`,
		/// `PriceAboveMax`, `InsufficientBalance`, `NoNeuronToReplace`.
		///
		/// ## Events
		/// `NeuronRegistered`, and `NeuronReplaced` when the subnet was full.
		#[pallet::call_index(0)]
		#[pallet::weight(
			T::WeightInfo::burned_register(T::MaxAllowedUids::get().into())
				.saturating_add(T::OnNeuronRegistered::max_weight())
		)]
		pub fn burned_register(
			origin: OriginFor<T>,
			netuid: NetUid,
			hotkey: T::AccountId,
			max_burn: Balance,
		) -> DispatchResultWithPostInfo {
			let coldkey = ensure_signed(origin)?;
			// A registration refused by its checks pays for them, not for a full subnet's scan.
			let (neuron_count, hook_weight) =
				Self::do_burned_register(netuid, coldkey, hotkey, max_burn).map_err(|error| {
					let scanned = if error == Error::<T>::NoNeuronToReplace.into() {
						NeuronCount::<T>::get(netuid)
					} else {
						0
					};
					error.with_weight(T::WeightInfo::burned_register(scanned.into()))
				})?;
			let weight =
				T::WeightInfo::burned_register(neuron_count.into()).saturating_add(hook_weight);
			Ok(Some(weight).into())
		}

		/// Announce the axon where this hotkey's neuron serves.
		///
		/// ## Dispatch Origin
		/// Signed by a hotkey registered in the subnet. Free of fees.
		///
		/// ## Details
		/// `ip` holds an IPv4 address in its low 32 bits when `ip_type` is 4. At most one
		/// update per `serving_rate_limit` blocks.
		///
		/// ## Errors
		/// `SubnetNotFound`, `NotRegistered`, `ServingRateLimited`, `InvalidIp`,
		/// `InvalidIpType`, `InvalidPort`.
		///
		/// ## Events
		/// `AxonServed`.
		#[pallet::call_index(1)]
		#[pallet::weight((T::WeightInfo::serve_axon(), DispatchClass::Normal, Pays::No))]
		pub fn serve_axon(
			origin: OriginFor<T>,
			netuid: NetUid,
			version: u32,
			ip: u128,
			port: u16,
			ip_type: IpType,
			protocol: u8,
		) -> DispatchResult {
			let hotkey = ensure_signed(origin)?;
			let uid = Self::check_serving(netuid, &hotkey, Endpoint::Axon, (ip, port, ip_type))?;
			let axon = AxonInfo { block: Self::now(), version, ip, port, ip_type, protocol };
			Axons::<T>::insert(netuid, uid, axon);
			Self::deposit_event(Event::AxonServed { netuid, uid, axon });
			Ok(())
		}

		/// Announce where this hotkey's neuron exports Prometheus metrics.
		///
		/// ## Dispatch Origin
		/// Signed by a hotkey registered in the subnet. Free of fees.
		///
		/// ## Details
		/// As `serve_axon`, with its own rate limit.
		///
		/// ## Errors
		/// `SubnetNotFound`, `NotRegistered`, `ServingRateLimited`, `InvalidIp`,
		/// `InvalidIpType`, `InvalidPort`.
		///
		/// ## Events
		/// `PrometheusServed`.
		#[pallet::call_index(2)]
		#[pallet::weight((T::WeightInfo::serve_prometheus(), DispatchClass::Normal, Pays::No))]
		pub fn serve_prometheus(
			origin: OriginFor<T>,
			netuid: NetUid,
			version: u32,
			ip: u128,
			port: u16,
			ip_type: IpType,
		) -> DispatchResult {
			let hotkey = ensure_signed(origin)?;
			let uid =
				Self::check_serving(netuid, &hotkey, Endpoint::Prometheus, (ip, port, ip_type))?;
			let prometheus = PrometheusInfo { block: Self::now(), version, ip, port, ip_type };
			PrometheusEndpoints::<T>::insert(netuid, uid, prometheus);
			Self::deposit_event(Event::PrometheusServed { netuid, uid, prometheus });
			Ok(())
		}

		/// Move every registration of `hotkey` to `new_hotkey`, with its stake and take, for
		/// a fee that is burned.
		///
		/// ## Dispatch Origin
		/// Signed by the coldkey owning `hotkey`.
		///
		/// ## Details
		/// `new_hotkey` must be unowned and consent: `new_hotkey_signature` is its signature of
		/// the caller's ownership message (see `claim_hotkey`); it becomes the caller's. The
		/// old hotkey stays the
		/// caller's but holds no uid afterwards. Everyone's
		/// stake on `hotkey` moves to `new_hotkey`, and so does the owner cut of the subnets
		/// paying it to `hotkey` ([`Config::OnHotkeySwapped`]). Weight commits belong to the
		/// uid, so `new_hotkey` reveals the ones `hotkey` made.
		///
		/// ## Errors
		/// `NotHotkeyOwner`, `SameHotkey`, `NewHotkeyAlreadyOwned`, `InvalidHotkeySignature`,
		/// `InsufficientBalance`.
		///
		/// ## Events
		/// `HotkeySwapped`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::swap_hotkey(T::MaxSubnets::get())
			.saturating_add(T::OnHotkeySwapped::max_weight()))]
		pub fn swap_hotkey(
			origin: OriginFor<T>,
			hotkey: T::AccountId,
			new_hotkey: T::AccountId,
			new_hotkey_signature: T::HotkeySignature,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			Self::ensure_consent(&new_hotkey, &coldkey, &new_hotkey_signature)?;
			Self::do_swap_hotkey(coldkey, hotkey, new_hotkey)
		}

		/// Make `hotkey` a member of the root network, which splits emission across subnets.
		///
		/// ## Dispatch Origin
		/// Signed by the coldkey owning `hotkey` (a hotkey is owned from its first
		/// registration in a subnet).
		///
		/// ## Details
		/// Membership goes by stake: while the root network has room (`max_allowed_uids`, 64)
		/// the hotkey takes the next uid; when full it replaces the member with the least
		/// held stake (the higher uid among equals), provided its own held stake is larger.
		/// Held stake is what stayed through a whole holding period (`stake.holdingPeriod`):
		/// stake borrowed for a few blocks neither wins a seat nor keeps one. Nothing is
		/// burned. Members set the root weights with `subnets.setRootWeights`.
		///
		/// ## Errors
		/// `NotHotkeyOwner`, `AlreadyRegistered`, `StakeTooLowForRoot`.
		///
		/// ## Events
		/// `NeuronRegistered` (netuid 0, nothing burned), and `NeuronReplaced` when full.
		#[pallet::call_index(4)]
		#[pallet::weight(
			T::WeightInfo::root_register(T::MaxAllowedUids::get().into())
				.saturating_add(T::OnNeuronRegistered::max_weight())
		)]
		pub fn root_register(
			origin: OriginFor<T>,
			hotkey: T::AccountId,
		) -> DispatchResultWithPostInfo {
			let coldkey = ensure_signed(origin)?;
			// Refused before the members are compared: the checks' weight only.
			let (members, hook_weight) =
				Self::do_root_register(coldkey, hotkey).map_err(|error| {
					let compared = if error == Error::<T>::StakeTooLowForRoot.into() {
						NeuronCount::<T>::get(ROOT_NETUID)
					} else {
						0
					};
					error.with_weight(T::WeightInfo::root_register(compared.into()))
				})?;
			let weight = T::WeightInfo::root_register(members.into()).saturating_add(hook_weight);
			Ok(Some(weight).into())
		}

		/// Become the owner of `hotkey`, with its consent: `signature` is the hotkey's
		/// signature of `"luxtensor/hotkey-owner"` followed by the caller's 32-byte account id
		/// (also accepted wrapped in `<Bytes>`...`</Bytes>`, as browser wallets sign).
		///
		/// ## Dispatch Origin
		/// Signed by the coldkey that will own `hotkey`.
		///
		/// ## Details
		/// A hotkey stays its first owner's (until that coldkey swaps itself away), and earns
		/// that owner its take. The
		/// signature keeps anyone who sees a hotkey published (in a pending registration, a
		/// config file) from making it theirs first. A coldkey registering itself as its own
		/// hotkey needs no claim.
		///
		/// ## Errors
		/// `HotkeyAlreadyClaimed`, `HotkeyOwnedByAnotherColdkey`, `InvalidHotkeySignature`,
		/// `TooManyHotkeys`.
		///
		/// ## Events
		/// `HotkeyClaimed`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::claim_hotkey())]
		pub fn claim_hotkey(
			origin: OriginFor<T>,
			hotkey: T::AccountId,
			signature: T::HotkeySignature,
		) -> DispatchResult {
			let coldkey = ensure_signed(origin)?;
			match HotkeyOwners::<T>::get(&hotkey) {
				Some(owner) if owner == coldkey => Err(Error::<T>::HotkeyAlreadyClaimed)?,
				Some(_) => Err(Error::<T>::HotkeyOwnedByAnotherColdkey)?,
				None => {}
			}
			Self::ensure_consent(&hotkey, &coldkey, &signature)?;
			Self::add_owned_hotkey(&hotkey, &coldkey)?;
			Self::deposit_event(Event::HotkeyClaimed { hotkey, coldkey });
			Ok(())
		}

		/// Schedule moving everything this coldkey has to `new_coldkey`: its hotkeys, its
		/// stake, the subnets it owns (with their locks) and its free balance. The swap may
		/// apply `ColdkeySwapDelay` blocks from now (5 days), by `apply_coldkey_swap`.
		///
		/// ## Dispatch Origin
		/// Signed by the coldkey swapping out.
		///
		/// ## Details
		/// Burns `ColdkeySwapCost`. Until the swap applies the coldkey may cancel it, cannot
		/// schedule another, and cannot remove stake (what the swap will move stays put). A
		/// key that was stolen and swapped away is noticed in the delay: its owner cancels.
		///
		/// ## Errors
		/// `SameColdkey`, `ColdkeySwapPending`, `InsufficientBalance`.
		///
		/// ## Events
		/// `ColdkeySwapScheduled`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::schedule_coldkey_swap())]
		pub fn schedule_coldkey_swap(
			origin: OriginFor<T>,
			new_coldkey: T::AccountId,
		) -> DispatchResult {
			let old = ensure_signed(origin)?;
			Self::do_schedule_coldkey_swap(old, new_coldkey)
		}

		/// Cancel this coldkey's scheduled swap (the fee is not refunded).
		///
		/// ## Dispatch Origin
		/// Signed by the coldkey that scheduled it.
		///
		/// ## Errors
		/// `NoColdkeySwap`.
		///
		/// ## Events
		/// `ColdkeySwapCancelled`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::cancel_coldkey_swap())]
		pub fn cancel_coldkey_swap(origin: OriginFor<T>) -> DispatchResult {
			let old = ensure_signed(origin)?;
			let swap = ColdkeySwaps::<T>::take(&old).ok_or(Error::<T>::NoColdkeySwap)?;
			Self::deposit_event(Event::ColdkeySwapCancelled { old, new: swap.new });
			Ok(())
		}

		/// Apply `old_coldkey`'s scheduled swap once its delay has passed.
		///
		/// ## Dispatch Origin
		/// Signed by anyone (usually the new coldkey): the swap was decided when scheduled.
		///
		/// ## Details
		/// The hotkeys `old_coldkey` owns become the new coldkey's, with their take; its
		/// stake positions and subnets (locks included) follow
		/// ([`Config::OnColdkeySwapped`]); then its free balance is transferred, leaving
		/// what holds and locks keep there (NPoS bonds, compute bonds stay with the old
		/// account). All of it or nothing: if the new coldkey would own too many hotkeys,
		/// the swap stays scheduled.
		///
		/// ## Errors
		/// `NoColdkeySwap`, `ColdkeySwapNotDue`, `TooManyHotkeys`.
		///
		/// ## Events
		/// `ColdkeySwapped`.
		#[pallet::call_index(8)]
		#[pallet::weight(
			T::WeightInfo::apply_coldkey_swap(T::MaxHotkeysPerColdkey::get())
				.saturating_add(T::OnColdkeySwapped::max_weight())
		)]
		pub fn apply_coldkey_swap(
			origin: OriginFor<T>,
			old_coldkey: T::AccountId,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let (hotkeys, hook_weight) = Self::do_apply_coldkey_swap(old_coldkey)?;
			let weight = T::WeightInfo::apply_coldkey_swap(hotkeys).saturating_add(hook_weight);
			Ok(Some(weight).into())
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::MaxAllowedUids::get() >= luxtensor_primitives::subnets::MAX_SUBNET_UIDS,
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
