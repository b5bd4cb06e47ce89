//! What an agent must not forget across restarts: the results and salts behind its
//! commitments. Kept as JSON in `--state-dir`, written to a temporary file, synced and
//! renamed over the old one, so a crash leaves either the old state or the new one. Every
//! salt is written before the commitment that needs it is sent.

use anyhow::{Context, Result};
use serde::{de::DeserializeOwned, Serialize};
use std::{
	fs,
	io::Write,
	path::{Path, PathBuf},
};

/// A JSON document on disk holding a `T`.
pub struct StateFile<T> {
	path: PathBuf,
	pub value: T,
}

impl<T: Serialize + DeserializeOwned + Default> StateFile<T> {
	/// Opens `dir/name`, creating the directory (0700) and starting from `T::default()` when
	/// the file does not exist yet. A file that does not parse is an error, never replaced:
	/// it holds salts.
	pub fn open(dir: &Path, name: &str) -> Result<Self> {
		fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
		}
		let path = dir.join(name);
		let value = match fs::read(&path) {
			Ok(bytes) => serde_json::from_slice(&bytes).with_context(|| {
				format!("{} is not valid agent state; move it away to start afresh", path.display())
			})?,
			Err(error) if error.kind() == std::io::ErrorKind::NotFound => T::default(),
			Err(error) => return Err(error).context(format!("cannot read {}", path.display())),
		};
		Ok(Self { path, value })
	}

	/// Writes the state durably.
	pub fn save(&self) -> Result<()> {
		let bytes = serde_json::to_vec_pretty(&self.value)?;
		let temporary = self.path.with_extension("tmp");
		{
			let mut file = fs::OpenOptions::new()
				.write(true)
				.create(true)
				.truncate(true)
				.open(&temporary)
				.with_context(|| format!("cannot write {}", temporary.display()))?;
			file.write_all(&bytes)?;
			file.sync_all()?;
		}
		fs::rename(&temporary, &self.path)
			.with_context(|| format!("cannot replace {}", self.path.display()))?;
		if let Some(dir) = self.path.parent() {
			// The rename itself must reach the disk too.
			fs::File::open(dir)?.sync_all()?;
		}
		Ok(())
	}
}

/// Hex with a `0x` prefix, for hashes and salts in the state files.
pub mod hex32 {
	use serde::{Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(bytes: &[u8; 32], serializer: S) -> Result<S::Ok, S::Error> {
		serializer.serialize_str(&format!("0x{}", hex::encode(bytes)))
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<[u8; 32], D::Error> {
		let text = String::deserialize(deserializer)?;
		let bytes = hex::decode(text.trim_start_matches("0x")).map_err(serde::de::Error::custom)?;
		bytes.try_into().map_err(|_| serde::de::Error::custom("expected 32 bytes"))
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde::Deserialize;
	use std::collections::BTreeMap;

	#[derive(Default, Serialize, Deserialize, PartialEq, Debug)]
	struct Salts {
		#[serde(default)]
		by_job: BTreeMap<u64, Salt>,
	}

	#[derive(Serialize, Deserialize, PartialEq, Debug)]
	struct Salt(#[serde(with = "hex32")] [u8; 32]);

	#[test]
	fn state_survives_reopening_and_a_corrupt_file_is_never_replaced() {
		let dir = tempfile::tempdir().unwrap();
		let mut state = StateFile::<Salts>::open(dir.path(), "state.json").unwrap();
		assert!(state.value.by_job.is_empty());
		state.value.by_job.insert(7, Salt([0xab; 32]));
		state.save().unwrap();

		let reopened = StateFile::<Salts>::open(dir.path(), "state.json").unwrap();
		assert_eq!(reopened.value, state.value);
		assert!(!dir.path().join("state.tmp").exists());

		fs::write(dir.path().join("state.json"), b"{ not json").unwrap();
		let error = StateFile::<Salts>::open(dir.path(), "state.json").err().unwrap();
		assert!(error.to_string().contains("not valid agent state"));
		assert_eq!(fs::read(dir.path().join("state.json")).unwrap(), b"{ not json");
	}
}
