//! The weights pallet's logic: weight checks shared by the calls and the transaction pool,
//! commit-reveal, the epoch, the interfaces other pallets use, views and invariants.

use crate::{
	compute, set_last_update, types::EpochReads, Bonds, CheckedReveal, Commits, Config, Entries,
	EntryCounts, EpochOutputs, Error, Event, LastEpochBlock, LastUpdates, Pallet, SubnetOutputs,
	WeightCommit, WeightCommits, WeightInfo, WeightRow, Weights,
};
use alloc::{vec, vec::Vec};
use codec::Encode;
use core::ops::Range;
use luxtensor_primitives::{
	subnets::{NetUid, NeuronEpochInfo, SubnetHyperparameters, Uid},
	traits::{
		ComputeScores, Epoch, EpochPayouts, EpochResults, NeuronPayout, Neurons,
		OnNeuronRegistered, OnSubnetDissolved, StakeInfo, SubnetValidators, SubnetsInfo,
	},
	Balance, BlockNumber,
};
use luxtensor_yuma::EpochInput;
use polkadot_sdk::{
	frame_support::{ensure, traits::Get, weights::Weight, BoundedVec},
	frame_system,
	sp_core::H256,
	sp_io::hashing::blake2_256,
	sp_runtime::{traits::UniqueSaturatedInto, DispatchResult},
};

impl<T: Config> Pallet<T> {
	/// The current block number.
	pub(crate) fn now() -> BlockNumber {
		frame_system::Pallet::<T>::block_number().unique_saturated_into()
	}

	/// The block of `uid`'s last accepted weights (0: never).
	pub fn last_update(netuid: NetUid, uid: Uid) -> BlockNumber {
		LastUpdates::<T>::get(netuid).get(usize::from(uid)).copied().unwrap_or(0)
	}

	/// The tempo window of `block`: window k is blocks `[k·tempo, (k+1)·tempo)`.
	fn window(block: BlockNumber, params: &SubnetHyperparameters) -> BlockNumber {
		block.checked_div(params.tempo.max(1).into()).unwrap_or(0)
	}

	/// The only window in which a commit made at `commit_block` can be revealed.
	fn reveal_window(commit_block: BlockNumber, params: &SubnetHyperparameters) -> BlockNumber {
		Self::window(commit_block, params).saturating_add(params.commit_reveal_period.into())
	}

	fn is_expired(
		commit: &WeightCommit<T::AccountId>,
		now: BlockNumber,
		params: &SubnetHyperparameters,
	) -> bool {
		Self::window(now, params) > Self::reveal_window(commit.block, params)
	}

	/// The subnet's hyperparameters and the uid of `hotkey` in it.
	fn subnet_and_uid(
		netuid: NetUid,
		hotkey: &T::AccountId,
	) -> Result<(SubnetHyperparameters, Uid), Error<T>> {
		let params = T::Subnets::hyperparameters(netuid).ok_or(Error::<T>::SubnetNotFound)?;
		let uid = T::Neurons::uid(netuid, hotkey).ok_or(Error::<T>::NotRegistered)?;
		Ok((params, uid))
	}

	/// Fails unless the neuron holds a validator permit and the subnet's minimum stake.
	fn ensure_validator(
		netuid: NetUid,
		uid: Uid,
		hotkey: &T::AccountId,
		params: &SubnetHyperparameters,
	) -> Result<(), Error<T>> {
		let permitted =
			EpochOutputs::<T>::get(netuid).validator_permit.get(usize::from(uid)) == Some(&true);
		ensure!(permitted, Error::<T>::NoValidatorPermit);
		ensure!(
			T::Stake::stake_of(hotkey) >= params.min_stake_to_set_weights,
			Error::<T>::StakeBelowMinimum
		);
		Ok(())
	}

