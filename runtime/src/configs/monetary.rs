//! Balances and transaction fees.

use crate::{
	currency::{EXISTENTIAL_DEPOSIT, MICRO_MDT, MILLI_MDT},
	governance::TreasuryAccount,
	Authorship, Balance, Balances, Runtime, RuntimeFreezeReason, RuntimeHoldReason,
};
use frame_support::{
	parameter_types,
	traits::{
		fungible::{Balanced, Credit},
		ConstU32, Imbalance, OnUnbalanced, VariantCountOf,
	},
	weights::{
		constants::ExtrinsicBaseWeight, ConstantMultiplier, WeightToFeeCoefficient,
		WeightToFeeCoefficients, WeightToFeePolynomial,
	},
};
use pallet_transaction_payment::{FungibleAdapter, Multiplier, TargetedFeeAdjustment};
use polkadot_sdk::*;
use sp_runtime::{traits::Bounded, FixedPointNumber, Perbill, Perquintill};

impl pallet_balances::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type Balance = Balance;
	type ExistentialDeposit = frame_support::traits::ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = frame_system::Pallet<Runtime>;
	// Dust below the existential deposit is burned.
	type DustRemoval = ();
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ConstU32<50>;
	type ReserveIdentifier = [u8; 8];
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type DoneSlashHandler = ();
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// The share of every transaction fee the treasury receives.
	pub const TreasuryFeeShare: Perbill = Perbill::from_percent(20);
}

/// [`TreasuryFeeShare`] of each fee goes to the treasury and the rest is burned, lowering
/// total issuance so emission re-mints it over time; tips go to the block author.
pub struct DealWithFees;
impl OnUnbalanced<Credit<crate::AccountId, Balances>> for DealWithFees {
	fn on_unbalanceds(
		mut fees_then_tips: impl Iterator<Item = Credit<crate::AccountId, Balances>>,
	) {
		if let Some(fees) = fees_then_tips.next() {
			let to_treasury = TreasuryFeeShare::get().mul_floor(fees.peek());
			let (treasury, _burned) = fees.split(to_treasury);
			// Dropping a credit burns it: the rest of the fee (and the treasury's share,
			// should the treasury account not exist; it exists from genesis).
			let _ = Balances::resolve(&TreasuryAccount::get(), treasury);
		}
		if let Some(tips) = fees_then_tips.next() {
			if tips.peek() > 0 {
				if let Some(author) = Authorship::author() {
					// A tip that cannot be paid (author account below ED) is burned.
					let _ = Balances::resolve(&author, tips);
				}
			}
		}
	}
}

/// The fee for the weight of a transaction: a transaction of the base extrinsic weight costs
/// 0.1 milli-MDT, and the fee grows linearly with weight.
pub struct WeightToFee;
impl WeightToFeePolynomial for WeightToFee {
	type Balance = Balance;
	fn polynomial() -> WeightToFeeCoefficients<Self::Balance> {
		let fee_of_base_weight: Balance = MILLI_MDT / 10;
		let base_weight = Balance::from(ExtrinsicBaseWeight::get().ref_time());
		smallvec::smallvec![WeightToFeeCoefficient {
			degree: 1,
			negative: false,
			coeff_frac: Perbill::from_rational(
				fee_of_base_weight.checked_rem(base_weight).unwrap_or_default(),
				base_weight,
			),
			coeff_integer: fee_of_base_weight.checked_div(base_weight).unwrap_or_default(),
		}]
	}
}

parameter_types! {
	/// 1 micro-MDT per byte of an extrinsic.
	pub const TransactionByteFee: Balance = MICRO_MDT;
	/// Operational transactions pay 5x the tip priority of normal ones.
	pub const OperationalFeeMultiplier: u8 = 5;
	/// Fees rise when blocks are more than a quarter full and fall when less.
	pub const TargetBlockFullness: Perquintill = Perquintill::from_percent(25);
	/// How fast the multiplier reacts (the value Polkadot uses): each full block raises it by
	/// 0.75 × 75 millionths, so with 6 s blocks fees rise about 3.4% an hour, 2.25× a day, of
	/// full blocks, and fall about as fast when blocks are empty.
	pub AdjustmentVariable: Multiplier = Multiplier::saturating_from_rational(75, 1_000_000);
	/// Fees never fall below a tenth of their nominal value (Polkadot's floor), so calls stay
	/// costly enough after quiet days that a burst of spam is not nearly free.
	pub MinimumMultiplier: Multiplier = Multiplier::saturating_from_rational(1, 10u128);
	pub MaximumMultiplier: Multiplier = Bounded::max_value();
}

/// The fee multiplier: follows block fullness around [`TargetBlockFullness`].
pub type SlowAdjustingFeeUpdate<R> = TargetedFeeAdjustment<
	R,
	TargetBlockFullness,
	AdjustmentVariable,
	MinimumMultiplier,
	MaximumMultiplier,
>;

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, DealWithFees>;
	type OperationalFeeMultiplier = OperationalFeeMultiplier;
	type WeightToFee = WeightToFee;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = SlowAdjustingFeeUpdate<Self>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}
