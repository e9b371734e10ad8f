//! Live updates: GraphQL subscriptions over WebSocket (graphql-transport-ws) at `/graphql`,
//! against a real server bound to 127.0.0.1:0, with a real WebSocket client, and the data
//! changed by webhook deliveries signed for real (through the same application state, so the
//! same ingest queue and change bus). Every awaited message has a time limit; nothing is
//! asserted from a sleep.

use std::{net::SocketAddr, time::Duration};

use axum::{body::Body, http::Request, Router};
use chrono::{DateTime, Utc};
use futures_util::{SinkExt, StreamExt};
use http_body_util::BodyExt;
use meeting_reports::{
    app_state,
    auth::{issue_token, JwtKeys, Plan},
    http::{
        router,
        websocket::{SubscriptionLimits, Subscriptions},
        AppState,
    },
    ingest::webhooks::{signature, WebhookSecrets},
};
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::{
    tungstenite::{client::IntoClientRequest, Message},
    MaybeTlsStream, WebSocketStream,
};
use tower::ServiceExt;

use crate::{
    common::TestApp,
    webhooks::{account_on, acme, envelope, ACME, OWNER},
};

const SECRET: &str = "subscriptions-test-secret";
const BRAVO: &str = "bravo-platform-id";
const BRAVO_OWNER: &str = "owner@bravo.example";
const BASIC: &str = "basic-platform-id";
const BASIC_OWNER: &str = "owner@basic.example";
const HANNA: &str = "hanna@acme.example";
const OTTO: &str = "otto@acme.example";

/// How long any one awaited message may take.
const WAIT: Duration = Duration::from_secs(20);

const LIVE: &str = "subscription { liveMeetings { id sessionId webinar topic startTime participantsNow participantsCount host { id email } } }";
const CHANGES: &str = "subscription { dataChanged { source dataAsOf } }";

/// A server on a port of its own, and the state it runs on.
struct Live {
    app: TestApp,
    state: AppState,
    router: Router,
    addr: SocketAddr,
}

impl Live {
    async fn start() -> Self {
        Self::with_limits(SubscriptionLimits::default()).await
    }

    async fn with_limits(limits: SubscriptionLimits) -> Self {
        let app = TestApp::new().await;
        let mut state = app_state(
            app.db.clone(),
            app.keys.clone(),
            app.settings.clone(),
            WebhookSecrets::parse(SECRET),
        );
        state.subscriptions = Subscriptions::new(limits, state.metrics.subscriptions_open());
        let router = router(state.clone(), Duration::from_secs(30));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
        let addr = listener.local_addr().expect("an address");
        let served = router.clone();
        tokio::spawn(async move { axum::serve(listener, served).await });
        Self {
            app,
            state,
            router,
            addr,
        }
    }

    /// Delivers a webhook event signed for real; answered once it is committed.
    async fn deliver(&self, event: &Value) {
        let body = event.to_string();
        let ts = Utc::now().timestamp().to_string();
        let sig = signature(SECRET, &ts, body.as_bytes());
        let request = Request::post("/webhooks/zoom")
            .header("content-type", "application/json")
            .header("x-zm-request-timestamp", ts)
            .header("x-zm-signature", sig)
            .body(Body::from(body))
            .expect("request builds");
        let response = self.router.clone().oneshot(request).await.expect("answers");
        let status = response.status().as_u16();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        let answer: Value = serde_json::from_slice(&bytes).expect("JSON");
        assert_eq!(answer["duplicate"], false, "{answer}");
    }

    async fn socket(&self) -> Client {
        let mut request = format!("ws://{}/graphql", self.addr)
            .into_client_request()
            .expect("a request");
        request.headers_mut().insert(
            "sec-websocket-protocol",
            "graphql-transport-ws".parse().expect("a header"),
        );
        let (ws, response) = tokio_tungstenite::connect_async(request)
            .await
            .expect("upgrades");
        assert_eq!(
            response.headers()["sec-websocket-protocol"],
            "graphql-transport-ws"
        );
        Client(ws)
    }