	/// Checks weights, of lengths [`Self::check_lengths`] passed, against the rules of the
	/// subnet of `n` neurons; returns the nonzero `(uid, weight)` pairs by uid.
	fn check_row(
		n: u16,
		params: &SubnetHyperparameters,
		uids: &[Uid],
		values: &[u16],
		version_key: u64,
	) -> Result<Vec<(Uid, u16)>, Error<T>> {
		let mut row: Vec<(Uid, u16)> = uids.iter().copied().zip(values.iter().copied()).collect();
		row.sort_unstable_by_key(|&(uid, _)| uid);
		ensure!(
			row.windows(2).all(|pair| pair.first().map(|e| e.0) != pair.last().map(|e| e.0)),
			Error::<T>::DuplicateUid
		);
		ensure!(row.iter().all(|&(uid, _)| uid < n), Error::<T>::UidOutOfRange);
		row.retain(|&(_, value)| value > 0);
		ensure!(
			row.len() >= usize::from(params.min_allowed_weights.min(n)),
			Error::<T>::TooFewWeights
		);
		// value / total <= max_weight_limit / 65535, in integers.
		let total: u64 = row.iter().map(|&(_, value)| u64::from(value)).sum();
		let limit = u64::from(params.max_weight_limit).saturating_mul(total);
		ensure!(
			row.iter().all(|&(_, value)| u64::from(value).saturating_mul(u16::MAX.into()) <= limit),
			Error::<T>::MaxWeightExceeded
		);
		ensure!(version_key >= params.weights_version_key, Error::<T>::OutdatedVersionKey);
		Ok(row)
	}

	/// The checks that cost nothing, made before any sorting or hashing: as many values as
	/// uids, and no more than the subnet's `n`, which it returns.
	fn check_lengths(netuid: NetUid, uids: &[Uid], values: &[u16]) -> Result<u16, Error<T>> {
		ensure!(uids.len() == values.len(), Error::<T>::LengthMismatch);
		let n = T::Neurons::neuron_count(netuid);
		ensure!(uids.len() <= usize::from(n), Error::<T>::TooManyWeights);
		Ok(n)
	}

	/// `row` scaled so its largest value is 65535 (rounded half up).
	pub(crate) fn upscale(row: Vec<(Uid, u16)>) -> Vec<(Uid, u16)> {
		let max = row.iter().map(|&(_, value)| u64::from(value)).max().unwrap_or(0);
		row.into_iter()
			.filter_map(|(uid, value)| {
				// At most 65535 · 131070 + 65535: no overflow in u64.
				let scaled = (u64::from(value).saturating_mul(2 * u64::from(u16::MAX)))
					.saturating_add(max)
					.checked_div(max.saturating_mul(2))?;
				Some((uid, u16::try_from(scaled).unwrap_or(u16::MAX)))
			})
			.collect()
	}

	/// Every check of `set_weights`; returns the uid and the row to store. Shared with the
	/// transaction pool's [`crate::CheckWeights`].
	pub(crate) fn check_set_weights(
		netuid: NetUid,
		hotkey: &T::AccountId,
		uids: &[Uid],
		values: &[u16],
		version_key: u64,
	) -> Result<(Uid, Entries), Error<T>> {
		let (params, uid) = Self::subnet_and_uid(netuid, hotkey)?;
		ensure!(!params.commit_reveal_enabled, Error::<T>::CommitRevealEnabled);
		let n = Self::check_lengths(netuid, uids, values)?;
		let row = Self::check_row(n, &params, uids, values, version_key)?;
		Self::ensure_validator(netuid, uid, hotkey, &params)?;
		let last_update = Self::last_update(netuid, uid);
		ensure!(
			last_update == 0
				|| Self::now() >= last_update.saturating_add(params.weights_rate_limit),
			Error::<T>::WeightsRateLimited
		);
		Ok((uid, Self::upscale(row)))
	}

