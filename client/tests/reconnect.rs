//! Subscriptions and reads that survive the node going away: a dev node is stopped and started
//! again on the same port and database; the event subscription reconnects by itself and every
//! block's events still arrive, none skipped; reads reconnect too.
//!
//! Starts the release node (`$LUXTENSOR_NODE_BIN`, else where `scripts/env.sh` puts it), as the
//! end-to-end tests do: `cargo build --release` first.

use luxtensor_client::{
	events::{EventSubscription, Follow},
	Client, ConnectOptions,
};
use std::{
	collections::BTreeSet,
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::Duration,
};

fn node_binary() -> PathBuf {
	if let Some(bin) = std::env::var_os("LUXTENSOR_NODE_BIN") {
		return bin.into();
	}
	let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| {
		let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
		home.join(".cache/luxtensor/target")
	});
	target.join("release/luxtensor-node")
}

fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap()
}

/// A dev node over the database in `base`, killed when dropped.
struct Node(Child);

impl Node {
	fn start(base: &Path, rpc: u16, p2p: u16) -> Self {
		let bin = node_binary();
		assert!(
			bin.exists(),
			"no node binary at {}: run `cargo build --release` first",
			bin.display()
		);
		let child = Command::new(bin)
			.args([
				"--dev",
				"--no-telemetry",
				"--no-mdns",
				"--no-prometheus",
				"--unsafe-force-node-key-generation",
			])
			.arg("--base-path")
			.arg(base)
			.args(["--rpc-port", &rpc.to_string(), "--port", &p2p.to_string()])
			.stdout(Stdio::null())
			.stderr(Stdio::null())
			.spawn()
			.expect("the node starts");
		Self(child)
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		let _ = self.0.kill();
		let _ = self.0.wait();
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_subscription_reconnects_after_a_restart_and_skips_no_block() {
	let base = tempfile::tempdir().unwrap();
	let (rpc, p2p) = (free_port(), free_port());
	let node = Node::start(base.path(), rpc, p2p);
	let mut options = ConnectOptions::new(format!("ws://127.0.0.1:{rpc}"));
	options.retries = 12;
	options.timeout = Duration::from_secs(10);
	let test = async move {
		// The node is still starting: connecting retries until it listens.
		let client = Client::connect_with(options).await.unwrap();
		let mut events =
			EventSubscription::new(client.clone(), Follow::Best, Some(vec!["System".into()]));
		let first = events.next().await.unwrap();

		drop(node);
		let _node = Node::start(base.path(), rpc, p2p);

		// Every block has the timestamp inherent's `System.ExtrinsicSuccess`.
		let mut blocks = BTreeSet::from([first.block]);
		while blocks.last().copied().unwrap_or_default() < first.block + 3 {
			blocks.insert(events.next().await.unwrap().block);
		}
		assert!(events.reconnects() >= 1, "the subscription went through the restart");
		let (low, high) = (blocks.first().copied().unwrap(), blocks.last().copied().unwrap());
		assert_eq!(blocks.len() as u64, high - low + 1, "a block was skipped: {blocks:?}");
		// Reads go through the new connection.
		assert!(client.at_best().await.unwrap().number() >= high);
	};
	tokio::time::timeout(Duration::from_secs(180), test).await.expect("done within 3 minutes");
}
