//! The export rows of the benchmark: `POST /export` of the month's operation logs and of the
//! month's meetings with every join row, as CSV, each on a server of its own so its memory is
//! its own: rows per second, time to the first byte, and how far the server's resident set
//! rose above where it stood before the export (peak VmHWM minus VmRSS after a warm-up).

use std::path::Path;

use hyper::body::Bytes;
use serde_json::json;

use crate::server::{rss, Connection, Server, Streamed};

/// One export's figures.
pub struct ExportOutcome {
    pub name: &'static str,
    pub streamed: Streamed,
    pub rss_growth: Option<u64>,
}

const EXPORTS: &[(&str, &str)] = &[
    (
        "operation logs of the month",
        "query($from: Date!, $to: Date!) { operationLogs(from: $from, to: $to) { nodes { time operatorEmail category action detail operator { email } } } }",
    ),
    (
        "meetings of the month → every join row",
        "query($from: Date!, $to: Date!) { meetings(from: $from, to: $to) { nodes { id topic participants(first: 300) { nodes { name email joinTime leaveTime durationSeconds } } } } }",
    ),
];

pub async fn measure(
    binary: &Path,
    database_url: &str,
    jwt_secret: &str,
    token: &str,
    from: &str,
    to: &str,
) -> Result<Vec<ExportOutcome>, String> {
    let mut outcomes = Vec::new();
    for (name, query) in EXPORTS {
        eprintln!("export: {name}");
        let mut server = Server::start(binary, database_url, jwt_secret).await?;
        let mut conn = Connection::open(&server.addr).await?;
        // Warm-up: the schema's types, the pool's connections, the statements' plans.
        let warm = json!({ "query": "{ users(first: 5) { nodes { id email } } }" });
        conn.export(token, Bytes::from(warm.to_string())).await?;
        let before = rss(server.pid());
        let body = json!({
            "query": query,
            "variables": { "from": from, "to": to },
            "format": "csv",
        });
        let streamed = conn.export(token, Bytes::from(body.to_string())).await?;
        let rss_growth = match (before, server.peak_rss()) {
            (Some(before), Some(peak)) => Some(peak.saturating_sub(before)),
            _ => None,
        };
        server.stop();
        outcomes.push(ExportOutcome {
            name,
            streamed,
            rss_growth,
        });
    }
    Ok(outcomes)
}

/// The markdown table of the exports.
pub fn table(outcomes: &[ExportOutcome]) -> String {
    let mut out = String::from(
        "\n| export (POST /export, CSV, one request) | rows | MB | first byte ms | total s | rows/s | server RSS growth MB |\n|---|---|---|---|---|---|---|\n",
    );
    for o in outcomes {
        let s = &o.streamed;
        let rows = s.records.saturating_sub(1);
        out.push_str(&format!(
            "| {} | {} | {:.1} | {:.0} | {:.2} | {:.0} | {} |\n",
            o.name,
            rows,
            s.bytes as f64 / 1_048_576.0,
            s.first_byte.as_secs_f64() * 1000.0,
            s.total.as_secs_f64(),
            rows as f64 / s.total.as_secs_f64().max(1e-9),
            o.rss_growth.map_or_else(
                || "—".to_owned(),
                |b| format!("{:.1}", b as f64 / 1_048_576.0)
            ),
        ));
    }
    out
}
