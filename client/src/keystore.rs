//! The polkadot.js JSON keystore (version 3): an sr25519 key in PKCS#8 form, encrypted with
//! xsalsa20-poly1305 under a key stretched from the password with scrypt. polkadot.js apps
//! and extensions export accounts in this format and import it back, so a coldkey made here
//! moves to a browser wallet and back.
//!
//! `encoded` is base64 of `salt(32) ‖ N(u32 LE) ‖ p(u32 LE) ‖ r(u32 LE) ‖ nonce(24) ‖
//! ciphertext`, and the plaintext is `PKCS8_HEADER ‖ secret(64) ‖ PKCS8_DIVIDER ‖ public(32)`.

use crate::keys::{random_bytes, KeyError, Keypair};
use base64::Engine;
use crypto_secretbox::{
	aead::{Aead, KeyInit},
	Key, Nonce, XSalsa20Poly1305,
};
use serde::{Deserialize, Serialize};
use subxt::utils::AccountId32;

const PKCS8_HEADER: [u8; 16] = [48, 83, 2, 1, 1, 48, 5, 6, 3, 43, 101, 112, 4, 34, 4, 32];
const PKCS8_DIVIDER: [u8; 5] = [161, 35, 3, 33, 0];
const PLAINTEXT_LEN: usize = PKCS8_HEADER.len() + 64 + PKCS8_DIVIDER.len() + 32;
const SALT_LEN: usize = 32;
const NONCE_LEN: usize = 24;
const PARAMS_LEN: usize = SALT_LEN + 12 + NONCE_LEN;

/// scrypt cost as polkadot.js writes it: N = 2^15, p = 1, r = 8.
const SCRYPT_LOG_N: u8 = 15;
const SCRYPT_P: u32 = 1;
const SCRYPT_R: u32 = 8;
/// The costs polkadot.js accepts on import, as (N, p, r); anything else is refused rather
/// than letting a file make us stretch a password for minutes.
const ACCEPTED_SCRYPT: [(u32, u32, u32); 6] = [
	(1 << 13, 10, 8),
	(1 << 14, 5, 8),
	(1 << 15, 3, 8),
	(1 << 15, 1, 8),
	(1 << 16, 2, 8),
	(1 << 17, 1, 8),
];

/// A keystore file that cannot be read or opened.
#[derive(Debug, thiserror::Error)]
pub enum KeystoreError {
	/// Not the JSON of a keystore.
	#[error("not a polkadot.js keystore file: {0}")]
	Json(#[from] serde_json::Error),
	/// A keystore of another kind (version, key type or cipher).
	#[error("unsupported keystore: {0} (LuxTensor reads version 3 sr25519 keystores with scrypt and xsalsa20-poly1305)")]
	Unsupported(String),
	/// The password does not open it (or the file was altered).
	#[error("wrong password for this keystore (or the file is damaged)")]
	WrongPassword,
	/// It opened, but the key inside is not the address on the file.
	#[error("the key inside does not match the keystore's address {0}")]
	AddressMismatch(String),
	/// The key inside is not a valid sr25519 key.
	#[error(transparent)]
	Key(#[from] KeyError),
}

/// How the key inside is encoded and encrypted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Encoding {
	/// `["pkcs8", "sr25519"]`.
	pub content: Vec<String>,
	/// `["scrypt", "xsalsa20-poly1305"]`.
	#[serde(rename = "type")]
	pub kind: Vec<String>,
	/// `"3"`.
	pub version: String,
}

/// A polkadot.js keystore file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keystore {
	/// The encrypted key, base64.
	pub encoded: String,
	/// How `encoded` is made.
	pub encoding: Encoding,
	/// The account's SS58 address.
	pub address: String,
	/// What polkadot.js keeps beside the key: `name`, `whenCreated`, ...
	#[serde(default)]
	pub meta: serde_json::Map<String, serde_json::Value>,
}

