//! `luxctl compute`: the GPU market. Providers register hardware and bond; posters quote, post
//! and manage jobs; anyone reads providers, models, jobs and the network's counters. Reads go
//! through the node's `compute_*` JSON-RPC methods, whose JSON `--json` prints unchanged.

use crate::{
	commands::{parse_perbill, print_outcome, WalletHotkey},
	context::{Ctx, Result},
	output,
};
use clap::{Args, Subcommand, ValueEnum};
use luxtensor_client::{
	api::{
		self,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			luxtensor_primitives::compute::{
				AssignmentPolicy, ComputeCapability, GpuRequirement, HardwareSpec, JobKind,
				JobSpec, ModelKind, ModelVersion, Workload,
			},
			luxtensor_runtime::RuntimeCall,
			pallet_compute as compute,
		},
	},
	types::NetUid,
	units::{format_mdt, parse_mdt},
};
use serde_json::{json, Value};

#[derive(Debug, Subcommand)]
pub enum ComputeCommand {
	/// Mark a subnet as a compute subnet (root, through `sudo.sudo`: development and test
	/// chains).
	MarkSubnet(MarkSubnetArgs),
	/// Providers, filtered (JSON-RPC `compute_providers`).
	Providers(ProvidersArgs),
	/// One provider (`compute_provider`).
	Provider {
		/// The provider's hotkey (SS58).
		hotkey: String,
	},
	/// Register the wallet's hotkey as a provider of its hardware (bonds by GPU count).
	Register(RegisterArgs),
	/// Change a provider's ask price or payout account for future jobs.
	Update(UpdateArgs),
	/// Tell the chain the provider is online (fee-free, signed by the hotkey).
	Heartbeat(WalletHotkey),
	/// Add to a provider's bond.
	BondMore(AmountArgs),
	/// Start unbonding part of the bond above what the hardware requires.
	Unbond(AmountArgs),
	/// Withdraw bond whose unbonding period has passed.
	Withdraw(WalletHotkey),
	/// Leave the market (no open jobs); the bond unbonds.
	Deregister(WalletHotkey),
	/// Registered models (`compute_models`).
	Models,
	/// One model (`compute_model`).
	Model { id: u32 },
	/// Register a model (its content id) for jobs to name.
	RegisterModel(RegisterModelArgs),
	/// The network's counters (`compute_networkMetrics`).
	Metrics,
	/// What posting a job holds in escrow (`ComputeApi::quote`), without posting it.
	Quote(JobArgs),
	/// Post a job: its quote is held from the coldkey.
	Post(PostArgs),
	/// One job (`compute_job`).
	Job { id: u64 },
	/// Jobs, filtered (`compute_jobs`).
	Jobs(JobsArgs),
	/// Cancel your job before anyone accepts it.
	Cancel(JobIdArgs),
	/// Add escrow to your lease.
	TopUp(TopUpArgs),
	/// End a lease (poster or provider): periods owed are paid, the rest refunded.
	Terminate(JobIdArgs),
	/// Challenge a replica's result within the job's challenge window (holds a bond).
	Challenge(ChallengeArgs),
}

#[derive(Debug, Args)]
pub struct MarkSubnetArgs {
	pub netuid: NetUid,
	/// The sudo key's wallet.
	#[arg(long, short = 'w', default_value = "default")]
	pub wallet: String,
	/// Unmark it instead.
	#[arg(long)]
	pub unmark: bool,
}

#[derive(Debug, Args)]
pub struct ProvidersArgs {
	#[arg(long)]
	pub netuid: Option<NetUid>,
	/// Active, PendingAttestation, Offline, Rejected or Leaving.
	#[arg(long)]
	pub status: Option<String>,
	/// At most this many (the node caps pages at 256).
	#[arg(long, default_value_t = 256)]
	pub limit: u32,
}

