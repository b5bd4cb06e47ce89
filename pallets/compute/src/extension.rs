//! [`CheckHeartbeat`]: keeps fee-free heartbeats that would fail out of the transaction pool
//! and out of blocks, so they cannot be used to spam for free.

use crate::{Call, Config, Pallet};
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::{fmt, marker::PhantomData};
use polkadot_sdk::{
	frame_support::{
		traits::{Get, IsSubType},
		weights::Weight,
	},
	sp_runtime::{
		impl_tx_ext_default,
		traits::{
			AsSystemOriginSigner, DispatchInfoOf, Dispatchable, Implication, TransactionExtension,
			ValidateResult,
		},
		transaction_validity::{
			InvalidTransaction, TransactionSource, TransactionValidityError, ValidTransaction,
		},
	},
};
use scale_info::TypeInfo;

/// Validates `heartbeat` (the signer is a provider that is not leaving, and its last
/// heartbeat is at least `MinHeartbeatInterval` blocks old) before it enters the pool or a
/// block, and lets one heartbeat per provider wait in the pool at a time. It carries no
/// data, so clients sign nothing extra for it. An invalid heartbeat is rejected as
/// `InvalidTransaction::Custom(i)`, `i` being the index of the pallet error the call would
/// have failed with.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckHeartbeat<T: Config + Send + Sync>(PhantomData<T>);

impl<T: Config + Send + Sync> CheckHeartbeat<T> {
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T: Config + Send + Sync> Default for CheckHeartbeat<T> {
	fn default() -> Self {
		Self::new()
	}
}

impl<T: Config + Send + Sync> fmt::Debug for CheckHeartbeat<T> {
	fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
		write!(f, "CheckHeartbeat")
	}
}

impl<T> TransactionExtension<T::RuntimeCall> for CheckHeartbeat<T>
where
	T: Config + Send + Sync,
	T::RuntimeCall: Dispatchable + IsSubType<Call<T>>,
	<T::RuntimeCall as Dispatchable>::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone,
{
	const IDENTIFIER: &'static str = "CheckHeartbeat";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	fn weight(&self, call: &T::RuntimeCall) -> Weight {
		match call.is_sub_type() {
			// The provider record.
			Some(Call::heartbeat {}) => T::DbWeight::get().reads(1),
			_ => Weight::zero(),
		}
	}

	fn validate(
		&self,
		origin: <T::RuntimeCall as Dispatchable>::RuntimeOrigin,
		call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Implication,
		_source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		let (Some(hotkey), Some(Call::heartbeat {})) =
			(origin.as_system_origin_signer(), call.is_sub_type())
		else {
			return Ok((ValidTransaction::default(), (), origin));
		};
		Pallet::<T>::check_heartbeat(hotkey).map_err(|error| -> TransactionValidityError {
			let index = error.encode().first().copied().unwrap_or_default();
			InvalidTransaction::Custom(index).into()
		})?;
		let valid = ValidTransaction::with_tag_prefix(Self::IDENTIFIER)
			.priority(luxtensor_primitives::DUTY_PRIORITY)
			.and_provides(hotkey.encode())
			.build()?;
		Ok((valid, (), origin))
	}

	impl_tx_ext_default!(T::RuntimeCall; prepare);
}
