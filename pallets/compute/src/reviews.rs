//! Proof of compute: spot checks, disputes and challenges. Validators of the compute subnet,
//! sampled by stake from randomness of a block after the review opened, re-run a job and
//! commit-reveal their result hashes: a majority of a spot check's checkers, or two thirds
//! of a jury, decide. Reviewers on the decided side share the job's verification fees;
//! those who do not commit, do not reveal, or reveal against it are benched from draws.

use crate::{
	jobs::JobOf, AttestorFault, BenchedAttestors, Config, Error, Event, HoldReason, Jobs, Pallet,
	Providers, ReplicaState, Review, ReviewKind, Reviewer, Reviews, WeightInfo,
};
use alloc::vec::Vec;
use luxtensor_primitives::{
	compute::{ContentId, JobId, JobStatus},
	traits::{HotkeyOwnership, SubnetValidators},
	Balance, BlockNumber,
};
use polkadot_sdk::{
	frame_support::{
		dispatch::DispatchResultWithPostInfo,
		ensure,
		traits::{
			fungible::MutateHold,
			tokens::{Fortitude, Precision, Restriction},
			Get,
		},
		weights::Weight,
		BoundedVec,
	},
	sp_core::H256,
	sp_runtime::{traits::Saturating, DispatchResult},
};

/// The review of a job as stored.
pub(crate) type ReviewOf<T> =
	Review<<T as polkadot_sdk::frame_system::Config>::AccountId, <T as Config>::JurySize>;

impl<T: Config> Pallet<T> {
	/// Every result is committed, or the deadline came with a quorum of commits. A job
	/// with a spot-check chance waits `DrawDelay` blocks for randomness its providers could
	/// not know when they committed; others open their reveals.
	pub(crate) fn commits_in(
		id: JobId,
		job: &mut JobOf<T>,
		now: BlockNumber,
	) -> Result<(), Error<T>> {
		if job.spec.spot_check.is_zero() {
			return Self::open_reveal(id, job, now);
		}
		Self::set_timer(id, job, now.saturating_add(T::DrawDelay::get()), now)?;
		job.status = JobStatus::Checking;
		Ok(())
	}

	/// The step of a job in `Checking`: the spot-check draw, or the end of the checkers'
	/// commit window.
	pub(crate) fn checking_step(id: JobId, job: &mut JobOf<T>, now: BlockNumber) -> Weight {
		let weight = T::WeightInfo::draw_reviewers(crate::MAX_VALIDATORS);
		if !Reviews::<T>::contains_key(id) {
			let seed = Self::job_seed(id, 2);
			// Eight bytes: the remainder's bias is below one in ten billion.
			let head: [u8; 8] =
				seed.as_bytes().get(..8).and_then(|head| head.try_into().ok()).unwrap_or_default();
			let roll = u64::from_le_bytes(head).checked_rem(1_000_000_000).unwrap_or(0);
			if roll < u64::from(job.spec.spot_check.deconstruct())
				&& Self::open_review(id, job, ReviewKind::SpotCheck, 0, seed, now)
			{
				return weight;
			}
			Self::deposit_event(Event::SpotCheckSkipped { job: id });
		}
		if Self::open_reveal(id, job, now).is_err() {
			Self::finish(id, job, JobStatus::Refunded, now);
		}
		weight
	}

	/// Draws the reviewers of `kind` and gives them `ReviewWindow` blocks to commit (a jury
	/// then `ResultRevealWindow` more to reveal). Returns false when nobody can review.
	fn open_review(
		id: JobId,
		job: &mut JobOf<T>,
		kind: ReviewKind<T::AccountId>,
		fees_paid: Balance,
		seed: H256,
		now: BlockNumber,
	) -> bool {
		let count = match kind {
			ReviewKind::SpotCheck => T::SpotCheckers::get(),
			_ => T::JurySize::get(),
		};
		let drawn = Self::draw_reviewers(job, count, seed, now);
		if drawn.is_empty() {
			return false;
		}
		let commit_end = now.saturating_add(T::ReviewWindow::get());
		let next = match kind {
			ReviewKind::SpotCheck => commit_end,
			_ => commit_end.saturating_add(T::ResultRevealWindow::get()),
		};
		if Self::set_timer(id, job, next, now).is_err() {
			return false;
		}
		let reviewers = drawn
			.iter()
			.map(|hotkey| Reviewer { hotkey: hotkey.clone(), commitment: None, result: None })
			.collect();
		Self::deposit_event(Event::ReviewersDrawn {
			job: id,
			kind: kind.clone(),
			reviewers: BoundedVec::truncate_from(drawn),
			commit_end,
		});
		let reviewers = BoundedVec::truncate_from(reviewers);
		Reviews::<T>::insert(id, Review { kind, reviewers, commit_end, verdict: None, fees_paid });
		true
	}

