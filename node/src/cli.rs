//! Command-line interface: the standard Substrate node flags and subcommands.

use polkadot_sdk::*;

/// Subcommands of `luxtensor-node`; without one, the node runs.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect and insert keys, generate node keys.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification.
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Write the chain spec of a live network from its operators' keys (no development
	/// accounts, sudo only if given).
	TestnetSpec(crate::testnet_spec::TestnetSpecCmd),

	/// Export the chain specification of a chain (`--chain`).
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Write the runtime's metadata (SCALE-encoded, as `state_getMetadata` returns it) for
	/// clients generated from it, such as `luxtensor-client`.
	ExportMetadata(crate::metadata::ExportMetadataCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Sub-commands concerned with benchmarking (needs the `runtime-benchmarks` feature).
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(polkadot_sdk::frame_benchmarking_cli::BenchmarkCmd),

	/// Database metadata: best and finalized block, genesis hash.
	ChainInfo(sc_cli::ChainInfoCmd),
}

/// `luxtensor-node [SUBCOMMAND] [FLAGS]`.
#[derive(Debug, clap::Parser)]
#[command(
	propagate_version = true,
	args_conflicts_with_subcommands = true,
	subcommand_negates_reqs = true
)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: sc_cli::RunCmd,
}
