//! sr25519 keys as Substrate wallets make them: from a BIP-39 mnemonic (Substrate's own seed
//! derivation, not BIP-32), from a secret URI (`PHRASE//hard/soft///password`, `//Alice`), or
//! from the 64-byte secret a polkadot.js keystore holds. A [`Keypair`] signs transactions
//! (subxt's `Signer`) and hotkey consents.

use crate::{
	api::runtime_types::sp_runtime::MultiSignature as RuntimeSignature, config::LuxtensorConfig,
};
use codec::Encode;
use schnorrkel::{
	derive::{ChainCode, Derivation},
	ExpansionMode, MiniSecretKey, SecretKey,
};
use subxt::utils::{AccountId32, MultiSignature};

/// Substrate's signing context for sr25519.
const SIGNING_CONTEXT: &[u8] = b"substrate";

/// The development mnemonic behind `//Alice`, `//Bob`... on dev and local chains.
pub const DEV_PHRASE: &str =
	"bottom drive obey lake curtain smoke basket hold race lonely fit walk";

/// What the hotkey signs to let a coldkey own it (`registration.claimHotkey`): this prefix
/// followed by the coldkey's 32 bytes.
pub const HOTKEY_OWNERSHIP_PREFIX: &[u8] = b"luxtensor/hotkey-owner";

/// A key that cannot be made from what was given.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
	/// Not a valid BIP-39 mnemonic.
	#[error("not a valid mnemonic: {0}")]
	Mnemonic(String),
	/// A secret URI whose seed or junctions do not parse.
	#[error("not a valid secret URI: {0}")]
	Uri(String),
	/// Secret bytes of the wrong length or form.
	#[error("not a valid sr25519 secret key: {0}")]
	Secret(String),
	/// The system's random source failed.
	#[error("no randomness available: {0}")]
	Random(String),
}

/// An sr25519 key pair.
#[derive(Clone)]
pub struct Keypair(schnorrkel::Keypair);

impl core::fmt::Debug for Keypair {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "Keypair({})", self.account_id())
	}
}

impl Keypair {
	/// A new key and the mnemonic (`words` of 12, 15, 18, 21 or 24) it derives from.
	pub fn generate(words: usize) -> Result<(Self, String), KeyError> {
		let entropy_len = match words {
			12 => 16,
			15 => 20,
			18 => 24,
			21 => 28,
			24 => 32,
			_ => {
				return Err(KeyError::Mnemonic(format!("{words} words: use 12, 15, 18, 21 or 24")))
			}
		};
		let mut entropy = [0u8; 32];
		random_bytes(&mut entropy[..entropy_len])?;
		let mnemonic = bip39::Mnemonic::from_entropy(&entropy[..entropy_len])
			.map_err(|e| KeyError::Mnemonic(e.to_string()))?;
		let phrase = mnemonic.to_string();
		Ok((Self::from_phrase(&phrase, None)?, phrase))
	}

	/// The key of a mnemonic, with an optional BIP-39 password, as polkadot.js derives it.
	pub fn from_phrase(phrase: &str, password: Option<&str>) -> Result<Self, KeyError> {
		let mnemonic = bip39::Mnemonic::parse_normalized(phrase.trim())
			.map_err(|e| KeyError::Mnemonic(e.to_string()))?;
		let (entropy, len) = mnemonic.to_entropy_array();
		let seed =
			substrate_bip39::mini_secret_from_entropy(&entropy[..len], password.unwrap_or(""))
				.map_err(|e| KeyError::Mnemonic(format!("{e:?}")))?;
		Ok(Self(seed.expand_to_keypair(ExpansionMode::Ed25519)))
	}

	/// The key of a 32-byte seed (a "raw seed" in Substrate's tools).
	pub fn from_seed(seed: &[u8]) -> Result<Self, KeyError> {
		let mini = MiniSecretKey::from_bytes(seed).map_err(|e| KeyError::Secret(e.to_string()))?;
		Ok(Self(mini.expand_to_keypair(ExpansionMode::Ed25519)))
	}

