//! What both agents read from and send to the chain, over `luxtensor-client`.

use crate::metrics::Metrics;
use anyhow::{Context, Result};
use codec::Encode;
use luxtensor_client::{
	api::{
		self,
		runtime_types::luxtensor_primitives::compute::{
			JobFilter, JobInfo, JobStatus, ModelInfo, ProviderFilter, ProviderInfo,
		},
	},
	subxt::tx::Payload,
	types::{AccountId32, NetUid, H256},
	At, Client, Keypair, Wait,
};
use std::{
	collections::HashMap,
	sync::{Arc, Mutex},
};

/// Most records the runtime APIs return per page.
const PAGE: u32 = 256;

/// A connection, the hotkey that signs, and which transactions are still on their way.
#[derive(Clone)]
pub struct Chain {
	pub client: Client,
	pub hotkey: Arc<Keypair>,
	pub me: AccountId32,
	pub metrics: Arc<Metrics>,
	/// Actions sent and the block they were sent at: not sent again while the pool may still
	/// include them (see [`Chain::send_once`]).
	in_flight: Arc<Mutex<HashMap<String, u64>>>,
}

/// Blocks an action sent to the pool is given to appear on chain before it is sent again.
const RESEND_AFTER: u64 = 4;

impl Chain {
	pub fn new(client: Client, hotkey: Keypair, metrics: Arc<Metrics>) -> Self {
		let me = hotkey.account_id();
		Self { client, hotkey: Arc::new(hotkey), me, metrics, in_flight: Default::default() }
	}

	/// The best block.
	pub async fn best(&self) -> Result<At> {
		Ok(self.client.at_best().await?)
	}

	/// Sends `call` signed by the hotkey unless the same `action` was sent in the last
	/// [`RESEND_AFTER`] blocks; returns whether it was sent. Only the pool's verdict is awaited:
	/// the agents read the outcome from the chain's state in the next blocks, so a call that
	/// did not land is simply sent again.
	pub async fn send_once<Call: Payload>(
		&self,
		action: String,
		now: u64,
		call: &Call,
	) -> Result<bool> {
		{
			let mut in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
			if in_flight.get(&action).is_some_and(|sent| now < sent.saturating_add(RESEND_AFTER)) {
				return Ok(false);
			}
			in_flight.insert(action.clone(), now);
		}
		match self.client.submit(call, &self.hotkey, Wait::Pool, |_| {}).await {
			Ok(_) => {
				tracing::info!(action = %action, block = now, "sent");
				self.metrics.inc("transactions_sent_total");
				Ok(true)
			}
			Err(error) => {
				self.metrics.inc("transaction_errors_total");
				Err(anyhow::Error::from(error).context(format!("{action} refused")))
			}
		}
	}

	/// [`Chain::send_once`], a refusal logged: whether it was sent.
	pub async fn send<Call: Payload>(&self, action: String, now: u64, call: &Call) -> bool {
		match self.send_once(action, now, call).await {
			Ok(sent) => sent,
			Err(error) => {
				tracing::warn!(error = %format!("{error:#}"), "transaction refused");
				false
			}
		}
	}

	/// Sends `call` signed by `signer` and waits for it in a block: for one-off setup steps.
	pub async fn send_included<Call: Payload>(
		&self,
		what: &str,
		call: &Call,
		signer: &Keypair,
	) -> Result<()> {
		self.client
			.submit(call, signer, Wait::InBlock, |_| {})
			.await
			.with_context(|| format!("{what} failed"))?;
		tracing::info!(what, "included");
		Ok(())
	}

	/// A runtime storage parameter (`twox128(":Name:")`, a SCALE u32), or `default` when root
	/// never set it.
	pub async fn parameter(&self, at: &At, name: &str, default: u32) -> Result<u32> {
		let key = sp_crypto_hashing::twox_128(format!(":{name}:").as_bytes()).to_vec();
		match at.block().storage().fetch_raw(key).await {
			Ok(bytes) => Ok(<u32 as codec::Decode>::decode(&mut &bytes[..]).unwrap_or(default)),
			Err(_) => Ok(default),
		}
	}
}

/// Every record of a paged runtime API: `page(start_after)` asks for the page after a
/// cursor, `cursor(record)` is the cursor a record ends its page with.
async fn all_pages<T, C, F, Fut>(mut page: F, cursor: impl Fn(&T) -> C) -> Result<Vec<T>>
where
	F: FnMut(Option<C>) -> Fut,
	Fut: std::future::Future<Output = Result<Vec<T>>>,
{
	let mut all = Vec::new();
	let mut start_after = None;
	loop {
		let records = page(start_after).await?;
		let full = records.len() as u32 >= PAGE;
		start_after = records.last().map(&cursor);
		all.extend(records);
		if !full {
			return Ok(all);
		}
	}
}

