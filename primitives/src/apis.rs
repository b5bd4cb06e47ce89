//! Runtime APIs over subnets, neurons, stake and the compute market. Their types are in the
//! metadata, so polkadot.js calls them as `api.call.subnetsApi.*`, `api.call.neuronsApi.*`,
//! `api.call.stakeApi.*` and `api.call.computeApi.*` without custom types.

// `decl_runtime_apis!` repeats a generic's bounds on every method that takes it as a parameter.
#![allow(clippy::multiple_bound_locations)]

use crate::{
	compute::{
		JobFilter, JobId, JobInfo, JobQuote, JobSpec, ModelFilter, ModelId, ModelInfo,
		NetworkMetrics, ProviderFilter, ProviderInfo,
	},
	metagraph::{Metagraph, MetagraphField, SelectiveMetagraph},
	stake::{DelegateInfo, StakePosition},
	subnets::{NetUid, NeuronInfoLite, SubnetHyperparameters, SubnetInfo, Uid},
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
		/// Every per-uid value of the subnet (stake, epoch results, axons, weights and
		/// bonds), if it exists.
		fn metagraph(netuid: NetUid) -> Option<Metagraph<AccountId>>;
		/// Only the columns in `fields` (the others `None`), if the subnet exists: cheaper
		/// than `metagraph` when a client needs, say, stakes but not weights.
		fn selective_metagraph(
			netuid: NetUid,
			fields: Vec<MetagraphField>,
		) -> Option<SelectiveMetagraph<AccountId>>;
	}

	/// Stake: hotkeys that hold it (delegates) and what each coldkey has staked.
	pub trait StakeApi<AccountId: Codec> {
		/// Every hotkey holding stake, most stake first.
		fn delegates() -> Vec<DelegateInfo<AccountId>>;
		/// The hotkey's stake, take and nominators, if it holds stake.
		fn delegate(hotkey: AccountId) -> Option<DelegateInfo<AccountId>>;
		/// Every stake of the coldkey, most stake first.
		fn stake_info_for_coldkey(coldkey: AccountId) -> Vec<StakePosition<AccountId>>;
	}

	/// The GPU compute market: providers, the model registry, jobs and network metrics.
	pub trait ComputeApi<AccountId: Codec> {
		/// Providers matching `filter` (netuid, status, GPU model, minimum class), one page
		/// from after `filter.start_after`, at most `filter.limit` (capped at 256).
		fn providers(filter: ProviderFilter<AccountId>) -> Vec<ProviderInfo<AccountId>>;
		/// The provider with this hotkey, if any.
		fn provider(hotkey: AccountId) -> Option<ProviderInfo<AccountId>>;
		/// Models matching `filter` (owner, kind, deprecated or not), one page from after
		/// `filter.start_after`, at most `filter.limit` (capped at 256).
		fn models(filter: ModelFilter<AccountId>) -> Vec<ModelInfo<AccountId>>;
		/// The model with this id, if any.
		fn model(id: ModelId) -> Option<ModelInfo<AccountId>>;
		/// Providers by status, GPUs online, offline and free, GPU totals by model and by
		/// performance class, active jobs by kind, settled jobs and volume per tempo, models.
		fn network_metrics() -> NetworkMetrics;
		/// The job with this id, if any (finished jobs are kept a day).
		fn job(id: JobId) -> Option<JobInfo<AccountId>>;
		/// Jobs matching `filter` (poster, provider, status), one page from after
		/// `filter.start_after`, at most `filter.limit` (capped at 256).
		fn jobs(filter: JobFilter<AccountId>) -> Vec<JobInfo<AccountId>>;
		/// Exactly what posting `spec` holds from the poster.
		fn quote(spec: JobSpec<AccountId>) -> JobQuote;
	}
}
