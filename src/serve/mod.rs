//! `cyberttx serve`: the exercise in browsers. One page per team, showing
//! only its actor's knowledge; a console for the facilitator; a JSON API
//! behind both (docs/http-api.md); live updates by server-sent events.
//!
//! Every change goes through the same [`Session`] as `play`, so it is
//! journaled and synced to disk before the response is sent. Each actor
//! and the facilitator have a secret token of 128 bits from the operating
//! system; the tokens are kept in the journal's header so that a resumed
//! server keeps its links.

mod views;

use crate::engine::{Adjudication, Choice};
use crate::norms::NormSet;
use crate::report::Report;
use crate::session::journal::WebAccess;
use crate::session::{Session, SessionError};
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

/// The largest request body accepted.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Makes a new secret token: 128 bits from the operating system, in hex.
pub fn token() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| format!("the operating system gave no random bytes: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// New tokens for the facilitator and every actor of the session's scenario.
pub fn new_access(actors: &[String]) -> Result<WebAccess, String> {
    let mut teams = BTreeMap::new();
    for a in actors {
        teams.insert(a.clone(), token()?);
    }
    Ok(WebAccess {
        facilitator: token()?,
        teams,
    })
}

/// Who a request comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Role {
    Facilitator,
    Team(String),
}

/// Where the pages come from.
#[derive(Clone, Debug)]
pub enum Assets {
    /// The pages built into the program.
    Embedded,
    /// Pages read from a directory at each request (to customise them).
    Dir(PathBuf),
}

const EMBEDDED: [(&str, &str, &str); 8] = [
    (
        "index.html",
        "text/html; charset=utf-8",
        include_str!("../../assets/web/index.html"),
    ),
    (
        "team.html",
        "text/html; charset=utf-8",
        include_str!("../../assets/web/team.html"),
    ),
    (
        "facilitator.html",
        "text/html; charset=utf-8",
        include_str!("../../assets/web/facilitator.html"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("../../assets/web/app.css"),
    ),
    (
        "common.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/web/common.js"),
    ),
    (
        "team.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/web/team.js"),
    ),
    (
        "facilitator.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/web/facilitator.js"),
    ),
    ("favicon.svg", "image/svg+xml", FAVICON),
];

const FAVICON: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\"><circle cx=\"8\" cy=\"8\" r=\"7\" fill=\"#1d4f91\"/></svg>";

/// The state every request shares.
pub struct Shared {
    session: Mutex<Session>,
    norms: NormSet,
    access: WebAccess,
    version: watch::Sender<u64>,
    assets: Assets,
}

impl Shared {
    /// The shared state of a session whose header carries its tokens.
    pub fn new(
        mut session: Session,
        norms: NormSet,
        assets: Assets,
    ) -> Result<Arc<Shared>, String> {
        // Teams see the turn's injects from the start.
        session.begin_turn();
        let access = session.header.web.clone().ok_or_else(|| {
            "this journal has no web tokens: it was not recorded by `serve`".to_owned()
        })?;
        let (version, _) = watch::channel(0);
        Ok(Arc::new(Shared {
            session: Mutex::new(session),
            norms,
            access,
            version,
            assets,
        }))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Session> {
        // A panic while holding the lock cannot leave the session half
        // changed: every change is checked before it is applied.
        self.session
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn changed(&self) {
        self.version.send_modify(|v| *v += 1);
    }

    fn version(&self) -> u64 {
        *self.version.borrow()
    }

    /// Who holds `token`.
    fn role(&self, token: &str) -> Option<Role> {
        if same(token, &self.access.facilitator) {
            return Some(Role::Facilitator);
        }
        self.access
            .teams
            .iter()
            .find(|(_, t)| same(token, t))
            .map(|(a, _)| Role::Team(a.clone()))
    }
}

/// Compares two tokens in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[derive(Deserialize, Default)]
struct TokenQuery {
    token: Option<String>,
    format: Option<String>,
}

fn caller(shared: &Shared, headers: &HeaderMap, query: &TokenQuery) -> Option<Role> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let token = bearer.or(query.token.as_deref())?;
    shared.role(token)
}

fn forbidden() -> Response {
    StatusCode::FORBIDDEN.into_response()
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, axum::Json(json!({"error": message.into()}))).into_response()
}

