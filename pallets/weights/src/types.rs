//! Types stored by the weights pallet.

use alloc::vec::Vec;
use codec::{Decode, Encode, MaxEncodedLen};
use luxtensor_primitives::{
	subnets::{NeuronEpochInfo, Uid},
	Balance, BlockNumber,
};
use polkadot_sdk::{
	frame_support::{
		traits::Get, BoundedVec, CloneNoBound, DebugNoBound, DefaultNoBound, EqNoBound,
		PartialEqNoBound,
	},
	sp_core::H256,
};
use scale_info::TypeInfo;

/// A sparse row of u16 proportions, `(uid, value)` by uid.
pub type WeightRow<S> = BoundedVec<(Uid, u16), S>;

/// The block of each uid's last accepted weights, by uid; uids past the end: never (0).
pub type LastUpdateBlocks<S> = BoundedVec<BlockNumber, S>;

/// Sets `uid`'s last update to `block`, extending the blocks with zeros (never) up to it.
/// A uid beyond the bound (never the case for a uid below n) changes nothing.
pub fn set_last_update<S: Get<u32>>(
	blocks: &mut LastUpdateBlocks<S>,
	uid: Uid,
	block: BlockNumber,
) {
	let index = usize::from(uid);
	while blocks.len() <= index {
		if blocks.try_push(0).is_err() {
			return;
		}
	}
	if let Some(slot) = blocks.get_mut(index) {
		*slot = block;
	}
}

/// A row being checked or built: `(uid, value)` pairs.
pub type Entries = Vec<(Uid, u16)>;

/// A neuron's unrevealed commits.
pub type Commits<T> = BoundedVec<
	WeightCommit<<T as polkadot_sdk::frame_system::Config>::AccountId>,
	<T as crate::Config>::MaxUnrevealedCommits,
>;

/// Stored weight and bond entries of a subnet.
#[derive(Clone, Copy, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct EntryCount {
	pub weights: u32,
	pub bonds: u32,
}

/// A commitment to weights not yet revealed.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct WeightCommit<AccountId> {
	/// `blake2_256` of the SCALE-encoded `(hotkey, netuid, uids, values, salt, version_key)`.
	pub hash: H256,
	/// The block it was committed in.
	pub block: BlockNumber,
	/// The hotkey that committed, which the hash binds (so no one else's reveal matches it).
	/// Commits belong to the uid: after a hotkey swap the new hotkey reveals them.
	pub hotkey: AccountId,
}

/// A subnet's last epoch outputs: one entry per uid, `0..n`.
#[derive(
	CloneNoBound,
	DefaultNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	MaxEncodedLen,
	TypeInfo,
	DebugNoBound,
)]
#[scale_info(skip_type_params(S))]
#[codec(mel_bound(S: Get<u32>))]
pub struct SubnetOutputs<S: Get<u32>> {
	pub active: BoundedVec<bool, S>,
	pub rank: BoundedVec<u16, S>,
	pub trust: BoundedVec<u16, S>,
	pub consensus: BoundedVec<u16, S>,
	pub incentive: BoundedVec<u16, S>,
	pub dividends: BoundedVec<u16, S>,
	pub validator_trust: BoundedVec<u16, S>,
	pub validator_permit: BoundedVec<bool, S>,
	pub emission: BoundedVec<Balance, S>,
	/// On a compute subnet, each uid's share of the compute scores (zero elsewhere).
	pub compute_score: BoundedVec<u16, S>,
	/// Each uid's stake at this epoch. The next epoch weighs a uid by the lesser of this and
	/// its stake then, so stake added just before an epoch wins no permit and no weight.
	pub stake: BoundedVec<u64, S>,
}

impl<S: Get<u32>> SubnetOutputs<S> {
	/// Number of uids covered (every vector has this length).
	pub fn len(&self) -> usize {
		self.active.len()
	}

