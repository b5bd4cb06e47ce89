//! Errors that name their cause: a pallet error as `Pallet::Name: its doc` (whether it
//! came from a failed dispatch or from the transaction pool's `Custom error: N`), an unfunded
//! signer, a dropped connection after a send, bad input.

use subxt::{metadata::Metadata, utils::H256};

/// A pallet's error, resolved from the metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PalletError {
	/// The pallet, as the runtime names it (`Registration`).
	pub pallet: String,
	/// The error variant (`TooManyRegistrationsThisBlock`).
	pub name: String,
	/// Its documentation, one line.
	pub doc: String,
}

impl core::fmt::Display for PalletError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "{}::{}", self.pallet, self.name)?;
		if !self.doc.is_empty() {
			write!(f, ": {}", self.doc)?;
		}
		Ok(())
	}
}

impl PalletError {
	/// The error at `index` of `pallet`'s `Error` enum, if the metadata has one.
	pub fn from_index(metadata: &Metadata, pallet: &str, index: u8) -> Option<Self> {
		let pallet = metadata.pallet_by_name(pallet)?;
		let variant = pallet.error_variant_by_index(index)?;
		Some(Self {
			pallet: pallet.name().to_owned(),
			name: variant.name.clone(),
			doc: first_paragraph(&variant.docs),
		})
	}
}

/// Why a client call failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// No connection could be made within the retries.
	#[error("cannot connect to {url}: {reason}")]
	Connect { url: String, reason: String },
	/// A call timed out.
	#[error("no answer from the node within {0:?}")]
	Timeout(std::time::Duration),
	/// A pallet refused the call (in the block, or in the pool before it).
	#[error("{0}")]
	Pallet(PalletError),
	/// The call failed with a non-pallet dispatch error (`BadOrigin`, `Token(...)`...).
	#[error("the call failed: {0}")]
	Dispatch(String),
	/// The pool refused the transaction for a reason of its own.
	#[error("the transaction pool refused the transaction: {0}")]
	Pool(String),
	/// The signing account has no balance, so no nonce (a hotkey signing fee-free calls
	/// still needs the existential deposit).
	#[error("{account} has no balance: an account needs at least the existential deposit ({existential_deposit} planck) to sign transactions, fee-free ones included; fund it first (luxctl wallet transfer)")]
	Unfunded { account: String, existential_deposit: u128 },
	/// The signing account cannot pay the fee.
	#[error("{account} cannot pay the transaction fee")]
	CannotPayFee { account: String },
	/// The connection failed after the transaction was sent: it may be in a block. It is not
	/// resent automatically.
	#[error("the connection failed after transaction {hash:?} was sent ({reason}): it may still be included; check before sending it again")]
	MaybeIncluded { hash: H256, reason: String },
	/// Input the client refused before sending anything.
	#[error("{0}")]
	Invalid(String),
	/// Anything else subxt reports.
	#[error("{0}")]
	Subxt(Box<subxt::Error>),
	/// A key.
	#[error(transparent)]
	Key(#[from] crate::keys::KeyError),
	/// A keystore.
	#[error(transparent)]
	Keystore(#[from] crate::keystore::KeystoreError),
	/// A wallet.
	#[error(transparent)]
	Wallet(#[from] crate::wallet::WalletError),
}

/// subxt's many error types, each kept whole (with its source chain) inside `Error::Subxt`.
macro_rules! from_subxt_errors {
	($($error:ty),* $(,)?) => {$(
		impl From<$error> for Error {
			fn from(error: $error) -> Self {
				Error::Subxt(Box::new(subxt::Error::from(error)))
			}
		}
	)*};
}

from_subxt_errors!(
	subxt::error::OnlineClientError,
	subxt::error::OnlineClientAtBlockError,
	subxt::error::BlocksError,
	subxt::error::StorageError,
	subxt::error::RuntimeApiError,
	subxt::error::EventsError,
	subxt::error::ExtrinsicError,
	subxt::error::ConstantError,
	subxt::error::TransactionProgressError,
	subxt::error::TransactionEventsError,
	subxt::error::StorageValueError,
	subxt::rpcs::Error,
);

impl From<subxt::Error> for Error {
	fn from(error: subxt::Error) -> Self {
		Error::Subxt(Box::new(error))
	}
}

impl Error {
	/// Whether the error is the connection's (the node went away, or never answered):
	/// worth reconnecting and retrying a read for, never a transaction.
	pub fn is_connection(&self) -> bool {
		match self {
			Error::Connect { .. } | Error::Timeout(_) => true,
			Error::Subxt(error) => is_connection_error(error.as_ref()),
			_ => false,
		}
	}
}

/// Walks the source chain for a JSON-RPC client (transport) error.
pub(crate) fn is_connection_error(error: &(dyn std::error::Error + 'static)) -> bool {
	let mut current = Some(error);
	while let Some(error) = current {
		if let Some(rpc) = error.downcast_ref::<subxt::rpcs::Error>() {
			if matches!(
				rpc,
				subxt::rpcs::Error::Client(_) | subxt::rpcs::Error::DisconnectedWillReconnect(_)
			) {
				return true;
			}
		}
		current = error.source();
	}
	false
}

/// The first paragraph of a doc comment, on one line.
pub fn first_paragraph(docs: &[String]) -> String {
	let mut line = String::new();
	for part in docs.iter().map(|part| part.trim()) {
		if part.is_empty() {
			if !line.is_empty() {
				break;
			}
			continue;
		}
		if !line.is_empty() {
			line.push(' ');
		}
		line.push_str(part);
	}
	line
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_doc_comment_becomes_its_first_paragraph_on_one_line() {
		let docs = [" The hotkey is", " not registered.", "", " Details."].map(String::from);
		assert_eq!(first_paragraph(&docs), "The hotkey is not registered.");
		assert_eq!(first_paragraph(&[]), "");
	}
}
