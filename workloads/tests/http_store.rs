//! The IPFS store against an in-process emulation of a trustless gateway and Kubo's
//! `/api/v0/add`.

use luxtensor_workloads::cid;
use luxtensor_workloads::http;
use luxtensor_workloads::store::{HttpStore, Store, StoreError};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How the fake node misbehaves.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
	Honest,
	/// Gateway answers with chunked transfer-encoding.
	Chunked,
	/// Gateway flips a byte of the content it serves.
	Corrupt,
	/// `add` reports a different CID than the content's.
	WrongHash,
	/// Never answers.
	Silent,
}

type Blocks = Arc<Mutex<HashMap<String, Vec<u8>>>>;

async fn serve(mode: Mode) -> (String, Blocks) {
	let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
	let addr = listener.local_addr().unwrap();
	let blocks: Blocks = Arc::default();
	let shared = blocks.clone();
	tokio::spawn(async move {
		loop {
			let (stream, _) = listener.accept().await.unwrap();
			let blocks = shared.clone();
			tokio::spawn(handle(stream, blocks, mode));
		}
	});
	(format!("http://{addr}"), blocks)
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
	h.windows(n.len()).position(|w| w == n)
}

async fn handle(mut stream: TcpStream, blocks: Blocks, mode: Mode) {
	let mut buf = Vec::new();
	let mut chunk = [0u8; 4096];
	let head_end = loop {
		if let Some(i) = find(&buf, b"\r\n\r\n") {
			break i;
		}
		let n = stream.read(&mut chunk).await.unwrap();
		assert!(n > 0, "client closed before sending the head");
		buf.extend_from_slice(&chunk[..n]);
	};
	let head = String::from_utf8(buf[..head_end].to_vec()).unwrap();
	let header = |name: &str| {
		head.lines()
			.skip(1)
			.filter_map(|l| l.split_once(':'))
			.find(|(n, _)| n.eq_ignore_ascii_case(name))
			.map(|(_, v)| v.trim().to_string())
	};
	assert_eq!(header("connection").as_deref(), Some("close"));
	let len: usize = header("content-length").map_or(0, |v| v.parse().unwrap());
	let mut body = buf[head_end + 4..].to_vec();
	while body.len() < len {
		let n = stream.read(&mut chunk).await.unwrap();
		body.extend_from_slice(&chunk[..n]);
	}
	if mode == Mode::Silent {
		tokio::time::sleep(Duration::from_secs(60)).await;
		return;
	}
	let request_line = head.lines().next().unwrap();
	let target = request_line.split(' ').nth(1).unwrap();
	let response = if let Some(cid) = target.strip_prefix("/ipfs/") {
		assert_eq!(request_line.split(' ').next(), Some("GET"));
		assert_eq!(header("accept").as_deref(), Some("application/vnd.ipld.raw"));
		match blocks.lock().unwrap().get(cid).cloned() {
			None => b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found".to_vec(),
			Some(mut data) => {
				if mode == Mode::Corrupt {
					data[0] ^= 1;
				}
				let mut r =
					b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.ipld.raw\r\n".to_vec();
				if mode == Mode::Chunked {
					r.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
					for part in data.chunks(1000) {
						r.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
						r.extend_from_slice(part);
						r.extend_from_slice(b"\r\n");
					}
					r.extend_from_slice(b"0\r\n\r\n");
				} else {
					r.extend_from_slice(
						format!("Content-Length: {}\r\n\r\n", data.len()).as_bytes(),
					);
					r.extend_from_slice(&data);
				}
				r
			}
		}
	} else if target.starts_with("/api/v0/add?") {
		assert!(target.contains("cid-version=1") && target.contains("raw-leaves=true"));
		let ctype = header("content-type").unwrap();
		let boundary = ctype.split("boundary=").nth(1).unwrap();
		let opening = format!("--{boundary}\r\n");
		assert!(body.starts_with(opening.as_bytes()));
		let part = &body[opening.len()..];
		let part_head_end = find(part, b"\r\n\r\n").unwrap();
		assert!(String::from_utf8_lossy(&part[..part_head_end]).contains("name=\"file\""));
		let content = &part[part_head_end + 4..];
		let end = find(content, format!("\r\n--{boundary}--").as_bytes()).unwrap();
		let content = content[..end].to_vec();
		let mut hash = cid::raw_cid(&content);
		if mode == Mode::WrongHash {
			hash = cid::raw_cid(b"something else");
		}
		let json = format!(r#"{{"Name":"file","Hash":"{hash}","Size":"{}"}}"#, content.len());
		blocks.lock().unwrap().insert(hash, content);
		format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{json}\n", json.len() + 1)
			.into_bytes()
	} else {
		b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\noops".to_vec()
	};
	stream.write_all(&response).await.unwrap();
	stream.shutdown().await.unwrap();
}

fn content(n: usize) -> Vec<u8> {
	(0..n).map(|i| (i * 7 + i / 256) as u8).collect()
}

#[tokio::test]
async fn put_get_round_trip() {
	for mode in [Mode::Honest, Mode::Chunked] {
		let (url, blocks) = serve(mode).await;
		let store = Store::from_spec(&url).unwrap();
		for size in [0usize, 1, 4095, 70_000] {
			let data = content(size);
			let cid = store.put(&data).await.unwrap();
			assert_eq!(cid, cid::raw_cid(&data));
			assert!(blocks.lock().unwrap().contains_key(&cid));
			assert_eq!(store.get(&cid).await.unwrap(), data);
		}
		let missing = cid::raw_cid(b"never added");
		assert!(matches!(store.get(&missing).await, Err(StoreError::NotFound(_))));
	}
}

#[tokio::test]
async fn separate_gateway_and_api() {
	let (gateway, blocks) = serve(Mode::Honest).await;
	let (api, api_blocks) = serve(Mode::Honest).await;
	let store = Store::from_spec(&format!("{gateway},api={api}")).unwrap();
	let cid = store.put(b"routed").await.unwrap();
	assert!(api_blocks.lock().unwrap().contains_key(&cid));
	// The gateway only serves what it has.
	assert!(matches!(store.get(&cid).await, Err(StoreError::NotFound(_))));
	blocks.lock().unwrap().insert(cid.clone(), b"routed".to_vec());
	assert_eq!(store.get(&cid).await.unwrap(), b"routed");
}

#[tokio::test]
async fn corrupt_gateway_is_refused() {
	let (url, blocks) = serve(Mode::Corrupt).await;
	let store = Store::from_spec(&url).unwrap();
	let cid = cid::raw_cid(b"genuine");
	blocks.lock().unwrap().insert(cid.clone(), b"genuine".to_vec());
	assert!(matches!(store.get(&cid).await, Err(StoreError::Corrupt(c)) if c == cid));
}

#[tokio::test]
async fn wrong_add_hash_is_refused() {
	let (url, _) = serve(Mode::WrongHash).await;
	let store = Store::from_spec(&url).unwrap();
	match store.put(b"content").await {
		Err(StoreError::GatewayMismatch { expected, got }) => {
			assert_eq!(expected, cid::raw_cid(b"content"));
			assert_eq!(got, cid::raw_cid(b"something else"));
		}
		other => panic!("unexpected {other:?}"),
	}
}

#[tokio::test]
async fn errors_and_timeouts() {
	let (url, _) = serve(Mode::Honest).await;
	let resp = http::request("GET", &format!("{url}/other"), &[], &[], http::DEFAULT_TIMEOUT)
		.await
		.unwrap();
	assert_eq!((resp.status, resp.body.as_slice()), (500, &b"oops"[..]));

	let (silent, _) = serve(Mode::Silent).await;
	let store = HttpStore::new(&silent, &silent).unwrap().with_timeout(Duration::from_millis(200));
	assert!(matches!(store.get(&cid::raw_cid(b"x")).await, Err(StoreError::Timeout)));
	assert!(matches!(
		http::request("GET", &silent, &[], &[], Duration::from_millis(100)).await,
		Err(http::HttpError::Timeout)
	));

	let big = vec![0u8; luxtensor_workloads::store::MAX_BLOCK + 1];
	assert!(matches!(
		Store::from_spec(&url).unwrap().put(&big).await,
		Err(StoreError::TooLarge { .. })
	));
	assert!(matches!(
		Store::from_spec(&url).unwrap().get("not-a-cid").await,
		Err(StoreError::Cid(_))
	));
}
