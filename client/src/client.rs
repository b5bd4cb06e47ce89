//! The connection to a node: connecting with timeouts and retries, block views for reads,
//! and transactions whose wait (pool, block, finality) is explicit and whose nonces are
//! managed for several in flight from one account.

use crate::{
	config::LuxtensorConfig,
	error::{first_paragraph, Error, PalletError},
	keys::Keypair,
	At,
};
use std::{
	collections::HashMap,
	future::Future,
	sync::{Arc, RwLock},
	time::Duration,
};
use subxt::{
	backend::{BlockRef, LegacyBackend},
	config::{DefaultExtrinsicParamsBuilder, RpcConfigFor},
	error::{DispatchError, TransactionEventsError},
	rpcs::{LegacyRpcMethods, RpcClient},
	transactions::{Payload, TransactionInvalid, TransactionStatus, ValidationResult},
	utils::{AccountId32, H256},
	OnlineClient,
};

/// subxt's client for LuxTensor.
pub type Api = OnlineClient<LuxtensorConfig>;
/// The node's legacy JSON-RPC methods (`system_*`, `chain_*`, `author_*`).
pub type Rpc = LegacyRpcMethods<RpcConfigFor<LuxtensorConfig>>;

/// How to reach the node.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
	/// `ws://` or `wss://` endpoint.
	pub url: String,
	/// How long one attempt (connecting, or a read) may take.
	pub timeout: Duration,
	/// Attempts after the first one fails on a connection error.
	pub retries: u32,
	/// Wait before the first retry; doubled after each (at most 30 s).
	pub backoff: Duration,
}

impl ConnectOptions {
	/// `url` with 30 s timeouts and 4 retries from 500 ms.
	pub fn new(url: impl Into<String>) -> Self {
		Self {
			url: url.into(),
			timeout: Duration::from_secs(30),
			retries: 4,
			backoff: Duration::from_millis(500),
		}
	}
}

/// How long [`Client::submit`] waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
	/// Until the pool has accepted it: no events, no outcome.
	Pool,
	/// Until it is in a best block: events, and its success or failure.
	InBlock,
	/// Until that block is finalized.
	Finalized,
}

/// A stage a transaction reached, reported while [`Client::submit`] waits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
	/// Accepted by the pool.
	Pooled,
	/// In a best block.
	InBlock(H256),
	/// In a finalized block.
	Finalized(H256),
}

/// One event a transaction emitted.
#[derive(Debug, Clone)]
pub struct TxEvent {
	pub pallet: String,
	pub name: String,
	/// The fields, as subxt's dynamic value.
	pub fields: subxt::ext::scale_value::Value,
}

/// What a submitted transaction came to.
#[derive(Debug, Clone)]
pub struct TxOutcome {
	/// The extrinsic's hash.
	pub hash: H256,
	/// The nonce it was signed with.
	pub nonce: u64,
	/// The block it is in (not with [`Wait::Pool`]).
	pub block: Option<H256>,
	/// Its events (not with [`Wait::Pool`]).
	pub events: Vec<TxEvent>,
}

impl TxOutcome {
	/// Whether it emitted `pallet::name`.
	pub fn has_event(&self, pallet: &str, name: &str) -> bool {
		self.events.iter().any(|event| event.pallet == pallet && event.name == name)
	}
}

#[derive(Clone)]
struct Connection {
	api: Api,
	rpc: Rpc,
	raw: RpcClient,
}

struct Shared {
	options: ConnectOptions,
	connection: RwLock<Connection>,
	/// The next nonce of each account that has sent through this client.
	nonces: tokio::sync::Mutex<HashMap<[u8; 32], u64>>,
}

/// A connection to a LuxTensor node. Cheap to clone; clones share the connection and the
/// nonces.
#[derive(Clone)]
pub struct Client {
	shared: Arc<Shared>,
}

impl Client {
	/// Connects to `url` with the default timeouts and retries.
	pub async fn connect(url: &str) -> Result<Self, Error> {
		Self::connect_with(ConnectOptions::new(url)).await
	}

	/// Connects, retrying with backoff while the node is unreachable.
	pub async fn connect_with(options: ConnectOptions) -> Result<Self, Error> {
		let connection = open(&options).await?;
		Ok(Self {
			shared: Arc::new(Shared {
				options,
				connection: RwLock::new(connection),
				nonces: tokio::sync::Mutex::new(HashMap::new()),
			}),
		})
	}

	/// The endpoint.
	pub fn url(&self) -> &str {
		&self.shared.options.url
	}

	/// subxt's client, for anything the generated [`crate::api`] offers.
	pub fn api(&self) -> Api {
		self.connection().api
	}

