//! The server under test as a child process (`meeting-reports serve`), and an HTTP/1.1 client
//! with one kept-alive connection per worker.

use std::{
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use http_body_util::{BodyExt, Full};
use hyper::{body::Bytes, client::conn::http1::SendRequest, Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// A running server; killed when dropped.
pub struct Server {
    child: Child,
    pub addr: String,
}

impl Server {
    /// Starts `binary serve` on a free port of 127.0.0.1 and waits for `/healthz`.
    pub async fn start(
        binary: &Path,
        database_url: &str,
        jwt_secret: &str,
    ) -> Result<Self, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let addr = format!("127.0.0.1:{port}");
        let child = Command::new(binary)
            .args(["serve", "--bind", &addr])
            .env("DATABASE_URL", database_url)
            .env("JWT_SECRET", jwt_secret)
            .env("RUST_LOG", "warn")
            // A heavy report at concurrency 16 queues for longer than the default 30 s timeout on
            // two cores: the benchmark measures that latency rather than cutting it off.
            .env("REQUEST_TIMEOUT_SECS", "600")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let mut server = Self { child, addr };
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!("the server exited at start: {status}"));
            }
            if let Ok(mut conn) = Connection::open(&server.addr).await {
                if conn.get("/healthz").await.is_ok() {
                    return Ok(server);
                }
            }
            if Instant::now() > deadline {
                server.stop();
                return Err("the server did not answer /healthz within 120 s".into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The server's peak resident set so far (VmHWM), in bytes.
    pub fn peak_rss(&self) -> Option<u64> {
        proc_status_kb(self.child.id(), "VmHWM:").map(|kb| kb * 1024)
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A line of `/proc/<pid>/status`, in kB.
pub fn proc_status_kb(pid: u32, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// What a streamed answer took.
#[derive(Debug, Default, Clone)]
pub struct Streamed {
    pub first_byte: Duration,
    pub total: Duration,
    pub bytes: u64,
    /// CRLF-ended records (a CSV's header included).
    pub records: u64,
}

/// The server's resident set now (VmRSS), in bytes.
pub fn rss(pid: u32) -> Option<u64> {
    proc_status_kb(pid, "VmRSS:").map(|kb| kb * 1024)
}

/// One kept-alive HTTP/1.1 connection.
pub struct Connection {
    sender: SendRequest<Full<Bytes>>,
    host: String,
}

impl Connection {
    pub async fn open(addr: &str) -> Result<Self, String> {
        let stream = TcpStream::connect(addr)
            .await
            .map_err(|e| format!("connect {addr}: {e}"))?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| format!("handshake: {e}"))?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(Self {
            sender,
            host: addr.to_owned(),
        })
    }

    async fn send(&mut self, request: Request<Full<Bytes>>) -> Result<(StatusCode, Bytes), String> {
        self.sender
            .ready()
            .await
            .map_err(|e| format!("connection lost: {e}"))?;
        let response = self
            .sender
            .send_request(request)
            .await
            .map_err(|e| format!("request failed: {e}"))?;
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("reading the body: {e}"))?
            .to_bytes();
        Ok((status, body))
    }

    async fn get(&mut self, path: &str) -> Result<Bytes, String> {
        let request = Request::get(path)
            .header("host", &self.host)
            .body(Full::new(Bytes::new()))
            .map_err(|e| e.to_string())?;
        match self.send(request).await? {
            (StatusCode::OK, body) => Ok(body),
            (status, _) => Err(format!("GET {path}: {status}")),
        }
    }

    /// POSTs an export request body and reads the streamed answer, timing its first body
    /// byte and counting its bytes and CSV records (`\r\n`) without keeping it.
    pub async fn export(&mut self, token: &str, body: Bytes) -> Result<Streamed, String> {
        let request = Request::post("/export")
            .header("host", &self.host)
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {token}"))
            .body(Full::new(body))
            .map_err(|e| e.to_string())?;
        self.sender
            .ready()
            .await
            .map_err(|e| format!("connection lost: {e}"))?;
        let started = Instant::now();
        let response = self
            .sender
            .send_request(request)
            .await
            .map_err(|e| format!("request failed: {e}"))?;
        let status = response.status();
        let mut body = response.into_body();
        let mut streamed = Streamed::default();
        let mut last = 0u8;
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| format!("the export broke off: {e}"))?;
            let Some(data) = frame.data_ref() else {
                continue;
            };
            if streamed.bytes == 0 && !data.is_empty() {
                streamed.first_byte = started.elapsed();
            }
            for &b in data.iter() {
                if b == b'\n' && last == b'\r' {
                    streamed.records += 1;
                }
                last = b;
            }
            streamed.bytes += data.len() as u64;
        }
        streamed.total = started.elapsed();
        if status != StatusCode::OK {
            return Err(format!("POST /export: {status}"));
        }
        Ok(streamed)
    }

    /// POSTs a GraphQL request body; the response body when the status is 200.
    pub async fn graphql(&mut self, token: &str, body: Bytes) -> Result<Bytes, String> {
        let request = Request::post("/graphql")
            .header("host", &self.host)
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {token}"))
            .body(Full::new(body))
            .map_err(|e| e.to_string())?;
        match self.send(request).await? {
            (StatusCode::OK, body) => Ok(body),
            (status, body) => Err(format!(
                "POST /graphql: {status}: {}",
                String::from_utf8_lossy(&body)
            )),
        }
    }
}
