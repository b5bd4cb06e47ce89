//! `metagraph_*` and `stake_*`: the metagraph and stake runtime APIs as JSON-RPC methods
//! with readable JSON (see [`super::json`]), read at the best block or at `at`. Every
//! listing comes a page at a time, capped by the runtime.

use super::json::{metagraph_json, parse_field, DelegateJson, NominatorJson, StakeJson};
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::INVALID_PARAMS_CODE, ErrorObjectOwned},
};
use luxtensor_primitives::{
	apis::{NeuronsApi, StakeApi},
	metagraph::{MetagraphField, UidRange, MAX_METAGRAPH_PAGE},
	stake::PoolId,
	subnets::{NetUid, Uid},
	AccountId, PageRequest, MAX_PAGE_SIZE,
};
use luxtensor_runtime::opaque::Block;
use polkadot_sdk::{
	sp_api::{ApiError, ProvideRuntimeApi},
	sp_blockchain::HeaderBackend,
	sp_core::crypto::Ss58Codec,
	sp_runtime::traits::Block as BlockT,
};
use serde::Deserialize;
use serde_json::Value;
use std::sync::Arc;

pub(super) type BlockHash = <Block as BlockT>::Hash;

/// Error code of a runtime API call that failed (the block is unknown or pruned, ...).
const RUNTIME_ERROR_CODE: i32 = 1;

/// Which uids of a metagraph to return: `limit` (default and most: 4096; pages with weights
/// or bonds stop at 256) from uid `start` (default 0).
#[derive(Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UidPageJson {
	pub start: Option<Uid>,
	pub limit: Option<u16>,
}

/// A page of a listing: up to `limit` entries (default 100, at most 256) after
/// `startAfter` (the last entry of the previous page).
#[derive(Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PageJson<Key> {
	pub start_after: Option<Key>,
	pub limit: Option<u32>,
}

/// A subnet's metagraph, a page of uids at a time.
#[rpc(server, namespace = "metagraph")]
pub trait MetagraphRpc {
	/// Every column of the subnet's metagraph for a page of uids (`firstUid` and `n` in
	/// the answer say where it is); `null` if there is no such subnet.
	#[method(name = "get")]
	fn get(
		&self,
		netuid: NetUid,
		page: Option<UidPageJson>,
		at: Option<BlockHash>,
	) -> RpcResult<Option<Value>>;

	/// Only the columns named in `fields` (`"stake"`, `"hotkeys"`, `"weights"`, ...: the
	/// keys of `metagraph_get`'s answer), for a page of uids; `null` if there is no such
	/// subnet.
	#[method(name = "selective")]
	fn selective(
		&self,
		netuid: NetUid,
		fields: Vec<String>,
		page: Option<UidPageJson>,
		at: Option<BlockHash>,
	) -> RpcResult<Option<Value>>;
}

/// Stake: delegates, their nominators and what coldkeys have staked, a page at a time.
#[rpc(server, namespace = "stake")]
pub trait StakeRpc {
	/// A page of the hotkeys holding stake, in storage order (`startAfter`: an SS58 hotkey).
	#[method(name = "delegates")]
	fn delegates(
		&self,
		page: Option<PageJson<String>>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<DelegateJson>>;

	/// One hotkey (SS58) with its take and registrations; `null` if it holds no stake.
	#[method(name = "delegate")]
	fn delegate(&self, hotkey: String, at: Option<BlockHash>) -> RpcResult<Option<DelegateJson>>;

	/// A page of the coldkeys staking on a hotkey (SS58), in storage order (`startAfter`:
	/// an SS58 coldkey).
	#[method(name = "nominators")]
	fn nominators(
		&self,
		hotkey: String,
		page: Option<PageJson<String>>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<NominatorJson>>;

	/// A page of a coldkey's (SS58) stakes, in storage order (`startAfter`: the last
	/// position's `pool`).
	#[method(name = "infoForColdkey")]
	fn info_for_coldkey(
		&self,
		coldkey: String,
		page: Option<PageJson<PoolId>>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<StakeJson>>;
}

/// Serves both namespaces from the client's runtime.
pub struct Views<C> {
	client: Arc<C>,
}

impl<C> Views<C> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

impl<C: HeaderBackend<Block>> Views<C> {
	pub(super) fn client(&self) -> &C {
		&self.client
	}

	pub(super) fn at(&self, at: Option<BlockHash>) -> BlockHash {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}
}

pub(super) fn invalid_params(message: String) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(INVALID_PARAMS_CODE, message, None::<()>)
}

pub(super) fn runtime_error(error: ApiError) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(RUNTIME_ERROR_CODE, format!("runtime API failed: {error}"), None::<()>)
}

/// The default number of entries of a page.
pub(super) const DEFAULT_PAGE_SIZE: u32 = 100;

/// `limit`, or the default, if within 1..=[`MAX_PAGE_SIZE`].
pub(super) fn page_size(limit: Option<u32>) -> RpcResult<u32> {
	match limit.unwrap_or(DEFAULT_PAGE_SIZE) {
		limit @ 1..=MAX_PAGE_SIZE => Ok(limit),
		limit => Err(invalid_params(format!("limit {limit} must be within 1..={MAX_PAGE_SIZE}"))),
	}
}

impl UidPageJson {
	pub(super) fn parse(page: Option<Self>) -> RpcResult<UidRange> {
		let page = page.unwrap_or_default();
		match page.limit.unwrap_or(MAX_METAGRAPH_PAGE) {
			limit @ 1..=MAX_METAGRAPH_PAGE => {
				Ok(UidRange { start: page.start.unwrap_or(0), limit })
			}
			limit => Err(invalid_params(format!(
				"limit {limit} must be within 1..={MAX_METAGRAPH_PAGE}"
			))),
		}
	}
}

impl PageJson<String> {
	pub(super) fn parse(page: Option<Self>) -> RpcResult<PageRequest<AccountId>> {
		let page = page.unwrap_or_default();
		let start_after = page.start_after.as_deref().map(account).transpose()?;
		Ok(PageRequest { start_after, limit: page_size(page.limit)? })
	}
}

impl PageJson<PoolId> {
	pub(super) fn parse(page: Option<Self>) -> RpcResult<PageRequest<PoolId>> {
		let page = page.unwrap_or_default();
		Ok(PageRequest { start_after: page.start_after, limit: page_size(page.limit)? })
	}
}

pub(super) fn account(ss58: &str) -> RpcResult<AccountId> {
	AccountId::from_ss58check(ss58)
		.map_err(|error| invalid_params(format!("'{ss58}' is not an SS58 address: {error}")))
}

impl<C> MetagraphRpcServer for Views<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: NeuronsApi<Block, AccountId>,
{
	fn get(
		&self,
		netuid: NetUid,
		page: Option<UidPageJson>,
		at: Option<BlockHash>,
	) -> RpcResult<Option<Value>> {
		self.metagraph(netuid, MetagraphField::ALL.to_vec(), page, at)
	}

