//! A hotkey's stake pool: share arithmetic, dividends released over time, and the stake it
//! held through its last holding periods. Pure functions of the record and the block number;
//! the pallet stores the result.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use luxtensor_primitives::{Balance, BlockNumber};
use polkadot_sdk::sp_runtime::{helpers_128bit::multiply_by_rational_with_rounding, Rounding};
use scale_info::TypeInfo;

/// A number of shares in a hotkey's stake pool.
pub type Share = u128;

pub use luxtensor_primitives::stake::PoolId;

/// A hotkey's stake pool: the stake the hotkey counts, owned by its stakers in shares.
///
/// A share is worth `(stake + 1) / (shares + 1)`: the one virtual unit on each side keeps an
/// empty pool pricing at 1:1 and stops anyone inflating the price of a nearly empty pool
/// against later stakers. Shares are bought rounding down and sold rounding up, so their
/// value never falls and the shares' values never add up to more than `stake`.
///
/// Dividends do not raise the shares' value at once: they wait in `unreleased` and flow into
/// `stake` linearly until `release_end`. A staker therefore earns from a pool in proportion
/// to its shares and the blocks it holds them, whenever it joins or leaves against epochs.
/// Dividends arriving while others are still being released join them, released over the
/// longer of what was left and their own period: the release rate never exceeds the sum of
/// each payment released alone.
///
/// What the hotkey earns for its owner (a miner's incentive, a validator's take, a subnet
/// owner's cut) buys shares kept in the record itself, `owned`, rather than in a share entry
/// of the owner's: an epoch pays each hotkey with one write of its pool. They belong to
/// whichever coldkey owns the hotkey, so they follow a coldkey swap without being moved.
///
/// The pool also remembers the least stake it had in the current holding period (a fixed
/// window of blocks) and in the one before. [`StakePool::held`] is the least of those and
/// now: stake counts there only once it has stayed through a whole period.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct StakePool {
	/// Its id, which keys its stakers' [`crate::Shares`].
	pub id: PoolId,
	/// The stake its shares are worth: its stakers' and the dividends released up to
	/// `updated`.
	pub stake: Balance,
	/// Shares its stakers own, all together.
	pub shares: Share,
	/// Dividends paid in and not yet released into `stake` at `updated`.
	pub unreleased: Balance,
	/// The block by which `unreleased` is all released.
	pub release_end: BlockNumber,
	/// The block up to which release is counted in `stake`.
	pub updated: BlockNumber,
	/// The holding period of the last change (block number divided by the period's length).
	pub period: BlockNumber,
	/// The least stake in `period`, its stake at the period's start included.
	pub period_low: Balance,
	/// The least stake in the period before `period`.
	pub previous_low: Balance,
	/// Of `shares`, those the hotkey's owner earned, kept here rather than in
	/// [`crate::Shares`].
	pub owned: Share,
}

impl StakePool {
	/// A new, empty pool at block `now`: it has held nothing yet.
	pub fn new(id: PoolId, now: BlockNumber, holding_period: BlockNumber) -> Self {
		Self { id, updated: now, period: period_of(now, holding_period), ..Default::default() }
	}

	/// The dividends released since `updated`, by block `now`.
	pub fn released(&self, now: BlockNumber) -> Balance {
		if now <= self.updated || self.unreleased == 0 {
			return 0;
		}
		if now >= self.release_end {
			return self.unreleased;
		}
		let elapsed = now.saturating_sub(self.updated);
		let remaining = self.release_end.saturating_sub(self.updated);
		multiply_by_rational_with_rounding(
			self.unreleased,
			elapsed.into(),
			remaining.into(),
			Rounding::Down,
		)
		.unwrap_or(0)
	}

	/// The stake counted for the hotkey at block `now`.
	pub fn value(&self, now: BlockNumber) -> Balance {
		self.stake.saturating_add(self.released(now))
	}