#[derive(Debug, Args)]
pub struct RegisterArgs {
	#[command(flatten)]
	pub key: WalletHotkey,
	/// The compute subnet the hotkey is registered on.
	#[arg(long)]
	pub netuid: NetUid,
	/// GPU model name, as attestors will check it (e.g. H100-SXM).
	#[arg(long)]
	pub gpu_model: String,
	#[arg(long)]
	pub gpu_count: u16,
	/// VRAM per GPU, MiB.
	#[arg(long)]
	pub vram_mib: u32,
	/// CUDA compute capability, `MAJOR.MINOR`.
	#[arg(long, value_parser = parse_capability)]
	pub compute_capability: (u8, u8),
	#[arg(long)]
	pub cpu_cores: u16,
	#[arg(long)]
	pub ram_mib: u32,
	#[arg(long)]
	pub disk_gib: u32,
	#[arg(long)]
	pub bandwidth_mbps: u32,
	/// Two-letter region code (ISO 3166-1 alpha-2).
	#[arg(long, value_parser = parse_region)]
	pub region: [u8; 2],
	/// Price asked per unit of work, MDT.
	#[arg(long, value_parser = parse_mdt)]
	pub ask_price: u128,
	/// Where payments go (default: the coldkey).
	#[arg(long)]
	pub payout: Option<String>,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
	#[command(flatten)]
	pub key: WalletHotkey,
	#[arg(long, value_parser = parse_mdt)]
	pub ask_price: Option<u128>,
	#[arg(long)]
	pub payout: Option<String>,
}