	/// Stores a checked row as the neuron's weights, from now.
	pub(crate) fn store_weights(netuid: NetUid, uid: Uid, row: Vec<(Uid, u16)>) {
		// Checked rows hold at most n ≤ MaxAllowedUids entries: nothing is truncated.
		let row = WeightRow::<T::MaxAllowedUids>::truncate_from(row);
		let entries = u32::try_from(row.len()).unwrap_or(u32::MAX);
		let old = Weights::<T>::get(netuid, uid).len();
		EntryCounts::<T>::mutate(netuid, |count| {
			count.weights = count
				.weights
				.saturating_sub(u32::try_from(old).unwrap_or(u32::MAX))
				.saturating_add(entries);
		});
		if row.is_empty() {
			Weights::<T>::remove(netuid, uid);
		} else {
			Weights::<T>::insert(netuid, uid, row);
		}
		LastUpdates::<T>::mutate(netuid, |blocks| set_last_update(blocks, uid, Self::now()));
		Self::deposit_event(Event::WeightsSet { netuid, uid, entries });
	}

	/// Every check of `commit_weights`; returns the uid and its live commits (expired ones
	/// dropped).
	pub(crate) fn check_commit(
		netuid: NetUid,
		hotkey: &T::AccountId,
	) -> Result<(Uid, Commits<T>), Error<T>> {
		let (params, uid) = Self::subnet_and_uid(netuid, hotkey)?;
		ensure!(params.commit_reveal_enabled, Error::<T>::CommitRevealDisabled);
		Self::ensure_validator(netuid, uid, hotkey, &params)?;
		let now = Self::now();
		let mut commits = WeightCommits::<T>::get(netuid, uid);
		commits.retain(|commit| !Self::is_expired(commit, now, &params));
		if let Some(last) = commits.last() {
			ensure!(
				now >= last.block.saturating_add(params.weights_rate_limit),
				Error::<T>::WeightsRateLimited
			);
		}
		ensure!(
			commits.len() < T::MaxUnrevealedCommits::get() as usize,
			Error::<T>::TooManyUnrevealedCommits
		);
		Ok((uid, commits))
	}

	/// Adds a checked commit.
	pub(crate) fn store_commit(
		netuid: NetUid,
		uid: Uid,
		hotkey: T::AccountId,
		mut commits: Commits<T>,
		commit_hash: H256,
	) -> DispatchResult {
		commits
			.try_push(WeightCommit { hash: commit_hash, block: Self::now(), hotkey })
			.map_err(|_| Error::<T>::TooManyUnrevealedCommits)?;
		WeightCommits::<T>::insert(netuid, uid, commits);
		Self::deposit_event(Event::WeightsCommitted { netuid, uid, commit_hash });
		Ok(())
	}

	/// The hash a commit of these weights carries.
	pub fn commit_hash(
		hotkey: &T::AccountId,
		netuid: NetUid,
		uids: &[Uid],
		values: &[u16],
		salt: &[u16],
		version_key: u64,
	) -> H256 {
		H256(blake2_256(&(hotkey, netuid, uids, values, salt, version_key).encode()))
	}

