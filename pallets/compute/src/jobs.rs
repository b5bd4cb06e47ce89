//! Jobs: posting with escrow, assignment (direct, random, auction), acceptance with
//! collateral, committed and revealed results, settlement, and every timeout.

use crate::{
	impls::{step_counter, ProviderOf},
	Bid, Bids, Config, Counters, Deadline, Error, Event, HoldReason, Job, JobStats, JobTimer, Jobs,
	LeasedGpus, Models, NextJobId, Outcome, Pallet, PosterJobs, Providers, Replica, ReplicaState,
	ReviewKind, Reviews, SlashReason, WeightInfo,
};
use alloc::vec::Vec;
use codec::Encode;
use luxtensor_primitives::{
	compute::{
		AssignmentPolicy, ContentId, GpuRequirement, JobId, JobKind, JobQuote, JobSpec, JobStatus,
		PerformanceClass, ProviderStatus, Workload,
	},
	traits::Neurons,
	Balance, BlockNumber,
};
use polkadot_sdk::{
	frame_support::{
		dispatch::{DispatchResultWithPostInfo, PostDispatchInfo},
		ensure,
		traits::{
			fungible::MutateHold,
			tokens::{Fortitude, Precision, Restriction},
			Get, Randomness,
		},
		weights::Weight,
		BoundedVec,
	},
	frame_system,
	sp_core::H256,
	sp_io::hashing::blake2_256,
	sp_runtime::{
		traits::{Saturating, Zero},
		DispatchError, DispatchResult, Perbill,
	},
};

/// The job record this pallet stores.
pub(crate) type JobOf<T> = Job<<T as frame_system::Config>::AccountId, <T as Config>::MaxReplicas>;

/// A provider that may be assigned, with its record.
type Candidate<T> = (<T as frame_system::Config>::AccountId, ProviderOf<T>);

/// The highest performance class (a score of `u32::MAX`).
const MAX_CLASS: PerformanceClass = 32;

impl<T: Config> Pallet<T> {
	/// What posting `spec` holds from the poster.
	pub fn quote(spec: &JobSpec<T::AccountId>) -> JobQuote {
		let replicas = Balance::from(spec.replicas);
		let payment = spec
			.max_unit_price
			.saturating_mul(Balance::from(spec.kind.units()))
			.saturating_mul(replicas);
		let verification_fee = T::VerificationFee::get().saturating_mul(replicas);
		let deposit = T::JobDeposit::get();
		JobQuote {
			payment,
			verification_fee,
			deposit,
			total: payment.saturating_add(verification_fee).saturating_add(deposit),
		}
	}

	/// The commitment a replica submits for `result_hash`.
	pub fn result_commitment(
		job: JobId,
		provider: &T::AccountId,
		result_hash: &H256,
		salt: &[u8; 32],
	) -> H256 {
		H256(blake2_256(&(job, provider, result_hash, salt).encode()))
	}

	/// The collateral a replica at `unit_price` holds for `units` units.
	pub fn collateral(unit_price: Balance, units: u32) -> Balance {
		T::CollateralRatio::get().mul_ceil(unit_price.saturating_mul(Balance::from(units)))
	}

	/// The part of a provider's bond collateral can come from: what is neither unbonding
	/// nor required by its hardware.
	pub(crate) fn free_bond(provider: &ProviderOf<T>) -> Balance {
		provider.active_bond().saturating_sub(Self::required_bond(&provider.spec))
	}

	/// GPUs of the provider not rented by a lease.
	pub(crate) fn free_gpus(hotkey: &T::AccountId, provider: &ProviderOf<T>) -> u16 {
		provider.spec.gpu_count.saturating_sub(LeasedGpus::<T>::get(hotkey).unwrap_or(0))
	}

	/// Whether the provider may be assigned a job of `spec` at `unit_price`.
	pub(crate) fn ensure_eligible(
		hotkey: &T::AccountId,
		provider: &ProviderOf<T>,
		spec: &JobSpec<T::AccountId>,
		unit_price: Balance,
	) -> Result<(), Error<T>> {
		ensure!(provider.status == ProviderStatus::Active, Error::<T>::ProviderNotActive);
		ensure!(T::Neurons::uid(provider.netuid, hotkey).is_some(), Error::<T>::NotNeuron);
		ensure!(unit_price <= spec.max_unit_price, Error::<T>::PriceAboveMax);
		let hardware = match &spec.gpu {
			GpuRequirement::Model(model) => &provider.spec.gpu_model == model,
			GpuRequirement::MinClass(min) => provider.class().is_some_and(|class| class >= *min),
		};
		ensure!(hardware, Error::<T>::HardwareMismatch);
		ensure!(
			provider.active_jobs < T::MaxJobsPerProvider::get()
				&& Self::free_gpus(hotkey, provider) >= spec.gpu_count,
			Error::<T>::ProviderBusy
		);
		ensure!(Self::reputation(hotkey) >= spec.min_reputation, Error::<T>::ReputationTooLow);
		ensure!(
			Self::free_bond(provider) >= Self::collateral(unit_price, spec.kind.units()),
			Error::<T>::InsufficientFreeBond
		);
		Ok(())
	}

