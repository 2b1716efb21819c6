// Progressive enhancement only: every form and menu also works without JavaScript. URLs come from data- attributes, so
// the app may run under a base path.
(function () {
    "use strict";

    // After a validation error, focus goes to the first field in error (otherwise the form's autofocus field has it).
    var invalid = document.querySelector("main .is-invalid, main [aria-invalid='true'], main .input-validation-error");
    if (invalid && typeof invalid.focus === "function") {
        invalid.focus();
    }

    // Action menus (<details class="menu">): Enter, Space or ArrowDown opens and focuses the first item, the arrows move,
    // ArrowRight/ArrowLeft open and close a submenu, Escape closes and gives focus back to the menu's button.
    function visibleItems(menu) {
        return Array.prototype.filter.call(menu.querySelectorAll("[role=menuitem]"), function (item) {
            return item.getClientRects().length > 0;
        });
    }

    function closeMenu(menu, focusToggle) {
        menu.querySelectorAll("details[open]").forEach(function (inner) { inner.open = false; });
        menu.open = false;
        if (focusToggle) {
            menu.querySelector("summary").focus();
        }
    }

    document.querySelectorAll("details.menu").forEach(function (menu) {
        var toggle = menu.querySelector("summary");
        menu.querySelectorAll("details > summary").forEach(function (summary) {
            var details = summary.parentElement;
            summary.setAttribute("aria-expanded", details.open ? "true" : "false");
            details.addEventListener("toggle", function () {
                summary.setAttribute("aria-expanded", details.open ? "true" : "false");
            });
        });
        toggle.addEventListener("keydown", function (event) {
            if (event.key === "Enter" || event.key === " " || event.key === "ArrowDown") {
                event.preventDefault();
                menu.open = true;
                var items = visibleItems(menu);
                if (items.length > 0) {
                    items[0].focus();
                }
            } else if (event.key === "Escape" && menu.open) {
                event.preventDefault();
                closeMenu(menu, true);
            }
        });
        menu.addEventListener("keydown", function (event) {
            if (event.target === toggle) {
                return;
            }
            var items = visibleItems(menu);
            var index = items.indexOf(document.activeElement);
            var submenu = event.target.closest("details.submenu");
            var move = null;
            if (event.key === "ArrowDown") {
                move = (index + 1) % items.length;
            } else if (event.key === "ArrowUp") {
                move = (index - 1 + items.length) % items.length;
            } else if (event.key === "Home") {
                move = 0;
            } else if (event.key === "End") {
                move = items.length - 1;
            } else if (event.key === "Escape") {
                event.preventDefault();
                closeMenu(menu, true);
                return;
            } else if (event.key === "ArrowRight" && submenu && event.target.parentElement === submenu) {
                event.preventDefault();
                submenu.open = true;
                var first = submenu.querySelector(".submenu-panel [role=menuitem]");
                if (first) {
                    first.focus();
                }
                return;
            } else if (event.key === "ArrowLeft" && submenu && event.target.parentElement !== submenu) {
                event.preventDefault();
                submenu.open = false;
                submenu.querySelector("summary").focus();
                return;
            }
            if (move !== null && items.length > 0) {
                event.preventDefault();
                items[move].focus();
            }
        });
        // Tabbing out of an open menu closes it.
        menu.addEventListener("focusout", function (event) {
            if (event.relatedTarget && !menu.contains(event.relatedTarget)) {
                closeMenu(menu, false);
            }
        });
    });

    // Close other open menus when one opens or when clicking elsewhere.
    document.addEventListener("click", function (event) {
        document.querySelectorAll("details.menu[open]").forEach(function (menu) {
            if (!menu.contains(event.target)) {
                closeMenu(menu, false);
            }
        });
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
        var url = input.dataset.lookupUrl;
        var timer = null;
        input.addEventListener("input", function () {
            window.clearTimeout(timer);
            var term = input.value.trim();
            if (term.length < 2 || !url) {
                return;
            }
            timer = window.setTimeout(function () {
                fetch(url + "?q=" + encodeURIComponent(term), { headers: { "Accept": "application/json" }, credentials: "same-origin" })
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
    // "Referente a" as you type: the matches become the same radio group the search round trip shows (arrow keys choose).
    document.querySelectorAll("input[data-regarding-lookup]").forEach(function (input) {
        var fieldset = input.closest("fieldset");
        var results = fieldset.querySelector("[data-regarding-results]");
        var typeSelect = fieldset.querySelector("select[data-regarding-type]");
        var timer;
        var search = function () {
            window.clearTimeout(timer);
            var text = input.value.trim();
            if (text.length < 2) {
                return;
            }
            timer = window.setTimeout(function () {
                var type = typeSelect.value;
                fetch(input.dataset.lookupUrl + "?type=" + encodeURIComponent(type) + "&q=" + encodeURIComponent(text),
                    { headers: { "Accept": "application/json" }, credentials: "same-origin" })
                    .then(function (response) { return response.ok ? response.json() : null; })
                    .then(function (found) {
                        if (!found) {
                            return;
                        }
                        results.replaceChildren();
                        var kind = document.createElement("input");
                        kind.type = "hidden";
                        kind.name = "RegardingType";
                        kind.value = type;
                        results.appendChild(kind);
                        if (found.length === 0) {
                            var none = document.createElement("p");
                            none.className = "empty";
                            none.id = "regarding-none";
                            none.textContent = results.dataset.noneText;
                            results.appendChild(none);
                            return;
                        }
                        var group = document.createElement("div");
                        group.setAttribute("role", "radiogroup");
                        group.setAttribute("aria-label", results.dataset.matchesLabel);
                        group.className = "mb-2";
                        found.forEach(function (match) {
                            var row = document.createElement("div");
                            row.className = "form-check";
                            var radio = document.createElement("input");
                            radio.type = "radio";
                            radio.className = "form-check-input";
                            radio.name = "RegardingId";
                            radio.id = "regarding-" + match.id;
                            radio.value = match.id;
                            var label = document.createElement("label");
                            label.className = "form-check-label";
                            label.htmlFor = radio.id;
                            label.textContent = match.label;
                            row.appendChild(radio);
                            row.appendChild(label);
                            group.appendChild(row);
                        });
                        results.appendChild(group);
                    });
            }, 250);
        };
        input.addEventListener("input", search);
        typeSelect.addEventListener("change", search);
    });

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

    // "Asociar casos secundarios": with JavaScript the choice of the parent is a dialog over the list, with no parent
    // chosen beforehand; without it, the button opens the same choice as a page.
    document.querySelectorAll("[data-associate-dialog]").forEach(function (button) {
        var dialog = document.getElementById(button.dataset.associateDialog);
        if (!dialog || typeof dialog.showModal !== "function") {
            return;
        }
        var opener = null;
        button.addEventListener("click", function (event) {
            event.preventDefault();
            opener = document.activeElement;
            var selected = Array.prototype.filter.call(
                document.querySelectorAll("input[type=checkbox][name=ids][form='" + button.form.id + "']"),
                function (box) { return box.checked; });
            var list = dialog.querySelector("[data-selected-cases]");
            list.textContent = "";
            selected.forEach(function (box) {
                var row = document.createElement("div");
                row.className = "form-check";
                var hidden = document.createElement("input");
                hidden.type = "hidden";
                hidden.name = "ids";
                hidden.value = box.value;
                var radio = document.createElement("input");
                radio.type = "radio";
                radio.name = "parentId";
                radio.value = box.value;
                radio.className = "form-check-input";
                radio.id = "dialog-parent-" + box.value;
                var label = document.createElement("label");
                label.htmlFor = radio.id;
                label.className = "form-check-label";
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
        dialog.addEventListener("close", function () {
            if (opener && typeof opener.focus === "function") {
                opener.focus();
            }
        });
    });
})();
