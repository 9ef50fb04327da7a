//! The in-process server harness of the server suites (`tests/server/`):
//! a server on 127.0.0.1:0 over a fresh SQLite file or PostgreSQL schema,
//! an HTTP client, the SMS it sent, the shipped registry's citizens, and
//! the files beside the repository (`../shared`) the suites read.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub(crate) mod process;

use crate::app;
use crate::app::sms::MemorySender;
use reqwest::StatusCode;
use serde_json::{Value, json};

pub(crate) static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The first citizen of the shipped registry.csv.
pub(crate) const ID: &str = "038174739054";
pub(crate) const PHONE: &str = "0703513109";
pub(crate) const QR: &str = "038174739054||Trần Ngọc Ngọc|07031974|Nữ|Phường Điện Biên, Thành phố Thanh Hóa, Tỉnh Thanh Hóa|21072021";
/// The second citizen of registry.csv.
pub(crate) const ID2: &str = "001179600965";
pub(crate) const PHONE2: &str = "0960335398";
pub(crate) const QR2: &str = "001179600965||Phan Mai Hương|16071979|Nữ|Phường Dịch Vọng, Quận Cầu Giấy, Thành phố Hà Nội|09122021";
/// The police office of the level-2 records (the second citizen's ward).
pub(crate) const OFFICE: &str = "Công an phường Dịch Vọng";
pub(crate) const OFFICER_TOKEN: &str = "officer-token-for-tests-0001";
pub(crate) const PASSWORD: &str = "Sao@Mai2024";
/// For the second citizen (whose name holds "Mai").
pub(crate) const PASSWORD2: &str = "Sen@Vang2024";

pub(crate) struct Server {
    pub(crate) base: String,
    pub(crate) state: Arc<app::AppState>,
    pub(crate) http: reqwest::Client,
    pub(crate) sms: Arc<MemorySender>,
    pub(crate) stop: Option<tokio::sync::oneshot::Sender<()>>,
    pub(crate) task: tokio::task::JoinHandle<Result<(), String>>,
}

pub(crate) fn temp_dir() -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!(
        "dinhdanh-http-{}-{n}-{}",
        std::process::id(),
        app::now()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Where a case runs.
#[derive(Clone)]
pub(crate) enum Backend {
    Sqlite,
    /// A PostgreSQL URL; each case gets a schema of its own.
    Postgres(String),
}

pub(crate) async fn database_url(backend: &Backend, dir: &std::path::Path) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.join("server.db").display()),
        Backend::Postgres(url) => fresh_schema(url, "http").await.url,
    }
}

static SCHEMA: AtomicU64 = AtomicU64::new(0);

/// A PostgreSQL schema made for one test.
pub(crate) struct Schema {
    /// `PREFIX_PID_SECONDS_N_RANDOM`.
    pub(crate) name: String,
    /// The suites' URL with `search_path` set to the schema.
    pub(crate) url: String,
}

/// A new schema on `url`. Other agents' runs may share the cluster: the
/// process id, the time, this process's count and 32 random bits keep the
/// names apart.
pub(crate) async fn fresh_schema(url: &str, prefix: &str) -> Schema {
    let mut random = [0u8; 4];
    getrandom::fill(&mut random).unwrap();
    let name = format!(
        "{prefix}_{}_{}_{}_{}",
        std::process::id(),
        app::now(),
        SCHEMA.fetch_add(1, Ordering::SeqCst),
        u32::from_le_bytes(random)
    );
    let pool = sqlx::PgPool::connect(url).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {name}")))
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let sep = if url.contains('?') { '&' } else { '?' };
    Schema {
        url: format!("{url}{sep}options=-c%20search_path%3D{name}"),
        name,
    }
}

