//! The pallet's invariants, checked after every test and by try-runtime.

use crate::{
	impls::ProviderOf, ActiveProviders, AttestationPhase, Attestations, Bids, ComputeSubnets,
	Config, Counters, Deadline, Deadlines, GpusByClass, GpusByModel, HoldReason, JobStats, Jobs,
	LeasedGpus, ModelIds, Models, NextJobId, NextModelId, NextSlashId, Pallet, PosterJobs,
	Providers, Replica, ReviewKind, Reviews, Slashes, TempoScores,
};
use alloc::vec::Vec;
use luxtensor_primitives::{
	compute::{GpuTotals, ProviderStatus},
	traits::SubnetsInfo,
	Balance, BlockNumber,
};
use polkadot_sdk::{frame_support::ensure, sp_runtime::traits::Saturating};

impl<T: Config> Pallet<T> {
	/// Checks that held funds equal what the records say (bonds, fees, deposits, escrows,
	/// collaterals), that counters equal what they count, and that every deadline,
	/// attestation, slash and job refers to something live.
	/// Always built, so the runtime's randomized tests check them after every block.
	pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		use luxtensor_primitives::compute::{
			ComputeCounters, GpuModel, JobCounters, JobKind, JobStatus, ModelId, PerformanceClass,
		};

		let deadline_at = |at: BlockNumber, deadline: &Deadline<T::AccountId>| {
			Deadlines::<T>::get(at).is_some_and(|queue| queue.contains(deadline))
		};

		let mut bonds: BTreeMap<T::AccountId, (Balance, Balance)> = BTreeMap::new();
		let mut pending_slashes: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut providers: Vec<(T::AccountId, ProviderOf<T>)> = Vec::new();
		for (hotkey, provider) in Providers::<T>::iter() {
			ensure!(provider.unbonding_total() <= provider.bond, "unbonding more than the bond");
			ensure!(
				(provider.status == ProviderStatus::Leaving) == provider.leaving_at.is_some(),
				"leaving_at set exactly for leaving providers"
			);
			ensure!(
				(provider.status == ProviderStatus::Active) == provider.liveness_deadline.is_some(),
				"a liveness deadline exactly for active providers"
			);
			if let Some(at) = provider.liveness_deadline {
				ensure!(
					deadline_at(at, &Deadline::Liveness(hotkey.clone())),
					"an active provider's liveness deadline is not queued"
				);
			}
			ensure!(
				(provider.attestation_fee > 0) == Attestations::<T>::contains_key(&hotkey),
				"an attestation fee is held exactly while an attestation is open"
			);
			ensure!(!provider.is_attested() || provider.score.is_some(), "attested without score");
			let held = bonds.entry(provider.owner.clone()).or_default();
			held.0 = held.0.saturating_add(provider.bond);
			held.1 = held.1.saturating_add(provider.attestation_fee);
			providers.push((hotkey, provider));
		}

		for (hotkey, attestation) in Attestations::<T>::iter() {
			let provider = Providers::<T>::get(&hotkey).ok_or("attestation of no provider")?;
			ensure!(
				provider.status == ProviderStatus::PendingAttestation,
				"attestation of a provider that is not pending"
			);
			let queued = match attestation.phase {
				AttestationPhase::Drawing { at } => {
					deadline_at(at, &Deadline::DrawAttestors(hotkey.clone()))
				}
				AttestationPhase::Open { reveal_end, .. } => {
					deadline_at(reveal_end, &Deadline::CloseAttestation(hotkey.clone()))
				}
			};
			ensure!(queued, "an attestation's next step is not queued");
			let mut seen = Vec::new();
			for slot in &attestation.attestors {
				ensure!(!seen.contains(&&slot.hotkey), "an attestor drawn twice");
				ensure!(
					slot.report.is_none() || slot.commitment.is_some(),
					"reveal without commit"
				);
				seen.push(&slot.hotkey);
			}
		}

		let mut collaterals: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		for (netuid, _, _) in TempoScores::<T>::iter() {
			// A dissolved subnet's scores are removed over a few blocks.
			ensure!(
				ComputeSubnets::<T>::contains_key(netuid) || T::Subnets::is_clearing(netuid),
				"scores on no compute subnet"
			);
		}