	/// The stake, released dividends and holding record brought to block `now`, ready to
	/// change. Whatever changes the stake afterwards must call [`Self::note_stake`].
	pub fn at(mut self, now: BlockNumber, holding_period: BlockNumber) -> Self {
		self.roll(now, holding_period);
		let released = self.released(now);
		self.stake = self.stake.saturating_add(released);
		self.unreleased = self.unreleased.saturating_sub(released);
		self.updated = self.updated.max(now);
		self
	}

	/// Moves the holding record to `now`'s period. The stake of each period passed over is
	/// the stake as last changed: released dividends only raise it, so that is its least.
	fn roll(&mut self, now: BlockNumber, holding_period: BlockNumber) {
		let period = period_of(now, holding_period);
		if period == self.period.saturating_add(1) {
			self.previous_low = self.period_low;
			self.period_low = self.stake;
		} else if period > self.period {
			self.previous_low = self.stake;
			self.period_low = self.stake;
		}
		self.period = self.period.max(period);
	}

	/// Records the stake after a change made on a pool brought to now by [`Self::at`].
	pub fn note_stake(&mut self) {
		self.period_low = self.period_low.min(self.stake);
	}

	/// The least stake the pool had over the previous holding period and the current one,
	/// and no more than it has at `now`.
	pub fn held(&self, now: BlockNumber, holding_period: BlockNumber) -> Balance {
		let mut record = *self;
		record.roll(now, holding_period);
		record.previous_low.min(record.period_low).min(self.value(now))
	}

	/// Adds `amount` of dividends, released over `release_over` blocks from `now` (or what
	/// the earlier dividends still had to go, if longer). The pool must be brought to `now`.
	pub fn add_dividends(&mut self, amount: Balance, now: BlockNumber, release_over: BlockNumber) {
		let left = self.release_end.saturating_sub(now);
		self.unreleased = self.unreleased.saturating_add(amount);
		self.release_end = now.saturating_add(left.max(release_over).max(1));
	}

	/// Stakes `amount` for the hotkey's owner, in [`Self::owned`] (on a pool brought to now).
	pub fn stake_for_owner(&mut self, amount: Balance) {
		let bought = self.shares_bought(amount);
		self.stake = self.stake.saturating_add(amount);
		self.shares = self.shares.saturating_add(bought);
		self.owned = self.owned.saturating_add(bought);
		self.note_stake();
	}

	/// Whether some coldkey holds a share entry ([`crate::Shares`]) in this pool: shares
	/// beyond the owned ones.
	pub fn has_entries(&self) -> bool {
		self.shares > self.owned
	}

	/// What `shares` of this pool are worth (on a pool brought to now).
	pub fn value_of(&self, shares: Share) -> Balance {
		convert(shares, self.stake, self.shares, Rounding::Down)
	}

	/// The shares `amount` buys (rounded down: the pool keeps the rest).
	pub fn shares_bought(&self, amount: Balance) -> Share {
		convert(amount, self.shares, self.stake, Rounding::Down)
	}

	/// The shares to give up for `amount` (rounded up: the pool never pays out more).
	pub fn shares_sold(&self, amount: Balance) -> Share {
		convert(amount, self.shares, self.stake, Rounding::Up)
	}

	/// Stake and dividends still to release: what the stake account holds for this pool.
	pub fn total(&self) -> Balance {
		self.stake.saturating_add(self.unreleased)
	}
}

/// The holding period containing block `now`.
fn period_of(now: BlockNumber, holding_period: BlockNumber) -> BlockNumber {
	now.checked_div(holding_period).unwrap_or(now)
}

/// `x · (numerator + 1) / (denominator + 1)`. Stake stays below the supply cap and shares
/// below stake (a share is worth at least 1), so this never overflows.
fn convert(x: u128, numerator: u128, denominator: u128, rounding: Rounding) -> u128 {
	multiply_by_rational_with_rounding(
		x,
		numerator.saturating_add(1),
		denominator.saturating_add(1),
		rounding,
	)
	.unwrap_or(0)
}

#[cfg(test)]
mod tests {
	use super::*;