	/// The key of a secret URI: a mnemonic or `0x` seed (the development mnemonic when
	/// empty), then `//hard` and `/soft` junctions, then an optional `///password`.
	pub fn from_uri(uri: &str) -> Result<Self, KeyError> {
		let (rest, password) = match uri.split_once("///") {
			Some((rest, password)) => (rest, Some(password)),
			None => (uri, None),
		};
		let (phrase, path) = match rest.find('/') {
			Some(at) => rest.split_at(at),
			None => (rest, ""),
		};
		let phrase = phrase.trim();
		let root = if phrase.is_empty() {
			Self::from_phrase(DEV_PHRASE, password)?
		} else if let Some(seed) = phrase.strip_prefix("0x") {
			let seed = hex::decode(seed).map_err(|e| KeyError::Uri(format!("seed: {e}")))?;
			Self::from_seed(&seed)?
		} else {
			Self::from_phrase(phrase, password)?
		};
		let mut secret = root.0.secret.clone();
		for junction in parse_junctions(path)? {
			secret = match junction {
				Junction::Hard(code) => secret
					.hard_derive_mini_secret_key(Some(ChainCode(code)), b"")
					.0
					.expand(ExpansionMode::Ed25519),
				Junction::Soft(code) => secret.derived_key_simple(ChainCode(code), []).0,
			};
		}
		Ok(Self(secret.into()))
	}

	/// The key whose 64-byte secret (key and nonce, the form polkadot.js keystores hold) is
	/// `bytes`.
	pub fn from_secret_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
		let secret =
			SecretKey::from_ed25519_bytes(bytes).map_err(|e| KeyError::Secret(e.to_string()))?;
		Ok(Self(secret.into()))
	}

	/// The 64-byte secret, in the form polkadot.js keystores hold.
	pub fn secret_bytes(&self) -> [u8; 64] {
		self.0.secret.to_ed25519_bytes()
	}

	/// The public key.
	pub fn public(&self) -> [u8; 32] {
		self.0.public.to_bytes()
	}

	/// The account this key signs for.
	pub fn account_id(&self) -> AccountId32 {
		AccountId32(self.public())
	}

	/// An sr25519 signature of `message` in Substrate's signing context.
	pub fn sign_bytes(&self, message: &[u8]) -> [u8; 64] {
		let context = schnorrkel::signing_context(SIGNING_CONTEXT);
		self.0.sign(context.bytes(message)).to_bytes()
	}

	/// This hotkey's consent to be owned by `coldkey`, for `registration.claimHotkey` and
	/// the new hotkey of `registration.swapHotkey`.
	pub fn hotkey_consent(&self, coldkey: &AccountId32) -> RuntimeSignature {
		let message = [HOTKEY_OWNERSHIP_PREFIX, &coldkey.0[..]].concat();
		RuntimeSignature::Sr25519(self.sign_bytes(&message))
	}
}

impl subxt::tx::Signer<LuxtensorConfig> for Keypair {
	fn account_id(&self) -> AccountId32 {
		Keypair::account_id(self)
	}

	fn sign(&self, signer_payload: &[u8]) -> MultiSignature {
		MultiSignature::Sr25519(self.sign_bytes(signer_payload))
	}
}

/// Whether an sr25519 `signature` of `message` by `public` is valid.
pub fn verify(public: &[u8; 32], message: &[u8], signature: &[u8; 64]) -> bool {
	let (Ok(public), Ok(signature)) =
		(schnorrkel::PublicKey::from_bytes(public), schnorrkel::Signature::from_bytes(signature))
	else {
		return false;
	};
	public.verify_simple(SIGNING_CONTEXT, message, &signature).is_ok()
}

/// Fills `buf` from the operating system's random source.
pub(crate) fn random_bytes(buf: &mut [u8]) -> Result<(), KeyError> {
	getrandom::getrandom(buf).map_err(|e| KeyError::Random(e.to_string()))
}