/// Every job matching the filter's fields.
pub async fn jobs(
	at: &At,
	poster: Option<AccountId32>,
	provider: Option<AccountId32>,
	status: Option<JobStatus>,
) -> Result<Vec<JobInfo<AccountId32>>> {
	all_pages(
		|start_after| {
			let filter =
				JobFilter { poster, provider, status: status.clone(), start_after, limit: PAGE };
			let call = api::runtime_apis().compute_api().jobs(filter);
			async move { at.block().runtime_apis().call(call).await.context("compute_api.jobs") }
		},
		|job| job.id,
	)
	.await
}

/// One provider, by hotkey.
pub async fn provider(at: &At, hotkey: &AccountId32) -> Result<Option<ProviderInfo<AccountId32>>> {
	let call = api::runtime_apis().compute_api().provider(*hotkey);
	at.block().runtime_apis().call(call).await.context("compute_api.provider")
}

/// Every provider of subnet `netuid`.
pub async fn providers(at: &At, netuid: NetUid) -> Result<Vec<ProviderInfo<AccountId32>>> {
	all_pages(
		|start_after| {
			let filter = ProviderFilter {
				netuid: Some(netuid),
				status: None,
				gpu_model: None,
				min_class: None,
				start_after,
				limit: PAGE,
			};
			let call = api::runtime_apis().compute_api().providers(filter);
			async move { at.block().runtime_apis().call(call).await.context("compute_api.providers") }
		},
		|provider| provider.hotkey,
	)
	.await
}

/// One registered model.
pub async fn model(at: &At, id: u32) -> Result<Option<ModelInfo<AccountId32>>> {
	let call = api::runtime_apis().compute_api().model(id);
	at.block().runtime_apis().call(call).await.context("compute_api.model")
}

/// `blake2_256((job, account, result_hash, salt).encode())`: what a replica commits with
/// `commit_result` and a reviewer with `review_commit`.
pub fn result_commitment(
	job: u64,
	account: &AccountId32,
	result_hash: H256,
	salt: [u8; 32],
) -> H256 {
	H256(sp_crypto_hashing::blake2_256(&(job, account.0, result_hash, salt).encode()))
}

/// `blake2_256((provider, score, verdict, salt).encode())`: an attestor's commitment.
pub fn attestation_commitment(
	provider: &AccountId32,
	score: u32,
	verdict: bool,
	salt: [u8; 32],
) -> H256 {
	H256(sp_crypto_hashing::blake2_256(&(provider.0, score, verdict, salt).encode()))
}

/// 32 random bytes for a commitment's salt.
pub fn random_salt() -> Result<[u8; 32]> {
	let mut salt = [0u8; 32];
	getrandom::getrandom(&mut salt).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
	Ok(salt)
}

/// A content id as the chain stores it (ASCII text).
pub fn cid_text(bytes: &[u8]) -> String {
	String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn commitments_bind_every_field() {
		let account = AccountId32([1; 32]);
		let hash = H256([2; 32]);
		let base = result_commitment(5, &account, hash, [3; 32]);
		assert_ne!(base, result_commitment(6, &account, hash, [3; 32]));
		assert_ne!(base, result_commitment(5, &AccountId32([9; 32]), hash, [3; 32]));
		assert_ne!(base, result_commitment(5, &account, H256([0; 32]), [3; 32]));
		assert_ne!(base, result_commitment(5, &account, hash, [4; 32]));
		// The runtime hashes `(JobId, AccountId, H256, [u8; 32])`: 8 + 32 + 32 + 32 bytes.
		let mut encoded = 5u64.to_le_bytes().to_vec();
		encoded.extend([1; 32]);
		encoded.extend([2; 32]);
		encoded.extend([3; 32]);
		assert_eq!(base, H256(sp_crypto_hashing::blake2_256(&encoded)));

		let attest = attestation_commitment(&account, 700, true, [3; 32]);
		let mut encoded = [1u8; 32].to_vec();
		encoded.extend(700u32.to_le_bytes());
		encoded.push(1);
		encoded.extend([3; 32]);
		assert_eq!(attest, H256(sp_crypto_hashing::blake2_256(&encoded)));
	}
}