	/// The legacy JSON-RPC methods.
	pub fn rpc(&self) -> Rpc {
		self.connection().rpc
	}

	fn connection(&self) -> Connection {
		self.shared.connection.read().unwrap_or_else(|e| e.into_inner()).clone()
	}

	/// A JSON-RPC method's answer as JSON, such as the node's own `metagraph_*`, `stake_*`
	/// and `compute_*` methods. Retried on connection errors, so only for reads.
	pub async fn request_json(
		&self,
		method: &str,
		params: Vec<serde_json::Value>,
	) -> Result<serde_json::Value, Error> {
		self.retry(|client| {
			let params = params.clone();
			async move {
				let mut rpc_params = subxt::rpcs::client::RpcParams::new();
				for param in params {
					rpc_params.push(param)?;
				}
				match client.connection().raw.request(method, rpc_params).await {
					Ok(answer) => Ok(answer),
					// The node refused the parameters: its message names the problem.
					Err(subxt::rpcs::Error::User(refused)) => Err(Error::Invalid(refused.message)),
					Err(error) => Err(error.into()),
				}
			}
		})
		.await
	}

	/// Replaces the connection with a new one (after the node went away).
	pub async fn reconnect(&self) -> Result<(), Error> {
		let connection = open(&self.shared.options).await?;
		*self.shared.connection.write().unwrap_or_else(|e| e.into_inner()) = connection;
		Ok(())
	}

	/// Runs `read`, and on a connection error reconnects and runs it again, with backoff,
	/// up to the configured retries; each attempt is bounded by the timeout. Only for reads:
	/// [`Client::submit`] never retries.
	pub async fn retry<T, F, Fut>(&self, read: F) -> Result<T, Error>
	where
		F: Fn(Client) -> Fut,
		Fut: Future<Output = Result<T, Error>>,
	{
		let options = &self.shared.options;
		let mut backoff = options.backoff;
		let mut attempt = 0;
		loop {
			let result = match tokio::time::timeout(options.timeout, read(self.clone())).await {
				Ok(result) => result,
				Err(_) => Err(Error::Timeout(options.timeout)),
			};
			match result {
				Err(error) if error.is_connection() && attempt < options.retries => {
					attempt += 1;
					tokio::time::sleep(backoff).await;
					backoff = (backoff * 2).min(MAX_BACKOFF);
					// A failed reconnect is retried by the next attempt.
					let _ = self.reconnect().await;
				}
				result => return result,
			}
		}
	}

	/// A view of the best block, for reads at one block hash.
	pub async fn at_best(&self) -> Result<At, Error> {
		self.retry(|client| async move {
			let hash = client
				.rpc()
				.chain_get_block_hash(None)
				.await?
				.ok_or_else(|| Error::Invalid("the node has no best block".into()))?;
			client.at_hash(hash).await
		})
		.await
	}

	/// A view of the last finalized block.
	pub async fn at_finalized(&self) -> Result<At, Error> {
		self.retry(|client| async move {
			let hash = client.rpc().chain_get_finalized_head().await?;
			client.at_hash(hash).await
		})
		.await
	}

	/// A view of the block `hash`.
	pub async fn at(&self, hash: H256) -> Result<At, Error> {
		self.retry(|client| async move { client.at_hash(hash).await }).await
	}

	/// A view of block `number` of the best chain.
	pub async fn at_number(&self, number: u32) -> Result<At, Error> {
		self.retry(|client| async move {
			let hash = client
				.rpc()
				.chain_get_block_hash(Some(number.into()))
				.await?
				.ok_or_else(|| Error::Invalid(format!("no block #{number}")))?;
			client.at_hash(hash).await
		})
		.await
	}

	async fn at_hash(&self, hash: H256) -> Result<At, Error> {
		let block = self.api().at_block(BlockRef::from_hash(hash)).await?;
		Ok(At::new(block))
	}

	/// Reserves the nonce of `account`'s next transaction: the pool's next index the first
	/// time (or after a reset), then one more for each reservation, so several transactions
	/// can be signed and in flight at once.
	pub async fn reserve_nonce(&self, account: &AccountId32) -> Result<u64, Error> {
		let mut nonces = self.shared.nonces.lock().await;
		let nonce = match nonces.get(&account.0) {
			Some(nonce) => *nonce,
			None => {
				let account = *account;
				self.retry(|client| async move {
					Ok(client.rpc().system_account_next_index(&account).await?)
				})
				.await?
			}
		};
		nonces.insert(account.0, nonce.saturating_add(1));
		Ok(nonce)
	}

	/// Forgets the counted nonce of `account`, so the next transaction asks the pool again
	/// (after one that never reached the pool, whose nonce the next one must take).
	pub async fn reset_nonce(&self, account: &AccountId32) {
		self.shared.nonces.lock().await.remove(&account.0);
	}

