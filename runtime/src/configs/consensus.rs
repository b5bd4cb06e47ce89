//! Block production (BABE), finality (GRANDPA), sessions and offences.
//!
//! Sessions follow BABE epochs; at each session end the validator set elected by staking
//! takes over. Equivocations (two blocks in one slot, two GRANDPA votes in one round) are
//! reported as unsigned transactions carrying a key ownership proof from `Historical`,
//! and `Offences` hands them to staking, which slashes the offender (after
//! `SlashDeferDuration`, during which root may cancel the slash), and to [`SlashAndChill`],
//! which also chills it.

use super::staking::{BondingDuration, MaxNominators};
use crate::{
	currency::deposit,
	time::{EPOCH_DURATION_IN_SLOTS, MILLI_SECS_PER_BLOCK, SESSIONS_PER_ERA},
	AccountId, Babe, Balances, Historical, Moment, Offences, Runtime, RuntimeCall, SessionKeys,
	Staking, UncheckedExtrinsic,
};
use frame_support::{parameter_types, traits::ConstU32, weights::Weight};
use pallet_session::historical::IdentificationTuple;
use pallet_staking::WeightInfo as _;
use polkadot_sdk::*;
use sp_runtime::{
	traits::{ConvertInto, OpaqueKeys},
	Perbill,
};
use sp_staking::{
	offence::{OffenceDetails, OnOffenceHandler},
	SessionIndex, StakingInterface,
};

parameter_types! {
	pub const EpochDuration: u64 = EPOCH_DURATION_IN_SLOTS;
	pub const ExpectedBlockTime: Moment = MILLI_SECS_PER_BLOCK;
	/// An equivocation report stays valid in the pool as long as its offender can still be
	/// slashed: the sessions of the bonding duration, in blocks.
	pub const ReportLongevity: u64 =
		MaxSetIdSessionEntries::get().saturating_mul(EpochDuration::get());
	/// Sessions whose GRANDPA set id is remembered for checking equivocation proofs: those of
	/// the bonding duration, during which an offender can still be slashed.
	pub const MaxSetIdSessionEntries: u64 =
		(BondingDuration::get() as u64).saturating_mul(SESSIONS_PER_ERA as u64);
	/// Setting session keys holds a deposit, returned when they are purged.
	pub const SessionKeyDeposit: crate::Balance = deposit(1, 64);
}

/// Most validators BABE and GRANDPA keep authority data for.
pub type MaxAuthorities = ConstU32<1_000>;

impl pallet_babe::Config for Runtime {
	type EpochDuration = EpochDuration;
	type ExpectedBlockTime = ExpectedBlockTime;
	// Epochs change when sessions do.
	type EpochChangeTrigger = pallet_babe::ExternalTrigger;
	type DisabledValidators = pallet_session::Pallet<Runtime>;
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = MaxNominators;
	type KeyOwnerProof = sp_session::MembershipProof;
	type EquivocationReportSystem =
		pallet_babe::EquivocationReportSystem<Self, Offences, Historical, ReportLongevity>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = MaxNominators;
	type MaxSetIdSessionEntries = MaxSetIdSessionEntries;
	type KeyOwnerProof = sp_session::MembershipProof;
	type EquivocationReportSystem =
		pallet_grandpa::EquivocationReportSystem<Self, Offences, Historical, ReportLongevity>;
}

impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Babe>;
	// Staking gives the author era points, which decide its share of the era payout.
	type EventHandler = Staking;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type ValidatorId = AccountId;
	// Controllers are gone from staking: the validator id is the stash account itself.
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = Babe;
	type NextSessionRotation = Babe;
	type SessionManager = pallet_session::historical::NoteHistoricalRoot<Self, Staking>;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	// Disable at most a third of the validators for offences, re-enabling lesser offenders
	// when a worse one must be disabled.
	type DisablingStrategy = pallet_session::disabling::UpToLimitWithReEnablingDisablingStrategy;
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

impl pallet_session::historical::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	// Slashing reads exposures from staking's own era storage, so the historical session
	// only needs to prove that a key belonged to a validator.
	type FullIdentification = ();
	type FullIdentificationOf = pallet_staking::UnitIdentificationOf<Self>;
}

impl pallet_offences::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type IdentificationTuple = pallet_session::historical::IdentificationTuple<Self>;
	type OnOffenceHandler = SlashAndChill;
}

/// Hands offences to staking, which records the slash and disables the offender for the
/// rest of the era, then chills every slashed offender: it leaves the next elections until its
/// operator calls `staking.validate` again, acknowledging the slash. pallet-staking no longer
/// chills on its own.
pub struct SlashAndChill;

impl OnOffenceHandler<AccountId, IdentificationTuple<Runtime>, Weight> for SlashAndChill {
	fn on_offence(
		offenders: &[OffenceDetails<AccountId, IdentificationTuple<Runtime>>],
		slash_fractions: &[Perbill],
		session: SessionIndex,
	) -> Weight {
		let mut weight =
			<Staking as OnOffenceHandler<_, _, _>>::on_offence(offenders, slash_fractions, session);
		let invulnerables = pallet_staking::Invulnerables::<Runtime>::get();
		weight.saturating_accrue(<Runtime as frame_system::Config>::DbWeight::get().reads(1));
		for (details, fraction) in offenders.iter().zip(slash_fractions) {
			let (stash, ()) = &details.offender;
			if fraction.is_zero() || invulnerables.contains(stash) {
				continue;
			}
			// Fails only for a stash that is no longer bonded: nothing to chill then.
			let _ = <Staking as StakingInterface>::chill(stash);
			weight.saturating_accrue(
				<Runtime as pallet_staking::Config>::WeightInfo::chill()
					.saturating_add(<Runtime as frame_system::Config>::DbWeight::get().reads(1)),
			);
		}
		weight
	}
}

// Equivocation reports are submitted by the node as bare (unsigned) extrinsics.
impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type RuntimeCall = RuntimeCall;
	type Extrinsic = UncheckedExtrinsic;
}

impl<LocalCall> frame_system::offchain::CreateBare<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	fn create_bare(call: RuntimeCall) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_bare(call)
	}
}
