//! PDF text extraction in worker processes: a PDF's bytes → its text,
//! extracted by a child process (the `imr` binary in its hidden worker
//! mode) with a memory limit, a stack and a deadline of its own. A file
//! that overflows the stack, exhausts memory or never ends kills or hangs
//! only its worker: the worker is replaced, the file skipped with the
//! cause, and the batch goes on. Stack overflows and failed allocations
//! abort a process; they cannot be caught like panics.
//!
//! The protocol, over the worker's stdin and stdout: a request is the
//! PDF's length (8 bytes, little-endian) then its bytes; a reply is a tag
//! byte, a length (8 bytes, little-endian) and that many bytes: tag 0 the
//! text (UTF-8), 1 why there is none (UTF-8), 2 the length of a text too
//! large to send (8 bytes). The worker's stderr is read for the cause of
//! its death.
//!
//! Workers are kept and reused, one per core at most. One process per
//! file is simpler but costs a process start per file (a fork of the
//! ingest, an exec of the binary): on the 20 real PDFs copied to 1,000
//! files (release build, 2 shared cores at a load average of 8.5, median
//! of 3 runs), ingest ran at 64 letters/s with a process per file, 267
//! with reused workers and 172 with extraction in process (in process it
//! kept only 0.65 of a core busy, the workers 1.2; CPU time alike). A
//! reused worker cannot be bounded in time by `RLIMIT_CPU` (the limit
//! counts the process's whole life), so the parent bounds each file with
//! a wall-clock deadline and kills the worker that overruns it.

use std::io::{self, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{MAX_BYTES, MAX_TEXT, Skip};

/// The hidden subcommand that runs a worker: `imr pdf-worker`.
pub const SUBCOMMAND: &str = "pdf-worker";

/// What one file may cost a worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The worker's address space, in MiB (`RLIMIT_AS`): the largest real
    /// letter's extraction peaks at a few tens of MiB.
    pub memory_mib: u64,
    /// Wall-clock time per file: a real letter takes a few milliseconds.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory_mib: 1024,
            timeout: Duration::from_secs(20),
        }
    }
}

/// How to run workers: the executable (the `imr` binary; tests pass
/// `env!("CARGO_BIN_EXE_imr")`) and the limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub program: PathBuf,
    pub limits: Limits,
}

/// Workers, started as needed up to `size` and reused.
pub struct Pool {
    config: Config,
    size: usize,
    state: Mutex<State>,
    freed: Condvar,
}

struct State {
    idle: Vec<Worker>,
    /// Workers started and not yet ended, idle or busy.
    live: usize,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("config", &self.config)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

impl Pool {
    /// A pool of at most one worker per core; none is started yet.
    pub fn new(config: Config) -> Pool {
        let size = std::thread::available_parallelism().map_or(1, |n| n.get());
        Pool {
            config,
            size,
            state: Mutex::new(State {
                idle: Vec::new(),
                live: 0,
            }),
            freed: Condvar::new(),
        }
    }

    /// The text of the PDF `bytes`, as [`super::pdf_text`] gives it, but
    /// extracted by a worker. A worker that dies or overruns is ended and
    /// its file skipped with the cause.
    pub fn text(&self, bytes: &[u8]) -> Result<String, Skip> {
        let mut worker = self.take()?;
        match worker.extract(bytes, self.config.limits.timeout) {
            Ok(reply) => {
                self.give_back(Some(worker));
                reply
            }
            Err(failure) => {
                let skip = worker.end(failure, &self.config.limits);
                self.give_back(None);
                Err(skip)
            }
        }
    }

    /// An idle worker, a new one if there are fewer than `size`, else the
    /// next one freed.
    fn take(&self) -> Result<Worker, Skip> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(worker) = state.idle.pop() {
                return Ok(worker);
            }
            if state.live < self.size {
                state.live += 1;
                drop(state);
                return Worker::start(&self.config).map_err(|e| {
                    self.give_back(None);
                    Skip::PdfReaderFailed(e.to_string())
                });
            }
            state = self
                .freed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Returns a worker to the pool, or counts one ended.
    fn give_back(&self, worker: Option<Worker>) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        match worker {
            Some(worker) => state.idle.push(worker),
            None => state.live -= 1,
        }
        self.freed.notify_one();
    }
}

/// How a request failed.
enum Failure {
    /// The worker closed its end or sent what is not a reply: it died.
    Died,
    /// No reply within the deadline.
    Overran,
}

/// A running worker process.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<io::Result<Result<String, Skip>>>,
    /// The last bytes the worker wrote on stderr, once it has ended.
    stderr: Option<JoinHandle<Vec<u8>>>,
}

/// The tail of a worker's stderr kept for the cause of its death.
const STDERR_TAIL: usize = 16 * 1024;