	/// Up to `count` validators of the job's compute subnet by stake: none of them a
	/// replica or owned by a replica's owner, none benched.
	fn draw_reviewers(
		job: &JobOf<T>,
		count: u32,
		seed: H256,
		now: BlockNumber,
	) -> Vec<T::AccountId> {
		let Some(netuid) = job
			.replicas
			.first()
			.and_then(|replica| Providers::<T>::get(&replica.provider))
			.map(|provider| provider.netuid)
		else {
			return Vec::new();
		};
		let candidates = T::Validators::validators(netuid)
			.into_iter()
			.filter(|(hotkey, _)| {
				let owner = T::HotkeyOwnership::owner(hotkey);
				job.replicas.iter().all(|replica| {
					&replica.provider != hotkey && owner.as_ref() != Some(&replica.owner)
				})
			})
			.filter(|(hotkey, _)| !Self::benched(hotkey, now))
			.collect();
		Self::sample_weighted(candidates, count, seed)
	}

	/// Opens a jury for the job (a dispute, or a challenge): drawn `DrawDelay` blocks later.
	pub(crate) fn open_dispute(
		id: JobId,
		job: &mut JobOf<T>,
		kind: ReviewKind<T::AccountId>,
		now: BlockNumber,
	) -> Result<(), Error<T>> {
		let fees_paid = Reviews::<T>::get(id).map_or(0, |review| review.fees_paid);
		Self::set_timer(id, job, now.saturating_add(T::DrawDelay::get()), now)?;
		job.status = JobStatus::Disputed;
		Reviews::<T>::insert(
			id,
			Review {
				kind,
				reviewers: BoundedVec::new(),
				commit_end: now,
				verdict: None,
				fees_paid,
			},
		);
		Self::deposit_event(Event::JobDisputed { job: id });
		Ok(())
	}

	/// The step of a disputed job: drawing its jury, or counting the jurors' results.
	pub(crate) fn dispute_step(id: JobId, job: &mut JobOf<T>, now: BlockNumber) -> Weight {
		let weight = T::WeightInfo::draw_reviewers(crate::MAX_VALIDATORS)
			.max(T::WeightInfo::close_jury(T::JurySize::get()));
		let Some(review) = Reviews::<T>::get(id) else {
			polkadot_sdk::frame_support::defensive!("compute: dispute without review");
			Self::finish(id, job, JobStatus::Refunded, now);
			return weight;
		};
		if review.reviewers.is_empty() {
			let seed = Self::job_seed(id, 3);
			if !Self::open_review(id, job, review.kind.clone(), review.fees_paid, seed, now) {
				Self::no_verdict(id, job, review, now);
			}
			return weight;
		}
		Self::close_jury(id, job, review, now);
		weight
	}

	/// Counts a jury: two thirds of the jurors drawn on one result decide.
	pub(crate) fn close_jury(
		id: JobId,
		job: &mut JobOf<T>,
		mut review: ReviewOf<T>,
		now: BlockNumber,
	) {
		let drawn = review.reviewers.len();
		let verdict = Self::most_revealed(&review)
			.filter(|(_, count)| count.saturating_mul(3) >= drawn.saturating_mul(2))
			.map(|(result, _)| result);
		Self::conclude_review(id, job, &mut review, verdict, now);
		let Some(verdict) = verdict else {
			return Self::no_verdict(id, job, review, now);
		};
		let mut reporters: Vec<T::AccountId> = review.agreeing(&verdict).cloned().collect();
		if let ReviewKind::Challenge { challenger, bond, .. } = &review.kind {
			let challenged = job.result.as_ref().map(|(result, _)| *result);
			let upheld = challenged != Some(verdict);
			if upheld {
				Self::release(HoldReason::ChallengeBond, challenger, *bond);
				reporters.insert(0, challenger.clone());
			} else {
				// The bond pays the challenged replicas and the jurors who proved them right.
				let mut winners: Vec<T::AccountId> = job
					.replicas
					.iter()
					.filter(|replica| replica.revealed_result() == Some(verdict))
					.map(|replica| replica.payout.clone())
					.collect();
				winners.extend(reporters.iter().cloned());
				Self::pay_bond(challenger, *bond, &winners);
			}
			Self::deposit_event(Event::ChallengeResolved {
				job: id,
				challenger: challenger.clone(),
				upheld: Some(upheld),
			});
		}
		Reviews::<T>::insert(id, review);
		Self::settle(id, job, verdict, reporters, now);
	}

