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

    // Account pickers: typing in the search box offers matching accounts in the select, without a round trip.
    document.querySelectorAll("input[data-account-lookup]").forEach(function (input) {
        var select = document.getElementById(input.dataset.accountLookup);
        var timer = null;
        input.addEventListener("input", function () {
            window.clearTimeout(timer);
            var term = input.value.trim();
            if (term.length < 2) {
                return;
            }
            timer = window.setTimeout(function () {
                fetch("/Accounts/Lookup?q=" + encodeURIComponent(term), { headers: { "Accept": "application/json" }, credentials: "same-origin" })
                    .then(function (response) { return response.ok ? response.json() : []; })
                    .then(function (accounts) {
                        var existing = {};
                        Array.prototype.forEach.call(select.options, function (option) { existing[option.value] = true; });
                        accounts.forEach(function (account) {
                            if (!existing[String(account.id)]) {
                                select.add(new Option(account.name, String(account.id)));
                            }
                        });
                        if (accounts.length > 0) {
                            select.value = String(accounts[0].id);
                        }
                    });
            }, 250);
        });
    });

    // The case form's duplicate warning: show only the contact's open cases in the chosen category.
    var openCases = document.querySelector("[data-open-cases]");
    var categorySelect = document.querySelector("select[data-category-select]");
    if (openCases && categorySelect) {
        var refresh = function () {
            var visible = 0;
            openCases.querySelectorAll("li[data-category-id]").forEach(function (item) {
                var show = categorySelect.value !== "" && item.dataset.categoryId === categorySelect.value;
                item.hidden = !show;
                visible += show ? 1 : 0;
            });
            openCases.hidden = visible === 0;
            var heading = openCases.querySelector("[data-same-category]");
            heading.textContent = heading.dataset.sameCategory;
        };
        categorySelect.addEventListener("change", refresh);
        refresh();
    }

    // "Asociar casos secundarios": with JavaScript the choice of the parent is a dialog over the list;
    // without it, the button opens the same choice as a page.
    document.querySelectorAll("[data-associate-dialog]").forEach(function (button) {
        var dialog = document.getElementById(button.dataset.associateDialog);
        if (!dialog || typeof dialog.showModal !== "function") {
            return;
        }
        button.addEventListener("click", function (event) {
            event.preventDefault();
            var selected = Array.prototype.filter.call(
                document.querySelectorAll("input[type=checkbox][name=ids][form='" + button.form.id + "']"),
                function (box) { return box.checked; });
            var list = dialog.querySelector("[data-selected-cases]");
            list.textContent = "";
            selected.forEach(function (box, index) {
                var row = document.createElement("div");
                row.className = "field checkbox";
                var hidden = document.createElement("input");
                hidden.type = "hidden";
                hidden.name = "ids";
                hidden.value = box.value;
                var radio = document.createElement("input");
                radio.type = "radio";
                radio.name = "parentId";
                radio.value = box.value;
                radio.id = "dialog-parent-" + box.value;
                radio.checked = index === 0;
                var label = document.createElement("label");
                label.htmlFor = radio.id;
                label.textContent = box.dataset.number + " " + box.dataset.title;
                row.append(hidden, radio, label);
                list.append(row);
            });
            var tooFew = selected.length < 2;
            dialog.querySelector("[data-too-few]").hidden = !tooFew;
            dialog.querySelector("[data-set]").disabled = tooFew;
            dialog.showModal();
        });
        dialog.querySelector("[data-close-dialog]").addEventListener("click", function () { dialog.close(); });
    });
})();