impl Worker {
    fn start(config: &Config) -> io::Result<Worker> {
        use std::os::unix::process::CommandExt;
        let memory = address_space(config.limits.memory_mib)?;
        let mut command = Command::new(&config.program);
        command
            .arg(SUBCOMMAND)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // The limit is set before the worker's program starts, not by the
        // worker itself: mimalloc reserves 1 GiB of address space as it
        // starts (untouched, but counted by RLIMIT_AS), and under a limit
        // set beforehand it reserves less and works as well.
        // SAFETY: between fork and exec, the closure makes one system
        // call (setrlimit, async-signal-safe) and allocates nothing.
        unsafe {
            command.pre_exec(move || rlimit::setrlimit(rlimit::Resource::AS, memory, memory));
        }
        let mut child = command.spawn()?;
        let missing = || io::Error::other("a worker's pipe is missing");
        let stdin = child.stdin.take().ok_or_else(missing)?;
        let stdout = child.stdout.take().ok_or_else(missing)?;
        let mut stderr = child.stderr.take().ok_or_else(missing)?;
        let (send, replies) = mpsc::channel();
        // A thread per pipe, so that the caller can wait with a deadline
        // (`recv_timeout`) and the worker never blocks on a full stderr.
        std::thread::Builder::new()
            .name("pdf-worker-replies".into())
            .spawn(move || {
                let mut stdout = BufReader::new(stdout);
                loop {
                    let reply = read_reply(&mut stdout);
                    let failed = reply.is_err();
                    if send.send(reply).is_err() || failed {
                        return;
                    }
                }
            })?;
        let stderr = std::thread::Builder::new()
            .name("pdf-worker-stderr".into())
            .spawn(move || {
                let mut tail = Vec::new();
                let mut chunk = [0u8; 4096];
                while let Ok(n @ 1..) = stderr.read(&mut chunk) {
                    tail.extend_from_slice(&chunk[..n]);
                    if tail.len() > STDERR_TAIL {
                        tail.drain(..tail.len() - STDERR_TAIL);
                    }
                }
                tail
            })?;
        Ok(Worker {
            child,
            stdin,
            replies,
            stderr: Some(stderr),
        })
    }

    fn extract(
        &mut self,
        bytes: &[u8],
        timeout: Duration,
    ) -> Result<Result<String, Skip>, Failure> {
        let sent = (|| {
            self.stdin.write_all(&(bytes.len() as u64).to_le_bytes())?;
            self.stdin.write_all(bytes)?;
            self.stdin.flush()
        })();
        if sent.is_err() {
            return Err(Failure::Died);
        }
        match self.replies.recv_timeout(timeout) {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => Err(Failure::Died),
            Err(RecvTimeoutError::Timeout) => Err(Failure::Overran),
        }
    }

