// Progressive enhancement only: every form and menu also works without JavaScript.
(function () {
    "use strict";

    // Close other open menus when one opens or when clicking elsewhere.
    document.addEventListener("click", function (event) {
        document.querySelectorAll("details.menu[open]").forEach(function (menu) {
            if (!menu.contains(event.target)) {
                menu.removeAttribute("open");
            }
        });
    });

    // The language select submits on change; its button is for browsers without JavaScript.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
        select.addEventListener("change", function () { select.form.submit(); });
    });
    document.querySelectorAll("[data-hide-with-js]").forEach(function (element) {
        element.hidden = true;
    });

    // "Select all" checkboxes: data-select-all="name" toggles every checkbox of that name.
    document.querySelectorAll("input[data-select-all]").forEach(function (master) {
        master.addEventListener("change", function () {
            document.querySelectorAll("input[type=checkbox][name='" + master.dataset.selectAll + "']").forEach(function (box) {
                box.checked = master.checked;
            });
        });
    });

    // Confirmation prompts on buttons that carry data-confirm.
    document.querySelectorAll("[data-confirm]").forEach(function (button) {
        button.addEventListener("click", function (event) {
            if (!window.confirm(button.dataset.confirm)) {
                event.preventDefault();
            }
        });
    });
})();