	/// Whether no uid is covered.
	pub fn is_empty(&self) -> bool {
		self.active.is_empty()
	}

	/// Whether every vector has length `n`.
	pub fn has_length(&self, n: usize) -> bool {
		[
			self.active.len(),
			self.rank.len(),
			self.trust.len(),
			self.consensus.len(),
			self.incentive.len(),
			self.dividends.len(),
			self.validator_trust.len(),
			self.validator_permit.len(),
			self.emission.len(),
			self.compute_score.len(),
			self.stake.len(),
		]
		.iter()
		.all(|&len| len == n)
	}

	/// Starts `uid` afresh: zero outputs, no permit; appends it if it is the next uid.
	/// Returns false (and changes nothing) for a uid beyond the next.
	pub fn reset(&mut self, uid: Uid) -> bool {
		let uid = usize::from(uid);
		if uid < self.len() {
			fn zero<T: Default, S: Get<u32>>(values: &mut BoundedVec<T, S>, uid: usize) {
				if let Some(value) = values.get_mut(uid) {
					*value = T::default();
				}
			}
			zero(&mut self.active, uid);
			zero(&mut self.rank, uid);
			zero(&mut self.trust, uid);
			zero(&mut self.consensus, uid);
			zero(&mut self.incentive, uid);
			zero(&mut self.dividends, uid);
			zero(&mut self.validator_trust, uid);
			zero(&mut self.validator_permit, uid);
			zero(&mut self.emission, uid);
			zero(&mut self.compute_score, uid);
			zero(&mut self.stake, uid);
			true
		} else if uid == self.len() && self.active.len() < S::get() as usize {
			// The length check above keeps every push in bounds.
			let _ = self.active.try_push(false);
			let _ = self.rank.try_push(0);
			let _ = self.trust.try_push(0);
			let _ = self.consensus.try_push(0);
			let _ = self.incentive.try_push(0);
			let _ = self.dividends.try_push(0);
			let _ = self.validator_trust.try_push(0);
			let _ = self.validator_permit.try_push(false);
			let _ = self.emission.try_push(0);
			let _ = self.compute_score.try_push(0);
			let _ = self.stake.try_push(0);
			true
		} else {
			false
		}
	}

	/// What the outputs say about `uid` (zeros if it has none), with its last update.
	pub fn neuron(&self, uid: Uid, last_update: BlockNumber) -> NeuronEpochInfo {
		let uid = usize::from(uid);
		let at = |values: &BoundedVec<u16, S>| values.get(uid).copied().unwrap_or(0);
		NeuronEpochInfo {
			active: self.active.get(uid).copied().unwrap_or(false),
			last_update,
			rank: at(&self.rank),
			trust: at(&self.trust),
			consensus: at(&self.consensus),
			incentive: at(&self.incentive),
			dividends: at(&self.dividends),
			validator_trust: at(&self.validator_trust),
			validator_permit: self.validator_permit.get(uid).copied().unwrap_or(false),
			emission: self.emission.get(uid).copied().unwrap_or(0),
			compute_score: at(&self.compute_score),
		}
	}
}

/// A reveal that passed every check, ready to store.
pub(crate) struct CheckedReveal<AccountId, S: Get<u32>> {
	pub uid: Uid,
	/// The neuron's commits without the revealed one and without expired ones.
	pub remaining: BoundedVec<WeightCommit<AccountId>, S>,
	pub row: Vec<(Uid, u16)>,
}

/// What an epoch reads from storage before Yuma runs.
pub(crate) struct EpochReads<AccountId> {
	/// Yuma's inputs.
	pub input: luxtensor_yuma::EpochInput,
	/// The uids with a stored weight row.
	pub weight_rows: Vec<Uid>,
	/// Each uid's stake now, by uid (the input weighs the lesser of this and the last).
	pub stake_now: Vec<u64>,
	/// Each uid's hotkey, by uid, which its payout goes to.
	pub hotkeys: Vec<Option<AccountId>>,
}
