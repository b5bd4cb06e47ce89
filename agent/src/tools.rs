//! The commands around the agents: the content store, models and inputs for jobs, the
//! hardware a provider would declare, and the benchmark run locally.

use anyhow::{bail, Context, Result};
use luxtensor_workloads::{bench, store::Store, workload};
use std::{fs, path::PathBuf, time::Instant};

#[derive(Debug, clap::Subcommand)]
pub enum ContentCommand {
	/// Store a file; prints its CID (CIDv1, raw, sha2-256: what `ipfs add --cid-version 1
	/// --raw-leaves` gives for a single block).
	Put {
		file: PathBuf,
		/// `dir:PATH` or `http://GATEWAY[,api=http://API]`.
		#[arg(long)]
		store: String,
	},
	/// Fetch content by CID (checked against it) into a file.
	Get {
		cid: String,
		#[arg(long)]
		store: String,
		#[arg(long, short = 'o')]
		out: PathBuf,
	},
	/// Print the CID of a file without storing it.
	Cid { file: PathBuf },
}

#[derive(Debug, clap::Subcommand)]
pub enum ModelCommand {
	/// Write a quantized model (LXQM: int8 weights, int32 biases) generated from a seed.
	/// One layer (`--dims IN,OUT`) makes a model that training jobs can train.
	Generate {
		#[arg(long)]
		seed: u64,
		/// Layer widths, input first: `16,32,8` is two layers.
		#[arg(long, value_delimiter = ',', required = true)]
		dims: Vec<u16>,
		#[arg(long, short = 'o')]
		out: PathBuf,
	},
}

#[derive(Debug, clap::Subcommand)]
pub enum InputCommand {
	/// Write `rows` rows of `width` int8 values from a seed: an inference input (width = the
	/// model's input) or a training dataset (width = input + output: x then y).
	Generate {
		#[arg(long)]
		seed: u64,
		#[arg(long)]
		rows: u32,
		#[arg(long)]
		width: u32,
		#[arg(long, short = 'o')]
		out: PathBuf,
	},
}

pub async fn content(command: &ContentCommand) -> Result<()> {
	match command {
		ContentCommand::Put { file, store } => {
			let bytes =
				fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
			println!("{}", Store::from_spec(store)?.put(&bytes).await?);
		}
		ContentCommand::Get { cid, store, out } => {
			let bytes = Store::from_spec(store)?.get(cid).await?;
			fs::write(out, bytes).with_context(|| format!("cannot write {}", out.display()))?;
		}
		ContentCommand::Cid { file } => {
			let bytes =
				fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
			println!("{}", luxtensor_workloads::cid::raw_cid(&bytes));
		}
	}
	Ok(())
}

pub fn model(command: &ModelCommand) -> Result<()> {
	let ModelCommand::Generate { seed, dims, out } = command;
	if dims.len() < 2 {
		bail!("give at least two widths: the input and one layer's output");
	}
	let bytes = workload::generate_model(*seed, dims);
	// Checked as a job would read it, so a bad shape fails here and not on a provider.
	workload::Model::parse(&bytes).map_err(|e| anyhow::anyhow!("{e}"))?;
	fs::write(out, bytes).with_context(|| format!("cannot write {}", out.display()))
}

pub fn input(command: &InputCommand) -> Result<()> {
	let InputCommand::Generate { seed, rows, width, out } = command;
	if *rows == 0 || *width == 0 {
		bail!("rows and width must be above zero");
	}
	let bytes = workload::generate_input(*seed, *rows as usize, *width as usize);
	fs::write(out, bytes).with_context(|| format!("cannot write {}", out.display()))
}

pub fn hardware() -> Result<()> {
	let hardware = luxtensor_workloads::hardware::detect(&std::env::current_dir()?);
	let (major, minor) = hardware.compute_capability();
	let json = serde_json::json!({
		"cpuModel": hardware.cpu_model,
		"cpuCores": hardware.cpu_cores,
		"ramMib": hardware.ram_mib,
		"diskGib": hardware.disk_gib,
		"gpus": hardware.gpus.iter().map(|gpu| serde_json::json!({
			"name": gpu.name, "vramMib": gpu.vram_mib,
			"computeCapability": format!("{}.{}", gpu.compute_capability.0, gpu.compute_capability.1),
		})).collect::<Vec<_>>(),
		"declared": {
			"gpuModel": hardware.gpu_model_name(),
			"gpuCount": hardware.gpu_count(),
			"vramPerGpuMib": hardware.vram_per_gpu_mib(),
			"computeCapability": format!("{major}.{minor}"),
		},
	});
	println!("{}", serde_json::to_string_pretty(&json)?);
	Ok(())
}

pub fn bench(dim: u32, rounds: u32, threads: Option<usize>) -> Result<()> {
	if dim == 0 || rounds == 0 {
		bail!("dim and rounds must be above zero");
	}
	let threads =
		threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
	let challenge = bench::Challenge { seed: 1, dim, rounds };
	let started = Instant::now();
	let answer = bench::run(&challenge, threads);
	let elapsed = started.elapsed();
	let correct = bench::verify(&challenge, &answer, 2);
	let score = bench::score(bench::multiply_adds(&challenge), elapsed);
	println!(
		"{}",
		serde_json::json!({ "score": score, "seconds": elapsed.as_secs_f64(), "threads": threads, "correct": correct })
	);
	Ok(())
}
