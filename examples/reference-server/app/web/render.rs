//! Rendering: the pages' words (one table per language), the frame every
//! page shares ([`Chrome`], `templates/base.html`), and the helpers that
//! turn a template into a response.
//!
//! The Vietnamese words are seed 003's ("HƯỚNG DẪN ĐĂNG KÝ, KÍCH HOẠT TÀI
//! KHOẢN ĐDĐT") where it has them; the answers' texts (refusals, notices,
//! statuses) are the API's `message_vi`/`message_en`, never written here.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::WebState;
use super::session::{Visit, lang_code};
use crate::app::messages::Lang;

/// The words of the pages in one language.
#[derive(Debug)]
pub(crate) struct Words {
    pub(crate) app_name: &'static str,
    pub(crate) skip: &'static str,
    pub(crate) nav_label: &'static str,
    pub(crate) other_lang_name: &'static str,
    pub(crate) footer: &'static str,
    pub(crate) home: &'static str,
    pub(crate) home_intro: &'static str,
    pub(crate) register: &'static str,
    pub(crate) login: &'static str,
    pub(crate) logout: &'static str,
    pub(crate) activate: &'static str,
    pub(crate) forgot: &'static str,
    pub(crate) dossier: &'static str,
    pub(crate) account: &'static str,
    pub(crate) id_number: &'static str,
    pub(crate) phone: &'static str,
    pub(crate) register_intro: &'static str,
    pub(crate) way_qr: &'static str,
    pub(crate) qr: &'static str,
    pub(crate) qr_hint: &'static str,
    pub(crate) way_typed: &'static str,
    pub(crate) full_name: &'static str,
    pub(crate) date_of_birth: &'static str,
    pub(crate) sex: &'static str,
    pub(crate) male: &'static str,
    pub(crate) female: &'static str,
    pub(crate) residence: &'static str,
    pub(crate) residence_note: &'static str,
    pub(crate) street: &'static str,
    pub(crate) terms: &'static str,
    pub(crate) otp_title: &'static str,
    pub(crate) otp_intro: &'static str,
    pub(crate) otp_code: &'static str,
    pub(crate) otp_time_left: &'static str,
    pub(crate) otp_expired: &'static str,
    pub(crate) confirm: &'static str,
    pub(crate) resend: &'static str,
    pub(crate) resend_hint: &'static str,
    pub(crate) password_title: &'static str,
    pub(crate) password: &'static str,
    pub(crate) password_again: &'static str,
    pub(crate) password_rule: &'static str,
    pub(crate) password_same: &'static str,
    pub(crate) next: &'static str,
    pub(crate) login_intro: &'static str,
    pub(crate) login_name: &'static str,
    pub(crate) login_by_phone: &'static str,
    pub(crate) activate_private: &'static str,
    pub(crate) activate_phone: &'static str,
    pub(crate) send_request: &'static str,
    pub(crate) passcode_title: &'static str,
    pub(crate) passcode_use: &'static str,
    pub(crate) passcode_rule: &'static str,
    pub(crate) passcode: &'static str,
    pub(crate) passcode_again: &'static str,
    pub(crate) questions_title: &'static str,
    pub(crate) questions_intro: &'static str,
    pub(crate) question: &'static str,
    pub(crate) answer: &'static str,
    pub(crate) answers_title: &'static str,
    pub(crate) forgot_phone: &'static str,
    pub(crate) notice: &'static str,
    pub(crate) status: &'static str,
    pub(crate) no_dossier: &'static str,
    /// The level of an account with no identity level yet (an app
    /// account before its level-1 dossier is approved).
    pub(crate) no_level: &'static str,
    pub(crate) level: &'static str,
    pub(crate) csrf_refused: &'static str,
    pub(crate) bad_form: &'static str,
    pub(crate) sign_in_first: &'static str,
    pub(crate) start_again: &'static str,
    pub(crate) not_found: &'static str,
    pub(crate) method_not_allowed: &'static str,
    pub(crate) unavailable: &'static str,
}

