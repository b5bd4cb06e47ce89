//! A minimal HTTP/1.1 client over `tokio::net::TcpStream`.
//!
//! Enough to talk to an IPFS gateway and Kubo's RPC API on a trusted local network without
//! pulling an HTTP stack into the workspace: `http://` only, one request per connection
//! (`Connection: close`), responses framed by `Content-Length`, chunked transfer-encoding or the
//! end of the stream. TLS is deliberately out of scope: put a local gateway or proxy in front.

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The default time allowed for a whole request, connect to last byte.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest response (head and body) accepted, so a hostile server cannot exhaust memory.
pub const MAX_RESPONSE_BYTES: usize = 64 << 20;
/// The largest response head (status line and headers) accepted.
const MAX_HEAD_BYTES: usize = 64 << 10;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
	/// The URL is not `http://host[:port][/path]`.
	#[error("invalid URL: {0}")]
	InvalidUrl(String),
	/// The scheme is not `http` (TLS is not supported).
	#[error("unsupported scheme '{0}': only http:// is supported")]
	UnsupportedScheme(String),
	/// A method or header would break the request framing (e.g. contains CR or LF).
	#[error("invalid request header or method: {0}")]
	BadHeader(String),
	/// Connecting, writing or reading failed.
	#[error("I/O error: {0}")]
	Io(#[from] std::io::Error),
	/// The whole request did not finish in time.
	#[error("request timed out")]
	Timeout,
	/// The response is not valid HTTP/1.x.
	#[error("malformed response: {0}")]
	Malformed(String),
	/// The connection closed before the announced body was complete.
	#[error("response truncated")]
	Truncated,
	/// The response exceeds [`MAX_RESPONSE_BYTES`].
	#[error("response larger than {0} bytes")]
	TooLarge(usize),
}

/// The parts of an `http://` URL needed to send a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
	/// Host name or IP address (IPv6 without brackets).
	pub host: String,
	/// TCP port (80 when absent).
	pub port: u16,
	/// Path and query, starting with `/`.
	pub path: String,
}

impl Url {
	/// The `Host` header value: host, bracketed if IPv6, with the port unless it is 80.
	pub fn host_header(&self) -> String {
		let host =
			if self.host.contains(':') { format!("[{}]", self.host) } else { self.host.clone() };
		if self.port == 80 {
			host
		} else {
			format!("{host}:{}", self.port)
		}
	}
}

/// A received response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
	/// HTTP status code.
	pub status: u16,
	/// Headers in received order, names lowercased.
	pub headers: Vec<(String, String)>,
	/// The decoded body (chunked encoding removed).
	pub body: Vec<u8>,
}

impl Response {
	/// The first header named `name` (case-insensitive).
	pub fn header(&self, name: &str) -> Option<&str> {
		self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
	}

	/// Whether the status is 2xx.
	pub fn is_success(&self) -> bool {
		(200..300).contains(&self.status)
	}
}

/// Parses `http://host[:port][/path?query]`.
pub fn parse_url(url: &str) -> Result<Url, HttpError> {
	let (scheme, rest) =
		url.split_once("://").ok_or_else(|| HttpError::InvalidUrl(url.to_string()))?;
	if !scheme.eq_ignore_ascii_case("http") {
		return Err(HttpError::UnsupportedScheme(scheme.to_ascii_lowercase()));
	}
	// Control characters and spaces would let a URL inject headers into the request.
	if url.bytes().any(|b| b <= b' ' || b == 0x7f) {
		return Err(HttpError::InvalidUrl(url.to_string()));
	}
	let (authority, path) = match rest.find(['/', '?']) {
		Some(i) => (&rest[..i], &rest[i..]),
		None => (rest, "/"),
	};
	let path = if path.starts_with('?') { format!("/{path}") } else { path.to_string() };
	let path = path.split('#').next().unwrap_or("/").to_string();
	if authority.is_empty() || authority.contains('@') {
		return Err(HttpError::InvalidUrl(url.to_string()));
	}
	let bad = || HttpError::InvalidUrl(url.to_string());
	let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
		let (host, after) = v6.split_once(']').ok_or_else(bad)?;
		let port = match after {
			"" => 80,
			p => p.strip_prefix(':').ok_or_else(bad)?.parse().map_err(|_| bad())?,
		};
		(host.to_string(), port)
	} else {
		match authority.rsplit_once(':') {
			Some((h, p)) => (h.to_string(), p.parse().map_err(|_| bad())?),
			None => (authority.to_string(), 80),
		}
	};
	if host.is_empty() || port == 0 {
		return Err(bad());
	}
	Ok(Url { host, port, path })
}

