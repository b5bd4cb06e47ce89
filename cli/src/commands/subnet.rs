//! `luxctl subnet`, `luxctl register`, `luxctl root`.

use crate::{
	commands::{claimed_then, event_u128, print_outcome, WalletHotkey},
	context::{Ctx, Result},
	output,
};
use clap::{Args, Subcommand};
use luxtensor_client::{
	api::{self, runtime_types::sp_arithmetic},
	subxt::dynamic::{runtime_api_call, Value},
	types::{HyperparametersUpdate, NetUid},
	units::{format_mdt, parse_mdt},
	weights::normalize,
};
use serde_json::json;

#[derive(Debug, Subcommand)]
pub enum SubnetCommand {
	/// Create a subnet owned by the wallet's coldkey (locks the network price).
	Create(CreateArgs),
	/// Every subnet.
	List,
	/// One subnet: owner, lock, size, price, identity.
	Show(NetuidArg),
	/// A subnet's hyperparameters.
	Hyperparameters(NetuidArg),
	/// Change hyperparameters (owner; root-only ones with --sudo on chains with sudo).
	Set(SetArgs),
	/// Set the subnet's name, links and description.
	Identity(IdentityArgs),
	/// Dissolve the subnet (owner): the lock returns; its neurons are removed over the next
	/// blocks, and its netuid is free once they are.
	Dissolve(DissolveArgs),
}

#[derive(Debug, Args)]
pub struct NetuidArg {
	/// The subnet.
	pub netuid: NetUid,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
	#[command(flatten)]
	pub key: WalletHotkey,
	/// Refuse if the lock is above this many MDT (default: the current price).
	#[arg(long, value_parser = parse_mdt)]
	pub max_lock: Option<u128>,
}

#[derive(Debug, Args)]
pub struct SetArgs {
	pub netuid: NetUid,
	/// The owner's wallet.
	#[arg(long, short = 'w', default_value = "default")]
	pub wallet: String,
	/// `name=value`, repeatable: tempo=100, commit_reveal_enabled=true, owner_cut=18%,
	/// min_burn=0.5 (MDT), burn_increase_mult=1.5, ...
	#[arg(long = "param", required = true, value_name = "NAME=VALUE")]
	pub params: Vec<String>,
	/// Send as root through `sudo.sudo` (development and test chains).
	#[arg(long)]
	pub sudo: bool,
}

#[derive(Debug, Args)]
pub struct IdentityArgs {
	pub netuid: NetUid,
	#[arg(long, short = 'w', default_value = "default")]
	pub wallet: String,
	#[arg(long = "name")]
	pub subnet_name: String,
	#[arg(long, default_value = "")]
	pub repo: String,
	#[arg(long, default_value = "")]
	pub contact: String,
	#[arg(long, default_value = "")]
	pub url: String,
	#[arg(long, default_value = "")]
	pub description: String,
}

#[derive(Debug, Args)]
pub struct DissolveArgs {
	pub netuid: NetUid,
	#[arg(long, short = 'w', default_value = "default")]
	pub wallet: String,
}

#[derive(Debug, Args)]
pub struct RegisterArgs {
	#[command(flatten)]
	pub key: WalletHotkey,
	/// The subnet.
	#[arg(long)]
	pub netuid: NetUid,
	/// Refuse if the price is above this many MDT (default: the current price).
	#[arg(long, value_parser = parse_mdt)]
	pub max_burn: Option<u128>,
}

#[derive(Debug, Subcommand)]
pub enum RootCommand {
	/// Join the root network with a hotkey (by stake).
	Register(WalletHotkey),
	/// Set the root validator's weights over subnets.
	Weights(RootWeightsArgs),
}

#[derive(Debug, Args)]
pub struct RootWeightsArgs {
	#[command(flatten)]
	pub key: WalletHotkey,
	/// Subnets, comma-separated.
	#[arg(long, value_delimiter = ',', required = true)]
	pub netuids: Vec<NetUid>,
	/// Relative weights, comma-separated, one per subnet.
	#[arg(long, value_delimiter = ',', required = true)]
	pub weights: Vec<f64>,
}

