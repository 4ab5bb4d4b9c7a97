//! `imr-bench serve`: `imr serve` over a generated corpus's index, beside
//! the command line's warm search on the same index. Measures, for the
//! query set: the server's own time to make a search page (its
//! `Server-Timing` header, median of warm requests), requests per second
//! and p50/p99 latency with 8 clients at once (each on its own kept-alive
//! connection), for the HTML page and for `/api/search` (the JSON the
//! warm search makes), and the page weight of `/search` with its assets.
//!
//! `cargo run --release -p imr-bench -- serve --letters 100000`

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};

use crate::corpus::{self, Corpus};
use crate::queries::{self, QUERIES};
use crate::report::median;

/// Measure `imr serve` at 8 concurrent clients beside the warm search.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Generated letters in the index served
    #[arg(long, default_value_t = 100_000)]
    letters: u64,
    /// Concurrent clients
    #[arg(long, default_value_t = 8)]
    clients: usize,
    /// Seconds each load (pages, then JSON) runs
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Timed rounds of the query set, one request at a time
    #[arg(long, default_value_t = 10)]
    rounds: usize,
}

/// One load's outcome.
struct Load {
    requests: usize,
    errors: usize,
    secs: f64,
    /// Milliseconds, every request.
    latencies: Vec<f64>,
}

pub fn run(args: &Args) -> Result<()> {
    ensure!(
        !cfg!(debug_assertions),
        "build the benchmark optimised: cargo run --release -p imr-bench"
    );
    ensure!(
        args.clients > 0 && args.rounds > 0 && args.seconds > 0,
        "--clients, --rounds and --seconds take counts above zero"
    );
    let load_before = load_average();
    let target = corpus::target_dir()?;
    let imr = corpus::imr_binary(&target)?;
    let corpus = corpus::generated(&target, args.letters)?;
    let index = target
        .join("bench-corpus")
        .join(format!("serve-index-{}", args.letters));
    ingest(&imr, &corpus, &index)?;
    eprintln!("warm search, {} rounds", args.rounds);
    let warm = queries::imr_warm(&index, args.rounds)?;
    let server = Served::start(&imr, &index)?;
    let pages: Vec<String> = QUERIES.iter().map(|q| path("/search", q)).collect();
    let apis: Vec<String> = QUERIES
        .iter()
        .map(|q| format!("{}&limit=10", path("/api/search", q)))
        .collect();
    eprintln!("server-side time of the pages, {} rounds", args.rounds);
    let server_ms = server_side(&server.addr, &pages, args.rounds)?;
    eprintln!("{} clients, pages, {} s", args.clients, args.seconds);
    let page_load = load(&server.addr, &pages, args.clients, args.seconds)?;
    eprintln!("{} clients, JSON, {} s", args.clients, args.seconds);
    let api_load = load(&server.addr, &apis, args.clients, args.seconds)?;
    let weight = weight(&server.addr, &pages[0])?;
    let loads = (load_before, load_average());
    let measured = Measured {
        warm: warm.all(),
        server_ms,
        pages: page_load,
        apis: api_load,
        weight,
    };
    let text = render(args, &corpus, loads, &measured);
    let out = target.join("bench-server.md");
    std::fs::write(&out, &text).with_context(|| format!("writing {}", out.display()))?;
    println!("{text}");
    eprintln!("written to {}", out.display());
    Ok(())
}

/// The index of `corpus`, built once and kept while it holds every letter.
fn ingest(imr: &Path, corpus: &Corpus, index: &Path) -> Result<()> {
    let mut ingest = Command::new(imr);
    ingest
        .args(["ingest", "--json", "--quiet", "--index"])
        .arg(index)
        .arg(&corpus.dir)
        .env_remove("IMR_INDEX");
    eprintln!(
        "ingesting {} letters into {}",
        corpus.letters,
        index.display()
    );
    let run = crate::child::run(&mut ingest, &[0, 1])?;
    let report: serde_json::Value =
        serde_json::from_str(&run.stdout).context("imr ingest --json: not JSON")?;
    let held =
        report["letters_indexed"].as_u64().unwrap_or(0) + report["unchanged"].as_u64().unwrap_or(0);
    ensure!(
        held == corpus.letters,
        "the index at {} holds {held} of {} letters: {}",
        index.display(),
        corpus.letters,
        run.stdout
    );
    Ok(())
}

