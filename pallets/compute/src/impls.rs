//! Shared helpers (holds, metrics), the deadline queue, and the providers' calls.

use crate::{
	ActiveProviders, AttestationPhase, Attestations, ComputeSubnets, Config, Counters, Deadline,
	Deadlines, Error, Event, GpusByClass, GpusByModel, HoldReason, Jobs, Pallet, Provider,
	Providers, Slashes, UnbondingChunk, WeightInfo,
};
use alloc::vec::Vec;
use codec::Encode;
use luxtensor_primitives::{
	compute::{GpuTotals, HardwareSpec, ProviderStatus, Score},
	subnets::NetUid,
	traits::{HotkeyOwnership, Neurons, OnSubnetDissolved},
	Balance, BlockNumber,
};
use polkadot_sdk::{
	frame_support::{
		ensure,
		traits::{fungible::MutateHold, tokens::Precision, Get},
		weights::Weight,
		BoundedVec,
	},
	frame_system,
	sp_core::H256,
	sp_io::hashing::blake2_256,
	sp_runtime::{
		traits::{Saturating, UniqueSaturatedInto},
		DispatchError, DispatchResult,
	},
};

/// How many blocks past the wanted one a deadline may spill when queues are full.
pub(crate) const MAX_DEADLINE_SPILL: BlockNumber = 16;

/// How many times a deadline that must happen looks `MAX_DEADLINE_SPILL` blocks further
/// for a queue with room.
const MAX_RESCHEDULES: BlockNumber = 64;

/// Adds `by` to a counter, or takes it away, saturating.
pub(crate) fn step_counter<N: Saturating + Copy>(counter: &mut N, by: N, add: bool) {
	*counter = if add { counter.saturating_add(by) } else { counter.saturating_sub(by) };
}

/// The provider record this pallet stores.
pub(crate) type ProviderOf<T> =
	Provider<<T as frame_system::Config>::AccountId, <T as Config>::MaxUnbondingChunks>;

impl<T: Config> Pallet<T> {
	pub(crate) fn now() -> BlockNumber {
		frame_system::Pallet::<T>::block_number().unique_saturated_into()
	}

	/// The bond a provider declaring `spec` must hold.
	pub fn required_bond(spec: &HardwareSpec) -> Balance {
		T::BondPerGpu::get()
			.saturating_mul(Balance::from(spec.gpu_count))
			.saturating_add(T::BaseBond::get())
	}

	/// The fee one attestation holds for its attestors.
	pub fn attestation_fee() -> Balance {
		T::AttestorFee::get().saturating_mul(Balance::from(T::AttestorsPerProvider::get()))
	}

	/// The commitment an attestor submits for a report on `provider`.
	pub fn attestation_commitment(
		provider: &T::AccountId,
		score: Score,
		verdict: bool,
		salt: &[u8; 32],
	) -> H256 {
		H256(blake2_256(&(provider, score, verdict, salt).encode()))
	}

	fn ensure_valid_spec(spec: &HardwareSpec) -> DispatchResult {
		let printable = |c: &u8| (0x20..0x7f).contains(c);
		ensure!(
			!spec.gpu_model.is_empty() && spec.gpu_model.iter().all(printable),
			Error::<T>::InvalidGpuModel
		);
		ensure!(
			(1..=T::MaxGpusPerProvider::get()).contains(&spec.gpu_count),
			Error::<T>::GpuCountOutOfBounds
		);
		ensure!(spec.vram_per_gpu_mib > 0, Error::<T>::ZeroVram);
		ensure!(spec.cpu_cores > 0 && spec.ram_mib > 0, Error::<T>::ZeroCpuOrRam);
		ensure!(spec.region.iter().all(u8::is_ascii_uppercase), Error::<T>::InvalidRegion);
		Ok(())
	}

