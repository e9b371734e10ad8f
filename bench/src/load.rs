//! Running one request many times at a given concurrency, and what came of it.

use std::{
    future::Future,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

/// Latencies of a run and its throughput.
#[derive(Debug, Clone)]
pub struct Measure {
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
    /// Requests per second over the run's wall time.
    pub throughput: f64,
}

impl Measure {
    fn from(mut latencies: Vec<Duration>, wall: Duration) -> Self {
        latencies.sort_unstable();
        let at = |q: f64| {
            // Nearest rank: the smallest latency with at least q of the requests at or below it.
            let rank = ((q * latencies.len() as f64).ceil() as usize).clamp(1, latencies.len());
            latencies[rank - 1]
        };
        Self {
            p50: at(0.50),
            p95: at(0.95),
            p99: at(0.99),
            throughput: latencies.len() as f64 / wall.as_secs_f64().max(f64::EPSILON),
        }
    }
}

/// Runs `request` `total` times, `concurrency` at a time (each worker sends its next request
/// when the previous one is answered). The first error stops the run.
pub async fn run<F, Fut>(concurrency: usize, total: usize, request: F) -> Result<Measure, String>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let total = total.max(1);
    let request = Arc::new(request);
    let tickets = Arc::new(AtomicUsize::new(0));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(total)));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (request, tickets, latencies) = (request.clone(), tickets.clone(), latencies.clone());
        workers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            while tickets.fetch_add(1, Ordering::Relaxed) < total {
                let t = Instant::now();
                request().await?;
                mine.push(t.elapsed());
            }
            latencies
                .lock()
                .map_err(|_| "a worker panicked".to_owned())?
                .extend(mine);
            Ok::<(), String>(())
        }));
    }
    for worker in workers {
        worker.await.map_err(|e| format!("worker failed: {e}"))??;
    }
    let wall = started.elapsed();
    let latencies = std::mem::take(
        &mut *latencies
            .lock()
            .map_err(|_| "a worker panicked".to_owned())?,
    );
    Ok(Measure::from(latencies, wall))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let latencies: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        let m = Measure::from(latencies, Duration::from_secs(2));
        assert_eq!(m.p50, Duration::from_millis(50));
        assert_eq!(m.p95, Duration::from_millis(95));
        assert_eq!(m.p99, Duration::from_millis(99));
        assert!((m.throughput - 50.0).abs() < 1e-9);
        let one = Measure::from(vec![Duration::from_millis(7)], Duration::from_secs(1));
        assert_eq!(
            (one.p50, one.p99),
            (Duration::from_millis(7), Duration::from_millis(7))
        );
    }
}