/// Sends one request and reads the whole response, all within `timeout`.
///
/// `Host`, `Connection: close` and (for a non-empty body, or a method other than GET/HEAD)
/// `Content-Length` are added; `headers` must not repeat them. Any status is returned as a
/// response: callers decide what a non-2xx means.
pub async fn request(
	method: &str,
	url: &str,
	headers: &[(&str, &str)],
	body: &[u8],
	timeout: Duration,
) -> Result<Response, HttpError> {
	let url = parse_url(url)?;
	let head = request_head(method, &url, headers, body.len())?;
	let is_head = method.eq_ignore_ascii_case("HEAD");
	tokio::time::timeout(timeout, async {
		let mut stream = TcpStream::connect((url.host.as_str(), url.port)).await?;
		stream.write_all(head.as_bytes()).await?;
		stream.write_all(body).await?;
		stream.flush().await?;
		read_response(&mut stream, is_head).await
	})
	.await
	.map_err(|_| HttpError::Timeout)?
}

fn request_head(
	method: &str,
	url: &Url,
	headers: &[(&str, &str)],
	body_len: usize,
) -> Result<String, HttpError> {
	if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
		return Err(HttpError::BadHeader(method.to_string()));
	}
	let mut head = format!(
		"{} {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
		method.to_ascii_uppercase(),
		url.path,
		url.host_header()
	);
	let bodyless = method.eq_ignore_ascii_case("GET") || method.eq_ignore_ascii_case("HEAD");
	if body_len > 0 || !bodyless {
		head.push_str(&format!("Content-Length: {body_len}\r\n"));
	}
	for (name, value) in headers {
		let name_ok = !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic() && b != b':');
		let value_ok = value.bytes().all(|b| b == b'\t' || (b' '..0x7f).contains(&b));
		if !name_ok || !value_ok {
			return Err(HttpError::BadHeader(format!("{name}: {value}")));
		}
		head.push_str(&format!("{name}: {value}\r\n"));
	}
	head.push_str("\r\n");
	Ok(head)
}

/// How the body of a response ends.
enum Framing {
	/// Exactly this many bytes.
	Length(usize),
	/// Chunked transfer-encoding.
	Chunked,
	/// Until the server closes the connection.
	Eof,
}

async fn read_response<S: AsyncReadExt + Unpin>(
	stream: &mut S,
	is_head: bool,
) -> Result<Response, HttpError> {
	let mut buf: Vec<u8> = Vec::new();
	let mut chunk = vec![0u8; 64 << 10];
	let mut eof = false;
	// Skip interim 1xx responses: we never send `Expect`, but servers may still send them.
	let (status, headers, body_start) = loop {
		if let Some(end) = find(&buf, b"\r\n\r\n") {
			let (status, headers) = parse_head(&buf[..end])?;
			if (100..200).contains(&status) && status != 101 {
				buf.drain(..end + 4);
				continue;
			}
			break (status, headers, end + 4);
		}
		if eof {
			return Err(HttpError::Truncated);
		}
		if buf.len() > MAX_HEAD_BYTES {
			return Err(HttpError::Malformed("response head too large".into()));
		}
		let n = stream.read(&mut chunk).await?;
		if n == 0 {
			eof = true;
		}
		buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
	};
	buf.drain(..body_start);

	let header = |name: &str| {
		headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
	};
	let framing = if is_head || status == 204 || status == 304 {
		Framing::Length(0)
	} else if header("transfer-encoding")
		.is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
	{
		Framing::Chunked
	} else if let Some(len) = header("content-length") {
		let len: usize = len
			.trim()
			.parse()
			.map_err(|_| HttpError::Malformed(format!("bad content-length '{len}'")))?;
		if len > MAX_RESPONSE_BYTES {
			return Err(HttpError::TooLarge(MAX_RESPONSE_BYTES));
		}
		Framing::Length(len)
	} else {
		Framing::Eof
	};

	let mut decoder = ChunkDecoder::default();
	let body = loop {
		match framing {
			Framing::Length(len) if buf.len() >= len => {
				buf.truncate(len);
				break buf;
			}
			Framing::Chunked if decoder.feed(&buf)? => break decoder.body,
			Framing::Eof if eof => break buf,
			_ => {}
		}
		if eof {
			return Err(HttpError::Truncated);
		}
		if buf.len() > MAX_RESPONSE_BYTES {
			return Err(HttpError::TooLarge(MAX_RESPONSE_BYTES));
		}
		let n = stream.read(&mut chunk).await?;
		if n == 0 {
			eof = true;
		}
		buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
	};
	Ok(Response { status, headers, body })
}