pub async fn run(ctx: &Ctx, command: SubnetCommand) -> Result<()> {
	match command {
		SubnetCommand::Create(args) => create(ctx, args).await,
		SubnetCommand::List => list(ctx).await,
		SubnetCommand::Show(args) => show(ctx, args.netuid).await,
		SubnetCommand::Hyperparameters(args) => hyperparameters(ctx, args.netuid).await,
		SubnetCommand::Set(args) => set(ctx, args).await,
		SubnetCommand::Identity(args) => identity(ctx, args).await,
		SubnetCommand::Dissolve(args) => dissolve(ctx, args).await,
	}
}

async fn create(ctx: &Ctx, args: CreateArgs) -> Result<()> {
	let (wallet, hotkey) = args.key.open(ctx)?;
	let at = ctx.client().await?.at_best().await?;
	let lock = at.network_lock_cost().await?;
	let max_lock = args.max_lock.unwrap_or(lock);
	if lock > max_lock {
		return Err(format!(
			"the network lock is {} MDT, above --max-lock {}",
			format_mdt(lock),
			format_mdt(max_lock)
		)
		.into());
	}
	let coldkey_account = wallet.coldkey_account()?;
	ctx.ensure_free(&at, &coldkey_account, lock, "the network lock").await?;
	ctx.confirm(&format!(
		"create a subnet, locking {} MDT from {coldkey_account}",
		format_mdt(lock)
	))?;
	let coldkey = ctx.coldkey(&wallet)?;
	let register = api::runtime_types::pallet_subnets::pallet::Call::register_network {
		hotkey: hotkey.account_id(),
		max_lock,
	};
	let call = claimed_then(
		&at,
		&coldkey,
		&hotkey,
		api::runtime_types::luxtensor_runtime::RuntimeCall::Subnets(register),
	)
	.await?;
	let outcome = ctx.send(&call, &coldkey, "subnet created").await?;
	let netuid = event_u128(&outcome, "Subnets", "NetworkRegistered", "netuid");
	if !ctx.json {
		if let Some(netuid) = netuid {
			println!("netuid {netuid}");
		}
	}
	print_outcome(ctx, &outcome, json!({ "netuid": netuid }));
	Ok(())
}

async fn list(ctx: &Ctx) -> Result<()> {
	let at = ctx.client().await?.at_best().await?;
	let subnets = at.subnets().await?;
	let report: Vec<_> = subnets
		.iter()
		.map(|subnet| {
			json!({
				"netuid": subnet.netuid,
				"name": subnet.identity.as_ref().map(|id| String::from_utf8_lossy(&id.name.0).into_owned()),
				"owner": subnet.owner.as_ref().map(|owner| owner.to_string()),
				"neurons": subnet.neuron_count,
				"maxNeurons": subnet.hyperparameters.max_allowed_uids,
				"tempo": subnet.hyperparameters.tempo,
				"lock": subnet.lock.to_string(),
				"registrationCost": subnet.registration_cost.to_string(),
			})
		})
		.collect();
	output::print_json_or(ctx, &json!(report), || {
		let rows = subnets
			.iter()
			.map(|subnet| {
				vec![
					subnet.netuid.to_string(),
					subnet
						.identity
						.as_ref()
						.map(|id| String::from_utf8_lossy(&id.name.0).into_owned())
						.unwrap_or_default(),
					subnet
						.owner
						.as_ref()
						.map(|o| output::short(&o.to_string()))
						.unwrap_or_else(|| "-".into()),
					format!("{}/{}", subnet.neuron_count, subnet.hyperparameters.max_allowed_uids),
					subnet.hyperparameters.tempo.to_string(),
					format_mdt(subnet.lock),
					format_mdt(subnet.registration_cost),
				]
			})
			.collect();
		println!(
			"{}",
			output::table(
				&["NETUID", "NAME", "OWNER", "NEURONS", "TEMPO", "LOCK", "PRICE"],
				rows,
				&["NETUID", "NEURONS", "TEMPO", "LOCK", "PRICE"]
			)
		);
	});
	Ok(())
}

