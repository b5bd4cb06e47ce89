//! NPoS staking: bonding, nominations, the on-chain validator election and the era payout.

use super::bag_thresholds;
use crate::{
	time::SESSIONS_PER_ERA, AccountId, Balance, Balances, Emission, Runtime, RuntimeHoldReason,
	Session, Staking, Timestamp, VoterList,
};
use frame_election_provider_support::{
	bounds::{ElectionBounds, ElectionBoundsBuilder},
	onchain, SequentialPhragmen, VoteWeight,
};
use frame_support::{
	parameter_types,
	traits::{
		fungible,
		tokens::imbalance::{Imbalance, ResolveTo},
		ConstU32, Nothing, OnUnbalanced,
	},
};
use polkadot_sdk::*;
use sp_runtime::Perbill;

/// Eras a stash stays bonded after unbonding: 7 days (two short eras with `fast-runtime`).
#[cfg(not(feature = "fast-runtime"))]
const BONDING_DURATION: sp_staking::EraIndex = 28;
#[cfg(feature = "fast-runtime")]
const BONDING_DURATION: sp_staking::EraIndex = 2;

parameter_types! {
	pub const SessionsPerEra: sp_staking::SessionIndex = SESSIONS_PER_ERA;
	pub const BondingDuration: sp_staking::EraIndex = BONDING_DURATION;
	/// Slashes wait one era less than the bonding duration, so governance (root or the
	/// subnet-admin track) can cancel a wrong one before the funds could have left.
	pub const SlashDeferDuration: sp_staking::EraIndex = BondingDuration::get().saturating_sub(1);
	/// Eras of staking history kept for claiming rewards.
	pub const HistoryDepth: u32 = 84;
	/// Nominators paid per page of a validator's era rewards.
	pub const MaxExposurePageSize: u32 = 512;
	/// Most validators the election may choose.
	pub const MaxValidatorSet: u32 = 1_000;
	/// Most nominators backing one validator that equivocation weights account for.
	pub const MaxNominators: u32 = 512;
	/// The on-chain election reads at most this many voters and targets, keeping the
	/// election block's work bounded.
	pub ElectionBoundsOnChain: ElectionBounds = ElectionBoundsBuilder::default()
		.voters_count(5_000.into())
		.targets_count(1_000.into())
		.build();
	pub const MaxBackersPerWinner: u32 = 5_000;
	pub const BagThresholds: &'static [u64] = &bag_thresholds::THRESHOLDS;
}

/// Pays the NPoS validators and their nominators what pallet-emission accrued for them over
/// the era: [`super::NposShare`] of every block's emission, within the supply cap. Nothing goes
/// elsewhere (there is no treasury).
pub struct EraPayoutFromEmission;
impl sp_staking::EraPayout<Balance> for EraPayoutFromEmission {
	fn era_payout(_: Balance, _: Balance, _: u64) -> (Balance, Balance) {
		(Emission::take_npos_payout(), 0)
	}
}

/// Tells pallet-emission what each NPoS payout call minted, so the payout stops counting as
/// owed once it is issued (see `pallet_emission::NposPayoutOwed`).
pub struct ReportMintedPayout;
impl OnUnbalanced<fungible::Debt<AccountId, Balances>> for ReportMintedPayout {
	fn on_nonzero_unbalanced(minted: fungible::Debt<AccountId, Balances>) {
		Emission::npos_payout_minted(minted.peek());
		// Dropping the debt adds it to the total issuance, as staking expects.
	}
}

/// The validator election runs on chain, by sequential Phragmén, at the end of each era.
pub struct OnChainSeqPhragmen;
impl onchain::Config for OnChainSeqPhragmen {
	type System = Runtime;
	type Solver = SequentialPhragmen<AccountId, Perbill>;
	type DataProvider = Staking;
	type WeightInfo = frame_election_provider_support::weights::SubstrateWeight<Runtime>;
	type MaxBackersPerWinner = MaxBackersPerWinner;
	type MaxWinnersPerPage = MaxValidatorSet;
	type Bounds = ElectionBoundsOnChain;
	type Sort = frame_support::traits::ConstBool<true>;
}

/// Sizes used when benchmarking staking.
pub struct StakingBenchmarkingConfig;
impl pallet_staking::BenchmarkingConfig for StakingBenchmarkingConfig {
	type MaxNominators = ConstU32<1_000>;
	type MaxValidators = ConstU32<1_000>;
}

impl pallet_staking::Config for Runtime {
	type OldCurrency = Balances;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type CurrencyBalance = Balance;
	type UnixTime = Timestamp;
	// Total issuance stays below 21M MDT, well inside a u64: no scaling needed.
	type CurrencyToVote = sp_staking::currency_to_vote::SaturatingCurrencyToVote;
	type ElectionProvider = onchain::OnChainExecution<OnChainSeqPhragmen>;
	type GenesisElectionProvider = onchain::OnChainExecution<OnChainSeqPhragmen>;
	type NominationsQuota = pallet_staking::FixedNominationsQuota<16>;
	type HistoryDepth = HistoryDepth;
	// The unclaimed remainder is burned; slashed funds go to the treasury.
	type RewardRemainder = ();
	type RuntimeEvent = crate::RuntimeEvent;
	type Slash = ResolveTo<crate::governance::TreasuryAccount, Balances>;
	type Reward = ReportMintedPayout;
	type SessionsPerEra = SessionsPerEra;
	type BondingDuration = BondingDuration;
	type SlashDeferDuration = SlashDeferDuration;
	type AdminOrigin = crate::governance::AdminOrigin;
	type SessionInterface = Self;
	type EraPayout = EraPayoutFromEmission;
	type NextNewSession = Session;
	type MaxExposurePageSize = MaxExposurePageSize;
	type MaxValidatorSet = MaxValidatorSet;
	type VoterList = VoterList;
	type TargetList = pallet_staking::UseValidatorsMap<Self>;
	type MaxUnlockingChunks = ConstU32<32>;
	type MaxControllersInDeprecationBatch = ConstU32<100>;
	type EventListeners = ();
	type Filter = Nothing;
	type BenchmarkingConfig = StakingBenchmarkingConfig;
	type WeightInfo = pallet_staking::weights::SubstrateWeight<Runtime>;
}

/// The sorted list of voters (nominators and validators) the election reads, in bags by stake.
pub type VoterBagsListInstance = pallet_bags_list::Instance1;
impl pallet_bags_list::Config<VoterBagsListInstance> for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type WeightInfo = pallet_bags_list::weights::SubstrateWeight<Runtime>;
	// Staking is the source of truth for scores; bags are corrected by `rebag` calls.
	type ScoreProvider = Staking;
	type BagThresholds = BagThresholds;
	type MaxAutoRebagPerBlock = ConstU32<0>;
	type Score = VoteWeight;
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn bag_thresholds_ascend_to_the_top() {
		assert!(bag_thresholds::THRESHOLDS.windows(2).all(|w| w[0] < w[1]));
		assert_eq!(bag_thresholds::THRESHOLDS.last(), Some(&u64::MAX));
	}
}
