//! `luxctl wallet`: coldkeys (encrypted polkadot.js keystores) and hotkeys.

use crate::{
	commands::print_outcome,
	context::{new_password, Ctx, Result},
	output,
};
use clap::{Args, Subcommand};
use luxtensor_client::{
	api,
	keystore::Keystore,
	units::{format_mdt, parse_mdt},
	Keypair,
};
use serde_json::json;

#[derive(Debug, Subcommand)]
pub enum WalletCommand {
	/// Create a wallet: a new coldkey (and a first hotkey). The mnemonic is shown once.
	New(NewArgs),
	/// Add a new hotkey to a wallet.
	NewHotkey(NewHotkeyArgs),
	/// Recover a coldkey or hotkey from its mnemonic (or a secret URI such as //Alice).
	Regen(RegenArgs),
	/// Make a wallet from a polkadot.js keystore file (an account exported from apps).
	Import(ImportArgs),
	/// The wallets and their addresses.
	List,
	/// One wallet: coldkey, hotkeys and where its files are.
	Show(WalletName),
	/// Balances of a wallet's coldkey and hotkeys.
	Balance(WalletName),
	/// Send MDT from the coldkey.
	Transfer(TransferArgs),
}

#[derive(Debug, Args)]
pub struct WalletName {
	/// The wallet.
	#[arg(long, short = 'w', default_value = "default")]
	pub wallet: String,
}

#[derive(Debug, Args)]
pub struct NewArgs {
	#[command(flatten)]
	pub name: WalletName,
	/// Mnemonic length: 12, 15, 18, 21 or 24 words.
	#[arg(long, default_value_t = 12)]
	pub words: usize,
	/// Name of the first hotkey ("" for none).
	#[arg(long, default_value = "default")]
	pub hotkey: String,
	/// Replace an existing wallet of that name (its keys are lost unless backed up).
	#[arg(long)]
	pub overwrite: bool,
}

#[derive(Debug, Args)]
pub struct NewHotkeyArgs {
	#[command(flatten)]
	pub name: WalletName,
	/// The hotkey's name.
	#[arg(long)]
	pub hotkey: String,
	/// Send it the existential deposit from the coldkey so it can sign fee-free calls.
	#[arg(long)]
	pub fund: bool,
	#[arg(long)]
	pub overwrite: bool,
}

#[derive(Debug, Args)]
pub struct RegenArgs {
	#[command(flatten)]
	pub name: WalletName,
	/// The mnemonic (quote it).
	#[arg(long, conflicts_with = "uri", required_unless_present = "uri")]
	pub mnemonic: Option<String>,
	/// A secret URI instead (//Alice on development chains).
	#[arg(long)]
	pub uri: Option<String>,
	/// Recover this hotkey instead of the coldkey.
	#[arg(long)]
	pub hotkey: Option<String>,
	#[arg(long)]
	pub overwrite: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
	#[command(flatten)]
	pub name: WalletName,
	/// The keystore JSON file.
	#[arg(long)]
	pub file: std::path::PathBuf,
	#[arg(long)]
	pub overwrite: bool,
}

#[derive(Debug, Args)]
pub struct TransferArgs {
	#[command(flatten)]
	pub name: WalletName,
	/// Recipient: an SS58 address or a hotkey name of this wallet.
	#[arg(long)]
	pub dest: String,
	/// MDT to send.
	#[arg(long, value_parser = parse_mdt)]
	pub amount: u128,
	/// Allow the transfer to reap the coldkey (below the existential deposit).
	#[arg(long)]
	pub allow_death: bool,
}

pub async fn run(ctx: &Ctx, command: WalletCommand) -> Result<()> {
	match command {
		WalletCommand::New(args) => new(ctx, args),
		WalletCommand::NewHotkey(args) => new_hotkey(ctx, args).await,
		WalletCommand::Regen(args) => regen(ctx, args),
		WalletCommand::Import(args) => import(ctx, args),
		WalletCommand::List => list(ctx),
		WalletCommand::Show(args) => show(ctx, &args.wallet),
		WalletCommand::Balance(args) => balance(ctx, &args.wallet).await,
		WalletCommand::Transfer(args) => transfer(ctx, args).await,
	}
}