    /// A connection acknowledged for `token`.
    async fn connect(&self, token: &str) -> Client {
        let mut client = self.socket().await;
        client
            .send(json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } }))
            .await;
        assert_eq!(client.message().await["type"], "connection_ack");
        client
    }

    async fn signed_in(&self, email: &str) -> Client {
        let token = self.app.token(email).await;
        self.connect(&token).await
    }

    /// Waits (up to [`WAIT`]) until the server holds no operation and the bus no receiver.
    async fn all_released(&self) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while self.state.subscriptions.open() != 0 || self.state.changes.receivers() != 0 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "still {} operations and {} bus receivers",
                self.state.subscriptions.open(),
                self.state.changes.receivers()
            );
            tokio::task::yield_now().await;
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

struct Client(WebSocketStream<MaybeTlsStream<TcpStream>>);

impl Client {
    async fn send(&mut self, message: Value) {
        self.0
            .send(Message::Text(message.to_string().into()))
            .await
            .expect("sends");
    }

    async fn subscribe(&mut self, id: &str, query: &str) {
        self.send(json!({ "id": id, "type": "subscribe", "payload": { "query": query } }))
            .await;
    }

    /// The next protocol message.
    async fn message(&mut self) -> Value {
        let next = async {
            loop {
                match self.0.next().await {
                    Some(Ok(Message::Text(text))) => {
                        return serde_json::from_str::<Value>(text.as_str()).expect("JSON")
                    }
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                    other => panic!("expected a message, got {other:?}"),
                }
            }
        };
        tokio::time::timeout(WAIT, next)
            .await
            .expect("a message within the time limit")
    }

    /// The payload of the next message, a `next` of operation `id`.
    async fn next_of(&mut self, id: &str) -> Value {
        let message = self.message().await;
        assert_eq!(message["type"], "next", "{message}");
        assert_eq!(message["id"], id, "{message}");
        message["payload"].clone()
    }

    /// The next `next` payloads of operations `ids`, one each in any order, by id.
    async fn one_of_each(&mut self, ids: &[&str]) -> Vec<Value> {
        let mut got: Vec<Option<Value>> = vec![None; ids.len()];
        for _ in ids {
            let message = self.message().await;
            assert_eq!(message["type"], "next", "{message}");
            let at = ids
                .iter()
                .position(|id| message["id"] == *id)
                .unwrap_or_else(|| panic!("an unexpected operation: {message}"));
            assert!(got[at].is_none(), "two messages of {}: {message}", ids[at]);
            got[at] = Some(message["payload"].clone());
        }
        got.into_iter().map(Option::unwrap).collect()
    }

    /// The code the server closes the socket with.
    async fn close_code(&mut self) -> u16 {
        let closed = async {
            loop {
                match self.0.next().await {
                    Some(Ok(Message::Close(Some(frame)))) => return u16::from(frame.code),
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                    other => panic!("expected a close frame, got {other:?}"),
                }
            }
        };
        tokio::time::timeout(WAIT, closed)
            .await
            .expect("closed within the time limit")
    }
}

