//! The origins referenda on the non-root tracks dispatch with, and the `EnsureOrigin`s the
//! runtime checks them with.

pub use pallet_governance_origins::*;

#[frame_support::pallet]
#[allow(clippy::expect_used)] // in the pallet macro's expansion, not in this code
pub mod pallet_governance_origins {
	use crate::{currency::MDT, Balance};
	use polkadot_sdk::{frame_support::pallet_prelude::*, frame_system};

	#[pallet::config]
	pub trait Config: frame_system::Config {}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The origin a passed referendum on a governance track dispatches its call with.
	#[derive(
		PartialEq,
		Eq,
		Clone,
		MaxEncodedLen,
		Encode,
		Decode,
		DecodeWithMemTracking,
		TypeInfo,
		Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// The subnet-admin track: the custom pallets' root-only calls (hyperparameters,
		/// `force_epoch`, dissolving a subnet, cancelling a deferred slash).
		SubnetAdmin,
		/// The small-spender track: treasury spends up to [`SMALL_SPEND`].
		SmallSpender,
		/// The big-spender track: treasury spends up to [`BIG_SPEND`].
		BigSpender,
		/// The whitelisted-caller track: may dispatch a call the technical committee
		/// whitelisted, with root's rights.
		WhitelistedCaller,
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
					match o.caller().try_into() {
						Ok(Origin::$name) => return Ok(()),
						_ => (),
					}
					Err(o)
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

	/// The treasury's spend origin: the small- and big-spender tracks, each with the most
	/// it may spend at once.
	pub struct Spender;
	impl<O: OriginTrait + From<Origin>> EnsureOrigin<O> for Spender
	where
		for<'a> &'a O::PalletsOrigin: TryInto<&'a Origin>,
	{
		type Success = Balance;
		fn try_origin(o: O) -> Result<Self::Success, O> {
			match o.caller().try_into() {
				Ok(Origin::SmallSpender) => return Ok(SMALL_SPEND),
				Ok(Origin::BigSpender) => return Ok(BIG_SPEND),
				_ => (),
			}
			Err(o)
		}
		#[cfg(feature = "runtime-benchmarks")]
		fn try_successful_origin() -> Result<O, ()> {
			Ok(O::from(Origin::BigSpender))
		}
	}
}
