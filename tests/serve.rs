//! The web server's API: who may call what (every endpoint × the facilitator,
//! each team, no token and a wrong token), what a team may see, and every
//! kind of bad request. In-process, through the router.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use cyberttx::engine::Engine;
use cyberttx::norms::NormSet;
use cyberttx::scenario;
use cyberttx::serve::{Assets, Shared, new_access, router};
use cyberttx::session::journal::WebAccess;
use cyberttx::session::{self, Session};
use http_body_util::BodyExt;
use std::collections::BTreeMap;
use tower::ServiceExt;

/// A quickstart server with a journal in a temporary directory.
fn server() -> (Router, WebAccess, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let norms = NormSet::load(None).expect("catalogues");
    let (src, s, _) = scenario::load("quickstart", &norms).expect("bundled");
    let ids: Vec<String> = s.actors.iter().map(|a| a.id.to_string()).collect();
    let access = new_access(&ids).expect("tokens");
    let teams: BTreeMap<String, String> = ids.iter().map(|a| (a.clone(), String::new())).collect();
    let mut header = session::header(
        "quickstart",
        "quickstart",
        &src.text,
        2026,
        BTreeMap::new(),
        Some("2026-11-30".to_owned()),
        teams,
    );
    header.web = Some(access.clone());
    let engine = Engine::new(s, &norms, 2026).expect("engine");
    let session =
        Session::new(engine, header, Some(&dir.path().join("web.jsonl"))).expect("session");
    let shared = Shared::new(session, norms, Assets::Embedded).expect("shared");
    (router(shared), access, dir)
}

/// How a request is authenticated.
#[derive(Clone, Copy)]
enum Auth<'a> {
    None,
    Bearer(&'a str),
    Query(&'a str),
}

/// Calls the router; the status and, unless it is an event stream, the body.
async fn call(
    app: &Router,
    method: &str,
    uri: &str,
    auth: Auth<'_>,
    body: Option<&str>,
) -> (StatusCode, String) {
    let uri = match auth {
        Auth::Query(t) if uri.contains('?') => format!("{uri}&token={t}"),
        Auth::Query(t) => format!("{uri}?token={t}"),
        _ => uri.to_owned(),
    };
    let mut req = Request::builder().method(method).uri(uri);
    if let Auth::Bearer(t) = auth {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    if body.is_some() {
        req = req.header("content-type", "application/json");
    }
    let req = req
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_owned())))
        .expect("request");
    let response = app.clone().oneshot(req).await.expect("a response");
    let status = response.status();
    let stream = response
        .headers()
        .get("content-type")
        .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
    if stream {
        return (status, String::new());
    }
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

const WRONG: &str = "00000000000000000000000000000000";

#[derive(Clone, Copy, PartialEq)]
enum Who {
    Anyone,
    Team,
    Facilitator,
}