impl Keystore {
	/// Encrypts `pair` under `password`, with `name` and the creation time in `meta`.
	pub fn encrypt(pair: &Keypair, password: &str, name: &str) -> Result<Self, KeystoreError> {
		let mut salt = [0u8; SALT_LEN];
		let mut nonce = [0u8; NONCE_LEN];
		random_bytes(&mut salt)?;
		random_bytes(&mut nonce)?;
		let params = scrypt::Params::new(SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P, 32)
			.map_err(|e| KeystoreError::Unsupported(e.to_string()))?;
		let key = stretch(password, &salt, &params)?;

		let mut plaintext = Vec::with_capacity(PLAINTEXT_LEN);
		plaintext.extend_from_slice(&PKCS8_HEADER);
		plaintext.extend_from_slice(&pair.secret_bytes());
		plaintext.extend_from_slice(&PKCS8_DIVIDER);
		plaintext.extend_from_slice(&pair.public());
		let ciphertext = XSalsa20Poly1305::new(&key)
			.encrypt(Nonce::from_slice(&nonce), plaintext.as_slice())
			.map_err(|_| KeystoreError::Unsupported("encryption failed".into()))?;

		let mut encoded = Vec::with_capacity(PARAMS_LEN + ciphertext.len());
		encoded.extend_from_slice(&salt);
		encoded.extend_from_slice(&(1u32 << SCRYPT_LOG_N).to_le_bytes());
		encoded.extend_from_slice(&SCRYPT_P.to_le_bytes());
		encoded.extend_from_slice(&SCRYPT_R.to_le_bytes());
		encoded.extend_from_slice(&nonce);
		encoded.extend_from_slice(&ciphertext);

		let mut meta = serde_json::Map::new();
		meta.insert("name".into(), name.into());
		meta.insert("whenCreated".into(), now_millis().into());
		Ok(Self {
			encoded: base64::engine::general_purpose::STANDARD.encode(encoded),
			encoding: Encoding {
				content: vec!["pkcs8".into(), "sr25519".into()],
				kind: vec!["scrypt".into(), "xsalsa20-poly1305".into()],
				version: "3".into(),
			},
			address: pair.account_id().to_string(),
			meta,
		})
	}

	/// Parses a keystore file's JSON.
	pub fn from_json(json: &str) -> Result<Self, KeystoreError> {
		Ok(serde_json::from_str(json)?)
	}

	/// The file's JSON, as polkadot.js writes it.
	pub fn to_json(&self) -> String {
		serde_json::to_string_pretty(self).unwrap_or_default()
	}

	/// The account on the file, without the password.
	pub fn account_id(&self) -> Result<AccountId32, KeystoreError> {
		self.address
			.parse()
			.map_err(|_| KeystoreError::Unsupported(format!("address {}", self.address)))
	}

	/// The `name` polkadot.js shows for it.
	pub fn name(&self) -> Option<&str> {
		self.meta.get("name").and_then(|name| name.as_str())
	}

	/// Opens the keystore with `password`.
	pub fn decrypt(&self, password: &str) -> Result<Keypair, KeystoreError> {
		let encoding = &self.encoding;
		let has = |list: &[String], item: &str| list.iter().any(|entry| entry == item);
		if encoding.version != "3" {
			return Err(KeystoreError::Unsupported(format!("version {}", encoding.version)));
		}
		if !has(&encoding.content, "pkcs8") || !has(&encoding.content, "sr25519") {
			return Err(KeystoreError::Unsupported(format!("content {:?}", encoding.content)));
		}
		if !has(&encoding.kind, "scrypt") || !has(&encoding.kind, "xsalsa20-poly1305") {
			return Err(KeystoreError::Unsupported(format!("encryption {:?}", encoding.kind)));
		}
		let encoded = base64::engine::general_purpose::STANDARD
			.decode(self.encoded.trim())
			.map_err(|e| KeystoreError::Unsupported(format!("encoded: {e}")))?;
		if encoded.len() < PARAMS_LEN {
			return Err(KeystoreError::Unsupported("encoded: too short".into()));
		}
		let (params, ciphertext) = encoded.split_at(PARAMS_LEN);
		let (salt, params) = params.split_at(SALT_LEN);
		let word = |at: usize| {
			u32::from_le_bytes([params[at], params[at + 1], params[at + 2], params[at + 3]])
		};
		let (n, p, r) = (word(0), word(4), word(8));
		let nonce = &params[12..12 + NONCE_LEN];
		if !ACCEPTED_SCRYPT.contains(&(n, p, r)) {
			return Err(KeystoreError::Unsupported(format!("scrypt N={n} p={p} r={r}")));
		}
		let scrypt_params = scrypt::Params::new(n.trailing_zeros() as u8, r, p, 32)
			.map_err(|e| KeystoreError::Unsupported(e.to_string()))?;
		let key = stretch(password, salt, &scrypt_params)?;
		let plaintext = XSalsa20Poly1305::new(&key)
			.decrypt(Nonce::from_slice(nonce), ciphertext)
			.map_err(|_| KeystoreError::WrongPassword)?;
		if plaintext.len() != PLAINTEXT_LEN
			|| plaintext[..16] != PKCS8_HEADER
			|| plaintext[80..85] != PKCS8_DIVIDER
		{
			return Err(KeystoreError::Unsupported("PKCS#8 content".into()));
		}
		let pair = Keypair::from_secret_bytes(&plaintext[16..80])?;
		if pair.public()[..] != plaintext[85..] || pair.account_id() != self.account_id()? {
			return Err(KeystoreError::AddressMismatch(self.address.clone()));
		}
		Ok(pair)
	}
}

