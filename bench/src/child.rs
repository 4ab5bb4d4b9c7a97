//! Child processes timed from spawn to exit, with their own peak RSS and
//! CPU time from wait4.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// One finished child: wall and CPU seconds, peak RSS, what it printed.
#[derive(Debug, Clone)]
pub struct Run {
    pub secs: f64,
    /// User and system CPU time.
    pub cpu_secs: f64,
    pub peak_rss_kib: i64,
    pub stdout: String,
}

/// Runs `command` to its end (stderr passes through); fails when it
/// cannot start or exits with a code outside `ok_codes`.
pub fn run(command: &mut Command, ok_codes: &[i32]) -> Result<Run> {
    let (mut child, started) = spawn(command)?;
    let mut stdout = String::new();
    if let Some(mut out) = child.stdout.take() {
        out.read_to_string(&mut stdout)
            .with_context(|| format!("reading the output of {command:?}"))?;
    }
    finish(&child, started, command, ok_codes, stdout)
}

/// What a child wrote to its standard output, counted as it came and
/// not kept (an export of a million letters is gigabytes).
#[derive(Debug, Clone, Copy)]
pub struct Drained {
    /// From spawn to the end of the first line.
    pub first_line_secs: Option<f64>,
    pub bytes: u64,
    pub lines: u64,
}

/// As [`run`], the output read and counted rather than kept.
pub fn drain(command: &mut Command, ok_codes: &[i32]) -> Result<(Run, Drained)> {
    let (mut child, started) = spawn(command)?;
    let mut drained = Drained {
        first_line_secs: None,
        bytes: 0,
        lines: 0,
    };
    if let Some(mut out) = child.stdout.take() {
        let mut buffer = vec![0; 1 << 16];
        loop {
            let n = out
                .read(&mut buffer)
                .with_context(|| format!("reading the output of {command:?}"))?;
            if n == 0 {
                break;
            }
            let lines = buffer[..n].iter().filter(|&&b| b == b'\n').count() as u64;
            if lines > 0 && drained.first_line_secs.is_none() {
                drained.first_line_secs = Some(started.elapsed().as_secs_f64());
            }
            drained.lines += lines;
            drained.bytes += n as u64;
        }
    }
    Ok((
        finish(&child, started, command, ok_codes, String::new())?,
        drained,
    ))
}

fn spawn(command: &mut Command) -> Result<(Child, Instant)> {
    let started = Instant::now();
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("cannot start {command:?}"))?;
    Ok((child, started))
}

/// Waits for `child`, whose output has been read, and times it.
fn finish(
    child: &Child,
    started: Instant,
    command: &Command,
    ok_codes: &[i32],
    stdout: String,
) -> Result<Run> {
    let (code, usage) = wait4(child.id())?;
    let secs = started.elapsed().as_secs_f64();
    if !ok_codes.contains(&code) {
        bail!("{command:?} exited with {code}");
    }
    let cpu = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Ok(Run {
        secs,
        cpu_secs: cpu(usage.ru_utime) + cpu(usage.ru_stime),
        peak_rss_kib: usage.ru_maxrss,
        stdout,
    })
}

/// The exit code (-1 when killed by a signal) and resource use of the
/// child `pid`, once it ends.
fn wait4(pid: u32) -> Result<(i32, libc::rusage)> {
    let pid = libc::pid_t::try_from(pid)?;
    let mut status: libc::c_int = 0;
    // SAFETY: a plain struct of integers, filled in by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet waited for; the pointers are
    // to live locals.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if waited != pid {
        bail!("wait4 on child {pid}: {}", std::io::Error::last_os_error());
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    Ok((code, usage))
}
