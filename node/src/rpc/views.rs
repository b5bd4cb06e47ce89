//! `metagraph_*` and `stake_*`: the metagraph and stake runtime APIs as JSON-RPC methods
//! with readable JSON (see [`super::json`]), read at the best block or at `at`.

use super::json::{parse_field, DelegateJson, MetagraphJson, StakeJson};
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::INVALID_PARAMS_CODE, ErrorObjectOwned},
};
use luxtensor_primitives::{
	apis::{NeuronsApi, StakeApi},
	metagraph::MetagraphField,
	subnets::NetUid,
	AccountId,
};
use luxtensor_runtime::opaque::Block;
use polkadot_sdk::{
	sp_api::{ApiError, ProvideRuntimeApi},
	sp_blockchain::HeaderBackend,
	sp_core::crypto::Ss58Codec,
	sp_runtime::traits::Block as BlockT,
};
use std::sync::Arc;

pub(super) type BlockHash = <Block as BlockT>::Hash;

/// Error code of a runtime API call that failed (the block is unknown or pruned, ...).
const RUNTIME_ERROR_CODE: i32 = 1;

/// A subnet's metagraph.
#[rpc(server, namespace = "metagraph")]
pub trait MetagraphRpc {
	/// Every column of the subnet's metagraph; `null` if there is no such subnet.
	#[method(name = "get")]
	fn get(&self, netuid: NetUid, at: Option<BlockHash>) -> RpcResult<Option<MetagraphJson>>;

	/// Only the columns named in `fields` (`"stake"`, `"hotkeys"`, `"weights"`, ...: the
	/// keys of `metagraph_get`'s answer); `null` if there is no such subnet.
	#[method(name = "selective")]
	fn selective(
		&self,
		netuid: NetUid,
		fields: Vec<String>,
		at: Option<BlockHash>,
	) -> RpcResult<Option<MetagraphJson>>;
}

/// Stake: delegates and what coldkeys have staked.
#[rpc(server, namespace = "stake")]
pub trait StakeRpc {
	/// Every hotkey holding stake, most stake first.
	#[method(name = "delegates")]
	fn delegates(&self, at: Option<BlockHash>) -> RpcResult<Vec<DelegateJson>>;

	/// One hotkey (SS58) with its take and nominators; `null` if it holds no stake.
	#[method(name = "delegate")]
	fn delegate(&self, hotkey: String, at: Option<BlockHash>) -> RpcResult<Option<DelegateJson>>;

	/// Every stake of a coldkey (SS58), most stake first.
	#[method(name = "infoForColdkey")]
	fn info_for_coldkey(&self, coldkey: String, at: Option<BlockHash>)
		-> RpcResult<Vec<StakeJson>>;
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

pub(super) fn account(ss58: &str) -> RpcResult<AccountId> {
	AccountId::from_ss58check(ss58)
		.map_err(|error| invalid_params(format!("'{ss58}' is not an SS58 address: {error}")))
}

impl<C> MetagraphRpcServer for Views<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: NeuronsApi<Block, AccountId>,
{
	fn get(&self, netuid: NetUid, at: Option<BlockHash>) -> RpcResult<Option<MetagraphJson>> {
		let all = MetagraphField::ALL.to_vec();
		let metagraph = self.client.runtime_api().selective_metagraph(self.at(at), netuid, all);
		Ok(metagraph.map_err(runtime_error)?.map(MetagraphJson::from))
	}

	fn selective(
		&self,
		netuid: NetUid,
		fields: Vec<String>,
		at: Option<BlockHash>,
	) -> RpcResult<Option<MetagraphJson>> {
		let fields = fields
			.iter()
			.map(|name| parse_field(name))
			.collect::<Result<Vec<_>, _>>()
			.map_err(invalid_params)?;
		let metagraph = self.client.runtime_api().selective_metagraph(self.at(at), netuid, fields);
		Ok(metagraph.map_err(runtime_error)?.map(MetagraphJson::from))
	}
}

impl<C> StakeRpcServer for Views<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: StakeApi<Block, AccountId>,
{
	fn delegates(&self, at: Option<BlockHash>) -> RpcResult<Vec<DelegateJson>> {
		let delegates = self.client.runtime_api().delegates(self.at(at)).map_err(runtime_error)?;
		Ok(delegates.into_iter().map(DelegateJson::from).collect())
	}

	fn delegate(&self, hotkey: String, at: Option<BlockHash>) -> RpcResult<Option<DelegateJson>> {
		let hotkey = account(&hotkey)?;
		let delegate =
			self.client.runtime_api().delegate(self.at(at), hotkey).map_err(runtime_error)?;
		Ok(delegate.map(DelegateJson::from))
	}

	fn info_for_coldkey(
		&self,
		coldkey: String,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<StakeJson>> {
		let coldkey = account(&coldkey)?;
		let stakes = self
			.client
			.runtime_api()
			.stake_info_for_coldkey(self.at(at), coldkey)
			.map_err(runtime_error)?;
		Ok(stakes.into_iter().map(StakeJson::from).collect())
	}
}