fn new(ctx: &Ctx, args: NewArgs) -> Result<()> {
	let (coldkey, phrase) = Keypair::generate(args.words)?;
	let password = new_password()?;
	let wallet = ctx.wallets.create(&args.name.wallet, &coldkey, &password, args.overwrite)?;
	let hotkey = if args.hotkey.is_empty() {
		None
	} else {
		let (hotkey, hotkey_phrase) = Keypair::generate(12)?;
		wallet.add_hotkey(&args.hotkey, &hotkey, args.overwrite)?;
		Some((hotkey, hotkey_phrase))
	};
	let report = json!({
		"wallet": wallet.name(),
		"coldkey": coldkey.account_id().to_string(),
		"mnemonic": phrase,
		"hotkey": hotkey.as_ref().map(|(pair, phrase)| json!({
			"name": args.hotkey,
			"address": pair.account_id().to_string(),
			"mnemonic": phrase,
		})),
	});
	output::print_json_or(ctx, &report, || {
		println!("wallet   {}", wallet.name());
		println!("coldkey  {}", coldkey.account_id());
		println!();
		println!("Write this mnemonic down and keep it safe: it is shown only once, and it is");
		println!("the only way to recover the coldkey.");
		println!();
		println!("    {phrase}");
		if let Some((pair, hotkey_phrase)) = &hotkey {
			println!();
			println!("hotkey '{}'  {}", args.hotkey, pair.account_id());
			println!("    {hotkey_phrase}");
		}
	});
	Ok(())
}

async fn new_hotkey(ctx: &Ctx, args: NewHotkeyArgs) -> Result<()> {
	let wallet = ctx.wallet(&args.name.wallet)?;
	let (hotkey, phrase) = Keypair::generate(12)?;
	wallet.add_hotkey(&args.hotkey, &hotkey, args.overwrite)?;
	let report = json!({
		"wallet": wallet.name(),
		"hotkey": args.hotkey,
		"address": hotkey.account_id().to_string(),
		"mnemonic": phrase,
	});
	output::print_json_or(ctx, &report, || {
		println!("hotkey '{}'  {}", args.hotkey, hotkey.account_id());
		println!("mnemonic (shown once): {phrase}");
	});
	if args.fund {
		let coldkey = ctx.coldkey(&wallet)?;
		ctx.fund_hotkey_if_empty(&coldkey, &hotkey.account_id()).await?;
	}
	Ok(())
}

fn regen(ctx: &Ctx, args: RegenArgs) -> Result<()> {
	let pair = match (&args.mnemonic, &args.uri) {
		(Some(phrase), _) => Keypair::from_phrase(phrase, None)?,
		(None, Some(uri)) => Keypair::from_uri(uri)?,
		(None, None) => return Err("give --mnemonic or --uri".into()),
	};
	let (kind, name) = match &args.hotkey {
		Some(hotkey) => {
			ctx.wallet(&args.name.wallet)?.add_hotkey(hotkey, &pair, args.overwrite)?;
			("hotkey", hotkey.clone())
		}
		None => {
			let password = new_password()?;
			ctx.wallets.create(&args.name.wallet, &pair, &password, args.overwrite)?;
			("coldkey", args.name.wallet.clone())
		}
	};
	let report = json!({ "kind": kind, "name": name, "address": pair.account_id().to_string() });
	output::print_json_or(ctx, &report, || println!("{kind} '{name}'  {}", pair.account_id()));
	Ok(())
}

fn import(ctx: &Ctx, args: ImportArgs) -> Result<()> {
	let text =
		std::fs::read_to_string(&args.file).map_err(|e| format!("{}: {e}", args.file.display()))?;
	let keystore = Keystore::from_json(&text)?;
	let password = crate::context::password("Password of the keystore file: ")?;
	// Opening it proves the password before the file is kept.
	let pair = keystore.decrypt(&password)?;
	let wallet = ctx.wallets.create_from_keystore(&args.name.wallet, &keystore, args.overwrite)?;
	let report = json!({ "wallet": wallet.name(), "coldkey": pair.account_id().to_string() });
	output::print_json_or(ctx, &report, || {
		println!("wallet '{}'  coldkey {}", wallet.name(), pair.account_id())
	});
	Ok(())
}