fn parse_head(head: &[u8]) -> Result<(u16, Vec<(String, String)>), HttpError> {
	let text = std::str::from_utf8(head)
		.map_err(|_| HttpError::Malformed("response head is not UTF-8".into()))?;
	let mut lines = text.split("\r\n");
	let status_line = lines.next().unwrap_or_default();
	let mut parts = status_line.splitn(3, ' ');
	let version = parts.next().unwrap_or_default();
	if !version.starts_with("HTTP/1.") {
		return Err(HttpError::Malformed(format!("bad status line '{status_line}'")));
	}
	let status: u16 = parts
		.next()
		.and_then(|s| s.parse().ok())
		.filter(|s| (100..600).contains(s))
		.ok_or_else(|| HttpError::Malformed(format!("bad status line '{status_line}'")))?;
	let mut headers = Vec::new();
	for line in lines {
		let (name, value) = line
			.split_once(':')
			.ok_or_else(|| HttpError::Malformed(format!("bad header line '{line}'")))?;
		headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
	}
	Ok((status, headers))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
	haystack.windows(needle.len()).position(|w| w == needle)
}

/// Incremental decoder of a chunked body: `feed` is given the whole raw body received so far
/// and resumes after the last complete chunk, so decoding stays linear in the body size.
#[derive(Default)]
struct ChunkDecoder {
	pos: usize,
	body: Vec<u8>,
}

impl ChunkDecoder {
	/// Decodes what is complete in `raw`; true once the final chunk and trailers are read.
	fn feed(&mut self, raw: &[u8]) -> Result<bool, HttpError> {
		loop {
			let rest = raw.get(self.pos..).unwrap_or_default();
			let Some(line_end) = find(rest, b"\r\n") else {
				if rest.len() > 1024 {
					return Err(HttpError::Malformed("chunk size line too long".into()));
				}
				return Ok(false);
			};
			let line = std::str::from_utf8(&rest[..line_end])
				.map_err(|_| HttpError::Malformed("chunk size is not ASCII".into()))?;
			let size_text = line.split(';').next().unwrap_or_default().trim();
			let size = usize::from_str_radix(size_text, 16)
				.map_err(|_| HttpError::Malformed(format!("bad chunk size '{size_text}'")))?;
			let data_start = line_end + 2;
			if size == 0 {
				// Trailers: header lines up to an empty line.
				let trailers = &rest[data_start..];
				if trailers.starts_with(b"\r\n") {
					return Ok(true);
				}
				return Ok(find(trailers, b"\r\n\r\n").is_some());
			}
			if self.body.len().saturating_add(size) > MAX_RESPONSE_BYTES {
				return Err(HttpError::TooLarge(MAX_RESPONSE_BYTES));
			}
			let data_end = data_start + size;
			let Some(after) = rest.get(data_end..data_end + 2) else {
				return Ok(false);
			};
			if after != b"\r\n" {
				return Err(HttpError::Malformed("chunk not followed by CRLF".into()));
			}
			self.body.extend_from_slice(&rest[data_start..data_end]);
			self.pos += data_end + 2;
		}
	}
}

