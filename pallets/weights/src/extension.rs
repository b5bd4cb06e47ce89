//! [`CheckWeights`]: keeps fee-free weight calls that would fail out of the transaction pool
//! and out of blocks, so they cannot be used to spam for free.

use crate::{Call, Config, Pallet};
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::{fmt, marker::PhantomData};
use polkadot_sdk::{
	frame_support::{
		traits::{Get, IsSubType},
		weights::Weight,
	},
	sp_io::hashing::blake2_256,
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

/// Validates `set_weights`, `commit_weights` and `reveal_weights` with the checks the calls
/// make (registration, permit and stake, commit-reveal state, rate limits, the weights
/// themselves) before they enter the pool or a block. One `set_weights` or commit per
/// neuron waits in the pool at a time. It carries no data, so clients sign nothing extra for
/// it. An invalid call is rejected as `InvalidTransaction::Custom(i)`, `i` being the index of
/// the pallet error it would have failed with.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckWeights<T: Config + Send + Sync>(PhantomData<T>);

impl<T: Config + Send + Sync> CheckWeights<T> {
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T: Config + Send + Sync> Default for CheckWeights<T> {
	fn default() -> Self {
		Self::new()
	}
}

impl<T: Config + Send + Sync> fmt::Debug for CheckWeights<T> {
	fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
		write!(f, "CheckWeights")
	}
}

/// The pool error for a pallet error: its index in the pallet's `Error` enum.
fn invalid<T: Config>(error: crate::Error<T>) -> TransactionValidityError {
	let index = error.encode().first().copied().unwrap_or_default();
	InvalidTransaction::Custom(index).into()
}

impl<T> TransactionExtension<T::RuntimeCall> for CheckWeights<T>
where
	T: Config + Send + Sync,
	T::RuntimeCall: Dispatchable + IsSubType<Call<T>>,
	<T::RuntimeCall as Dispatchable>::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone,
{
	const IDENTIFIER: &'static str = "CheckWeights";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	fn weight(&self, call: &T::RuntimeCall) -> Weight {
		match call.is_sub_type() {
			// Hyperparameters, uid, neuron count, epoch outputs, stake, last update or
			// commits, and registration blocks when revealing.
			Some(Call::set_weights { .. } | Call::commit_weights { .. }) => {
				T::DbWeight::get().reads(7)
			}
			Some(Call::reveal_weights { uids, .. }) => {
				T::DbWeight::get().reads(7u64.saturating_add(uids.len() as u64))
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
		let tag = match call.is_sub_type() {
			Some(Call::set_weights { netuid, dests, weights, version_key }) => {
				Pallet::<T>::check_set_weights(*netuid, hotkey, dests, weights, *version_key)
					.map_err(invalid::<T>)?;
				(b"set", netuid, hotkey).encode()
			}
			Some(Call::commit_weights { netuid, .. }) => {
				Pallet::<T>::check_commit(*netuid, hotkey).map_err(invalid::<T>)?;
				(b"commit", netuid, hotkey).encode()
			}
			Some(reveal @ Call::reveal_weights { netuid, uids, values, salt, version_key }) => {
				Pallet::<T>::check_reveal(*netuid, hotkey, uids, values, salt, *version_key)
					.map_err(invalid::<T>)?;
				(b"reveal", hotkey, blake2_256(&reveal.encode())).encode()
			}
			_ => return Ok((ValidTransaction::default(), (), origin)),
		};
		let valid = ValidTransaction::with_tag_prefix(Self::IDENTIFIER)
			.priority(luxtensor_primitives::DUTY_PRIORITY)
			.and_provides(tag)
			.build()?;
		Ok((valid, (), origin))
	}

	impl_tx_ext_default!(T::RuntimeCall; prepare);
}