	const PERIOD: BlockNumber = 10;

	fn pool_with(stake: Balance, now: BlockNumber) -> StakePool {
		let mut pool = StakePool::new(0, now, PERIOD).at(now, PERIOD);
		pool.stake = stake;
		pool.shares = stake;
		pool.note_stake();
		pool
	}

	#[test]
	fn dividends_are_released_linearly_and_exactly() {
		let mut pool = pool_with(1_000, 5).at(100, PERIOD);
		pool.add_dividends(300, 100, 30);
		assert_eq!(pool.value(100), 1_000);
		assert_eq!(pool.value(101), 1_010);
		assert_eq!(pool.value(115), 1_150);
		assert_eq!(pool.value(130), 1_300);
		assert_eq!(pool.value(1_000), 1_300);
		// Settling part way and going on releases the same amounts.
		let settled = pool.at(107, PERIOD);
		assert_eq!((settled.stake, settled.unreleased), (1_070, 230));
		assert_eq!(settled.value(115), 1_150);
		assert_eq!(settled.value(130), 1_300);
	}

	#[test]
	fn dividends_joining_a_release_never_speed_it_up() {
		let mut pool = pool_with(0, 0).at(0, PERIOD);
		pool.add_dividends(1_000, 0, 100);
		let mut pool = pool.at(50, PERIOD);
		// 500 left over 50 blocks, 600 more over 10: all 1,100 go over the 50 left.
		pool.add_dividends(600, 50, 10);
		assert_eq!(pool.release_end, 100);
		assert_eq!(pool.value(60), 500 + 220);
		// Alone they would have released 10 + 60 per block: the joint rate, 22, is less.
		let mut later = pool.at(100, PERIOD);
		assert_eq!(later.stake, 1_600);
		later.add_dividends(50, 100, 0);
		assert_eq!(later.release_end, 101, "a release takes at least a block");
	}

	#[test]
	fn held_stake_counts_only_what_stayed_through_a_whole_period() {
		// 1,000 staked at block 5 (period 0) counts from period 2 on.
		let pool = pool_with(1_000, 5);
		assert_eq!(pool.held(9, PERIOD), 0);
		assert_eq!(pool.held(19, PERIOD), 0);
		assert_eq!(pool.held(20, PERIOD), 1_000);
		assert_eq!(pool.held(500, PERIOD), 1_000);
		// 4,000 more at block 25 count from block 40; a fall counts at once.
		let mut pool = pool.at(25, PERIOD);
		pool.stake += 4_000;
		pool.note_stake();
		assert_eq!(pool.held(39, PERIOD), 1_000);
		assert_eq!(pool.held(40, PERIOD), 5_000);
		let mut pool = pool.at(45, PERIOD);
		pool.stake -= 4_500;
		pool.note_stake();
		assert_eq!(pool.held(45, PERIOD), 500);
		assert_eq!(pool.held(65, PERIOD), 500);
		// Borrowed for one block in the middle of a long hold: the dip is remembered.
		let mut pool = pool.at(70, PERIOD);
		pool.stake = 10;
		pool.note_stake();
		let mut pool = pool.at(71, PERIOD);
		pool.stake = 500;
		pool.note_stake();
		assert_eq!(pool.held(71, PERIOD), 10);
		assert_eq!(pool.held(89, PERIOD), 10);
		assert_eq!(pool.held(90, PERIOD), 500);
	}

	#[test]
	fn released_dividends_count_as_held_once_they_stayed_a_period() {
		let mut pool = pool_with(1_000, 0).at(0, PERIOD);
		pool.add_dividends(100, 0, 10);
		assert_eq!(pool.value(10), 1_100);
		assert_eq!(pool.held(25, PERIOD), 1_000, "the stake last changed was 1,000");
		let pool = pool.at(25, PERIOD);
		assert_eq!(pool.held(25, PERIOD), 1_000);
		assert_eq!(pool.held(40, PERIOD), 1_100);
	}
}
