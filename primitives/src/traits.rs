//! The interfaces between LuxTensor pallets. Each is implemented by the pallet that owns the
//! data and wired in the runtime; the others only see these traits.

use crate::{
	subnets::{NetUid, NeuronEpochInfo, SubnetHyperparameters, Uid},
	Balance, BlockNumber,
};
use alloc::vec::Vec;
use polkadot_sdk::{
	sp_io::MultiRemovalResults,
	sp_runtime::{DispatchError, DispatchResult},
	sp_weights::Weight,
};

/// What pallets read about subnets (implemented by pallet-subnets).
pub trait SubnetsInfo<AccountId> {
	/// Whether the subnet exists (the root network always does).
	fn exists(netuid: NetUid) -> bool;
	/// The subnet's hyperparameters, if it exists.
	fn hyperparameters(netuid: NetUid) -> Option<SubnetHyperparameters>;
	/// The coldkey that owns the subnet; `None` for the root network and unknown subnets.
	fn owner(netuid: NetUid) -> Option<AccountId>;
	/// The hotkey the subnet's owner cut is staked on; `None` where [`Self::owner`] is.
	fn owner_hotkey(netuid: NetUid) -> Option<AccountId>;
	/// Every existing netuid, root network first.
	fn netuids() -> Vec<NetUid>;
	/// The block the subnet was created in; `None` for the root network and unknown subnets.
	fn registered_at(netuid: NetUid) -> Option<BlockNumber>;
	/// Whether `netuid` was dissolved and its per-uid entries are still being removed
	/// (see [`OnSubnetDissolved::clear_subnet`]).
	fn is_clearing(_netuid: NetUid) -> bool {
		false
	}
}

/// Neurons of subnets (implemented by pallet-registration).
pub trait Neurons<AccountId> {
	/// Number of neurons in the subnet: its uids are `0..n`.
	fn neuron_count(netuid: NetUid) -> u16;
	/// The uid of `hotkey` in the subnet, if it is registered there.
	fn uid(netuid: NetUid, hotkey: &AccountId) -> Option<Uid>;
	/// The hotkey registered at `uid`.
	fn hotkey(netuid: NetUid, uid: Uid) -> Option<AccountId>;
	/// The block at which the neuron at `uid` registered.
	fn registered_at(netuid: NetUid, uid: Uid) -> Option<BlockNumber>;
	/// The block at which each neuron registered, by uid (`0..n`; 0 if unknown): what the
	/// epoch reads, at once where the implementer keeps them together.
	fn registration_blocks(netuid: NetUid) -> Vec<BlockNumber> {
		(0..Self::neuron_count(netuid))
			.map(|uid| Self::registered_at(netuid, uid).unwrap_or(0))
			.collect()
	}
	/// Whether the neuron at `uid` is still within its immunity period.
	fn is_immune(netuid: NetUid, uid: Uid) -> bool;
}

/// Which coldkey owns a hotkey: set on first use, then fixed (implemented by
/// pallet-registration).
pub trait HotkeyOwnership<AccountId> {
	/// The coldkey owning `hotkey`, if any.
	fn owner(hotkey: &AccountId) -> Option<AccountId>;
	/// The hotkeys `coldkey` owns.
	fn owned_hotkeys(coldkey: &AccountId) -> Vec<AccountId>;
	/// Makes `coldkey` the owner of `hotkey`; fails if another coldkey owns it, or if it is
	/// unowned, not `coldkey` itself and was not claimed with the hotkey's signature.
	fn claim(hotkey: &AccountId, coldkey: &AccountId) -> DispatchResult;
	/// Makes `coldkey` the owner of `hotkey` without its signature, for benchmark setups.
	#[cfg(feature = "runtime-benchmarks")]
	fn set_owner(hotkey: &AccountId, coldkey: &AccountId) {
		let _ = Self::claim(hotkey, coldkey);
	}
}