	/// Every check of `reveal_weights`; returns what to store.
	pub(crate) fn check_reveal(
		netuid: NetUid,
		hotkey: &T::AccountId,
		uids: &[Uid],
		values: &[u16],
		salt: &[u16],
		version_key: u64,
	) -> Result<CheckedReveal<T::AccountId, T::MaxUnrevealedCommits>, Error<T>> {
		let (params, uid) = Self::subnet_and_uid(netuid, hotkey)?;
		ensure!(params.commit_reveal_enabled, Error::<T>::CommitRevealDisabled);
		ensure!(salt.len() <= T::MaxSaltLength::get() as usize, Error::<T>::SaltTooLong);
		let n = Self::check_lengths(netuid, uids, values)?;
		let mut commits = WeightCommits::<T>::get(netuid, uid);
		// Each commit is checked against the hotkey that made it (the uid's hotkey may have
		// been swapped since), each hotkey's hash computed once.
		let mut hashes: Vec<(T::AccountId, H256)> = Vec::new();
		let position = commits
			.iter()
			.position(|commit| {
				let hash = match hashes.iter().find(|(committer, _)| *committer == commit.hotkey) {
					Some((_, hash)) => *hash,
					None => {
						let hash = Self::commit_hash(
							&commit.hotkey,
							netuid,
							uids,
							values,
							salt,
							version_key,
						);
						hashes.push((commit.hotkey.clone(), hash));
						hash
					}
				};
				commit.hash == hash
			})
			.ok_or(Error::<T>::NoMatchingCommit)?;
		let commit = commits.remove(position);
		let (now, reveal_window) = (Self::now(), Self::reveal_window(commit.block, &params));
		ensure!(Self::window(now, &params) >= reveal_window, Error::<T>::RevealTooEarly);
		ensure!(Self::window(now, &params) == reveal_window, Error::<T>::CommitExpired);
		let mut row = Self::check_row(n, &params, uids, values, version_key)?;
		Self::ensure_validator(netuid, uid, hotkey, &params)?;
		// Neurons registered after the commit were unknown to it: no inheriting by uid.
		row.retain(|&(target, _)| {
			T::Neurons::registered_at(netuid, target).is_some_and(|block| block <= commit.block)
		});
		commits.retain(|commit| !Self::is_expired(commit, now, &params));
		Ok(CheckedReveal { uid, remaining: commits, row: Self::upscale(row) })
	}

	/// Stores a checked reveal: the weights, and the commits left.
	pub(crate) fn apply_reveal(
		netuid: NetUid,
		reveal: CheckedReveal<T::AccountId, T::MaxUnrevealedCommits>,
	) {
		if reveal.remaining.is_empty() {
			WeightCommits::<T>::remove(netuid, reveal.uid);
		} else {
			WeightCommits::<T>::insert(netuid, reveal.uid, reveal.remaining);
		}
		Self::store_weights(netuid, reveal.uid, reveal.row);
	}

	/// The epoch's inputs for a subnet of `n` neurons, the uids with stored weight rows, and
	/// each uid's stake now and hotkey. A uid is weighed by the lesser of its stake now and at
	/// the previous epoch (zero for a uid new since), so stake must be there at two epochs in
	/// a row to count: one borrowed for a block before an epoch wins neither permit nor
	/// weight.
	fn epoch_input(
		netuid: NetUid,
		params: &SubnetHyperparameters,
		emission: u64,
	) -> EpochReads<T::AccountId> {
		let n = T::Neurons::neuron_count(netuid);
		let len = usize::from(n);
		let SubnetOutputs { validator_permit, stake: previous_stake, .. } =
			EpochOutputs::<T>::get(netuid);
		let mut stake_now = Vec::with_capacity(len);
		let mut hotkeys = Vec::with_capacity(len);
		let mut last_update: Vec<u64> =
			LastUpdates::<T>::get(netuid).iter().map(|&block| block.into()).collect();
		last_update.resize(len, 0);
		let mut block_at_registration: Vec<u64> =
			T::Neurons::registration_blocks(netuid).into_iter().map(Into::into).collect();
		block_at_registration.resize(len, 0);
		let mut input = EpochInput {
			n,
			current_block: Self::now().into(),
			activity_cutoff: params.activity_cutoff.into(),
			last_epoch_block: LastEpochBlock::<T>::get(netuid).unwrap_or(0).into(),
			emission,
			kappa: params.kappa,
			bonds_moving_average: params.bonds_moving_average.into(),
			max_allowed_validators: params.max_allowed_validators,
			stake: Vec::with_capacity(len),
			last_update,
			block_at_registration,
			validator_permit: validator_permit.into_inner(),
			weights: vec![Vec::new(); len],
			bonds: vec![Vec::new(); len],
		};
		for uid in 0..n {
			let hotkey = T::Neurons::hotkey(netuid, uid);
			let stake = hotkey.as_ref().map_or(0, T::Stake::stake_of);
			let stake = u64::try_from(stake).unwrap_or(u64::MAX);
			hotkeys.push(hotkey);
			stake_now.push(stake);
			let before = previous_stake.get(usize::from(uid)).copied().unwrap_or(0);
			input.stake.push(stake.min(before));
		}
		let mut rows = Vec::new();
		for (uid, row) in Weights::<T>::iter_prefix(netuid) {
			rows.push(uid);
			if let Some(slot) = input.weights.get_mut(usize::from(uid)) {
				*slot = row.into_inner();
			}
		}
		for (uid, row) in Bonds::<T>::iter_prefix(netuid) {
			if let Some(slot) = input.bonds.get_mut(usize::from(uid)) {
				*slot = row.into_inner();
			}
		}
		EpochReads { input, weight_rows: rows, stake_now, hotkeys }
	}

