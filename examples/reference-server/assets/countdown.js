// The OTP's countdown (003: "Trong vòng 03 phút sau khi nhận được mã xác
// thực"): progressive only. Without it the page shows the time left when
// it was made, and the server decides an expired code anyway.
(function () {
  "use strict";
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
}());
