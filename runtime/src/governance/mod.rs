//! On-chain governance and the treasury: OpenGov referenda on a few tracks
//! ([`tracks`]), conviction voting, a technical committee that whitelists urgent fixes for
//! the fast track, and a treasury funded by fees and slashes that pays out through the
//! spender tracks. Root stays an origin of its own (the root track, or sudo on development
//! chains).

pub mod origins;
pub mod tracks;

use crate::{
	configs::RuntimeBlockWeights,
	currency::{deposit, MDT},
	time::{DAYS, MINUTES},
	AccountId, Balance, Balances, BlockNumber, OriginCaller, Preimage, Referenda, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, Scheduler, System, Treasury,
};
use frame_support::{
	parameter_types,
	traits::{
		fungible::HoldConsideration,
		tokens::{
			currency::ActiveIssuanceOf,
			pay::{Pay, PayFromAccount, PaymentStatus},
			UnityAssetBalanceConversion,
		},
		AsEnsureOriginWithArg, EitherOf, EitherOfDiverse, EqualPrivilegeOnly, LinearStoragePrice,
	},
	weights::Weight,
	PalletId,
};
use frame_system::{EnsureRoot, EnsureRootWithSuccess, EnsureSigned};
use polkadot_sdk::*;
use sp_runtime::{
	traits::{AccountIdConversion, IdentityLookup},
	DispatchError, Permill,
};

/// Root, or a referendum passed on the subnet-admin track: the `AdminOrigin` of the custom
/// pallets and of staking's slash cancelling.
pub type AdminOrigin = EitherOf<EnsureRoot<AccountId>, origins::SubnetAdmin>;

/// Root, or two thirds of the technical committee.
pub type RootOrTwoThirdsOfCommittee = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, TechnicalCollective, 2, 3>,
>;

impl origins::Config for Runtime {}

parameter_types! {
	/// Scheduled calls (enacted referenda, mostly) may use 80% of a block.
	pub MaximumSchedulerWeight: Weight =
		RuntimeBlockWeights::get().max_block.saturating_div(5).saturating_mul(4);
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	// Only referenda (and root) schedule: plain accounts have no use for it.
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = frame_support::traits::ConstU32<50>;
	type WeightInfo = crate::weights::pallet_scheduler::WeightInfo<Runtime>;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

parameter_types! {
	/// A preimage holds 1 MDT plus the storage deposit of its bytes, returned when it is
	/// removed (or kept, if a referendum still needs it).
	pub const PreimageBaseDeposit: Balance = MDT;
	pub const PreimageByteDeposit: Balance = deposit(0, 1);
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::pallet_preimage::WeightInfo<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

parameter_types! {
	/// Held from whoever submits a referendum, returned once it is decided (slashed to the
	/// treasury if root or the committee kills it as spam).
	pub const SubmissionDeposit: Balance = 10 * MDT;
	/// A referendum nobody places the decision deposit for in 14 days times out.
	pub const UndecidingTimeout: BlockNumber = if cfg!(feature = "fast-runtime") {
		20 * MINUTES
	} else {
		14 * DAYS
	};
}

impl pallet_referenda::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::pallet_referenda::WeightInfo<Runtime>;
	type Scheduler = Scheduler;
	type Currency = Balances;
	// Any account may propose; the track follows from the proposal's origin.
	type SubmitOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type CancelOrigin = EitherOf<EnsureRoot<AccountId>, origins::WhitelistedCaller>;
	type KillOrigin = EitherOf<EnsureRoot<AccountId>, origins::WhitelistedCaller>;
	type Slash = Treasury;
	type Votes = pallet_conviction_voting::VotesOf<Runtime>;
	type Tally = pallet_conviction_voting::TallyOf<Runtime>;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxQueued = frame_support::traits::ConstU32<100>;
	type UndecidingTimeout = UndecidingTimeout;
	// Referenda check their curves every block.
	type AlarmInterval = frame_support::traits::ConstU32<1>;
	type Tracks = tracks::TracksInfo;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

parameter_types! {
	/// Each conviction level locks for this period times its multiplier after the vote's
	/// referendum ends (1x conviction: 7 days; 6x: 224 days).
	pub const VoteLockingPeriod: BlockNumber = if cfg!(feature = "fast-runtime") {
		MINUTES
	} else {
		7 * DAYS
	};
}

impl pallet_conviction_voting::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::pallet_conviction_voting::WeightInfo<Runtime>;
	type Currency = Balances;
	type Polls = Referenda;
	// Support is measured against the active issuance (what is not deactivated).
	type MaxTurnout = ActiveIssuanceOf<Balances, AccountId>;
	type MaxVotes = frame_support::traits::ConstU32<512>;
	type VoteLockingPeriod = VoteLockingPeriod;
	type BlockNumberProvider = System;
	type VotingHooks = ();
}

parameter_types! {
	/// A committee motion lapses after 3 days.
	pub const TechnicalMotionDuration: BlockNumber = if cfg!(feature = "fast-runtime") {
		5 * MINUTES
	} else {
		3 * DAYS
	};
	/// A committee motion may weigh half a block.
	pub MaxCommitteeProposalWeight: Weight = RuntimeBlockWeights::get().max_block.saturating_div(2);
}

/// The technical committee's collective instance.
pub type TechnicalCollective = pallet_collective::Instance1;

impl pallet_collective::Config<TechnicalCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = TechnicalMotionDuration;
	type MaxProposals = frame_support::traits::ConstU32<100>;
	type MaxMembers = frame_support::traits::ConstU32<20>;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = crate::weights::pallet_collective::WeightInfo<Runtime>;
	// Members change by a root referendum (or sudo on development chains).
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxCommitteeProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	// Only members propose, and they are few: no deposit.
	type Consideration = ();
}