/// The PostgreSQL URL of the suites (`DINHDANH_TEST_POSTGRES_URL`), or
/// `None` after saying that `test` skips; with
/// `DINHDANH_TEST_REQUIRE_POSTGRES=1` (CI) a missing URL fails instead.
pub(crate) fn postgres_url(test: &str) -> Option<String> {
    match std::env::var("DINHDANH_TEST_POSTGRES_URL") {
        Ok(url) => Some(url),
        Err(_) => {
            assert!(
                std::env::var("DINHDANH_TEST_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "{test}: DINHDANH_TEST_POSTGRES_URL is not set, but DINHDANH_TEST_REQUIRE_POSTGRES=1"
            );
            println!("{test}: skipped (DINHDANH_TEST_POSTGRES_URL is not set)");
            None
        }
    }
}

/// Runs a case on SQLite, and on PostgreSQL when
/// `DINHDANH_TEST_POSTGRES_URL` is set (required when
/// `DINHDANH_TEST_REQUIRE_POSTGRES=1`).
#[macro_export]
macro_rules! on_both {
    ($case:ident, $sqlite:ident, $postgres:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $sqlite() {
            $case($crate::common::Backend::Sqlite).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $postgres() {
            if let Some(url) = $crate::common::postgres_url(stringify!($postgres)) {
                $case($crate::common::Backend::Postgres(url)).await;
            }
        }
    };
}

pub(crate) async fn start(limits: app::Limits, backend: &Backend) -> Server {
    start_on(&settings_for(limits, backend).await).await
}

/// The settings of a test server: a fresh database, the shipped registry,
/// small Argon2 parameters, one officer, and the simulator's demonstration
/// CSCA trusted (`--demo-csca`, as in the README's tour: the suites submit
/// chips made by `icao9303-sim`).
pub(crate) async fn settings_for(limits: app::Limits, backend: &Backend) -> app::Settings {
    let dir = temp_dir();
    let url = database_url(backend, &dir).await;
    app::Settings {
        limits,
        ..settings_on(url, &dir, shipped_registry())
    }
}

/// A server on `settings`.
pub(crate) async fn start_on(settings: &app::Settings) -> Server {
    serve_state(app::AppState::open(settings).await.unwrap()).await
}

impl Server {
    pub(crate) async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.http.post(format!("{}{path}", self.base)).json(&body))
            .await
    }

    /// POST with `Authorization: Bearer token`.
    pub(crate) async fn post_bearer(
        &self,
        path: &str,
        token: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        self.send(
            self.http
                .post(format!("{}{path}", self.base))
                .bearer_auth(token)
                .json(&body),
        )
        .await
    }

    /// POST of a JSON body from the device `device` (`X-Device-Id`).
    pub(crate) async fn post_from(
        &self,
        path: &str,
        device: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        self.send(
            self.http
                .post(format!("{}{path}", self.base))
                .header("X-Device-Id", device)
                .json(&body),
        )
        .await
    }

    /// The first citizen's [`PASSWORD`] set on `flow`, accepted.
    pub(crate) async fn set_password(&self, flow: &str) {
        let body = json!({ "password": PASSWORD, "confirmation": PASSWORD });
        let (st, v) = self.post_bearer("/v1/password", flow, body).await;
        assert_eq!(st, StatusCode::OK, "{v}");
    }

    /// GET with `Authorization: Bearer token`.
    pub(crate) async fn get_bearer(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.send(
            self.http
                .get(format!("{}{path}", self.base))
                .bearer_auth(token),
        )
        .await
    }

    /// An activation's last steps on `flow`: passcode 480613, then two
    /// security questions, each accepted; the last answer. `id` goes into
    /// both bodies where given (as a client of the level-1 path sends it).
    pub(crate) async fn passcode_and_questions(&self, flow: &str, id: Option<&str>) -> Value {
        let mut passcode = json!({ "passcode": "480613", "confirmation": "480613" });
        let mut questions = json!({ "answers": [
            { "question": "first_pet", "answer": "Mực" },
            { "question": "favourite_food", "answer": "Phở bò" } ] });
        if let Some(id) = id {
            passcode["id_number"] = id.into();
            questions["id_number"] = id.into();
        }
        let mut last = Value::Null;
        for (path, body) in [
            ("/v1/passcode", passcode),
            ("/v1/security-questions", questions),
        ] {
            let (st, v) = self.post_bearer(path, flow, body).await;
            assert_eq!(st, StatusCode::OK, "{path}: {v}");
            last = v;
        }
        last
    }

    /// Waits for the `n`-th SMS (from 1) sent to `phone`; returns its text.
    pub(crate) async fn sms_to(&self, phone: &str, n: usize) -> String {
        self.nth_sms(n, Some(phone)).await.1
    }

    /// Polls the outbox (the server sends from a queue) for the `n`-th SMS,
    /// to `phone` when given. Up to 20 s: a loaded CI machine once took
    /// more than the 5 s this waited before.
    async fn nth_sms(&self, n: usize, phone: Option<&str>) -> (String, String) {
        for _ in 0..800 {
            let sent: Vec<_> = self
                .sms
                .sent()
                .into_iter()
                .filter(|(to, _)| phone.is_none_or(|p| to == p))
                .collect();
            if let Some(sms) = n.checked_sub(1).and_then(|i| sent.get(i)) {
                return sms.clone();
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!(
            "SMS {n} to {phone:?} never sent: {} sent",
            self.sms.sent().len()
        );
    }

    /// Starts a password reset for `login` and `phone` (accepted); the code
    /// of the `n`-th SMS to `phone`.
    pub(crate) async fn reset_code(&self, login: &str, phone: &str, n: usize) -> String {
        let body = json!({ "login": login, "phone": phone });
        let (st, v) = self.post("/v1/password-resets", body).await;
        assert_eq!(st, StatusCode::ACCEPTED, "{v}");
        code_of(&self.sms_to(phone, n).await)
    }

    /// Verifies `code` for `id`; returns the flow token.
    pub(crate) async fn verify(&self, id: &str, code: &str) -> String {
        let (st, v) = self
            .post("/v1/otp/verify", json!({ "id_number": id, "code": code }))
            .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(v["verified"], true);
        let token = v["flow_token"].as_str().unwrap().to_owned();
        assert_eq!(token.len(), 64);
        token
    }

    pub(crate) async fn send(&self, req: reqwest::RequestBuilder) -> (StatusCode, Value) {
        send(req).await
    }

    /// Waits for the `n`-th SMS (from 1) and returns its text.
    pub(crate) async fn sms(&self, n: usize) -> (String, String) {
        self.nth_sms(n, None).await
    }

    pub(crate) async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        self.task.await.unwrap().unwrap();
    }
}

/// Sends `req`; the status and the JSON body (`null` when empty).
pub(crate) async fn send(req: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    let value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
    };
    (status, value)
}