		for (slash_id, slash) in Slashes::<T>::iter() {
			let provider = Providers::<T>::get(&slash.provider).ok_or("slash of no provider")?;
			ensure!(
				slash.job.is_some() || slash.collateral == 0,
				"collateral in a slash outside a job"
			);
			let held = collaterals.entry(provider.owner).or_default();
			*held = held.saturating_add(slash.collateral);
			ensure!(
				deadline_at(slash.apply_at, &Deadline::ApplySlash(slash_id)),
				"a pending slash is not queued"
			);
			ensure!(slash_id < NextSlashId::<T>::get(), "a slash id not yet handed out");
			let count = pending_slashes.entry(slash.provider).or_default();
			*count = count.saturating_add(1);
		}
		for (hotkey, provider) in &providers {
			ensure!(
				provider.pending_slashes == pending_slashes.get(hotkey).copied().unwrap_or(0),
				"pending_slashes does not count the provider's slashes"
			);
		}

		let mut deposits: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		let (mut models, mut deprecated) = (0u32, 0u32);
		for (id, model) in Models::<T>::iter() {
			ensure!(
				ModelIds::<T>::get(&model.name, model.version) == Some(id),
				"a model is not found by its name and version"
			);
			ensure!(id < NextModelId::<T>::get(), "a model id not yet handed out");
			let held = deposits.entry(model.owner.clone()).or_default();
			*held = held.saturating_add(model.deposit);
			models = models.saturating_add(1);
			deprecated = deprecated.saturating_add(u32::from(model.deprecated));
		}
		for (_, _, id) in ModelIds::<T>::iter() {
			ensure!(Models::<T>::contains_key(id), "a name and version of no model");
		}

