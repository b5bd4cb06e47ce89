//! What the `ComputeApi` runtime API returns: providers, models and jobs, filtered and
//! paginated, and the network metrics.

use crate::{
	impls::ProviderOf, jobs::JobOf, Attestations, Bids, Config, Counters, GpusByClass, GpusByModel,
	JobStats, Jobs, Model, Models, Pallet, Providers, ReplicaState, Reviews,
};
use alloc::vec::Vec;
use luxtensor_primitives::compute::{
	JobCounters, JobFilter, JobId, JobInfo, ModelFilter, ModelId, ModelInfo, NetworkMetrics,
	ProviderFilter, ProviderInfo, ReplicaInfo, ReviewInfo, ReviewerInfo, MAX_PAGE_SIZE,
};
use polkadot_sdk::frame_support::traits::Get;

impl<T: Config> Pallet<T> {
	fn provider_view(hotkey: T::AccountId, provider: ProviderOf<T>) -> ProviderInfo<T::AccountId> {
		let attestation_open = Attestations::<T>::contains_key(&hotkey);
		let offences = Self::recent_offences(&provider.owner, Self::now());
		let reputation = Self::reputation(&hotkey);
		ProviderInfo {
			class: provider.class(),
			hotkey,
			owner: provider.owner,
			netuid: provider.netuid,
			spec: provider.spec,
			ask_price: provider.ask_price,
			payout: provider.payout,
			status: provider.status,
			score: provider.score,
			bond: provider.bond,
			unbonding: provider
				.unbonding
				.iter()
				.map(|chunk| (chunk.amount, chunk.unlock_at))
				.collect(),
			registered_at: provider.registered_at,
			last_heartbeat: provider.last_heartbeat,
			attestation_open,
			offences,
			active_jobs: provider.active_jobs,
			pending_slashes: provider.pending_slashes,
			reputation,
		}
	}

	/// The provider with this hotkey, if any.
	pub fn provider_info(hotkey: T::AccountId) -> Option<ProviderInfo<T::AccountId>> {
		Providers::<T>::get(&hotkey).map(|provider| Self::provider_view(hotkey, provider))
	}

	/// Providers matching `filter`, in storage order, from after `filter.start_after`, at
	/// most `filter.limit` (capped at [`MAX_PAGE_SIZE`]).
	pub fn providers(filter: ProviderFilter<T::AccountId>) -> Vec<ProviderInfo<T::AccountId>> {
		let limit = filter.limit.min(MAX_PAGE_SIZE) as usize;
		let matches = |provider: &ProviderOf<T>| {
			filter.netuid.is_none_or(|netuid| provider.netuid == netuid)
				&& filter.status.is_none_or(|status| provider.status == status)
				&& filter.gpu_model.as_ref().is_none_or(|model| &provider.spec.gpu_model == model)
				&& filter
					.min_class
					.is_none_or(|min| provider.class().is_some_and(|class| class >= min))
		};
		let iter = match &filter.start_after {
			Some(hotkey) => Providers::<T>::iter_from(Providers::<T>::hashed_key_for(hotkey)),
			None => Providers::<T>::iter(),
		};
		iter.filter(|(_, provider)| matches(provider))
			.take(limit)
			.map(|(hotkey, provider)| Self::provider_view(hotkey, provider))
			.collect()
	}

	fn model_view(id: ModelId, model: Model<T::AccountId>) -> ModelInfo<T::AccountId> {
		ModelInfo {
			id,
			owner: model.owner,
			name: model.name,
			content_id: model.content_id,
			version: model.version,
			kind: model.kind,
			metadata: model.metadata,
			deprecated: model.deprecated,
			deposit: model.deposit,
			registered_at: model.registered_at,
			job_refs: model.job_refs,
		}
	}

	/// The model with this id, if any.
	pub fn model_info(id: ModelId) -> Option<ModelInfo<T::AccountId>> {
		Models::<T>::get(id).map(|model| Self::model_view(id, model))
	}

	/// Models matching `filter`, in storage order, from after `filter.start_after`, at
	/// most `filter.limit` (capped at [`MAX_PAGE_SIZE`]).
	pub fn models(filter: ModelFilter<T::AccountId>) -> Vec<ModelInfo<T::AccountId>> {
		let limit = filter.limit.min(MAX_PAGE_SIZE) as usize;
		let iter = match filter.start_after {
			Some(id) => Models::<T>::iter_from(Models::<T>::hashed_key_for(id)),
			None => Models::<T>::iter(),
		};
		iter.filter(|(_, model)| {
			filter.owner.as_ref().is_none_or(|owner| &model.owner == owner)
				&& filter.kind.is_none_or(|kind| model.kind == kind)
				&& (filter.include_deprecated || !model.deprecated)
		})
		.take(limit)
		.map(|(id, model)| Self::model_view(id, model))
		.collect()
	}

