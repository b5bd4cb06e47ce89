//! The chain the randomized sequences run on: blocks built as the node builds them, signed
//! transactions through every transaction extension, and the invariants checked after each
//! block.

use codec::Encode;
use luxtensor_runtime::{
	configs::RuntimeBlockWeights, time::SLOT_DURATION, AccountId, Address, Balances, Compute,
	Emission, Executive, Header, Registration, Runtime, RuntimeCall, RuntimeError, RuntimeEvent,
	SignedPayload, Stake, Subnets, System, TxExtension, UncheckedExtrinsic, Weights,
};
use polkadot_sdk::{
	frame_metadata_hash_extension::CheckMetadataHash,
	frame_support::{storage::with_transaction, traits::GetCallMetadata},
	frame_system, pallet_sudo, pallet_timestamp, pallet_transaction_payment, pallet_utility,
	sp_consensus_babe::{
		digests::{PreDigest, SecondaryPlainPreDigest},
		BABE_ENGINE_ID,
	},
	sp_core::{sr25519, Pair, H256},
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{
		generic::Era, traits::Header as _, Digest, DigestItem, DispatchError, Storage,
		TransactionOutcome,
	},
};
use std::collections::BTreeMap;

/// The keys that sign: the six endowed keyring accounts (Alice is sudo and the validator),
/// an account without funds, then the hotkeys.
pub struct Keys {
	pairs: Vec<sr25519::Pair>,
	accounts: Vec<AccountId>,
}

/// Index of the first hotkey among the keys; coldkeys come before it.
pub const FIRST_HOTKEY: u8 = 7;
/// The account that never receives funds at genesis.
pub const POOR: u8 = 6;
pub const HOTKEYS: u8 = 10;

impl Keys {
	pub fn new() -> Self {
		let mut pairs: Vec<sr25519::Pair> = [
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			Sr25519Keyring::Charlie,
			Sr25519Keyring::Dave,
			Sr25519Keyring::Eve,
			Sr25519Keyring::Ferdie,
		]
		.into_iter()
		.map(|key| key.pair())
		.collect();
		pairs.push(sr25519::Pair::from_seed(&[200; 32]));
		pairs.extend((1..=HOTKEYS).map(|seed| sr25519::Pair::from_seed(&[seed; 32])));
		let accounts = pairs.iter().map(|pair| pair.public().into()).collect();
		Self { pairs, accounts }
	}

	pub fn len(&self) -> u8 {
		self.pairs.len() as u8
	}

	pub fn account(&self, key: u8) -> AccountId {
		self.accounts[usize::from(key)].clone()
	}

	pub fn index_of(&self, account: &AccountId) -> Option<u8> {
		self.accounts.iter().position(|a| a == account).map(|index| index as u8)
	}

	/// Hotkey `key`'s consent to be owned by `coldkey` (for `claim_hotkey`, `swap_hotkey`).
	pub fn consent(&self, key: u8, coldkey: &AccountId) -> luxtensor_runtime::Signature {
		self.pairs[usize::from(key)].sign(&Registration::ownership_message(coldkey)).into()
	}

	fn sign(&self, key: u8, call: RuntimeCall, nonce: u32) -> UncheckedExtrinsic {
		let extensions: TxExtension = (
			frame_system::CheckNonZeroSender::new(),
			frame_system::CheckSpecVersion::new(),
			frame_system::CheckTxVersion::new(),
			frame_system::CheckGenesis::new(),
			frame_system::CheckEra::from(Era::Immortal),
			frame_system::CheckNonce::from(nonce),
			frame_system::CheckWeight::new(),
			pallet_transaction_payment::ChargeTransactionPayment::from(0),
			CheckMetadataHash::new(false),
			(
				pallet_registration::CheckServing::new(),
				pallet_weights::CheckWeights::new(),
				pallet_compute::CheckHeartbeat::new(),
			),
			frame_system::WeightReclaim::new(),
		);
		let payload = SignedPayload::new(call, extensions).expect("the implicit data is known");
		let signature = payload.using_encoded(|bytes| self.pairs[usize::from(key)].sign(bytes));
		let (call, extensions, _) = payload.deconstruct();
		UncheckedExtrinsic::new_signed(
			call,
			Address::Id(self.account(key)),
			signature.into(),
			extensions,
		)
	}
}

