/* bluesky pages' small behaviours, kept out of the HTML so the Content-Security-Policy can forbid inline
   script (bluesky/settings.py, CONTENT_SECURITY_POLICY):
   - a form with data-confirm asks before it is sent (销号, 撤回, 撤销令牌 …);
   - a .print-button prints the page;
   - a checkbox with data-select-all="NAME" ticks every input[name=NAME] of its form. */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".print-button")) {
      window.print();
    }
  });

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.dataset || !box.dataset.selectAll || !box.form) { return; }
    var selector = 'input[form="' + box.form.id + '"][name="' + box.dataset.selectAll + '"]';
    document.querySelectorAll(selector).forEach(function (b) { b.checked = box.checked; });
  });
}());