	/// Signs `call` with `signer`, checks it against the best block's pool rules, submits
	/// it and waits as asked, reporting each stage to `progress`. A call the pool or the
	/// runtime refuses fails with the pallet error (`Pallet::Error: doc`), an unfunded
	/// signer with [`Error::Unfunded`]. Never retried: after a connection failure past the
	/// send, [`Error::MaybeIncluded`] says so.
	pub async fn submit<Call: Payload>(
		&self,
		call: &Call,
		signer: &Keypair,
		wait: Wait,
		mut progress: impl FnMut(Progress),
	) -> Result<TxOutcome, Error> {
		let account = signer.account_id();
		let at = self.at_best().await?;
		let nonce = self.reserve_nonce(&account).await?;
		let (hash, mut watch) = match self.sign_and_send(&at, call, signer, nonce).await {
			Ok(sent) => sent,
			Err(error) => {
				// The nonce never reached the pool: the next transaction must take it.
				if !matches!(error, Error::MaybeIncluded { .. }) {
					self.reset_nonce(&account).await;
				}
				return Err(error);
			}
		};

		while let Some(status) = watch.next().await {
			let status = match status {
				Ok(status) => status,
				Err(error) => return Err(Error::MaybeIncluded { hash, reason: error.to_string() }),
			};
			match status {
				TransactionStatus::Validated | TransactionStatus::Broadcasted => {
					progress(Progress::Pooled);
					if wait == Wait::Pool {
						return Ok(TxOutcome { hash, nonce, block: None, events: Vec::new() });
					}
				}
				TransactionStatus::NoLongerInBestBlock => {}
				TransactionStatus::InBestBlock(in_block) => {
					progress(Progress::InBlock(in_block.block_hash()));
					if wait == Wait::InBlock {
						return included(&at, hash, nonce, in_block).await;
					}
				}
				TransactionStatus::InFinalizedBlock(in_block) => {
					progress(Progress::Finalized(in_block.block_hash()));
					return included(&at, hash, nonce, in_block).await;
				}
				TransactionStatus::Invalid { message }
				| TransactionStatus::Dropped { message }
				| TransactionStatus::Error { message } => {
					self.reset_nonce(&account).await;
					return Err(Error::Pool(message));
				}
			}
		}
		Err(Error::MaybeIncluded { hash, reason: "the node stopped reporting its status".into() })
	}

	/// Signs `call` with `nonce`, checks it against the best block's pool rules (so a
	/// refused call costs nothing and is named), and submits it.
	///
	/// The transaction's era starts at the finalized block: one starting at a best block
	/// that a fork then replaces makes the pool refuse the signature. Only when finality
	/// lags by more than half the mortality does the era start at the best block.
	async fn sign_and_send<Call: Payload>(
		&self,
		at: &At,
		call: &Call,
		signer: &Keypair,
		nonce: u64,
	) -> Result<(H256, Watch), Error> {
		let finalized = self.at_finalized().await?;
		let (birth, birth_hash) = if at.number().saturating_sub(finalized.number()) <= MORTALITY / 2
		{
			(finalized.number(), finalized.hash())
		} else {
			(at.number(), at.hash())
		};
		let params = DefaultExtrinsicParamsBuilder::<LuxtensorConfig>::new()
			.nonce(nonce)
			.mortal_from_unchecked(MORTALITY, birth, birth_hash)
			.build();
		let signed = at.block().transactions().create_signed(call, signer, params).await?;
		let hash = signed.hash();
		match signed.validate().await? {
			ValidationResult::Valid(_) => {}
			ValidationResult::Invalid(invalid) => {
				return Err(self
					.invalid(at, call.pallet_name(), invalid, &signer.account_id())
					.await)
			}
			ValidationResult::Unknown(unknown) => return Err(Error::Pool(format!("{unknown:?}"))),
		}
		match signed.submit_and_watch().await {
			Ok(watch) => Ok((hash, watch)),
			Err(error) => {
				let error = Error::from(error);
				if error.is_connection() {
					return Err(Error::MaybeIncluded { hash, reason: error.to_string() });
				}
				Err(decode_pool_message(at, call.pallet_name(), error))
			}
		}
	}