	fn ensure_valid_job_spec(spec: &JobSpec<T::AccountId>, now: BlockNumber) -> DispatchResult {
		match spec.kind {
			JobKind::Inference { units } => ensure!(units > 0, Error::<T>::ZeroUnits),
			JobKind::Training { steps, checkpoint_every } => {
				ensure!(steps > 0, Error::<T>::ZeroUnits);
				ensure!(
					(1..=steps).contains(&checkpoint_every),
					Error::<T>::InvalidCheckpointInterval
				);
			}
			JobKind::Lease { periods, period_blocks } => {
				ensure!(periods > 0, Error::<T>::ZeroUnits);
				ensure!(period_blocks >= T::MinLeasePeriod::get(), Error::<T>::LeasePeriodTooShort);
				ensure!(spec.replicas == 1 && spec.quorum == 1, Error::<T>::LeaseNeedsOneReplica);
			}
		}
		ensure!(
			spec.replicas >= 1 && u32::from(spec.replicas) <= T::MaxReplicas::get(),
			Error::<T>::ReplicasOutOfBounds
		);
		ensure!(
			spec.quorum <= spec.replicas
				&& u32::from(spec.quorum).saturating_mul(2) > u32::from(spec.replicas),
			Error::<T>::InvalidQuorum
		);
		ensure!(spec.max_unit_price > 0, Error::<T>::ZeroPrice);
		ensure!(
			!spec.kind.is_lease() || (spec.spot_check.is_zero() && spec.challenge_window == 0),
			Error::<T>::LeaseHasNoVerification
		);
		ensure!(
			spec.challenge_window <= T::MaxChallengeWindow::get(),
			Error::<T>::ChallengeWindowTooLong
		);
		ensure!(
			(1..=T::MaxGpusPerProvider::get()).contains(&spec.gpu_count),
			Error::<T>::GpuCountOutOfBounds
		);
		let assign_delay = match &spec.assignment {
			AssignmentPolicy::Direct(_) => {
				ensure!(spec.replicas == 1, Error::<T>::DirectNeedsOneReplica);
				0
			}
			AssignmentPolicy::Random => T::DrawDelay::get(),
			AssignmentPolicy::Auction { window } => {
				ensure!(
					(1..=T::MaxAuctionWindow::get()).contains(window),
					Error::<T>::InvalidAuctionWindow
				);
				*window
			}
		};
		// Assigning and accepting must end before the deadline, with a block to run.
		let earliest = now.saturating_add(assign_delay).saturating_add(T::AcceptTimeout::get());
		ensure!(spec.deadline > earliest, Error::<T>::DeadlineTooSoon);
		ensure!(
			spec.deadline <= now.saturating_add(T::MaxJobDuration::get()),
			Error::<T>::DeadlineTooFar
		);
		Self::ensure_valid_cid(&spec.input)?;
		match &spec.workload {
			Workload::Model(id) => {
				let model = Models::<T>::get(id).ok_or(Error::<T>::ModelNotFound)?;
				ensure!(!model.deprecated, Error::<T>::ModelDeprecated);
			}
			Workload::Content(cid) => Self::ensure_valid_cid(cid)?,
		}
		Ok(())
	}

	fn new_replica(
		hotkey: T::AccountId,
		provider: &ProviderOf<T>,
		unit_price: Balance,
		replacement: bool,
	) -> Replica<T::AccountId> {
		Replica {
			provider: hotkey,
			owner: provider.owner.clone(),
			payout: provider.payout.clone(),
			unit_price,
			collateral: 0,
			state: ReplicaState::Assigned,
			replacement,
		}
	}

	/// Counts one more (or one fewer) unfinished job of `provider`.
	fn count_provider_job(hotkey: &T::AccountId, add: bool) {
		if let Some(before) = Providers::<T>::get(hotkey) {
			let mut provider = before.clone();
			if add {
				provider.active_jobs.saturating_inc();
			} else {
				provider.active_jobs.saturating_dec();
			}
			Self::store_provider(hotkey, Some(&before), provider);
		}
	}

	/// Counts a job in (or out of) the market's, its kind's, its poster's and its model's
	/// counters.
	fn count_job(job: &JobOf<T>, add: bool) {
		let step = |counter: &mut u32| step_counter(counter, 1, add);
		Counters::<T>::mutate(|counters| step(&mut counters.active_jobs));
		JobStats::<T>::mutate(|stats| match job.spec.kind {
			JobKind::Inference { .. } => step(&mut stats.active_inference),
			JobKind::Training { .. } => step(&mut stats.active_training),
			JobKind::Lease { .. } => step(&mut stats.active_leases),
		});
		PosterJobs::<T>::mutate_exists(&job.poster, |count| {
			let mut value = count.unwrap_or(0);
			step(&mut value);
			*count = (value > 0).then_some(value);
		});
		if let Workload::Model(id) = job.spec.workload {
			Models::<T>::mutate(id, |model| {
				if let Some(model) = model {
					step(&mut model.job_refs);
				}
			});
		}
	}

	/// Adds a payment to this tempo's settled volume.
	pub(crate) fn record_settled(volume: Balance, jobs: u32) {
		let mut stats = Self::job_stats_now();
		stats.settled_jobs.saturating_accrue(jobs);
		stats.settled_volume.saturating_accrue(volume);
		JobStats::<T>::put(stats);
	}

	/// Moves the job's next step to `due` (at least the next block).
	pub(crate) fn set_timer(
		id: JobId,
		job: &mut JobOf<T>,
		due: BlockNumber,
		now: BlockNumber,
	) -> Result<(), Error<T>> {
		if let Some(timer) = job.timer.take() {
			Self::unschedule(timer.queued, &Deadline::Job(id));
		}
		let due = due.max(now.saturating_add(1));
		let queued = Self::schedule(due, Deadline::Job(id))?;
		job.timer = Some(JobTimer { due, queued });
		Ok(())
	}

	// ----- Posting -----

	pub(crate) fn do_post_job(poster: T::AccountId, spec: JobSpec<T::AccountId>) -> DispatchResult {
		let now = Self::now();
		Self::ensure_valid_job_spec(&spec, now)?;
		ensure!(
			PosterJobs::<T>::get(&poster) < T::MaxJobsPerPoster::get(),
			Error::<T>::TooManyJobs
		);
		ensure!(Counters::<T>::get().active_jobs < T::MaxActiveJobs::get(), Error::<T>::MarketFull);
		let id = NextJobId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::JobIdsExhausted)?;

