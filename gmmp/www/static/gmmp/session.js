// Warns two minutes before an idle session ends, then goes to the login page when it has ended.
// The server decides (SessionIdleTimeoutMiddleware); this only tells the user in time.
(function () {
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-session-idle"), 10);
  if (!idle) return;
  var warning = document.getElementById("session-warning");
  var warnAfter = Math.max(idle - 120, idle / 2) * 1000;
  setTimeout(function () { if (warning) warning.hidden = false; }, warnAfter);
  setTimeout(function () {
    window.location.href = body.getAttribute("data-login-url") + "?next=" + encodeURIComponent(window.location.pathname);
  }, idle * 1000 + 1000);
})();