	/// A review without a verdict: a challenger's bond comes back, and the poster is
	/// refunded; only replicas that never revealed are slashed.
	fn no_verdict(id: JobId, job: &mut JobOf<T>, review: ReviewOf<T>, now: BlockNumber) {
		if let ReviewKind::Challenge { challenger, bond, .. } = &review.kind {
			Self::release(HoldReason::ChallengeBond, challenger, *bond);
			Self::deposit_event(Event::ChallengeResolved {
				job: id,
				challenger: challenger.clone(),
				upheld: None,
			});
		}
		Reviews::<T>::insert(id, review);
		Self::refund_unsettled(id, job, now);
	}

	/// The result most reviewers revealed, with how many (the lowest hash on a tie).
	pub(crate) fn most_revealed(review: &ReviewOf<T>) -> Option<(H256, usize)> {
		let mut counts: Vec<(H256, usize)> = Vec::new();
		for result in review.reviewers.iter().filter_map(|reviewer| reviewer.result) {
			match counts.iter_mut().find(|(seen, _)| *seen == result) {
				Some((_, count)) => count.saturating_inc(),
				None => counts.push((result, 1)),
			}
		}
		counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
	}

	/// Closes a review on `verdict`: its reviewers on that side share what is left of the
	/// job's verification fees; the others (and all of them without a verdict, but those
	/// who revealed) are benched.
	pub(crate) fn conclude_review(
		id: JobId,
		job: &mut JobOf<T>,
		review: &mut ReviewOf<T>,
		verdict: Option<H256>,
		now: BlockNumber,
	) {
		review.verdict = verdict;
		let agreeing: Vec<T::AccountId> =
			verdict.map(|result| review.agreeing(&result).cloned().collect()).unwrap_or_default();
		let pool = T::VerificationFee::get()
			.saturating_mul(Balance::from(job.spec.replicas))
			.saturating_sub(review.fees_paid)
			.min(job.reserved);
		let count = Balance::try_from(agreeing.len()).unwrap_or(Balance::MAX);
		let each = pool.checked_div(count).unwrap_or(0);
		for reviewer in &agreeing {
			let paid = T::Currency::transfer_on_hold(
				&HoldReason::JobEscrow.into(),
				&job.poster,
				reviewer,
				each,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Force,
			)
			.unwrap_or_default();
			job.escrow.saturating_reduce(paid);
			job.reserved.saturating_reduce(paid);
			review.fees_paid.saturating_accrue(paid);
			if paid > 0 {
				Self::deposit_event(Event::ReviewerPaid {
					job: id,
					reviewer: reviewer.clone(),
					amount: paid,
				});
			}
		}
		let until = now.saturating_add(T::AttestorBenchPeriod::get());
		for reviewer in review.reviewers.iter() {
			let fault = match (reviewer.commitment, reviewer.result) {
				(None, _) => AttestorFault::NoCommit,
				(Some(_), None) => AttestorFault::NoReveal,
				(Some(_), Some(result)) if verdict.is_some_and(|verdict| verdict != result) => {
					AttestorFault::AgainstMajority
				}
				_ => continue,
			};
			BenchedAttestors::<T>::insert(&reviewer.hotkey, until);
			Self::deposit_event(Event::ReviewerBenched {
				job: id,
				reviewer: reviewer.hotkey.clone(),
				fault,
				until,
			});
		}
		Self::deposit_event(Event::ReviewClosed { job: id, verdict });
	}

	/// Splits a lost challenge's bond equally among `winners`, the first taking the rest of
	/// the division; what cannot be paid is burned.
	fn pay_bond(challenger: &T::AccountId, bond: Balance, winners: &[T::AccountId]) {
		let count = Balance::try_from(winners.len()).unwrap_or(Balance::MAX);
		let each = bond.checked_div(count).unwrap_or(0);
		let rest = bond.saturating_sub(each.saturating_mul(count));
		let mut holds = [(HoldReason::ChallengeBond, bond)];
		for (index, winner) in winners.iter().enumerate() {
			let each = if index == 0 { each.saturating_add(rest) } else { each };
			Self::pay_from_holds(challenger, &mut holds, winner, each);
		}
		Self::burn_holds(challenger, holds);
	}

	// ----- Calls -----