		let mut escrows: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		let mut provider_jobs: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut poster_jobs: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut model_refs: BTreeMap<ModelId, u32> = BTreeMap::new();
		let mut leased: BTreeMap<T::AccountId, u16> = BTreeMap::new();
		let mut job_counts = JobCounters::default();
		let mut active_jobs = 0u32;
		for (id, job) in Jobs::<T>::iter() {
			ensure!(id < NextJobId::<T>::get(), "a job id not yet handed out");
			let timer = job.timer.ok_or("a job without a next step")?;
			ensure!(timer.queued >= timer.due, "a job step queued before it is due");
			ensure!(
				deadline_at(timer.queued, &Deadline::Job(id)),
				"a job's next step is not queued"
			);
			ensure!(job.escrow >= job.reserved, "a job reserves more than its escrow");
			if job.status.is_finished() {
				ensure!(
					job.escrow == 0 && job.finished_at.is_some(),
					"a finished job holds escrow"
				);
				ensure!(
					job.replicas.iter().all(|replica| replica.collateral == 0),
					"a finished job holds collateral"
				);
				ensure!(!Bids::<T>::contains_key(id), "bids of a finished job");
				continue;
			}
			active_jobs.saturating_inc();
			match job.spec.kind {
				JobKind::Inference { .. } => job_counts.active_inference.saturating_inc(),
				JobKind::Training { .. } => job_counts.active_training.saturating_inc(),
				JobKind::Lease { .. } => job_counts.active_leases.saturating_inc(),
			}
			poster_jobs.entry(job.poster.clone()).or_default().saturating_inc();
			if let luxtensor_primitives::compute::Workload::Model(model) = job.spec.workload {
				model_refs.entry(model).or_default().saturating_inc();
			}
			let escrow = escrows.entry(job.poster.clone()).or_default();
			*escrow = escrow.saturating_add(job.escrow);
			let mut hotkeys = Vec::new();
			let mut coldkeys = Vec::new();
			for replica in &job.replicas {
				ensure!(!hotkeys.contains(&&replica.provider), "a provider twice on a job");
				ensure!(!coldkeys.contains(&&replica.owner), "a coldkey twice on a job");
				hotkeys.push(&replica.provider);
				coldkeys.push(&replica.owner);
				ensure!(
					replica.accepted() || replica.collateral == 0,
					"collateral before accepting"
				);
				let held = collaterals.entry(replica.owner.clone()).or_default();
				*held = held.saturating_add(replica.collateral);
				provider_jobs.entry(replica.provider.clone()).or_default().saturating_inc();
			}
			let replicas = usize::from(job.spec.replicas);
			match job.status {
				JobStatus::Open => ensure!(job.replicas.is_empty(), "an open job with providers"),
				JobStatus::Assigned => {
					ensure!(job.replicas.len() == replicas, "an assigned job short of providers")
				}
				_ => ensure!(
					job.replicas.len() == replicas && job.replicas.iter().all(Replica::accepted),
					"a running job with a provider that did not accept"
				),
			}
			let leasing = matches!(job.status, JobStatus::Running | JobStatus::Grace)
				&& job.spec.kind.is_lease();
			ensure!(leasing == job.lease.is_some(), "lease billing exactly for running leases");
			if leasing {
				for replica in &job.replicas {
					let gpus = leased.entry(replica.provider.clone()).or_default();
					*gpus = gpus.saturating_add(job.spec.gpu_count);
				}
			}
		}
		for (id, bids) in Bids::<T>::iter() {
			ensure!(Jobs::<T>::contains_key(id), "bids of no job");
			ensure!(!bids.is_empty(), "an empty bid list is kept");
		}
		for (block, queue) in Deadlines::<T>::iter() {
			for deadline in queue.iter() {
				if let Deadline::Job(id) = deadline {
					let job = Jobs::<T>::get(id).ok_or("a deadline of no job")?;
					ensure!(
						job.timer.is_some_and(|timer| timer.queued == block),
						"a job deadline its job does not expect"
					);
				}
			}
		}
		for (hotkey, provider) in &providers {
			ensure!(
				provider.active_jobs == provider_jobs.get(hotkey).copied().unwrap_or(0),
				"active_jobs does not count the provider's jobs"
			);
			let gpus = leased.get(hotkey).copied().unwrap_or(0);
			ensure!(LeasedGpus::<T>::get(hotkey).unwrap_or(0) == gpus, "leased GPUs differ");
			ensure!(gpus <= provider.spec.gpu_count, "more GPUs leased than the provider has");
		}
		ensure!(LeasedGpus::<T>::iter().count() == leased.len(), "leased GPUs of no running lease");
		ensure!(
			PosterJobs::<T>::iter().collect::<BTreeMap<_, _>>() == poster_jobs,
			"PosterJobs differs from the jobs"
		);
		let stats = JobStats::<T>::get();
		ensure!(
			(stats.active_inference, stats.active_training, stats.active_leases)
				== (
					job_counts.active_inference,
					job_counts.active_training,
					job_counts.active_leases
				),
			"active jobs by kind differ from the jobs"
		);
		for (id, model) in Models::<T>::iter() {
			ensure!(
				model.job_refs == model_refs.get(&id).copied().unwrap_or(0),
				"job_refs does not count the model's jobs"
			);
		}
		for (class, index) in ActiveProviders::<T>::iter() {
			for hotkey in index.iter() {
				let provider = Providers::<T>::get(hotkey).ok_or("an indexed provider is gone")?;
				ensure!(
					provider.status == ProviderStatus::Active && provider.class() == Some(class),
					"an indexed provider is not active in its class"
				);
			}
		}
		for (hotkey, provider) in &providers {
			if let Some(class) =
				provider.class().filter(|_| provider.status == ProviderStatus::Active)
			{
				let index = ActiveProviders::<T>::get(class);
				ensure!(
					index.contains(hotkey) || index.is_full(),
					"an active provider is missing from the draw index"
				);
			}
		}

		let mut challenge_bonds: BTreeMap<T::AccountId, Balance> = BTreeMap::new();
		for (id, review) in Reviews::<T>::iter() {
			let job = Jobs::<T>::get(id).ok_or("review of no job")?;
			ensure!(
				matches!(
					job.status,
					JobStatus::Checking
						| JobStatus::Revealing
						| JobStatus::Challengeable
						| JobStatus::Disputed
				),
				"review of a job not being verified"
			);
			if let ReviewKind::Challenge { challenger, bond, .. } = review.kind {
				ensure!(job.status == JobStatus::Disputed, "a challenge outside a dispute");
				let held = challenge_bonds.entry(challenger).or_default();
				*held = held.saturating_add(bond);
			}
		}

