//! The node's JSON-RPC methods beyond Substrate's defaults (system, author, chain, state):
//! account nonces, transaction fees, BABE (`babe_epochAuthorship`), GRANDPA
//! (`grandpa_roundState`, `grandpa_proveFinality`, justification subscription), and
//! LuxTensor's own views: `metagraph_get`, `metagraph_selective`, `stake_delegates`,
//! `stake_delegate`, `stake_infoForColdkey`, and the compute market's `compute_providers`,
//! `compute_provider`, `compute_models`, `compute_model`, `compute_networkMetrics`,
//! `compute_job`, `compute_jobs` and `compute_quote`.

mod compute;
#[cfg(test)]
mod fuzz;
mod json;
mod views;

use jsonrpsee::RpcModule;
use luxtensor_primitives::{
	apis::{ComputeApi, NeuronsApi, StakeApi},
	AccountId, Balance, Nonce,
};
use luxtensor_runtime::opaque::Block;
use polkadot_sdk::{
	sc_consensus_babe::BabeWorkerHandle,
	sc_consensus_grandpa::{
		FinalityProofProvider, GrandpaJustificationStream, SharedAuthoritySet, SharedVoterState,
	},
	sc_rpc::SubscriptionTaskExecutor,
	sc_transaction_pool_api::TransactionPool,
	sp_api::ProvideRuntimeApi,
	sp_block_builder::BlockBuilder,
	sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata},
	sp_consensus::SelectChain,
	sp_consensus_babe::BabeApi,
	sp_keystore::KeystorePtr,
	*,
};
use std::sync::Arc;

/// What the BABE RPC needs.
pub struct BabeDeps {
	/// Answers epoch queries from the BABE worker.
	pub babe_worker_handle: BabeWorkerHandle<Block>,
	/// Where this node's BABE keys are, for `babe_epochAuthorship`.
	pub keystore: KeystorePtr,
}

/// What the GRANDPA RPC needs.
pub struct GrandpaDeps<B> {
	pub shared_voter_state: SharedVoterState,
	pub shared_authority_set: SharedAuthoritySet<<Block as sp_runtime::traits::Block>::Hash, u32>,
	pub justification_stream: GrandpaJustificationStream<Block>,
	pub subscription_executor: SubscriptionTaskExecutor,
	pub finality_provider: Arc<FinalityProofProvider<B, Block>>,
}

/// Everything the RPC extensions need.
pub struct FullDeps<C, P, SC, B> {
	pub client: Arc<C>,
	pub pool: Arc<P>,
	pub select_chain: SC,
	pub babe: BabeDeps,
	pub grandpa: GrandpaDeps<B>,
}

/// Builds the RPC methods LuxTensor adds to Substrate's defaults.
pub fn create_full<C, P, SC, B>(
	FullDeps { client, pool, select_chain, babe, grandpa }: FullDeps<C, P, SC, B>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>
		+ pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>
		+ BabeApi<Block>
		+ BlockBuilder<Block>
		+ NeuronsApi<Block, AccountId>
		+ StakeApi<Block, AccountId>
		+ ComputeApi<Block, AccountId>,
	P: TransactionPool + 'static,
	SC: SelectChain<Block> + 'static,
	B: sc_client_api::Backend<Block> + Send + Sync + 'static,
	B::State: sc_client_api::StateBackend<sp_runtime::traits::HashingFor<Block>>,
{
	use compute::ComputeRpcServer;
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use sc_consensus_babe_rpc::{Babe, BabeApiServer};
	use sc_consensus_grandpa_rpc::{Grandpa, GrandpaApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};
	use views::{MetagraphRpcServer, StakeRpcServer, Views};

	let mut module = RpcModule::new(());

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(MetagraphRpcServer::into_rpc(Views::new(client.clone())))?;
	module.merge(StakeRpcServer::into_rpc(Views::new(client.clone())))?;
	module.merge(ComputeRpcServer::into_rpc(Views::new(client.clone())))?;
	module.merge(
		Babe::new(client, babe.babe_worker_handle, babe.keystore, select_chain).into_rpc(),
	)?;
	module.merge(
		Grandpa::new(
			grandpa.subscription_executor,
			grandpa.shared_authority_set,
			grandpa.shared_voter_state,
			grandpa.justification_stream,
			grandpa.finality_provider,
		)
		.into_rpc(),
	)?;

	Ok(module)
}
