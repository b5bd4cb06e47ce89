//! `luxtensor-node export-metadata`: the runtime's metadata, for clients generated from it.
//!
//! The bytes are those the runtime API `Metadata_metadata_at_version` returns on a new chain
//! (a SCALE-encoded `RuntimeMetadataPrefixed`), taken from the runtime linked into this
//! binary, so no node has to run. A few constants are storage parameters root may retune;
//! they read as their defaults here, over empty storage. `scripts/gen-metadata.sh` writes them to
//! `client/metadata/luxtensor.scale` and checks that file for drift.

use polkadot_sdk::{sc_cli, sp_io::TestExternalities};
use std::{io::Write, path::PathBuf};

/// The metadata version clients are generated from.
const DEFAULT_VERSION: u32 = 16;

/// Writes the runtime's metadata to a file or to stdout.
#[derive(Debug, clap::Parser)]
pub struct ExportMetadataCmd {
	/// The metadata version to export (the runtime lists the ones it has).
	#[arg(long, default_value_t = DEFAULT_VERSION)]
	pub version: u32,

	/// Write to this file instead of stdout.
	#[arg(long, short, value_name = "FILE")]
	pub output: Option<PathBuf>,
}

impl ExportMetadataCmd {
	/// Encodes the metadata and writes it out.
	pub fn run(&self) -> sc_cli::Result<()> {
		let metadata = TestExternalities::new_empty()
			.execute_with(|| luxtensor_runtime::Runtime::metadata_at_version(self.version))
			.ok_or_else(|| {
				let versions = luxtensor_runtime::Runtime::metadata_versions();
				format!("the runtime has no metadata version {}: it has {versions:?}", self.version)
			})?;
		let bytes: &[u8] = &metadata;
		match &self.output {
			Some(path) => std::fs::write(path, bytes)?,
			None => std::io::stdout().lock().write_all(bytes)?,
		}
		Ok(())
	}
}
