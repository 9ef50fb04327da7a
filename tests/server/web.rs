//! The web pages (`examples/reference-server/app/web/`) over plain HTTP,
//! as a browser without JavaScript uses them: the CSRF refusals, the
//! headers of every page, the cookies' attributes (plain and behind TLS),
//! a registration to login through the forms, the same wrong OTP posted
//! through the form 50 times at once, and no token in any URL.

use crate::app;
use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::common::*;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};

on_both!(csrf_is_checked_on_every_form, csrf_sqlite, csrf_postgres);
on_both!(every_page_has_its_headers, headers_sqlite, headers_postgres);
on_both!(
    registration_to_login_through_the_forms,
    forms_sqlite,
    forms_postgres
);
on_both!(
    behind_tls_the_cookies_are_secure_and_host_only,
    tls_sqlite,
    tls_postgres
);
on_both!(
    parallel_wrong_otps_through_the_form,
    parallel_otp_sqlite,
    parallel_otp_postgres
);

/// The policy the shared design names (and `web::CSP` must be).
const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// A page as a browser got it.
struct Page {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
}

impl Page {
    /// The form token in the page.
    fn csrf(&self) -> String {
        let at = self
            .text
            .find("name=\"csrf\" value=\"")
            .expect("a form token")
            + 19;
        let rest = &self.text[at..];
        rest[..rest.find('"').unwrap()].to_owned()
    }

    fn location(&self) -> &str {
        self.headers
            .get(LOCATION)
            .map_or("", |v| v.to_str().unwrap())
    }

    /// The `data-code` of the page's refusal ("" for none).
    fn code(&self) -> &str {
        match self.text.find("data-code=\"") {
            Some(at) => {
                let rest = &self.text[at + 11..];
                &rest[..rest.find('"').unwrap()]
            }
            None => "",
        }
    }

    fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }
}

/// A browser: its cookies, no redirect followed (each `Location` is
/// checked), every URL it was sent to kept.
struct Browser<'a> {
    s: &'a Server,
    http: reqwest::Client,
    jar: Mutex<BTreeMap<String, String>>,
    urls: Mutex<Vec<String>>,
}

