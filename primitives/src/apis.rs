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
	metagraph::{Metagraph, MetagraphField, SelectiveMetagraph, UidRange},
	stake::{DelegateInfo, PoolId, StakePosition},
	subnets::{NetUid, NeuronInfoLite, SubnetHyperparameters, SubnetInfo, Uid},
	Balance, PageRequest,
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
		/// The neurons at `uids` (at most 4096), by uid.
		fn neurons_lite(netuid: NetUid, uids: UidRange) -> Vec<NeuronInfoLite<AccountId>>;
		/// The neuron at `uid`, if there is one.
		fn neuron(netuid: NetUid, uid: Uid) -> Option<NeuronInfoLite<AccountId>>;
		/// Every per-uid value (stake, epoch results, axons, weights and bonds) of the uids
		/// in `uids`, at most 256 of them (weights and bonds are large), if the subnet exists.
		/// `header.first_uid` and `header.n` say where the page is.
		fn metagraph(netuid: NetUid, uids: UidRange) -> Option<Metagraph<AccountId>>;
		/// Only the columns in `fields` (the others `None`) of the uids in `uids`, if the
		/// subnet exists: up to 4096 uids, 256 with weights or bonds. Cheaper than
		/// `metagraph` when a client needs, say, stakes but not weights.
		fn selective_metagraph(
			netuid: NetUid,
			fields: Vec<MetagraphField>,
			uids: UidRange,
		) -> Option<SelectiveMetagraph<AccountId>>;
	}

	/// Stake: hotkeys that hold it (delegates) and what each coldkey has staked.
	pub trait StakeApi<AccountId: Codec> {
		/// One page of the hotkeys holding stake, in storage order (by the hotkey's hash;
		/// `page.start_after` is the last hotkey of the previous page, `limit` at most 256).
		fn delegates(page: PageRequest<AccountId>) -> Vec<DelegateInfo<AccountId>>;
		/// The hotkey's stake, take and registrations, if it holds stake.
		fn delegate(hotkey: AccountId) -> Option<DelegateInfo<AccountId>>;
		/// One page of the coldkeys staking on `hotkey` and their stake, in storage order
		/// (`page.start_after` is the last coldkey of the previous page).
		fn nominators(hotkey: AccountId, page: PageRequest<AccountId>) -> Vec<(AccountId, Balance)>;
		/// One page of the coldkey's stakes, in storage order (`page.start_after` is the
		/// last position's `pool`). The first page also holds, ahead of `limit` positions,
		/// the pools of hotkeys it owns where its only stake is what they earned it (at most
		/// one per owned hotkey).
		fn stake_info_for_coldkey(
			coldkey: AccountId,
			page: PageRequest<PoolId>,
		) -> Vec<StakePosition<AccountId>>;
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