/// A refused change is the caller's mistake (400), or the exercise is over
/// (409); a journal that cannot be written is the server's (500).
fn session_error(e: SessionError, over: bool) -> Response {
    match e {
        SessionError::Refused(m) if over => error(StatusCode::CONFLICT, m),
        SessionError::Refused(m) | SessionError::Invalid(m) => error(StatusCode::BAD_REQUEST, m),
        SessionError::Scenario(e) => error(StatusCode::BAD_REQUEST, e.to_string()),
        SessionError::Io(m) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("nothing was accepted: {m}"),
        ),
    }
}

/// Why a request body was not accepted.
enum BadBody {
    /// Over [`BODY_LIMIT`]: 413.
    TooLarge,
    /// Not the JSON expected: 400, with what is wrong.
    Invalid(String),
}

impl IntoResponse for BadBody {
    fn into_response(self) -> Response {
        match self {
            BadBody::TooLarge => StatusCode::PAYLOAD_TOO_LARGE.into_response(),
            BadBody::Invalid(m) => error(StatusCode::BAD_REQUEST, m),
        }
    }
}

/// A JSON body, or why it is not one.
fn body<T>(parsed: Result<axum::Json<T>, JsonRejection>) -> Result<T, BadBody> {
    match parsed {
        Ok(axum::Json(v)) => Ok(v),
        Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(BadBody::TooLarge),
        Err(r) => Err(BadBody::Invalid(r.body_text())),
    }
}

/// The router of the server.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(|s| page(s, "index.html")))
        .route("/team", get(|s| page(s, "team.html")))
        .route("/facilitator", get(|s| page(s, "facilitator.html")))
        .route("/assets/{file}", get(asset))
        .route("/api/state", get(state))
        .route("/api/events", get(events))
        .route("/api/submit", post(submit))
        .route("/api/advance", post(advance))
        .route("/api/inject", post(inject))
        .route("/api/note", post(note))
        .route("/api/adjudicate", post(adjudicate))
        .route("/api/end", post(end))
        .route("/api/report", get(report))
        .fallback(|| async { StatusCode::NOT_FOUND })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(shared)
}

async fn page(State(shared): State<Arc<Shared>>, name: &'static str) -> Response {
    serve_file(&shared, name)
}

async fn asset(
    State(shared): State<Arc<Shared>>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    serve_file(&shared, &file)
}

fn serve_file(shared: &Shared, name: &str) -> Response {
    let Some(&(_, mime, text)) = EMBEDDED.iter().find(|(n, _, _)| *n == name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let body = match &shared.assets {
        Assets::Embedded => text.to_owned(),
        Assets::Dir(dir) => match std::fs::read_to_string(dir.join(name)) {
            Ok(t) => t,
            Err(_) if name == "favicon.svg" => text.to_owned(),
            Err(_) => return StatusCode::NOT_FOUND.into_response(),
        },
    };
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'",
                ),
            ),
            (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
        ],
        body,
    )
        .into_response()
}

async fn state(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Response {
    let Some(role) = caller(&shared, &headers, &q) else {
        return forbidden();
    };
    let version = shared.version();
    let view = with_session(&shared, move |session| match &role {
        Role::Facilitator => views::facilitator(session, version),
        Role::Team(actor) => views::team(session, actor, version),
    })
    .await;
    match view {
        Some(v) => axum::Json(v).into_response(),
        None => failed(),
    }
}

/// Runs `f` on the session on a thread of its own, away from the threads
/// that serve connections: a change waits for the journal's disk write.
/// `None` if `f` could not run to its end.
async fn with_session<R: Send + 'static>(
    shared: &Arc<Shared>,
    f: impl FnOnce(&mut Session) -> R + Send + 'static,
) -> Option<R> {
    let shared = shared.clone();
    tokio::task::spawn_blocking(move || f(&mut shared.lock()))
        .await
        .ok()
}