fn list(ctx: &Ctx) -> Result<()> {
	let mut wallets = Vec::new();
	for name in ctx.wallets.list()? {
		let wallet = ctx.wallet(&name)?;
		let hotkeys = wallet
			.hotkey_names()?
			.into_iter()
			.map(|hotkey| {
				let address =
					wallet.hotkey_account(&hotkey).map(|a| a.to_string()).unwrap_or_default();
				json!({ "name": hotkey, "address": address })
			})
			.collect::<Vec<_>>();
		wallets.push(json!({
			"name": name,
			"coldkey": wallet.coldkey_account()?.to_string(),
			"hotkeys": hotkeys,
		}));
	}
	let report = json!(wallets);
	output::print_json_or(ctx, &report, || {
		if wallets.is_empty() {
			println!("no wallets in {} (luxctl wallet new)", ctx.wallets.root().display());
		}
		for wallet in &wallets {
			println!(
				"{}  {}",
				wallet["name"].as_str().unwrap_or(""),
				wallet["coldkey"].as_str().unwrap_or("")
			);
			for hotkey in wallet["hotkeys"].as_array().into_iter().flatten() {
				println!(
					"  └ {}  {}",
					hotkey["name"].as_str().unwrap_or(""),
					hotkey["address"].as_str().unwrap_or("")
				);
			}
		}
	});
	Ok(())
}

fn show(ctx: &Ctx, name: &str) -> Result<()> {
	let wallet = ctx.wallet(name)?;
	let keystore = wallet.coldkey_keystore()?;
	let mut hotkeys = Vec::new();
	for hotkey in wallet.hotkey_names()? {
		hotkeys.push(
			json!({ "name": hotkey, "address": wallet.hotkey_account(&hotkey)?.to_string() }),
		);
	}
	let report = json!({
		"name": wallet.name(),
		"path": wallet.dir(),
		"coldkey": keystore.address,
		"keystore": wallet.dir().join("coldkey.json"),
		"hotkeys": hotkeys,
	});
	output::print_json_or(ctx, &report, || {
		println!("wallet    {}", wallet.name());
		println!("path      {}", wallet.dir().display());
		println!("coldkey   {}  (polkadot.js keystore: coldkey.json)", keystore.address);
		let rows = hotkeys
			.iter()
			.map(|h| {
				vec![
					h["name"].as_str().unwrap_or("").into(),
					h["address"].as_str().unwrap_or("").into(),
				]
			})
			.collect();
		println!("{}", output::table(&["HOTKEY", "ADDRESS"], rows, &[]));
	});
	Ok(())
}

async fn balance(ctx: &Ctx, name: &str) -> Result<()> {
	let wallet = ctx.wallet(name)?;
	let mut accounts = vec![("coldkey".to_string(), wallet.coldkey_account()?)];
	for hotkey in wallet.hotkey_names()? {
		let account = wallet.hotkey_account(&hotkey)?;
		accounts.push((format!("hotkey {hotkey}"), account));
	}
	let at = ctx.client().await?.at_best().await?;
	let mut rows = Vec::new();
	let mut report = Vec::new();
	for (label, account) in &accounts {
		let balance = at.balance(account).await?;
		report.push(json!({
			"key": label,
			"address": account.to_string(),
			"free": balance.free.to_string(),
			"reserved": balance.reserved.to_string(),
			"frozen": balance.frozen.to_string(),
		}));
		rows.push(vec![
			label.clone(),
			account.to_string(),
			format_mdt(balance.free),
			format_mdt(balance.reserved),
		]);
	}
	output::print_json_or(ctx, &json!(report), || {
		println!(
			"{}",
			output::table(&["KEY", "ADDRESS", "FREE", "RESERVED"], rows, &["FREE", "RESERVED"])
		);
	});
	Ok(())
}

async fn transfer(ctx: &Ctx, args: TransferArgs) -> Result<()> {
	let wallet = ctx.wallet(&args.name.wallet)?;
	let dest = ctx.account(Some(&wallet), &args.dest)?;
	let from = wallet.coldkey_account()?;
	let at = ctx.client().await?.at_best().await?;
	ctx.ensure_free(&at, &from, args.amount, "the transfer").await?;
	ctx.confirm(&format!("send {} MDT from {from} to {dest}", format_mdt(args.amount)))?;
	let coldkey = ctx.coldkey(&wallet)?;
	let outcome = if args.allow_death {
		let call = api::tx().balances().transfer_allow_death(dest.into(), args.amount);
		ctx.send(&call, &coldkey, "transferred").await?
	} else {
		let call = api::tx().balances().transfer_keep_alive(dest.into(), args.amount);
		ctx.send(&call, &coldkey, "transferred").await?
	};
	print_outcome(ctx, &outcome, json!({}));
	Ok(())
}
