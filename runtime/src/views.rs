//! What the subnets, neurons and stake runtime APIs return, assembled from the pallets that
//! own each part: subnets and hyperparameters (pallet-subnets), neurons and endpoints
//! (pallet-registration), weights, bonds and epoch results (pallet-weights), stake and
//! pending emission (pallet-emission).

use crate::{AccountId, Balance, Emission, Registration, Runtime, Stake, Subnets, System, Weights};
use alloc::{collections::BTreeMap, vec::Vec};
use luxtensor_primitives::{
	metagraph::{Column, MetagraphField, MetagraphHeader, SelectiveMetagraph, UidRange},
	stake::{DelegateInfo, PoolId, StakePosition},
	subnets::{NetUid, NeuronInfoLite, SubnetInfo},
	traits::{HotkeyOwnership, Neurons, StakeInfo, SubnetsInfo},
	PageRequest,
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

/// The columns of a subnet's metagraph named in `fields`, for the uids of `page` (within
/// the subnet and the page caps). Storage behind a column that was not asked for is not
/// read: the neurons only for their columns, weights and bonds only for theirs.
pub fn selective_metagraph(
	netuid: NetUid,
	fields: &[MetagraphField],
	page: UidRange,
) -> Option<SelectiveMetagraph<AccountId>> {
	use MetagraphField as Field;
	let hyperparameters = pallet_subnets::Hyperparameters::<Runtime>::get(netuid)?;
	let n = <Registration as Neurons<AccountId>>::neuron_count(netuid);
	let uids = page.within(n, fields);
	let header = MetagraphHeader {
		netuid,
		n,
		first_uid: uids.start,
		block: System::block_number(),
		last_epoch_block: pallet_weights::LastEpochBlock::<Runtime>::get(netuid).unwrap_or(0),
		tempo: hyperparameters.tempo,
		pending_emission: Emission::pending_emission(netuid),
	};
	let neurons = if fields.iter().any(|field| !field.is_rows()) {
		Registration::neurons_lite(netuid, uids.clone())
	} else {
		Vec::new()
	};
	let mut metagraph = SelectiveMetagraph::empty(header);
	for &field in fields {
		let column = match field {
			Field::Hotkeys => Column::Accounts(each(&neurons, |n| n.hotkey.clone())),
			Field::Coldkeys => Column::Accounts(each(&neurons, |n| n.coldkey.clone())),
			Field::RegisteredAt => Column::Blocks(each(&neurons, |n| n.registered_at)),
			Field::Immune => Column::Flags(each(&neurons, |n| n.immune)),
			Field::Active => Column::Flags(each(&neurons, |n| n.epoch.active)),
			Field::LastUpdate => Column::Blocks(each(&neurons, |n| n.epoch.last_update)),
			Field::Stake => Column::Balances(each(&neurons, |n| Stake::stake_of(&n.hotkey))),
			Field::Rank => Column::Proportions(each(&neurons, |n| n.epoch.rank)),
			Field::Trust => Column::Proportions(each(&neurons, |n| n.epoch.trust)),
			Field::Consensus => Column::Proportions(each(&neurons, |n| n.epoch.consensus)),
			Field::Incentive => Column::Proportions(each(&neurons, |n| n.epoch.incentive)),
			Field::Dividends => Column::Proportions(each(&neurons, |n| n.epoch.dividends)),
			Field::ValidatorTrust => {
				Column::Proportions(each(&neurons, |n| n.epoch.validator_trust))
			}
			Field::ValidatorPermit => Column::Flags(each(&neurons, |n| n.epoch.validator_permit)),
			Field::Emission => Column::Balances(each(&neurons, |n| n.epoch.emission)),
			Field::Axons => Column::Axons(each(&neurons, |n| n.axon)),
			Field::Prometheus => Column::Prometheus(each(&neurons, |n| n.prometheus)),
			Field::Weights => Column::Rows(Weights::weight_rows(netuid, uids.clone())),
			Field::Bonds => Column::Rows(Weights::bond_rows(netuid, uids.clone())),
			Field::ComputeScore => Column::Proportions(each(&neurons, |n| n.epoch.compute_score)),
		};
		// Each arm above builds the column's own kind.
		let _ = metagraph.set(field, column);
	}
	Some(metagraph)
}

/// `value` of each neuron.
fn each<T>(
	neurons: &[NeuronInfoLite<AccountId>],
	value: impl Fn(&NeuronInfoLite<AccountId>) -> T,
) -> Vec<T> {
	neurons.iter().map(value).collect()
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

/// The delegate record of a hotkey with `total_stake`.
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
		registrations,
		validator_permits,
		hotkey,
	}
}

/// A hotkey's stake, take, registrations and validator permits, if it holds stake.
pub fn delegate_info(hotkey: AccountId) -> Option<DelegateInfo<AccountId>> {
	let total_stake = Stake::stake_of(&hotkey);
	(total_stake > 0).then(|| describe_delegate(hotkey, total_stake, &mut SubnetPermits::new()))
}

/// One page of the hotkeys holding stake, in storage order.
pub fn delegates(page: &PageRequest<AccountId>) -> Vec<DelegateInfo<AccountId>> {
	let mut subnets = SubnetPermits::new();
	Stake::staked_hotkeys(page)
		.into_iter()
		.map(|(hotkey, total_stake)| describe_delegate(hotkey, total_stake, &mut subnets))
		.collect()
}

/// One page of `coldkey`'s stakes, in storage order.
pub fn stake_positions(
	coldkey: AccountId,
	page: &PageRequest<PoolId>,
) -> Vec<StakePosition<AccountId>> {
	Stake::stakes_of_coldkey(&coldkey, page)
		.into_iter()
		.map(|(pool, hotkey, stake)| StakePosition {
			pool,
			hotkey_owner: <Registration as HotkeyOwnership<AccountId>>::owner(&hotkey),
			hotkey,
			coldkey: coldkey.clone(),
			stake,
		})
		.collect()
}
