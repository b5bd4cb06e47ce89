//! What every command shares: the endpoint and wallets (flags, environment, config file),
//! the connection, passwords, confirmations, and sending a transaction with a progress line.

use crate::{output, Cli};
use clap::Subcommand;
use luxtensor_client::{
	subxt::{tx::Payload, utils::AccountId32},
	units::format_mdt,
	wallet::{Wallet, WalletStore},
	At, Client, Error, Keypair, Progress, TxOutcome, Wait,
};
use serde::{Deserialize, Serialize};
use std::{
	io::{IsTerminal, Write},
	path::PathBuf,
	sync::{Arc, Mutex},
	time::Duration,
};
use tokio::sync::OnceCell;

const DEFAULT_URL: &str = "ws://127.0.0.1:9944";

/// A command's failure: one line naming the cause.
#[derive(Debug)]
pub struct CliError(pub String);

impl core::fmt::Display for CliError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str(&self.0)
	}
}

impl From<Error> for CliError {
	fn from(error: Error) -> Self {
		// subxt's messages can span lines; the CLI prints one.
		CliError(error.to_string().split_whitespace().collect::<Vec<_>>().join(" "))
	}
}

impl From<String> for CliError {
	fn from(message: String) -> Self {
		CliError(message)
	}
}

impl From<&str> for CliError {
	fn from(message: &str) -> Self {
		CliError(message.into())
	}
}

macro_rules! cli_error_from {
	($($error:ty),*) => {$(
		impl From<$error> for CliError {
			fn from(error: $error) -> Self {
				CliError::from(Error::from(error))
			}
		}
	)*};
}
cli_error_from!(
	luxtensor_client::wallet::WalletError,
	luxtensor_client::keystore::KeystoreError,
	luxtensor_client::keys::KeyError
);

pub type Result<T> = std::result::Result<T, CliError>;

/// The config file's settings.
#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ConfigFile {
	#[serde(skip_serializing_if = "Option::is_none")]
	pub url: Option<String>,
	#[serde(skip_serializing_if = "Option::is_none")]
	pub wallet_path: Option<PathBuf>,
}

/// `luxctl config`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
	/// Print the settings in effect and where they come from.
	Show,
	/// Set `url` or `walletPath` in the config file.
	Set {
		/// `url` or `walletPath`.
		key: String,
		value: String,
	},
}

/// The settings and the lazily opened connection.
pub struct Ctx {
	pub json: bool,
	pub yes: bool,
	pub wait: Wait,
	pub url: String,
	pub wallets: WalletStore,
	config_path: PathBuf,
	client: OnceCell<Client>,
}

impl Ctx {
	pub fn new(cli: &Cli) -> Result<Self> {
		let config_path = cli.config.clone().unwrap_or_else(default_config_path);
		let config = read_config(&config_path)?;
		let url = cli.url.clone().or(config.url).unwrap_or_else(|| DEFAULT_URL.into());
		let wallet_root = cli
			.wallet_path
			.clone()
			.or(config.wallet_path)
			.unwrap_or_else(WalletStore::default_root);
		Ok(Self {
			json: cli.json,
			yes: cli.yes,
			wait: if cli.finalized { Wait::Finalized } else { Wait::InBlock },
			url,
			wallets: WalletStore::new(wallet_root),
			config_path,
			client: OnceCell::new(),
		})
	}

	/// The connection, opened on first use.
	pub async fn client(&self) -> Result<&Client> {
		Ok(self.client.get_or_try_init(|| Client::connect(&self.url)).await?)
	}

	/// The wallet `name`.
	pub fn wallet(&self, name: &str) -> Result<Wallet> {
		Ok(self.wallets.open(name)?)
	}

	/// The wallet's coldkey, unlocked with `LUXCTL_PASSWORD` or a prompt.
	pub fn coldkey(&self, wallet: &Wallet) -> Result<Keypair> {
		let password = password(&format!("Password for wallet '{}': ", wallet.name()))?;
		Ok(wallet.coldkey(&password)?)
	}

	/// An account given as an SS58 address, or as the name of one of `wallet`'s hotkeys.
	pub fn account(&self, wallet: Option<&Wallet>, text: &str) -> Result<AccountId32> {
		if let Ok(account) = text.parse::<AccountId32>() {
			return Ok(account);
		}
		match wallet {
			Some(wallet) => Ok(wallet.hotkey_account(text).map_err(|_| {
				format!(
					"'{text}' is neither an SS58 address nor a hotkey of wallet '{}'",
					wallet.name()
				)
			})?),
			None => Err(format!("'{text}' is not an SS58 address").into()),
		}
	}

