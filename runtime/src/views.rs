//! What the subnets, neurons and stake runtime APIs return, assembled from the pallets that
//! own each part: subnets and hyperparameters (pallet-subnets), neurons and endpoints
//! (pallet-registration), weights, bonds and epoch results (pallet-weights), stake and
//! pending emission (pallet-emission).

use crate::{AccountId, Balance, Registration, Runtime, Stake, Subnets, System, Weights};
use alloc::{collections::BTreeMap, vec::Vec};
use luxtensor_primitives::{
	metagraph::{MetagraphField, MetagraphHeader, SelectiveMetagraph},
	stake::{DelegateInfo, StakePosition},
	subnets::{NetUid, NeuronInfoLite, SubnetInfo},
	traits::{HotkeyOwnership, Neurons, StakeInfo, SubnetsInfo},
};

/// A subnet with what pallet-subnets and pallet-registration each keep of it.
pub fn subnet_info(netuid: NetUid) -> Option<SubnetInfo<AccountId>> {
	let hyperparameters = pallet_subnets::Hyperparameters::<Runtime>::get(netuid)?;
	let record = pallet_subnets::Networks::<Runtime>::get(netuid);
	Some(SubnetInfo {
		netuid,
		owner: record.as_ref().map(|record| record.owner.clone()),
		owner_hotkey: record.as_ref().map(|record| record.owner_hotkey.clone()),
		lock: record.as_ref().map_or(0, |record| record.lock),
		registered_at: record.map_or(0, |record| record.registered_at),
		neuron_count: pallet_registration::NeuronCount::<Runtime>::get(netuid),
		registration_cost: Registration::registration_cost(netuid).unwrap_or_default(),
		identity: pallet_subnets::SubnetIdentities::<Runtime>::get(netuid),
		hyperparameters,
	})
}

/// The columns of a subnet's metagraph named in `fields`. Storage behind a column that was
/// not asked for is not read: the neurons only for their columns, weights and bonds only
/// for theirs.
pub fn selective_metagraph(
	netuid: NetUid,
	fields: &[MetagraphField],
) -> Option<SelectiveMetagraph<AccountId>> {
	use MetagraphField as Field;
	let hyperparameters = pallet_subnets::Hyperparameters::<Runtime>::get(netuid)?;
	let wants = |field: Field| fields.contains(&field);
	let header = MetagraphHeader {
		netuid,
		n: <Registration as Neurons<AccountId>>::neuron_count(netuid),
		block: System::block_number(),
		last_epoch_block: pallet_weights::LastEpochBlock::<Runtime>::get(netuid).unwrap_or(0),
		tempo: hyperparameters.tempo,
		pending_emission: pallet_emission::PendingEmission::<Runtime>::get(netuid),
	};
	let per_neuron = [Field::Weights, Field::Bonds];
	let neurons = if fields.iter().any(|field| !per_neuron.contains(field)) {
		Registration::neurons_lite(netuid)
	} else {
		Vec::new()
	};
	let column = |field: Field| wants(field).then_some(neurons.as_slice());
	Some(SelectiveMetagraph {
		header,
		hotkeys: values(column(Field::Hotkeys), |neuron| neuron.hotkey.clone()),
		coldkeys: values(column(Field::Coldkeys), |neuron| neuron.coldkey.clone()),
		registered_at: values(column(Field::RegisteredAt), |neuron| neuron.registered_at),
		immune: values(column(Field::Immune), |neuron| neuron.immune),
		active: values(column(Field::Active), |neuron| neuron.epoch.active),
		last_update: values(column(Field::LastUpdate), |neuron| neuron.epoch.last_update),
		stake: values(column(Field::Stake), |neuron| Stake::stake_of(&neuron.hotkey)),
		rank: values(column(Field::Rank), |neuron| neuron.epoch.rank),
		trust: values(column(Field::Trust), |neuron| neuron.epoch.trust),
		consensus: values(column(Field::Consensus), |neuron| neuron.epoch.consensus),
		incentive: values(column(Field::Incentive), |neuron| neuron.epoch.incentive),
		dividends: values(column(Field::Dividends), |neuron| neuron.epoch.dividends),
		validator_trust: values(column(Field::ValidatorTrust), |neuron| {
			neuron.epoch.validator_trust
		}),
		validator_permit: values(column(Field::ValidatorPermit), |neuron| {
			neuron.epoch.validator_permit
		}),
		emission: values(column(Field::Emission), |neuron| neuron.epoch.emission),
		axons: values(column(Field::Axons), |neuron| neuron.axon),
		prometheus: values(column(Field::Prometheus), |neuron| neuron.prometheus),
		weights: wants(Field::Weights).then(|| Weights::weight_rows(netuid)),
		bonds: wants(Field::Bonds).then(|| Weights::bond_rows(netuid)),
		compute_score: values(column(Field::ComputeScore), |neuron| neuron.epoch.compute_score),
	})
}

