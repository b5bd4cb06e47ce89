//! Wallets on disk, laid out as btcli lays them out:
//!
//! ```text
//! <root>/<wallet>/coldkey.json        the coldkey, a polkadot.js keystore (password-encrypted)
//! <root>/<wallet>/coldkeypub.txt      its SS58 address, readable without the password
//! <root>/<wallet>/hotkeys/<name>.json a hotkey, unencrypted (it signs without a prompt)
//! <root>/<wallet>/commits.json        weight commits awaiting their reveal, with their salts
//! ```
//!
//! `<root>` is `~/.luxtensor/wallets` unless given. Files are written 0600 and folders 0700,
//! through a temporary file and a rename, and an existing key is never overwritten unless
//! asked for.

use crate::{
	keys::{KeyError, Keypair},
	keystore::{Keystore, KeystoreError},
};
use serde::{Deserialize, Serialize};
use std::{
	fs,
	io::Write,
	os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt},
	path::{Path, PathBuf},
};
use subxt::utils::AccountId32;

const COLDKEY_FILE: &str = "coldkey.json";
const COLDKEYPUB_FILE: &str = "coldkeypub.txt";
const HOTKEYS_DIR: &str = "hotkeys";
const COMMITS_FILE: &str = "commits.json";

/// A wallet operation that failed.
#[derive(Debug, thiserror::Error)]
pub enum WalletError {
	/// No wallet of that name under the root.
	#[error("no wallet '{name}' in {root}")]
	NoWallet { name: String, root: PathBuf },
	/// The wallet has no hotkey of that name.
	#[error("wallet '{wallet}' has no hotkey '{hotkey}'")]
	NoHotkey { wallet: String, hotkey: String },
	/// Refused, so an existing key is not lost.
	#[error("{0} already exists: pass --overwrite to replace it (the old key is lost unless you kept its mnemonic)")]
	Exists(PathBuf),
	/// A wallet or hotkey name that is not a plain file name.
	#[error("'{0}' is not a valid name: use letters, digits, '-', '_' and '.'")]
	BadName(String),
	/// A file that could not be read or written.
	#[error("{path}: {source}")]
	Io { path: PathBuf, source: std::io::Error },
	/// A hotkey file that is not what this module writes.
	#[error("{path}: not a hotkey file: {reason}")]
	BadHotkeyFile { path: PathBuf, reason: String },
	/// The coldkey keystore.
	#[error(transparent)]
	Keystore(#[from] KeystoreError),
	/// A key.
	#[error(transparent)]
	Key(#[from] KeyError),
}

/// A hotkey file: the key in the clear, as btcli keeps hotkeys.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct HotkeyFile {
	/// SS58 address.
	pub address: String,
	/// Public key, `0x` hex.
	pub public_key: String,
	/// The 64-byte secret (polkadot.js form), `0x` hex.
	pub secret_key: String,
}

/// A weight commit made by `luxctl weights commit`, kept until its reveal.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PendingCommit {
	pub netuid: u16,
	/// The committing hotkey (SS58).
	pub hotkey: String,
	/// The commit hash, `0x` hex.
	pub hash: String,
	pub uids: Vec<u16>,
	pub values: Vec<u16>,
	pub salt: Vec<u16>,
	pub version_key: u64,
}

/// The folder wallets live in.
#[derive(Debug, Clone)]
pub struct WalletStore {
	root: PathBuf,
}

impl WalletStore {
	/// Wallets under `root`.
	pub fn new(root: impl Into<PathBuf>) -> Self {
		Self { root: root.into() }
	}