async fn show(ctx: &Ctx, netuid: NetUid) -> Result<()> {
	let at = ctx.client().await?.at_best().await?;
	let subnet = at.existing_subnet(netuid).await?;
	let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
	let identity = subnet.identity.as_ref().map(|id| {
		json!({
			"name": text(&id.name.0),
			"repo": text(&id.repo.0),
			"contact": text(&id.contact.0),
			"url": text(&id.url.0),
			"description": text(&id.description.0),
		})
	});
	let report = json!({
		"netuid": subnet.netuid,
		"owner": subnet.owner.as_ref().map(|o| o.to_string()),
		"ownerHotkey": subnet.owner_hotkey.as_ref().map(|o| o.to_string()),
		"lock": subnet.lock.to_string(),
		"registeredAt": subnet.registered_at,
		"neurons": subnet.neuron_count,
		"registrationCost": subnet.registration_cost.to_string(),
		"identity": identity,
	});
	output::print_json_or(ctx, &report, || {
		println!("netuid             {}", subnet.netuid);
		println!(
			"owner              {}",
			subnet.owner.as_ref().map(|o| o.to_string()).unwrap_or_else(|| "-".into())
		);
		println!(
			"owner hotkey       {}",
			subnet.owner_hotkey.as_ref().map(|o| o.to_string()).unwrap_or_else(|| "-".into())
		);
		println!("lock               {} MDT", format_mdt(subnet.lock));
		println!("registered at      #{}", subnet.registered_at);
		println!(
			"neurons            {}/{}",
			subnet.neuron_count, subnet.hyperparameters.max_allowed_uids
		);
		println!("registration cost  {} MDT", format_mdt(subnet.registration_cost));
		if let Some(id) = &subnet.identity {
			println!("name               {}", text(&id.name.0));
			println!("repo               {}", text(&id.repo.0));
			println!("contact            {}", text(&id.contact.0));
			println!("url                {}", text(&id.url.0));
			println!("description        {}", text(&id.description.0));
		}
	});
	Ok(())
}

async fn hyperparameters(ctx: &Ctx, netuid: NetUid) -> Result<()> {
	let at = ctx.client().await?.at_best().await?;
	// Read dynamically so every field the runtime has is shown, by its own name.
	let call = runtime_api_call::<_, Value>(
		"SubnetsApi",
		"hyperparameters",
		vec![Value::u128(netuid.into())],
	);
	let value =
		at.block().runtime_apis().call(call).await.map_err(luxtensor_client::Error::from)?;
	let json = output::value_json(&value);
	if json.is_null() {
		return Err(format!("no subnet {netuid}").into());
	}
	output::print_json_or(ctx, &json, || {
		let rows = json
			.as_object()
			.into_iter()
			.flatten()
			.map(|(name, value)| vec![name.clone(), readable_hyperparameter(name, value)])
			.collect();
		println!("{}", output::table(&["HYPERPARAMETER", "VALUE"], rows, &["VALUE"]));
	});
	Ok(())
}

/// A hyperparameter in the units `subnet set` takes: MDT, percentages, multipliers.
fn readable_hyperparameter(name: &str, value: &serde_json::Value) -> String {
	let number =
		value.as_u64().map(u128::from).or_else(|| value.as_str().and_then(|s| s.parse().ok()));
	match (name, number) {
		("min_burn" | "max_burn" | "min_stake_to_set_weights", Some(planck)) => {
			format!("{} MDT", format_mdt(planck))
		}
		("owner_cut" | "compute_incentive_share", Some(parts)) => {
			output::percent(u32::try_from(parts).unwrap_or(u32::MAX))
		}
		("burn_increase_mult", Some(inner)) => format!("{}", inner as f64 / 1e18),
		_ => value.to_string().trim_matches('"').to_string(),
	}
}

async fn set(ctx: &Ctx, args: SetArgs) -> Result<()> {
	let mut update = luxtensor_client::types::unchanged_hyperparameters();
	for param in &args.params {
		let (name, value) =
			param.split_once('=').ok_or_else(|| format!("'{param}' is not NAME=VALUE"))?;
		set_field(&mut update, name.trim(), value.trim())?;
	}
	let wallet = ctx.wallet(&args.wallet)?;
	let at = ctx.client().await?.at_best().await?;
	at.existing_subnet(args.netuid).await?;
	ctx.confirm(&format!("set {} on subnet {}", args.params.join(", "), args.netuid))?;
	let coldkey = ctx.coldkey(&wallet)?;
	let outcome = if args.sudo {
		let call = api::runtime_types::pallet_subnets::pallet::Call::set_hyperparameters {
			netuid: args.netuid,
			update,
		};
		let call = api::runtime_types::luxtensor_runtime::RuntimeCall::Subnets(call);
		let outcome =
			ctx.send(&api::tx().sudo().sudo(call), &coldkey, "hyperparameters set").await?;
		crate::commands::sudo_succeeded(&outcome)?;
		outcome
	} else {
		let call = api::tx().subnets().set_hyperparameters(args.netuid, update);
		ctx.send(&call, &coldkey, "hyperparameters set").await?
	};
	print_outcome(ctx, &outcome, json!({}));
	Ok(())
}

