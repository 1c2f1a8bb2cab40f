// Small behaviours without inline script (the Content Security Policy allows scripts from this site only).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.hasAttribute && target.hasAttribute("data-submit-on-change") && target.form) {
    target.form.submit();
  }
});
