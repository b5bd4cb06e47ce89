//! Runtime APIs over subnets and neurons. Their types are in the metadata, so polkadot.js
//! calls them as `api.call.subnetsApi.*` and `api.call.neuronsApi.*` without custom types.

use crate::{
	subnets::{Metagraph, NetUid, NeuronInfoLite, SubnetHyperparameters, SubnetInfo, Uid},
	Balance,
};
use alloc::vec::Vec;
use codec::Codec;

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Subnets, their hyperparameters and what it costs to create one or to register in one.
	pub trait SubnetsApi<AccountId: Codec> {
		/// One subnet, if it exists.
		fn subnet_info(netuid: NetUid) -> Option<SubnetInfo<AccountId>>;
		/// Every subnet, root network first.
		fn subnets_info() -> Vec<SubnetInfo<AccountId>>;
		/// A subnet's hyperparameters, if it exists.
		fn hyperparameters(netuid: NetUid) -> Option<SubnetHyperparameters>;
		/// What `register_network` would lock now.
		fn network_lock_cost() -> Balance;
		/// What `burned_register` in the subnet would burn now.
		fn registration_cost(netuid: NetUid) -> Option<Balance>;
	}

	/// The neurons of a subnet.
	pub trait NeuronsApi<AccountId: Codec> {
		/// Every neuron of the subnet, by uid.
		fn neurons_lite(netuid: NetUid) -> Vec<NeuronInfoLite<AccountId>>;
		/// The neuron at `uid`, if there is one.
		fn neuron(netuid: NetUid, uid: Uid) -> Option<NeuronInfoLite<AccountId>>;
		/// Every per-uid value of the subnet, weights and bonds included, if it exists.
		fn metagraph(netuid: NetUid) -> Option<Metagraph<AccountId>>;
	}
}