	/// `~/.luxtensor/wallets`.
	pub fn default_root() -> PathBuf {
		let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| ".".into());
		home.join(".luxtensor").join("wallets")
	}

	/// The root folder.
	pub fn root(&self) -> &Path {
		&self.root
	}

	/// The wallets, by name.
	pub fn list(&self) -> Result<Vec<String>, WalletError> {
		let entries = match fs::read_dir(&self.root) {
			Ok(entries) => entries,
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
			Err(source) => return Err(WalletError::Io { path: self.root.clone(), source }),
		};
		let mut names: Vec<String> = entries
			.filter_map(|entry| entry.ok())
			.filter(|entry| entry.path().join(COLDKEYPUB_FILE).is_file())
			.filter_map(|entry| entry.file_name().into_string().ok())
			.collect();
		names.sort();
		Ok(names)
	}

	/// The wallet `name`, which must exist.
	pub fn open(&self, name: &str) -> Result<Wallet, WalletError> {
		check_name(name)?;
		let dir = self.root.join(name);
		if !dir.join(COLDKEYPUB_FILE).is_file() {
			return Err(WalletError::NoWallet { name: name.into(), root: self.root.clone() });
		}
		Ok(Wallet { name: name.into(), dir })
	}

	/// Creates (or with `overwrite`, replaces) the wallet `name` with `coldkey`, encrypted
	/// under `password`.
	pub fn create(
		&self,
		name: &str,
		coldkey: &Keypair,
		password: &str,
		overwrite: bool,
	) -> Result<Wallet, WalletError> {
		self.create_from_keystore(name, &Keystore::encrypt(coldkey, password, name)?, overwrite)
	}

	/// Creates the wallet `name` around a keystore file as it is (polkadot.js's export).
	pub fn create_from_keystore(
		&self,
		name: &str,
		keystore: &Keystore,
		overwrite: bool,
	) -> Result<Wallet, WalletError> {
		check_name(name)?;
		let dir = self.root.join(name);
		let coldkey_path = dir.join(COLDKEY_FILE);
		if coldkey_path.exists() && !overwrite {
			return Err(WalletError::Exists(coldkey_path));
		}
		let address = keystore.account_id()?;
		make_private_dir(&dir)?;
		write_private(&coldkey_path, keystore.to_json().as_bytes())?;
		write_private(&dir.join(COLDKEYPUB_FILE), address.to_string().as_bytes())?;
		Ok(Wallet { name: name.into(), dir })
	}
}

/// One wallet: a coldkey and its hotkeys.
#[derive(Debug, Clone)]
pub struct Wallet {
	name: String,
	dir: PathBuf,
}

impl Wallet {
	/// The wallet's name.
	pub fn name(&self) -> &str {
		&self.name
	}

	/// Its folder.
	pub fn dir(&self) -> &Path {
		&self.dir
	}

	/// The coldkey's account, read without the password.
	pub fn coldkey_account(&self) -> Result<AccountId32, WalletError> {
		let path = self.dir.join(COLDKEYPUB_FILE);
		let text = read(&path)?;
		text.trim()
			.parse()
			.map_err(|_| WalletError::BadHotkeyFile { path, reason: "not an SS58 address".into() })
	}

	/// The coldkey's keystore file.
	pub fn coldkey_keystore(&self) -> Result<Keystore, WalletError> {
		Ok(Keystore::from_json(&read(&self.dir.join(COLDKEY_FILE))?)?)
	}

	/// The coldkey, opened with `password`.
	pub fn coldkey(&self, password: &str) -> Result<Keypair, WalletError> {
		Ok(self.coldkey_keystore()?.decrypt(password)?)
	}

	/// The hotkeys, by name.
	pub fn hotkey_names(&self) -> Result<Vec<String>, WalletError> {
		let dir = self.dir.join(HOTKEYS_DIR);
		let entries = match fs::read_dir(&dir) {
			Ok(entries) => entries,
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
			Err(source) => return Err(WalletError::Io { path: dir, source }),
		};
		let mut names: Vec<String> = entries
			.filter_map(|entry| entry.ok())
			.filter_map(|entry| entry.file_name().into_string().ok())
			.filter_map(|file| file.strip_suffix(".json").map(str::to_owned))
			.collect();
		names.sort();
		Ok(names)
	}

