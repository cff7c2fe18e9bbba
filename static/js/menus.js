// The header's menus are <details>: they open and close without this file. With it, a click
// elsewhere or the Escape key closes an open one, as people expect of a menu.
(function () {
  "use strict";
  var menus = document.querySelectorAll("details.account-menu, details.site-menu");
  function closeAll(except) {
    menus.forEach(function (menu) {
      if (menu !== except) { menu.open = false; }
    });
  }
  document.addEventListener("click", function (event) {
    closeAll(event.target.closest("details.account-menu, details.site-menu"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    menus.forEach(function (menu) {
      if (menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  });
})();