		let mut job = Job {
			poster: poster.clone(),
			spec: spec.clone(),
			status: JobStatus::Open,
			posted_at: now,
			escrow: 0,
			reserved: 0,
			paid: 0,
			burned: 0,
			replicas: BoundedVec::new(),
			timer: None,
			result: None,
			lease: None,
			finished_at: None,
		};
		match &spec.assignment {
			AssignmentPolicy::Direct(hotkey) => {
				let provider = Providers::<T>::get(hotkey).ok_or(Error::<T>::ProviderNotFound)?;
				Self::ensure_eligible(hotkey, &provider, &spec, provider.ask_price)?;
				let replica =
					Self::new_replica(hotkey.clone(), &provider, provider.ask_price, false);
				job.replicas = BoundedVec::truncate_from(alloc::vec![replica]);
			}
			AssignmentPolicy::Random => {
				let (eligible, complete) = Self::draw_candidates(&job, &[], H256::zero());
				ensure!(
					!complete || eligible.len() >= usize::from(spec.replicas),
					Error::<T>::NoMatchingProvider
				);
				Self::set_timer(id, &mut job, now.saturating_add(T::DrawDelay::get()), now)?;
			}
			AssignmentPolicy::Auction { window } => {
				Self::set_timer(id, &mut job, now.saturating_add(*window), now)?;
			}
		}