parameter_types! {
	/// A call whitelisted with a deferred dispatch expires after 28 days.
	pub const DeferredDispatchExpiration: BlockNumber = 28 * DAYS;
}

impl pallet_whitelist::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WhitelistOrigin = RootOrTwoThirdsOfCommittee;
	type DispatchWhitelistedOrigin = EitherOf<EnsureRoot<AccountId>, origins::WhitelistedCaller>;
	type Preimages = Preimage;
	type DeferredDispatchExpiration = DeferredDispatchExpiration;
	type BlockNumberProvider = System;
	type WeightInfo = crate::weights::pallet_whitelist::WeightInfo<Runtime>;
}

parameter_types! {
	pub const TreasuryPalletId: PalletId = PalletId(*b"lux/trsy");
	/// The treasury's account: fees' and slashes' share goes here, spends come from here.
	pub TreasuryAccount: AccountId = TreasuryPalletId::get().into_account_truncating();
	/// Approved spends (of the old `propose_spend` kind) are paid every 6 days; nothing is
	/// burned then: unspent funds stay for later proposals.
	pub const SpendPeriod: BlockNumber = if cfg!(feature = "fast-runtime") {
		5 * MINUTES
	} else {
		6 * DAYS
	};
	pub const TreasuryBurn: Permill = Permill::zero();
	/// An approved spend may be claimed (`payout`) for 30 days from its `valid_from`.
	pub const PayoutPeriod: BlockNumber = if cfg!(feature = "fast-runtime") {
		30 * MINUTES
	} else {
		30 * DAYS
	};
	/// Root may spend any amount at once.
	pub const MaxBalance: Balance = Balance::MAX;
}

/// The treasury's account paying in MDT.
type TreasuryPot = PayFromAccount<Balances, TreasuryAccount>;

/// Pays approved treasury spends from the treasury's account, in MDT.
pub struct TreasuryPaymaster;
impl Pay for TreasuryPaymaster {
	type Balance = Balance;
	type Beneficiary = AccountId;
	type AssetKind = ();
	type Id = ();
	type Error = DispatchError;

