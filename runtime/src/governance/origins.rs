//! The origins referenda on the non-root tracks dispatch with, and the `EnsureOrigin`s the
//! runtime checks them with.

pub use pallet_governance_origins::*;

use crate::{currency::MDT, Balance};
use polkadot_sdk::frame_support::{
	self,
	traits::{EnsureOrigin, OriginTrait},
};

#[frame_support::pallet]
#[allow(clippy::expect_used)] // in the pallet macro's expansion
pub mod pallet_governance_origins {
	use polkadot_sdk::frame_support::pallet_prelude::*;

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The origin a passed referendum on a governance track dispatches its call with.
	#[derive(
		PartialEq, Eq, Clone, MaxEncodedLen, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// The subnet-admin track: the custom pallets' root-only calls (hyperparameters,
		/// `force_epoch`, dissolving a subnet, cancelling a deferred slash).
		SubnetAdmin,
		/// The small-spender track: treasury spends up to 1,000 MDT.
		SmallSpender,
		/// The big-spender track: treasury spends up to 20,000 MDT.
		BigSpender,
		/// The whitelisted-caller track: may dispatch a call the technical committee
		/// whitelisted, with root's rights.
		WhitelistedCaller,
	}
}

/// The most one spend on the small-spender track may pay.
pub const SMALL_SPEND: Balance = 1_000 * MDT;
/// The most one spend on the big-spender track may pay.
pub const BIG_SPEND: Balance = 20_000 * MDT;

/// An `EnsureOrigin` that accepts exactly one [`Origin`] variant.
macro_rules! ensure_variant {
	($(#[$doc:meta])* $name:ident) => {
		$(#[$doc])*
		pub struct $name;
		impl<O: OriginTrait + From<Origin>> EnsureOrigin<O> for $name
		where
			for<'a> &'a O::PalletsOrigin: TryInto<&'a Origin>,
		{
			type Success = ();
			fn try_origin(o: O) -> Result<Self::Success, O> {
				if matches!(o.caller().try_into(), Ok(Origin::$name)) {
					Ok(())
				} else {
					Err(o)
				}
			}
			#[cfg(feature = "runtime-benchmarks")]
			fn try_successful_origin() -> Result<O, ()> {
				Ok(O::from(Origin::$name))
			}
		}
	};
}

ensure_variant!(
	/// Passes only the subnet-admin track's origin.
	SubnetAdmin
);
ensure_variant!(
	/// Passes only the whitelisted-caller track's origin.
	WhitelistedCaller
);

/// The treasury's spend origin on the small- and big-spender tracks, with the most each may
/// spend at once.
pub struct Spender;
impl<O: OriginTrait + From<Origin>> EnsureOrigin<O> for Spender
where
	for<'a> &'a O::PalletsOrigin: TryInto<&'a Origin>,
{
	type Success = Balance;
	fn try_origin(o: O) -> Result<Self::Success, O> {
		let limit = match o.caller().try_into() {
			Ok(Origin::SmallSpender) => Some(SMALL_SPEND),
			Ok(Origin::BigSpender) => Some(BIG_SPEND),
			_ => None,
		};
		limit.ok_or(o)
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<O, ()> {
		Ok(O::from(Origin::BigSpender))
	}
}