/// Told when a subnet is dissolved, to remove everything kept for it: what is kept for the
/// subnet as a whole at once, then its per-uid entries over as many blocks as they take (a
/// 4096-uid subnet's do not fit one block). Its netuid is not reused before they are gone.
pub trait OnSubnetDissolved {
	/// Removes what the implementer keeps for `netuid` as a whole (flags, shares, pending
	/// amounts, epoch outputs); returns the weight used. Runs in the dissolving extrinsic.
	fn on_subnet_dissolved(netuid: NetUid) -> Weight;
	/// The most [`Self::on_subnet_dissolved`] uses: the dissolving extrinsic declares it.
	fn weight(netuid: NetUid) -> Weight;
	/// Removes at most `limit` entries of each per-uid map kept for the dissolved `netuid`;
	/// returns the weight used and whether nothing is left. Called once a block until every
	/// implementer is done.
	fn clear_subnet(_netuid: NetUid, _limit: u32) -> (Weight, bool) {
		(Weight::zero(), true)
	}
}

/// Told when a subnet's epoch schedule changes: it is registered (its first tempo starts
/// now) or its tempo is set. pallet-emission keeps every subnet's schedule in one record,
/// read once a block, instead of reading each subnet's hyperparameters every block.
pub trait OnSubnetScheduled {
	/// `netuid` was registered now, with `tempo`.
	fn on_subnet_registered(netuid: NetUid, tempo: u16);
	/// `netuid`'s tempo is now `tempo`; its next epoch comes that long after its last.
	fn on_tempo_set(netuid: NetUid, tempo: u16);
}

impl OnSubnetScheduled for () {
	fn on_subnet_registered(_: NetUid, _: u16) {}
	fn on_tempo_set(_: NetUid, _: u16) {}
}

/// Where a [`OnSubnetDissolved::clear_subnet`] stands after one `clear_prefix` per per-uid
/// map: the most entries one map lost (what its cleanup's weight is benchmarked by), and
/// whether every map is empty.
pub fn clearing_progress(results: &[MultiRemovalResults]) -> (u32, bool) {
	let removed = results.iter().map(|result| result.unique).max().unwrap_or(0);
	(removed, results.iter().all(|result| result.maybe_cursor.is_none()))
}

/// Told after every registration, whether it took the new uid `n` or replaced the neuron at
/// `uid`, so per-uid data starts afresh (weights, bonds, epoch outputs).
pub trait OnNeuronRegistered {
	/// Starts `uid` afresh: forgets any old neuron's data; returns the weight used.
	fn on_neuron_registered(netuid: NetUid, uid: Uid) -> Weight;
	/// The most [`Self::on_neuron_registered`] can use.
	fn max_weight() -> Weight;
}

/// Told when a coldkey swaps its hotkey for a new, unowned one, so what is kept by hotkey
/// follows it (stake, take).
pub trait OnHotkeySwapped<AccountId> {
	/// Moves what the implementer keeps for `old` to `new`; returns the weight used.
	fn on_hotkey_swapped(old: &AccountId, new: &AccountId) -> Weight;
	/// The most [`Self::on_hotkey_swapped`] can use.
	fn max_weight() -> Weight;
}

/// Told when a scheduled coldkey swap applies, so what is kept by coldkey follows it
/// (stake positions, subnet ownership and its lock).
pub trait OnColdkeySwapped<AccountId> {
	/// Moves what the implementer keeps for `old` to `new`; returns the weight used. A
	/// failure undoes the whole swap.
	fn on_coldkey_swapped(old: &AccountId, new: &AccountId) -> Result<Weight, DispatchError>;
	/// The most [`Self::on_coldkey_swapped`] can use.
	fn max_weight() -> Weight;
}

/// Whether a coldkey has a swap scheduled (implemented by pallet-registration): while it
/// has, its stake cannot leave the pools the swap will move.
pub trait ColdkeySwapStatus<AccountId> {
	/// `coldkey` has scheduled a swap that has not applied yet.
	fn is_swap_pending(coldkey: &AccountId) -> bool;
}

/// Per-neuron results of the last epoch that registration reads (implemented by the pallet
/// running epochs).
pub trait EpochResults {
	/// What each uid earned in the subnet's last epoch, by uid; replacement picks the lowest.
	fn emissions(netuid: NetUid) -> Vec<Balance>;
	/// What the last epoch decided for each uid, by uid.
	fn neuron_epochs(netuid: NetUid) -> Vec<NeuronEpochInfo>;
}