/// Decodes a complete chunked transfer-encoded body.
pub fn decode_chunked(raw: &[u8]) -> Result<Vec<u8>, HttpError> {
	let mut decoder = ChunkDecoder::default();
	if decoder.feed(raw)? {
		Ok(decoder.body)
	} else {
		Err(HttpError::Truncated)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn parses_urls() {
		let u = parse_url("http://127.0.0.1:5001/api/v0/add?pin=true").unwrap();
		assert_eq!(
			u,
			Url { host: "127.0.0.1".into(), port: 5001, path: "/api/v0/add?pin=true".into() }
		);
		let u = parse_url("http://gateway").unwrap();
		assert_eq!((u.port, u.path.as_str(), u.host_header()), (80, "/", "gateway".to_string()));
		let u = parse_url("http://[::1]:8080/ipfs/x").unwrap();
		assert_eq!((u.host.as_str(), u.port, u.host_header()), ("::1", 8080, "[::1]:8080".into()));
		assert!(
			matches!(parse_url("https://x"), Err(HttpError::UnsupportedScheme(s)) if s == "https")
		);
		assert!(matches!(parse_url("http://x:notaport/"), Err(HttpError::InvalidUrl(_))));
		assert!(matches!(parse_url("http://a b/"), Err(HttpError::InvalidUrl(_))));
		assert!(matches!(parse_url("http://u@h/"), Err(HttpError::InvalidUrl(_))));
		assert!(matches!(parse_url("nourl"), Err(HttpError::InvalidUrl(_))));
	}

	#[test]
	fn rejects_header_injection() {
		let url = parse_url("http://h/").unwrap();
		assert!(request_head("GET", &url, &[("X", "a\r\nEvil: 1")], 0).is_err());
		assert!(request_head("GE T", &url, &[], 0).is_err());
		let head = request_head("post", &url, &[("Accept", "x/y")], 3).unwrap();
		assert_eq!(
			head,
			"POST / HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: 3\r\nAccept: x/y\r\n\r\n"
		);
	}

	#[test]
	fn decodes_chunked_bodies() {
		let raw = b"4\r\nWiki\r\n5;ext=1\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n";
		assert_eq!(decode_chunked(raw).unwrap(), b"Wikipedia in\r\n\r\nchunks.");
		let with_trailer = b"3\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n";
		assert_eq!(decode_chunked(with_trailer).unwrap(), b"abc");
		assert!(matches!(decode_chunked(b"3\r\nabc\r\n"), Err(HttpError::Truncated)));
		assert!(matches!(decode_chunked(b"3\r\nabcd\r\n0\r\n\r\n"), Err(HttpError::Malformed(_))));
		assert!(matches!(decode_chunked(b"zz\r\n"), Err(HttpError::Malformed(_))));
	}

	#[test]
	fn incremental_chunk_decoding_matches_one_shot() {
		let raw = b"4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n";
		let mut d = ChunkDecoder::default();
		let mut done = false;
		for end in 0..=raw.len() {
			done = d.feed(&raw[..end]).unwrap();
			if done {
				assert_eq!(end, raw.len());
			}
		}
		assert!(done);
		assert_eq!(d.body, b"Wikipedia");
	}

	#[tokio::test]
	async fn reads_framed_responses_from_a_stream() {
		let cases: [(&[u8], &[u8]); 4] = [
			(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA", b"hello"),
			(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n", b"hello"),
			(b"HTTP/1.0 200 OK\r\nServer: x\r\n\r\nhello", b"hello"),
			(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 5\r\n\r\nhello", b"hello"),
		];
		for (raw, body) in cases {
			let mut s = raw;
			let r = read_response(&mut s, false).await.unwrap();
			assert_eq!(r.body, body);
			assert!(r.is_success());
		}
		let mut short: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhello";
		assert!(matches!(read_response(&mut short, false).await, Err(HttpError::Truncated)));
		let mut bad: &[u8] = b"SMTP 220 hi\r\n\r\n";
		assert!(matches!(read_response(&mut bad, false).await, Err(HttpError::Malformed(_))));
	}
}
