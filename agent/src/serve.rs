//! A minimal HTTP/1.1 server for the agents' two endpoints: the provider's axon (the
//! benchmark validators time) and the metrics Prometheus scrapes. One request per
//! connection, bodies up to [`MAX_BODY`].

use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};
use tokio::{
	io::{AsyncReadExt, AsyncWriteExt},
	net::{TcpListener, TcpStream},
};

/// Largest request body accepted.
const MAX_BODY: usize = 64 * 1024;
/// Largest request head accepted.
const MAX_HEAD: usize = 16 * 1024;
/// A client has this long to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A request as the handlers see it.
pub struct Request {
	pub method: String,
	pub path: String,
	pub body: Vec<u8>,
}

/// A handler's answer.
pub struct Response {
	pub status: u16,
	pub content_type: &'static str,
	pub body: Vec<u8>,
}

impl Response {
	pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
		Self { status, content_type, body: body.into() }
	}

	pub fn text(status: u16, body: impl Into<String>) -> Self {
		Self::new(status, "text/plain; charset=utf-8", body.into())
	}
}

/// Binds `addr` and answers each request with `handler`, until the process ends.
pub async fn serve<H, F>(addr: SocketAddr, handler: H) -> anyhow::Result<()>
where
	H: Fn(Request) -> F + Send + Sync + 'static,
	F: Future<Output = Response> + Send,
{
	let listener = TcpListener::bind(addr)
		.await
		.map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
	tracing::info!(%addr, "listening");
	let handler = Arc::new(handler);
	tokio::spawn(async move {
		loop {
			let Ok((stream, _)) = listener.accept().await else { continue };
			let handler = handler.clone();
			tokio::spawn(async move {
				if let Err(error) = answer(stream, handler.as_ref()).await {
					tracing::debug!(%error, "request failed");
				}
			});
		}
	});
	Ok(())
}

async fn answer<H, F>(mut stream: TcpStream, handler: &H) -> anyhow::Result<()>
where
	H: Fn(Request) -> F,
	F: Future<Output = Response>,
{
	let response = match tokio::time::timeout(READ_TIMEOUT, read_request(&mut stream)).await {
		Ok(Ok(request)) => handler(request).await,
		Ok(Err(reason)) => Response::text(400, reason),
		Err(_) => Response::text(408, "request timed out"),
	};
	let head = format!(
		"HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
		response.status,
		reason(response.status),
		response.content_type,
		response.body.len()
	);
	stream.write_all(head.as_bytes()).await?;
	stream.write_all(&response.body).await?;
	stream.shutdown().await?;
	Ok(())
}

async fn read_request(stream: &mut TcpStream) -> Result<Request, String> {
	let mut buffer = Vec::new();
	let head_end = loop {
		if let Some(end) = find(&buffer, b"\r\n\r\n") {
			break end;
		}
		if buffer.len() > MAX_HEAD {
			return Err("request head too large".into());
		}
		let mut chunk = [0u8; 4096];
		let read = stream.read(&mut chunk).await.map_err(|e| e.to_string())?;
		if read == 0 {
			return Err("connection closed before the request ended".into());
		}
		buffer.extend_from_slice(&chunk[..read]);
	};
	let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
	let mut lines = head.split("\r\n");
	let mut request_line = lines.next().unwrap_or_default().split_whitespace();
	let method = request_line.next().unwrap_or_default().to_owned();
	let path = request_line.next().unwrap_or_default().to_owned();
	let mut length = 0usize;
	for line in lines {
		if let Some((name, value)) = line.split_once(':') {
			if name.trim().eq_ignore_ascii_case("content-length") {
				length = value.trim().parse().map_err(|_| "bad Content-Length".to_owned())?;
			}
		}
	}
	if length > MAX_BODY {
		return Err(format!("body over {MAX_BODY} bytes"));
	}
	let mut body = buffer[head_end + 4..].to_vec();
	while body.len() < length {
		let mut chunk = vec![0u8; length - body.len()];
		let read = stream.read(&mut chunk).await.map_err(|e| e.to_string())?;
		if read == 0 {
			return Err("connection closed before the body ended".into());
		}
		body.extend_from_slice(&chunk[..read]);
	}
	body.truncate(length);
	Ok(Request { method, path, body })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
	haystack.windows(needle.len()).position(|window| window == needle)
}

fn reason(status: u16) -> &'static str {
	match status {
		200 => "OK",
		400 => "Bad Request",
		404 => "Not Found",
		408 => "Request Timeout",
		_ => "Error",
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use luxtensor_workloads::http;

	#[tokio::test]
	async fn answers_requests_by_method_and_path() {
		let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
		let addr = listener.local_addr().unwrap();
		drop(listener);
		serve(addr, |request: Request| async move {
			match (request.method.as_str(), request.path.as_str()) {
				("POST", "/echo") => Response::new(200, "application/octet-stream", request.body),
				_ => Response::text(404, "no"),
			}
		})
		.await
		.unwrap();

		let url = format!("http://{addr}/echo");
		let body = vec![7u8; 50_000];
		let response =
			http::request("POST", &url, &[], &body, Duration::from_secs(5)).await.unwrap();
		assert_eq!((response.status, response.body), (200, body));

		let missing = format!("http://{addr}/nothing");
		let response =
			http::request("GET", &missing, &[], &[], Duration::from_secs(5)).await.unwrap();
		assert_eq!(response.status, 404);
	}
}