		let quote = Self::quote(&spec);
		Self::hold(HoldReason::JobEscrow, &poster, quote.total)?;
		job.escrow = quote.total;
		job.reserved = quote.verification_fee.saturating_add(quote.deposit);
		NextJobId::<T>::put(next);
		Self::count_job(&job, true);
		Self::deposit_event(Event::JobPosted { job: id, poster, escrow: quote.total });
		if matches!(spec.assignment, AssignmentPolicy::Direct(_)) {
			Self::assigned(id, &mut job, now)?;
		}
		Jobs::<T>::insert(id, job);
		Ok(())
	}

	/// The job's replicas are chosen: they count as the providers' jobs and have
	/// `AcceptTimeout` blocks to accept.
	fn assigned(id: JobId, job: &mut JobOf<T>, now: BlockNumber) -> Result<(), Error<T>> {
		for replica in job.replicas.iter() {
			Self::count_provider_job(&replica.provider, true);
		}
		job.status = JobStatus::Assigned;
		let accept_by = now.saturating_add(T::AcceptTimeout::get());
		Self::set_timer(id, job, accept_by, now)?;
		Self::deposit_event(Event::JobAssigned {
			job: id,
			providers: BoundedVec::truncate_from(
				job.replicas
					.iter()
					.map(|replica| (replica.provider.clone(), replica.unit_price))
					.collect(),
			),
			accept_by,
		});
		Ok(())
	}

	/// Eligible providers (at their asked price) for `job` that are not in `exclude`, read
	/// from the active providers of the classes the job accepts, at most
	/// `MaxDrawCandidates` of them from a point `seed` picks. Also says whether every
	/// candidate was read.
	pub(crate) fn draw_candidates(
		job: &JobOf<T>,
		exclude: &[Replica<T::AccountId>],
		seed: H256,
	) -> (Vec<Candidate<T>>, bool) {
		let min_class = match job.spec.gpu {
			GpuRequirement::MinClass(min) => min,
			GpuRequirement::Model(_) => 0,
		};
		let hotkeys: Vec<T::AccountId> = (min_class..=MAX_CLASS)
			.flat_map(|class| crate::ActiveProviders::<T>::get(class).into_inner())
			.collect();
		let limit = T::MaxDrawCandidates::get() as usize;
		let start = Self::random_index(seed, 0, hotkeys.len());
		let (head, tail) = hotkeys.split_at(start.min(hotkeys.len()));
		let eligible = tail
			.iter()
			.chain(head)
			.take(limit)
			.filter(|hotkey| !exclude.iter().any(|replica| &replica.provider == *hotkey))
			.filter_map(|hotkey| {
				let provider = Providers::<T>::get(hotkey)?;
				let taken = exclude.iter().any(|replica| replica.owner == provider.owner);
				let unit_price = provider.ask_price;
				(!taken && Self::ensure_eligible(hotkey, &provider, &job.spec, unit_price).is_ok())
					.then(|| (hotkey.clone(), provider))
			})
			.collect();
		(eligible, hotkeys.len() <= limit)
	}

	/// A number below `len` from the `draw`-th hash of `seed` (0 when `len` is 0).
	fn random_index(seed: H256, draw: u32, len: usize) -> usize {
		let hash = blake2_256(&(seed, draw).encode());
		let bytes: [u8; 8] =
			hash.get(..8).and_then(|head| head.try_into().ok()).unwrap_or_default();
		let len = u64::try_from(len).unwrap_or(u64::MAX);
		usize::try_from(u64::from_le_bytes(bytes).checked_rem(len).unwrap_or(0)).unwrap_or(0)
	}

	/// Draws up to `count` providers from `eligible`, uniformly, no two of one coldkey.
	fn pick_distinct(
		mut eligible: Vec<Candidate<T>>,
		count: usize,
		seed: H256,
	) -> Vec<Candidate<T>> {
		let mut picked: Vec<Candidate<T>> = Vec::new();
		let mut draw: u32 = 1;
		while picked.len() < count && !eligible.is_empty() {
			let index = Self::random_index(seed, draw, eligible.len());
			let chosen = eligible.swap_remove(index);
			eligible.retain(|(_, provider)| provider.owner != chosen.1.owner);
			picked.push(chosen);
			draw.saturating_inc();
		}
		picked
	}

	/// The randomness of a job's draw; `round` tells apart the first draw and replacements.
	pub(crate) fn job_seed(id: JobId, round: u8) -> H256 {
		T::Randomness::random(&(b"luxtensor/compute/job", id, round).encode()).0
	}

	// ----- The deadline queue's job steps -----

	/// The most weight one job step takes.
	pub fn max_job_step_weight() -> Weight {
		let replicas = T::MaxReplicas::get();
		let candidates = T::MaxDrawCandidates::get();
		T::WeightInfo::assign_random(candidates)
			.max(T::WeightInfo::close_auction(T::MaxBidsPerJob::get()))
			.max(T::WeightInfo::accept_timeout(replicas, candidates))
			.max(T::WeightInfo::close_results(replicas))
			.max(T::WeightInfo::bill_lease())
			.max(T::WeightInfo::prune_job())
			.max(T::WeightInfo::draw_reviewers(crate::MAX_VALIDATORS))
			.max(T::WeightInfo::close_jury(T::JurySize::get()))
	}

	/// The job step queued for `now`.
	pub(crate) fn job_deadline(id: JobId, now: BlockNumber) -> Weight {
		let Some(mut job) = Jobs::<T>::get(id) else {
			polkadot_sdk::frame_support::defensive!("compute: deadline of no job");
			return T::WeightInfo::prune_job();
		};
		if job.timer.map(|timer| timer.queued) != Some(now) {
			polkadot_sdk::frame_support::defensive!("compute: stale job deadline");
			return T::WeightInfo::prune_job();
		}
		job.timer = None;
		Self::job_step(id, job, now)
	}

	/// Applies the job's due step (its timer already taken) and stores the job.
	pub(crate) fn job_step(id: JobId, mut job: JobOf<T>, now: BlockNumber) -> Weight {
		if job.status.is_finished() {
			Jobs::<T>::remove(id);
			Self::deposit_event(Event::JobPruned { job: id });
			return T::WeightInfo::prune_job();
		}
		let weight = match (job.status, &job.spec.assignment) {
			(JobStatus::Open, AssignmentPolicy::Auction { .. }) => {
				Self::close_auction(id, &mut job, now)
			}
			(JobStatus::Open, _) => Self::assign_random(id, &mut job, now),
			(JobStatus::Assigned, _) => Self::accept_timeout(id, &mut job, now),
			(JobStatus::Running, _) if job.spec.kind.is_lease() => {
				Self::bill_lease(id, &mut job, now)
			}
			(JobStatus::Grace, _) => Self::bill_lease(id, &mut job, now),
			(JobStatus::Running, _) => Self::results_due(id, &mut job, now),
			(JobStatus::Revealing, _) => Self::close_results(id, &mut job, now),
			(JobStatus::Checking, _) => Self::checking_step(id, &mut job, now),
			(JobStatus::Disputed, _) => Self::dispute_step(id, &mut job, now),
			(JobStatus::Challengeable, _) => {
				Self::settle_winner(id, &mut job, now);
				T::WeightInfo::close_results(T::MaxReplicas::get())
			}
			_ => {
				polkadot_sdk::frame_support::defensive!("compute: job step in no waiting state");
				Self::finish(id, &mut job, JobStatus::Refunded, now);
				T::WeightInfo::prune_job()
			}
		};
		Jobs::<T>::insert(id, job);
		weight
	}

	/// A random job's draw: `replicas` eligible providers, or it fails.
	fn assign_random(id: JobId, job: &mut JobOf<T>, now: BlockNumber) -> Weight {
		let seed = Self::job_seed(id, 0);
		let (eligible, _) = Self::draw_candidates(job, &[], seed);
		let weight = T::WeightInfo::assign_random(T::MaxDrawCandidates::get());
		let picked = Self::pick_distinct(eligible, usize::from(job.spec.replicas), seed);
		if picked.len() < usize::from(job.spec.replicas) {
			Self::finish(id, job, JobStatus::Failed, now);
			return weight;
		}
		job.replicas = BoundedVec::truncate_from(
			picked
				.into_iter()
				.map(|(hotkey, provider)| {
					let price = provider.ask_price;
					Self::new_replica(hotkey, &provider, price, false)
				})
				.collect(),
		);
		if Self::assigned(id, job, now).is_err() {
			Self::finish(id, job, JobStatus::Failed, now);
		}
		weight
	}

	/// The bids of a job's auction, best first: lowest price, then highest reputation,
	/// then lowest account.
	fn ranked_bids(id: JobId) -> Vec<Bid<T::AccountId>> {
		let mut bids = Bids::<T>::get(id).unwrap_or_default().into_inner();
		bids.sort_by(|a, b| {
			a.unit_price
				.cmp(&b.unit_price)
				.then_with(|| Self::reputation(&b.provider).cmp(&Self::reputation(&a.provider)))
				.then_with(|| a.provider.cmp(&b.provider))
		});
		bids
	}

	/// The best bid still eligible whose provider and coldkey are not on the job.
	fn next_bid(
		job: &JobOf<T>,
		ranked: &[Bid<T::AccountId>],
		exclude: &[Replica<T::AccountId>],
	) -> Option<(T::AccountId, ProviderOf<T>, Balance)> {
		ranked.iter().find_map(|bid| {
			if exclude.iter().any(|replica| replica.provider == bid.provider) {
				return None;
			}
			let provider = Providers::<T>::get(&bid.provider)?;
			let taken = exclude.iter().any(|replica| replica.owner == provider.owner);
			(!taken
				&& Self::ensure_eligible(&bid.provider, &provider, &job.spec, bid.unit_price)
					.is_ok())
			.then(|| (bid.provider.clone(), provider, bid.unit_price))
		})
	}

	/// An auction's window ended: the best `replicas` bids win.
	fn close_auction(id: JobId, job: &mut JobOf<T>, now: BlockNumber) -> Weight {
		let ranked = Self::ranked_bids(id);
		let weight = T::WeightInfo::close_auction(u32::try_from(ranked.len()).unwrap_or(u32::MAX));
		let mut replicas = Vec::new();
		while replicas.len() < usize::from(job.spec.replicas) {
			let Some((hotkey, provider, price)) = Self::next_bid(job, &ranked, &replicas) else {
				break;
			};
			replicas.push(Self::new_replica(hotkey, &provider, price, false));
		}
		if replicas.len() < usize::from(job.spec.replicas) {
			Self::finish(id, job, JobStatus::Failed, now);
			return weight;
		}
		job.replicas = BoundedVec::truncate_from(replicas);
		if Self::assigned(id, job, now).is_err() {
			Self::finish(id, job, JobStatus::Failed, now);
		}
		weight
	}

	/// Providers that did not accept in time are replaced once (Random: one new draw for
	/// all of them; Auction: the next bids); a direct job, a slot replaced before, or too
	/// few replacements fail the job.
	fn accept_timeout(id: JobId, job: &mut JobOf<T>, now: BlockNumber) -> Weight {
		let candidates = match job.spec.assignment {
			AssignmentPolicy::Auction { .. } => {
				u32::try_from(Bids::<T>::decode_len(id).unwrap_or(0)).unwrap_or(u32::MAX)
			}
			_ => T::MaxDrawCandidates::get(),
		};
		let weight = T::WeightInfo::accept_timeout(T::MaxReplicas::get(), candidates);
		Self::slash_late(id, job, Replica::accepted, SlashReason::MissedAcceptance, now);
		let accept_by = now.saturating_add(T::AcceptTimeout::get());
		if matches!(job.spec.assignment, AssignmentPolicy::Direct(_))
			|| accept_by >= job.spec.deadline
		{
			Self::finish(id, job, JobStatus::Failed, now);
			return weight;
		}
		let mut replicas = job.replicas.clone().into_inner();
		let missing: Vec<usize> = (0..replicas.len())
			.filter(|slot| replicas.get(*slot).is_some_and(|r| !r.accepted()))
			.collect();
		if missing.iter().any(|slot| replicas.get(*slot).is_some_and(|r| r.replacement)) {
			Self::finish(id, job, JobStatus::Failed, now);
			return weight;
		}
		// Everyone on the job so far, the silent included, is left out; one scan (or one pass
		// over the bids) finds every replacement.
		let replacements: Vec<(T::AccountId, ProviderOf<T>, Balance)> =
			if matches!(job.spec.assignment, AssignmentPolicy::Auction { .. }) {
				let ranked = Self::ranked_bids(id);
				let mut exclude = replicas.clone();
				let mut found = Vec::new();
				while found.len() < missing.len() {
					let Some((hotkey, provider, price)) = Self::next_bid(job, &ranked, &exclude)
					else {
						break;
					};
					exclude.push(Self::new_replica(hotkey.clone(), &provider, price, true));
					found.push((hotkey, provider, price));
				}
				found
			} else {
				let seed = Self::job_seed(id, 1);
				let (eligible, _) = Self::draw_candidates(job, &replicas, seed);
				Self::pick_distinct(eligible, missing.len(), seed)
					.into_iter()
					.map(|(hotkey, provider)| {
						let price = provider.ask_price;
						(hotkey, provider, price)
					})
					.collect()
			};
		if replacements.len() < missing.len() {
			Self::finish(id, job, JobStatus::Failed, now);
			return weight;
		}
		let mut replaced = Vec::new();
		for (slot, (hotkey, provider, price)) in missing.into_iter().zip(replacements) {
			if let Some(entry) = replicas.get_mut(slot) {
				let replica = Self::new_replica(hotkey.clone(), &provider, price, true);
				replaced.push((core::mem::replace(entry, replica).provider, hotkey));
			}
		}
		job.replicas = BoundedVec::truncate_from(replicas);
		for (missing, replacement) in replaced {
			Self::count_provider_job(&missing, false);
			Self::count_provider_job(&replacement, true);
			Self::deposit_event(Event::ProviderReplaced { job: id, missing, replacement });
		}
		if Self::set_timer(id, job, accept_by, now).is_err() {
			Self::finish(id, job, JobStatus::Failed, now);
		}
		weight
	}

	/// The deadline of a job still running: with a quorum of commits its reveal window
	/// opens, otherwise it is refunded.
	fn results_due(id: JobId, job: &mut JobOf<T>, now: BlockNumber) -> Weight {
		let weight = T::WeightInfo::close_results(T::MaxReplicas::get());
		let committed = job
			.replicas
			.iter()
			.filter(|replica| matches!(replica.state, ReplicaState::Committed(_)))
			.count();
		if committed >= usize::from(job.spec.quorum) && Self::commits_in(id, job, now).is_ok() {
			return weight;
		}
		// Too few results to settle: those that did not commit are slashed, the rest are
		// free of the job.
		Self::slash_late(id, job, Replica::committed, SlashReason::MissedDeadline, now);
		Self::finish(id, job, JobStatus::Refunded, now);
		weight
	}

	pub(crate) fn open_reveal(
		id: JobId,
		job: &mut JobOf<T>,
		now: BlockNumber,
	) -> Result<(), Error<T>> {
		let reveal_end = now.saturating_add(T::ResultRevealWindow::get());
		Self::set_timer(id, job, reveal_end, now)?;
		job.status = JobStatus::Revealing;
		Self::deposit_event(Event::RevealStarted { job: id, reveal_end });
		Ok(())
	}

	/// Counts the revealed results, and a spot check's. A quorum of equal hashes that no
	/// spot check contradicts wins: the job settles, or waits out its challenge window.
	/// Results that disagree, or a failed spot check, go to a jury; too few results refund
	/// the poster.
	pub(crate) fn close_results(id: JobId, job: &mut JobOf<T>, now: BlockNumber) -> Weight {
		let weight = T::WeightInfo::close_results(T::MaxReplicas::get());
		let revealed: Vec<H256> =
			job.replicas.iter().filter_map(Replica::revealed_result).collect();
		let quorum = usize::from(job.spec.quorum);
		let winner = revealed
			.iter()
			.copied()
			.find(|hash| revealed.iter().filter(|other| *other == hash).count() >= quorum);
		let checked = Reviews::<T>::get(id).map(|mut review| {
			// A majority of the checkers drawn decides a spot check.
			let drawn = review.reviewers.len();
			let verdict = Self::most_revealed(&review)
				.filter(|(_, count)| count.saturating_mul(2) > drawn)
				.map(|(result, _)| result);
			Self::conclude_review(id, job, &mut review, verdict, now);
			Reviews::<T>::insert(id, &review);
			verdict
		});
		let contradicted = matches!(checked, Some(Some(verdict)) if Some(verdict) != winner);
		let disagree = revealed.iter().any(|hash| Some(hash) != revealed.first());
		if contradicted || (winner.is_none() && disagree) {
			if Self::open_dispute(id, job, ReviewKind::Dispute, now).is_err() {
				Self::refund_unsettled(id, job, now);
			}
			return weight;
		}
		let Some(result_hash) = winner else {
			Self::refund_unsettled(id, job, now);
			return weight;
		};
		let output = job.replicas.iter().find_map(|replica| match &replica.state {
			ReplicaState::Revealed { result_hash: hash, output } if *hash == result_hash => {
				Some(output.clone())
			}
			_ => None,
		});
		job.result = output.map(|output| (result_hash, output));
		let window = job.spec.challenge_window;
		if window > 0 && Self::set_timer(id, job, now.saturating_add(window), now).is_ok() {
			job.status = JobStatus::Challengeable;
			let until = now.saturating_add(window);
			Self::deposit_event(Event::ResultChallengeable { job: id, result_hash, until });
			return weight;
		}
		Self::settle_winner(id, job, now);
		weight
	}

	/// Settles on the winning result once nobody challenged it: the checkers that confirmed
	/// it share the slashes of the replicas it contradicts.
	pub(crate) fn settle_winner(id: JobId, job: &mut JobOf<T>, now: BlockNumber) {
		let Some(result_hash) = job.result.as_ref().map(|(result, _)| *result) else {
			return Self::refund_unsettled(id, job, now);
		};
		let reporters = Reviews::<T>::get(id)
			.filter(|review| review.verdict == Some(result_hash))
			.map(|review| review.agreeing(&result_hash).cloned().collect())
			.unwrap_or_default();
		Self::settle(id, job, result_hash, reporters, now);
	}

	/// Settles the job on `result_hash`: the replicas that revealed it are paid, the others
	/// are slashed (a wrong result shared with `reporters`, who proved it). Without such a
	/// replica the poster is refunded.
	pub(crate) fn settle(
		id: JobId,
		job: &mut JobOf<T>,
		result_hash: H256,
		reporters: Vec<T::AccountId>,
		now: BlockNumber,
	) {
		let units = job.spec.kind.units();
		let mut replicas = core::mem::take(&mut job.replicas);
		let mut output = None;
		for replica in replicas.iter_mut() {
			match &replica.state {
				ReplicaState::Revealed { result_hash: hash, output: out }
					if *hash == result_hash =>
				{
					output.get_or_insert_with(|| out.clone());
					let price = replica.unit_price.saturating_mul(Balance::from(units));
					// The reputation this success earns sets the fee's burned part.
					Self::record_outcome(&replica.provider, Outcome::Success, now);
					let scored = Self::score_slot(&replica.provider);
					let burn_share = match scored {
						Some(_) => Self::reputation(&replica.provider),
						None => Perbill::zero(),
					};
					let burned_before = job.burned;
					Self::pay_provider(id, job, replica, price, burn_share);
					if let Some((netuid, uid)) = scored {
						Self::credit_score(netuid, uid, job.burned.saturating_sub(burned_before));
					}
				}
				ReplicaState::Revealed { .. } => {
					Self::record_outcome(&replica.provider, Outcome::WrongResult, now);
					let reason = SlashReason::WrongResult;
					Self::slash_replica(id, &job.poster, replica, reason, reporters.clone(), now);
				}
				_ => {
					Self::record_outcome(&replica.provider, Outcome::Timeout, now);
					let reason = SlashReason::MissedDeadline;
					Self::slash_replica(id, &job.poster, replica, reason, Vec::new(), now);
				}
			}
		}
		job.replicas = replicas;
		let Some(output) = output else {
			job.result = None;
			Self::finish(id, job, JobStatus::Refunded, now);
			return;
		};
		job.result = Some((result_hash, output.clone()));
		Self::deposit_event(Event::JobSettled { job: id, result_hash, output });
		Self::finish(id, job, JobStatus::Settled, now);
	}

	/// No verdict: the poster is refunded and only the replicas that did not reveal, which
	/// is plain on chain, are slashed.
	pub(crate) fn refund_unsettled(id: JobId, job: &mut JobOf<T>, now: BlockNumber) {
		Self::slash_late(id, job, Replica::revealed, SlashReason::MissedDeadline, now);
		job.result = None;
		Self::finish(id, job, JobStatus::Refunded, now);
	}

	/// Pays `amount` (at most the escrow not reserved) from the job's escrow to the
	/// replica's payout account, less the protocol fee: `burn_share` of the fee is burned
	/// (what the compute incentive may pay back as score), the rest goes to
	/// [`Config::Treasury`]. Returns what left the escrow. A payment that cannot be made (a
	/// payout account that cannot exist with it) stays in the escrow and returns to the
	/// poster.
	pub(crate) fn pay_provider(
		id: JobId,
		job: &mut JobOf<T>,
		replica: &Replica<T::AccountId>,
		amount: Balance,
		burn_share: Perbill,
	) -> Balance {
		let amount = amount.min(job.escrow.saturating_sub(job.reserved));
		if amount == 0 {
			return 0;
		}
		let reason: T::RuntimeHoldReason = HoldReason::JobEscrow.into();
		let fee = T::ProtocolFee::get().mul_floor(amount);
		let Ok(net) = T::Currency::transfer_on_hold(
			&reason,
			&job.poster,
			&replica.payout,
			amount.saturating_sub(fee),
			Precision::Exact,
			Restriction::Free,
			Fortitude::Force,
		) else {
			return 0;
		};
		let to_burn = burn_share.mul_floor(fee);
		let to_treasury = fee.saturating_sub(to_burn);
		// A treasury that cannot take it (an account below the existential deposit) leaves
		// it to the burn.
		let sent = if to_treasury.is_zero() {
			0
		} else {
			T::Currency::transfer_on_hold(
				&reason,
				&job.poster,
				&T::Treasury::get(),
				to_treasury,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Force,
			)
			.unwrap_or_default()
		};
		let burned = T::Currency::burn_held(
			&reason,
			&job.poster,
			fee.saturating_sub(sent),
			Precision::Exact,
			Fortitude::Force,
		)
		.unwrap_or_default();
		let fee = sent.saturating_add(burned);
		let spent = net.saturating_add(fee);
		job.escrow.saturating_reduce(spent);
		job.paid.saturating_accrue(spent);
		job.burned.saturating_accrue(burned);
		Self::record_settled(spent, 0);
		Self::deposit_event(Event::ProviderPaid {
			job: id,
			provider: replica.provider.clone(),
			amount: spent,
			fee,
			burned,
		});
		spent
	}

	/// The replica's collateral goes back into its provider's bond.
	fn return_collateral(replica: &mut Replica<T::AccountId>) {
		let amount = core::mem::take(&mut replica.collateral);
		if amount == 0 {
			return;
		}
		match Providers::<T>::get(&replica.provider) {
			Some(mut provider) => {
				Self::collateral_to_bond(&mut provider, amount);
				Providers::<T>::insert(&replica.provider, provider);
			}
			// The provider cannot be gone while it has jobs; the funds go free.
			None => {
				Self::release(HoldReason::JobCollateral, &replica.owner, amount);
				polkadot_sdk::frame_support::defensive!("compute: collateral of no provider");
			}
		}
	}

	/// Moves `amount` of collateral held from the provider's owner back into its bond.
	pub(crate) fn collateral_to_bond(provider: &mut ProviderOf<T>, amount: Balance) {
		if amount == 0 {
			return;
		}
		Self::release(HoldReason::JobCollateral, &provider.owner, amount);
		if Self::hold(HoldReason::ProviderBond, &provider.owner, amount).is_ok() {
			provider.bond.saturating_accrue(amount);
		} else {
			polkadot_sdk::frame_support::defensive!("compute: released collateral not held again");
		}
	}

	/// Ends a job with `status`: collateral still held goes back to the bonds, a running
	/// lease frees its GPUs, the escrow left returns to the poster, and the record is
	/// removed `JobRetention` blocks later.
	pub(crate) fn finish(id: JobId, job: &mut JobOf<T>, status: JobStatus, now: BlockNumber) {
		let leased = job.spec.kind.is_lease() && job.lease.is_some();
		for replica in job.replicas.iter_mut() {
			Self::return_collateral(replica);
			Self::count_provider_job(&replica.provider, false);
			if leased {
				Self::release_gpus(&replica.provider, job.spec.gpu_count);
			}
		}
		let refunded = core::mem::take(&mut job.escrow);
		Self::release(HoldReason::JobEscrow, &job.poster, refunded);
		job.reserved = 0;
		Self::count_job(job, false);
		if matches!(status, JobStatus::Settled | JobStatus::Terminated) {
			Self::record_settled(0, 1);
		}
		Bids::<T>::remove(id);
		Reviews::<T>::remove(id);
		job.status = status;
		job.finished_at = Some(now);
		if let Some(timer) = job.timer.take() {
			Self::unschedule(timer.queued, &Deadline::Job(id));
		}
		let prune_at = now.saturating_add(T::JobRetention::get()).max(now.saturating_add(1));
		match Self::schedule_eventually(prune_at, Deadline::Job(id)) {
			Some(queued) => job.timer = Some(JobTimer { due: prune_at, queued }),
			None => {
				polkadot_sdk::frame_support::defensive!("compute: no block to prune a job");
			}
		}
		Self::deposit_event(Event::JobFinished { job: id, status, refunded });
	}

	// ----- Calls -----

	fn job_of(id: JobId) -> Result<JobOf<T>, DispatchError> {
		Ok(Jobs::<T>::get(id).ok_or(Error::<T>::JobNotFound)?)
	}

	/// The slot of `provider` among the job's replicas.
	fn replica_index(job: &JobOf<T>, provider: &T::AccountId) -> Result<usize, Error<T>> {
		job.replicas
			.iter()
			.position(|replica| &replica.provider == provider)
			.ok_or(Error::<T>::NotJobProvider)
	}

	pub(crate) fn do_cancel_job(poster: T::AccountId, id: JobId) -> DispatchResult {
		let mut job = Self::job_of(id)?;
		ensure!(job.poster == poster, Error::<T>::NotPoster);
		ensure!(
			matches!(job.status, JobStatus::Open | JobStatus::Assigned),
			Error::<T>::WrongJobPhase
		);
		ensure!(!job.replicas.iter().any(Replica::accepted), Error::<T>::JobAccepted);
		Self::finish(id, &mut job, JobStatus::Cancelled, Self::now());
		Jobs::<T>::insert(id, job);
		Ok(())
	}

	pub(crate) fn do_place_bid(
		hotkey: T::AccountId,
		id: JobId,
		unit_price: Balance,
	) -> DispatchResult {
		let job = Self::job_of(id)?;
		ensure!(
			matches!(job.spec.assignment, AssignmentPolicy::Auction { .. }),
			Error::<T>::NotAuction
		);
		ensure!(
			job.status == JobStatus::Open && job.timer.is_some_and(|timer| Self::now() < timer.due),
			Error::<T>::AuctionClosed
		);
		let provider = Providers::<T>::get(&hotkey).ok_or(Error::<T>::ProviderNotFound)?;
		Self::ensure_eligible(&hotkey, &provider, &job.spec, unit_price)?;
		Bids::<T>::try_mutate(id, |bids| -> DispatchResult {
			let bids = bids.get_or_insert_with(BoundedVec::new);
			match bids.iter_mut().find(|bid| bid.provider == hotkey) {
				Some(bid) => bid.unit_price = unit_price,
				None => bids
					.try_push(Bid { provider: hotkey.clone(), unit_price })
					.map_err(|_| Error::<T>::TooManyBids)?,
			}
			Ok(())
		})?;
		Self::deposit_event(Event::BidPlaced { job: id, provider: hotkey, unit_price });
		Ok(())
	}

	pub(crate) fn do_accept_assignment(hotkey: T::AccountId, id: JobId) -> DispatchResult {
		let mut job = Self::job_of(id)?;
		let now = Self::now();
		ensure!(job.status == JobStatus::Assigned, Error::<T>::WrongJobPhase);
		ensure!(job.timer.is_some_and(|timer| now < timer.due), Error::<T>::AcceptWindowClosed);
		let index = Self::replica_index(&job, &hotkey)?;
		let units = job.spec.kind.units();
		let gpus = job.spec.gpu_count;
		let is_lease = job.spec.kind.is_lease();
		let replica = job.replicas.get_mut(index).ok_or(Error::<T>::NotJobProvider)?;
		ensure!(!replica.accepted(), Error::<T>::AlreadyAccepted);
		let mut provider = Providers::<T>::get(&hotkey).ok_or(Error::<T>::ProviderNotFound)?;
		if is_lease {
			ensure!(Self::free_gpus(&hotkey, &provider) >= gpus, Error::<T>::ProviderBusy);
		}
		let collateral = Self::collateral(replica.unit_price, units);
		ensure!(Self::free_bond(&provider) >= collateral, Error::<T>::InsufficientFreeBond);
		// The collateral moves from the bond's hold to the job's.
		Self::release(HoldReason::ProviderBond, &provider.owner, collateral);
		Self::hold(HoldReason::JobCollateral, &provider.owner, collateral)?;
		provider.bond.saturating_reduce(collateral);
		Providers::<T>::insert(&hotkey, provider);
		replica.collateral = collateral;
		replica.state = ReplicaState::Accepted;
		Self::deposit_event(Event::AssignmentAccepted { job: id, provider: hotkey, collateral });
		if job.replicas.iter().all(Replica::accepted) {
			Self::start(id, &mut job, now)?;
		}
		Jobs::<T>::insert(id, job);
		Ok(())
	}

	/// Every provider accepted: the job runs until its deadline; a lease reserves its GPUs
	/// and is billed at the end of each period.
	fn start(id: JobId, job: &mut JobOf<T>, now: BlockNumber) -> Result<(), Error<T>> {
		job.status = JobStatus::Running;
		match job.spec.kind {
			JobKind::Lease { period_blocks, .. } => {
				for replica in job.replicas.iter() {
					Self::reserve_gpus(&replica.provider, job.spec.gpu_count);
				}
				job.lease = Some(crate::LeaseBilling { period_start: now, billed: 0, owed: 0 });
				Self::set_timer(id, job, now.saturating_add(period_blocks), now)?;
			}
			_ => Self::set_timer(id, job, job.spec.deadline, now)?,
		}
		Self::deposit_event(Event::JobStarted { job: id });
		Ok(())
	}

	pub(crate) fn do_commit_result(
		hotkey: T::AccountId,
		id: JobId,
		commitment: H256,
	) -> DispatchResult {
		let mut job = Self::job_of(id)?;
		let now = Self::now();
		ensure!(!job.spec.kind.is_lease(), Error::<T>::LeaseHasNoResults);
		ensure!(job.status == JobStatus::Running, Error::<T>::WrongJobPhase);
		ensure!(now < job.spec.deadline, Error::<T>::CommitWindowClosed);
		let index = Self::replica_index(&job, &hotkey)?;
		let replica = job.replicas.get_mut(index).ok_or(Error::<T>::NotJobProvider)?;
		ensure!(replica.state == ReplicaState::Accepted, Error::<T>::AlreadyCommitted);
		replica.state = ReplicaState::Committed(commitment);
		Self::deposit_event(Event::ResultCommitted { job: id, provider: hotkey });
		if job.replicas.iter().all(|replica| matches!(replica.state, ReplicaState::Committed(_))) {
			Self::commits_in(id, &mut job, now)?;
		}
		Jobs::<T>::insert(id, job);
		Ok(())
	}

	pub(crate) fn do_reveal_result(
		hotkey: T::AccountId,
		id: JobId,
		result_hash: H256,
		output: ContentId,
		salt: [u8; 32],
	) -> DispatchResultWithPostInfo {
		let mut job = Self::job_of(id)?;
		let now = Self::now();
		ensure!(job.status == JobStatus::Revealing, Error::<T>::WrongJobPhase);
		ensure!(job.timer.is_some_and(|timer| now < timer.due), Error::<T>::RevealWindowClosed);
		let index = Self::replica_index(&job, &hotkey)?;
		let replica = job.replicas.get_mut(index).ok_or(Error::<T>::NotJobProvider)?;
		let commitment = match replica.state {
			ReplicaState::Committed(commitment) => commitment,
			ReplicaState::Revealed { .. } => return Err(Error::<T>::AlreadyRevealed.into()),
			_ => return Err(Error::<T>::NotCommitted.into()),
		};
		ensure!(
			commitment == Self::result_commitment(id, &hotkey, &result_hash, &salt),
			Error::<T>::RevealMismatch
		);
		Self::ensure_valid_cid(&output)?;
		replica.state = ReplicaState::Revealed { result_hash, output };
		Self::deposit_event(Event::ResultRevealed { job: id, provider: hotkey, result_hash });
		let replicas = T::MaxReplicas::get();
		let mut weight = T::WeightInfo::reveal_result(replicas);
		let waiting =
			job.replicas.iter().any(|replica| matches!(replica.state, ReplicaState::Committed(_)))
				|| Reviews::<T>::get(id).is_some_and(|review| review.awaits_reveals());
		if !waiting {
			weight.saturating_accrue(Self::close_results(id, &mut job, now));
		}
		Jobs::<T>::insert(id, job);
		Ok(PostDispatchInfo { actual_weight: Some(weight), pays_fee: Default::default() })
	}

	pub(crate) fn do_advance(who: T::AccountId, id: JobId) -> DispatchResultWithPostInfo {
		let mut job = Self::job_of(id)?;
		let now = Self::now();
		let timer = job.timer.filter(|timer| timer.due <= now).ok_or(Error::<T>::NotDue)?;
		Self::unschedule(timer.queued, &Deadline::Job(id));
		job.timer = None;
		let tip = T::AdvanceTip::get().min(job.reserved);
		let tip = if tip > 0 {
			T::Currency::transfer_on_hold(
				&HoldReason::JobEscrow.into(),
				&job.poster,
				&who,
				tip,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Force,
			)
			.unwrap_or_default()
		} else {
			0
		};
		job.escrow.saturating_reduce(tip);
		job.reserved.saturating_reduce(tip);
		Self::deposit_event(Event::JobAdvanced { job: id, by: who, tip });
		let weight = T::WeightInfo::advance().saturating_add(Self::job_step(id, job, now));
		Ok(PostDispatchInfo { actual_weight: Some(weight), pays_fee: Default::default() })
	}
}