/// The events of type `kind` in the log of `id` (what a race came to).
pub(crate) async fn recorded(store: &app::store::Store, id: &str, kind: &str) -> usize {
    let events = app::store::Storage::load(store, id).await.unwrap();
    events
        .iter()
        .filter(|e| serde_json::to_value(&e.kind).unwrap()["type"] == kind)
        .count()
}

/// Sends every request at once, each on a task of its own; the answers in
/// order (the races of the account-security rules).
pub(crate) async fn all_at_once(
    requests: impl IntoIterator<Item = reqwest::RequestBuilder>,
) -> Vec<(StatusCode, Value)> {
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|r| tokio::spawn(send(r)))
        .collect();
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

/// The 6-digit code in an OTP SMS.
pub(crate) fn code_of(text: &str) -> String {
    find_code(text).unwrap_or_else(|| panic!("no code in {text}"))
}

/// The 6-digit code in `text`, if it has one.
pub(crate) fn find_code(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .map(str::to_owned)
}

pub(crate) fn error(v: &Value) -> (&str, &str) {
    (
        v["error"]["code"].as_str().unwrap(),
        v["error"]["vi"].as_str().unwrap(),
    )
}

pub(crate) fn register_body() -> Value {
    json!({ "id_number": ID, "phone": PHONE, "qr": QR, "terms_accepted": true })
}