	pub(crate) fn hold(reason: HoldReason, who: &T::AccountId, amount: Balance) -> DispatchResult {
		if amount == 0 {
			return Ok(());
		}
		T::Currency::hold(&reason.into(), who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		Ok(())
	}

	/// Releases what is held; the amount always is held, so anything less is a broken
	/// invariant, logged and released as far as possible.
	pub(crate) fn release(reason: HoldReason, who: &T::AccountId, amount: Balance) {
		if amount == 0 {
			return;
		}
		let released = T::Currency::release(&reason.into(), who, amount, Precision::BestEffort);
		if released != Ok(amount) {
			polkadot_sdk::frame_support::defensive!("compute: released less than was held");
		}
	}

	/// The provider `hotkey`, checked to be owned by `coldkey`.
	fn owned_provider(
		coldkey: &T::AccountId,
		hotkey: &T::AccountId,
	) -> Result<ProviderOf<T>, DispatchError> {
		let provider = Providers::<T>::get(hotkey).ok_or(Error::<T>::ProviderNotFound)?;
		ensure!(&provider.owner == coldkey, Error::<T>::NotHotkeyOwner);
		Ok(provider)
	}

	/// Stores a changed provider and moves its contribution to the metrics from `before`
	/// to `after`.
	pub(crate) fn store_provider(
		hotkey: &T::AccountId,
		before: Option<&ProviderOf<T>>,
		after: ProviderOf<T>,
	) {
		// What the metrics and the draw index count; a heartbeat of an active provider or a
		// new job changes none of it.
		let counted = |p: &ProviderOf<T>| (p.status, p.score, p.spec.clone());
		if before.is_none_or(|before| counted(before) != counted(&after)) {
			if let Some(before) = before {
				Self::tally(hotkey, before, false);
			}
			Self::tally(hotkey, &after, true);
		}
		Providers::<T>::insert(hotkey, after);
	}

	/// Removes a provider and its contribution to the metrics.
	fn remove_provider(hotkey: &T::AccountId, provider: &ProviderOf<T>) {
		Self::tally(hotkey, provider, false);
		Providers::<T>::remove(hotkey);
	}

	/// Adds (or removes) one provider's contribution to the counters, the GPU totals and
	/// the index random draws read.
	fn tally(hotkey: &T::AccountId, provider: &ProviderOf<T>, add: bool) {
		let gpus = u32::from(provider.spec.gpu_count);
		let vram = provider.spec.total_vram_mib();
		Counters::<T>::mutate(|counters| match provider.status {
			ProviderStatus::PendingAttestation => {
				step_counter(&mut counters.providers_pending, 1, add)
			}
			ProviderStatus::Active => {
				step_counter(&mut counters.providers_active, 1, add);
				step_counter(&mut counters.gpus_online, gpus, add);
				step_counter(&mut counters.vram_online_mib, vram, add);
			}
			ProviderStatus::Offline => {
				step_counter(&mut counters.providers_offline, 1, add);
				step_counter(&mut counters.gpus_offline, gpus, add);
			}
			ProviderStatus::Rejected => step_counter(&mut counters.providers_rejected, 1, add),
			ProviderStatus::Leaving => step_counter(&mut counters.providers_leaving, 1, add),
		});
		let Some(class) = provider.class().filter(|_| provider.is_attested()) else {
			return;
		};
		let apply = |totals: &mut Option<GpuTotals>| {
			let mut entry = totals.take().unwrap_or_default();
			step_counter(&mut entry.providers, 1, add);
			step_counter(&mut entry.gpus, gpus, add);
			step_counter(&mut entry.vram_mib, vram, add);
			*totals = (entry.providers > 0).then_some(entry);
		};
		GpusByModel::<T>::mutate(&provider.spec.gpu_model, apply);
		GpusByClass::<T>::mutate(class, apply);
		if provider.status == ProviderStatus::Active {
			ActiveProviders::<T>::mutate(class, |index| {
				if add {
					// A full class leaves the provider to direct jobs and auctions.
					let _ = index.try_push(hotkey.clone());
				} else {
					index.retain(|indexed| indexed != hotkey);
				}
			});
		}
	}

	// ----- Deadline queue -----

	/// Queues `deadline` at `at`, or the first of the next blocks with room.
	pub(crate) fn schedule(
		at: BlockNumber,
		deadline: Deadline<T::AccountId>,
	) -> Result<BlockNumber, Error<T>> {
		for offset in 0..=MAX_DEADLINE_SPILL {
			let block = at.saturating_add(offset);
			let mut queue = Deadlines::<T>::get(block).unwrap_or_default();
			if queue.try_push(deadline.clone()).is_ok() {
				Deadlines::<T>::insert(block, queue);
				return Ok(block);
			}
		}
		Err(Error::<T>::DeadlineQueueFull)
	}

	/// Queues a deadline that must happen (a slash, a record's removal) at `at` or, with
	/// queues full for a while, on the first later block with room.
	pub(crate) fn schedule_eventually(
		at: BlockNumber,
		deadline: Deadline<T::AccountId>,
	) -> Option<BlockNumber> {
		(0..=MAX_RESCHEDULES).find_map(|attempt| {
			let block = at.saturating_add(attempt.saturating_mul(MAX_DEADLINE_SPILL));
			Self::schedule(block, deadline.clone()).ok()
		})
	}

	/// Takes `deadline` out of the queue of block `at`.
	pub(crate) fn unschedule(at: BlockNumber, deadline: &Deadline<T::AccountId>) {
		Deadlines::<T>::mutate_exists(at, |queue| {
			if let Some(items) = queue {
				items.retain(|item| item != deadline);
				if items.is_empty() {
					*queue = None;
				}
			}
		});
	}

	/// Works off the deadlines due at `now`, within `DeadlineWeightBudget`; what is left
	/// moves to the next blocks.
	pub(crate) fn process_deadlines(now: BlockNumber) -> Weight {
		let mut weight = T::WeightInfo::on_initialize_idle();
		let Some(due) = Deadlines::<T>::take(now) else {
			return weight;
		};
		let budget = T::DeadlineWeightBudget::get();
		let mut due = due.into_iter();
		let mut worked_off = false;
		while let Some(deadline) = due.next() {
			if worked_off && weight.any_gt(budget) {
				let mut count: u32 = 0;
				for deadline in core::iter::once(deadline).chain(due.by_ref()) {
					Self::defer_deadline(deadline, now);
					count.saturating_inc();
				}
				weight.saturating_accrue(T::WeightInfo::defer_deadlines(count));
				Self::deposit_event(Event::DeadlinesDeferred { count });
				break;
			}
			let used = match deadline {
				Deadline::DrawAttestors(provider) => Self::draw_attestors(&provider, now),
				Deadline::CloseAttestation(provider) => Self::close_attestation(&provider, now),
				Deadline::Liveness(provider) => Self::expire_liveness(&provider, now),
				Deadline::ApplySlash(slash_id) => Self::apply_slash(slash_id),
				Deadline::Job(job) => Self::job_deadline(job, now),
			};
			weight.saturating_accrue(used);
			worked_off = true;
		}
		weight
	}

	/// Queues a deadline due at `now` for a later block, and tells the record waiting on it
	/// where it went.
	pub(crate) fn defer_deadline(deadline: Deadline<T::AccountId>, now: BlockNumber) {
		let Ok(at) = Self::schedule(now.saturating_add(1), deadline.clone()) else {
			polkadot_sdk::frame_support::defensive!("compute: no room to defer a deadline");
			return;
		};
		match deadline {
			Deadline::DrawAttestors(provider) | Deadline::CloseAttestation(provider) => {
				Attestations::<T>::mutate(&provider, |attestation| {
					match attestation.as_mut().map(|attestation| &mut attestation.phase) {
						Some(AttestationPhase::Drawing { at: draw_at }) => *draw_at = at,
						Some(AttestationPhase::Open { reveal_end, .. }) => *reveal_end = at,
						None => {}
					}
				})
			}
			Deadline::Liveness(provider) => Providers::<T>::mutate(&provider, |provider| {
				if let Some(provider) = provider {
					provider.liveness_deadline = Some(at);
				}
			}),
			Deadline::ApplySlash(slash_id) => Slashes::<T>::mutate(slash_id, |slash| {
				if let Some(slash) = slash {
					slash.apply_at = at;
				}
			}),
			Deadline::Job(job) => Jobs::<T>::mutate(job, |job| {
				if let Some(timer) = job.as_mut().and_then(|job| job.timer.as_mut()) {
					timer.queued = at;
				}
			}),
		}
	}

	// ----- Providers -----

	pub(crate) fn do_register_provider(
		coldkey: T::AccountId,
		hotkey: T::AccountId,
		netuid: NetUid,
		spec: HardwareSpec,
		ask_price: Balance,
		payout: T::AccountId,
	) -> DispatchResult {
		ensure!(ComputeSubnets::<T>::contains_key(netuid), Error::<T>::NotComputeSubnet);
		ensure!(T::Neurons::uid(netuid, &hotkey).is_some(), Error::<T>::NotNeuron);
		ensure!(
			T::HotkeyOwnership::owner(&hotkey).as_ref() == Some(&coldkey),
			Error::<T>::NotHotkeyOwner
		);
		ensure!(!Providers::<T>::contains_key(&hotkey), Error::<T>::AlreadyProvider);
		Self::ensure_valid_spec(&spec)?;

		let bond = Self::required_bond(&spec);
		let attestation_fee = Self::attestation_fee();
		Self::hold(HoldReason::ProviderBond, &coldkey, bond)?;
		Self::hold(HoldReason::AttestationFee, &coldkey, attestation_fee)?;
		let now = Self::now();
		let provider = Provider {
			owner: coldkey.clone(),
			netuid,
			spec,
			ask_price,
			payout,
			status: ProviderStatus::PendingAttestation,
			bond,
			unbonding: BoundedVec::new(),
			attestation_fee,
			score: None,
			registered_at: now,
			last_heartbeat: now,
			liveness_deadline: None,
			leaving_at: None,
			active_jobs: 0,
			pending_slashes: 0,
		};
		Self::store_provider(&hotkey, None, provider);
		Self::deposit_event(Event::ProviderRegistered {
			hotkey: hotkey.clone(),
			owner: coldkey,
			netuid,
			bond,
			attestation_fee,
		});
		Self::open_attestation(&hotkey, 0, now)?;
		Ok(())
	}

	pub(crate) fn do_update_provider(
		coldkey: T::AccountId,
		hotkey: T::AccountId,
		ask_price: Option<Balance>,
		payout: Option<T::AccountId>,
		spec: Option<HardwareSpec>,
	) -> DispatchResult {
		let before = Self::owned_provider(&coldkey, &hotkey)?;
		ensure!(ask_price.is_some() || payout.is_some() || spec.is_some(), Error::<T>::EmptyUpdate);
		ensure!(before.status != ProviderStatus::Leaving, Error::<T>::ProviderLeaving);
		let mut provider = before.clone();
		if let Some(ask_price) = ask_price {
			provider.ask_price = ask_price;
		}
		if let Some(payout) = payout {
			provider.payout = payout;
		}
		let spec_changed = spec.is_some();
		if let Some(spec) = spec {
			ensure!(provider.active_jobs == 0, Error::<T>::HasOpenWork);
			ensure!(!Attestations::<T>::contains_key(&hotkey), Error::<T>::AttestationInProgress);
			Self::ensure_valid_spec(&spec)?;
			let missing = Self::required_bond(&spec).saturating_sub(provider.active_bond());
			Self::hold(HoldReason::ProviderBond, &coldkey, missing)?;
			provider.bond.saturating_accrue(missing);
			let fee = Self::attestation_fee();
			Self::hold(HoldReason::AttestationFee, &coldkey, fee)?;
			provider.attestation_fee.saturating_accrue(fee);
			if let Some(at) = provider.liveness_deadline.take() {
				Self::unschedule(at, &Deadline::Liveness(hotkey.clone()));
			}
			provider.spec = spec;
			provider.status = ProviderStatus::PendingAttestation;
			provider.score = None;
		}
		Self::store_provider(&hotkey, Some(&before), provider);
		Self::deposit_event(Event::ProviderUpdated { hotkey: hotkey.clone(), spec_changed });
		if spec_changed {
			Self::open_attestation(&hotkey, 0, Self::now())?;
		}
		Ok(())
	}

	/// Whether `hotkey` may send a heartbeat now: what the pool checks too.
	pub fn check_heartbeat(hotkey: &T::AccountId) -> Result<ProviderOf<T>, Error<T>> {
		let provider = Providers::<T>::get(hotkey).ok_or(Error::<T>::ProviderNotFound)?;
		ensure!(provider.status != ProviderStatus::Leaving, Error::<T>::ProviderLeaving);
		let now = Self::now();
		ensure!(
			now >= provider.last_heartbeat.saturating_add(T::MinHeartbeatInterval::get()),
			Error::<T>::HeartbeatTooSoon
		);
		// A provider slashed below the bond its hardware requires comes back by bonding more.
		ensure!(
			!provider.is_attested()
				|| provider.active_bond() >= Self::required_bond(&provider.spec),
			Error::<T>::BondBelowRequired
		);
		Ok(provider)
	}

	pub(crate) fn do_heartbeat(hotkey: T::AccountId) -> DispatchResult {
		let before = Self::check_heartbeat(&hotkey)?;
		let now = Self::now();
		let mut provider = before.clone();
		provider.last_heartbeat = now;
		let was_offline = provider.status == ProviderStatus::Offline;
		if matches!(provider.status, ProviderStatus::Active | ProviderStatus::Offline) {
			Self::renew_liveness(&hotkey, &mut provider, now)?;
			provider.status = ProviderStatus::Active;
		}
		Self::store_provider(&hotkey, Some(&before), provider);
		if was_offline {
			Self::deposit_event(Event::ProviderOnline { hotkey });
		}
		Ok(())
	}

	/// Moves the provider's liveness deadline to `HeartbeatTimeout` blocks from `now`.
	pub(crate) fn renew_liveness(
		hotkey: &T::AccountId,
		provider: &mut ProviderOf<T>,
		now: BlockNumber,
	) -> Result<(), Error<T>> {
		let deadline = Deadline::Liveness(hotkey.clone());
		if let Some(at) = provider.liveness_deadline.take() {
			Self::unschedule(at, &deadline);
		}
		let at = Self::schedule(now.saturating_add(T::HeartbeatTimeout::get()), deadline)?;
		provider.liveness_deadline = Some(at);
		Ok(())
	}

	/// An active provider whose liveness deadline came without a heartbeat goes offline.
	pub(crate) fn expire_liveness(hotkey: &T::AccountId, now: BlockNumber) -> Weight {
		let Some(before) = Providers::<T>::get(hotkey) else {
			return T::WeightInfo::expire_liveness();
		};
		if before.status != ProviderStatus::Active || before.liveness_deadline != Some(now) {
			polkadot_sdk::frame_support::defensive!("compute: stale liveness deadline");
			return T::WeightInfo::expire_liveness();
		}
		let mut provider = before.clone();
		provider.status = ProviderStatus::Offline;
		provider.liveness_deadline = None;
		Self::store_provider(hotkey, Some(&before), provider);
		Self::deposit_event(Event::ProviderOffline { hotkey: hotkey.clone() });
		T::WeightInfo::expire_liveness()
	}

	pub(crate) fn do_bond_more(
		coldkey: T::AccountId,
		hotkey: T::AccountId,
		amount: Balance,
	) -> DispatchResult {
		let mut provider = Self::owned_provider(&coldkey, &hotkey)?;
		ensure!(provider.status != ProviderStatus::Leaving, Error::<T>::ProviderLeaving);
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		Self::hold(HoldReason::ProviderBond, &coldkey, amount)?;
		provider.bond.saturating_accrue(amount);
		// The bond is not counted in the metrics.
		Providers::<T>::insert(&hotkey, provider);
		Self::deposit_event(Event::Bonded { hotkey, amount });
		Ok(())
	}

	pub(crate) fn do_unbond(
		coldkey: T::AccountId,
		hotkey: T::AccountId,
		amount: Balance,
	) -> DispatchResult {
		let mut provider = Self::owned_provider(&coldkey, &hotkey)?;
		ensure!(provider.status != ProviderStatus::Leaving, Error::<T>::ProviderLeaving);
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		ensure!(provider.active_jobs == 0, Error::<T>::HasOpenWork);
		let remaining =
			provider.active_bond().checked_sub(amount).ok_or(Error::<T>::BondBelowRequired)?;
		ensure!(remaining >= Self::required_bond(&provider.spec), Error::<T>::BondBelowRequired);
		let unlock_at = Self::now().saturating_add(T::UnbondingPeriod::get());
		provider
			.unbonding
			.try_push(UnbondingChunk { amount, unlock_at })
			.map_err(|_| Error::<T>::TooManyUnbondingChunks)?;
		Providers::<T>::insert(&hotkey, provider);
		Self::deposit_event(Event::Unbonding { hotkey, amount, unlock_at });
		Ok(())
	}

	pub(crate) fn do_withdraw_unbonded(
		coldkey: T::AccountId,
		hotkey: T::AccountId,
	) -> DispatchResult {
		let mut provider = Self::owned_provider(&coldkey, &hotkey)?;
		ensure!(provider.pending_slashes == 0, Error::<T>::SlashPending);
		let now = Self::now();
		if provider.status == ProviderStatus::Leaving
			&& provider.leaving_at.is_some_and(|at| now >= at)
		{
			Self::release(HoldReason::ProviderBond, &coldkey, provider.bond);
			Self::remove_provider(&hotkey, &provider);
			Self::deposit_event(Event::Withdrawn { hotkey: hotkey.clone(), amount: provider.bond });
			Self::deposit_event(Event::ProviderRemoved { hotkey });
			return Ok(());
		}
		let (ready, waiting): (Vec<UnbondingChunk>, Vec<UnbondingChunk>) =
			provider.unbonding.iter().copied().partition(|chunk| now >= chunk.unlock_at);
		let amount = ready.iter().fold(0, |sum: Balance, chunk| sum.saturating_add(chunk.amount));
		ensure!(amount > 0, Error::<T>::NothingToWithdraw);
		Self::release(HoldReason::ProviderBond, &coldkey, amount);
		provider.bond.saturating_reduce(amount);
		provider.unbonding = BoundedVec::truncate_from(waiting);
		Providers::<T>::insert(&hotkey, provider);
		Self::deposit_event(Event::Withdrawn { hotkey, amount });
		Ok(())
	}

	pub(crate) fn do_deregister(coldkey: T::AccountId, hotkey: T::AccountId) -> DispatchResult {
		let before = Self::owned_provider(&coldkey, &hotkey)?;
		ensure!(before.status != ProviderStatus::Leaving, Error::<T>::ProviderLeaving);
		ensure!(before.active_jobs == 0, Error::<T>::HasOpenWork);
		ensure!(!Attestations::<T>::contains_key(&hotkey), Error::<T>::AttestationInProgress);
		let mut provider = before.clone();
		if let Some(at) = provider.liveness_deadline.take() {
			Self::unschedule(at, &Deadline::Liveness(hotkey.clone()));
		}
		let unlock_at = Self::now().saturating_add(T::UnbondingPeriod::get());
		provider.status = ProviderStatus::Leaving;
		provider.leaving_at = Some(unlock_at);
		Self::store_provider(&hotkey, Some(&before), provider);
		Self::deposit_event(Event::ProviderLeaving { hotkey, unlock_at });
		Ok(())
	}
}

impl<T: Config> OnSubnetDissolved for Pallet<T> {
	/// A dissolved subnet is no compute subnet any more: no provider registers there. Its
	/// providers keep their records and bonds, and may deregister as usual.
	fn on_subnet_dissolved(netuid: NetUid) -> Weight {
		ComputeSubnets::<T>::remove(netuid);
		T::WeightInfo::on_subnet_dissolved()
	}

	fn weight(_: NetUid) -> Weight {
		T::WeightInfo::on_subnet_dissolved()
	}

	/// Its scores of the tempo go, `limit` a block.
	fn clear_subnet(netuid: NetUid, limit: u32) -> (Weight, bool) {
		let result = crate::TempoScores::<T>::clear_prefix(netuid, limit, None);
		(T::WeightInfo::take_scores(result.unique), result.maybe_cursor.is_none())
	}
}