	/// The hotkey `name`.
	pub fn hotkey(&self, name: &str) -> Result<Keypair, WalletError> {
		check_name(name)?;
		let path = self.hotkey_path(name);
		if !path.is_file() {
			return Err(WalletError::NoHotkey { wallet: self.name.clone(), hotkey: name.into() });
		}
		let bad = |reason: String| WalletError::BadHotkeyFile { path: path.clone(), reason };
		let file: HotkeyFile =
			serde_json::from_str(&read(&path)?).map_err(|e| bad(e.to_string()))?;
		let secret = hex::decode(file.secret_key.trim_start_matches("0x"))
			.map_err(|e| bad(e.to_string()))?;
		let pair = Keypair::from_secret_bytes(&secret)?;
		if pair.account_id().to_string() != file.address {
			return Err(bad(format!("the secret is not the key of {}", file.address)));
		}
		Ok(pair)
	}

	/// The hotkey `name`'s account.
	pub fn hotkey_account(&self, name: &str) -> Result<AccountId32, WalletError> {
		Ok(self.hotkey(name)?.account_id())
	}

	/// Stores `pair` as the hotkey `name` (refused if it exists, unless `overwrite`).
	pub fn add_hotkey(
		&self,
		name: &str,
		pair: &Keypair,
		overwrite: bool,
	) -> Result<(), WalletError> {
		check_name(name)?;
		let path = self.hotkey_path(name);
		if path.exists() && !overwrite {
			return Err(WalletError::Exists(path));
		}
		make_private_dir(&self.dir.join(HOTKEYS_DIR))?;
		let file = HotkeyFile {
			address: pair.account_id().to_string(),
			public_key: format!("0x{}", hex::encode(pair.public())),
			secret_key: format!("0x{}", hex::encode(pair.secret_bytes())),
		};
		let json = serde_json::to_string_pretty(&file).unwrap_or_default();
		write_private(&path, json.as_bytes())
	}

	/// Weight commits not yet revealed.
	pub fn pending_commits(&self) -> Result<Vec<PendingCommit>, WalletError> {
		let path = self.dir.join(COMMITS_FILE);
		if !path.exists() {
			return Ok(Vec::new());
		}
		serde_json::from_str(&read(&path)?)
			.map_err(|e| WalletError::BadHotkeyFile { path, reason: e.to_string() })
	}

	/// Replaces the list of pending commits.
	pub fn save_pending_commits(&self, commits: &[PendingCommit]) -> Result<(), WalletError> {
		let json = serde_json::to_string_pretty(commits).unwrap_or_default();
		write_private(&self.dir.join(COMMITS_FILE), json.as_bytes())
	}

	fn hotkey_path(&self, name: &str) -> PathBuf {
		self.dir.join(HOTKEYS_DIR).join(format!("{name}.json"))
	}
}

fn check_name(name: &str) -> Result<(), WalletError> {
	let valid = !name.is_empty()
		&& !name.starts_with('.')
		&& name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
	if valid {
		Ok(())
	} else {
		Err(WalletError::BadName(name.into()))
	}
}

fn read(path: &Path) -> Result<String, WalletError> {
	fs::read_to_string(path).map_err(|source| WalletError::Io { path: path.into(), source })
}

fn make_private_dir(dir: &Path) -> Result<(), WalletError> {
	fs::DirBuilder::new()
		.recursive(true)
		.mode(0o700)
		.create(dir)
		.map_err(|source| WalletError::Io { path: dir.into(), source })
}

