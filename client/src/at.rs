//! Reads at one block: every query made through one [`At`] sees the same state, so a batch
//! of them is consistent (`tokio::try_join!` runs them concurrently).

use crate::{
	api::{self, runtime_types::luxtensor_primitives as primitives},
	config::LuxtensorConfig,
	error::Error,
	types::*,
};
use subxt::{client::OnlineClientAtBlock, utils::AccountId32};

/// Balances of an account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AccountBalance {
	/// Spendable, apart from what is frozen.
	pub free: u128,
	/// Held (bonds, locks of subnets, escrow...).
	pub reserved: u128,
	/// Part of `free` that cannot leave (staking locks).
	pub frozen: u128,
}

/// The chain as of one block.
#[derive(Clone)]
pub struct At {
	block: OnlineClientAtBlock<LuxtensorConfig>,
}

impl At {
	pub(crate) fn new(block: OnlineClientAtBlock<LuxtensorConfig>) -> Self {
		Self { block }
	}

	/// subxt's view of the block, for any storage item, constant or runtime API of the
	/// generated [`crate::api`].
	pub fn block(&self) -> &OnlineClientAtBlock<LuxtensorConfig> {
		&self.block
	}

	/// The block's hash.
	pub fn hash(&self) -> H256 {
		self.block.block_hash()
	}

	/// The block's number.
	pub fn number(&self) -> u64 {
		self.block.block_number()
	}

	/// Balances of `account` (zero for an account that does not exist).
	pub async fn balance(&self, account: &AccountId32) -> Result<AccountBalance, Error> {
		let address = api::storage().system().account();
		let info = self.block.storage().fetch(address, (*account,)).await?.decode()?;
		Ok(AccountBalance {
			free: info.data.free,
			reserved: info.data.reserved,
			frozen: info.data.frozen,
		})
	}

	/// The existential deposit.
	pub fn existential_deposit(&self) -> Result<u128, Error> {
		Ok(self.block.constants().entry(api::constants().balances().existential_deposit())?)
	}

	/// Every subnet, root included.
	pub async fn subnets(&self) -> Result<Vec<SubnetInfo>, Error> {
		let call = api::runtime_apis().subnets_api().subnets_info();
		Ok(self.block.runtime_apis().call(call).await?)
	}

	/// Subnet `netuid`, if it exists.
	pub async fn subnet(&self, netuid: NetUid) -> Result<Option<SubnetInfo>, Error> {
		let call = api::runtime_apis().subnets_api().subnet_info(netuid);
		Ok(self.block.runtime_apis().call(call).await?)
	}

	/// Subnet `netuid`, or an error naming it when it does not exist.
	pub async fn existing_subnet(&self, netuid: NetUid) -> Result<SubnetInfo, Error> {
		self.subnet(netuid).await?.ok_or_else(|| Error::Invalid(format!("no subnet {netuid}")))
	}

	/// The hyperparameters of subnet `netuid`.
	pub async fn hyperparameters(&self, netuid: NetUid) -> Result<Option<Hyperparameters>, Error> {
		let call = api::runtime_apis().subnets_api().hyperparameters(netuid);
		Ok(self.block.runtime_apis().call(call).await?)
	}

	/// What creating a subnet locks now.
	pub async fn network_lock_cost(&self) -> Result<u128, Error> {
		let call = api::runtime_apis().subnets_api().network_lock_cost();
		Ok(self.block.runtime_apis().call(call).await?)
	}

	/// What registering on subnet `netuid` burns now.
	pub async fn registration_cost(&self, netuid: NetUid) -> Result<Option<u128>, Error> {
		let call = api::runtime_apis().subnets_api().registration_cost(netuid);
		Ok(self.block.runtime_apis().call(call).await?)
	}

	/// The uid of `hotkey` on subnet `netuid`, if registered there.
	pub async fn uid_of(&self, netuid: NetUid, hotkey: &AccountId32) -> Result<Option<Uid>, Error> {
		let address = api::storage().registration().uids();
		let value = self.block.storage().try_fetch(address, (netuid, *hotkey)).await?;
		Ok(value.map(|value| value.decode()).transpose()?)
	}

	/// The coldkey owning `hotkey`, if claimed.
	pub async fn hotkey_owner(&self, hotkey: &AccountId32) -> Result<Option<AccountId32>, Error> {
		let address = api::storage().registration().hotkey_owners();
		let value = self.block.storage().try_fetch(address, (*hotkey,)).await?;
		Ok(value.map(|value| value.decode()).transpose()?)
	}

	/// The neuron at `uid` of subnet `netuid`.
	pub async fn neuron(&self, netuid: NetUid, uid: Uid) -> Result<Option<NeuronInfoLite>, Error> {
		let call = api::runtime_apis().neurons_api().neuron(netuid, uid);
		Ok(self.block.runtime_apis().call(call).await?)
	}

	/// One page of subnet `netuid`'s metagraph, with the `fields` asked for.
	pub async fn metagraph_page(
		&self,
		netuid: NetUid,
		fields: Vec<MetagraphField>,
		uids: UidRange,
	) -> Result<Option<SelectiveMetagraph>, Error> {
		let call = api::runtime_apis().neurons_api().selective_metagraph(netuid, fields, uids);
		Ok(self.block.runtime_apis().call(call).await?)
	}

	/// One page of delegates, in storage order after `start_after`.
	pub async fn delegates(
		&self,
		start_after: Option<AccountId32>,
		limit: u32,
	) -> Result<Vec<DelegateInfo>, Error> {
		let page = primitives::PageRequest { start_after, limit };
		let call = api::runtime_apis().stake_api().delegates(page);
		Ok(self.block.runtime_apis().call(call).await?)
	}

	/// The delegate `hotkey`.
	pub async fn delegate(&self, hotkey: &AccountId32) -> Result<Option<DelegateInfo>, Error> {
		let call = api::runtime_apis().stake_api().delegate(*hotkey);
		Ok(self.block.runtime_apis().call(call).await?)
	}

	/// Every stake position of `coldkey`.
	pub async fn stake_of_coldkey(
		&self,
		coldkey: &AccountId32,
	) -> Result<Vec<StakePosition>, Error> {
		let mut positions: Vec<StakePosition> = Vec::new();
		loop {
			let page = primitives::PageRequest {
				start_after: positions.last().map(|position| position.pool),
				limit: PAGE,
			};
			let call = api::runtime_apis().stake_api().stake_info_for_coldkey(*coldkey, page);
			let batch = self.block.runtime_apis().call(call).await?;
			let done = batch.len() < PAGE as usize;
			positions.extend(batch);
			if done {
				return Ok(positions);
			}
		}
	}

	/// Every delegate, through as many pages as it takes.
	pub async fn all_delegates(&self) -> Result<Vec<DelegateInfo>, Error> {
		let mut delegates: Vec<DelegateInfo> = Vec::new();
		loop {
			let batch = self.delegates(delegates.last().map(|d| d.hotkey), PAGE).await?;
			let done = batch.len() < PAGE as usize;
			delegates.extend(batch);
			if done {
				return Ok(delegates);
			}
		}
	}
}

/// The runtime APIs' page cap.
const PAGE: u32 = 256;