/// One step of a sequence: a signed transaction, or blocks going by.
#[derive(Clone, Debug)]
pub enum Step {
	/// `call`, signed by key `signer`, with its next nonce.
	Call { signer: u8, call: Box<RuntimeCall> },
	/// Close the current block, author `count - 1` empty ones, open the next.
	Blocks(u32),
}

/// What the runs did, for the report.
#[derive(Default)]
pub struct Stats {
	pub blocks: u64,
	pub calls: u64,
	/// Calls that dispatched without error, by pallet and call.
	pub succeeded: BTreeMap<String, u64>,
	/// Calls that failed in dispatch, by call and error.
	pub failed: BTreeMap<String, u64>,
	/// Transactions the extensions refused (so never in a block), by call and reason.
	pub refused: BTreeMap<String, u64>,
}

impl Stats {
	/// With `LUXTENSOR_RANDOM_TRACE` set, prints each transaction's outcome.
	fn trace(&self, outcome: &str) {
		if std::env::var_os("LUXTENSOR_RANDOM_TRACE").is_some() {
			println!("block {}: {outcome}", System::block_number());
		}
	}

	pub fn merge(&mut self, other: Stats) {
		self.blocks += other.blocks;
		self.calls += other.calls;
		for (map, other) in [
			(&mut self.succeeded, other.succeeded),
			(&mut self.failed, other.failed),
			(&mut self.refused, other.refused),
		] {
			for (key, count) in other {
				*map.entry(key).or_default() += count;
			}
		}
	}
}

/// A chain started from the development preset's genesis, with a block open.
pub struct Chain {
	ext: TestExternalities,
	pub stats: Stats,
}

/// The first block's BABE slot; block `n` is authored in slot `FIRST_SLOT + n - 1`.
const FIRST_SLOT: u64 = 1_000;

fn call_name(call: &RuntimeCall) -> String {
	let metadata = call.get_call_metadata();
	format!("{}.{}", metadata.pallet_name, metadata.function_name)
}

fn error_name(error: &DispatchError) -> String {
	match error {
		// Errors read back from events have lost their message: name them by the runtime's.
		DispatchError::Module(module) => match module.message {
			Some(message) => message.to_string(),
			None => RuntimeError::from_dispatch_error(*error)
				.map_or_else(|| format!("{module:?}"), |error| format!("{error:?}")),
		},
		other => format!("{other:?}"),
	}
}

impl Chain {
	pub fn new(genesis: &Storage) -> Self {
		let mut chain =
			Self { ext: TestExternalities::new(genesis.clone()), stats: Stats::default() };
		let opened = chain.ext.execute_with(|| open_block(1, System::parent_hash()));
		opened.expect("genesis opens block 1");
		chain
	}

	/// Runs `read` against the current state.
	pub fn read<R>(&mut self, read: impl FnOnce() -> R) -> R {
		self.ext.execute_with(read)
	}

	/// Runs one step; an error names the invariant or check it broke.
	pub fn run(&mut self, keys: &Keys, step: &Step) -> Result<(), String> {
		let stats = &mut self.stats;
		self.ext.execute_with(|| match step {
			Step::Call { signer, call } => {
				stats.calls += 1;
				let nonce = System::account_nonce(keys.account(*signer));
				let extrinsic = keys.sign(*signer, (**call).clone(), nonce);
				apply(stats, call, extrinsic)
			}
			Step::Blocks(count) => {
				for _ in 0..*count {
					let parent = close_block()?;
					stats.blocks += 1;
					open_block(System::block_number() + 1, parent)?;
				}
				Ok(())
			}
		})
	}
}