    /// Ends the worker after `failure`, and says why its file is skipped.
    fn end(mut self, failure: Failure, limits: &Limits) -> Skip {
        // Killing one already dead is harmless; waiting reaps it.
        let _ = self.child.kill();
        let status = self.child.wait();
        let stderr = self
            .stderr
            .take()
            .and_then(|t| t.join().ok())
            .unwrap_or_default();
        let stderr = String::from_utf8_lossy(&stderr);
        match failure {
            Failure::Overran => Skip::PdfTimeout(limits.timeout.as_secs()),
            Failure::Died if out_of_memory(&stderr) => Skip::PdfOutOfMemory(limits.memory_mib),
            Failure::Died => Skip::PdfCrashed(how_it_died(status, &stderr)),
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // An idle worker holds no state: end it at once rather than wait
        // for it to read the end of its input.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Rust's own report of a failed allocation, or mimalloc's.
fn out_of_memory(stderr: &str) -> bool {
    stderr.contains("memory allocation of") || stderr.contains("out of memory")
}

fn how_it_died(status: io::Result<std::process::ExitStatus>, stderr: &str) -> String {
    use std::os::unix::process::ExitStatusExt;
    // "thread 'main' has overflowed its stack", then "fatal runtime
    // error: stack overflow, aborting".
    let overflow = if stderr.contains("stack overflow") || stderr.contains("overflowed its stack") {
        ": stack overflow"
    } else {
        ""
    };
    match status {
        Ok(s) => match (s.signal(), s.code()) {
            (Some(n), _) => format!("signal {n}{overflow}"),
            (None, Some(code)) => match stderr.lines().rev().find(|l| !l.trim().is_empty()) {
                Some(said) => format!("exited with status {code}: {}", said.trim()),
                None => format!("exited with status {code}"),
            },
            (None, None) => s.to_string(),
        },
        Err(e) => format!("lost: {e}"),
    }
}

/// Reply tags.
const TEXT: u8 = 0;
const NO_TEXT: u8 = 1;
const TOO_MUCH_TEXT: u8 = 2;

/// One reply from a worker's stdout; an error if it is not one (the
/// worker died, or wrote what it should not).
fn read_reply(from: &mut impl Read) -> io::Result<Result<String, Skip>> {
    let mut head = [0u8; 9];
    from.read_exact(&mut head)?;
    let [tag, length @ ..] = head;
    let length = u64::from_le_bytes(length);
    // A reply is at most the text allowed (a reason is short).
    if length > MAX_TEXT as u64 {
        return Err(io::Error::other("a reply longer than any text allowed"));
    }
    let mut body = vec![0u8; length as usize];
    from.read_exact(&mut body)?;
    let utf8 = |body: Vec<u8>| String::from_utf8(body).map_err(io::Error::other);
    match tag {
        TEXT => Ok(Ok(utf8(body)?)),
        NO_TEXT => Ok(Err(Skip::PdfNoText(utf8(body)?))),
        TOO_MUCH_TEXT => {
            let n: [u8; 8] = body
                .try_into()
                .map_err(|_| io::Error::other("a malformed length"))?;
            let n = usize::try_from(u64::from_le_bytes(n)).unwrap_or(usize::MAX);
            Ok(Err(Skip::TextTooLarge(n)))
        }
        _ => Err(io::Error::other("an unknown reply")),
    }
}

fn write_reply(to: &mut impl Write, reply: &Result<String, Skip>) -> io::Result<()> {
    let too_much;
    let (tag, body): (u8, &[u8]) = match reply {
        Ok(text) => (TEXT, text.as_bytes()),
        Err(Skip::TextTooLarge(n)) => {
            too_much = (*n as u64).to_le_bytes();
            (TOO_MUCH_TEXT, &too_much)
        }
        Err(Skip::PdfNoText(why)) => (NO_TEXT, why.as_bytes()),
        // `pdf_text` gives no other reason; said as no text if it did.
        Err(other) => return write_reply(to, &Err(Skip::PdfNoText(other.to_string()))),
    };
    to.write_all(&[tag])?;
    to.write_all(&(body.len() as u64).to_le_bytes())?;
    to.write_all(body)?;
    to.flush()
}

/// A worker's address space in bytes: `mib` MiB, or this process's hard
/// limit if that is lower (no process may raise it). An allocation past
/// it fails, and the worker aborts saying so on stderr.
fn address_space(mib: u64) -> io::Result<u64> {
    let (_, hard) = rlimit::Resource::AS.get()?;
    Ok(mib.saturating_mul(1024 * 1024).min(hard))
}

/// A worker's loop: reads requests from `input` until it ends, and
/// answers each on `output` with the text [`super::pdf_text`] extracts.
/// Run by the binary's hidden subcommand, in a process the pool has
/// limited.
pub fn serve(input: impl Read, output: impl Write) -> io::Result<()> {
    let mut input = BufReader::new(input);
    let mut output = io::BufWriter::new(output);
    loop {
        let mut length = [0u8; 8];
        match input.read_exact(&mut length) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        }
        let length = u64::from_le_bytes(length);
        if length > MAX_BYTES {
            return Err(io::Error::other("a request larger than any letter file"));
        }
        let mut bytes = vec![0u8; length as usize];
        input.read_exact(&mut bytes)?;
        write_reply(&mut output, &super::pdf_text(&bytes))?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_read_back_as_written() {
        for reply in [
            Ok("text — with a dash".to_owned()),
            Err(Skip::PdfNoText("no text layer (a scan?)".into())),
            Err(Skip::TextTooLarge(5_000_000)),
        ] {
            let mut wire = Vec::new();
            write_reply(&mut wire, &reply).unwrap();
            assert_eq!(read_reply(&mut wire.as_slice()).unwrap(), reply);
        }
    }

    #[test]
    fn a_reply_cut_short_or_too_long_is_an_error() {
        let mut wire = Vec::new();
        write_reply(&mut wire, &Ok("some text".to_owned())).unwrap();
        assert!(read_reply(&mut &wire[..wire.len() - 1]).is_err());
        let mut long = vec![TEXT];
        long.extend((MAX_TEXT as u64 + 1).to_le_bytes());
        assert!(read_reply(&mut long.as_slice()).is_err());
    }

    #[test]
    fn the_worker_loop_ends_at_the_end_of_its_input() {
        let mut request = Vec::new();
        request.extend(4u64.to_le_bytes());
        request.extend(b"%PDF");
        let mut output = Vec::new();
        serve(request.as_slice(), &mut output).unwrap();
        let reply = read_reply(&mut output.as_slice()).unwrap();
        assert!(matches!(reply, Err(Skip::PdfNoText(_))), "{reply:?}");
    }
}