/// Registration, OTP, password and login; returns the session token.
pub(crate) async fn registered(s: &Server) -> String {
    let (st, v) = s.post("/v1/registrations", register_body()).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let code = code_of(&s.sms(1).await.1);
    let flow = s.verify(ID, &code).await;
    s.set_password(&flow).await;
    let (st, v) = s
        .post(
            "/v1/login",
            json!({ "id_number": ID, "password": PASSWORD }),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    v["token"].as_str().unwrap().to_owned()
}

/// The settings of [`start`] on database `url`, with `registry`.
pub(crate) fn settings_on(url: String, dir: &std::path::Path, registry: PathBuf) -> app::Settings {
    app::Settings {
        database_url: url,
        registry,
        key_file: dir.join("server.key"),
        argon2_m_kib: 64,
        officers: vec![("CA-01".into(), OFFICER_TOKEN.into())],
        reporters: vec![("CA-01".into(), OFFICER_TOKEN.into())],
        demo_csca: true,
        ..app::Settings::default()
    }
}

pub(crate) fn shipped_registry() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/reference-server/registry.csv")
}

/// Serves `state` as [`start`] does.
pub(crate) async fn serve_state(state: app::AppState) -> Server {
    let state = Arc::new(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let sms = Arc::new(MemorySender::default());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(app::serve(state.clone(), listener, sms.clone(), async {
        let _ = stopped.await;
    }));
    Server {
        base: format!("http://{addr}"),
        state,
        http: reqwest::Client::new(),
        sms,
        stop: Some(stop),
        task,
    }
}

/// The raw files of a virtual CCCD, made the way `dinhdanh chip read --sim`
/// makes them: personalised by `icao9303-sim`, EF.SOD signed under `pki`.
pub(crate) struct ChipFiles {
    pub(crate) dg1: Vec<u8>,
    pub(crate) dg2: Vec<u8>,
    pub(crate) dg13: Vec<u8>,
    pub(crate) sod: Vec<u8>,
}

impl ChipFiles {
    pub(crate) fn new(
        rng: &mut icao9303_sim::SimRng,
        pki: &icao9303_sim::pki::TestPki,
        id: &str,
        name: &str,
        dob: &str,
        expiry: &str,
    ) -> ChipFiles {
        use icao9303::lds::{DataGroup, FileKind};
        let data = icao9303_sim::Personalisation::cccd_named(id, name, dob, expiry)
            .unwrap()
            .build(rng, pki)
            .unwrap();
        let file = |k: FileKind| data.file(k).unwrap().to_vec();
        ChipFiles {
            dg1: file(FileKind::Dg(DataGroup::Dg1)),
            dg2: file(FileKind::Dg(DataGroup::Dg2)),
            dg13: file(FileKind::Dg(DataGroup::Dg13)),
            sod: file(FileKind::Sod),
        }
    }

    /// The JSON body of `POST /v1/dossiers`, with the citizen's portrait
    /// ([`PORTRAIT`]).
    pub(crate) fn body(&self) -> Value {
        let b64 = |b: &[u8]| data_encoding::BASE64.encode(b);
        json!({
            "dg1": b64(&self.dg1),
            "dg2": b64(&self.dg2),
            "dg13": b64(&self.dg13),
            "sod": b64(&self.sod),
            "portrait_jpeg": portrait_b64(),
            "email": "ngoc@example.vn",
        })
    }
}

/// A portrait JPEG of the smallest size accepted (240 x 320), written by
/// libjpeg-turbo's `cjpeg` (an independent encoder) from a synthetic
/// gradient.
pub(crate) const PORTRAIT: &[u8] = include_bytes!("../../data/portrait-240x320.jpg");

/// A JPEG that decodes but is too small (120 x 160), by `cjpeg` too.
pub(crate) const PORTRAIT_SMALL: &[u8] = include_bytes!("../../data/portrait-120x160.jpg");

/// [`PORTRAIT`] in base64.
pub(crate) fn portrait_b64() -> String {
    data_encoding::BASE64.encode(PORTRAIT)
}

/// The demonstration PKI the CLI's `--sim` uses (and the server trusts by
/// default) and the tour citizen's card under it (registry row 1: Trần
/// Ngọc Ngọc, born 1974-03-07).
pub(crate) fn demo_card() -> ChipFiles {
    let mut rng = icao9303_sim::SimRng::from_seed_u64(icao9303_sim::pki::DEMO_SEED);
    let pki = icao9303_sim::pki::TestPki::generate(&mut rng, "VN").unwrap();
    ChipFiles::new(&mut rng, &pki, ID, "Trần Ngọc Ngọc", "740307", "340307")
}

/// A citizen of the shipped registry.csv, with the body of her
/// registration (typed details, as a phone without a QR reader sends).
#[derive(Clone, Debug)]
pub(crate) struct Citizen {
    pub(crate) id: String,
    pub(crate) phone: String,
    pub(crate) body: Value,
}

/// Every citizen of the shipped registry.csv, in its order.
pub(crate) fn registry_citizens() -> Vec<Citizen> {
    let text = std::fs::read_to_string(shipped_registry()).unwrap();
    let mut out = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.is_empty()) {
        // id,full_name,date_of_birth,sex,"permanent_residence",phone,issue_date
        let (id, rest) = line.split_once(',').unwrap();
        let (name, rest) = rest.split_once(',').unwrap();
        let (dob, rest) = rest.split_once(',').unwrap();
        let (sex, rest) = rest.split_once(',').unwrap();
        let (residence, rest) = if let Some(quoted) = rest.strip_prefix('"') {
            let (r, rest) = quoted.split_once("\",").unwrap();
            (r.replace("\"\"", "\""), rest)
        } else {
            let (r, rest) = rest.split_once(',').unwrap();
            (r.to_owned(), rest)
        };
        let (phone, _issued) = rest.split_once(',').unwrap();
        out.push(Citizen {
            id: id.to_owned(),
            phone: phone.to_owned(),
            body: json!({
                "id_number": id, "phone": phone, "terms_accepted": true,
                "details": { "full_name": name, "date_of_birth": dob, "sex": sex,
                             "permanent_residence": residence },
            }),
        });
    }
    assert!(out.len() >= 200, "registry.csv: {} citizens", out.len());
    out
}

