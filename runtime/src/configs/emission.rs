//! Emission and stake: the halving block emission, its split between the NPoS validators and
//! the subnets, epochs and their payouts; stake, delegation and takes.

use super::RuntimeBlockWeights;
use crate::{
	currency::{BLOCK_EMISSION, MAX_SUPPLY, MILLI_MDT},
	time::HOURS,
	Balance, Balances, BlockNumber, Registration, Runtime, Stake, Subnets, Weights,
};
use polkadot_sdk::{
	frame_support::{parameter_types, traits::ConstU32, weights::Weight, PalletId},
	sp_runtime::Perbill,
};

parameter_types! {
	/// The account holding all stake.
	pub const StakePalletId: PalletId = PalletId(*b"lux/stak");
	pub const BlockEmission: Balance = BLOCK_EMISSION;
	pub const MaxSupply: Balance = MAX_SUPPLY;
	/// A tenth of each block's emission pays the NPoS validators and their nominators.
	pub const NposShare: Perbill = Perbill::from_percent(10);
	/// 0.002 MDT: less cannot be staked, unstaked or moved at once.
	pub const MinStake: Balance = 2 * MILLI_MDT;
	/// 18%, the default and the highest delegate take.
	pub const DefaultTake: Perbill = Perbill::from_percent(18);
	/// A take may rise once per 216,000 blocks (15 days of 6 s blocks) ...
	pub const TakeIncreaseInterval: BlockNumber = 216_000;
	/// ... 50,400 blocks (3.5 days) after it is announced: the longest tempo a subnet may
	/// have, so a rise never applies within the tempo it was announced in.
	pub const TakeIncreaseDelay: BlockNumber = 50_400;
	/// Stake counts as held (for root membership, root consensus and drawing validators)
	/// after one to two hours: longer than the default tempo (360 blocks, 36 minutes), so
	/// stake borrowed around an epoch never counts.
	pub const StakeHoldingPeriod: BlockNumber = HOURS;
	/// Epochs may use half a block; the rest stays for transactions. The largest epoch and
	/// its payout (4096 uids, 256 validators) weigh under a quarter of a block, so two fit;
	/// the first epoch due in a block runs even past this, so none waits forever.
	pub EpochWeightBudget: Weight = RuntimeBlockWeights::get().max_block.saturating_div(2);
}

impl pallet_stake::Config for Runtime {
	type Currency = Balances;
	type HotkeyOwnership = Registration;
	type PalletId = StakePalletId;
	type MinStake = MinStake;
	type DefaultTake = DefaultTake;
	type TakeIncreaseInterval = TakeIncreaseInterval;
	type TakeIncreaseDelay = TakeIncreaseDelay;
	type HoldingPeriod = StakeHoldingPeriod;
	type ColdkeySwaps = crate::Registration;
	type MaxPositions = ConstU32<256>;
	type WeightInfo = pallet_stake::weights::SubstrateWeight<Runtime>;
}

impl pallet_emission::Config for Runtime {
	type Currency = Balances;
	type Stake = Stake;
	type Subnets = Subnets;
	type Neurons = Registration;
	type Epoch = Weights;
	type RootWeights = Subnets;
	type BlockEmission = BlockEmission;
	type MaxSupply = MaxSupply;
	type NposShare = NposShare;
	type EpochWeightBudget = EpochWeightBudget;
	type MaxSubnets = super::MaxSubnets;
	type WeightInfo = pallet_emission::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = super::BenchmarkSubnets;
}