#[derive(Debug, Args)]
pub struct AmountArgs {
	#[command(flatten)]
	pub key: WalletHotkey,
	#[arg(long, value_parser = parse_mdt)]
	pub amount: u128,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ModelKindArg {
	Llm,
	Vision,
	Audio,
	Embedding,
	Other,
}

#[derive(Debug, Args)]
pub struct RegisterModelArgs {
	#[arg(long, short = 'w', default_value = "default")]
	pub wallet: String,
	#[arg(long)]
	pub name: String,
	/// The weights' content id (CIDv1).
	#[arg(long)]
	pub cid: String,
	/// `MAJOR.MINOR.PATCH`.
	#[arg(long, value_parser = parse_version)]
	pub version: (u16, u16, u16),
	#[arg(long, value_enum)]
	pub kind: ModelKindArg,
	#[arg(long, default_value = "")]
	pub metadata: String,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum JobKindArg {
	Inference,
	Training,
	Lease,
}

/// A job's specification.
#[derive(Debug, Args)]
pub struct JobArgs {
	#[arg(long, value_enum, default_value = "inference")]
	pub kind: JobKindArg,
	/// Inference units, training steps or lease periods.
	#[arg(long)]
	pub units: u32,
	/// Training: commit a checkpoint every this many steps.
	#[arg(long, default_value_t = 0)]
	pub checkpoint_every: u32,
	/// Lease: blocks per period.
	#[arg(long, default_value_t = 0)]
	pub period_blocks: u32,
	/// A registered model's id...
	#[arg(long, conflicts_with = "workload", required_unless_present = "workload")]
	pub model: Option<u32>,
	/// ...or the workload's content id.
	#[arg(long)]
	pub workload: Option<String>,
	/// The input's content id.
	#[arg(long)]
	pub input: String,
	/// A GPU model by name...
	#[arg(long, conflicts_with = "min_class", required_unless_present = "min_class")]
	pub gpu_model: Option<String>,
	/// ...or a minimum performance class.
	#[arg(long)]
	pub min_class: Option<u8>,
	#[arg(long, default_value_t = 1)]
	pub gpu_count: u16,
	/// Least provider reputation (`60%` or `0.6`).
	#[arg(long, default_value = "0")]
	pub min_reputation: String,
	/// Most paid per unit, MDT.
	#[arg(long, value_parser = parse_mdt)]
	pub max_unit_price: u128,
	/// Blocks from now until the results are due.
	#[arg(long)]
	pub deadline: u32,
	/// `random`, `direct:HOTKEY` or `auction:WINDOW` (blocks).
	#[arg(long, default_value = "random")]
	pub assignment: String,
	#[arg(long, default_value_t = 1)]
	pub replicas: u8,
	#[arg(long, default_value_t = 1)]
	pub quorum: u8,
	/// Chance that validators re-run it (`50%`).
	#[arg(long, default_value = "0")]
	pub spot_check: String,
	/// Blocks after the quorum during which its results may be challenged.
	#[arg(long, default_value_t = 0)]
	pub challenge_window: u32,
}

#[derive(Debug, Args)]
pub struct PostArgs {
	#[arg(long, short = 'w', default_value = "default")]
	pub wallet: String,
	#[command(flatten)]
	pub job: JobArgs,
}

#[derive(Debug, Args)]
pub struct JobsArgs {
	/// Jobs posted by this account.
	#[arg(long)]
	pub poster: Option<String>,
	/// Jobs of this provider hotkey.
	#[arg(long)]
	pub provider: Option<String>,
	/// Open, Assigned, Running, Revealing, Grace, Settled, Cancelled, Failed, Refunded or
	/// Terminated.
	#[arg(long)]
	pub status: Option<String>,
	#[arg(long, default_value_t = 256)]
	pub limit: u32,
}

#[derive(Debug, Args)]
pub struct JobIdArgs {
	pub id: u64,
	/// The wallet whose coldkey (poster) or hotkey (provider) signs.
	#[arg(long, short = 'w', default_value = "default")]
	pub wallet: String,
	/// Sign with this hotkey of the wallet instead of the coldkey (a provider).
	#[arg(long, short = 'k')]
	pub hotkey: Option<String>,
}

#[derive(Debug, Args)]
pub struct TopUpArgs {
	pub id: u64,
	#[arg(long, short = 'w', default_value = "default")]
	pub wallet: String,
	#[arg(long, value_parser = parse_mdt)]
	pub amount: u128,
}

#[derive(Debug, Args)]
pub struct ChallengeArgs {
	pub id: u64,
	#[arg(long, short = 'w', default_value = "default")]
	pub wallet: String,
	/// The replica's provider hotkey (SS58).
	#[arg(long)]
	pub provider: String,
	/// Content id of the evidence.
	#[arg(long)]
	pub evidence: String,
}

pub async fn run(ctx: &Ctx, command: ComputeCommand) -> Result<()> {
	match command {
		ComputeCommand::MarkSubnet(args) => {
			let wallet = ctx.wallet(&args.wallet)?;
			let enabled = !args.unmark;
			ctx.confirm(&format!(
				"{} subnet {} as a compute subnet, as root",
				if enabled { "mark" } else { "unmark" },
				args.netuid
			))?;
			let sudo = ctx.coldkey(&wallet)?;
			let call = RuntimeCall::Compute(compute::pallet::Call::set_compute_subnet {
				netuid: args.netuid,
				enabled,
			});
			let outcome =
				ctx.send(&api::tx().sudo().sudo(call), &sudo, "compute subnet set").await?;
			crate::commands::sudo_succeeded(&outcome)?;
			print_outcome(ctx, &outcome, json!({}));
			Ok(())
		}
		ComputeCommand::Providers(args) => {
			let mut filter = json!({ "limit": args.limit });
			if let Some(netuid) = args.netuid {
				filter["netuid"] = json!(netuid);
			}
			if let Some(status) = args.status {
				filter["status"] = json!(status);
			}
			let providers = rpc(ctx, "compute_providers", vec![filter]).await?;
			output::print_json_or(ctx, &providers, || {
				let rows = list(&providers)
					.map(|p| {
						vec![
							text(&p["hotkey"]),
							text(&p["netuid"]),
							text(&p["status"]),
							format!(
								"{} x {}",
								text(&p["spec"]["gpuCount"]),
								text(&p["spec"]["gpuModel"])
							),
							mdt(&p["askPrice"]),
							mdt(&p["bond"]),
							text(&p["reputation"]),
							text(&p["activeJobs"]),
						]
					})
					.collect();
				let header =
					["HOTKEY", "NETUID", "STATUS", "GPUS", "ASK", "BOND", "REPUTATION", "JOBS"];
				println!("{}", output::table(&header, rows, &["NETUID", "ASK", "BOND", "JOBS"]));
			});
			Ok(())
		}
		ComputeCommand::Provider { hotkey } => {
			let hotkey = ctx.account(None, &hotkey)?;
			let provider = rpc(ctx, "compute_provider", vec![json!(hotkey.to_string())]).await?;
			if provider.is_null() {
				return Err(format!("{hotkey} is not a provider").into());
			}
			print_object(ctx, &provider);
			Ok(())
		}
		ComputeCommand::Register(args) => register(ctx, args).await,
		ComputeCommand::Update(args) => {
			let (wallet, hotkey) = args.key.open(ctx)?;
			let payout =
				args.payout.map(|payout| ctx.account(Some(&wallet), &payout)).transpose()?;
			if args.ask_price.is_none() && payout.is_none() {
				return Err("nothing to update: give --ask-price or --payout".into());
			}
			let coldkey = ctx.coldkey(&wallet)?;
			let call = api::tx().compute().update_provider(
				hotkey.account_id(),
				args.ask_price,
				payout,
				None,
			);
			ctx.send_and_report(&call, &coldkey, "provider updated").await
		}
		ComputeCommand::Heartbeat(key) => {
			let (_, hotkey) = key.open(ctx)?;
			ctx.send_and_report(&api::tx().compute().heartbeat(), &hotkey, "heartbeat").await
		}
		ComputeCommand::BondMore(args) => {
			let (wallet, hotkey) = args.key.open(ctx)?;
			ctx.confirm(&format!(
				"bond {} MDT more on provider {}",
				format_mdt(args.amount),
				hotkey.account_id()
			))?;
			let coldkey = ctx.coldkey(&wallet)?;
			let call = api::tx().compute().bond_more(hotkey.account_id(), args.amount);
			ctx.send_and_report(&call, &coldkey, "bonded").await
		}
		ComputeCommand::Unbond(args) => {
			let (wallet, hotkey) = args.key.open(ctx)?;
			let coldkey = ctx.coldkey(&wallet)?;
			let call = api::tx().compute().unbond(hotkey.account_id(), args.amount);
			ctx.send_and_report(&call, &coldkey, "unbonding").await
		}
		ComputeCommand::Withdraw(key) => {
			let (wallet, hotkey) = key.open(ctx)?;
			let coldkey = ctx.coldkey(&wallet)?;
			let call = api::tx().compute().withdraw_unbonded(hotkey.account_id());
			ctx.send_and_report(&call, &coldkey, "withdrawn").await
		}
		ComputeCommand::Deregister(key) => {
			let (wallet, hotkey) = key.open(ctx)?;
			ctx.confirm(&format!(
				"deregister provider {} (its bond unbonds)",
				hotkey.account_id()
			))?;
			let coldkey = ctx.coldkey(&wallet)?;
			let call = api::tx().compute().deregister(hotkey.account_id());
			ctx.send_and_report(&call, &coldkey, "deregistered").await
		}
		ComputeCommand::Models => {
			let models =
				rpc(ctx, "compute_models", vec![json!({ "includeDeprecated": true })]).await?;
			output::print_json_or(ctx, &models, || {
				let rows = list(&models)
					.map(|m| {
						vec![
							text(&m["id"]),
							text(&m["name"]),
							text(&m["version"]),
							text(&m["kind"]),
							text(&m["contentId"]),
							text(&m["owner"]),
							if m["deprecated"].as_bool().unwrap_or(false) {
								"deprecated".into()
							} else {
								String::new()
							},
						]
					})
					.collect();
				let header = ["ID", "NAME", "VERSION", "KIND", "CONTENT", "OWNER", ""];
				println!("{}", output::table(&header, rows, &["ID"]));
			});
			Ok(())
		}
		ComputeCommand::Model { id } => {
			let model = rpc(ctx, "compute_model", vec![json!(id)]).await?;
			if model.is_null() {
				return Err(format!("no model {id}").into());
			}
			print_object(ctx, &model);
			Ok(())
		}
		ComputeCommand::RegisterModel(args) => {
			let wallet = ctx.wallet(&args.wallet)?;
			let (major, minor, patch) = args.version;
			let kind = match args.kind {
				ModelKindArg::Llm => ModelKind::Llm,
				ModelKindArg::Vision => ModelKind::Vision,
				ModelKindArg::Audio => ModelKind::Audio,
				ModelKindArg::Embedding => ModelKind::Embedding,
				ModelKindArg::Other => ModelKind::Other,
			};
			ctx.confirm(&format!(
				"register model '{}' {major}.{minor}.{patch} (a deposit is held)",
				args.name
			))?;
			let coldkey = ctx.coldkey(&wallet)?;
			let call = api::tx().compute().register_model(
				bounded(&args.name),
				bounded(&args.cid),
				ModelVersion { major, minor, patch },
				kind,
				bounded(&args.metadata),
			);
			let outcome = ctx.send(&call, &coldkey, "model registered").await?;
			let id = crate::commands::event_u128(&outcome, "Compute", "ModelRegistered", "id");
			if !ctx.json {
				if let Some(id) = id {
					println!("model {id}");
				}
			}
			print_outcome(ctx, &outcome, json!({ "id": id }));
			Ok(())
		}
		ComputeCommand::Metrics => {
			let metrics = rpc(ctx, "compute_networkMetrics", vec![]).await?;
			print_object(ctx, &metrics);
			Ok(())
		}
		ComputeCommand::Quote(args) => {
			let at = ctx.client().await?.at_best().await?;
			let spec = job_spec(ctx, &args, at.number())?;
			let quote = at
				.block()
				.runtime_apis()
				.call(api::runtime_apis().compute_api().quote(spec))
				.await
				.map_err(luxtensor_client::Error::from)?;
			let report = json!({
				"payment": quote.payment.to_string(),
				"verificationFee": quote.verification_fee.to_string(),
				"deposit": quote.deposit.to_string(),
				"total": quote.total.to_string(),
			});
			output::print_json_or(ctx, &report, || {
				println!("payment            {} MDT", format_mdt(quote.payment));
				println!("verification fee   {} MDT", format_mdt(quote.verification_fee));
				println!("deposit            {} MDT", format_mdt(quote.deposit));
				println!("held in escrow     {} MDT", format_mdt(quote.total));
			});
			Ok(())
		}
		ComputeCommand::Post(args) => post(ctx, args).await,
		ComputeCommand::Job { id } => {
			let job = rpc(ctx, "compute_job", vec![json!(id)]).await?;
			if job.is_null() {
				return Err(format!("no job {id}").into());
			}
			print_object(ctx, &job);
			Ok(())
		}
		ComputeCommand::Jobs(args) => {
			let mut filter = json!({ "limit": args.limit });
			if let Some(poster) = args.poster {
				filter["poster"] = json!(ctx.account(None, &poster)?.to_string());
			}
			if let Some(provider) = args.provider {
				filter["provider"] = json!(ctx.account(None, &provider)?.to_string());
			}
			if let Some(status) = args.status {
				filter["status"] = json!(status);
			}
			let jobs = rpc(ctx, "compute_jobs", vec![filter]).await?;
			output::print_json_or(ctx, &jobs, || {
				let rows = list(&jobs)
					.map(|j| {
						vec![
							text(&j["id"]),
							text(&j["status"]),
							text(&j["poster"]),
							mdt(&j["escrow"]),
							mdt(&j["paid"]),
							text(&j["postedAt"]),
						]
					})
					.collect();
				let header = ["ID", "STATUS", "POSTER", "ESCROW", "PAID", "POSTED"];
				println!("{}", output::table(&header, rows, &["ID", "ESCROW", "PAID", "POSTED"]));
			});
			Ok(())
		}
		ComputeCommand::Cancel(args) => {
			let signer = job_signer(ctx, &args)?;
			ctx.send_and_report(&api::tx().compute().cancel_job(args.id), &signer, "job cancelled")
				.await
		}
		ComputeCommand::TopUp(args) => {
			let wallet = ctx.wallet(&args.wallet)?;
			ctx.confirm(&format!(
				"add {} MDT to the escrow of job {}",
				format_mdt(args.amount),
				args.id
			))?;
			let coldkey = ctx.coldkey(&wallet)?;
			ctx.send_and_report(
				&api::tx().compute().top_up(args.id, args.amount),
				&coldkey,
				"topped up",
			)
			.await
		}
		ComputeCommand::Terminate(args) => {
			let signer = job_signer(ctx, &args)?;
			ctx.confirm(&format!("terminate lease {}", args.id))?;
			ctx.send_and_report(
				&api::tx().compute().terminate_lease(args.id),
				&signer,
				"lease terminated",
			)
			.await
		}
		ComputeCommand::Challenge(args) => {
			let wallet = ctx.wallet(&args.wallet)?;
			let provider = ctx.account(None, &args.provider)?;
			ctx.confirm(&format!("challenge {provider}'s result on job {} (a challenge bond is held until a jury decides)", args.id))?;
			let coldkey = ctx.coldkey(&wallet)?;
			let call = api::tx().compute().challenge(args.id, provider, bounded(&args.evidence));
			ctx.send_and_report(&call, &coldkey, "challenged").await
		}
	}
}

async fn register(ctx: &Ctx, args: RegisterArgs) -> Result<()> {
	let (wallet, hotkey) = args.key.open(ctx)?;
	let payout = match &args.payout {
		Some(payout) => ctx.account(Some(&wallet), payout)?,
		None => wallet.coldkey_account()?,
	};
	let at = ctx.client().await?.at_best().await?;
	at.existing_subnet(args.netuid).await?;
	if at.uid_of(args.netuid, &hotkey.account_id()).await?.is_none() {
		return Err(format!(
			"hotkey {} is not registered on subnet {}: luxctl register first",
			hotkey.account_id(),
			args.netuid
		)
		.into());
	}
	let (major, minor) = args.compute_capability;
	let spec = HardwareSpec {
		gpu_model: bounded(&args.gpu_model),
		gpu_count: args.gpu_count,
		vram_per_gpu_mib: args.vram_mib,
		compute_capability: ComputeCapability { major, minor },
		cpu_cores: args.cpu_cores,
		ram_mib: args.ram_mib,
		disk_gib: args.disk_gib,
		bandwidth_mbps: args.bandwidth_mbps,
		region: args.region,
	};
	ctx.confirm(&format!(
		"register {} as a provider of {} x {} on subnet {} (the bond and the attestation fee are held from the coldkey)",
		hotkey.account_id(),
		args.gpu_count,
		args.gpu_model,
		args.netuid
	))?;
	let coldkey = ctx.coldkey(&wallet)?;
	let call = api::tx().compute().register_provider(
		hotkey.account_id(),
		args.netuid,
		spec,
		args.ask_price,
		payout,
	);
	ctx.send_and_report(&call, &coldkey, "provider registered").await
}

async fn post(ctx: &Ctx, args: PostArgs) -> Result<()> {
	let wallet = ctx.wallet(&args.wallet)?;
	let poster = wallet.coldkey_account()?;
	let at = ctx.client().await?.at_best().await?;
	let spec = job_spec(ctx, &args.job, at.number())?;
	let quote = at
		.block()
		.runtime_apis()
		.call(api::runtime_apis().compute_api().quote(spec.clone()))
		.await
		.map_err(luxtensor_client::Error::from)?;
	ctx.ensure_free(&at, &poster, quote.total, "the job's escrow").await?;
	ctx.confirm(&format!(
		"post the job, holding {} MDT in escrow (payment {}, verification fees {}, deposit {})",
		format_mdt(quote.total),
		format_mdt(quote.payment),
		format_mdt(quote.verification_fee),
		format_mdt(quote.deposit)
	))?;
	let coldkey = ctx.coldkey(&wallet)?;
	let outcome = ctx.send(&api::tx().compute().post_job(spec), &coldkey, "job posted").await?;
	let id = crate::commands::event_u128(&outcome, "Compute", "JobPosted", "job");
	if !ctx.json {
		if let Some(id) = id {
			println!("job {id}");
		}
	}
	print_outcome(ctx, &outcome, json!({ "job": id }));
	Ok(())
}

/// The job's spec from the flags; the deadline is `--deadline` blocks after `now`.
fn job_spec(
	ctx: &Ctx,
	args: &JobArgs,
	now: u64,
) -> Result<JobSpec<luxtensor_client::types::AccountId32>> {
	let kind = match args.kind {
		JobKindArg::Inference => JobKind::Inference { units: args.units },
		JobKindArg::Training => {
			JobKind::Training { steps: args.units, checkpoint_every: args.checkpoint_every }
		}
		JobKindArg::Lease => {
			JobKind::Lease { periods: args.units, period_blocks: args.period_blocks }
		}
	};
	let workload = match (&args.model, &args.workload) {
		(Some(id), _) => Workload::Model(*id),
		(None, Some(cid)) => Workload::Content(bounded(cid)),
		(None, None) => return Err("give --model or --workload".into()),
	};
	let gpu = match (&args.gpu_model, args.min_class) {
		(Some(name), _) => GpuRequirement::Model(bounded(name)),
		(None, Some(class)) => GpuRequirement::MinClass(class),
		(None, None) => return Err("give --gpu-model or --min-class".into()),
	};
	let assignment = match args.assignment.split_once(':') {
		None if args.assignment == "random" => AssignmentPolicy::Random,
		Some(("direct", hotkey)) => AssignmentPolicy::Direct(ctx.account(None, hotkey)?),
		Some(("auction", window)) => AssignmentPolicy::Auction {
			window: window
				.parse()
				.map_err(|_| format!("auction window '{window}' is not a number of blocks"))?,
		},
		_ => {
			return Err(format!(
				"'{}' is not an assignment: random, direct:HOTKEY or auction:WINDOW",
				args.assignment
			)
			.into())
		}
	};
	let deadline = u32::try_from(now).unwrap_or(u32::MAX).saturating_add(args.deadline);
	Ok(JobSpec {
		kind,
		workload,
		input: bounded(&args.input),
		gpu,
		gpu_count: args.gpu_count,
		min_reputation: parse_perbill(&args.min_reputation)?,
		max_unit_price: args.max_unit_price,
		deadline,
		assignment,
		replicas: args.replicas,
		quorum: args.quorum,
		spot_check: parse_perbill(&args.spot_check)?,
		challenge_window: args.challenge_window,
	})
}

/// The poster's coldkey, or with `--hotkey` a provider's hotkey.
fn job_signer(ctx: &Ctx, args: &JobIdArgs) -> Result<luxtensor_client::Keypair> {
	let wallet = ctx.wallet(&args.wallet)?;
	match &args.hotkey {
		Some(hotkey) => Ok(wallet.hotkey(hotkey)?),
		None => ctx.coldkey(&wallet),
	}
}

/// A node JSON-RPC method's answer.
async fn rpc(ctx: &Ctx, method: &str, params: Vec<Value>) -> Result<Value> {
	Ok(ctx.client().await?.request_json(method, params).await?)
}

/// A JSON object as `key  value` lines, or as JSON with `--json`.
fn print_object(ctx: &Ctx, value: &Value) {
	output::print_json_or(ctx, value, || {
		for (key, field) in value.as_object().into_iter().flatten() {
			let shown = match field {
				Value::String(text) => text.clone(),
				other => other.to_string(),
			};
			println!("{key:<24} {shown}");
		}
	});
}

fn list(value: &Value) -> impl Iterator<Item = &Value> {
	value.as_array().into_iter().flatten()
}

fn text(value: &Value) -> String {
	match value {
		Value::String(text) => text.clone(),
		Value::Null => String::new(),
		other => other.to_string(),
	}
}

/// A balance the node wrote as a decimal string of planck, in MDT.
fn mdt(value: &Value) -> String {
	value
		.as_str()
		.and_then(|planck| planck.parse().ok())
		.map(format_mdt)
		.unwrap_or_else(|| text(value))
}

fn bounded(text: &str) -> BoundedVec<u8> {
	BoundedVec(text.as_bytes().to_vec())
}

fn parse_capability(text: &str) -> std::result::Result<(u8, u8), String> {
	let (major, minor) =
		text.split_once('.').ok_or_else(|| format!("'{text}' is not MAJOR.MINOR"))?;
	Ok((
		major.parse().map_err(|_| format!("'{text}' is not MAJOR.MINOR"))?,
		minor.parse().map_err(|_| format!("'{text}' is not MAJOR.MINOR"))?,
	))
}

fn parse_region(text: &str) -> std::result::Result<[u8; 2], String> {
	match text.as_bytes() {
		[a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
			Ok([a.to_ascii_uppercase(), b.to_ascii_uppercase()])
		}
		_ => Err(format!("'{text}' is not a two-letter region code")),
	}
}

fn parse_version(text: &str) -> std::result::Result<(u16, u16, u16), String> {
	let parts: Vec<u16> = text
		.split('.')
		.map(|part| part.parse().map_err(|_| format!("'{text}' is not MAJOR.MINOR.PATCH")))
		.collect::<std::result::Result<_, _>>()?;
	match parts.as_slice() {
		[major, minor, patch] => Ok((*major, *minor, *patch)),
		_ => Err(format!("'{text}' is not MAJOR.MINOR.PATCH")),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn hardware_and_model_arguments_parse_or_name_the_problem() {
		assert_eq!(parse_capability("9.0"), Ok((9, 0)));
		assert!(parse_capability("9").is_err());
		assert_eq!(parse_region("de"), Ok(*b"DE"));
		assert!(parse_region("DEU").is_err());
		assert_eq!(parse_version("1.2.3"), Ok((1, 2, 3)));
		assert!(parse_version("1.2").is_err());
	}
}
