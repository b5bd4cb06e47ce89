//! The model registry.

use crate::{
	cid::{validate_cid_v1, CidError},
	Config, Counters, Error, Event, HoldReason, Model, ModelIds, Models, NextModelId, Pallet,
};
use luxtensor_primitives::{
	compute::{ContentId, ModelId, ModelKind, ModelMetadata, ModelName, ModelVersion},
	Balance,
};
use polkadot_sdk::{
	frame_support::{
		ensure,
		traits::{
			fungible::MutateHold,
			tokens::{Fortitude, Precision, Restriction},
			Get,
		},
	},
	sp_runtime::{traits::Saturating, DispatchError, DispatchResult},
};

impl<T: Config> Pallet<T> {
	/// The deposit held for a model of these sizes.
	pub fn model_deposit(
		name: &ModelName,
		content_id: &ContentId,
		metadata: &ModelMetadata,
	) -> Balance {
		let bytes = name.len().saturating_add(content_id.len()).saturating_add(metadata.len());
		T::ModelDepositPerByte::get()
			.saturating_mul(Balance::try_from(bytes).unwrap_or(Balance::MAX))
			.saturating_add(T::ModelDepositBase::get())
	}

	/// Checks that `cid` is a CIDv1 this chain accepts.
	pub(crate) fn ensure_valid_cid(cid: &ContentId) -> Result<(), Error<T>> {
		validate_cid_v1(cid).map_err(|error| match error {
			CidError::NotBase32 => Error::<T>::ContentIdNotBase32,
			CidError::NotVersion1 => Error::<T>::ContentIdNotVersion1,
			CidError::UnsupportedCodec => Error::<T>::ContentIdUnsupportedCodec,
			CidError::UnsupportedHash => Error::<T>::ContentIdUnsupportedHash,
			CidError::BadDigestLength => Error::<T>::ContentIdBadDigest,
		})
	}

	pub(crate) fn do_register_model(
		owner: T::AccountId,
		name: ModelName,
		content_id: ContentId,
		version: ModelVersion,
		kind: ModelKind,
		metadata: ModelMetadata,
	) -> DispatchResult {
		ensure!(!name.is_empty(), Error::<T>::EmptyModelName);
		Self::ensure_valid_cid(&content_id)?;
		ensure!(!ModelIds::<T>::contains_key(&name, version), Error::<T>::ModelAlreadyRegistered);
		let id = NextModelId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::ModelIdsExhausted)?;
		let deposit = Self::model_deposit(&name, &content_id, &metadata);
		Self::hold(HoldReason::ModelDeposit, &owner, deposit)?;
		NextModelId::<T>::put(next);
		ModelIds::<T>::insert(&name, version, id);
		Models::<T>::insert(
			id,
			Model {
				owner: owner.clone(),
				name: name.clone(),
				content_id,
				version,
				kind,
				metadata,
				deprecated: false,
				deposit,
				registered_at: Self::now(),
				job_refs: 0,
			},
		);
		Counters::<T>::mutate(|counters| counters.models.saturating_inc());
		Self::deposit_event(Event::ModelRegistered { id, owner, name, version, deposit });
		Ok(())
	}

	fn owned_model(
		owner: &T::AccountId,
		id: ModelId,
	) -> Result<Model<T::AccountId>, DispatchError> {
		let model = Models::<T>::get(id).ok_or(Error::<T>::ModelNotFound)?;
		ensure!(&model.owner == owner, Error::<T>::NotModelOwner);
		Ok(model)
	}

	pub(crate) fn do_update_model_metadata(
		owner: T::AccountId,
		id: ModelId,
		metadata: ModelMetadata,
	) -> DispatchResult {
		let mut model = Self::owned_model(&owner, id)?;
		let deposit = Self::model_deposit(&model.name, &model.content_id, &metadata);
		if deposit > model.deposit {
			Self::hold(HoldReason::ModelDeposit, &owner, deposit.saturating_sub(model.deposit))?;
		} else {
			Self::release(HoldReason::ModelDeposit, &owner, model.deposit.saturating_sub(deposit));
		}
		model.deposit = deposit;
		model.metadata = metadata;
		Models::<T>::insert(id, model);
		Self::deposit_event(Event::ModelMetadataUpdated { id, deposit });
		Ok(())
	}

	pub(crate) fn do_deprecate_model(owner: T::AccountId, id: ModelId) -> DispatchResult {
		let mut model = Self::owned_model(&owner, id)?;
		ensure!(!model.deprecated, Error::<T>::ModelAlreadyDeprecated);
		model.deprecated = true;
		Models::<T>::insert(id, model);
		Counters::<T>::mutate(|counters| counters.models_deprecated.saturating_inc());
		Self::deposit_event(Event::ModelDeprecated { id });
		Ok(())
	}

	pub(crate) fn do_transfer_model(
		owner: T::AccountId,
		id: ModelId,
		new_owner: T::AccountId,
	) -> DispatchResult {
		let mut model = Self::owned_model(&owner, id)?;
		ensure!(new_owner != owner, Error::<T>::TransferToSelf);
		T::Currency::transfer_on_hold(
			&HoldReason::ModelDeposit.into(),
			&owner,
			&new_owner,
			model.deposit,
			Precision::Exact,
			Restriction::OnHold,
			Fortitude::Polite,
		)?;
		model.owner = new_owner.clone();
		Models::<T>::insert(id, model);
		Self::deposit_event(Event::ModelTransferred { id, from: owner, to: new_owner });
		Ok(())
	}

	pub(crate) fn do_remove_model(owner: T::AccountId, id: ModelId) -> DispatchResult {
		let model = Self::owned_model(&owner, id)?;
		ensure!(model.job_refs == 0, Error::<T>::ModelInUse);
		Self::release(HoldReason::ModelDeposit, &owner, model.deposit);
		ModelIds::<T>::remove(&model.name, model.version);
		Models::<T>::remove(id);
		Counters::<T>::mutate(|counters| {
			counters.models.saturating_dec();
			if model.deprecated {
				counters.models_deprecated.saturating_dec();
			}
		});
		Self::deposit_event(Event::ModelRemoved { id, deposit: model.deposit });
		Ok(())
	}
}
