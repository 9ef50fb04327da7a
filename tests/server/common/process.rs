//! The reference server as separate processes: the real binary
//! (`examples/reference-server/main.rs`, its flags, its stdout SMS sender),
//! started on a database the caller chooses, killed with SIGKILL or
//! dropped. Several may share one database: the scale-out suite runs two.
//!
//! Integration tests have no path to an example's binary (cargo sets
//! `CARGO_BIN_EXE_*` for `[[bin]]` targets only), so [`server_binary`]
//! builds it once per test binary with the cargo that is running the tests
//! (a no-op when `cargo test` has built the examples already), unless
//! `DINHDANH_TEST_SERVER_BIN` names one.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

/// A binary to run instead of building the example (for a run against a
/// release build, say).
pub(crate) const SERVER_BIN: &str = "DINHDANH_TEST_SERVER_BIN";

/// The `reference-server` binary of this test binary's profile, built on
/// first use.
pub(crate) fn server_binary() -> &'static Path {
    static BIN: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match BIN.get_or_init(build_server) {
        Ok(path) => path,
        Err(e) => panic!("the reference-server binary: {e}"),
    }
}

fn build_server() -> Result<PathBuf, String> {
    if let Ok(bin) = std::env::var(SERVER_BIN) {
        return Ok(PathBuf::from(bin));
    }
    // this test runs as <target>/<profile dir>/deps/<test>-<hash>
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or("no profile directory above the test binary")?;
    // `cargo test` builds with the test profile (in `debug`): the example
    // built with it shares every artifact the test binary was built from
    let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") => "test",
        Some(other) => other,
        None => return Err(format!("{}: no profile name", profile_dir.display())),
    };
    let status = Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["build", "--locked", "--example", "reference-server"])
        .args(["--profile", profile])
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("cargo build: {e}"))?;
    if !status.success() {
        return Err(format!("cargo build --example reference-server: {status}"));
    }
    let bin = profile_dir.join("examples").join("reference-server");
    if bin.is_file() {
        Ok(bin)
    } else {
        Err(format!(
            "not built where expected: {} (set {SERVER_BIN})",
            bin.display()
        ))
    }
}

/// What a server process is started with.
#[derive(Clone, Debug)]
pub(crate) struct ProcessSettings {
    /// `--database-url`.
    pub(crate) database_url: String,
    /// Where the key file (shared by every server of one database) and the
    /// processes' output files live.
    pub(crate) dir: PathBuf,
    /// `--officer ID:TOKEN` (each server its own).
    pub(crate) officer: (String, String),
    /// Extra flags.
    pub(crate) args: Vec<String>,
}

