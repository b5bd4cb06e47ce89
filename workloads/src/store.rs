//! Content storage addressed by CID: a shared local directory or an IPFS node.
//!
//! Every `get` verifies the bytes against the CID, so neither a shared directory nor a gateway
//! has to be trusted: tampered content is refused as [`StoreError::Corrupt`].

use crate::cid::{self, CidError};
use crate::http::{self, HttpError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// The largest content stored: one IPFS block (1 MiB), so a raw CID names it whole.
pub const MAX_BLOCK: usize = 1 << 20;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
	/// The store specification could not be understood.
	#[error(
		"invalid store spec '{0}': expected dir:PATH, PATH or http://GATEWAY[,api=http://API]"
	)]
	InvalidSpec(String),
	/// Unsupported transport or feature.
	#[error("unsupported: {0}")]
	Unsupported(String),
	/// The CID is malformed or names content that cannot be checked.
	#[error("CID error: {0}")]
	Cid(#[from] CidError),
	/// The content is larger than [`MAX_BLOCK`].
	#[error("content of {size} bytes exceeds the {max}-byte block limit")]
	TooLarge {
		/// Size of the content.
		size: usize,
		/// The limit.
		max: usize,
	},
	/// The store returned bytes that do not match the CID.
	#[error("content returned for {0} does not match its CID")]
	Corrupt(String),
	/// The content is not in the store.
	#[error("{0} not found")]
	NotFound(String),
	/// The IPFS node computed a different CID than ours for the content it stored.
	#[error("IPFS node stored the content as {got}, expected {expected}")]
	GatewayMismatch {
		/// Our CID of the content.
		expected: String,
		/// The CID the node reported.
		got: String,
	},
	/// A non-2xx HTTP answer.
	#[error("HTTP status {status}: {body}")]
	Http {
		/// Status code.
		status: u16,
		/// The start of the response body, for diagnosis.
		body: String,
	},
	/// The request did not complete in time.
	#[error("store request timed out")]
	Timeout,
	/// The HTTP exchange failed.
	#[error("HTTP transport: {0}")]
	Transport(HttpError),
	/// An answer could not be understood.
	#[error("unexpected response: {0}")]
	BadResponse(String),
	/// Local file I/O failed.
	#[error("I/O error: {0}")]
	Io(#[from] std::io::Error),
}

impl From<HttpError> for StoreError {
	fn from(e: HttpError) -> Self {
		match e {
			HttpError::Timeout => StoreError::Timeout,
			HttpError::UnsupportedScheme(s) => StoreError::Unsupported(https_message(&s)),
			other => StoreError::Transport(other),
		}
	}
}

fn https_message(scheme: &str) -> String {
	if scheme == "https" {
		"https: put a local gateway or proxy in front".to_string()
	} else {
		format!("{scheme}: only http:// gateways are supported")
	}
}

/// Where content lives.
#[derive(Debug, Clone)]
pub enum Store {
	/// A local (possibly shared) directory.
	Dir(DirStore),
	/// An IPFS gateway plus Kubo RPC API.
	Http(HttpStore),
}

impl Store {
	/// Builds a store from its textual form: `dir:PATH` or a plain path for a directory,
	/// `http://HOST:PORT` for an IPFS node serving both the gateway and the RPC API, or
	/// `http://GATEWAY,api=http://API` to give the RPC API separately.
	pub fn from_spec(spec: &str) -> Result<Store, StoreError> {
		let spec = spec.trim();
		if spec.is_empty() {
			return Err(StoreError::InvalidSpec(spec.to_string()));
		}
		if let Some(path) = spec.strip_prefix("dir:") {
			if path.is_empty() {
				return Err(StoreError::InvalidSpec(spec.to_string()));
			}
			return Ok(Store::Dir(DirStore::new(path)?));
		}
		let lower = spec.to_ascii_lowercase();
		if lower.starts_with("https://") {
			return Err(StoreError::Unsupported(https_message("https")));
		}
		if lower.starts_with("http://") {
			let (gateway, api) = match spec.split_once(',') {
				Some((gw, rest)) => {
					let api = rest
						.trim()
						.strip_prefix("api=")
						.ok_or_else(|| StoreError::InvalidSpec(spec.to_string()))?;
					(gw.trim(), api.trim())
				}
				None => (spec, spec),
			};
			return Ok(Store::Http(HttpStore::new(gateway, api)?));
		}
		if spec.contains("://") {
			return Err(StoreError::InvalidSpec(spec.to_string()));
		}
		Ok(Store::Dir(DirStore::new(spec)?))
	}

	/// Stores `bytes` and returns their CID ([`cid::raw_cid`]).
	pub async fn put(&self, bytes: &[u8]) -> Result<String, StoreError> {
		match self {
			Store::Dir(s) => s.put(bytes).await,
			Store::Http(s) => s.put(bytes).await,
		}
	}

	/// Fetches the content named by `cid`, verified against it.
	pub async fn get(&self, cid: &str) -> Result<Vec<u8>, StoreError> {
		match self {
			Store::Dir(s) => s.get(cid).await,
			Store::Http(s) => s.get(cid).await,
		}
	}
}

fn check_size(bytes: &[u8]) -> Result<(), StoreError> {
	if bytes.len() > MAX_BLOCK {
		return Err(StoreError::TooLarge { size: bytes.len(), max: MAX_BLOCK });
	}
	Ok(())
}

fn check_content(cid: &str, bytes: &[u8]) -> Result<(), StoreError> {
	check_size(bytes)?;
	match cid::verify(cid, bytes) {
		Ok(()) => Ok(()),
		Err(CidError::Mismatch) => Err(StoreError::Corrupt(cid.to_string())),
		Err(e) => Err(e.into()),
	}
}

/// A directory of files named by their CID, shared safely by several processes.
#[derive(Debug, Clone)]
pub struct DirStore {
	dir: PathBuf,
}

/// Distinguishes temporary files of concurrent puts within one process.
static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl DirStore {
	/// Opens the directory, creating it (mode 0700: outputs may be private until revealed) if
	/// missing.
	pub fn new(dir: impl AsRef<Path>) -> Result<DirStore, StoreError> {
		let dir = dir.as_ref().to_path_buf();
		let mut builder = std::fs::DirBuilder::new();
		builder.recursive(true);
		#[cfg(unix)]
		std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
		builder.create(&dir)?;
		Ok(DirStore { dir })
	}

	/// The directory holding the content.
	pub fn path(&self) -> &Path {
		&self.dir
	}

	/// Stores `bytes` as `DIR/CID`: written to a temporary file in the same directory and
	/// renamed, so readers never see a partial file; a no-op when already present.
	pub async fn put(&self, bytes: &[u8]) -> Result<String, StoreError> {
		check_size(bytes)?;
		let cid = cid::raw_cid(bytes);
		let target = self.dir.join(&cid);
		if tokio::fs::try_exists(&target).await? {
			return Ok(cid);
		}
		let tmp = self.dir.join(format!(
			".tmp-{cid}-{}-{}",
			std::process::id(),
			TMP_COUNTER.fetch_add(1, Ordering::Relaxed)
		));
		let written = async {
			let mut file = tokio::fs::File::create(&tmp).await?;
			file.write_all(bytes).await?;
			file.sync_all().await?;
			drop(file);
			tokio::fs::rename(&tmp, &target).await
		}
		.await;
		if let Err(e) = written {
			let _ = tokio::fs::remove_file(&tmp).await;
			return Err(e.into());
		}
		Ok(cid)
	}

	/// Reads `DIR/CID` and verifies it.
	pub async fn get(&self, cid: &str) -> Result<Vec<u8>, StoreError> {
		// Parsing first also guarantees the name is plain base32: no path traversal.
		cid::parse(cid)?;
		let path = self.dir.join(cid);
		let meta = match tokio::fs::metadata(&path).await {
			Ok(m) => m,
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
				return Err(StoreError::NotFound(cid.to_string()))
			}
			Err(e) => return Err(e.into()),
		};
		if meta.len() > MAX_BLOCK as u64 {
			return Err(StoreError::Corrupt(cid.to_string()));
		}
		let bytes = tokio::fs::read(&path).await?;
		check_content(cid, &bytes)?;
		Ok(bytes)
	}
}