	/// The subnet's last epoch outputs as neuron views, with each uid's last update.
	pub fn neuron_epochs(netuid: NetUid) -> Vec<NeuronEpochInfo> {
		let outputs = EpochOutputs::<T>::get(netuid);
		let last_updates = LastUpdates::<T>::get(netuid);
		(0..u16::try_from(outputs.len()).unwrap_or(u16::MAX))
			.map(|uid| {
				let last_update = last_updates.get(usize::from(uid)).copied().unwrap_or(0);
				outputs.neuron(uid, last_update)
			})
			.collect()
	}

	/// The weights of each uid in `uids`, in order.
	pub fn weight_rows(netuid: NetUid, uids: Range<Uid>) -> Vec<Vec<(Uid, u16)>> {
		uids.map(|uid| Weights::<T>::get(netuid, uid).into_inner()).collect()
	}

	/// The bonds of each uid in `uids`, in order.
	pub fn bond_rows(netuid: NetUid, uids: Range<Uid>) -> Vec<Vec<(Uid, u16)>> {
		uids.map(|uid| Bonds::<T>::get(netuid, uid).into_inner()).collect()
	}

	/// Storage invariants: per subnet, outputs have length n, rows and commits lie within
	/// `0..n` with valid entries, and the entry counters match the rows.
	pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		use polkadot_sdk::sp_runtime::TryRuntimeError;
		for netuid in T::Subnets::netuids() {
			let n = T::Neurons::neuron_count(netuid);
			ensure!(
				EpochOutputs::<T>::get(netuid).has_length(n.into()),
				TryRuntimeError::Other("epoch outputs do not have length n")
			);
			let mut count = crate::EntryCount::default();
			for (rows, counter) in [
				(Weights::<T>::iter_prefix(netuid).collect::<Vec<_>>(), &mut count.weights),
				(Bonds::<T>::iter_prefix(netuid).collect::<Vec<_>>(), &mut count.bonds),
			] {
				for (uid, row) in rows {
					ensure!(uid < n, TryRuntimeError::Other("a row of a uid >= n"));
					ensure!(
						row.windows(2)
							.all(|pair| pair.first().map(|e| e.0) < pair.last().map(|e| e.0)),
						TryRuntimeError::Other("a row not sorted by uid")
					);
					ensure!(
						row.iter().all(|&(target, value)| target < n && value > 0),
						TryRuntimeError::Other("a row entry outside 0..n or zero")
					);
					*counter = counter.saturating_add(u32::try_from(row.len()).unwrap_or(u32::MAX));
				}
			}
			ensure!(
				EntryCounts::<T>::get(netuid) == count,
				TryRuntimeError::Other("entry counts do not match the rows")
			);
			ensure!(
				LastUpdates::<T>::decode_len(netuid).unwrap_or(0) <= usize::from(n),
				TryRuntimeError::Other("last updates of a uid >= n")
			);
			ensure!(
				WeightCommits::<T>::iter_key_prefix(netuid).all(|uid| uid < n),
				TryRuntimeError::Other("commits of a uid >= n")
			);
		}
		Ok(())
	}
}