enum Junction {
	Hard([u8; 32]),
	Soft([u8; 32]),
}

/// `//hard/soft//0` into junctions. A number is its little-endian u64, anything else its
/// SCALE-encoded string, hashed with BLAKE2b-256 when longer than 32 bytes (Substrate's rule).
fn parse_junctions(path: &str) -> Result<Vec<Junction>, KeyError> {
	let mut junctions = Vec::new();
	let mut rest = path;
	while !rest.is_empty() {
		let (hard, body) = match rest.strip_prefix("//") {
			Some(body) => (true, body),
			None => match rest.strip_prefix('/') {
				Some(body) => (false, body),
				None => return Err(KeyError::Uri(format!("unexpected '{rest}'"))),
			},
		};
		let end = body.find('/').unwrap_or(body.len());
		let (name, tail) = body.split_at(end);
		if name.is_empty() {
			return Err(KeyError::Uri("an empty junction".into()));
		}
		let encoded = match name.parse::<u64>() {
			Ok(number) => number.encode(),
			Err(_) => name.encode(),
		};
		let mut code = [0u8; 32];
		if encoded.len() > 32 {
			code = sp_crypto_hashing::blake2_256(&encoded);
		} else {
			code[..encoded.len()].copy_from_slice(&encoded);
		}
		junctions.push(if hard { Junction::Hard(code) } else { Junction::Soft(code) });
		rest = tail;
	}
	Ok(junctions)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn development_uris_give_the_well_known_accounts() {
		// Alice and Bob of every Substrate dev chain.
		let alice = Keypair::from_uri("//Alice").unwrap();
		assert_eq!(
			alice.account_id().to_string(),
			"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
		);
		let bob = Keypair::from_uri(&format!("{DEV_PHRASE}//Bob")).unwrap();
		assert_eq!(
			bob.account_id().to_string(),
			"5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"
		);
		// Nested junctions: `//Alice//stash` is the dev chain's Alice stash.
		let stash = Keypair::from_uri("//Alice//stash").unwrap();
		assert_eq!(
			stash.account_id().to_string(),
			"5GNJqTPyNqANBkUVMN1LPPrxXnFouWXoe2wNSmmEoLctxiZY"
		);
	}

	#[test]
	fn a_generated_mnemonic_recovers_the_same_key() {
		let (pair, phrase) = Keypair::generate(12).unwrap();
		assert_eq!(phrase.split_whitespace().count(), 12);
		assert_eq!(Keypair::from_phrase(&phrase, None).unwrap().public(), pair.public());
		assert_ne!(Keypair::from_phrase(&phrase, Some("pw")).unwrap().public(), pair.public());
		assert!(Keypair::generate(13).is_err());
		assert!(matches!(Keypair::from_phrase("not a mnemonic", None), Err(KeyError::Mnemonic(_))));
	}

	#[test]
	fn the_stored_secret_restores_the_key_and_signatures_verify() {
		let pair = Keypair::from_uri("//Charlie").unwrap();
		let restored = Keypair::from_secret_bytes(&pair.secret_bytes()).unwrap();
		assert_eq!(restored.public(), pair.public());
		let signature = restored.sign_bytes(b"message");
		assert!(verify(&pair.public(), b"message", &signature));
		assert!(!verify(&pair.public(), b"other", &signature));
		assert!(Keypair::from_secret_bytes(&[1u8; 10]).is_err());
	}

	#[test]
	fn a_hotkey_consent_signs_the_prefix_and_the_coldkey() {
		let hotkey = Keypair::from_uri("//Hotkey").unwrap();
		let coldkey = Keypair::from_uri("//Alice").unwrap().account_id();
		let RuntimeSignature::Sr25519(signature) = hotkey.hotkey_consent(&coldkey) else {
			panic!("an sr25519 signature");
		};
		let message = [HOTKEY_OWNERSHIP_PREFIX, &coldkey.0[..]].concat();
		assert!(verify(&hotkey.public(), &message, &signature));
	}
}