	/// Asks before a transaction that pays or locks something; `--yes` skips it, and without
	/// a terminal to ask on, it is refused rather than assumed.
	pub fn confirm(&self, question: &str) -> Result<()> {
		if self.yes {
			return Ok(());
		}
		if !std::io::stdin().is_terminal() {
			return Err(format!(
				"{question}: confirmation needed; pass --yes to send without asking"
			)
			.into());
		}
		eprint!("{question} [y/N] ");
		std::io::stderr().flush().ok();
		let mut answer = String::new();
		std::io::stdin().read_line(&mut answer).map_err(|e| e.to_string())?;
		if matches!(answer.trim(), "y" | "Y" | "yes") {
			Ok(())
		} else {
			Err("cancelled: nothing was sent".into())
		}
	}

	/// Signs and sends `call`, showing progress on stderr until the wait ends, and prints
	/// what it came to (`what` in human output).
	pub async fn send<Call: Payload>(
		&self,
		call: &Call,
		signer: &Keypair,
		what: &str,
	) -> Result<TxOutcome> {
		let client = self.client().await?;
		let spinner = Spinner::start(what);
		let status = spinner.status.clone();
		let result = client
			.submit(call, signer, self.wait, move |progress| {
				let text = match progress {
					Progress::Pooled => "in the pool, waiting for a block".to_string(),
					Progress::InBlock(hash) => format!("in block {hash:?}, waiting for finality"),
					Progress::Finalized(hash) => format!("finalized in {hash:?}"),
				};
				*status.lock().unwrap_or_else(|e| e.into_inner()) = text;
			})
			.await;
		spinner.stop().await;
		let outcome = result?;
		if !self.json {
			let block = outcome.block.map(|hash| format!(" in block {hash:?}")).unwrap_or_default();
			eprintln!("✓ {what}{block}");
		}
		Ok(outcome)
	}

	/// [`Ctx::send`], then the outcome printed with `--json`: for commands with nothing more
	/// to say.
	pub async fn send_and_report<Call: Payload>(
		&self,
		call: &Call,
		signer: &Keypair,
		what: &str,
	) -> Result<()> {
		let outcome = self.send(call, signer, what).await?;
		crate::commands::print_outcome(self, &outcome, serde_json::json!({}));
		Ok(())
	}

	/// Refuses before anything is sent when `account` has less than `needed` free for `what`.
	pub async fn ensure_free(
		&self,
		at: &At,
		account: &AccountId32,
		needed: u128,
		what: &str,
	) -> Result<()> {
		let free = at.balance(account).await?.free;
		if free < needed {
			return Err(format!(
				"not enough balance: {what} needs {} MDT and {account} has {} free",
				format_mdt(needed),
				format_mdt(free)
			)
			.into());
		}
		Ok(())
	}

	/// `transfer` of the existential deposit to `hotkey` when it has no balance (a hotkey
	/// signs fee-free calls but needs an account for its nonce), after asking.
	pub async fn fund_hotkey_if_empty(
		&self,
		coldkey: &Keypair,
		hotkey: &AccountId32,
	) -> Result<()> {
		let at = self.client().await?.at_best().await?;
		if at.balance(hotkey).await?.free > 0 {
			return Ok(());
		}
		let deposit = at.existential_deposit()?;
		self.confirm(&format!(
			"hotkey {hotkey} has no balance; it needs the existential deposit ({} MDT) to sign weights and axon updates. Send it from the coldkey",
			format_mdt(deposit)
		))?;
		let call =
			luxtensor_client::api::tx().balances().transfer_keep_alive((*hotkey).into(), deposit);
		self.send(&call, coldkey, "funded the hotkey").await?;
		Ok(())
	}
}

/// A password from `LUXCTL_PASSWORD` (for scripts) or the terminal.
pub fn password(prompt: &str) -> Result<String> {
	if let Ok(password) = std::env::var("LUXCTL_PASSWORD") {
		return Ok(password);
	}
	if !std::io::stdin().is_terminal() {
		return Err("a password is needed: set LUXCTL_PASSWORD or run in a terminal".into());
	}
	Ok(rpassword::prompt_password(prompt).map_err(|e| e.to_string())?)
}

/// A new password, typed twice.
pub fn new_password() -> Result<String> {
	let first = password("New password for the coldkey: ")?;
	if std::env::var("LUXCTL_PASSWORD").is_err() {
		let again = password("Again: ")?;
		if again != first {
			return Err("the passwords differ: nothing was written".into());
		}
	}
	Ok(first)
}