impl ProcessSettings {
    /// A server on `database_url` with output in `dir`, officer `id` with
    /// `token`, the test suites' small Argon2 memory, `--demo-csca` and
    /// every rate limit lifted (all requests come from 127.0.0.1; the
    /// account-security rules, which are the library's, stay).
    pub(crate) fn new(database_url: &str, dir: &Path, id: &str, token: &str) -> Self {
        let many = "1000000000";
        let mut args: Vec<String> = ["--argon2-m-kib", "1024", "--demo-csca"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        for limit in [
            "otp-sends",
            "otp-checks",
            "logins",
            "activations",
            "guesses-per-day",
        ] {
            args.push(format!("--limit-{limit}"));
            args.push(many.to_owned());
        }
        ProcessSettings {
            database_url: database_url.to_owned(),
            dir: dir.to_owned(),
            officer: (id.to_owned(), token.to_owned()),
            args,
        }
    }
}

/// A child process, SIGKILLed and reaped when dropped.
pub(crate) struct Running(pub(crate) Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Running {
    /// SIGKILL (`Child::kill` on Unix), reaped; asserts it died of it.
    pub(crate) fn kill(mut self) {
        self.0.kill().unwrap();
        let status = self.0.wait().unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(status.signal(), Some(9), "{status:?}");
        }
        #[cfg(not(unix))]
        let _ = status;
    }
}

/// A running server process; SIGKILLed when dropped.
pub(crate) struct ServerProcess {
    child: Running,
    /// `http://127.0.0.1:PORT`.
    pub(crate) base: String,
    /// Its stdout: the log and the SMS.
    pub(crate) stdout: PathBuf,
    /// Its stderr (a panic's message).
    pub(crate) stderr: PathBuf,
}

impl ServerProcess {
    /// Starts the binary on `settings` as `name` (its output goes to
    /// `name-N.out` and `name-N.err` in the settings' directory, N counting
    /// the starts of that name, so a restart keeps the killed process's
    /// SMS) and waits until it listens: on 127.0.0.1, port 0, the port it
    /// got read from its log, so no two tests race for a port.
    pub(crate) fn spawn(settings: &ProcessSettings, name: &str) -> ServerProcess {
        let (out, err) = output_files(&settings.dir, name);
        let mut cmd = Command::new(server_binary());
        cmd.arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--database-url")
            .arg(&settings.database_url)
            .arg("--key-file")
            .arg(settings.dir.join("server.key"))
            .arg("--officer")
            .arg(format!("{}:{}", settings.officer.0, settings.officer.1))
            .args(&settings.args);
        // no staff or limits from the caller's environment
        for (key, _) in std::env::vars() {
            if key.starts_with("DINHDANH_") {
                cmd.env_remove(key);
            }
        }
        let child = cmd
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&out).unwrap())
            .stderr(std::fs::File::create(&err).unwrap())
            .spawn()
            .unwrap();
        let mut server = ServerProcess {
            child: Running(child),
            base: String::new(),
            stdout: out,
            stderr: err,
        };
        server.base = format!("http://{}", server.wait_listening());
        server
    }

    /// The address of the log's `listening` line, once written (the
    /// server logs on stdout, beside the SMS).
    fn wait_listening(&mut self) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let log = strip_ansi(&std::fs::read_to_string(&self.stdout).unwrap_or_default());
            let addr = log
                .lines()
                .filter(|l| l.contains("listening"))
                .find_map(|l| l.split("addr=").nth(1))
                .and_then(|rest| rest.split_whitespace().next());
            if let Some(addr) = addr {
                return addr.to_owned();
            }
            if let Some(status) = self.child.0.try_wait().unwrap() {
                let err = std::fs::read_to_string(&self.stderr).unwrap_or_default();
                panic!("the server exited ({status}): {log}{err}");
            }
            assert!(Instant::now() < deadline, "the server did not start: {log}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILL (`Child::kill` on Unix), reaped; asserts it died of it.
    pub(crate) fn kill(self) {
        self.child.kill();
    }

    /// A client of this server.
    pub(crate) fn client(&self) -> Remote {
        Remote {
            base: self.base.clone(),
            http: reqwest::Client::new(),
        }
    }
}

/// The next free `name-N.out`/`name-N.err` pair in `dir`.
fn output_files(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    (1..)
        .map(|n| {
            (
                dir.join(format!("{name}-{n}.out")),
                dir.join(format!("{name}-{n}.err")),
            )
        })
        .find(|(out, _)| !out.exists())
        .unwrap()
}

/// `text` without ANSI escape sequences (a log written in colour).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters, then a final byte in @..~
            for d in chars.by_ref() {
                if ('@'..='~').contains(&d) && d != '[' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Every SMS the server processes writing into `dir` printed (their stdout
/// lines `SMS to PHONE: TEXT`), as (phone, text): file by file, each in
/// the order sent. Files of killed processes included.
pub(crate) fn sms_printed(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "out"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        for line in text.lines() {
            if let Some((phone, text)) = line
                .strip_prefix("SMS to ")
                .and_then(|l| l.split_once(": "))
            {
                out.push((phone.to_owned(), text.to_owned()));
            }
        }
    }
    out
}

/// The texts sent to `phone` so far, by any server writing into `dir`.
pub(crate) fn sms_to(dir: &Path, phone: &str) -> Vec<String> {
    sms_printed(dir)
        .into_iter()
        .filter(|(to, _)| to == phone)
        .map(|(_, text)| text)
        .collect()
}

/// Waits until `phone` has had `n` SMS (any server); returns them all.
/// Within one process they are in order; across processes the caller
/// tells the new one by the count it saw before.
pub(crate) async fn wait_sms(dir: &Path, phone: &str, n: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let sent = sms_to(dir, phone);
        if sent.len() >= n {
            return sent;
        }
        assert!(
            Instant::now() < deadline,
            "{n} SMS to {phone} never printed (only {})",
            sent.len()
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// An HTTP client of one server process.
#[derive(Clone)]
pub(crate) struct Remote {
    /// `http://127.0.0.1:PORT`.
    pub(crate) base: String,
    /// The client.
    pub(crate) http: reqwest::Client,
}

impl Remote {
    /// A request builder for `method path` on this server.
    pub(crate) fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, format!("{}{path}", self.base))
    }

    /// POST of a JSON body.
    pub(crate) async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        super::send(self.request(reqwest::Method::POST, path).json(&body)).await
    }

    /// POST of a JSON body with `Authorization: Bearer token`.
    pub(crate) async fn post_bearer(
        &self,
        path: &str,
        token: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        super::send(
            self.request(reqwest::Method::POST, path)
                .bearer_auth(token)
                .json(&body),
        )
        .await
    }
}