	pub(crate) fn do_review_commit(
		reviewer: T::AccountId,
		id: JobId,
		commitment: H256,
	) -> DispatchResult {
		ensure!(Jobs::<T>::contains_key(id), Error::<T>::JobNotFound);
		let mut review = Reviews::<T>::get(id).ok_or(Error::<T>::NoReview)?;
		ensure!(!review.reviewers.is_empty() && review.verdict.is_none(), Error::<T>::NoReview);
		ensure!(Self::now() < review.commit_end, Error::<T>::ReviewCommitClosed);
		let slot = review
			.reviewers
			.iter_mut()
			.find(|slot| slot.hotkey == reviewer)
			.ok_or(Error::<T>::NotReviewer)?;
		ensure!(slot.commitment.is_none(), Error::<T>::AlreadyCommitted);
		slot.commitment = Some(commitment);
		Reviews::<T>::insert(id, review);
		Self::deposit_event(Event::ReviewCommitted { job: id, reviewer });
		Ok(())
	}

	pub(crate) fn do_review_reveal(
		reviewer: T::AccountId,
		id: JobId,
		result_hash: H256,
		salt: [u8; 32],
	) -> DispatchResultWithPostInfo {
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::JobNotFound)?;
		let mut review = Reviews::<T>::get(id).ok_or(Error::<T>::NoReview)?;
		let now = Self::now();
		let open = match review.kind {
			ReviewKind::SpotCheck => job.status == JobStatus::Revealing,
			_ => job.status == JobStatus::Disputed && now >= review.commit_end,
		};
		let before_close = job.timer.is_some_and(|timer| now < timer.due);
		ensure!(open && before_close && review.verdict.is_none(), Error::<T>::ReviewRevealClosed);
		let slot = review
			.reviewers
			.iter_mut()
			.find(|slot| slot.hotkey == reviewer)
			.ok_or(Error::<T>::NotReviewer)?;
		let commitment = slot.commitment.ok_or(Error::<T>::NotCommitted)?;
		ensure!(slot.result.is_none(), Error::<T>::AlreadyRevealed);
		ensure!(
			commitment == Self::result_commitment(id, &reviewer, &result_hash, &salt),
			Error::<T>::RevealMismatch
		);
		slot.result = Some(result_hash);
		Self::deposit_event(Event::ReviewRevealed { job: id, reviewer, result_hash });
		let mut weight = T::WeightInfo::review_reveal(T::JurySize::get());
		let awaited = review.awaits_reveals()
			|| (job.status == JobStatus::Revealing
				&& job
					.replicas
					.iter()
					.any(|replica| matches!(replica.state, ReplicaState::Committed(_))));
		if awaited {
			Reviews::<T>::insert(id, review);
		} else {
			if let Some(timer) = job.timer.take() {
				Self::unschedule(timer.queued, &crate::Deadline::Job(id));
			}
			if job.status == JobStatus::Revealing {
				Reviews::<T>::insert(id, review);
				weight.saturating_accrue(Self::close_results(id, &mut job, now));
			} else {
				Self::close_jury(id, &mut job, review, now);
				weight.saturating_accrue(T::WeightInfo::close_jury(T::JurySize::get()));
			}
		}
		Jobs::<T>::insert(id, job);
		Ok(Some(weight).into())
	}

	pub(crate) fn do_challenge(
		challenger: T::AccountId,
		id: JobId,
		provider: T::AccountId,
		evidence: ContentId,
	) -> DispatchResult {
		let mut job = Jobs::<T>::get(id).ok_or(Error::<T>::JobNotFound)?;
		let now = Self::now();
		ensure!(job.status == JobStatus::Challengeable, Error::<T>::WrongJobPhase);
		ensure!(job.timer.is_some_and(|timer| now < timer.due), Error::<T>::WrongJobPhase);
		let winning = job.result.as_ref().map(|(result, _)| *result);
		ensure!(
			job.replicas.iter().any(|replica| {
				replica.provider == provider && replica.revealed_result() == winning
			}),
			Error::<T>::NotWinningReplica
		);
		Self::ensure_valid_cid(&evidence)?;
		let bond = T::ChallengeBond::get();
		Self::hold(HoldReason::ChallengeBond, &challenger, bond)?;
		if let Some(timer) = job.timer.take() {
			Self::unschedule(timer.queued, &crate::Deadline::Job(id));
		}
		Self::deposit_event(Event::ResultChallenged {
			job: id,
			challenger: challenger.clone(),
			provider: provider.clone(),
			evidence: evidence.clone(),
			bond,
		});
		let kind = ReviewKind::Challenge { challenger, provider, bond, evidence };
		Self::open_dispute(id, &mut job, kind, now)?;
		Jobs::<T>::insert(id, job);
		Ok(())
	}

	/// Whether a validator is left out of draws now (lifting an ended bench).
	pub(crate) fn benched(hotkey: &T::AccountId, now: BlockNumber) -> bool {
		match BenchedAttestors::<T>::get(hotkey) {
			Some(until) if now < until => true,
			Some(_) => {
				BenchedAttestors::<T>::remove(hotkey);
				false
			}
			None => false,
		}
	}
}
