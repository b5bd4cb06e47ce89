//! The pallet's invariants, checked after every test and by try-runtime.

use crate::{
	impls::ProviderOf, AttestationPhase, Attestations, Config, Counters, Deadline, Deadlines,
	GpusByClass, GpusByModel, HoldReason, ModelIds, Models, NextModelId, NextSlashId, Offences,
	Pallet, Providers, Slashes,
};
use alloc::vec::Vec;
use luxtensor_primitives::{
	compute::{GpuTotals, ProviderStatus},
	Balance, BlockNumber,
};
use polkadot_sdk::{frame_support::ensure, sp_runtime::traits::Saturating};

impl<T: Config> Pallet<T> {
	/// Checks that held funds equal what the records say, that counters equal what they
	/// count, and that every deadline, attestation and slash refers to something live.
	pub(crate) fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		use luxtensor_primitives::compute::{ComputeCounters, GpuModel, PerformanceClass};

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

		for (slash_id, slash) in Slashes::<T>::iter() {
			ensure!(Providers::<T>::contains_key(&slash.provider), "slash of no provider");
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
			ensure!(
				Offences::<T>::get(&provider.owner) >= provider.pending_slashes,
				"a pending slash not counted as an offence"
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

		let mut owners: Vec<T::AccountId> = bonds.keys().cloned().collect();
		owners.extend(deposits.keys().cloned());
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
			counters.active_jobs.saturating_accrue(provider.active_jobs);
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
		// Leases come with the jobs: until then no GPU is leased (the recount keeps 0).
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
