//! The logic behind pallet-compute's calls and hooks.

use crate::{
	cid::{validate_cid_v1, CidError},
	Attestation, AttestationPhase, Attestations, Attestor, AttestorFault, AttestorReport,
	BenchedAttestors, ComputeSubnets, Config, Counters, Deadline, Deadlines, Error, Event,
	GpusByClass, GpusByModel, HoldReason, Model, ModelIds, Models, NextModelId, NextSlashId,
	Offences, Pallet, PendingSlash, Provider, Providers, SlashId, SlashReason, Slashes,
	UnbondingChunk, WeightInfo,
};
use alloc::vec::Vec;
use codec::Encode;
use luxtensor_primitives::{
	compute::{
		performance_class, ContentId, GpuTotals, HardwareSpec, ModelId, ModelKind, ModelMetadata,
		ModelName, ModelVersion, ProviderStatus, Score,
	},
	subnets::NetUid,
	traits::{HotkeyOwnership, Neurons, OnSubnetDissolved, SubnetValidators},
	Balance, BlockNumber,
};
use polkadot_sdk::{
	frame_support::{
		dispatch::{DispatchResultWithPostInfo, PostDispatchInfo},
		ensure,
		traits::{
			fungible::MutateHold,
			tokens::{Fortitude, Precision, Restriction},
			Defensive, Get, Randomness,
		},
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
const MAX_DEADLINE_SPILL: BlockNumber = 16;

/// How many times a slash looks `MAX_DEADLINE_SPILL` blocks further for a queue with room.
const MAX_SLASH_RESCHEDULES: BlockNumber = 64;

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

	fn hold(reason: HoldReason, who: &T::AccountId, amount: Balance) -> DispatchResult {
		if amount == 0 {
			return Ok(());
		}
		T::Currency::hold(&reason.into(), who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		Ok(())
	}

	/// Releases what is held; the amount always is held, so anything less is a broken
	/// invariant, logged and released as far as possible.
	fn release(reason: HoldReason, who: &T::AccountId, amount: Balance) {
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
		if let Some(before) = before {
			Self::tally(before, false);
		}
		Self::tally(&after, true);
		Providers::<T>::insert(hotkey, after);
	}

	/// Removes a provider and its contribution to the metrics.
	fn remove_provider(hotkey: &T::AccountId, provider: &ProviderOf<T>) {
		Self::tally(provider, false);
		Providers::<T>::remove(hotkey);
	}

	/// Adds (or removes) one provider's contribution to the counters and GPU totals.
	fn tally(provider: &ProviderOf<T>, add: bool) {
		let step = |counter: &mut u32, by: u32| {
			*counter = if add { counter.saturating_add(by) } else { counter.saturating_sub(by) }
		};
		let gpus = u32::from(provider.spec.gpu_count);
		let vram = provider.spec.total_vram_mib();
		Counters::<T>::mutate(|counters| {
			match provider.status {
				ProviderStatus::PendingAttestation => step(&mut counters.providers_pending, 1),
				ProviderStatus::Active => {
					step(&mut counters.providers_active, 1);
					step(&mut counters.gpus_online, gpus);
					counters.vram_online_mib = if add {
						counters.vram_online_mib.saturating_add(vram)
					} else {
						counters.vram_online_mib.saturating_sub(vram)
					};
				}
				ProviderStatus::Offline => {
					step(&mut counters.providers_offline, 1);
					step(&mut counters.gpus_offline, gpus);
				}
				ProviderStatus::Rejected => step(&mut counters.providers_rejected, 1),
				ProviderStatus::Leaving => step(&mut counters.providers_leaving, 1),
			}
			step(&mut counters.active_jobs, provider.active_jobs);
		});
		let Some(class) = provider.class().filter(|_| provider.is_attested()) else {
			return;
		};
		let apply = |totals: &mut Option<GpuTotals>| {
			let mut entry = totals.take().unwrap_or_default();
			step(&mut entry.providers, 1);
			step(&mut entry.gpus, gpus);
			entry.vram_mib = if add {
				entry.vram_mib.saturating_add(vram)
			} else {
				entry.vram_mib.saturating_sub(vram)
			};
			*totals = (entry.providers > 0).then_some(entry);
		};
		GpusByModel::<T>::mutate(&provider.spec.gpu_model, apply);
		GpusByClass::<T>::mutate(class, apply);
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

	/// Takes `deadline` out of the queue of block `at`.
	fn unschedule(at: BlockNumber, deadline: &Deadline<T::AccountId>) {
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
	fn renew_liveness(
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

	// ----- Attestation -----

	/// Opens round `round` of the provider's attestation: attestors are drawn `DrawDelay`
	/// blocks after `now`.
	fn open_attestation(hotkey: &T::AccountId, round: u8, now: BlockNumber) -> DispatchResult {
		let at = Self::schedule(
			now.saturating_add(T::DrawDelay::get()),
			Deadline::DrawAttestors(hotkey.clone()),
		)?;
		Attestations::<T>::insert(
			hotkey,
			Attestation {
				round,
				phase: AttestationPhase::Drawing { at },
				attestors: BoundedVec::new(),
			},
		);
		Self::deposit_event(Event::AttestationRequested {
			provider: hotkey.clone(),
			round,
			draw_at: at,
		});
		Ok(())
	}

	/// The validators of `netuid` that may attest `provider` now, with their stake: not
	/// the provider, not owned by its owner, not benched.
	pub(crate) fn attestor_candidates(
		provider_hotkey: &T::AccountId,
		provider: &ProviderOf<T>,
		now: BlockNumber,
	) -> Vec<(T::AccountId, Balance)> {
		T::Validators::validators(provider.netuid)
			.into_iter()
			.filter(|(hotkey, _)| {
				hotkey != provider_hotkey
					&& T::HotkeyOwnership::owner(hotkey).as_ref() != Some(&provider.owner)
			})
			.filter(|(hotkey, _)| match BenchedAttestors::<T>::get(hotkey) {
				Some(until) if now < until => false,
				Some(_) => {
					BenchedAttestors::<T>::remove(hotkey);
					true
				}
				None => true,
			})
			.collect()
	}

	/// Draws up to `count` distinct candidates, each with probability proportional to its
	/// stake (at least 1, so a validator without stake can still be drawn) among those not
	/// drawn yet, from the stream of hashes of `seed`.
	pub fn sample_weighted(
		mut candidates: Vec<(T::AccountId, Balance)>,
		count: u32,
		seed: H256,
	) -> Vec<T::AccountId> {
		let mut drawn = Vec::new();
		for draw in 0..count {
			let total = candidates
				.iter()
				.fold(0u128, |sum, (_, stake)| sum.saturating_add((*stake).max(1)));
			if total == 0 {
				break;
			}
			let hash = blake2_256(&(seed, draw).encode());
			let mut bytes = [0u8; 16];
			bytes.copy_from_slice(hash.get(..16).unwrap_or(&[0u8; 16]));
			let mut point = u128::from_le_bytes(bytes).checked_rem(total).unwrap_or(0);
			let index = candidates
				.iter()
				.position(|(_, stake)| {
					let weight = (*stake).max(1);
					if point < weight {
						true
					} else {
						point = point.saturating_sub(weight);
						false
					}
				})
				.unwrap_or(0);
			if index < candidates.len() {
				drawn.push(candidates.swap_remove(index).0);
			}
		}
		drawn
	}

	pub(crate) fn draw_attestors(hotkey: &T::AccountId, now: BlockNumber) -> Weight {
		let (Some(provider), Some(mut attestation)) =
			(Providers::<T>::get(hotkey), Attestations::<T>::get(hotkey))
		else {
			polkadot_sdk::frame_support::defensive!("compute: draw for no attestation");
			return T::WeightInfo::draw_attestors(0);
		};
		let candidates = Self::attestor_candidates(hotkey, &provider, now);
		let weight =
			T::WeightInfo::draw_attestors(u32::try_from(candidates.len()).unwrap_or(u32::MAX));
		let subject = (b"luxtensor/compute/attestors", hotkey, attestation.round).encode();
		let (seed, _) = T::Randomness::random(&subject);
		let drawn = Self::sample_weighted(candidates, T::AttestorsPerProvider::get(), seed);
		if drawn.is_empty() {
			// Nobody can attest: the round ends without a majority.
			return weight.saturating_add(Self::conclude_without_majority(
				hotkey,
				attestation,
				now,
			));
		}
		let commit_end = now.saturating_add(T::CommitWindow::get());
		let Ok(reveal_end) = Self::schedule(
			commit_end.saturating_add(T::RevealWindow::get()),
			Deadline::CloseAttestation(hotkey.clone()),
		) else {
			return weight.saturating_add(Self::conclude_without_majority(
				hotkey,
				attestation,
				now,
			));
		};
		attestation.phase = AttestationPhase::Open { commit_end, reveal_end };
		attestation.attestors = BoundedVec::truncate_from(
			drawn
				.iter()
				.map(|hotkey| Attestor { hotkey: hotkey.clone(), commitment: None, report: None })
				.collect(),
		);
		Attestations::<T>::insert(hotkey, attestation);
		Self::deposit_event(Event::AttestorsDrawn {
			provider: hotkey.clone(),
			attestors: BoundedVec::truncate_from(drawn),
			commit_end,
			reveal_end,
		});
		weight
	}

	pub(crate) fn do_attest_commit(
		attestor: T::AccountId,
		provider: T::AccountId,
		commitment: H256,
	) -> DispatchResult {
		let mut attestation = Attestations::<T>::get(&provider).ok_or(Error::<T>::NoAttestation)?;
		let AttestationPhase::Open { commit_end, .. } = attestation.phase else {
			return Err(Error::<T>::NotCommitPhase.into());
		};
		ensure!(Self::now() < commit_end, Error::<T>::NotCommitPhase);
		let slot = attestation
			.attestors
			.iter_mut()
			.find(|slot| slot.hotkey == attestor)
			.ok_or(Error::<T>::NotAttestor)?;
		ensure!(slot.commitment.is_none(), Error::<T>::AlreadyCommitted);
		slot.commitment = Some(commitment);
		Attestations::<T>::insert(&provider, attestation);
		Self::deposit_event(Event::AttestationCommitted { provider, attestor });
		Ok(())
	}

	pub(crate) fn do_attest_reveal(
		attestor: T::AccountId,
		provider: T::AccountId,
		report: AttestorReport,
		salt: [u8; 32],
	) -> DispatchResultWithPostInfo {
		let mut attestation = Attestations::<T>::get(&provider).ok_or(Error::<T>::NoAttestation)?;
		let AttestationPhase::Open { commit_end, reveal_end } = attestation.phase else {
			return Err(Error::<T>::NotRevealPhase.into());
		};
		let now = Self::now();
		ensure!(now >= commit_end && now < reveal_end, Error::<T>::NotRevealPhase);
		let slot = attestation
			.attestors
			.iter_mut()
			.find(|slot| slot.hotkey == attestor)
			.ok_or(Error::<T>::NotAttestor)?;
		let commitment = slot.commitment.ok_or(Error::<T>::NotCommitted)?;
		ensure!(slot.report.is_none(), Error::<T>::AlreadyRevealed);
		ensure!(
			commitment
				== Self::attestation_commitment(&provider, report.score, report.verdict, &salt),
			Error::<T>::RevealMismatch
		);
		slot.report = Some(report);
		let all_revealed = attestation.attestors.iter().all(|slot| slot.report.is_some());
		Attestations::<T>::insert(&provider, attestation);
		Self::deposit_event(Event::AttestationRevealed {
			provider: provider.clone(),
			attestor,
			score: report.score,
			verdict: report.verdict,
		});
		let mut weight = T::WeightInfo::attest_reveal();
		if all_revealed {
			Self::unschedule(reveal_end, &Deadline::CloseAttestation(provider.clone()));
			weight.saturating_accrue(Self::close_attestation(&provider, now));
		}
		Ok(PostDispatchInfo { actual_weight: Some(weight), pays_fee: Default::default() })
	}

	/// Counts the reveals of the provider's attestation and applies the verdict.
	pub(crate) fn close_attestation(hotkey: &T::AccountId, now: BlockNumber) -> Weight {
		let (Some(before), Some(attestation)) =
			(Providers::<T>::get(hotkey), Attestations::<T>::get(hotkey))
		else {
			polkadot_sdk::frame_support::defensive!("compute: closing no attestation");
			return T::WeightInfo::close_attestation(0);
		};
		let drawn = attestation.attestors.len();
		let weight = T::WeightInfo::close_attestation(u32::try_from(drawn).unwrap_or(u32::MAX));
		let votes = |verdict: bool| {
			attestation
				.attestors
				.iter()
				.filter(|slot| slot.report.is_some_and(|report| report.verdict == verdict))
				.count()
		};
		let majority = if votes(true).saturating_mul(2) > drawn {
			Some(true)
		} else if votes(false).saturating_mul(2) > drawn {
			Some(false)
		} else {
			None
		};
		let Some(verdict) = majority else {
			return weight.saturating_add(Self::conclude_without_majority(
				hotkey,
				attestation,
				now,
			));
		};

		let mut provider = before.clone();
		let mut winners = Vec::new();
		let mut scores = Vec::new();
		for slot in &attestation.attestors {
			match slot.report {
				Some(report) if report.verdict == verdict => {
					winners.push(slot.hotkey.clone());
					scores.push(report.score);
				}
				Some(_) => {
					Self::penalize(hotkey, &slot.hotkey, AttestorFault::AgainstMajority, now)
				}
				None if slot.commitment.is_some() => {
					Self::penalize(hotkey, &slot.hotkey, AttestorFault::NoReveal, now)
				}
				None => Self::penalize(hotkey, &slot.hotkey, AttestorFault::NoCommit, now),
			}
		}
		// The majority's attestors are paid; the rest of the fee goes back to the owner.
		for winner in &winners {
			let fee = T::AttestorFee::get().min(provider.attestation_fee);
			let paid = T::Currency::transfer_on_hold(
				&HoldReason::AttestationFee.into(),
				&provider.owner,
				winner,
				fee,
				Precision::BestEffort,
				Restriction::Free,
				Fortitude::Force,
			)
			.unwrap_or_default();
			provider.attestation_fee.saturating_reduce(paid);
			Self::deposit_event(Event::AttestorPaid {
				provider: hotkey.clone(),
				attestor: winner.clone(),
				fee: paid,
			});
		}
		Self::release(HoldReason::AttestationFee, &provider.owner, provider.attestation_fee);
		provider.attestation_fee = 0;
		Attestations::<T>::remove(hotkey);

		if verdict {
			scores.sort_unstable();
			// The lower median: one honest attestor more cannot raise it.
			let score = scores
				.get(scores.len().saturating_sub(1).checked_div(2).unwrap_or(0))
				.copied()
				.unwrap_or_default();
			provider.score = Some(score);
			provider.status = ProviderStatus::Active;
			if Self::renew_liveness(hotkey, &mut provider, now).is_err() {
				// No room to time it out: it starts offline and its first heartbeat
				// brings it online.
				provider.status = ProviderStatus::Offline;
			}
			Self::store_provider(hotkey, Some(&before), provider);
			Self::deposit_event(Event::ProviderAttested {
				provider: hotkey.clone(),
				score,
				class: performance_class(score),
			});
		} else {
			provider.status = ProviderStatus::Rejected;
			provider.score = None;
			let slash_id =
				Self::schedule_slash(hotkey, &mut provider, SlashReason::FalseSpec, winners, now);
			Self::store_provider(hotkey, Some(&before), provider);
			Self::deposit_event(Event::ProviderRejected { provider: hotkey.clone(), slash_id });
		}
		weight
	}

	/// Ends a round without a majority: the first is redrawn, after the second the
	/// provider stays pending, unslashed, with its fee back. Those who did not reveal are
	/// penalized; those who revealed did their part.
	fn conclude_without_majority(
		hotkey: &T::AccountId,
		attestation: Attestation<T::AccountId, T::AttestorsPerProvider>,
		now: BlockNumber,
	) -> Weight {
		for slot in attestation.attestors.iter().filter(|slot| slot.report.is_none()) {
			let fault = if slot.commitment.is_some() {
				AttestorFault::NoReveal
			} else {
				AttestorFault::NoCommit
			};
			Self::penalize(hotkey, &slot.hotkey, fault, now);
		}
		let round = attestation.round;
		let redrawn = round == 0 && Self::open_attestation(hotkey, 1, now).is_ok();
		if !redrawn {
			Attestations::<T>::remove(hotkey);
			if let Some(mut provider) = Providers::<T>::get(hotkey) {
				Self::release(
					HoldReason::AttestationFee,
					&provider.owner,
					provider.attestation_fee,
				);
				provider.attestation_fee = 0;
				Providers::<T>::insert(hotkey, provider);
			}
		}
		Self::deposit_event(Event::AttestationInconclusive {
			provider: hotkey.clone(),
			round,
			redrawn,
		});
		T::WeightInfo::close_attestation(
			u32::try_from(attestation.attestors.len()).unwrap_or(u32::MAX),
		)
	}

	fn penalize(
		provider: &T::AccountId,
		attestor: &T::AccountId,
		fault: AttestorFault,
		now: BlockNumber,
	) {
		let until = now.saturating_add(T::AttestorBenchPeriod::get());
		BenchedAttestors::<T>::insert(attestor, until);
		Self::deposit_event(Event::AttestorPenalized {
			provider: provider.clone(),
			attestor: attestor.clone(),
			fault,
			until,
		});
	}

	// ----- Slashing -----

	/// The part of its bond a provider with `offences` earlier offences loses for `reason`:
	/// the reason's base fraction times one more than its earlier offences.
	pub fn slash_fraction(reason: SlashReason, offences: u32) -> polkadot_sdk::sp_runtime::Perbill {
		let base = match reason {
			SlashReason::FalseSpec => T::FalseSpecSlash::get(),
		};
		let parts = base.deconstruct().saturating_mul(offences.saturating_add(1));
		polkadot_sdk::sp_runtime::Perbill::from_parts(parts.min(1_000_000_000))
	}

	/// Schedules a slash of `provider` for `reason`, applied `SlashDeferDuration` blocks
	/// from `now`; the reward part goes to `beneficiaries`. The one path every offence takes.
	pub(crate) fn schedule_slash(
		hotkey: &T::AccountId,
		provider: &mut ProviderOf<T>,
		reason: SlashReason,
		beneficiaries: Vec<T::AccountId>,
		now: BlockNumber,
	) -> SlashId {
		let offences = Offences::<T>::get(&provider.owner);
		let amount = Self::slash_fraction(reason, offences).mul_floor(provider.bond);
		let slash_id = NextSlashId::<T>::mutate(|next| {
			let id = *next;
			*next = next.wrapping_add(1);
			id
		});
		// Queues full for a while: the slash still happens, on the first later block with
		// room (every attempt looks `MAX_DEADLINE_SPILL` blocks further).
		let defer_end = now.saturating_add(T::SlashDeferDuration::get());
		let apply_at = (0..=MAX_SLASH_RESCHEDULES)
			.find_map(|attempt| {
				let at = defer_end.saturating_add(attempt.saturating_mul(MAX_DEADLINE_SPILL));
				Self::schedule(at, Deadline::ApplySlash(slash_id)).ok()
			})
			.unwrap_or_else(|| {
				polkadot_sdk::frame_support::defensive!("compute: no block to apply a slash");
				defer_end
			});
		Slashes::<T>::insert(
			slash_id,
			PendingSlash {
				provider: hotkey.clone(),
				reason,
				amount,
				apply_at,
				beneficiaries: BoundedVec::truncate_from(beneficiaries),
			},
		);
		provider.pending_slashes.saturating_inc();
		Offences::<T>::insert(&provider.owner, offences.saturating_add(1));
		Self::deposit_event(Event::SlashScheduled {
			slash_id,
			provider: hotkey.clone(),
			reason,
			amount,
			apply_at,
		});
		slash_id
	}

	pub(crate) fn do_cancel_slash(slash_id: SlashId) -> DispatchResult {
		let slash = Slashes::<T>::take(slash_id).ok_or(Error::<T>::SlashNotFound)?;
		Self::unschedule(slash.apply_at, &Deadline::ApplySlash(slash_id));
		Providers::<T>::mutate(&slash.provider, |provider| {
			if let Some(provider) = provider {
				provider.pending_slashes.saturating_dec();
				Offences::<T>::mutate(&provider.owner, |offences| offences.saturating_dec());
			}
		});
		Self::deposit_event(Event::SlashCancelled { slash_id, provider: slash.provider });
		Ok(())
	}

	/// Takes a slash from the provider's bond (its active part first, then the newest
	/// unbonding chunks): the reward share to the beneficiaries, the rest burned.
	pub(crate) fn apply_slash(slash_id: SlashId) -> Weight {
		let weight = T::WeightInfo::apply_slash(T::AttestorsPerProvider::get());
		let Some(slash) = Slashes::<T>::take(slash_id) else {
			polkadot_sdk::frame_support::defensive!("compute: applying a missing slash");
			return weight;
		};
		let Some(mut provider) = Providers::<T>::get(&slash.provider) else {
			polkadot_sdk::frame_support::defensive!("compute: slash of a missing provider");
			return weight;
		};
		let slashed = slash.amount.min(provider.bond);
		let mut from_unbonding = slashed.saturating_sub(provider.active_bond());
		for chunk in provider.unbonding.iter_mut().rev() {
			let taken = from_unbonding.min(chunk.amount);
			chunk.amount.saturating_reduce(taken);
			from_unbonding.saturating_reduce(taken);
		}
		provider.unbonding.retain(|chunk| chunk.amount > 0);
		provider.bond.saturating_reduce(slashed);
		provider.pending_slashes.saturating_dec();

		let reason: T::RuntimeHoldReason = HoldReason::ProviderBond.into();
		let reward = T::SlashRewardShare::get().mul_floor(slashed);
		let count = Balance::try_from(slash.beneficiaries.len()).unwrap_or(Balance::MAX);
		let each = reward.checked_div(count).unwrap_or(0);
		let mut rewarded: Balance = 0;
		for beneficiary in &slash.beneficiaries {
			let paid = T::Currency::transfer_on_hold(
				&reason,
				&provider.owner,
				beneficiary,
				each,
				Precision::BestEffort,
				Restriction::Free,
				Fortitude::Force,
			)
			.defensive_unwrap_or_default();
			rewarded.saturating_accrue(paid);
		}
		let burned = T::Currency::burn_held(
			&reason,
			&provider.owner,
			slashed.saturating_sub(rewarded),
			Precision::BestEffort,
			Fortitude::Force,
		)
		.defensive_unwrap_or_default();
		if rewarded.saturating_add(burned) != slashed {
			polkadot_sdk::frame_support::defensive!("compute: slashed more than was held");
		}
		Providers::<T>::insert(&slash.provider, provider);
		Self::deposit_event(Event::SlashApplied {
			slash_id,
			provider: slash.provider,
			reason: slash.reason,
			slashed,
			rewarded,
		});
		weight
	}

	// ----- Models -----

	/// The deposit held for a model of these sizes.
	pub fn model_deposit(
		name: &ModelName,
		content_id: &ContentId,
		metadata: &ModelMetadata,
	) -> Balance {
		let bytes = name.len().saturating_add(content_id.len()).saturating_add(metadata.len());
		T::ModelDepositPerByte::get()
			.saturating_mul(Balance::try_from(bytes).unwrap_or(Balance::MAX))
			.saturating_add(T::ModelDepositBase::get())
	}

	pub(crate) fn do_register_model(
		owner: T::AccountId,
		name: ModelName,
		content_id: ContentId,
		version: ModelVersion,
		kind: ModelKind,
		metadata: ModelMetadata,
	) -> DispatchResult {
		ensure!(!name.is_empty(), Error::<T>::EmptyModelName);
		validate_cid_v1(&content_id).map_err(|error| match error {
			CidError::NotBase32 => Error::<T>::ContentIdNotBase32,
			CidError::NotVersion1 => Error::<T>::ContentIdNotVersion1,
			CidError::UnsupportedCodec => Error::<T>::ContentIdUnsupportedCodec,
			CidError::UnsupportedHash => Error::<T>::ContentIdUnsupportedHash,
			CidError::BadDigestLength => Error::<T>::ContentIdBadDigest,
		})?;
		ensure!(!ModelIds::<T>::contains_key(&name, version), Error::<T>::ModelAlreadyRegistered);
		let id = NextModelId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::ModelIdsExhausted)?;
		let deposit = Self::model_deposit(&name, &content_id, &metadata);
		Self::hold(HoldReason::ModelDeposit, &owner, deposit)?;
		NextModelId::<T>::put(next);
		ModelIds::<T>::insert(&name, version, id);
		Models::<T>::insert(
			id,
			Model {
				owner: owner.clone(),
				name: name.clone(),
				content_id,
				version,
				kind,
				metadata,
				deprecated: false,
				deposit,
				registered_at: Self::now(),
				job_refs: 0,
			},
		);
		Counters::<T>::mutate(|counters| counters.models.saturating_inc());
		Self::deposit_event(Event::ModelRegistered { id, owner, name, version, deposit });
		Ok(())
	}

	fn owned_model(
		owner: &T::AccountId,
		id: ModelId,
	) -> Result<Model<T::AccountId>, DispatchError> {
		let model = Models::<T>::get(id).ok_or(Error::<T>::ModelNotFound)?;
		ensure!(&model.owner == owner, Error::<T>::NotModelOwner);
		Ok(model)
	}

	pub(crate) fn do_update_model_metadata(
		owner: T::AccountId,
		id: ModelId,
		metadata: ModelMetadata,
	) -> DispatchResult {
		let mut model = Self::owned_model(&owner, id)?;
		let deposit = Self::model_deposit(&model.name, &model.content_id, &metadata);
		if deposit > model.deposit {
			Self::hold(HoldReason::ModelDeposit, &owner, deposit.saturating_sub(model.deposit))?;
		} else {
			Self::release(HoldReason::ModelDeposit, &owner, model.deposit.saturating_sub(deposit));
		}
		model.deposit = deposit;
		model.metadata = metadata;
		Models::<T>::insert(id, model);
		Self::deposit_event(Event::ModelMetadataUpdated { id, deposit });
		Ok(())
	}

	pub(crate) fn do_deprecate_model(owner: T::AccountId, id: ModelId) -> DispatchResult {
		let mut model = Self::owned_model(&owner, id)?;
		ensure!(!model.deprecated, Error::<T>::ModelAlreadyDeprecated);
		model.deprecated = true;
		Models::<T>::insert(id, model);
		Counters::<T>::mutate(|counters| counters.models_deprecated.saturating_inc());
		Self::deposit_event(Event::ModelDeprecated { id });
		Ok(())
	}

	pub(crate) fn do_transfer_model(
		owner: T::AccountId,
		id: ModelId,
		new_owner: T::AccountId,
	) -> DispatchResult {
		let mut model = Self::owned_model(&owner, id)?;
		ensure!(new_owner != owner, Error::<T>::TransferToSelf);
		T::Currency::transfer_on_hold(
			&HoldReason::ModelDeposit.into(),
			&owner,
			&new_owner,
			model.deposit,
			Precision::Exact,
			Restriction::OnHold,
			Fortitude::Polite,
		)?;
		model.owner = new_owner.clone();
		Models::<T>::insert(id, model);
		Self::deposit_event(Event::ModelTransferred { id, from: owner, to: new_owner });
		Ok(())
	}

	pub(crate) fn do_remove_model(owner: T::AccountId, id: ModelId) -> DispatchResult {
		let model = Self::owned_model(&owner, id)?;
		ensure!(model.job_refs == 0, Error::<T>::ModelInUse);
		Self::release(HoldReason::ModelDeposit, &owner, model.deposit);
		ModelIds::<T>::remove(&model.name, model.version);
		Models::<T>::remove(id);
		Counters::<T>::mutate(|counters| {
			counters.models.saturating_dec();
			if model.deprecated {
				counters.models_deprecated.saturating_dec();
			}
		});
		Self::deposit_event(Event::ModelRemoved { id, deposit: model.deposit });
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
}

#[cfg(any(feature = "try-runtime", test))]
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
		let gpus_before = Counters::<T>::get().gpus_leased;
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
		// Leases come with the jobs: until then no GPU is leased.
		counters.gpus_leased = gpus_before;
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
