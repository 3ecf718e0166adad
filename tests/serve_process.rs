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
    // Who decided when a team had not submitted: its bot, in those turns.
    assert!(
        md.contains("| HarbourPower Utilities | Company | Blue | NormAbiding bot in turn 1 |"),
        "{md}"
    );
    assert!(
        md.contains(
            "| Kingdom of Norland | State | a team (not named) | NormAbiding bot in turns 1, 2 |"
        ),
        "{md}"
    );
}

// A real browser: two teams and the facilitator, each in a browser of its
// own, driven through chromedriver.

mod browser {
    use super::{Server, start};
    use fantoccini::{Client, ClientBuilder, Locator};
    use std::path::{Path, PathBuf};
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};

    /// The browser and its driver, if this machine has them. `.ci/run`
    /// installs them and sets CYBERTTX_BROWSER_TESTS=required, so that
    /// there the test cannot be skipped.
    fn tools() -> Option<(PathBuf, PathBuf)> {
        let find = |names: &[&str]| {
            names
                .iter()
                .map(|n| Path::new("/usr/bin").join(n))
                .find(|p| p.exists())
        };
        let found =
            find(&["chromedriver"]).zip(find(&["chromium", "chromium-browser", "google-chrome"]));
        if found.is_none() {
            assert!(
                std::env::var("CYBERTTX_BROWSER_TESTS").as_deref() != Ok("required"),
                "the browser test is required here, but chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
            );
            eprintln!(
                "skipped: the browser test needs chromium and chromium-driver (apt-get install chromium chromium-driver)"
            );
        }
        found
    }

    struct Driver(Child);

    impl Drop for Driver {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port")
    }

    async fn browser(driver: &str, chromium: &Path, profile: &Path, downloads: &Path) -> Client {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run",
                    format!("--user-data-dir={}", profile.display()),
                    "--window-size=1280,1800",
                ],
                "prefs": {
                    "download.default_directory": downloads,
                    "download.prompt_for_download": false,
                },
            }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(driver)
            .await
            .expect("a browser session")
    }

    /// Waits until the text of `css` satisfies `ok`; the text.
    async fn until(c: &Client, css: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        let mut last = String::new();
        while start.elapsed() < Duration::from_secs(20) {
            if let Ok(e) = c.find(Locator::Css(css)).await
                && let Ok(t) = e.text().await
            {
                if ok(&t) {
                    return t;
                }
                last = t;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css}: {what}; it shows {last:?}");
    }

    async fn choose(c: &Client, response: &str, target: &str) {
        let select = c
            .find(Locator::Css(&format!(
                ".response[data-response=\"{response}\"] [data-testid=response-target]"
            )))
            .await
            .expect("the response's target list");
        select.select_by_value(target).await.expect("a target");
    }

    async fn screenshot(c: &Client, name: &str) {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
        std::fs::create_dir_all(&dir).expect("artefact directory");
        let png = c.screenshot().await.expect("a screenshot");
        std::fs::write(dir.join(name), png).expect("screenshot written");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn two_teams_and_the_facilitator_play_a_turn_in_real_browsers() {
        let Some((chromedriver, chromium)) = tools() else {
            return;
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let server: Server = start(
            dir.path(),
            &[
                "--journal",
                "b.jsonl",
                "--team",
                "harbourpower=Blue",
                "--team",
                "meridia=Red",
            ],
        );
        let port = free_port();
        let _driver = Driver(
            Command::new(&chromedriver)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("chromedriver starts"),
        );
        let url = format!("http://127.0.0.1:{port}");
        let start_wait = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start_wait.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let downloads = dir.path().join("downloads");
        std::fs::create_dir_all(&downloads).expect("downloads");
        let mut clients = Vec::new();
        for k in 0..3 {
            let profile = dir.path().join(format!("profile-{k}"));
            clients.push(browser(&url, &chromium, &profile, &downloads).await);
        }
        let (blue, red, fac) = (&clients[0], &clients[1], &clients[2]);
        let base = format!("http://{}", server.addr);
        blue.goto(&format!(
            "{base}/team#token={}",
            server.team("HarbourPower Utilities")
        ))
        .await
        .expect("blue page");
        red.goto(&format!(
            "{base}/team#token={}",
            server.team("Republic of Meridia")
        ))
        .await
        .expect("red page");
        fac.goto(&format!("{base}/facilitator#token={}", server.facilitator))
            .await
            .expect("console");

        until(blue, "#team-name", "the team's name", |t| {
            t.contains("Blue")
        })
        .await;
        until(red, "#team-name", "the team's name", |t| t.contains("Red")).await;
        // Each team sees its own briefing only: the ransomware is the utility's.
        until(blue, "#incidents", "the utility's incident", |t| {
            t.contains("Screens locked at the control centre")
        })
        .await;
        let red_incidents = until(red, "#incidents", "a briefing", |t| !t.is_empty()).await;
        assert!(!red_incidents.contains("Screens locked"), "{red_incidents}");

        choose(blue, "isolate-network", "grid-control").await;
        blue.find(Locator::Css("#rationale"))
            .await
            .expect("rationale")
            .send_keys("Stop the spread first")
            .await
            .expect("typed");
        blue.find(Locator::Css("#submit"))
            .await
            .expect("submit")
            .click()
            .await
            .expect("clicked");
        until(blue, "#submitted-status", "submitted", |t| {
            t.contains("Submitted")
        })
        .await;

        choose(red, "request-assistance", "valdoria").await;
        red.find(Locator::Css("#submit"))
            .await
            .expect("submit")
            .click()
            .await
            .expect("clicked");
        until(red, "#submitted-status", "submitted", |t| {
            t.contains("Submitted")
        })
        .await;

        // The console sees both submissions arrive by itself.
        for actor in ["harbourpower", "meridia"] {
            until(
                fac,
                &format!("#teams tr[data-actor=\"{actor}\"] [data-testid=team-submitted]"),
                "submitted",
                |t| t.contains("Submitted") && !t.contains("Not"),
            )
            .await;
        }
        screenshot(fac, "facilitator.png").await;
        fac.find(Locator::Css("#advance"))
            .await
            .expect("advance")
            .click()
            .await
            .expect("clicked");

        // Both team pages move on by themselves, with the public results.
        for team in [blue, red] {
            until(team, "#turn", "turn 2", |t| t.contains('2')).await;
            until(team, "#results", "the results of turn 1", |t| {
                t.contains("1")
            })
            .await;
        }
        screenshot(blue, "team-blue.png").await;
        screenshot(red, "team-red.png").await;

        // The report downloads from the console.
        fac.find(Locator::Css("#report-html"))
            .await
            .expect("report link")
            .click()
            .await
            .expect("clicked");
        let file = downloads.join("cyberttx-report.html");
        let waited = Instant::now();
        while !file.exists() {
            assert!(
                waited.elapsed() < Duration::from_secs(20),
                "the report did not download"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let html = std::fs::read_to_string(&file).expect("the report");
        assert!(
            html.contains("After-action report: Harbour Lights"),
            "{}",
            &html[..html.len().min(400)]
        );
        assert!(html.contains("Stop the spread first"));
        for c in clients {
            let _ = c.close().await;
        }
    }
}