fn iso(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn time(value: &Value) -> DateTime<Utc> {
    value
        .as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .unwrap_or_else(|| panic!("not a DateTime: {value}"))
        .with_timezone(&Utc)
}

async fn account(app: &TestApp, platform_id: &str, owner: &str, plan: Plan) {
    account_on(app, platform_id, platform_id, owner, plan).await;
}

fn user_created(account: &str, id: &str, email: &str) -> Value {
    envelope(
        "user.created",
        &iso(Utc::now()),
        account,
        json!({ "id": id, "first_name": "Host", "last_name": id, "email": email, "type": 2 }),
    )
}

fn meeting(number: i64, uuid: &str, host: &str, topic: &str, started: DateTime<Utc>) -> Value {
    json!({ "id": number.to_string(), "uuid": uuid, "host_id": host, "topic": topic, "type": 1,
        "start_time": iso(started) })
}

fn started(account: &str, object: &Value) -> Value {
    envelope("meeting.started", &iso(Utc::now()), account, object.clone())
}

fn joined(account: &str, object: &Value, who: &str, at: DateTime<Utc>) -> Value {
    let mut object = object.clone();
    object["participant"] =
        json!({ "user_id": who, "user_name": who, "join_time": iso(at), "participant_uuid": who });
    envelope("meeting.participant_joined", &iso(at), account, object)
}

#[tokio::test]
async fn a_subscriber_gets_its_accounts_changes_and_nothing_of_another_account() {
    let live = Live::start().await;
    acme(&live.app).await;
    account(&live.app, BRAVO, BRAVO_OWNER, Plan::Business).await;
    live.deliver(&user_created(ACME, "HOST-1", HANNA)).await;
    live.deliver(&user_created(BRAVO, "B-HOST", "b@bravo.example"))
        .await;
    let mut owner = live.signed_in(OWNER).await;
    owner.subscribe("live", LIVE).await;
    owner.subscribe("changes", CHANGES).await;
    assert_eq!(
        owner.next_of("live").await["data"]["liveMeetings"],
        json!([])
    );
    let mut bravo = live.signed_in(BRAVO_OWNER).await;
    bravo.subscribe("live", LIVE).await;
    assert_eq!(
        bravo.next_of("live").await["data"]["liveMeetings"],
        json!([])
    );

    let start = Utc::now() - chrono::Duration::minutes(5);
    let review = meeting(81_234_567_890, "a-occ-1==", "HOST-1", "Review", start);
    live.deliver(&started(ACME, &review)).await;
    let [list, change] = <[Value; 2]>::try_from(owner.one_of_each(&["live", "changes"]).await)
        .expect("two payloads");
    let meetings = list["data"]["liveMeetings"]
        .as_array()
        .expect("a list")
        .clone();
    assert_eq!(meetings.len(), 1, "{list}");
    assert_eq!(meetings[0]["topic"], "Review");
    assert_eq!(meetings[0]["webinar"], false);
    assert_eq!(meetings[0]["participantsNow"], 0);
    assert_eq!(meetings[0]["participantsCount"], 0);
    assert_eq!(meetings[0]["host"]["email"], HANNA);
    assert_eq!(time(&meetings[0]["startTime"]), time(&json!(iso(start))));
    assert_eq!(change["data"]["dataChanged"]["source"], "MEETINGS");
    assert_eq!(
        time(&change["data"]["dataChanged"]["dataAsOf"]),
        time(&json!(iso(start)))
    );
    // The id is the one `meeting(id:)` takes.
    let id = meetings[0]["id"].as_str().expect("an id").to_owned();
    let by_id = live
        .app
        .query_as(OWNER, &format!(r#"{{ meeting(id: "{id}") {{ topic }} }}"#))
        .await;
    assert_eq!(by_id["data"]["meeting"]["topic"], "Review", "{by_id}");

    // Another account's event, then one of A's: the next messages A gets are about A's.
    let bravo_start = Utc::now() - chrono::Duration::minutes(3);
    let standup = meeting(
        91_234_567_890,
        "b-occ-1==",
        "B-HOST",
        "Standup",
        bravo_start,
    );
    live.deliver(&started(BRAVO, &standup)).await;
    let joined_at = Utc::now() - chrono::Duration::minutes(1);
    live.deliver(&joined(ACME, &review, "guest-1", joined_at))
        .await;
    let [list, change] = <[Value; 2]>::try_from(owner.one_of_each(&["live", "changes"]).await)
        .expect("two payloads");
    let meetings = &list["data"]["liveMeetings"];
    assert_eq!(meetings.as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(meetings[0]["topic"], "Review");
    assert_eq!(meetings[0]["participantsNow"], 1);
    assert_eq!(meetings[0]["participantsCount"], 1);
    assert_eq!(
        time(&change["data"]["dataChanged"]["dataAsOf"]),
        time(&json!(iso(joined_at)))
    );
    // Bravo's subscriber got Bravo's meeting, and A's join did not reach it (its next
    // message is Bravo's next change).
    let bravo_list = bravo.next_of("live").await;
    assert_eq!(
        bravo_list["data"]["liveMeetings"][0]["topic"], "Standup",
        "{bravo_list}"
    );
    live.deliver(&joined(BRAVO, &standup, "guest-b", Utc::now()))
        .await;
    let bravo_list = bravo.next_of("live").await;
    assert_eq!(
        bravo_list["data"]["liveMeetings"][0]["participantsNow"], 1,
        "{bravo_list}"
    );
    assert_eq!(
        bravo_list["data"]["liveMeetings"].as_array().map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn no_token_a_wrong_one_or_an_expired_one_is_closed_4403() {
    let live = Live::start().await;
    acme(&live.app).await;
    let valid = live.app.token(OWNER).await;
    let (user, account) = live.app.user(OWNER).await;
    let expired = issue_token(
        &live.app.keys,
        user,
        account,
        OWNER,
        Utc::now() - chrono::Duration::hours(2),
        chrono::Duration::hours(1),
    )
    .expect("signs");
    let foreign = issue_token(
        &JwtKeys::new(b"another secret"),
        user,
        account,
        OWNER,
        Utc::now(),
        chrono::Duration::hours(1),
    )
    .expect("signs");
    for (what, init) in [
        ("no payload", json!({ "type": "connection_init" })),
        (
            "no Authorization",
            json!({ "type": "connection_init", "payload": {} }),
        ),
        (
            "not a bearer token",
            json!({ "type": "connection_init", "payload": { "Authorization": valid } }),
        ),
        (
            "garbage",
            json!({ "type": "connection_init", "payload": { "Authorization": "Bearer not.a.token" } }),
        ),
        (
            "expired",
            json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {expired}") } }),
        ),
        (
            "signed with another key",
            json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {foreign}") } }),
        ),
    ] {
        let mut client = live.socket().await;
        client.send(init).await;
        assert_eq!(client.close_code().await, 4403, "{what}");
    }
    // The key in any case.
    let mut client = live.socket().await;
    client
        .send(json!({ "type": "connection_init", "payload": { "authorization": format!("bearer {valid}") } }))
        .await;
    assert_eq!(client.message().await["type"], "connection_ack");
}

#[tokio::test]
async fn the_protocol_is_held_to_timeout_subscribe_before_ack_duplicate_ids_and_token_expiry() {
    let live = Live::with_limits(SubscriptionLimits {
        init_within: Duration::from_millis(300),
        ..SubscriptionLimits::default()
    })
    .await;
    acme(&live.app).await;
    // No connection_init in time.
    let mut silent = live.socket().await;
    assert_eq!(silent.close_code().await, 4408);
    // A subscribe before the acknowledgement.
    let mut eager = live.socket().await;
    eager.subscribe("1", LIVE).await;
    assert_eq!(eager.close_code().await, 4401);
    // A ping before it is answered; an id already running closes with 4409.
    let mut client = live.socket().await;
    client.send(json!({ "type": "ping" })).await;
    assert_eq!(client.message().await["type"], "pong");
    let token = live.app.token(OWNER).await;
    client
        .send(json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } }))
        .await;
    assert_eq!(client.message().await["type"], "connection_ack");
    client.subscribe("1", LIVE).await;
    client.next_of("1").await;
    client.subscribe("1", LIVE).await;
    assert_eq!(client.close_code().await, 4409);
    // A token that expires while its connection is open closes it.
    let (user, account) = live.app.user(OWNER).await;
    let short = issue_token(
        &live.app.keys,
        user,
        account,
        OWNER,
        Utc::now(),
        chrono::Duration::seconds(2),
    )
    .expect("signs");
    let mut expiring = live.connect(&short).await;
    assert_eq!(expiring.close_code().await, 4403);
    live.all_released().await;
}

#[tokio::test]
async fn the_guards_of_queries_hold_over_the_socket() {
    let live = Live::start().await;
    acme(&live.app).await;
    account(&live.app, BASIC, BASIC_OWNER, Plan::Basic).await;
    live.deliver(&user_created(ACME, "HOST-1", HANNA)).await;
    let mut member = live.signed_in(HANNA).await;
    for (id, query, code) in [
        (
            "billing",
            "subscription { dataChanged(sources: [BILLING]) { source } }",
            "FORBIDDEN",
        ),
        (
            "logs",
            "subscription { dataChanged(sources: [OPERATION_LOGS]) { source } }",
            "FORBIDDEN",
        ),
        (
            "query",
            r#"{ operationLogs(from: "2026-11-01", to: "2026-11-14") { totalCount } }"#,
            "FORBIDDEN",
        ),
        ("bad", "subscription { nothingHere }", "BAD_USER_INPUT"),
    ] {
        member.subscribe(id, query).await;
        let payload = member.next_of(id).await;
        assert_eq!(
            payload["errors"][0]["extensions"]["code"], code,
            "{id}: {payload}"
        );
        assert_eq!(member.message().await["type"], "complete", "{id}");
    }
    // What the member may read runs on the same connection.
    member
        .subscribe(
            "mine",
            "subscription { dataChanged(sources: [MEETINGS]) { source } }",
        )
        .await;
    member.subscribe("live", LIVE).await;
    assert_eq!(
        member.next_of("live").await["data"]["liveMeetings"],
        json!([])
    );
    let mut basic = live.signed_in(BASIC_OWNER).await;
    basic.subscribe("live", LIVE).await;
    let payload = basic.next_of("live").await;
    assert_eq!(
        payload["errors"][0]["extensions"]["code"], "PLAN_NOT_SUPPORTED",
        "{payload}"
    );
}

#[tokio::test]
async fn operations_are_bounded_per_connection_and_per_token_and_a_disconnect_frees_them() {
    let live = Live::with_limits(SubscriptionLimits {
        per_token: 3,
        per_connection: 2,
        ..SubscriptionLimits::default()
    })
    .await;
    acme(&live.app).await;
    let token = live.app.token(OWNER).await;
    let mut first = live.connect(&token).await;
    first.subscribe("1", LIVE).await;
    first.subscribe("2", LIVE).await;
    first.subscribe("3", LIVE).await;
    let mut refused = None;
    for _ in 0..3 {
        let message = first.message().await;
        match message["type"].as_str() {
            Some("next") => assert!(message["id"] == "1" || message["id"] == "2"),
            Some("error") => refused = Some(message),
            _ => panic!("{message}"),
        }
    }
    let refused = refused.expect("the third is refused");
    assert_eq!(refused["id"], "3");
    assert_eq!(
        refused["payload"][0]["extensions"]["code"],
        "TOO_MANY_SUBSCRIPTIONS"
    );
    // The connection stays up, and a completed operation frees its place.
    first.send(json!({ "id": "1", "type": "complete" })).await;
    first.subscribe("3", LIVE).await;
    let message = first.message().await;
    let message = match message["type"].as_str() {
        // async-graphql confirms a client's complete with its own.
        Some("complete") => first.message().await,
        _ => message,
    };
    assert_eq!(message["type"], "next", "{message}");
    assert_eq!(message["id"], "3");

    let mut second = live.connect(&token).await;
    second.subscribe("a", LIVE).await;
    second.next_of("a").await;
    second.subscribe("b", LIVE).await;
    let message = second.message().await;
    assert_eq!(message["type"], "error", "{message}");
    assert_eq!(
        message["payload"][0]["extensions"]["code"],
        "TOO_MANY_SUBSCRIPTIONS"
    );
    assert!(message["payload"][0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("token")));
    assert_eq!(live.state.subscriptions.open(), 3);
    assert_eq!(live.state.changes.receivers(), 3);
    let metrics = live.state.metrics.encode().expect("encodes");
    assert!(
        metrics.contains("graphql_subscriptions_open 3"),
        "{metrics}"
    );

    // Gone: every stream dropped, every place given back.
    drop(first);
    drop(second);
    live.all_released().await;
    let mut again = live.connect(&token).await;
    again.subscribe("x", LIVE).await;
    again.subscribe("y", LIVE).await;
    again.one_of_each(&["x", "y"]).await;
}

#[tokio::test]
async fn five_hundred_idle_subscribers_all_hold_and_all_receive_one_event() {
    let live = Live::start().await;
    acme(&live.app).await;
    live.deliver(&user_created(ACME, "HOST-1", HANNA)).await;
    let (user, account) = live.app.user(OWNER).await;
    let limits = SubscriptionLimits::default();
    let connections_per_token = limits.per_token / limits.per_connection;
    let subscribers = 500;
    let connections = subscribers / limits.per_connection;
    let issued = Utc::now();
    let mut clients = Vec::new();
    for c in 0..connections {
        // A token of its own per `connections_per_token` connections (issued at another second).
        let token = issue_token(
            &live.app.keys,
            user,
            account,
            OWNER,
            issued - chrono::Duration::seconds((c / connections_per_token) as i64),
            chrono::Duration::hours(1),
        )
        .expect("signs");
        let mut client = live.connect(&token).await;
        for s in 0..limits.per_connection {
            client.subscribe(&s.to_string(), LIVE).await;
        }
        clients.push(client);
    }
    // Each has its list: all subscribed to the bus, none refused.
    for client in &mut clients {
        for _ in 0..limits.per_connection {
            let message = client.message().await;
            assert_eq!(message["type"], "next", "{message}");
            assert_eq!(message["payload"]["data"]["liveMeetings"], json!([]));
        }
    }
    assert_eq!(live.state.subscriptions.open(), subscribers);
    assert_eq!(live.state.changes.receivers(), subscribers);

    let review = meeting(81_234_567_890, "occ-1==", "HOST-1", "Review", Utc::now());
    live.deliver(&started(ACME, &review)).await;
    let mut received = 0;
    for client in &mut clients {
        for _ in 0..limits.per_connection {
            let message = client.message().await;
            assert_eq!(message["type"], "next", "{message}");
            assert_eq!(
                message["payload"]["data"]["liveMeetings"][0]["topic"],
                "Review"
            );
            received += 1;
        }
    }
    assert_eq!(received, subscribers);
    drop(clients);
    live.all_released().await;
}

#[tokio::test]
async fn a_member_gets_only_the_meetings_they_host() {
    let live = Live::start().await;
    acme(&live.app).await;
    live.deliver(&user_created(ACME, "HOST-1", HANNA)).await;
    live.deliver(&user_created(ACME, "HOST-2", OTTO)).await;
    let mut hanna = live.signed_in(HANNA).await;
    hanna.subscribe("live", LIVE).await;
    assert_eq!(
        hanna.next_of("live").await["data"]["liveMeetings"],
        json!([])
    );
    let mut owner = live.signed_in(OWNER).await;
    owner.subscribe("live", LIVE).await;
    assert_eq!(
        owner.next_of("live").await["data"]["liveMeetings"],
        json!([])
    );

    let ottos = meeting(81_000_000_001, "otto-1==", "HOST-2", "Otto's", Utc::now());
    live.deliver(&started(ACME, &ottos)).await;
    // Sent again after the account's change, without another host's meeting.
    assert_eq!(
        hanna.next_of("live").await["data"]["liveMeetings"],
        json!([])
    );
    owner.next_of("live").await;
    let hannas = meeting(81_000_000_002, "hanna-1==", "HOST-1", "Hanna's", Utc::now());
    live.deliver(&started(ACME, &hannas)).await;
    let list = hanna.next_of("live").await;
    let topics: Vec<&str> = list["data"]["liveMeetings"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|m| m["topic"].as_str())
        .collect();
    assert_eq!(topics, ["Hanna's"], "{list}");
    assert_eq!(list["data"]["liveMeetings"][0]["host"]["email"], HANNA);
    let list = owner.next_of("live").await;
    let mut topics: Vec<&str> = list["data"]["liveMeetings"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|m| m["topic"].as_str())
        .collect();
    topics.sort_unstable();
    assert_eq!(topics, ["Hanna's", "Otto's"], "{list}");
}

#[tokio::test]
async fn a_get_without_the_subprotocol_is_answered_as_before() {
    let live = Live::start().await;
    let (status, body) = live.app.get("/graphql").await;
    assert_eq!(status, 200);
    assert!(body.to_lowercase().contains("<html"), "{body}");
    // A WebSocket upgrade that does not offer graphql-transport-ws is not upgraded: it is a
    // GET without a query or `Accept`, answered with the playground.
    let request = format!("ws://{}/graphql", live.addr)
        .into_client_request()
        .expect("a request");
    match tokio_tungstenite::connect_async(request).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status().as_u16(), 200)
        }
        other => panic!("expected a refused upgrade, got {other:?}"),
    }
}
