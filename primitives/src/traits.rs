//! The interfaces between LuxTensor pallets. Each is implemented by the pallet that owns the
//! data and wired in the runtime; the others only see these traits.

use crate::{
	subnets::{NetUid, SubnetHyperparameters, Uid},
	Balance, BlockNumber,
};
use alloc::vec::Vec;
use polkadot_sdk::{sp_runtime::DispatchResult, sp_weights::Weight};

/// What pallets read about subnets (implemented by pallet-subnets).
pub trait SubnetsInfo<AccountId> {
	/// Whether the subnet exists (the root network always does).
	fn exists(netuid: NetUid) -> bool;
	/// The subnet's hyperparameters, if it exists.
	fn hyperparameters(netuid: NetUid) -> Option<SubnetHyperparameters>;
	/// The coldkey that owns the subnet; `None` for the root network and unknown subnets.
	fn owner(netuid: NetUid) -> Option<AccountId>;
	/// Every existing netuid, root network first.
	fn netuids() -> Vec<NetUid>;
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
	/// Whether the neuron at `uid` is still within its immunity period.
	fn is_immune(netuid: NetUid, uid: Uid) -> bool;
}

/// Which coldkey owns a hotkey: set on first use, then fixed (implemented by
/// pallet-registration).
pub trait HotkeyOwnership<AccountId> {
	/// The coldkey owning `hotkey`, if any.
	fn owner(hotkey: &AccountId) -> Option<AccountId>;
	/// Makes `coldkey` the owner of `hotkey`; fails if another coldkey owns it.
	fn claim(hotkey: &AccountId, coldkey: &AccountId) -> DispatchResult;
}

/// Told when a subnet is dissolved, to remove everything kept for it.
pub trait OnSubnetDissolved {
	/// Removes what the implementer keeps for `netuid`; returns the weight used.
	fn on_subnet_dissolved(netuid: NetUid) -> Weight;
	/// The most [`Self::on_subnet_dissolved`] can use, counted in the calling extrinsic's weight.
	fn max_weight() -> Weight;
}

/// Told when a registration replaces the neuron at a uid, to forget what was kept for the
/// old neuron (weights, bonds, epoch outputs).
pub trait OnNeuronReplaced {
	/// Forgets the old neuron at `uid`; returns the weight used.
	fn on_neuron_replaced(netuid: NetUid, uid: Uid) -> Weight;
	/// The most [`Self::on_neuron_replaced`] can use.
	fn max_weight() -> Weight;
}

/// Per-neuron results of the last epoch that registration reads (implemented by the pallet
/// running epochs).
pub trait EpochResults {
	/// The emission the neuron at `uid` earned in the subnet's last epoch; replacement picks
	/// the lowest.
	fn emission(netuid: NetUid, uid: Uid) -> Balance;
	/// The last block the neuron at `uid` set weights, if it ever did.
	fn last_update(netuid: NetUid, uid: Uid) -> Option<BlockNumber>;
}

#[impl_trait_for_tuples::impl_for_tuples(8)]
impl OnSubnetDissolved for Tuple {
	fn on_subnet_dissolved(netuid: NetUid) -> Weight {
		let mut weight = Weight::zero();
		for_tuples!( #( weight.saturating_accrue(Tuple::on_subnet_dissolved(netuid)); )* );
		weight
	}

	fn max_weight() -> Weight {
		let mut weight = Weight::zero();
		for_tuples!( #( weight.saturating_accrue(Tuple::max_weight()); )* );
		weight
	}
}

#[impl_trait_for_tuples::impl_for_tuples(8)]
impl OnNeuronReplaced for Tuple {
	fn on_neuron_replaced(netuid: NetUid, uid: Uid) -> Weight {
		let mut weight = Weight::zero();
		for_tuples!( #( weight.saturating_accrue(Tuple::on_neuron_replaced(netuid, uid)); )* );
		weight
	}

	fn max_weight() -> Weight {
		let mut weight = Weight::zero();
		for_tuples!( #( weight.saturating_accrue(Tuple::max_weight()); )* );
		weight
	}
}

/// No epochs yet: every neuron has earned nothing and never set weights.
impl EpochResults for () {
	fn emission(_: NetUid, _: Uid) -> Balance {
		0
	}

	fn last_update(_: NetUid, _: Uid) -> Option<BlockNumber> {
		None
	}
}