/// An IPFS node: a trustless gateway for reads and the Kubo RPC API for writes.
#[derive(Debug, Clone)]
pub struct HttpStore {
	gateway: String,
	api: String,
	timeout: Duration,
}

impl HttpStore {
	/// A store reading from `gateway` and adding through the Kubo RPC API at `api` (base URLs,
	/// `http://` only), with the default 30 s timeout.
	pub fn new(gateway: &str, api: &str) -> Result<HttpStore, StoreError> {
		for url in [gateway, api] {
			http::parse_url(url)?;
		}
		Ok(HttpStore {
			gateway: gateway.trim_end_matches('/').to_string(),
			api: api.trim_end_matches('/').to_string(),
			timeout: http::DEFAULT_TIMEOUT,
		})
	}

	/// The same store with another per-request timeout.
	pub fn with_timeout(mut self, timeout: Duration) -> HttpStore {
		self.timeout = timeout;
		self
	}

	/// The gateway base URL.
	pub fn gateway(&self) -> &str {
		&self.gateway
	}

	/// The RPC API base URL.
	pub fn api(&self) -> &str {
		&self.api
	}

	/// Adds and pins `bytes` through `/api/v0/add`, checking the node's CID equals ours.
	pub async fn put(&self, bytes: &[u8]) -> Result<String, StoreError> {
		check_size(bytes)?;
		let cid = cid::raw_cid(bytes);
		// Derived from the content's hash, so the boundary cannot occur in the content.
		let boundary = format!("luxtensor-{}", hex::encode(&cid::sha256(cid.as_bytes())[..16]));
		let mut body = Vec::with_capacity(bytes.len() + 256);
		body.extend_from_slice(
			format!(
				"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file\"\r\n\
				 Content-Type: application/octet-stream\r\n\r\n"
			)
			.as_bytes(),
		);
		body.extend_from_slice(bytes);
		body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
		let content_type = format!("multipart/form-data; boundary={boundary}");
		let url = format!("{}/api/v0/add?cid-version=1&raw-leaves=true&pin=true", self.api);
		let resp = http::request(
			"POST",
			&url,
			&[("Content-Type", &content_type), ("Accept", "application/json")],
			&body,
			self.timeout,
		)
		.await?;
		ensure_success(&resp)?;
		// Kubo answers one JSON object per added file (newline-delimited); ours is the last.
		let text = String::from_utf8_lossy(&resp.body);
		let line = text.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default();
		let value: serde_json::Value = serde_json::from_str(line)
			.map_err(|e| StoreError::BadResponse(format!("add response is not JSON: {e}")))?;
		let got = value
			.get("Hash")
			.and_then(|h| h.as_str())
			.ok_or_else(|| StoreError::BadResponse("add response has no Hash".into()))?;
		if got != cid {
			return Err(StoreError::GatewayMismatch { expected: cid, got: got.to_string() });
		}
		Ok(cid)
	}