/// How many answers carry each error code (`ok` for a success): what a
/// race of the same request sent many times came to.
pub(crate) fn codes(answers: &[(StatusCode, Value)]) -> std::collections::BTreeMap<String, usize> {
    let mut m = std::collections::BTreeMap::new();
    for (st, v) in answers {
        let code = if st.is_success() {
            "ok".to_owned()
        } else {
            error(v).0.to_owned()
        };
        *m.entry(code).or_insert(0) += 1;
    }
    m
}

/// Where the files beside the repository are: `DINHDANH_SHARED_DIR`, else
/// `../shared` next to the package (a packaged crate has none).
fn shared_dir() -> PathBuf {
    std::env::var_os("DINHDANH_SHARED_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        PathBuf::from,
    )
}

/// The bytes of `../shared/<rel_path>` (the seeds; never copied into the
/// package). Absent, it says so on stderr and gives `None`, and the test
/// skips what needs it; with `DINHDANH_TEST_REQUIRE_SHARED=1` (CI) absence
/// fails instead. `DINHDANH_SHARED_DIR` names another directory (the skip
/// is checked with `DINHDANH_SHARED_DIR=/nonexistent`).
pub(crate) fn shared(rel_path: &str) -> Option<Vec<u8>> {
    match std::fs::read(shared_dir().join(rel_path)) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            let why = format!(
                "../shared/{rel_path} is absent (it sits beside the repository; a packaged crate has none)"
            );
            assert!(
                std::env::var("DINHDANH_TEST_REQUIRE_SHARED").as_deref() != Ok("1"),
                "{why}"
            );
            eprintln!("skipped: {why}");
            None
        }
    }
}

/// Seed 003 (the VNeID guide, where the forms and the status words are),
/// or `None` when absent ([`shared`]).
pub(crate) fn seed_003() -> Option<String> {
    let bytes = shared("seeds/003_232256f6ce1b80dc.txt")?;
    Some(String::from_utf8(bytes).unwrap())
}