impl<T: Config> Epoch<T::AccountId> for Pallet<T> {
	fn run(netuid: NetUid, emission: Balance) -> EpochPayouts<T::AccountId> {
		let Some(params) = T::Subnets::hyperparameters(netuid) else {
			return EpochPayouts { payouts: Vec::new(), unpaid: emission };
		};
		let split = u64::try_from(emission).unwrap_or(u64::MAX);
		let EpochReads { input, weight_rows, stake_now, hotkeys } =
			Self::epoch_input(netuid, &params, split);
		let output = luxtensor_yuma::epoch(&input);

		// On a compute subnet, part of the miners' incentive goes by verified work.
		let (incentive, compute_score) = match T::ComputeScores::take_scores(netuid) {
			Some(scores) => {
				let scores = compute::scores_by_uid(usize::from(input.n), &scores);
				let share = params.compute_incentive_share;
				let incentive =
					compute::split_incentive(&output.incentive_emission, &scores, share);
				(incentive, compute::normalized(&scores))
			}
			None => (output.incentive_emission.clone(), vec![0; usize::from(input.n)]),
		};
		let paid: Vec<u64> = output
			.emission
			.iter()
			.zip(output.incentive_emission.iter().zip(&incentive))
			.map(|(&amount, (&yuma, &paid))| amount.saturating_sub(yuma).saturating_add(paid))
			.collect();

		// Rows of validators without a permit would be ignored by every epoch: drop them.
		let mut count = EntryCounts::<T>::get(netuid);
		for uid in weight_rows {
			if output.validator_permit.get(usize::from(uid)) != Some(&true) {
				let removed = Weights::<T>::take(netuid, uid).len();
				count.weights =
					count.weights.saturating_sub(u32::try_from(removed).unwrap_or(u32::MAX));
			}
		}
		let _ = Bonds::<T>::clear_prefix(netuid, u32::MAX, None);
		count.bonds = 0;
		for (uid, row) in (0..input.n).zip(&output.bonds) {
			if !row.is_empty() {
				count.bonds =
					count.bonds.saturating_add(u32::try_from(row.len()).unwrap_or(u32::MAX));
				Bonds::<T>::insert(
					netuid,
					uid,
					WeightRow::<T::MaxAllowedUids>::truncate_from(row.clone()),
				);
			}
		}
		EntryCounts::<T>::insert(netuid, count);

		let bounded = |values: Vec<u16>| BoundedVec::truncate_from(values);
		EpochOutputs::<T>::insert(
			netuid,
			SubnetOutputs {
				active: BoundedVec::truncate_from(output.active),
				rank: bounded(output.rank),
				trust: bounded(output.trust),
				consensus: bounded(output.consensus),
				incentive: bounded(output.incentive),
				dividends: bounded(output.dividends),
				validator_trust: bounded(output.validator_trust),
				validator_permit: BoundedVec::truncate_from(output.validator_permit),
				emission: BoundedVec::truncate_from(
					paid.iter().map(|&amount| Balance::from(amount)).collect(),
				),
				compute_score: BoundedVec::truncate_from(compute_score),
				stake: BoundedVec::truncate_from(stake_now),
			},
		);
		LastEpochBlock::<T>::insert(netuid, Self::now());

		let unpaid =
			Balance::from(output.unpaid).saturating_add(emission.saturating_sub(split.into()));
		Self::deposit_event(Event::EpochRun { netuid, emission, unpaid });
		let payouts = hotkeys
			.into_iter()
			.zip(paid.iter().zip(&incentive))
			.map(|(hotkey, (&amount, &incentive))| NeuronPayout {
				hotkey,
				incentive: incentive.into(),
				dividends: amount.saturating_sub(incentive).into(),
			})
			.collect();
		EpochPayouts { payouts, unpaid }
	}