	fn selective(
		&self,
		netuid: NetUid,
		fields: Vec<String>,
		page: Option<UidPageJson>,
		at: Option<BlockHash>,
	) -> RpcResult<Option<Value>> {
		let fields = fields
			.iter()
			.map(|name| parse_field(name))
			.collect::<Result<Vec<_>, _>>()
			.map_err(invalid_params)?;
		self.metagraph(netuid, fields, page, at)
	}
}

impl<C> Views<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: NeuronsApi<Block, AccountId>,
{
	fn metagraph(
		&self,
		netuid: NetUid,
		fields: Vec<MetagraphField>,
		page: Option<UidPageJson>,
		at: Option<BlockHash>,
	) -> RpcResult<Option<Value>> {
		let uids = UidPageJson::parse(page)?;
		let metagraph =
			self.client.runtime_api().selective_metagraph(self.at(at), netuid, fields, uids);
		Ok(metagraph.map_err(runtime_error)?.as_ref().map(metagraph_json))
	}
}

impl<C> StakeRpcServer for Views<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: StakeApi<Block, AccountId>,
{
	fn delegates(
		&self,
		page: Option<PageJson<String>>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<DelegateJson>> {
		let page = PageJson::<String>::parse(page)?;
		let delegates =
			self.client.runtime_api().delegates(self.at(at), page).map_err(runtime_error)?;
		Ok(delegates.into_iter().map(DelegateJson::from).collect())
	}

	fn delegate(&self, hotkey: String, at: Option<BlockHash>) -> RpcResult<Option<DelegateJson>> {
		let hotkey = account(&hotkey)?;
		let delegate =
			self.client.runtime_api().delegate(self.at(at), hotkey).map_err(runtime_error)?;
		Ok(delegate.map(DelegateJson::from))
	}

	fn nominators(
		&self,
		hotkey: String,
		page: Option<PageJson<String>>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<NominatorJson>> {
		let hotkey = account(&hotkey)?;
		let page = PageJson::<String>::parse(page)?;
		let nominators = self
			.client
			.runtime_api()
			.nominators(self.at(at), hotkey, page)
			.map_err(runtime_error)?;
		Ok(nominators.into_iter().map(NominatorJson::from).collect())
	}

	fn info_for_coldkey(
		&self,
		coldkey: String,
		page: Option<PageJson<PoolId>>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<StakeJson>> {
		let coldkey = account(&coldkey)?;
		let page = PageJson::<PoolId>::parse(page)?;
		let stakes = self
			.client
			.runtime_api()
			.stake_info_for_coldkey(self.at(at), coldkey, page)
			.map_err(runtime_error)?;
		Ok(stakes.into_iter().map(StakeJson::from).collect())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn pages_default_to_the_caps_and_refuse_limits_beyond_them() {
		assert_eq!(UidPageJson::parse(None).expect("valid"), UidRange::ALL);
		let from_100 = UidPageJson { start: Some(100), limit: Some(50) };
		assert_eq!(
			UidPageJson::parse(Some(from_100)).expect("valid"),
			UidRange { start: 100, limit: 50 }
		);
		let too_many = UidPageJson { start: None, limit: Some(MAX_METAGRAPH_PAGE + 1) };
		assert!(UidPageJson::parse(Some(too_many)).is_err());
		let page = PageJson::<PoolId>::parse(None).expect("valid");
		assert_eq!((page.start_after, page.limit), (None, DEFAULT_PAGE_SIZE));
		let zero = PageJson::<PoolId> { start_after: Some(3), limit: Some(0) };
		assert!(PageJson::<PoolId>::parse(Some(zero)).is_err());
		let bad_key =
			PageJson::<String> { start_after: Some("not-an-address".into()), limit: None };
		assert!(PageJson::<String>::parse(Some(bad_key)).is_err());
	}
}