fn stretch(password: &str, salt: &[u8], params: &scrypt::Params) -> Result<Key, KeystoreError> {
	let mut key = Key::default();
	scrypt::scrypt(password.as_bytes(), salt, params, &mut key)
		.map_err(|e| KeystoreError::Unsupported(e.to_string()))?;
	Ok(key)
}

fn now_millis() -> u64 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|elapsed| elapsed.as_millis() as u64)
		.unwrap_or_default()
}

#[cfg(test)]
mod tests {
	use super::*;

	/// `//Alice`, exported by polkadot.js (`@polkadot/keyring` 14.0.3,
	/// `keyring.addFromUri('//Alice', { name: 'alice' }).toJson('correct horse')`).
	const POLKADOT_JS_ALICE: &str = include_str!("../tests/fixtures/polkadot-js-alice.json");

	#[test]
	fn a_keystore_round_trips_and_refuses_a_wrong_password() {
		let pair = Keypair::from_uri("//Dave").unwrap();
		let keystore = Keystore::encrypt(&pair, "hunter2", "dave").unwrap();
		let reread = Keystore::from_json(&keystore.to_json()).unwrap();
		assert_eq!(reread.name(), Some("dave"));
		assert_eq!(reread.account_id().unwrap(), pair.account_id());
		assert_eq!(reread.decrypt("hunter2").unwrap().secret_bytes(), pair.secret_bytes());
		assert!(matches!(reread.decrypt("hunter3"), Err(KeystoreError::WrongPassword)));
	}

	#[test]
	fn a_keystore_exported_by_polkadot_js_opens() {
		let keystore = Keystore::from_json(POLKADOT_JS_ALICE).unwrap();
		assert_eq!(keystore.name(), Some("alice"));
		let pair = keystore.decrypt("correct horse").unwrap();
		assert_eq!(pair.public(), Keypair::from_uri("//Alice").unwrap().public());
		assert!(matches!(keystore.decrypt("wrong"), Err(KeystoreError::WrongPassword)));
	}

	#[test]
	fn altered_or_foreign_keystores_are_refused() {
		let pair = Keypair::from_uri("//Eve").unwrap();
		let keystore = Keystore::encrypt(&pair, "pw", "eve").unwrap();

		let mut other_address = keystore.clone();
		other_address.address = Keypair::from_uri("//Ferdie").unwrap().account_id().to_string();
		assert!(matches!(other_address.decrypt("pw"), Err(KeystoreError::AddressMismatch(_))));

		let mut ed25519 = keystore.clone();
		ed25519.encoding.content = vec!["pkcs8".into(), "ed25519".into()];
		assert!(matches!(ed25519.decrypt("pw"), Err(KeystoreError::Unsupported(_))));

		// A file asking for a far costlier scrypt than polkadot.js writes.
		let mut encoded =
			base64::engine::general_purpose::STANDARD.decode(&keystore.encoded).unwrap();
		encoded[32..36].copy_from_slice(&(1u32 << 20).to_le_bytes());
		let mut costly = keystore;
		costly.encoded = base64::engine::general_purpose::STANDARD.encode(encoded);
		assert!(matches!(costly.decrypt("pw"), Err(KeystoreError::Unsupported(_))));

		assert!(matches!(Keystore::from_json("{}"), Err(KeystoreError::Json(_))));
	}
}
