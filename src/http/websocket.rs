//! GraphQL over WebSocket at `/graphql`: the graphql-transport-ws protocol (the `graphql-ws`
//! library's), for the `Subscription` root (`graphql/subscription.rs`) and any query sent
//! over the same connection.
//!
//! async-graphql's `http::WebSocket` speaks the protocol (subscribe, next, complete, ping and
//! pong). Around it this file does what it leaves to the server:
//! - `connection_init` within [`SubscriptionLimits::init_within`] (else close 4408), its
//!   payload's `Authorization: Bearer <token>` verified as the HTTP bearer path does it (same
//!   keys, expiry, viewer cache); refused or missing: close 4403. The socket closes with 4403
//!   too when the token expires while it is open.
//! - Every `subscribe` is counted against its token (over every connection) and its connection
//!   before async-graphql sees it; beyond a bound, the protocol's `error` message with
//!   `extensions.code` `TOO_MANY_SUBSCRIPTIONS`, and the connection stays up. The count is
//!   released when the operation's stream is dropped: it completed, the client completed it,
//!   or the connection went away.
//! - Protocol violations close the socket as the protocol says: 4400 (a message that does not
//!   read), 4401 (`subscribe` before the acknowledgement), 4409 (an id already running), 4429
//!   (a second `connection_init`).

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex, MutexGuard, PoisonError,
    },
    time::Duration,
};

use async_graphql::{
    futures_util::stream::BoxStream,
    http::{ClientMessage, WebSocket as GraphqlWebSocket, WebSocketProtocols, WsMessage},
    Data, Executor, Request, Response,
};
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use futures_util::{
    stream::{self, SplitSink, SplitStream},
    SinkExt, StreamExt,
};
use prometheus_client::metrics::gauge::Gauge;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;

use super::{bearer_token, AppState, BODY_LIMIT};
use crate::{
    auth::{verify_token, Viewer},
    db::Sql,
    graphql::{
        context::RequestContext, error::TOO_MANY_SUBSCRIPTIONS, schema::tag_codes,
        subscription::LiveUpdates,
    },
};

/// The subprotocol served (`Sec-WebSocket-Protocol`).
pub const PROTOCOL: &str = "graphql-transport-ws";

/// The protocol's close codes.
const BAD_REQUEST: u16 = 4400;
const UNAUTHORIZED: u16 = 4401;
const FORBIDDEN: u16 = 4403;
const INIT_TIMEOUT: u16 = 4408;
const DUPLICATE_ID: u16 = 4409;
const TOO_MANY_INITS: u16 = 4429;
/// WebSocket's own "internal error".
const INTERNAL: u16 = 1011;

/// The bounds of WebSocket connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubscriptionLimits {
    /// How long a connection may take to send `connection_init` (then 4408).
    pub init_within: Duration,
    /// The most operations running at once under one token, over all its connections.
    pub per_token: usize,
    /// The most operations running at once on one connection.
    pub per_connection: usize,
}

impl Default for SubscriptionLimits {
    fn default() -> Self {
        Self {
            init_within: Duration::from_secs(10),
            per_token: 20,
            per_connection: 10,
        }
    }
}

/// The operations running under each token: what [`SubscriptionLimits::per_token`] bounds.
pub struct Subscriptions {
    limits: SubscriptionLimits,
    /// By the token's SHA-256 (tokens are not kept).
    tokens: Mutex<HashMap<[u8; 32], usize>>,
    open: Gauge,
}

impl Subscriptions {
    pub fn new(limits: SubscriptionLimits, open: Gauge) -> Arc<Self> {
        Arc::new(Self {
            limits,
            tokens: Mutex::new(HashMap::new()),
            open,
        })
    }

    pub fn limits(&self) -> SubscriptionLimits {
        self.limits
    }

    /// Operations running over every connection (for tests; `/metrics` has the gauge).
    pub fn open(&self) -> usize {
        self.lock().values().sum()
    }