/// Writes `bytes` to `path` with mode 0600, through a temporary file renamed over it, so a
/// crash never leaves a half-written key.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), WalletError> {
	let io = |source| WalletError::Io { path: path.into(), source };
	let tmp = path.with_extension("tmp");
	let mut file = fs::OpenOptions::new()
		.write(true)
		.create(true)
		.truncate(true)
		.mode(0o600)
		.open(&tmp)
		.map_err(io)?;
	file.set_permissions(fs::Permissions::from_mode(0o600)).map_err(io)?;
	file.write_all(bytes).map_err(io)?;
	file.sync_all().map_err(io)?;
	fs::rename(&tmp, path).map_err(io)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_wallet_keeps_its_coldkey_encrypted_and_hotkeys_private() {
		let root = tempfile::tempdir().unwrap();
		let store = WalletStore::new(root.path());
		let coldkey = Keypair::from_uri("//Alice").unwrap();
		let wallet = store.create("alice", &coldkey, "pw", false).unwrap();
		assert_eq!(store.list().unwrap(), vec!["alice".to_string()]);
		assert_eq!(wallet.coldkey_account().unwrap(), coldkey.account_id());
		assert_eq!(wallet.coldkey("pw").unwrap().public(), coldkey.public());
		assert!(matches!(
			wallet.coldkey("nope"),
			Err(WalletError::Keystore(KeystoreError::WrongPassword))
		));
		let stored = fs::read_to_string(wallet.dir().join(COLDKEY_FILE)).unwrap();
		assert!(!stored.contains(&hex::encode(coldkey.secret_bytes())), "encrypted at rest");

		let hotkey = Keypair::from_uri("//Alice//hot").unwrap();
		wallet.add_hotkey("default", &hotkey, false).unwrap();
		assert_eq!(wallet.hotkey("default").unwrap().public(), hotkey.public());
		assert_eq!(wallet.hotkey_names().unwrap(), vec!["default".to_string()]);
		for file in [wallet.dir().join(COLDKEY_FILE), wallet.hotkey_path("default")] {
			let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
			assert_eq!(mode, 0o600, "{}", file.display());
		}
		let mode = fs::metadata(wallet.dir()).unwrap().permissions().mode() & 0o777;
		assert_eq!(mode, 0o700);
	}

	#[test]
	fn existing_keys_are_never_overwritten_unless_asked() {
		let root = tempfile::tempdir().unwrap();
		let store = WalletStore::new(root.path());
		let first = Keypair::from_uri("//First").unwrap();
		let wallet = store.create("w", &first, "pw", false).unwrap();
		let second = Keypair::from_uri("//Second").unwrap();
		assert!(matches!(store.create("w", &second, "pw", false), Err(WalletError::Exists(_))));
		assert_eq!(wallet.coldkey("pw").unwrap().public(), first.public(), "unchanged");
		wallet.add_hotkey("h", &first, false).unwrap();
		assert!(matches!(wallet.add_hotkey("h", &second, false), Err(WalletError::Exists(_))));
		assert_eq!(wallet.hotkey("h").unwrap().public(), first.public());
		store.create("w", &second, "pw", true).unwrap();
		assert_eq!(wallet.coldkey("pw").unwrap().public(), second.public());
	}

	#[test]
	fn names_must_be_plain_and_missing_things_are_named() {
		let root = tempfile::tempdir().unwrap();
		let store = WalletStore::new(root.path());
		let pair = Keypair::from_uri("//A").unwrap();
		for bad in ["", "../x", "a/b", ".hidden"] {
			assert!(matches!(store.create(bad, &pair, "pw", false), Err(WalletError::BadName(_))));
		}
		assert!(matches!(store.open("none"), Err(WalletError::NoWallet { .. })));
		let wallet = store.create("w", &pair, "pw", false).unwrap();
		assert!(matches!(wallet.hotkey("none"), Err(WalletError::NoHotkey { .. })));
	}

	#[test]
	fn pending_commits_are_kept_until_replaced() {
		let root = tempfile::tempdir().unwrap();
		let wallet = WalletStore::new(root.path())
			.create("w", &Keypair::from_uri("//A").unwrap(), "pw", false)
			.unwrap();
		assert!(wallet.pending_commits().unwrap().is_empty());
		let commit = PendingCommit {
			netuid: 1,
			hotkey: "5Grwva".into(),
			hash: "0x00".into(),
			uids: vec![0, 1],
			values: vec![1, 2],
			salt: vec![9; 8],
			version_key: 0,
		};
		wallet.save_pending_commits(std::slice::from_ref(&commit)).unwrap();
		assert_eq!(wallet.pending_commits().unwrap(), vec![commit]);
	}
}
