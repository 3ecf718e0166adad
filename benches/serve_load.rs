//! A bounded load test of the web server on loopback: 200 participants
//! connected for live updates, each submitting its team's choices; prints
//! the p50/p99 submission latency, how many live updates arrived, and the
//! server's memory. Run with `cargo bench --bench serve_load`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const PARTICIPANTS: usize = 200;

/// Starts the release server on a free port: its process, address and the
/// team tokens.
fn start(dir: &std::path::Path) -> (std::process::Child, String, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cyberttx"))
        .args(["serve", "--bind", "127.0.0.1:0", "--journal", "load.jsonl"])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let stdout = child.stdout.take().expect("stdout");
    let (mut addr, mut tokens) = (String::new(), Vec::new());
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("a line");
        if let Some(a) = line.split("serving on http://").nth(1) {
            addr = a.trim().to_owned();
        } else if line.contains("/team#token=") {
            tokens.push(
                line.rsplit("#token=")
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_owned(),
            );
        } else if line.starts_with("Ctrl-C") {
            break;
        }
    }
    (child, addr, tokens)
}

/// Reads the live updates until `stop`; returns how many arrived.
async fn listen(addr: String, token: String, stop: Duration) -> usize {
    let Ok(mut s) = TcpStream::connect(&addr).await else {
        return 0;
    };
    let req = format!("GET /api/events?token={token} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    if s.write_all(req.as_bytes()).await.is_err() {
        return 0;
    }
    let mut seen = 0;
    let mut buf = vec![0u8; 4096];
    let deadline = tokio::time::Instant::now() + stop;
    while let Ok(Ok(n)) = tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
        if n == 0 {
            break;
        }
        seen += buf[..n]
            .windows(13)
            .filter(|w| w == b"event: update")
            .count();
    }
    seen
}

/// Submits one choice set; the time until the answer arrived.
async fn submit(addr: &str, token: &str, body: &str) -> Duration {
    let started = Instant::now();
    let mut s = TcpStream::connect(addr).await.expect("connects");
    let req = format!(
        "POST /api/submit HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.expect("sent");
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.expect("answered");
    assert!(
        out.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&out)
    );
    started.elapsed()
}

fn memory(pid: u32) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(", ")
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut child, addr, tokens) = start(dir.path());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (latencies, updates) = runtime.block_on(async {
        let mut listeners = Vec::new();
        for k in 0..PARTICIPANTS {
            let token = tokens[k % tokens.len()].clone();
            listeners.push(tokio::spawn(listen(
                addr.clone(),
                token,
                Duration::from_secs(10),
            )));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let mut submissions = Vec::new();
        for k in 0..PARTICIPANTS {
            let token = tokens[k % tokens.len()].clone();
            let addr = addr.clone();
            // An empty set ("nothing this turn") is valid for every actor;
            // each participant revises its team's submission.
            submissions.push(tokio::spawn(async move {
                submit(&addr, &token, r#"{"choices": []}"#).await
            }));
        }
        let mut latencies = Vec::new();
        for s in submissions {
            latencies.push(s.await.expect("a submission"));
        }
        let mut updates = Vec::new();
        for l in listeners {
            updates.push(l.await.unwrap_or(0));
        }
        (latencies, updates)
    });
    let mem = memory(child.id());
    let _ = child.kill();
    let _ = child.wait();
    let mut ms: Vec<f64> = latencies.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[((ms.len() as f64 - 1.0) * p).round() as usize];
    // Updates in quick succession may reach a page as one: each page needs
    // only the latest version.
    let fewest = updates.iter().min().copied().unwrap_or(0);
    let total: usize = updates.iter().sum();
    println!(
        "serve_load: {PARTICIPANTS} participants on live updates, {} submissions: p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {total} live updates received, at least {fewest} by every participant; server memory: {mem}",
        ms.len(),
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0),
    );
}
