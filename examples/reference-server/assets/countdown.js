// The pages' progressive JavaScript (the file keeps its first name because
// app/web/assets.rs serves it under that one): each part does nothing on a
// page without its elements, and every page works without it (the server
// decides an expired code or a weak password anyway).
(function () {
  "use strict";

  // The OTP's countdown (003: "Trong vòng 03 phút sau khi nhận được mã xác
  // thực"). Without it the page shows the time left when it was made.
  function countdown() {
    var el = document.getElementById("otp-countdown");
    if (!el) { return; }
    var left = parseInt(el.getAttribute("data-seconds-left"), 10);
    if (isNaN(left)) { return; }
    var ends = Date.now() + left * 1000;
    var expired = document.getElementById("otp-expired");
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    function tick() {
      var s = Math.max(0, Math.round((ends - Date.now()) / 1000));
      el.textContent = pad(Math.floor(s / 60)) + ":" + pad(s % 60);
      if (s === 0) {
        if (expired) { expired.hidden = false; }
        return;
      }
      window.setTimeout(tick, 1000);
    }
    tick();
  }

  // The password rule, each part ticked or crossed as the password is
  // typed. The checks are eid-credentials' VNeID rule: the length in
  // characters after NFC, an ASCII digit, an upper-case and a lower-case
  // letter of any script (Rust's char::is_uppercase/is_lowercase are the
  // Unicode Uppercase/Lowercase properties), one of the special set.
  function passwordRule() {
    var list = document.getElementById("password-checks");
    var input = document.getElementById("password");
    if (!list || !input) { return; }
    var min = parseInt(list.getAttribute("data-min"), 10);
    var max = parseInt(list.getAttribute("data-max"), 10);
    var specials = list.getAttribute("data-specials") || "";
    var checks = {
      length: function (v) { var n = Array.from(v).length; return n >= min && n <= max; },
      digit: function (v) { return /[0-9]/.test(v); },
      upper: function (v) { return /\p{Uppercase}/u.test(v); },
      lower: function (v) { return /\p{Lowercase}/u.test(v); },
      special: function (v) { return Array.from(v).some(function (ch) { return specials.indexOf(ch) >= 0; }); }
    };
    var items = list.querySelectorAll("li[data-rule]");
    function update() {
      var v = input.value.normalize("NFC");
      Array.prototype.forEach.call(items, function (li) {
        var check = checks[li.getAttribute("data-rule")];
        var ok = Boolean(check && check(v));
        li.className = ok ? "rule-ok" : "rule-bad";
        li.setAttribute("data-ok", ok ? "true" : "false");
      });
    }
    input.addEventListener("input", update);
    update();
    list.hidden = false;
  }

  countdown();
  passwordRule();
}());
