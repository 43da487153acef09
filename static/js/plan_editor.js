// The preview editor: a refused edit (400, or 409 when another tab saved first) still replaces the
// editor, which then shows the Chinese message and the current tree; HTMX 2 would drop it otherwise.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status === 400 || status === 409) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