/// `/search?q=…` (and the query's outcome filter) of a bench query.
fn path(route: &str, q: &queries::Query) -> String {
    let mut path = format!("{route}?q={}", imr::web::params::encode(q.imr));
    if let Some(outcome) = q.outcome {
        let _ = write!(path, "&outcome={outcome}");
    }
    path
}

/// `imr serve` on a free port, killed when dropped.
struct Served {
    child: Child,
    addr: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    fn start(imr: &Path, index: &Path) -> Result<Served> {
        let mut child = Command::new(imr)
            .args(["serve", "--addr", "127.0.0.1:0", "--index"])
            .arg(index)
            .env_remove("IMR_INDEX")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("cannot start imr serve")?;
        let mut line = String::new();
        let stdout = child.stdout.take().context("imr serve's output")?;
        BufReader::new(stdout).read_line(&mut line)?;
        let Some(addr) = line.trim().strip_prefix("listening on http://") else {
            let _ = child.kill();
            bail!("imr serve said {line:?}");
        };
        Ok(Served {
            addr: addr.to_owned(),
            child,
        })
    }
}

/// A kept-alive HTTP/1.1 connection: GET, then read exactly the body its
/// `Content-Length` says. Written here, not taken from a client crate, so
/// that what is timed is the request and nothing a client adds.
struct Connection {
    reader: BufReader<TcpStream>,
    addr: String,
}

/// A response's status, `Server-Timing` total (ms) and size in bytes.
struct Answer {
    status: u16,
    server_ms: Option<f64>,
    bytes: usize,
}

impl Connection {
    fn open(addr: &str) -> Result<Connection> {
        let stream = TcpStream::connect(addr).with_context(|| format!("connecting to {addr}"))?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        stream.set_nodelay(true)?;
        Ok(Connection {
            reader: BufReader::new(stream),
            addr: addr.to_owned(),
        })
    }

    fn get(&mut self, path: &str) -> Result<Answer> {
        write!(
            self.reader.get_mut(),
            "GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.addr
        )?;
        let mut status = 0;
        let mut length = None;
        let mut server_ms = None;
        let mut line = String::new();
        loop {
            line.clear();
            ensure!(
                self.reader.read_line(&mut line)? > 0,
                "the server closed the connection"
            );
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if status == 0 {
                status = header
                    .split(' ')
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                continue;
            }
            let Some((name, value)) = header.split_once(':') else {
                continue;
            };
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse::<usize>().ok(),
                "server-timing" => {
                    server_ms = value
                        .trim()
                        .strip_prefix("total;dur=")
                        .and_then(|ms| ms.parse().ok());
                }
                _ => {}
            }
        }
        let bytes = length.context("a response without Content-Length")?;
        let mut body = vec![0; bytes];
        self.reader.read_exact(&mut body)?;
        Ok(Answer {
            status,
            server_ms,
            bytes,
        })
    }
}

/// The server's own time per page, over `rounds` rounds of `paths` one
/// at a time after one untimed round.
fn server_side(addr: &str, paths: &[String], rounds: usize) -> Result<Vec<f64>> {
    let mut connection = Connection::open(addr)?;
    for path in paths {
        let answer = connection.get(path)?;
        ensure!(answer.status == 200, "GET {path}: status {}", answer.status);
    }
    let mut times = Vec::new();
    for _ in 0..rounds {
        for path in paths {
            let answer = connection.get(path)?;
            times.push(answer.server_ms.context("no Server-Timing")?);
        }
    }
    Ok(times)
}