impl<'a> Browser<'a> {
    fn new(s: &'a Server) -> Browser<'a> {
        Browser {
            s,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            jar: Mutex::new(BTreeMap::new()),
            urls: Mutex::new(Vec::new()),
        }
    }

    fn cookie_header(&self) -> String {
        let jar = self.jar.lock().unwrap();
        jar.iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn cookie(&self, name: &str) -> Option<String> {
        self.jar.lock().unwrap().get(name).cloned()
    }

    async fn take(&self, req: reqwest::RequestBuilder, url: String) -> Page {
        let cookies = self.cookie_header();
        let req = if cookies.is_empty() {
            req
        } else {
            req.header("cookie", cookies)
        };
        let resp = req.send().await.unwrap();
        let page = Page {
            status: resp.status(),
            headers: resp.headers().clone(),
            text: String::new(),
        };
        {
            let mut urls = self.urls.lock().unwrap();
            urls.push(url);
            urls.push(page.location().to_owned());
        }
        self.keep(&page.set_cookies());
        Page {
            text: resp.text().await.unwrap(),
            ..page
        }
    }

    /// Keeps (or, with `Max-Age=0`, drops) what `Set-Cookie` said.
    fn keep(&self, set: &[String]) {
        let mut jar = self.jar.lock().unwrap();
        for c in set {
            let (pair, attributes) = c.split_once(';').unwrap_or((c, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || attributes.contains("Max-Age=0") {
                jar.remove(name);
            } else {
                jar.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    async fn get(&self, path: &str) -> Page {
        let url = format!("{}{path}", self.s.base);
        self.take(self.http.get(&url), url).await
    }

    /// Posts `fields` as an HTML form does.
    fn form(&self, path: &str, fields: &[(&str, &str)]) -> (reqwest::RequestBuilder, String) {
        let url = format!("{}{path}", self.s.base);
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let req = self
            .http
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        (req, url)
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let (req, url) = self.form(path, fields);
        self.take(req, url).await
    }

    /// GETs `path`, then posts its form with the page's token.
    async fn submit(&self, path: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let page = self.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.text);
        let token = page.csrf();
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post(action, &all).await
    }
}

/// `application/x-www-form-urlencoded` (WHATWG URL §5.2): unreserved bytes
/// as they are, space as `+`, every other byte as `%XX`.
fn form_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A POST without its browser's token is refused with 403 and a page
/// saying so, before the API is called; with it, the API answers.
async fn csrf_is_checked_on_every_form(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    let b = Browser::new(&s);
    let login = [("login", ID), ("password", PASSWORD)];
    for action in [
        "/register",
        "/otp",
        "/otp/resend",
        "/password",
        "/login",
        "/logout",
        "/forgot",
        "/forgot/answers",
        "/activate",
        "/activate/passcode",
        "/activate/questions",
    ] {
        // no cookie, no token
        let p = b.post(action, &login).await;
        assert_eq!(p.status, StatusCode::FORBIDDEN, "{action}: {}", p.text);
    }
    let token = b.get("/login").await.csrf();
    // the seed cookie, no token
    let p = b.post("/login", &login).await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    assert!(p.text.contains("Biểu mẫu không hợp lệ"), "{}", p.text);
    // a wrong token, and one a byte short
    let wrong = format!("A{}", &token[1..]);
    for t in [wrong.as_str(), &token[..token.len() - 1]] {
        let p = b
            .post(
                "/login",
                &[("csrf", t), ("login", ID), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(p.status, StatusCode::FORBIDDEN);
    }
    // another browser's token
    let other = Browser::new(&s);
    let theirs = other.get("/login").await.csrf();
    assert_ne!(theirs, token);
    let p = b
        .post(
            "/login",
            &[("csrf", &theirs), ("login", ID), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    // the token without its cookie
    let bare = Browser::new(&s);
    let p = bare
        .post(
            "/login",
            &[("csrf", &token), ("login", ID), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    // the right one reaches the API: no account, the API's refusal
    let p = b
        .post(
            "/login",
            &[("csrf", &token), ("login", ID), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNAUTHORIZED, "{}", p.text);
    assert_eq!(p.code(), "wrong_credentials");
    // a JSON body to a page is no form (and no CSRF bypass)
    let p = b
        .take(
            b.http
                .post(format!("{}/login", s.base))
                .header("content-type", "application/json")
                .body(r#"{"login":"x"}"#),
            "/login".into(),
        )
        .await;
    assert!(p.status.is_client_error(), "{}", p.status);
    assert_ne!(p.status, StatusCode::UNAUTHORIZED);
    s.stop().await;
}

/// The headers of the shared design on every page, refusals and assets
/// included; no inline script or style (the CSP would block them).
async fn every_page_has_its_headers(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    let b = Browser::new(&s);
    let mut pages = Vec::new();
    for path in [
        "/",
        "/?lang=en",
        "/register",
        "/otp",
        "/password",
        "/login",
        "/account",
        "/dossier",
        "/activate",
        "/activate/passcode",
        "/activate/questions",
        "/forgot",
        "/assets/site.css",
        "/assets/countdown.js",
    ] {
        pages.push((path, b.get(path).await));
    }
    pages.push(("POST /login", b.post("/login", &[]).await));
    for (path, p) in &pages {
        let h = |name: &str| p.headers.get(name).map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(h("content-security-policy").as_deref(), Some(CSP), "{path}");
        assert_eq!(h("x-content-type-options").as_deref(), Some("nosniff"));
        assert_eq!(h("referrer-policy").as_deref(), Some("no-referrer"));
        assert_eq!(h("cache-control").as_deref(), Some("no-store"), "{path}");
        assert_eq!(h("x-frame-options").as_deref(), Some("DENY"));
        if h("content-type").unwrap().starts_with("text/html") {
            assert!(!p.text.contains("<script>"), "{path}: inline script");
            assert!(!p.text.contains("style="), "{path}: inline style");
            assert!(!p.text.contains("<style"), "{path}: inline style");
            assert!(p.text.contains("<html lang=\""), "{path}");
        }
    }
    let status = |path: &str| pages.iter().find(|(p, _)| *p == path).unwrap().1.status;
    assert_eq!(status("/"), StatusCode::OK);
    assert_eq!(status("/account"), StatusCode::UNAUTHORIZED);
    assert_eq!(status("/otp"), StatusCode::CONFLICT);
    assert_eq!(status("POST /login"), StatusCode::FORBIDDEN);
    // ?lang=en: English, and the choice kept
    let en = &pages[1].1;
    assert!(en.text.contains("<html lang=\"en\""));
    assert!(en.text.contains("Register"), "{}", en.text);
    let again = b.get("/login").await;
    assert!(again.text.contains("<html lang=\"en\""));
    let vi = b.get("/login?lang=vi").await;
    assert!(vi.text.contains("Đăng nhập"), "{}", vi.text);
    s.stop().await;
}

/// Every cookie a page set in `b`'s life is `HttpOnly; SameSite=Strict;
/// Path=/`, and `Secure` with the `__Host-` prefix exactly when `tls`.
fn check_cookie_attributes(set: &[String], tls: bool) {
    assert!(!set.is_empty());
    for c in set {
        let (pair, attributes) = c.split_once(';').unwrap();
        assert!(attributes.contains("HttpOnly"), "{c}");
        assert!(attributes.contains("SameSite=Strict"), "{c}");
        assert!(attributes.contains("Path=/"), "{c}");
        assert_eq!(attributes.contains("Secure"), tls, "{c}");
        assert_eq!(pair.starts_with("__Host-"), tls, "{c}");
    }
}

/// The registration form with the first citizen's QR code's payload,
/// posted with its token: on to the OTP.
async fn register_through_the_form(b: &Browser<'_>) -> Page {
    let p = b
        .submit(
            "/register",
            "/register",
            &[
                ("id_number", ID),
                ("phone", PHONE),
                ("qr", QR),
                ("terms", "1"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
    assert_eq!(p.location(), "/otp");
    p
}

/// Registration (the QR code's payload), the OTP from the SMS, the
/// password, the login: through the forms; returns the cookies set.
async fn through_the_forms(s: &Server, b: &Browser<'_>) -> Vec<String> {
    let mut set = Vec::new();
    let p = register_through_the_form(b).await;
    set.extend(p.set_cookies());
    let otp = b.get("/otp").await;
    assert_eq!(otp.status, StatusCode::OK);
    // the countdown starts from the OTP's 180 seconds (policy default)
    let left: u64 = {
        let at = otp.text.find("data-seconds-left=\"").unwrap() + 19;
        let rest = &otp.text[at..];
        rest[..rest.find('"').unwrap()].parse().unwrap()
    };
    assert!((170..=180).contains(&left), "{left}");
    assert!(otp.text.contains("Gửi lại mã"));
    assert!(otp.text.contains("src=\"/assets/countdown.js\""));
    let code = code_of(&s.sms(1).await.1);
    let p = b
        .post("/otp", &[("csrf", &otp.csrf()), ("code", &code)])
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
    assert_eq!(p.location(), "/password");
    set.extend(p.set_cookies());
    let pw = b.get("/password").await;
    assert!(pw.text.contains("từ 8 đến 20"), "the rule shown");
    // a password breaking the rule: the API's reasons, the form again
    let p = b
        .post(
            "/password",
            &[
                ("csrf", &pw.csrf()),
                ("password", "abc"),
                ("confirmation", "abc"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.text);
    assert_eq!(p.code(), "password_refused");
    let p = b
        .post(
            "/password",
            &[
                ("csrf", &pw.csrf()),
                ("password", PASSWORD),
                ("confirmation", PASSWORD),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    // seed 003's words, the API's notice
    assert!(
        p.text.contains(
            "Thiết lập mật khẩu thành công. Bạn có thể đăng nhập bằng mật khẩu vừa thiết lập"
        ),
        "{}",
        p.text
    );
    set.extend(p.set_cookies());
    let p = b
        .submit("/login", "/login", &[("login", ID), ("password", PASSWORD)])
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
    assert_eq!(p.location(), "/account");
    set.extend(p.set_cookies());
    set
}

/// No token of the API (the flow token, the session token) in any URL the
/// browser was sent to or any `Location`.
fn no_token_in_urls(b: &Browser<'_>, tokens: &[String]) {
    let urls = b.urls.lock().unwrap();
    for t in tokens {
        assert!(t.len() >= 32, "{t}");
        for u in urls.iter() {
            assert!(!u.contains(t.as_str()), "{u}");
        }
    }
}

async fn registration_to_login_through_the_forms(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    let b = Browser::new(&s);
    let set = through_the_forms(&s, &b).await;
    check_cookie_attributes(&set, false);
    let flow = set
        .iter()
        .find_map(|c| c.strip_prefix("dd_flow="))
        .map(|c| c.split(';').next().unwrap().to_owned())
        .unwrap();
    let session = b.cookie("dd_session").unwrap();
    // the device cookie of the login came through from the API
    assert!(b.cookie("dinhdanh_device").is_some());
    let account = b.get("/account").await;
    assert_eq!(account.status, StatusCode::OK, "{}", account.text);
    assert!(account.text.contains("Trần Ngọc Ngọc"), "{}", account.text);
    let dossier = b.get("/dossier").await;
    assert_eq!(dossier.status, StatusCode::OK, "{}", dossier.text);
    // the same session through the API: the page used the API's token
    let (st, v) = s.get_bearer("/v1/account", &session).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["id_number"], ID);
    // logout ends it in the API too
    let token = account.csrf();
    let p = b.post("/logout", &[("csrf", &token)]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(b.cookie("dd_session"), None);
    let (st, _) = s.get_bearer("/v1/account", &session).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    no_token_in_urls(&b, &[flow, session]);
    s.stop().await;
}

async fn behind_tls_the_cookies_are_secure_and_host_only(backend: Backend) {
    let mut settings = settings_for(app::Limits::default(), &backend).await;
    settings.http.behind_tls = true;
    let s = start_on(&settings).await;
    let b = Browser::new(&s);
    let mut set = b.get("/?lang=vi").await.set_cookies();
    set.extend(through_the_forms(&s, &b).await);
    check_cookie_attributes(&set, true);
    assert!(b.cookie("__Host-dd_session").is_some());
    assert!(b.cookie("__Host-dinhdanh_device").is_some());
    let account = b.get("/account").await;
    assert_eq!(account.status, StatusCode::OK, "{}", account.text);
    s.stop().await;
}

const GUESSES: usize = 50;

/// The same wrong OTP through the form 50 times at once: the API's rule,
/// five judged (`wrong_otp`), the rest refused (`otp_exhausted`), as
/// `http.rs` finds posting to the API itself.
async fn parallel_wrong_otps_through_the_form(backend: Backend) {
    let limits = app::Limits {
        otp_checks: 1000,
        otp_sends: 1000,
        ..app::Limits::default()
    };
    let s = start(limits, &backend).await;
    let b = Browser::new(&s);
    register_through_the_form(&b).await;
    let code = code_of(&s.sms(1).await.1);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let token = b.get("/otp").await.csrf();
    let tasks: Vec<_> = (0..GUESSES)
        .map(|_| {
            let (req, _) = b.form("/otp", &[("csrf", &token), ("code", wrong)]);
            let req = req.header("cookie", b.cookie_header());
            tokio::spawn(async move {
                let resp = req.send().await.unwrap();
                let status = resp.status();
                (status, resp.text().await.unwrap())
            })
        })
        .collect();
    let mut tally = BTreeMap::new();
    for t in tasks {
        let (status, text) = t.await.unwrap();
        let page = Page {
            status,
            headers: HeaderMap::new(),
            text,
        };
        *tally.entry(page.code().to_owned()).or_insert(0usize) += 1;
    }
    assert_eq!(tally.get("wrong_otp"), Some(&5), "{tally:?}");
    assert_eq!(
        tally.get("otp_exhausted"),
        Some(&(GUESSES - 5)),
        "{tally:?}"
    );
    // the right code now: exhausted too
    let p = b.post("/otp", &[("csrf", &token), ("code", &code)]).await;
    assert_eq!(p.code(), "otp_exhausted", "{}", p.text);
    s.stop().await;
}