/// `value` of every neuron, if its column was asked for.
fn values<T>(
	neurons: Option<&[NeuronInfoLite<AccountId>]>,
	value: impl Fn(&NeuronInfoLite<AccountId>) -> T,
) -> Option<Vec<T>> {
	neurons.map(|neurons| neurons.iter().map(value).collect())
}

/// The subnets, and the validator permits of those a described delegate is registered on:
/// each subnet's epoch results are read at most once per view, and only when needed.
struct SubnetPermits {
	netuids: Vec<NetUid>,
	permits: BTreeMap<NetUid, Vec<bool>>,
}

impl SubnetPermits {
	fn new() -> Self {
		Self { netuids: <Subnets as SubnetsInfo<AccountId>>::netuids(), permits: BTreeMap::new() }
	}

	/// The subnets `hotkey` is registered on, and those where it holds a validator permit.
	fn registrations_of(&mut self, hotkey: &AccountId) -> (Vec<NetUid>, Vec<NetUid>) {
		let mut registrations = Vec::new();
		let mut validator_permits = Vec::new();
		for &netuid in &self.netuids {
			let Some(uid) = <Registration as Neurons<AccountId>>::uid(netuid, hotkey) else {
				continue;
			};
			registrations.push(netuid);
			let permits = self.permits.entry(netuid).or_insert_with(|| {
				Weights::neuron_epochs(netuid).iter().map(|epoch| epoch.validator_permit).collect()
			});
			if permits.get(usize::from(uid)).copied().unwrap_or(false) {
				validator_permits.push(netuid);
			}
		}
		(registrations, validator_permits)
	}
}

/// The delegate record of a hotkey with `total_stake` (more than zero).
fn describe_delegate(
	hotkey: AccountId,
	total_stake: Balance,
	subnets: &mut SubnetPermits,
) -> DelegateInfo<AccountId> {
	let (registrations, validator_permits) = subnets.registrations_of(&hotkey);
	DelegateInfo {
		owner: <Registration as HotkeyOwnership<AccountId>>::owner(&hotkey),
		take: Stake::take_of(&hotkey),
		total_stake,
		nominators: Stake::nominators(&hotkey),
		registrations,
		validator_permits,
		hotkey,
	}
}

/// A hotkey's stake, take, nominators, registrations and validator permits, if it holds
/// stake.
pub fn delegate_info(hotkey: AccountId) -> Option<DelegateInfo<AccountId>> {
	let total_stake = Stake::stake_of(&hotkey);
	(total_stake > 0).then(|| describe_delegate(hotkey, total_stake, &mut SubnetPermits::new()))
}

/// Every hotkey holding stake, most stake first.
pub fn delegates() -> Vec<DelegateInfo<AccountId>> {
	let mut subnets = SubnetPermits::new();
	let mut delegates: Vec<_> = Stake::staked_hotkeys()
		.into_iter()
		.filter(|(_, total_stake)| *total_stake > 0)
		.map(|(hotkey, total_stake)| describe_delegate(hotkey, total_stake, &mut subnets))
		.collect();
	delegates.sort_by_key(|delegate| core::cmp::Reverse(delegate.total_stake));
	delegates
}

/// Every stake of `coldkey`, most stake first.
pub fn stake_positions(coldkey: AccountId) -> Vec<StakePosition<AccountId>> {
	Stake::stakes_of_coldkey(&coldkey)
		.into_iter()
		.map(|(hotkey, stake)| StakePosition {
			hotkey_owner: <Registration as HotkeyOwnership<AccountId>>::owner(&hotkey),
			hotkey,
			coldkey: coldkey.clone(),
			stake,
		})
		.collect()
}