fn set_field(update: &mut HyperparametersUpdate, name: &str, value: &str) -> Result<()> {
	fn number<T: std::str::FromStr>(name: &str, value: &str) -> Result<T> {
		value.parse().map_err(|_| format!("{name}: '{value}' is not a valid number for it").into())
	}
	fn flag(name: &str, value: &str) -> Result<bool> {
		match value {
			"true" | "yes" | "1" => Ok(true),
			"false" | "no" | "0" => Ok(false),
			_ => Err(format!("{name}: '{value}' is not true or false").into()),
		}
	}
	fn perbill(name: &str, value: &str) -> Result<sp_arithmetic::per_things::Perbill> {
		crate::commands::parse_perbill(value).map_err(|e| format!("{name}: {e}").into())
	}
	fn mdt(name: &str, value: &str) -> Result<u128> {
		parse_mdt(value).map_err(|e| format!("{name}: {e}").into())
	}
	match name {
		"tempo" => update.tempo = Some(number(name, value)?),
		"max_allowed_uids" => update.max_allowed_uids = Some(number(name, value)?),
		"max_allowed_validators" => update.max_allowed_validators = Some(number(name, value)?),
		"immunity_period" => update.immunity_period = Some(number(name, value)?),
		"activity_cutoff" => update.activity_cutoff = Some(number(name, value)?),
		"min_allowed_weights" => update.min_allowed_weights = Some(number(name, value)?),
		"max_weight_limit" => update.max_weight_limit = Some(number(name, value)?),
		"weights_rate_limit" => update.weights_rate_limit = Some(number(name, value)?),
		"weights_version_key" => update.weights_version_key = Some(number(name, value)?),
		"commit_reveal_enabled" => update.commit_reveal_enabled = Some(flag(name, value)?),
		"commit_reveal_period" => update.commit_reveal_period = Some(number(name, value)?),
		"kappa" => update.kappa = Some(number(name, value)?),
		"bonds_moving_average" => update.bonds_moving_average = Some(number(name, value)?),
		"min_burn" => update.min_burn = Some(mdt(name, value)?),
		"max_burn" => update.max_burn = Some(mdt(name, value)?),
		"burn_half_life" => update.burn_half_life = Some(number(name, value)?),
		"burn_increase_mult" => {
			let multiplier: f64 = number(name, value)?;
			if !(multiplier.is_finite() && multiplier >= 0.0) {
				return Err(format!("{name}: '{value}' is not a non-negative number").into());
			}
			let inner = (multiplier * 1e18).round() as u128;
			update.burn_increase_mult = Some(sp_arithmetic::fixed_point::FixedU128(inner));
		}
		"registration_allowed" => update.registration_allowed = Some(flag(name, value)?),
		"serving_rate_limit" => update.serving_rate_limit = Some(number(name, value)?),
		"min_stake_to_set_weights" => update.min_stake_to_set_weights = Some(mdt(name, value)?),
		"owner_cut" => update.owner_cut = Some(perbill(name, value)?),
		"compute_incentive_share" => update.compute_incentive_share = Some(perbill(name, value)?),
		other => {
			return Err(format!(
				"unknown hyperparameter '{other}' (see luxctl subnet hyperparameters)"
			)
			.into())
		}
	}
	Ok(())
}

async fn identity(ctx: &Ctx, args: IdentityArgs) -> Result<()> {
	let wallet = ctx.wallet(&args.wallet)?;
	let at = ctx.client().await?.at_best().await?;
	at.existing_subnet(args.netuid).await?;
	let bounded = |text: &str| {
		api::runtime_types::bounded_collections::bounded_vec::BoundedVec(text.as_bytes().to_vec())
	};
	let call = api::tx().subnets().set_subnet_identity(
		args.netuid,
		bounded(&args.subnet_name),
		bounded(&args.repo),
		bounded(&args.contact),
		bounded(&args.url),
		bounded(&args.description),
	);
	ctx.confirm(&format!("set the identity of subnet {} to '{}'", args.netuid, args.subnet_name))?;
	let coldkey = ctx.coldkey(&wallet)?;
	ctx.send_and_report(&call, &coldkey, "identity set").await
}

