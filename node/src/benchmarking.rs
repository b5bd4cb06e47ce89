//! The `benchmark` subcommand (behind the `runtime-benchmarks` feature): pallet benchmarks
//! run against the WASM runtime and write `weights.rs` files.

use crate::{
	cli::Cli,
	service::{self, HostFunctions},
};
use polkadot_sdk::{
	frame_benchmarking_cli::{self, BenchmarkCmd},
	sc_cli::{self, SubstrateCli},
	sp_runtime::traits::HashingFor,
};

/// Runs a `benchmark` subcommand. Only `pallet`, `storage`, `block` and `machine` make sense
/// for this node; `overhead` and `extrinsic` need a signed-extrinsic builder it does not ship.
pub fn run(cli: &Cli, cmd: &BenchmarkCmd) -> sc_cli::Result<()> {
	let runner = cli.create_runner(cmd)?;
	match cmd {
		BenchmarkCmd::Pallet(cmd) => runner.sync_run(|config| {
			cmd.run_with_spec::<HashingFor<luxtensor_runtime::opaque::Block>, HostFunctions>(Some(
				config.chain_spec,
			))
		}),
		BenchmarkCmd::Block(cmd) => runner.sync_run(|config| {
			let service::Service { client, .. } = service::new_partial(&config)?;
			cmd.run(client)
		}),
		BenchmarkCmd::Storage(cmd) => runner.sync_run(|config| {
			let service::Service { client, backend, .. } = service::new_partial(&config)?;
			let db = backend.expose_db();
			let storage = backend.expose_storage();
			let shared_cache = backend.expose_shared_trie_cache();
			cmd.run(config, client, db, storage, shared_cache)
		}),
		BenchmarkCmd::Machine(cmd) => runner.sync_run(|config| {
			cmd.run(&config, frame_benchmarking_cli::SUBSTRATE_REFERENCE_HARDWARE.clone())
		}),
		_ => Err("this benchmark subcommand is not supported by luxtensor-node: use `pallet`, \
		          `block`, `storage` or `machine`"
			.into()),
	}
}
