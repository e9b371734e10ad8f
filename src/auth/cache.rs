//! The viewer of a token, cached on PostgreSQL so that a request runs no lookup statement (a
//! round trip) before its report.
//!
//! Safe because the cache lives only while it is told of every change: the migration
//! `m20261204_100000_notify_viewer_changes` makes PostgreSQL notify channel
//! [`CHANNEL`] at the commit of any statement that changes a user's account, role or custom
//! role, an account's plan, zone or billing switch, or a custom role's grants, whoever runs it
//! (this server's ingestion, `import`, the seeds or another process). A task holds a `LISTEN`
//! on its own connection and drops every entry on each notification. While it is not
//! listening (starting, reconnecting after a lost connection) nothing is cached, and the cache
//! is emptied again once it listens, so a notification lost with a connection loses nothing.
//!
//! A lookup that started before a change and ends after its notification was handled is not
//! stored (the generation it started under is gone), so no entry predates a change it was told
//! of. A change reaches requests as soon as its notification arrives, typically within a
//! millisecond of its commit. Token expiry is checked on every request as before (the token
//! is verified before the cache is asked).
//!
//! On SQLite nothing is cached: there is no notification to rely on, and the lookup is an
//! in-process call, not a round trip.

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex, PoisonError,
    },
    time::Duration,
};

use sea_orm::{
    sqlx::{
        postgres::{PgListener, PgPoolOptions},
        PgPool,
    },
    DatabaseConnection,
};
use tokio::sync::watch;

use super::{load_viewer, Claims, Error, Viewer};
use crate::db::Sql;

/// The channel the triggers notify.
pub const CHANNEL: &str = "meeting_reports_viewers";

/// The most viewers kept; when full, the cache starts over (tokens of an account's people, not
/// of the public: this bounds memory, it is not expected to be reached).
const CAPACITY: usize = 10_000;

/// How long to wait before listening again after the listening connection failed.
const RETRY: Duration = Duration::from_secs(1);

/// The server's viewers by token subject and account.
pub struct ViewerCache {
    state: Mutex<State>,
    hits: AtomicU64,
    /// Dropped with the cache: the listening task then ends.
    _stop: Option<watch::Sender<()>>,
}

#[derive(Default)]
struct State {
    /// True while a `LISTEN` is known to be in place.
    listening: bool,
    /// Moves on at every change notified (and at every start or loss of listening).
    generation: u64,
    entries: HashMap<(String, i64), Viewer>,
}

impl ViewerCache {
    /// A cache that never stores (SQLite, or no runtime to listen from).
    pub fn disabled() -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::default(),
            hits: AtomicU64::new(0),
            _stop: None,
        })
    }

    /// The cache for `db`: on PostgreSQL, listening on a connection of its own (not one of the
    /// pool's); anywhere else, disabled.
    pub fn for_database(db: &DatabaseConnection) -> Arc<Self> {
        if db.get_database_backend() != sea_orm::DbBackend::Postgres {
            return Self::disabled();
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return Self::disabled();
        };
        let options = (*db.get_postgres_connection_pool().connect_options()).clone();
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .min_connections(0)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_lazy_with(options);
        let (stop, stopped) = watch::channel(());
        let cache = Arc::new(Self {
            state: Mutex::default(),
            hits: AtomicU64::new(0),
            _stop: Some(stop),
        });
        runtime.spawn(listen(Arc::downgrade(&cache), pool, stopped));
        cache
    }

    /// The viewer named by verified token claims (`None`: the user no longer exists), from the
    /// cache when it holds it, else read and kept.
    pub async fn viewer(&self, sql: &Sql, claims: &Claims) -> Result<Option<Viewer>, Error> {
        let key = (claims.sub.clone(), claims.acc);
        let generation = {
            let state = self.lock();
            if !state.listening {
                None
            } else if let Some(viewer) = state.entries.get(&key) {
                self.hits.fetch_add(1, Ordering::Relaxed);
                return Ok(Some(viewer.clone()));
            } else {
                Some(state.generation)
            }
        };
        let viewer = load_viewer(sql, claims).await?;
        if let (Some(generation), Some(viewer)) = (generation, &viewer) {
            let mut state = self.lock();
            // A change notified while this lookup ran may have come after its read.
            if state.listening && state.generation == generation {
                if state.entries.len() >= CAPACITY {
                    state.entries.clear();
                }
                state.entries.insert(key, viewer.clone());
            }
        }
        Ok(viewer)
    }

    /// How many requests the cache answered (for tests and the benchmark).
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    /// Drops every entry; `listening` says whether a `LISTEN` is in place from now on.
    fn reset(&self, listening: bool) {
        let mut state = self.lock();
        state.generation += 1;
        state.entries.clear();
        state.listening = listening;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Listens until the cache is dropped: every notification, and every loss of the connection,
/// empties the cache; it stores again only once a new `LISTEN` is in place.
async fn listen(
    cache: std::sync::Weak<ViewerCache>,
    pool: PgPool,
    mut stopped: watch::Receiver<()>,
) {
    loop {
        let listener = async {
            let mut listener = PgListener::connect_with(&pool).await?;
            // Report a lost connection at once instead of reconnecting inside `try_recv`: the
            // cache must stop storing before notifications can be missed.
            listener.eager_reconnect(false);
            listener.listen(CHANNEL).await?;
            Ok::<_, sea_orm::sqlx::Error>(listener)
        };
        let mut listener = tokio::select! {
            _ = stopped.changed() => return,
            listener = listener => match listener {
                Ok(listener) => listener,
                Err(err) => {
                    tracing::warn!(%err, "viewer cache: cannot listen for changes; not caching");
                    tokio::select! {
                        _ = stopped.changed() => return,
                        _ = tokio::time::sleep(RETRY) => continue,
                    }
                }
            },
        };
        let Some(c) = cache.upgrade() else { return };
        c.reset(true);
        drop(c);
        loop {
            let received = tokio::select! {
                _ = stopped.changed() => return,
                received = listener.try_recv() => received,
            };
            let Some(c) = cache.upgrade() else { return };
            match received {
                Ok(Some(_)) => c.reset(true),
                Ok(None) | Err(_) => {
                    tracing::warn!("viewer cache: lost the listening connection; not caching");
                    c.reset(false);
                    break;
                }
            }
        }
    }
}