	/// An `InvalidTransaction` from the pool, named: `Custom(n)` is error `n` of the call's
	/// pallet (the runtime's pool guards reject that way), `Payment` an unfunded account or
	/// one that cannot pay the fee.
	async fn invalid(
		&self,
		at: &At,
		pallet: &str,
		invalid: TransactionInvalid,
		account: &AccountId32,
	) -> Error {
		match invalid {
			TransactionInvalid::Custom(index) =>
				match PalletError::from_index(at.block().metadata_ref(), pallet, index) {
					Some(error) => Error::Pallet(error),
					None => Error::Pool(format!("Custom error: {index}")),
				},
			TransactionInvalid::Payment => match at.balance(account).await {
				Ok(balance) if balance.free == 0 => Error::Unfunded {
					account: account.to_string(),
					existential_deposit: at.existential_deposit().unwrap_or_default(),
				},
				_ => Error::CannotPayFee { account: account.to_string() },
			},
			TransactionInvalid::Stale => Error::Pool(
				"the nonce is already used (another transaction from this account got there first)"
					.into(),
			),
			TransactionInvalid::ExhaustsResources =>
				Error::Pool("the transaction does not fit in a block".into()),
			TransactionInvalid::BadProof => Error::Pool(
				"bad signature (is the client's metadata the chain's? rebuild it after a runtime upgrade)"
					.into(),
			),
			other => Error::Pool(format!("{other:?}")),
		}
	}
}

const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// A submitted transaction's status stream.
type Watch = subxt::transactions::TransactionProgress<
	LuxtensorConfig,
	subxt::client::OnlineClientAtBlockImpl<LuxtensorConfig>,
>;

/// Blocks a transaction stays valid for.
const MORTALITY: u64 = 64;

async fn open(options: &ConnectOptions) -> Result<Connection, Error> {
	let mut backoff = options.backoff;
	let mut attempt = 0;
	loop {
		let connecting = async {
			let rpc_client = RpcClient::from_insecure_url(&options.url).await?;
			let backend = LegacyBackend::builder().build(rpc_client.clone());
			let api = OnlineClient::from_backend_with_config(
				LuxtensorConfig::default(),
				Arc::new(backend),
			)
			.await?;
			let rpc = LegacyRpcMethods::new(rpc_client.clone());
			Ok::<_, Error>(Connection { api, rpc, raw: rpc_client })
		};
		let reason = match tokio::time::timeout(options.timeout, connecting).await {
			Ok(Ok(connection)) => return Ok(connection),
			Ok(Err(error)) => error.to_string(),
			Err(_) => format!("no answer within {:?}", options.timeout),
		};
		if attempt >= options.retries {
			return Err(Error::Connect { url: options.url.clone(), reason });
		}
		attempt += 1;
		tokio::time::sleep(backoff).await;
		backoff = (backoff * 2).min(MAX_BACKOFF);
	}
}

/// What a transaction in `in_block` came to: its events, or its dispatch error named.
async fn included(
	at: &At,
	hash: H256,
	nonce: u64,
	in_block: subxt::transactions::TransactionInBlock<
		LuxtensorConfig,
		subxt::client::OnlineClientAtBlockImpl<LuxtensorConfig>,
	>,
) -> Result<TxOutcome, Error> {
	let events = match in_block.wait_for_success().await {
		Ok(events) => events,
		Err(TransactionEventsError::ExtrinsicFailed(error)) => return Err(dispatch_error(error)),
		Err(error) => return Err(error.into()),
	};
	let block = Some(in_block.block_hash());
	let mut out = Vec::new();
	for event in events.iter() {
		let event = event?;
		out.push(TxEvent {
			pallet: event.pallet_name().to_owned(),
			name: event.event_name().to_owned(),
			fields: crate::decode::event_fields(
				at.block().metadata_ref(),
				event.pallet_name(),
				event.event_index(),
				event.field_bytes(),
			)?,
		});
	}
	Ok(TxOutcome { hash, nonce, block, events: out })
}

/// A dispatch error, a pallet's named with its doc.
pub(crate) fn dispatch_error(error: DispatchError) -> Error {
	match &error {
		DispatchError::Module(module) => match module.details() {
			Ok(details) => Error::Pallet(PalletError {
				pallet: details.pallet.name().to_owned(),
				name: details.variant.name.clone(),
				doc: first_paragraph(&details.variant.docs),
			}),
			Err(_) => Error::Dispatch(error.to_string()),
		},
		other => Error::Dispatch(other.to_string()),
	}
}

/// A refusal the node reported as text (`Custom error: N` in the JSON-RPC error's data),
/// mapped back to the call's pallet error when it is one.
fn decode_pool_message(at: &At, pallet: &str, error: Error) -> Error {
	let text = error.to_string();
	let code = text
		.split("Custom error: ")
		.nth(1)
		.and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
		.and_then(|digits| digits.parse::<u8>().ok());
	match code.and_then(|code| PalletError::from_index(at.block().metadata_ref(), pallet, code)) {
		Some(pallet_error) => Error::Pallet(pallet_error),
		None => error,
	}
}