	/// Fetches the raw block `cid` from the gateway and verifies it.
	pub async fn get(&self, cid: &str) -> Result<Vec<u8>, StoreError> {
		cid::parse(cid)?;
		let url = format!("{}/ipfs/{cid}", self.gateway);
		let resp = http::request(
			"GET",
			&url,
			&[("Accept", "application/vnd.ipld.raw")],
			&[],
			self.timeout,
		)
		.await?;
		if resp.status == 404 {
			return Err(StoreError::NotFound(cid.to_string()));
		}
		ensure_success(&resp)?;
		if resp.body.len() > MAX_BLOCK {
			return Err(StoreError::Corrupt(cid.to_string()));
		}
		check_content(cid, &resp.body)?;
		Ok(resp.body)
	}
}

fn ensure_success(resp: &http::Response) -> Result<(), StoreError> {
	if resp.is_success() {
		return Ok(());
	}
	let excerpt: String = String::from_utf8_lossy(&resp.body).chars().take(200).collect();
	Err(StoreError::Http { status: resp.status, body: excerpt })
}

#[cfg(test)]
mod tests {
	use super::*;

	#[tokio::test]
	async fn dir_store_round_trip_and_tamper_detection() {
		let tmp = tempfile::tempdir().unwrap();
		let dir = tmp.path().join("nested/store");
		let store = Store::from_spec(&format!("dir:{}", dir.display())).unwrap();
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
			assert_eq!(mode & 0o777, 0o700);
		}
		let cid = store.put(b"payload").await.unwrap();
		assert_eq!(cid, cid::raw_cid(b"payload"));
		assert_eq!(store.put(b"payload").await.unwrap(), cid, "put is idempotent");
		assert_eq!(store.get(&cid).await.unwrap(), b"payload");
		// No temporary files are left behind.
		assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);

		std::fs::write(dir.join(&cid), b"payloaD").unwrap();
		assert!(matches!(store.get(&cid).await, Err(StoreError::Corrupt(_))));
		let missing = cid::raw_cid(b"missing");
		assert!(matches!(store.get(&missing).await, Err(StoreError::NotFound(_))));
		assert!(matches!(store.get("../etc/passwd").await, Err(StoreError::Cid(_))));
	}

	#[tokio::test]
	async fn dir_store_limits_size() {
		let tmp = tempfile::tempdir().unwrap();
		let store = Store::from_spec(tmp.path().to_str().unwrap()).unwrap();
		assert!(matches!(store, Store::Dir(_)));
		let big = vec![0u8; MAX_BLOCK + 1];
		assert!(matches!(store.put(&big).await, Err(StoreError::TooLarge { .. })));
		let max = vec![1u8; MAX_BLOCK];
		let cid = store.put(&max).await.unwrap();
		assert_eq!(store.get(&cid).await.unwrap(), max);
	}

	#[test]
	fn parses_specs() {
		let Store::Http(s) = Store::from_spec("http://127.0.0.1:8080").unwrap() else {
			panic!("expected an HTTP store")
		};
		assert_eq!((s.gateway(), s.api()), ("http://127.0.0.1:8080", "http://127.0.0.1:8080"));
		let Store::Http(s) = Store::from_spec("http://gw:8080/,api=http://127.0.0.1:5001").unwrap()
		else {
			panic!("expected an HTTP store")
		};
		assert_eq!((s.gateway(), s.api()), ("http://gw:8080", "http://127.0.0.1:5001"));
		match Store::from_spec("https://ipfs.io") {
			Err(StoreError::Unsupported(m)) => assert!(m.starts_with("https:")),
			other => panic!("unexpected {other:?}"),
		}
		assert!(matches!(
			Store::from_spec("http://gw,api=https://x"),
			Err(StoreError::Unsupported(_))
		));
		assert!(matches!(Store::from_spec("http://gw,apx=1"), Err(StoreError::InvalidSpec(_))));
		assert!(matches!(Store::from_spec("ftp://x"), Err(StoreError::InvalidSpec(_))));
		assert!(matches!(Store::from_spec("dir:"), Err(StoreError::InvalidSpec(_))));
	}
}