/// Vietnamese, the service's language.
pub(crate) const VI: Words = Words {
    app_name: "Định danh điện tử",
    skip: "Bỏ qua, đến nội dung chính",
    nav_label: "Chức năng",
    other_lang_name: "English",
    footer: "Máy chủ tham chiếu dinhdanh: dữ liệu dân cư tổng hợp, không phải VNeID.",
    home: "Trang chủ",
    home_intro: "Đăng ký, kích hoạt tài khoản Định danh điện tử.",
    register: "Đăng ký",
    login: "Đăng nhập",
    logout: "Đăng xuất",
    activate: "Kích hoạt tài khoản",
    forgot: "Quên mật khẩu",
    dossier: "Hồ sơ",
    account: "Tài khoản",
    id_number: "Số định danh cá nhân hoặc số căn cước công dân",
    phone: "Số điện thoại",
    register_intro: "Nhập số định danh cá nhân hoặc số căn cước công dân của mình, số điện thoại chính chủ đã đăng ký với nhà mạng, rồi các thông tin chi tiết.",
    way_qr: "Cách 1: đọc thông tin từ mã vạch QR trên mặt thẻ căn cước công dân gắn chip",
    qr: "Nội dung mã QR",
    qr_hint: "Dán nội dung đọc được từ mã QR trên thẻ.",
    way_typed: "Cách 2: nhập thủ công từng trường thông tin theo đúng với thông tin trên thẻ căn cước công dân gắn chip",
    full_name: "Họ và tên (tên khai sinh)",
    date_of_birth: "Ngày/Tháng/Năm sinh",
    sex: "Giới tính",
    male: "Nam",
    female: "Nữ",
    residence: "Nơi thường trú",
    residence_note: "Lưu ý: Đối với thông tin về nơi thường trú, bạn có thể nhập thông tin thường trú hiện bạn đã làm thủ tục cư trú với cơ quan Công an.",
    street: "Số nhà, tên đường",
    terms: "Tôi đồng ý với Điều khoản sử dụng ứng dụng và dịch vụ",
    otp_title: "Nhập mã OTP",
    otp_intro: "Nhập mã OTP được gửi về tin nhắn theo số điện thoại bạn đã đăng ký.",
    otp_code: "Mã OTP",
    otp_time_left: "Thời gian còn lại:",
    otp_expired: "Mã OTP đã quá hạn sử dụng.",
    confirm: "Xác nhận",
    resend: "Gửi lại mã",
    resend_hint: "Trường hợp không nhận được tin nhắn hoặc mã OTP nhận được đã quá hạn sử dụng, hãy nhấn vào Gửi lại mã để yêu cầu gửi lại mã OTP vào tin nhắn.",
    password_title: "Thiết lập mật khẩu",
    password: "Mật khẩu",
    password_again: "Nhập lại mật khẩu",
    password_rule: "Mật khẩu được yêu cầu đảm bảo số lượng ký tự từ 8 đến 20, bao gồm số (0÷9), chữ viết hoa (A÷Z), chữ viết thường (a÷z), ít nhất 1 ký tự đặc biệt (!@#$^*)_",
    password_same: "Thông tin nhập vào ở ô Mật khẩu và Nhập lại mật khẩu được yêu cầu bắt buộc hoàn toàn giống nhau.",
    next: "Tiếp tục",
    login_intro: "Vui lòng nhập thông tin đăng nhập để tiếp tục",
    login_name: "Số định danh cá nhân hoặc số điện thoại",
    login_by_phone: "Đăng nhập bằng số điện thoại: nhập số điện thoại vào ô trên.",
    activate_private: "Nên dùng tab ẩn danh của trình duyệt (Ctrl + Shift + N).",
    activate_phone: "Số điện thoại bạn đã đăng ký tài khoản",
    send_request: "Gửi yêu cầu",
    passcode_title: "Thiết lập passcode",
    passcode_use: "Passcode được dùng khi sử dụng dịch vụ",
    passcode_rule: "Mã passcode được quy định gồm 6 ký tự số từ 0 đến 9.",
    passcode: "Mã số của bạn",
    passcode_again: "Nhập lại passcode",
    questions_title: "Thiết lập câu hỏi bảo mật",
    questions_intro: "Câu hỏi bảo mật được sử dụng trong một số trường hợp để xác minh danh tính của bạn. Bạn hãy chọn lần lượt từng câu hỏi và điền câu trả lời, đồng thời ghi nhớ câu trả lời tương ứng với mỗi câu hỏi.",
    question: "Chọn câu hỏi",
    answer: "Câu trả lời",
    answers_title: "Trả lời câu hỏi bảo mật",
    forgot_phone: "Số điện thoại đã đăng ký",
    notice: "Thông báo",
    status: "Trạng thái",
    no_dossier: "Chưa có hồ sơ định danh điện tử mức 1.",
    no_level: "Chưa định danh",
    level: "Mức",
    csrf_refused: "Biểu mẫu không hợp lệ hoặc đã hết hạn: vui lòng tải lại trang rồi thử lại.",
    bad_form: "Biểu mẫu không đọc được.",
    sign_in_first: "Vui lòng đăng nhập để tiếp tục.",
    start_again: "Bước này không thể thực hiện lúc này: vui lòng bắt đầu lại.",
    not_found: "Không tìm thấy trang bạn yêu cầu.",
    method_not_allowed: "Trang này không hỗ trợ thao tác được yêu cầu.",
    unavailable: "Hệ thống đang bận, vui lòng thử lại sau.",
};