/// The root network members' weights over subnets (implemented by pallet-subnets).
pub trait RootWeights {
	/// The weights the root member at `uid` set: `(netuid, weight)` pairs, no netuid twice.
	fn root_weights(uid: Uid) -> Vec<(NetUid, u16)>;
}

/// Stake behind hotkeys (implemented by pallet-stake).
pub trait StakeInfo<AccountId> {
	/// The stake weight of `hotkey` now: its own stake plus what is delegated to it.
	fn stake_of(hotkey: &AccountId) -> Balance;
	/// The least stake `hotkey` had at any time over the last full holding period and the
	/// current one, and no more than now: stake borrowed for a few blocks does not count.
	/// What root membership and the root network's consensus weigh.
	fn held_stake_of(hotkey: &AccountId) -> Balance;
}

/// One hotkey's earnings from an epoch, paid into its stake pool at once, of MDT the payer
/// already put in the stake account.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct StakeReward<AccountId> {
	/// The hotkey earning.
	pub hotkey: AccountId,
	/// Staked for the hotkey's owner at once: a miner's incentive, a subnet owner's cut.
	pub stake: Balance,
	/// Validator dividends: the hotkey's take of them is staked for its owner at once, the
	/// rest released into its pool linearly over `release_over` blocks (or staked for the
	/// owner too when nobody stakes on the hotkey).
	pub dividends: Balance,
	/// Blocks over which the dividends are released.
	pub release_over: BlockNumber,
}

/// Paying epochs into stake (implemented by pallet-stake, used by pallet-emission).
pub trait StakeRewards<AccountId> {
	/// The account holding all stake: rewards are minted into it before [`Self::reward`].
	fn stake_account() -> AccountId;
	/// Books `rewards`, whose MDT is already in [`Self::stake_account`], in that order.
	fn reward(rewards: Vec<StakeReward<AccountId>>);
}

/// The validators of a subnet (implemented by the pallet running epochs, which decides the
/// validator permits).
pub trait SubnetValidators<AccountId> {
	/// The hotkeys holding a validator permit in the subnet, by uid, each with its stake
	/// weight. Empty before the subnet's first epoch.
	fn validators(netuid: NetUid) -> Vec<(AccountId, Balance)>;
}

/// Verified compute work, per compute subnet and tempo (implemented by pallet-compute, read
/// by the epoch of each subnet).
pub trait ComputeScores {
	/// Takes the scores earned on `netuid` since its last epoch, by uid, no uid twice: each
	/// uid's protocol fees burned on settled, verified work, each times the provider's
	/// reputation then (so a score is never more than what its work burned). `None` when
	/// `netuid` is not a compute subnet. The next tempo starts from zero.
	fn take_scores(netuid: NetUid) -> Option<Vec<(Uid, Balance)>>;
	/// The most [`Self::take_scores`] uses on `netuid` now.
	fn weight(netuid: NetUid) -> Weight;
}

/// No compute subnets.
impl ComputeScores for () {
	fn take_scores(_: NetUid) -> Option<Vec<(Uid, Balance)>> {
		None
	}

	fn weight(_: NetUid) -> Weight {
		Weight::zero()
	}
}

/// What one neuron is paid by an epoch; a uid that is both miner and validator gets both.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct NeuronPayout<AccountId> {
	/// The neuron's hotkey when the epoch ran (`None` only for a uid without one, which
	/// nobody can be paid for).
	pub hotkey: Option<AccountId>,
	/// Paid for the neuron's incentive (as a miner).
	pub incentive: Balance,
	/// Paid for the neuron's dividends (as a validator).
	pub dividends: Balance,
}

/// An epoch's payouts: one per uid, plus what nobody could be paid.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EpochPayouts<AccountId> {
	/// Payouts by uid.
	pub payouts: Vec<NeuronPayout<AccountId>>,
	/// Emission nobody could be paid (no stake at all): the caller keeps it for next time.
	pub unpaid: Balance,
}