	fn pay(who: &AccountId, asset_kind: (), amount: Balance) -> Result<(), DispatchError> {
		TreasuryPot::pay(who, asset_kind, amount)
	}

	fn check_payment(id: ()) -> PaymentStatus {
		TreasuryPot::check_payment(id)
	}

	/// pallet-treasury's benchmarks pay 100 units to a new account, below the existential
	/// deposit: the beneficiary is given one first so that the payment can succeed.
	#[cfg(feature = "runtime-benchmarks")]
	fn ensure_successful(who: &AccountId, asset_kind: (), amount: Balance) {
		use frame_support::traits::fungible::{Inspect, Mutate};
		TreasuryPot::ensure_successful(who, asset_kind, amount);
		let _ = Balances::mint_into(who, Balances::minimum_balance());
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn ensure_concluded(id: ()) {
		TreasuryPot::ensure_concluded(id)
	}
}

impl pallet_treasury::Config for Runtime {
	type Currency = Balances;
	type RejectOrigin = EnsureRoot<AccountId>;
	type RuntimeEvent = RuntimeEvent;
	type SpendPeriod = SpendPeriod;
	type Burn = TreasuryBurn;
	type PalletId = TreasuryPalletId;
	type BurnDestination = ();
	type WeightInfo = crate::weights::pallet_treasury::WeightInfo<Runtime>;
	type SpendFunds = ();
	type MaxApprovals = frame_support::traits::ConstU32<100>;
	type SpendOrigin = EitherOf<EnsureRootWithSuccess<AccountId, MaxBalance>, origins::Spender>;
	// Native MDT only.
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = IdentityLookup<AccountId>;
	type Paymaster = TreasuryPaymaster;
	type BalanceConverter = UnityAssetBalanceConversion;
	type PayoutPeriod = PayoutPeriod;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
	type BlockNumberProvider = System;
}

parameter_types! {
	/// An identity holds 1 MDT plus 10 micro-MDT a byte; each sub-account 0.5 MDT; a
	/// username 0.1 MDT. Returned when cleared; slashed to the treasury if root removes a
	/// fraudulent identity (`kill_identity`).
	pub const IdentityBasicDeposit: Balance = MDT;
	pub const IdentityByteDeposit: Balance = deposit(0, 1);
	pub const IdentityUsernameDeposit: Balance = MDT / 10;
	pub const IdentitySubAccountDeposit: Balance = MDT / 2;
	pub const PendingUsernameExpiration: BlockNumber = 7 * DAYS;
	pub const UsernameGracePeriod: BlockNumber = 30 * DAYS;
}

impl pallet_identity::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type BasicDeposit = IdentityBasicDeposit;
	type ByteDeposit = IdentityByteDeposit;
	type UsernameDeposit = IdentityUsernameDeposit;
	type SubAccountDeposit = IdentitySubAccountDeposit;
	type MaxSubAccounts = frame_support::traits::ConstU32<100>;
	type IdentityInformation =
		pallet_identity::legacy::IdentityInfo<frame_support::traits::ConstU32<100>>;
	type MaxRegistrars = frame_support::traits::ConstU32<20>;
	type Slashed = Treasury;
	type ForceOrigin = EnsureRoot<AccountId>;
	type RegistrarOrigin = EnsureRoot<AccountId>;
	type OffchainSignature = crate::Signature;
	type SigningPublicKey = <crate::Signature as sp_runtime::traits::Verify>::Signer;
	type UsernameAuthorityOrigin = EnsureRoot<AccountId>;
	type PendingUsernameExpiration = PendingUsernameExpiration;
	type UsernameGracePeriod = UsernameGracePeriod;
	type MaxSuffixLength = frame_support::traits::ConstU32<7>;
	type MaxUsernameLength = frame_support::traits::ConstU32<32>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
	type WeightInfo = crate::weights::pallet_identity::WeightInfo<Runtime>;
}