/// English.
pub(crate) const EN: Words = Words {
    app_name: "Electronic identity",
    skip: "Skip to the main content",
    nav_label: "Menu",
    other_lang_name: "Tiếng Việt",
    footer: "dinhdanh reference server: synthetic population data, not VNeID.",
    home: "Home",
    home_intro: "Register and activate an electronic identity account.",
    register: "Register",
    login: "Log in",
    logout: "Log out",
    activate: "Activate the account",
    forgot: "Forgotten password",
    dossier: "Dossier",
    account: "Account",
    id_number: "Personal ID number or citizen ID card number",
    phone: "Phone number",
    register_intro: "Enter your personal ID number or citizen ID card number, the phone number registered in your name with the carrier, then the details.",
    way_qr: "Way 1: the details read from the QR code on the front of the chip ID card",
    qr: "QR code contents",
    qr_hint: "Paste what was read from the card's QR code.",
    way_typed: "Way 2: type each field exactly as it is on the chip ID card",
    full_name: "Full name (birth name)",
    date_of_birth: "Date of birth",
    sex: "Sex",
    male: "Male",
    female: "Female",
    residence: "Permanent residence",
    residence_note: "Note: for the permanent residence, you may enter the one you registered with the police.",
    street: "House number, street",
    terms: "I agree to the terms of use of the application and services",
    otp_title: "Enter the OTP",
    otp_intro: "Enter the OTP sent by text message to the phone number you registered.",
    otp_code: "OTP",
    otp_time_left: "Time left:",
    otp_expired: "The OTP has expired.",
    confirm: "Confirm",
    resend: "Send the code again",
    resend_hint: "If no message came or the OTP has expired, press Send the code again for a new OTP by text message.",
    password_title: "Set the password",
    password: "Password",
    password_again: "Password again",
    password_rule: "8 to 20 characters, with digits (0-9), upper-case letters (A-Z), lower-case letters (a-z) and at least one special character (!@#$^*)_",
    password_same: "Password and Password again must be exactly the same.",
    next: "Continue",
    login_intro: "Please enter your login details to continue",
    login_name: "Personal ID number or phone number",
    login_by_phone: "Log in with a phone number: type it in the field above.",
    activate_private: "A private browser window is best (Ctrl + Shift + N).",
    activate_phone: "The phone number you registered the account with",
    send_request: "Send the request",
    passcode_title: "Set the passcode",
    passcode_use: "The passcode is used when you use a service",
    passcode_rule: "The passcode is 6 digits from 0 to 9.",
    passcode: "Your code",
    passcode_again: "The passcode again",
    questions_title: "Set the security questions",
    questions_intro: "Security questions are used in some cases to verify who you are. Choose each question in turn, write its answer, and remember the answers.",
    question: "Choose a question",
    answer: "Answer",
    answers_title: "Answer the security questions",
    forgot_phone: "The registered phone number",
    notice: "Notice",
    status: "Status",
    no_dossier: "No level-1 electronic identity dossier yet.",
    no_level: "Not identified yet",
    level: "Level",
    csrf_refused: "The form is not valid or has expired: reload the page and try again.",
    bad_form: "The form could not be read.",
    sign_in_first: "Please log in to continue.",
    start_again: "This step cannot be done now: please start again.",
    not_found: "The page you asked for was not found.",
    method_not_allowed: "This page does not take this kind of request.",
    unavailable: "The system is busy, please try again later.",
};

