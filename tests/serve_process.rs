//! The server as a process: its links, and a kill in the middle of a turn
//! that loses no acknowledged submission.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A running server: the process, its address, the facilitator's token and
/// each actor's token by name.
struct Server {
    child: Child,
    addr: String,
    facilitator: String,
    teams: Vec<(String, String)>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn token_of(link: &str) -> String {
    link.rsplit("#token=")
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// Starts `cyberttx serve ARGS` on a free port and reads its links.
fn start(dir: &Path, args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cyberttx"))
        .arg("serve")
        .args(["--bind", "127.0.0.1:0"])
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .stdin(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let (mut addr, mut facilitator, mut teams) = (String::new(), String::new(), Vec::new());
    let mut in_teams = false;
    for line in lines.by_ref() {
        let line = line.expect("a line");
        if let Some(rest) = line.split("serving on http://").nth(1) {
            addr = rest.trim().to_owned();
        } else if line.contains("/facilitator#token=") {
            facilitator = token_of(&line);
        } else if line.starts_with("Join links") {
            in_teams = true;
        } else if in_teams && line.contains("/team#token=") {
            let name = line
                .trim()
                .split(": http")
                .next()
                .unwrap_or_default()
                .to_owned();
            teams.push((name, token_of(&line)));
        } else if line.starts_with("Ctrl-C") {
            break;
        }
    }
    assert!(
        !addr.is_empty() && !facilitator.is_empty(),
        "the server printed its links"
    );
    Server {
        child,
        addr,
        facilitator,
        teams,
    }
}

/// One HTTP/1.1 request; the status and the body.
fn http(addr: &str, method: &str, path: &str, token: &str, body: Option<&str>) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connects");
    let body = body.unwrap_or("");
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).expect("sent");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    let status = out
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = out.split_once("\r\n\r\n").map_or("", |(_, b)| b).to_owned();
    (status, body)
}

impl Server {
    fn team(&self, name: &str) -> &str {
        self.teams
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, t)| t.as_str())
    }
}

#[test]
fn a_server_killed_mid_turn_comes_back_with_every_acknowledged_submission() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = start(
        dir.path(),
        &[
            "--journal",
            "s.jsonl",
            "--team",
            "harbourpower=Blue",
            "--date",
            "2026-11-30",
        ],
    );
    assert_eq!(first.teams.len(), 5, "a join link per actor");
    let blue = first.team("HarbourPower Utilities").to_owned();
    let red = first.team("Republic of Meridia").to_owned();
    // Turn 1 resolves; in turn 2 two teams submit, then the server dies.
    let (status, body) = http(
        &first.addr,
        "POST",
        "/api/advance",
        &first.facilitator,
        None,
    );
    assert_eq!(status, 200, "{body}");
    let (status, body) = http(
        &first.addr,
        "POST",
        "/api/submit",
        &blue,
        Some(
            r#"{"choices": [{"response": "report-to-cert", "target": "grid-ransomware", "rationale": "Late, but reported"}]}"#,
        ),
    );
    assert_eq!(status, 200, "{body}");
    let (status, body) = http(
        &first.addr,
        "POST",
        "/api/submit",
        &red,
        Some(
            r#"{"choices": [{"response": "request-assistance", "target": "valdoria", "rationale": "Servers there"}]}"#,
        ),
    );
    assert_eq!(status, 200, "{body}");
    let facilitator = first.facilitator.clone();
    let mut first = first;
    first.child.kill().expect("killed");
    first.child.wait().expect("reaped");

    let second = start(dir.path(), &["--resume", "s.jsonl"]);
    assert_eq!(
        second.facilitator, facilitator,
        "the same links after a resume"
    );
    assert_eq!(second.team("HarbourPower Utilities"), blue);
    let (status, body) = http(&second.addr, "GET", "/api/state", &blue, None);
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(v["turn"], 2);
    assert_eq!(v["submitted"], true);
    assert_eq!(v["choices"][0]["rationale"], "Late, but reported");
    assert_eq!(v["team"], "Blue");
    let (_, body) = http(&second.addr, "GET", "/api/state", &facilitator, None);
    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
    let submitted: Vec<&str> = v["teams"]
        .as_array()
        .map(|t| {
            t.iter()
                .filter(|r| r["submitted"] == true)
                .filter_map(|r| r["actor"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(submitted, ["meridia", "harbourpower"]);
    // The turn goes on from there and the report includes it.
    let (status, _) = http(&second.addr, "POST", "/api/advance", &facilitator, None);
    assert_eq!(status, 200);
    let (status, md) = http(
        &second.addr,
        "GET",
        "/api/report?format=md",
        &facilitator,
        None,
    );
    assert_eq!(status, 200);
    assert!(md.contains("Late, but reported"), "{md}");
}