/// Applies a transaction as the block builder does: in a storage transaction that is
/// rolled back when the extensions refuse it.
fn apply(
	stats: &mut Stats,
	call: &RuntimeCall,
	extrinsic: UncheckedExtrinsic,
) -> Result<(), String> {
	System::reset_events();
	let outcome = with_transaction(|| match Executive::apply_extrinsic(extrinsic) {
		Ok(result) => TransactionOutcome::Commit(Ok::<_, DispatchError>(Ok(result))),
		Err(refusal) => TransactionOutcome::Rollback(Ok(Err(refusal))),
	})
	.map_err(|error| format!("storage transaction failed: {error:?}"))?;
	// A sudo call succeeds whatever its inner call does: count the inner call.
	let (name, sudo_result) = match call {
		RuntimeCall::Sudo(pallet_sudo::Call::sudo { call }) => {
			let result = System::events().into_iter().find_map(|record| match record.event {
				RuntimeEvent::Sudo(pallet_sudo::Event::Sudid { sudo_result }) => Some(sudo_result),
				_ => None,
			});
			(format!("sudo {}", call_name(call)), result)
		}
		_ => (call_name(call), None),
	};
	match (outcome, sudo_result) {
		(Ok(Ok(())), Some(Err(error))) | (Ok(Err(error)), _) => {
			let key = format!("{name}: {}", error_name(&error));
			stats.trace(&key);
			*stats.failed.entry(key).or_default() += 1;
			check_error(&error)
		}
		(Ok(Ok(())), _) => {
			stats.trace(&name);
			*stats.succeeded.entry(name).or_default() += 1;
			// A batch reports its inner failures as events.
			for record in System::events() {
				if let RuntimeEvent::Utility(pallet_utility::Event::BatchInterrupted {
					error,
					..
				}) = record.event
				{
					check_error(&error)?;
				}
			}
			Ok(())
		}
		(Err(refusal), _) => {
			let key = format!("{name}: {refusal:?}");
			stats.trace(&key);
			*stats.refused.entry(key).or_default() += 1;
			Ok(())
		}
	}
}

/// Errors no call may end with, whatever its arguments: they mean broken storage or a
/// failed assumption in the runtime.
fn check_error(error: &DispatchError) -> Result<(), String> {
	match error {
		DispatchError::Corruption | DispatchError::Unavailable | DispatchError::Other(_) => {
			Err(format!("a call ended with {error:?}"))
		}
		_ => Ok(()),
	}
}

fn babe_pre_digest(slot: u64) -> DigestItem {
	let pre_digest = PreDigest::SecondaryPlain(SecondaryPlainPreDigest {
		authority_index: 0,
		slot: slot.into(),
	});
	DigestItem::PreRuntime(BABE_ENGINE_ID, pre_digest.encode())
}

/// Opens block `number` on top of `parent`: the hooks, then the timestamp inherent.
fn open_block(number: u32, parent: H256) -> Result<(), String> {
	let slot = FIRST_SLOT + u64::from(number) - 1;
	let header = Header::new(
		number,
		H256::zero(),
		H256::zero(),
		parent,
		Digest { logs: vec![babe_pre_digest(slot)] },
	);
	Executive::initialize_block(&header);
	check_block_weight("on_initialize")?;
	let now = pallet_timestamp::Call::set { now: slot * SLOT_DURATION };
	let inherent = UncheckedExtrinsic::new_bare(RuntimeCall::Timestamp(now));
	match Executive::apply_extrinsic(inherent) {
		Ok(Ok(())) => Ok(()),
		other => Err(format!("the timestamp inherent failed: {other:?}")),
	}
}

/// Closes the open block (`on_idle`, `on_finalize`), checks every invariant on the result,
/// and returns its hash.
fn close_block() -> Result<H256, String> {
	check_block_weight("the extrinsics")?;
	let header = Executive::finalize_block();
	check_block_weight("on_finalize")?;
	check_invariants()?;
	Ok(header.hash())
}

fn check_block_weight(after: &str) -> Result<(), String> {
	let used = System::block_weight().total();
	let max = RuntimeBlockWeights::get().max_block;
	if used.any_gt(max) {
		return Err(format!(
			"block {} weighs {used} after {after}, over {max}",
			System::block_number()
		));
	}
	Ok(())
}

/// Every pallet's storage invariants, and the issuance: the sum of all balances.
pub fn check_invariants() -> Result<(), String> {
	type Check = fn() -> Result<(), DispatchError>;
	let checks: [(&str, Check); 6] = [
		("subnets", Subnets::do_try_state),
		("registration", Registration::do_try_state),
		("weights", Weights::do_try_state),
		("stake", Stake::do_try_state),
		("emission", Emission::do_try_state),
		("compute", Compute::do_try_state),
	];
	for (pallet, check) in checks {
		check().map_err(|error| format!("{pallet} invariant: {error:?}"))?;
	}
	let held: u128 = frame_system::Account::<Runtime>::iter()
		.map(|(_, info)| info.data.free + info.data.reserved)
		.sum();
	let issuance = Balances::total_issuance();
	if held != issuance {
		return Err(format!("total issuance {issuance} but accounts hold {held}"));
	}
	Ok(())
}