	fn weight(netuid: NetUid) -> Weight {
		let n = T::Neurons::neuron_count(netuid);
		let validators = T::Subnets::hyperparameters(netuid)
			.map_or(0, |params| params.max_allowed_validators.min(n));
		let count = EntryCounts::<T>::get(netuid);
		T::WeightInfo::epoch(n.into(), validators.into(), count.weights.max(count.bonds))
			.saturating_add(T::ComputeScores::weight(netuid))
	}

	fn last_epoch_block(netuid: NetUid) -> Option<BlockNumber> {
		LastEpochBlock::<T>::get(netuid)
	}
}

impl<T: Config> EpochResults for Pallet<T> {
	fn emissions(netuid: NetUid) -> Vec<Balance> {
		EpochOutputs::<T>::get(netuid).emission.into_inner()
	}

	fn neuron_epochs(netuid: NetUid) -> Vec<NeuronEpochInfo> {
		Self::neuron_epochs(netuid)
	}
}

impl<T: Config> SubnetValidators<T::AccountId> for Pallet<T> {
	/// The permits of the last epoch, with each hotkey's stake now.
	fn validators(netuid: NetUid) -> Vec<(T::AccountId, Balance)> {
		EpochOutputs::<T>::get(netuid)
			.validator_permit
			.iter()
			.zip(0..=Uid::MAX)
			.filter(|(permit, _)| **permit)
			.filter_map(|(_, uid)| T::Neurons::hotkey(netuid, uid))
			.map(|hotkey| {
				let stake = T::Stake::stake_of(&hotkey);
				(hotkey, stake)
			})
			.collect()
	}
}

impl<T: Config> OnNeuronRegistered for Pallet<T> {
	fn on_neuron_registered(netuid: NetUid, uid: Uid) -> Weight {
		EpochOutputs::<T>::mutate(netuid, |outputs| outputs.reset(uid));
		let weights = Weights::<T>::take(netuid, uid).len();
		let bonds = Bonds::<T>::take(netuid, uid).len();
		if weights > 0 || bonds > 0 {
			EntryCounts::<T>::mutate(netuid, |count| {
				count.weights =
					count.weights.saturating_sub(u32::try_from(weights).unwrap_or(u32::MAX));
				count.bonds = count.bonds.saturating_sub(u32::try_from(bonds).unwrap_or(u32::MAX));
			});
		}
		// A new uid at the end has no entry yet; a replaced one has never set weights.
		let mut last_updates = LastUpdates::<T>::get(netuid);
		if let Some(block) = last_updates.get_mut(usize::from(uid)) {
			*block = 0;
			LastUpdates::<T>::insert(netuid, last_updates);
		}
		WeightCommits::<T>::remove(netuid, uid);
		T::WeightInfo::on_neuron_registered()
	}

	fn max_weight() -> Weight {
		T::WeightInfo::on_neuron_registered()
	}
}

impl<T: Config> OnSubnetDissolved for Pallet<T> {
	/// The subnet's epoch outputs and counters go at once; its rows over the next blocks.
	fn on_subnet_dissolved(netuid: NetUid) -> Weight {
		EntryCounts::<T>::remove(netuid);
		EpochOutputs::<T>::remove(netuid);
		LastEpochBlock::<T>::remove(netuid);
		LastUpdates::<T>::remove(netuid);
		T::WeightInfo::on_subnet_dissolved(0)
	}

	fn weight(_: NetUid) -> Weight {
		T::WeightInfo::on_subnet_dissolved(0)
	}

	fn clear_subnet(netuid: NetUid, limit: u32) -> (Weight, bool) {
		let results = [
			Weights::<T>::clear_prefix(netuid, limit, None),
			Bonds::<T>::clear_prefix(netuid, limit, None),
			WeightCommits::<T>::clear_prefix(netuid, limit, None),
		];
		let (removed, done) = luxtensor_primitives::traits::clearing_progress(&results);
		(T::WeightInfo::on_subnet_dissolved(removed), done)
	}
}