/// A progress line on stderr while a transaction is on its way (a spinner on a terminal,
/// nothing otherwise).
struct Spinner {
	status: Arc<Mutex<String>>,
	task: Option<tokio::task::JoinHandle<()>>,
	stop: Arc<tokio::sync::Notify>,
}

impl Spinner {
	fn start(what: &str) -> Self {
		let status = Arc::new(Mutex::new("signing and sending".to_string()));
		let stop = Arc::new(tokio::sync::Notify::new());
		let task = std::io::stderr().is_terminal().then(|| {
			let (status, stop, what) = (status.clone(), stop.clone(), what.to_string());
			tokio::spawn(async move {
				const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
				let mut frame = 0;
				loop {
					let text = status.lock().map(|s| s.clone()).unwrap_or_default();
					eprint!("\r\x1b[2K{} {what}: {text}", FRAMES[frame % FRAMES.len()]);
					frame += 1;
					tokio::select! {
						_ = stop.notified() => break,
						_ = tokio::time::sleep(Duration::from_millis(100)) => {},
					}
				}
				eprint!("\r\x1b[2K");
			})
		});
		Self { status, task, stop }
	}

	async fn stop(mut self) {
		self.stop.notify_one();
		if let Some(task) = self.task.take() {
			let _ = task.await;
		}
	}
}

fn default_config_path() -> PathBuf {
	let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| ".".into());
	home.join(".luxtensor").join("config.json")
}

fn read_config(path: &PathBuf) -> Result<ConfigFile> {
	match std::fs::read_to_string(path) {
		Ok(text) => serde_json::from_str(&text)
			.map_err(|e| format!("{}: not a luxctl config file: {e}", path.display()).into()),
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ConfigFile::default()),
		Err(e) => Err(format!("{}: {e}", path.display()).into()),
	}
}

/// `luxctl config show | set`.
pub fn run_config(ctx: &Ctx, command: ConfigCommand) -> Result<()> {
	match command {
		ConfigCommand::Show => {
			let settings = serde_json::json!({
				"configFile": ctx.config_path,
				"url": ctx.url,
				"walletPath": ctx.wallets.root(),
			});
			output::print_json_or(ctx, &settings, || {
				println!("config file  {}", ctx.config_path.display());
				println!("url          {}", ctx.url);
				println!("wallet path  {}", ctx.wallets.root().display());
			});
			Ok(())
		}
		ConfigCommand::Set { key, value } => {
			let mut config = read_config(&ctx.config_path)?;
			match key.as_str() {
				"url" => config.url = Some(value),
				"walletPath" => config.wallet_path = Some(value.into()),
				other => {
					return Err(format!("unknown setting '{other}': use url or walletPath").into())
				}
			}
			if let Some(dir) = ctx.config_path.parent() {
				std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
			}
			let text = serde_json::to_string_pretty(&config).map_err(|e| e.to_string())?;
			std::fs::write(&ctx.config_path, text)
				.map_err(|e| format!("{}: {e}", ctx.config_path.display()))?;
			eprintln!("✓ wrote {}", ctx.config_path.display());
			Ok(())
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use clap::Parser;

	#[test]
	fn the_endpoint_comes_from_the_flag_then_the_config_file_then_the_default() {
		let dir = tempfile::tempdir().unwrap();
		let config = dir.path().join("config.json");
		let parse = |extra: &[&str]| {
			let mut args = vec!["luxctl", "--config", config.to_str().unwrap()];
			args.extend_from_slice(extra);
			args.extend_from_slice(&["subnet", "list"]);
			Ctx::new(&Cli::try_parse_from(args).unwrap())
		};
		assert_eq!(parse(&[]).unwrap().url, DEFAULT_URL);
		std::fs::write(&config, r#"{"url": "ws://10.0.0.1:9944", "walletPath": "/srv/wallets"}"#)
			.unwrap();
		let ctx = parse(&[]).unwrap();
		assert_eq!(ctx.url, "ws://10.0.0.1:9944");
		assert_eq!(ctx.wallets.root(), std::path::Path::new("/srv/wallets"));
		assert_eq!(parse(&["--url", "ws://flag:1"]).unwrap().url, "ws://flag:1");
		std::fs::write(&config, "url = 'toml'").unwrap();
		let Err(error) = parse(&[]) else { panic!("a TOML file is refused") };
		assert!(error.0.contains("not a luxctl config file"), "{error}");
	}
}