    fn acquire(self: &Arc<Self>, token: [u8; 32]) -> Option<TokenSlot> {
        let mut tokens = self.lock();
        let held = tokens.entry(token).or_default();
        if *held >= self.limits.per_token {
            return None;
        }
        *held += 1;
        self.open.inc();
        Some(TokenSlot {
            subscriptions: self.clone(),
            token,
        })
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<[u8; 32], usize>> {
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One operation's place in its token's count, given back when dropped.
struct TokenSlot {
    subscriptions: Arc<Subscriptions>,
    token: [u8; 32],
}

impl Drop for TokenSlot {
    fn drop(&mut self) {
        let mut tokens = self.subscriptions.lock();
        if let Some(held) = tokens.get_mut(&self.token) {
            *held = held.saturating_sub(1);
            if *held == 0 {
                tokens.remove(&self.token);
            }
        }
        self.subscriptions.open.dec();
    }
}

/// The operation ids running on one connection, each with the generation it was started in
/// (an id may be reused once its operation is gone).
#[derive(Default)]
struct Running {
    ids: Mutex<HashMap<String, u64>>,
    generation: AtomicU64,
}

impl Running {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, u64>> {
        self.ids.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Held in an operation's request data, so it lives exactly as long as async-graphql keeps the
/// operation's stream: dropping it frees the id and the token's place.
struct OperationSlot {
    _token: TokenSlot,
    running: Arc<Running>,
    id: String,
    generation: u64,
}

impl Drop for OperationSlot {
    fn drop(&mut self) {
        let mut ids = self.running.lock();
        if ids.get(&self.id) == Some(&self.generation) {
            ids.remove(&self.id);
        }
    }
}

/// The upgrade of a `GET /graphql` asking for [`PROTOCOL`].
pub fn upgrade(app: AppState, upgrade: WebSocketUpgrade) -> axum::response::Response {
    upgrade
        .protocols([PROTOCOL])
        .max_message_size(BODY_LIMIT)
        .on_upgrade(move |socket| serve(app, socket))
}

/// Whether a request's `Sec-WebSocket-Protocol` offers [`PROTOCOL`].
pub fn offers_protocol(upgrade: &WebSocketUpgrade) -> bool {
    upgrade
        .requested_protocols()
        .any(|p| p.as_bytes().eq_ignore_ascii_case(PROTOCOL.as_bytes()))
}

type Sink = SplitSink<WebSocket, Message>;
type Source = SplitStream<WebSocket>;

/// What the server sends besides async-graphql's own messages.
enum Outgoing {
    Text(String),
    Close(u16, String),
}

async fn serve(app: AppState, socket: WebSocket) {
    let (mut sink, mut source) = socket.split();
    let limits = app.subscriptions.limits();
    let payload =
        match tokio::time::timeout(limits.init_within, connection_init(&mut source, &mut sink))
            .await
        {
            Err(_) => {
                return close(&mut sink, INIT_TIMEOUT, "Connection initialisation timeout").await
            }
            Ok(Init::Gone) => return,
            Ok(Init::Violation(code, reason)) => return close(&mut sink, code, reason).await,
            Ok(Init::Payload(payload)) => payload,
        };
    let (viewer, token, expires_at) = match authenticate(&app, &payload).await {
        Ok(signed_in) => signed_in,
        Err(code) => {
            let reason = if code == FORBIDDEN {
                "Forbidden"
            } else {
                "Internal error"
            };
            return close(&mut sink, code, reason).await;
        }
    };
    tracing::debug!(
        user_id = viewer.user_id,
        account_id = viewer.account_id,
        "websocket connection acknowledged"
    );
    let (outgoing, mut extra) = mpsc::unbounded_channel();
    let filter = Filter {
        source,
        outgoing,
        subscriptions: app.subscriptions.clone(),
        running: Arc::new(Running::default()),
        token,
        per_connection: limits.per_connection,
    };
    // The payload was read and verified above: async-graphql acknowledges this one.
    let init = ClientMessage::ConnectionInit { payload: None };
    let incoming = stream::once(async { Ok(init) }).chain(stream::unfold(filter, Filter::next));
    let executor = LiveExecutor {
        app: app.clone(),
        viewer,
    };
    let graphql =
        GraphqlWebSocket::from_message_stream(executor, incoming, WebSocketProtocols::GraphQLWS);
    tokio::pin!(graphql);
    let expiry = tokio::time::sleep(expires_at);
    tokio::pin!(expiry);
    loop {
        tokio::select! {
            message = graphql.next() => match message {
                Some(WsMessage::Text(text)) => {
                    if sink.send(Message::Text(text.into())).await.is_err() {
                        return;
                    }
                }
                Some(WsMessage::Close(code, reason)) => return close(&mut sink, code, &reason).await,
                None => {
                    // The filter ended the stream; what it queued last (a close) goes out.
                    while let Ok(message) = extra.try_recv() {
                        if !send(&mut sink, message).await {
                            return;
                        }
                    }
                    return;
                }
            },
            Some(message) = extra.recv() => {
                if !send(&mut sink, message).await {
                    return;
                }
            }
            () = &mut expiry => return close(&mut sink, FORBIDDEN, "Forbidden: the token expired").await,
        }
    }
}

/// Sends one message; false when the connection is done (closed, or a close was sent).
async fn send(sink: &mut Sink, message: Outgoing) -> bool {
    match message {
        Outgoing::Text(text) => sink.send(Message::Text(text.into())).await.is_ok(),
        Outgoing::Close(code, reason) => {
            close(sink, code, &reason).await;
            false
        }
    }
}

async fn close(sink: &mut Sink, code: u16, reason: &str) {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    let _ = sink.send(Message::Close(Some(frame))).await;
    let _ = sink.close().await;
}

enum Init {
    Payload(Value),
    Violation(u16, &'static str),
    Gone,
}

/// Reads up to the client's `connection_init`, answering pings meanwhile.
async fn connection_init(source: &mut Source, sink: &mut Sink) -> Init {
    while let Some(message) = source.next().await {
        let text = match message {
            Ok(Message::Text(text)) => text,
            Ok(Message::Ping(_) | Message::Pong(_)) => continue,
            Ok(Message::Binary(_)) => return Init::Violation(BAD_REQUEST, "Invalid message"),
            Ok(Message::Close(_)) | Err(_) => return Init::Gone,
        };
        let Ok(Value::Object(mut message)) = serde_json::from_str::<Value>(text.as_str()) else {
            return Init::Violation(BAD_REQUEST, "Invalid message");
        };
        match message.get("type").and_then(Value::as_str) {
            Some("connection_init") => {
                return Init::Payload(message.remove("payload").unwrap_or(Value::Null))
            }
            Some("ping") => {
                let pong = json!({ "type": "pong" }).to_string();
                if sink.send(Message::Text(pong.into())).await.is_err() {
                    return Init::Gone;
                }
            }
            Some("pong") => {}
            Some("subscribe") => return Init::Violation(UNAUTHORIZED, "Unauthorized"),
            _ => return Init::Violation(BAD_REQUEST, "Invalid message"),
        }
    }
    Init::Gone
}

/// The viewer of the `connection_init` payload's `Authorization` (any case of the key), its
/// token's SHA-256 and how long until it expires; else the close code: 4403, or 1011 when
/// the database failed.
async fn authenticate(
    app: &AppState,
    payload: &Value,
) -> Result<(Viewer, [u8; 32], Duration), u16> {
    let authorization = payload
        .as_object()
        .and_then(|fields| {
            fields
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case("authorization"))
        })
        .and_then(|(_, value)| value.as_str())
        .ok_or(FORBIDDEN)?;
    let token = bearer_token(authorization).ok_or(FORBIDDEN)?;
    let claims = verify_token(&app.keys, token).ok_or(FORBIDDEN)?;
    let viewer = match app.viewers.viewer(&Sql::new(app.db.clone()), &claims).await {
        Ok(Some(viewer)) => viewer,
        Ok(None) => return Err(FORBIDDEN),
        Err(err) => {
            tracing::error!(error = %err, "websocket connection_init: the viewer lookup failed");
            return Err(INTERNAL);
        }
    };
    let left = claims.exp - chrono::Utc::now().timestamp();
    let expires_in = Duration::from_secs(u64::try_from(left).map_err(|_| FORBIDDEN)?);
    Ok((viewer, Sha256::digest(token.as_bytes()).into(), expires_in))
}

/// The client's messages after the acknowledgement, checked before async-graphql reads them:
/// a `subscribe` within the bounds gets its [`OperationSlot`], one beyond them an `error`.
struct Filter {
    source: Source,
    outgoing: mpsc::UnboundedSender<Outgoing>,
    subscriptions: Arc<Subscriptions>,
    running: Arc<Running>,
    token: [u8; 32],
    per_connection: usize,
}

impl Filter {
    /// The next message for async-graphql; `None` ends the connection (after queueing its
    /// close, if the server closes it).
    async fn next(mut self) -> Option<(serde_json::Result<ClientMessage>, Self)> {
        loop {
            let text = match self.source.next().await? {
                Ok(Message::Text(text)) => text,
                Ok(Message::Ping(_) | Message::Pong(_)) => continue,
                Ok(Message::Binary(_)) => return self.closing(BAD_REQUEST, "Invalid message"),
                Ok(Message::Close(_)) | Err(_) => return None,
            };
            let message = match ClientMessage::from_bytes(text.as_bytes()) {
                Ok(message) => message,
                Err(_) => return self.closing(BAD_REQUEST, "Invalid message"),
            };
            let message = match message {
                ClientMessage::ConnectionInit { .. } => {
                    return self.closing(TOO_MANY_INITS, "Too many initialisation requests")
                }
                ClientMessage::Start { id, payload } => match self.admit(id, payload) {
                    Admitted::Yes(message) => *message,
                    Admitted::Refused => continue,
                    Admitted::Duplicate(id) => {
                        let reason = format!("Subscriber for {id} already exists");
                        return self.closing(DUPLICATE_ID, &reason);
                    }
                },
                other => other,
            };
            return Some((Ok(message), self));
        }
    }

    fn admit(&self, id: String, request: Request) -> Admitted {
        let mut ids = self.running.lock();
        if ids.contains_key(&id) {
            return Admitted::Duplicate(id);
        }
        let refusal = if ids.len() >= self.per_connection {
            Some(format!(
                "this connection already runs {} operations, the most it may: complete one first",
                self.per_connection
            ))
        } else {
            None
        };
        let token = match refusal {
            Some(_) => None,
            None => self.subscriptions.acquire(self.token),
        };
        let Some(token) = token else {
            let message = refusal.unwrap_or_else(|| {
                format!(
                    "this token already runs {} operations, the most it may: complete one first",
                    self.subscriptions.limits.per_token
                )
            });
            let error = json!({
                "id": id,
                "type": "error",
                "payload": [{ "message": message, "extensions": { "code": TOO_MANY_SUBSCRIPTIONS } }],
            });
            let _ = self.outgoing.send(Outgoing::Text(error.to_string()));
            return Admitted::Refused;
        };
        let generation = self.running.generation.fetch_add(1, Ordering::Relaxed);
        ids.insert(id.clone(), generation);
        let slot = OperationSlot {
            _token: token,
            running: self.running.clone(),
            id: id.clone(),
            generation,
        };
        Admitted::Yes(Box::new(ClientMessage::Start {
            id,
            payload: request.data(slot),
        }))
    }

    fn closing(self, code: u16, reason: &str) -> Option<(serde_json::Result<ClientMessage>, Self)> {
        let _ = self.outgoing.send(Outgoing::Close(code, reason.to_owned()));
        None
    }
}

enum Admitted {
    Yes(Box<ClientMessage>),
    Refused,
    Duplicate(String),
}

/// Runs a connection's operations as its viewer, with the change bus, each error given its
/// `extensions.code` as over HTTP.
#[derive(Clone)]
struct LiveExecutor {
    app: AppState,
    viewer: Viewer,
}

impl LiveExecutor {
    fn prepared(&self, request: Request) -> Request {
        request
            .data(RequestContext::new(
                self.viewer.clone(),
                Sql::new(self.app.db.clone()),
            ))
            .data(LiveUpdates {
                changes: self.app.changes.clone(),
            })
    }
}

impl Executor for LiveExecutor {
    async fn execute(&self, request: Request) -> Response {
        let mut response = self.app.schema.execute(self.prepared(request)).await;
        tag_codes(&mut response);
        response
    }

    fn execute_stream(
        &self,
        request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        self.app
            .schema
            .execute_stream_with_session_data(
                self.prepared(request),
                session_data.unwrap_or_default(),
            )
            .map(|mut response| {
                tag_codes(&mut response);
                response
            })
            .boxed()
    }
}
