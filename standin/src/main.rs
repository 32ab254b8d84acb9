//! `standin [--port 8787] [--host 127.0.0.1] [--static dist] [--latency-ms N]
//!          [--error-rate F] [--malformed-rate F] [--drop-rate F]`

use standin::faults::FaultRule;
use standin::{app, Shared, World};
use std::path::PathBuf;

fn main() {
    let mut port: u16 = 8787;
    let mut host = "127.0.0.1".to_owned();
    let mut static_dir: Option<PathBuf> = None;
    let mut rules: Vec<FaultRule> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage(&format!("{flag} needs a value")));
        match flag.as_str() {
            "--port" => port = value().parse().unwrap_or_else(|_| usage("--port takes a number")),
            "--host" => host = value(),
            "--static" => static_dir = Some(PathBuf::from(value())),
            "--latency-ms" => rules.push(FaultRule {
                kind: "latency".into(),
                latency_ms: Some(value().parse().unwrap_or_else(|_| usage("--latency-ms takes a number"))),
                ..Default::default()
            }),
            "--error-rate" | "--malformed-rate" | "--drop-rate" => {
                let kind = match flag.as_str() {
                    "--error-rate" => "error",
                    "--malformed-rate" => "malformed",
                    _ => "drop",
                };
                let rate: f64 = value().parse().unwrap_or_else(|_| usage("rates are numbers from 0 to 1"));
                rules.push(FaultRule { kind: kind.into(), rate: Some(rate), ..Default::default() });
            }
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown flag {other}")),
        }
    }
    if let Some(dir) = &static_dir {
        if !dir.join("index.html").is_file() {
            usage(&format!("--static {}: no index.html there (build the app first: trunk build --release)", dir.display()));
        }
    }
    let now = standin::http::now_ms();
    let shared = Shared::new(World::seeded(now));
    shared.faults.lock().unwrap_or_else(|p| p.into_inner()).rules = rules;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap_or_else(|e| usage(&e.to_string()));
    runtime.block_on(async move {
        let addr = format!("{host}:{port}");
        let listener = tokio::net::TcpListener::bind(&addr).await.unwrap_or_else(|e| usage(&format!("cannot listen on {addr}: {e}")));
        println!("stand-in API listening on http://{addr}/api/v1{}", match &static_dir {
            Some(d) => format!(" (and serving the app from {})", d.display()),
            None => String::new(),
        });
        let server = axum::serve(listener, app(shared, static_dir));
        if let Err(e) = server.with_graceful_shutdown(async { let _ = tokio::signal::ctrl_c().await; }).await {
            eprintln!("stand-in stopped: {e}");
            std::process::exit(1);
        }
    });
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("standin: {problem}");
    }
    eprintln!("usage: standin [--port 8787] [--host 127.0.0.1] [--static dist] [--latency-ms N] [--error-rate F] [--malformed-rate F] [--drop-rate F]");
    std::process::exit(if problem.is_empty() { 0 } else { 2 })
}