/// Runs a subnet's Yuma epoch (implemented by pallet-weights, called by the epoch scheduler).
pub trait Epoch<AccountId> {
	/// Runs the epoch of `netuid` now, splitting `emission`; stores its outputs. Payouts plus
	/// `unpaid` add up to `emission` exactly. Each payout names the hotkey the epoch read
	/// for the uid's stake, so paying it needs no second look-up.
	fn run(netuid: NetUid, emission: Balance) -> EpochPayouts<AccountId>;
	/// The weight [`Self::run`] would use on `netuid` now, from the benchmarks.
	fn weight(netuid: NetUid) -> Weight;
	/// The block of the subnet's last epoch (scheduled or forced), if it had one.
	fn last_epoch_block(netuid: NetUid) -> Option<BlockNumber>;
}

#[impl_trait_for_tuples::impl_for_tuples(8)]
impl OnSubnetDissolved for Tuple {
	fn on_subnet_dissolved(netuid: NetUid) -> Weight {
		let mut weight = Weight::zero();
		for_tuples!( #( weight.saturating_accrue(Tuple::on_subnet_dissolved(netuid)); )* );
		weight
	}

	fn weight(netuid: NetUid) -> Weight {
		let mut weight = Weight::zero();
		for_tuples!( #( weight.saturating_accrue(Tuple::weight(netuid)); )* );
		weight
	}

	fn clear_subnet(netuid: NetUid, limit: u32) -> (Weight, bool) {
		let (mut weight, mut done) = (Weight::zero(), true);
		for_tuples!( #(
			let (used, finished) = Tuple::clear_subnet(netuid, limit);
			weight.saturating_accrue(used);
			done &= finished;
		)* );
		(weight, done)
	}
}

#[impl_trait_for_tuples::impl_for_tuples(8)]
impl OnNeuronRegistered for Tuple {
	fn on_neuron_registered(netuid: NetUid, uid: Uid) -> Weight {
		let mut weight = Weight::zero();
		for_tuples!( #( weight.saturating_accrue(Tuple::on_neuron_registered(netuid, uid)); )* );
		weight
	}

	fn max_weight() -> Weight {
		let mut weight = Weight::zero();
		for_tuples!( #( weight.saturating_accrue(Tuple::max_weight()); )* );
		weight
	}
}

#[impl_trait_for_tuples::impl_for_tuples(8)]
impl<AccountId> OnHotkeySwapped<AccountId> for Tuple {
	fn on_hotkey_swapped(old: &AccountId, new: &AccountId) -> Weight {
		let mut weight = Weight::zero();
		for_tuples!( #( weight.saturating_accrue(Tuple::on_hotkey_swapped(old, new)); )* );
		weight
	}

	fn max_weight() -> Weight {
		let mut weight = Weight::zero();
		for_tuples!( #( weight.saturating_accrue(Tuple::max_weight()); )* );
		weight
	}
}

#[impl_trait_for_tuples::impl_for_tuples(8)]
impl<AccountId> OnColdkeySwapped<AccountId> for Tuple {
	fn on_coldkey_swapped(old: &AccountId, new: &AccountId) -> Result<Weight, DispatchError> {
		let mut weight = Weight::zero();
		for_tuples!( #( weight.saturating_accrue(Tuple::on_coldkey_swapped(old, new)?); )* );
		Ok(weight)
	}

	fn max_weight() -> Weight {
		let mut weight = Weight::zero();
		for_tuples!( #( weight.saturating_accrue(Tuple::max_weight()); )* );
		weight
	}
}

/// No coldkey ever has a swap pending.
impl<AccountId> ColdkeySwapStatus<AccountId> for () {
	fn is_swap_pending(_: &AccountId) -> bool {
		false
	}
}

/// No epochs: every neuron has earned nothing.
impl EpochResults for () {
	fn emissions(_: NetUid) -> Vec<Balance> {
		Vec::new()
	}

	fn neuron_epochs(_: NetUid) -> Vec<NeuronEpochInfo> {
		Vec::new()
	}
}