	/// The counters and the GPU totals by model and by class.
	pub fn network_metrics() -> NetworkMetrics {
		let counters = Counters::<T>::get();
		NetworkMetrics {
			gpus_free: counters.gpus_online.saturating_sub(counters.gpus_leased),
			counters,
			by_gpu_model: GpusByModel::<T>::iter().collect(),
			by_class: GpusByClass::<T>::iter().collect(),
			jobs: Self::job_stats_now(),
		}
	}

	/// The job counters with the settled work of the current tempo and the one before, as
	/// of now (the stored ones move on only when something settles).
	pub(crate) fn job_stats_now() -> JobCounters {
		let mut stats = JobStats::<T>::get();
		let tempo = Self::now().checked_div(T::MetricsTempo::get()).unwrap_or(0);
		if stats.tempo != tempo {
			let consecutive = stats.tempo.saturating_add(1) == tempo;
			stats.previous_settled_jobs = if consecutive { stats.settled_jobs } else { 0 };
			stats.previous_settled_volume = if consecutive { stats.settled_volume } else { 0 };
			stats.tempo = tempo;
			stats.settled_jobs = 0;
			stats.settled_volume = 0;
		}
		stats
	}

	fn job_view(id: JobId, job: JobOf<T>) -> JobInfo<T::AccountId> {
		JobInfo {
			id,
			replicas: job
				.replicas
				.into_iter()
				.map(|replica| ReplicaInfo {
					accepted: replica.accepted(),
					committed: !matches!(
						replica.state,
						ReplicaState::Assigned | ReplicaState::Accepted
					),
					result: match replica.state {
						ReplicaState::Revealed { result_hash, output } => {
							Some((result_hash, output))
						}
						_ => None,
					},
					provider: replica.provider,
					payout: replica.payout,
					unit_price: replica.unit_price,
					collateral: replica.collateral,
				})
				.collect(),
			bids: Bids::<T>::get(id)
				.unwrap_or_default()
				.into_iter()
				.map(|bid| (bid.provider, bid.unit_price))
				.collect(),
			next_step_at: job.timer.map(|timer| timer.due),
			review: Reviews::<T>::get(id).map(|review| ReviewInfo {
				kind: review.kind,
				reviewers: review
					.reviewers
					.into_iter()
					.map(|reviewer| ReviewerInfo {
						hotkey: reviewer.hotkey,
						committed: reviewer.commitment.is_some(),
						result: reviewer.result,
					})
					.collect(),
				commit_end: review.commit_end,
				verdict: review.verdict,
			}),
			periods_billed: job.lease.map(|lease| lease.billed).unwrap_or(0),
			poster: job.poster,
			spec: job.spec,
			status: job.status,
			posted_at: job.posted_at,
			escrow: job.escrow,
			paid: job.paid,
			burned: job.burned,
			result: job.result,
			finished_at: job.finished_at,
		}
	}

	/// The job with this id, if it exists (finished jobs are kept `JobRetention` blocks).
	pub fn job_info(id: JobId) -> Option<JobInfo<T::AccountId>> {
		Jobs::<T>::get(id).map(|job| Self::job_view(id, job))
	}

	/// Jobs matching `filter`, in storage order, from after `filter.start_after`, at most
	/// `filter.limit` (capped at [`MAX_PAGE_SIZE`]).
	pub fn jobs(filter: JobFilter<T::AccountId>) -> Vec<JobInfo<T::AccountId>> {
		let limit = filter.limit.min(MAX_PAGE_SIZE) as usize;
		let iter = match filter.start_after {
			Some(id) => Jobs::<T>::iter_from(Jobs::<T>::hashed_key_for(id)),
			None => Jobs::<T>::iter(),
		};
		iter.filter(|(_, job)| {
			filter.poster.as_ref().is_none_or(|poster| &job.poster == poster)
				&& filter.status.is_none_or(|status| job.status == status)
				&& filter.provider.as_ref().is_none_or(|provider| {
					job.replicas.iter().any(|replica| &replica.provider == provider)
				})
		})
		.take(limit)
		.map(|(id, job)| Self::job_view(id, job))
		.collect()
	}
}