#[tokio::test]
async fn every_endpoint_answers_only_the_callers_it_is_for() {
    let (app, access, _dir) = server();
    let teams: Vec<(&String, &String)> = access.teams.iter().collect();
    let endpoints: [(&str, &str, Option<&str>, Who); 9] = [
        ("GET", "/api/state", None, Who::Anyone),
        ("GET", "/api/events", None, Who::Anyone),
        ("POST", "/api/submit", Some(r#"{"choices": []}"#), Who::Team),
        ("GET", "/api/report?format=md", None, Who::Facilitator),
        (
            "POST",
            "/api/note",
            Some(r#"{"text": "A note"}"#),
            Who::Facilitator,
        ),
        (
            "POST",
            "/api/adjudicate",
            Some(
                r#"{"actor": "meridia", "norm": "gge-13a", "score": 1, "reason": "Chaired well"}"#,
            ),
            Who::Facilitator,
        ),
        (
            "POST",
            "/api/inject",
            Some(r#"{"inject": "press-leak"}"#),
            Who::Facilitator,
        ),
        ("POST", "/api/advance", None, Who::Facilitator),
        ("POST", "/api/end", None, Who::Facilitator),
    ];
    for (method, path, body, who) in endpoints {
        // Refused first, so that nothing has changed when they are asked.
        let mut refused = vec![Auth::None, Auth::Bearer(WRONG), Auth::Query(WRONG)];
        if who == Who::Facilitator {
            refused.extend(teams.iter().map(|(_, t)| Auth::Bearer(t.as_str())));
        }
        if who == Who::Team {
            refused.push(Auth::Bearer(&access.facilitator));
        }
        for auth in refused {
            let (status, text) = call(&app, method, path, auth, body).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {text}");
            assert_eq!(text, "", "a 403 says nothing: {method} {path}");
        }
        let allowed: Vec<Auth> = match who {
            Who::Facilitator => vec![Auth::Bearer(&access.facilitator)],
            Who::Team => teams
                .iter()
                .map(|(_, t)| Auth::Bearer(t.as_str()))
                .collect(),
            Who::Anyone => std::iter::once(Auth::Bearer(access.facilitator.as_str()))
                .chain(teams.iter().map(|(_, t)| Auth::Query(t.as_str())))
                .collect(),
        };
        for auth in allowed {
            let (status, text) = call(&app, method, path, auth, body).await;
            assert_eq!(status, StatusCode::OK, "{method} {path}: {text}");
        }
    }
}

#[tokio::test]
async fn a_team_sees_its_own_briefing_and_nothing_hidden() {
    let (app, access, _dir) = server();
    for (actor, token) in &access.teams {
        let (status, text) = call(&app, "GET", "/api/state", Auth::Bearer(token), None).await;
        assert_eq!(status, StatusCode::OK);
        let v: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert_eq!(v["role"], "team");
        assert_eq!(&v["actor"], actor.as_str());
        assert_eq!(&v["briefing"]["actor"], actor.as_str());
        for hidden in [
            "truth",
            "ledger",
            "teams",
            "injects",
            "scores",
            "notes",
            "decisions",
        ] {
            assert!(v.get(hidden).is_none(), "{actor} sees `{hidden}`");
        }
        assert!(!text.contains("perpetrator"), "{actor}: {text}");
        assert!(!text.contains("false_flag"), "{actor}: {text}");
        // Fog of war: the ransomware is known to the utility and its CERT only.
        let knows = text.contains("grid-ransomware");
        assert_eq!(
            knows,
            actor == "harbourpower" || actor == "cert-meridia",
            "{actor}: {text}"
        );
    }
    let (_, text) = call(
        &app,
        "GET",
        "/api/state",
        Auth::Bearer(&access.facilitator),
        None,
    )
    .await;
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["role"], "facilitator");
    assert_eq!(v["truth"]["incidents"][0]["perpetrator"], "valdoria");
    assert_eq!(v["truth"]["incidents"][0]["false_flag"], "norland");
}

#[tokio::test]
async fn submissions_are_checked_as_a_whole_and_can_be_revised() {
    let (app, access, dir) = server();
    let blue = Auth::Bearer(&access.teams["harbourpower"]);
    let cases = [
        (r#"{"choices": ["#, "EOF while parsing"),
        (r#"{"choices": [], "extra": 1}"#, "unknown field `extra`"),
        (
            r#"{"choices": [{"response": "nope"}]}"#,
            "`nope` is not available to HarbourPower Utilities now",
        ),
        (
            r#"{"choices": [{"response": "isolate-network", "target": "water-works"}]}"#,
            "`water-works` is not a target of `isolate-network` for HarbourPower Utilities now; the targets are grid-control, substation-east",
        ),
        (
            r#"{"choices": [{"response": "isolate-network", "target": "grid-control"}, {"response": "restore-backups", "target": "grid-control"}]}"#,
            "`restore-backups` costs 2 action points; HarbourPower Utilities has 1 left this turn",
        ),
        (
            r#"{"choices": [{"response": "isolate-network", "target": "grid-control"}, {"response": "isolate-network", "target": "grid-control"}]}"#,
            "HarbourPower Utilities has already chosen `isolate-network` on `grid-control` this turn",
        ),
    ];
    for (body, message) in cases {
        let (status, text) = call(&app, "POST", "/api/submit", blue, Some(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {text}");
        let v: serde_json::Value = serde_json::from_str(&text).expect("json error");
        let got = v["error"].as_str().unwrap_or_default();
        assert!(got.contains(message), "{body}: {got}");
    }
    let journal = dir.path().join("web.jsonl");
    assert_eq!(
        std::fs::read_to_string(&journal)
            .expect("journal")
            .lines()
            .count(),
        1,
        "refused submissions leave no trace"
    );
    let first = r#"{"choices": [{"response": "isolate-network", "target": "grid-control", "rationale": "Stop it"}]}"#;
    let (status, text) = call(&app, "POST", "/api/submit", blue, Some(first)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["submitted"], true);
    assert_eq!(v["choices"][0]["rationale"], "Stop it");
    let revised = r#"{"choices": [{"response": "report-to-cert", "target": "grid-ransomware"}]}"#;
    let (status, _) = call(&app, "POST", "/api/submit", blue, Some(revised)).await;
    assert_eq!(status, StatusCode::OK);
    let lines: Vec<String> = std::fs::read_to_string(&journal)
        .expect("journal")
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        lines.len(),
        3,
        "both submissions are journaled before they are acknowledged"
    );
    assert!(lines[2].starts_with(r#"{"type":"submit","turn":1,"actor":"harbourpower","choices":[{"response":"report-to-cert""#), "{}", lines[2]);
    let fac = Auth::Bearer(&access.facilitator);
    let (_, text) = call(&app, "GET", "/api/state", fac, None).await;
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let blue_row = v["teams"]
        .as_array()
        .and_then(|t| t.iter().find(|r| r["actor"] == "harbourpower"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(blue_row["submitted"], true);
    assert_eq!(blue_row["choices"][0]["response"], "report-to-cert");
}

/// A bad request: method, path, caller, body, the status and the message
/// expected (empty for no body).
type BadCase<'a> = (
    &'a str,
    &'a str,
    Auth<'a>,
    Option<&'a str>,
    StatusCode,
    &'a str,
);

#[tokio::test]
async fn bad_requests_get_their_status_and_a_message() {
    let (app, access, _dir) = server();
    let fac = Auth::Bearer(&access.facilitator);
    let blue = Auth::Bearer(&access.teams["harbourpower"]);
    let big = format!(r#"{{"text": "{}"}}"#, "x".repeat(70 * 1024));
    let cases: [BadCase; 10] = [
        (
            "POST",
            "/api/note",
            fac,
            Some(&big),
            StatusCode::PAYLOAD_TOO_LARGE,
            "",
        ),
        (
            "POST",
            "/api/note",
            fac,
            Some(r#"{"text": "  "}"#),
            StatusCode::BAD_REQUEST,
            "a note needs some text",
        ),
        (
            "POST",
            "/api/inject",
            fac,
            Some(r#"{"inject": "atlantis"}"#),
            StatusCode::BAD_REQUEST,
            "`atlantis` is not an inject of this scenario",
        ),
        (
            "POST",
            "/api/inject",
            fac,
            Some(r#"{"id": "press-leak"}"#),
            StatusCode::BAD_REQUEST,
            "unknown field `id`",
        ),
        (
            "POST",
            "/api/adjudicate",
            fac,
            Some(r#"{"actor": "meridia", "norm": "gge-99", "score": 1, "reason": "r"}"#),
            StatusCode::BAD_REQUEST,
            "`gge-99` is not a norm of the frameworks in force in this exercise",
        ),
        (
            "POST",
            "/api/adjudicate",
            fac,
            Some(
                r#"{"actor": "meridia", "norm": "gge-13a", "score": 1, "reason": "r", "replaces": 0}"#,
            ),
            StatusCode::BAD_REQUEST,
            "assessments are numbered from 1; there is no assessment #0",
        ),
        (
            "POST",
            "/api/adjudicate",
            fac,
            Some(r#"{"actor": "meridia", "norm": "gge-13a", "score": 9, "reason": "r"}"#),
            StatusCode::BAD_REQUEST,
            "the score must be a whole number from -3 to 3, not 9",
        ),
        (
            "GET",
            "/api/report?format=xml",
            fac,
            None,
            StatusCode::BAD_REQUEST,
            "`xml` is not a report format: use html, md, json or csv",
        ),
        (
            "GET",
            "/api/submit",
            blue,
            None,
            StatusCode::METHOD_NOT_ALLOWED,
            "",
        ),
        ("GET", "/api/nothing", fac, None, StatusCode::NOT_FOUND, ""),
    ];
    for (method, path, auth, body, status, message) in cases {
        let (got, text) = call(&app, method, path, auth, body).await;
        assert_eq!(got, status, "{method} {path}: {text}");
        if message.is_empty() {
            assert_eq!(text, "", "{method} {path}");
        } else {
            let v: serde_json::Value = serde_json::from_str(&text).expect("json error");
            let e = v["error"].as_str().unwrap_or_default();
            assert!(e.contains(message), "{method} {path}: {e}");
        }
    }
    // Once the exercise is over, changes are a conflict.
    let (status, _) = call(&app, "POST", "/api/end", fac, None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, text) = call(
        &app,
        "POST",
        "/api/submit",
        blue,
        Some(r#"{"choices": []}"#),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{text}");
    let (status, text) = call(&app, "POST", "/api/advance", fac, None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{text}");
    assert!(text.contains("the exercise is over"), "{text}");
    // The report still downloads, as an attachment.
    let (status, text) = call(&app, "GET", "/api/report?format=csv", fac, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.starts_with("number,turn,actor,norm"), "{text}");
}

#[tokio::test]
async fn the_pages_are_served_with_no_external_resources() {
    let (app, _, _dir) = server();
    for path in [
        "/",
        "/team",
        "/facilitator",
        "/assets/app.css",
        "/assets/common.js",
        "/assets/team.js",
        "/assets/facilitator.js",
    ] {
        let (status, text) = call(&app, "GET", path, Auth::None, None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(!text.is_empty(), "{path} is empty");
        for external in ["http://", "https://", "//cdn", "@import url("] {
            assert!(!text.contains(external), "{path} refers to {external}");
        }
    }
    let (status, _) = call(&app, "GET", "/assets/../Cargo.toml", Auth::None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