fn failed() -> Response {
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "the server could not handle the request",
    )
}

async fn events(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Response {
    if caller(&shared, &headers, &q).is_none() {
        return forbidden();
    }
    let mut rx = shared.version.subscribe();
    // The first event is sent at once: a page that (re)connects refreshes.
    rx.mark_changed();
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.changed().await.ok()?;
        let v = *rx.borrow_and_update();
        let event = Event::default().event("update").data(v.to_string());
        Some((Ok::<_, std::convert::Infallible>(event), rx))
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubmitBody {
    choices: Vec<Choice>,
}

async fn submit(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
    parsed: Result<axum::Json<SubmitBody>, JsonRejection>,
) -> Response {
    let Some(Role::Team(actor)) = caller(&shared, &headers, &q) else {
        return forbidden();
    };
    let b = match body(parsed) {
        Ok(b) => b,
        Err(r) => return r.into_response(),
    };
    let changed = shared.clone();
    let result = with_session(&shared, move |session| {
        let over = session.is_over();
        let submitted = session.submit(&actor, b.choices).map(|()| {
            changed.changed();
            views::team(session, &actor, changed.version())
        });
        (over, submitted)
    })
    .await;
    match result {
        Some((_, Ok(view))) => axum::Json(view).into_response(),
        Some((over, Err(e))) => session_error(e, over),
        None => failed(),
    }
}

/// Runs a facilitator's change, then tells every page. `during_play`: the
/// change needs a running exercise (refused with 409 once it is over).
async fn facilitator_change(
    shared: &Arc<Shared>,
    headers: &HeaderMap,
    q: &TokenQuery,
    during_play: bool,
    change: impl FnOnce(&mut Session) -> Result<serde_json::Value, SessionError> + Send + 'static,
) -> Response {
    if caller(shared, headers, q) != Some(Role::Facilitator) {
        return forbidden();
    }
    let result = with_session(shared, move |session| {
        let over = during_play && session.is_over();
        (over, change(session))
    })
    .await;
    match result {
        Some((_, Ok(v))) => {
            shared.changed();
            axum::Json(v).into_response()
        }
        Some((over, Err(e))) => session_error(e, over),
        None => failed(),
    }
}

async fn advance(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Response {
    facilitator_change(&shared, &headers, &q, true, move |s| {
        if s.is_over() {
            return Err(SessionError::Refused("the exercise is over".to_owned()));
        }
        let summary = s.resolve_submitted()?;
        s.begin_turn();
        let results = views::public_results(&s.engine);
        let public = results.into_iter().find(|r| r.turn == summary.turn);
        Ok(json!({"turn": summary.turn, "summary": public}))
    })
    .await
}

/// A facilitator's change with a JSON body: the caller is checked before the
/// body, so that a team's token learns nothing from a 400.
async fn facilitator_json<T: Send + 'static>(
    shared: &Arc<Shared>,
    headers: &HeaderMap,
    q: &TokenQuery,
    parsed: Result<axum::Json<T>, JsonRejection>,
    during_play: bool,
    change: impl FnOnce(&mut Session, T) -> Result<serde_json::Value, SessionError> + Send + 'static,
) -> Response {
    if caller(shared, headers, q) != Some(Role::Facilitator) {
        return forbidden();
    }
    match body(parsed) {
        Ok(b) => facilitator_change(shared, headers, q, during_play, move |s| change(s, b)).await,
        Err(r) => r.into_response(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InjectBody {
    inject: String,
}

async fn inject(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
    parsed: Result<axum::Json<InjectBody>, JsonRejection>,
) -> Response {
    facilitator_json(&shared, &headers, &q, parsed, true, |s, b: InjectBody| {
        s.fire_inject(&b.inject)?;
        Ok(json!({"fired": b.inject}))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoteBody {
    text: String,
}

async fn note(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
    parsed: Result<axum::Json<NoteBody>, JsonRejection>,
) -> Response {
    facilitator_json(&shared, &headers, &q, parsed, false, |s, b: NoteBody| {
        s.note(&b.text)?;
        Ok(json!({"noted": b.text.trim()}))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdjudicateBody {
    actor: String,
    norm: String,
    score: i32,
    reason: String,
    /// The number (from 1) of the assessment it replaces.
    #[serde(default)]
    replaces: Option<usize>,
}

async fn adjudicate(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
    parsed: Result<axum::Json<AdjudicateBody>, JsonRejection>,
) -> Response {
    facilitator_json(
        &shared,
        &headers,
        &q,
        parsed,
        false,
        |s, b: AdjudicateBody| {
            let replaces = match b.replaces {
                Some(0) => {
                    return Err(SessionError::Refused(
                        "assessments are numbered from 1; there is no assessment #0".to_owned(),
                    ));
                }
                n => n.map(|n| n - 1),
            };
            let index = s.adjudicate(&Adjudication {
                actor: b.actor,
                norm: b.norm,
                score: b.score,
                reason: b.reason,
                replaces,
            })?;
            Ok(json!({"number": index + 1}))
        },
    )
    .await
}

async fn end(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Response {
    facilitator_change(&shared, &headers, &q, true, move |s| {
        s.end()?;
        Ok(json!({"ended": true}))
    })
    .await
}

async fn report(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Response {
    if caller(&shared, &headers, &q) != Some(Role::Facilitator) {
        return forbidden();
    }
    let format = q.format.as_deref().unwrap_or("html");
    let (mime, ext) = match format {
        "html" => ("text/html; charset=utf-8", "html"),
        "md" => ("text/markdown; charset=utf-8", "md"),
        "json" => ("application/json", "json"),
        "csv" => ("text/csv; charset=utf-8", "csv"),
        other => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("`{other}` is not a report format: use html, md, json or csv"),
            );
        }
    };
    let norms = shared.clone();
    let text = with_session(&shared, move |session| {
        let r = Report::build(session, &norms.norms);
        match ext {
            "html" => Ok(r.to_html()),
            "md" => Ok(r.to_markdown()),
            "json" => r.to_json().map_err(|e| e.to_string()),
            _ => r.to_csv().map_err(|e| e.to_string()),
        }
    })
    .await;
    let Some(text) = text else {
        return failed();
    };
    match text {
        Ok(t) => {
            let disposition = format!("attachment; filename=\"cyberttx-report.{ext}\"");
            let mut response =
                ([(header::CONTENT_TYPE, HeaderValue::from_static(mime))], t).into_response();
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                response
                    .headers_mut()
                    .insert(header::CONTENT_DISPOSITION, v);
            }
            response
        }
        Err(m) => error(StatusCode::INTERNAL_SERVER_ERROR, m),
    }
}

/// The links to print: the facilitator's, then each actor's (name, link).
pub fn links(shared: &Shared, base: &str) -> (String, Vec<(String, String)>) {
    let session = shared.lock();
    let teams = session
        .engine
        .scenario()
        .actors
        .iter()
        .filter_map(|a| {
            let t = shared.access.teams.get(a.id.as_str())?;
            Some((a.name.clone(), format!("{base}/team#token={t}")))
        })
        .collect();
    (
        format!("{base}/facilitator#token={}", shared.access.facilitator),
        teams,
    )
}

/// A listening socket with room for a whole room's connections at once
/// (a small accept queue makes late connections wait a second to retry).
fn listen(bind: std::net::SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if bind.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(bind)?;
    socket.listen(4096)
}

/// Serves until Ctrl-C, on a runtime of its own.
pub fn run(
    shared: Arc<Shared>,
    bind: std::net::SocketAddr,
    ready: impl FnOnce(std::net::SocketAddr),
) -> Result<(), String> {
    // Changes to the session take its lock one at a time: a few blocking
    // threads serve them all, where one thread per waiting request would
    // only wait on the lock (and each would hold memory of its own).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(4)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    runtime.block_on(async move {
        let listener = listen(bind).map_err(|e| format!("cannot listen on {bind}: {e}"))?;
        let local = listener
            .local_addr()
            .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
        ready(local);
        axum::serve(listener, router(shared))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| format!("the server stopped: {e}"))
    })
}