/// The words of `lang`.
pub(crate) fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

/// What every page's frame (`base.html`) shows: the language and its
/// switch, the words, the form token, whether a citizen is logged in.
#[derive(Debug, Clone)]
pub(crate) struct Chrome {
    /// `lang` of `<html>`.
    pub(crate) lang: &'static str,
    /// The other language's code, for the switch.
    pub(crate) other_lang: &'static str,
    /// The words.
    pub(crate) w: &'static Words,
    /// The CSRF token of every form of the page.
    pub(crate) csrf: String,
    /// The page's path, for the switch's link.
    pub(crate) path: String,
    /// Whether the browser holds a citizen session (the menu offers
    /// "Đăng xuất").
    pub(crate) signed_in: bool,
}

impl Chrome {
    /// The frame of a page of `visit`.
    pub(crate) fn of(visit: &Visit, web: &WebState) -> Chrome {
        let other = match visit.lang {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        };
        Chrome {
            lang: lang_code(visit.lang),
            other_lang: lang_code(other),
            w: words(visit.lang),
            csrf: web.csrf.token(&visit.csrf_seed),
            path: visit.path.clone(),
            signed_in: visit.session.is_some(),
        }
    }
}

/// `template` as an HTML response with `status`.
pub(crate) fn page<T: Template>(status: StatusCode, template: &T) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a page did not render");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A link a message page offers.
#[derive(Debug, Clone)]
pub(crate) struct Link {
    /// Where.
    pub(crate) href: &'static str,
    /// Its text.
    pub(crate) text: &'static str,
}

/// A page that says something: a refusal, a notice, a step done.
#[derive(Template)]
#[template(path = "message.html")]
pub(crate) struct MessagePage {
    pub(crate) c: Chrome,
    /// Its heading.
    pub(crate) title: &'static str,
    /// Its lines.
    pub(crate) lines: Vec<String>,
    /// The API's error code, if any (`data-code`, for tests and scripts).
    pub(crate) code: String,
    /// Where to go next.
    pub(crate) link: Option<Link>,
}

/// The pages' own refusals (the API's are its messages).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Says {
    /// A POST without its browser's CSRF token.
    CsrfRefused,
    /// A body that is no form.
    BadForm,
    /// A page for a logged-in citizen, without a session.
    SignInFirst,
    /// A step without the flow it belongs to.
    StartAgain,
    /// A path no page has (`404`).
    NotFound,
    /// A page's path asked with a method it does not take (`405`).
    MethodNotAllowed,
}

/// The message page of one of [`Says`].
pub(crate) fn message_page(
    visit: &Visit,
    web: &WebState,
    status: StatusCode,
    says: Says,
) -> Response {
    let c = Chrome::of(visit, web);
    let w = c.w;
    let home = Link {
        href: "/",
        text: w.home,
    };
    let (text, link) = match says {
        Says::CsrfRefused => (w.csrf_refused, None),
        Says::BadForm => (w.bad_form, None),
        Says::SignInFirst => (
            w.sign_in_first,
            Some(Link {
                href: "/login",
                text: w.login,
            }),
        ),
        Says::StartAgain => (w.start_again, Some(home)),
        Says::NotFound => (w.not_found, Some(home)),
        Says::MethodNotAllowed => (w.method_not_allowed, Some(home)),
    };
    let page_ = MessagePage {
        title: w.notice,
        lines: vec![text.to_owned()],
        code: String::new(),
        link,
        c,
    };
    page(status, &page_)
}