/// `clients` threads, each on its own connection, requesting `paths` in
/// turn for `seconds`.
fn load(addr: &str, paths: &[String], clients: usize, seconds: u64) -> Result<Load> {
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..clients)
        .map(|k| {
            let (addr, paths) = (addr.to_owned(), paths.to_vec());
            std::thread::spawn(move || -> Result<(Vec<f64>, usize)> {
                let mut connection = Connection::open(&addr)?;
                let (mut latencies, mut errors) = (Vec::new(), 0);
                let mut at = k;
                while Instant::now() < until {
                    let sent = Instant::now();
                    let answer = connection.get(&paths[at % paths.len()])?;
                    latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
                    errors += usize::from(answer.status != 200);
                    at += 1;
                }
                Ok((latencies, errors))
            })
        })
        .collect();
    let mut load = Load {
        requests: 0,
        errors: 0,
        secs: 0.0,
        latencies: Vec::new(),
    };
    for worker in workers {
        let (latencies, errors) = worker
            .join()
            .map_err(|_| anyhow::anyhow!("a client thread panicked"))??;
        load.errors += errors;
        load.latencies.extend(latencies);
    }
    load.secs = started.elapsed().as_secs_f64();
    load.requests = load.latencies.len();
    Ok(load)
}

/// Bytes of the page at `path` and of the assets it loads.
fn weight(addr: &str, path: &str) -> Result<(usize, usize)> {
    let mut connection = Connection::open(addr)?;
    let page = connection.get(path)?.bytes;
    let mut assets = 0;
    for asset in ["/static/style.css", "/static/copy.js"] {
        assets += connection.get(asset)?.bytes;
    }
    Ok((page, assets))
}

/// The nearest-rank percentile `p` of `xs`.
fn percentile(xs: &[f64], p: f64) -> f64 {
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.saturating_sub(1)).copied().unwrap_or(0.0)
}

/// The machine's one-minute load average.
fn load_average() -> String {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    load.split_whitespace().next().unwrap_or("?").to_owned()
}

/// What `run` measured.
struct Measured {
    /// The warm search's latencies, ms.
    warm: Vec<f64>,
    /// The server's own time per page, ms.
    server_ms: Vec<f64>,
    pages: Load,
    apis: Load,
    /// Bytes of the page, and of its assets.
    weight: (usize, usize),
}

fn render(args: &Args, corpus: &Corpus, (before, after): (String, String), m: &Measured) -> String {
    let (warm, server_ms) = (&m.warm, &m.server_ms);
    let (page, assets) = m.weight;
    let mut out = String::new();
    let _ = writeln!(out, "## The web server\n");
    let _ = writeln!(
        out,
        "`imr serve` over {} generated letters ({:.0} MB), the {} queries of the query set; load average {before} at the start, {after} at the end. \
         Command: `cargo run --release -p imr-bench -- serve --letters {} --clients {} --seconds {} --rounds {}`.\n",
        corpus.letters,
        corpus.bytes as f64 / 1e6,
        QUERIES.len(),
        args.letters,
        args.clients,
        args.seconds,
        args.rounds
    );
    let _ = writeln!(
        out,
        "| | requests | errors | requests/s | p50 ms | p99 ms |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
    let _ = writeln!(
        out,
        "| command line, warm search (`imr::query::search` + JSON, one at a time) | {} | 0 | {:.0} | {:.2} | {:.2} |",
        warm.len(),
        1000.0 / median(warm),
        median(warm),
        percentile(warm, 0.99)
    );
    for (name, l) in [
        (format!("`/api/search`, {} clients", args.clients), &m.apis),
        (
            format!("`/search` pages, {} clients", args.clients),
            &m.pages,
        ),
    ] {
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {:.0} | {:.2} | {:.2} |",
            l.requests,
            l.errors,
            l.requests as f64 / l.secs,
            percentile(&l.latencies, 0.5),
            percentile(&l.latencies, 0.99)
        );
    }
    let _ = writeln!(
        out,
        "\nServer-side time of a `/search` page (its `Server-Timing`, one request at a time, warm): median {:.2} ms, p99 {:.2} ms over {} requests (target: under 20 ms).  ",
        median(server_ms),
        percentile(server_ms, 0.99),
        server_ms.len()
    );
    let _ = writeln!(
        out,
        "Page weight of `/search?q=cyclobenzaprine`: {:.1} KB of HTML + {:.1} KB of assets (style.css, copy.js) = {:.1} KB, uncompressed.",
        page as f64 / 1000.0,
        assets as f64 / 1000.0,
        (page + assets) as f64 / 1000.0
    );
    out
}
