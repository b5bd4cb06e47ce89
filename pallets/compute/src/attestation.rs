//! Hardware attestation: drawing attestors, commit and reveal, and the verdict.

use crate::{
	impls::ProviderOf, Attestation, AttestationPhase, Attestations, Attestor, AttestorFault,
	AttestorReport, BenchedAttestors, Config, Deadline, Error, Event, HoldReason, Pallet,
	Providers, SlashReason, WeightInfo,
};
use alloc::vec::Vec;
use codec::Encode;
use luxtensor_primitives::{
	compute::{performance_class, ProviderStatus},
	traits::{HotkeyOwnership, SubnetValidators},
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
	sp_core::H256,
	sp_io::hashing::blake2_256,
	sp_runtime::{traits::Saturating, DispatchResult},
};

impl<T: Config> Pallet<T> {
	/// Opens round `round` of the provider's attestation: attestors are drawn `DrawDelay`
	/// blocks after `now`.
	pub(crate) fn open_attestation(
		hotkey: &T::AccountId,
		round: u8,
		now: BlockNumber,
	) -> DispatchResult {
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
			.filter(|(hotkey, _)| !Self::benched(hotkey, now))
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
			let bytes: [u8; 16] =
				hash.get(..16).and_then(|head| head.try_into().ok()).unwrap_or_default();
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
		let slot = attestation.slot_mut(&attestor).ok_or(Error::<T>::NotAttestor)?;
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
		let slot = attestation.slot_mut(&attestor).ok_or(Error::<T>::NotAttestor)?;
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
			let slash_id = Self::schedule_slash(
				hotkey,
				&mut provider,
				SlashReason::FalseSpec,
				None,
				0,
				winners,
				now,
			);
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
}