async fn dissolve(ctx: &Ctx, args: DissolveArgs) -> Result<()> {
	let wallet = ctx.wallet(&args.wallet)?;
	let at = ctx.client().await?.at_best().await?;
	let subnet = at.existing_subnet(args.netuid).await?;
	ctx.confirm(&format!(
		"dissolve subnet {} ({} neurons; its lock of {} MDT returns to the owner, less any early-dissolve forfeit)",
		args.netuid,
		subnet.neuron_count,
		format_mdt(subnet.lock)
	))?;
	let coldkey = ctx.coldkey(&wallet)?;
	ctx.send_and_report(
		&api::tx().subnets().dissolve_network(args.netuid),
		&coldkey,
		"subnet dissolved",
	)
	.await
}

pub async fn register(ctx: &Ctx, args: RegisterArgs) -> Result<()> {
	let (wallet, hotkey) = args.key.open(ctx)?;
	let at = ctx.client().await?.at_best().await?;
	at.existing_subnet(args.netuid).await?;
	if let Some(uid) = at.uid_of(args.netuid, &hotkey.account_id()).await? {
		return Err(format!(
			"hotkey {} is already registered on subnet {} as uid {uid}",
			hotkey.account_id(),
			args.netuid
		)
		.into());
	}
	let price = at
		.registration_cost(args.netuid)
		.await?
		.ok_or_else(|| format!("no subnet {}", args.netuid))?;
	let max_burn = args.max_burn.unwrap_or(price);
	if price > max_burn {
		return Err(format!(
			"the registration price is {} MDT, above --max-burn {}",
			format_mdt(price),
			format_mdt(max_burn)
		)
		.into());
	}
	let coldkey_account = wallet.coldkey_account()?;
	ctx.ensure_free(&at, &coldkey_account, price, "registering").await?;
	ctx.confirm(&format!(
		"register {} on subnet {}, burning {} MDT",
		hotkey.account_id(),
		args.netuid,
		format_mdt(price)
	))?;
	let coldkey = ctx.coldkey(&wallet)?;
	let register = api::runtime_types::pallet_registration::pallet::Call::burned_register {
		netuid: args.netuid,
		hotkey: hotkey.account_id(),
		max_burn,
	};
	let call = claimed_then(
		&at,
		&coldkey,
		&hotkey,
		api::runtime_types::luxtensor_runtime::RuntimeCall::Registration(register),
	)
	.await?;
	let outcome = ctx.send(&call, &coldkey, "registered").await?;
	let uid = event_u128(&outcome, "Registration", "NeuronRegistered", "uid");
	if !ctx.json {
		if let Some(uid) = uid {
			println!("uid {uid} on subnet {}", args.netuid);
		}
	}
	print_outcome(ctx, &outcome, json!({ "netuid": args.netuid, "uid": uid }));
	ctx.fund_hotkey_if_empty(&coldkey, &hotkey.account_id()).await?;
	Ok(())
}

pub async fn run_root(ctx: &Ctx, command: RootCommand) -> Result<()> {
	match command {
		RootCommand::Register(key) => {
			let (wallet, hotkey) = key.open(ctx)?;
			ctx.confirm(&format!("register {} on the root network", hotkey.account_id()))?;
			let coldkey = ctx.coldkey(&wallet)?;
			let call = api::tx().registration().root_register(hotkey.account_id());
			ctx.send_and_report(&call, &coldkey, "registered on root").await
		}
		RootCommand::Weights(args) => {
			if args.netuids.len() != args.weights.len() {
				return Err(format!(
					"{} subnets but {} weights",
					args.netuids.len(),
					args.weights.len()
				)
				.into());
			}
			let weights = normalize(&args.weights)?;
			let (_, hotkey) = args.key.open(ctx)?;
			let call = api::tx().subnets().set_root_weights(args.netuids.clone(), weights);
			ctx.send_and_report(&call, &hotkey, "root weights set").await
		}
	}
}