		let mut owners: Vec<T::AccountId> = bonds.keys().cloned().collect();
		owners.extend(challenge_bonds.keys().cloned());
		owners.extend(deposits.keys().cloned());
		owners.extend(escrows.keys().cloned());
		owners.extend(collaterals.keys().cloned());
		for owner in owners {
			let (bond, fee) = bonds.get(&owner).copied().unwrap_or_default();
			let deposit = deposits.get(&owner).copied().unwrap_or_default();
			let held = |reason: HoldReason| {
				<T::Currency as polkadot_sdk::frame_support::traits::fungible::InspectHold<_>>::balance_on_hold(
					&reason.into(),
					&owner,
				)
			};
			ensure!(
				held(HoldReason::ProviderBond) == bond,
				"held bonds differ from provider bonds"
			);
			ensure!(held(HoldReason::AttestationFee) == fee, "held fees differ from open fees");
			ensure!(held(HoldReason::ModelDeposit) == deposit, "held deposits differ from models");
			ensure!(
				held(HoldReason::JobEscrow) == escrows.get(&owner).copied().unwrap_or_default(),
				"held escrow differs from the jobs"
			);
			ensure!(
				held(HoldReason::JobCollateral)
					== collaterals.get(&owner).copied().unwrap_or_default(),
				"held collateral differs from the jobs and pending slashes"
			);
			ensure!(
				held(HoldReason::ChallengeBond)
					== challenge_bonds.get(&owner).copied().unwrap_or_default(),
				"held challenge bonds differ from the open challenges"
			);
		}

		// Recount the metrics from the records.
		let mut counters =
			ComputeCounters { models, models_deprecated: deprecated, ..Default::default() };
		let mut by_model: BTreeMap<GpuModel, GpuTotals> = BTreeMap::new();
		let mut by_class: BTreeMap<PerformanceClass, GpuTotals> = BTreeMap::new();
		for (_, provider) in &providers {
			let gpus = u32::from(provider.spec.gpu_count);
			match provider.status {
				ProviderStatus::PendingAttestation => counters.providers_pending.saturating_inc(),
				ProviderStatus::Active => {
					counters.providers_active.saturating_inc();
					counters.gpus_online.saturating_accrue(gpus);
					counters.vram_online_mib.saturating_accrue(provider.spec.total_vram_mib());
				}
				ProviderStatus::Offline => {
					counters.providers_offline.saturating_inc();
					counters.gpus_offline.saturating_accrue(gpus);
				}
				ProviderStatus::Rejected => counters.providers_rejected.saturating_inc(),
				ProviderStatus::Leaving => counters.providers_leaving.saturating_inc(),
			}
			if let Some(class) = provider.class().filter(|_| provider.is_attested()) {
				for totals in [
					by_model.entry(provider.spec.gpu_model.clone()).or_default(),
					by_class.entry(class).or_default(),
				] {
					totals.providers.saturating_inc();
					totals.gpus.saturating_accrue(gpus);
					totals.vram_mib.saturating_accrue(provider.spec.total_vram_mib());
				}
			}
		}
		counters.active_jobs = active_jobs;
		counters.gpus_leased =
			leased.values().fold(0u32, |sum, gpus| sum.saturating_add(u32::from(*gpus)));
		ensure!(counters == Counters::<T>::get(), "counters differ from the records");
		ensure!(
			by_model == GpusByModel::<T>::iter().collect::<BTreeMap<_, _>>(),
			"GPU totals by model differ from the records"
		);
		ensure!(
			by_class == GpusByClass::<T>::iter().collect::<BTreeMap<_, _>>(),
			"GPU totals by class differ from the records"
		);

		for (_, queue) in Deadlines::<T>::iter() {
			ensure!(!queue.is_empty(), "an empty deadline queue is kept");
		}
		Ok(())
	}
}
