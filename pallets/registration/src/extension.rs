//! [`CheckServing`]: keeps fee-free endpoint updates that would fail out of the transaction
//! pool and out of blocks, so they cannot be used to spam for free.

use crate::{Call, Config, Endpoint, Pallet};
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

/// Validates `serve_axon` and `serve_prometheus` (registered hotkey, valid endpoint, rate
/// limit) before they enter the pool or a block, and lets one update per hotkey, subnet and
/// endpoint kind wait in the pool at a time. It carries no data, so clients sign nothing
/// extra for it. An invalid update is rejected as `InvalidTransaction::Custom(i)`, `i` being
/// the index of the pallet error the call would have failed with.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckServing<T: Config + Send + Sync>(PhantomData<T>);

impl<T: Config + Send + Sync> CheckServing<T> {
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T: Config + Send + Sync> Default for CheckServing<T> {
	fn default() -> Self {
		Self::new()
	}
}

impl<T: Config + Send + Sync> fmt::Debug for CheckServing<T> {
	fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
		write!(f, "CheckServing")
	}
}

/// The pool error for a pallet error: its index in the pallet's `Error` enum.
fn invalid<T: Config>(error: crate::Error<T>) -> TransactionValidityError {
	let index = error.encode().first().copied().unwrap_or_default();
	InvalidTransaction::Custom(index).into()
}

impl<T> TransactionExtension<T::RuntimeCall> for CheckServing<T>
where
	T: Config + Send + Sync,
	T::RuntimeCall: Dispatchable + IsSubType<Call<T>>,
	<T::RuntimeCall as Dispatchable>::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone,
{
	const IDENTIFIER: &'static str = "CheckServing";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	fn weight(&self, call: &T::RuntimeCall) -> Weight {
		match call.is_sub_type() {
			// Hyperparameters, the uid and the last update.
			Some(Call::serve_axon { .. } | Call::serve_prometheus { .. }) => {
				T::DbWeight::get().reads(4)
			}
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
		let Some(hotkey) = origin.as_system_origin_signer() else {
			return Ok((ValidTransaction::default(), (), origin));
		};
		let (netuid, kind, endpoint) = match call.is_sub_type() {
			Some(Call::serve_axon { netuid, ip, port, ip_type, .. }) => {
				(*netuid, Endpoint::Axon, (*ip, *port, *ip_type))
			}
			Some(Call::serve_prometheus { netuid, ip, port, ip_type, .. }) => {
				(*netuid, Endpoint::Prometheus, (*ip, *port, *ip_type))
			}
			_ => return Ok((ValidTransaction::default(), (), origin)),
		};
		Pallet::<T>::check_serving(netuid, hotkey, kind, endpoint).map_err(invalid::<T>)?;
		let tag = (kind, hotkey, netuid).encode();
		let valid =
			ValidTransaction::with_tag_prefix(Self::IDENTIFIER).and_provides(tag).build()?;
		Ok((valid, (), origin))
	}

	impl_tx_ext_default!(T::RuntimeCall; prepare);
}
